// Stale backups: a router whose archive job broke stops uploading, and the service says so. The real
// service on a fake clock (days of checks in milliseconds), uploads with curl, the devices list over
// HTTP, the gauge the deploy alarm reads, and the warning naming the device and its last upload.
import t from 'tap';
import { Clock } from '@tapjs/clock';
import { eventually } from '@netsidecar/test-support';
import { curl, startTestUpload, users } from './support/harness.js';

const hour = 3_600_000;
const base = Date.parse('2026-11-22T00:00:00.000Z');
const router = `${users.router.name}:${users.router.password}`;
const lab = `${users.lab.name}:${users.lab.password}`;
const auditor = `${users.auditor.name}:${users.auditor.password}`;
const secret = 'Stale-Test-Secret-77';

t.test('a device that stops uploading is stale after its interval: gauge, one warning, the devices list', async (t) => {
  const clock = new Clock();
  const now = () => base + clock.now();
  const up = await startTestUpload(
    t,
    { NETSIDECAR_UPLOAD_STALE_AFTER: '25h', NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE: 'fw-*=49h,lab-*=off', NETSIDECAR_UPLOAD_STALE_CHECK_INTERVAL: '10m' },
    { now, timers: clock },
  );
  const checks = () => up.logs.filter((l) => l['msg'] === 'stale backup check').length;
  /** Moves the fake clock and waits (real time, bounded) for the check that fires. */
  const tick = async (ms: number) => {
    const before = checks();
    clock.advance(ms);
    await eventually(() => checks() > before, { timeoutMs: 5_000, what: 'a stale backup check' });
  };
  const gaugeValue = async () => (await up.registry.getSingleMetric('netsidecar_config_stale_devices')!.get()).values[0]?.value;
  const warnings = () => up.logs.filter((l) => l['msg'] === 'config backup stale: no upload within the expected interval');
  const put = async (principal: string, device: string) => {
    const r = await curl(
      ['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${principal}@127.0.0.1:${up.service.port}/configs/${device}`],
      `hostname ${device}\nenable secret 0 ${secret}\nend\n`,
    );
    t.equal(r.status, 201, `${device} uploaded`);
  };
  const devices = async () => {
    const r = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices`]);
    return Object.fromEntries(
      (JSON.parse(r.body) as { device: string; stale: boolean; staleAfterSeconds: number | null; lastUploadAt: string }[]).map((d) => [d.device, d]),
    );
  };

  await tick(1); // the first check, at start: no device yet
  t.equal(await gaugeValue(), 0);
  await put(router, 'rtr-a');
  await put(router, 'fw-b');
  await put(lab, 'lab-c');
  const t0 = new Date(now()).toISOString();

  await tick(24 * hour);
  t.equal(await gaugeValue(), 0, '24 h: nothing stale');
  t.same(warnings(), []);
  t.match(await devices(), {
    'rtr-a': { stale: false, staleAfterSeconds: 25 * 3600, lastUploadAt: t0 },
    'fw-b': { stale: false, staleAfterSeconds: 49 * 3600 },
    'lab-c': { stale: false, staleAfterSeconds: null },
  });

  await tick(hour + 60_000);
  t.equal(await gaugeValue(), 1, '25 h 1 min: rtr-a is stale');
  t.match(warnings(), [{ level: 'warn', device: 'rtr-a', lastUploadAt: t0, hoursSinceUpload: 25, expectedEveryHours: 25 }]);
  t.same(
    Object.keys(warnings()[0]!).sort(),
    ['device', 'expectedEveryHours', 'hoursSinceUpload', 'lastUploadAt', 'level', 'msg', 'time'],
    'names and times only',
  );
  t.match(await devices(), { 'rtr-a': { stale: true }, 'fw-b': { stale: false }, 'lab-c': { stale: false } });

  await tick(10 * 60_000);
  t.equal(warnings().length, 1, 'one warning per newly stale device, not one per check');
  t.equal(await gaugeValue(), 1);

  await tick(24 * hour);
  t.equal(await gaugeValue(), 2, '49 h 11 min: fw-b too; lab-c is off');
  t.same(
    warnings().map((w) => w['device']),
    ['rtr-a', 'fw-b'],
  );
  t.match(await devices(), { 'rtr-a': { stale: true }, 'fw-b': { stale: true }, 'lab-c': { stale: false } });

  await put(router, 'rtr-a'); // the archive job works again
  t.match(await devices(), { 'rtr-a': { stale: false } }, 'the list follows at once');
  await tick(10 * 60_000);
  t.equal(await gaugeValue(), 1, 'rtr-a fresh again');
  t.match(
    up.logs.filter((l) => l['msg'] === 'config backup fresh again'),
    [{ device: 'rtr-a' }],
  );
  const metrics = await up.registry.metrics();
  t.match(metrics, /^netsidecar_config_stale_devices\{service="config"\} 1$/m, 'on /metrics (and EMF) with the service dimension only');
  t.notOk(up.logText().includes(secret), 'no secret in the log');
});

t.test('a check that cannot read the store is logged and leaves the gauge; the service goes on', async (t) => {
  const clock = new Clock();
  const now = () => base + clock.now();
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_STALE_AFTER: '1h', NETSIDECAR_UPLOAD_STALE_CHECK_INTERVAL: '10m' }, { now, timers: clock });
  const r = await curl(
    ['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-x`],
    'hostname rtr-x\nend\n',
  );
  t.equal(r.status, 201);
  clock.advance(2 * hour);
  await eventually(async () => (await up.registry.getSingleMetric('netsidecar_config_stale_devices')!.get()).values[0]?.value === 1, {
    timeoutMs: 5_000,
    what: 'rtr-x stale',
  });
  const store = up.service.store;
  const original = store.lastUploads.bind(store);
  store.lastUploads = () => Promise.reject(Object.assign(new Error('S3 unreachable'), { code: 'ECONNREFUSED' }));
  clock.advance(10 * 60_000);
  await eventually(() => up.logs.some((l) => l['msg'] === 'stale backup check failed; the next one runs as planned'), {
    timeoutMs: 5_000,
    what: 'the failed check',
  });
  t.equal((await up.registry.getSingleMetric('netsidecar_config_stale_devices')!.get()).values[0]?.value, 1, 'the gauge keeps the last known count');
  store.lastUploads = original;
  clock.advance(10 * 60_000);
  await eventually(() => up.logs.filter((l) => l['msg'] === 'stale backup check').length >= 2, { timeoutMs: 5_000, what: 'the next check' });
  t.equal(up.logs.filter((l) => l['msg'] === 'config backup stale: no upload within the expected interval').length, 1, 'still stale, not warned twice');
});

t.test('NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE: a bad entry stops the service with one line naming the variable', async (t) => {
  for (const [value, problem] of [
    ['fw-*', /expected glob=duration pairs/],
    ['fw-*=2d', /fw-\*: expected a duration with a unit.* \(or off\)/],
    ['fw-*=10s', /fw-\*: expected a duration from 60000ms/],
  ] as const) {
    const err = await startTestUpload(t, { NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE: value }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    t.equal(err?.code, 'NETSIDECAR_ERR_CONFIG', value);
    t.match(err?.message, /^NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE: /);
    t.match(err?.message, problem);
  }
});
