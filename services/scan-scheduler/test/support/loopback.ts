import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1:0 (a port of the system's choosing, never a fixed one): the server's base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and the connections clients keep alive, so a test ends without waiting on them. */
export function closeLoopback(server: Server | undefined): void {
  server?.closeAllConnections();
  server?.close();
}
