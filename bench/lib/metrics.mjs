// Reads the Prometheus text of GET /metrics into { 'name{labels}': value } and sums by name.
import { readFileSync } from 'node:fs';

export async function scrape(healthPort) {
  const response = await fetch(`http://127.0.0.1:${healthPort}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parsePrometheus(await response.text());
}

export function parsePrometheus(text) {
  const samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return {
    samples,
    /** A sample: value('netsidecar_syslog_received_total', { transport: 'udp' }); 0 when absent. */
    value(name, labels = {}) {
      let sum = 0;
      for (const [key, value] of samples) {
        const brace = key.indexOf('{');
        const keyName = brace === -1 ? key : key.slice(0, brace);
        if (keyName !== name) continue;
        if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
      }
      return sum;
    },
  };
}

/**
 * The kernel's per-socket drop counter of the UDP sockets bound to `port` (the same source as the
 * service's netsidecar_syslog_udp_kernel_drops), for receivers without metrics (rsyslog).
 */
export function kernelUdpDrops(port) {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length >= 13 && columns[1].endsWith(portHex)) drops += Number(columns[12]) || 0;
    }
  }
  return drops;
}
