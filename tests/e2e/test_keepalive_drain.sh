#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kept-alive connection stays on its real server while weights change,
# and keeps being answered by it after its weight drops to 0, while no new
# connection goes there (graceful drain).
. "$(dirname "$0")/lib.sh"

cluster_up
xvsd_start

svc=198.18.0.100:80
dr_service $svc wrr || die "a wrr service $svc with rs1..rs3"

session_home http://$svc/
home=$HOME_RS
n=${home#rs}

# Weights of rs1 rs2 rs3, one set per step; the home server's weight moves
# up and down around the others'.
for weights in "5 1 1" "1 5 1" "1 1 5" "2 7 3" "9 9 9"; do
	read -r w1 w2 w3 <<<"$weights"
	xvsadm -e -t $svc -r 198.18.0.11:80 -g -w "$w1" &&
		xvsadm -e -t $svc -r 198.18.0.12:80 -g -w "$w2" &&
		xvsadm -e -t $svc -r 198.18.0.13:80 -g -w "$w3" ||
		fail "-e weights $weights"
	for k in 1 2; do
		session_get
		check_eq "weights $weights: request $k stays on $home" "$home" "$SESSION_ANSWER"
	done
done

check "-e $home -w 0 (drain)" xvsadm -e -t $svc -r 198.18.0.1$n:80 -g -w 0
check_match "-L -n shows weight 0 for $home" "  -> 198.18.0.1$n:80 +Route +0 " \
	"$(xvsadm -L -n)"
out=$(client count http://$svc/ 30)
check_match "30 new connections all answered" "failed=0$" "$out"
check_eq "no new connection reaches the drained $home" "" \
	"$(grep -o "$home=[0-9]*" <<<"$out")"
for k in 1 2 3; do
	session_get
	check_eq "drained: kept-alive request $k still answered by $home" "$home" "$SESSION_ANSWER"
done
session_stop

done_testing
