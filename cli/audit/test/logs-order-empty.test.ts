import { join } from 'node:path';
import t from 'tap';
import { syslogEvent, type Seed } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { seededSources } from './support/seeded.js';

// Exports across streams come in time order from every source; an empty range says so; a Logs
// Insights failure is one line with its code.

// Three devices whose events interleave: each file is in time order, the export must be too.
const base = Date.parse('2026-03-08T00:00:00.000Z');
const seeds: Seed[] = [];
for (let i = 0; i < 300; i++) {
  seeds.push(syslogEvent(['rtr-c', 'rtr-a', 'rtr-b'][i % 3]!, base + Math.floor(i / 2) * 1000 + (i % 2) * 7, `event ${i}`));
}
seeds.sort((a, b) => a.timestamp - b.timestamp);
const { dir, data, fake, client } = await seededSources(t, 'order', seeds);

const args = ['logs', '--service', 'syslog', '--from', '2026-03-08', '--to', '2026-03-09'];
const expected = [...seeds]
  .sort((a, b) => a.timestamp - b.timestamp || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0))
  .map((s) => s.message + '\n')
  .join('');

t.test('all devices: one time order across streams, from the files, FilterLogEvents and Logs Insights', async (t) => {
  const file = await runAudit([...args, '--data-dir', data]);
  const filter = await runAudit([...args, '--source', 'cloudwatch'], { client });
  const insights = await runAudit([...args, '--source', 'cloudwatch', '--insights'], { client });
  for (const [name, r] of [
    ['file', file],
    ['FilterLogEvents', filter],
    ['insights', insights],
  ] as const) {
    t.equal(r.code, 0, `${name}: ${r.stderr}`);
    t.equal(r.stdout, expected, `${name}: time, then stream name`);
  }
  t.match(fake.queries().at(-1)!.queryString, '| sort @timestamp asc', 'Logs Insights is asked for one interleaved order');
});

t.test('an empty range: nothing on stdout, one line on stderr saying so, exit 0', async (t) => {
  const empty = ['logs', '--service', 'syslog', '--from', '2026-03-09T00:00:00Z', '--to', '2026-03-09T06:00:00Z'];
  const want = 'no events: /netsidecar/syslog, all streams, from 2026-03-09T00:00:00.000Z to 2026-03-09T06:00:00.000Z (to excluded)\n';
  const file = await runAudit([...empty, '--data-dir', data]);
  const cloud = await runAudit([...empty, '--source', 'cloudwatch'], { client });
  const insights = await runAudit([...empty, '--source', 'cloudwatch', '--insights'], { client });
  for (const r of [file, cloud, insights]) {
    t.equal(r.code, 0);
    t.equal(r.stdout, '');
    t.equal(r.stderr, want);
  }
  const device = await runAudit([...empty, '--device', 'rtr-b', '--format', 'csv', '--data-dir', data]);
  t.match(device.stdout, /^receivedAt,stream,/, 'the CSV header is still written');
  t.equal(device.stderr, want.replace('all streams', 'stream rtr-b'));
  const out = join(dir, 'empty.jsonl');
  const toFile = await runAudit([...empty, '--out', out, '--data-dir', data]);
  t.equal(toFile.stderr, want, 'not followed by "0 events"');
});

t.test('a Logs Insights failure is one line with a code, exit 1', async (t) => {
  const insights = [...args, '--source', 'cloudwatch', '--insights'];
  fake.fault('StartQuery', { kind: 'error', type: 'MalformedQueryException', status: 400 });
  const malformed = await runAudit(insights, { client });
  t.equal(malformed.code, 1);
  t.match(
    malformed.stderr,
    /^netsidecar-audit: AUDIT_INSIGHTS_FAILED: Logs Insights on \/netsidecar\/syslog: StartQuery failed: MalformedQueryException: [^\n]*\n$/,
  );
  fake.scriptQueries({ outcome: 'Timeout' });
  const timedOut = await runAudit(insights, { client });
  t.equal(timedOut.code, 1);
  t.match(timedOut.stderr, /^netsidecar-audit: AUDIT_INSIGHTS_FAILED: Logs Insights query \S+ on \/netsidecar\/syslog ended Timeout\n$/);
  fake.fault('GetQueryResults', { kind: 'error', type: 'AccessDeniedException', status: 400 });
  const denied = await runAudit(insights, { client });
  t.equal(denied.code, 1);
  t.match(
    denied.stderr,
    /^netsidecar-audit: AUDIT_INSIGHTS_FAILED: Logs Insights on \/netsidecar\/syslog: GetQueryResults failed: AccessDeniedException[^\n]*\n$/,
  );
  t.equal(malformed.stdout + timedOut.stdout + denied.stdout, '', 'nothing exported');
});
