import { readFileSync } from 'node:fs';

/**
 * Datagrams the kernel dropped for our socket before we read them (receive buffer full): the only
 * loss docs/ARCHITECTURE.md allows, and it must be visible (syslog datagrams, NTP requests). Linux keeps a per-socket `drops` column in
 * /proc/net/udp and /proc/net/udp6; we sum the rows bound to our port. Returns null off Linux.
 */
export function kernelUdpDrops(port: number, procFiles = ['/proc/net/udp', '/proc/net/udp6']): number | null {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let found = false;
  let drops = 0;
  for (const file of procFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
      if (columns.length < 13 || !columns[1]!.endsWith(portHex)) continue;
      found = true;
      drops += Number(columns[12]) || 0;
    }
  }
  return found ? drops : null;
}
