import { rule, type Rule } from './rule.js';

// Junos values: a quoted string or a token up to `;`.
const JVALUE = String.raw`("(?:[^"\\\n]|\\.)*"|[^\s;{}]+)`;

/**
 * Junos, both the curly-brace and the `set` form. Every quoted `$N$...` value is a hash or a
 * reversible `$9$` secret whatever its keyword, so that rule comes first. SNMP community names
 * (inside `snmp { community X {` or `set snmp community X`) are handled by the line pass in
 * redact-junos.ts, because `community` under policy-options is a route attribute, not a secret.
 */
export const junosRules: Rule[] = [
  rule('junos-hash', String.raw`()("\$\d+\$[^"\n]*")`),
  rule('ntp-key', String.raw`(\bauthentication-key \d+ type \S+ value )${JVALUE}`),
  rule(
    'secret',
    String.raw`(\b(?:encrypted-password|plain-text-password-value|secret|authentication-key|simple-password|authentication-password|privacy-password|md5-key|hmac-key)(?: \d+)? )(?!(?:\d+ )?type\b)${JVALUE}`,
  ),
  rule('pre-shared-key', String.raw`(\bpre-shared-key (?:ascii-text|hexadecimal) )${JVALUE}`),
  rule('password', String.raw`(\bpassword )${JVALUE}`),
  rule('key', String.raw`(\bkey (?:ascii-text|hexadecimal) )${JVALUE}`),
];
