#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VS/NAT (-m) end to end, IPv4 and IPv6: HTTP over TCP and a UDP echo, one
# real server of each pair on another port (80 -> 8080, 5353 -> 5354), the
# replies rewritten by the director (OutPkts in -L -n --stats). First with
# the director's one interface facing clients and real servers alike, then
# with a second interface toward a second real-server network. Also: a
# real server's port unreachable reaches the client translated (ICMP), and
# a reply whose client's MAC the director does not know yet is forwarded by
# the kernel.
#
#  br0: client 198.18.0.1 | dir eth0 198.18.0.2, 198.18.1.2, VIPs | nrs1 .1.11 (80, 5353)
#       2001:db8::1       |   2001:db8::2, 2001:db8:1::2       | nrs2 .1.12 (8080, 5354)
#  br1:                     dir eth1 198.18.2.2, 2001:db8:2::2   | nrs3 .2.13 (80, 5353)
#                                                                | nrs4 .2.14 (8080, 5354)
# Real servers route through the director (their default gateway).
. "$(dirname "$0")/lib.sh"

cluster_init
host_add client 198.18.0.1 2001:db8::1 || die "cannot add the client"
director_add dir 198.18.0.2 2001:db8::2 "$VIP4" "$VIP6" || die "cannot add the director"
ip -n "${PFX}dir" addr add 198.18.1.2/24 dev eth0 || die "one-armed address"
ip -n "${PFX}dir" addr add 2001:db8:1::2/64 dev eth0 nodad || die "one-armed address"
bridge_add br1 || die "cannot add br1"
link_add dir eth1 br1 dir1 198.18.2.2 2001:db8:2::2 || die "cannot add the director's eth1"
director_forwarding dir
nat_rs_add nrs1 198.18.1.11 2001:db8:1::11 198.18.1.2 2001:db8:1::2 br0 80 5353 &&
	nat_rs_add nrs2 198.18.1.12 2001:db8:1::12 198.18.1.2 2001:db8:1::2 br0 8080 5354 &&
	nat_rs_add nrs3 198.18.2.13 2001:db8:2::13 198.18.2.2 2001:db8:2::2 br1 80 5353 &&
	nat_rs_add nrs4 198.18.2.14 2001:db8:2::14 198.18.2.2 2001:db8:2::2 br1 8080 5354 ||
	die "cannot add the real servers"
for i in 1 2 3 4; do
	wait_for 5 test -e "$WORK/nrs$i.ready" ||
		die "rs_server on nrs$i did not start: $(cat "$WORK/nrs$i.log")"
done
client ping 198.18.0.2 2001:db8::2 >/dev/null || die "client cannot ping the director"
in_ns dir "$PYTHON" "$E2E_DIR/client.py" ping 198.18.1.11 198.18.1.12 198.18.2.13 \
	198.18.2.14 2001:db8:1::11 2001:db8:1::12 2001:db8:2::13 2001:db8:2::14 \
	>/dev/null || die "director cannot ping the real servers"

# nat_services A B: TCP :80 and UDP :5353 services, IPv4 and IPv6, each
# with real servers A (same ports) and B (8080, 5354); A and B are the
# last two address bytes, e.g. "1.11" for 198.18.1.11 / 2001:db8:1::11.
nat_services() {
	local a4=198.18.$1 b4=198.18.$2 a6=2001:db8:${1/./::} b6=2001:db8:${2/./::}
	local v
	for v in "$VIP4:80 $a4:80 $b4:8080 -t" "[$VIP6]:80 [$a6]:80 [$b6]:8080 -t" \
		"$VIP4:5353 $a4:5353 $b4:5354 -u" "[$VIP6]:5353 [$a6]:5353 [$b6]:5354 -u"; do
		set -- $v
		xvsadm -A "$4" "$1" -s rr || fail "-A $4 $1"
		xvsadm -a "$4" "$1" -r "$2" -m || fail "-a $4 $1 -r $2 -m"
		xvsadm -a "$4" "$1" -r "$3" -m || fail "-a $4 $1 -r $3 -m"
	done
}

# nat_traffic WHAT A B NAMEA NAMEB SPORT: 20 HTTP connections and 20 UDP
# datagrams (from 20 source ports starting at SPORT) per family, split
# 10/10, and the counters the director kept for them.
nat_traffic() {
	local what=$1 a=198.18.$2 b=198.18.$3 na=$4 nb=$5 sport=$6
	local a6=[2001:db8:${2/./::}] b6=[2001:db8:${3/./::}]
	check_eq "$what: HTTP to $VIP4:80, split over $na:80 and $nb:8080" \
		"$na=10 $nb=10 failed=0" "$(client count "http://$VIP4/" 20)"
	check_eq "$what: HTTP to [$VIP6]:80" \
		"$na=10 $nb=10 failed=0" "$(client count "http://[$VIP6]/" 20)"
	check_eq "$what: UDP echo via $VIP4:5353, split over :5353 and :5354" \
		"$na=10 $nb=10 failed=0" "$(client udp "$VIP4" 5353 20 --sport "$sport")"
	check_eq "$what: UDP echo via [$VIP6]:5353" \
		"$na=10 $nb=10 failed=0" "$(client udp "$VIP6" 5353 20 --sport "$sport")"

	check_eq "$what: --stats, TCP $VIP4:80 counts 20 connections" \
		20 "$(stats_conns "TCP  $VIP4:80")"
	check_match "$what: --stats, $b:8080 sent replies (OutPkts)" '^[1-9][0-9]*$' \
		"$(stats_col 5 "TCP  $VIP4:80" "$b:8080")"
	check_match "$what: --stats, $b6:8080 sent replies (OutPkts)" '^[1-9][0-9]*$' \
		"$(stats_col 5 "TCP  [$VIP6]:80" "$b6:8080")"
	check_eq "$what: --stats, UDP $VIP4:5353 in 20, out 20 packets" \
		"20 20" "$(stats_col 4 "UDP  $VIP4:5353") $(stats_col 5 "UDP  $VIP4:5353")"
	check_eq "$what: --stats, $a:5353 and $b:5354 answered 10 each" \
		"10 10" "$(stats_col 5 "UDP  $VIP4:5353" "$a:5353") $(stats_col 5 "UDP  $VIP4:5353" "$b:5354")"
	check_eq "$what: --stats, UDP [$VIP6]:5353 in 20, out 20 packets" \
		"20 20" "$(stats_col 4 "UDP  [$VIP6]:5353") $(stats_col 5 "UDP  [$VIP6]:5353")"
	check_match "$what: -L -n lists $a6:80 as Masq" \
		"  -> \\[${a6:1:-1}\\]:80 +Masq +1 " "$(xvsadm -L -n)"
}

# --- one interface: clients and real servers behind eth0 ------------------
xvsd_start
nat_services 1.11 1.12
check_match "-L -n lists the mapped port 198.18.1.12:8080 as Masq" \
	"  -> 198.18.1.12:8080 +Masq +1 " "$(xvsadm -L -n)"
check_match "-S saves it with -m" "-a -t $VIP4:80 -r 198.18.1.12:8080 -m -w 1" \
	"$(xvsadm -S -n)"
nat_traffic "one interface" 1.11 1.12 nrs1 nrs2 20000

# A real server's port unreachable (nothing listens on 5399) must reach the
# client translated: from the VIP, about client -> VIP:5399. Untranslated,
# the client's socket, connected to the VIP, would never see it.
xvsadm -A -u "$VIP4:5399" -s rr && xvsadm -a -u "$VIP4:5399" -r 198.18.1.11:5399 -m &&
	xvsadm -A -u "[$VIP6]:5399" -s rr &&
	xvsadm -a -u "[$VIP6]:5399" -r "[2001:db8:1::11]:5399" -m || fail "-A -u :5399"
check_eq "ICMP port unreachable from nrs1 reaches the client as from $VIP4" \
	"failed=1 refused=1" "$(client udp "$VIP4" 5399 1 --sport 20100)"
check_eq "ICMPv6 port unreachable reaches the client as from $VIP6" \
	"failed=1 refused=1" "$(client udp "$VIP6" 5399 1 --sport 20100)"

# Without the client's MAC (its neighbour entry deleted) the FIB cannot
# give the next hop: the rewritten reply goes to the kernel, which
# forwards it (accept_local) and resolves the client again.
ip -n "${PFX}dir" neigh del 198.18.0.1 dev eth0 &&
	ip -n "${PFX}dir" -6 neigh del 2001:db8::1 dev eth0 || fail "cannot delete the client's neighbour entries"
check_match "client's MAC unknown: HTTP via $VIP4 still answered" '^nrs[12]$' \
	"$(client probe "http://$VIP4/")"
check_match "client's MAC unknown: HTTP via [$VIP6] still answered" '^nrs[12]$' \
	"$(client probe "http://[$VIP6]/")"
check_match "the director's kernel resolved the client again (IPv4, IPv6)" \
	"lladdr.*lladdr" "$(ip -n "${PFX}dir" neigh show 198.18.0.1 dev eth0;
		ip -n "${PFX}dir" -6 neigh show 2001:db8::1 dev eth0)"
bg_stop "$XVSD_PID" || fail "xvsd did not stop"

# --- two interfaces: real servers behind eth1 ------------------------------
SOCK=$WORK/xvsd2.sock
XVSD_INTERFACES="eth0 eth1" xvsd_start
nat_services 2.13 2.14
nat_traffic "two interfaces" 2.13 2.14 nrs3 nrs4 21000

done_testing
