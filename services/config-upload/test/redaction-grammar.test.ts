// The leak classes of issue 12, each as the router writes it: every one of these let a secret
// through with the regex rules it replaced (the wrong word tagged, a sub-mode not seen, an option
// inside a string, a continuation line, a secret by role). The output must be the config with
// exactly the marked values tagged, and nothing else changed.
import t from 'tap';
import { expectRedaction } from './support/redact-case.js';

t.test('option words between the command and the value (class 1)', async (t) => {
  expectRedaction(t, 'cisco-ios', [
    'snmp-server host 10.0.0.41 vrf MGMT version 2c {{PlantVrfTrapComm}}',
    'snmp-server host 10.0.0.42 vrf MGMT informs version 2c {{PlantInformComm}} udp-port 1162 bgp config',
    'snmp-server host 10.0.0.43 traps version 2c {{version}}',
    'snmp-server host 10.0.0.44 {{PlantV1Comm}}',
    'snmp-server user v3user v3group v3 auth sha {{PlantAuthKey}} priv aes 256 {{PlantPrivAes256}}',
    'snmp-server user v3user v3group v3 auth md5 {{PlantAuthMd5}} priv 3des {{PlantPriv3des}} access SNMP-ACL',
    'interface GigabitEthernet0/1',
    ' ip ospf message-digest-key 1 sha256 7 {{PlantMdSha256}}',
    ' ip ospf message-digest-key 2 md5 {{7}}',
    'ntp authentication-key 3 hmac-sha256 {{PlantNtpSha}} 7',
    'enable secret level 15 5 {{$1$salt$PlantEnableLevel}}',
    'username ops privilege 15 view OPS secret 9 {{$9$PlantUserSalt$PlantUserHash}}',
    '',
  ].join('\n'));
  expectRedaction(t, 'arista-eos', [
    'snmp-server user v3user v3group v3 localized 80000001020304 auth sha512 {{PlantEosAuth}} priv aes256 {{PlantEosPrivAes256}}',
    'snmp-server host 10.0.0.45 vrf MGMT traps version 2c {{PlantEosVrfComm}}',
    '',
  ].join('\n'));
  expectRedaction(t, 'cisco-nxos', [
    'snmp-server user admin network-admin auth md5 {{0xPlantNxAuth}} priv aes-128 {{0xPlantNxPriv}} localizedkey',
    'snmp-server host 10.0.0.46 traps version 2c {{PlantNxTrapComm}} udp-port 162',
    'snmp-server host 10.0.0.46 use-vrf management',
    'username admin password 5 {{$5$PlantNxSalt$PlantNxHash}}  role network-admin',
    'tacacs-server host 10.0.0.20 key 7 {{"PlantNxQuoted Key"}} port 49',
    '',
  ].join('\n'));
});

t.test('secrets in sub-modes and indented forms (class 2)', async (t) => {
  expectRedaction(t, 'cisco-iosxr', [
    'snmp-server vrf MGMT',
    ' host 10.0.0.47 traps version 2c encrypted {{PlantXrVrfComm}}',
    ' host 10.0.0.48 informs version 2c {{PlantXrVrfInform}} udp-port 1162',
    '!',
    'router hsrp',
    ' interface GigabitEthernet0/0/0/1',
    '  address-family ipv4',
    '   hsrp 1',
    '    authentication {{PlantXrHsrp}}',
    '!',
    'router vrrp',
    ' interface GigabitEthernet0/0/0/2',
    '  address-family ipv4',
    '   vrrp 2',
    '    text-authentication {{PlantXrVrrp}}',
    '!',
    'router bgp 65001',
    ' neighbor 192.0.2.9',
    '  password encrypted {{PlantXrBgp}}',
    '  password inheritance-disable',
    '',
  ].join('\n'));
  expectRedaction(t, 'cisco-ios', [
    'interface Vlan10',
    ' standby 1 ip 10.10.0.1',
    ' standby 1 authentication {{PlantHsrpPlain}}',
    ' standby 2 authentication md5 key-string 7 {{PlantHsrpMd5}} timeout 30',
    ' vrrp 3 authentication text {{PlantVrrpText}}',
    'tacacs server TAC2',
    ' address ipv4 10.0.0.22',
    ' key 6 {{PlantTacacs6}}',
    'key chain OSPF',
    ' key 1',
    '  key-string {{PlantKeyChain}}',
    'line vty 0 4',
    ' password {{Plant Vty With Spaces}}',
    '',
  ].join('\n'));
  expectRedaction(t, 'cisco-nxos', [
    'interface Vlan20',
    '  hsrp 20',
    '    authentication text {{PlantNxHsrpText}}',
    '  vrrp 21',
    '    authentication text {{PlantNxVrrpText}}',
    'router bgp 65001',
    '  neighbor 192.0.2.10',
    '    password 3 {{PlantNxBgp3}}',
    '',
  ].join('\n'));
  expectRedaction(t, 'arista-eos', [
    'interface Vlan30',
    '   vrrp 1 peer authentication text {{PlantEosVrrpPeer}}',
    '   vrrp 2 peer authentication ietf-md5 key-string 7 {{PlantEosVrrpMd5}}',
    'router isis CORE',
    '   authentication key 7 {{PlantEosIsis}} level-2',
    '',
  ].join('\n'));
});

t.test('options inside argument strings (class 3)', async (t) => {
  expectRedaction(t, 'arista-eos', [
    'daemon TerminAttr',
    '   exec /usr/bin/TerminAttr -cvaddr=apiserver.arista.io:443 -cvauth=key,{{PlantCvKey}} -cvvrf=MGMT -taillogs',
    '   no shutdown',
    'daemon Other',
    '   exec /usr/bin/TerminAttr -cvauth=token,/tmp/token -cvpassword={{PlantCvPass}}',
    '',
  ].join('\n'));
});

t.test('RouterOS continuation lines and attribute names (class 4)', async (t) => {
  expectRedaction(t, 'mikrotik', [
    '# 2026-11-22 22:58:01 by RouterOS 7.15.3',
    '/ppp secret',
    'add name=vpn1 profile=default-encryption password=\\',
    '    {{PlantRosNextLine}} service=l2tp',
    'add name=vpn2 password={{PlantRosWrapped\\',
    '    PartTwo}} service=l2tp',
    '/ip ipsec identity',
    'add peer=site-c secrets={{PlantRosSecrets}}',
    '/interface wireguard peers',
    'add interface=wg1 preshared-key={{"PlantRosPsk="}} public-key="PublicKeyIsKept="',
    '/snmp community',
    'add addresses=10.0.0.0/8 authentication-password={{PlantRosSnmpAuth}} name={{PlantRosCommunity}}',
    '/system identity',
    'set name=mt-test-1',
    '',
  ].join('\n'));
});

t.test('secrets by role: Junos SNMP community and trap-group names (class 5)', async (t) => {
  expectRedaction(t, 'junos', [
    'version 23.2R1.13;',
    'snmp {',
    '    community {{PlantJunosComm}} {',
    '        authorization read-only;',
    '    }',
    '    trap-group {{PlantJunosTrapGroup}} {',
    '        version v2;',
    '        targets {',
    '            10.0.0.50;',
    '        }',
    '    }',
    '}',
    'policy-options {',
    '    community CUST-100 members 65001:100;',
    '}',
    '',
  ].join('\n'));
  expectRedaction(t, 'junos', [
    'set system host-name rtr-osa-2',
    'set snmp community {{PlantJunosSetComm}} authorization read-only',
    'set snmp trap-group {{PlantJunosSetTrap}} targets 10.0.0.51',
    'set logical-systems LS1 snmp community {{PlantJunosLsComm}} clients 10.0.0.0/8',
    'set system ntp authentication-key 1 type md5',
    'set system ntp authentication-key 1 value {{"$9$PlantJunosSetNtp"}}',
    'set system ntp server 10.0.0.52 key 1',
    'set protocols ospf area 0.0.0.0 interface ge-0/0/0.0 authentication md5 1 key {{"$9$PlantJunosOspf"}}',
    'set protocols isis interface ge-0/0/1.0 level 2 hello-authentication-key {{"$9$PlantJunosIsis"}}',
    '',
  ].join('\n'));
});

t.test('multi-line values are one unit, public blocks and free text stay', async (t) => {
  expectRedaction(t, 'fortios', [
    '#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=fadmin',
    'config vpn certificate local',
    '    edit "srv2"',
    '        set private-key {{"-----BEGIN PRIVATE KEY-----\nPlantFortiPem1\nPlantFortiPem2\n-----END PRIVATE KEY-----"}}',
    '        set certificate "-----BEGIN CERTIFICATE-----',
    'MIIBpublicCERTkept',
    '-----END CERTIFICATE-----"',
    '    next',
    'end',
    'config system ha',
    '    set password {{ENC PlantFortiHa}}',
    '    set secondary-key {{ENC PlantFortiSecondary}}',
    'end',
    '',
  ].join('\n'));
  expectRedaction(t, 'cisco-ios', [
    'hostname rtr-pki-1',
    'crypto pki certificate chain TP-self-signed-1',
    ' certificate self-signed 01',
    '  3082022B 30820194 A0030201 02020101 300D0609 2A864886 F70D0101 05050030',
    '  quit',
    'banner login ^C',
    'The password for the lab is on the wiki; key 7 is not a secret here.',
    '^C',
    'enable secret 9 {{$9$PlantPkiEnable$Hash}}',
    '',
  ].join('\n'));
});

t.test('what is not a secret keeps its meaning (over-redaction)', async (t) => {
  expectRedaction(t, 'cisco-nxos', ['no password strength-check', 'password secure-mode', 'feature tacacs+', 'username admin passphrase  lifetime 99999 warntime 14 gracetime 3', ''].join('\n'));
  expectRedaction(t, 'arista-eos', ['management security', '   password minimum length 12', '   password encryption-key common', ''].join('\n'));
  expectRedaction(t, 'junos', ['system {', '    authentication-order [ radius password ];', '    login {', '        password {', '            minimum-length 12;', '            format sha512;', '        }', '    }', '}', ''].join('\n'));
  expectRedaction(t, 'junos', ['set system authentication-order [ radius password ]', 'set system login password minimum-length 12', ''].join('\n'));
  expectRedaction(t, 'cisco-ios', [
    'service password-encryption',
    'aaa authentication login default group tacacs+ local',
    'aaa authentication enable default group tacacs+ enable',
    'snmp-server enable traps snmp authentication linkdown linkup coldstart warmstart',
    'key chain EIGRP-KEYS',
    ' key 1',
    'ntp authenticate',
    'ntp trusted-key 1',
    'ntp server 10.20.0.10 key 1 prefer',
    'crypto isakmp policy 10',
    ' authentication pre-share',
    ' hash sha256',
    'interface GigabitEthernet0/2',
    ' ip ospf authentication message-digest',
    ' standby 1 authentication md5 key-chain HSRP-KC',
    'route-map SET-COMM permit 10',
    ' set community 65001:100 additive',
    'ip community-list standard CUST permit 65001:100',
    'router bgp 65001',
    ' neighbor 192.0.2.1 send-community both',
    '',
  ].join('\n'));
});
