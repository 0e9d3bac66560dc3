// The config upload service as its own process (main.ts, runService): configuration from the
// environment, an upload with curl, /healthz and /metrics, and SIGTERM answered by a clean drain.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashPassword } from '@netsidecar/config-upload';
import { spawnService } from './support/spawn-service.js';

const run = (args: string[]) =>
  new Promise<{ status: number; body: string }>((resolve, reject) =>
    execFile('curl', ['-sS', '-w', '\n%{http_code}', ...args], (err: Error | null, stdout: string) => {
      if (err) return reject(err);
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) });
    }),
  );

/** The local addresses the kernel lists as listening on a TCP port (/proc/net/tcp and tcp6; Linux). */
async function listeningOn(port: number): Promise<string[]> {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local = '', , state] = line.trim().split(/\s+/);
      const [hex = '', portHex = ''] = local.split(':');
      if (state !== '0A' || parseInt(portHex, 16) !== port) continue;
      // IPv4: one little-endian word; IPv6: four (only the all-zero and loopback forms are named).
      if (hex.length === 8) out.push([3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.'));
      else out.push(/^0{32}$/.test(hex) ? '::' : hex === '00000000000000000000000001000000' ? '::1' : hex);
    }
  }
  return out;
}

t.test('start, upload, health, metrics, SIGTERM', async (t) => {
  const { salt, hash } = await hashPassword('Pr0cess-Pa55');
  const dir = (await import('node:os')).tmpdir();
  const usersFile = join(dir, `netsidecar-upload-users-${process.pid}`);
  await writeFile(usersFile, `rtr:scrypt:${salt}:${hash}:rtr-*\n`, { mode: 0o600 });
  t.teardown(() => import('node:fs/promises').then((fs) => fs.rm(usersFile, { force: true })));
  const service = await spawnService(t, 'services/config-upload/src/main.ts', {
    NETSIDECAR_UPLOAD_BIND_ADDRESS: '127.0.0.1',
    NETSIDECAR_UPLOAD_PORT: '0',
    NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
    NETSIDECAR_UPLOAD_USERS_FILE: usersFile,
    NETSIDECAR_SINK_FLUSH_INTERVAL: '50ms',
  });
  const listening = await service.waitForLog('config upload listening');
  const started = await service.waitForLog('started');
  t.equal(started.logGroup, '/netsidecar/config');
  t.ok(
    service.logs.some((l) => l.msg?.toString().startsWith('redaction key from the data dir')),
    'warns about the generated key',
  );

  const upload = await run([
    '--data-binary',
    'hostname rtr-proc-1\nsnmp-server community PlantProc RO\nend\n',
    '-H',
    'Content-Type: text/plain',
    `http://rtr:Pr0cess-Pa55@127.0.0.1:${listening.port as number}/configs/rtr-proc-1`,
  ]);
  t.equal(upload.status, 201);
  t.match(JSON.parse(upload.body), { device: 'rtr-proc-1', version: 1, changed: true, drift: null, redactions: 1 });

  const health = await run([`http://127.0.0.1:${started.healthPort as number}/healthz`]);
  t.equal(health.status, 200);
  // NETSIDECAR_UPLOAD_BIND_ADDRESS binds the health port too, not only the upload port.
  t.equal(started.healthAddress, '127.0.0.1');
  t.same(await listeningOn(started.healthPort as number), ['127.0.0.1'], 'the kernel lists the health port on 127.0.0.1 only');
  t.same(await listeningOn(listening.port as number), ['127.0.0.1']);
  const metrics = await run([`http://127.0.0.1:${started.healthPort as number}/metrics`]);
  t.match(metrics.body, /netsidecar_config_uploads_total\{[^}]*outcome="stored"[^}]*\} 1/);

  t.equal(await service.stop('SIGTERM'), 0, 'clean exit after the drain');
  const events = await service.fileEvents('netsidecar/config');
  t.match(events.get('rtr-proc-1'), [{ schema: 'config/1', device: 'rtr-proc-1', version: 1 }]);
  t.notOk(/PlantProc|Pr0cess-Pa55/.test(JSON.stringify([...events.values()]) + service.stderr()), 'no secret in events or logs');
});

t.test('a bad variable stops it with one line naming the variable', async (t) => {
  const service = await spawnService(t, 'services/config-upload/src/main.ts', {
    NETSIDECAR_UPLOAD_ALLOWED_CIDRS: '10.0.0.0/33',
    NETSIDECAR_UPLOAD_PORT: '0',
    NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
  });
  t.equal(await service.exited, 2);
  t.match(service.stderr(), /^netsidecar-config: NETSIDECAR_UPLOAD_ALLOWED_CIDRS: '10\.0\.0\.0\/33' has a bad prefix length/m);
});

t.test('a compliance rules file that does not validate stops it: exit 2, one line naming the file, the rule and the problem', async (t) => {
  const dir = (await import('node:os')).tmpdir();
  const rules = join(dir, `netsidecar-compliance-${process.pid}.json`);
  await writeFile(
    rules,
    JSON.stringify({ rules: [{ id: 'ntp-keyed', description: 'NTP with a key', devices: 'rtr-*', require: ['ntp server (10.20.0.80 key'] }] }),
  );
  t.teardown(() => import('node:fs/promises').then((fs) => fs.rm(rules, { force: true })));
  const service = await spawnService(t, 'services/config-upload/src/main.ts', {
    NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: rules,
    NETSIDECAR_UPLOAD_PORT: '0',
    NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
  });
  t.equal(await service.exited, 2);
  const line = service
    .stderr()
    .split('\n')
    .find((l) => l.includes('NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE'));
  t.equal(
    line?.startsWith(
      `netsidecar-config: NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: ${rules}: rule "ntp-keyed" (rules[0]): require[0] is not a valid regular expression: `,
    ),
    true,
    line ?? 'no line names the variable',
  );
});
