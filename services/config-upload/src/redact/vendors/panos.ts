import { cmd, type CommandSpec } from '../grammar.js';

/**
 * PAN-OS in all its forms (the XML configuration, `show config running` braces with `;`, and `set`
 * commands; the XML walker reads `<entry name="X">` as `X`, so one rule serves the three): password
 * hashes (`phash`), RADIUS/TACACS+ secrets, LDAP bind passwords, IKE pre-shared keys, SNMP v2c
 * communities (device access and trap servers) and v3 passwords, NTP and OSPF authentication keys,
 * certificates' private keys. Values the firewall stores encrypted start `-AQ==`. Source: PAN-OS CLI
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
  cmd('... v2c server * community', '$snmp-community'),
  cmd('... symmetric-key algorithm * authentication-key', '$auth-key'),
  cmd('... auth-profile * md5 * key', '$auth-key'),
  cmd('... certificate * private-key', '$private-key'),
];
