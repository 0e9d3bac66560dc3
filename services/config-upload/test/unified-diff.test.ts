// The diffs of the event (`diff`, `driftDiff`): unifiedDiff cuts the lines both texts share before
// jsdiff sees them (by comparing the texts, not by splitting them), so the cut must never change
// what the patch says. Property: whatever the texts (repeated lines, where what they start and end
// with overlaps; with or without a final newline), the patch turns the old text into the new one,
// and its counts are its + and - lines.
import t from 'tap';
import fc from 'fast-check';
import { applyPatch } from 'diff';
import { unifiedDiff } from '@netsidecar/config-upload';
import { textPairs } from './support/text-pairs.js';

const pairs = textPairs(fc.constantFrom('a', 'b', 'c', '', ' x', 'interface Gi0/1', '!'), 40);

t.test('the patch turns the old text into the new one, whatever the texts share', async (t) => {
  fc.assert(
    fc.property(pairs, ([before, after]) => {
      const diff = unifiedDiff('old', 'new', before, after);
      const body = diff.text.split('\n').slice(2); // after the --- and +++ headers
      return (
        applyPatch(before, diff.text) === after &&
        diff.added === body.filter((l) => l.startsWith('+')).length &&
        diff.removed === body.filter((l) => l.startsWith('-')).length
      );
    }),
    { numRuns: 3000 },
  );
  t.pass('3000 pairs of texts: every patch applies and counts its lines');
});

t.test('a change deep in a long text: one hunk, three lines of context, numbered from the top', async (t) => {
  const before = Array.from({ length: 40_000 }, (_, i) => ` description port ${i}`);
  const after = [...before];
  after[20_000] = ' description changed';
  const diff = unifiedDiff('old', 'new', before.join('\n') + '\n', after.join('\n') + '\n');
  t.equal(
    diff.text,
    [
      '--- old',
      '+++ new',
      '@@ -19998,7 +19998,7 @@',
      ...before.slice(19_997, 20_000).map((l) => ` ${l}`),
      '- description port 20000',
      '+ description changed',
      ...before.slice(20_001, 20_004).map((l) => ` ${l}`),
      '',
    ].join('\n'),
  );
  t.match(diff, { added: 1, removed: 1 });
});
