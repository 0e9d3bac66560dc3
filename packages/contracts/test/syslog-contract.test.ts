// The syslog/2 contract from a reader's side, on hand-written stored events: what a reader that
// never saw the line makes of them. (That every line the parser reads survives the round trip is
// proven in syslog2-lossless.test.ts and in every parser corpus case.)
import t from 'tap';
import { renderTime, styleOf, syslogMessageAsVersion1 } from '../src/index.js';

t.test('time styles render a UTC timestamp as Cisco prints it, and nothing else', async (t) => {
  t.equal(renderTime('2026-11-02T04:05:06.007Z', 1), 'Nov  2 04:05:06.007 UTC', 'the day is space-padded');
  t.equal(renderTime('2026-11-22T14:00:00.000Z', 2), 'Nov 22 14:00:00 UTC');
  t.equal(renderTime('2026-01-22T14:00:00.120Z', 3), 'Jan 22 2026 14:00:00.120 UTC');
  t.equal(renderTime('2026-12-22T14:00:00.000Z', 4), 'Dec 22 2026 14:00:00 UTC');
  t.equal(renderTime('+275760-09-13T00:00:00.000Z', 1), null, 'a six-digit year is not rendered');
  t.equal(styleOf('2026-11-22T14:00:00.003Z', 'Nov 22 14:00:00.003 UTC'), 1);
  t.equal(styleOf('2026-11-22T14:00:00.003Z', 'Nov 22 23:00:00.003 JST'), null, 'another zone keeps its text');
  t.equal(styleOf('2026-11-22T14:00:00.003Z', 'Nov 22 14:00:00.003456 UTC'), null, 'microseconds keep their text');
  t.equal(styleOf('2026-11-02T14:00:00.003Z', 'Nov 02 14:00:00.003 UTC'), null, 'a zero-padded day keeps its text');
});

t.test('a stored Cisco syslog/2 event reads back as its syslog/1 event, receivedAt from @timestamp', async (t) => {
  const stored =
    '{"v":2,"sourceIp":"10.1.1.1","sourcePort":514,"transport":"udp","facility":23,"severity":5,"timestamp":"2026-11-22T14:00:00.003Z","host":"rtr-tyo-1","msgId":"LINK-3-UPDOWN","message":"Interface Gi0/1, changed state to down","vendor":{"name":"cisco","counter":65},"layout":"c1"}';
  const at = Date.parse('2026-11-22T14:00:00.120Z');
  const event = JSON.parse(syslogMessageAsVersion1(stored, at)) as Record<string, unknown>;
  t.same(Object.keys(event).slice(0, 3), ['schema', 'receivedAt', 'sourceIp'], 'in syslog/1 key order');
  t.match(event, {
    schema: 'syslog/1',
    receivedAt: '2026-11-22T14:00:00.120Z',
    facilityName: 'local7',
    severityName: 'notice',
    timestampRaw: 'Nov 22 14:00:00.003 UTC',
    app: null,
    structuredData: null,
    vendor: { name: 'cisco', counter: 65, mnemonic: 'LINK-3-UPDOWN', facility: 'LINK', severity: 3 },
    raw: '<189>65: rtr-tyo-1: Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down',
  });
  t.notOk('layout' in event || 'v' in event, 'nothing of syslog/2 is left');
});

t.test('what is not a readable syslog/2 event is returned unchanged, never thrown on', async (t) => {
  for (const message of [
    '{"schema":"syslog/1","receivedAt":"2026-11-22T14:00:00.000Z","message":"x"}',
    '{"v":2,"message":"truncated',
    '{"v":2,"message":7}',
    'not JSON at all',
    '{"schema":"part/1","part":1}',
  ]) {
    t.equal(syslogMessageAsVersion1(message, 0), message, message);
  }
});

t.test('a syslog/2 event that kept raw gives it as stored; rawBase64 stays', async (t) => {
  const kept = JSON.parse(
    syslogMessageAsVersion1(
      '{"v":2,"rt":1763820000000,"sourceIp":"::1","sourcePort":1,"transport":"tcp","facility":1,"severity":5,"message":"x","raw":"<13>x\\n"}',
      Number.NaN,
    ),
  ) as Record<string, unknown>;
  t.match(kept, { receivedAt: '2025-11-22T14:00:00.000Z', raw: '<13>x\n' }, 'the receive time in the event (rt) wins; no @timestamp needed');
  const binary = JSON.parse(
    syslogMessageAsVersion1(
      '{"v":2,"sourceIp":"::1","sourcePort":1,"transport":"tcp","facility":1,"severity":5,"message":"\\ufffd","rawBase64":"PDEzPv8="}',
      0,
    ),
  ) as Record<string, unknown>;
  t.equal(binary.rawBase64, 'PDEzPv8=');
  t.notOk('raw' in binary);
});
