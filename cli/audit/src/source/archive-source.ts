import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { mayBeMessagePart } from '@netsidecar/contracts';
import { AuditError } from '../errors.js';
import { parseEvent, timeOfMessage, type AuditEvent } from '../event.js';
import { joinParts, type JoinStats } from '../parts-joiner.js';
import { logGroupOf, type ServiceName } from '@netsidecar/contracts';
import { iso } from '../time-range.js';
import { arrivalOf, compareArrival, dayPrefix, daysOf, EARLY_MS, groupPrefix } from './archive/layout.js';
import { archiveObjectLines, getArchiveObject, type ArchiveObject } from './archive/object-lines.js';
import { Stage } from './archive/stage.js';
import { streamOf } from './archive/stream-of.js';
import { mergeByTime } from './merge.js';
import { countedCalls, defaultRetryPolicy, type RetryPolicy } from './retry.js';
import type { EventQuery, EventSource, Provenance } from './source.js';

/**
 * The write-once archive in S3 (deploy/README.md "Archive"), read with ListObjectsV2 and GetObject:
 * each log group's objects under `<log group>/yyyy/MM/dd/`, GZIP, one event JSON per line, written
 * by Firehose from the CloudWatch Logs subscription. A query for `[from, to)` reads the objects that
 * arrived from `from` less Firehose's buffer to `to` plus `latenessMs` (an event reaches the archive
 * after its own time: CloudWatch Logs accepts events up to 14 days old), stages their events on
 * local disk by stream (stage.ts), and answers from there; an object is read once per run.
 *
 * The archive has no stream index: `streams()` are those with events in the objects read for the
 * range asked (a device silent for the whole range is not listed, where CloudWatch lists it).
 */
export interface ArchiveSourceOptions {
  client: S3Client;
  bucket: string;
  logGroupPrefix: string;
  /** How long after its time an event may still reach the archive. */
  latenessMs: number;
  now: number;
  retry?: RetryPolicy;
  joinStats?: JoinStats;
  onRetry?: (operation: string) => void;
  onProgress?: (text: string) => void;
  /** ListObjectsV2 page size (S3's maximum is 1,000). */
  maxKeys?: number;
  /** Where the staging directory goes (default: the OS temporary directory). */
  tmpDir?: string;
}

interface Listed {
  key: string;
  arrival: number | undefined;
  day: number;
  size: number;
}

/** Objects up to this size are fetched whole, up to PREFETCH at a time ahead of the one being read. */
const PREFETCH_MAX_BYTES = 8 * 1024 * 1024;
const PREFETCH = 8;

interface ServiceState {
  stage: Stage;
  present?: boolean;
  listedDays: Set<number>;
  objects: Map<string, Listed>;
  staged: Set<string>;
}

/** CloudWatch Logs' subscription health check, should Firehose pass it through message extraction. */
const controlMessage = 'CWL CONTROL MESSAGE';
const PENDING = '\u0000part';

export interface ArchiveSource extends EventSource {
  readonly kind: 'archive';
  /** Every object read so far, by key. */
  storedObjects(): ArchiveObject[];
  /** CloudWatch Logs control messages skipped. */
  controlMessages(): number;
}

export const isArchiveSource = (source: EventSource): source is ArchiveSource => source.kind === 'archive';

export function createArchiveSource(options: ArchiveSourceOptions): ArchiveSource {
  const { client, bucket } = options;
  const policy = options.retry ?? defaultRetryPolicy();
  const joinStats = options.joinStats ?? { joined: 0, incomplete: 0 };
  const counts: Record<string, number> = {};
  const read = new Map<string, ArchiveObject>();
  let controls = 0;
  let root: Promise<string> | undefined;
  const states = new Map<ServiceName, Promise<ServiceState>>();
  const group = (service: ServiceName) => logGroupOf(options.logGroupPrefix, service);

  const counted = countedCalls(policy, counts, options.onRetry);
  const call = <T>(operation: string, send: () => Promise<T>): Promise<T> =>
    counted(operation, send).catch((err: unknown) => {
      if (err instanceof AuditError && /NoSuchBucket/.test(err.message)) {
        throw new AuditError('AUDIT_NO_ARCHIVE', `no bucket ${bucket} in this account and region (the stack output ArchiveBucketName names it)`);
      }
      throw err;
    });

  function state(service: ServiceName): Promise<ServiceState> {
    let s = states.get(service);
    if (s === undefined) {
      s = (async () => {
        root ??= mkdtemp(join(options.tmpDir ?? tmpdir(), 'netsidecar-audit-archive-'));
        const dir = join(await root, service);
        await mkdir(dir);
        return { stage: new Stage(dir), listedDays: new Set(), objects: new Map(), staged: new Set() };
      })();
      states.set(service, s);
    }
    return s;
  }

  async function* list(prefix: string): AsyncGenerator<{ key: string; size: number }> {
    let token: string | undefined;
    do {
      const page = await call('ListObjectsV2', () =>
        client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: options.maxKeys ?? 1000 })),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield { key: object.Key, size: object.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** The arrival window that holds every event of `[from, to)`. */
  const windowOf = (from: number, to: number) => ({ lo: from - EARLY_MS, hi: Math.min(to + options.latenessMs, options.now + EARLY_MS) });

  /** Lists and stages every object of the service that may hold events of `[from, to)`. */
  async function ensure(service: ServiceName, from: number, to: number): Promise<ServiceState> {
    const s = await state(service);
    s.present ??= await present(groupPrefix(group(service)));
    if (!s.present) {
      throw new AuditError('AUDIT_NO_LOG_GROUP', `nothing of ${group(service)} is archived in s3://${bucket}/${groupPrefix(group(service))}`);
    }
    const { lo, hi } = windowOf(from, to);
    for (const day of daysOf(lo, Math.max(hi, lo + 1))) {
      if (s.listedDays.has(day)) continue;
      for await (const { key, size } of list(dayPrefix(group(service), day))) s.objects.set(key, { key, arrival: arrivalOf(key), day, size });
      s.listedDays.add(day);
    }
    const due = [...s.objects.values()]
      .filter((o) => !s.staged.has(o.key) && (o.arrival === undefined ? o.day + 86_400_000 > lo && o.day < hi : o.arrival >= lo && o.arrival < hi))
      .sort(compareArrival);
    if (due.length > 0) {
      await stageObjects(service, s, due);
      await s.stage.flush();
    }
    return s;
  }

  /** Whether anything at all is archived under the log group: one key is enough. */
  async function present(prefix: string): Promise<boolean> {
    const page = await call('ListObjectsV2', () => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 })));
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  }

  /** The lines of the objects in arrival order, each checked to be a JSON object. */
  async function* linesOf(service: ServiceName, s: ServiceState, due: Listed[]): AsyncGenerator<AuditEvent> {
    let done = 0;
    const ahead = new Map<number, Promise<GetObjectCommandOutput>>();
    const fetch = (i: number) => {
      if (i >= due.length || ahead.has(i)) return;
      const whole = due[i]!.size <= PREFETCH_MAX_BYTES;
      if (i > done && !whole) return; // a large object is streamed when its turn comes
      const response = getArchiveObject(client, bucket, due[i]!.key, call, whole);
      response.catch(() => {}); // awaited in its turn; a failure ahead must not be an unhandled rejection
      ahead.set(i, response);
    };
    for (const listed of due) {
      options.onProgress?.(`${service}: archive object ${done + 1}/${due.length}, ${listed.key}`);
      for (let i = done; i < done + PREFETCH; i++) fetch(i);
      const response = await ahead.get(done)!;
      ahead.delete(done);
      const { object, lines } = archiveObjectLines(bucket, listed.key, response);
      let n = 0;
      for await (const line of lines) {
        n++;
        if (line.startsWith(controlMessage)) {
          controls++;
          continue;
        }
        const event = parseEvent(line);
        if (event === undefined) {
          throw new AuditError('AUDIT_ARCHIVE_CORRUPT', `s3://${bucket}/${listed.key}: line ${n} is not a JSON event; nothing was written as complete`);
        }
        if (mayBeMessagePart(line)) {
          yield { stream: PENDING, timestamp: Number.NaN, message: line };
          continue;
        }
        const stream = streamOf(service, event);
        if (stream === undefined) {
          throw new AuditError(
            'AUDIT_ARCHIVE_CORRUPT',
            `s3://${bucket}/${listed.key}: line ${n} is not a ${service} event (its stream cannot be told); nothing was written as complete`,
          );
        }
        yield { stream, timestamp: timeOfMessage(line), message: line };
      }
      read.set(listed.key, object);
      s.staged.add(listed.key);
      done++;
    }
  }

  async function stageObjects(service: ServiceName, s: ServiceState, due: Listed[]): Promise<void> {
    // Split events (`part/1`, over 1 MB) are joined across lines and objects, then placed by the
    // joined event; a group with parts missing is kept as its raw parts beside the event before it.
    let previous: { stream: string; timestamp: number } | undefined;
    for await (const event of joinParts(linesOf(service, s, due), joinStats)) {
      let { stream, timestamp } = event;
      if (stream === PENDING) {
        const joined = mayBeMessagePart(event.message) ? undefined : parseEvent(event.message);
        stream = (joined && streamOf(service, joined)) ?? previous?.stream ?? '_parts';
        timestamp = joined ? timeOfMessage(event.message) : Number.NaN;
      }
      // An event without a readable time stays beside the one before it, as in the file source.
      if (Number.isNaN(timestamp)) timestamp = previous?.timestamp ?? 0;
      previous = { stream, timestamp };
      await s.stage.append(stream, timestamp, event.message);
    }
  }

  const provenanceQuery = (service: ServiceName, from: number, to: number) => {
    const { lo, hi } = windowOf(from, to);
    return `s3://${bucket}/${groupPrefix(group(service))}yyyy/MM/dd/ objects that arrived from ${iso(lo)} to ${iso(hi)} (events up to ${Math.round(options.latenessMs / 3_600_000)} h late)`;
  };

  return {
    kind: 'archive',
    logGroup: group,
    async streams(service, within) {
      if (within === undefined) throw new Error('the archive lists streams within a range');
      return (await ensure(service, within.from, within.to)).stage.streams();
    },
    // The archive expires nothing unless its lifecycle says so; its objects' keys are in objects.csv.
    logGroupSettings: async () => ({ retentionDays: undefined, kmsKeyId: undefined }),
    async lastEventTime(service, stream) {
      return (await state(service)).stage.newest(stream);
    },
    async newestMatching(service, stream, from, to, accept) {
      const s = await ensure(service, from, to);
      let found: AuditEvent | undefined;
      for await (const event of s.stage.events(stream, from, to)) if (!mayBeMessagePart(event.message) && accept(event.message)) found = event;
      return found;
    },
    async *events(query: EventQuery) {
      const s = await ensure(query.service, query.from, query.to);
      const names = query.streams ?? s.stage.streams();
      yield* mergeByTime(names.map((name) => s.stage.events(name, query.from, query.to)));
    },
    provenance(query: EventQuery): Provenance {
      return {
        source: 'archive',
        method: 'ListObjectsV2+GetObject',
        logGroup: group(query.service),
        logStreams: query.streams ?? 'all',
        from: iso(query.from),
        to: iso(query.to),
        query: provenanceQuery(query.service, query.from, query.to),
      };
    },
    calls: () => ({ ...counts }),
    storedObjects: () => [...read.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    controlMessages: () => controls,
    close: async () => {
      if (root !== undefined) await rm(await root, { recursive: true, force: true });
    },
  };
}
