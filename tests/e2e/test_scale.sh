#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The sizes the issue asks for, through xvsd: 4096 services and 1024 real
# servers in one of them, restored with -R, listed by -L -n, and
# scheduled in the data plane:
#  - 4095 services on ports 1000..5094, then 198.18.0.100:80 (service id
#    4095, the last) with rs1 first and 1023 quiesced servers (weight 0,
#    addresses without a route) after it, so rs1 ends up last in IPVS's
#    newest-first list: wlc walks all 1024 to find it;
#  - one service or one real server more is refused.
. "$(dirname "$0")/lib.sh"

svc=198.18.0.100:80

cluster_up
xvsd_start

rules=$WORK/scale.rules
{
	for i in $(seq 0 4094); do
		echo "-A -t 198.18.0.100:$((1000 + i)) -s wlc"
	done
	echo "-A -t $svc"
	echo "-a -t $svc -r 198.18.0.11:80 -g -w 1"
	for k in $(seq 1 1023); do
		echo "-a -t $svc -r 198.19.$((k / 250)).$((k % 250 + 1)):80 -g -w 0"
	done
} >"$rules"
check "-R: 4096 services, 1024 real servers in one" \
	timeout 120 "$XVS_TOP/build/xvsadm" --socket "$SOCK" -R <"$rules" \
	2>&1
list=$(xvsadm -L -n)
check_eq "-L -n lists 4096 services" 4096 "$(grep -c '^TCP ' <<<"$list")"
check_eq "-L -n lists 1024 real servers" 1024 "$(grep -c '^  -> [0-9]' <<<"$list")"
check_match "a 4097th service is refused" "too many services \(max 4096\)" \
	"$(xvsadm -A -t 198.18.0.100:9999 2>&1)"
check_match "a 1025th real server is refused" \
	"too many real servers in one service \(max 1024\)" \
	"$(xvsadm -a -t $svc -r 198.19.9.9:80 -g -w 0 2>&1)"
check_eq "wlc finds rs1, the last of 1024, for every connection" \
	"rs1=20 failed=0" "$(client count http://$svc/ 20)"
check_eq "-L -n: rs1 counts them (InActConn)" "0 20" "$(rs_conns 198.18.0.11:80)"

done_testing
