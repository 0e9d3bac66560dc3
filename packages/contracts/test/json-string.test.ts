// jsonString is JSON.stringify for strings, only cheaper: the syslog/2 encoder quotes every field
// with it, so one byte of difference would be a changed event (or invalid JSON) in CloudWatch.
import t from 'tap';
import fc from 'fast-check';
import { jsonString } from '../src/syslog/json-string.js';

t.test('gives exactly what JSON.stringify gives, for any string', async (t) => {
  const texts = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    // Lone surrogates: JSON.stringify escapes them (\udXXX); a quoted copy would not.
    fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
    fc.string({
      unit: fc.constantFrom('a', ' ', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u0080', 'é', '😀', '~', '!', '#', '[', ']'),
      maxLength: 30,
    }),
  );
  fc.assert(
    fc.property(texts, (text) => jsonString(text) === JSON.stringify(text)),
    { numRuns: 20_000, seed: 8 },
  );
  t.pass('20,000 strings');
});

t.test('every single UTF-16 code unit, alone and inside printable text', async (t) => {
  const differing: number[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    const unit = String.fromCharCode(c);
    for (const text of [unit, `GigabitEthernet0/1 ${unit} down`]) if (jsonString(text) !== JSON.stringify(text)) differing.push(c);
  }
  t.same(differing, [], 'no code unit is quoted differently');
  t.equal(jsonString(''), '""');
  t.equal(jsonString('%LINK-3-UPDOWN: Interface Gi0/1'), '"%LINK-3-UPDOWN: Interface Gi0/1"');
  t.equal(jsonString('say "hi"\\'), '"say \\"hi\\"\\\\"');
});
