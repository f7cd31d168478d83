#!/bin/bash
# Runs every test level and sums their results. Each level prints one line
# per check, "ok - what" or "not ok - what" (TAP style); a level that exits
# non-zero also counts as one failure. Ends with the line CI reads:
# "N passed, N failed".
#   XVS_TESTS=unit,bpf,e2e  levels to run (default all)
#   XVS_E2E=word            only e2e scripts whose name contains word
set -u
cd "$(dirname "$0")/.."
levels=${XVS_TESTS:-unit,bpf,e2e}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run NAME CMD...: runs one test program, keeping its lines in the log.
run() {
	local name=$1
	shift
	echo "== $name"
	"$@" 2>&1 | tee -a "$log"
	local rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || echo "not ok - $name exited with status $rc" | tee -a "$log"
}

[[ ",$levels," == *,unit,* ]] && run unit build/tests/unit_tests
[[ ",$levels," == *,bpf,* ]] && run bpf build/tests/bpf_tests
if [[ ",$levels," == *,e2e,* ]]; then
	for t in tests/e2e/test_*.sh; do
		[[ "$(basename "$t")" == *"${XVS_E2E:-}"* ]] || continue
		run "e2e $(basename "$t" .sh)" bash "$t"
	done
fi

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
