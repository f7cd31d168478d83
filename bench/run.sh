#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: installs bench's dependencies, builds, runs every part in
# order (bench/<part>/run.sh, each writing $BENCH_RESULTS/<part>.json), then
# bench/report.py, which writes the tables of docs/benchmarks.md. A part
# that fails or overruns its time is recorded as failed (its JSON says
# why) and the others still run; the exit status is then 1. A run of every
# part starts from an empty results directory, so that no file of an
# earlier run (a part may write more than <part>.json) passes for new; a
# run of some parts replaces only theirs.
#   QUICK=1            smoke run (a minute or two): the parts shrink their
#                      repeats and durations, and everything goes to
#                      build/bench/ (results/, benchmarks.md, logs): the
#                      committed bench/results and docs/benchmarks.md are
#                      left alone
#   BENCH_PARTS="..."  parts to run (default: pkt e2e ctl)
#   BENCH_NODEPS=1     no apt-get
#   BENCH_TIMEOUT=S    longest run of any part (default: pkt 600 s, e2e
#                      900 s, ctl 300 s, each about twice its usual time;
#                      QUICK 180 s)
set -u
set -o pipefail
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
export QUICK=${QUICK:-0}
parts=${BENCH_PARTS:-pkt e2e ctl}
if [ "$QUICK" = 1 ]; then
	export BENCH_RESULTS=${BENCH_RESULTS:-$TOP/build/bench/results}
	doc_out=$TOP/build/bench/benchmarks.md
else
	export BENCH_RESULTS=${BENCH_RESULTS:-$TOP/bench/results}
	doc_out=$TOP/docs/benchmarks.md
fi
logs=$TOP/build/bench/logs
mkdir -p "$BENCH_RESULTS" "$logs" || exit 1

if [ "${BENCH_NODEPS:-0}" != 1 ]; then
	sh bench/install-deps.sh || exit 1
fi
make --no-print-directory bench-bins || exit 1

# failed PART REASON LOG: PART's JSON says it failed, why, and the end of
# its log.
failed() {
	local why=$2
	[ -s "$3" ] && why=$(printf '%s\n\nlast lines of its output:\n%s' \
		"$why" "$(tail -n 15 "$3")")
	python3 bench/benchjson.py failed "$1" "$BENCH_RESULTS/$1.json" "$why"
	failures=$((failures + 1))
}

# budget PART: the longest PART may take, in seconds.
budget() {
	if [ -n "${BENCH_TIMEOUT:-}" ]; then
		echo "$BENCH_TIMEOUT"
	elif [ "$QUICK" = 1 ]; then
		echo 180
	else
		case $1 in
		pkt) echo 600 ;;
		e2e) echo 900 ;;
		*) echo 300 ;;
		esac
	fi
}

# run_part PART: bench/PART/run.sh within its budget (SIGTERM, so that
# its traps clean up; SIGKILL 30 s later).
run_part() {
	local part=$1 script=bench/$1/run.sh log=$logs/$1.log start=$SECONDS rc
	local budget
	budget=$(budget "$1")
	part_pidf=$logs/$part.pid
	rm -f "$part_pidf" "$logs/$part.rc"
	echo "== $part (bench/$part/run.sh, QUICK=$QUICK)"
	rm -f "$BENCH_RESULTS/$part.json"
	if [ ! -f "$script" ]; then
		: >"$log"
		failed "$part" "$script is missing" "$log"
		return
	fi
	# In the background, so that stop_part can reach it from a trap: the
	# subshell notes timeout's pid (its own process group, the part's)
	# and its exit status.
	(
		timeout --kill-after=30 "$budget" bash "$script" 2>&1 &
		echo $! >"$part_pidf"
		wait $!
		echo $? >"$logs/$part.rc"
	) | tee "$log" &
	wait $!
	rc=$(cat "$logs/$part.rc" 2>/dev/null || echo 1)
	rm -f "$part_pidf" "$logs/$part.rc"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		failed "$part" "stopped after its $budget s" "$log"
	elif [ "$rc" -ne 0 ]; then
		failed "$part" "$script exited with status $rc" "$log"
	elif [ ! -s "$BENCH_RESULTS/$part.json" ]; then
		failed "$part" "$script wrote no $part.json" "$log"
	fi
	echo "== $part: $((SECONDS - start)) s"
}

# stop_part: a make bench stopped (^C, SIGTERM) stops the part running
# too. timeout runs it in a process group of its own, which a signal to
# ours does not reach: its group gets SIGTERM, so that the part's traps
# clean up (timeout's --kill-after bounds the wait).
part_pidf=
stop_part() {
	local pid
	[ -n "$part_pidf" ] && pid=$(cat "$part_pidf" 2>/dev/null) &&
		kill -TERM -- "-$pid" 2>/dev/null
	wait
}
trap 'stop_part; exit 130' INT
trap 'stop_part; exit 143' TERM HUP

failures=0
[ -z "${BENCH_PARTS:-}" ] && rm -f "$BENCH_RESULTS"/*.json
for part in $parts; do
	run_part "$part"
done
python3 bench/report.py --results "$BENCH_RESULTS" --doc docs/benchmarks.md \
	--out "$doc_out" || exit 1
echo "== $doc_out written from $BENCH_RESULTS; $failures part(s) failed"
[ "$failures" -eq 0 ]
