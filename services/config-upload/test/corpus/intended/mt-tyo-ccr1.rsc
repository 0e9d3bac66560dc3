# software id = 7KQ2-N8ZD
#
# model = CCR2004-1G-12S+2XS
# serial number = HEB08A7T3QK
/interface bridge
add admin-mac=48:A9:8A:10:20:30 auto-mac=no comment="LAN bridge - key \
    customers (planned)" name=bridge-lan vlan-filtering=yes
/interface ethernet
set [ find default-name=sfp-sfpplus1 ] comment="uplink to rtr-tyo-core1" l2mtu=\
    9092 mtu=9000
set [ find default-name=sfp-sfpplus2 ] comment="uplink to rtr-osa-mx1"
/interface wireguard
add comment="site-to-site to mt-osa-hap1" listen-port=13231 mtu=1420 name=\
    wg-osa private-key="4RhUJGMk35001InwDdgeArzmreUxx/GTmDZARLr8dzj="
add comment="road warriors" listen-port=13232 mtu=1420 name=wg-users \
    private-key="tMk35002In0XGGhHRxh5PARqVjVWZDKImdR4qqH0e4H="
/interface vlan
add interface=bridge-lan name=vlan100-mgmt vlan-id=100
add interface=bridge-lan name=vlan110-users vlan-id=110
/interface vrrp
add authentication=simple interface=vlan110-users name=vrrp110 password=\
    Mk35003In priority=200 vrid=110
add authentication=ah interface=vlan100-mgmt name=vrrp100 password=Mk35004In \
    vrid=100
/interface l2tp-client
add connect-to=203.0.113.60 ipsec-secret=SqXMk35005InChsPP45PMZCs name=l2tp-dr \
    password=rMk35006InAgDu3fMT use-ipsec=yes user=tyo-ccr1
/interface pppoe-client
add add-default-route=yes disabled=no interface=sfp-sfpplus12 name=\
    pppoe-backup password=Mk35007Ink5S4kTjpW user=tyo-ccr1@isp.example.jp
/interface list
add name=WAN
add name=LAN
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
/ip ipsec profile
add dh-group=modp2048 enc-algorithm=aes-256 hash-algorithm=sha256 name=IKE-DC
/ip ipsec peer
add address=203.0.113.20/32 exchange-mode=ike2 name=DC-TYO profile=IKE-DC
add address=203.0.113.30/32 exchange-mode=ike2 name=DC-OSA profile=IKE-DC
/ip ipsec proposal
set [ find default=yes ] auth-algorithms=sha256 enc-algorithms=aes-256-cbc \
    pfs-group=modp2048
/ip pool
add name=pool-users ranges=10.110.0.100-10.110.0.200
/ip dhcp-server
add address-pool=pool-users interface=vlan110-users name=dhcp-users
/routing bgp template
set default as=65301 disabled=no router-id=10.255.31.1
/routing ospf instance
add disabled=no name=ospf-core router-id=10.255.31.1
/routing ospf area
add disabled=no instance=ospf-core name=backbone
/snmp community
set [ find default=yes ] disabled=yes
add addresses=10.20.1.0/24 name=Mk35008In
add addresses=10.20.1.5/32 name=Mk35009In write-access=yes
add addresses=10.20.1.0/24 authentication-password=PiqMk35010In5FTD60 \
    authentication-protocol=SHA1 encryption-password=2GgvgmMk35011InGxF \
    encryption-protocol=AES name=nmsv3 security=private
/interface bridge port
add bridge=bridge-lan interface=sfp-sfpplus3
/ip address
add address=10.255.31.1 interface=lo network=10.255.31.1
add address=10.110.0.2/24 interface=vlan110-users network=10.110.0.0
add address=10.20.100.31/24 interface=vlan100-mgmt network=10.20.100.0
/ip dhcp-server network
add address=10.110.0.0/24 dns-server=10.20.1.53 gateway=10.110.0.1
/ip dns
set servers=10.20.1.53
/ip firewall filter
add action=accept chain=input comment="allow established" connection-state=\
    established,related
add action=accept chain=input comment="allow IKE + IPsec ESP" dst-port=\
    500,4500 protocol=udp
add action=drop chain=input comment="drop everything else from WAN" \
    in-interface-list=WAN
/ip ipsec identity
add auth-method=pre-shared-key peer=DC-TYO secret=\
    t0omwMk35012In2nU-0lLsKcFHqJmTEn
add auth-method=pre-shared-key peer=DC-OSA secret=\
    fhMk35013IniV15dAceG9760ojjvfrlV
/ip ipsec policy
add dst-address=10.20.0.0/16 peer=DC-TYO src-address=10.110.0.0/24 tunnel=yes
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www disabled=yes
set api disabled=yes
set api-ssl certificate=api-cert
/ppp secret
add name=roadwarrior1 password=5V9KMk35014InZMi0U profile=default-encryption \
    service=l2tp
add name=roadwarrior2 password=KJhMk35015InV7aDSG profile=default-encryption \
    service=l2tp
/radius
add address=10.20.5.21 secret=CnSPGMk35016In9.Hg service=login,ppp timeout=3s
add address=10.20.5.22 secret=q3DGMk35017InZpCLb service=login,ppp
/routing bgp connection
add as=65301 local.role=ebgp name=transit-a remote.address=203.0.113.61 .as=\
    64500 tcp-md5-key=wEkKMk35018InuR91U templates=default
add as=65301 local.address=10.255.31.1 .role=ibgp name=ibgp-rr1 remote.address=\
    10.255.31.9 .as=65301 tcp-md5-key=tG9OU-Mk35019In-fe templates=default
/routing ospf interface-template
add area=backbone auth=md5 auth-id=1 auth-key=Mk35020InHqPKh1u interfaces=\
    sfp-sfpplus1 type=ptp
add area=backbone auth=sha256 auth-id=2 auth-key=XWA0Mk35021In_2I interfaces=\
    sfp-sfpplus2 type=ptp
add area=backbone interfaces=lo passive
/snmp
set contact=noc@example.net enabled=yes location="Tokyo DC1 row 2" \
    trap-community=Mk35022In trap-generators=interfaces trap-target=10.20.1.30 \
    trap-version=2
/system clock
set time-zone-name=Asia/Tokyo
/system identity
set name=mt-tyo-ccr1
/system logging action
add name=remote remote=10.20.1.40 target=remote
/system ntp client
set enabled=yes
/system ntp client servers
add address=10.20.1.123
/system scheduler
add interval=1d name=nightly-backup on-event=backup-upload policy=\
    ftp,read,write,policy,test,sensitive start-time=03:00:00
/system script
add dont-require-permissions=no name=backup-upload owner=admin policy=\
    ftp,read,write,policy,test,sensitive source="/export show-sensitive file=\
    cfg\r\n:delay 5s\r\n/tool fetch url=\
    \"http://10.20.0.80/configs/mt-tyo-ccr1.rsc\" user=rtr-upload password=\
    TYd83Mk35023InpDk9 http-method=put src-path=cfg.rsc upload=yes\r\n/tool \
    fetch url=\"sftp://backup:Mk35024InYBSG8v7E1@10.20.1.80/mt/mt-tyo-ccr1.rsc\\
    " src-path=cfg.rsc upload=yes"
/tool e-mail
set from=mt-tyo-ccr1@example.net password=17UMk35025Inb8sn9L port=587 server=\
    10.20.1.25 tls=starttls user=mt-alerts
/tool netwatch
add comment="probe DC core" host=10.20.1.1 interval=30s
/user aaa
set use-radius=yes
/interface wireguard peers
add allowed-address=10.99.31.2/32 interface=wg-osa name=osa public-key=\
    "Pj2bQ8mXc1uT7vL0rY5sN3kW9zH4aE6fG1dC2bA0xyk=" preshared-key=\
    "ocuc4Mk35026InWJtZuLbrl+vJfznfrwZfMiZo6fOIX="
add allowed-address=10.99.32.10/32 client-address=10.99.32.10/32 client-dns=\
    10.20.1.53 interface=wg-users name=laptop-jdoe private-key=\
    "BVA6Mk35027InvFZpQSFnloL9ttyedb5hqHzm/x5Q3V=" public-key=\
    "Xk3cR9nYd2vU8wM1sZ6tO4lX0aJ5bF7gH2eD3cB1yzA=" preshared-key=\
    "5gGU4Mk35028In/L+rWggysj5vuPbNV+GiOiOp8Ohpw="
