#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Traffic that is not for a virtual service reaches the director's kernel
# untouched while xvsd runs (ping, a TCP server on the director's address
# and on the VIP's other ports, IPv4 and IPv6). A second xvsd in a second
# director on the same bridge runs at the same time with its own socket and
# VIP, and SIGTERM detaches its XDP program.
. "$(dirname "$0")/lib.sh"

cluster_up
xvsd_start
dir_pid=$XVSD_PID

svc=198.18.0.100:80
dr_service $svc rr || die "an rr service $svc with rs1..rs3"
check_match "xvsd attached an XDP program to the director's eth0" "prog/xdp" \
	"$(ip -n "${PFX}dir" link show dev eth0)"

bg_ns dir "$WORK/dir-http.log" "$PYTHON" "$E2E_DIR/rs_server.py" director \
	--http-port 8080 --udp-port 5354 --ready "$WORK/dir-http.ready"
wait_for 5 test -e "$WORK/dir-http.ready" || die "HTTP server on the director did not start"

check "the director answers ping on 198.18.0.2 and 2001:db8::2" \
	client ping 198.18.0.2 2001:db8::2
check "the director answers ping on the VIPs" client ping 198.18.0.100 2001:db8::100
check_eq "HTTP to the director's own 198.18.0.2:8080" director \
	"$(client probe http://198.18.0.2:8080/)"
check_eq "HTTP to the director's own [2001:db8::2]:8080" director \
	"$(client probe http://[2001:db8::2]:8080/)"
check_eq "HTTP to the VIP on a port with no virtual service (8080)" director \
	"$(client probe http://198.18.0.100:8080/)"
check_eq "meanwhile $svc balances 30 connections 10/10/10" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client count http://$svc/ 30)"

# A second director, its own VIP held by rs2 and rs3 only.
director_add dir2 198.18.0.3 2001:db8::3 198.18.0.101 2001:db8::101 ||
	die "cannot add a second director"
for i in 2 3; do
	ip -n "${PFX}rs$i" addr add 198.18.0.101/32 dev lo || die "VIP on rs$i"
done
in_ns dir2 "$PYTHON" "$E2E_DIR/client.py" ping 198.18.0.12 198.18.0.13 >/dev/null ||
	die "the second director cannot ping rs2 and rs3"
sock2=$WORK/xvsd2.sock
xvsd_start dir2 "$sock2"
dir2_pid=$XVSD_PID
xvsadm2() {
	in_ns dir2 "$XVS_TOP/build/xvsadm" --socket "$sock2" "$@"
}
svc2=198.18.0.101:80
xvsadm2 -A -t $svc2 -s rr || fail "second daemon: -A -t $svc2 -s rr"
for i in 2 3; do
	xvsadm2 -a -t $svc2 -r 198.18.0.1$i:80 -g -w 1 || fail "second daemon: -a 198.18.0.1$i:80"
done

check_eq "second director balances $svc2 over rs2 and rs3" \
	"rs2=10 rs3=10 failed=0" "$(client count http://$svc2/ 20)"
check_eq "first director still balances $svc" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client count http://$svc/ 30)"
check_eq "first daemon lists only its own service" "TCP  $svc rr" \
	"$(xvsadm -L -n | grep -E '^(TCP|UDP)' | sed 's/ *$//')"
check_eq "second daemon lists only its own service" "TCP  $svc2 rr" \
	"$(xvsadm2 -L -n | grep -E '^(TCP|UDP)' | sed 's/ *$//')"

check "SIGTERM stops the second xvsd within 3 s" bg_stop "$dir2_pid"
check_eq "the second xvsd detached its XDP program" "" \
	"$(ip -n "${PFX}dir2" link show dev eth0 | grep -o 'prog/xdp')"
check "the first xvsd is still running" kill -0 "$dir_pid"
check_eq "first director still balances $svc" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client count http://$svc/ 30)"

done_testing
