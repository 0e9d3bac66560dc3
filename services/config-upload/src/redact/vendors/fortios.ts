import { cmd, type CommandSpec } from '../grammar.js';

/**
 * FortiOS `show full-configuration`: `config <path>` / `edit <name>` / `set <attribute> <values>` /
 * `next` / `end`. A secret is the whole value of a secret attribute (`ENC <base64>` for what the
 * device stores encrypted, a quoted PEM key spanning lines for `set private-key`); the SNMP
 * community is the `set name` of an entry of `config system snmp community`. Attributes ending in
 * `-password`, `-pwd`, `-secret`, `passwd` are secrets wherever they stand; one set to `enable` or
 * `disable` is a switch (`set admin-ssh-password enable`). Certificates (`set certificate`, `set
 * ca`, `set csr`) are public and kept. Source: FortiOS CLI reference (system admin, user
 * local/radius/ldap/tacacs+, vpn ipsec phase1, vpn certificate local, system snmp, system ha,
 * router ospf/bgp/rip/key-chain, system ntp, system modem, system sdn-connector,
 * wireless-controller vap).
 */
export const fortiosSets = {} as const;

const secretAttributes = [
  'password',
  'passwd',
  'psksecret',
  'psksecret-remote',
  'secondary-key',
  'tertiary-key',
  'ppk-secret',
  'secret',
  'secondary-secret',
  'tertiary-secret',
  'key',
  'md5-key',
  'key-string',
  'auth-pwd',
  'priv-pwd',
  'auth-password',
  'auth-password-l1',
  'auth-password-l2',
  'passphrase',
  'private-key',
  'privatekey',
  'group-password',
  'history0',
  'history1',
  'api-key',
  'sae-password',
  'mpsk-key',
  'auth-string',
  'authentication-key',
  'pre-shared-key',
  'rsso-secret',
  'server-key',
  'sso-password',
  'secret-key',
  'passwd1',
  'passwd2',
  'passwd3',
  '*-password',
  '*-pwd',
  '*-secret',
  '*passwd',
  '*-psk',
].join('|');

export const fortiosRules: CommandSpec[] = [
  cmd('set name', '$snmp-community...', 'config system snmp community'),
  // `set admin-ssh-password enable`, `set reuse-password disable`: switches named after a secret
  cmd(`set ${secretAttributes}`, ['enable|disable', '$secret...']),
];
