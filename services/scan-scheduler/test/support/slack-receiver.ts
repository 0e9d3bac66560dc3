import { createServer, type Server } from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback.js';

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
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async close(): Promise<void> {
    closeLoopback(this.server);
  }
}
