import { rule, type Rule } from './rule.js';

/** Rules for every vendor: credentials in URLs (`scp://user:pass@host/`, Junos archive sites, IOS archive paths). */
export const commonRules: Rule[] = [
  rule('url-password', String.raw`(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@"']+:)([^\s@/"']+)(@)`, '://'),
];
