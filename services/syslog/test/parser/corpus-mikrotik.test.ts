import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// MikroTik RouterOS remote logging: topics then text, with no header by default, a BSD header with
// `bsd-syslog=yes`, or RFC 3339 with `syslog-time-format=iso8601` (v7). Received 2026-11-22T14:00:05Z.

const mikrotik: CorpusCase[] = [
  {
    name: 'mikrotik_firewall_info_default_action',
    line: '<30>firewall,info input: in:ether1 out:(unknown 0), src-mac 00:21:29:6d:82:07, proto UDP, 10.1.101.1:520->10.1.101.255:520, len 452',
    facility: 3,
    severity: 6,
    host: null,
    app: null,
    timestamp: null,
    timestampRaw: null,
    message: 'input: in:ether1 out:(unknown 0), src-mac 00:21:29:6d:82:07, proto UDP, 10.1.101.1:520->10.1.101.255:520, len 452',
    vendor: { name: 'mikrotik', topics: ['firewall', 'info'] },
  },
  {
    name: 'mikrotik_system_info_account',
    line: '<30>system,info,account user admin logged in from 10.0.0.9 via ssh',
    facility: 3,
    severity: 6,
    host: null,
    app: null,
    timestamp: null,
    message: 'user admin logged in from 10.0.0.9 via ssh',
    vendor: { name: 'mikrotik', topics: ['system', 'info', 'account'] },
  },
  {
    name: 'mikrotik_system_error_critical_login_failure',
    line: '<27>system,error,critical login failure for user admin from 198.51.100.7 via ssh',
    facility: 3,
    severity: 3,
    host: null,
    app: null,
    timestamp: null,
    message: 'login failure for user admin from 198.51.100.7 via ssh',
    vendor: { name: 'mikrotik', topics: ['system', 'error', 'critical'] },
  },
  {
    name: 'mikrotik_bsd_syslog_dhcp',
    line: '<30>Nov 22 23:00:00 MikroTik dhcp,info dhcp1 assigned 192.168.88.254 to 00:11:22:33:44:55',
    facility: 3,
    severity: 6,
    host: 'MikroTik',
    app: null,
    timestamp: null,
    timestampRaw: 'Nov 22 23:00:00',
    message: 'dhcp1 assigned 192.168.88.254 to 00:11:22:33:44:55',
    vendor: { name: 'mikrotik', topics: ['dhcp', 'info'] },
  },
  {
    name: 'mikrotik_v7_iso8601_interface',
    line: '<28>2026-11-22T23:00:01.000+09:00 rtr-mt interface,warning ether1 link down',
    facility: 3,
    severity: 4,
    host: 'rtr-mt',
    app: null,
    timestamp: '2026-11-22T14:00:01.000Z',
    timestampRaw: '2026-11-22T23:00:01.000+09:00',
    message: 'ether1 link down',
    vendor: { name: 'mikrotik', topics: ['interface', 'warning'] },
  },
];

t.test('MikroTik RouterOS', async (t) => runCorpus(t, mikrotik));
