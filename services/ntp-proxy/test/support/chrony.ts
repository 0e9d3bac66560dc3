// Real chronyd processes on loopback: as an upstream server (`local stratum 10` on a high port, or
// without `local`: unsynchronised), and as a one-shot client (`chronyd -Q`) judging our server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chronyd = '/usr/sbin/chronyd';

interface Teardown {
  teardown(fn: () => unknown): void;
}

// As root, chronyd would drop to the _chrony user and lose access to our temporary files.
const userArgs = process.getuid?.() === 0 ? ['-u', 'root'] : ['-U'];

async function tempDir(t: Teardown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-chrony-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  await new Promise<void>((done) => socket.close(() => done()));
  return port;
}

export interface ChronyServer {
  port: number;
  address: string;
  log(): string;
}

/** chronyd serving NTP on 127.0.0.1; `local: true` makes it a stratum-10 server, else it stays unsynchronised. */
export async function startChronyServer(t: Teardown, options: { local: boolean }): Promise<ChronyServer> {
  const dir = await tempDir(t);
  const port = await freeUdpPort();
  const conf = join(dir, 'chrony.conf');
  await writeFile(
    conf,
    [
      `port ${port}`,
      'bindaddress 127.0.0.1',
      'allow 127.0.0.1',
      options.local ? 'local stratum 10' : '',
      `pidfile ${join(dir, 'chronyd.pid')}`,
      'cmdport 0',
      '',
    ].join('\n'),
  );
  // -x: never touch this machine's clock; -d: stay in the foreground, log to stderr.
  const child = spawn(chronyd, ['-x', '-d', ...userArgs, '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  t.teardown(() => stop(child));
  // Ready once it answers: probe with a plain client request.
  const probe = createSocket('udp4');
  probe.bind(0, '127.0.0.1');
  await once(probe, 'listening');
  try {
    const giveUp = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`chronyd exited: ${log}`);
      const request = Buffer.alloc(48);
      request[0] = 0x23;
      probe.send(request, port, '127.0.0.1');
      const answered = await Promise.race([once(probe, 'message').then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100))]);
      if (answered) break;
      if (Date.now() > giveUp) throw new Error(`chronyd never answered on port ${port}: ${log}`);
    }
  } finally {
    probe.close();
  }
  return { port, address: `127.0.0.1:${port}`, log: () => log };
}

export interface ChronyVerdict {
  /** chronyd's exit code: 0 when it accepted the server and measured an offset. */
  code: number | null;
  output: string;
  /** `System clock wrong by X seconds`: X, when it got that far. */
  wrongByS: number | null;
}

export interface ChronyClientOptions {
  port: number;
  /** `key N` on the server line. */
  keyId?: number;
  /** Contents of the client's keyfile. */
  keys?: string;
  /** Server-line options; polling 16 times a second keeps a run under two seconds. */
  serverOptions?: string;
  timeoutS?: number;
}

/** `chronyd -Q 'server 127.0.0.1 port P ...'`: measures our server once, without setting any clock. */
export async function chronyQuery(t: Teardown, options: ChronyClientOptions): Promise<ChronyVerdict> {
  const dir = await tempDir(t);
  const conf = join(dir, 'client.conf');
  const lines = [
    `server 127.0.0.1 port ${options.port} ${options.serverOptions ?? 'iburst minpoll -4 maxpoll -4 maxsamples 2'}${options.keyId === undefined ? '' : ` key ${options.keyId}`}`,
    `pidfile ${join(dir, 'client.pid')}`,
    'cmdport 0',
  ];
  if (options.keys !== undefined) {
    await writeFile(join(dir, 'keys'), options.keys, { mode: 0o600 });
    lines.push(`keyfile ${join(dir, 'keys')}`);
  }
  await writeFile(conf, lines.join('\n') + '\n');
  const child = spawn(chronyd, ['-Q', '-d', ...userArgs, '-f', conf, '-t', String(options.timeoutS ?? 5)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  const match = /System clock wrong by (-?[\d.]+) seconds/.exec(output);
  return { code, output, wrongByS: match ? Number(match[1]) : null };
}

export interface ChronyClient {
  /** `chronyc ntpdata` for our server: its fields by name ("Stratum" -> "11"), as chronyc prints them. */
  ntpdata(): Promise<Map<string, string>>;
}

/**
 * chronyd as a long-running client of our server (never touching this machine's clock), with its
 * command socket, so that `chronyc ntpdata` can show what it made of our replies field by field.
 */
export async function startChronyClient(t: Teardown, options: ChronyClientOptions): Promise<ChronyClient> {
  const dir = await tempDir(t);
  // chronyd wants its socket directory private (it refuses a world-readable one).
  const socketDir = join(dir, 'run');
  await mkdir(socketDir, { mode: 0o770 });
  const socket = join(socketDir, 'chronyd.sock');
  const conf = join(dir, 'client.conf');
  const lines = [
    `server 127.0.0.1 port ${options.port} ${options.serverOptions ?? 'iburst minpoll -4 maxpoll -4'}${options.keyId === undefined ? '' : ` key ${options.keyId}`}`,
    `pidfile ${join(dir, 'client.pid')}`,
    'port 0',
    'cmdport 0',
    `bindcmdaddress ${socket}`,
  ];
  if (options.keys !== undefined) {
    await writeFile(join(dir, 'keys'), options.keys, { mode: 0o600 });
    lines.push(`keyfile ${join(dir, 'keys')}`);
  }
  await writeFile(conf, lines.join('\n') + '\n');
  const child = spawn(chronyd, ['-x', '-d', ...userArgs, '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  t.teardown(() => stop(child));
  return {
    async ntpdata() {
      if (child.exitCode !== null) throw new Error(`chronyd exited: ${log}`);
      const chronyc = spawn('chronyc', ['-h', socket, '-n', 'ntpdata', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      chronyc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      chronyc.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      await once(chronyc, 'exit');
      const fields = new Map<string, string>();
      for (const line of out.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      return fields;
    },
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}
