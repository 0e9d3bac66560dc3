// Builds the C load generator (sender.c) once per run into the run's temp dir and drives it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './processes.mjs';

const source = join(dirname(fileURLToPath(import.meta.url)), 'sender.c');

export async function buildSender(tempDir) {
  const binary = join(tempDir, 'sender');
  await run('gcc', ['-O2', '-Wall', '-pthread', '-o', binary, source]);
  return {
    /** Exactly rate*seconds datagrams, paced; resolves with { sent, bytes, seconds, errors }. */
    async udp({ port, rate, seconds, corpus }) {
      return JSON.parse(await run(binary, ['udp', '127.0.0.1', String(port), String(rate), String(seconds), corpus]));
    },
    /** `total` octet-counted frames over `connections` connections, as fast as the receiver reads. */
    async tcp({ port, total, connections, corpus }) {
      return JSON.parse(await run(binary, ['tcp', '127.0.0.1', String(port), String(total), String(connections), corpus]));
    },
  };
}
