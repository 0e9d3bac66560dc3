// The one codec for values too big for one CloudWatch event, at the sizes it is used at: the
// CloudWatch sink's event limit (part/1) and config-upload's 250,000-byte events (config-part/1);
// multi-byte UTF-8 at every part boundary; and config-part/1 events as they are stored today, which
// auditors read for years, still joined.
import t from 'tap';
import fc from 'fast-check';
import { PartGroup, configPartMessages, jsonSlices, parsePart, readPart, reassembleParts, splitMessage, type ConfigPartMessage } from '../src/index.js';

// What the CloudWatch sink gives splitMessage: its default maxEventBytes (1,000,000) less the 26
// bytes CloudWatch counts per event (packages/sink/src/cloudwatch/limits.ts).
const SINK_LIMIT = 1_000_000 - 26;
const CONFIG_LIMIT = 250_000;

const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

t.test('property: messages around the sink limit round-trip, every part within it', async (t) => {
  const units = ['a', 'é', '€', '😀', '"', '\\', '\n', '\u0001'];
  const message = fc
    .record({ delta: fc.integer({ min: -48, max: 48 }), unit: fc.constantFrom(...units), tail: fc.string({ unit: 'binary', maxLength: 12 }) })
    .map(({ delta, unit, tail }) => {
      // About SINK_LIMIT + delta bytes of UTF-8: ASCII up to the edge, then the unit that lands on it.
      const body = 'x'.repeat(Math.max(0, SINK_LIMIT + delta - 4 * 8 - Buffer.byteLength(tail)));
      return body + unit.repeat(8) + tail;
    });
  let run = 0;
  fc.assert(
    fc.property(message, (m) => {
      const parts = splitMessage(m, SINK_LIMIT, `p${run++}`);
      if (Buffer.byteLength(m) <= SINK_LIMIT) {
        if (parts.length !== 1 || parts[0] !== m) throw new Error('a message that fits was touched');
        return;
      }
      for (const p of parts) if (Buffer.byteLength(p) > SINK_LIMIT) throw new Error(`a part of ${Buffer.byteLength(p)} bytes`);
      const out = reassembleParts(parts);
      if (out.messages.length !== 1 || out.messages[0] !== m || out.incomplete.length !== 0) throw new Error('does not reassemble');
    }),
    { numRuns: 40 },
  );
  t.pass('40 messages within 48 bytes of the limit');
});

t.test('a message one byte over the limit is two parts; at the limit it is itself', async (t) => {
  const at = 'é'.repeat(SINK_LIMIT / 2);
  t.equal(Buffer.byteLength(at), SINK_LIMIT);
  t.same(splitMessage(at, SINK_LIMIT), [at]);
  const over = at + 'x';
  const parts = splitMessage(over, SINK_LIMIT, 'over');
  t.equal(parts.length, 2);
  t.equal(reassembleParts(parts).messages[0], over);
});

t.test('multi-byte UTF-8 on every side of a part boundary: valid text in every part, nothing lost', async (t) => {
  for (const ch of ['é', '€', '😀', '東']) {
    for (let shift = 0; shift < 8; shift++) {
      const text = 'a'.repeat(shift) + ch.repeat(3000);
      const slices = jsonSlices(text, 97);
      t.equal(slices.map((s) => s.data).join(''), text, `${ch} shifted ${shift}: the slices are the text`);
      t.ok(
        slices.every((s) => wellFormed(s.data) && Buffer.byteLength(s.json) - 2 <= 97),
        `${ch} shifted ${shift}: each slice whole code points, within budget`,
      );
      const parts = splitMessage(text, 200, `u${shift}`);
      t.ok(
        parts.every((p) => wellFormed(parsePart(p)!.data)),
        `${ch} shifted ${shift}: no part holds half a surrogate pair`,
      );
    }
  }
});

t.test('a budget a surrogate pair alone exceeds still makes progress', async (t) => {
  const slices = jsonSlices('\u0001😀\u0001😀', 3);
  t.same(
    slices.map((s) => s.data),
    ['\u0001', '😀', '\u0001', '😀'],
    'one code point per slice, none split',
  );
});

t.test('property: config-upload fields at its event limit round-trip through config-part/1', async (t) => {
  const field = fc
    .record({ size: fc.integer({ min: CONFIG_LIMIT - 500, max: 2 * CONFIG_LIMIT + 500 }), unit: fc.constantFrom('a', 'é', '😀', '"', '\n') })
    .map(({ size, unit }) => 'hostname rtr-1\n'.repeat(Math.floor(size / 30)) + unit.repeat(Math.floor(size / 30 / unit.length)));
  fc.assert(
    fc.property(field, (value) => {
      const envelope = { receivedAt: '2026-11-22T23:00:00.000Z', uploadId: 'u1', device: 'rtr-1', field: 'config' };
      const messages = configPartMessages(envelope, jsonSlices(value, CONFIG_LIMIT - 400));
      if (messages.some((m) => Buffer.byteLength(m) > CONFIG_LIMIT)) throw new Error('a config-part/1 event over the limit');
      const first = readPart(JSON.parse(messages[0]!))!;
      const group = new PartGroup(first.parts);
      for (const m of [...messages].reverse()) group.add(parsePart(m)!.part, parsePart(m)!.data);
      if (group.join() !== value) throw new Error('the field does not join back');
    }),
    { numRuns: 25 },
  );
  t.pass('25 fields');
});

t.test('config-part/1 events as stored in CloudWatch are read and joined', async (t) => {
  // Written by config-upload before the codec moved (the form is unchanged): kept byte for byte.
  const stored = [
    '{"schema":"config-part/1","receivedAt":"2026-03-01T10:00:00.000Z","uploadId":"3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1","device":"rtr-tyo-1","field":"diff","part":2,"parts":2,"data":"+hostname b2\\n"}',
    '{"schema":"config/1","receivedAt":"2026-03-01T10:00:00.000Z","uploadId":"3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1","device":"rtr-tyo-1","detached":["diff"],"parts":2}',
    '{"schema":"config-part/1","receivedAt":"2026-03-01T10:00:00.000Z","uploadId":"3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1","device":"rtr-tyo-1","field":"diff","part":1,"parts":2,"data":"-hostname a\\n"}',
    '{"schema":"config-part/1","receivedAt":"2026-03-01T10:00:00.000Z","uploadId":"3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1","device":"rtr-tyo-1","field":"diff","part":1,"parts":2,"data":"-hostname a\\n"}',
  ];
  const parts = stored.map(parsePart).filter((p): p is ConfigPartMessage => p?.schema === 'config-part/1');
  t.equal(parts.length, 3, 'each part read, the config/1 event is none');
  t.same(
    parts.map((p) => [p.uploadId, p.field, p.part, p.parts]),
    [
      ['3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1', 'diff', 2, 2],
      ['3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1', 'diff', 1, 2],
      ['3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1', 'diff', 1, 2],
    ],
  );
  const group = new PartGroup(2);
  t.same(
    parts.map((p) => group.add(p.part, p.data)),
    [true, true, false],
    'the duplicate (at-least-once delivery) counts once',
  );
  t.equal(group.join(), '-hostname a\n+hostname b2\n', 'joined in part order, whatever the arrival order');
  t.same(reassembleParts(stored).messages, stored, 'config-part/1 events are events of their own: reassembleParts passes them on');
  const again = configPartMessages(
    { receivedAt: '2026-03-01T10:00:00.000Z', uploadId: '3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1', device: 'rtr-tyo-1', field: 'diff' },
    ['-hostname a\n', '+hostname b2\n'].map((data) => ({ data, json: JSON.stringify(data) })),
  );
  t.same(again, [stored[2], stored[0]], 'config-upload writes the same bytes today');
});

t.test('the joiner never gives a value with holes', async (t) => {
  const group = new PartGroup(3);
  t.ok(group.add(3, 'c'));
  t.ok(group.add(1, 'a'));
  t.notOk(group.add(4, 'd'), 'a number outside 1..parts is refused');
  t.notOk(group.add(0, 'z'));
  t.equal(group.join(), undefined);
  t.same(group.missing(), [2]);
  t.ok(group.add(2, ''), 'an empty part is a part');
  t.equal(group.join(), 'ac');
  t.same(group.missing(), []);
});

t.test('readPart takes neither a part without its key nor a number out of range', async (t) => {
  t.equal(readPart({ schema: 'part/1', partId: '', part: 1, parts: 1, data: 'x' }), undefined);
  t.equal(readPart({ schema: 'config-part/1', field: 'diff', part: 1, parts: 1, data: 'x' }), undefined, 'no uploadId');
  t.equal(readPart({ schema: 'part/1', partId: 'p', part: 2, parts: 1, data: 'x' }), undefined);
  t.equal(readPart({ schema: 'syslog/1', partId: 'p', part: 1, parts: 1, data: 'x' }), undefined);
  t.equal(parsePart('{"schema":"config-part/1","broken'), undefined);
});
