import { randomUUID } from 'node:crypto';
import { runInsightsQuery, type InsightsEvent, type InsightsResult } from '../logs-insights/index.js';
import type { LogStore, StoredEvent } from './store.js';
import type { QueryPlan, QueryRecord, QueryStatus } from './types.js';

/**
 * Logs Insights queries of the fake: what StartQuery scheduled, and where each one stands. A
 * query moves on only when GetQueryResults asks (so tests never race a clock): it answers
 * `Scheduled` for `plan.scheduledPolls` calls, then `Running` for `plan.runningPolls`, then the
 * plan's outcome for good. The rows are computed once, from the events stored at that moment.
 */
/** One object per stored event, so the engine's per-event cache saves re-parsing across queries. */
const asInsightsEvent = new WeakMap<StoredEvent, InsightsEvent>();

export class QueryState {
  status: QueryStatus;
  result: InsightsResult | undefined;
  polls = 0;
  private scheduledLeft: number;
  private runningLeft: number;

  constructor(
    readonly queryId: string,
    readonly queryString: string,
    readonly logGroups: readonly string[],
    /** Epoch seconds, as StartQuery takes them. */
    readonly startTime: number,
    readonly endTime: number,
    readonly limit: number | undefined,
    readonly createTime: number,
    readonly plan: Readonly<QueryPlan>,
    private readonly store: LogStore,
  ) {
    this.scheduledLeft = plan.scheduledPolls ?? 0;
    this.runningLeft = plan.runningPolls ?? 0;
    this.status = this.scheduledLeft > 0 ? 'Scheduled' : 'Running';
    if (this.scheduledLeft === 0 && this.runningLeft === 0) this.finish();
  }

  get active(): boolean {
    return this.status === 'Scheduled' || this.status === 'Running';
  }

  /** A GetQueryResults call: uses up one Scheduled or Running answer, else the query ends. */
  poll(): QueryStatus {
    this.polls++;
    if (!this.active) return this.status;
    if (this.scheduledLeft > 0) {
      this.scheduledLeft--;
      this.status = 'Scheduled';
    } else if (this.runningLeft > 0) {
      this.runningLeft--;
      this.status = 'Running';
    } else {
      this.finish();
    }
    return this.status;
  }

  private finish(): void {
    const outcome = this.plan.outcome ?? 'Complete';
    this.status = outcome;
    if (outcome === 'Complete') this.result = this.run();
  }

  /** Rows as they stand now (Running with `partialResults` shows the first half of them). */
  run(): InsightsResult {
    return runInsightsQuery(this.queryString, this.events(), {
      startTime: this.startTime * 1000,
      endTime: this.endTime * 1000,
      ...(this.limit === undefined ? {} : { limit: this.limit }),
    });
  }

  stop(): boolean {
    if (!this.active) return false;
    this.status = 'Cancelled';
    return true;
  }

  private events(): InsightsEvent[] {
    const events: InsightsEvent[] = [];
    const from = this.startTime * 1000;
    const to = this.endTime * 1000;
    for (const name of this.logGroups) {
      const group = this.store.group(name);
      if (group === undefined) continue; // deleted since StartQuery: nothing to scan
      for (const stream of group.sortedStreams()) {
        const list = stream.ordered();
        for (let i = stream.indexAt(from); i < list.length && list[i]!.timestamp <= to; i++) {
          const e = list[i]!;
          let event = asInsightsEvent.get(e);
          if (event === undefined || event.logGroup !== name) {
            event = { timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message, logStream: stream.name, logGroup: name, id: String(e.seq) };
            asInsightsEvent.set(e, event);
          }
          events.push(event);
        }
      }
    }
    return events;
  }

  record(): QueryRecord {
    return {
      queryId: this.queryId,
      queryString: this.queryString,
      logGroups: [...this.logGroups],
      startTime: this.startTime,
      endTime: this.endTime,
      ...(this.limit === undefined ? {} : { limit: this.limit }),
      status: this.status,
      polls: this.polls,
      createTime: this.createTime,
    };
  }
}

export class QueryStore {
  private readonly queries = new Map<string, QueryState>();
  private readonly plans: QueryPlan[] = [];

  constructor(
    private readonly store: LogStore,
    /** Scheduled + Running queries allowed at once (the account quota; 100 for Logs Insights QL). */
    readonly maxConcurrent: number,
  ) {}

  script(plans: readonly QueryPlan[]): void {
    for (const plan of plans) {
      for (const key of ['scheduledPolls', 'runningPolls'] as const) {
        const n = plan[key];
        if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) throw new TypeError(`fake CloudWatch Logs: ${key} must be a whole number >= 0, got ${n}`);
      }
      if (plan.outcome !== undefined && !['Complete', 'Failed', 'Timeout'].includes(plan.outcome)) {
        throw new TypeError(`fake CloudWatch Logs: unknown query outcome ${JSON.stringify(plan.outcome)}`);
      }
      this.plans.push({ ...plan });
    }
  }

  get activeCount(): number {
    let n = 0;
    for (const q of this.queries.values()) if (q.active) n++;
    return n;
  }

  start(input: { queryString: string; logGroups: readonly string[]; startTime: number; endTime: number; limit: number | undefined; now: number }): QueryState {
    const plan = this.plans.shift() ?? {};
    const query = new QueryState(randomUUID(), input.queryString, input.logGroups, input.startTime, input.endTime, input.limit, input.now, plan, this.store);
    this.queries.set(query.queryId, query);
    return query;
  }

  get(queryId: string): QueryState | undefined {
    return this.queries.get(queryId);
  }

  /** Newest first. */
  list(): QueryState[] {
    return [...this.queries.values()].reverse();
  }
}
