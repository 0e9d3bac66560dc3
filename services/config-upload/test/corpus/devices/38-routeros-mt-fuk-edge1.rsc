# 2026-11-17 07:07:07 by RouterOS 7.17
# software id = 9PLM-Q2W3
#
# model = CCR2116-12G-4S+
# serial number = HEZ0A1B2C3D4
/interface bridge
add name=lo-bridge protocol-mode=none
/interface ethernet
set [ find default-name=sfp-sfpplus1 ] comment="transit-A (BGP md5)"
set [ find default-name=sfp-sfpplus2 ] comment="transit-B"
set [ find default-name=ether1 ] comment="oob management"
/interface gre
add allow-fast-path=no ipsec-secret=Mk38001ZqJgTPv-G67TFFkiL local-address=\
    10.255.90.1 name=gre-tyo remote-address=10.255.31.1
/interface eoip
add allow-fast-path=no ipsec-secret=J0._tyMk38002Zq8oIV4cWce local-address=\
    10.255.90.1 name=eoip-lab remote-address=10.255.90.2 tunnel-id=7
/interface vlan
add interface=ether2 name=vlan900-cust vlan-id=900
/interface lte apn
add apn=corp.example.jp authentication=chap name=corp-apn password=\
    pANMk38003ZqCh8npS user=fuk-edge1
/ip ipsec profile
add dh-group=ecp256 enc-algorithm=aes-256 hash-algorithm=sha256 name=ike2-prof
/ip ipsec peer
add address=203.0.113.20/32 exchange-mode=ike2 name=tyo profile=ike2-prof
/ip ipsec identity
add auth-method=pre-shared-key peer=tyo remote-id=fqdn:tyo.example.net secret=\
    jeDgxMk38004Zq7mFOQ0MV1.i3sWzNGBk7nN.L-R
add auth-method=eap certificate=fuk-client eap-methods=eap-mschapv2 password=\
    e-k9.OMk38005Zqw5L peer=tyo username=fuk-edge1
/routing bgp template
set default as=65501 disabled=no router-id=10.255.90.1
/routing bgp connection
add as=65501 local.role=ebgp multihop=no name=transit-a output.filter-chain=\
    TRANSIT-OUT remote.address=203.0.113.81 .as=64510 tcp-md5-key=\
    Mk38006ZqES3lwhzovSa.m.fh2wLmjspFPNMEBTKrAmCwA1E7Q8Mk38007Zq templates=\
    default
add as=65501 local.role=ebgp name=transit-b remote.address=203.0.113.85 .as=\
    64511 tcp-md5-key=.vGOMk38008ZqM10R1 templates=default
add as=65501 local.address=10.255.90.1 .role=ibgp name=ibgp-tyo remote.address=\
    10.255.31.1 .as=65501 tcp-md5-key=5Mk38009Zqu41VtQs6 templates=default
/routing ospf instance
add disabled=no name=v2 router-id=10.255.90.1
add disabled=no name=v3 router-id=10.255.90.1 version=3
/routing ospf area
add disabled=no instance=v2 name=bb
add disabled=no instance=v3 name=bb6
/routing ospf interface-template
add area=bb auth=sha512 auth-id=3 auth-key=_FCMk38010Zqbt9LaIEu3mw_fVD82Vci \
    interfaces=vlan900-cust
add area=bb interfaces=lo-bridge passive
add area=bb6 interfaces=vlan900-cust
/routing filter rule
add chain=TRANSIT-OUT disabled=no rule="if (dst in 10.0.0.0/8) { reject } else \
    { accept }"
/snmp community
set [ find default=yes ] disabled=yes
add addresses=10.30.1.0/24 name=Mk38011Zq
add addresses=10.30.1.0/24 authentication-password=jnMk38012ZqvkD4OAA \
    authentication-protocol=SHA256 encryption-password=O9x9Mk38013ZqjOtHf \
    encryption-protocol=AES256 name=nms-fuk security=private
/ip address
add address=10.255.90.1 interface=lo-bridge network=10.255.90.1
add address=203.0.113.82/30 interface=sfp-sfpplus1 network=203.0.113.80
add address=203.0.113.86/30 interface=sfp-sfpplus2 network=203.0.113.84
add address=10.30.0.190/24 interface=ether1 network=10.30.0.0
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www-ssl certificate=webfig disabled=no
/ip ssh
set strong-crypto=yes
/radius
add address=10.30.5.21 require-message-auth=yes-for-request-resp secret=\
    mCKP9jMk38014Zq2m1 service=login
/snmp
set enabled=yes trap-community=Mk38015Zq trap-target=10.30.1.30 trap-version=2
/system identity
set name=mt-fuk-edge1
/system ntp client
set enabled=yes
/system ntp client servers
add address=10.30.1.123
/system ntp key
add key=Mk38016Zqd8g4XITSzWo key-id=1
/system script
add dont-require-permissions=no name=cloud-backup owner=admin policy=\
    read,write,test,sensitive source=":local pass \
    \"3Mk38017ZqOylLsZqE\"\r\n/system backup save name=edge encryption=\
    aes-sha256 password=\$pass\r\n/tool fetch url=\
    \"ftp://10.30.1.81/backup/edge.backup\" user=mtbackup password=\
    \"Mk38018Zq4p_Ho1FNl\" src-path=edge.backup upload=yes mode=ftp"
/user aaa
set default-group=read use-radius=yes
