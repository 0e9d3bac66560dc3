// RFC 5425: syslog over TLS with octet-counting, on a certificate made here with openssl.
import t from 'tap';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { connect as tcpConnect } from 'node:net';
import { promisify } from 'node:util';
import { startTestSyslog } from './harness.js';

const run = promisify(execFile);

async function selfSigned(t: { teardown(fn: () => unknown): void }): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { timeout: 20_000 },
  );
  return { cert, key };
}

t.test('octet-counted messages over TLS become tls events', async (t) => {
  const { cert, key } = await selfSigned(t);
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_TLS_CERT_FILE: cert, NETSIDECAR_SYSLOG_TLS_KEY_FILE: key });
  t.ok(syslog.service.tlsPort, 'the TLS listener opens when a certificate is configured');
  const socket = tlsConnect({ host: '127.0.0.1', port: syslog.service.tlsPort!, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  const message = '<134>1 2026-11-22T14:00:00.003Z fw-1 panos - - - secure hello';
  socket.end(`${Buffer.byteLength(message)} ${message}`);
  const [event] = await syslog.waitForEvents(1, 'fw-1');
  t.match(event, { transport: 'tls', host: 'fw-1', app: 'panos', message: 'secure hello', timestamp: '2026-11-22T14:00:00.003Z' });
});

t.test('a plain-text client on the TLS port fails the handshake, is counted, and the service goes on', async (t) => {
  const { cert, key } = await selfSigned(t);
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_TLS_CERT_FILE: cert, NETSIDECAR_SYSLOG_TLS_KEY_FILE: key });
  const plain = tcpConnect({ host: '127.0.0.1', port: syslog.service.tlsPort! });
  plain.on('error', () => {});
  plain.write('<13>this is not TLS\n');
  await once(plain, 'close');
  t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'tls_handshake_failed' }), 1);
  const socket = tlsConnect({ host: '127.0.0.1', port: syslog.service.tlsPort!, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  socket.end('10 <13>after!');
  t.equal((await syslog.waitForEvents(1)).length, 1);
});

t.test('a certificate without its key is a start-up error naming both variables', async (t) => {
  await t.rejects(
    startTestSyslog(t, { NETSIDECAR_SYSLOG_TLS_CERT_FILE: '/nonexistent.pem' }),
    /NETSIDECAR_SYSLOG_TLS_CERT_FILE and NETSIDECAR_SYSLOG_TLS_KEY_FILE go together/,
  );
});
