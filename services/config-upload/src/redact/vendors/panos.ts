import { cmd, type CommandSpec } from '../grammar.js';

/**
 * PAN-OS in its CLI forms (`show config running`: braces with `;`, and `set` commands): password
 * hashes (`phash`), RADIUS/TACACS+ secrets, LDAP bind passwords, IKE pre-shared keys, SNMP v2c
 * communities and v3 passwords. Values the firewall stores encrypted start `-AQ==`. The XML form is
 * left to the safety net (a `<phash>` or `<key>` element is a secret word). Source: PAN-OS CLI
 * reference and XML API (device config schema).
 */
export const panosSets = {} as const;

export const panosRules: CommandSpec[] = [
  cmd('... phash', '$password'),
  cmd('... password', '$password'),
  cmd('... bind-password', '$password'),
  cmd('... secret', '$secret'),
  cmd('... pre-shared-key key', '$pre-shared-key'),
  cmd('... snmp-community-string', '$snmp-community'),
  cmd('... authpwd', '$snmp-v3-auth'),
  cmd('... privpwd', '$snmp-v3-priv'),
  cmd('... api-key', '$api-key'),
];
