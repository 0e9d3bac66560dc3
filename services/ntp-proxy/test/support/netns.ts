// A private network namespace for clients that only talk to port 123 (ntpdig): `unshare -rn` makes a
// user namespace (so an unprivileged user is root inside, and may bind port 123) and a network
// namespace with nothing in it but a loopback interface, which starts down and is brought up here.
// Nothing sent inside can leave it, and the namespace disappears with its last process.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where tools are looked for: $PATH, then the sbin folders an unprivileged user's $PATH lacks. */
const searchPath = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Absolute path of an executable, or null. */
export function findTool(name: string): string | null {
  return searchPath.map((dir) => join(dir, name)).find(isExecutable) ?? null;
}

export interface NetnsTools {
  unshare: string;
  /** `ip` (iproute2) to bring `lo` up; null: the python3 ioctl below does it. */
  ip: string | null;
  python3: string | null;
}

/** The tools, or null and the Debian packages that are missing. */
export function netnsTools(): { tools: NetnsTools | null; missing: string[] } {
  const unshare = findTool('unshare');
  const ip = findTool('ip');
  // ntpdig's own interpreter (#! /usr/bin/python3), not whatever python3 comes first on $PATH.
  const python3 = isExecutable('/usr/bin/python3') ? '/usr/bin/python3' : findTool('python3');
  const missing: string[] = [];
  if (!unshare) missing.push('util-linux (unshare)');
  if (!ip && !python3) missing.push('iproute2 (ip)');
  return { tools: unshare && (ip || python3) ? { unshare, ip, python3 } : null, missing };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// SIOCGIFFLAGS / SIOCSIFFLAGS with IFF_UP: what `ip link set lo up` does, for machines without iproute2.
const pythonLoUp = [
  'import fcntl, socket, struct',
  's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
  "flags = struct.unpack('16sH', fcntl.ioctl(s, 0x8913, struct.pack('16sH', b'lo', 0)))[1]",
  "fcntl.ioctl(s, 0x8914, struct.pack('16sH', b'lo', flags | 1))",
].join('; ');

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that runs `command args...` in a new user + network namespace with `lo` up.
 * The shell `exec`s the command, so its pid is the command's and a signal to it ends the namespace.
 */
export function inNetns(tools: NetnsTools, command: string, args: string[]): { command: string; args: string[] } {
  const loUp = tools.ip ? `${shellQuote(tools.ip)} link set lo up` : `${shellQuote(tools.python3!)} -c ${shellQuote(pythonLoUp)}`;
  return { command: tools.unshare, args: ['-rn', '--', '/bin/sh', '-c', `${loUp} && exec "$0" "$@"`, command, ...args] };
}
