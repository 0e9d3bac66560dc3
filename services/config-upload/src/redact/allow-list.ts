import { compile, match, type Pattern } from './pattern.js';

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
  'password encryption aes',
  'password encryption-key common',
  'password encryption reversible *',
  'password policy [*]',
  'password hash *',
  'security passwords min-length #',
  'security authentication failure rate # [log]',
  '[no] aaa password restriction',
  'aaa common-criteria policy *',
  'username * passphrase lifetime|warntime|gracetime ...',
  'username * sshkey|ssh-key ...',
  // method lists and modes: names of methods, not values
  '[no] aaa authentication ...',
  '[no] aaa authorization ...',
  '[no] aaa accounting ...',
  'login authentication *',
  'ip http authentication ...',
  'ppp authentication ...',
  'authentication pre-share|rsa-sig|rsa-encr|ecdsa-sig',
  'authentication message-digest|null',
  'authentication key-chain *',
  'authentication mode ...',
  '[standby|vrrp|glbp] [#] authentication md5 key-chain *',
  'authentication port-control|host-mode|violation|control-direction|fallback|open|periodic *',
  'authentication order|priority|timer|event ...',
  '[no] ip ospf authentication [message-digest|null]',
  'ip ospf authentication key-chain *',
  'area * authentication [message-digest]',
  'ip rip authentication mode|key-chain ...',
  'ip authentication mode|key-chain eigrp ...',
  '[no] bfd authentication ...',
  'no auth username|password',
  '[no] bgp aggregate-route community ...',
  'mpls ldp password required [for *]',
  '... login password ...',
  '... ssh-rsa|ssh-dss|ssh-dsa|ssh-ecdsa|ssh-ed25519 *',
  '... key-chain * key # [start-time|options|algorithm *]',
  '... ntp server|peer|broadcast * ... key # ...',
  '... ntp authentication-key # [type *]',
  '[cm] key *.key',
  '... crypto-profiles ... authentication *',
  '... ospf area * interface * authentication *',
  '... authentication-order ...',
  'snmp-server enable traps ...',
  '[no] snmp-server enable traps ...',
  'snmp-server traps ...',
  'snmp-server group ...',
  'snmp-server host * use-vrf|filter-vrf|source-interface * [*]',
  // ntp and key chains: key numbers, not keys
  '[no] ntp authenticate',
  'ntp trusted-key ...',
  'trusted-key ...',
  'ntp server|peer * ... key # ...',
  'server|peer * ... key # ...',
  'key chain * [macsec|tcp]',
  'key #',
  'key-string',
  'tunnel key #',
  'crypto key ...',
  'crypto pki ...',
  'crypto isakmp policy #',
  // routing communities (a BGP attribute), not SNMP communities
  '[no] ip community-list ...',
  '[no] ip extcommunity-list ...',
  'ip large-community-list ...',
  'set community|extcommunity|comm-list|large-community ...',
  'match community|extcommunity|large-community ...',
  'neighbor * send-community ...',
  'send-community ...',
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

/** The allow list compiled and indexed by first word (entries that start with `...` are tried on every statement). */
export class AllowList {
  private readonly byFirst = new Map<string, Pattern[]>();
  private readonly anywhere: Pattern[] = [];

  constructor(entries: readonly string[] = allowed) {
    for (const e of entries) {
      const p = compile(e);
      const first = p.nodes[0];
      // `[no] x`: index under both `no` and `x`
      const keys = first?.t === 'lit' ? [...first.words] : first?.t === 'opt' && first.seq[0]?.t === 'lit' ? [...first.seq[0].words, ...firstAfterOpt(p)] : null;
      if (!keys) {
        this.anywhere.push(p);
        continue;
      }
      for (const k of keys) {
        const list = this.byFirst.get(k);
        if (list) list.push(p);
        else this.byFirst.set(k, [p]);
      }
    }
  }

  /** True when an entry consumes the whole statement (lower-cased words). */
  allows(words: readonly string[]): boolean {
    if (words.length === 0) return false;
    for (const p of this.byFirst.get(words[0]!) ?? []) if (match(p, words)) return true;
    for (const p of this.anywhere) if (match(p, words)) return true;
    return false;
  }
}

function firstAfterOpt(p: Pattern): string[] {
  const second = p.nodes[1];
  return second?.t === 'lit' ? [...second.words] : [];
}
