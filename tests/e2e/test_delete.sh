#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# -d: new connections never reach the deleted real server and its kept-alive
# connection stops. -D: the VIP's port is no longer balanced (the director's
# own kernel refuses the connection) and -L -n no longer lists it.
. "$(dirname "$0")/lib.sh"

cluster_up
xvsd_start

svc=198.18.0.100:80
dr_service $svc rr || die "an rr service $svc with rs1..rs3"

session_home http://$svc/
home=$HOME_RS
session_get
check_eq "kept-alive connection answered by $home" "$home" "$SESSION_ANSWER"
rip=198.18.0.1${home#rs}:80

check "-d -t $svc -r $rip" xvsadm -d -t $svc -r $rip
others=$(for i in 1 2 3; do [ "rs$i" != "$home" ] && printf 'rs%s=15 ' "$i"; done)
check_eq "30 new connections go to the two others only" \
	"${others}failed=0" "$(client count http://$svc/ 30)"
session_get
check_match "the kept-alive connection to $home stops" "^error " "$SESSION_ANSWER"
session_stop
list=$(xvsadm -L -n)
check_eq "-L -n no longer lists $rip" "" "$(grep -F " $rip " <<<"$list")"
check_eq "-L -n lists the other two" 2 "$(grep -c '^  -> 198.18.0.1' <<<"$list")"

check "-D -t $svc" xvsadm -D -t $svc
check_eq "after -D the director's kernel refuses a connection to $svc" \
	refused "$(client probe http://$svc/)"
list=$(xvsadm -L -n)
check_eq "-L -n lists no service" "" "$(grep -E '^(TCP|UDP)' <<<"$list")"
check_match "-L -n still prints its header" "^IP Virtual Server version" "$list"

done_testing
