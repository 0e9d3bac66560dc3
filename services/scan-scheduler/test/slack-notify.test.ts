// Slack against a webhook receiver on port 0: the same findings twice notify once; a fix notifies
// resolved once; an expired ignore notifies again; 429/500 are retried without duplicating; teams
// map to their own webhook, others to the default; the webhook URL never reaches an event.
import t from 'tap';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { MemoryStateStore, scanImage, scanRequestSchema, SlackClient, type ScanRequest, type SlackWebhooks } from '../src/index.js';
import { deps, digestOf, Scenario, tempDir, TestClock, trivyRunner, type FakeVuln } from './support/harness.js';
import { SlackReceiver } from './support/slack-receiver.js';

const repo = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api';
const critical: FakeVuln = {
  VulnerabilityID: 'CVE-2024-45491',
  PkgName: 'libexpat1',
  InstalledVersion: '2.5.0-1',
  FixedVersion: '2.5.0-1+deb12u1',
  Severity: 'CRITICAL',
};
const high: FakeVuln = { VulnerabilityID: 'CVE-2024-2511', PkgName: 'libssl3', InstalledVersion: '3.0.11-1', FixedVersion: '3.0.13-1', Severity: 'HIGH' };
const medium: FakeVuln = { VulnerabilityID: 'CVE-2024-0727', PkgName: 'libssl3', InstalledVersion: '3.0.11-1', Severity: 'MEDIUM' };

async function setup(t: { teardown(fn: () => unknown): void }, owner: string | null = 'payments') {
  const dir = await tempDir(t);
  const receiver = await new SlackReceiver().start();
  t.teardown(() => receiver.close());
  const webhooks: SlackWebhooks = { default: `${receiver.url}/services/T000/B000/default`, teams: { payments: `${receiver.url}/services/T000/B000/payments` } };
  const scenario = new Scenario(join(dir, 'scenario.json'));
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const digest = digestOf(`image-${owner}`);
  await store.recordSighting({
    digest,
    repository: repo,
    references: [`${repo}:1`],
    locations: [{ platform: 'ecs', cluster: 'prod', workload: 'service:payments-api', namespace: null }],
    owner,
    seenAt: clock.now().toISOString(),
  });
  const sleeps: number[] = [];
  const slack = new SlackClient({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  const d = deps({ store, clock, webhooks, slack });
  const ignoreFile = join(dir, '.trivyignore.yaml');
  const request: ScanRequest = { schema: scanRequestSchema, digest, imageRef: `${repo}@${digest}`, owner, reason: 'stale', planId: 'p', plannedAt: '' };
  const state = { ignoreFile: null as string | null };
  const scan = () => scanImage(request, 1, { ...d, store, trivy: trivyRunner(dir, scenario), now: clock.now, ignoreFile: state.ignoreFile });
  return { receiver, scenario, store, clock, digest, d, scan, sleeps, ignoreFile, state };
}

t.test('the same findings twice notify once, grouped per image, severities filtered', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'ok', [critical, high, medium]);
  t.equal(await s.scan(), 'ok');
  t.equal(await s.scan(), 'ok');
  t.equal(s.receiver.delivered.length, 1, 'one message');
  const message = s.receiver.delivered[0]!;
  t.equal(message.path, '/services/T000/B000/payments', "the team's webhook");
  t.match(message.body.text, /CRITICAL CVE-2024-45491 in libexpat1 2\.5\.0-1 \(fixed in 2\.5\.0-1\+deb12u1\)/);
  t.match(message.body.text, /HIGH CVE-2024-2511/);
  t.notMatch(message.body.text, /CVE-2024-0727/, 'MEDIUM is not notified');
  const findings = await s.store.listFindings(s.digest);
  t.same(
    findings
      .filter((f) => f.status === 'notified')
      .map((f) => f.vulnerabilityId)
      .sort(),
    ['CVE-2024-2511', 'CVE-2024-45491'],
  );
  t.equal(findings.find((f) => f.vulnerabilityId === 'CVE-2024-0727')?.status, 'new');
  const sent = s.d.sink.ofType('notification_sent');
  t.equal(sent.length, 1);
  t.match(sent[0], { team: 'payments', kind: 'new', findings: 2, attempts: 1 });
  t.notOk(JSON.stringify(s.d.sink.parsed()).includes('/services/T000'), 'no webhook URL in any event');
});

t.test('a fix notifies resolved, once', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'ok', [critical, high]);
  await s.scan();
  await s.scenario.set(s.digest, 'ok', [high]);
  await s.scan();
  await s.scan();
  t.equal(s.receiver.delivered.length, 2);
  t.match(s.receiver.delivered[1]!.body.text, /1 resolved:\n• CRITICAL CVE-2024-45491 in libexpat1 \(fixed\)/);
  t.notMatch(s.receiver.delivered[1]!.body.text, /new finding/);
});

t.test('an ignored finding is not notified; when the ignore expires it is notified again', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'ok', [critical]);
  await s.scan();
  t.equal(s.receiver.delivered.length, 1);
  await writeFile(s.ignoreFile, 'vulnerabilities:\n  - id: CVE-2024-45491\n    expired_at: 2026-11-25\n    statement: not reachable (RISK-42)\n');
  s.state.ignoreFile = s.ignoreFile;
  s.clock.advance(24 * 3_600_000); // 2026-11-24
  await s.scan();
  let finding = (await s.store.listFindings(s.digest))[0]!;
  t.equal(finding.status, 'ignored');
  t.equal(finding.ignoreStatement, 'not reachable (RISK-42)');
  t.match(s.d.sink.ofType('finding_ignored')[0], { vulnerabilityId: 'CVE-2024-45491', ignoreExpiresAt: '2026-11-25T00:00:00.000Z' });
  t.equal(s.receiver.delivered.length, 1, 'nothing sent for an ignore');
  s.clock.advance(24 * 3_600_000); // 2026-11-25: expired
  await s.scan();
  finding = (await s.store.listFindings(s.digest))[0]!;
  t.equal(finding.status, 'notified');
  t.equal(s.receiver.delivered.length, 2, 'notified again');
  t.match(s.receiver.delivered[1]!.body.text, /CVE-2024-45491/);
  t.match(s.d.sink.ofType('finding_new')[1], { reopened: true });
  t.same(
    finding.history.map((h) => h.status),
    ['new', 'notified', 'ignored', 'new', 'notified'],
  );
  await s.scan();
  t.equal(s.receiver.delivered.length, 2, 'and not a third time');
});

t.test('Slack 429 then 500 is retried: one message delivered, state marked once', async (t) => {
  const s = await setup(t);
  s.receiver.script.push({ status: 429, headers: { 'retry-after': '3' }, body: 'rate_limited' }, { status: 500 });
  await s.scenario.set(s.digest, 'ok', [critical]);
  t.equal(await s.scan(), 'ok');
  t.equal(s.receiver.requests.length, 3, 'three requests');
  t.equal(s.receiver.delivered.length, 1, 'one delivered');
  t.same(s.sleeps, [3000, 1000], 'Retry-After honoured, then full jitter (0.5 x 2 s)');
  t.match(s.d.sink.ofType('notification_sent')[0], { attempts: 3 });
  await s.scan();
  t.equal(s.receiver.delivered.length, 1);
});

t.test('Slack down through every retry: the message is retried later, and the finding then notified once', async (t) => {
  const s = await setup(t);
  for (let i = 0; i < 5; i++) s.receiver.script.push({ status: 503 });
  await s.scenario.set(s.digest, 'ok', [critical]);
  t.equal(await s.scan(), 'retry', 'the SQS message is left for a retry');
  t.equal(s.receiver.delivered.length, 0);
  t.match(s.d.sink.ofType('error')[0], { code: 'slack_failed', stage: 'notify', retried: true });
  t.notOk(JSON.stringify(s.d.sink.ofType('error')).includes('/services/'), 'no webhook URL in the error');
  t.equal((await s.store.listFindings(s.digest))[0]!.status, 'new', 'still pending');
  t.equal(await s.scan(), 'ok');
  t.equal(s.receiver.delivered.length, 1);
  t.equal(s.d.sink.ofType('finding_new').length, 1, 'the retry did not re-announce the finding');
});

t.test('a 400 is final (not retried)', async (t) => {
  const s = await setup(t);
  s.receiver.script.push({ status: 400, body: 'invalid_payload' });
  await s.scenario.set(s.digest, 'ok', [critical]);
  t.equal(await s.scan(), 'retry');
  t.equal(s.receiver.requests.length, 1);
});

t.test('a team without a webhook uses the default', async (t) => {
  const s = await setup(t, 'web');
  await s.scenario.set(s.digest, 'ok', [high]);
  await s.scan();
  t.equal(s.receiver.delivered[0]?.path, '/services/T000/B000/default');
});
