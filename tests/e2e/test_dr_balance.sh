#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Direct routing balances new TCP connections by weight: wrr 3/2/1 splits
# 600 connections exactly 300/200/100 and -L -n --stats counts them; rr
# splits 30 connections 10/10/10, over IPv4 and IPv6.
. "$(dirname "$0")/lib.sh"

cluster_up
xvsd_start

svc=198.18.0.100:80
check "-A -t $svc -s wrr" xvsadm -A -t $svc -s wrr
for i in 1 2 3; do
	check "-a -t $svc -r 198.18.0.1$i:80 -g -w $((4 - i))" \
		xvsadm -a -t $svc -r 198.18.0.1$i:80 -g -w $((4 - i))
done
list=$(xvsadm -L -n)
for i in 1 2 3; do
	check_match "-L -n lists 198.18.0.1$i:80 as Route with weight $((4 - i))" \
		"  -> 198.18.0.1$i:80 +Route +$((4 - i)) " "$list"
done

check_eq "wrr 3/2/1: 600 new connections split 300/200/100" \
	"rs1=300 rs2=200 rs3=100 failed=0" "$(client count http://$svc/ 600)"
check_eq "--stats: the service counts 600 connections" \
	600 "$(stats_conns "TCP  $svc")"
for i in 1 2 3; do
	check_eq "--stats: 198.18.0.1$i:80 counts $((100 * (4 - i))) connections" \
		$((100 * (4 - i))) "$(stats_conns "TCP  $svc" 198.18.0.1$i:80)"
done

check "-D -t $svc" xvsadm -D -t $svc
check "-A -t $svc -s rr" xvsadm -A -t $svc -s rr
for i in 1 2 3; do
	xvsadm -a -t $svc -r 198.18.0.1$i:80 -g -w 1 || fail "-a 198.18.0.1$i:80"
done
check_eq "rr: 30 new connections split 10/10/10" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client count http://$svc/ 30)"
check_eq "--stats: the re-added service counts only its own 30 connections" \
	30 "$(stats_conns "TCP  $svc")"

svc6=[2001:db8::100]:80
check "-A -t $svc6 -s rr" xvsadm -A -t $svc6 -s rr
for i in 1 2 3; do
	xvsadm -a -t $svc6 -r [2001:db8::1$i]:80 -g -w 1 || fail "-a [2001:db8::1$i]:80"
done
check_eq "IPv6 rr: 30 new connections split 10/10/10" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client count http://$svc6/ 30)"
check_eq "--stats: the IPv6 service counts 30 connections" \
	30 "$(stats_conns "TCP  $svc6")"

done_testing
