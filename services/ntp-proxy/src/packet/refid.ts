/**
 * Reference IDs (RFC 5905 §7.3): for stratum 2 and above, the upstream server's IPv4 address, or
 * for an IPv6 upstream the first four bytes of the MD5 digest of its address; for stratum 0 (a
 * kiss code such as RATE) and stratum 1 or a local clock (LOCL), four ASCII characters.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export function refIdFromAscii(code: string): number {
  const bytes = Buffer.alloc(4);
  bytes.write(code.slice(0, 4), 'latin1');
  return bytes.readUInt32BE(0);
}

export function refIdFromAddress(address: string): number {
  if (isIPv4(address)) return ipv4Bytes(address).readUInt32BE(0);
  if (isIPv6(address)) return createHash('md5').update(ipv6Bytes(address)).digest().readUInt32BE(0);
  throw new Error(`not an IP address: ${address}`);
}

/** The kiss code of a stratum-0 packet, when its reference ID is four printable ASCII characters. */
export function kissCode(refId: number): string | null {
  const text = refIdToAscii(refId);
  return /^[\x21-\x7e]{1,4}$/.test(text) ? text : null;
}

/** As `ntpq` shows a reference ID: ASCII for stratum 0 and 1, dotted quad otherwise. */
export function refIdToString(refId: number, stratum: number): string {
  if (stratum <= 1) return refIdToAscii(refId);
  return [refId >>> 24, (refId >>> 16) & 0xff, (refId >>> 8) & 0xff, refId & 0xff].join('.');
}

function refIdToAscii(refId: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(refId >>> 0, 0);
  return bytes.toString('latin1').replace(/\0+$/, '');
}

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

/** 16 bytes of an IPv6 address, with `::` expanded and an embedded IPv4 tail converted. */
export function ipv6Bytes(address: string): Buffer {
  let text = address.split('%')[0]!; // no zone index
  let tail: number[] = [];
  const embedded = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded) {
    const v4 = ipv4Bytes(embedded[2]!);
    tail = [v4.readUInt16BE(0), v4.readUInt16BE(2)];
    text = embedded[1]!.endsWith('::') ? embedded[1]! : embedded[1]!.slice(0, -1);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', rest] = text.split('::');
  const headGroups = parse(head);
  const restGroups = rest === undefined ? [] : parse(rest);
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length - tail.length;
  const groups = [...headGroups, ...Array<number>(Math.max(0, zeros)).fill(0), ...restGroups, ...tail];
  const bytes = Buffer.alloc(16);
  groups.slice(0, 8).forEach((group, i) => bytes.writeUInt16BE(group & 0xffff, i * 2));
  return bytes;
}
