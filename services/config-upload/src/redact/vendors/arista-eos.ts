import { cmd, type CommandSpec } from '../grammar.js';
import { ciscoSets, ciscoShared, T } from './cisco-shared.js';

/**
 * Arista EOS, which writes secrets the IOS way (the family's commands) plus: `aaa root secret
 * sha512 <hash>`, `enable password sha512 <hash>`, `vrrp N peer authentication text <v>` and
 * `ietf-md5 key-string`, IS-IS ` authentication key 7 <v> level-2`, `snmp-server user X G v3
 * localized <engine> auth sha <v> priv aes <v>`, and programs started by `daemon X` whose `exec`
 * line carries options (`-cvauth=key,<v>`, `-cvpassword=<v>`, `-cvopt <cluster>.auth=key,<v>`), IS-IS
 * interface keys, MACsec CAKs, IPsec shared keys and dot1x supplicant passphrases. Source: EOS
 * User Manual.
 */
export const eosSets = ciscoSets;

export const eosRules: CommandSpec[] = [
  // this vendor's own forms first: the first rule whose form matches a statement wins
  cmd('aaa root', [`secret ${T} $enable-secret`, 'nopassword']),
  cmd('vrrp # peer authentication', [`[text] ${T} $hsrp-vrrp-key`, `ietf-md5 key-string ${T} $hsrp-vrrp-key`]),
  cmd('vrrp # ipv4 authentication', [`[text] ${T} $hsrp-vrrp-key`, `ietf-md5 key-string ${T} $hsrp-vrrp-key`]),
  cmd('authentication key', `${T} $isis-password [level-1|level-2]`),
  // IS-IS on an interface: a mode, then the key (`key-id N algorithm sha-256 key 7 <v>` for SHA)
  cmd('isis authentication', [
    'mode md5|text [rx-disable] [level-1|level-2]',
    'mode sha key-id # [rx-disable] [level-1|level-2]',
    'mode shared-secret profile * algorithm * [rx-disable] [level-1|level-2]',
    'key-chain * [level-1|level-2]',
    `key ${T} $isis-password [level-1|level-2]`,
    `key-id # algorithm * [rfc-5310] key ${T} $isis-password [level-1|level-2]`,
  ]),
  // MACsec profile: `key <CKN> [7] <CAK> [fallback]`, the CKN is the key's name
  cmd('key', `* ${T} $macsec-cak [fallback]`, 'mac security'),
  // IPsec profile (`ip security`), dot1x supplicant profile
  cmd('shared-key', `${T} $pre-shared-key...`, 'ip security'),
  cmd('passphrase', `${T} $password...`, 'dot1x'),
  cmd('exec', '* %daemon-option', 'daemon *'),
  cmd('shared-secret profile', '*'),
  cmd('secret', `${T} $shared-secret [receive-lifetime ...] [transmit-lifetime ...]`, 'shared-secret profile *'),
  ...ciscoShared,
];
