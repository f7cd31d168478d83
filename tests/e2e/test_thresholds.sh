#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connection thresholds through xvsd and a DR cluster:
#  - -x/-y are accepted, listed by -L -n --thresholds in ipvsadm's
#    columns, not saved by -S (ipvsadm 1.31 does not), and -y above -x is
#    refused;
#  - rs1 with -x 2 -y 1 becomes OVERLOAD when its second connection binds:
#    rr then sends every new connection to rs2;
#  - its connections closed and expired (tcpfin 2 s), it drops below -y
#    and takes connections again;
#  - -e with -x 0 clears OVERLOAD at once.
. "$(dirname "$0")/lib.sh"

conns_are() {
	[ "$(rs_conns "$1")" == "$2" ]
}

cluster_up
xvsd_start

svc=198.18.0.100:80
rs1=198.18.0.11:80
rs2=198.18.0.12:80
check "--set 0 2 0 (tcpfin 2 s)" xvsadm --set 0 2 0
check "-A -t $svc -s rr" xvsadm -A -t $svc -s rr
check "-a rs1 -x 2 -y 1" xvsadm -a -t $svc -r $rs1 -g -x 2 -y 1
check "-a rs2" xvsadm -a -t $svc -r $rs2 -g
check_fail "-y above -x is refused" \
	xvsadm -a -t $svc -r 198.18.0.13:80 -g -x 2 -y 3
check_fail "-y without -x is refused" \
	xvsadm -a -t $svc -r 198.18.0.13:80 -g -y 3

# ipvsadm's "%-33s %-10s %-10s %-10s %-10s" title, "%-28s" and "%-10u"
# columns
check_eq "-L -n --thresholds: ipvsadm's columns" \
	"Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn 
  -> RemoteAddress:Port
TCP  $svc rr
  -> $rs1               2          1          0          0         
  -> $rs2               0          0          0          0         " \
	"$(xvsadm -L -n --thresholds | tail -n +2)"
check_eq "-S does not save thresholds (as ipvsadm 1.31)" \
	"-A -t $svc -s rr
-a -t $svc -r $rs1 -g -w 1
-a -t $svc -r $rs2 -g -w 1" "$(xvsadm -S -n)"

# rr from the head: rs2, rs1, rs2, rs1 - rs1's second binds it to 2
coproc HOLD { in_ns client "$PYTHON" "$E2E_DIR/conn_hold.py" \
	"http://$svc/" 4 --deadline 60 2>&1; }
read -t 10 -r opened <&"${HOLD[0]}" || opened="error: no answer"
read -t 5 -r _ <&"${HOLD[0]}" || true
check_eq "4 held connections alternate" "open rs2 rs1 rs2 rs1" "$opened"
check_eq "10 new ones all go to rs2: rs1 is OVERLOAD at -x 2" \
	"rs2=10 failed=0" "$(client count http://$svc/ 10)"

echo close >&"${HOLD[1]}"
read -t 5 -r _ <&"${HOLD[0]}" || true
if wait_for 10 conns_are $rs1 "0 0"; then
	ok "rs1's connections close and expire"
else
	fail "rs1's connections close and expire"
	diag "rs1: $(rs_conns $rs1)"
fi
check_eq "below -y 1: rs1 takes connections again" \
	"rs1=2 rs2=2 failed=0" "$(client count http://$svc/ 4)"

# OVERLOAD again (two more connections held), then -e -x 0 clears it
coproc HOLD2 { in_ns client "$PYTHON" "$E2E_DIR/conn_hold.py" \
	"http://$svc/" 4 --deadline 60 2>&1; }
read -t 10 -r opened <&"${HOLD2[0]}" || opened="error: no answer"
read -t 5 -r _ <&"${HOLD2[0]}" || true
check_match "4 more held connections" "^open( rs[12]){4}$" "$opened"
check_eq "rs1 is OVERLOAD again" "rs2=4 failed=0" \
	"$(client count http://$svc/ 4)"
check "-e rs1 -x 0" xvsadm -e -t $svc -r $rs1 -g
check_eq "-x 0 cleared OVERLOAD at once" "rs1=2 rs2=2 failed=0" \
	"$(client count http://$svc/ 4)"
echo close >&"${HOLD2[1]}"

done_testing
