// Large configs: the config/1 event stays under the size limit and the big fields are moved to
// config-part/1 events that reassemble exactly. And a sink that refuses: 503, nothing stored, no
// part of the refused upload in the log, and its number never given to another upload.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxEventBytes, toSinkEvents, type ConfigEvent } from '@netsidecar/config-upload';
import { jsonSlices } from '@netsidecar/contracts';
import { curl, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;

function bigConfig(seed: string, interfaces: number): string {
  const lines = ['version 17.9', 'hostname rtr-big-1', `enable secret 0 PlantBig${seed}`];
  for (let i = 0; i < interfaces; i++) {
    lines.push(
      `interface GigabitEthernet1/0/${i}`,
      ` description "${seed} port ${i} to rack ${i % 40}"`,
      ` switchport access vlan ${100 + (i % 50)}`,
      ' spanning-tree portfast',
      '!',
    );
  }
  lines.push('end', '');
  return lines.join('\n');
}

t.test('a 1 MB config: the event fits, the config comes back from its parts', async (t) => {
  const up = await startTestUpload(t);
  const put = (body: string) =>
    curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-big-1`], body);
  const first = bigConfig('a', 8000);
  t.ok(first.length > 900_000, `${first.length} bytes`);
  let r = await put(first);
  t.equal(r.status, 201);
  // Every interface description changes: the diff is about as big as the config.
  r = await put(bigConfig('b', 8000));
  t.match(r.json, { version: 2, changed: true });

  const raw = await readFile(join(up.dataDir, 'logs', 'netsidecar', 'config', 'rtr-big-1.jsonl'), 'utf8');
  const lines = raw.split('\n').filter(Boolean);
  for (const line of lines) t.ok(Buffer.byteLength(line) <= maxEventBytes, `an event of ${Buffer.byteLength(line)} bytes`);
  const events = lines.map((l) => JSON.parse(l) as Record<string, any>);
  const mains = events.filter((e) => e.schema === 'config/1');
  t.equal(mains.length, 2, 'one config/1 per upload');
  t.same(mains[0]!.detached, ['config']);
  t.equal(mains[0]!.config, null);
  t.same(mains[1]!.detached, ['config', 'diff']);
  for (const main of mains) {
    const parts = events.filter((e) => e.schema === 'config-part/1' && e.uploadId === main.uploadId);
    t.equal(parts.length, main.parts, 'parts counted in the event');
    const stored = await curl([
      `http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${up.service.port}/api/devices/rtr-big-1/versions/${main.version}`,
    ]);
    const config = parts
      .filter((p) => p.field === 'config')
      .sort((a, b) => a.part - b.part)
      .map((p) => p.data)
      .join('');
    t.equal(config, stored.body, `v${main.version}: the parts reassemble to the stored text`);
    t.equal(config.length, main.configBytes);
  }
  const diff = events
    .filter((e) => e.schema === 'config-part/1' && e.uploadId === mains[1]!.uploadId && e.field === 'diff')
    .map((p) => p.data)
    .join('');
  t.match(diff, /^--- rtr-big-1 v1\n\+\+\+ rtr-big-1 v2\n/);
  t.notOk(/Plant/.test(raw), 'the secret is redacted in every part');
});

t.test('toSinkEvents keeps small events whole and splits on code points', async (t) => {
  const event = {
    schema: 'config/1',
    receivedAt: '2026-11-22T23:00:00.000Z',
    uploadId: 'u1',
    device: 'rtr:1',
    config: '😀'.repeat(5000),
    driftDiff: null,
    diff: 'x',
    detached: [],
    parts: 0,
  } as unknown as ConfigEvent;
  const whole = toSinkEvents({ ...event, detached: [] }, '/netsidecar/config');
  t.equal(whole.length, 1);
  t.equal(whole[0]!.logStream, 'rtr_1', 'stream names are made safe');
  const split = toSinkEvents({ ...event, detached: [] }, '/netsidecar/config', 5000);
  const parts = split.slice(1).map((e) => JSON.parse(e.message) as { data: string; part: number; parts: number });
  t.ok(parts.length > 1);
  t.equal(parts.map((p) => p.data).join(''), event.config, 'no surrogate pair is cut');
  for (const e of split) t.ok(Buffer.byteLength(e.message) <= 5000);
});

t.test('slices stay within the budget whatever the escaping', async (t) => {
  const nasty = 'plain text, "quotes" and \\ backslashes\n\u0001\u0002 controls, é, 漢字, 😀 '.repeat(3000);
  for (const budget of [100, 1000, 50_000]) {
    const parts = jsonSlices(nasty, budget).map((s) => s.data);
    t.equal(parts.join(''), nasty, `budget ${budget}: reassembles`);
    t.ok(
      parts.every((p) => Buffer.byteLength(JSON.stringify(p)) - 2 <= budget),
      `budget ${budget}: every slice fits`,
    );
    t.ok(
      parts.every((p) => !/^[\udc00-\udfff]/.test(p)),
      `budget ${budget}: no slice starts inside a surrogate pair`,
    );
  }
});

t.test('a sink that refuses: 503, and the version is not kept', async (t) => {
  const up = await startTestUpload(t);
  await up.sink.close(Date.now() + 1000);
  const r = await curl([
    '--data-binary',
    'hostname rtr-refused-1\nend\n',
    '-H',
    'Content-Type: text/plain',
    `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-refused-1`,
  ]);
  t.equal(r.status, 503);
  t.equal(r.json?.error, 'sink_unavailable');
  t.same(await up.storedFiles(), ['rtr-refused-1/00000001.json'], 'no text stored without its event: only the number, withdrawn');
  t.match(JSON.parse(await readFile(join(up.dataDir, 'config-upload', 'store', 'rtr-refused-1', '00000001.json'), 'utf8')), {
    withdrawn: true,
    version: 1,
    reason: 'sink_refused',
  });
  const versions = await curl([`http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${up.service.port}/api/devices/rtr-refused-1/versions`]);
  t.equal(versions.status, 404, 'and no version to read');
});

t.test('a sink too full for a whole upload: none of its events reach the log, and its number is not reused', async (t) => {
  // The file sink holds at most 1 MiB: a 1.2 MB config's config/1 event and parts do not fit together.
  const up = await startTestUpload(t, { NETSIDECAR_SINK_MEMORY_LIMIT: '1MiB' });
  const put = (body: string) =>
    curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-big-1`], body);
  t.match((await put('hostname rtr-big-1\nend\n')).json, { version: 1 });
  const big = bigConfig('withdrawn-upload', 9_000);
  t.ok(big.length > 1024 * 1024, `${big.length} bytes`);
  const refused = await put(big);
  t.equal(refused.status, 503);
  t.equal(refused.json?.error, 'sink_unavailable');
  const withdrawn = up.logs.find((l) => l.msg === 'upload refused by the sink; version withdrawn');
  t.match(withdrawn, { device: 'rtr-big-1', version: 2, outcome: 'full' });
  const next = await put('hostname rtr-big-1\ninterface Gi0/1\nend\n');
  t.equal(next.status, 201);
  t.match(next.json, { version: 3 }, "the refused upload's number 2 is not given out again");

  const events = await up.events('rtr-big-1');
  t.same(
    events.filter((e) => e.uploadId === withdrawn?.uploadId),
    [],
    'no event of the refused upload, not its config/1, not one of its parts',
  );
  t.same(
    events.map((e) => [e.schema, e.version]),
    [
      ['config/1', 1],
      ['config/1', 3],
    ],
  );
  t.match(events[1], { previousVersion: 1 }, 'the diff is against the last version kept');
  const history = await curl([`http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${up.service.port}/api/devices/rtr-big-1/versions`]);
  t.same(
    (history.json as unknown as { version: number }[]).map((v) => v.version),
    [1, 3],
    'the withdrawn version is not in the history',
  );
  t.notOk((await up.everythingWritten()).includes('withdrawn-upload port'), 'nothing of the refused config in the log or the store');
});
