import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withIpv4Fallback } from '@netsidecar/net-address';
import type { Registry } from 'prom-client';
import type { Readiness } from './health.js';

/**
 * `GET /healthz` (200 ready / 503 not ready, with reasons) and `GET /metrics` (Prometheus text) on the
 * service's health port. The NLB health-checks this port for UDP target groups too, which cannot be
 * checked over UDP. Plain node:http: two read-only routes do not need a framework.
 */
export interface HealthServer {
  readonly port: number;
  /** The address bound, as the socket reports it (`127.0.0.1`, `::`, `0.0.0.0`). */
  readonly address: string;
  close(): Promise<void>;
}

export async function startHealthServer(options: { port: number; host?: string; registry: Registry; readiness: Readiness }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end('{"error":"method not allowed"}\n');
      return;
    }
    if (path === '/healthz') {
      const { ready, reasons } = options.readiness.status();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(ready ? { status: 'ready' } : { status: 'not ready', reasons }) + '\n');
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found","routes":["/healthz","/metrics"]}\n');
  });
  server.keepAliveTimeout = 5_000;
  const listen = (host: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  // `::` falls back to 0.0.0.0 where IPv6 is off, as every listener does; the caller logs the
  // address bound (`healthAddress` in the `started` line), which shows the fallback.
  await withIpv4Fallback(options.host ?? '0.0.0.0', listen, () => {});
  const bound = server.address() as AddressInfo;
  return {
    port: bound.port,
    address: bound.address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
