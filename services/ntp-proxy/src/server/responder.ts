/**
 * The decision for one datagram, in the order that spends least on what will be refused:
 *
 *   length ≥ 48 → mode 3 only (6/7 never) → VN ≥ 1 → trailer well formed → REQUIRE_AUTH and no MAC?
 *   → per-client rate limit (KoD RATE or drop) → MAC check (crypto-NAK on failure) → time reply.
 *
 * `handle` returns null (dropped, counted) or a pending reply whose `finish(t3)` writes the transmit
 * timestamp, then the MAC, and returns the bytes to send. Never throws on any input; a reply is never
 * larger than its request (no amplification).
 */
import type { KeyRing } from '../auth/key-ring.js';
import type { SymmetricKey } from '../auth/key-file.js';
import { headerLength, modes, offsets } from '../packet/header.js';
import { ntpDiffNs, unixNsToNtp } from '../packet/ntp-time.js';
import { parseTrailer } from '../packet/trailer.js';
import type { ReferenceState } from '../upstream/reference.js';
import type { AuthResult, DropReason, NtpMetrics, ReplyKind } from '../metrics.js';
import { dropReasons, replyKinds, authResults } from '../metrics.js';
import { estimateClientOffset, type ClientOffset } from './client-offset.js';
import type { ClientEntry, ClientTable } from './client-table.js';
import type { RateLimiter } from './rate-limiter.js';
import { servedVersion, writeRateKiss, writeTimeReply, writeTransmit } from './reply.js';

export interface PendingReply {
  readonly kind: ReplyKind;
  /** Writes T3 (and the MAC) and returns the datagram to send. */
  finish(t3Ns: bigint): Buffer;
}

export interface ResponderOptions {
  reference: { state(): ReferenceState };
  keys: KeyRing | null;
  requireAuth: boolean;
  limiter: RateLimiter;
  clients: ClientTable;
  metrics: NtpMetrics;
  precision: number;
  /** A client whose clock is off by more than this gets a warning event (at most one per summary period). */
  offsetThresholdNs: bigint;
  onClientWarning: (entry: ClientEntry, offset: ClientOffset) => void;
}

export class Responder {
  // prom-client hashes a label object on every inc(); bound children skip that on the hot path.
  private readonly dropped: Record<DropReason, { inc(): void }>;
  private readonly replies: Record<ReplyKind, { inc(): void }>;
  private readonly auth: Record<AuthResult, { inc(): void }>;
  private readonly requests: { inc(): void };

  constructor(private readonly options: ResponderOptions) {
    const { metrics } = options;
    this.dropped = Object.fromEntries(dropReasons.map((reason) => [reason, metrics.dropped.labels(reason)])) as Record<DropReason, { inc(): void }>;
    this.replies = Object.fromEntries(replyKinds.map((kind) => [kind, metrics.replies.labels(kind)])) as Record<ReplyKind, { inc(): void }>;
    this.auth = Object.fromEntries(authResults.map((result) => [result, metrics.auth.labels(result)])) as Record<AuthResult, { inc(): void }>;
    this.requests = metrics.requests;
  }

  /** Counts a reply the socket could not send. */
  sendFailed(): void {
    this.dropped.send_failed.inc();
  }

  /** Counts a datagram too large to be a request (not read whole, so never answered). */
  oversized(): void {
    this.requests.inc();
    this.drop('malformed');
  }

  /** `t2Ns`: served-clock Unix ns, read as the first thing on arrival. */
  handle(request: Buffer, clientIp: string, t2Ns: bigint): PendingReply | null {
    this.requests.inc();
    if (request.length < headerLength) return this.drop('too_short');
    const first = request[0]!;
    const mode = first & 7;
    const version = (first >> 3) & 7;
    if (mode === modes.control || mode === modes.private) return this.drop('control_query');
    if (mode !== modes.client) return this.drop('not_client_mode');
    if (version === 0) return this.drop('bad_version');
    const trailer = parseTrailer(request);
    if (trailer.kind === 'malformed') return this.drop('malformed');
    if (trailer.kind !== 'mac' && this.options.requireAuth) {
      this.auth.none.inc();
      return this.drop('auth_required');
    }

    const nowMs = Number(t2Ns / 1_000_000n);
    const entry = this.options.clients.touch(clientIp, nowMs);
    entry.requests++;
    entry.versions |= 1 << version;
    entry.lastVersion = version;
    const replyVersion = servedVersion(version);

    const decision = this.options.limiter.decide(entry.bucket, nowMs);
    if (decision === 'drop') {
      entry.dropped++;
      return this.drop('rate_limited');
    }
    // MACs are checked only for what will be answered: a flood costs a bucket lookup, not a digest.
    const auth = trailer.kind === 'mac' ? this.authenticate(request, trailer.keyId, trailer.macOffset, trailer.digest) : { result: 'none' as const, key: null };
    if (decision === 'kod') {
      entry.kodSent++;
      // Signed when the request was: an authenticated client ignores an unsigned KoD.
      return this.kiss(request, replyVersion, auth.key);
    }

    this.auth[auth.result].inc();
    if (auth.result === 'unknown_key' || auth.result === 'bad_mac') {
      entry.authFailures++;
      entry.cryptoNakSent++;
      return this.cryptoNak(request, replyVersion, t2Ns);
    }
    if (auth.key) {
      entry.authenticatedRequests++;
      entry.keyId = auth.key.id;
    } else {
      entry.unauthenticatedRequests++;
    }
    return this.timeReply(request, replyVersion, entry, auth.key, t2Ns);
  }

  private authenticate(request: Buffer, keyId: number, macOffset: number, digest: Buffer): { result: AuthResult; key: SymmetricKey | null } {
    const key = this.options.keys?.get(keyId);
    if (!key) return { result: 'unknown_key', key: null };
    if (!this.options.keys!.verify(key, request.subarray(0, macOffset), digest)) return { result: 'bad_mac', key: null };
    return { result: 'ok', key };
  }

  private timeReply(request: Buffer, version: number, entry: ClientEntry, key: SymmetricKey | null, t2Ns: bigint): PendingReply | null {
    const state = this.options.reference.state();
    const t2 = unixNsToNtp(t2Ns);
    const out = Buffer.allocUnsafe(key ? headerLength + 4 + this.options.keys!.digestLength(key) : headerLength);
    writeTimeReply(out, request, version, state, this.options.precision, t2);
    const kind: ReplyKind = state.synchronised ? 'time' : 'unsynchronised';
    const t1 = request.readBigUInt64BE(offsets.transmitTimestamp);
    const estimate = estimateClientOffset(
      { origin: request.readBigUInt64BE(offsets.originTimestamp), receive: request.readBigUInt64BE(offsets.receiveTimestamp), transmit: t1 },
      t2,
      entry.exchange,
      entry.transmitGapNs,
    );
    this.noteOffset(entry, estimate);
    return this.pending(kind, request, out, key, (t3) => {
      entry.timeReplies++;
      entry.exchange = { t1, t2, t3 };
      entry.transmitGapNs = t1 === 0n ? null : ntpDiffNs(t1, t2);
    });
  }

  private noteOffset(entry: ClientEntry, estimate: ClientOffset | null): void {
    if (!estimate) {
      // Two requests or more and still nothing: the client hides its clock (random transmit timestamps).
      if (entry.exchange) entry.offsetHidden = true;
      return;
    }
    entry.offset = estimate;
    const magnitude = estimate.offsetNs < 0n ? -estimate.offsetNs : estimate.offsetNs;
    // Warn only when the client is off by more than the threshold whatever the path delay hides.
    const certain = magnitude - (estimate.boundNs ?? 0n);
    if (certain > this.options.offsetThresholdNs && !entry.warned) {
      entry.warned = true;
      this.options.onClientWarning(entry, estimate);
    }
  }

  private cryptoNak(request: Buffer, version: number, t2Ns: bigint): PendingReply | null {
    // RFC 5905 §9.2: a crypto-NAK is a reply whose MAC is a lone key ID of 0.
    const out = Buffer.allocUnsafe(headerLength + 4);
    writeTimeReply(out, request, version, this.options.reference.state(), this.options.precision, unixNsToNtp(t2Ns));
    out.writeUInt32BE(0, headerLength);
    return this.pending('crypto_nak', request, out, null);
  }

  private kiss(request: Buffer, version: number, key: SymmetricKey | null): PendingReply | null {
    const out = Buffer.allocUnsafe(key ? headerLength + 4 + this.options.keys!.digestLength(key) : headerLength);
    writeRateKiss(out, request, version, this.options.precision, this.options.limiter.settings.intervalLog2);
    return this.pending('kod_rate', request, out, key, undefined, false);
  }

  private pending(
    kind: ReplyKind,
    request: Buffer,
    out: Buffer,
    key: SymmetricKey | null,
    onSent?: (t3: bigint) => void,
    stampTransmit = true,
  ): PendingReply | null {
    if (out.length > request.length) return this.drop('reply_too_large');
    const keys = this.options.keys;
    const replies = this.replies;
    return {
      kind,
      finish(t3Ns: bigint): Buffer {
        const t3 = unixNsToNtp(t3Ns);
        if (stampTransmit) writeTransmit(out, t3);
        if (key) keys!.sign(key, out, headerLength);
        replies[kind].inc();
        onSent?.(t3);
        return out;
      },
    };
  }

  private drop(reason: DropReason): null {
    this.dropped[reason].inc();
    return null;
  }
}
