/**
 * A peer's address as every service reports it (events, logs, allowlists, stream names): an IPv4
 * peer of a dual-stack `::` socket, which node:dgram, node:net and HTTP servers give as
 * `::ffff:192.0.2.1`, is `192.0.2.1`; what the udp-batch addon reads is already in this form.
 */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
