import { cmd, type CommandSpec } from '../grammar.js';

/**
 * Junos, curly (`show configuration`) and `set` (`| display set`): statements are matched on their
 * path, so one rule serves both forms and every hierarchy (logical systems, routing instances,
 * groups). Secrets by keyword (`encrypted-password`, `authentication-key`, `secret`,
 * `pre-shared-key ascii-text`, `md5 N key`, `simple-password`, `*-password`), and by role: the
 * name of an SNMP `community` and of a `trap-group` is the community string itself.
 * Source: Junos CLI reference (system login, radius-server, tacplus-server, ntp, snmp, ike, ipsec
 * manual SAs, macsec, ospf, isis, bgp, ldp, rsvp, vrrp, archival, access profile, certificates).
 */
export const junosSets = {
  'snmp-v3-auth': [
    'authentication-md5',
    'authentication-sha',
    'authentication-sha224',
    'authentication-sha256',
    'authentication-sha384',
    'authentication-sha512',
  ],
} as const;

export const junosRules: CommandSpec[] = [
  cmd('... encrypted-password', '$password'),
  cmd('... plain-text-password-value', '$password'),
  // ntp: `authentication-key 1 type md5 value <v>`, one leaf a line in the set form
  cmd('... authentication-key', ['$auth-key', '# type * value $ntp-key', '# value $ntp-key', '# type *', '#']),
  cmd('... hello-authentication-key', '$auth-key'),
  cmd('... secret', '$secret'),
  cmd('... chap-secret', '$secret'),
  cmd('... pap-password', '$password'),
  cmd('... simple-password', '$password'),
  cmd('... md5', '# key $auth-key [start-time *]'),
  cmd('... hmac-key', '$auth-key'),
  cmd('... pre-shared-key', ['ascii-text|hexadecimal $pre-shared-key', 'cak $pre-shared-key', 'ckn *']),
  // manual IPsec SAs: `manual { authentication { key ascii-text <v>; } encryption { key ... } }`
  cmd('... manual authentication|encryption key', 'ascii-text|hexadecimal $ipsec-key'),
  // subscriber access: `access profile X radius options`, `ppp`, `radius-server X secret`
  cmd('... shared-secret', '$secret'),
  cmd('... default-chap-secret', '$secret'),
  cmd('... local-password', '$password'),
  cmd('... default-password', '$password'),
  // `security certificates local NAME "<PEM private key and certificate>"`
  cmd('... certificates local', '* $private-key'),
  cmd('... authentication-password', '$snmp-v3-auth'),
  cmd('... privacy-password', '$snmp-v3-priv'),
  cmd('... privacy-key', '$snmp-v3-priv'),
  cmd('... password', '$password'),
  cmd('... snmp community', '$snmp-community ...'),
  cmd('... snmp trap-group', '$snmp-community ...'),
  cmd('... snmp v3 snmp-community * community-name', '$snmp-community'),
];
