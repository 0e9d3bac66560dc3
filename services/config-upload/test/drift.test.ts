// Drift (`driftStatus`, `driftDiff`) compares the upload and the intended config with every
// redaction tag masked. It masks and diffs only the part of the upload that differs
// (analyse/masked-window.ts); property: the answer is exactly the one of masking the whole upload
// and diffing the whole texts, whatever the texts hold (tags, masks, things that look like tags,
// repeated lines, differences at the very start or end, with or without a final newline).
import t from 'tap';
import fc from 'fast-check';
import { driftOf, maskedIntended, maskSecrets, unifiedDiff } from '@netsidecar/config-upload';
import { textPairs } from './support/text-pairs.js';

/** What drift answered before it worked on a window: the whole upload masked, the whole texts diffed. */
function wholeDrift(upload: string, intendedText: string): string | null {
  const masked = maskSecrets(upload);
  return masked === intendedText ? null : unifiedDiff('rtr intended', 'rtr v7', intendedText, masked).text;
}

const pairs = textPairs(
  fc.oneof(
    fc.constantFrom(
      'a',
      'b',
      '',
      ' x',
      'interface Gi0/1',
      '!',
      ' key <redacted:0123abcd>',
      ' key <redacted:deadbeef>',
      ' key <secret>',
      '<redacted:0123abcd><redacted:00000000>',
      ' key <redacted:0123abcg>',
      ' key <redacted:0123abc',
      '<redacted:<redacted:0123abcd>>',
      ' password 7 <redacted:feedface> x',
    ),
    fc.string({ maxLength: 6 }).map((s) => s.replace(/\n/g, '')),
  ),
  30,
);

t.test('drift on the differing window equals drift of the whole masked texts', async (t) => {
  fc.assert(
    fc.property(pairs, ([upload, intendedSource]) => {
      const intended = maskedIntended(intendedSource);
      const drift = driftOf('rtr', 7, upload, intended);
      const expected = wholeDrift(upload, intended.text);
      return drift.driftDiff === expected && drift.drift === (expected !== null) && drift.driftStatus === (expected === null ? 'in_sync' : 'drifted');
    }),
    { numRuns: 5000 },
  );
  t.pass('5000 pairs: the same status and the same diff, byte for byte');
});

t.test('a long config with a tag every few lines: one hunk numbered from the top, secrets masked', async (t) => {
  const config = (change: string, secret: (i: number) => string) =>
    Array.from({ length: 30_000 }, (_, i) =>
      i % 7 === 0 ? ` standby 1 authentication md5 key-string ${secret(i)}` : i === 20_000 ? change : ` description port ${i}`,
    ).join('\n') + '\n';
  const upload = config(' description changed', (i) => `<redacted:${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}>`);
  const intended = maskedIntended(config(' description port 20000', () => '<redacted:00000000>'));
  const drift = driftOf('rtr', 7, upload, intended);
  t.equal(drift.driftDiff, wholeDrift(upload, intended.text));
  t.match(drift.driftDiff, /^--- rtr intended\n\+\+\+ rtr v7\n@@ -19998,7 \+19998,7 @@\n/);
  t.notMatch(drift.driftDiff, /redacted/);
  t.equal(
    driftOf(
      'rtr',
      7,
      config(' description port 20000', () => '<redacted:12345678>'),
      intended,
    ).driftStatus,
    'in_sync',
  );
});
