// A tiny NTP server on 127.0.0.1, port 0, standing in for Amazon Time Sync: answers mode 3 with
// mode 4, with whatever leap, stratum, offset or tampering the test sets. Tests never contact any
// address but loopback.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { AnchoredClock } from '../../src/clock/anchored-clock.js';
import { unixNsToNtp } from '../../src/packet/ntp-time.js';

export interface FakeUpstreamBehaviour {
  leap: number;
  stratum: number;
  precision: number;
  rootDelayS: number;
  rootDispersionS: number;
  refId: number;
  /** The fake's clock is the real one plus this. */
  offsetMs: number;
  /** Stay silent (a server that is down). */
  silent: boolean;
  /** Last word on the reply bytes. */
  tamper?: (reply: Buffer, request: Buffer) => void;
}

export interface FakeUpstream {
  port: number;
  /** `127.0.0.1:<port>` or `[::1]:<port>`, as NETSIDECAR_NTP_UPSTREAM takes it. */
  address: string;
  requests: Buffer[];
  /** Where each request came from. */
  remotes: { address: string; port: number }[];
  behaviour: FakeUpstreamBehaviour;
  /** Answers request `index` now, silent or not. */
  answer(index: number): void;
  close(): Promise<void>;
}

/** The fake's clock; a test that compares offsets reads the same instance, so two anchors cannot differ. */
export const fakeUpstreamClock = new AnchoredClock();
const clock = fakeUpstreamClock;

export async function startFakeUpstream(
  t: { teardown(fn: () => unknown): void },
  behaviour: Partial<FakeUpstreamBehaviour> = {},
  host: '127.0.0.1' | '::1' = '127.0.0.1',
): Promise<FakeUpstream> {
  const socket = createSocket(host === '::1' ? 'udp6' : 'udp4');
  const state: FakeUpstreamBehaviour = {
    leap: 0,
    stratum: 1,
    precision: -25,
    rootDelayS: 0,
    rootDispersionS: 0.0001,
    refId: 0x47505300, // GPS
    offsetMs: 0,
    silent: false,
    ...behaviour,
  };
  const requests: Buffer[] = [];
  const remotes: { address: string; port: number }[] = [];
  const respond = (request: Buffer, remote: { address: string; port: number }, receiveNs: bigint) => {
    const reply = Buffer.alloc(48);
    reply[0] = (state.leap << 6) | (((request[0]! >> 3) & 7) << 3) | 4;
    reply[1] = state.stratum;
    reply[2] = request[2]!;
    reply.writeInt8(state.precision, 3);
    reply.writeUInt32BE(Math.round(state.rootDelayS * 65536), 4);
    reply.writeUInt32BE(Math.round(state.rootDispersionS * 65536), 8);
    reply.writeUInt32BE(state.refId, 12);
    reply.writeBigUInt64BE(unixNsToNtp(receiveNs - 10_000_000_000n), 16);
    request.copy(reply, 24, 40, 48);
    reply.writeBigUInt64BE(unixNsToNtp(receiveNs), 32);
    reply.writeBigUInt64BE(unixNsToNtp(clock.nowNs() + BigInt(Math.round(state.offsetMs * 1e6))), 40);
    state.tamper?.(reply, request);
    socket.send(reply, remote.port, remote.address);
  };
  socket.on('message', (request, remote) => {
    const receiveNs = clock.nowNs() + BigInt(Math.round(state.offsetMs * 1e6));
    requests.push(Buffer.from(request));
    remotes.push({ address: remote.address, port: remote.port });
    if (state.silent || request.length < 48 || (request[0]! & 7) !== 3) return;
    respond(request, remote, receiveNs);
  });
  socket.bind(0, host);
  await once(socket, 'listening');
  const port = socket.address().port;
  const close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  let closed = false;
  t.teardown(async () => {
    if (!closed) await close();
  });
  return {
    port,
    address: host === '::1' ? `[::1]:${port}` : `127.0.0.1:${port}`,
    requests,
    remotes,
    behaviour: state,
    answer: (index) => respond(requests[index]!, remotes[index]!, clock.nowNs() + BigInt(Math.round(state.offsetMs * 1e6))),
    close: async () => {
      closed = true;
      await close();
    },
  };
}
