import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// Arista EOS: BSD header, an agent tag (Ebra, Bgp, Rib, ConfigAgent...) and Cisco-style codes;
// `logging format timestamp traditional year` and `high-resolution` (RFC 3339) variants.
// Received at 2026-11-22T14:00:05Z.

const arista: CorpusCase[] = [
  {
    name: 'arista_eos_lineproto_updown',
    line: '<189>Nov 22 14:00:00 rtr1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet1, changed state to down',
    facility: 23,
    severity: 5,
    host: 'rtr1',
    app: 'Ebra',
    procId: null,
    msgId: 'LINEPROTO-5-UPDOWN',
    timestamp: null,
    timestampRaw: 'Nov 22 14:00:00',
    message: 'Line protocol on Interface Ethernet1, changed state to down',
    vendor: { name: 'arista', mnemonic: 'LINEPROTO-5-UPDOWN', facility: 'LINEPROTO', severity: 5 },
  },
  {
    name: 'arista_eos_traditional_year',
    line: '<189>2026 Nov 22 14:00:01 rtr1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet2, changed state to up',
    facility: 23,
    severity: 5,
    host: 'rtr1',
    app: 'Ebra',
    timestamp: null,
    timestampRaw: '2026 Nov 22 14:00:01',
    message: 'Line protocol on Interface Ethernet2, changed state to up',
    vendor: { name: 'arista', mnemonic: 'LINEPROTO-5-UPDOWN', facility: 'LINEPROTO', severity: 5 },
  },
  {
    name: 'arista_eos_high_resolution',
    line: '<187>2026-11-22T14:00:02.123456+00:00 rtr1 Ebra: %LINK-3-UPDOWN: Interface Ethernet3, changed state to down',
    facility: 23,
    severity: 3,
    host: 'rtr1',
    app: 'Ebra',
    timestamp: '2026-11-22T14:00:02.123Z',
    timestampRaw: '2026-11-22T14:00:02.123456+00:00',
    message: 'Interface Ethernet3, changed state to down',
    vendor: { name: 'arista', mnemonic: 'LINK-3-UPDOWN', facility: 'LINK', severity: 3 },
  },
  {
    name: 'arista_eos_rib_bgp_notification',
    line: '<187>Nov 22 14:00:03 edge01 Rib: %BGP-3-NOTIFICATION: received from neighbor 192.0.2.2 (AS 2611) 6/1 (Cease/maximum number of prefixes reached) 0 bytes',
    facility: 23,
    severity: 3,
    host: 'edge01',
    app: 'Rib',
    timestamp: null,
    message: 'received from neighbor 192.0.2.2 (AS 2611) 6/1 (Cease/maximum number of prefixes reached) 0 bytes',
    vendor: { name: 'arista', mnemonic: 'BGP-3-NOTIFICATION', facility: 'BGP', severity: 3 },
  },
  {
    name: 'arista_eos_bgp_adjchange',
    line: '<189>Nov 22 14:00:04 rtr1 Bgp: %BGP-5-ADJCHANGE: peer 192.0.2.2 (VRF default AS 65001) old state OpenConfirm event Established new state Established',
    facility: 23,
    severity: 5,
    host: 'rtr1',
    app: 'Bgp',
    timestamp: null,
    message: 'peer 192.0.2.2 (VRF default AS 65001) old state OpenConfirm event Established new state Established',
    vendor: { name: 'arista', mnemonic: 'BGP-5-ADJCHANGE', facility: 'BGP', severity: 5 },
  },
  {
    name: 'arista_eos_fqdn_config_agent',
    line: '<189>Nov  2 14:00:04 rtr1.tyo.example.net ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)',
    facility: 23,
    severity: 5,
    host: 'rtr1.tyo.example.net',
    app: 'ConfigAgent',
    timestamp: null,
    timestampRaw: 'Nov  2 14:00:04',
    message: 'Configured from console by admin on vty3 (10.0.0.9)',
    vendor: { name: 'arista', mnemonic: 'SYS-5-CONFIG_I', facility: 'SYS', severity: 5 },
  },
];

t.test('Arista EOS', async (t) => runCorpus(t, arista));
