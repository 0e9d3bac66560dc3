import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// The examples of RFC 5424 §6.5 and RFC 3164 §5.4, plus the RFC 5424 corners: NILVALUE in every
// field, repeated PARAM-NAMEs, escapes, several SD elements, offsets and fractions.

const rfc5424: CorpusCase[] = [
  {
    name: 'rfc5424_example1_bom_no_sd',
    line: "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8",
    facility: 4, severity: 2, host: 'mymachine.example.com', app: 'su', procId: null, msgId: 'ID47',
    timestamp: '2003-10-11T22:14:15.003Z',
    message: "'su root' failed for lonvick on /dev/pts/8",
    structuredData: null,
    vendor: null,
  },
  {
    name: 'rfc5424_example2_microseconds_negative_offset',
    line: "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    facility: 20, severity: 5, host: '192.0.2.1', app: 'myproc', procId: '8710', msgId: null,
    timestamp: '2003-08-24T12:14:15.000Z', timestampRaw: '2003-08-24T05:14:15.000003-07:00',
    message: "%% It's time to make the do-nuts.",
    structuredData: null,
    vendor: null,
  },
  {
    name: 'rfc5424_example3_sd_and_bom',
    line: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
    facility: 20, severity: 5, host: 'mymachine.example.com', app: 'evntslog', procId: null, msgId: 'ID47',
    timestamp: '2003-10-11T22:14:15.003Z',
    message: 'An application event log entry...',
    structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } },
    vendor: null,
  },
  {
    name: 'rfc5424_example4_two_sd_elements_no_msg',
    line: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
    facility: 20, severity: 5, host: 'mymachine.example.com', app: 'evntslog', procId: null, msgId: 'ID47',
    timestamp: '2003-10-11T22:14:15.003Z',
    message: '',
    structuredData: {
      'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
      'examplePriority@32473': { class: 'high' },
    },
    vendor: null,
  },
  {
    name: 'rfc5424_nilvalue_everywhere',
    line: '<14>1 - - - - - -',
    facility: 1, severity: 6, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: '',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'rfc5424_escapes_and_repeated_params',
    line: '<14>1 2026-11-22T14:00:00+00:00 host1 app1 42 M1 [x@32473 q="say \\"hi\\"" b="back\\\\slash" r="bra\\]cket" o="keep\\n" a="1" a="2" a="3"] body',
    facility: 1, severity: 6, host: 'host1', app: 'app1', procId: '42', msgId: 'M1',
    timestamp: '2026-11-22T14:00:00.000Z',
    message: 'body',
    structuredData: { 'x@32473': { q: 'say "hi"', b: 'back\\slash', r: 'bra]cket', o: 'keep\\n', a: ['1', '2', '3'] } },
    vendor: null,
  },
  {
    name: 'rfc5424_no_offset_is_not_utc',
    line: '<14>1 2026-11-22T14:00:00.5 host1 app1 - - - local time without offset',
    facility: 1, severity: 6, host: 'host1', app: 'app1',
    timestamp: null, timestampRaw: '2026-11-22T14:00:00.5',
    message: 'local time without offset',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'rfc5424_malformed_sd_kept_in_message',
    line: '<14>1 2026-11-22T14:00:00Z host1 app1 - - [broken param="unterminated] rest',
    facility: 1, severity: 6, host: 'host1', app: 'app1',
    timestamp: '2026-11-22T14:00:00.000Z',
    message: '[broken param="unterminated] rest',
    structuredData: null,
    vendor: null,
  },
];

const rfc3164: CorpusCase[] = [
  {
    name: 'rfc3164_example1_su',
    line: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
    facility: 4, severity: 2, host: 'mymachine', app: 'su', procId: null,
    timestamp: null, timestampRaw: 'Oct 11 22:14:15',
    message: "'su root' failed for lonvick on /dev/pts/8",
    vendor: null,
  },
  {
    name: 'rfc3164_example2_ip_host_no_tag',
    line: '<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!',
    facility: 1, severity: 5, host: '10.0.0.99', app: null,
    timestamp: null, timestampRaw: 'Feb  5 17:32:18',
    message: 'Use the BFG!',
    vendor: null,
  },
  {
    name: 'rfc3164_pri_only_content_without_header',
    line: '<13>plain text without any header',
    facility: 1, severity: 5, host: null, app: null,
    timestamp: null, timestampRaw: null,
    message: 'plain text without any header',
    vendor: null,
  },
];

// RFC 3164 §4.3.3: a line without a PRI, or with one that cannot be read, gets PRI 13 (user.notice)
// and is kept whole as the content; `priDefaulted` says the PRI is not the sender's.
const priDefaulted: CorpusCase[] = [
  {
    name: 'rfc3164_no_pri_bsd_header',
    line: 'Nov 22 14:00:00 web1 cron[99]: (root) CMD (run-parts /etc/cron.hourly)',
    format: 'unparsed',
    facility: 1, severity: 5, priDefaulted: true, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: 'Nov 22 14:00:00 web1 cron[99]: (root) CMD (run-parts /etc/cron.hourly)',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'netcat_no_pri_plain_text',
    line: 'just some words: nothing else',
    format: 'unparsed',
    facility: 1, severity: 5, priDefaulted: true, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: 'just some words: nothing else',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'cisco_ios_console_server_no_pri',
    line: '65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
    format: 'unparsed',
    facility: 1, severity: 5, priDefaulted: true, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: '65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'invalid_pri_above_191',
    line: '<192>Nov 22 14:00:00 web1 app: text',
    format: 'unparsed',
    facility: 1, severity: 5, priDefaulted: true, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: '<192>Nov 22 14:00:00 web1 app: text',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'invalid_pri_four_digits_rfc5424',
    line: '<0013>1 2026-11-22T14:00:00Z web1 app - - - text',
    format: 'unparsed',
    facility: 1, severity: 5, priDefaulted: true, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: '<0013>1 2026-11-22T14:00:00Z web1 app - - - text',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'invalid_pri_not_a_number',
    line: '<1a>Nov 22 14:00:00 web1 app: text',
    format: 'unparsed',
    facility: 1, severity: 5, priDefaulted: true, host: null, app: null, procId: null, msgId: null,
    timestamp: null, timestampRaw: null,
    message: '<1a>Nov 22 14:00:00 web1 app: text',
    structuredData: null,
    vendor: null,
  },
];

t.test('RFC 5424', async (t) => runCorpus(t, rfc5424));
t.test('RFC 3164', async (t) => runCorpus(t, rfc3164));
t.test('no or invalid PRI: PRI 13, flagged, kept whole', async (t) => runCorpus(t, priDefaulted));
