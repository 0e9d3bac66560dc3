// syslog/2 loses nothing: every line of the bench corpus and fuzzed lines (fast-check) written as
// syslog/2 and read back give the syslog/1 event byte for byte, `raw` included; and on the bench
// corpus syslog/2 costs at most half the bytes of syslog/1. The parser's vendor corpora are checked
// the same way line by line in test/parser/corpus-helpers.ts.
import t from 'tap';
import fc from 'fast-check';
import { buildCorpus } from '../../../bench/lib/corpus.mjs';
import type { ReceiveContext } from '../src/parser/index.js';
import { checkSyslog2 } from './syslog2-check.js';

const receivedAt = new Date('2026-11-22T14:00:00.005Z');
const ctx: ReceiveContext = { receivedAt, sourceIp: '198.51.100.7', sourcePort: 51514, transport: 'udp' };

t.test('bench corpus: every line read back whole, nearly every raw rebuilt, half the bytes', async (t) => {
  const corpus = buildCorpus({ lines: 20_000, devices: 100, seed: 42, when: new Date('2026-11-22T14:00:00.000Z') });
  let v1Bytes = 0;
  let v2Bytes = 0;
  let rebuilt = 0;
  const failures: string[] = [];
  const layouts = new Map<string, number>();
  for (const line of corpus.lines) {
    const c = checkSyslog2(Buffer.from(line), ctx);
    if (c.v2 === null || c.expanded !== c.v1 || c.expandedFromFile !== c.v1 || c.raw !== line) {
      failures.push(line);
      continue;
    }
    v1Bytes += Buffer.byteLength(c.v1);
    v2Bytes += Buffer.byteLength(c.v2);
    if (c.layout !== null) rebuilt++;
    layouts.set(c.layout ?? 'raw kept', (layouts.get(c.layout ?? 'raw kept') ?? 0) + 1);
  }
  t.same(failures.slice(0, 5), [], 'every line: syslog/2 read back is the syslog/1 event, raw included');
  const n = corpus.lines.length;
  t.comment(`layouts: ${[...layouts].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  t.comment(`mean bytes: syslog/1 ${(v1Bytes / n).toFixed(1)}, syslog/2 ${(v2Bytes / n).toFixed(1)} (${((100 * v2Bytes) / v1Bytes).toFixed(1)} %)`);
  t.equal(rebuilt, n, 'every bench line rebuilds: raw is never stored for them');
  t.ok(v2Bytes / n + 26 <= 0.5 * (v1Bytes / n + 26), 'syslog/2 at most half of syslog/1, counting CloudWatch’s 26 bytes per event');
});

/** Pieces of the lines routers send, so that fuzzed lines reach every layout, not only the fallback. */
const word = fc.stringMatching(/^[A-Za-z0-9_.\-/]{1,12}$/);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', 'a: b', '[x y="z"]', '%LINK-3-UPDOWN: down', 'BGP_X: y'),
);
const pri = fc.oneof(
  fc.integer({ min: 0, max: 191 }).map((p) => `<${p}>`),
  fc.constantFrom('', '<', '<1a>', '<192>', '<013>'),
);
const month = fc.constantFrom('Jan', 'Feb', 'Mar', 'Nov', 'Dec');
const time = fc.oneof(
  fc
    .tuple(
      month,
      fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 0, max: 23 }),
      fc.constantFrom('', '.003', '.000', '.123456'),
      fc.constantFrom('', ' UTC', ' JST', ' GMT', ' +0900'),
      fc.constantFrom('', ' 2026'),
    )
    .map(([m, d, h, frac, zone, year]) => `${m} ${String(d).padStart(2, ' ')}${year} ${String(h).padStart(2, '0')}:07:09${frac}${zone}`),
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-11-22T23:00:00.003+09:00', '2026-11-22T14:00:00Z', '1d02h', '00:00:46', '2026 Nov 22 14:00:00 UTC'),
);
const tag = fc.tuple(word, fc.option(fc.integer({ min: 0, max: 99999 }))).map(([app, pid]) => (pid === null ? `${app}: ` : `${app}[${pid}]: `));
const code = fc.constantFrom('%LINK-3-UPDOWN: ', '%ASA-6-302013: ', '%SYS-5-CONFIG_I: ', 'BGP_STATE_CHANGED: ', '01070151:3: ', 'firewall,info ', '');
const sd = fc.constantFrom(
  '-',
  '[junos@2636.1.1.1.2.18 peer-name="10.1.1.1"]',
  '[x@1 a="1" a="2"][y@2 b="q\\"r"]',
  '[exampleSDID@32473 iut="3" eventSource="App"]',
  '[bad',
);
const shaped = fc.oneof(
  fc
    .tuple(pri, time, word, fc.option(fc.constantFrom('err ', 'info ')), tag, code, text)
    .map(([p, tm, host, level, tg, cd, msg]) => `${p}${tm} ${host} ${level ?? ''}${tg}${cd}${msg}`),
  fc
    .tuple(pri, fc.option(fc.nat(9999)), fc.option(word), fc.option(fc.nat(999999)), fc.constantFrom('', '*', '.'), time, code, text)
    .map(
      ([p, counter, host, seq, marker, tm, cd, msg]) =>
        `${p}${counter === null ? '' : `${counter}: `}${host === null ? '' : `${host}: `}${seq === null ? '' : `${String(seq).padStart(6, '0')}: `}${marker}${tm}: ${cd}${msg}`,
    ),
  fc
    .tuple(pri, time, word, word, fc.constantFrom('-', '123'), fc.constantFrom('-', 'ID47'), sd, text)
    .map(([p, tm, host, app, pid, msgid, data, msg]) => `${p}1 ${tm} ${host} ${app} ${pid} ${msgid} ${data} ${msg}`),
  fc.tuple(pri, tag, code, text).map(([p, tg, cd, msg]) => `${p}${tg}${cd}${msg}`),
  fc.tuple(pri, text).map(([p, msg]) => `${p}${msg}`),
);

t.test('fuzzed syslog-shaped lines: read back whole, raw byte for byte', async (t) => {
  let rebuilt = 0;
  let runs = 0;
  fc.assert(
    fc.property(shaped, (line) => {
      const c = checkSyslog2(Buffer.from(line), ctx);
      runs++;
      if (c.layout !== null) rebuilt++;
      return c.v2 !== null && c.expanded === c.v1 && c.expandedFromFile === c.v1 && c.raw === line;
    }),
    { numRuns: 4_000, seed: 15 },
  );
  t.comment(`${rebuilt} of ${runs} fuzzed lines had raw rebuilt rather than stored`);
  t.ok(rebuilt > runs / 4, 'the fuzz reaches the layouts, not only the stored-raw fallback');
});

t.test('fuzzed bytes (invalid UTF-8, control characters, CR/LF): read back whole', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const c = checkSyslog2(bytes, ctx);
      const text = Buffer.from(bytes).toString('utf8');
      const valid = Buffer.from(text, 'utf8').equals(Buffer.from(bytes));
      return c.v2 !== null && c.expanded === c.v1 && c.expandedFromFile === c.v1 && (valid ? c.raw === text : c.raw === null);
    }),
    { numRuns: 3_000, seed: 16 },
  );
  t.pass('3000 byte strings');
});
