import { cmd, type CommandSpec } from '../grammar.js';
import { ciscoSets, ciscoShared, T } from './cisco-shared.js';

/**
 * Cisco IOS-XR. Sub-modes carry most secrets: `username X` → ` secret 10 <hash>` / ` password 7 <v>`,
 * `tacacs-server host X port 49` → ` key 7 <v>`, `ntp` → ` authentication-key 1 md5 encrypted <v>`,
 * `snmp-server vrf X` → ` host Y traps version 2c encrypted <v>`, `router vrrp` → ... `vrrp N` →
 * ` text-authentication <v>`, `router bgp` → ` neighbor X` → `  password encrypted <v>`,
 * `router isis` → ` lsp-password hmac-md5 encrypted <v>`, `key chain` → `  key-string password <v>`.
 * XR marks stored forms `encrypted` and typed ones `clear`. Source: IOS-XR System Security and
 * System Management configuration guides.
 */
export const iosxrSets = ciscoSets;

export const iosxrRules: CommandSpec[] = [
  cmd('snmp-server host', [
    '* [informs|traps] version 3 auth|noauth|priv * [udp-port #] @snmp-notif*',
    `* [clear|encrypted] [informs|traps] [version 1|2c] ${T} $snmp-community [udp-port #] @snmp-notif*`,
  ]),
  // this vendor's own forms first: the first rule whose form matches a statement wins
  cmd('snmp-server vrf', '*'),
  cmd(
    'host',
    [
      '* [informs|traps] version 3 auth|noauth|priv * [udp-port #] @snmp-notif*',
      `* [informs|traps] [version 1|2c] ${T} $snmp-community [udp-port #] @snmp-notif*`,
    ],
    'snmp-server vrf *',
  ),
  cmd('context', '*', 'snmp-server vrf *'),
  cmd('snmp-server community-map', `${T} $snmp-community [context *] [security-name *] [target-list *]`),
  cmd('authentication-key', [`# @digest-algo ${T} $ntp-key`], 'ntp'),
  // `mpls ldp` → ` neighbor` → `  10.1.1.1:0 password encrypted <v>` (or `password disable`)
  cmd('@address password', ['disable', `${T} $ldp-password`], 'neighbor'),
  ...ciscoShared,
];
