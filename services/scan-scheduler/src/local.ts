#!/usr/bin/env node
// `node dist/local.js --inventory FILE [--state FILE] [--trivy PATH] [--json]`: README.md, "Commands".
import { runLocal } from './local-mode.js';

runLocal({ argv: process.argv.slice(2), env: process.env, stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`netsidecar-scan local: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
