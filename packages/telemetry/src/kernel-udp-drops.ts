import { readFileSync } from 'node:fs';

const defaultProcFiles = ['/proc/net/udp', '/proc/net/udp6'];

/**
 * Datagrams the kernel dropped for our socket before we read them (receive buffer full): the only
 * loss docs/ARCHITECTURE.md allows, and it must be visible (syslog datagrams, NTP requests). Linux keeps a per-socket `drops` column in
 * /proc/net/udp and /proc/net/udp6; we sum the rows bound to our port. Returns null off Linux.
 */
export function kernelUdpDrops(port: number, procFiles = defaultProcFiles): number | null {
  return sumOfRows(port, procFiles, (columns) => Number(columns[12]) || 0);
}

/** Bytes the kernel holds for our socket, not yet read (the `rx_queue` column); null off Linux. */
export function kernelUdpQueuedBytes(port: number, procFiles = defaultProcFiles): number | null {
  return sumOfRows(port, procFiles, (columns) => parseInt(columns[4]!.split(':')[1] ?? '0', 16) || 0);
}

/** Sums `value` over the rows of sockets bound to `port`; null when there are none (or no /proc). */
function sumOfRows(port: number, procFiles: string[], value: (columns: string[]) => number): number | null {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let found = false;
  let sum = 0;
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
      sum += value(columns);
    }
  }
  return found ? sum : null;
}
