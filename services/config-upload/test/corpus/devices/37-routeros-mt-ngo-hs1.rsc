# nov/20/2026 04:12:33 by RouterOS 6.49.15
# software id = 2R4K-TT9B
#
# model = RB4011iGS+
# serial number = D4E60A1B2C3D
/interface bridge
add name=bridge-subs
/interface ethernet
set [ find default-name=ether1 ] comment="WAN - ISP"
set [ find default-name=sfp-sfpplus1 ] comment="PPPoE access ring"
/interface pppoe-server server
add authentication=chap,mschap2 default-profile=subs disabled=no interface=\
    sfp-sfpplus1 service-name=ngo-bb
/interface l2tp-server server
set authentication=mschap2 enabled=yes ipsec-secret=Mk37001Zq4_NFCtkfRATlFJr \
    use-ipsec=required
/interface sstp-server server
set authentication=mschap2 certificate=sstp-cert enabled=yes
/interface ovpn-client
add certificate=none cipher=aes256 connect-to=198.51.100.90 name=ovpn-noc \
    password=EhmMk37002ZqAw0fUy user=ngo-hs1
/interface list
add name=WAN
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
/ip hotspot profile
add hotspot-address=10.50.80.1 login-by=http-chap name=hs-ngo use-radius=yes
/ip hotspot user profile
set [ find default=yes ] shared-users=2
/ip ipsec peer
add address=203.0.113.20/32 auth-method=pre-shared-key dh-group=modp2048 \
    enc-algorithm=aes-256 exchange-mode=main-l2tp-compatible generate-policy=\
    port-override hash-algorithm=sha256 secret=XqMk37003ZqXd10874QMlq4uxJdXf5b8
add address=0.0.0.0/0 auth-method=pre-shared-key-xauth generate-policy=\
    port-strict passive=yes secret=pmMk37004ZqLB0iA_L8A_ooCi2J-dQSS \
    xauth-login=ngo xauth-password=zq7AJaMk37005Zqxh0
/ip pool
add name=pool-subs ranges=100.64.80.10-100.64.95.250
/ppp profile
add dns-server=10.50.1.53 local-address=100.64.80.1 name=subs remote-address=\
    pool-subs use-encryption=yes
/routing bgp instance
set default as=65401 router-id=10.255.80.1
/routing ospf instance
set [ find default=yes ] router-id=10.255.80.1
/snmp community
set [ find default=yes ] addresses=10.50.1.0/24 name=Mk37006Zq
add addresses=10.50.1.5/32 name=Mk37007Zq write-access=yes
add authentication-password=oUMk37008ZqiGKTQ7A authentication-protocol=SHA1 \
    encryption-password=bMk37009ZqjVgMlOPj encryption-protocol=DES name=\
    nms-ngo security=private
/tool user-manager customer
set admin access=own-routers,own-users,own-profiles,own-limits,config-payment-g\
    w password=Mk37010ZqRH1RIJuvL
/ip address
add address=10.50.80.1/22 interface=bridge-subs network=10.50.80.0
add address=198.51.100.10/29 interface=ether1 network=198.51.100.8
/ip dns
set allow-remote-requests=yes servers=10.50.1.53
/ip hotspot
add address-pool=pool-subs disabled=no interface=bridge-subs name=hs1 profile=\
    hs-ngo
/ip hotspot user
add name=admin-test password=Mk37011ZqXJwkWCeqT
/ip route
add distance=1 gateway=198.51.100.9
/ppp aaa
set use-radius=yes
/ppp secret
add local-address=100.64.80.1 name=static-cust-101 password=swpMk37012ZqG1.AFk \
    profile=subs remote-address=100.64.80.101 service=pppoe
add name=static-cust-102 password=Mk37013ZqxSbQN6DK1 profile=subs service=pppoe
add name=l2tp-noc password=2Mk37014ZqN6wY.NV1 service=l2tp
/radius
add address=10.50.5.21 secret=4jP.RiMk37015Zq-0I service=ppp,hotspot,login
add accounting-backup=yes address=10.50.5.22 secret=MwxSIIMk37016ZqIdb service=\
    ppp,hotspot
/radius incoming
set accept=yes
/routing bgp peer
add in-filter=transit-in name=transit remote-address=198.51.100.9 remote-as=\
    64530 tcp-md5-key=T0Mk37017Zqfz7ddJA ttl=default
/routing ospf interface
add authentication=md5 authentication-key=EP2FMk37018ZqdMu \
    authentication-key-id=1 interface=bridge-subs network-type=broadcast
/routing ospf network
add area=backbone network=10.50.80.0/22
/snmp
set contact=noc@example.net enabled=yes trap-community=Mk37019Zq trap-target=\
    10.50.1.30 trap-version=2
/system identity
set name=mt-ngo-hs1
/system logging action
set 3 remote=10.50.1.40
/system ntp client
set enabled=yes primary-ntp=10.50.1.123
/tool e-mail
set address=10.50.1.25 from=mt-ngo-hs1@example.net password=N9Mk37020Zqppi212W \
    port=587 start-tls=yes user=mt-alerts
/tool user-manager database
set db-path=user-manager
/tool user-manager router
add coa-port=1700 customer=admin disabled=no ip-address=127.0.0.1 log=\
    auth-fail name=local shared-secret=FgYGQHMk37021ZqcE6 use-coa=yes
