#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Part P6 of `make bench`: the per-packet cost of the data plane and the
# connection table, under BPF_PROG_TEST_RUN (bench/pkt/pktbench; see
# bench/README.md). Writes $BENCH_RESULTS/pkt.json and table.json
# (bench/results by default).
#
#   bench/pkt/run.sh            the full run (about 4 minutes on 2 cores)
#   QUICK=1 bench/pkt/run.sh    a smoke run of seconds, same cases
#
# Needs root. pktbench runs each measurement in a private network
# namespace of its own, which goes away with it; nothing else is created
# but a temporary directory, removed on every exit.
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=${BENCH_RESULTS:-bench/results}
PKTBENCH=build/bench/pktbench

if [ "${QUICK:-0}" = 1 ]; then
	ROUNDS=3 REPEAT=200000 NEW_REPEAT=50000 SLOW_REPEAT=5000
	TABLES="100000 1000000" TABLE_REPEAT=200000
else
	# 10 million repetitions where a case costs tens to hundreds of ns;
	# new flows cost about 1 us and wlc over 1024 servers about 15 us,
	# so they get fewer to keep the part within ~5 minutes (each row
	# of the results records its repeat).
	ROUNDS=5 REPEAT=10000000 NEW_REPEAT=2000000 SLOW_REPEAT=200000
	TABLES="1000000 10000000" TABLE_REPEAT=2000000
fi

make --no-print-directory "$PKTBENCH"

tmp=$(mktemp -d "/tmp/xvs-pkt$$-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Every command line goes into the results as it ran.
echo "${QUICK:+QUICK=$QUICK }bench/pkt/run.sh" >"$tmp/commands"
run() {
	local out=$1
	shift
	echo "$*" >>"$tmp/commands"
	echo "  PKT    $*" >&2
	# a bound, not an expectation: a full run takes minutes
	timeout 900 "$@" >"$out"
}

if [ "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)" = 1 ]; then
	echo "bench/pkt: kernel.bpf_stats_enabled=1 slows every packet;" \
		"the numbers will be high" >&2
fi

run "$tmp/pkt.jsonl" "$PKTBENCH" pkt --rounds "$ROUNDS" \
	--repeat "$REPEAT" --new-repeat "$NEW_REPEAT" \
	--slow-repeat "$SLOW_REPEAT"
tables=()
for n in $TABLES; do
	run "$tmp/table-$n.jsonl" "$PKTBENCH" table --size "$n" \
		--rounds "$ROUNDS" --repeat "$TABLE_REPEAT"
	tables+=("$tmp/table-$n.jsonl")
done
python3 bench/pkt/results.py "$OUT" "$tmp/commands" "$tmp/pkt.jsonl" \
	"${tables[@]}"
echo "  PKT    $OUT/pkt.json $OUT/table.json" >&2
