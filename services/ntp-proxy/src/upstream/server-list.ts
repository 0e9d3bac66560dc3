/**
 * NETSIDECAR_NTP_UPSTREAM: `local`, or a comma-separated list of IP literals with an optional port:
 * `169.254.169.123`, `[fd00:ec2::123]`, `127.0.0.1:11123`, `[::1]:11123`. Literals only: the Amazon
 * Time Sync addresses are fixed link-local addresses, and a name would make the reference ID (the
 * upstream's IPv4 address) and the origin check depend on DNS.
 */
import { isIP } from 'node:net';

export interface UpstreamServer {
  address: string;
  port: number;
  family: 4 | 6;
  /** `169.254.169.123:123`, `[fd00:ec2::123]:123`: the server's name in events and metrics. */
  label: string;
}

export type UpstreamSetting = { kind: 'local' } | { kind: 'servers'; servers: UpstreamServer[] };

/** The Amazon Time Sync Service: IPv4 everywhere, IPv6 on Nitro instances with IPv6 subnets. */
export const amazonTimeSync = ['169.254.169.123', '[fd00:ec2::123]'] as const;

export function parseUpstream(raw: string): UpstreamSetting {
  const text = raw.trim();
  if (text.toLowerCase() === 'local') return { kind: 'local' };
  const servers: UpstreamServer[] = [];
  for (const item of text.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const server = parseServer(item);
    if (servers.some((known) => known.label === server.label)) throw new Error(`${server.label} is listed twice`);
    servers.push(server);
  }
  if (servers.length === 0) throw new Error("expected 'local' or a comma-separated list of IP addresses, e.g. 169.254.169.123,[fd00:ec2::123]");
  return { kind: 'servers', servers };
}

function parseServer(item: string): UpstreamServer {
  let address = item;
  let port = 123;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
  const v4WithPort = /^([\d.]+):(\d+)$/.exec(item);
  if (bracketed) {
    address = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (v4WithPort) {
    address = v4WithPort[1]!;
    port = Number(v4WithPort[2]);
  }
  const family = isIP(address);
  if (family === 0) throw new Error(`'${item}' is not an IP address (names are not accepted; write IPv6 as [addr] or [addr]:port)`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`'${item}' has a port outside 1-65535`);
  const label = family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  return { address, port, family: family as 4 | 6, label };
}
