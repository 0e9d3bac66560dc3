// The archive's parts on their own: the stream rule against the services' own code, the stage's
// runs (out-of-order arrivals, more runs than can be merged at once), ListObjectsV2 paging.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { toSinkEvents } from '@netsidecar/config-upload';
import { createNtpMetrics, NtpEvents } from '@netsidecar/ntp-proxy';
import { toLogStreamName, type Sink, type SinkEvent } from '@netsidecar/sink';
import { EventEncoder, eventEncoding } from '@netsidecar/syslog';
import { createRegistry } from '@netsidecar/telemetry';
import { createArchiveSource } from '../src/source/archive-source.js';
import { arrivalOf, compareArrival } from '../src/source/archive/layout.js';
import { Stage } from '../src/source/archive/stage.js';
import { streamOf } from '../src/source/archive/stream-of.js';
import { BUCKET, firehoseObjects, startArchive, subscriptionRecords } from './support/archive.js';
import { dataset, NOW } from './support/fixtures.js';

const dir = await mkdtemp(join(tmpdir(), 'audit-archive-units-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

function capture(into: SinkEvent[]): Sink {
  return {
    kind: 'stdout',
    durableOnWrite: false,
    write: (event: SinkEvent) => (into.push(event), 'ok'),
    writeGroup: (events: readonly SinkEvent[]) => (into.push(...events), 'ok'),
    whenWritable: async () => {},
    flush: async () => {},
    close: async () => ({}) as never,
    queuedEvents: () => 0,
    refusalReason: () => null,
  };
}

t.test('the stream of an archived event is the one the service wrote it to', async (t) => {
  const encoder = new EventEncoder(eventEncoding(2, 'cloudwatch'));
  const lines: [string, string][] = [
    ['<189>65: rtr-tyo-1: Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down', '10.1.1.1'],
    ['<28>Nov 22 14:00:00 rtr-osa-2 rpd[2345]: BGP_STATE_CHANGED: peer 169.254.100.5', '10.2.2.2'],
    ['<11>kernel: disk failure on /dev/sda', '2001:db8::7'],
  ];
  for (const [line, sourceIp] of lines) {
    const encoded = encoder.encode(Buffer.from(line), { receivedAt: new Date(NOW), sourceIp, sourcePort: 514, transport: 'udp' });
    const stream = toLogStreamName(encoded.device);
    t.equal(streamOf('syslog', JSON.parse(encoded.message)), stream, `syslog: ${stream}`);
  }

  const ntp: SinkEvent[] = [];
  const writer = new NtpEvents({ sink: capture(ntp), logGroup: '/netsidecar/ntp', dropped: createNtpMetrics(createRegistry('ntp')).eventsDropped });
  writer.write('2001:db8::9', NOW, {
    type: 'client_clock_warning',
    clientIp: '2001:db8::9',
    version: 4,
    clientOffsetMs: 1500,
    clientOffsetBoundMs: 0.4,
    clientOffsetMethod: 'exchange',
    thresholdMs: 1000,
    message: 'x',
  });
  writer.write('upstream', NOW, {
    type: 'status',
    synchronised: true,
    previousSynchronised: false,
    selected: '169.254.169.123:123',
    previousSelected: null,
    leap: 0,
    stratum: 2,
    refId: 'GPS',
    offsetMs: 0,
    rootDelayMs: 0,
    rootDispersionMs: 0,
    lastSampleAgeS: 1,
    holdoverS: 3600,
    reason: null,
  });
  t.equal(ntp.length, 2);
  for (const e of ntp) t.equal(streamOf('ntp', JSON.parse(e.message)), e.logStream, `ntp: ${e.logStream}`);

  const config = toSinkEvents(
    {
      device: 'rtr:odd/name',
      receivedAt: new Date(NOW).toISOString(),
      config: 'x'.repeat(300_000),
      driftDiff: null,
      diff: null,
      detached: [],
      parts: 0,
    } as never,
    '/netsidecar/config',
  );
  t.ok(config.length > 1, 'a config/1 event and its config-part/1 events');
  for (const e of config) t.equal(streamOf('config', JSON.parse(e.message)), e.logStream, `config: ${e.logStream}`);

  t.equal(streamOf('scan', { schema: 'scan/1', type: 'finding_new' }), 'scan', 'scan/1 events do not name their task: one stream');
  t.equal(streamOf('syslog', { schema: 'syslog/1' }), undefined, 'no host, no address: no stream');
});

t.test('object names: the arrival time, and arrival order across delivery stream versions', async (t) => {
  const a = 'netsidecar/ntp/2026/03/01/netsidecar-archive-ntp-10-2026-03-01-08-00-00-3d8d51f5-0fc4-3a21-8d2e-ff614b8e9a30.gz';
  const b = 'netsidecar/ntp/2026/03/01/netsidecar-archive-ntp-9-2026-03-01-09-00-00-85dc0d38-176c-369f-b4f2-d8ecb6d95dfe.gz';
  t.equal(arrivalOf(a), Date.parse('2026-03-01T08:00:00Z'));
  t.equal(arrivalOf('netsidecar/ntp/2026/03/01/uploaded-by-hand.json'), undefined);
  const sorted = [b, a]
    .map((key) => ({ key, arrival: arrivalOf(key) }))
    .sort(compareArrival)
    .map((o) => o.key);
  t.same(sorted, [a, b], 'version 10 at 08:00 before version 9 at 09:00 (a plain key sort says otherwise)');
});

t.test('stage: arrivals out of order, more runs than one merge takes, read back in time order and stable', async (t) => {
  const stage = new Stage(await mkdtemp(join(dir, 'stage-')));
  // Two tasks' batches interleaved: 300 descents, and pairs of events with the same millisecond.
  const expected: string[] = [];
  for (let i = 0; i < 300; i++) {
    await stage.append('rtr', 1000 + i * 10 + 5, `b${i}`);
    await stage.append('rtr', 1000 + i * 10, `a${i}`);
    await stage.append('rtr', 1000 + i * 10, `c${i}`);
  }
  for (let i = 0; i < 300; i++) expected.push(`a${i}`, `c${i}`, `b${i}`);
  await stage.flush();
  const got: string[] = [];
  for await (const e of stage.events('rtr', 0, Infinity)) got.push(e.message);
  t.same(got, expected, 'time order; a before c, as they arrived');
  const window: number[] = [];
  for await (const e of stage.events('rtr', 1500, 1600)) window.push(e.timestamp);
  t.same(
    window,
    [
      1500, 1500, 1505, 1510, 1510, 1515, 1520, 1520, 1525, 1530, 1530, 1535, 1540, 1540, 1545, 1550, 1550, 1555, 1560, 1560, 1565, 1570, 1570, 1575, 1580,
      1580, 1585, 1590, 1590, 1595,
    ],
    '[from, to)',
  );
  t.equal(stage.newest('rtr'), 1000 + 299 * 10 + 5);
});

t.test('ListObjectsV2 pages: every object of a day is read however small the page', async (t) => {
  const seeds = dataset().filter((s) => s.group === '/netsidecar/ntp' && s.timestamp < Date.parse('2026-03-02'));
  const objects = firehoseObjects(subscriptionRecords(seeds, { bufferSeconds: 60 }));
  const archive = await startArchive(t);
  await archive.put(objects);
  const source = createArchiveSource({
    client: archive.client(),
    bucket: BUCKET,
    logGroupPrefix: '/netsidecar',
    latenessMs: 86_400_000,
    now: NOW,
    maxKeys: 7,
    tmpDir: dir,
  });
  t.teardown(() => source.close());
  let n = 0;
  for await (const _ of source.events({ service: 'ntp', from: Date.parse('2026-03-01'), to: Date.parse('2026-03-02') })) n++;
  t.equal(n, seeds.filter((s) => s.timestamp >= Date.parse('2026-03-01')).length);
  t.equal(source.storedObjects().length, objects.filter((o) => o.key.includes('/2026/03/01/')).length);
  t.ok(source.calls()['ListObjectsV2']! > objects.length / 7, `paged: ${source.calls()['ListObjectsV2']} ListObjectsV2 calls for ${objects.length} objects`);
});
