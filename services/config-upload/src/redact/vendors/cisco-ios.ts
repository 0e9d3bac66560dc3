import { cmd, type CommandSpec } from '../grammar.js';
import { ciscoSets, ciscoShared, T } from './cisco-shared.js';

/**
 * Cisco IOS and IOS-XE (`show running-config`, `archive` uploads). The family's common commands,
 * plus what only IOS writes: IKEv2 keyrings (` peer X` → `  pre-shared-key ...`, in the shared
 * `pre-shared-key` rule), `crypto keyring` (` pre-shared-key address X key Y`), L2TP classes and PKI
 * trustpoints (a plain ` password X`, in the shared rule), EIGRP/RIP key chains, wireless PSKs.
 */
export const iosSets = ciscoSets;

export const iosRules: CommandSpec[] = [
  // this vendor's own forms first: the first rule whose form matches a statement wins
  cmd('mgmtuser username', `* password ${T} $password ... secret ${T} $secret...`),
  cmd('client', `* server-key ${T} $tacacs-radius-key...`, 'aaa server radius proxy'),
  cmd('crypto isakmp client configuration group', '*'),
  cmd('key', `${T} $pre-shared-key...`, 'crypto isakmp client configuration group *'),
  ...ciscoShared,
];
