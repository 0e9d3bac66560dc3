import { Worker } from 'node:worker_threads';
import type { Logger } from '@netsidecar/telemetry';
import { EventEncoder } from './encode-event.js';
import { encodeBatch, parseFormats, workerReady, type EncodedBatch, type RawBatch, type WorkerData } from './parse-batch.js';
import type { EventEncoding } from './event-encoding.js';
import type { Ingest } from './ingest.js';

/**
 * Parses UDP datagrams on worker threads. Measured on the bench corpus, parse + JSON is most of the
 * per-message cost; moving it off the main thread leaves the main thread to read datagrams and
 * write events, so the socket is drained faster than the kernel buffer fills.
 *
 * - Datagrams travel in batches (one per worker), sent 2 ms after the first one or at
 *   `maxBatchMessages`, whichever comes first. A batch's bytes lie in a SharedArrayBuffer: posting
 *   it copies nothing, and the main thread can still read them if the worker dies.
 * - A source IP always goes to the same worker, so each device's events stay in order.
 * - Accepted means read: each batch keeps its datagrams until its result is delivered. If a worker
 *   dies, its batches are encoded on the main thread and it is not restarted: nothing read is lost.
 */
export interface ParsePoolOptions {
  workers: number;
  /** syslog/1 or syslog/2 (the same as the Ingest's). */
  encoding: EventEncoding;
  ingest: Ingest;
  logger: Logger;
  maxBatchMessages?: number; // 512
  /** Unanswered batches per worker before `isBacklogged()` (tests lower it). */
  maxInFlightBatches?: number;
}

interface Pending {
  /** The datagrams back to back, in memory shared with the worker: sent without a copy, and still here if it dies. */
  data: Uint8Array;
  used: number;
  ends: number[];
  receivedAt: number[];
  ipTable: string[];
  ipSlots: Map<string, number>;
  ipIndex: number[];
  ports: number[];
}

interface Lane {
  worker: Worker | null;
  pending: Pending;
  /** Batches sent and not yet delivered. */
  inFlight: Map<number, RawBatch>;
  /** Buffers of delivered batches, reused: a new SharedArrayBuffer per batch is zero-filled memory. */
  spare: Uint8Array[];
}

const workerHeapMb = 64;
/** Unanswered batches per worker before the UDP reader pauses: up to 32k datagrams, about 0.3 s at 100k/s. */
const defaultMaxInFlightBatches = 64;
const batchDelayMs = 2; // 2 ms: ~200 datagrams a batch at 100k/s, invisible next to the 1 s sink flush

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

export class ParsePool {
  private readonly lanes: Lane[] = [];
  private readonly fallback: EventEncoder;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private nextId = 1;
  private flushScheduled = false;
  private idleWaiters: (() => void)[] = [];
  private backlogged = false;
  private relievedListeners: (() => void)[] = [];

  private constructor(private readonly options: ParsePoolOptions) {
    this.maxBatch = options.maxBatchMessages ?? 512;
    this.maxInFlight = options.maxInFlightBatches ?? defaultMaxInFlightBatches;
    this.fallback = new EventEncoder(options.encoding);
  }

  static async start(options: ParsePoolOptions): Promise<ParsePool> {
    const pool = new ParsePool(options);
    for (let i = 0; i < options.workers; i++) await pool.addLane(i);
    return pool;
  }

  private async addLane(index: number): Promise<void> {
    // A worker holds only the batches in flight: a small heap keeps its garbage (and RSS) small.
    // Should it run out, it dies like any failed worker and its lane is parsed here.
    const workerData: WorkerData = { encoding: this.options.encoding };
    const worker = new Worker(workerUrl, { workerData, resourceLimits: { maxOldGenerationSizeMb: workerHeapMb } });
    const lane: Lane = { worker, pending: emptyPending(sharedBytes(minBatchBytes)), inFlight: new Map(), spare: [] };
    this.lanes.push(lane);
    let ready = (): void => {};
    worker.on('message', (message: EncodedBatch | typeof workerReady) => (message === workerReady ? ready() : this.delivered(lane, message)));
    worker.on('error', (err) => this.lost(lane, index, err));
    worker.on('exit', (code) => {
      if (lane.worker) this.lost(lane, index, new Error(`parse worker exited with code ${code}`));
    });
    // Not 'online', which comes before the worker has loaded its modules (seconds, under a
    // TypeScript loader): the service says 'started' only once a worker can parse.
    await new Promise<void>((resolve, reject) => {
      ready = resolve;
      worker.once('error', reject);
    });
  }

  /**
   * Takes a datagram already counted as received and not empty: `source[start, end)`, copied here,
   * so the caller may reuse `source` at once.
   */
  submit(source: Buffer, start: number, end: number, receivedAt: number, sourceIp: string, sourcePort: number): void {
    const lane = this.lanes[this.lanes.length === 1 ? 0 : laneOf(sourceIp, this.lanes.length)]!;
    const pending = lane.pending;
    const length = end - start;
    if (pending.used + length > pending.data.length) grow(pending, pending.used + length);
    source.copy(pending.data, pending.used, start, end);
    pending.used += length;
    pending.ends.push(pending.used);
    pending.receivedAt.push(receivedAt);
    let slot = pending.ipSlots.get(sourceIp);
    if (slot === undefined) {
      slot = pending.ipTable.push(sourceIp) - 1;
      pending.ipSlots.set(sourceIp, slot);
    }
    pending.ipIndex.push(slot);
    pending.ports.push(sourcePort);
    if (pending.ends.length >= this.maxBatch) this.flushLane(lane);
    else if (!this.flushScheduled) {
      // A short wait fills batches: a postMessage per datagram costs more than parsing it.
      this.flushScheduled = true;
      setTimeout(() => this.flush(), batchDelayMs);
    }
  }

  /**
   * True once a worker has `maxInFlightBatches` (64) batches it has not answered (it, or the sink
   * behind this thread, cannot keep up), until it is down to half that. The UDP reader stops
   * reading meanwhile, so the backlog stays bounded and the kernel drops (and counts) the excess.
   */
  isBacklogged(): boolean {
    return this.backlogged;
  }

  /** Calls `listener` each time a backlog clears. */
  onRelieved(listener: () => void): void {
    this.relievedListeners.push(listener);
  }

  private checkRelieved(): void {
    if (!this.backlogged || this.lanes.some((lane) => lane.inFlight.size > this.maxInFlight / 2)) return;
    this.backlogged = false;
    for (const listener of this.relievedListeners) listener();
  }

  /** Sends what was read and waits until every batch is delivered. */
  async drain(): Promise<void> {
    this.flush();
    while (this.lanes.some((lane) => lane.inFlight.size > 0)) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    await this.drain();
    await Promise.all(
      this.lanes.map((lane) => {
        const worker = lane.worker;
        lane.worker = null;
        return worker === null ? Promise.resolve() : worker.terminate();
      }),
    );
  }

  /** Stops one worker as if it had crashed (tests use it; its lane falls back to this thread). */
  async crashWorker(index: number): Promise<void> {
    const lane = this.lanes[index];
    const worker = lane?.worker;
    if (!lane || !worker) return;
    await worker.terminate();
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const lane of this.lanes) if (lane.pending.ends.length > 0) this.flushLane(lane);
  }

  private flushLane(lane: Lane): void {
    const { data, used, ends, receivedAt, ipTable, ipIndex, ports } = lane.pending;
    // The next batch starts with room for a little more than this one held, so it rarely grows.
    lane.pending = emptyPending(takeBuffer(lane, Math.max(minBatchBytes, used + (used >> 2))));
    const batch: RawBatch = {
      id: this.nextId++,
      data: data.subarray(0, used),
      ends: Uint32Array.from(ends),
      receivedAt: Float64Array.from(receivedAt),
      sourcePorts: Uint16Array.from(ports),
      ipTable,
      ipIndex: Uint16Array.from(ipIndex),
    };
    if (!lane.worker) {
      this.deliverBatch(encodeBatch(this.fallback, batch), batch);
      return;
    }
    lane.inFlight.set(batch.id, batch);
    if (lane.inFlight.size >= this.maxInFlight) this.backlogged = true;
    lane.worker.postMessage(batch);
  }

  private delivered(lane: Lane, result: EncodedBatch): void {
    const sent = lane.inFlight.get(result.id);
    if (!sent) return;
    lane.inFlight.delete(result.id);
    this.deliverBatch(result, sent);
    // The worker is done with it (it answers only after reading the whole batch).
    if (lane.spare.length < maxSpareBuffers) lane.spare.push(new Uint8Array(sent.data.buffer));
    if (lane.inFlight.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    this.checkRelieved();
  }

  private deliverBatch(result: EncodedBatch, batch: RawBatch): void {
    const { ingest } = this.options;
    for (let i = 0; i < result.messages.length; i++) {
      const device = result.deviceTable[result.deviceIndex[i]!]!;
      const sourceIp = batch.ipTable[batch.ipIndex[i]!]!;
      ingest.deliver(result.messages[i]!, sourceIp, device, parseFormats[result.formats[i]!]!, batch.receivedAt[i]!);
    }
  }

  /** A dead worker's batches are encoded here, in order; its lane then encodes on this thread. */
  private lost(lane: Lane, index: number, err: Error): void {
    if (!lane.worker) return;
    lane.worker = null;
    this.options.logger.error('parse worker failed: parsing its datagrams on the main thread', { worker: index, err });
    const sent = [...lane.inFlight.values()].sort((a, b) => a.id - b.id);
    lane.inFlight.clear();
    for (const batch of sent) this.deliverBatch(encodeBatch(this.fallback, batch), batch);
    for (const wake of this.idleWaiters.splice(0)) wake();
    this.checkRelieved();
  }
}

const minBatchBytes = 64 * 1024;

const maxSpareBuffers = 4;

function takeBuffer(lane: Lane, capacity: number): Uint8Array {
  const spare = lane.spare.pop();
  return spare && spare.length >= capacity ? spare : sharedBytes(capacity);
}

function sharedBytes(capacity: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(roundUp(capacity)));
}

function emptyPending(data: Uint8Array): Pending {
  return { data, used: 0, ends: [], receivedAt: [], ipTable: [], ipSlots: new Map(), ipIndex: [], ports: [] };
}

function grow(pending: Pending, needed: number): void {
  const data = sharedBytes(Math.max(needed, pending.data.length * 2));
  data.set(pending.data.subarray(0, pending.used));
  pending.data = data;
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / 4096) * 4096;
}

/** FNV-1a of the source IP: the same device always lands on the same worker. */
function laneOf(ip: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ip.length; i++) hash = Math.imul(hash ^ ip.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}
