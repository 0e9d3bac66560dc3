import { createServer, type Server } from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback.js';

/**
 * A Kubernetes API server stand-in on 127.0.0.1:0: `GET /api/v1/namespaces` and `GET /api/v1/pods`
 * as lists with `limit` and `continue` (an opaque token, as the real server's), and bearer-token
 * authentication (401 otherwise, as the API server answers a bad token).
 */
export class KubeServer {
  readonly requests: { path: string; authorization: string | undefined; query: URLSearchParams }[] = [];
  namespaces: { metadata: { name: string; labels?: Record<string, string> } }[] = [];
  pods: unknown[] = [];
  acceptToken: (token: string) => boolean = () => true;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.requests.push({ path: url.pathname, authorization: req.headers.authorization, query: url.searchParams });
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !this.acceptToken(token)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
        return;
      }
      const items = url.pathname === '/api/v1/namespaces' ? this.namespaces : url.pathname === '/api/v1/pods' ? this.pods : null;
      if (items === null) {
        res.writeHead(404).end();
        return;
      }
      const limit = Number(url.searchParams.get('limit') ?? '0') || items.length;
      const cont = url.searchParams.get('continue');
      const start = cont ? Number(Buffer.from(cont, 'base64').toString()) : 0;
      const page = items.slice(start, start + limit);
      const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: url.pathname.endsWith('pods') ? 'PodList' : 'NamespaceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '12345', ...(next ? { continue: next } : {}) },
          items: page,
        }),
      );
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async close(): Promise<void> {
    closeLoopback(this.server);
  }
}
