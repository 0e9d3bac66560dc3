import { cmd, type CommandSpec } from '../grammar.js';

/**
 * F5 BIG-IP `tmsh list` / `bigip.conf` (braces, no `;`, one `name value` a line): local users'
 * `encrypted-password`, RADIUS/TACACS+ `secret`, LDAP `bind-pw`, monitor `password`, SSL profile
 * `passphrase`, IKE peers' `preshared-key-encrypted`, SNMP `community-name`, trap destinations'
 * `community`, v3 `auth-password[-encrypted]` / `privacy-password[-encrypted]`, and the HTTP
 * request a health monitor `send`s (its `Authorization:` credentials). F5 stores secrets as
 * `$M$...`. Source: tmsh reference (auth user, auth radius-server, auth tacacs, auth ldap, ltm
 * monitor http/https, ltm profile client-ssl, net ipsec ike-peer, sys snmp).
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
  cmd('... auth-password-encrypted', '$snmp-v3-auth'),
  cmd('... privacy-password-encrypted', '$snmp-v3-priv'),
  cmd('... preshared-key-encrypted', '$pre-shared-key'),
  cmd('... preshared-key', '$pre-shared-key'),
  cmd('... snmp traps * community', '$snmp-community'),
  cmd('... ltm monitor * * send', '&http-credentials'),
];
