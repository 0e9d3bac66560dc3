#!/usr/bin/env node
/**
 * Prints a users-file line: `node dist/hash-password.js <principal> '<globs>' [roles] < password`.
 * The password comes on stdin (never argv: it would show in `ps` and shell history).
 */
import { hashPassword } from './auth/scrypt.js';

const [principal, globs = '*', roles = 'upload'] = process.argv.slice(2);
if (!principal) {
  process.stderr.write("usage: hash-password <principal> '<device globs>' [upload|read|upload,read] < password-file\n");
  process.exit(2);
}
let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const password = input.replace(/\r?\n$/, '');
if (password === '') {
  process.stderr.write('hash-password: empty password on stdin\n');
  process.exit(2);
}
const { salt, hash } = await hashPassword(password);
process.stdout.write(`${principal}:scrypt:${salt}:${hash}:${globs}:${roles}\n`);
