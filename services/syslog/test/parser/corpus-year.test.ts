import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// Times printed without a year (RFC 3164, Cisco `service timestamps log datetime` without `year`),
// each received at its own fixed instant: the year is decided as rsyslog decides it (a month more
// than one month ahead of the receive month is last year's; January received in December is next
// year's), on the device's wall clock. A router replays old lines; it does not send next month's.

const sysConfig = '%SYS-5-CONFIG_I: Configured from console by console';
const sysVendor = { name: 'cisco', mnemonic: 'SYS-5-CONFIG_I', facility: 'SYS', severity: 5 };

const yearless: CorpusCase[] = [
  {
    name: 'cisco_ios_replayed_may_line_received_november',
    line: `<189>90: May 10 14:00:00.000 UTC: ${sysConfig}`,
    receivedAt: '2026-11-22T14:00:05Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2026-05-10T14:00:00.000Z', timestampRaw: 'May 10 14:00:00.000 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 90 },
  },
  {
    name: 'cisco_ios_buffered_december_line_received_october',
    line: `<189>91: Dec 10 09:00:00 UTC: ${sysConfig}`,
    receivedAt: '2026-10-05T00:00:00Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2025-12-10T09:00:00.000Z', timestampRaw: 'Dec 10 09:00:00 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 91 },
  },
  {
    name: 'cisco_ios_next_month_stays_this_year',
    line: `<189>92: Dec  1 00:00:00 UTC: ${sysConfig}`,
    receivedAt: '2026-11-22T14:00:05Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2026-12-01T00:00:00.000Z', timestampRaw: 'Dec  1 00:00:00 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 92 },
  },
  {
    name: 'cisco_ios_dec31_line_received_jan1',
    line: `<189>93: Dec 31 23:59:58.500 UTC: ${sysConfig}`,
    receivedAt: '2027-01-01T00:00:02Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2026-12-31T23:59:58.500Z', timestampRaw: 'Dec 31 23:59:58.500 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 93 },
  },
  {
    name: 'cisco_ios_jan1_line_received_dec31_clock_ahead',
    line: `<189>94: *Jan  1 00:00:01 UTC: ${sysConfig}`,
    receivedAt: '2026-12-31T23:59:59Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2027-01-01T00:00:01.000Z', timestampRaw: 'Jan  1 00:00:01 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 94, clockSynchronized: false, clockMarker: '*' },
  },
  {
    name: 'cisco_ios_localtime_jst_new_year',
    line: `<189>95: Jan  1 08:59:59 JST: ${sysConfig}`,
    receivedAt: '2027-01-01T00:00:02Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2026-12-31T23:59:59.000Z', timestampRaw: 'Jan  1 08:59:59 JST',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 95 },
  },
  {
    name: 'rfc3164_utc_june_line_received_january',
    line: '<13>Jun 30 23:00:00 UTC web1 backup[812]: nightly run finished',
    receivedAt: '2027-01-15T00:00:00Z',
    facility: 1, severity: 5, host: 'web1', app: 'backup', procId: '812', msgId: null,
    timestamp: '2026-06-30T23:00:00.000Z', timestampRaw: 'Jun 30 23:00:00 UTC',
    message: 'nightly run finished',
    vendor: null,
  },
  {
    name: 'cisco_ios_feb29_in_a_leap_year',
    line: `<189>96: Feb 29 12:00:00 UTC: ${sysConfig}`,
    receivedAt: '2028-03-01T00:00:00Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2028-02-29T12:00:00.000Z', timestampRaw: 'Feb 29 12:00:00 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 96 },
  },
  {
    name: 'cisco_ios_feb29_replayed_after_the_leap_year',
    line: `<189>97: Feb 29 12:00:00 UTC: ${sysConfig}`,
    receivedAt: '2029-01-15T00:00:00Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: '2028-02-29T12:00:00.000Z', timestampRaw: 'Feb 29 12:00:00 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 97 },
  },
  {
    name: 'cisco_ios_feb29_in_no_recent_year',
    line: `<189>98: Feb 29 12:00:00 UTC: ${sysConfig}`,
    receivedAt: '2027-01-15T00:00:00Z',
    facility: 23, severity: 5, host: null, app: null, procId: null, msgId: 'SYS-5-CONFIG_I',
    timestamp: null, timestampRaw: 'Feb 29 12:00:00 UTC',
    message: 'Configured from console by console',
    vendor: { ...sysVendor, counter: 98 },
  },
];

t.test('a time without a year', async (t) => runCorpus(t, yearless));
