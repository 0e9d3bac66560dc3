/**
 * Some services read their secrets from files (NTP keys, the syslog TLS key, the upload users file,
 * the redaction key), while ECS injects secrets as environment variables. A short-lived init
 * container of the same image gets the secrets as variables and writes them to a volume shared with
 * the service (mode 0400, owned by the same non-root user); the service container starts only after
 * it exited 0 and never has the secret values in its own environment.
 * Fargate has no tmpfs: the volume is task ephemeral storage, encrypted at rest by Fargate and
 * destroyed with the task.
 */
export const secretsMountPath = '/run/netsidecar-secrets';

/** Variable prefix the init container reads: `NETSIDECAR_SECRET_FILE_<NAME>` → `<mount>/<name>`. */
export const secretVariablePrefix = 'SECRET_FILE_';

/**
 * The init container's program, run as `node -e <script>`: every `SECRET_FILE_<NAME>` variable is
 * written to `<dir>/<name>` (lower case, `_` → `.`) with mode 0400, byte for byte (a key file must not gain a newline). It prints file names only, never
 * values, and exits 1 when a variable is empty (a missing secret must stop the task, not start a
 * service without its keys).
 */
export const secretWriterScript = [
  "const fs = require('node:fs'), path = require('node:path');",
  `const dir = process.env.SECRETS_DIR || '${secretsMountPath}';`,
  `const names = Object.keys(process.env).filter((k) => k.startsWith('${secretVariablePrefix}')).sort();`,
  'let failed = false;',
  'for (const name of names) {',
  `  const file = path.join(dir, name.slice(${secretVariablePrefix.length}).toLowerCase().replace(/_/g, '.'));`,
  '  const value = process.env[name];',
  "  if (!value) { console.error('empty secret for ' + file); failed = true; continue; }",
  '  try { fs.rmSync(file, { force: true }); } catch {}',
  '  fs.writeFileSync(file, value, { mode: 0o400 });',
  "  console.log('wrote ' + file);",
  '}',
  'process.exit(failed ? 1 : 0);',
].join('\n');

/** The file a `SECRET_FILE_<NAME>` variable becomes. */
export function secretFilePath(variableSuffix: string): string {
  return `${secretsMountPath}/${variableSuffix.toLowerCase().replace(/_/g, '.')}`;
}
