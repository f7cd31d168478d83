#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The connection table through a DR cluster, as IPVS shows it:
#  - -L --timeout shows IPVS's defaults, then what --set wrote (0 keeps a
#    value);
#  - kept-alive TCP connections are listed by -L -c -n in ESTABLISHED with
#    their real server and the time left, and counted in ActiveConn;
#  - closed by the client, they move to InActConn (FIN_WAIT) and leave the
#    table, and the counts, once the FIN timeout set with --set expires;
#  - UDP "connections" count in InActConn and expire after the UDP timeout.
. "$(dirname "$0")/lib.sh"

TCP_FIN=5 # seconds, short so that expiry is seen within the test
UDP_T=4
N=4       # kept-alive connections

# counts SERVICE: "ActiveConn InActConn" summed over SERVICE's real
# servers in -L -n (SERVICE as printed, e.g. "TCP  198.18.0.100:80").
counts() {
	xvsadm -L -n | awk -v svc="$1" '
		/^(TCP|UDP) / { insvc = ($1 "  " $2 == svc) }
		insvc && $1 == "->" { a += $5; i += $6 }
		END { print a + 0, i + 0 }'
}

# counts_are SERVICE "A I": for wait_for.
counts_are() {
	[ "$(counts "$1")" == "$2" ]
}

# rs_active SERVICE RS: the ActiveConn of one real server.
rs_active() {
	xvsadm -L -n | awk -v svc="$1" -v rs="$2" '
		/^(TCP|UDP) / { insvc = ($1 "  " $2 == svc) }
		insvc && $1 == "->" && $2 == rs { print $5 }'
}

# wait_counts SECONDS SERVICE "A I" WHAT: a check that the counts of
# SERVICE become "A I" within SECONDS.
wait_counts() {
	if wait_for "$1" counts_are "$2" "$3"; then
		ok "$4"
	else
		fail "$4"
		diag "counts: $(counts "$2")" "$(xvsadm -L -c -n)"
	fi
}

# conn_lines PROTO: the -L -c -n lines of PROTO.
conn_lines() {
	xvsadm -L -c -n | grep "^$1 "
}

cluster_up
xvsd_start

check_eq "-L --timeout: IPVS's defaults" \
	"Timeout (tcp tcpfin udp): 900 120 300" "$(xvsadm -L --timeout)"
check "--set 0 $TCP_FIN $UDP_T" xvsadm --set 0 $TCP_FIN $UDP_T
check_eq "-L --timeout reflects --set (0 keeps tcp at 900)" \
	"Timeout (tcp tcpfin udp): 900 $TCP_FIN $UDP_T" "$(xvsadm -L --timeout)"
check_fail "--set refuses a timeout beyond ipvsadm's limit" \
	xvsadm --set 0 0 2678401

tsvc=198.18.0.100:80
usvc=198.18.0.100:5353
xvsadm -A -t $tsvc -s rr || die "-A -t $tsvc"
xvsadm -A -u $usvc -s rr || die "-A -u $usvc"
for i in 1 2 3; do
	xvsadm -a -t $tsvc -r 198.18.0.1$i:80 -g || die "-a -t 198.18.0.1$i"
	xvsadm -a -u $usvc -r 198.18.0.1$i:5353 -g || die "-a -u 198.18.0.1$i"
done
check_eq "no connection yet" "0 0" "$(counts "TCP  $tsvc")"

# ---- kept-alive TCP connections --------------------------------------
coproc HOLD { in_ns client "$PYTHON" "$E2E_DIR/conn_hold.py" \
	"http://$tsvc/" $N --deadline 60 2>&1; }
hold_pid=$HOLD_PID
read -t 10 -r opened <&"${HOLD[0]}" || opened="error: no answer"
read -t 5 -r ports <&"${HOLD[0]}" || ports=""
check_match "$N kept-alive connections open" "^open( rs[123]){$N}$" "$opened"
read -r -a servers <<<"${opened#open }"
read -r -a cports <<<"${ports#ports }"
[ "${#servers[@]}" -eq $N ] && [ "${#cports[@]}" -eq $N ] ||
	die "cannot go on without $N connections: '$opened' '$ports'"

check_eq "ActiveConn counts the $N open connections, InActConn none" \
	"$N 0" "$(counts "TCP  $tsvc")"
for i in 1 2 3; do
	want=$(grep -o "rs$i" <<<"${servers[*]}" | wc -l)
	check_eq "rs$i: ActiveConn $want, as many as it answered" \
		"$want" "$(rs_active "TCP  $tsvc" "198.18.0.1$i:80")"
done

listing=$(xvsadm -L -c -n)
check_match "-L -c -n: ipvsadm's title lines" \
	"^IPVS connection entries
pro expire state       source             virtual            destination" \
	"$listing"
for k in $(seq 0 $((N - 1))); do
	n=${servers[k]#rs}
	check_match "-L -c -n lists port ${cports[k]} ESTABLISHED to rs$n, ~15 min left" \
		"(^|
)TCP 1[45]:[0-9][0-9]  ESTABLISHED 198\.18\.0\.1:${cports[k]} +198\.18\.0\.100:80 +198\.18\.0\.1$n:80(
|$)" "$listing"
done
check_eq "-L -c -n: $N TCP lines" $N "$(grep -c '^TCP ' <<<"$listing")"

echo get >&"${HOLD[1]}"
read -t 5 -r again <&"${HOLD[0]}" || again="error: no answer"
check_eq "requests on the same connections stay on their servers" \
	"$opened" "$again"
check_eq "and the counts do not move" "$N 0" "$(counts "TCP  $tsvc")"

echo close >&"${HOLD[1]}"
read -t 5 -r closed <&"${HOLD[0]}" || closed="error: no answer"
check_eq "the client closes them" "closed" "$closed"
wait_counts 3 "TCP  $tsvc" "0 $N" \
	"closed: ActiveConn back to 0, InActConn $N (FIN_WAIT)"
check_eq "-L -c -n shows them in FIN_WAIT, at most ${TCP_FIN} s left" $N \
	"$(conn_lines TCP | grep -c "^TCP 00:0[0-$TCP_FIN]  FIN_WAIT ")"
wait_counts $((TCP_FIN + 10)) "TCP  $tsvc" "0 0" \
	"after the FIN timeout (${TCP_FIN} s): InActConn back to 0"
check_eq "and -L -c lists no TCP connection" "" "$(conn_lines TCP)"
wait "$hold_pid" 2>/dev/null

# ---- UDP ---------------------------------------------------------------
check_eq "6 UDP flows answered" "rs1=2 rs2=2 rs3=2 failed=0" \
	"$(client udp 198.18.0.100 5353 6 --sport 30000)"
check_eq "UDP connections count in InActConn only" "0 6" \
	"$(counts "UDP  $usvc")"
check_eq "-L -c -n lists them in state UDP, at most ${UDP_T} s left" 6 \
	"$(conn_lines UDP | grep -cE "^UDP 00:0[0-$UDP_T]  UDP +198\.18\.0\.1:3000[0-5] +198\.18\.0\.100:5353 +198\.18\.0\.1[123]:5353$")"
wait_counts $((UDP_T + 10)) "UDP  $usvc" "0 0" \
	"after the UDP timeout (${UDP_T} s): InActConn back to 0"
check_eq "and -L -c lists no UDP connection" "" "$(conn_lines UDP)"

done_testing
