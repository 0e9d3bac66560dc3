import t from 'tap';
import { dataset } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { seededSources } from './support/seeded.js';

const seeds = dataset();
const { data: dir, client } = await seededSources(t, 'silence', seeds);
const file = ['--source', 'file', '--data-dir', dir];

t.test('silent devices and routers, the same from both sources', async (t) => {
  // At 03-04 12:00: rtr-osa-2 last sent 03-03 05:00 (31 h), 10.0.0.2 last asked 03-03 23:30 (12.5 h).
  const args = ['silence', '--at', '2026-03-04T12:00:00Z', '--threshold', '6h', '--ntp-threshold', '1h', '--format', 'jsonl'];
  const a = await runAudit([...args, ...file]);
  const b = await runAudit([...args, '--source', 'cloudwatch'], { client });
  t.equal(a.code, 3, a.stderr);
  t.equal(b.code, 3, b.stderr);
  const found = a.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.same(found, [
    { service: 'syslog', device: 'rtr-osa-2', lastEventAt: '2026-03-03T05:00:02.000Z', silentForS: 111598, thresholdS: 21600 },
    { service: 'ntp', device: '10.0.0.2', lastEventAt: '2026-03-03T23:30:00.007Z', silentForS: 44999, thresholdS: 3600 },
  ]);
  t.equal(b.stdout, a.stdout, 'CloudWatch (GetLogEvents newest first) agrees with the file tails');
});

t.test('nothing silent: exit 0, and a readable report', async (t) => {
  const late = await runAudit(['silence', '--at', '2026-03-05T00:00:00Z', '--threshold', '2d', '--ntp-threshold', '2d', ...file]);
  t.equal(late.code, 0, late.stdout + late.stderr);
  t.match(late.stdout, /syslog: 3 device\(s\) checked, 0 silent/);
  t.match(late.stdout, /ntp: 2 device\(s\) checked, 0 silent/);
});

t.test('bad thresholds are usage errors', async (t) => {
  const r = await runAudit(['silence', '--threshold', 'soon', ...file]);
  t.equal(r.code, 2);
  t.match(r.stderr, /AUDIT_USAGE: --threshold 'soon' is not a duration/);
});
