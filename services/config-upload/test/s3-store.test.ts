// The S3 store against a real S3-compatible server (s3rver) on 127.0.0.1, port 0: uploads through
// curl land as versioned objects, the read API reads them back, and a version number taken by
// another task is not overwritten.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { IntendedS3, S3Store, parseS3Url, type VersionMeta } from '@netsidecar/config-upload';
import { curl, startTestUpload, users } from './support/harness.js';

const bucket = 'netsidecar-configs';

async function startS3(t: { teardown(fn: () => unknown): void }) {
  const directory = await mkdtemp(join(tmpdir(), 'netsidecar-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  t.teardown(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  t.teardown(() => client.destroy());
  return client;
}

/**
 * s3rver predates S3's conditional writes (2024) and ignores If-None-Match. This middleware gives
 * the client S3's answer (412 PreconditionFailed when the key exists), checked against s3rver itself,
 * and records which requests carried the header.
 */
function withConditionalWrites(client: S3Client): string[] {
  const conditional: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string; IfNoneMatch?: string };
      if (context.commandName === 'PutObjectCommand' && input.IfNoneMatch === '*') {
        conditional.push(input.Key!);
        const exists = await client.send(new HeadObjectCommand({ Bucket: input.Bucket, Key: input.Key })).then(
          () => true,
          () => false,
        );
        if (exists)
          throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
            name: 'PreconditionFailed',
            $metadata: { httpStatusCode: 412 },
          });
      }
      return next(args);
    },
    { step: 'initialize', name: 'emulateConditionalWrites' },
  );
  return conditional;
}

t.test('uploads stored in S3 and read back', async (t) => {
  const client = await startS3(t);
  const store = new S3Store(client, bucket, 'configs/');
  const up = await startTestUpload(t, {}, { store });
  const put = (body: string) =>
    curl([
      '--data-binary',
      body,
      '-H',
      'Content-Type: text/plain',
      `http://${users.router.name}:${users.router.password}@127.0.0.1:${up.service.port}/configs/rtr-s3-1`,
    ]);
  t.match((await put('hostname rtr-s3-1\nsnmp-server community PlantS3Community RO\nend\n')).json, { device: 'rtr-s3-1', version: 1, changed: true });
  t.match((await put('hostname rtr-s3-1\nsnmp-server community PlantS3Community RO\nend\n')).json, { version: 2, changed: false });
  t.match((await put('hostname rtr-s3-1\nsnmp-server community PlantS3Other RO\nend\n')).json, { version: 3, changed: true });

  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'configs/' }));
  t.same(
    (listed.Contents ?? []).map((o) => o.Key).sort(),
    ['00000001', '00000002', '00000003'].flatMap((v) => [`configs/rtr-s3-1/${v}.cfg`, `configs/rtr-s3-1/${v}.json`]),
  );
  const events = await up.events('rtr-s3-1');
  t.equal(events[2]!.storeKey, 'rtr-s3-1/00000003');

  // A fresh store (another task) sees the same history.
  const other = new S3Store(client, bucket, 'configs/');
  t.same(await other.devices(), ['rtr-s3-1']);
  t.match(await other.latest('rtr-s3-1'), { version: 3, device: 'rtr-s3-1' });
  const v1 = await other.get('rtr-s3-1', 1);
  t.match(v1?.text, /snmp-server community <redacted:[0-9a-f]{8}> RO/);
  t.equal(await other.get('rtr-s3-1', 9), null);

  const api = await curl([`http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${up.service.port}/api/devices/rtr-s3-1/diff?from=1&to=3`]);
  t.match(api.body, /^-snmp-server community <redacted:[0-9a-f]{8}> RO\n\+snmp-server community <redacted:[0-9a-f]{8}> RO$/m);
  t.notOk(/Plant/.test(api.body + JSON.stringify(events) + (v1?.text ?? '')));
});

t.test('whenRaw, whenZone and drift diffs round-trip through S3; metas stored before them still load', async (t) => {
  const client = await startS3(t);
  const intendedDir = await mkdtemp(join(tmpdir(), 'netsidecar-intended-'));
  t.teardown(() => rm(intendedDir, { recursive: true, force: true }));
  await writeFile(join(intendedDir, 'rtr-s3d-1.cfg'), 'hostname rtr-s3d-1\nclock timezone JST 9 0\nenable secret 0 PlantS3Git\nend\n');
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir }, { store: new S3Store(client, bucket, 'configs/') });
  const body =
    '! Last configuration change at 07:58:01 JST Mon Nov 23 2026 by alice\nhostname rtr-s3d-1\nclock timezone JST 9 0\nenable secret 0 PlantS3Live\nlogging host 10.0.0.9\nend\n';
  const r = await curl([
    '--data-binary',
    body,
    '-H',
    'Content-Type: text/plain',
    `http://${users.router.name}:${users.router.password}@127.0.0.1:${up.service.port}/configs/rtr-s3d-1`,
  ]);
  t.match(r.json, { device: 'rtr-s3d-1', version: 1, drift: true });
  const [event] = (await up.events('rtr-s3d-1')) as Record<string, any>[];

  const other = new S3Store(client, bucket, 'configs/');
  t.match(await other.latest('rtr-s3d-1'), {
    whenRaw: '07:58:01 JST Mon Nov 23 2026',
    whenZone: 'declared',
    when: '2026-11-22T22:58:01.000Z',
    intendedSha256: event!.intendedSha256,
    driftStatus: 'drifted',
  });
  t.equal(await other.driftDiff('rtr-s3d-1', 1), event!.driftDiff, 'the drift diff is stored beside the version');
  t.match(event!.driftDiff, /^\+logging host 10\.0\.0\.9$/m);

  // A version written before whenRaw, whenZone, intendedSha256 and drift diffs were kept.
  const old = {
    device: 'rtr-s3-old-1',
    version: 1,
    uploadId: 'u',
    receivedAt: '2026-01-01T00:00:00.000Z',
    vendor: 'cisco-ios',
    sha256: 'a',
    sha256Original: 'b',
    sha256Normalized: 'c',
    changed: true,
    who: null,
    when: '2025-12-31T00:00:00.000Z',
    principal: 'p',
    sourceIp: '10.0.0.5',
    drift: true,
    driftStatus: 'drifted',
    redactions: 0,
  };
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'configs/rtr-s3-old-1/00000001.json', Body: JSON.stringify(old) }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'configs/rtr-s3-old-1/00000001.cfg', Body: 'hostname rtr-s3-old-1\n' }));
  t.same(await other.latest('rtr-s3-old-1'), { ...old, whenRaw: null, whenZone: 'explicit', intendedSha256: null, compliance: null });
  t.equal(await other.driftDiff('rtr-s3-old-1', 1), null);
  const api = await curl([`http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${up.service.port}/api/devices/rtr-s3-old-1/drift`]);
  t.match(api.json, { version: 1, driftStatus: 'drifted', driftDiff: null });
  t.notOk(/Plant/.test((await up.everythingWritten()) + JSON.stringify(event)));
});

t.test('a version number another task took is not overwritten', async (t) => {
  const client = await startS3(t);
  const conditional = withConditionalWrites(client);
  const a = new S3Store(client, bucket, 'p/');
  const b = new S3Store(client, bucket, 'p/');
  const meta = (version: number, uploadId: string): VersionMeta => ({
    device: 'rtr-race-1',
    version,
    uploadId,
    receivedAt: '2026-11-22T23:00:00.000Z',
    vendor: 'cisco-ios',
    sha256: 'a',
    sha256Original: 'b',
    sha256Normalized: 'c',
    changed: true,
    who: null,
    when: null,
    whenRaw: null,
    whenZone: null,
    principal: 'p',
    sourceIp: '127.0.0.1',
    drift: null,
    driftStatus: 'no_intended',
    intendedSha256: null,
    redactions: 0,
    compliance: null,
  });
  t.equal(await a.latest('rtr-race-1'), null);
  t.equal(await b.latest('rtr-race-1'), null);
  await a.put(meta(1, 'from-a'), 'hostname a\n');
  await t.rejects(
    b.put(meta(1, 'from-b'), 'hostname b\n'),
    { code: 'version_exists', name: 'VersionExistsError' },
    'If-None-Match: * refuses the second writer',
  );
  t.match(await b.latest('rtr-race-1'), { uploadId: 'from-a' }, 'the loser re-reads the latest');
  t.equal((await a.get('rtr-race-1', 1))?.text, 'hostname a\n', "the winner's text is untouched");
  t.same(conditional, ['p/rtr-race-1/00000001.json', 'p/rtr-race-1/00000001.json'], 'the claim is a conditional write');
  await a.withdraw({ device: 'rtr-race-1', version: 1, uploadId: 'from-a', reason: 'sink_refused' });
  t.equal(await a.get('rtr-race-1', 1), null, 'a withdrawn version is gone');
  const fresh = new S3Store(client, bucket, 'p/'); // another task, nothing cached
  t.equal(await fresh.latest('rtr-race-1'), null, "and is nobody's latest");
  t.equal(await b.nextVersion('rtr-race-1'), 2, 'but its number stays taken');
  await t.rejects(b.put(meta(1, 'from-b'), 'hostname b\n'), { code: 'version_exists' }, 'for every task');
});

t.test('intended configs from an S3 prefix', async (t) => {
  const client = await startS3(t);
  t.same(parseS3Url('s3://team-intended/netsidecar/configs'), { bucket: 'team-intended', prefix: 'netsidecar/configs/' });
  t.same(parseS3Url('s3://team-intended'), { bucket: 'team-intended', prefix: '' });
  t.throws(() => parseS3Url('https://x/y'));
  const putIntended = (text: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key: 'intended/rtr-s3i-1.cfg', Body: text }));
  await putIntended('hostname rtr-s3i-1\nenable secret 0 PlantS3Intended\nend\n');
  const intended = new IntendedS3(client, bucket, 'intended/');
  t.equal(await intended.read('rtr-nothing-1'), null, 'no intended config');
  const found = await intended.read('rtr-s3i-1');
  t.equal(found?.name, 'intended/rtr-s3i-1.cfg');
  t.equal(await found?.text(), 'hostname rtr-s3i-1\nenable secret 0 PlantS3Intended\nend\n');

  const up = await startTestUpload(t, {}, { intended });
  const put = (body: string) =>
    curl([
      '--data-binary',
      body,
      '-H',
      'Content-Type: text/plain',
      `http://${users.router.name}:${users.router.password}@127.0.0.1:${up.service.port}/configs/rtr-s3i-1`,
    ]);
  t.match((await put('hostname rtr-s3i-1\nenable secret 0 PlantS3Intended\nend\n')).json, { drift: false });
  await putIntended('hostname rtr-s3i-1\nenable secret 0 PlantS3Rotated\nend\n');
  t.not((await intended.read('rtr-s3i-1'))?.version, found?.version, 'a new ETag');
  t.match((await put('hostname rtr-s3i-1\nenable secret 0 PlantS3Intended\nend\n')).json, { drift: false }, 'another secret value in Git is not drift');
  await putIntended('hostname rtr-s3i-1\nenable secret 0 PlantS3Rotated\nlogging host 10.0.0.9\nend\n');
  t.match((await put('hostname rtr-s3i-1\nenable secret 0 PlantS3Intended\nend\n')).json, { drift: true }, 'the changed object is read again');
  t.notOk(/Plant/.test(await up.everythingWritten()));
});

t.test('two tasks on one bucket: the stale check sees the uploads the other task took (its cached latest is refreshed)', async (t) => {
  const client = await startS3(t);
  withConditionalWrites(client);
  const clock = { at: Date.parse('2026-11-22T00:00:00.000Z') };
  const taskA = await startTestUpload(t, { NETSIDECAR_UPLOAD_STALE_AFTER: '25h' }, { store: new S3Store(client, bucket, 'configs/'), now: () => clock.at });
  const taskB = await startTestUpload(t, { NETSIDECAR_UPLOAD_STALE_AFTER: '25h' }, { store: new S3Store(client, bucket, 'configs/'), now: () => clock.at });
  const put = (port: number, device: string) =>
    curl([
      '--data-binary',
      `hostname ${device}\nend\n`,
      '-H',
      'Content-Type: text/plain',
      `http://${users.router.name}:${users.router.password}@127.0.0.1:${port}/configs/${device}`,
    ]);
  t.equal((await put(taskA.service.port, 'rtr-s3-a')).status, 201);
  t.equal((await put(taskA.service.port, 'rtr-s3-b')).status, 201);
  t.same(
    await taskA.service.store.lastUploads(),
    new Map([
      ['rtr-s3-a', '2026-11-22T00:00:00.000Z'],
      ['rtr-s3-b', '2026-11-22T00:00:00.000Z'],
    ]),
  );
  // A day later rtr-s3-a uploads through the other task (the NLB spreads connections).
  clock.at += 24 * 3_600_000;
  t.equal((await put(taskB.service.port, 'rtr-s3-a')).status, 201);
  clock.at += 2 * 3_600_000;
  t.same(
    await taskA.service.store.lastUploads(),
    new Map([
      ['rtr-s3-a', '2026-11-23T00:00:00.000Z'],
      ['rtr-s3-b', '2026-11-22T00:00:00.000Z'],
    ]),
    'task A sees the upload task B took',
  );
  const list = await curl([`http://${users.auditor.name}:${users.auditor.password}@127.0.0.1:${taskA.service.port}/api/devices`]);
  t.match(
    JSON.parse(list.body),
    [
      { device: 'rtr-s3-a', version: 2, stale: false, lastUploadAt: '2026-11-23T00:00:00.000Z' },
      { device: 'rtr-s3-b', version: 1, stale: true },
    ],
    'and so does its devices list: only rtr-s3-b is stale',
  );
});
