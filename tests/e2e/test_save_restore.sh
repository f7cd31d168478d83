#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# -S -n prints the table in ipvsadm's rule format; -C empties it; -R reads
# the saved text back; a second -S -n is identical and traffic balances again.
. "$(dirname "$0")/lib.sh"

cluster_up
xvsd_start

rules="-A -t 198.18.0.100:80 -s wrr
-a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 3
-a -t 198.18.0.100:80 -r 198.18.0.12:80 -g -w 2
-a -t 198.18.0.100:80 -r 198.18.0.13:80 -g -w 1
-A -t 198.18.0.100:8080 -s rr
-a -t 198.18.0.100:8080 -r 198.18.0.12:8080 -g -w 2
-a -t 198.18.0.100:8080 -r 198.18.0.13:8080 -g -w 1
-A -u 198.18.0.100:5353 -s rr
-a -u 198.18.0.100:5353 -r 198.18.0.11:5353 -g -w 1
-a -u 198.18.0.100:5353 -r 198.18.0.12:5353 -g -w 1
-a -u 198.18.0.100:5353 -r 198.18.0.13:5353 -g -w 1"

while read -r -a cmd; do
	xvsadm "${cmd[@]}" || fail "xvsadm ${cmd[*]}"
done <<<"$rules"

saved=$(xvsadm -S -n)
check_eq "-S -n prints every rule in ipvsadm's format (any order)" \
	"$(sort <<<"$rules")" "$(sort <<<"$saved")"
check_match "-S -n prints each service before its real servers" \
	"^-A -t 198.18.0.100:80 -s wrr"$'\n'"-a -t 198.18.0.100:80 " \
	"$(grep -A1 -- '-A -t 198.18.0.100:80 ' <<<"$saved")"

check "-C" xvsadm -C
check_eq "-L -n lists no service after -C" "" "$(xvsadm -L -n | grep -E '^(TCP|UDP)')"
check_eq "-S -n is empty after -C" "" "$(xvsadm -S -n)"
check_eq "after -C the VIP is not balanced" refused "$(client probe http://198.18.0.100/)"

check "-R < saved text" xvsadm -R <<<"$saved"
check_eq "-S -n after -R equals the first -S -n exactly" "$saved" "$(xvsadm -S -n)"
check_eq "restored wrr 3/2/1 splits 60 connections 30/20/10" \
	"rs1=30 rs2=20 rs3=10 failed=0" "$(client count http://198.18.0.100/ 60)"
check_eq "restored UDP rr splits 30 source ports 10/10/10" \
	"rs1=10 rs2=10 rs3=10 failed=0" "$(client udp 198.18.0.100 5353 30 --sport 20000)"

done_testing
