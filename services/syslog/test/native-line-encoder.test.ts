// The C encoder of the commonest lines (native/line_encoder.c: Cisco IOS in UTC, RFC 5424, BSD) writes,
// for every line it takes, exactly the bytes of the TypeScript parser and encoder, in both of the
// sinks' forms; the lines it does not take are left to TypeScript. Checked on the bench corpus, on lines made to sit on every edge of
// the shape it takes, and on fuzzed bytes. The vendor corpora check it line by line too
// (test/parser/corpus-helpers.ts).
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { buildCorpus } from '../../../bench/lib/corpus.mjs';
import { compareEncoders, withNative, type Received } from './native-check.js';

const at = Date.parse('2026-11-22T14:00:05.250Z');
const received = (line: string | Uint8Array, extra: Partial<Received> = {}): Received => ({
  line: typeof line === 'string' ? Buffer.from(line) : line,
  receivedAt: at,
  sourceIp: '203.0.113.5',
  sourcePort: 51514,
  transport: 'udp',
  ...extra,
});

t.test('the addon is built here: without it every test below would compare TypeScript with itself', async (t) => {
  t.ok(withNative.fast, 'the C encoder is loaded (npm install builds it; CI requires it)');
});

t.test('bench corpus: every line taken by the C encoder, every event the same bytes', async (t) => {
  const corpus = buildCorpus({ lines: 10_240, devices: 100, seed: 42, when: new Date('2026-11-22T14:00:00.000Z') });
  const cisco = corpus.lines.filter((line) => /^<\d+>\d+: rtr-[a-z]+-\d+: \*?[A-Z]/.test(line)).length;
  const rfc5424 = corpus.lines.filter((line) => /^<\d+>1 /.test(line)).length;
  let accepted = 0;
  for (let b = 0; b < corpus.lines.length; b += 512) {
    const both = compareEncoders(corpus.lines.slice(b, b + 512).map((line, i) => received(line, { receivedAt: at + i, sourcePort: 40_000 + (i % 7) })));
    accepted += both.accepted;
    if (JSON.stringify(both.native) !== JSON.stringify(both.typescript)) {
      t.same(both.native, both.typescript, `batch at line ${b}`);
      return;
    }
  }
  t.equal(accepted, corpus.lines.length, `the C encoder takes every line: ${cisco} Cisco, ${rfc5424} RFC 5424, the rest BSD`);
  t.ok(cisco > corpus.lines.length * 0.4 && rfc5424 > corpus.lines.length * 0.3, 'the corpus is about half Cisco and a third RFC 5424');
});

const junosSd = '[junos@2636.1.1.1.2.18 peer-name="10.1.1.1" error-message="Connection reset"]';
const rfc5424Cases: [string, boolean][] = [
  [`<165>1 2026-11-22T14:00:00.003Z rtr1 rpd 2345 BGP_IO_ERROR_CLOSE_SESSION ${junosSd} BGP peer 10.1.1.1: closing`, true],
  ['<165>1 2026-11-22T23:00:00.003+09:00 rtr1 rpd 2345 BGP_X - Peer down', true],
  ['<165>1 2026-11-22T14:00:00-0700 rtr1 rpd - - - Peer down', true],
  ['<165>1 2026-11-22T14:00:00.123456789Z rtr1 rpd - - - Nine fraction digits', true],
  ['<165>1 2026-11-22T14:00:00.5Z rtr1 rpd - - - One fraction digit', true],
  ['<165>1 2026-12-31T23:30:00-01:00 rtr1 rpd - - - Next year in UTC', true],
  ['<165>1 - - - - - -', true],
  ['<165>1 - rtr1 app 1 ID [a@1][b@2 x="1" y=""] Message after two SD elements', true],
  ['<165>1 - rtr1 app 1 ID [exampleSDID@32473 iut="3" eventSource="Application"]', true],
  ['<165>1 - rtr"1 ap\\p 1 ID - Quotes and backslashes "in" \\ fields', true],
  [`<165>1 - rtr1 app 1 ID ${junosSd} %LINK-3-UPDOWN: a code, but the SD says Junos`, true],
  ['<165>1 - rtr1 app 1 ID - %LINK-3-UPDOWN: a Cisco code in the message', false],
  ['<165>1 - rtr1 app 1 ID - 01070151:3: digits first (F5, PAN-OS)', false],
  ['<165>1 - rtr1 app 1 ID - date=2026-11-22 lower case first (FortiOS, MikroTik)', false],
  ['<165>1 2026-11-22T14:00:00.1234567890Z rtr1 rpd - - - ten fraction digits', false],
  ['<165>1 2026-11-22T14:00:00 rtr1 rpd - - - no offset', false],
  ['<165>1 2026-11-22t14:00:00Z rtr1 rpd - - - lower-case t', false],
  ['<165>1 2026-11-22T14:00:00z rtr1 rpd - - - lower-case z', false],
  ['<165>1 2026-11-22T14:00:60Z rtr1 rpd - - - leap second', false],
  ['<165>1 2026-02-29T14:00:00Z rtr1 rpd - - - no such day', false],
  ['<165>1 0099-11-22T14:00:00Z rtr1 rpd - - - year 99', false],
  ['<165>1 2026-11-22T14:00:00+24:00 rtr1 rpd - - - offset out of range', false],
  ['<165>1 2026-11-22T14:00:00+09:0 rtr1 rpd - - - short offset', false],
  ['<165>1 2026-11-22T14:00:00Z  rtr1 rpd - - - two spaces', false],
  ['<165>1 2026-11-22T14:00:00Z rtr1 rpd - -', false],
  ['<165>1 - rtr1 app 1 ID -x', false],
  ['<165>1 - rtr1 app 1 ID - ', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="1"]x', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="1"] ', false],
  ['<165>1 - rtr1 app 1 ID [a@1  x="1"] two spaces in the SD', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="1" ] space before ]', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="a\\"b"] escaped quote', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="a]b"] bracket in a value', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="1" x="2"] repeated name', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="1"][a@1 y="2"] repeated SD-ID', false],
  ['<165>1 - rtr1 app 1 ID [a@1 2="1" x="2"] all-digit name', false],
  ['<165>1 - rtr1 app 1 ID [7 x="1"] all-digit SD-ID', false],
  ['<165>1 - rtr1 app 1 ID [a@1 x="1" broken', false],
  ['<165>1 - rtr1 app 1 ID [a@1 __proto__="x" constructor="y"] Prototype names', true],
];

const bsdCases: [string, boolean][] = [
  ['<30>Nov 22 14:00:00 rtr-tyo-01 chassisd[1234]: CHASSISD_SNMP_TRAP7: SNMP trap generated: Fan/Blower OK', true],
  ['<30>Nov  2 14:00:00 rtr1 rpd[1]: BGP_X: y', true],
  ['<30>Nov 2 14:00:00 10.0.0.1 sshd: Accepted publickey for netops', true],
  ['<30>Nov 02 14:00:00 edge-1.example.net mgd[77]: UI_COMMIT: User "admin" requested commit', true],
  ['<30>Feb 31 14:00:00 rtr1 app: No such day, but no zone either: the text is kept', true],
  ['<30>Nov 22 14:00:00 rtr1 app[x y]: A PID with a space', true],
  ['<30>Nov 22 14:00:00 rtr1 app: ', true],
  ['<30>Nov 22 14:00:00 rtr1 o"dd"\\tag: Quotes and a backslash in the tag', true],
  ['<30>Nov 22 14:00:00 rtr1 app: BGP_STATE:no space after the event tag', false],
  ['<30>Nov 22 14:00:00 rtr1 app: BGP_STATE event tag without a colon', false],
  ['<30>Nov 22 14:00:00 rtr1 app: BGP_STATE', false],
  ['<30>Nov 22 14:00:00 rtr1 app: NO-TAG here, upper case without underscore', true],
  ['<30>Nov 22 14:00:00 rtr1 app: BGP_: underscore last', true],
  ['<30>Nov 22 14:00:00 UTC app: a zone name for a host', false],
  ['<30>Nov 22 14:00:00 core app: six letters or fewer', false],
  ['<30>Nov 22 14:00:00 -0500 app: an offset for a host', false],
  ['<30>Nov 22 14:00:00.123 rtr1 app: a fraction', false],
  ['<30>Nov 22 14:00:00 rtr1  app: two spaces', false],
  ['<30>Nov 22 14:00:00 rtr1 app:no space', false],
  ['<30>Nov 22 14:00:00 rtr1 app[]: empty PID', false],
  ['<30>Nov 22 14:00:00 rtr1 app[1] no colon', false],
  ['<30>Nov 22 14:00:00 rtr1 err mcpd[5678]: 01070151:3: F5 level word', false],
  ['<30>Nov 22 14:00:00 rtr1 Ebra: %LINEPROTO-5-UPDOWN: Arista', false],
  ['<30>Nov 22 14:00:00 rtr1 65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: relayed Cisco', false],
  ['<30>Nov 22 14:00:00 rtr1 app: date=2026-11-22 FortiOS-like', false],
  ['<30>Nov 22 14:00:00 rtr1 app: 1234 digits first', false],
  ['<30>Nov 22 14:00:00 rtr1 app: fine: lower case, unless d, l or t', true],
  ['<30>Nov 22 14:00:00 rtr1: tag-less host with a colon', false],
  [`<30>Nov 22 14:00:00 rtr1 ${'a'.repeat(62)}: a 62-character tag`, true],
  [`<30>Nov 22 14:00:00 rtr1 ${'a'.repeat(63)}: a 63-character tag`, false],
  [`<30>Nov 22 14:00:00 rtr1 app[${'9'.repeat(32)}]: a 32-character PID`, true],
  [`<30>Nov 22 14:00:00 rtr1 app[${'9'.repeat(33)}]: a 33-character PID`, false],
  [`<30>Nov 22 14:00:00 rtr1 app: A_${'B'.repeat(92)}: a 94-character event tag`, true],
  [`<30>Nov 22 14:00:00 rtr1 app: A_${'B'.repeat(93)}: a 95-character event tag`, false],
];

t.test('lines on the edges of the shape: taken or declined, the same bytes', async (t) => {
  const cases: [string, boolean][] = [
    ['<187>65: rtr-1: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down', true],
    ['<189>65: *Nov  2 14:00:00.003 UTC: %LINK-3-UPDOWN: no host', true],
    ['<189>rtr1.example.net: Nov 22 2026 14:00:00 UTC: %SYS-5-CONFIG_I: Configured from console by "admin" on vty0 (10.0.0.1) \\o/', true],
    ['<0>0: .Jan  1 00:00:00.000 UTC: %A-0-B: ', true],
    ['<191>4294967295: h: Dec 31 23:59:59.999 UTC: %ROUTING-BGP-5-ADJCHANGE: x', true],
    ['<189>65: *Nov 02 14:00:00.003 UTC: %LINK-3-UPDOWN: zero-padded day (the style would not print it back)', false],
    ['<189>65: *nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: lower-case month', false],
    ['<189>65: *Nov 22 14:00:00.0031 UTC: %LINK-3-UPDOWN: four-digit fraction', false],
    ['<189>65: *Nov 22 14:00:00.003 JST: %LINK-3-UPDOWN: another zone', false],
    ['<189>65: *Nov 22 14:00:60 UTC: %LINK-3-UPDOWN: leap second', false],
    ['<189>65: *Feb 29 14:00:00 UTC: %LINK-3-UPDOWN: yearless Feb 29', false],
    ['<189>65: *Feb 30 2026 14:00:00 UTC: %LINK-3-UPDOWN: no such day', false],
    ['<189>65: *Nov 22 0099 14:00:00 UTC: %LINK-3-UPDOWN: year 99', false],
    ['<0189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: four-digit PRI', false],
    ['<013>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: leading zero', false],
    ['<192>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: PRI above 191', false],
    ['<189>065: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: sequence number', false],
    ['<189>65: 000065: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: counter and sequence number', false],
    ['<189>12345678901: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: 11 digits', false],
    ['<189>65: rtr 1: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: space in the host', false],
    ['<189>65: 2001:db8::1: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: IPv6 origin-id', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %ASA-6-302013: firewall code', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN : XR-style space before the colon', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN:no space', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-9-UPDOWN: severity 9', false],
    ['<189>65: *Nov 22 14:00:00 UTC: LINK-3-UPDOWN: no percent', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: tab\there', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: café', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: trailing LF\n', false],
    ['<189>65: *Nov 22 14:00:00 UTC: %LINK-3-UPDOWN: trailing CR\r', false],
    ['<189>65: *Nov 22 14:00:00 UTC', false],
    ['<189>', false],
    ['<189>65: ', false],
    ['<189>1 2026-11-22T14:00:00Z rtr1 app - - - RFC 5424', true],
    [`<189>65: ${'h'.repeat(64)}: *Nov 22 14:00:00 UTC: %A-1-B: 64-character host`, true],
    [`<189>65: ${'h'.repeat(65)}: *Nov 22 14:00:00 UTC: %A-1-B: 65-character host`, false],
    [`<189>65: *Nov 22 14:00:00 UTC: %${'A'.repeat(74)}-1-B: 78-character code`, true],
    [`<189>65: *Nov 22 14:00:00 UTC: %${'A'.repeat(75)}-1-B: 79-character code`, false],
  ];
  for (const [line, taken] of [...cases, ...rfc5424Cases, ...bsdCases]) {
    const both = compareEncoders([received(line)]);
    t.equal(both.accepted, taken ? 1 : 0, `${taken ? 'taken' : 'declined'}: ${JSON.stringify(line)}`);
    t.same(both.native, both.typescript, 'the same event');
  }
});

t.test('the receive time: the year of a yearless line around New Year, and odd receive times', async (t) => {
  const line = (month: string) => `<189>65: rtr1: *${month}  1 00:00:00.000 UTC: %A-1-B: x`;
  const times = ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2026-02-28T12:00:00Z', '2024-02-29T12:00:00Z', '1970-01-01T00:00:00Z'];
  for (const iso of times) {
    for (const month of ['Jan', 'Feb', 'Mar', 'Nov', 'Dec']) {
      const both = compareEncoders([received(line(month), { receivedAt: Date.parse(iso) })]);
      t.equal(both.accepted, 1, `${month} received ${iso}: taken`);
      t.same(both.native, both.typescript, `${month} received ${iso}: the same year`);
    }
  }
  for (const receivedAt of [at + 0.75, -1, 8.64e15, Date.parse('9999-12-31T23:59:59.999Z')]) {
    const both = compareEncoders([received(line('Nov'), { receivedAt })]);
    t.same(both.native, both.typescript, `received at ${receivedAt}: the same event`);
  }
  // No valid receive time: the parser reads its own clock, so only `rt` may differ between the two runs.
  const withoutRt = (results: unknown[]) => JSON.stringify(results).replace(/\\"rt\\":\d+/g, '');
  for (const receivedAt of [Number.NaN, 8.64e15 + 1]) {
    const both = compareEncoders([received(line('Nov'), { receivedAt })]);
    t.equal(both.accepted, 0, `received at ${receivedAt}: declined`);
    t.equal(withoutRt(both.native), withoutRt(both.typescript), `received at ${receivedAt}: the same event`);
  }
});

const digits = (min: number, max: number) => fc.integer({ min, max }).map(String);
/** Mostly what the C encoder takes, sometimes what sits just outside it. */
const usually = <T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: odd, weight: 1 });
const piece = fc.oneof(
  fc.constantFrom('', ' ', ':', ': ', '*', '.', '%', '"', '\\', '0', '-', 'UTC', ' UTC: ', '\t', '\r\n', 'é', '\u0000'),
  fc.string({ maxLength: 6 }),
);
/** The line with one character replaced by `piece` (the fuzz's small damage), or as it is. */
function mutated(line: string, mutation: [number, string] | undefined): string {
  if (mutation === undefined) return line;
  const [at, text] = mutation;
  const k = at % (line.length + 1);
  return line.slice(0, k) + text + line.slice(k + 1);
}

const ciscoLine = fc
  .record({
    pri: usually(digits(0, 191), fc.constantFrom('013', '192', '00', '1a', '')),
    counter: fc.option(usually(digits(0, 99_999), fc.constantFrom('000065', '4294967295', '99999999999')), { nil: undefined }),
    host: fc.option(
      usually(fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,20}$/), fc.constantFrom('Nov', '1d02h', 'RP/0/CPU0', 'a b', '10.0.0.1', '::1', 'x'.repeat(65))),
      { nil: undefined },
    ),
    marker: fc.constantFrom('', '*', '.'),
    month: usually(fc.constantFrom('Jan', 'Feb', 'Mar', 'Jun', 'Nov', 'Dec'), fc.constantFrom('nov', 'Foo', 'NOV')),
    day: usually(fc.integer({ min: 1, max: 31 }), fc.constantFrom(0, 32, 99)),
    dayStyle: usually(fc.constant('space'), fc.constantFrom('zero', 'bare')),
    year: fc.option(usually(digits(1000, 2100), fc.constantFrom('0099', '0000', '999')), { nil: undefined }),
    clock: usually(
      fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })),
      fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 })),
    ),
    fraction: usually(fc.constantFrom('', '.003', '.000', '.999'), fc.constantFrom('.1', '.12345', '.')),
    zone: usually(fc.constant(' UTC'), fc.constantFrom(' JST', '', ' utc', ' +0000')),
    code: usually(
      fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}(-[A-Z0-9]{1,6})?-[0-7]-[A-Z0-9_]{1,12}$/),
      fc.constantFrom('ASA-6-302013', 'FTD-1-430001', 'A-8-B', 'X--1-Y', 'PIX-1-X', 'FWSM-2-Y'),
    ),
    colon: usually(fc.constant(': '), fc.constantFrom(' : ', ':')),
    message: usually(
      fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
      fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('say "hi" \\ there', 'x\n', 'x\r', 'x\u0000')),
    ),
    mutation: fc.option(fc.tuple(fc.nat(), piece), { freq: 8, nil: undefined }),
  })
  .map((l) => {
    const day = l.dayStyle === 'space' ? String(l.day).padStart(2, ' ') : l.dayStyle === 'zero' ? String(l.day).padStart(2, '0') : String(l.day);
    const clock = l.clock.map((v) => String(v).padStart(2, '0')).join(':');
    const line =
      `<${l.pri}>${l.counter === undefined ? '' : `${l.counter}: `}${l.host === undefined ? '' : `${l.host}: `}` +
      `${l.marker}${l.month} ${day} ${l.year === undefined ? '' : `${l.year} `}${clock}${l.fraction}${l.zone}: %${l.code}${l.colon}${l.message}`;
    return mutated(line, l.mutation);
  });
const sender = fc.record({
  receivedAt: fc.oneof(
    fc.integer({ min: Date.parse('1999-01-01T00:00:00Z'), max: Date.parse('2031-01-01T00:00:00Z') }),
    fc.constantFrom(Date.parse('2026-12-31T23:59:59.999Z'), Date.parse('2027-01-01T00:00:00Z'), 0.5, -5),
  ),
  sourceIp: fc.constantFrom('203.0.113.5', '2001:db8::7', '10.0.0.1', 'unknown'),
  sourcePort: fc.integer({ min: 0, max: 65535 }),
  transport: fc.constantFrom('udp' as const, 'tcp' as const, 'tls' as const),
});

const token = usually(fc.stringMatching(/^[!-~]{1,12}$/), fc.constantFrom('-', '', 'a b', 'é'));
const sdName = usually(fc.stringMatching(/^[a-zA-Z][!#-<>-\\^-~]{0,10}$/), fc.constantFrom('7', '__proto__', 'a=b', ''));
const sdValue = usually(fc.stringMatching(/^[ !#-\\[^-~]{0,16}$/), fc.constantFrom('a\\"b', 'a]b', 'a\\\\b', 'é', '\\'));
const sdElement = fc
  .tuple(
    usually(fc.constantFrom('junos@2636.1.1.1.2.18', 'exampleSDID@32473', 'origin', 'meta', 'x@1'), fc.constantFrom('123', 'junos@2636', 'a b')),
    fc.array(fc.tuple(sdName, sdValue), { maxLength: 4 }),
    usually(fc.constant(''), fc.constantFrom(' ', '  ')),
  )
  .map(([id, params, before]) => `[${id}${params.map(([name, value]) => ` ${name}="${value}"`).join('')}${before}]`);
const rfc5424Line = fc
  .record({
    pri: usually(digits(0, 191), fc.constantFrom('013', '192', '')),
    time: usually(
      fc
        .tuple(
          fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
          fc.constantFrom('', '.3', '.003', '.123456', '.123456789'),
          fc.constantFrom('Z', '+09:00', '-07:00', '+0530', '-0000', '+23:59'),
        )
        .map(([d, frac, zone]) => d.toISOString().slice(0, 19) + frac + zone),
      fc.constantFrom(
        '-',
        '2026-11-22T14:00:00',
        '2026-11-22T14:00:60Z',
        '2026-02-30T00:00:00Z',
        '2026-11-22t14:00:00z',
        '0099-01-01T00:00:00Z',
        '2026-11-22T14:00:00.1234567890Z',
        '9999-12-31T23:59:59+00:00',
        '0999-01-01T00:00:00-01:00',
      ),
    ),
    host: token,
    app: token,
    procId: token,
    msgId: token,
    sd: usually(
      fc.oneof(
        fc.constant('-'),
        fc.array(sdElement, { minLength: 1, maxLength: 3 }).map((e) => e.join('')),
      ),
      fc.constantFrom('[broken', '-x', '', '[a@1 x="1"][a@1 y="2"]'),
    ),
    message: fc.option(usually(fc.stringMatching(/^[A-Z ][ -~]{0,60}$/), fc.oneof(fc.stringMatching(/^[ -~]{0,40}$/), fc.string({ maxLength: 20 }))), {
      nil: undefined,
    }),
    spacing: usually(fc.constant(' '), fc.constantFrom('  ', '')),
    mutation: fc.option(fc.tuple(fc.nat(), piece), { freq: 8, nil: undefined }),
  })
  .map((l) => {
    const sp = l.spacing;
    const line = `<${l.pri}>1 ${l.time} ${l.host} ${l.app}${sp}${l.procId} ${l.msgId} ${l.sd}${l.message === undefined ? '' : ` ${l.message}`}`;
    return mutated(line, l.mutation);
  });

const bsdLine = fc
  .record({
    pri: usually(digits(0, 191), fc.constantFrom('013', '192')),
    month: usually(fc.constantFrom('Jan', 'Feb', 'Nov', 'Dec'), fc.constantFrom('nov', 'Xyz')),
    day: usually(fc.integer({ min: 1, max: 31 }), fc.constantFrom(0, 32)),
    dayStyle: fc.constantFrom('space', 'zero', 'bare'),
    clock: usually(
      fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })),
      fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 })),
    ),
    extra: usually(fc.constant(''), fc.constantFrom('.123', ' UTC', ' +0900', ' 2026')),
    host: usually(fc.stringMatching(/^[a-z][a-z0-9.-]{6,20}$/), fc.constantFrom('UTC', 'core', '-0500', '10.0.0.1', 'rtr1:', 'a b', 'EST5EDT')),
    app: usually(fc.stringMatching(/^[a-z][a-z0-9_/.-]{0,15}$/), fc.constantFrom('err', 'Ebra', '65', '', '%X', 'x'.repeat(70))),
    pid: fc.option(usually(digits(1, 99_999), fc.constantFrom('', 'a b', '9'.repeat(40))), { nil: undefined }),
    colon: usually(fc.constant(': '), fc.constantFrom(':', ' ', ' : ')),
    eventTag: fc.option(usually(fc.stringMatching(/^[A-Z][A-Z0-9]{1,8}_[A-Z0-9_]{0,12}[A-Z0-9]$/), fc.constantFrom('BGP_', 'NOTAG', 'A_B:x', 'A_B')), {
      nil: undefined,
    }),
    message: usually(
      fc.stringMatching(/^[A-Za-z ][ -~]{0,60}$/),
      fc.oneof(fc.constantFrom('date=1 x', 'log 1', '%LINK-3-UPDOWN: x', '1234', ''), fc.string({ maxLength: 20 })),
    ),
    mutation: fc.option(fc.tuple(fc.nat(), piece), { freq: 8, nil: undefined }),
  })
  .map((l) => {
    const day = l.dayStyle === 'space' ? String(l.day).padStart(2, ' ') : l.dayStyle === 'zero' ? String(l.day).padStart(2, '0') : String(l.day);
    const clock = l.clock.map((v) => String(v).padStart(2, '0')).join(':');
    const tag = l.pid === undefined ? l.app : `${l.app}[${l.pid}]`;
    const line = `<${l.pri}>${l.month} ${day} ${clock}${l.extra} ${l.host} ${tag}${l.colon}${l.eventTag === undefined ? '' : `${l.eventTag}: `}${l.message}`;
    return mutated(line, l.mutation);
  });

/** Batches of fuzzed lines from several senders: the same bytes both ways, and the fuzz reaches both outcomes. */
async function fuzzBatches(t: Test, lines: fc.Arbitrary<string>, seed: number): Promise<void> {
  let taken = 0;
  let count = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(lines, sender), { minLength: 1, maxLength: 12 }), (messages) => {
      const both = compareEncoders(messages.map(([line, from]) => received(line, from)));
      taken += both.accepted;
      count += messages.length;
      t.same(both.native, both.typescript);
      return JSON.stringify(both.native) === JSON.stringify(both.typescript);
    }),
    { numRuns: 1_500, seed },
  );
  t.comment(`the C encoder took ${taken} of ${count} fuzzed lines`);
  t.ok(taken > count / 20, 'the fuzz reaches lines the C encoder takes, not only the ones it declines');
  t.ok(taken < count, 'and lines it declines');
}

t.test('fuzzed Cisco-like lines, in batches: the same bytes whatever the C encoder takes', (t) => fuzzBatches(t, ciscoLine, 81));
t.test('fuzzed RFC 5424 lines, in batches: the same bytes whatever the C encoder takes', (t) => fuzzBatches(t, rfc5424Line, 83));
t.test('fuzzed BSD-style lines, in batches: the same bytes whatever the C encoder takes', (t) => fuzzBatches(t, bsdLine, 84));

t.test('fuzzed bytes: nothing taken that TypeScript reads otherwise, no crash', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 8 }), (lines) => {
      const both = compareEncoders(lines.map((line) => received(line)));
      return JSON.stringify(both.native) === JSON.stringify(both.typescript);
    }),
    { numRuns: 2_000, seed: 82 },
  );
  t.pass('2000 batches of random bytes');
});

t.test('a batch with a huge message is left to TypeScript rather than given megabytes of room', async (t) => {
  const huge = `<189>65: *Nov 22 14:00:00 UTC: %A-1-B: ${'x'.repeat(3 * 1024 * 1024)}`;
  const both = compareEncoders([received('<189>65: *Nov 22 14:00:00 UTC: %A-1-B: small'), received(huge)]);
  t.equal(both.accepted, 0, 'nothing taken by the C encoder');
  t.same(both.native, both.typescript, 'the same events');
});
