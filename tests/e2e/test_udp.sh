#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A UDP service with rr balances datagrams from distinct source ports evenly
# over 3 real servers (IPv4 and IPv6); datagrams from one source port stay on
# one server; real servers answer from the VIP. Every run uses its own
# source ports, so none meets a connection left by an earlier run.
. "$(dirname "$0")/lib.sh"

cluster_up
xvsd_start

for svc in 198.18.0.100:5353 [2001:db8::100]:5353; do
	check "-A -u $svc -s rr" xvsadm -A -u $svc -s rr
	for i in 1 2 3; do
		if [[ $svc == \[* ]]; then rip=[2001:db8::1$i]:5353; else rip=198.18.0.1$i:5353; fi
		xvsadm -a -u $svc -r $rip -g -w 1 || fail "-a -u $svc -r $rip"
	done
done

check_eq "rr: 150 source ports split 50/50/50" \
	"rs1=50 rs2=50 rs3=50 failed=0" "$(client udp 198.18.0.100 5353 150 --sport 20000)"
check_eq "--stats: the UDP service counts 150 connections" \
	150 "$(stats_conns "UDP  198.18.0.100:5353")"
check_eq "3 datagrams from each of 30 ports: each port stays on one server" \
	"rs1=30 rs2=30 rs3=30 failed=0" "$(client udp 198.18.0.100 5353 30 --repeat 3 --sport 21000)"
check_eq "IPv6 rr: 30 source ports split 10/10/10" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client udp 2001:db8::100 5353 30 --sport 22000)"
check_match "-L -n shows the UDP service" "UDP  198.18.0.100:5353 rr" "$(xvsadm -L -n)"

done_testing
