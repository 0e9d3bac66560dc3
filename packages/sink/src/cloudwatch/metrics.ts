import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The sink's Prometheus metrics. Event counts are in CloudWatch events: a message split into parts
 * counts once per part, so that accepted = delivered + rejected + queued holds at any time.
 */
export interface SinkMetrics {
  /** outcome: accepted (write took it), delivered (CloudWatch stored it), refused (write said no). */
  events: Counter<'outcome'>;
  /** write() outcomes, counted as plain numbers and added to `events` by `publish()`. */
  writes: WriteCounts;
  /** reason: too_old, too_new, expired, invalid_event, or the snake-cased exception of a refused event. */
  rejected: Counter<'reason'>;
  /** operation: PutLogEvents, CreateLogGroup, CreateLogStream; outcome: ok or error. */
  calls: Counter<'operation' | 'outcome'>;
  /** code: the exception name or network error code of each failed call. */
  errors: Counter<'code'>;
  /** operation: failed calls whose error is on none of the retry policy's lists (retry/error-lists.ts). */
  unknownErrors: Counter<'operation'>;
  /** Torn or corrupt spool records skipped (at start-up replay, or while reading the backlog). */
  spoolTorn: Counter;
  /** Events taken over from the spools of tasks that are gone (spool-adoption.ts). */
  adopted: Counter;
}

/**
 * write() counts here, and `publish()` adds the counts to the events counter once per pump and
 * before each scrape: the label lookup of prom-client costs about as much as the rest of write().
 */
export class WriteCounts {
  accepted = 0;
  refused = 0;
  readonly #accepted;
  readonly #refused;

  constructor(events: Counter<'outcome'>) {
    this.#accepted = events.labels({ outcome: 'accepted' });
    this.#refused = events.labels({ outcome: 'refused' });
  }

  publish(): void {
    if (this.accepted > 0) this.#accepted.inc(this.accepted);
    if (this.refused > 0) this.#refused.inc(this.refused);
    this.accepted = 0;
    this.refused = 0;
  }
}

/** What the gauges read: the spool. */
export interface GaugeSources {
  /** Events accepted and not acknowledged yet. */
  readonly liveEvents: number;
  readonly bytes: number;
}

/**
 * Registers the metrics in `registry`. A metric of the same name registered by an earlier sink
 * (a sink re-created in the same process) is replaced, so the gauges follow the live sink.
 */
export function createSinkMetrics(registry: Registry, sources: GaugeSources): SinkMetrics {
  const registers = [registry];
  const fresh = (name: string) => registry.removeSingleMetric(name);
  fresh('netsidecar_sink_events_total');
  const events: Counter<'outcome'> = new Counter({
    name: 'netsidecar_sink_events_total',
    help: 'Events by outcome: accepted by write(), delivered to CloudWatch, refused by write()',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      writes.publish();
    },
  });
  const writes = new WriteCounts(events);
  for (const outcome of ['accepted', 'delivered', 'refused']) events.inc({ outcome }, 0);
  fresh('netsidecar_sink_rejected_events_total');
  const rejected = new Counter({
    name: 'netsidecar_sink_rejected_events_total',
    help: 'Accepted events that CloudWatch did not store, by reason code',
    labelNames: ['reason'] as const,
    registers,
  });
  for (const reason of ['too_old', 'too_new', 'expired']) rejected.inc({ reason }, 0);
  fresh('netsidecar_sink_queue_events');
  new Gauge({
    name: 'netsidecar_sink_queue_events',
    help: 'Events accepted and not yet delivered (memory and spool)',
    registers,
    collect() {
      this.set(sources.liveEvents);
    },
  });
  fresh('netsidecar_sink_spool_bytes');
  new Gauge({
    name: 'netsidecar_sink_spool_bytes',
    help: 'Bytes of the spool segment files on disk',
    registers,
    collect() {
      this.set(sources.bytes);
    },
  });
  fresh('netsidecar_sink_spool_torn_records_total');
  const spoolTorn = new Counter({
    name: 'netsidecar_sink_spool_torn_records_total',
    help: 'Torn or corrupt spool records detected by length and checksum, and skipped',
    registers,
  });
  fresh('netsidecar_sink_adopted_events_total');
  const adopted = new Counter({
    name: 'netsidecar_sink_adopted_events_total',
    help: 'Events taken over from the spool of a task that is gone (shared spool volume), accepted again here',
    registers,
  });
  fresh('netsidecar_cloudwatch_calls_total');
  const calls = new Counter({
    name: 'netsidecar_cloudwatch_calls_total',
    help: 'CloudWatch Logs calls by operation and outcome (ok, error)',
    labelNames: ['operation', 'outcome'] as const,
    registers,
  });
  fresh('netsidecar_cloudwatch_errors_total');
  const errors = new Counter({
    name: 'netsidecar_cloudwatch_errors_total',
    help: 'Failed CloudWatch Logs calls by exception name or network error code',
    labelNames: ['code'] as const,
    registers,
  });
  fresh('netsidecar_cloudwatch_unknown_errors_total');
  const unknownErrors = new Counter({
    name: 'netsidecar_cloudwatch_unknown_errors_total',
    help: 'Failed CloudWatch Logs calls whose error the retry policy does not list: events kept, retried after a long wait',
    labelNames: ['operation'] as const,
    registers,
  });
  for (const operation of ['PutLogEvents', 'CreateLogStream', 'CreateLogGroup']) unknownErrors.inc({ operation }, 0);
  return { events, writes, rejected, calls, errors, unknownErrors, spoolTorn, adopted };
}
