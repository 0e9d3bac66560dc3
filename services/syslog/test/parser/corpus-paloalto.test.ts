import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// PAN-OS CSV records (admin guide "Syslog Field Descriptions": FUTURE_USE, Receive Time, Serial
// Number, Type, Subtype, FUTURE_USE, Generated Time, ...) in the BSD and IETF syslog formats.
// Received at 2026-11-22T14:00:05Z.

const traffic =
  '1,2026/11/22 23:00:00,013201001234,TRAFFIC,end,2561,2026/11/22 23:00:00,10.0.0.5,198.51.100.7,203.0.113.5,198.51.100.7,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/1,ethernet1/2,fwd-to-syslog,2026/11/22 23:00:00,72568134,1,51514,443,40000,443,0x40441a,tcp,allow,7312,2228,5084,22,2026/11/22 22:59:52,8,business-and-economy,,7253419119627122716,0x8000000000000000,10.0.0.0-10.255.255.255,United States,,12,10,tcp-fin,0,0,0,0,,PA-3220,from-policy,,,0,,0,,N/A,0,0,0,0,90431d13-81da-4129-8bc5-ce968fa06b76,0,0,,,,,,,,,2026-11-22T23:00:00.443+09:00,,,encrypted-tunnel,networking,browser-based,4,used-by-malware,,ssl,no,no,0';
const threat =
  '1,2026/11/22 23:00:01,013201001234,THREAT,url,2561,2026/11/22 23:00:01,10.0.0.5,198.51.100.80,203.0.113.5,198.51.100.80,allow-web,,,web-browsing,vsys1,trust,untrust,ethernet1/1,ethernet1/2,fwd-to-syslog,2026/11/22 23:00:01,72568135,1,51515,80,40001,80,0x40b000,tcp,block-url,"www.example.com/bad,path",(9999),malware,informational,client-to-server,7253419119627122717,0x8000000000000000,10.0.0.0-10.255.255.255,United States,,text/html';
const system =
  '1,2026/11/22 23:00:02,013201001234,SYSTEM,general,0,2026/11/22 23:00:02,,general,,0,0,general,informational,"User admin logged in via Web from 10.0.0.9 using https",7253419119627122718,0x0,0,0,0,0,,PA-3220';
const config =
  '1,2026/11/22 23:00:03,013201001234,CONFIG,0,2561,2026/11/22 23:00:03,10.0.0.9,,set,admin,Web,Succeeded, deviceconfig system ntp-servers,7253419119627122719,0x0,0,0,0,0,,PA-3220';
const globalprotect =
  '1,2026/11/22 23:00:04,013201001234,GLOBALPROTECT,0,2561,2026/11/22 23:00:04,vsys1,gateway-auth,login,,,alice,JP,alice-laptop,198.51.100.7,0.0.0.0,10.8.0.2,0.0.0.0,,,Windows,10.0,1,,,,,success,,0,,0,gp-gw,7253419119627122720,0x8000000000000000';

const paloalto: CorpusCase[] = [
  {
    name: 'paloalto_traffic_bsd_high_resolution_time',
    line: `<14>Nov 22 23:00:00 PA-3220 ${traffic}`,
    facility: 1,
    severity: 6,
    host: 'PA-3220',
    app: null,
    msgId: 'TRAFFIC',
    timestamp: '2026-11-22T14:00:00.443Z',
    timestampRaw: '2026-11-22T23:00:00.443+09:00',
    message: traffic,
    vendor: {
      name: 'paloalto',
      logType: 'TRAFFIC',
      subtype: 'end',
      serial: '013201001234',
      receiveTime: '2026/11/22 23:00:00',
      generatedTime: '2026/11/22 23:00:00',
    },
  },
  {
    name: 'paloalto_threat_url_bsd_quoted_field',
    line: `<12>Nov 22 23:00:01 PA-3220 ${threat}`,
    facility: 1,
    severity: 4,
    host: 'PA-3220',
    app: null,
    msgId: 'THREAT',
    timestamp: null,
    timestampRaw: 'Nov 22 23:00:01',
    message: threat,
    vendor: {
      name: 'paloalto',
      logType: 'THREAT',
      subtype: 'url',
      serial: '013201001234',
      receiveTime: '2026/11/22 23:00:01',
      generatedTime: '2026/11/22 23:00:01',
    },
  },
  {
    name: 'paloalto_system_ietf_format',
    line: `<14>1 2026-11-22T23:00:02+09:00 PA-3220 - - - - ${system}`,
    facility: 1,
    severity: 6,
    host: 'PA-3220',
    app: null,
    procId: null,
    msgId: 'SYSTEM',
    timestamp: '2026-11-22T14:00:02.000Z',
    message: system,
    structuredData: null,
    vendor: {
      name: 'paloalto',
      logType: 'SYSTEM',
      subtype: 'general',
      serial: '013201001234',
      receiveTime: '2026/11/22 23:00:02',
      generatedTime: '2026/11/22 23:00:02',
    },
  },
  {
    name: 'paloalto_config_bsd',
    line: `<14>Nov 22 23:00:03 PA-3220 ${config}`,
    facility: 1,
    severity: 6,
    host: 'PA-3220',
    app: null,
    timestamp: null,
    message: config,
    vendor: {
      name: 'paloalto',
      logType: 'CONFIG',
      subtype: '0',
      serial: '013201001234',
      receiveTime: '2026/11/22 23:00:03',
      generatedTime: '2026/11/22 23:00:03',
    },
  },
  {
    name: 'paloalto_globalprotect_local4',
    line: `<166>Nov 22 23:00:04 PA-3220 ${globalprotect}`,
    facility: 20,
    severity: 6,
    host: 'PA-3220',
    app: null,
    timestamp: null,
    message: globalprotect,
    vendor: {
      name: 'paloalto',
      logType: 'GLOBALPROTECT',
      subtype: '0',
      serial: '013201001234',
      receiveTime: '2026/11/22 23:00:04',
      generatedTime: '2026/11/22 23:00:04',
    },
  },
];

t.test('Palo Alto PAN-OS', async (t) => runCorpus(t, paloalto));
