/**
 * Files a service reads from disk whose content is public: the EKS clusters' CA certificates
 * (NETSIDECAR_SCAN_EKS_CA_DIR). Same pattern as secret-files.ts (a short-lived init container of the
 * same image writes them to a task volume the service mounts read-only, and the service starts only
 * after it exited 0), but simpler: a CA certificate is not a secret, so it needs no Secrets Manager
 * secret, no execution-role permission and no per-secret variable; the content sits in the task
 * definition as one plain JSON variable of the init container. The secret writer is not reused
 * because it derives file names from variable names (upper case, `_` → `.`), while the scan
 * scheduler reads `<cluster name>.pem` and EKS cluster names may hold upper case and `_`.
 */
export const publicFilesMountPath = '/run/netsidecar-files';

/** The init container's variable: JSON `{"<file name>": "<content>", ...}`. */
export const publicFilesVariable = 'PUBLIC_FILES';

/**
 * The init container's program, run as `node -e <script>`: each entry of `PUBLIC_FILES` is written
 * byte for byte to `<dir>/<name>` (mode 0444). A name that is not a plain file name, an empty
 * content or unreadable JSON exits 1: the task stops instead of starting without its files.
 */
export const publicFileWriterScript = [
  "const fs = require('node:fs'), path = require('node:path');",
  `const dir = process.env.FILES_DIR || '${publicFilesMountPath}';`,
  'let files;',
  `try { files = JSON.parse(process.env.${publicFilesVariable} || ''); } catch { console.error('${publicFilesVariable} is not JSON'); process.exit(1); }`,
  'let failed = false;',
  'for (const [name, content] of Object.entries(files)) {',
  "  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name) || typeof content !== 'string' || content === '') { console.error('bad file entry ' + JSON.stringify(name)); failed = true; continue; }",
  '  const file = path.join(dir, name);',
  '  try { fs.rmSync(file, { force: true }); } catch {}',
  '  fs.writeFileSync(file, content, { mode: 0o444 });',
  "  console.log('wrote ' + file);",
  '}',
  'process.exit(failed ? 1 : 0);',
].join('\n');
