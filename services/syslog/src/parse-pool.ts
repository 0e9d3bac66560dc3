import { Worker } from 'node:worker_threads';
import type { Logger } from '@netsidecar/telemetry';
import { EventEncoder } from './encode-event.js';
import { encodeBatch, parseFormats, transportCode, workerReady, type EncodedBatch, type RawBatch, type Transport, type WorkerData } from './parse-batch.js';
import type { EventEncoding } from './event-encoding.js';
import type { Ingest } from './ingest.js';
import { SharedBuffers, sharedBytes } from './shared-buffers.js';

/**
 * Parses messages (UDP datagrams, TCP and TLS frames) on worker threads. Measured on the bench
 * corpus, parse + JSON is most of the per-message cost; moving it off the main thread leaves the
 * main thread to read sockets and write events, so UDP is drained faster than the kernel buffer
 * fills and TCP is read at the rate the workers parse.
 *
 * - Messages travel in batches, sent 2 ms after the first one or at `maxBatchMessages`, whichever
 *   comes first. A batch's bytes lie in a SharedArrayBuffer: posting it copies nothing, and the main
 *   thread can still read them if the worker dies.
 * - Batches go to the workers in turn, and their results are delivered in the order the batches
 *   were made, whichever worker answers first: every device's events stay in order, and one busy
 *   source (a relay, or the bench's single sender) still loads every worker.
 * - When the sink writes lines of bytes (file, stdout), a worker encodes each event's line into the
 *   batch's output buffer (shared, reused once the batch is delivered), and the sink copies and
 *   writes those bytes: this thread builds no string per event.
 * - Accepted means read: each batch keeps its messages until its result is delivered. If a worker
 *   dies, its batches are encoded on the main thread and it is not restarted: nothing read is lost.
 */
export interface ParsePoolOptions {
  /** Workers started with the pool. */
  workers: number;
  /**
   * Workers the pool grows to, one at a time, while TCP or TLS senders wait on a backlog (default
   * `workers`). A stream sender read faster than the workers parse is held by TCP flow control, and
   * the thread that reads streams has time to spare, so a worker more is throughput. UDP does not
   * grow the pool: its datagrams are read by a thread of their own, which a worker more would take
   * turns with on two cores.
   */
  maxWorkers?: number;
  /** syslog/1 or syslog/2 (the same as the Ingest's). */
  encoding: EventEncoding;
  ingest: Ingest;
  logger: Logger;
  maxBatchMessages?: number; // 512
  /** Undelivered batches per worker before `isBacklogged()` (tests lower it). */
  maxInFlightBatches?: number;
}

interface Pending {
  /** The messages back to back, in memory shared with the worker: sent without a copy, and still here if it dies. */
  data: Uint8Array;
  used: number;
  ends: number[];
  receivedAt: number[];
  ipTable: string[];
  ipSlots: Map<string, number>;
  ipIndex: number[];
  ports: number[];
  transports: number[];
}

interface Lane {
  worker: Worker | null;
  /** Batches sent to this worker and not yet answered. */
  inFlight: Map<number, RawBatch>;
  /** Batches this worker has encoded (the pool's balance shows in it). */
  answered: number;
}

const workerHeapMb = 64;
/**
 * A worker's young generation: its garbage is a batch's strings, dead once the batch is encoded, so
 * a small nursery collects it as well as a large one and keeps the worker's resident memory small.
 * 8 MB (semi-spaces of about 2.7 MB) rather than 4: at 4 a batch of 512 messages filled a semi-space
 * about twice, and the scavenges cost 5-10 % of the worker's time (encodeBatch in a worker with
 * these limits, 3.45-3.52 µs a message at 4 MB, 3.15-3.34 at 8), for about 3 MB more per worker.
 */
const workerYoungGenerationMb = 8;
/** Undelivered batches per worker before the UDP reader pauses: up to 8k datagrams, about 0.1 s at 100k/s. */
const defaultMaxInFlightBatches = 16;
const batchDelayMs = 2; // 2 ms: ~200 datagrams a batch at 100k/s, invisible next to the 1 s sink flush

export class ParsePool {
  private readonly lanes: Lane[] = [];
  private readonly fallback: EventEncoder;
  private readonly maxBatch: number;
  /** Undelivered batches per worker before a backlog. */
  private readonly maxUndeliveredPerWorker: number;
  private readonly maxWorkers: number;
  /** A worker being added for stream senders: at most one at a time. */
  private growing = false;
  /** Encode events as lines of bytes: the sink takes them. */
  private readonly lines: boolean;
  /**
   * The batches' message buffers and output buffers, reused once a batch is delivered. As many of
   * each are kept as batches may be undelivered (16 per worker): with 8, under a TCP load with two
   * workers, a new one was made for most batches, and TCP was read 10-25 % slower.
   */
  private readonly batchBuffers = new SharedBuffers(batchBytes);
  private readonly outputBuffers = new SharedBuffers(outputBytes);
  private pending: Pending = emptyPending(this.batchBuffers.take());
  private nextId = 1;
  /** The id of the next batch to deliver: results come back in any order and leave in this one. */
  private nextDelivery = 1;
  /** Encoded batches waiting for an earlier one, by id. */
  private readonly ready = new Map<number, { result: EncodedBatch; batch: RawBatch }>();
  private nextLane = 0;
  private flushScheduled = false;
  private idleWaiters: (() => void)[] = [];
  private backlogged = false;
  /** A delivery got `backpressure` from the sink, which is not below its high-water mark again yet. */
  private sinkPushedBack = false;
  private relievedListeners: (() => void)[] = [];
  /** The drain's deadline has passed: batches go to the sink whether it pushes back or not. */
  private pastDeadline = false;

  private constructor(private readonly options: ParsePoolOptions) {
    this.maxBatch = options.maxBatchMessages ?? 512;
    this.maxUndeliveredPerWorker = options.maxInFlightBatches ?? defaultMaxInFlightBatches;
    this.maxWorkers = Math.max(options.workers, options.maxWorkers ?? options.workers);
    this.lines = options.ingest.acceptsLines;
    this.fallback = new EventEncoder(options.encoding);
  }

  static async start(options: ParsePoolOptions): Promise<ParsePool> {
    const pool = new ParsePool(options);
    // Started together: each loads its modules (seconds under a TypeScript loader) on its own thread.
    await Promise.all(Array.from({ length: options.workers }, (_, i) => pool.addLane(i)));
    return pool;
  }

  private async addLane(index: number): Promise<void> {
    // A worker holds only the batches in flight: a small heap keeps its garbage (and RSS) small.
    // Should it run out, it dies like any failed worker and its batches are parsed here.
    const workerData: WorkerData = { encoding: this.options.encoding, lines: this.lines };
    const worker = new Worker(workerUrl, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb, maxYoungGenerationSizeMb: workerYoungGenerationMb },
    });
    const lane: Lane = { worker, inFlight: new Map(), answered: 0 };
    this.lanes.push(lane);
    let ready = (): void => {};
    worker.on('message', (message: EncodedBatch | typeof workerReady) => (message === workerReady ? ready() : this.answered(lane, message)));
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
   * Takes a message (a datagram, or a TCP or TLS frame) already counted as received and not empty:
   * `source[start, end)`, copied here, so the caller may reuse `source` at once.
   */
  submit(source: Buffer, start: number, end: number, receivedAt: number, sourceIp: string, sourcePort: number, transport: Transport): void {
    const length = end - start;
    // A full buffer ends the batch; only a message larger than a whole buffer gets a larger one.
    if (this.pending.used + length > this.pending.data.length && this.pending.ends.length > 0) this.flush();
    const pending = this.pending;
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
    pending.transports.push(transportCode[transport]);
    if (pending.ends.length >= this.maxBatch) this.flush();
    else if (!this.flushScheduled) {
      // A short wait fills batches: a postMessage per datagram costs more than parsing it.
      this.flushScheduled = true;
      setTimeout(() => {
        this.flushScheduled = false;
        this.flush();
      }, batchDelayMs);
    }
  }

  /**
   * True once `maxInFlightBatches` (16) batches per worker are made and not delivered (the workers,
   * or the sink behind this thread, cannot keep up), until they are down to half that. The UDP
   * reader stops reading meanwhile, so the backlog stays bounded and the kernel drops (and counts)
   * the excess; TCP and TLS connections stop too (`holdsStreams`), and the TCP window holds theirs.
   */
  isBacklogged(): boolean {
    return this.backlogged;
  }

  /**
   * True while TCP and TLS connections should stop reading: the pool is backlogged, or the sink
   * answered a delivery with `backpressure` and is not below its high-water mark again. A connection
   * cannot see the sink's answer itself (its frames are written later, from here); pausing it is
   * what keeps a TCP sender from being refused (`sink_full`). The batches already read wait in the
   * pool until the sink is below its high-water mark (`deliverReady`); UDP goes on being read until
   * that backlog is full, then the kernel drops (and counts) the excess.
   */
  holdsStreams(): boolean {
    return this.backlogged || this.sinkPushedBack;
  }

  /** Calls `listener` each time a backlog clears, and each time the sink is writable again after pushing back. */
  onRelieved(listener: () => void): void {
    this.relievedListeners.push(listener);
  }

  /** Workers running or starting (the ones added for stream senders included). */
  workerCount(): number {
    return this.lanes.filter((lane) => lane.worker !== null).length;
  }

  /** Batches each worker has encoded so far, by worker. */
  batchesByWorker(): number[] {
    return this.lanes.map((lane) => lane.answered);
  }

  private undelivered(): number {
    return this.nextId - this.nextDelivery;
  }

  /** Undelivered batches that make a backlog: `maxInFlightBatches` per worker. */
  private maxUndelivered(): number {
    return this.maxUndeliveredPerWorker * Math.max(1, this.lanes.length);
  }

  private checkRelieved(): void {
    if (!this.backlogged || this.undelivered() > this.maxUndelivered() / 2) return;
    this.backlogged = false;
    this.relieved();
  }

  private relieved(): void {
    for (const listener of this.relievedListeners) listener();
  }

  /** Remembers that the sink pushed back, until it is writable again. */
  private pushedBack(): void {
    if (this.sinkPushedBack) return;
    this.sinkPushedBack = true;
    void this.options.ingest.whenWritable().then(() => {
      this.sinkPushedBack = false;
      this.deliverReady();
      if (!this.sinkPushedBack) this.relieved();
    });
  }

  /**
   * Sends what was read and waits until every batch is delivered. At `deadline` (epoch ms), batches
   * still waiting for a sink that pushes back go to it all the same: what it refuses then is counted
   * (`sink_full`), where a stop that waited for good would lose it uncounted.
   */
  async drain(deadline?: number): Promise<void> {
    this.flush();
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(
            () => {
              this.pastDeadline = true;
              this.deliverReady();
            },
            Math.max(0, deadline - Date.now()),
          );
    try {
      while (this.undelivered() > 0) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async close(deadline?: number): Promise<void> {
    await this.drain(deadline);
    await Promise.all(
      this.lanes.map((lane) => {
        const worker = lane.worker;
        lane.worker = null;
        return worker === null ? Promise.resolve() : worker.terminate();
      }),
    );
  }

  /** Stops one worker as if it had crashed (tests use it; its batches fall back to this thread). */
  async crashWorker(index: number): Promise<void> {
    const lane = this.lanes[index];
    const worker = lane?.worker;
    if (!lane || !worker) return;
    await worker.terminate();
  }

  private flush(): void {
    if (this.pending.ends.length === 0) return;
    const { data, used, ends, receivedAt, ipTable, ipIndex, ports, transports } = this.pending;
    this.pending = emptyPending(this.batchBuffers.take());
    const batch: RawBatch = {
      id: this.nextId++,
      data: data.subarray(0, used),
      ends: Uint32Array.from(ends),
      receivedAt: Float64Array.from(receivedAt),
      sourcePorts: Uint16Array.from(ports),
      ipTable,
      ipIndex: Uint16Array.from(ipIndex),
      transportIndex: Uint8Array.from(transports),
      output: this.outputBuffers.take(),
    };
    if (this.undelivered() >= this.maxUndelivered()) {
      this.backlogged = true;
      if (transports.some((code) => code !== transportCode.udp)) this.growForStreams();
    }
    const lane = this.laneFor();
    if (!lane) {
      this.encoded(encodeBatch(this.fallback, batch, this.lines), batch);
      return;
    }
    lane.inFlight.set(batch.id, batch);
    lane.worker!.postMessage(batch);
  }

  /**
   * Adds a worker while stream senders wait on a backlog and `maxWorkers` allows one more. It takes
   * batches once it has loaded (they queue for it until then), and stays: a worker is cheap to keep
   * and slow to start, and stream senders that fell behind once tend to again (a router's buffered
   * logs after a reconnect, a relay).
   */
  private growForStreams(): void {
    if (this.growing || this.lanes.length >= this.maxWorkers || this.lanes.every((lane) => lane.worker === null)) return;
    this.growing = true;
    const index = this.lanes.length;
    this.addLane(index).then(
      () => {
        this.growing = false;
        this.options.logger.info('parse worker added: TCP or TLS senders were waiting on the parse workers', { worker: index, workers: this.workerCount() });
      },
      (err: unknown) => {
        // Its batches are parsed on this thread (`lost`); the pool stays at the size it had.
        this.options.logger.warn('parse worker could not start: going on with the others', { worker: index, err });
      },
    );
  }

  /** The next live worker in turn, or null when none is left. */
  private laneFor(): Lane | null {
    for (let tried = 0; tried < this.lanes.length; tried++) {
      const lane = this.lanes[this.nextLane]!;
      this.nextLane = (this.nextLane + 1) % this.lanes.length;
      if (lane.worker) return lane;
    }
    return null;
  }

  private answered(lane: Lane, result: EncodedBatch): void {
    const sent = lane.inFlight.get(result.id);
    if (!sent) return;
    lane.inFlight.delete(result.id);
    lane.answered++;
    this.encoded(result, sent);
  }

  /** A batch is encoded: deliver it, and every later one it held back, in the order they were made. */
  private encoded(result: EncodedBatch, batch: RawBatch): void {
    this.ready.set(result.id, { result, batch });
    this.deliverReady();
  }

  /**
   * Delivers the encoded batches that are next in order, until one is missing or the sink pushes
   * back. While the sink is above its high-water mark, encoded batches wait here (within the
   * `maxInFlightBatches` backlog, which pauses every reader): handing them over would take the sink
   * to its limit, where it refuses events that a TCP sender was told were received.
   */
  private deliverReady(): void {
    for (let next = this.ready.get(this.nextDelivery); next && (!this.sinkPushedBack || this.pastDeadline); next = this.ready.get(this.nextDelivery)) {
      this.ready.delete(this.nextDelivery);
      this.nextDelivery++;
      this.deliverBatch(next.result, next.batch);
      // Every worker is done with both (it answers only after reading the whole batch), and the
      // sink has copied what it keeps.
      const keep = this.maxUndelivered();
      this.batchBuffers.give(next.batch.data, keep);
      this.outputBuffers.give(next.batch.output, keep);
    }
    if (this.undelivered() === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    this.checkRelieved();
  }

  private deliverBatch(result: EncodedBatch, batch: RawBatch): void {
    const { ingest } = this.options;
    const { events } = result;
    let backpressure = false;
    if (events.kind === 'lines') {
      ingest.countParsed(events.formatCounts);
      let start = 0;
      for (let r = 0; r < events.counts.length; r++) {
        const end = events.ends[r]!;
        const sourceIp = batch.ipTable[events.ipIndex[r]!]!;
        const outcome = ingest.deliverLines(events.bytes.subarray(start, end), events.counts[r]!, sourceIp, events.devices[r]!, events.receivedAt[r]!);
        if (outcome === 'backpressure') backpressure = true;
        start = end;
      }
    } else {
      const text = Buffer.from(events.bytes.buffer, events.bytes.byteOffset, events.bytes.byteLength);
      let start = 0;
      for (let i = 0; i < events.ends.length; i++) {
        const end = events.ends[i]!;
        const message = text.toString('utf8', start, end);
        start = end;
        const device = events.deviceTable[events.deviceIndex[i]!]!;
        const sourceIp = batch.ipTable[batch.ipIndex[i]!]!;
        const outcome = ingest.deliver(message, sourceIp, device, parseFormats[events.formats[i]!]!, batch.receivedAt[i]!);
        if (outcome === 'backpressure') backpressure = true;
      }
    }
    if (backpressure) this.pushedBack();
  }

  /** A dead worker's batches are encoded here; later batches go to the other workers, or here when none is left. */
  private lost(lane: Lane, index: number, err: Error): void {
    if (!lane.worker) return;
    lane.worker = null;
    this.options.logger.error('parse worker failed: parsing its messages on the main thread', { worker: index, err });
    const sent = [...lane.inFlight.values()].sort((a, b) => a.id - b.id);
    lane.inFlight.clear();
    for (const batch of sent) this.encoded(encodeBatch(this.fallback, batch, this.lines), batch);
  }
}

/**
 * The worker's module, as the package's exports map names it: `dist/parse-worker.js`, or the
 * TypeScript source under the `netsidecar-source` condition the tests run with (the worker
 * inherits the condition, and so loads the sources too).
 */
const workerUrl = new URL(import.meta.resolve('@netsidecar/syslog/parse-worker'));

/** A batch's buffer: 512 messages of up to 512 bytes; a batch that fills it is sent at once. */
const batchBytes = 256 * 1024;

/**
 * A batch's output buffer: 512 events' lines of the bench's ~400 bytes need ~200 KB; a batch whose
 * events need more gets a buffer of its own from the worker, not reused.
 */
const outputBytes = 512 * 1024;

function emptyPending(data: Uint8Array): Pending {
  return { data, used: 0, ends: [], receivedAt: [], ipTable: [], ipSlots: new Map(), ipIndex: [], ports: [], transports: [] };
}

function grow(pending: Pending, needed: number): void {
  const data = sharedBytes(Math.max(needed, pending.data.length * 2));
  data.set(pending.data.subarray(0, pending.used));
  pending.data = data;
}
