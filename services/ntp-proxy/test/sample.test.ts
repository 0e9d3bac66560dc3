import t from 'tap';
import { encodeHeader, type NtpHeader } from '../src/packet/header.js';
import { unixNsToNtp } from '../src/packet/ntp-time.js';
import { refIdFromAscii } from '../src/packet/refid.js';
import { evaluateReply } from '../src/upstream/sample.js';

const ms = (value: number) => BigInt(Math.round(value * 1e6));
const base = BigInt(Date.UTC(2026, 10, 22, 12)) * 1_000_000n;
const nonce = 0x1234_5678_9abc_def0n;
const ourPrecision = -20;

/** A reply to a request sent at raw time `base`, from a server `offsetMs` ahead, over `outMs`/`backMs` paths. */
function exchange(options: { offsetMs: number; outMs: number; serverMs: number; backMs: number; header?: Partial<NtpHeader> }) {
  const t2 = base + ms(options.outMs + options.offsetMs);
  const t3 = t2 + ms(options.serverMs);
  const t4Ns = base + ms(options.outMs + options.serverMs + options.backMs);
  const reply = encodeHeader({
    leap: 0,
    version: 4,
    mode: 4,
    stratum: 1,
    poll: 4,
    precision: -25,
    rootDelay: 0,
    rootDispersion: 0x00000010, // 244 µs
    refId: refIdFromAscii('GPS'),
    referenceTimestamp: unixNsToNtp(base - ms(8000)),
    originTimestamp: nonce,
    receiveTimestamp: unixNsToNtp(t2),
    transmitTimestamp: unixNsToNtp(t3),
    ...options.header,
  });
  return { reply, t4Ns };
}

const evaluate = (reply: Buffer, t4Ns: bigint) => evaluateReply(reply, { nonce, t1Ns: base }, t4Ns, ourPrecision);

t.test('on-wire math: a server 5 ms ahead over a symmetric 20 ms round trip', async (t) => {
  const { reply, t4Ns } = exchange({ offsetMs: 5, outMs: 10, serverMs: 1, backMs: 10 });
  const result = evaluate(reply, t4Ns);
  if (!result.ok) throw new Error(result.reason);
  t.equal(result.sample.offsetNs, ms(5), 'offset = ((T2 − T1) + (T3 − T4)) / 2');
  t.equal(result.sample.delayNs, ms(20), 'delay = (T4 − T1) − (T3 − T2): the server’s 1 ms is not path');
  t.equal(result.sample.atNs, t4Ns);
  t.equal(result.sample.stratum, 1);
  t.equal(result.sample.rootDispersionS, 16 / 65536);
  t.equal(result.sample.dispersionS, 2 ** -25 + 2 ** -20 + 15e-6 * 0.02, 'both precisions + PHI × delay');
});

t.test('a server behind us, and an asymmetric path (error = half the asymmetry, as NTP always has)', async (t) => {
  const behind = exchange({ offsetMs: -250, outMs: 3, serverMs: 0.1, backMs: 3 });
  const r1 = evaluate(behind.reply, behind.t4Ns);
  t.equal(r1.ok && r1.sample.offsetNs, ms(-250));
  const asymmetric = exchange({ offsetMs: 0, outMs: 10, serverMs: 0, backMs: 30 });
  const r2 = evaluate(asymmetric.reply, asymmetric.t4Ns);
  t.equal(r2.ok && r2.sample.offsetNs, ms(-10));
  t.equal(r2.ok && r2.sample.delayNs, ms(40));
});

t.test('a negative delay (server clock faster than ours over the exchange) becomes our precision', async (t) => {
  const { reply, t4Ns } = exchange({ offsetMs: 0, outMs: 0, serverMs: 2, backMs: 0 });
  // The server says it spent 2 ms; we saw 2 ms round trip: delay 0, not negative. Shrink our T4 a bit:
  const result = evaluate(reply, t4Ns - ms(0.5));
  t.equal(result.ok && result.sample.delayNs, BigInt(Math.ceil(2 ** ourPrecision * 1e9)));
});

t.test('the era does not matter: an exchange across 2036-02-07T06:28:16Z', async (t) => {
  const eraStart = BigInt(Date.UTC(2036, 1, 7, 6, 28, 16)) * 1_000_000n;
  const t1Ns = eraStart - ms(5);
  const reply = encodeHeader({
    leap: 0,
    version: 4,
    mode: 4,
    stratum: 2,
    poll: 4,
    precision: -20,
    rootDelay: 0,
    rootDispersion: 0,
    refId: 0,
    referenceTimestamp: 0n,
    originTimestamp: nonce,
    receiveTimestamp: unixNsToNtp(eraStart + ms(1)), // server 1 ms ahead, 5 ms path each way
    transmitTimestamp: unixNsToNtp(eraStart + ms(1)),
  });
  const result = evaluateReply(reply, { nonce, t1Ns }, eraStart + ms(5), ourPrecision);
  t.equal(result.ok && result.sample.offsetNs, ms(1));
  t.equal(result.ok && result.sample.delayNs, ms(10));
});

t.test('rejections, each with its reason', async (t) => {
  const good = () => exchange({ offsetMs: 0, outMs: 1, serverMs: 0, backMs: 1 });
  const with_ = (header: Partial<NtpHeader>) => {
    const { t4Ns } = good();
    return evaluate(exchange({ offsetMs: 0, outMs: 1, serverMs: 0, backMs: 1, header }).reply, t4Ns);
  };
  t.match(evaluate(Buffer.alloc(47), good().t4Ns), { ok: false, reason: 'too_short' });
  t.match(with_({ originTimestamp: nonce + 1n }), { ok: false, reason: 'bogus_origin' }, 'not our nonce');
  t.match(with_({ mode: 3 }), { ok: false, reason: 'bad_mode' });
  t.match(with_({ mode: 5 }), { ok: false, reason: 'bad_mode' });
  t.match(with_({ version: 0 }), { ok: false, reason: 'bad_version' });
  t.match(with_({ version: 5 }), { ok: false, reason: 'bad_version' });
  t.match(with_({ stratum: 0, leap: 3, refId: refIdFromAscii('RATE') }), { ok: false, reason: 'kiss', kissCode: 'RATE' });
  t.match(with_({ stratum: 0, refId: refIdFromAscii('DENY') }), { ok: false, reason: 'kiss', kissCode: 'DENY' });
  t.match(with_({ leap: 3, stratum: 0, refId: 0 }), { ok: false, reason: 'unsynchronised', stratum: 0, leap: 3 }, 'chrony unsynchronised');
  t.match(with_({ leap: 3, stratum: 2 }), { ok: false, reason: 'unsynchronised' });
  t.match(with_({ stratum: 0, refId: 0 }), { ok: false, reason: 'bad_stratum' });
  t.match(with_({ stratum: 16 }), { ok: false, reason: 'bad_stratum' });
  t.match(with_({ stratum: 15 }), { ok: false, reason: 'bad_stratum' }, 'we would serve 16');
  t.ok(with_({ stratum: 14 }).ok, 'stratum 14 is the last usable');
  t.match(with_({ transmitTimestamp: 0n }), { ok: false, reason: 'zero_transmit' });
  const { reply, t4Ns } = good();
  reply.writeBigUInt64BE(reply.readBigUInt64BE(40) - (1n << 30n), 40); // T3 0.25 s before T2
  t.match(evaluate(reply, t4Ns), { ok: false, reason: 'bad_timestamps' });
  t.match(with_({ rootDispersion: 0x00010000 }), { ok: false, reason: 'bad_root_distance' }, 'root dispersion 1 s');
  t.match(with_({ rootDelay: 0x00020000 }), { ok: false, reason: 'bad_root_distance' }, 'root delay 2 s');
  t.ok(with_({ rootDelay: 0x00010000, rootDispersion: 0x00004000 }).ok, 'root distance 0.75 s is fine');
});
