#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The xvs demo (make demo): a client, a director running xvsd and three
# real servers, each a network namespace on one bridge. Configures a
# direct-routing virtual service with xvsadm, sends 12 requests, shows who
# answered and the director's statistics. Then runs xvsd again from a
# keepalived.conf (demo/web-cluster.conf) whose health checks take rs2 out
# when its web server stops and back when it starts. Removes everything.
. "$(dirname "$0")/../tests/e2e/health_lib.sh"

die() {
	echo "demo failed: $*" >&2
	exit 1
}

say() {
	printf '\n== %s\n' "$*"
}

# show ARGS...: prints and runs one xvsadm command.
show() {
	printf '$ xvsadm %s\n' "$*"
	xvsadm "$@" || die "xvsadm $* failed"
}

say "Building the cluster (namespaces ${PFX}*)"
cluster_up
cat <<TOPO
   client    198.18.0.1
   director  198.18.0.2      VIP $VIP4 on eth0, runs xvsd (XDP)
   rs1..rs3  198.18.0.11-13  VIP on lo, HTTP on port 80, answer with their name
   all on one bridge; real servers answer the client directly (direct routing)
TOPO

say "Starting xvsd on the director"
xvsd_start
echo "xvsd is running (pid $XVSD_PID), control socket $SOCK"

say "Configuring a virtual service: weighted round robin, weights 3/2/1"
show -A -t $VIP4:80 -s wrr
show -a -t $VIP4:80 -r 198.18.0.11:80 -g -w 3
show -a -t $VIP4:80 -r 198.18.0.12:80 -g -w 2
show -a -t $VIP4:80 -r 198.18.0.13:80 -g -w 1
show -L -n

# requests N WEIGHTS: N requests from the client, a new connection each;
# prints who answered each and how many each answered.
requests() {
	local i who
	local -A seen=()
	for i in $(seq 1 "$1"); do
		who=$(client probe --timeout 2 "http://$VIP4/")
		printf 'request %2d -> %s\n' "$i" "$who"
		[[ "$who" =~ ^rs[123]$ ]] || die "request $i was not answered by a real server: $who"
		seen[$who]=$((${seen[$who]:-0} + 1))
	done
	echo "answered: rs1 ${seen[rs1]:-0}, rs2 ${seen[rs2]:-0}, rs3 ${seen[rs3]:-0} (weights $2)"
}

say "12 requests from the client to http://$VIP4/ (a new connection each)"
requests 12 3:2:1

say "The director's view"
show -L -n --stats

say "Health checks: xvsd with demo/web-cluster.conf"
bg_stop "$XVSD_PID" || die "xvsd did not stop"
sed -n '/^virtual_server/,$p' "$XVS_TOP/demo/web-cluster.conf"
xvsd_start_conf "$XVS_TOP/demo/web-cluster.conf"
echo "xvsd is running again (pid $XVSD_PID), checking every real server"
show -L -n

# wait_weight WHAT WEIGHT: waits (20 s at most) until -L -n shows rs2 with
# WEIGHT ("" for not listed), then says how long it took.
wait_weight() {
	local start=$SECONDS
	wait_for 20 weight_is "$VS4" 198.18.0.12:80 "$2" || die "rs2 never $1"
	echo "rs2 $1 after about $((SECONDS - start)) s; xvsd logged why:"
	grep -E "real server 198\.18\.0\.12:80 (up|down) " "$XVSD_LOG" |
		tail -n 1 | sed 's/^/    /'
}

say "rs2's web server stops"
rs_server_stop rs2 || die "cannot stop rs2's web server"
wait_weight "left the pool" ""
show -L -n
requests 6 3:1
say "rs2's web server starts again"
rs_server_start rs2 || die "cannot start rs2's web server"
wait_weight "is back" 2
show -L -n
requests 12 3:2:1

say "Removing everything"
cleanup
[ -z "$(our_namespaces)" ] || die "namespaces left behind: $(our_namespaces)"
echo "done: no namespace of this demo is left"
