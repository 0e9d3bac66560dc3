import { cmd, type CommandSpec } from '../grammar.js';

/**
 * F5 BIG-IP `tmsh list` (braces, no `;`, one `name value` a line): local users' `encrypted-password`,
 * RADIUS/TACACS+ `secret`, LDAP `bind-pw`, monitor `password`, SSL profile `passphrase`, SNMP
 * `community-name` and v3 `auth-password` / `privacy-password`. F5 stores secrets as `$M$...`.
 * Source: tmsh reference (auth user, auth radius-server, auth ldap, ltm monitor, ltm profile
 * client-ssl, sys snmp).
 */
export const f5Sets = {} as const;

export const f5Rules: CommandSpec[] = [
  cmd('... encrypted-password', '$password'),
  cmd('... password', '$password'),
  cmd('... passphrase', '$password'),
  cmd('... secret', '$secret'),
  cmd('... bind-pw', '$password'),
  cmd('... community-name', '$snmp-community'),
  cmd('... auth-password', '$snmp-v3-auth'),
  cmd('... privacy-password', '$snmp-v3-priv'),
];
