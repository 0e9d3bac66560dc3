// The secret-files init container's program, run as ECS runs it (`node -e <script>`).
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretFilePath, secretWriterScript, secretsMountPath } from '../src/secret-files.js';

function runWriter(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', secretWriterScript], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

t.test('writes each SECRET_FILE_ variable to its file, byte for byte, mode 0400, naming files only', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'netsidecar-secrets-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ntp.keys'), 'stale from a previous start', { mode: 0o400 });
  const keys = '10 MD5 HEX:7b1d9e6f2a5c3e8d4f0a1b2c3d4e5f60\n20 AES128 HEX:000102030405060708090a0b0c0d0e0f';
  const { code, output } = await runWriter({
    SECRETS_DIR: dir,
    SECRET_FILE_NTP_KEYS: keys,
    SECRET_FILE_UPLOAD_REDACTION_KEY: 'k'.repeat(32),
    OTHER: 'ignored',
  });
  t.equal(code, 0, output);
  t.equal(readFileSync(join(dir, 'ntp.keys'), 'utf8'), keys, 'replaced, no newline added');
  t.equal(readFileSync(join(dir, 'upload.redaction.key'), 'utf8'), 'k'.repeat(32));
  t.equal(statSync(join(dir, 'ntp.keys')).mode & 0o777, 0o400);
  t.notMatch(output, /7b1d9e6f|kkkk/, 'no secret value in the container log');
  t.match(output, /wrote .*ntp\.keys/);
});

t.test('an empty secret stops the task (exit 1) instead of starting a service without it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'netsidecar-secrets-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { code, output } = await runWriter({ SECRETS_DIR: dir, SECRET_FILE_NTP_KEYS: '' });
  t.equal(code, 1);
  t.match(output, /empty secret for .*ntp\.keys/);
});

t.test('file names follow the variables the services read', async (t) => {
  t.equal(secretFilePath('NTP_KEYS'), `${secretsMountPath}/ntp.keys`);
  t.equal(secretFilePath('SYSLOG_TLS_KEY'), `${secretsMountPath}/syslog.tls.key`);
});
