/**
 * What the service remembers per client address: its rate-limit bucket, its last exchange (for the
 * offset estimate), and counters since the last summary. Memory is bounded: at `maxClients` the least
 * recently seen client is forgotten (a Map iterates in insertion order; a touch re-inserts), and a
 * summary pass forgets clients idle for longer than `idleMs` whose bucket has refilled.
 */
import type { Bucket } from './rate-limiter.js';
import type { ClientOffset, ExchangeMemory } from './client-offset.js';

export interface ClientEntry {
  readonly ip: string;
  bucket: Bucket;
  lastSeenMs: number;
  periodStartMs: number;
  requests: number;
  timeReplies: number;
  kodSent: number;
  cryptoNakSent: number;
  dropped: number;
  authenticatedRequests: number;
  unauthenticatedRequests: number;
  authFailures: number;
  /** Bit v set: a request of NTP version v was seen this period. */
  versions: number;
  lastVersion: number;
  keyId: number | null;
  /** The latest estimate this period, and whether any request this period hid its clock. */
  offset: ClientOffset | null;
  offsetHidden: boolean;
  warned: boolean;
  exchange: ExchangeMemory | null;
  /** T1 − T2 of the last answered request (ns), or null when it had no transmit timestamp. */
  transmitGapNs: bigint | null;
}

export interface ClientSummary {
  clientIp: string;
  periodStartMs: number;
  periodEndMs: number;
  requests: number;
  timeReplies: number;
  kodSent: number;
  cryptoNakSent: number;
  dropped: number;
  authenticatedRequests: number;
  unauthenticatedRequests: number;
  authFailures: number;
  versions: number[];
  keyId: number | null;
  offset: ClientOffset | null;
  offsetHidden: boolean;
}

export interface ClientTableOptions {
  maxClients: number;
  /** Forget a client not seen for this long (and whose bucket is full again). */
  idleMs: number;
  newBucket: (nowMs: number) => Bucket;
  bucketIsFull: (bucket: Bucket, nowMs: number) => boolean;
  onEvict?: (entry: ClientEntry) => void;
}

export class ClientTable {
  private readonly entries = new Map<string, ClientEntry>();

  constructor(private readonly options: ClientTableOptions) {}

  get size(): number {
    return this.entries.size;
  }

  peek(ip: string): ClientEntry | undefined {
    return this.entries.get(ip);
  }

  /** The client's entry, created if new, and marked most recently seen. */
  touch(ip: string, nowMs: number): ClientEntry {
    let entry = this.entries.get(ip);
    if (entry) {
      this.entries.delete(ip);
    } else {
      if (this.entries.size >= this.options.maxClients) this.evictOldest();
      entry = newEntry(ip, nowMs, this.options.newBucket(nowMs));
    }
    entry.lastSeenMs = nowMs;
    this.entries.set(ip, entry);
    return entry;
  }

  /** Summaries of every client active since the last call; resets their counters, forgets the idle. */
  takeSummaries(nowMs: number): ClientSummary[] {
    const summaries: ClientSummary[] = [];
    for (const entry of this.entries.values()) {
      if (entry.requests > 0) {
        summaries.push(summarise(entry, nowMs));
        resetPeriod(entry, nowMs);
      } else if (nowMs - entry.lastSeenMs > this.options.idleMs && this.options.bucketIsFull(entry.bucket, nowMs)) {
        this.entries.delete(entry.ip);
      }
    }
    return summaries;
  }

  private evictOldest(): void {
    const oldest = this.entries.values().next().value;
    if (!oldest) return;
    this.entries.delete(oldest.ip);
    this.options.onEvict?.(oldest);
  }
}

function newEntry(ip: string, nowMs: number, bucket: Bucket): ClientEntry {
  return {
    ip,
    bucket,
    lastSeenMs: nowMs,
    periodStartMs: nowMs,
    requests: 0,
    timeReplies: 0,
    kodSent: 0,
    cryptoNakSent: 0,
    dropped: 0,
    authenticatedRequests: 0,
    unauthenticatedRequests: 0,
    authFailures: 0,
    versions: 0,
    lastVersion: 0,
    keyId: null,
    offset: null,
    offsetHidden: false,
    warned: false,
    exchange: null,
    transmitGapNs: null,
  };
}

function resetPeriod(entry: ClientEntry, nowMs: number): void {
  entry.periodStartMs = nowMs;
  entry.requests = 0;
  entry.timeReplies = 0;
  entry.kodSent = 0;
  entry.cryptoNakSent = 0;
  entry.dropped = 0;
  entry.authenticatedRequests = 0;
  entry.unauthenticatedRequests = 0;
  entry.authFailures = 0;
  entry.versions = 0;
  entry.offset = null;
  entry.offsetHidden = false;
  entry.warned = false;
}

function summarise(entry: ClientEntry, nowMs: number): ClientSummary {
  const versions: number[] = [];
  for (let version = 0; version < 8; version++) if (entry.versions & (1 << version)) versions.push(version);
  return {
    clientIp: entry.ip,
    periodStartMs: entry.periodStartMs,
    periodEndMs: nowMs,
    requests: entry.requests,
    timeReplies: entry.timeReplies,
    kodSent: entry.kodSent,
    cryptoNakSent: entry.cryptoNakSent,
    dropped: entry.dropped,
    authenticatedRequests: entry.authenticatedRequests,
    unauthenticatedRequests: entry.unauthenticatedRequests,
    authFailures: entry.authFailures,
    versions,
    keyId: entry.keyId,
    offset: entry.offset,
    offsetHidden: entry.offsetHidden,
  };
}
