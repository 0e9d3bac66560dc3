// The diffs of the event (`diff`, `driftDiff`): unifiedDiff cuts the lines both texts share before
// jsdiff sees them (by comparing the texts, not by splitting them), so the cut must never change
// what the patch says. Property: whatever the texts (repeated lines, where what they start and end
// with overlaps; with or without a final newline), the patch turns the old text into the new one,
// and its counts are its + and - lines.
import t from 'tap';
import fc from 'fast-check';
import { applyPatch } from 'diff';
import { unifiedDiff } from '@netsidecar/config-upload';

const lines = fc.array(fc.constantFrom('a', 'b', 'c', '', ' x', 'interface Gi0/1', '!'), { maxLength: 40 });
const text = fc.tuple(lines, fc.boolean()).map(([ls, newline]) => ls.join('\n') + (newline && ls.length > 0 ? '\n' : ''));
/** A text and an edit of it: lines replaced, inserted or removed somewhere, often next to copies of themselves. */
const edited = fc.tuple(lines, fc.nat(40), fc.nat(3), lines, fc.boolean(), fc.boolean()).map(([base, at, removed, inserted, nl1, nl2]) => {
  const after = [...base];
  after.splice(at, removed, ...inserted.slice(0, 4));
  return [base.join('\n') + (nl1 ? '\n' : ''), after.join('\n') + (nl2 ? '\n' : '')] as const;
});

t.test('the patch turns the old text into the new one, whatever the texts share', async (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.tuple(text, text), edited), ([before, after]) => {
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
