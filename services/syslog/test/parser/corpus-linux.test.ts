import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// Linux senders: rsyslog forwarding templates (RSYSLOG_TraditionalForwardFormat, RSYSLOG_ForwardFormat,
// RSYSLOG_SyslogProtocol23Format) and util-linux `logger` (RFC 5424 by default, `--rfc3164`).
// Received at 2026-11-22T14:00:05Z; a BSD time without zone gives timestamp null by design.

const linux: CorpusCase[] = [
  {
    name: 'rsyslog_traditional_forward_format',
    line: '<30>Nov 22 14:00:00 web1 systemd[1]: Started Session 5 of user alice.',
    facility: 3, severity: 6, host: 'web1', app: 'systemd', procId: '1', msgId: null,
    timestamp: null, timestampRaw: 'Nov 22 14:00:00',
    message: 'Started Session 5 of user alice.',
    vendor: null,
  },
  {
    name: 'rsyslog_forward_format_rfc3339',
    line: '<30>2026-11-22T23:00:00.123456+09:00 web1 systemd[1]: Started Session 5 of user alice.',
    facility: 3, severity: 6, host: 'web1', app: 'systemd', procId: '1',
    timestamp: '2026-11-22T14:00:00.123Z', timestampRaw: '2026-11-22T23:00:00.123456+09:00',
    message: 'Started Session 5 of user alice.',
    vendor: null,
  },
  {
    name: 'rsyslog_syslog_protocol23_format',
    line: '<30>1 2026-11-22T14:00:00.123456+00:00 web1 systemd 1 - - Started Session 5 of user alice.',
    facility: 3, severity: 6, host: 'web1', app: 'systemd', procId: '1', msgId: null,
    timestamp: '2026-11-22T14:00:00.123Z',
    message: 'Started Session 5 of user alice.',
    structuredData: null,
    vendor: null,
  },
  {
    name: 'rsyslog_logger_rfc5424',
    line: '<13>1 2026-11-22T23:00:00.123456+09:00 web1 alice - - [timeQuality tzKnown="1" isSynced="1" syncAccuracy="123456"] hello from logger',
    facility: 1, severity: 5, host: 'web1', app: 'alice', procId: null, msgId: null,
    timestamp: '2026-11-22T14:00:00.123Z',
    message: 'hello from logger',
    structuredData: { timeQuality: { tzKnown: '1', isSynced: '1', syncAccuracy: '123456' } },
    vendor: null,
  },
  {
    name: 'rsyslog_logger_rfc3164',
    line: '<13>Nov 22 23:00:00 web1 alice: hello from logger',
    facility: 1, severity: 5, host: 'web1', app: 'alice', procId: null,
    timestamp: null, timestampRaw: 'Nov 22 23:00:00',
    message: 'hello from logger',
    vendor: null,
  },
  {
    name: 'rsyslog_sshd_authpriv',
    line: '<86>Nov 22 14:00:00 bastion sshd[4321]: Accepted publickey for alice from 10.0.0.9 port 51514 ssh2: ED25519 SHA256:AbCdEf',
    facility: 10, severity: 6, host: 'bastion', app: 'sshd', procId: '4321',
    timestamp: null,
    message: 'Accepted publickey for alice from 10.0.0.9 port 51514 ssh2: ED25519 SHA256:AbCdEf',
    vendor: null,
  },
  {
    name: 'rsyslog_kernel_space_padded_day',
    line: '<4>Nov  2 14:00:00 web1 kernel: [12345.678901] e1000e: eth0 NIC Link is Down',
    facility: 0, severity: 4, host: 'web1', app: 'kernel', procId: null,
    timestamp: null, timestampRaw: 'Nov  2 14:00:00',
    message: '[12345.678901] e1000e: eth0 NIC Link is Down',
    vendor: null,
  },
  {
    name: 'rsyslog_postfix_slash_tag_crlf',
    line: '<22>Nov 22 14:00:00 mail1 postfix/smtpd[7777]: connect from unknown[198.51.100.7]\r\n',
    facility: 2, severity: 6, host: 'mail1', app: 'postfix/smtpd', procId: '7777',
    timestamp: null,
    message: 'connect from unknown[198.51.100.7]',
    vendor: null,
  },
  {
    name: 'rsyslog_numeric_tag_is_not_a_cisco_counter',
    line: '<13>Nov 22 14:00:00 web1 4711: job 12 finished: 3 files',
    facility: 1, severity: 5, host: 'web1', app: '4711', procId: null, msgId: null,
    timestamp: null, timestampRaw: 'Nov 22 14:00:00',
    message: 'job 12 finished: 3 files',
    vendor: null,
  },
];

t.test('Linux rsyslog and logger', async (t) => runCorpus(t, linux));
