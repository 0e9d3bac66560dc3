// The corpus manifest is what the leak test trusts, so it is checked against the files: every
// marker core where the manifest says and in no other file, every decoy present, every file
// listed, every family covered. `NETSIDECAR_CORPUS_WRITE=1 npx tap <this file>` rewrites the
// derived fields (markers, decoys, neutral lines, the second upload's edit) from the files and
// keeps the hand-kept ones (family, upload name, transport, intended config).
import t from 'tap';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  corpusDir,
  deriveEntry,
  families,
  loadManifest,
  manifestPath,
  readCorpusFile,
  rotateCore,
  secondVersion,
  variantOf,
  type CorpusFile,
  type CorpusFileHead,
} from './support/corpus.js';

const about =
  'Leak corpus of services/config-upload: one entry per device configuration. markers: every planted secret ' +
  '(core = the unique token searched for, value = the secret it sits in, command = its line with values as *). ' +
  'decoys: lines that hold no secret and must survive verbatim. Derived fields are rebuilt by ' +
  'NETSIDECAR_CORPUS_WRITE=1 npx tap services/config-upload/test/corpus-manifest.test.ts; see corpus/README.md.';

const head = (f: CorpusFile): CorpusFileHead => ({ file: f.file, family: f.family, uploadAs: f.uploadAs, via: f.via, gzip: f.gzip, intended: f.intended });

t.test('the manifest is derived from the corpus files', async (t) => {
  const manifest = await loadManifest();
  const derived = await Promise.all(manifest.files.map((f) => deriveEntry(head(f))));
  if (process.env.NETSIDECAR_CORPUS_WRITE === '1') {
    await writeFile(manifestPath, `${JSON.stringify({ about, files: derived }, null, 2)}\n`);
    t.comment(`rewrote ${manifestPath}`);
  }
  t.equal(manifest.about, about, 'the manifest says what it is');
  for (const [i, entry] of manifest.files.entries()) t.same(entry, derived[i], `${entry.file} matches its file`);
});

t.test('every file is listed, every family covered, every core unique to one file', async (t) => {
  const manifest = await loadManifest();
  const listed = new Set(manifest.files.flatMap((f) => [f.file, ...(f.intended ? [f.intended] : [])]));
  for (const dir of ['devices', 'intended']) {
    for (const name of await readdir(join(corpusDir, dir))) t.ok(listed.has(`${dir}/${name}`), `${dir}/${name} is in the manifest`);
  }
  t.ok(manifest.files.length >= 40, `${manifest.files.length} device configurations`);
  for (const family of families)
    t.ok(
      manifest.files.some((f) => f.family === family),
      `${family} is covered`,
    );

  const owner = new Map<string, string>();
  for (const f of manifest.files) {
    for (const m of [...f.markers, ...f.intendedMarkers]) {
      t.ok(m.core.length >= 8, `${m.core} has at least 8 characters`);
      const seen = owner.get(m.core.toLowerCase());
      if (seen !== undefined && seen !== f.file) t.fail(`${m.core} is in ${seen} and ${f.file}`);
      owner.set(m.core.toLowerCase(), f.file);
    }
    t.ok(f.markers.length > 0 && f.markers.every((m) => variantOf(m.core) === 'v1'), `${f.file}: markers are first-upload markers`);
    t.ok(
      f.intendedMarkers.every((m) => variantOf(m.core) === 'intended'),
      `${f.file}: intended markers are intended-config markers`,
    );
    t.ok(f.decoys.length > 0, `${f.file}: has decoys`);
  }
});

t.test('the second upload rotates every marker and changes one address', async (t) => {
  const manifest = await loadManifest();
  for (const f of manifest.files) {
    const v1 = await readCorpusFile(f.file);
    const v2 = secondVersion(v1, f);
    const leftovers = f.markers.filter((m) => v2.includes(m.core) || (m.encoding === 'base64' && v2.includes(m.value)));
    t.same(
      leftovers.map((m) => m.core),
      [],
      `${f.file}: no first-upload marker in the second upload`,
    );
    t.ok(
      f.markers.every((m) => m.encoding === 'base64' || v2.includes(rotateCore(m.core, 'v2'))),
      `${f.file}: every marker rotated`,
    );
    t.equal(v2.split('\n')[f.v2Edit.line - 1], f.v2Edit.to, `${f.file}: the address changed`);
  }
});
