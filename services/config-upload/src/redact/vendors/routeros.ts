/**
 * MikroTik RouterOS `/export` (`show-sensitive` on v7): commands are `add`/`set` with
 * `attribute=value` words under a section (`/ppp secret`, `/interface wireguard`), wrapped with a
 * backslash at the end of long lines. A secret is an attribute, so the rules name attributes (a
 * leading `*` matches a suffix: `*-password` is `authentication-password`, `encryption-password`),
 * optionally only under a section. Source: RouterOS manual (ppp, user, radius, ipsec, wireguard,
 * wireless security profiles, wifi security, snmp, routing bgp/ospf, tool e-mail, l2tp/pptp/sstp/
 * ovpn clients, interface vrrp, hotspot, user-manager, lte apn).
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
  { attribute: 'trap-community', kind: 'snmp-community' },
  { attribute: 'community', kind: 'snmp-community', section: '/snmp' },
  { attribute: 'name', kind: 'snmp-community', section: '/snmp community' },
];
