import { compile, match, type Pattern } from './pattern.js';
import { ciscoSets } from './vendors/cisco-shared.js';

/**
 * Statements that contain a secret word but no secret: password policy, method lists, key ids,
 * routing communities, public key material. Both passes leave a statement alone when one of these
 * consumes it whole (same notation as the vendor files, words lower-cased, for every vendor), so
 * an engineer reading a diff still sees `no password strength-check` or
 * `authentication-order [ radius password ];`. Each entry is as tight as the command allows:
 * anything more on the line (a value after all) and the entry no longer matches.
 */
export const allowed: readonly string[] = [
  // password policy and how the device stores passwords
  '[no] service password-encryption',
  '[no] service password-recovery',
  '[no] password strength-check',
  '[no] password secure-mode',
  'password prompt username',
  'password inheritance-disable',
  'password minimum length|minimum-length #',
  '[feature] password encryption aes [tam]',
  'password encryption-key common',
  'password encryption reversible *',
  'password policy [*]',
  'password hash *',
  'security passwords min-length #',
  'security authentication failure rate # [log]',
  '[no] aaa password restriction',
  'aaa common-criteria policy *',
  'userpassphrase min-length|max-length|default-length # [min-length|max-length #]',
  'username * passphrase lifetime|warntime|gracetime ...',
  'username * sshkey|ssh-key ...',
  // NX-OS: a locked account
  'username * password 5 ! [role *]',
  'apply-to admin-password [ipsec-preshared-key]',
  'apply-to ipsec-preshared-key',
  // method lists and modes: names of methods, not values
  '[no] aaa authentication ...',
  '[no] aaa authorization ...',
  '[no] aaa accounting ...',
  'login authentication *',
  'ip http authentication aaa|local|enable|tacacs [*]',
  'ip ssh server algorithm authentication @ssh-auth*',
  'ppp authentication @ppp-auth* [callin|callout|callback] [one-time] [optional] [*]',
  'authentication pre-share|rsa-sig|rsa-encr|ecdsa-sig',
  'authentication local|remote pre-share|rsa-sig|ecdsa-sig',
  'authentication message-digest|null',
  'authentication key-chain *',
  // an algorithm chosen for a mode, with no key on the line (FortiOS `set authentication md5`)
  'authentication md5|text|none|sha1|sha256',
  '[isis] authentication mode md5|text [rx-disable] [level-1|level-2]',
  'isis authentication mode sha key-id # [rx-disable] [level-1|level-2]',
  'authentication mode md5 [level-1|level-2]',
  '[isis] authentication-type md5|cleartext|sha|text [level-1|level-2]',
  '[standby|vrrp|glbp] [#] authentication md5 key-chain *',
  'authentication port-control|host-mode|violation|control-direction|fallback|periodic|open ...',
  'authentication order|priority|timer|event ...',
  // autonomous access points: SSID authentication methods, the local RADIUS server's methods
  'authentication open|shared [mac-address *] [eap *] [optional]',
  'authentication network-eap * [mac-address *]',
  'authentication key-management wpa [version #] [cckm] [optional]',
  '[no] authentication eapfast|mac|leap|peap|mschapv2',
  'dot1x credentials *',
  'mac based authentication delay # seconds',
  '[dot1x] mac based authentication [always]',
  'dot1x authentication failure action traffic allow|drop [vlan #]',
  '[no] ip ospf authentication [message-digest|null]',
  'ip ospf authentication key-chain *',
  'area * authentication [message-digest]',
  'ip rip authentication mode md5|text',
  'ip rip authentication key-chain *',
  'ip authentication mode eigrp # md5|hmac-sha-256',
  'ip authentication key-chain eigrp # *',
  'no auth username|password',
  'auth radius|psk|usergroup|local|ldap|tacacs+',
  // F5 tmsh block headers: `auth user admin {` opens a block, the secrets are inside it
  'auth user|radius|radius-server|tacacs|ldap|remote-role|source|password-policy|remote-user|partition [*]',
  '[no] bgp aggregate-route community ...',
  'mpls ldp [vrf *] password required [for *]',
  'mpls ldp [vrf *] password option # for * key-chain *',
  'mpls ldp [vrf *] password option # for * [0|7] @tag',
  'mpls ldp [vrf *] password fallback key-chain *',
  '... login password [minimum-length|maximum-length|format|change-type|minimum-changes|minimum-numerics|minimum-upper-cases|minimum-lower-cases|minimum-punctuations|minimum-character-changes|minimum-reuse *]',
  '... ssh-rsa|ssh-dss|ssh-dsa|ssh-ecdsa|ssh-ed25519 * [*]',
  // a MACsec CKN names the key and travels in clear in MKA frames
  '... pre-shared-key ckn *',
  '... key-chain * key # [start-time|options|algorithm|key-name *]',
  '... key-chain * key # ao-attribute [send-id #] [recv-id #] [tcp-ao-option *] [cryptographic-algorithm *]',
  '... ntp authentication-key # [type *]',
  '[cm] key *.key',
  'certificate * key *.key|*.pem',
  '... crypto-profiles ... authentication *',
  '... ospf area * interface * authentication *',
  '... ospf auth-profile * md5 # preferred yes|no',
  '... authentication-order ...',
  'access firewall-authentication pass-through|web-authentication ...',
  'neighbor * password shared-secret profile * [algorithm *]',
  'snmp-server enable traps ...',
  '[no] snmp-server enable traps ...',
  'snmp-server traps ...',
  'snmp-server group * v1|v2c|v3 [auth|noauth|priv] [context *] [read *] [write *] [notify *] [access *]',
  'snmp-server host * use-vrf|filter-vrf|source-interface * [*]',
  // SNMPv3 trap hosts name a user, not a community
  'snmp-server host * [vrf *] [informs|traps] version 3 auth|noauth|priv * [udp-port #] [vrf *] @snmp-notif*',
  'host * [informs|traps] version 3 auth|noauth|priv * [udp-port #] @snmp-notif*',
  'shared log-settings snmptrap * version v2c|v3 server * manager *',
  'radius-server host * [auth-port #] [acct-port #] [authentication] [accounting] [timeout #] [retransmit #]',
  // NX-OS: the key is already a tag (pass 1 knew it), what follows are the server's roles
  'radius-server host * key [0|6|7] @tag [pac] [auth-port #] [acct-port #] [authentication] [accounting] [timeout #] [retransmit #]',
  // ntp and key chains: key numbers, not keys
  '[no] ntp authenticate',
  'ntp trusted-key ...',
  'trusted-key ...',
  // NTP servers take a key number, never a key, among options in any order
  'ntp server|peer * ... key # ...',
  'server|peer * ... key # ...',
  '... ntp server|peer|broadcast * ... key # ...',
  'key chain * [macsec|tcp]',
  'key #',
  'key-string',
  'tunnel key #',
  'crypto key generate|zeroize|pubkey-chain|storage ...',
  'crypto pki trustpoint|server|profile|token|crl *',
  'crypto pki certificate chain *',
  'crypto pki certificate map * #',
  'crypto isakmp policy #',
  // routing communities (a BGP attribute), not SNMP communities
  '[no] ip community-list ...',
  '[no] ip extcommunity-list ...',
  'ip large-community-list ...',
  'set community|extcommunity|comm-list|large-community ...',
  'match community|extcommunity|large-community ...',
  'neighbor * send-community [both|standard|extended|large]',
  'send-community [both|standard|extended|large]',
  'community-set *',
  'delete community ...',
  'if community ...',
  'community * members ...',
  '... policy-options community * ...',
  '... from community ...',
  '... then community ...',
  'bgp community new-format',
  'ip bgp-community new-format',
];

/** Word sets the entries use (`@name`, `@name*`). */
const sets = {
  ...ciscoSets,
  'ssh-auth': ['publickey', 'password', 'keyboard'],
  'ppp-auth': ['chap', 'pap', 'ms-chap', 'ms-chap-v2', 'eap', 'mschap', 'mschap-v2'],
};

/**
 * The allow list compiled and indexed: by the words a statement may start with (`[no] x` under
 * `no` and `x`), and entries that start with `...` by a word they require (`... ssh-rsa *` under
 * `ssh-rsa`), so that a statement is matched against the few entries that can apply to it.
 */
export class AllowList {
  private readonly byFirst = new Map<string, Pattern[]>();
  private readonly byWord = new Map<string, Pattern[]>();
  private readonly anywhere: Pattern[] = [];

  constructor(entries: readonly string[] = allowed) {
    for (const e of entries) {
      const p = compile(e, sets);
      const first = firstWords(p.nodes);
      const required = first ? null : requiredWords(p.nodes);
      if (first) add(this.byFirst, first, p);
      else if (required) add(this.byWord, required, p);
      else this.anywhere.push(p);
    }
  }

  /** True when an entry consumes the whole statement (lower-cased words). */
  allows(words: readonly string[]): boolean {
    if (words.length === 0) return false;
    for (const p of this.byFirst.get(words[0]!) ?? []) if (match(p, words)) return true;
    let tried: Set<Pattern> | null = null;
    for (const w of words) {
      const list = this.byWord.get(w);
      if (!list) continue;
      tried ??= new Set();
      for (const p of list) {
        if (tried.has(p)) continue;
        tried.add(p);
        if (match(p, words)) return true;
      }
    }
    for (const p of this.anywhere) if (match(p, words)) return true;
    return false;
  }
}

function add(index: Map<string, Pattern[]>, keys: readonly string[], p: Pattern): void {
  for (const k of keys) {
    const list = index.get(k);
    if (list) list.push(p);
    else index.set(k, [p]);
  }
}

type Nodes = Pattern['nodes'];

/** Every word a statement matching `nodes` can start with, or null when it may start with any word. */
function firstWords(nodes: Nodes): string[] | null {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.t === 'lit' && n.suffixes.length === 0) return [...out, ...n.words];
    if (n.t !== 'opt') return null;
    const inner = firstWords(n.seq);
    if (!inner) return null;
    out.push(...inner);
  }
  return null;
}

/** The words of a literal every match must contain (outside optional parts), or null. */
function requiredWords(nodes: Nodes): string[] | null {
  for (const n of nodes) if (n.t === 'lit' && n.suffixes.length === 0) return [...n.words];
  return null;
}
