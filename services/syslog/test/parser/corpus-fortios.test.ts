import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// FortiOS key=value logs (FortiOS Log Message Reference): no syslog header after the PRI, the time
// as date= time= tz= (to the second), eventtime in ns since FortiOS 6.2 (the same instant, with its
// fraction). Received at 2026-11-22T14:00:05Z.

const traffic =
  'date=2026-11-22 time=23:00:00 devname="FGT60F" devid="FGT60FTK20000000" eventtime=1795356000123456789 tz="+0900" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.0.0.5 srcport=51514 srcintf="internal" dstip=198.51.100.7 dstport=443 dstintf="wan1" sessionid=123456 proto=6 action="close" policyid=1 service="HTTPS" duration=10 sentbyte=5120 rcvdbyte=20480';
const login =
  'date=2026-11-22 time=14:00:01 devname="FGT-TYO" devid="FGT60FTK20000001" eventtime=1795356001000000000 tz="+0000" logid="0100032001" type="event" subtype="system" level="information" vd="root" logdesc="Admin login successful" sn="1795356001" user="admin" ui="ssh(10.0.0.9)" method="ssh" srcip=10.0.0.9 dstip=10.0.0.1 action="login" status="success" reason="none" profile="super_admin" msg="Administrator admin logged in successfully from ssh(10.0.0.9)"';
const noTz =
  'date=2026-11-22 time=23:00:02 devname="FGT60F" devid="FGT60FTK20000000" eventtime=1795356002500000000 logid="0000000020" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.0.0.5 dstip=198.51.100.7 action="accept"';
const old =
  'date=2026-11-22 time=23:00:03 devname=FGT-OLD devid=FGT60D4614000000 logid=0000000013 type=traffic subtype=forward level=notice vd=root srcip=10.0.0.5 dstip=198.51.100.7 action=accept';
const csv =
  'date=2026-11-22,time=23:00:04,devname=FGT60F,devid=FGT60FTK20000000,logid=0000000013,type=traffic,subtype=forward,level=notice,vd=root,tz=+0900,srcip=10.0.0.5,dstip=198.51.100.7,action=close';
const webfilter =
  'date=2026-11-22 time=23:00:04 devname="FGT60F" devid="FGT60FTK20000000" eventtime=1795356004000000000 tz="+0900" logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" vd="root" policyid=1 sessionid=123457 srcip=10.0.0.5 dstip=198.51.100.80 hostname="www.example.com" url="/bad?q=\\"x\\"" action="blocked" cat=26 catdesc="Malicious Websites" msg="URL belongs to a denied category in policy"';

const sdwan =
  'date=2026-11-22 time=06:00:04 devname="FGT-PDX" devid="FGT60FTK20000002" eventtime=1795356004987654321 tz="-0800" logid="0113022923" type="event" subtype="sdwan" level="notice" vd="root" logdesc="Virtual WAN Link status" eventtype="Health Check" healthcheck="ping1" msg="Number of pass member changed."';
const micro =
  'date=2026-11-22 time=14:00:04 devname="FGT-LON" devid="FGT60FTK20000003" eventtime=1795356004250000 tz="+0000" logid="0100032002" type="event" subtype="system" level="information" vd="root" logdesc="Admin logout successful" user="admin" action="logout" msg="Administrator admin logged out from ssh(10.0.0.9)"';
const skewed =
  'date=2026-11-22 time=23:00:04 devname="FGT60F" devid="FGT60FTK20000000" eventtime=1795323604000000000 tz="+0900" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" action="close"';

const fortios: CorpusCase[] = [
  {
    name: 'fortios_traffic_forward_tz_plus0900',
    line: `<189>${traffic}`,
    facility: 23, severity: 5, host: 'FGT60F', app: null, msgId: '0000000013',
    timestamp: '2026-11-22T14:00:00.123Z', timestampRaw: '2026-11-22 23:00:00 +0900',
    message: traffic,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '23:00:00', devname: 'FGT60F', devid: 'FGT60FTK20000000', eventtime: '1795356000123456789', tz: '+0900',
        logid: '0000000013', type: 'traffic', subtype: 'forward', level: 'notice', vd: 'root', srcip: '10.0.0.5', srcport: '51514',
        srcintf: 'internal', dstip: '198.51.100.7', dstport: '443', dstintf: 'wan1', sessionid: '123456', proto: '6', action: 'close',
        policyid: '1', service: 'HTTPS', duration: '10', sentbyte: '5120', rcvdbyte: '20480',
      },
    },
  },
  {
    name: 'fortios_event_admin_login_utc',
    line: `<190>${login}`,
    facility: 23, severity: 6, host: 'FGT-TYO', app: null, msgId: '0100032001',
    timestamp: '2026-11-22T14:00:01.000Z', timestampRaw: '2026-11-22 14:00:01 +0000',
    message: login,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '14:00:01', devname: 'FGT-TYO', devid: 'FGT60FTK20000001', eventtime: '1795356001000000000', tz: '+0000',
        logid: '0100032001', type: 'event', subtype: 'system', level: 'information', vd: 'root', logdesc: 'Admin login successful',
        sn: '1795356001', user: 'admin', ui: 'ssh(10.0.0.9)', method: 'ssh', srcip: '10.0.0.9', dstip: '10.0.0.1', action: 'login',
        status: 'success', reason: 'none', profile: 'super_admin', msg: 'Administrator admin logged in successfully from ssh(10.0.0.9)',
      },
    },
  },
  {
    name: 'fortios_no_tz_eventtime_ns',
    line: `<189>${noTz}`,
    facility: 23, severity: 5, host: 'FGT60F', app: null, msgId: '0000000020',
    timestamp: '2026-11-22T14:00:02.500Z', timestampRaw: '2026-11-22 23:00:02',
    message: noTz,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '23:00:02', devname: 'FGT60F', devid: 'FGT60FTK20000000', eventtime: '1795356002500000000',
        logid: '0000000020', type: 'traffic', subtype: 'forward', level: 'notice', vd: 'root', srcip: '10.0.0.5', dstip: '198.51.100.7', action: 'accept',
      },
    },
  },
  {
    name: 'fortios_5x_unquoted_no_tz',
    line: `<189>${old}`,
    facility: 23, severity: 5, host: 'FGT-OLD', app: null, msgId: '0000000013',
    timestamp: null, timestampRaw: '2026-11-22 23:00:03',
    message: old,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '23:00:03', devname: 'FGT-OLD', devid: 'FGT60D4614000000', logid: '0000000013', type: 'traffic',
        subtype: 'forward', level: 'notice', vd: 'root', srcip: '10.0.0.5', dstip: '198.51.100.7', action: 'accept',
      },
    },
  },
  {
    name: 'fortios_format_csv',
    line: `<189>${csv}`,
    facility: 23, severity: 5, host: 'FGT60F', app: null,
    timestamp: '2026-11-22T14:00:04.000Z', timestampRaw: '2026-11-22 23:00:04 +0900',
    message: csv,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '23:00:04', devname: 'FGT60F', devid: 'FGT60FTK20000000', logid: '0000000013', type: 'traffic',
        subtype: 'forward', level: 'notice', vd: 'root', tz: '+0900', srcip: '10.0.0.5', dstip: '198.51.100.7', action: 'close',
      },
    },
  },
  {
    name: 'fortios_utm_webfilter_blocked',
    line: `<188>${webfilter}`,
    facility: 23, severity: 4, host: 'FGT60F', app: null, msgId: '0316013056',
    timestamp: '2026-11-22T14:00:04.000Z',
    message: webfilter,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '23:00:04', devname: 'FGT60F', devid: 'FGT60FTK20000000', eventtime: '1795356004000000000', tz: '+0900',
        logid: '0316013056', type: 'utm', subtype: 'webfilter', eventtype: 'ftgd_blk', level: 'warning', vd: 'root', policyid: '1',
        sessionid: '123457', srcip: '10.0.0.5', dstip: '198.51.100.80', hostname: 'www.example.com', url: '/bad?q="x"', action: 'blocked',
        cat: '26', catdesc: 'Malicious Websites', msg: 'URL belongs to a denied category in policy',
      },
    },
  },
  {
    name: 'fortios_sdwan_eventtime_ns_subsecond',
    line: `<189>${sdwan}`,
    facility: 23, severity: 5, host: 'FGT-PDX', app: null, procId: null, msgId: '0113022923',
    timestamp: '2026-11-22T14:00:04.987Z', timestampRaw: '2026-11-22 06:00:04 -0800',
    message: sdwan,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '06:00:04', devname: 'FGT-PDX', devid: 'FGT60FTK20000002', eventtime: '1795356004987654321', tz: '-0800',
        logid: '0113022923', type: 'event', subtype: 'sdwan', level: 'notice', vd: 'root', logdesc: 'Virtual WAN Link status',
        eventtype: 'Health Check', healthcheck: 'ping1', msg: 'Number of pass member changed.',
      },
    },
  },
  {
    name: 'fortios_eventtime_us_subsecond',
    line: `<190>${micro}`,
    facility: 23, severity: 6, host: 'FGT-LON', app: null, procId: null, msgId: '0100032002',
    timestamp: '2026-11-22T14:00:04.250Z', timestampRaw: '2026-11-22 14:00:04 +0000',
    message: micro,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '14:00:04', devname: 'FGT-LON', devid: 'FGT60FTK20000003', eventtime: '1795356004250000', tz: '+0000',
        logid: '0100032002', type: 'event', subtype: 'system', level: 'information', vd: 'root', logdesc: 'Admin logout successful',
        user: 'admin', action: 'logout', msg: 'Administrator admin logged out from ssh(10.0.0.9)',
      },
    },
  },
  {
    name: 'fortios_eventtime_disagrees_date_time_wins',
    line: `<189>${skewed}`,
    facility: 23, severity: 5, host: 'FGT60F', app: null, procId: null, msgId: '0000000013',
    timestamp: '2026-11-22T14:00:04.000Z', timestampRaw: '2026-11-22 23:00:04 +0900',
    message: skewed,
    vendor: {
      name: 'fortios',
      fields: {
        date: '2026-11-22', time: '23:00:04', devname: 'FGT60F', devid: 'FGT60FTK20000000', eventtime: '1795323604000000000', tz: '+0900',
        logid: '0000000013', type: 'traffic', subtype: 'forward', level: 'notice', vd: 'root', action: 'close',
      },
    },
  },
];

t.test('Fortinet FortiOS', async (t) => runCorpus(t, fortios));
