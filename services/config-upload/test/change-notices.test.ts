// Change notices through the real service: a real local HTTP server as the Slack webhook, a
// wire-level SNS server (AWS Query protocol, SigV4), uploads with curl. Each real change is posted
// once to each destination, with who/when and the redacted diff; failures are retried with backoff
// on a fake clock and never hold an upload; the outbox carries a notice across a restart; the leak
// corpus proves that no secret reaches a notice.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { Clock } from '@tapjs/clock';
import { eventually } from '@netsidecar/test-support/eventually';
import { startFakeSns, type FakeSns } from '@netsidecar/test-support/sns';
import { startTestUpload, type TestUpload } from './support/harness.js';
import { outboxRecords, put, startWebhook, webhookFile, webhookSecret } from './support/notify.js';
import { corpusDir, loadManifest, readCorpusFile, secondVersion } from './support/corpus.js';
import { findCores } from './support/leak-search.js';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:netsidecar-alarms';
type Teardown = { teardown(fn: () => unknown): void };

async function startSns(t: Teardown): Promise<{ fake: FakeSns; client: SNSClient }> {
  const fake = await startFakeSns({ topics: [topicArn] });
  const client = new SNSClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  t.teardown(async () => {
    client.destroy();
    await fake.close();
  });
  return { fake, client };
}

const config = (stamp: string, secret: string, extra = '') =>
  [
    '! Last configuration change at ' + stamp + ' UTC Sun Nov 22 2026 by admin',
    'hostname rtr-n-1',
    `enable secret 0 ${secret}`,
    'interface Gi0/1',
    ' description uplink',
    extra,
    'end',
    '',
  ].join('\n');
const counts = async (up: TestUpload) =>
  Object.fromEntries(
    (await up.registry.getSingleMetric('netsidecar_config_notices_total')!.get()).values.map((v) => [
      `${String(v.labels.destination)} ${String(v.labels.outcome)}`,
      v.value,
    ]),
  );

t.test('a real change is posted once to Slack and SNS with who, when and the redacted diff; version 1 and volatile-only uploads are not', async (t) => {
  const hook = await startWebhook(t);
  const sns = await startSns(t);
  const up = await startTestUpload(
    t,
    {
      NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: await webhookFile(t, hook.url),
      NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN: topicArn,
      NETSIDECAR_UPLOAD_NOTIFY_SNS_DEVICES: 'rtr-*,fw-*',
    },
    { notify: { sns: sns.client } },
  );
  await put(up, 'rtr-n-1', config('10:00:00', 'FirstSecret-111'));
  await put(up, 'rtr-n-1', config('11:00:00', 'FirstSecret-111')); // only the stamp moved
  const changed = await put(up, 'rtr-n-1', config('12:00:00', 'SecondSecret-222', ' shutdown'));
  t.match(changed, { version: 3, changed: true });
  await put(up, 'sw-n-2', 'hostname sw-n-2\nend\n');
  await put(up, 'sw-n-2', 'hostname sw-n-2\nvlan 10\nend\n'); // Slack only: sw-* is not an SNS device

  await eventually(() => hook.bodies.length === 2 && sns.fake.published.length === 1, { timeoutMs: 10_000, what: 'two Slack posts and one SNS publish' });
  const slack = JSON.parse(hook.bodies[0]!) as { text: string; blocks: { text: { text: string } }[] };
  t.equal(slack.text, 'Config change: rtr-n-1 v2 -&gt; v3 (cisco-ios), +2 -1 lines');
  t.match(slack.blocks[0]!.text.text, /changed by admin at 2026-11-22T12:00:00\.000Z\nuploaded \S+ by rtr-upload from 127\.0\.0\.1/);
  const diff = slack.blocks[1]!.text.text;
  t.match(diff, /^```--- rtr-n-1 v2\n\+\+\+ rtr-n-1 v3\n/);
  t.match(
    diff,
    /\n-enable secret 0 &lt;redacted:[0-9a-f]{8}&gt;\n\+enable secret 0 &lt;redacted:[0-9a-f]{8}&gt;\n/,
    'the rotated secret as two tags, escaped for mrkdwn',
  );
  t.match(diff, /\n\+ shutdown\n/);
  t.match(JSON.parse(hook.bodies[1]!), { text: 'Config change: sw-n-2 v1 -&gt; v2 (cisco-ios), +1 -0 lines' });

  const [published] = sns.fake.published;
  t.match(published, { topicArn, subject: 'netsidecar config change: rtr-n-1 v2 -> v3 (cisco-ios), +2 -1 lines', signedFor: 'sns' });
  t.match(published!.message, /^Config change: rtr-n-1 v2 -> v3 \(cisco-ios\), \+2 -1 lines\nchanged by admin at 2026-11-22T12:00:00\.000Z\n/);
  t.match(published!.message, /\n-enable secret 0 <redacted:[0-9a-f]{8}>\n\+enable secret 0 <redacted:[0-9a-f]{8}>\n/);

  const everything = hook.bodies.join('\n') + sns.fake.published.map((p) => p.message).join('\n') + up.logText();
  for (const secret of ['FirstSecret-111', 'SecondSecret-222', webhookSecret]) t.notOk(everything.includes(secret), `${secret} in no notice and no log line`);
  await eventually(async () => (await outboxRecords(up.dataDir)).length === 0, { timeoutMs: 5_000, what: 'the outbox empty once all is posted' });
  t.same(await counts(up), { 'slack sent': 2, 'sns sent': 1 });
});

t.test('failures: retried with backoff on a fake clock, never holding the upload; a final answer is not retried', async (t) => {
  const hook = await startWebhook(t, [503, 503, 404]);
  const sns = await startSns(t);
  sns.fake.failNext(1, { status: 500, code: 'InternalError' });
  const clock = new Clock();
  const up = await startTestUpload(
    t,
    { NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: await webhookFile(t, hook.url), NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN: topicArn },
    { notify: { sns: sns.client, random: () => 0 }, timers: clock },
  );
  await put(up, 'rtr-r-1', 'hostname rtr-r-1\nend\n');
  const answered = await put(up, 'rtr-r-1', 'hostname rtr-r-1\nlogging host 10.0.0.1\nend\n');
  t.match(answered, { version: 2 }, '201 while Slack answers 503 and SNS 500');
  // A try's failure is counted `retried` in the same tick as its retry timer is set: wait for the
  // count before moving the fake clock, or the clock could move before the timer exists.
  const retried = async (slackTries: number, snsTries: number) => {
    const c = await counts(up);
    return (c['slack retried'] ?? 0) === slackTries && (c['sns retried'] ?? 0) === snsTries;
  };
  await eventually(() => hook.statuses.length === 1 && sns.fake.calls.length === 1, { timeoutMs: 10_000, what: 'the first tries' });
  await eventually(() => retried(1, 1), { timeoutMs: 10_000, what: 'both retries scheduled' });
  t.same((await outboxRecords(up.dataDir)).length, 1, 'kept in the outbox meanwhile');

  // A retry starts only from its timer: both wait on the fake clock for half of 1 s (random 0).
  const retryAt = clock.now() + 500;
  const waiting = () => clock.timers.get(retryAt)?.length ?? 0;
  t.equal(waiting(), 2, 'the Slack and SNS retries wait 500 ms on the clock');
  clock.advance(499);
  t.equal(waiting(), 2, 'no retry before the backoff: both timers still wait at 499 ms');
  t.equal(hook.statuses.length, 1);
  clock.advance(1);
  t.equal(waiting(), 0, 'both fire at 500 ms');
  await eventually(() => hook.statuses.length === 2 && sns.fake.published.length === 1, { timeoutMs: 10_000, what: 'the second tries' });
  await eventually(() => retried(2, 1), { timeoutMs: 10_000, what: 'the third Slack try scheduled' });
  clock.advance(1_000); // then 1 s (half of 2 s)
  await eventually(() => hook.statuses.length === 3, { timeoutMs: 10_000, what: 'the third Slack try' });
  t.same(hook.statuses, [503, 503, 404]);
  // The next upload's notice goes out at once: the 404 was final.
  await put(up, 'rtr-r-1', 'hostname rtr-r-1\nlogging host 10.0.0.2\nend\n');
  await eventually(() => hook.bodies.length === 1 && sns.fake.published.length === 2, { timeoutMs: 10_000, what: 'version 3 posted' });
  t.match(JSON.parse(hook.bodies[0]!), { text: /v2 -&gt; v3/ });
  const expected = { 'slack retried': 2, 'slack failed': 1, 'slack sent': 1, 'sns retried': 1, 'sns sent': 2 };
  const sorted = (c: Record<string, number>) => JSON.stringify(Object.entries(c).sort());
  await eventually(async () => sorted(await counts(up)) === sorted(expected), { timeoutMs: 5_000, what: 'the counts' }).catch(() => {});
  t.same(await counts(up), expected);
  t.match(
    up.logs.filter((l) => l['msg'] === 'change notice failed: the destination refused it'),
    [{ destination: 'slack', device: 'rtr-r-1', version: 2, reason: 'Slack webhook answered HTTP 404 no_service' }],
  );
  t.notOk(up.logText().includes(webhookSecret), 'the webhook URL in no log line');
  t.notOk(up.logText().includes(hook.url.split('/services/')[0]!), 'nor its host and port');
});

t.test('the outbox: a notice accepted before a restart is posted by the next start, once', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-outbox-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const down = await startWebhook(t, Array<number>(100).fill(503));
  const clock = new Clock();
  const first = await startTestUpload(
    t,
    { NETSIDECAR_DATA_DIR: dataDir, NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: await webhookFile(t, down.url) },
    { timers: clock },
  );
  await put(first, 'rtr-o-1', 'hostname rtr-o-1\nend\n');
  await put(first, 'rtr-o-1', 'hostname rtr-o-1\nntp server 10.0.0.9\nend\n');
  await eventually(() => down.statuses.length === 1, { timeoutMs: 10_000, what: 'the failed first try' });
  await first.service.stop();
  const left = await outboxRecords(dataDir);
  t.equal(left.length, 1, 'one notice left in the outbox');

  const hook = await startWebhook(t);
  const second = await startTestUpload(t, { NETSIDECAR_DATA_DIR: dataDir, NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: await webhookFile(t, hook.url) });
  await eventually(() => hook.bodies.length === 1, { timeoutMs: 10_000, what: 'the notice posted after the restart' });
  t.match(JSON.parse(hook.bodies[0]!), { text: 'Config change: rtr-o-1 v1 -&gt; v2 (cisco-ios), +1 -0 lines' });
  await eventually(async () => (await outboxRecords(dataDir)).length === 0, { timeoutMs: 5_000, what: 'the outbox emptied' });
  t.match(
    second.logs.find((l) => l['msg'] === 'change notices from the outbox resume'),
    { notices: 1 },
  );
  // Stopped (drained): nothing can be posted after this, so the count is final.
  await second.service.stop();
  t.equal(hook.bodies.length, 1, 'posted once');
});

t.test('a long diff is cut at a line boundary, with how many lines were left out', async (t) => {
  const hook = await startWebhook(t);
  const up = await startTestUpload(t, {
    NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: await webhookFile(t, hook.url),
    NETSIDECAR_UPLOAD_NOTIFY_DIFF_LIMIT: '500',
  });
  await put(up, 'rtr-l-1', 'hostname rtr-l-1\nend\n');
  const many = Array.from({ length: 200 }, (_, i) => `ip route 10.${i}.0.0 255.255.0.0 192.0.2.1`).join('\n');
  await put(up, 'rtr-l-1', `hostname rtr-l-1\n${many}\nend\n`);
  await eventually(() => hook.bodies.length === 1, { timeoutMs: 10_000, what: 'the notice' });
  const slack = JSON.parse(hook.bodies[0]!) as { blocks: { text: { text: string } }[] };
  const diff = slack.blocks[1]!.text.text;
  t.ok(diff.length <= 500 + 6, `the diff within the limit (${diff.length})`);
  t.match(diff, /\n```$/, 'whole lines only');
  t.match(slack.blocks[0]!.text.text, /diff cut: \d+ more lines \(GET \/api\/devices\/rtr-l-1\/diff\?from=1&amp;to=2\)/);
});

t.test('a bad webhook file stops the service with one line that does not repeat its content', async (t) => {
  const file = await webhookFile(t, 'not a url WebhookSecretPart42');
  const err = await startTestUpload(t, { NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: file }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  t.equal(err?.message, `NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: ${file}: does not hold an http(s) URL`);
});

t.test('the leak corpus: no secret of any configuration reaches a Slack post or an SNS message', async (t) => {
  const manifest = await loadManifest();
  const hook = await startWebhook(t);
  const sns = await startSns(t);
  const up = await startTestUpload(
    t,
    {
      NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: await webhookFile(t, hook.url),
      NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN: topicArn,
      NETSIDECAR_UPLOAD_NOTIFY_DIFF_LIMIT: '100000',
    },
    { notify: { sns: sns.client } },
  );
  let changes = 0;
  for (const entry of manifest.files) {
    const text = await readCorpusFile(entry.file);
    const device = `rtr-leak-${changes + 1}`;
    await put(up, device, text);
    // Every secret rotated (a changed line holding a tag on both sides) and one address changed.
    const second = await put(up, device, secondVersion(text, entry));
    if (second['changed'] === true) changes++;
  }
  t.equal(changes, manifest.files.length, `${changes} changes`);
  await eventually(() => hook.bodies.length === changes && sns.fake.published.length === changes, {
    timeoutMs: 60_000,
    what: `${changes} notices on each destination`,
  });
  const rotated = hook.bodies.filter((b) => /&lt;redacted:[0-9a-f]{8}&gt;/.test(b)).length;
  t.ok(rotated >= changes - 2, `the diffs do carry the rotated secrets, as tags (${rotated} of ${changes})`);
  const findings = findCores([
    ...hook.bodies.map((data, i) => ({ where: `slack ${i}`, data })),
    ...sns.fake.published.map((p, i) => ({ where: `sns ${i}`, data: `${p.subject ?? ''}\n${p.message}` })),
    { where: 'log', data: up.logText() },
  ]);
  t.same(findings, [], 'no marker core in any notice or log line');
  t.ok(corpusDir.length > 0);
});
