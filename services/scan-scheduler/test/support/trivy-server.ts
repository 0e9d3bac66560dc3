import { createServer, type Server } from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback.js';

/**
 * A `trivy server` stand-in on 127.0.0.1:0 for its `GET /version` (Trivy >= 0.45; no token needed):
 * the JSON `trivy version --format json` prints, from the server's own DB metadata. Other paths
 * (the Twirp scan API) answer 404: the tests that scan use the `trivy` stand-in.
 */
export class TrivyServer {
  readonly requests: string[] = [];
  /** The server's DB; null: no DB yet (VulnerabilityDB left out, as Trivy does). */
  dbUpdatedAt: string | null = '2026-11-23T00:12:05Z';
  /** Set to answer every request with this status (a server starting, a proxy in the way). */
  failWith: number | null = null;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      if (this.failWith !== null) return void res.writeHead(this.failWith).end();
      if (req.method !== 'GET' || req.url !== '/version') return void res.writeHead(404).end();
      const db =
        this.dbUpdatedAt === null
          ? {}
          : { VulnerabilityDB: { Version: 2, NextUpdate: '2026-11-23T06:12:05Z', UpdatedAt: this.dbUpdatedAt, DownloadedAt: '2026-11-23T01:00:00Z' } };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Version: '0.57.1', ...db }) + '\n');
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async close(): Promise<void> {
    closeLoopback(this.server);
  }
}
