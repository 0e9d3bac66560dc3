// Issue 12, point 7: the independent proof that no secret leaks. Every configuration of the corpus
// (test/corpus/, written from vendor documentation, each secret a unique marker) goes to the real
// service over real HTTP as routers send it (curl, Node fetch, gzip, multipart), then a changed
// second version with every secret rotated; some devices have an intended config (with secrets of
// their own) so drift diffs exist; requests that must fail carry corpus text too. Then every byte
// the service wrote (store, sink), its log and every HTTP answer (uploads, errors, read API, drift)
// is searched for every marker core, through JSON escapes, gzip, base64 and percent-encoding.
// A finding names the file, the marker core, its command shape (values as *) and where it was:
// never the secret value. Every decoy line must survive verbatim in the stored text.
import t, { type Test } from 'tap';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { curl, startTestUpload, users, type TestUpload } from './support/harness.js';
import {
  corpusDir,
  families,
  loadManifest,
  readCorpusFile,
  rotateCore,
  secondVersion,
  type CorpusFile,
  type Family,
  type Marker,
  type Variant,
} from './support/corpus.js';
import { findCores, type Blob, type Finding } from './support/leak-search.js';

const manifest = await loadManifest();
const basic = (u: { name: string; password: string }) => `Basic ${Buffer.from(`${u.name}:${u.password}`).toString('base64')}`;
const deadline = () => AbortSignal.timeout(15_000);

interface Answer {
  status: number;
  body: string;
}

/** Sends one corpus text the way its manifest entry says; the answer's body is kept for the search. */
async function send(up: TestUpload, work: string, entry: CorpusFile, text: string, round: string): Promise<Answer> {
  const bytes = entry.gzip ? gzipSync(text) : Buffer.from(text, 'utf8');
  const path = join(work, `${round}-${basename(entry.file)}${entry.gzip ? '.gz' : ''}`);
  await writeFile(path, bytes);
  const port = up.service.port;
  const creds = `${users.router.name}:${users.router.password}`;
  const url = `http://127.0.0.1:${port}/configs/${entry.uploadAs}`;
  switch (entry.via) {
    case 'curl-put':
      return curl(['-T', path, `http://${creds}@127.0.0.1:${port}/configs/${entry.uploadAs}`]);
    case 'curl-put-ios':
      // IOS archive: its own user agent, the server's address in Host.
      return curl(['-T', path, '-H', 'Host: 10.20.0.80', '-A', 'cisco-IOS', '-u', creds, url]);
    case 'curl-post':
      return curl(['--data-binary', `@${path}`, '-H', 'Content-Type: text/plain', '-u', creds, url]);
    case 'curl-post-form':
      // MikroTik /tool fetch http-method=post: form-urlencoded content type, raw body.
      return curl(['--data-binary', `@${path}`, `http://${creds}@127.0.0.1:${port}/configs/${entry.uploadAs}`]);
    case 'curl-multipart':
      return curl(['-F', `config=@${path};filename=${entry.uploadAs}`, '-u', creds, `http://127.0.0.1:${port}/configs`]);
    case 'fetch-put':
    case 'fetch-post': {
      const headers: Record<string, string> = {
        authorization: basic(users.router),
        'content-type': entry.gzip ? 'application/octet-stream' : 'text/plain; charset=utf-8',
      };
      // POSTs say gzip in a header, PUTs leave it to the magic bytes: both ways are in use.
      if (entry.gzip && entry.via === 'fetch-post') headers['content-encoding'] = 'gzip';
      const res = await fetch(url, { method: entry.via === 'fetch-put' ? 'PUT' : 'POST', headers, body: bytes, signal: deadline() });
      return { status: res.status, body: await res.text() };
    }
  }
}

async function get(up: TestUpload, path: string): Promise<Answer> {
  const res = await fetch(`${up.url}${path}`, { headers: { authorization: basic(users.auditor) }, signal: deadline() });
  return { status: res.status, body: await res.text() };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** RouterOS exports wrap long lines with `\`; decoys are compared as logical lines. */
function logical(text: string, family: Family): string[] {
  const lines = text.replace(/\r/g, '').split('\n');
  if (family !== 'mikrotik') return lines;
  return text
    .replace(/\r/g, '')
    .replace(/\\\n {4}/g, '')
    .split('\n');
}

const shapeOf = (command: string) => command.replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d+)?\b/g, '<ip>');

t.test('the search finds a core in every encoding it claims to decode', async (t) => {
  const core = 'Mk99001Zq';
  const json = JSON.stringify({ config: `line\n secret ${core}\n` });
  const cases: [string, Blob['data']][] = [
    ['raw', `password ${core}`],
    ['json escapes', JSON.stringify({ s: `\u0001${core}` }).replace('Mk', '\\u004dk')],
    ['gzip blob', gzipSync(json)],
    ['base64 value', JSON.stringify({ data: Buffer.from(`x:${core}`).toString('base64') })],
    ['base64 of gzip', `blob ${gzipSync(json).toString('base64')} end`],
    ['base64 at an odd offset', `-AQ==${Buffer.from(`xy${core}zz`).toString('base64')}`],
    ['percent-encoding', `url=scp%3A%2F%2Fu%3A${encodeURIComponent(core).replace('M', '%4D')}%40h`],
  ];
  for (const [name, data] of cases)
    t.same(
      findCores([{ where: name, data }]).map((f) => f.core),
      [core],
      name,
    );
  t.same(findCores([{ where: 'clean', data: 'password <redacted:1a2b3c4d> Mk99001 C0DEA9' }]), [], 'no finding without a whole core');
});

t.test('no corpus secret leaks anywhere the service writes or answers; every decoy survives', async (t) => {
  // Request bodies and the intended configs live outside the service's data dir, which is searched.
  const work = await mkdtemp(join(tmpdir(), 'netsidecar-leak-corpus-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const intendedDir = join(work, 'intended');
  await mkdir(intendedDir);
  for (const entry of manifest.files) if (entry.intended) await copyFile(join(corpusDir, entry.intended), join(intendedDir, basename(entry.intended)));
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir, NETSIDECAR_UPLOAD_MAX_BODY: '128KiB' });

  const started = performance.now();
  const answers: Blob[] = [];
  const keep = (request: string, a: Answer): Answer => {
    answers.push({ where: `http:${request} -> ${a.status}`, data: a.body });
    return a;
  };
  const deviceOf = new Map<string, string>();
  const texts = new Map<string, string>();

  // Uploads go four at a time (curl is a process per request), the first round before the second.
  for (const [round, variant] of [
    ['v1', 'v1'],
    ['v2', 'v2'],
  ] as const) {
    const results = await inPool(manifest.files, 4, async (entry) => {
      const v1 = await readCorpusFile(entry.file);
      texts.set(entry.file, v1);
      const text = variant === 'v1' ? v1 : secondVersion(v1, entry);
      return keep(`${entry.via} ${entry.uploadAs} (${round})`, await send(up, work, entry, text, round));
    });
    for (const [i, entry] of manifest.files.entries()) {
      const a = results[i]!;
      let answer: { device?: string; version?: number } = {};
      try {
        answer = JSON.parse(a.body) as typeof answer;
      } catch {
        // the status check below reports it
      }
      t.equal(a.status, 201, `${entry.file} ${round} stored${a.status === 201 ? '' : ` (${a.body.slice(0, 120)})`}`);
      if (variant === 'v1' && answer.device) deviceOf.set(entry.file, answer.device);
      if (variant === 'v2') t.equal(answer.version, 2, `${entry.file}: the second upload is the device's version 2`);
    }
  }

  t.comment(`timing: uploads done at ${Math.round(performance.now() - started)} ms`);
  // Requests that must fail, each carrying corpus text.
  const port = up.service.port;
  const all = (await Promise.all(manifest.files.map((f) => readCorpusFile(f.file)))).join('\n');
  const first = texts.get(manifest.files[0]!.file)!;
  const failing: [string, number, () => Promise<Answer>][] = [
    [
      'a device the principal may not upload',
      403,
      () => fetchAnswer(`${up.url}/configs/rtr-tyo-core1.cfg`, 'PUT', { authorization: basic(users.lab), 'content-type': 'text/plain' }, first),
    ],
    ['no credentials', 401, () => fetchAnswer(`${up.url}/configs/rtr-tyo-core1.cfg`, 'PUT', { 'content-type': 'text/plain' }, first)],
    [
      'a wrong password',
      401,
      () =>
        fetchAnswer(
          `${up.url}/configs/rtr-tyo-core1.cfg`,
          'PUT',
          { authorization: basic({ name: users.router.name, password: 'wrong' }), 'content-type': 'text/plain' },
          first,
        ),
    ],
    [
      'a corrupt gzip',
      400,
      () => {
        const gz = gzipSync(first);
        const corrupt = Buffer.concat([gz.subarray(0, Math.floor(gz.length / 2)), Buffer.from(first.slice(0, 2000))]);
        return fetchAnswer(`${up.url}/configs/rtr-tyo-core1.cfg.gz`, 'PUT', { authorization: basic(users.router), 'content-encoding': 'gzip' }, corrupt);
      },
    ],
    [
      'a body above the limit',
      413,
      () => fetchAnswer(`${up.url}/configs/rtr-tyo-core1.cfg`, 'PUT', { authorization: basic(users.router), 'content-type': 'text/plain' }, all),
    ],
    [
      'a gzip body that inflates above the limit',
      413,
      () => fetchAnswer(`${up.url}/configs/rtr-tyo-core1.cfg`, 'PUT', { authorization: basic(users.router), 'content-encoding': 'gzip' }, gzipSync(all)),
    ],
    [
      'an unsupported content type',
      415,
      () => fetchAnswer(`${up.url}/configs/rtr-tyo-core1.cfg`, 'PUT', { authorization: basic(users.router), 'content-type': 'image/png' }, first),
    ],
  ];
  for (const [name, status, request] of failing) t.equal(keep(name, await request()).status, status, `refused: ${name}`);
  const labBody = join(work, 'lab-upload.cfg');
  await writeFile(labBody, first);
  const labAnswer = await curl([
    '-F',
    `config=@${labBody};filename=rtr-tyo-core1.cfg`,
    `http://${users.lab.name}:${users.lab.password}@127.0.0.1:${port}/configs`,
  ]);
  t.equal(keep('curl multipart by a principal without the device', labAnswer).status, 403, 'refused: curl multipart by a principal without the device');

  t.comment(`timing: failing requests done at ${Math.round(performance.now() - started)} ms`);
  // The read API, everything an auditor can see, and the drift endpoint when it exists.
  keep('GET /api/devices', await get(up, '/api/devices'));
  const driftStatus = new Map<number, number>();
  const firstStored = new Map<string, string>();
  await inPool([...new Set(deviceOf.values())], 8, async (device) => {
    const d = encodeURIComponent(device);
    for (const path of [`/api/devices/${d}/versions`, `/api/devices/${d}/versions/1`, `/api/devices/${d}/versions/2`, `/api/devices/${d}/diff?from=1&to=2`]) {
      const a = keep(`GET ${path}`, await get(up, path));
      t.equal(a.status, 200, `GET ${path}`);
      if (path.endsWith('/versions/1')) firstStored.set(device, a.body);
    }
    const drift = keep(`GET /api/devices/${d}/drift`, await get(up, `/api/devices/${d}/drift`));
    driftStatus.set(drift.status, (driftStatus.get(drift.status) ?? 0) + 1);
  });
  t.comment(`drift endpoint answers: ${[...driftStatus].map(([s, n]) => `${s} x${n}`).join(', ')}`);

  t.comment(`timing: read API done at ${Math.round(performance.now() - started)} ms`);
  // Everything the service wrote and said.
  await up.sink.flush();
  const written: Blob[] = [];
  for (const file of await filesUnder(up.dataDir)) {
    const rel = relative(up.dataDir, file);
    if (rel === 'users' || rel === 'redaction.key') continue;
    written.push({ where: `file:${rel}`, data: await readFile(file) });
  }
  t.ok(written.some((b) => b.where.includes('/store/')) && written.some((b) => b.where.startsWith('file:logs/')), 'the store and the sink output are searched');
  const findings = findCores([...written, { where: 'log', data: up.logText() }, ...answers]);
  // Which vendor the service recognised per family (`unknown` is redacted with every vendor's rules).
  const detected = new Map<string, number>();
  // Values only the fail-closed rules caught (pass 1's blind redaction and the safety net), per
  // vendor, on the first uploads: each is a rule some vendor file lacks.
  const unclassified = new Map<string, { values: number; shapes: Set<string> }>();
  const familyOf = new Map([...deviceOf].map(([file, device]) => [device, manifest.files.find((f) => f.file === file)!.family]));
  for (const e of await up.events()) {
    if (e.schema !== 'config/1' || e.version !== 1) continue;
    const key = `${familyOf.get(String(e.device)) ?? '?'} -> ${String(e.vendor)}`;
    detected.set(key, (detected.get(key) ?? 0) + 1);
    const u = unclassified.get(String(e.vendor)) ?? { values: 0, shapes: new Set<string>() };
    u.values += (e.redactionsByKind as Record<string, number>).unclassified ?? 0;
    for (const shape of e.redactionGaps as string[]) u.shapes.add(shape);
    unclassified.set(String(e.vendor), u);
  }
  t.comment(
    `vendor detected: ${[...detected]
      .sort()
      .map(([k, n]) => `${k} x${n}`)
      .join(', ')}`,
  );
  for (const [vendor, u] of [...unclassified].sort())
    t.comment(`unclassified ${vendor}: ${u.values} values${u.shapes.size > 0 ? ` (${[...u.shapes].join(' | ')})` : ''}`);
  t.comment(`timing: search done at ${Math.round(performance.now() - started)} ms`);
  reportLeaks(t, findings);
  reportDecoys(t, deviceOf, firstStored);
});

/** Runs `fn` over `items`, at most `size` at once; results in the items' order. */
async function inPool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

async function fetchAnswer(url: string, method: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  const res = await fetch(url, { method, headers, body, signal: deadline() });
  return { status: res.status, body: await res.text() };
}

interface Owner {
  entry: CorpusFile;
  marker: Marker;
  variant: Variant;
}

function owners(): Map<string, Owner> {
  const byCore = new Map<string, Owner>();
  for (const entry of manifest.files) {
    for (const marker of entry.markers) {
      for (const variant of ['v1', 'v2'] as const) byCore.set(rotateCore(marker.core, variant).toLowerCase(), { entry, marker, variant });
    }
    for (const marker of entry.intendedMarkers) byCore.set(marker.core.toLowerCase(), { entry, marker, variant: 'intended' });
  }
  return byCore;
}

function reportLeaks(t: Test, findings: Finding[]): void {
  const byCore = owners();
  const leaks = new Map<string, { owner: Owner; places: string[] }>();
  for (const f of findings) {
    const key = f.core.toLowerCase();
    const owner = byCore.get(key);
    if (!owner) {
      t.fail(`a marker-like token ${f.core} that no corpus file planted, in ${f.where} (${f.via})`);
      continue;
    }
    const leak = leaks.get(key) ?? { owner, places: [] };
    leak.places.push(`${f.where} [${f.via}]`);
    leaks.set(key, leak);
  }
  // Planted counts: each first-upload marker is planted twice (v1, rotated v2), intended ones once.
  const planted = new Map<Family, number>();
  const leakedBy = new Map<Family, Map<Variant, number>>();
  for (const e of manifest.files) planted.set(e.family, (planted.get(e.family) ?? 0) + distinct(e.markers) * 2 + distinct(e.intendedMarkers));
  const shapes = new Map<string, number>();
  for (const [, { owner, places }] of [...leaks].sort((a, b) => a[1].owner.entry.file.localeCompare(b[1].owner.entry.file) || a[0].localeCompare(b[0]))) {
    const perFamily = leakedBy.get(owner.entry.family) ?? new Map<Variant, number>();
    perFamily.set(owner.variant, (perFamily.get(owner.variant) ?? 0) + 1);
    leakedBy.set(owner.entry.family, perFamily);
    const shape = `${owner.entry.family}: ${shapeOf(owner.marker.command)}`;
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    const shown = owner.variant === 'intended' ? owner.marker.core : rotateCore(owner.marker.core, owner.variant);
    t.fail(
      `LEAK ${owner.entry.file} ${shown} (${owner.variant}) \`${owner.marker.command}\` in ${places.length} place(s): ${places.slice(0, 4).join('; ')}${places.length > 4 ? '; ...' : ''}`,
      { diagnostic: false },
    );
  }
  let totalPlanted = 0;
  let totalLeaked = 0;
  for (const family of families) {
    const p = planted.get(family) ?? 0;
    const l = leakedBy.get(family) ?? new Map<Variant, number>();
    const n = [...l.values()].reduce((a, b) => a + b, 0);
    totalPlanted += p;
    totalLeaked += n;
    t.comment(`leaks ${family}: ${n} of ${p} markers (first upload ${l.get('v1') ?? 0}, second ${l.get('v2') ?? 0}, intended ${l.get('intended') ?? 0})`);
  }
  t.comment(`leaks total: ${totalLeaked} of ${totalPlanted} markers`);
  for (const [shape, n] of [...shapes].sort()) t.comment(`leaking shape x${n}: ${shape}`);
  if (leaks.size === 0) t.pass(`no marker leaked (${totalPlanted} planted)`);
}

function distinct(markers: readonly Marker[]): number {
  return new Set(markers.map((m) => m.core.toLowerCase())).size;
}

function reportDecoys(t: Test, deviceOf: Map<string, string>, firstStored: Map<string, string>): void {
  const lost = new Map<Family, number>();
  const total = new Map<Family, number>();
  for (const entry of manifest.files) {
    total.set(entry.family, (total.get(entry.family) ?? 0) + entry.decoys.length);
    const device = deviceOf.get(entry.file);
    const stored = device === undefined ? undefined : firstStored.get(device);
    if (stored === undefined) {
      t.fail(`${entry.file}: no stored first version to check decoys against`);
      lost.set(entry.family, (lost.get(entry.family) ?? 0) + entry.decoys.length);
      continue;
    }
    // Each decoy must be there as often as the original file has it (a multiset of lines).
    const have = new Map<string, number>();
    for (const line of logical(stored, entry.family)) have.set(line, (have.get(line) ?? 0) + 1);
    const missing: string[] = [];
    for (const decoy of entry.decoys) {
      const n = have.get(decoy) ?? 0;
      if (n > 0) have.set(decoy, n - 1);
      else missing.push(decoy);
    }
    lost.set(entry.family, (lost.get(entry.family) ?? 0) + missing.length);
    for (const decoy of missing) t.fail(`DECOY LOST ${entry.file}: \`${decoy.trim()}\``, { diagnostic: false });
    if (missing.length === 0) t.pass(`${entry.file}: ${entry.decoys.length} decoys survive`);
  }
  for (const family of families) t.comment(`decoys lost ${family}: ${lost.get(family) ?? 0} of ${total.get(family) ?? 0}`);
}
