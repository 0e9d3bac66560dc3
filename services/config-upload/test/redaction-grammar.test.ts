// The leak classes of issue 12, each as the router writes it: every one of these let a secret
// through with the regex rules it replaced (the wrong word tagged, a sub-mode not seen, an option
// inside a string, a continuation line, a secret by role). The output must be the config with
// exactly the marked values tagged, and nothing else changed.
import t from 'tap';
import { detectVendor } from '@netsidecar/config-upload';
import { expectRedaction, redactor, split } from './support/redact-case.js';

t.test('option words between the command and the value (class 1)', async (t) => {
  expectRedaction(
    t,
    'cisco-ios',
    [
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
    ].join('\n'),
  );
  expectRedaction(
    t,
    'arista-eos',
    [
      'snmp-server user v3user v3group v3 localized 80000001020304 auth sha512 {{PlantEosAuth}} priv aes256 {{PlantEosPrivAes256}}',
      'snmp-server host 10.0.0.45 vrf MGMT traps version 2c {{PlantEosVrfComm}}',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'cisco-nxos',
    [
      'snmp-server user admin network-admin auth md5 {{0xPlantNxAuth}} priv aes-128 {{0xPlantNxPriv}} localizedkey',
      'snmp-server host 10.0.0.46 traps version 2c {{PlantNxTrapComm}} udp-port 162',
      'snmp-server host 10.0.0.46 use-vrf management',
      'username admin password 5 {{$5$PlantNxSalt$PlantNxHash}}  role network-admin',
      'tacacs-server host 10.0.0.20 key 7 {{"PlantNxQuoted Key"}} port 49',
      '',
    ].join('\n'),
  );
});

t.test('secrets in sub-modes and indented forms (class 2)', async (t) => {
  expectRedaction(
    t,
    'cisco-iosxr',
    [
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
    ].join('\n'),
  );
  expectRedaction(
    t,
    'cisco-ios',
    [
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
    ].join('\n'),
  );
  expectRedaction(
    t,
    'cisco-nxos',
    [
      'interface Vlan20',
      '  hsrp 20',
      '    authentication text {{PlantNxHsrpText}}',
      '  vrrp 21',
      '    authentication text {{PlantNxVrrpText}}',
      'router bgp 65001',
      '  neighbor 192.0.2.10',
      '    password 3 {{PlantNxBgp3}}',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'arista-eos',
    [
      'interface Vlan30',
      '   vrrp 1 peer authentication text {{PlantEosVrrpPeer}}',
      '   vrrp 2 peer authentication ietf-md5 key-string 7 {{PlantEosVrrpMd5}}',
      'router isis CORE',
      '   authentication key 7 {{PlantEosIsis}} level-2',
      '',
    ].join('\n'),
  );
});

t.test('options inside argument strings (class 3)', async (t) => {
  expectRedaction(
    t,
    'arista-eos',
    [
      'daemon TerminAttr',
      '   exec /usr/bin/TerminAttr -cvaddr=apiserver.arista.io:443 -cvauth=key,{{PlantCvKey}} -cvvrf=MGMT -taillogs',
      '   no shutdown',
      'daemon Other',
      '   exec /usr/bin/TerminAttr -cvauth=token,/tmp/token -cvpassword={{PlantCvPass}}',
      '',
    ].join('\n'),
  );
});

t.test('RouterOS continuation lines and attribute names (class 4)', async (t) => {
  expectRedaction(
    t,
    'mikrotik',
    [
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
    ].join('\n'),
  );
});

t.test('secrets by role: Junos SNMP community and trap-group names (class 5)', async (t) => {
  expectRedaction(
    t,
    'junos',
    [
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
    ].join('\n'),
  );
  expectRedaction(
    t,
    'junos',
    [
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
    ].join('\n'),
  );
});

t.test('multi-line values are one unit, public blocks and free text stay', async (t) => {
  expectRedaction(
    t,
    'fortios',
    [
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
    ].join('\n'),
  );
  expectRedaction(
    t,
    'cisco-ios',
    [
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
    ].join('\n'),
  );
});

t.test('what is not a secret keeps its meaning (over-redaction)', async (t) => {
  expectRedaction(
    t,
    'cisco-nxos',
    ['no password strength-check', 'password secure-mode', 'feature tacacs+', 'username admin passphrase  lifetime 99999 warntime 14 gracetime 3', ''].join(
      '\n',
    ),
  );
  expectRedaction(t, 'arista-eos', ['management security', '   password minimum length 12', '   password encryption-key common', ''].join('\n'));
  expectRedaction(
    t,
    'junos',
    [
      'system {',
      '    authentication-order [ radius password ];',
      '    login {',
      '        password {',
      '            minimum-length 12;',
      '            format sha512;',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  expectRedaction(t, 'junos', ['set system authentication-order [ radius password ]', 'set system login password minimum-length 12', ''].join('\n'));
  expectRedaction(
    t,
    'cisco-ios',
    [
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
    ].join('\n'),
  );
});

// Forms found by the independent leak corpus (test/corpus/): each now known to its vendor's file.
t.test('corpus forms, Cisco IOS / IOS-XE', async (t) => {
  expectRedaction(
    t,
    'cisco-ios',
    [
      'event manager environment _backup_pass {{PlantEemPass}}',
      'event manager environment _backup_host 10.0.0.9',
      'interface GigabitEthernet0/1',
      ' ipv6 ospf encryption ipsec spi 300 esp aes-cbc 128 {{E57C0FFEE016B5D3EF04676D8FFD56AB}} sha1 {{C0FFEE01718971E518292EAB01FDDD1B1E599780}}',
      ' ipv6 ospf authentication ipsec spi 256 sha1 {{D3FF0C0FFEE30D968ACA2BED180A59D805448701}}',
      'ipv6 router ospf 10',
      ' area 0 authentication ipsec spi 500 md5 {{9003F4C0FFEE19E3702F0A360FAA5C12}}',
      'router eigrp NAMED',
      ' address-family ipv4 unicast autonomous-system 200',
      '  af-interface default',
      '   authentication mode hmac-sha-256 7 {{13C0FFEE1804CA8D6E}}',
      'snmp-server community {{PlantSnmpAclComm}} RO 6 ipv6 SNMPV6',
      'mpls ldp password required',
      'mpls ldp password option 1 for LDP-PEERS key-chain LDP-KEYS',
      'mpls ldp password option 2 for LDP-OTHERS 7 {{03C0FFEE22BAB1}}',
      'mpls ldp neighbor 10.255.30.2 password 7 {{03C0FFEE2BAB12}}',
      'mpls ldp neighbor 10.255.30.3 password {{PlantLdpNeighbor}}',
      'mpls ldp password fallback 7 {{07C0FFEE04A7B1}}',
      'snmp-server host 10.20.1.33 informs version 3 priv nmsv3',
      'interface Dot11Radio0',
      ' encryption vlan 40 key 1 size 128bit 7 {{CC0FFEE007DA266C900C2C1AF}} transmit-key',
      ' encryption vlan 40 mode wep mandatory',
      'radius-server local',
      '  nas 10.60.10.5 key 7 {{11C0FFEE10A93932}}',
      '  user jdoe nthash 7 {{F2DA4BC0FFEE118D65C5AEEA70DCA42E6DEC56}} group LOBBY',
      'crypto ikev2 proposal P1',
      ' encryption aes-cbc-256',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, NX-OS', async (t) => {
  expectRedaction(
    t,
    'cisco-nxos',
    [
      'username disabled-user password 5 !  role network-operator',
      'scheduler aaa-authentication username svc-sched password 7 {{PlantSchedPw}}',
      'ip msdp password 10.255.50.2 3 {{fc0ffee1301408a76}}',
      'interface Ethernet1/1',
      '  bfd authentication keyed-sha1 key-id 1 key {{PlantBfdKey}}',
      '  bfd authentication meticulous-keyed-md5 key-id 2 hex-key {{3ec0ffee3018fded2f6c390661666c58}}',
      '  ip pim hello-authentication ah-md5 3 {{c0ffee11022bd2d18}}',
      '  isis authentication-type md5 level-2',
      '  isis authentication key-chain ISIS-CHAIN level-2',
      'interface Vlan10',
      '  glbp 10',
      '    authentication md5 key-string {{PlantGlbpMd5}}',
      '  glbp 11',
      '    authentication text {{PlantGlbpText}}',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, IOS-XR', async (t) => {
  expectRedaction(
    t,
    'cisco-iosxr',
    [
      'mpls ldp',
      ' neighbor',
      '  password encrypted {{02C0FFEE162283EF}}',
      '  10.255.30.1:0 password encrypted {{11C0FFEE173643}}',
      '  10.255.30.2:0 password disable',
      '!',
      'aaa group server tacacs+ TAC',
      ' server-private 10.20.1.10 port 49',
      '  key 7 {{03C0FFEE0321426F}}',
      '!',
      'router isis CORE',
      ' interface HundredGigE0/0/0/1',
      '  hello-password hmac-md5 encrypted {{15C0FFEE14750D}} level 2',
      '  lsp-password keychain ISIS-HELLO level 2',
      '  hello-password keychain ISIS-HELLO',
      '!',
      'snmp-server vrf MGMT',
      ' host 10.30.1.32 traps version 3 priv nms-fuk udp-port 1162',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, Arista EOS', async (t) => {
  expectRedaction(
    t,
    'arista-eos',
    [
      'daemon TerminAttr',
      '   exec /usr/bin/TerminAttr -cvopt DC1.addr=10.20.1.100:9910 -cvopt DC1.auth=key,{{PlantCvOptKey}} -cvopt DC2.auth=token,/tmp/token-dc2 -cvopt DC2.vrf=MGMT -taillogs',
      '   no shutdown',
      'interface Ethernet1/1',
      '   isis authentication mode sha key-id 2',
      '   isis authentication key-id 2 algorithm sha-256 key 7 {{PlantEosIsisSha==}}',
      '   isis authentication mode md5',
      '   isis authentication key 7 {{PlantEosIsisMd5==}}',
      'mac security',
      '   profile MACSEC-DCI',
      '      cipher aes256-gcm-xpn',
      '      key 0123 7 {{00C0FFEE076866CB}}',
      '      key 0124 7 {{05C0FFEE08F12E}} fallback',
      'ip security',
      '   profile DCI-PROFILE',
      '      shared-key 7 {{02C0FFEE09319E30}}',
      'dot1x',
      '   supplicant profile UPLINK-SUPP',
      '      passphrase 7 {{00C0FFEE05E959}}',
      'router bgp 65000',
      '   neighbor EVPN-OVERLAY password shared-secret profile BGP-PROFILE algorithm aes-128-cmac-96',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, Junos', async (t) => {
  expectRedaction(
    t,
    'junos',
    [
      'security {',
      '    ipsec {',
      '        vpn MANUAL-VPN {',
      '            manual {',
      '                authentication {',
      '                    algorithm hmac-sha-256-128;',
      '                    key ascii-text {{"$9$PlantManualAuth"}}; ## SECRET-DATA',
      '                }',
      '                encryption {',
      '                    algorithm aes-256-cbc;',
      '                    key ascii-text {{"$9$PlantManualEnc"}}; ## SECRET-DATA',
      '                }',
      '            }',
      '        }',
      '    }',
      '    certificates {',
      '        local {',
      '            rtr-1 {{"-----BEGIN RSA PRIVATE KEY-----\\nPlantJunosPemBody\\n-----END RSA PRIVATE KEY-----\\n"}}; ## SECRET-DATA',
      '        }',
      '    }',
      '}',
      'access {',
      '    profile SUBS {',
      '        radius-server {',
      '            10.0.0.5 {',
      '                shared-secret {{"$9$PlantSharedSecret"}}; ## SECRET-DATA',
      '            }',
      '        }',
      '        authentication-order radius;',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'junos',
    [
      'set system host-name rtr-x',
      'set access profile PPP default-chap-secret {{"$9$PlantChap"}}',
      'set access group-profile G ppp local-password {{"$9$PlantLocalPw"}}',
      'set access profile P radius options default-password {{"$9$PlantDefaultPw"}}',
      'set security macsec connectivity-association CA-CORE pre-shared-key cak {{"$9$PlantCak"}}',
      'set security macsec connectivity-association CA-CORE pre-shared-key ckn 1a2b3c4d5e6f7081',
      'set security authentication-key-chains key-chain BGP-TCPAO key 1 ao-attribute send-id 1 recv-id 1',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, RouterOS', async (t) => {
  expectRedaction(
    t,
    'mikrotik',
    [
      '# 2026-11-22 22:58:01 by RouterOS 7.15.3',
      '/interface wifi',
      'set [ find default-name=wifi1 ] configuration.ssid=OSA \\',
      '    security.authentication-types=wpa2-psk,wpa3-psk .passphrase=\\',
      '    {{PlantWifiPass}}',
      '/interface wireless',
      'set [ find default-name=wlan1 ] ssid=PTP nv2-preshared-key={{PlantNv2Psk}} nv2-security=enabled',
      '/system ntp key',
      'add key={{PlantNtpKey}} key-id=1',
      '/system script',
      'add name=backup owner=admin policy=read,write source=":local pass \\"{{PlantScriptVar}}\\"\\r\\n/system backup save name=b password=\\$pass\\r\\n/tool fetch url=\\"ftp://10.0.0.9/b\\" user=u password=\\"{{PlantScriptFetch}}\\" upload=yes"',
      '/radius',
      'add address=10.0.0.5 require-message-auth=yes-for-request-resp secret={{PlantRadius}} service=login',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, FortiOS', async (t) => {
  expectRedaction(
    t,
    'fortios',
    [
      '#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=fadmin',
      'config system global',
      '    set admin-ssh-password enable',
      'end',
      'config system password-policy',
      '    set reuse-password disable',
      'end',
      'config system modem',
      '    set passwd1 {{ENC PlantModemPw}}',
      'end',
      'config system sdn-connector',
      '    edit "aws"',
      '        set secret-key {{ENC PlantAwsSecret}}',
      '    next',
      'end',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, PAN-OS XML and set', async (t) => {
  expectRedaction(
    t,
    'panos',
    [
      '<?xml version="1.0"?>',
      '<config version="11.1.0">',
      '  <mgt-config>',
      '    <users>',
      '      <entry name="admin">',
      '        <phash>{{$5$PlantSalt$PlantPanosHash}}</phash>',
      '      </entry>',
      '    </users>',
      '    <password-complexity>',
      '      <password-change-period-block>1</password-change-period-block>',
      '    </password-complexity>',
      '  </mgt-config>',
      '  <shared>',
      '    <server-profile>',
      '      <radius>',
      '        <entry name="ISE">',
      '          <server>',
      '            <entry name="ise1">',
      '              <secret>{{-AQ==PlantPanosRadius=}}</secret>',
      '            </entry>',
      '          </server>',
      '        </entry>',
      '      </radius>',
      '    </server-profile>',
      '    <log-settings>',
      '      <snmptrap>',
      '        <entry name="NMS">',
      '          <version>',
      '            <v2c>',
      '              <server>',
      '                <entry name="nms1">',
      '                  <manager>10.20.1.30</manager>',
      '                  <community>{{PlantPanosTrapComm}}</community>',
      '                </entry>',
      '              </server>',
      '            </v2c>',
      '            <v3>',
      '              <server>',
      '                <entry name="nms2">',
      '                  <user>nmsv3</user>',
      '                  <authpwd>{{-AQ==PlantPanosAuthPwd=}}</authpwd>',
      '                  <privpwd>{{-AQ==PlantPanosPrivPwd=}}</privpwd>',
      '                </entry>',
      '              </server>',
      '            </v3>',
      '          </version>',
      '        </entry>',
      '      </snmptrap>',
      '    </log-settings>',
      '  </shared>',
      '  <login-banner>Do not share passwords or keys.</login-banner>',
      '  <comment>trust - secret-lab VLAN lives elsewhere</comment>',
      '  <certificate>',
      '    <entry name="gp">',
      '      <private-key>{{-----BEGIN RSA PRIVATE KEY-----\nPlantPanosPem\n-----END RSA PRIVATE KEY-----}}</private-key>',
      '    </entry>',
      '  </certificate>',
      '  <ike>',
      '    <gateway>',
      '      <entry name="GW-OSA">',
      '        <authentication>',
      '          <pre-shared-key>',
      '            <key>{{-AQ==PlantPanosPsk=}}</key>',
      '          </pre-shared-key>',
      '        </authentication>',
      '      </entry>',
      '    </gateway>',
      '  </ike>',
      '</config>',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'panos',
    [
      'set deviceconfig system hostname fw-osa-pa2',
      'set deviceconfig system ntp-servers primary-ntp-server authentication-type symmetric-key algorithm md5 authentication-key {{-AQ==PlantPanosNtp=}}',
      'set deviceconfig system ntp-servers primary-ntp-server authentication-type symmetric-key key-id 2',
      'set shared log-settings snmptrap NMS-OSA version v2c server nms1 manager 10.30.1.30',
      'set shared log-settings snmptrap NMS-OSA version v2c server nms1 community {{PlantPanosSetComm}}',
      'set network tunnel ipsec TUN-TYO auto-key ike-gateway GW-TYO',
      'set network ike gateway GW-TYO authentication pre-shared-key key {{-AQ==PlantPanosSetPsk=}}',
      'set network virtual-router default protocol ospf auth-profile OSPF-MD5 md5 1 key {{-AQ==PlantPanosOspf=}}',
      'set network virtual-router default protocol ospf auth-profile OSPF-MD5 md5 1 preferred yes',
      '',
    ].join('\n'),
  );
});

t.test('corpus forms, F5 BIG-IP', async (t) => {
  const basic = Buffer.from('monitor:PlantF5Basic').toString('base64');
  expectRedaction(
    t,
    'f5',
    [
      '#TMSH-VERSION: 17.1.1.3',
      '',
      'auth password-policy {',
      '    password-memory 6',
      '}',
      'auth radius-server /Common/system_auth_name1 {',
      '    secret {{$M$FQ$PlantF5Radius==}}',
      '}',
      'auth user admin {',
      '    encrypted-password {{$6$salt$PlantF5User}}',
      '}',
      'ltm monitor http /Common/legacy-http {',
      `    send "GET /status HTTP/1.1\\r\\nHost: legacy.example.net\\r\\nAuthorization: Basic {{${basic}}}\\r\\nConnection: close\\r\\n\\r\\n"`,
      '}',
      'net ipsec ike-peer /Common/peer1 {',
      '    preshared-key-encrypted {{$M$lG$PlantF5Ike==}}',
      '}',
      'sys snmp {',
      '    traps {',
      '        /Common/nms-trap {',
      '            community {{PlantF5TrapComm}}',
      '            host 10.20.1.30',
      '        }',
      '        /Common/nms-trap-v3 {',
      '            auth-password-encrypted {{$M$MY$PlantF5V3Auth==}}',
      '            privacy-password-encrypted {{$M$xS$PlantF5V3Priv==}}',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
});

t.test('the allow list: statements with secret words and no secret keep their meaning', async (t) => {
  expectRedaction(
    t,
    'cisco-ios',
    [
      'ip ssh server algorithm authentication publickey password keyboard',
      'snmp-server host 10.20.1.31 version 3 priv nms-aes',
      'crypto ikev2 profile IKEV2-PROFILE',
      ' authentication remote pre-share',
      ' authentication local pre-share',
      'dot1x credentials SUPPLICANT-CREDS',
      ' username sw-1',
      ' password 7 {{10C0FFEE06245709}}',
      'interface GigabitEthernet1/0/1',
      ' authentication port-control auto',
      ' authentication periodic',
      ' dot1x credentials SUPPLICANT-CREDS',
      ' isis authentication mode md5',
      ' isis authentication key-chain ISIS-KEYS',
      ' mka pre-shared-key key-chain MACSEC-KC',
      'dot11 ssid LOBBY-CORP',
      '   authentication open eap eap_methods',
      '   authentication network-eap eap_methods',
      '   authentication key-management wpa version 2',
      'radius-server local',
      '  no authentication eapfast',
      '  no authentication mac',
      'crypto pki certificate chain CORP-CA',
      'route-map SECRET-ROUTES-IN permit 10',
      'description server-lan secret-zone (name only)',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'cisco-nxos',
    [
      'feature password encryption aes',
      'userpassphrase min-length 12 max-length 64',
      'radius-server host 10.20.5.21 authentication accounting',
      'radius-server host 10.20.5.22 key 7 {{"xP7oPlantNx"}} authentication accounting',
      'ntp server 10.20.1.123 prefer use-vrf management key 1',
      'ntp server 10.20.1.124 key 7 use-vrf management',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'cisco-iosxr',
    [
      'aaa authentication subscriber default group BNG-RAD',
      'ntp',
      ' server vrf MGMT 10.20.1.123 key 1 prefer',
      'interface HundredGigE0/0/0/1',
      ' macsec psk-keychain MACSEC-CORE fallback-psk-keychain MACSEC-CORE policy MACSEC-256',
      'route-policy PASS',
      '  pass',
      'end-policy',
      'router bgp 65000',
      ' neighbor 10.0.0.1',
      '  address-family ipv4 unicast',
      '   route-policy PASS in',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'arista-eos',
    [
      'aaa authentication policy local allow-nopassword-remote-login',
      'dot1x',
      '   mac based authentication delay 30 seconds',
      'interface Ethernet1',
      '   dot1x authentication failure action traffic allow vlan 110',
      '   dot1x mac based authentication always',
      'management security',
      '   ssl profile CVAAS',
      '      certificate cvaas.crt key cvaas.key',
      'router bgp 65000',
      '   session shared-secret profile BGP-PROFILE',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'junos',
    [
      'set system host-name rtr-x',
      'set access firewall-authentication pass-through default-profile FW-USERS',
      'set interfaces ge-0/0/9 description "key customer link - CUST-B"',
      'set system ntp server 10.30.1.123 key 8',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'fortios',
    [
      '#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=fadmin',
      'config system password-policy',
      '    set apply-to admin-password ipsec-preshared-key',
      'end',
      'config router ospf',
      '    config ospf-interface',
      '        edit "wan"',
      '            set authentication md5',
      '        next',
      '    end',
      'end',
      'config wireless-controller vap',
      '    edit "kix-corp"',
      '        set auth radius',
      '    next',
      'end',
      'config system modem',
      '    set passwd-time 2026-11-01 00:00:00',
      'end',
      '',
    ].join('\n'),
  );
  expectRedaction(
    t,
    'f5',
    [
      '#TMSH-VERSION: 16.1.4.1',
      'auth password-policy {',
      '    minimum-length 12',
      '}',
      'auth radius /Common/system-auth {',
      '    servers { /Common/system_auth_name1 }',
      '}',
      'auth remote-role {',
      '}',
      'auth source {',
      '    type radius',
      '}',
      'auth tacacs /Common/system-auth {',
      '    secret {{$M$Ab$PlantF5Tacacs==}}',
      '}',
      'auth user operator {',
      '    role operator',
      '}',
      '',
    ].join('\n'),
  );
});

t.test('vendor detection: PAN-OS and F5 by their own markers, and an unknown config is read by every family', async (t) => {
  t.equal(detectVendor('<?xml version="1.0"?>\n<config version="11.1.0" urldb="paloaltonetworks">\n  <mgt-config>\n'), 'panos');
  t.equal(detectVendor('set deviceconfig system hostname fw-osa-pa2\nset deviceconfig system ip-address 10.30.0.121\n'), 'panos');
  t.equal(detectVendor('#TMSH-VERSION: 17.1.1.3\n\nauth password-policy {\n}\n'), 'f5');
  t.equal(detectVendor('ltm virtual /Common/vs1 {\n    destination /Common/10.0.0.1:443\n}\n'), 'f5');
  t.equal(detectVendor('set system host-name rtr-1\nset snmp community x\n'), 'junos', 'Junos `set` is not PAN-OS `set`');
  t.equal(detectVendor('frob\nwidget\n'), 'unknown');
  // one file with a line of every family: as `unknown`, every family's reader takes its own
  const mixed = [
    'username admin secret 9 {{$9$PlantMixIos$Hash}}',
    'tacacs server T',
    ' key 7 {{PlantMixTacacs}}',
    'set snmp community {{PlantMixJunosComm}} authorization read-only',
    '/ppp secret',
    'add name=u1 password={{PlantMixRos}}',
    'config system admin',
    '    edit "a"',
    '        set password {{ENC PlantMixForti}}',
    '    next',
    'end',
    'set mgt-config users admin phash {{$5$PlantMixPan$Hash}}',
    '',
  ].join('\n');
  const { input } = split(mixed);
  const out = redactor.redact(input, 'unknown');
  t.notOk(/PlantMix/.test(out.text), `no value left: ${out.text}`);
});
