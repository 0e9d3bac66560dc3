import t, { type Test } from 'tap';
import fc from 'fast-check';
import { parsePart, reassembleParts, splitMessage } from '../src/index.js';

const LIMIT = 200; // bytes of UTF-8 per part message

type T = Test;

function check(t: T, original: string, limit = LIMIT) {
  const parts = splitMessage(original, limit, 'id-1');
  for (const part of parts) t.ok(Buffer.byteLength(part) <= limit, `part of ${Buffer.byteLength(part)} bytes fits in ${limit}`);
  t.equal(reassembleParts(parts).messages.join('\u0000'), original, 'reassembles to the original');
  t.equal(parts.map((p) => parsePart(p)!.data).join(''), original, 'data fields concatenate to the original');
  return parts;
}

t.test('a message that fits is not touched', async (t) => {
  t.same(splitMessage('{"a":1}', LIMIT), ['{"a":1}']);
  t.same(splitMessage('é'.repeat(100), LIMIT), ['é'.repeat(100)], 'exactly 200 bytes fits');
});

t.test('the part format', async (t) => {
  const parts = splitMessage('x'.repeat(300), LIMIT, '1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  t.equal(parts.length, 3);
  t.same(JSON.parse(parts[0]!), { schema: 'part/1', partId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', part: 1, parts: 3, data: JSON.parse(parts[0]!).data });
  t.match(parts[2]!, /^\{"schema":"part\/1","partId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","part":3,"parts":3,"data":"x+"\}$/);
  t.not(splitMessage('x'.repeat(300), LIMIT)[0], splitMessage('x'.repeat(300), LIMIT)[0], 'a fresh partId each time');
});

t.test('multi-byte UTF-8 at every possible boundary position round-trips', async (t) => {
  // Shift 2-, 3- and 4-byte characters across the cut by prefixing 0..7 ASCII bytes.
  for (let shift = 0; shift < 8; shift++) {
    for (const ch of ['é', '€', '😀', '東']) check(t, 'a'.repeat(shift) + ch.repeat(120));
  }
  const parts = check(t, '😀'.repeat(200));
  for (const part of parts) t.notMatch(parsePart(part)!.data, /^[\udc00-\udfff]|[\ud800-\udbff]$/, 'no surrogate pair cut in two');
});

t.test('JSON escapes are counted: quotes, backslashes, control characters, lone surrogates', async (t) => {
  check(t, '"\\'.repeat(200));
  check(t, '\u0001\n\t\u001f'.repeat(100));
  check(t, 'a\ud800b\udc00'.repeat(60), LIMIT);
  check(t, '\u2028\u2029\u007f/'.repeat(80));
});

t.test('ten parts or more: the envelope widens and every part still fits', async (t) => {
  const parts = check(t, 'y'.repeat(5000));
  t.ok(parts.length >= 10);
  t.equal(parsePart(parts[parts.length - 1]!)!.parts, parts.length);
});

t.test('reassembly keeps order, ignores duplicates, reports missing parts, passes other messages', async (t) => {
  const a = splitMessage('A'.repeat(400), LIMIT, 'a');
  const b = splitMessage('B'.repeat(400), LIMIT, 'b');
  const stream = ['{"schema":"syslog/1"}', a[0]!, b[0]!, a[1]!, a[0]!, a[2]!, 'plain', b[2]!];
  const out = reassembleParts(stream);
  t.same(out.messages, ['{"schema":"syslog/1"}', 'A'.repeat(400), 'plain']);
  t.same(out.incomplete, [{ partId: 'b', parts: 3, missing: [2] }]);
  t.same(reassembleParts(['{"schema":"part/1","broken']).messages, ['{"schema":"part/1","broken'], 'not JSON: passed through');
});

t.test('property: random strings round-trip at random limits', async (t) => {
  const alphabet = ['a', 'é', '€', '😀', '"', '\\', '\n', '\u0000', '\ud800', '\udfff', ' '];
  const text = fc.array(fc.constantFrom(...alphabet), { minLength: 50, maxLength: 649, size: 'max' }).map((pieces) => pieces.join(''));
  const limit = fc.integer({ min: 130, max: 329 });
  let run = 0;
  fc.assert(
    fc.property(text, limit, (s, limit) => {
      const parts = splitMessage(s, limit, `r${run++}`);
      const tooLong = parts.find((p) => Buffer.byteLength(p) > limit);
      if (tooLong !== undefined) throw new Error(`a part of ${Buffer.byteLength(tooLong)} bytes over the limit`);
      if (reassembleParts(parts).messages[0] !== s) throw new Error('does not reassemble to the original');
    }),
    { numRuns: 200 },
  );
  t.pass('200 random strings');
});
