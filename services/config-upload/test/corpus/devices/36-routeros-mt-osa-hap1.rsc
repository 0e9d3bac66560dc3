# 2026-11-21 18:30:44 by RouterOS 7.15.3
# software id = QZ3M-77HX
#
# model = C53UiG+5HPaxD2HPaxD
# serial number = HGF09BC1D2E
/interface bridge
add admin-mac=78:9A:18:55:66:77 auto-mac=no comment=defconf name=bridge
/interface wifi
set [ find default-name=wifi1 ] channel.band=5ghz-ax .skip-dfs-channels=\
    10min-cac .width=20/40/80mhz configuration.mode=ap .ssid=OSA-OFFICE \
    disabled=no security.authentication-types=wpa2-psk,wpa3-psk .passphrase=\
    Mk36001Zq1LIEJu6SAtqNh9gQQCIWmvMk36002Zq
set [ find default-name=wifi2 ] channel.band=2ghz-ax .skip-dfs-channels=\
    10min-cac .width=20/40mhz configuration.mode=ap .ssid=OSA-OFFICE disabled=\
    no security.authentication-types=wpa2-psk,wpa3-psk .passphrase=\
    Mk36003ZqbhpTpBDPhXkspWC6KWusEfMk36004Zq
add configuration.mode=ap .ssid=OSA-GUEST disabled=no mac-address=\
    7A:9A:18:55:66:79 master-interface=wifi1 name=wifi-guest \
    security.authentication-types=wpa2-psk .passphrase=iRoADMk36005ZqcTh_qy
/interface wifi security
add authentication-types=wpa2-psk,wpa3-psk disabled=no encryption=ccmp name=\
    sec-iot passphrase=Mk36006ZqbpBw3DpSLOf56yY9Xl4OpmH33b5usUxJ0fM6JyZ4mRilN\
    Mk36007Zq wps=disable
add authentication-types=wpa2-eap disabled=no eap-accounting=yes name=sec-corp
/interface wireguard
add listen-port=13231 mtu=1420 name=wg-tyo private-key=\
    "Mk36008Zq44pqspitWR4nc2o+3zxMm84/DCzFB3Gou/="
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
add authentication-types=wpa2-psk eap-methods="" management-protection=allowed \
    mode=dynamic-keys name=legacy-psk supplicant-identity="" \
    wpa2-pre-shared-key=Mk36009ZqCkRs9zOdES2P7PkJx-uk-9uIRaR8Ggo6i.bO_bhAauZgW\
    Mk36010Zq
add authentication-types=wpa-psk,wpa2-psk eap-methods="" mode=dynamic-keys \
    name=legacy-mixed supplicant-identity="" wpa-pre-shared-key=\
    VMk36011ZqPQBoU19akPONyb wpa2-pre-shared-key=Mk36012ZqONNgo77N8XuL5GN
add authentication-types=wpa2-eap mode=dynamic-keys mschapv2-password=\
    Gf3TqMk36013ZqmIZU mschapv2-username=osa-hap1 name=eap-client \
    supplicant-identity=osa-hap1
/interface wireless access-list
add comment="kiosk with own key" mac-address=AA:BB:CC:00:11:22 \
    private-pre-shared-key=QlMk36014ZqrOOQVlz vlan-mode=use-tag
/ip hotspot profile
add hotspot-address=10.31.50.1 login-by=http-chap,https name=hsprof-lobby \
    radius-default-domain=example.net use-radius=yes
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=dhcp interface=bridge name=defconf
/ip hotspot
add address-pool=dhcp disabled=no interface=bridge name=lobby profile=\
    hsprof-lobby
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=wifi1
add bridge=bridge comment=defconf interface=wifi2
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/interface wireguard peers
add allowed-address=10.99.31.1/32,10.20.0.0/16 endpoint-address=203.0.113.62 \
    endpoint-port=13231 interface=wg-tyo name=tyo persistent-keepalive=25s \
    public-key="Kk8dT4mUe5wB7xN2rY0cL3vP6zQ9aH1sG4fD7bC2uvw=" preshared-key=\
    "UjCmQMk36015ZqY8K4SGC4nDzgoTER541kJlJYFKDBu="
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=\
    192.168.88.0
add address=10.99.31.2/24 interface=wg-tyo network=10.99.31.0
/ip dhcp-client
add comment=defconf interface=ether1
/ip hotspot user
add name=visitor1 password=D1tMk36016Zq8KgJ6j profile=default
add name=visitor2 password=Mk36017ZqsNO.v5r4p limit-uptime=1d
/ip hotspot walled-garden
add comment="place hotspot rules here" disabled=yes
/ip firewall filter
add action=accept chain=input comment="defconf: accept \
    established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" \
    in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=\
    out,none out-interface-list=WAN
/ip smb users
set [ find default=yes ] disabled=yes
add name=scanner password=j9MMk36018Zq98Ev50 read-only=no
/radius
add address=10.30.5.21 secret=l9IrMk36019ZqgEtxM service=hotspot,wireless
/snmp community
set [ find default=yes ] addresses=10.30.1.0/24 name=Mk36020Zq
/snmp
set enabled=yes trap-community=Mk36021Zq
/system clock
set time-zone-name=Asia/Tokyo
/system identity
set name=mt-osa-hap1
/system note
set show-at-login=no
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
/tool romon
set enabled=yes secrets=vzcxpFMk36022ZqgDl
