import { BlockList, isIP } from 'node:net';
import { normaliseAddress } from '@netsidecar/net-address';

/** One allowed range, kept as text for logs and as a BlockList entry for matching. */
export interface Cidr {
  text: string;
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8,2001:db8::/32` (a bare address is a /32 or /128). Throws a string for loadConfig. */
export function parseCidrList(raw: string): Cidr[] {
  const out: Cidr[] = [];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = '', prefixText] = item.split('/');
    const version = isIP(address);
    if (version === 0) throw new Error(`'${item}' is not an address or CIDR`);
    const max = version === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText)))
      throw new Error(`'${item}' has a bad prefix length`);
    out.push({ text: item, address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' });
  }
  if (out.length === 0) throw new Error('expected at least one CIDR');
  return out;
}

/** Matches source addresses against the list; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as IPv4. */
export class CidrAllowlist {
  private readonly list = new BlockList();
  constructor(cidrs: Cidr[]) {
    for (const cidr of cidrs) this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }

  allows(ip: string): boolean {
    const address = normaliseAddress(ip);
    const version = isIP(address);
    if (version === 0) return false;
    return this.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
