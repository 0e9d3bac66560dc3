// Parent side of fake-cloudwatch-process.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './processes.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'fake-cloudwatch-process.mjs');

export async function startFakeCloudWatch() {
  // A million stored events of ~700 bytes need more than V8's default old space.
  const proc = start(process.execPath, ['--max-old-space-size=8192', script], { ipc: true });
  let nextId = 0;
  const ask = (message) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (reply) => {
        if (reply.id !== id) return;
        proc.child.off('message', onMessage);
        resolve(reply.stats);
      };
      proc.child.on('message', onMessage);
      proc.child.send({ ...message, id }, (err) => err && reject(err));
    });
  const endpoint = await new Promise((resolve, reject) => {
    proc.child.on('message', (m) => m.type === 'ready' && resolve(m.endpoint));
    proc.exited.then(({ code }) => reject(new Error(`fake CloudWatch Logs exited ${code}: ${proc.output.stderr.slice(-2000)}`)));
  });
  return {
    endpoint,
    pid: proc.pid,
    callStats: () => ask({ type: 'calls' }),
    storeStats: (logGroup) => ask({ type: 'store', logGroup }),
    async close() {
      proc.child.send({ type: 'close' });
      const timer = setTimeout(() => proc.stop('SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}
