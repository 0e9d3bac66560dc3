/**
 * The SNTP client side (RFC 4330/5905 client mode): one request, one reply, matched by nonce.
 * One unconnected UDP socket per address family serves every upstream server; replies are matched
 * to requests by the origin timestamp (our random nonce) and checked to come from the server asked.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { headerLength, modes, offsets } from '../packet/header.js';
import { ipv6Bytes } from '../packet/refid.js';
import type { Clock } from '../clock/clock.js';
import { evaluateReply, type Evaluation } from './sample.js';
import type { UpstreamServer } from './server-list.js';

export type QueryResult = Evaluation | { ok: false; reason: 'timeout' | 'send_failed'; kissCode: null; stratum: null; leap: null };

/** Datagrams on the client socket that answer nothing we asked: counted, never used. */
export type StrayReason = 'unsolicited' | 'wrong_source';

export interface SntpClientOptions {
  /** The raw clock: T1 and T4 are read from it. */
  clock: Clock;
  /** Our precision (log2 s), sent in requests and used in the sample dispersion. */
  precision: number;
  timeoutMs: number;
  /** log2 of the poll interval in seconds, sent in the request's poll field. */
  pollExponent: number;
  nonce?: () => bigint;
  onStray?: (reason: StrayReason) => void;
  onError?: (err: Error) => void;
}

interface Pending {
  server: UpstreamServer;
  nonce: bigint;
  t1Ns: bigint;
  timer: NodeJS.Timeout;
  resolve: (result: QueryResult) => void;
}

const randomNonce = (): bigint => {
  const nonce = randomBytes(8).readBigUInt64BE();
  return nonce === 0n ? 1n : nonce; // 0 would match a server that leaves the origin empty
};

export class SntpClient {
  private readonly sockets = new Map<4 | 6, Promise<Socket>>();
  private readonly pending = new Map<bigint, Pending>();
  private readonly nonce: () => bigint;
  private closed = false;

  constructor(private readonly options: SntpClientOptions) {
    this.nonce = options.nonce ?? randomNonce;
  }

  async query(server: UpstreamServer): Promise<QueryResult> {
    let socket: Socket;
    try {
      socket = await this.socket(server.family);
    } catch (err) {
      this.options.onError?.(err as Error);
      return { ok: false, reason: 'send_failed', kissCode: null, stratum: null, leap: null };
    }
    const request = Buffer.alloc(headerLength);
    request[0] = (0 << 6) | (4 << 3) | modes.client;
    request.writeInt8(this.options.pollExponent, 2);
    request.writeInt8(this.options.precision, 3);
    const nonce = this.nonce();
    request.writeBigUInt64BE(nonce, offsets.transmitTimestamp);
    return new Promise<QueryResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(nonce);
        resolve({ ok: false, reason: 'timeout', kissCode: null, stratum: null, leap: null });
      }, this.options.timeoutMs);
      const pending: Pending = { server, nonce, t1Ns: 0n, timer, resolve };
      this.pending.set(nonce, pending);
      pending.t1Ns = this.options.clock.nowNs(); // T1: the last thing before the send
      socket.send(request, server.port, server.address, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(nonce);
        this.options.onError?.(err);
        resolve({ ok: false, reason: 'send_failed', kissCode: null, stratum: null, leap: null });
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, reason: 'timeout', kissCode: null, stratum: null, leap: null });
    }
    this.pending.clear();
    const sockets = await Promise.allSettled(this.sockets.values());
    this.sockets.clear();
    await Promise.all(
      sockets.map((settled) => (settled.status === 'fulfilled' ? new Promise<void>((done) => settled.value.close(() => done())) : Promise.resolve())),
    );
  }

  private socket(family: 4 | 6): Promise<Socket> {
    if (this.closed) return Promise.reject(new Error('the SNTP client is closed'));
    let socket = this.sockets.get(family);
    if (!socket) {
      socket = openSocket(family, (reply, address, port) => this.receive(reply, address, port), this.options.onError);
      this.sockets.set(family, socket);
    }
    return socket;
  }

  private receive(reply: Buffer, address: string, port: number): void {
    const t4Ns = this.options.clock.nowNs(); // T4: the first thing on arrival
    if (reply.length < offsets.originTimestamp + 8) return this.options.onStray?.('unsolicited');
    const pending = this.pending.get(reply.readBigUInt64BE(offsets.originTimestamp));
    if (!pending) return this.options.onStray?.('unsolicited');
    if (port !== pending.server.port || !sameAddress(address, pending.server)) return this.options.onStray?.('wrong_source');
    this.pending.delete(pending.nonce);
    clearTimeout(pending.timer);
    pending.resolve(evaluateReply(reply, { nonce: pending.nonce, t1Ns: pending.t1Ns }, t4Ns, this.options.precision));
  }
}

function openSocket(family: 4 | 6, onMessage: (reply: Buffer, address: string, port: number) => void, onError?: (err: Error) => void): Promise<Socket> {
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  socket.on('message', (reply, remote) => onMessage(reply, remote.address, remote.port));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.off('error', reject);
      // An ICMP error on an unconnected socket must not crash the service.
      socket.on('error', (err) => onError?.(err));
      resolve(socket);
    });
  });
}

function sameAddress(address: string, server: UpstreamServer): boolean {
  if (server.family === 4) return address === server.address;
  return ipv6Bytes(address).equals(ipv6Bytes(server.address));
}
