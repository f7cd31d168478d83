#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input gets one clear message on stderr (quoting the bad argument where
# there is one), a non-zero exit, and changes nothing in the table. Without a
# daemon, xvsadm says which socket it could not reach.
. "$(dirname "$0")/lib.sh"

cluster_up

# expect_error DESCRIPTION PATTERN ARGS...: xvsadm ARGS must exit non-zero
# with nothing on stdout and one line on stderr matching PATTERN (grep -iE),
# not counting ipvsadm's usage hint ("Try `xvsadm -h' ...").
expect_error() {
	local what=$1 pattern=$2 out err rc
	shift 2
	out=$(xvsadm "$@" 2>"$WORK/stderr")
	rc=$?
	err=$(grep -v '^Try `xvsadm -h' "$WORK/stderr")
	if [ "$rc" -ne 0 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" -eq 1 ] &&
		grep -qiE -- "$pattern" <<<"$err"; then
		ok "$what: $err"
	else
		fail "$what"
		diag "xvsadm $*" "exit status $rc (want non-zero)" "stdout: $out" \
			"stderr (want one line matching '$pattern'):" "$err"
	fi
}

expect_error "no daemon: the message names the socket" "$SOCK" -L -n

xvsd_start
svc=198.18.0.100:80
xvsadm -A -t $svc -s wrr || die "-A -t $svc -s wrr"
xvsadm -a -t $svc -r 198.18.0.11:80 -g -w 3 || die "-a 198.18.0.11:80"
before=$(xvsadm -S -n)

expect_error "malformed address" "198\.18\.0\.300" -A -t 198.18.0.300:80 -s rr
expect_error "malformed real server address" "198\.18\.0\.300" \
	-a -t $svc -r 198.18.0.300:80 -g -w 1
expect_error "unknown scheduler" "foo" -A -t 198.18.0.100:81 -s foo
expect_error "negative weight" "-1" -a -t $svc -r 198.18.0.12:80 -g -w -1
expect_error "deleting a service that does not exist" "no such|not exist|not found" \
	-D -t 198.18.0.100:99
expect_error "deleting a real server that does not exist" "no such|not exist|not found" \
	-d -t $svc -r 198.18.0.13:80
expect_error "adding a duplicate service" "exist" -A -t $svc -s rr
expect_error "adding a duplicate real server" "exist" -a -t $svc -r 198.18.0.11:80 -g -w 1
check_eq "-S -n is unchanged after every rejected command" "$before" "$(xvsadm -S -n)"
check "xvsd is still running" kill -0 "$XVSD_PID"

done_testing
