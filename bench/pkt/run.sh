#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Part P6 of `make bench`: the per-packet cost of the data plane and the
# connection table, under BPF_PROG_TEST_RUN (bench/pkt/pktbench; see
# bench/README.md). Writes $BENCH_RESULTS/pkt.json and table.json
# (default bench/results; with QUICK=1 build/bench/results).
#
#   bench/pkt/run.sh            the full run (about 5 minutes on 2 cores)
#   QUICK=1 bench/pkt/run.sh    a smoke run of seconds, same cases
#
# Needs root. pktbench runs each measurement in a private network
# namespace of its own, which goes away with it; nothing else is created
# but a temporary directory, removed on every exit.
set -euo pipefail

cd "$(dirname "$0")/../.."
# QUICK numbers never go into the committed bench/results by default.
DEFAULT_RESULTS=bench/results
[ "${QUICK:-0}" = 1 ] && DEFAULT_RESULTS=build/bench/results
OUT=${BENCH_RESULTS:-$DEFAULT_RESULTS}
PKTBENCH=build/bench/pktbench

if [ "${QUICK:-0}" = 1 ]; then
	ROUNDS=3 REPEAT=200000 NEW_REPEAT=50000 SLOW_REPEAT=5000
	TABLES="100000 1000000" TABLE_REPEAT=200000
else
	# 10 million repetitions where a case costs tens to hundreds of ns;
	# new flows cost over 1 us and wlc over 1024 servers about 20 us,
	# so they get fewer to keep the part within ~5 minutes (each row
	# of the results says its repeat).
	ROUNDS=5 REPEAT=10000000 NEW_REPEAT=1000000 SLOW_REPEAT=200000
	TABLES="1000000 10000000" TABLE_REPEAT=2000000
fi

make --no-print-directory "$PKTBENCH"

# The work directory of results.py: commands, pktbench's output,
# profiles.
tmp=$(mktemp -d "/tmp/xvs-pkt$$-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Every command line goes into the results as it ran.
echo "${QUICK:+QUICK=$QUICK }bench/pkt/run.sh" >"$tmp/commands"
run() {
	local out=$1
	shift
	echo "$*" >>"$tmp/commands"
	echo "  PKT    $*" >&2
	# A bound, not an expectation: a full run takes minutes. In the
	# foreground, timeout stays in our process group, so that a signal
	# to the group (make bench's own timeout, ^C) reaches pktbench too.
	timeout --foreground 900 "$@" >"$out"
}

if [ "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)" = 1 ]; then
	echo "bench/pkt: kernel.bpf_stats_enabled=1 slows every packet;" \
		"the numbers will be high" >&2
fi

# profile CASE: one more round of the per-packet CASE under perf record
# (pktbench alone); the top symbols of the samples taken in the timed
# loop (under bpf_test_run, not while the program loads), as shares of
# those, into $tmp/prof-N.prof in bench/ctl's shape ("26.53%  pktbench
# [k] symbol"). Nothing without perf.
n_prof=0
profile() {
	local name=prof-$((n_prof += 1))
	local cmd=("$PKTBENCH" pkt --rounds 1 --repeat "$REPEAT"
		--new-repeat "$NEW_REPEAT" --slow-repeat "$SLOW_REPEAT"
		--case "$1")
	command -v perf >/dev/null || return 0
	timeout --foreground 300 perf record -q -g -F 1999 \
		-o "$tmp/$name.perf" -- \
		"${cmd[@]}" >/dev/null 2>&1 || return 0
	# (head may end the pipe early: not a failure)
	perf report -i "$tmp/$name.perf" --comms pktbench --sort sym -g none \
		--no-children -p bpf_test_run -x --percentage relative \
		--stdio -q 2>/dev/null |
		awk '$1 ~ /%$/ { $NF = ""; s = $1; $1 = ""
			print s "  pktbench " $0 }' |
		head -n 8 >"$tmp/$name.prof" || true
	printf '%s\t%s\n' "$1" "$name" >>"$tmp/profiles"
	echo "perf record -g -F 1999 -- ${cmd[*]:0:${#cmd[@]}-1} '$1'" \
		>>"$tmp/commands"
}

run "$tmp/pkt.jsonl" "$PKTBENCH" pkt --rounds "$ROUNDS" \
	--repeat "$REPEAT" --new-repeat "$NEW_REPEAT" \
	--slow-repeat "$SLOW_REPEAT"
for n in $TABLES; do
	run "$tmp/table-$n.jsonl" "$PKTBENCH" table --size "$n" \
		--rounds "$ROUNDS" --repeat "$TABLE_REPEAT"
done
# what limits the cases the issue sets a target for
for c in "established DR" "new flow rr, 8 servers" \
	"new flow wrr, 8 servers" "new flow mh, 8 servers" \
	"new flow wlc, 1024 servers"; do
	echo "  PERF   $c" >&2
	profile "$c"
done
python3 bench/pkt/results.py "$OUT" "$tmp"
echo "  PKT    $OUT/pkt.json $OUT/table.json" >&2
