import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/**
 * A Slack incoming-webhook receiver on 127.0.0.1:0. Each request takes the next scripted answer
 * (`200` when the script is empty); only 200s count as delivered messages, as in Slack.
 */
export class SlackReceiver {
  readonly requests: { path: string; body: { text: string } }[] = [];
  readonly delivered: { path: string; body: { text: string } }[] = [];
  readonly script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const entry = { path: req.url ?? '', body: JSON.parse(body) as { text: string } };
        this.requests.push(entry);
        const answer = this.script.shift() ?? { status: 200, body: 'ok' };
        if (answer.status === 200) this.delivered.push(entry);
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? (answer.status === 200 ? 'ok' : 'error'));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
