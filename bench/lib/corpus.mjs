// Realistic router lines for the load generator: a Cisco IOS / Junos mix of 150-250 bytes, as
// routers send them (see the fixtures in services/syslog/test). Deterministic (seeded), so two
// runs send the same bytes. Every line names its device, as `logging origin-id hostname` (Cisco)
// and Junos do, so events land in one log stream per device whatever the source address.
import { writeFileSync } from 'node:fs';

const sites = ['tyo', 'fra', 'ams', 'iad', 'sin', 'syd', 'lhr', 'gru', 'nrt', 'cdg'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Mulberry32: a tiny seeded PRNG, enough for varied but repeatable lines. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function deviceNames(count) {
  return Array.from({ length: count }, (_, i) => `rtr-${sites[i % sites.length]}-${String(Math.floor(i / sites.length) + 1).padStart(2, '0')}`);
}

const pad2 = (n) => String(n).padStart(2, '0');

/** One line per call; `kind` picks the template (half Cisco IOS, half Junos). */
function makeLine(random, host, seq, when) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const ms = String(when.getUTCMilliseconds()).padStart(3, '0');
  const bsdTime = `${months[when.getUTCMonth()]} ${String(when.getUTCDate()).padStart(2, ' ')} ${pad2(when.getUTCHours())}:${pad2(when.getUTCMinutes())}:${pad2(when.getUTCSeconds())}`;
  const isoTime = when.toISOString();
  const ip = () => `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const iface = () => pick(['GigabitEthernet0/', 'TenGigabitEthernet1/0/', 'HundredGigE0/0/0/']) + int(0, 47);
  const jiface = () => `${pick(['ge', 'xe', 'et'])}-${int(0, 1)}/${int(0, 3)}/${int(0, 47)}`;
  switch (Math.floor(random() * 8)) {
    case 0:
      return `<187>${seq}: ${host}: *${bsdTime}.${ms} UTC: %LINK-3-UPDOWN: Interface ${iface()}, changed state to ${pick(['down', 'up'])} (uplink to core-${int(1, 4)}, circuit ID DX-${int(100000, 999999)})`;
    case 1:
      return `<189>${seq}: ${host}: *${bsdTime}.${ms} UTC: %OSPF-5-ADJCHG: Process 10, Nbr ${ip()} on ${iface()} from FULL to DOWN, Neighbor Down: ${pick(['Dead timer expired', 'Interface down or detached'])}`;
    case 2:
      return `<190>${seq}: ${host}: ${bsdTime}.${ms} UTC: %SEC-6-IPACCESSLOGP: list ACL-INBOUND-EDGE ${pick(['denied', 'permitted'])} ${pick(['tcp', 'udp'])} ${ip()}(${int(1024, 65535)}) -> ${ip()}(${pick([22, 23, 443, 3389, 161])}), ${int(1, 40)} packets`;
    case 3:
      return `<189>${seq}: ${host}: ${bsdTime}.${ms} UTC: %BGP-5-ADJCHANGE: neighbor ${ip()} vpn vrf CUSTOMER-${int(1, 99)} ${pick(['Down BGP Notification sent', 'Up', 'Down Peer closed the session'])} (hold time expired, flapped ${int(1, 99)} times)`;
    case 4:
      return `<165>1 ${isoTime} ${host} rpd ${int(1000, 9999)} BGP_IO_ERROR_CLOSE_SESSION [junos@2636.1.1.1.2.18 peer-name="${ip()}" error-message="Connection reset"] BGP peer ${ip()} (External AS ${int(64512, 65534)}): Error event for I/O session - closing it`;
    case 5:
      return `<28>1 ${isoTime} ${host} mib2d ${int(1000, 9999)} SNMP_TRAP_LINK_DOWN [junos@2636.1.1.1.2.18 snmp-interface-index="${int(500, 900)}" admin-status="up(1)" operational-status="down(2)" interface-name="${jiface()}"] ifIndex ${int(500, 900)}, ifName ${jiface()}`;
    case 6:
      return `<14>1 ${isoTime} ${host} sshd ${int(1000, 99999)} SSHD_LOGIN_FAILED [junos@2636.1.1.1.2.18 username="${pick(['admin', 'root', 'netops', 'backup'])}" source-address="${ip()}"] Login failed for user from host`;
    default:
      return `<30>${bsdTime} ${host} chassisd[${int(1000, 9999)}]: CHASSISD_SNMP_TRAP7: SNMP trap generated: Fan/Blower OK (jnxContentsContainerIndex 4, jnxContentsL1Index ${int(1, 9)}, jnxContentsDescr Fan Tray ${int(0, 3)})`;
  }
}

/**
 * `lines` messages from `devices` devices, dated `when` (default now). Returns the messages and
 * their byte statistics.
 */
export function buildCorpus({ lines = 20_000, devices = 100, seed = 42, when = new Date() } = {}) {
  const random = prng(seed);
  const hosts = deviceNames(devices);
  const seqs = new Array(devices).fill(0);
  const out = [];
  let bytes = 0;
  for (let i = 0; i < lines; i++) {
    const d = Math.floor(random() * devices);
    const line = makeLine(random, hosts[d], ++seqs[d], when);
    out.push(line);
    bytes += Buffer.byteLength(line);
  }
  return { lines: out, hosts, meanBytes: bytes / lines, minBytes: Math.min(...out.map((l) => l.length)), maxBytes: Math.max(...out.map((l) => l.length)) };
}

/** Writes the corpus for the C sender: one message per line. */
export function writeCorpus(path, options) {
  const corpus = buildCorpus(options);
  writeFileSync(path, corpus.lines.join('\n') + '\n');
  return corpus;
}
