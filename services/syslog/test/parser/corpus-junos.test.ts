import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// Formats from the Junos System Log Messages reference: the standard (BSD) format with the event
// tag leading the text, and `structured-data` (RFC 5424 with [junos@2636.<platform> ...]).
// Received at 2026-11-22T14:00:05Z.

const junos: CorpusCase[] = [
  {
    name: 'junos_bsd_bgp_state_changed',
    line: '<28>Nov 22 14:00:00 mx1 rpd[1234]: BGP_NEIGHBOR_STATE_CHANGED: BGP peer 10.0.0.1 (External AS 65001) changed state from Established to Idle (event RecvNotify) (instance master)',
    facility: 3, severity: 4, host: 'mx1', app: 'rpd', procId: '1234', msgId: 'BGP_NEIGHBOR_STATE_CHANGED',
    timestamp: null, timestampRaw: 'Nov 22 14:00:00',
    message: 'BGP peer 10.0.0.1 (External AS 65001) changed state from Established to Idle (event RecvNotify) (instance master)',
    vendor: { name: 'junos', eventTag: 'BGP_NEIGHBOR_STATE_CHANGED' },
  },
  {
    name: 'junos_bsd_ui_commit',
    line: "<189>Nov 22 14:00:01 mx1 mgd[5678]: UI_COMMIT: User 'admin' requested 'commit' operation (comment: none)",
    facility: 23, severity: 5, host: 'mx1', app: 'mgd', procId: '5678', msgId: 'UI_COMMIT',
    timestamp: null,
    message: "User 'admin' requested 'commit' operation (comment: none)",
    vendor: { name: 'junos', eventTag: 'UI_COMMIT' },
  },
  {
    name: 'junos_bsd_snmp_trap_link_down',
    line: '<28>Nov 22 14:00:02 mx1 mib2d[2233]: SNMP_TRAP_LINK_DOWN: ifIndex 530, ifAdminStatus up(1), ifOperStatus down(2), ifName ge-0/0/1',
    facility: 3, severity: 4, host: 'mx1', app: 'mib2d', procId: '2233', msgId: 'SNMP_TRAP_LINK_DOWN',
    timestamp: null,
    message: 'ifIndex 530, ifAdminStatus up(1), ifOperStatus down(2), ifName ge-0/0/1',
    vendor: { name: 'junos', eventTag: 'SNMP_TRAP_LINK_DOWN' },
  },
  {
    name: 'junos_bsd_tag_without_colon',
    line: '<28>Nov 22 14:00:03 re0.edge01.tyo01 rpd[15852]: BGP_PREFIX_THRESH_EXCEEDED 192.0.2.4 (External AS 15169): Configured maximum prefix-limit threshold(160) exceeded for inet-unicast nlri: 181 (instance master)',
    facility: 3, severity: 4, host: 're0.edge01.tyo01', app: 'rpd', procId: '15852', msgId: 'BGP_PREFIX_THRESH_EXCEEDED',
    timestamp: null,
    message: '192.0.2.4 (External AS 15169): Configured maximum prefix-limit threshold(160) exceeded for inet-unicast nlri: 181 (instance master)',
    vendor: { name: 'junos', eventTag: 'BGP_PREFIX_THRESH_EXCEEDED' },
  },
  {
    name: 'junos_bsd_sshd_login_failed',
    line: "<38>Nov 22 14:00:04 srx1 sshd[4321]: SSHD_LOGIN_FAILED: Login failed for user 'root' from host '198.51.100.7'",
    facility: 4, severity: 6, host: 'srx1', app: 'sshd', procId: '4321', msgId: 'SSHD_LOGIN_FAILED',
    timestamp: null,
    message: "Login failed for user 'root' from host '198.51.100.7'",
    vendor: { name: 'junos', eventTag: 'SSHD_LOGIN_FAILED' },
  },
  {
    name: 'junos_bsd_kernel_without_tag',
    line: '<12>Nov 22 14:00:04 mx1 /kernel: KERN_ARP_ADDR_CHANGE: arp info overwritten for 10.0.0.7 from 00:11:22:33:44:55 to 00:11:22:33:44:66',
    facility: 1, severity: 4, host: 'mx1', app: '/kernel', procId: null, msgId: 'KERN_ARP_ADDR_CHANGE',
    timestamp: null,
    message: 'arp info overwritten for 10.0.0.7 from 00:11:22:33:44:55 to 00:11:22:33:44:66',
    vendor: { name: 'junos', eventTag: 'KERN_ARP_ADDR_CHANGE' },
  },
  {
    name: 'junos_rfc5424_bgp',
    line: '<165>1 2026-11-22T23:00:00.003+09:00 mx1 rpd 1234 BGP_NEIGHBOR_STATE_CHANGED [junos@2636.1.1.1.2.18 peer-name="10.1.1.1" old-state="Established" new-state="Idle" event-name="RecvNotify" instance="master"] BGP peer 10.1.1.1 (External AS 65001) changed state from Established to Idle (event RecvNotify) (instance master)',
    facility: 20, severity: 5, host: 'mx1', app: 'rpd', procId: '1234', msgId: 'BGP_NEIGHBOR_STATE_CHANGED',
    timestamp: '2026-11-22T14:00:00.003Z', timestampRaw: '2026-11-22T23:00:00.003+09:00',
    message: 'BGP peer 10.1.1.1 (External AS 65001) changed state from Established to Idle (event RecvNotify) (instance master)',
    structuredData: { 'junos@2636.1.1.1.2.18': { 'peer-name': '10.1.1.1', 'old-state': 'Established', 'new-state': 'Idle', 'event-name': 'RecvNotify', instance: 'master' } },
    vendor: { name: 'junos', eventTag: 'BGP_NEIGHBOR_STATE_CHANGED', platform: '1.1.1.2.18' },
  },
  {
    name: 'junos_rfc5424_sshd_utc',
    line: "<86>1 2026-11-22T14:00:04.123Z mx1 sshd 4321 SSHD_LOGIN_FAILED [junos@2636.1.1.1.2.18 username=\"root\" source-address=\"198.51.100.7\"] Login failed for user 'root' from host '198.51.100.7'",
    facility: 10, severity: 6, host: 'mx1', app: 'sshd', procId: '4321', msgId: 'SSHD_LOGIN_FAILED',
    timestamp: '2026-11-22T14:00:04.123Z',
    message: "Login failed for user 'root' from host '198.51.100.7'",
    structuredData: { 'junos@2636.1.1.1.2.18': { username: 'root', 'source-address': '198.51.100.7' } },
    vendor: { name: 'junos', eventTag: 'SSHD_LOGIN_FAILED', platform: '1.1.1.2.18' },
  },
  {
    name: 'junos_rfc5424_srx_rt_flow_nil_procid',
    line: '<14>1 2026-11-22T14:00:05Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 source-address="10.0.0.5" source-port="51514" destination-address="198.51.100.7" destination-port="443" service-name="junos-https" nat-source-address="203.0.113.5" nat-source-port="40000" protocol-id="6" policy-name="allow-web" source-zone-name="trust" destination-zone-name="untrust" session-id-32="123456"] session created 10.0.0.5/51514->198.51.100.7/443 junos-https',
    facility: 1, severity: 6, host: 'srx1', app: 'RT_FLOW', procId: null, msgId: 'RT_FLOW_SESSION_CREATE',
    timestamp: '2026-11-22T14:00:05.000Z',
    message: 'session created 10.0.0.5/51514->198.51.100.7/443 junos-https',
    structuredData: {
      'junos@2636.1.1.1.2.129': {
        'source-address': '10.0.0.5', 'source-port': '51514', 'destination-address': '198.51.100.7', 'destination-port': '443',
        'service-name': 'junos-https', 'nat-source-address': '203.0.113.5', 'nat-source-port': '40000', 'protocol-id': '6',
        'policy-name': 'allow-web', 'source-zone-name': 'trust', 'destination-zone-name': 'untrust', 'session-id-32': '123456',
      },
    },
    vendor: { name: 'junos', eventTag: 'RT_FLOW_SESSION_CREATE', platform: '1.1.1.2.129' },
  },
  {
    name: 'junos_rfc5424_escaped_commit_comment',
    line: '<189>1 2026-11-22T14:00:01.500Z mx1 mgd 5678 UI_COMMIT [junos@2636.1.1.1.2.18 username="admin" command="commit" message="change \\"core\\" [CHG-1\\]"] User \'admin\' requested \'commit\' operation',
    facility: 23, severity: 5, host: 'mx1', app: 'mgd', procId: '5678', msgId: 'UI_COMMIT',
    timestamp: '2026-11-22T14:00:01.500Z',
    message: "User 'admin' requested 'commit' operation",
    structuredData: { 'junos@2636.1.1.1.2.18': { username: 'admin', command: 'commit', message: 'change "core" [CHG-1]' } },
    vendor: { name: 'junos', eventTag: 'UI_COMMIT', platform: '1.1.1.2.18' },
  },
];

t.test('Juniper Junos', async (t) => runCorpus(t, junos));
