/**
 * MikroTik RouterOS `/export` (`show-sensitive` on v7): commands are `add`/`set` with
 * `attribute=value` words under a section (`/ppp secret`, `/interface wireguard`), wrapped with a
 * backslash at the end of long lines. A secret is an attribute, so the rules name attributes (a
 * leading `*` matches a suffix: `*-password` is `authentication-password`, `encryption-password`),
 * optionally only under a section; a dotted attribute is known by its last part (`security.passphrase`,
 * and `.passphrase` as v7 writes it after `security.authentication-types=...`). Scripts
 * (`source=`, `on-event=`...) are read as commands, and a script variable named for a secret
 * (`:local pass "<v>"`) holds one. Source: RouterOS manual (ppp, user, radius, ipsec, wireguard,
 * wireless security profiles and nv2, wifi security, snmp, routing bgp/ospf, system ntp key, tool
 * e-mail and fetch, scripting, l2tp/pptp/sstp/ovpn clients, interface vrrp, hotspot, user-manager,
 * lte apn).
 */
export interface AttributeRule {
  /** Attribute name, or `*suffix`. */
  attribute: string;
  kind: string;
  /** Section (path after `/`) the rule is limited to, e.g. `/snmp community`. */
  section?: string;
}

export const routerosAttributes: readonly AttributeRule[] = [
  { attribute: 'password', kind: 'password' },
  { attribute: '*-password', kind: 'password' },
  { attribute: 'secret', kind: 'secret' },
  { attribute: 'secrets', kind: 'secret' },
  { attribute: '*-secret', kind: 'secret' },
  { attribute: 'passphrase', kind: 'pre-shared-key' },
  { attribute: 'psk', kind: 'pre-shared-key' },
  { attribute: 'pre-shared-key', kind: 'pre-shared-key' },
  { attribute: 'preshared-key', kind: 'pre-shared-key' },
  { attribute: '*-pre-shared-key', kind: 'pre-shared-key' },
  { attribute: '*-preshared-key', kind: 'pre-shared-key' },
  { attribute: 'private-key', kind: 'private-key' },
  { attribute: '*-private-key', kind: 'private-key' },
  { attribute: 'tcp-md5-key', kind: 'key' },
  { attribute: 'md5-key', kind: 'key' },
  { attribute: 'auth-key', kind: 'key' },
  { attribute: 'authentication-key', kind: 'key' },
  { attribute: 'management-protection-key', kind: 'key' },
  { attribute: 'static-key-0', kind: 'key' },
  { attribute: 'static-key-1', kind: 'key' },
  { attribute: 'static-key-2', kind: 'key' },
  { attribute: 'static-key-3', kind: 'key' },
  { attribute: 'static-sta-private-key', kind: 'key' },
  { attribute: 'key', kind: 'key', section: '/ip ipsec' },
  { attribute: 'key', kind: 'ntp-key', section: '/system ntp key' },
  { attribute: 'trap-community', kind: 'snmp-community' },
  { attribute: 'community', kind: 'snmp-community', section: '/snmp' },
  { attribute: 'name', kind: 'snmp-community', section: '/snmp community' },
];

/** Attributes whose quoted value is a script (RouterOS commands one quoting level down). */
export const scriptAttributes: ReadonlySet<string> = new Set(['source', 'on-event', 'on-up', 'on-down', 'on-login', 'on-logout', 'on-error']);

/** A script variable named for a secret (`pass`, `backupPassword`, `wifi_psk`, `apiKey`). */
export function secretVariable(name: string): boolean {
  return /(?:pass|passwd|password|pwd|secret|key|psk|token)$/i.test(name);
}
