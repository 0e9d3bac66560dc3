import t from 'tap';
import fc from 'fast-check';
import { parseSyslog, type ReceiveContext } from '../../src/parser/index.js';
import { CTX } from './corpus-helpers.js';

const at = (iso: string): ReceiveContext => ({ ...CTX, receivedAt: new Date(iso) });
const parse = (line: string | Uint8Array, ctx: ReceiveContext = CTX) => parseSyslog(typeof line === 'string' ? Buffer.from(line, 'utf8') : line, ctx);

t.test('the event has the contract keys in the contract order', async (t) => {
  const { event } = parse('<189>65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down');
  t.same(Object.keys(event), [
    'schema',
    'receivedAt',
    'sourceIp',
    'sourcePort',
    'transport',
    'facility',
    'severity',
    'facilityName',
    'severityName',
    'timestamp',
    'timestampRaw',
    'host',
    'app',
    'procId',
    'msgId',
    'message',
    'structuredData',
    'vendor',
    'raw',
  ]);
  t.equal(event.schema, 'syslog/1');
  t.equal(event.receivedAt, '2026-11-22T14:00:05.000Z');
  t.equal(event.sourceIp, '203.0.113.5');
  t.equal(event.sourcePort, 51514);
  t.equal(event.transport, 'udp');
  t.equal(event.facilityName, 'local7');
  t.equal(event.severityName, 'notice');
});

t.test("a time without a year is never put months ahead of the receive time (rsyslog's rule)", async (t) => {
  const line = (month: string) => `<189>1: ${month} 15 12:00:00 UTC: %SYS-5-CONFIG_I: Configured from console by console`;
  const receivedAt = at('2026-06-20T00:00:00Z');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const years = months.map((m) => parse(line(m), receivedAt).event.timestamp?.slice(0, 4));
  t.same(
    years,
    ['2026', '2026', '2026', '2026', '2026', '2026', '2026', '2025', '2025', '2025', '2025', '2025'],
    'received in June: January to July are this year, August to December last year',
  );
  const ahead = (receivedIso: string, month: string) => {
    const ts = parse(line(month), at(receivedIso)).event.timestamp;
    return ts === null ? NaN : Date.parse(ts) - Date.parse(receivedIso);
  };
  const DAY = 86_400_000;
  for (const receivedIso of ['2026-01-01T00:00:00Z', '2026-03-31T23:59:59Z', '2026-06-15T12:00:00Z', '2026-12-31T23:59:59Z']) {
    for (const month of months) {
      t.ok(ahead(receivedIso, month) < 62 * DAY, `${month} 15 received ${receivedIso}: less than two months ahead`);
    }
  }
  const feb30 = '<189>5: Feb 30 12:00:00 UTC: %SYS-5-CONFIG_I: Configured from console by console';
  const bad = parse(feb30).event;
  t.equal(bad.timestamp, null, 'a date that does not exist gives no timestamp');
  t.equal(bad.timestampRaw, 'Feb 30 12:00:00 UTC', 'but keeps its text');
});

t.test('ambiguous zone names are never converted', async (t) => {
  for (const zone of ['IST', 'CST', 'CDT', 'AST', 'BST']) {
    const { event } = parse(`<189>7: Nov 22 19:30:00.000 ${zone}: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down`);
    t.equal(event.timestamp, null, `${zone}: timestamp null`);
    t.equal(event.timestampRaw, `Nov 22 19:30:00.000 ${zone}`, `${zone}: timestampRaw kept`);
  }
  const bsd = parse('<13>Nov 22 14:00:00 CST web1 app: text').event;
  t.equal(bsd.timestamp, null);
  t.equal(bsd.timestampRaw, 'Nov 22 14:00:00 CST', 'a zone in a BSD header is not taken for the host');
  t.equal(bsd.host, 'web1');
  const utc = parse('<13>Nov 22 14:00:00 UTC web1 app: text').event;
  t.equal(utc.timestamp, '2026-11-22T14:00:00.000Z', 'a known zone in a BSD header is converted');
  t.equal(utc.host, 'web1');
});

t.test('an unknown upper-case word after the time is a zone only where Cisco prints one', async (t) => {
  const tag = parse('<13>Nov 22 14:00:00 CRON: job started').event;
  t.equal(tag.timestampRaw, 'Nov 22 14:00:00');
  t.equal(tag.app, 'CRON', 'a tag of a sender without host name');
  t.equal(tag.message, 'job started');
  const zone = parse('<189>Nov 22 14:00:00 MYTZ: %SYS-5-CONFIG_I: Configured from console by console').event;
  t.equal(zone.timestampRaw, 'Nov 22 14:00:00 MYTZ');
  t.equal(zone.timestamp, null);
  t.equal(zone.app, null);
});

t.test('numeric offsets are converted; no zone means no timestamp', async (t) => {
  t.equal(parse('<13>2026-11-22T23:00:00+0900 web1 app: x').event.timestamp, '2026-11-22T14:00:00.000Z', '+0900');
  t.equal(parse('<13>2026-11-22T23:00:00+09:00 web1 app: x').event.timestamp, '2026-11-22T14:00:00.000Z', '+09:00');
  t.equal(parse('<13>1 2026-11-22T08:30:00.999999-05:30 web1 app - - - x').event.timestamp, '2026-11-22T14:00:00.999Z', '-05:30, µs cut to ms');
  t.equal(parse('<13>1 2026-11-22T14:00:00z web1 app - - - x').event.timestamp, '2026-11-22T14:00:00.000Z', 'lower-case z');
  t.equal(parse('<13>1 2026-11-22T14:00:00+24:00 web1 app - - - x').event.timestamp, null, 'an impossible offset is not converted');
  t.equal(parse('<13>2026-11-22T23:00:00 web1 app: x').event.timestamp, null, 'RFC 3339 without offset');
  const bsd = parse('<13>Nov 22 14:00:00 web1 app: x').event;
  t.equal(bsd.timestamp, null, 'RFC 3164 time without zone: null, never the process zone');
  t.equal(bsd.timestampRaw, 'Nov 22 14:00:00');
});

t.test('invalid UTF-8 goes to rawBase64, the fields get replacement characters', async (t) => {
  const bytes = Buffer.concat([Buffer.from('<13>Nov 22 14:00:00 web1 app: bad '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' end\n')]);
  const { event, format } = parse(bytes);
  t.equal(format, 'rfc3164');
  t.notOk('raw' in event, 'no raw');
  t.equal(event.rawBase64, bytes.toString('base64'));
  t.same(Buffer.from(event.rawBase64!, 'base64'), bytes, 'lossless');
  t.equal(event.message, 'bad \uFFFD(\uFFFD end');
  t.equal(event.host, 'web1');
});

t.test('valid non-ASCII UTF-8 stays raw text', async (t) => {
  const line = '<13>1 2026-11-22T23:00:00+09:00 ルーター1 app - - - インターフェース ダウン\n';
  const { event } = parse(line);
  t.equal(event.raw, line, 'raw keeps the trailing newline');
  t.notOk('rawBase64' in event);
  t.equal(event.host, 'ルーター1');
  t.equal(event.message, 'インターフェース ダウン');
});

t.test('trailing CR, LF and NUL are trimmed from the message only', async (t) => {
  const line = '<13>Nov 22 14:00:00 web1 app: text\r\n\u0000';
  const { event } = parse(line);
  t.equal(event.message, 'text');
  t.equal(event.raw, line);
});

t.test('empty input: PRI 13, flagged, an empty message', async (t) => {
  const { event, format } = parse(new Uint8Array(0));
  t.equal(format, 'unparsed');
  t.equal(event.message, '');
  t.equal(event.raw, '');
  t.equal(event.facility, 1);
  t.equal(event.severity, 5);
  t.equal(event.priDefaulted, true);
});

t.test('no or invalid PRI: PRI 13 as RFC 3164 §4.3.3 says, flagged, the whole line kept', async (t) => {
  for (const line of [
    '<192>Nov 22 14:00:00 web1 app: x',
    '<999>x',
    '<0013>Nov 22 14:00:00 web1 app: x',
    '<>x',
    '<1a>x',
    '<13',
    'Nov 22 14:00:00 web1 app: text',
  ]) {
    const { event, format } = parse(line);
    t.equal(format, 'unparsed', line);
    t.match(event, { facility: 1, severity: 5, facilityName: 'user', severityName: 'notice', priDefaulted: true }, `${line}: user.notice, flagged`);
    t.equal(event.message, line, `${line}: message is the whole line`);
    t.match(
      event,
      { timestamp: null, timestampRaw: null, host: null, app: null, procId: null, msgId: null, structuredData: null, vendor: null },
      `${line}: nothing else is read`,
    );
  }
  t.match(parse('<191>x').event, { facility: 23, severity: 7, facilityName: 'local7', severityName: 'debug' }, '191 is the top');
  t.match(parse('<0>x').event, { facility: 0, severity: 0, facilityName: 'kern', severityName: 'emerg' }, '0 is valid');
  t.notOk('priDefaulted' in parse('<13>x').event, 'a line with its own PRI has no priDefaulted key');
  t.same(
    Object.keys(parse('x').event),
    [
      'schema',
      'receivedAt',
      'sourceIp',
      'sourcePort',
      'transport',
      'facility',
      'severity',
      'facilityName',
      'severityName',
      'priDefaulted',
      'timestamp',
      'timestampRaw',
      'host',
      'app',
      'procId',
      'msgId',
      'message',
      'structuredData',
      'vendor',
      'raw',
    ],
    'priDefaulted sits beside the PRI fields it qualifies',
  );
});

t.test('a 64 KiB line is parsed whole', async (t) => {
  const body = 'x'.repeat(64 * 1024);
  const { event } = parse(`<13>Nov 22 14:00:00 web1 app[1]: ${body}`);
  t.equal(event.message, body);
  t.equal(event.app, 'app');
  const sd = parse(`<13>1 2026-11-22T14:00:00Z h a - - [x@1 v="${'y'.repeat(64 * 1024)}"] m`).event;
  t.equal((sd.structuredData?.['x@1']?.['v'] as string).length, 64 * 1024, 'a 64 KiB SD value');
  const junk = parse(': '.repeat(32 * 1024));
  t.equal(junk.format, 'unparsed');
  t.equal(junk.event.message.length, 64 * 1024, 'colons and spaces without PRI: kept whole');
  const nx = parse('<13>' + ': '.repeat(32 * 1024)).event;
  t.equal(nx.message.length, 64 * 1024 - 2, 'with PRI: the first ": " is read as the NX-OS empty host field');
});

t.test('a receive context with an invalid date does not throw', async (t) => {
  const { event } = parse('<13>Nov 22 14:00:00 web1 app: x', at('not a date'));
  t.match(event.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

const PIECES = [
  '<',
  '>',
  '<13>',
  '<189>',
  '1 ',
  '65: ',
  '000065: ',
  '*',
  '.',
  'Nov 22 ',
  '2026 ',
  '14:00:00',
  '.003',
  ' UTC',
  ' IST',
  ': ',
  ' ',
  '-',
  '[',
  ']',
  '="',
  '"',
  '\\',
  '%LINK-3-UPDOWN: ',
  '%ASA-6-302013:',
  'RP/0/RSP0/CPU0:',
  'rpd[12]: ',
  'BGP_X: ',
  'date=2026-11-22 ',
  'tz="+0900" ',
  '1,2026/11/22 14:00:00,',
  'firewall,info ',
  'err ',
  '01010028:3: ',
  '2026-11-22T14:00:00',
  '+09:00',
  'Z',
  '\uFEFF',
  '\r\n',
  '\u0000',
];

/**
 * The parser's promise for any input: it does not throw, keeps exactly one of raw and rawBase64,
 * and its message is the tail of the text. Throws what is wrong, for fast-check to shrink.
 */
function keepsItsText(bytes: Buffer): ReturnType<typeof parse>['event'] {
  const { event } = parse(bytes);
  if ((event.raw !== undefined) === (event.rawBase64 !== undefined)) throw new Error('not exactly one of raw and rawBase64');
  const text = bytes.toString('utf8').replace(/[\r\n\u0000]+$/, '');
  if (!text.endsWith(event.message)) throw new Error('the message is not the tail of the text');
  if (text.length > 0 && event.message === '' && event.facility === null) throw new Error('text lost');
  JSON.stringify(event);
  return event;
}

t.test('random bytes never throw and keep their text', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 199, size: 'max' }), (array) => {
      const bytes = Buffer.from(array);
      const event = keepsItsText(bytes);
      const text = bytes.toString('utf8').replace(/[\r\n\u0000]+$/, '');
      if (event.message === '' && text !== '') throw new Error('message empty while raw is not');
    }),
    { numRuns: 3000 },
  );
  t.pass('3000 random buffers');
});

t.test('syslog-shaped garbage never throws and keeps its tail', async (t) => {
  // Mostly the pieces of real vendor lines, sometimes any ASCII character between them.
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 127 }).map((code) => String.fromCharCode(code)) },
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 11, size: 'max' }), (parts) => {
      keepsItsText(Buffer.from(parts.join(''), 'utf8'));
    }),
    { numRuns: 5000 },
  );
  t.pass('5000 shaped buffers');
});
