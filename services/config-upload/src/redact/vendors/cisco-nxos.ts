import { cmd, type CommandSpec } from '../grammar.js';
import { ciscoSets, ciscoShared, T } from './cisco-shared.js';

/**
 * Cisco NX-OS. Besides the family's commands: `username X password 5 <hash> role R` (the role after
 * the hash, in the shared `username` rule), `snmp-server user X G auth md5 0x.. priv aes-128 0x..
 * localizedkey`, `snmp-server host X use-vrf V`, `tacacs-server host X key 7 "<v>" port 49`,
 * BGP ` neighbor X` → `   password 3 <v>`, `hsrp N` → ` authentication md5 key-string <v>`,
 * `ldap-server host X rootDN "..." password 7 <v> port 389`. Source: NX-OS Security and
 * Unicast Routing configuration guides.
 */
export const nxosSets = ciscoSets;

export const nxosRules: CommandSpec[] = [
  // this vendor's own forms first: the first rule whose form matches a statement wins
  cmd('radius-server host', `* key ${T} $tacacs-radius-key [pac] [auth-port #] [acct-port #] [authentication] [accounting] [timeout #] [retransmit #]`),
  cmd('tacacs-server host', `* key ${T} $tacacs-radius-key [port #] [timeout #] [single-connection]`),
  cmd('ldap-server host', '* [port #] [timeout #] [enable-ssl] [vrf *]'),
  cmd('isis authentication-type', 'md5|cleartext [level-1|level-2]'),
  cmd('authentication-type', 'md5|cleartext [level-1|level-2]'),
  cmd('isis authentication', ['key-chain * [level-1|level-2]']),
  ...ciscoShared,
];
