#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The xvs demo (make demo): a client, a director running xvsd and three
# real servers, each a network namespace on one bridge. Configures a
# direct-routing virtual service with xvsadm, sends 12 requests, shows who
# answered and the director's statistics, then removes everything.
. "$(dirname "$0")/../tests/e2e/lib.sh"

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

say "12 requests from the client to http://$VIP4/ (a new connection each)"
declare -A seen=()
for i in $(seq 1 12); do
	who=$(client probe --timeout 2 "http://$VIP4/")
	printf 'request %2d -> %s\n' "$i" "$who"
	[[ "$who" =~ ^rs[123]$ ]] || die "request $i was not answered by a real server: $who"
	seen[$who]=$((${seen[$who]:-0} + 1))
done
echo "answered: rs1 ${seen[rs1]:-0}, rs2 ${seen[rs2]:-0}, rs3 ${seen[rs3]:-0} (weights 3:2:1)"

say "The director's view"
show -L -n --stats

say "Removing everything"
cleanup
[ -z "$(our_namespaces)" ] || die "namespaces left behind: $(our_namespaces)"
echo "done: no namespace of this demo is left"
