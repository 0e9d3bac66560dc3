# aug/30/2026 15:45:10 by RouterOS 6.48.7
# software id = XXQ1-8K2M
#
# model = RBLHGG-60ad
# serial number = C7F10B2A3D4E
/interface wireless
set [ find default-name=wlan1 ] band=5ghz-a/n/ac channel-width=\
    20/40/80mhz-XXXX country=japan disabled=no frequency=5500 mode=bridge \
    security-profile=ptp-kix ssid=KIX-PTP wireless-protocol=nv2 \
    nv2-preshared-key=XYMHdMk39001ZqzNUV nv2-security=enabled
/interface w60g
set [ find default-name=wlan60-1 ] password=Mk39002ZqSGOvDnjM0Pp \
    put-stations-in-bridge=bridge ssid=KIX-60G
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
add authentication-types=wpa2-psk eap-methods="" group-key-update=1h mode=\
    dynamic-keys name=ptp-kix supplicant-identity="" wpa2-pre-shared-key=\
    Mk39003Zq4yMdmHnNajKbNJflHnJ8.rrApAKpbuggqN1cb-rsy0FJfMk39004Zq
add authentication-types=wpa2-psk mode=dynamic-keys name=spare \
    supplicant-identity="" wpa2-pre-shared-key=hbg5X2Mk39005Zq9E6Z19pik67ZyyS
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether1
add bridge=bridge interface=wlan1
/ip address
add address=10.70.250.2/30 interface=bridge network=10.70.250.0
/ip ipsec peer
add address=10.70.1.1/32 secret=OSkcMk39006ZqLTgGKNJ-3Z-
/ip route
add gateway=10.70.250.1
/ip service
set telnet disabled=yes
set ftp disabled=yes
/snmp community
set [ find default=yes ] addresses=10.70.1.0/24 name=Mk39007Zq
/snmp
set enabled=yes trap-community=Mk39008Zq
/system clock
set time-zone-name=Asia/Tokyo
/system identity
set name=mt-kix-ptp1
/system logging action
set 3 remote=10.70.1.40
/system ntp client
set enabled=yes primary-ntp=10.70.1.123
/tool bandwidth-server
set authenticate=yes enabled=no
/tool e-mail
set address=10.70.1.25 from=ptp@example.net password=krJSMk39009ZqIg5Xs user=\
    ptp-alerts
