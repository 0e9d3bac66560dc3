import type { FastifyRequest } from 'fastify';

/** `::ffff:10.0.0.5` (an IPv4 client of a `::` socket) is 10.0.0.5 in events, logs and the allowlist. */
export function sourceIp(request: FastifyRequest): string {
  const ip = request.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
