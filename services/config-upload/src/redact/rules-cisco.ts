import { rule, VALUE, type Rule } from './rule.js';

// Encryption-type words before a value: IOS 0/5/7/8/9, XR 10, EOS sha512 and 8a, XR encrypted/clear.
const TYPE = String.raw`(?:\d{1,2}|8a|sha512|encrypted|clear)`;

/**
 * Cisco IOS/IOS-XE/NX-OS/IOS-XR and Arista EOS, which shares the IOS syntax for secrets. Ordered
 * from specific to generic; a value already replaced is never replaced again. Sources: the IOS
 * command references for each command below, NX-OS and IOS-XR security guides, EOS manual.
 */
export const ciscoRules: Rule[] = [
  rule('enable-secret', String.raw`^([ \t]*enable (?:secret|password)(?: level \d+)?(?: ${TYPE})? )${VALUE}`, 'enable '),
  rule('aaa-root-secret', String.raw`^([ \t]*aaa root secret(?: ${TYPE})? )${VALUE}`, 'aaa root'),
  rule('user-secret', String.raw`^([ \t]*username \S+\b.*?\b(?:secret|password)(?: ${TYPE})? )${VALUE}`, 'username'),
  rule('snmp-community', String.raw`^([ \t]*snmp-server community(?: ${TYPE})? )${VALUE}`, 'snmp-server community'),
  rule('snmp-community', String.raw`^([ \t]*snmp-server host \S+(?: (?:traps|informs))?(?: version (?:1|2c|3(?: (?:auth|noauth|priv))?))? )(?!version\b)${VALUE}`, 'snmp-server host'),
  rule('snmp-v3-auth', String.raw`^([ \t]*snmp-server user \S+.*?\bauth (?:md5|sha\S*)(?: (?:encrypted|clear))? )${VALUE}`, 'snmp-server user'),
  rule('snmp-v3-priv', String.raw`^([ \t]*snmp-server user \S+.*?\bpriv (?:(?:3des|des56|des|aes-128|aes)(?: (?:128|192|256))? )?(?:(?:encrypted|clear) )?)${VALUE}`, 'snmp-server user'),
  rule('tacacs-radius-key', String.raw`^([ \t]*(?:tacacs-server|radius-server|tacacs server|radius server|server-private|aaa server radius dynamic-author)\b.*?\bkey(?: ${TYPE})? )${VALUE}`, 'key'),
  rule('key', String.raw`^([ \t]+key(?: ${TYPE}) )${VALUE}`, 'key'),
  rule('key', String.raw`^([ \t]+key )(?![0-9]+[ \t]*$)${VALUE}[ \t]*$`, 'key'),
  rule('key-string', String.raw`^([ \t]*key-string(?: (?:${TYPE}|password))? )${VALUE}`, 'key-string'),
  rule('key-string', String.raw`(\bkey-string(?: (?:${TYPE}|password))? )${VALUE}`, 'key-string'),
  rule('isakmp-key', String.raw`^([ \t]*crypto isakmp key(?: ${TYPE})? )${VALUE}`, 'crypto isakmp key'),
  rule('pre-shared-key', String.raw`(\bpre-shared-key address \S+(?: \S+)? key(?: ${TYPE})? )${VALUE}`, 'pre-shared-key'),
  rule('pre-shared-key', String.raw`(\bpre-shared-key(?: (?:local|remote))?(?: ${TYPE})? )(?!address\b)${VALUE}`, 'pre-shared-key'),
  rule('ntp-key', String.raw`^([ \t]*(?:ntp )?authentication-key \d+ (?:md5|sha1|sha256|cmac-aes-128|hmac-sha\S*)(?: ${TYPE})? )${VALUE}`, 'authentication-key'),
  rule('bgp-password', String.raw`^([ \t]*neighbor \S+ password(?: ${TYPE})? )${VALUE}`, 'password'),
  rule('ospf-key', String.raw`(\bmessage-digest-key \d+ md5(?: ${TYPE})? )${VALUE}`, 'message-digest-key'),
  rule('auth-key', String.raw`^((?![ \t]*ntp\b)[^\n]*?\bauthentication-key(?: ${TYPE})? )(?!(?:\d+ )?(?:md5|sha1|sha256|cmac-aes-128|hmac-sha\S*)\b)${VALUE}`, 'authentication-key'),
  rule('hsrp-vrrp-key', String.raw`^([ \t]*(?:standby|vrrp|vrrp2|glbp)(?: \d+)? authentication(?: text)? )(?!md5\b|text\b)${VALUE}`, 'authentication'),
  rule('hsrp-vrrp-key', String.raw`^([ \t]+authentication text )${VALUE}`, 'authentication text'),
  rule('http-client-password', String.raw`^([ \t]*ip http client password(?: ${TYPE})? )${VALUE}`, 'ip http client password'),
  rule('wpa-psk', String.raw`(\bwpa-psk (?:ascii|hex)(?: ${TYPE})? )${VALUE}`, 'wpa-psk'),
  // Safety nets: any remaining `password X` / `secret X` on a line (a FortiOS `ENC value` is left
  // whole to its own rule, which runs later for a config of unknown vendor).
  rule('password', String.raw`(\bpassword(?: ${TYPE})? )(?!encryption\b|ENC |(?:${TYPE})[ \t]*$)${VALUE}`, 'password'),
  rule('secret', String.raw`(\bsecret(?: ${TYPE})? )(?!ENC )${VALUE}`, 'secret'),
];
