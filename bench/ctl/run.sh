#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Part ctl of `make bench`: the control plane, timed by hyperfine against
# one xvsd in a namespace cluster (tests/e2e/lib.sh):
#
#   client 198.18.0.1 --- br0 --- dir 198.18.0.2, xvsd, VIP 198.18.0.100
#                          |
#          rs1..rs11 198.18.0.11..21: no VIP, so DR sinks dropping what
#          they get (nothing needs to answer)
#
#  1. restore: `xvsadm -R` of SERVICES services (VIP ports 10000...) with
#     10 real servers each (rs1..rs10, rr), in the -S format, into an
#     empty table (`-C` before each run);
#  2. add: `xvsadm -a` of rs11 to one service of that loaded table (`-d`
#     before each run); and add_del: PAIRS times -a and -d of it in one
#     `xvsadm -R`, the daemon's share of such a change without xvsadm's
#     start;
#  3. list: `xvsadm -L -c -n` with CONNS connections in the table, made by
#     traffic through the data plane: conn_fill.py's handshakes (a SYN,
#     then the ACK) from 100 source addresses, ESTABLISHED for 900 s.
# xvsadm runs in the root namespace: its socket is a path, reachable from
# any network namespace, and `ip netns exec` would add its own time.
# One more run of -R and of -L -c -n, untimed, under `perf record -a`
# (when perf is there) gives the top symbols of xvsd and xvsadm, kept in
# the JSON so that the reading can say where the time goes.
# Writes $BENCH_RESULTS/ctl.json (bench/results by default; with QUICK=1
# build/bench/results). QUICK=1: 100 services, 5,000 connections, 3 runs
# each.
. "$(dirname "$0")/../../tests/e2e/lib.sh"

CTL_DIR=$XVS_TOP/bench/ctl
# QUICK numbers never go into the committed bench/results by default.
DEFAULT_RESULTS=$XVS_TOP/bench/results
[ "${QUICK:-0}" = 1 ] && DEFAULT_RESULTS=$XVS_TOP/build/bench/results
OUT=${BENCH_RESULTS:-$DEFAULT_RESULTS}/ctl.json
VIP=$VIP4
RS_PER_SVC=10
if [ "${QUICK:-0}" = 1 ]; then
	SERVICES=100 CONNS=5000 RUNS=3 ADD_RUNS=5 PAIRS=50
else
	SERVICES=1000 CONNS=100000 RUNS=10 ADD_RUNS=30 PAIRS=200
fi
FIRST_PORT=10000
ADD_PORT=$((FIRST_PORT + SERVICES / 2))
ADD_SVC=$VIP:$ADD_PORT
# DR: a real server's port is the service's (ipvsadm sets it so on -a).
ADD_RS=198.18.0.$((11 + RS_PER_SVC)):$ADD_PORT
CONN_SVC=$VIP:$FIRST_PORT

command -v hyperfine >/dev/null || die "hyperfine missing: sh bench/install-deps.sh"

# timed NAME HYPERFINE_ARGS...: hyperfine's runs into $WORK/NAME.json; the
# command line, as a reader can repeat it, into $WORK/commands.
timed() {
	local name=$1 arg line=hyperfine
	shift
	hyperfine --style basic --export-json "$WORK/$name.json" "$@" ||
		die "hyperfine $name failed"
	for arg in "$@"; do
		if [[ "$arg" =~ ^[[:alnum:]_./:=,+-]+$ ]]; then
			line+=" $arg"
		else
			line+=" '$arg'"
		fi
	done
	sed -e "s|$XVS_TOP/||g" -e "s|$WORK|\$WORK|g" <<<"$line" >>"$WORK/commands"
}

# profile NAME CMD: one run of CMD (a shell line) under perf record -a;
# the top symbols of xvsd and xvsadm, as shares of their samples, into
# $WORK/NAME.prof ("26.53%  xvsd  [.] symbol" lines). Nothing without perf.
profile() {
	local name=$1 cmd=$2
	command -v perf >/dev/null || return 0
	perf record -q -a -F 1999 -o "$WORK/$name.perf" -- sh -c "$cmd" \
		>/dev/null 2>&1 || return 0
	perf report -i "$WORK/$name.perf" --comms xvsd,xvsadm --sort comm,sym \
		--no-children --percentage relative --stdio -q 2>/dev/null |
		awk '$1 ~ /%$/' | head -n 8 >"$WORK/$name.prof"
	echo "perf record -a -F 1999 -- sh -c '$cmd'" |
		sed -e "s|$XVS_TOP/||g" -e "s|$WORK|\$WORK|g" >>"$WORK/commands"
}

# svc_active SERVICE: the ActiveConn of SERVICE's real servers, summed.
svc_active() {
	xvsadm -L -n -t "$1" | awk '$1 == "->" { a += $5 } END { print a + 0 }'
}

# fill_conns: CONNS handshakes toward CONN_SVC; sends them again (at most
# twice, which moves nothing for a connection already there) if the
# veths dropped some. Sets MADE to the connections counted active.
fill_conns() {
	local smac dmac pass last tries
	smac=$(ip -n "${PFX}client" -br link show eth0 | awk '{print $3}')
	dmac=$(ip -n "${PFX}dir" -br link show eth0 | awk '{print $3}')
	for pass in 1 2 3; do
		in_ns client "$PYTHON" "$CTL_DIR/conn_fill.py" eth0 "$smac" "$dmac" \
			"$VIP" "${CONN_SVC##*:}" "$CONNS" || die "conn_fill.py failed"
		# Counted as the data plane sees each ACK: wait until it stops.
		MADE=-1 tries=50
		while [ "$tries" -gt 0 ]; do
			last=$MADE
			MADE=$(svc_active "$CONN_SVC")
			[ "$MADE" -ge "$CONNS" ] || [ "$MADE" -eq "$last" ] && break
			sleep 0.2
			tries=$((tries - 1))
		done
		echo "# pass $pass: $MADE of $CONNS connections active"
		[ "$MADE" -ge "$CONNS" ] && return 0
	done
}

cluster_init
host_add client 198.18.0.1 2001:db8::1 || die "cannot add the client"
director_add dir 198.18.0.2 2001:db8::2 "$VIP4" "$VIP6" || die "cannot add the director"
rs_ips=()
for i in $(seq 1 $((RS_PER_SVC + 1))); do
	rs_ips+=("198.18.0.$((10 + i))")
	host_add "rs$i" "${rs_ips[-1]}" "2001:db8::$((10 + i))" || die "cannot add rs$i"
done
# The director learns the real servers' MACs, as from health checks.
in_ns dir "$PYTHON" "$E2E_DIR/client.py" ping "${rs_ips[@]}" >/dev/null ||
	die "the director cannot ping the real servers"
xvsd_start
ADM="$XVS_TOP/build/xvsadm --socket $SOCK"

rules=$WORK/restore.rules
for port in $(seq "$FIRST_PORT" $((FIRST_PORT + SERVICES - 1))); do
	echo "-A -t $VIP:$port -s rr"
	for i in $(seq 1 "$RS_PER_SVC"); do
		echo "-a -t $VIP:$port -r 198.18.0.$((10 + i)):$port -g -w 1"
	done
done >"$rules"
lines=$(wc -l <"$rules")

echo "# restore: $SERVICES services x $RS_PER_SVC real servers ($lines lines)"
timed restore --runs "$RUNS" --warmup 1 --prepare "$ADM -C" \
	-n "xvsadm -R" "$ADM -R < $rules"
$ADM -C || die "-C failed"
profile restore "$ADM -R < $rules"
saved=$($ADM -S -n | grep -c '^-a ')
[ "$saved" -eq $((SERVICES * RS_PER_SVC)) ] ||
	die "after -R, -S -n shows $saved real servers, not $((SERVICES * RS_PER_SVC))"

echo "# add: one real server to $ADD_SVC in that table"
# Without a shell (-N): a run takes about a millisecond, below what
# hyperfine can correct a shell's start-up time by.
timed add -N --runs "$ADD_RUNS" --warmup 2 \
	--prepare "sh -c \"$ADM -d -t $ADD_SVC -r $ADD_RS 2>/dev/null || true\"" \
	-n "xvsadm -a" "$ADM -a -t $ADD_SVC -r $ADD_RS -g -w 1"
$ADM -d -t "$ADD_SVC" -r "$ADD_RS" || die "cannot delete $ADD_RS again"

echo "# add_del: $PAIRS times -a and -d of it in one -R"
for _ in $(seq 1 "$PAIRS"); do
	echo "-a -t $ADD_SVC -r $ADD_RS -g -w 1"
	echo "-d -t $ADD_SVC -r $ADD_RS"
done >"$WORK/add_del.rules"
timed add_del --runs "$RUNS" --warmup 1 -n "xvsadm -R (-a, -d) x $PAIRS" \
	"$ADM -R < $WORK/add_del.rules"

echo "# list: $CONNS connections to $CONN_SVC"
fill_conns
listed=$($ADM -L -c -n | grep -c ' ESTABLISHED ')
timed list -N --runs "$RUNS" --warmup 1 -n "xvsadm -L -c -n" "$ADM -L -c -n"
profile list "$ADM -L -c -n >/dev/null"

"$PYTHON" "$CTL_DIR/ctl_json.py" "$OUT" "$WORK" --services "$SERVICES" \
	--rs-per-svc "$RS_PER_SVC" --lines "$lines" --pairs "$PAIRS" \
	--conns "$CONNS" --made "$MADE" --listed "$listed" ||
	die "cannot write $OUT"
echo "# wrote $OUT"
