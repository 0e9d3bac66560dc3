// Expected redaction written as the config itself: `{{value}}` marks a secret, which must come out
// as exactly the keyed tag of that value, with every other character where it was.
import type { Test } from 'tap';
import { Redactor, Tagger, type Vendor } from '@netsidecar/config-upload';

export const tagger = new Tagger(Buffer.from('redaction-test-key-0123456789'));
export const redactor = new Redactor(tagger);

/** The config as the router writes it (markers removed) and as it must come out (markers tagged). */
export function split(annotated: string): { input: string; expected: string; values: string[] } {
  const values: string[] = [];
  const input = annotated.replace(/\{\{([\s\S]*?)\}\}/g, (_m, v: string) => {
    values.push(v);
    return v;
  });
  const expected = annotated.replace(/\{\{([\s\S]*?)\}\}/g, (_m, v: string) => tagger.tag(v.replace(/\\\n\s*/g, '')));
  return { input, expected, values };
}

/**
 * Redacts `annotated` (markers removed) as `vendor`: the output is exactly the annotated text with
 * each marked value replaced by its tag. `gaps`: the expected `unclassified` shapes ([] when every
 * value must be found by a vendor rule).
 */
export function expectRedaction(t: Test, vendor: Vendor, annotated: string, gaps: string[] = []): void {
  const { input, expected, values } = split(annotated);
  const out = redactor.redact(input, vendor);
  t.equal(out.text, expected, `${vendor}: only the marked values replaced`);
  t.same(out.unclassified, gaps, 'unclassified shapes');
  t.equal(out.count, gaps.length === 0 ? values.length : out.count, 'one redaction per value');
  // Values that are not words of the config itself must be nowhere in the output.
  for (const v of values) for (const part of v.split(/\\\n\s*/)) if (!expected.includes(part)) t.notOk(out.text.includes(part), `${part} is gone`);
}
