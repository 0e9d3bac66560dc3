import t from 'tap';
import { ServedClock } from '../src/clock/served-clock.js';
import { ntpToUnixNs } from '../src/packet/ntp-time.js';
import { refIdFromAddress, refIdFromAscii } from '../src/packet/refid.js';
import { Reference } from '../src/upstream/reference.js';
import type { UpstreamSample } from '../src/upstream/sample.js';
import { FakeClock } from './support/fake-clock.js';

const amazon = { label: '169.254.169.123:123', refId: refIdFromAddress('169.254.169.123'), local: false };
const other = { label: '127.0.0.1:123', refId: refIdFromAddress('127.0.0.1'), local: false };

function setup(holdoverMs = 60_000) {
  const raw = new FakeClock();
  const served = new ServedClock(raw);
  const reference = new Reference({ sources: [amazon, other], holdoverMs, served });
  const sample = (fields: Partial<UpstreamSample> = {}): { ok: true; sample: UpstreamSample } => ({
    ok: true,
    sample: {
      atNs: raw.nowNs(),
      offsetNs: 3_000_000n,
      delayNs: 400_000n,
      dispersionS: 0.00001,
      leap: 0,
      stratum: 1,
      precision: -25,
      rootDelayS: 0.0001,
      rootDispersionS: 0.0002,
      refId: refIdFromAscii('GPS'),
      referenceTimestamp: 0n,
      ...fields,
    },
  });
  return { raw, served, reference, sample };
}

t.test('before any sample: unsynchronised, LI 3, stratum 0, as chrony', async (t) => {
  const { reference } = setup();
  t.match(reference.state(), {
    synchronised: false,
    leap: 3,
    stratum: 0,
    refId: 0,
    referenceTimestamp: 0n,
    rootDispersionS: 1,
    selected: null,
    reason: 'no valid upstream sample yet',
  });
  t.equal(reference.transition(), null, 'starting unsynchronised is no change');
});

t.test('a valid sample: synchronised at upstream stratum + 1, refid = the upstream IPv4, offset applied', async (t) => {
  const { raw, served, reference, sample } = setup();
  t.ok(reference.addResult(amazon.label, sample()));
  const state = reference.state();
  t.match(state, { synchronised: true, leap: 0, stratum: 2, refId: 0xa9fea97b, refIdText: '169.254.169.123', selected: amazon.label, reason: null });
  t.equal(served.nowNs() - raw.nowNs(), 3_000_000n, 'the served clock is 3 ms ahead of the raw one');
  t.equal(ntpToUnixNs(state.referenceTimestamp, raw.nowNs()), served.nowNs(), 'reference time: the update, on the served clock');
  t.equal(state.rootDelayS, 0.0001 + 0.0004, 'upstream root delay + our path');
  t.ok(Math.abs(state.rootDispersionS - (0.0002 + 0.00001)) < 1e-12, 'upstream root dispersion + sample dispersion');
  t.same(reference.transition(), { synchronised: true, previousSynchronised: false, selected: amazon.label, previousSelected: null });
  t.equal(reference.transition(), null, 'reported once');
});

t.test('root dispersion grows at 15 µs/s with the sample’s age', async (t) => {
  const { raw, reference, sample } = setup(3_600_000);
  reference.addResult(amazon.label, sample());
  const fresh = reference.state().rootDispersionS;
  raw.advanceMs(100_000);
  t.ok(Math.abs(reference.state().rootDispersionS - fresh - 15e-6 * 100) < 1e-9, '+1.5 ms after 100 s');
});

t.test('holdover: past it, LI 3 and stratum 0 with a reason; a new sample recovers', async (t) => {
  const { raw, reference, sample } = setup(60_000);
  reference.addResult(amazon.label, sample());
  reference.transition();
  raw.advanceMs(60_000);
  t.equal(reference.state().synchronised, true, 'at exactly the holdover: still synchronised');
  raw.advanceMs(1_001); // the cached state lives 1 ms
  const lost = reference.state();
  t.match(lost, { synchronised: false, leap: 3, stratum: 0, refId: 0, selected: null });
  t.match(lost.reason, /no valid upstream sample for 61 s \(holdover 60 s\)/);
  t.match(reference.transition(), { synchronised: false, previousSynchronised: true, previousSelected: amazon.label });
  t.ok(reference.addResult(amazon.label, sample()));
  t.match(reference.state(), { synchronised: true, stratum: 2 });
});

t.test('rejected results do not count as samples', async (t) => {
  const { reference } = setup();
  t.notOk(reference.addResult(amazon.label, { ok: false, reason: 'unsynchronised', kissCode: null, stratum: 0, leap: 3 }));
  t.notOk(reference.addResult(amazon.label, { ok: false, reason: 'timeout', kissCode: null, stratum: null, leap: null }));
  t.notOk(reference.addResult('unknown:1', { ok: true, sample: setup().sample().sample }));
  t.equal(reference.state().synchronised, false);
});

t.test('the leap indicator comes from upstream', async (t) => {
  const { reference, sample } = setup();
  reference.addResult(amazon.label, sample({ leap: 1 }));
  t.equal(reference.state().leap, 1);
});

t.test('two servers: the smaller root distance is followed', async (t) => {
  const { served, raw, reference, sample } = setup();
  reference.addResult(amazon.label, sample({ offsetNs: 1_000_000n, rootDispersionS: 0.01 }));
  raw.advanceMs(10);
  reference.addResult(other.label, sample({ offsetNs: 2_000_000n, rootDispersionS: 0.0001 }));
  t.equal(reference.state().selected, other.label);
  t.equal(served.offsetNs, 2_000_000n);
  t.match(reference.transition(), { selected: other.label });
  // The followed server goes stale (beyond holdover); the other one's new sample takes over.
  raw.advanceMs(61_000);
  reference.addResult(amazon.label, sample({ offsetNs: 5_000_000n, rootDispersionS: 0.01 }));
  t.equal(reference.state().selected, amazon.label);
  t.equal(served.offsetNs, 5_000_000n);
});

t.test('a local source is shown as LOCL', async (t) => {
  const raw = new FakeClock();
  const reference = new Reference({
    sources: [{ label: 'local', refId: refIdFromAscii('LOCL'), local: true }],
    holdoverMs: 60_000,
    served: new ServedClock(raw),
  });
  reference.addResult('local', { ok: true, sample: { ...setup().sample().sample, atNs: raw.nowNs(), stratum: 9 } });
  t.match(reference.state(), { synchronised: true, stratum: 10, refId: 0x4c4f434c, refIdText: 'LOCL' });
});
