import { rule, type Rule } from './rule.js';

// A FortiOS value: `ENC <base64>`, a quoted string (a PEM private key spans lines), or a token.
const FVALUE = String.raw`(ENC \S+|"(?:[^"\\]|\\.)*"|\S+)`;

/**
 * FortiOS `show full-configuration`: `set password ENC ...`, `set passwd`, `set psksecret`,
 * `set *-pwd`, `set secret`, `set passphrase`, `set private-key "-----BEGIN ...`, `set key`.
 * Any remaining `ENC <value>` is caught last. SNMP community names are handled by the block pass
 * in redact-fortios.ts.
 */
export const fortiosRules: Rule[] = [
  rule(
    'secret',
    String.raw`^([ \t]*set (?:[a-z0-9-]*passwd|[a-z0-9-]*password\d?|[a-z0-9-]*pwd|psksecret|[a-z0-9-]*-psk|psk|[a-z0-9-]*secret|passphrase|private-key|[a-z0-9-]*-key|key) )${FVALUE}`,
  ),
  rule('enc', String.raw`(\bENC )(\S+)`),
];
