import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNameOf } from '@netsidecar/sink';

/** The syslog service on 127.0.0.1 with every port picked by the kernel (read them from its 'listening' and 'started' logs). */
export const syslogOnLoopback = {
  NETSIDECAR_SYSLOG_BIND_ADDRESS: '127.0.0.1',
  NETSIDECAR_SYSLOG_UDP_PORT: '0',
  NETSIDECAR_SYSLOG_TCP_PORT: '0',
  NETSIDECAR_SYSLOG_HEALTH_PORT: '0',
  NETSIDECAR_SYSLOG_UDP_RECEIVE_BUFFER: '1MiB',
} as const;

/** The `n=<number>` of every syslog event in a device's file-sink file, in file order (-1 for a line without one). */
export async function numbersInFileSink(dataDir: string, stream: string): Promise<number[]> {
  const text = await readFile(join(dataDir, 'logs/netsidecar/syslog', fileNameOf(stream)), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(/n=(\d+)/.exec((JSON.parse(line) as { message: string }).message)?.[1] ?? -1));
}
