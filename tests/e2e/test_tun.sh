#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VS/TUN end to end. Tunnel services have VIPs of their own, outside the
# cluster's subnets: the client routes them to the director, the real
# servers hold them on lo with no ARP settings at all, and packets reach
# them only through the director's tunnels, which build/xvs-decap takes
# apart on their eth0 (this kernel has no ipip, sit, fou or gre module).
#
#   client 198.18.0.1 ---- dir 198.18.0.2 (xvsd) ---- rs1 .11  rs2 .12  rs3 .13
#   routes 198.18.1.0/24,  VIPs on lo              VIPs on lo, xvs-decap on eth0
#   2001:db8:1::/64 via dir
#
# HTTP over TCP and a UDP echo through IPIP over IPv4 and IPv6, both mixed
# families, GUE and GRE; counts in -L -n --stats; -S; and too big: with a
# path MTU of 1400 toward rs3, a 1400-byte datagram with DF gets ICMP
# fragmentation needed (MTU 1380) and an IPv6 one packet too big (1360),
# which the client's kernel keeps in its route cache.
. "$(dirname "$0")/lib.sh"

DECAP=$XVS_TOP/build/xvs-decap
[ -x "$DECAP" ] || die "build/xvs-decap missing: run 'make'"

T4=198.18.1.100 T4MIX=198.18.1.101 T4GUE=198.18.1.102 T4GRE=198.18.1.103
T4BIG=198.18.1.104
T6=2001:db8:1::100 T6MIX=2001:db8:1::101 T6BIG=2001:db8:1::104
TVIPS=($T4 $T4MIX $T4GUE $T4GRE $T4BIG $T6 $T6MIX $T6BIG)

cluster_init
host_add client 198.18.0.1 2001:db8::1 || die "cannot add client"
director_add dir 198.18.0.2 2001:db8::2 "$VIP4" "$VIP6" || die "cannot add director"
for i in 1 2 3; do
	tun_rs_add "rs$i" "198.18.0.1$i" "2001:db8::1$i" "${TVIPS[@]}" ||
		die "cannot add tunnel real server rs$i: $(cat "$WORK/rs$i.log")"
done
tun_vips "${TVIPS[@]}" || die "cannot set up the tunnel VIPs"
# A path MTU of 1400 toward rs3, set before xvsd reads the routes.
ip -n "${PFX}dir" route add 198.18.0.13/32 dev eth0 mtu 1400 || die "route mtu"
ip -n "${PFX}dir" -6 route add 2001:db8::13/128 dev eth0 mtu 1400 || die "route mtu"
in_ns dir "$PYTHON" "$E2E_DIR/client.py" ping 198.18.0.11 198.18.0.12 \
	198.18.0.13 2001:db8::11 2001:db8::12 2001:db8::13 >/dev/null ||
	die "director cannot ping the real servers"
client ping 198.18.0.2 2001:db8::2 >/dev/null || die "client cannot ping the director"
xvsd_start

check_match "xvs-decap show: attached on rs1's eth0, GUE port 6080" \
	"eth0: xvs_decap, program id [0-9]+, GUE ports 6080" \
	"$(in_ns rs1 "$DECAP" show eth0)"

# tunnel_service -t|-u SERVICE REAL_SERVER...: the service, rr, and each
# real server by IPIP.
tunnel_service() {
	local proto=$1 svc=$2 rs
	shift 2
	check "-A $proto $svc -s rr" xvsadm -A "$proto" "$svc" -s rr
	for rs in "$@"; do
		check "-a $proto $svc -r $rs -i" xvsadm -a "$proto" "$svc" -r "$rs" -i
	done
}

# ---- IPIP, IPv4 in IPv4 ----------------------------------------------------
tunnel_service -t $T4:80 198.18.0.11 198.18.0.12
check_match "-L -n lists the real servers as Tunnel" \
	"  -> 198.18.0.11:80 +Tunnel +1 " "$(xvsadm -L -n)"
check_eq "IPIP: 20 HTTP connections split 10/10" \
	"rs1=10 rs2=10 failed=0" "$(client count http://$T4:80/ 20)"
check_eq "--stats: the service counts 20 connections" \
	20 "$(stats_conns "TCP  $T4:80")"
check_eq "--stats: 198.18.0.11:80 counts 10" \
	10 "$(stats_conns "TCP  $T4:80" 198.18.0.11:80)"
tunnel_service -u $T4:5353 198.18.0.11 198.18.0.12
check_eq "IPIP: UDP echo from 20 source ports split 10/10" \
	"rs1=10 rs2=10 failed=0" "$(client udp $T4 5353 20 --sport 20000)"
check_eq "--stats: the UDP service counts 20 connections" \
	20 "$(stats_conns "UDP  $T4:5353")"

# ---- IPv6 in IPv6 ----------------------------------------------------------
tunnel_service -t [$T6]:80 [2001:db8::11] [2001:db8::12]
check_eq "IPv6 in IPv6: 20 HTTP connections split 10/10" \
	"rs1=10 rs2=10 failed=0" "$(client count http://[$T6]:80/ 20)"
check_eq "--stats: the IPv6 service counts 20 connections" \
	20 "$(stats_conns "TCP  [$T6]:80")"
tunnel_service -u [$T6]:5353 [2001:db8::11] [2001:db8::12]
check_eq "IPv6 in IPv6: UDP echo from 20 source ports split 10/10" \
	"rs1=10 rs2=10 failed=0" "$(client udp $T6 5353 20 --sport 21000)"

# ---- mixed families ----------------------------------------------------------
tunnel_service -t $T4MIX:80 [2001:db8::13]
check_eq "IPv4 in IPv6: 5 HTTP connections to rs3" \
	"rs3=5 failed=0" "$(client count http://$T4MIX:80/ 5)"
tunnel_service -t [$T6MIX]:80 198.18.0.13
check_eq "IPv6 in IPv4: 5 HTTP connections to rs3" \
	"rs3=5 failed=0" "$(client count http://[$T6MIX]:80/ 5)"
check_fail "a different family is refused for direct routing" \
	xvsadm -a -t $T4MIX:80 -r [2001:db8::12] -g

# ---- GUE and GRE -------------------------------------------------------------
check "-A -t $T4GUE:80 -s rr" xvsadm -A -t $T4GUE:80 -s rr
check "-a ... --tun-type gue --tun-port 6080" \
	xvsadm -a -t $T4GUE:80 -r 198.18.0.11 -i --tun-type gue --tun-port 6080
check "-a ... --tun-type gue --tun-port 6080 --tun-csum" \
	xvsadm -a -t $T4GUE:80 -r 198.18.0.12 -i --tun-type gue --tun-port 6080 --tun-csum
check_eq "GUE: 10 HTTP connections split 5/5" \
	"rs1=5 rs2=5 failed=0" "$(client count http://$T4GUE:80/ 10)"
check "-A -u $T4GUE:5353 -s rr" xvsadm -A -u $T4GUE:5353 -s rr
check "-a -u ... --tun-type gue --tun-remcsum" \
	xvsadm -a -u $T4GUE:5353 -r [2001:db8::13] -i --tun-type gue --tun-port 6080 --tun-remcsum
check_eq "GUE over IPv6 with checksum: UDP echo from 5 ports" \
	"rs3=5 failed=0" "$(client udp $T4GUE 5353 5 --sport 22000)"
check "-A -t $T4GRE:80 -s rr" xvsadm -A -t $T4GRE:80 -s rr
check "-a ... --tun-type gre" xvsadm -a -t $T4GRE:80 -r 198.18.0.11 -i --tun-type gre
check "-a ... --tun-type gre --tun-csum" \
	xvsadm -a -t $T4GRE:80 -r [2001:db8::12] -i --tun-type gre --tun-csum
check_eq "GRE: 10 HTTP connections split 5/5" \
	"rs1=5 rs2=5 failed=0" "$(client count http://$T4GRE:80/ 10)"
check_match "-S saves the GUE real server as ipvsadm does" \
	"-a -t $T4GUE:80 -r 198.18.0.12:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum" \
	"$(xvsadm -S -n)"
check_match "--tun-info shows gre:+c" \
	"  -> \[2001:db8::12\]:80 +Tunnel +gre:\+c +1 " "$(xvsadm -L -n --tun-info)"
gue_before=$(in_ns rs1 "$DECAP" show eth0 | awk '/decapsulated/ {print $5}')
check "-e turns the GRE real server into a GUE one" \
	xvsadm -e -t $T4GRE:80 -r 198.18.0.11 -i --tun-type gue --tun-port 6080
check_match "--tun-info shows the edit" \
	"  -> 198.18.0.11:80 +Tunnel +gue:6080:-c " "$(xvsadm -L -n --tun-info -t $T4GRE:80)"
check_eq "after -e: 10 HTTP connections still split 5/5" \
	"rs1=5 rs2=5 failed=0" "$(client count http://$T4GRE:80/ 10)"
gue_after=$(in_ns rs1 "$DECAP" show eth0 | awk '/decapsulated/ {print $5}')
check "after -e: rs1 takes GUE apart ($gue_before -> $gue_after)" \
	test "$gue_after" -gt "$gue_before"
shown=$(in_ns rs1 "$DECAP" show eth0)
check_match "xvs-decap show on rs1 counts IPIP, GUE and GRE" \
	"decapsulated +ipip [1-9][0-9]* +gue [1-9][0-9]* +gre [1-9]" "$shown"
check_match "xvs-decap show on rs1: nothing dropped" \
	"dropped +malformed 0 +error 0" "$shown"

# ---- too big -----------------------------------------------------------------
# send_df ADDR SIZE: from the client, a UDP datagram of SIZE bytes to
# ADDR:5353 with DF (IP_PMTUDISC_DO / IPV6_DONTFRAG), and half a second
# later (time for the director's answer) another; prints for each "sent",
# or "EMSGSIZE" when the client's kernel knows the path is too small.
DF_SEND='
import socket, sys, time
addr, size = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if fam == socket.AF_INET:
    s.setsockopt(socket.IPPROTO_IP, 10, 2)    # IP_MTU_DISCOVER: DO
else:
    s.setsockopt(socket.IPPROTO_IPV6, 23, 2)  # IPV6_MTU_DISCOVER: DO
    s.setsockopt(socket.IPPROTO_IPV6, 62, 1)  # IPV6_DONTFRAG
s.connect((addr, 5353))
for _ in range(2):
    try:
        s.send(b"x" * size)
        print("sent")
    except OSError as e:
        print("EMSGSIZE" if e.errno == 90 else "error %d" % e.errno)
    time.sleep(0.5)
'
send_df() {
	in_ns client timeout 5 "$PYTHON" -c "$DF_SEND" "$1" "$2"
}

tunnel_service -u $T4BIG:5353 198.18.0.13
check_eq "a small datagram through the 1400-byte path is answered" \
	"rs3=1 failed=0" "$(client udp $T4BIG 5353 1 --sport 23000)"
check_eq "IPv4, 1428 bytes with DF: the second send fails with EMSGSIZE" \
	"sent EMSGSIZE" "$(send_df $T4BIG 1400 | xargs)"
check_match "IPv4: the client's route cache holds MTU 1380 for the VIP" \
	"mtu 1380" "$(ip -n "${PFX}client" route get $T4BIG)"
tunnel_service -u [$T6BIG]:5353 [2001:db8::13]
check_eq "IPv6, 1448 bytes: the second send fails with EMSGSIZE" \
	"sent EMSGSIZE" "$(send_df $T6BIG 1400 | xargs)"
check_match "IPv6: the client's route cache holds MTU 1360 for the VIP" \
	"mtu 1360" "$(ip -n "${PFX}client" -6 route get $T6BIG)"

check "xvs-decap detach" in_ns rs1 "$DECAP" detach eth0
check_eq "xvs-decap show after detach" "eth0: not attached" \
	"$(in_ns rs1 "$DECAP" show eth0)"
check_eq "without xvs-decap, rs1 gets nothing: rs2 answers, rs1's fail" \
	"rs2=10 failed=10 timeout=10" \
	"$(client count --timeout 0.3 http://$T4:80/ 20)"

done_testing
