# SPDX-License-Identifier: GPL-2.0
# Shared by every tests/e2e/test_*.sh script and by demo/demo.sh: builds a
# cluster of network namespaces, runs xvsd/xvsadm in it, prints TAP lines,
# and removes everything on every exit path.
#
#            +------------------- ${PFX}sw: bridge br0 --------------------+
#            |            |             |            |           |          |
#         client       dir          rs1          rs2         rs3   (veth; the
#      198.18.0.1   198.18.0.2   .0.11        .0.12       .0.13    switch side
#      2001:db8::1  2001:db8::2  ::11         ::12        ::13     runs xdp_pass)
#                   VIP .0.100   VIP on lo    VIP on lo   VIP on lo
#                   ::100 (eth0) (DR: arp_ignore=1, arp_announce=2)
#
# Every namespace is named ${PFX}<host> with PFX=xvs<pid>-, so parallel or
# leftover runs never collide. Nothing is created in the root namespace.
# Every wait is bounded. A reaper in its own session removes the cluster if
# the script dies without running its EXIT trap (SIGKILL included).
#
# Use:   . "$(dirname "$0")/lib.sh"; cluster_up; xvsd_start; xvsadm -A ...;
#        check "what" cmd...; done_testing

set -u
set -o pipefail

XVS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_DIR=$XVS_TOP/tests/e2e
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
XDP_PASS_OBJ=$XVS_TOP/build/tests/tools/xdp_pass.bpf.o
PFX=${XVS_PFX:-xvs$$-}
VIP4=198.18.0.100
VIP6=2001:db8::100
# Longest time a cluster may live before the reaper removes it anyway.
XVS_E2E_LIFETIME=${XVS_E2E_LIFETIME:-600}

TAP_FAILED=0
TAP_COUNT=0
XVSD_LOGS=() # the log of every xvsd started, shown when a check failed
SOCK=
WORK=

# ---- TAP -----------------------------------------------------------------

ok() {
	TAP_COUNT=$((TAP_COUNT + 1))
	echo "ok - $*"
}

fail() {
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok - $*"
}

# diag TEXT: prints TEXT as TAP comment lines.
diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# check DESCRIPTION CMD...: ok when CMD exits 0; shows its output otherwise.
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		fail "$what"
		diag "command: $*" "$out"
	fi
}

# check_fail DESCRIPTION CMD...: ok when CMD exits non-zero.
check_fail() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "$what"
		diag "command succeeded but should have failed: $*" "$out"
	else
		ok "$what"
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		fail "$1"
		diag "expected:" "$2" "actual:" "$3"
	fi
}

# check_match DESCRIPTION REGEX ACTUAL (bash extended regex)
check_match() {
	if [[ "$3" =~ $2 ]]; then
		ok "$1"
	else
		fail "$1"
		diag "expected to match: $2" "actual:" "$3"
	fi
}

# die MESSAGE: a failure that stops the script (cleanup still runs).
die() {
	fail "$*"
	exit 1
}

# done_testing: the last line of every script; the exit status says whether
# every check passed.
done_testing() {
	local log
	if [ "$TAP_FAILED" -gt 0 ]; then
		for log in "${XVSD_LOGS[@]}"; do
			diag "last lines of $log:" "$(tail -n 20 "$log")"
		done
	fi
	echo "# $TAP_COUNT checks, $TAP_FAILED failed"
	[ "$TAP_FAILED" -eq 0 ] && [ "$TAP_COUNT" -gt 0 ]
	exit
}

# ---- namespaces ----------------------------------------------------------

# in_ns HOST CMD...: runs CMD in namespace ${PFX}HOST.
in_ns() {
	local ns=$PFX$1
	shift
	ip netns exec "$ns" "$@"
}

# bg_ns HOST LOG CMD...: starts CMD in the background in ${PFX}HOST, its
# output in LOG; sets BG_PID. teardown stops it with everything else in our
# namespaces.
bg_ns() {
	local ns=$PFX$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	BG_PID=$!
}

# bg_stop PID: stops a process bg_ns started (SIGTERM; xvsd then detaches
# XDP) and waits up to 3 s until it is gone. Fails if it was not running
# or is still alive.
bg_stop() {
	local pid=$1 tries=30
	[ -n "$pid" ] || return 1
	kill -TERM "$pid" 2>/dev/null || return 1
	# Gone once it is no longer there or a zombie (our child, reaped below).
	while ps -o stat= -p "$pid" | grep -qv Z; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
	return 0
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; fails
# after SECONDS.
wait_for() {
	local tries=$(($1 * 10))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# our_namespaces: the namespaces of this run.
our_namespaces() {
	ip netns list 2>/dev/null | awk -v p="$PFX" 'index($1, p) == 1 {print $1}'
}

# ns_pids: every process in our namespaces.
ns_pids() {
	local ns
	for ns in $(our_namespaces); do
		ip netns pids "$ns" 2>/dev/null
	done
}

# teardown: stops every process in our namespaces (SIGTERM, so xvsd
# detaches XDP; SIGKILL after 3 s) and deletes the namespaces, which
# removes their veths. Safe to run twice and from the reaper.
teardown() {
	local ns pid tries=30
	for pid in $(ns_pids); do
		kill -TERM "$pid" 2>/dev/null
	done
	while [ "$tries" -gt 0 ] && [ -n "$(ns_pids)" ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	for pid in $(ns_pids); do
		kill -KILL "$pid" 2>/dev/null
	done
	for ns in $(our_namespaces); do
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$WORK" ] && rm -rf "$WORK"
}

CLEANED=0
cleanup() {
	[ "$CLEANED" -eq 1 ] && return
	CLEANED=1
	teardown
	[ -n "${REAPER_PID:-}" ] && kill -TERM "$REAPER_PID" 2>/dev/null
	return 0
}

# reap PARENT_PID: body of the reaper. Waits (bounded by XVS_E2E_LIFETIME)
# until the script that started it is gone, then tears its cluster down.
reap() {
	local parent=$1 left=$((XVS_E2E_LIFETIME * 2))
	trap '' INT HUP
	trap 'exit 0' TERM
	while [ "$left" -gt 0 ] && kill -0 "$parent" 2>/dev/null; do
		sleep 0.5
		left=$((left - 1))
	done
	trap '' TERM
	if kill -TERM "$parent" 2>/dev/null; then # deadline: let it clean up
		left=50
		while [ "$left" -gt 0 ] && kill -0 "$parent" 2>/dev/null; do
			sleep 0.1
			left=$((left - 1))
		done
	fi
	teardown
}

# start_reaper: a process in its own session (so a signal to our process
# group does not reach it) that cleans up after us if we die uncleanly.
start_reaper() {
	XVS_REAP_PARENT=$$ XVS_PFX=$PFX XVS_REAP_WORK=$WORK \
		setsid bash -c '. "$1"; WORK=$XVS_REAP_WORK; reap "$XVS_REAP_PARENT"' \
		reaper "${BASH_SOURCE[0]}" </dev/null >/dev/null 2>&1 &
	REAPER_PID=$!
}

# host_add NAME V4 V6 [BRIDGE]: a namespace ${PFX}NAME with eth0 holding
# V4/24 and V6/64, joined to BRIDGE (default br0) at port NAME.
host_add() {
	local name=$1 v4=$2 v6=$3 ns=$PFX$1
	ip netns add "$ns" || return 1
	# No duplicate address detection: while eth0's link-local address is
	# tentative (up to ~2 s after link up) the kernel silently skips
	# neighbour solicitations, delaying a real server's first IPv6 reply.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 || return 1
	ip -n "$ns" link set lo up
	link_add "$name" eth0 "${4:-br0}" "$name" "$v4" "$v6"
}

# link_add HOST IF BRIDGE PORT V4 V6: a veth from HOST's IF (holding V4/24
# and V6/64) to BRIDGE's port PORT in the switch, which runs xdp_pass (so
# XDP_TX and redirects toward IF work).
link_add() {
	local ns=$PFX$1 ifname=$2 br=$3 port=$4 v4=$5 v6=$6
	ip -n "${PFX}sw" link add "$port" type veth peer name "$ifname" netns "$ns" || return 1
	ip -n "${PFX}sw" link set "$port" master "$br"
	ip -n "${PFX}sw" link set dev "$port" xdp obj "$XDP_PASS_OBJ" sec xdp || return 1
	ip -n "${PFX}sw" link set "$port" up
	ip -n "$ns" addr add "$v4/24" dev "$ifname"
	ip -n "$ns" addr add "$v6/64" dev "$ifname" nodad
	ip -n "$ns" link set "$ifname" up
	# Locally originated TCP must carry full checksums through XDP_TX.
	ip netns exec "$ns" ethtool -K "$ifname" tx off >/dev/null || return 1
}

# bridge_add NAME: another bridge (another L2 segment) in the switch.
bridge_add() {
	ip -n "${PFX}sw" link add "$1" type bridge stp_state 0 mcast_snooping 0 || return 1
	ip -n "${PFX}sw" link set "$1" up
}

# rs_add NAME V4 V6 VIP...: a DR real server holding every VIP on lo and
# running tests/e2e/rs_server.py (HTTP on 80, UDP echo on 5353), waited
# for (5 s at most).
rs_add() {
	local name=$1 v4=$2 v6=$3 vip
	shift 3
	host_add "$name" "$v4" "$v6" || return 1
	ip netns exec "$PFX$name" sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 || return 1
	for vip in "$@"; do
		if [[ "$vip" == *:* ]]; then
			ip -n "$PFX$name" addr add "$vip/128" dev lo nodad preferred_lft 0
		else
			ip -n "$PFX$name" addr add "$vip/32" dev lo
		fi
	done
	rs_server_start "$name"
}

# rs_server_start NAME [ARGS...]: (re)starts rs_server.py in NAME with ARGS,
# its output in $WORK/NAME.log, and waits (5 s at most) until it listens.
rs_server_start() {
	local name=$1
	shift
	rm -f "$WORK/$name.ready"
	bg_ns "$name" "$WORK/$name.log" "$PYTHON" "$E2E_DIR/rs_server.py" "$name" \
		--ready "$WORK/$name.ready" "$@"
	echo "$BG_PID" >"$WORK/$name.pid"
	wait_for 5 test -e "$WORK/$name.ready"
}

# rs_server_stop NAME: stops NAME's rs_server.py (as a crashed web server
# would go: its port then refuses connections) and waits up to 3 s.
rs_server_stop() {
	bg_stop "$(cat "$WORK/$1.pid" 2>/dev/null)"
}

# nat_rs_add NAME V4 V6 GW4 GW6 BRIDGE HTTP_PORT UDP_PORT: a VS/NAT real
# server on BRIDGE: no VIP, its default routes via the director (GW4,
# GW6), ICMP redirects ignored (a one-armed director forwards replies back
# out of the interface they came in on, which makes the kernel send
# redirects), running rs_server.py on the given ports.
nat_rs_add() {
	local name=$1 ns=$PFX$1
	host_add "$name" "$2" "$3" "$6" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.accept_redirects=0 \
		net.ipv4.conf.eth0.accept_redirects=0 \
		net.ipv6.conf.all.accept_redirects=0 \
		net.ipv6.conf.eth0.accept_redirects=0 || return 1
	ip -n "$ns" route add default via "$4" || return 1
	ip -n "$ns" -6 route add default via "$5" || return 1
	bg_ns "$name" "$WORK/$name.log" "$PYTHON" "$E2E_DIR/rs_server.py" "$name" \
		--http-port "$7" --udp-port "$8" --ready "$WORK/$name.ready"
}

# tun_rs_add NAME V4 V6 VIP...: a VS/TUN real server: no ARP settings, as
# nobody on the segment asks for a tunnel service's VIP (see tun_vips);
# every VIP on lo; rp_filter off (a decapsulated packet comes from the
# client, whichever way the route back goes); build/xvs-decap on eth0,
# taking GUE on port 6080; rs_server.py, waited for (5 s at most).
tun_rs_add() {
	local name=$1 v4=$2 v6=$3 ns=$PFX$1 vip
	shift 3
	host_add "$name" "$v4" "$v6" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 \
		net.ipv4.conf.lo.rp_filter=0 || return 1
	for vip in "$@"; do
		if [[ "$vip" == *:* ]]; then
			ip -n "$ns" addr add "$vip/128" dev lo nodad || return 1
		else
			ip -n "$ns" addr add "$vip/32" dev lo || return 1
		fi
	done
	in_ns "$name" "$XVS_TOP/build/xvs-decap" attach eth0 --gue-port 6080 ||
		return 1
	bg_ns "$name" "$WORK/$name.log" "$PYTHON" "$E2E_DIR/rs_server.py" "$name" \
		--ready "$WORK/$name.ready"
	wait_for 5 test -e "$WORK/$name.ready"
}

# tun_vips VIP...: addresses for tunnel services outside the cluster's
# subnets, as VIPs usually are: the director holds them on lo and the
# client routes them via the director, so only the director's tunnels
# bring their packets to the real servers.
tun_vips() {
	local vip
	for vip in "$@"; do
		if [[ "$vip" == *:* ]]; then
			ip -n "${PFX}dir" addr add "$vip/128" dev lo nodad || return 1
			ip -n "${PFX}client" -6 route add "$vip/128" via 2001:db8::2 ||
				return 1
		else
			ip -n "${PFX}dir" addr add "$vip/32" dev lo || return 1
			ip -n "${PFX}client" route add "$vip/32" via 198.18.0.2 ||
				return 1
		fi
	done
}

# director_forwarding NAME: what VS/NAT needs on a director, as IPVS does:
# forwarding on; accept_local, so that a reply the data plane rewrote to
# come from the VIP (one of its own addresses) and handed to the kernel
# (its client's MAC not known yet) is forwarded, not dropped as a martian;
# no ICMP redirects toward real servers.
director_forwarding() {
	ip netns exec "$PFX$1" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.accept_local=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0
	local ifname
	for ifname in $(ip -n "$PFX$1" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
		ip netns exec "$PFX$1" sysctl -qw "net.ipv4.conf.$ifname.send_redirects=0"
	done
}

# director_add NAME V4 V6 VIP4 VIP6: a director holding the VIPs on eth0.
director_add() {
	host_add "$1" "$2" "$3" || return 1
	ip -n "$PFX$1" addr add "$4/32" dev eth0
	# Deprecated (preferred_lft 0), so it is never picked as a source: a
	# /128 beats the /64 in source selection, and a real server would take
	# replies to the VIP for itself.
	ip -n "$PFX$1" addr add "$5/128" dev eth0 nodad preferred_lft 0
}

# cluster_init: checks, the work directory, cleanup traps, the reaper, and
# the switch namespace with bridge br0, empty.
cluster_init() {
	[ -f "$XDP_PASS_OBJ" ] || die "$XDP_PASS_OBJ missing: run 'make build/tests/tools/xdp_pass.bpf.o'"
	[ "$(id -u)" -eq 0 ] || die "e2e tests need root (network namespaces, XDP)"
	[ -n "$PYTHON" ] || die "python3 not found"
	WORK=$(mktemp -d "/tmp/${PFX}XXXXXX") || die "mktemp failed"
	SOCK=$WORK/xvsd.sock
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	start_reaper

	ip netns add "${PFX}sw" || die "cannot create namespace ${PFX}sw"
	bridge_add br0 || die "cannot create the bridge"
	ip netns exec "${PFX}sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
}

# cluster_up: the standard cluster drawn at the top of this file, checked
# with pings (which also fill the director's neighbour table, as health
# checks would on a real director).
cluster_up() {
	cluster_init
	host_add client 198.18.0.1 2001:db8::1 || die "cannot add client"
	director_add dir 198.18.0.2 2001:db8::2 "$VIP4" "$VIP6" || die "cannot add director"
	local i
	for i in 1 2 3; do
		rs_add "rs$i" "198.18.0.1$i" "2001:db8::1$i" "$VIP4" "$VIP6" ||
			die "cannot add rs$i: $(cat "$WORK/rs$i.log" 2>/dev/null)"
	done
	in_ns client "$PYTHON" "$E2E_DIR/client.py" ping 198.18.0.2 2001:db8::2 \
		198.18.0.11 2001:db8::11 >/dev/null || die "client cannot ping the director"
	in_ns dir "$PYTHON" "$E2E_DIR/client.py" ping 198.18.0.11 198.18.0.12 \
		198.18.0.13 2001:db8::11 2001:db8::12 2001:db8::13 >/dev/null ||
		die "director cannot ping the real servers"
}

# ---- xvsd / xvsadm -------------------------------------------------------

# xvsd_start [HOST [SOCKET]]: starts build/xvsd on HOST's eth0 (default the
# director, with $SOCK; XVSD_INTERFACES="eth0 eth1" names others) in the
# foreground, in the background of this script, with the words of
# XVSD_ARGS as further arguments (e.g. XVSD_ARGS="--config FILE");
# waits up to 10 s until it answers `xvsadm -L -n` (xvsd opens its socket
# before attaching XDP, so the socket alone does not mean ready). Sets
# XVSD_PID and XVSD_LOG.
xvsd_start() {
	local host=${1:-dir} sock=${2:-$SOCK} end=$((SECONDS + 10)) bin
	for bin in xvsd xvsadm; do
		[ -x "$XVS_TOP/build/$bin" ] || die "build/$bin missing: run 'make'"
	done
	[ -e "$sock" ] && die "xvsd_start: $sock is already there (a daemon running?)"
	XVSD_LOG=$WORK/$(basename "$sock" .sock)-$host.log
	local ifaces=() ifname
	for ifname in ${XVSD_INTERFACES:-eth0}; do
		ifaces+=(--interface "$ifname")
	done
	bg_ns "$host" "$XVSD_LOG" "$XVS_TOP/build/xvsd" "${ifaces[@]}" \
		--socket "$sock" --foreground ${XVSD_ARGS:-}
	XVSD_PID=$BG_PID
	XVSD_LOGS+=("$XVSD_LOG")
	while [ "$SECONDS" -lt "$end" ]; do
		kill -0 "$XVSD_PID" 2>/dev/null ||
			die "xvsd on $host exited at start: $(cat "$XVSD_LOG")"
		[ -S "$sock" ] && in_ns "$host" timeout 2 "$XVS_TOP/build/xvsadm" \
			--socket "$sock" -L -n >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	die "xvsd on $host: no answer on $sock after 10 s: $(cat "$XVSD_LOG")"
}

# xvsd_reload [PID]: SIGHUP, so that xvsd re-reads its --config file
# (default the last xvsd started). Returns at once: wait for the effect.
xvsd_reload() {
	kill -HUP "${1:-$XVSD_PID}"
}

# xvsadm ARGS...: build/xvsadm against the test daemon, in the director.
xvsadm() {
	in_ns dir "$XVS_TOP/build/xvsadm" --socket "$SOCK" "$@"
}

# dr_service VIP:PORT SCHED [OPTS...]: a TCP service with scheduler SCHED
# (and further -A options) and rs1..rs3 on the same port, direct routing,
# weight 1.
dr_service() {
	local svc=$1 i
	shift
	xvsadm -A -t "$svc" -s "$@" || return 1
	for i in 1 2 3; do
		xvsadm -a -t "$svc" -r "198.18.0.1$i:${svc##*:}" -g -w 1 || return 1
	done
}

# client ARGS...: tests/e2e/client.py in the client namespace.
client() {
	in_ns client "$PYTHON" "$E2E_DIR/client.py" "$@"
}

# stats_conns SERVICE [RS]: the Conns column of `-L -n --stats` for the
# service line (e.g. "TCP  198.18.0.100:80") or for its real server RS.
stats_conns() {
	stats_col 3 "$@"
}

# stats_col N SERVICE [RS]: column N of `-L -n --stats --exact` (3 Conns,
# 4 InPkts, 5 OutPkts, 6 InBytes, 7 OutBytes) for a service or its RS.
stats_col() {
	xvsadm -L -n --stats --exact | awk -v n="$1" -v svc="$2" -v rs="${3:-}" '
		/^(TCP|UDP|SCTP|FWM) / { insvc = ($1 "  " $2 == svc) }
		insvc && rs == "" && /^(TCP|UDP|SCTP|FWM) / { print $n; exit }
		insvc && rs != "" && $1 == "->" && $2 == rs { print $n; exit }'
}

# rs_conns RS: "ActiveConn InActConn" of real server RS ("ADDR:PORT") in
# -L -n (its first service).
rs_conns() {
	xvsadm -L -n | awk -v rs="$1" '$1 == "->" && $2 == rs { print $5, $6; exit }'
}

# ---- one kept-alive connection -------------------------------------------
# session_start URL: opens ONE HTTP keep-alive connection from the client
# (client.py session, as a coprocess). session_get sends a request on it and
# sets SESSION_ANSWER to the answering server or "error KIND: ...".
session_start() {
	coproc SESSION { in_ns client "$PYTHON" "$E2E_DIR/client.py" session \
		--timeout 2 "$1" 2>&1; }
	session_read
}

session_read() {
	SESSION_ANSWER="error gone: client.py session is not running"
	local fd=${SESSION[0]:-}
	[ -n "$fd" ] || return 1
	read -t 5 -r SESSION_ANSWER <&"$fd" ||
		SESSION_ANSWER="error timeout: no answer from client.py session"
}

session_get() {
	local fd=${SESSION[1]:-}
	if [ -z "$fd" ] || ! kill -0 "$SESSION_PID" 2>/dev/null; then
		SESSION_ANSWER="error gone: client.py session is not running"
		return
	fi
	echo get >&"$fd"
	session_read
}

# session_home URL: session_start URL and one request on it; sets HOME_RS
# to the real server that answered ("rs2"), or dies.
session_home() {
	session_start "$1"
	session_get
	HOME_RS=$SESSION_ANSWER
	[[ "$HOME_RS" =~ ^rs[0-9]+$ ]] ||
		die "a kept-alive connection to $1: $HOME_RS"
}

# session_stop: ends the session and waits (up to 3 s) until it is gone.
session_stop() {
	local fd=${SESSION[1]:-} pid=${SESSION_PID:-} tries=30
	[ -n "$pid" ] || return 0
	[ -n "$fd" ] && kill -0 "$pid" 2>/dev/null && echo quit >&"$fd"
	while [ "$tries" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		tries=$((tries - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
