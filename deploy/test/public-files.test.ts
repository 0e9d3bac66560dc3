// The public-files init container's program, run as ECS runs it (`node -e <script>`).
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicFileWriterScript, publicFilesVariable } from '../src/public-files.js';

function runWriter(dir: string, files: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', publicFileWriterScript],
      { env: { PATH: process.env.PATH ?? '', FILES_DIR: dir, [publicFilesVariable]: files } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'netsidecar-files-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('writes each entry byte for byte under its own name (case and _ kept), mode 0444', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'Prod_EKS.pem'), 'stale', { mode: 0o444 });
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const { code, output } = await runWriter(dir, JSON.stringify({ 'Prod_EKS.pem': pem, 'eks-dev.pem': pem.trim() }));
  t.equal(code, 0, output);
  t.equal(readFileSync(join(dir, 'Prod_EKS.pem'), 'utf8'), pem, 'replaced');
  t.equal(readFileSync(join(dir, 'eks-dev.pem'), 'utf8'), pem.trim(), 'no newline added');
  t.equal(statSync(join(dir, 'eks-dev.pem')).mode & 0o777, 0o444);
  t.match(output, /wrote .*Prod_EKS\.pem/);
});

t.test('bad input stops the task (exit 1): no JSON, a path for a name, empty content', async (t) => {
  const dir = tempDir(t);
  t.match(await runWriter(dir, '{'), { code: 1, output: /PUBLIC_FILES is not JSON/ });
  const bad = await runWriter(dir, JSON.stringify({ '../escape.pem': 'x', 'empty.pem': '', 'ok.pem': 'y' }));
  t.equal(bad.code, 1);
  t.match(bad.output, /bad file entry "\.\.\/escape\.pem"/);
  t.match(bad.output, /bad file entry "empty\.pem"/);
  t.same(readdirSync(dir), ['ok.pem'], 'nothing written outside or empty');
});
