#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wlc, ipvsadm's default, under uneven long-lived connections:
#  - -A without -s makes a wlc service;
#  - six kept-alive connections are held on rs1, added alone first;
#  - rs2 (weight 2) and rs3 (weight 1) join; 30 short connections then
#    avoid rs1 (6 active = overhead 1536) and split 20/10 as wlc's
#    overhead/weight rule dictates (each closed one counts 1 in InActConn,
#    ties going to the newest server), exactly, in -L -n;
#  - the held connections close, rs1's six move to InActConn, and 20 more
#    split 8/8/4: rs1 catches up first.
# The expected counts are wlc's picks worked out by hand from
# (active << 8) + inactive and the list order rs3 rs2 rs1 (newest first).
. "$(dirname "$0")/lib.sh"

N=6 # held connections

# all_conns: the three servers' counts, "a1 i1 a2 i2 a3 i3".
all_conns() {
	echo $(rs_conns 198.18.0.11:80) $(rs_conns 198.18.0.12:80) \
		$(rs_conns 198.18.0.13:80)
}

all_conns_are() {
	[ "$(all_conns)" == "$1" ]
}

cluster_up
xvsd_start

svc=198.18.0.100:80
check "-A -t $svc (no -s)" xvsadm -A -t $svc
check_match "-L -n: the default scheduler is wlc" \
	"(^|
)TCP  $svc wlc(
|$)" "$(xvsadm -L -n)"
check "-a rs1 -w 1" xvsadm -a -t $svc -r 198.18.0.11:80 -g -w 1

coproc HOLD { in_ns client "$PYTHON" "$E2E_DIR/conn_hold.py" \
	"http://$svc/" $N --deadline 60 2>&1; }
read -t 10 -r opened <&"${HOLD[0]}" || opened="error: no answer"
read -t 5 -r _ <&"${HOLD[0]}" || true
check_eq "$N kept-alive connections, all on rs1" \
	"open$(printf ' rs1%.0s' $(seq $N))" "$opened"
check_eq "rs1: ActiveConn $N" "$N 0" "$(rs_conns 198.18.0.11:80)"

check "-a rs2 -w 2" xvsadm -a -t $svc -r 198.18.0.12:80 -g -w 2
check "-a rs3 -w 1" xvsadm -a -t $svc -r 198.18.0.13:80 -g -w 1
check_eq "30 new connections: none to the loaded rs1, 20/10 by weight" \
	"rs2=20 rs3=10 failed=0" "$(client count http://$svc/ 30)"
check_eq "-L -n: rs1 $N active; rs2 20 and rs3 10 closed (InActConn)" \
	"$N 0 0 20 0 10" "$(all_conns)"

echo close >&"${HOLD[1]}"
read -t 5 -r closed <&"${HOLD[0]}" || closed="error: no answer"
check_eq "the held connections close" "closed" "$closed"
if wait_for 3 all_conns_are "0 $N 0 20 0 10"; then
	ok "rs1's $N move to InActConn"
else
	fail "rs1's $N move to InActConn"
	diag "counts: $(all_conns)"
fi
check_eq "20 more: rs1 (6/1) catches up first, then 8/8/4" \
	"rs1=8 rs2=8 rs3=4 failed=0" "$(client count http://$svc/ 20)"
check_eq "-L -n: InActConn 14 28 14" "0 14 0 28 0 14" "$(all_conns)"

done_testing
