// The archive as the deploy stack's Firehose streams write it, in s3rver (S3 on 127.0.0.1, port 0).
//
// Fixtures follow AWS's documented formats, step by step:
// 1. CloudWatch Logs subscription records: gzip'd JSON `{messageType: "DATA_MESSAGE", owner, logGroup,
//    logStream, subscriptionFilters, logEvents: [{id, timestamp, message}]}`, one stream per record,
//    events in ingestion order; a `CONTROL_MESSAGE` record when the subscription starts.
// 2. Firehose processors: Decompression (gunzip), CloudWatchLogProcessing with DataMessageExtraction
//    (each log event's `message` alone), AppendDelimiterToRecord (a newline after each).
// 3. Firehose S3 delivery: records buffered from the arrival of the oldest one for the buffer
//    interval, GZIP, key `<prefix with !{timestamp:yyyy/MM/dd} evaluated>` +
//    `<stream name>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid>.gz`, times in UTC, of the oldest record.
// AWS does not document whether message extraction drops the control message: the fixture keeps its
// text as a line (the harder case for a reader).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { splitMessage } from '@netsidecar/contracts';
import { MAX_EVENT_MESSAGE_BYTES, within } from '@netsidecar/test-support';
import type { Seed } from './fixtures.js';

export const BUCKET = 'netsidecar-archive-test';
const DAY_MS = 86_400_000;

export interface ArchiveServer {
  /** A client as the CLI gets it (through the Object Lock stand-in). */
  client: () => S3Client;
  /** Keys S3 returns no Object Lock headers for (an object written before the lock, or a reader without s3:GetObjectRetention). */
  unlocked: Set<string>;
  retentionDays: number;
  put(objects: readonly ArchiveObjectFixture[]): Promise<void>;
}

/**
 * s3rver (in a process of its own: s3rver-process.mjs) keeps no Object Lock settings, so a proxy in front of it answers as a bucket with a default
 * retention in compliance mode does: GET and HEAD of an object carry `x-amz-object-lock-mode:
 * COMPLIANCE` and `x-amz-object-lock-retain-until-date` = the object's creation + the retention.
 */
export async function startArchive(t: { teardown(fn: () => unknown): void }, retentionDays = 400): Promise<ArchiveServer> {
  const directory = await mkdtemp(join(tmpdir(), 'netsidecar-archive-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url)), directory, BUCKET], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const s3Port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('s3rver did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    child.stdout.once('data', (line: Buffer) => {
      clearTimeout(timer);
      resolve((JSON.parse(line.toString('utf8')) as { port: number }).port);
    });
  });
  const unlocked = new Set<string>();
  const proxy = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers }, (answer: IncomingMessage) => {
      const headers = { ...answer.headers };
      const url = new URL(req.url ?? '/', 'http://x');
      const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
      // GET/HEAD of an object (the SDK adds `x-id=GetObject`), not of a bucket subresource.
      const plain = [...url.searchParams.keys()].every((k) => k === 'x-id' || k === 'versionId');
      const objectRead = (req.method === 'GET' || req.method === 'HEAD') && key !== '' && plain && answer.statusCode === 200;
      if (objectRead && !unlocked.has(key) && typeof headers['last-modified'] === 'string') {
        headers['x-amz-object-lock-mode'] = 'COMPLIANCE';
        headers['x-amz-object-lock-retain-until-date'] = new Date(Date.parse(headers['last-modified']) + retentionDays * DAY_MS).toISOString();
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const clients: S3Client[] = [];
  const client = () => {
    const c = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };
  t.teardown(async () => {
    for (const c of clients) c.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    // s3rver stops at once; if it does not within 5 s, it is killed rather than left behind.
    await within(exited, { timeoutMs: 5_000, what: 's3rver to exit' }).catch(() => child.kill('SIGKILL'));
    await rm(directory, { recursive: true, force: true });
  });
  const seeder = client();
  return {
    client,
    unlocked,
    retentionDays,
    async put(objects) {
      for (const o of objects) await seeder.send(new PutObjectCommand({ Bucket: BUCKET, Key: o.key, Body: o.body, ContentType: 'application/octet-stream' }));
    },
  };
}

export interface ArchiveObjectFixture {
  key: string;
  body: Buffer;
  /** The event lines it holds, for the tests' own checks. */
  lines: string[];
}

export interface FirehoseOptions {
  /** Firehose's buffering interval. */
  bufferSeconds?: number;
  /** Records per CloudWatch Logs subscription record (CloudWatch batches; not guaranteed). */
  eventsPerRecord?: number;
  /** When a record reaches Firehose after its newest event (delivery delay). */
  delayMs?: (record: { logGroup: string; logStream: string; last: number }) => number;
  /** Add CloudWatch Logs' control message at the start of each group's subscription. */
  controlMessage?: boolean;
}

interface CwlRecord {
  logGroup: string;
  arrival: number;
  /** The gzip'd subscription record, as CloudWatch Logs puts it to Firehose. */
  data: Buffer;
}

let uuidCounter = 0;
/** A UUID-shaped random string, deterministic in the tests. */
function uuid(): string {
  const hex = (uuidCounter++).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const utc = (ms: number) => {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    M: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    H: pad(d.getUTCHours()),
    m: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
  };
};

/** The events of the seeds as the subscription delivers them: the sink's parts, batched per stream. */
export function subscriptionRecords(seeds: readonly Seed[], options: FirehoseOptions = {}): CwlRecord[] {
  const perRecord = options.eventsPerRecord ?? 50;
  const records: CwlRecord[] = [];
  const byGroup = new Map<string, Seed[]>();
  for (const s of seeds) (byGroup.get(s.group) ?? byGroup.set(s.group, []).get(s.group)!).push(s);
  let id = 0;
  for (const [logGroup, list] of byGroup) {
    const ordered = [...list].sort((a, b) => a.timestamp - b.timestamp); // ingestion order
    if (options.controlMessage) {
      const at = ordered[0]!.timestamp - 1_000;
      const control = {
        messageType: 'CONTROL_MESSAGE',
        owner: 'CloudwatchLogs',
        logGroup: '',
        logStream: '',
        subscriptionFilters: [],
        logEvents: [{ id: '', timestamp: at, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }],
      };
      records.push({ logGroup, arrival: at, data: gzipSync(JSON.stringify(control)) });
    }
    let batch: { stream: string; events: { id: string; timestamp: number; message: string }[] } | undefined;
    const flush = () => {
      if (!batch) return;
      const last = batch.events.at(-1)!.timestamp;
      const record = {
        messageType: 'DATA_MESSAGE',
        owner: '123456789012',
        logGroup,
        logStream: batch.stream,
        subscriptionFilters: ['netsidecar-archive'],
        logEvents: batch.events,
      };
      records.push({
        logGroup,
        arrival: last + (options.delayMs?.({ logGroup, logStream: batch.stream, last }) ?? 2_000),
        data: gzipSync(JSON.stringify(record)),
      });
      batch = undefined;
    };
    for (const seed of ordered) {
      // The CloudWatch sink sends an event over the event size limit as part/1 messages.
      for (const message of splitMessage(seed.message, MAX_EVENT_MESSAGE_BYTES)) {
        if (batch && (batch.stream !== seed.stream || batch.events.length >= perRecord)) flush();
        batch ??= { stream: seed.stream, events: [] };
        batch.events.push({ id: String(id++).padStart(56, '0'), timestamp: seed.timestamp, message });
      }
    }
    flush();
  }
  return records;
}

/** Firehose's three processors on one subscription record: its lines, each ending in a newline. */
export function processRecord(data: Buffer): string[] {
  const record = JSON.parse(gunzipSync(data).toString('utf8')) as { logEvents: { message: string }[] }; // Decompression
  return record.logEvents.map((e) => `${e.message}\n`); // CloudWatchLogProcessing (DataMessageExtraction), AppendDelimiterToRecord
}

/** What one delivery stream per log group writes to S3 for these records. */
export function firehoseObjects(records: readonly CwlRecord[], options: FirehoseOptions = {}): ArchiveObjectFixture[] {
  const bufferMs = (options.bufferSeconds ?? 900) * 1000;
  const objects: ArchiveObjectFixture[] = [];
  const byGroup = new Map<string, CwlRecord[]>();
  for (const r of records) (byGroup.get(r.logGroup) ?? byGroup.set(r.logGroup, []).get(r.logGroup)!).push(r);
  for (const [logGroup, list] of byGroup) {
    const service = logGroup.split('/').at(-1)!;
    const arriving = [...list].sort((a, b) => a.arrival - b.arrival);
    for (let i = 0; i < arriving.length;) {
      const oldest = arriving[i]!.arrival;
      const lines: string[] = [];
      while (i < arriving.length && arriving[i]!.arrival < oldest + bufferMs) lines.push(...processRecord(arriving[i++]!.data));
      const t = utc(oldest);
      const prefix = `${logGroup.slice(1)}/${t.y}/${t.M}/${t.d}/`; // `<group>/!{timestamp:yyyy/MM/dd}/`
      const key = `${prefix}netsidecar-archive-${service}-1-${t.y}-${t.M}-${t.d}-${t.H}-${t.m}-${t.s}-${uuid()}.gz`;
      objects.push({ key, body: gzipSync(lines.join('')), lines: lines.map((l) => l.slice(0, -1)) });
    }
  }
  return objects;
}
