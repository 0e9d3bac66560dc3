import { rule, type Rule } from './rule.js';

const MVALUE = String.raw`("(?:[^"\\\n]|\\.)*"|[^\s]+)`;

/**
 * MikroTik RouterOS `/export` (with `show-sensitive`): `password=`, `secret=`, `*-key=`,
 * `wpa2-pre-shared-key=`, `private-key=`, `tcp-md5-key=`, `authentication-password=`. The SNMP
 * community `name=` is handled by the section pass in redact-mikrotik.ts.
 */
export const mikrotikRules: Rule[] = [
  rule(
    'secret',
    String.raw`(\b(?:[a-z0-9-]*password|[a-z0-9-]*secret|[a-z0-9-]*pre-shared-key|[a-z0-9-]*private-key|[a-z0-9-]*md5-key|authentication-key|auth-key|key|psk|passphrase|trap-community)=)${MVALUE}`,
  ),
];
