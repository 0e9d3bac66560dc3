import { cmd, cmds, type CommandSpec } from '../grammar.js';

/**
 * Commands that IOS/IOS-XE, NX-OS, IOS-XR and EOS write the same way (EOS copied the IOS CLI). Each
 * vendor file takes these and adds its own. Sources: Cisco IOS Security and Network Management
 * command references (enable, username, snmp-server, tacacs/radius, key chain, crypto isakmp/ikev2,
 * ntp, ospf, bgp, hsrp, vrrp), NX-OS and IOS-XR security configuration guides, Arista EOS manual.
 *
 * Encryption types before a value: 0 clear, 3 (NX-OS 3DES), 4/5/8/9 hashes, 6 AES, 7 Vigenère,
 * 10 (XR sha512 crypt); XR writes `encrypted`/`clear`, EOS `sha512` and `8a`.
 */
export const T = '[0|3|4|5|6|7|8|9|10|8a|sha512|encrypted|clear]';

export const ciscoSets = {
  // SNMP notification types that may follow the community of `snmp-server host` (IOS, NX-OS, EOS, XR).
  'snmp-notif': [
    'aaa_server', 'adslline', 'alarms', 'atm', 'bfd', 'bgp', 'bridge', 'bstun', 'bulkstat', 'callhome', 'cef', 'cnpd', 'config',
    'config-copy', 'config-ctid', 'copy-config', 'cpu', 'dhcp', 'dial', 'dlsw', 'ds1', 'ds3', 'dsp', 'eigrp', 'energywise', 'entity',
    'entity-diag', 'entity-qfp', 'entity-state', 'envmon', 'errdisable', 'ethernet', 'event-manager', 'firewall', 'flash',
    'flowmon', 'frame-relay', 'fru-ctrl', 'hsrp', 'ike', 'ipmulticast', 'ipsec', 'ipsla', 'isdn', 'isis', 'l2tun', 'license',
    'lldp', 'mac-notification', 'memory', 'mpls', 'mpls-ldp', 'mpls-traffic-eng', 'mpls-vpn', 'msdp', 'mvpn', 'nhrp', 'ospf',
    'ospfv3', 'pim', 'pki', 'port-security', 'power-ethernet', 'pppoe', 'pw', 'rf', 'rsvp', 'snmp', 'srp', 'stackwise', 'stpx',
    'storm-control', 'stun', 'syslog', 'transceiver', 'tty', 'udp-port', 'vlan-membership', 'vlancreate', 'vlandelete', 'vrfmib',
    'vrrp', 'vstack', 'vtp', 'xgcp', 'auth-framework', 'cluster', 'event-manager', 'trustsec', 'ike-policy',
  ],
  'snmp-auth': ['md5', 'sha', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'],
  'snmp-priv': ['des', 'des56', '3des', '3des168', 'aes', 'aes128', 'aes192', 'aes256', 'aes-128', 'aes-192', 'aes-256'],
  'esp-cipher': ['aes-cbc', '3des', 'des', 'aes-gcm'],
  'digest-algo': [
    'md5', 'sha1', 'sha256', 'sha384', 'sha512', 'hmac-sha1', 'hmac-sha-1', 'hmac-sha-256', 'hmac-sha-384', 'hmac-sha-512',
    'hmac-sha2-256', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'sha-1', 'sha-256', 'cmac-aes-128', 'aes-128-cmac', 'hmac-md5',
  ],
} as const;

const hostTail = '[port #] [timeout #] [single-connection] [vrf *] [nat]';

export const ciscoShared: CommandSpec[] = [
  cmd('enable secret', `[level #] ${T} $enable-secret`),
  cmd('enable password', `[level #] ${T} $enable-secret...`),
  cmd('enable algorithm-type', '* secret $enable-secret'),
  cmd('username *', [
    // NX-OS puts the role after the hash; IOS takes the rest of the line (a password may hold spaces).
    // NX-OS `password 5 !` is a locked account: no password at all.
    '... password 5 ! [role *] [expire *]',
    `... password|secret ${T} $user-secret [role *] [expire *]`,
    `... password|secret ${T} $user-secret...`,
    '[privilege #] [view *] [role *] [nopassword] [privilege #] [role *] [autocommand *]',
    'sshkey ...',
    'ssh-key ...',
    'passphrase ...',
    'role *',
    'expire *',
    'shell *',
    'keypair *',
  ]),
  cmd('password', `${T} $password...`),
  cmd('secret', `${T} $secret...`),

  cmd('snmp-server community', [
    `${T} $snmp-community [view *] [ro|rw] [sdrowner|systemowner] [ipv4 *] [#] [ipv6 *] [*]`,
    `${T} $snmp-community group *`,
    `${T} $snmp-community [ro|rw] [use-acl *] [use-ipv4acl *] [use-ipv6acl *]`,
  ]),
  cmd('snmp-server host', [
    // SNMPv3 names a user there, not a community
    '* [vrf *] [informs|traps] version 3 auth|noauth|priv * [udp-port #] [vrf *] @snmp-notif*',
    `* [vrf *] [informs|traps] [version 1|2c] $snmp-community [udp-port #] [vrf *] @snmp-notif*`,
    '* use-vrf *',
    '* filter-vrf *',
    '* source-interface * [*]',
  ]),
  cmd('snmp-server user', [
    `* [*] [remote * [udp-port #]] [v1|v2c|v3] [encrypted] [localized *] auth @snmp-auth ${T} $snmp-v3-auth` +
      ` [priv [@snmp-priv] [128|192|256] ${T} $snmp-v3-priv] [localizedkey|localizedv2key] [engineid *] [access [ipv6 *] [*]]` +
      ' [use-ipv4acl *] [use-ipv6acl *] [sdrowner|systemowner] [*]',
    '* [*] [remote * [udp-port #]] [v1|v2c|v3] [access [ipv6 *] [*]] [use-ipv4acl *] [use-ipv6acl *] [sdrowner|systemowner] [*]',
  ]),
  cmd('snmp-server mib community-map', '$snmp-community context *'),

  cmd('tacacs-server host', [`* ... key ${T} $tacacs-radius-key ${hostTail}`, `* ... key ${T} $tacacs-radius-key...`, `* ${hostTail}`]),
  cmd('radius-server host', [
    `* ... key ${T} $tacacs-radius-key [auth-port #] [acct-port #] [timeout #] [retransmit #] [authentication] [accounting] [pac]`,
    `* ... key ${T} $tacacs-radius-key...`,
    '* [vrf *] [auth-port #] [acct-port #] [timeout #] [retransmit #] [test username * [idle-time #] [ignore-acct-port] [ignore-auth-port]] [authentication] [accounting]',
  ]),
  cmd('tacacs-server key', `${T} $tacacs-radius-key...`),
  cmd('radius-server key', `${T} $tacacs-radius-key...`),
  ...cmds(['key'], `${T} $tacacs-radius-key...`, 'tacacs server *'),
  ...cmds(['key'], `${T} $tacacs-radius-key...`, 'radius server *'),
  ...cmds(['key'], `${T} $tacacs-radius-key...`, 'tacacs-server host *'),
  ...cmds(['key'], `${T} $tacacs-radius-key...`, 'radius-server host *'),
  ...cmds(['key'], `${T} $tacacs-radius-key...`, 'server-private *'),
  cmd('pac key', `${T} $tacacs-radius-key...`, 'radius server *'),
  cmd('server-private', [`* ... key ${T} $tacacs-radius-key...`, '* [port #] [timeout #] [vrf *]']),
  cmd('client', [`* [vrf *] server-key ${T} $tacacs-radius-key...`, '* [vrf *]'], 'aaa server radius dynamic-author'),
  cmd('server-key', `${T} $tacacs-radius-key...`),

  cmd('key chain', '* [macsec|tcp]'),
  cmd('key', '#', 'key chain *'),
  // A bare `key-string` opens a public key block (`crypto key pubkey-chain rsa`), skipped by the walker.
  cmd('key-string', [`password|password6 $key-string`, `${T} $key-string...`, '']),

  cmd('crypto isakmp key', [`${T} $isakmp-key address * [*] [no-xauth]`, `${T} $isakmp-key address ipv6 * [no-xauth]`, `${T} $isakmp-key hostname * [no-xauth]`]),
  cmd('pre-shared-key', [`address * [*] key ${T} $pre-shared-key`, `hostname * key ${T} $pre-shared-key`, `[local|remote] ${T} $pre-shared-key...`]),
  cmd('authentication local|remote', [`pre-share [key ${T} $pre-shared-key...]`, 'rsa-sig', 'ecdsa-sig', 'eap ...']),

  cmd('ntp authentication-key', `# @digest-algo ${T} $ntp-key ${T}`),
  cmd('authentication-key', [`# @digest-algo ${T} $ntp-key ${T}`, `${T} $auth-key...`]),
  cmd('ip ospf authentication-key', `${T} $ospf-key...`),
  cmd('ip ospf message-digest-key', `# @digest-algo ${T} $ospf-key`),
  cmd('message-digest-key', `# @digest-algo ${T} $ospf-key`),
  cmd('ipv6 ospf authentication', [`ipsec spi # md5|sha1 ${T} $ospf-key`, 'null', 'key-chain *']),
  cmd('ospfv3 authentication', [`ipsec spi # md5|sha1 ${T} $ospf-key`, 'null', 'key-chain *']),
  // OSPFv3 IPsec: `esp <cipher> [bits] <key>` then, unless the cipher is null, `md5|sha1 <key>`
  ...cmds(['ipv6 ospf encryption', 'ospfv3 encryption'], [`ipsec spi # esp @esp-cipher [128|192|256] ${T} $ospf-key md5|sha1 ${T} $ospf-key`, `ipsec spi # esp null md5|sha1 ${T} $ospf-key`, 'null']),
  cmd('area', [`* authentication ipsec spi # md5|sha1 ${T} $ospf-key`, `* encryption ipsec spi # esp @esp-cipher [128|192|256] ${T} $ospf-key md5|sha1 ${T} $ospf-key`, `* encryption ipsec spi # esp null md5|sha1 ${T} $ospf-key`, '* authentication [message-digest|null]'], 'ipv6 router ospf *'),
  // EIGRP named mode (`router eigrp NAME` → `af-interface X`)
  cmd('authentication mode', [`hmac-sha-256 ${T} $eigrp-key`, 'md5'], 'af-interface *'),
  cmd('area-password', `${T} $isis-password...`),
  cmd('domain-password', `${T} $isis-password...`),
  cmd('isis password', `${T} $isis-password [level-1|level-2]`),
  cmd('lsp-password', ['keychain * [level #]', `[hmac-md5|text] ${T} $isis-password [level #] [send-only] [snp send-only]`]),
  cmd('hello-password', ['keychain * [level #]', `[hmac-md5|text] ${T} $isis-password [level #] [send-only]`]),

  // EOS: `password shared-secret profile P [algorithm A]` names a profile of rotating secrets
  cmd('neighbor * password', ['shared-secret profile * [algorithm *]', `${T} $bgp-password...`]),

  // MPLS LDP: `option N for ACL` takes a key chain or a password (IOS LDP MD5 global configuration)
  cmd('mpls ldp neighbor', [`[vrf *] * password ${T} $ldp-password`, '[vrf *] * [targeted] [ldp|tdp]', '[vrf *] * implicit-withdraw', '[vrf *] * labels ...']),
  ...cmds(['mpls ldp password', 'mpls ldp vrf * password'], [
    'required [for *]',
    'fallback key-chain *',
    `fallback ${T} $ldp-password`,
    'option # for * key-chain *',
    `option # for * ${T} $ldp-password`,
    'rollover duration #',
  ]),

  cmd('ip msdp password', `[peer] * ${T} $msdp-password`),
  cmd('ip msdp vrf * password', `[peer] * ${T} $msdp-password`),
  cmd('ip pim hello-authentication', `ah-md5 ${T} $pim-key`),
  // NX-OS: `bfd authentication keyed-sha1 key-id N key <v>` / `hex-key <hex>`
  cmd('bfd authentication', `keyed-md5|keyed-sha1|meticulous-keyed-md5|meticulous-keyed-sha1 key-id # key|hex-key $bfd-key`),
  cmd('scheduler aaa-authentication', `[username *] password ${T} $password...`),
  // EEM: a variable is only known by its name; one named for a secret holds one (`_backup_pass`)
  cmd('event manager environment', ['password|passwd|pass|secret|key|*pass|*passwd|*password|*pwd|*secret|*key|*psk|*token|*community $eem-secret...', '* ...']),

  cmd('standby # authentication', [`md5 key-string ${T} $hsrp-vrrp-key [timeout #]`, 'md5 key-chain *', `[text] $hsrp-vrrp-key`]),
  cmd('standby authentication', [`md5 key-string ${T} $hsrp-vrrp-key [timeout #]`, 'md5 key-chain *', `[text] $hsrp-vrrp-key`]),
  cmd('vrrp # authentication', [`text ${T} $hsrp-vrrp-key`, `md5 key-string ${T} $hsrp-vrrp-key [timeout #]`, 'md5 key-chain *', `ietf-md5 key-string ${T} $hsrp-vrrp-key`, '$hsrp-vrrp-key']),
  cmd('glbp # authentication', [`text $hsrp-vrrp-key`, `md5 key-string ${T} $hsrp-vrrp-key`, 'md5 key-chain *']),
  ...['hsrp #', 'vrrp #', 'vrrpv3 #', 'glbp #'].map((under) =>
    cmd('authentication', [`md5 key-string ${T} $hsrp-vrrp-key [timeout #] [compatibility]`, 'md5 key-chain *', `text ${T} $hsrp-vrrp-key`, `${T} $hsrp-vrrp-key`], under),
  ),
  cmd('text-authentication', `${T} $hsrp-vrrp-key`),

  cmd('ip http client password', `${T} $http-client-password...`),
  cmd('ip ftp password', `${T} $ftp-password...`),
  cmd('ip nhrp authentication', '$nhrp-key'),
  cmd('ppp chap password', `${T} $ppp-password...`),
  cmd('ppp pap sent-username', `* password ${T} $ppp-password...`),
  cmd('wpa-psk', `ascii|hex ${T} $wpa-psk...`),
  // Autonomous AP: static WEP keys on the radio, the local RADIUS server's clients and users
  cmd('encryption vlan', [`# key # size * ${T} $wep-key [transmit-key]`, '# mode ...']),
  cmd('encryption key', `# size * ${T} $wep-key [transmit-key]`),
  cmd('nas', `* key ${T} $tacacs-radius-key...`, 'radius-server local'),
  cmd('user', `* nthash|password ${T} $user-secret [group *] [mac-auth-only]`, 'radius-server local'),
  cmd('security wpa psk set-key', `ascii|hex ${T} $wpa-psk...`),
  cmd('dot1x username', `* password ${T} $password...`),
  cmd('key config-key password-encrypt', '$master-key...'),
  cmd('ldap-server host', [`* ... password ${T} $ldap-password ...`]),
];
