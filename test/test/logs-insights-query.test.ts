// runInsightsQuery: the Logs Insights language over events as the services emit them.
import t from 'tap';
import {
  MalformedQueryError,
  DEFAULT_QUERY_LIMIT,
  MAX_QUERY_LIMIT,
  MAX_ROWS_PER_PAGE,
  runInsightsQuery,
  UnsupportedQueryError,
  type InsightsEvent,
} from '@netsidecar/test-support';
import { MINUTE, NTP_GROUP, realisticEvents, SECOND, SYSLOG_GROUP, syslogEvent, T0 } from './support/insights-fixtures.js';

const events = realisticEvents();
const syslog = events.filter((e) => e.logGroup === SYSLOG_GROUP);
const ntp = events.filter((e) => e.logGroup === NTP_GROUP);
const q = (query: string, on: readonly InsightsEvent[] = events) => runInsightsQuery(query, on).records;

t.test('system fields, default display, @ptr and the service order (newest first)', async (t) => {
  const result = runInsightsQuery('filter @logStream = "rtr-osa-2"', events);
  t.same(result.fields, ['@timestamp', '@message']);
  t.equal(result.records.length, 3);
  t.equal(result.records[0]!['@timestamp'], '2026-03-01 12:09:00.000');
  t.equal(result.records[2]!['@timestamp'], '2026-03-01 12:07:00.000');
  t.match(result.records[0]!['@message'], /^\{"schema":"syslog\/1"/);
  const first = result.results[0]!;
  t.same(
    first.map((f) => f.field),
    ['@timestamp', '@message', '@ptr'],
  );
  t.ok(first[2]!.value.length > 0);
  t.same(result.statistics, {
    recordsMatched: 3,
    recordsScanned: events.length,
    bytesScanned: events.reduce((n, e) => n + Buffer.byteLength(e.message), 0),
  });

  const sys = q('fields @timestamp, @ingestionTime, @log, @logStream | filter @logStream = "rtr-osa-2" | limit 1');
  t.same(sys, [
    {
      '@timestamp': '2026-03-01 12:09:00.000',
      '@ingestionTime': '2026-03-01 12:09:00.200',
      '@log': '123456789012:/netsidecar/syslog',
      '@logStream': 'rtr-osa-2',
    },
  ]);
});

t.test('@ptr: one per event, the same in every query, distinct for identical events', async (t) => {
  const twins = [syslogEvent(T0, { message: 'same' }), syslogEvent(T0, { message: 'same' })];
  const input = [...events, ...twins];
  const ptrs = (query: string) => runInsightsQuery(query, input).results.map((r) => r.find((f) => f.field === '@ptr')?.value);
  const all = ptrs('fields @timestamp');
  t.equal(new Set(all).size, input.length);
  const some = ptrs('filter @logStream = "rtr-tyo-1" | fields @message');
  t.ok(some.length > 2 && some.every((p) => all.includes(p)), 'a narrower query points at the same events');
  t.same(ptrs('filter message = "same"').length, 2);
  t.equal(new Set(ptrs('filter message = "same"')).size, 2);
  t.same(ptrs('fields @timestamp'), all, 'stable from one run to the next');
  const withIds = runInsightsQuery('fields @timestamp', [
    { ...twins[0]!, id: 'a' },
    { ...twins[1]!, id: 'b' },
  ]).results;
  t.same(
    withIds.map((r) => r.at(-1)),
    [
      { field: '@ptr', value: Buffer.from('fake-ptr:a').toString('base64') },
      { field: '@ptr', value: Buffer.from('fake-ptr:b').toString('base64') },
    ],
  );
});

t.test('JSON discovery: nested keys with dots, arrays by index, booleans as 1/0, null as absent', async (t) => {
  const rows = q('filter msgId = "LINK-3-UPDOWN" | fields vendor.name, vendor.seq, vendor.mnemonic, app, severity, severityName');
  t.same(rows, [{ 'vendor.name': 'cisco', 'vendor.seq': '65', 'vendor.mnemonic': 'LINK-3-UPDOWN', severity: '3', severityName: 'err' }]);
  const sd = q(
    'filter ispresent(`structuredData.junos@2636.1.1.1.2.18.peer-name`) | fields `structuredData.junos@2636.1.1.1.2.18.peer-as` as peerAs, @logStream',
  );
  t.same(sd, [{ peerAs: '64512', '@logStream': 'rtr-osa-2' }]);
  const summary = q('filter type = "client_summary" and clientIp = "203.0.113.6" | fields versions.0, versions.1, versions.2, authenticated, keyId');
  t.same(summary, [{ 'versions.0': '3', 'versions.1': '4', authenticated: '0' }]);
  t.equal(q('filter type = "client_summary" and authenticated = 1').length, 3);
  t.equal(q('filter type = "client_summary" and ispresent(keyId)').length, 3, 'keyId null is no field');
  const plain: InsightsEvent = { timestamp: T0, message: 'not json {', logStream: 's', logGroup: 'g' };
  t.same(q('fields @message, schema', [plain]), [{ '@message': 'not json {' }]);
});

t.test('filter: comparisons, boolean logic, missing fields', async (t) => {
  t.equal(q('filter schema = "syslog/1" and severity <= 3', events).length, 2);
  t.equal(q('filter severity < 4').length, 2);
  t.equal(q('filter severity >= 4 and severity != 5').length, 3);
  t.equal(q('filter severity > 4').length, 3);
  t.equal(q('filter severity = "5"').length, 3, 'a numeric string equals the number');
  t.equal(q('filter schema = "syslog/1" and (severity = 0 or severity = 3)').length, 2);
  t.equal(q('filter schema = "syslog/1" and severity = 0 or severity = 3').length, 2, 'and binds tighter than or');
  t.equal(q('filter schema = "syslog/1" and not (severity = 5)').length, 5, 'a missing severity is neither = nor != 5');
  t.equal(q('filter schema = "syslog/1" and severity != 5').length, 5);
  t.equal(q('filter schema = "syslog/1" and not ispresent(severity)').length, 1);
  t.equal(q('filter schema = "syslog/1" and isempty(host)').length, 1);
  t.equal(q('filter schema = "syslog/1" and severity * 2 + 1 = 7').length, 1);
  t.equal(q('filter schema = "syslog/1" and severity % 2 = 1 and -severity < -4').length, 3);
  t.equal(q('filter type = "client_clock_warning" and abs(clientOffsetMs) > 1000').length, 3);
  t.equal(q('filter type = "client_clock_warning" and abs(clientOffsetMs) > 5000').length, 2);
  t.equal(q(`filter @timestamp >= ${T0} and @timestamp < ${T0} + 5 * 60000 and schema = "syslog/1"`).length, 3);
  t.equal(q(`filter @timestamp > fromMillis(${T0 + 30 * MINUTE}) and schema = "syslog/1"`).length, 1);
});

t.test('filter: like, =~, regexes, in', async (t) => {
  t.equal(q('filter message like "Failed password"').length, 2);
  t.equal(q('filter message like "failed password"').length, 0, 'like is case-sensitive');
  t.equal(q('filter message like /(?i)failed password/').length, 2);
  t.equal(q('filter message =~ /^neighbor \\d+\\.\\d+\\.\\d+\\.\\d+ (Up|Down)/').length, 2);
  t.equal(q('filter @message like /LINK-3-UPDOWN/').length, 1);
  t.equal(q('filter schema = "syslog/1" and message not like /BGP/').length, 7);
  t.equal(q('filter @logStream in ["rtr-tyo-1", "rtr-osa-2"]').length, 8);
  t.equal(q('filter schema = "syslog/1" and @logStream not in ["rtr-tyo-1", "rtr-osa-2"]').length, 1);
  t.equal(q('filter severity in [0, 3]').length, 2);
  t.equal(q('filter @logStream like "rtr-" and message like /Interface/').length, 2);
  t.equal(q('filter message like /a\\/b/ or message like "/x/"').length, 0, 'escaped slashes parse');
});

t.test('IP address functions', async (t) => {
  t.equal(q('filter isIpv4InSubnet(sourceIp, "203.0.113.0/24")').length, 8);
  t.equal(q('filter isIpInSubnet(sourceIp, "203.0.113.6/32")').length, 3);
  t.equal(q('filter isIpv4InSubnet(clientIp, "203.0.113.0/29")').length, 4);
  t.equal(q('filter isIpv6InSubnet(clientIp, "2001:db8::/32")').length, 1);
  t.equal(q('filter isIpInSubnet(clientIp, "2001:db8::/32") and isIpv4InSubnet(clientIp, "0.0.0.0/0")').length, 0);
  t.same(
    q(
      'filter type = "client_summary" | stats count(*) as n by isValidIpV4(clientIp) as v4, isValidIpV6(clientIp) as v6, isValidIp(schema) as junk | sort v4 asc',
    ),
    [
      { v4: '0', v6: '1', junk: '0', n: '1' },
      { v4: '1', v6: '0', junk: '0', n: '3' },
    ],
  );
  t.equal(q('filter isIpInSubnet(sourceIp, "not a subnet")').length, 0);
});

t.test('fields: aliases and functions', async (t) => {
  const rows = q(
    'filter msgId = "LINK-3-UPDOWN" | fields toupper(host) as H, tolower("ABC") as l, strlen(host) as n, ' +
      'concat(host, "/", severity) as hs, substr(host, 4, 3) as city, replace(host, "-", "_") as u, ' +
      'strcontains(message, "Gigabit") as has, trim("  x ") as tr, ltrim("xxyxa", "xy") as lt, rtrim("axyx", "xy") as rt, ' +
      'coalesce(app, msgId) as co, ceil(1.2) as c, floor(-1.2) as f, abs(-2) as a, greatest(1, 5, 3) as g, least(4, 2) as le, 2 ^ 10 as p',
  );
  t.same(rows, [
    {
      H: 'RTR-TYO-1',
      l: 'abc',
      n: '9',
      hs: 'rtr-tyo-1/3',
      city: 'tyo',
      u: 'rtr_tyo_1',
      has: '1',
      tr: 'x',
      lt: 'a',
      rt: 'a',
      co: 'LINK-3-UPDOWN',
      c: '2',
      f: '-2',
      a: '2',
      g: '5',
      le: '2',
      p: '1024',
    },
  ]);
  t.same(
    q(
      'filter msgId = "LINK-3-UPDOWN" | fields datefloor(@timestamp, 1h) as h, dateceil(@timestamp, 1m) as m, ' +
        'toMillis(@timestamp) as ms, fromMillis(1772366400000) as back, bin(30s) as b',
    ),
    [
      {
        h: '2026-03-01 12:00:00.000',
        m: '2026-03-01 12:01:00.000',
        ms: String(T0 + SECOND),
        back: '2026-03-01 12:00:00.000',
        b: '2026-03-01 12:00:00.000',
      },
    ],
  );
  t.same(
    q('fields @logStream | fields severity as sev | filter msgId = "SYS-0-PANIC"'),
    [{ '@logStream': 'rtr-tyo-1', sev: '0' }],
    'successive fields commands add up',
  );
  t.same(q('fields concat(app, "!") as x | filter msgId = "SYS-0-PANIC"'), [{ x: '!' }], 'a missing field concatenates as empty');
});

t.test('stats: aggregates, several keys, bin()', async (t) => {
  t.same(
    q(
      'filter schema = "syslog/1" | stats count(*) as n, count(severity) as withSeverity, count_distinct(@logStream) as devices, ' +
        'min(severity) as lo, max(severity) as hi, sum(severity) as total, avg(severity) as mean',
    ),
    [
      {
        n: '9',
        withSeverity: '8',
        devices: '3',
        lo: '0',
        hi: '5',
        total: '30',
        mean: '3.75',
      },
    ],
  );
  t.same(
    q('filter schema = "syslog/1" and ispresent(severity) | stats count(*) as n by @logStream, severityName | sort @logStream asc, n desc, severityName asc'),
    [
      { '@logStream': 'rtr-osa-2', severityName: 'warning', n: '3' },
      { '@logStream': 'rtr-tyo-1', severityName: 'notice', n: '3' },
      { '@logStream': 'rtr-tyo-1', severityName: 'emerg', n: '1' },
      { '@logStream': 'rtr-tyo-1', severityName: 'err', n: '1' },
    ],
  );
  // bin(5m): [12:00, 12:05) holds 12:00:01, 12:00:02 and 12:04:59.999; 12:05:00.000 opens the next bucket.
  t.same(q('filter @logStream = "rtr-tyo-1" | stats count(*) by bin(5m) | sort bin(5m) asc'), [
    { 'bin(5m)': '2026-03-01 12:00:00.000', 'count(*)': '3' },
    { 'bin(5m)': '2026-03-01 12:05:00.000', 'count(*)': '1' },
    { 'bin(5m)': '2026-03-01 12:30:00.000', 'count(*)': '1' },
  ]);
  t.same(q('filter @logStream = "rtr-tyo-1" | stats count(*) as n by bin(1h) as hour'), [{ hour: '2026-03-01 12:00:00.000', n: '5' }]);
  t.same(
    q(
      'filter type = "client_summary" | stats latest(clientOffsetMs) as last, earliest(clientOffsetMs) as first, ' +
        'max(abs(clientOffsetMs)) as worst by clientIp | sort clientIp asc',
    ),
    [
      { clientIp: '203.0.113.5', last: '-3.1', first: '-2.71', worst: '3.1' },
      { clientIp: '203.0.113.6', last: '1.5', first: '1.5', worst: '1.5' },
      { clientIp: '2001:db8::1' }, // natural sort: the digit run 2001 is longer than 203
    ],
  );
  t.same(
    q('stats count(*) by @log | sort count(*) asc'),
    [
      { '@log': '123456789012:/netsidecar/syslog', 'count(*)': '9' },
      { '@log': '123456789012:/netsidecar/ntp', 'count(*)': '12' },
    ],
    'sort by an aggregate column',
  );
  t.same(q('filter type = "client_summary" | stats sum(requests) * 2 as doubled, pct(clientOffsetMs, 50) as median, stddev(requests) as sd'), [
    { doubled: '152', median: '-2.71', sd: '0' },
  ]);
  t.same(q('filter schema = "nothing" | stats count(*)'), [], 'no events, no rows');
  const result = runInsightsQuery('stats count(*) by @log', events);
  t.same(
    result.results.map((r) => r.map((f) => f.field)),
    [
      ['@log', 'count(*)'],
      ['@log', 'count(*)'],
    ],
    'stats rows carry no @ptr',
  );
  t.same(q('stats count(*) as n by @log | stats sum(n) as total'), [{ total: String(events.length) }], 'stats over stats');
});

t.test('the README queries of the NTP service', async (t) => {
  t.same(
    q(
      'filter schema = "ntp/1" and type = "client_clock_warning"\n| stats count(*) as warnings, max(abs(clientOffsetMs)) as worstMs by clientIp\n| sort worstMs desc',
      ntp,
    ),
    [
      { clientIp: '203.0.113.9', warnings: '2', worstMs: '5200.5' },
      { clientIp: '203.0.113.6', warnings: '1', worstMs: '1200' },
    ],
  );
  t.same(q('fields @timestamp, synchronised, reason, selected\n| filter schema = "ntp/1" and type = "status"\n| sort @timestamp desc', ntp), [
    { '@timestamp': '2026-03-01 12:03:00.001', synchronised: '0', reason: 'no_valid_sample' },
  ]);
});

t.test('sort: several keys, natural order, missing values last', async (t) => {
  t.same(
    q('filter type = "client_summary" | sort clientOffsetMs asc | fields clientIp, clientOffsetMs').map((r) => r['clientOffsetMs']),
    ['-3.1', '-2.71', '1.5', undefined],
  );
  t.same(
    q('filter type = "client_summary" | sort clientOffsetMs desc | fields clientOffsetMs').map((r) => r['clientOffsetMs']),
    ['1.5', '-2.71', '-3.1', undefined],
  );
  t.same(
    q('filter schema = "syslog/1" | sort @logStream asc, @timestamp asc | fields @logStream | limit 3').map((r) => r['@logStream']),
    ['198.51.100.20', 'rtr-osa-2', 'rtr-osa-2'],
  );
  const mixed = ['a10', 'a9', '10', '9', 'B', '#'].map((v, i) => ({ timestamp: T0 + i, message: JSON.stringify({ v }), logStream: 's', logGroup: 'g' }));
  t.same(
    q('sort v asc | fields v', mixed).map((r) => r['v']),
    ['#', 'B', 'a9', 'a10', '9', '10'],
    'documented natural sort',
  );
  t.same(
    q('sort v | fields v', mixed).map((r) => r['v']),
    ['10', '9', 'a10', 'a9', 'B', '#'],
    'descending when no direction is given',
  );
});

t.test('limit, dedup, display, parse', async (t) => {
  t.equal(q('limit 2').length, 2);
  t.same(q('fields @logStream, message | filter schema = "syslog/1" | sort @timestamp desc | dedup @logStream'), [
    { '@logStream': 'rtr-tyo-1', message: 'System panic' },
    { '@logStream': '198.51.100.20', message: 'garbage without a PRI' },
    { '@logStream': 'rtr-osa-2', message: 'Failed password for root from 198.51.100.7 port 52145 ssh2' },
  ]);
  t.equal(q('filter schema = "syslog/1" | dedup app').length, 2 + 6, 'events without app are never duplicates');
  t.same(q('fields host, app, message | filter app = "sshd" | display app | limit 1'), [{ app: 'sshd' }]);
  t.same(q('filter app = "sshd" | parse message "Failed password for * from * port * " as user, ip, port | stats count(*) as n by user, ip | sort user asc'), [
    { user: 'admin', ip: '198.51.100.7', n: '1' },
    { user: 'root', ip: '198.51.100.7', n: '1' },
  ]);
  t.same(q('filter msgId = "BGP-5-ADJCHANGE" | parse message /neighbor (?<peer>\\S+) (?<state>Up|Down)/ | display peer, state'), [
    { peer: '10.1.1.1', state: 'Up' },
    { peer: '10.1.1.1', state: 'Down' },
  ]);
  t.same(
    q('parse @message "\\"vendor\\":{\\"name\\":\\"*\\"" as vendorName | filter ispresent(vendorName) | stats count(*) by vendorName | sort vendorName asc'),
    [
      { vendorName: 'cisco', 'count(*)': '5' },
      { vendorName: 'junos', 'count(*)': '1' },
    ],
    'a glob that matches nothing leaves the fields absent',
  );
  t.same(q('# comment line\nfields @logStream # trailing comment\n| filter msgId = "SYS-0-PANIC"'), [{ '@logStream': 'rtr-tyo-1' }]);
});

t.test('options: time range (inclusive), log groups, limit', async (t) => {
  const all = runInsightsQuery('fields @timestamp', events, { startTime: T0 + 5 * MINUTE, endTime: T0 + 7 * MINUTE, logGroups: [SYSLOG_GROUP] });
  t.same(
    all.records.map((r) => r['@timestamp']),
    ['2026-03-01 12:07:00.000', '2026-03-01 12:05:00.000'],
    'both ends inclusive',
  );
  t.equal(all.statistics.recordsScanned, 2);
  t.equal(runInsightsQuery('fields @timestamp', events, { limit: 3 }).records.length, 3);
  t.throws(() => runInsightsQuery('fields @timestamp', events, { limit: 100_001 }), RangeError);
  t.throws(() => runInsightsQuery('fields @timestamp', events, { limit: 0 }), RangeError);
  t.equal(runInsightsQuery('fields @log', syslog, { accountId: '210987654321' }).records[0]!['@log'], '210987654321:/netsidecar/syslog');
});

t.test('at most 10,000 rows; recordsMatched tells how many matched', async (t) => {
  const many: InsightsEvent[] = [];
  for (let i = 0; i < 12_345; i++) many.push(syslogEvent(T0 + i * 100, { host: `rtr-${i % 7}`, severity: i % 8 }));
  const result = runInsightsQuery('fields @timestamp, severity', many);
  t.equal(DEFAULT_QUERY_LIMIT, 10_000);
  t.equal(MAX_ROWS_PER_PAGE, 10_000);
  t.equal(MAX_QUERY_LIMIT, 100_000);
  t.equal(result.results.length, 10_000);
  t.equal(result.statistics.recordsMatched, 12_345);
  t.equal(result.records[0]!['@timestamp'], '2026-03-01 12:20:34.400', 'the newest 10,000');
  const filtered = runInsightsQuery('filter severity = 0 | limit 5', many);
  t.equal(filtered.results.length, 5);
  t.equal(filtered.statistics.recordsMatched, Math.ceil(12_345 / 8));
  t.equal(runInsightsQuery('stats count(*) as n by bin(1s)', many).results.length, 1235, 'stats output is capped too when under the limit');
  t.equal(runInsightsQuery('stats count(*) as n by @timestamp', many).results.length, 10_000);
  t.equal(runInsightsQuery('limit 10000', many).results.length, 10_000);
  t.equal(runInsightsQuery('limit 20000', many).results.length, 10_000, "StartQuery's default limit still applies");
  t.equal(runInsightsQuery('fields @timestamp', many, { limit: MAX_QUERY_LIMIT }).results.length, 12_345, 'a raised limit returns more');
  t.equal(runInsightsQuery('limit 11000', many, { limit: MAX_QUERY_LIMIT }).results.length, 11_000);
});

t.test('malformed queries fail like MalformedQueryException', async (t) => {
  for (const bad of [
    '',
    'fields',
    'filter',
    'filter severity =',
    'filter (severity = 1',
    'fields a,',
    'stats count(*) by',
    'stats severity',
    'sort',
    'limit 0',
    'limit 100001',
    'limit x',
    'fields a | | fields b',
    'foo bar',
    'filter x = "unterminated',
    'filter x like /unterminated',
    'filter nosuchfunction(x)',
    'fields count(*)',
    'filter a && b',
    'parse @message "* *" as a',
    'parse @message /no groups/',
    'dedup a | sort a',
    'filter bin(x)',
    'fields 5m',
    'stats count(*) by count(*)',
    'fields a as',
  ]) {
    t.throws(() => runInsightsQuery(bad, events), MalformedQueryError, JSON.stringify(bad));
  }
  const error = t.throws(() => runInsightsQuery('filter severity = = 3', events)) as MalformedQueryError;
  t.equal(error.code, 'MalformedQueryException');
  t.match(error.message, /offset 18/);
});

t.test('constructs the stand-in does not implement fail naming them', async (t) => {
  for (const [query, named] of [
    ['fields jsonParse(@message) as j', 'jsonParse'],
    ['unnest a into b', 'unnest'],
    ['stats sortsFirst(a)', 'sortsFirst'],
    ['pattern @message', 'pattern'],
    ['stats count(*) by bin(1mo)', 'mo'],
    ['filter x like /(?s)a.b/', '(?s'],
  ] as const) {
    const error = t.throws(() => runInsightsQuery(query, events), UnsupportedQueryError, query) as UnsupportedQueryError;
    t.match(error.message, named, query);
  }
});
