#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hashing and locality schedulers through a DR cluster, with 200
# client addresses 198.19.1.1-200 (on the client's eth0; the real servers
# route them back via the client):
#   sh and mh keep every source on one server across connections, and
#   spread the sources over all servers; sh-port spreads one source;
#   mh moves few flows when a server is removed: only the removed one's,
#   plus a few percent;
#   sh without sh-fallback refuses the sources of a weight-0 server, with
#   it sends them elsewhere;
#   dh, lblc and lblcr keep the one destination (the VIP) on one server
#   (where wlc spreads), and lblc/lblcr move it when that server is
#   quiesced.
. "$(dirname "$0")/lib.sh"

NSRC=200
svc=198.18.0.100:80
url=http://$svc/

cluster_up
srcs=()
for i in $(seq 1 $NSRC); do
	srcs+=("198.19.$((1 + (i - 1) / 250)).$(((i - 1) % 250 + 1))")
done
{
	for s in "${srcs[@]}"; do
		echo "addr add $s/32 dev eth0"
	done
} | ip -n "${PFX}client" -batch - || die "cannot add the client's addresses"
for i in 1 2 3; do
	ip -n "${PFX}rs$i" route add 198.19.0.0/16 via 198.18.0.1 ||
		die "cannot route 198.19.0.0/16 on rs$i"
done
xvsd_start

# map FILE [K]: K connections (default 2) from every source into FILE,
# "SRC SERVER" per line; fails when a source failed or saw two servers.
map() {
	client sources --timeout 2 --deadline 120 --repeat "${2:-2}" "$url" \
		"${srcs[@]}" >"$WORK/$1"
}

# servers FILE: how many sources each server got, "rs1=N rs2=N rs3=N".
servers() {
	awk '{ n[$2]++ } END { for (s in n) printf "%s=%d\n", s, n[s] }' \
		"$WORK/$1" | sort | paste -sd' '
}

# first_on SERVER FILE: up to 5 sources that FILE puts on SERVER.
first_on() {
	awk -v rs="$1" '$2 == rs { print $1 }' "$WORK/$2" | head -n 5
}

# answers SRC...: one connection from each source, "SRC SERVER" or
# "SRC failed=KIND" per line.
answers() {
	client sources --timeout 1 "$url" "$@"
}

# service SCHED [OPTS...]: a fresh service with rs1..rs3 at weight 1.
service() {
	xvsadm -D -t $svc 2>/dev/null
	dr_service $svc "$@"
}

# ---- sh ----
check "sh with rs1..rs3" service sh
check "sh: every source keeps its server over 2 connections" map sh
check_match "sh: the 200 sources spread over all three servers" \
	'^rs1=[0-9]+ rs2=[0-9]+ rs3=[0-9]+$' "$(servers sh)"
check "sh: the same servers again, 1 connection each" map sh2 1
check "sh: every source on the server it had" diff -u "$WORK/sh" "$WORK/sh2"
check_match "-L lists sh without flags" "TCP  $svc sh"$'\n' "$(xvsadm -L -n)"

# sh-port: one address, many source ports.
check "-E -s sh -b sh-port" xvsadm -E -t $svc -s sh -b sh-port
check_match "-L lists sh (sh-port)" "TCP  $svc sh \\(sh-port\\)" \
	"$(xvsadm -L -n)"
check_match "sh-port: 30 connections from one address reach 3 servers" \
	'^rs1=[0-9]+ rs2=[0-9]+ rs3=[0-9]+ failed=0$' "$(client count $url 30)"

# weight 0: its sources get no server without sh-fallback.
check "-E -s sh" xvsadm -E -t $svc -s sh
check "-e rs2 -w 0" xvsadm -e -t $svc -r 198.18.0.12:80 -g -w 0
on_rs2=$(first_on rs2 sh)
check_eq "sh: sources of the weight-0 server get none (5 tried)" 5 \
	"$(answers $on_rs2 | grep -c ' failed=')"
check "-E -s sh -b sh-fallback" xvsadm -E -t $svc -s sh -b sh-fallback
check_eq "sh-fallback: they go to another server (5 tried)" 5 \
	"$(answers $on_rs2 | grep -c ' rs[13]$')"
check_match "-S saves -b sh-fallback" "-A -t $svc -s sh -b sh-fallback" \
	"$(xvsadm -S -n)"

# ---- mh ----
check "mh with rs1..rs3" service mh
check "mh: every source keeps its server over 2 connections" map mh
check_match "mh: the 200 sources spread over all three servers" \
	'^rs1=[0-9]+ rs2=[0-9]+ rs3=[0-9]+$' "$(servers mh)"
check "-d rs2" xvsadm -d -t $svc -r 198.18.0.12:80
check "mh without rs2: every source on one server" map mh2 1
lost=$(awk '$2 == "rs2"' "$WORK/mh" | wc -l)
# changed A B: sources whose server in A was not rs2 and is another in B.
changed() {
	awk 'NR == FNR { was[$1] = $2; next }
	     was[$1] != "rs2" && was[$1] != $2 { n++ } END { print n + 0 }' \
		"$WORK/$1" "$WORK/$2"
}
moved=$(changed mh mh2)
check_match "mh: rs2's $lost sources moved, and at most 5% of the others ($moved)" \
	'^ok$' "$([ "$lost" -gt 20 ] && [ "$moved" -le $(((NSRC - lost) / 20)) ] && echo ok)"
check "-a rs2 again" xvsadm -a -t $svc -r 198.18.0.12:80 -g -w 1
check "mh with rs2 back: every source on one server" map mh3 1
back=$(awk '$2 == "rs2"' "$WORK/mh3" | wc -l)
check_match "mh: rs2 back takes about its share again ($back of $lost)" \
	'^ok$' "$([ "$back" -gt $((lost * 3 / 4)) ] && echo ok)"

# Weight 0 keeps rs2's slots (mh builds from the last non-zero weight):
# its sources get no server, or another with mh-fallback, and come back
# to rs2 with its weight.
check "-e rs2 -w 0" xvsadm -e -t $svc -r 198.18.0.12:80 -g -w 0
check_eq "mh: rs2's sources get none at weight 0 (5 tried)" 5 \
	"$(answers $(first_on rs2 mh3) | grep -c ' failed=')"
check "-E -s mh -b mh-fallback" xvsadm -E -t $svc -s mh -b mh-fallback
check "mh-fallback: every source has a server" map mh4 1
check_eq "mh-fallback: none on rs2, the others where they were" "0 0" \
	"$(awk '$2 == "rs2"' "$WORK/mh4" | wc -l) $(changed mh3 mh4)"
check "-e rs2 -w 1" xvsadm -e -t $svc -r 198.18.0.12:80 -g -w 1
check "mh: rs2 weighted again" map mh5 1
check "mh: every source back where it was" diff -u "$WORK/mh3" "$WORK/mh5"

# ---- dh, lblc, lblcr: one destination address, one server ----
check "wlc with rs1..rs3" service wlc
check_match "wlc (for contrast): 30 connections spread over three servers" \
	'^rs1=[0-9]+ rs2=[0-9]+ rs3=[0-9]+ failed=0$' "$(client count $url 30)"
for sched in dh lblc lblcr; do
	check "$sched with rs1..rs3" service $sched
	got=$(client count $url 30)
	check_match "$sched: 30 connections to the VIP reach one server" \
		'^rs[123]=30 failed=0$' "$got"
	[ "$sched" = dh ] && continue
	# The cached server quiesced: the cache moves to another, which
	# keeps the destination from then on.
	rs=${got%%=*}
	check "$sched: -e $rs -w 0" xvsadm -e -t $svc -r 198.18.0.1${rs#rs}:80 -g -w 0
	got=$(client count $url 30)
	check_match "$sched: 30 more connections reach one server" \
		'^rs[123]=30 failed=0$' "$got"
	check "$sched: ... another than $rs (${got%%=*})" test "${got%%=*}" != "$rs"
	# A scheduler change drops the cache, as IPVS drops a scheduler's
	# data: back on $sched, wlc picks the server without connections.
	check "$sched: -E -s rr" xvsadm -E -t $svc -s rr
	check "$sched: -E -s $sched again" xvsadm -E -t $svc -s $sched
	idle=$(echo rs1 rs2 rs3 | tr ' ' '\n' | grep -v -e "^$rs\$" -e "^${got%%=*}\$")
	check_match "$sched: a fresh cache sends the VIP to the idle $idle" \
		"^$idle=5 failed=0\$" "$(client count $url 5)"
done

done_testing
