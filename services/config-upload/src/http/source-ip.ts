import type { FastifyRequest } from 'fastify';
import { normaliseAddress } from '@netsidecar/net-address';

/** `::ffff:10.0.0.5` (an IPv4 client of a `::` socket) is 10.0.0.5 in events, logs and the allowlist. */
export function sourceIp(request: FastifyRequest): string {
  return normaliseAddress(request.socket.remoteAddress ?? '');
}
