import fc from 'fast-check';

/**
 * Pairs of texts for the diff properties (unified-diff, drift): two unrelated texts, or a text and
 * an edit of it (lines replaced, inserted or removed somewhere, often next to copies of
 * themselves), each with or without a final newline. `line` draws one line; `maxLines` per text.
 */
export function textPairs(line: fc.Arbitrary<string>, maxLines: number): fc.Arbitrary<readonly [string, string]> {
  const lines = fc.array(line, { maxLength: maxLines });
  const text = fc.tuple(lines, fc.boolean()).map(([ls, newline]) => ls.join('\n') + (newline && ls.length > 0 ? '\n' : ''));
  const edited = fc.tuple(lines, fc.nat(maxLines), fc.nat(3), lines, fc.boolean(), fc.boolean()).map(([base, at, removed, inserted, nl1, nl2]) => {
    const after = [...base];
    after.splice(at, removed, ...inserted.slice(0, 4));
    return [base.join('\n') + (nl1 ? '\n' : ''), after.join('\n') + (nl2 ? '\n' : '')] as const;
  });
  return fc.oneof(
    fc.tuple(text, text),
    edited,
    text.map((x) => [x, x] as const),
  );
}
