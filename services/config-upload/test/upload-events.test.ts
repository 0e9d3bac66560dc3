// Large configs: the config/1 event stays under the size limit and the big fields are moved to
// config-part/1 events that reassemble exactly. And a sink that refuses: 503, nothing stored.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxEventBytes, slices, toSinkEvents, type ConfigEvent } from '@netsidecar/config-upload';
import { curl, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;

function bigConfig(seed: string, interfaces: number): string {
  const lines = ['version 17.9', 'hostname rtr-big-1', `enable secret 0 PlantBig${seed}`];
  for (let i = 0; i < interfaces; i++) {
    lines.push(`interface GigabitEthernet1/0/${i}`, ` description "${seed} port ${i} to rack ${i % 40}"`, ` switchport access vlan ${100 + (i % 50)}`, ' spanning-tree portfast', '!');
  }
  lines.push('end', '');
  return lines.join('\n');
}

t.test('a 1 MB config: the event fits, the config comes back from its parts', async (t) => {
  const up = await startTestUpload(t);
  const put = (body: string) => curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-big-1`], body);
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
    const stored = await curl([`http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${up.service.port}/api/devices/rtr-big-1/versions/${main.version}`]);
    const config = parts.filter((p) => p.field === 'config').sort((a, b) => a.part - b.part).map((p) => p.data).join('');
    t.equal(config, stored.body, `v${main.version}: the parts reassemble to the stored text`);
    t.equal(config.length, main.configBytes);
  }
  const diff = events.filter((e) => e.schema === 'config-part/1' && e.uploadId === mains[1]!.uploadId && e.field === 'diff').map((p) => p.data).join('');
  t.match(diff, /^--- rtr-big-1 v1\n\+\+\+ rtr-big-1 v2\n/);
  t.notOk(/Plant/.test(raw), 'the secret is redacted in every part');
});

t.test('toSinkEvents keeps small events whole and splits on code points', async (t) => {
  const event = { schema: 'config/1', receivedAt: '2026-11-22T23:00:00.000Z', uploadId: 'u1', device: 'rtr:1', config: '😀'.repeat(5000), driftDiff: null, diff: 'x', detached: [], parts: 0 } as unknown as ConfigEvent;
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
  const nasty = ('plain text, "quotes" and \\ backslashes\n\u0001\u0002 controls, é, 漢字, 😀 ').repeat(3000);
  for (const budget of [100, 1000, 50_000]) {
    const parts = slices(nasty, budget);
    t.equal(parts.join(''), nasty, `budget ${budget}: reassembles`);
    t.ok(parts.every((p) => Buffer.byteLength(JSON.stringify(p)) - 2 <= budget), `budget ${budget}: every slice fits`);
    t.ok(parts.every((p) => !/^[\udc00-\udfff]/.test(p)), `budget ${budget}: no slice starts inside a surrogate pair`);
  }
});

t.test('a sink that refuses: 503, and the version is not kept', async (t) => {
  const up = await startTestUpload(t);
  await up.sink.close(Date.now() + 1000);
  const r = await curl(['--data-binary', 'hostname rtr-refused-1\nend\n', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-refused-1`]);
  t.equal(r.status, 503);
  t.equal(r.json?.error, 'sink_unavailable');
  t.same(await up.storedFiles(), [], 'nothing stored without its event');
});
