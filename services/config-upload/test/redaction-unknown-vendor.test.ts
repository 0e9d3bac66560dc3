// When detection cannot name the vendor, every family's reader runs (`unknown`): no secret of the
// leak corpus may survive that either. In-process: every corpus configuration (first upload and
// intended configs) redacted as `unknown`, the output searched as leak-corpus.test.ts searches
// (raw, base64 and the other encodings). Detection itself is checked on the corpus too: every
// family is recognised, so `unknown` stays the fallback it is meant to be.
import t from 'tap';
import { detectVendor } from '@netsidecar/config-upload';
import { loadManifest, readCorpusFile } from './support/corpus.js';
import { findCores } from './support/leak-search.js';
import { redactor } from './support/redact-case.js';

const manifest = await loadManifest();
const expectedVendor = { 'junos-set': 'junos', mikrotik: 'mikrotik' } as Record<string, string>;

t.test('every corpus family is detected as its vendor', async (t) => {
  for (const entry of manifest.files) {
    const text = await readCorpusFile(entry.file);
    t.equal(detectVendor(text), expectedVendor[entry.family] ?? entry.family, entry.file);
  }
});

t.test('as `unknown`, every family reads its own lines: no corpus secret survives', async (t) => {
  let planted = 0;
  for (const entry of manifest.files) {
    for (const [file, markers] of [
      [entry.file, entry.markers],
      [entry.intended, entry.intendedMarkers],
    ] as const) {
      if (file === null) continue;
      planted += markers.length;
      const out = redactor.redact(await readCorpusFile(file), 'unknown');
      const found = findCores([{ where: file, data: out.text }]);
      t.same(
        found.map((f) => `${f.core} (${f.via})`),
        [],
        `${file}: ${markers.length} markers, none left`,
      );
    }
  }
  t.ok(planted > 900, `${planted} markers planted`);
});
