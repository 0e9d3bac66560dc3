// Change notice test helpers: a local HTTP server as the Slack webhook, the webhook file, curl
// uploads that must be answered 201, and the records left in the outbox of every task.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl, users, type TestUpload } from './harness.js';

export const webhookSecret = 'T0000/B0000/WebhookSecretPart42';
export const router = `${users.router.name}:${users.router.password}`;
type Teardown = { teardown(fn: () => unknown): void };

/** A Slack incoming webhook stand-in: records each body; `answers` scripts the statuses (then 200). */
export async function startWebhook(t: Teardown, answers: number[] = []) {
  const bodies: string[] = [];
  const statuses: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      statuses.push(status);
      if (status === 200) bodies.push(body);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : status === 404 ? 'no_service' : 'busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/${webhookSecret}`, bodies, statuses, answers };
}

export async function webhookFile(t: Teardown, url: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-webhook-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'slack-webhook'), `${url}\n`, { mode: 0o600 });
  return join(dir, 'slack-webhook');
}

export async function put(up: TestUpload, device: string, body: string, principal = router) {
  const r = await curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${principal}@127.0.0.1:${up.service.port}/configs/${device}`], body);
  if (r.status !== 201) throw new Error(`${device}: ${r.status} ${r.body}`);
  return r.json!;
}

/** The outbox records (`*.json`) of every task under `<data dir>/config-upload/outbox`, as paths relative to it. */
export async function outboxRecords(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'config-upload', 'outbox');
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}
