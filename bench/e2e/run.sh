#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End to end (issue 6, items 2 and 5): wrk through a director in network
# namespaces, xvs against the alternatives, then a SYN flood through xvs
# DR. Writes $BENCH_RESULTS/e2e.json and synflood.json (bench/benchjson.py).
#
#            +-------------- ${PFX}sw: bridge br0 (xdp_pass on every port) -------+
#            |               |                    |                 |             |
#         client          dir (director)       rs1 rs2 rs3       flood
#      198.18.0.1      198.18.0.2, 198.18.1.2   .0.11-.0.13      198.18.0.3
#      wrk             VIPs on eth0:            .1.11-.1.13      synflood; sink
#                      .0.100 xvs DR            nginx :80        of SYN-ACKs to
#                      .0.101 xvs NAT           VIPs on lo:      198.19.0.0/16
#                      .0.102 hashfwd           .0.100 .0.102    (not forwarded)
#                      .0.103 HAProxy           198.18.2.100
#                      .0.104 nginx stream
#                      198.18.2.100 on lo, xvs TUN (the client routes it via dir)
#
# Real servers: one nginx each (1 worker, keep-alive, no access log, a
# $FILE_BYTES-byte static file); DR: VIPs on lo, arp_ignore=1,
# arp_announce=2; TUN: build/xvs-decap on eth0 during its rounds, rp_filter
# off; NAT: replies from 198.18.1.0/24 go via the director (policy
# routing), while DR and TUN replies go straight to the client.
#
# Configurations, interleaved round by round, each brought up and down in
# turn so that only one director runs at a time: direct (client to rs1,
# no director), xvs-dr, xvs-tun, xvs-nat (xvsd, rr, native XDP on dir's
# eth0, a fresh daemon per configuration), hashfwd (bench/bpf/hashfwd.bpf.o,
# native XDP on dir's eth0), haproxy (mode tcp, roundrobin, 1 thread),
# nginx-stream (1 worker, round robin). Each: wrk -t2 -c50 -d${DURATION}s
# --latency, keep-alive and with `Connection: close`.
#
# CPUs (2 or more): wrk, the director's user-space proxy and the flood
# generator on CPU 0, the three nginx on CPU 1 (taskset). Softirq work runs
# on the CPU of the process that sent the packet (veth), so the director's
# XDP work for client packets lands on CPU 0 with the client, as the
# proxies do. One CPU: everything on CPU 0.
#
#   QUICK=1                1 round of 2 s per configuration (default 3 of 10)
#   E2E_ROUNDS, E2E_DURATION, E2E_FLOOD_ROUNDS   override the above
#   E2E_CONFIGS="..."      configurations (default all seven)
#   E2E_ONLY=e2e|synflood  one half (default both)
#   E2E_CONN_TABLE=N       xvsd's --conn-table-size (default 262144, its
#                          default); a small one lets the flood overflow it
#   BENCH_RESULTS=DIR      where the JSON goes (default bench/results;
#                          with QUICK=1 build/bench/results)
XVS_PFX=${XVS_PFX:-xvsb$$-}
XVS_E2E_LIFETIME=${XVS_E2E_LIFETIME:-1200}
. "$(dirname "${BASH_SOURCE[0]}")/../../tests/e2e/lib.sh"

HERE=$XVS_TOP/bench/e2e
# QUICK numbers never go into the committed bench/results by default.
DEFAULT_RESULTS=$XVS_TOP/bench/results
[ "${QUICK:-0}" = 1 ] && DEFAULT_RESULTS=$XVS_TOP/build/bench/results
RESULTS=${BENCH_RESULTS:-$DEFAULT_RESULTS}
if [ "${QUICK:-0}" = 1 ]; then
	ROUNDS=${E2E_ROUNDS:-1} DURATION=${E2E_DURATION:-2}
	FLOOD_ROUNDS=${E2E_FLOOD_ROUNDS:-1}
else
	ROUNDS=${E2E_ROUNDS:-3} DURATION=${E2E_DURATION:-10}
	FLOOD_ROUNDS=${E2E_FLOOD_ROUNDS:-1}
fi
CONFIGS=${E2E_CONFIGS:-direct xvs-dr xvs-tun xvs-nat hashfwd haproxy nginx-stream}
ONLY=${E2E_ONLY:-all}
THREADS=2 CONNS=50 FILE_BYTES=612
CONN_TABLE=${E2E_CONN_TABLE:-262144}
HASHFWD_OBJ=$XVS_TOP/build/bench/bpf/hashfwd.bpf.o
SYNFLOOD=$XVS_TOP/build/bench/synflood
DECAP=$XVS_TOP/build/xvs-decap
RS_IPS=(198.18.0.11 198.18.0.12 198.18.0.13)
NAT_IPS=(198.18.1.11 198.18.1.12 198.18.1.13)
VIP_DR=198.18.0.100 VIP_NAT=198.18.0.101 VIP_HASHFWD=198.18.0.102
VIP_HAPROXY=198.18.0.103 VIP_STREAM=198.18.0.104 VIP_TUN=198.18.2.100
FLOOD_NET=198.19.0.0/16
if [ "$(nproc)" -ge 2 ]; then
	CLIENT_CPU=0 DIRECTOR_CPU=0 SERVER_CPU=1 FLOOD_CPU=0
else
	CLIENT_CPU=0 DIRECTOR_CPU=0 SERVER_CPU=0 FLOOD_CPU=0
fi
RESULTS_PY=("$PYTHON" "$HERE/results.py")

for f in "$HASHFWD_OBJ" "$SYNFLOOD" "$DECAP" "$XVS_TOP/build/xvsd"; do
	[ -e "$f" ] || die "$f missing: run 'make bench-bins'"
done
for tool in wrk nginx haproxy bpftool curl taskset; do
	command -v "$tool" >/dev/null || die "$tool missing: run 'sh bench/install-deps.sh'"
done
[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] ||
	die "nginx's stream module missing: run 'sh bench/install-deps.sh'"

# ---- the cluster -------------------------------------------------------------

# nginx_conf DIR BODY: DIR/nginx.conf, one worker in the foreground, all
# its files under DIR, then BODY (the http or stream block).
nginx_conf() {
	mkdir -p "$1" || return 1
	cat >"$1/nginx.conf" <<-EOF
		${3:-}
		worker_processes 1;
		daemon off;
		pid $1/nginx.pid;
		error_log $1/error.log warn;
		events { worker_connections 8192; }
		$2
	EOF
}

# rs_nginx NAME: NAME's nginx serving $WORK/www on port 80; keep-alive
# without a request limit, so that wrk's connections last the whole run.
rs_nginx() {
	local d=$WORK/$1
	nginx_conf "$d" "http {
	access_log off;
	keepalive_timeout 65;
	keepalive_requests 1000000000;
	client_body_temp_path $d/body;
	proxy_temp_path $d/proxy;
	fastcgi_temp_path $d/fastcgi;
	uwsgi_temp_path $d/uwsgi;
	scgi_temp_path $d/scgi;
	server {
		listen 80 backlog=4096;
		root $WORK/www;
	}
}" || return 1
	bg_ns "$1" "$d/out.log" taskset -c "$SERVER_CPU" nginx -p "$d/" \
		-c "$d/nginx.conf" -e "$d/error.log"
}

# real_server N: rsN, reachable for DR, TUN and NAT (see the top).
real_server() {
	local name=rs$1 ns=${PFX}rs$1 ip=${RS_IPS[$1 - 1]} nat=${NAT_IPS[$1 - 1]}
	host_add "$name" "$ip" "2001:db8::1$1" || return 1
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 \
		net.ipv4.conf.lo.rp_filter=0 net.core.somaxconn=4096 || return 1
	ip -n "$ns" addr add "$nat/24" dev eth0 || return 1
	local vip
	for vip in "$VIP_DR" "$VIP_HASHFWD" "$VIP_TUN"; do
		ip -n "$ns" addr add "$vip/32" dev lo || return 1
	done
	ip -n "$ns" rule add from 198.18.1.0/24 lookup 100 || return 1
	ip -n "$ns" route add default via 198.18.1.2 dev eth0 onlink table 100 ||
		return 1
	ip -n "$ns" route add "$FLOOD_NET" via 198.18.0.3 || return 1
	rs_nginx "$name"
}

bench_up() {
	cluster_init
	# A switch, not a firewall: bridged IPv4 and IPv6 skip netfilter (on
	# by default in every namespace here, with a route lookup per frame).
	ip netns exec "${PFX}sw" sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
		net.bridge.bridge-nf-call-ip6tables=0 \
		net.bridge.bridge-nf-call-arptables=0 || die "bridge sysctls"
	# nginx's workers run as nobody: they may pass through $WORK (0700
	# from mktemp) into www, and nothing more.
	mkdir -p "$WORK/www" && chmod 711 "$WORK" && chmod 755 "$WORK/www" ||
		die "cannot make $WORK/www"
	head -c "$FILE_BYTES" /dev/zero | tr '\0' x >"$WORK/www/index.html"
	chmod 644 "$WORK/www/index.html"
	host_add client 198.18.0.1 2001:db8::1 || die "cannot add the client"
	director_add dir 198.18.0.2 2001:db8::2 "$VIP_DR" 2001:db8::100 ||
		die "cannot add the director"
	host_add flood 198.18.0.3 2001:db8::3 || die "cannot add the flood host"
	local ip
	for ip in "$VIP_NAT" "$VIP_HASHFWD" "$VIP_HAPROXY" "$VIP_STREAM"; do
		ip -n "${PFX}dir" addr add "$ip/32" dev eth0 || die "VIP $ip"
	done
	ip -n "${PFX}dir" addr add 198.18.1.2/24 dev eth0 || die "NAT side address"
	tun_vips "$VIP_TUN" || die "TUN VIP"
	director_forwarding dir
	# Connection: close opens thousands of connections a second: wide
	# port ranges and TIME_WAIT reuse on the connecting sides.
	for ip in client dir; do
		ip netns exec "$PFX$ip" sysctl -qw net.ipv4.tcp_tw_reuse=1 \
			net.ipv4.ip_local_port_range="1024 65535" ||
			die "sysctls of $ip"
	done
	for ip in 1 2 3; do
		real_server "$ip" || die "cannot add rs$ip"
	done
	# The NAT addresses are reached through the director only.
	for ip in "${RS_IPS[@]}" "${NAT_IPS[@]}"; do
		wait_for 5 http_ok "http://$ip/index.html" dir ||
			die "nginx at $ip does not answer: $(tail -n 3 "$WORK"/rs*/error.log)"
	done
}

# http_ok URL [HOST]: one GET from HOST (default the client) answered 200.
http_ok() {
	[ "$(in_ns "${2:-client}" curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		"$1")" = 200 ]
}

# mac_of HOST: the MAC of HOST's eth0.
mac_of() {
	in_ns "$1" cat /sys/class/net/eth0/address
}

# director_map NAME: the id of map NAME of the XDP program on the
# director's eth0.
director_map() {
	local prog
	read -r _ prog < <(ip -n "${PFX}dir" -j -d link show dev eth0 |
		"${RESULTS_PY[@]}" xdp-mode)
	"${RESULTS_PY[@]}" map-id "$prog" "$1"
}

# ---- the configurations ------------------------------------------------------

config_url() {
	case $1 in
	direct) echo "http://${RS_IPS[0]}/index.html" ;;
	xvs-dr) echo "http://$VIP_DR/index.html" ;;
	xvs-tun) echo "http://$VIP_TUN/index.html" ;;
	xvs-nat) echo "http://$VIP_NAT/index.html" ;;
	hashfwd) echo "http://$VIP_HASHFWD/index.html" ;;
	haproxy) echo "http://$VIP_HAPROXY/index.html" ;;
	nginx-stream) echo "http://$VIP_STREAM/index.html" ;;
	esac
}

# xvs_service VIP FLAG ADDRS...: xvsd on the director's eth0 (native XDP),
# one rr service on VIP:80 with ADDRS:80 forwarded by FLAG (-g, -i, -m).
xvs_service() {
	local vip=$1 flag=$2 ip
	shift 2
	XVSD_ARGS="--xdp-mode native --conn-table-size $CONN_TABLE" xvsd_start
	# On the director's CPU, as the proxies (its sweep reads the table).
	taskset -a -p -c "$DIRECTOR_CPU" "$XVSD_PID" >/dev/null || return 1
	xvsadm -A -t "$vip:80" -s rr || return 1
	for ip in "$@"; do
		xvsadm -a -t "$vip:80" -r "$ip:80" "$flag" || return 1
	done
}

# hashfwd_up: bench/bpf/hashfwd.bpf.o on the director's eth0 (native),
# configured through its maps: VIP_HASHFWD:80/TCP to the three real
# servers' MACs.
hashfwd_up() {
	local conf macs i
	ip -n "${PFX}dir" link set dev eth0 xdpdrv obj "$HASHFWD_OBJ" sec xdp ||
		return 1
	conf=$(director_map hashfwd_conf) || return 1
	macs=$(director_map hashfwd_macs) || return 1
	# struct hashfwd_conf: vip (4 bytes), port (2, network order),
	# proto, n_dests.
	bpftool map update id "$conf" key 0 0 0 0 \
		value ${VIP_HASHFWD//./ } 0 80 6 3 || return 1
	for i in 0 1 2; do
		bpftool map update id "$macs" key "$i" 0 0 0 \
			value hex $(mac_of "rs$((i + 1))" | tr : ' ') 00 00 || return 1
	done
}

proxy_up() {
	local d=$WORK/$1 ip servers=
	case $1 in
	haproxy)
		mkdir -p "$d" || return 1
		for ip in "${RS_IPS[@]}"; do
			servers+="	server rs$ip $ip:80"$'\n'
		done
		cat >"$d/haproxy.cfg" <<-EOF
			global
				nbthread 1
				maxconn 8192
			defaults
				mode tcp
				timeout connect 5s
				timeout client 60s
				timeout server 60s
			frontend bench
				bind $VIP_HAPROXY:80
				default_backend rs
			backend rs
				balance roundrobin
			$servers
		EOF
		bg_ns dir "$d/out.log" taskset -c "$DIRECTOR_CPU" haproxy -db \
			-f "$d/haproxy.cfg"
		;;
	nginx-stream)
		for ip in "${RS_IPS[@]}"; do
			servers+="server $ip:80; "
		done
		nginx_conf "$d" "stream {
	upstream rs { $servers}
	server { listen $VIP_STREAM:80 backlog=4096; proxy_pass rs; }
}" "load_module /usr/lib/nginx/modules/ngx_stream_module.so;" || return 1
		bg_ns dir "$d/out.log" taskset -c "$DIRECTOR_CPU" nginx -p "$d/" \
			-c "$d/nginx.conf" -e "$d/error.log"
		;;
	esac
	PROXY_PID=$BG_PID
}

config_up() {
	case $1 in
	direct) ;;
	xvs-dr) xvs_service "$VIP_DR" -g "${RS_IPS[@]}" ;;
	xvs-nat) xvs_service "$VIP_NAT" -m "${NAT_IPS[@]}" ;;
	xvs-tun)
		local i
		for i in 1 2 3; do
			in_ns "rs$i" "$DECAP" attach eth0 || return 1
		done
		xvs_service "$VIP_TUN" -i "${RS_IPS[@]}"
		;;
	hashfwd) hashfwd_up ;;
	haproxy | nginx-stream) proxy_up "$1" ;;
	*) die "unknown configuration: $1" ;;
	esac
}

config_down() {
	case $1 in
	xvs-*)
		bg_stop "$XVSD_PID" || die "xvsd did not stop"
		if [ "$1" = xvs-tun ]; then
			local i
			# The clsact qdisc attach added goes too, so that
			# every configuration finds the real servers alike.
			for i in 1 2 3; do
				in_ns "rs$i" "$DECAP" detach eth0
				in_ns "rs$i" tc qdisc del dev eth0 clsact
			done
		fi
		;;
	hashfwd) ip -n "${PFX}dir" link set dev eth0 xdpdrv off ;;
	haproxy | nginx-stream) bg_stop "$PROXY_PID" ;;
	esac
}

# director_xdp: the mode of the XDP program on the director's eth0.
director_xdp() {
	ip -n "${PFX}dir" -j -d link show dev eth0 | "${RESULTS_PY[@]}" xdp-mode |
		cut -d' ' -f1
}

# wrk_argv MODE URL: sets WRK_ARGV, the client's wrk command line for MODE
# (keepalive or close), pinned and bounded in time.
wrk_argv() {
	WRK_ARGV=(timeout $((DURATION + 20)) taskset -c "$CLIENT_CPU" wrk
		-t"$THREADS" -c"$CONNS" -d"$DURATION"s --latency)
	[ "$1" = close ] && WRK_ARGV+=(-H "Connection: close")
	WRK_ARGV+=(-s "$HERE/wrk_report.lua" "$2")
}

# measure CONFIG MODE ROUND [RECORD_MODE]: one wrk run, recorded.
measure() {
	local out
	wrk_argv "$2" "$(config_url "$1")"
	out=$(in_ns client "${WRK_ARGV[@]}" 2>&1)
	"${RESULTS_PY[@]}" record "$WORK/records.jsonl" "$1" "${4:-$2}" "$3" \
		"$(director_xdp)" <<<"$out" || die "wrk through $1 failed: $out"
}

# wrk_cmd MODE URL: the command line of wrk_argv as text, for the results.
wrk_cmd() {
	wrk_argv "$1" "$2"
	printf 'ip netns exec <prefix>client%s\n' "$(printf ' %q' "${WRK_ARGV[@]}")" |
		sed "s|$XVS_TOP/||g"
}

# ---- the two halves ----------------------------------------------------------

run_e2e() {
	local r c mode
	echo "# e2e: $ROUNDS round(s) of ${DURATION} s, configurations: $CONFIGS"
	for r in $(seq 1 "$ROUNDS"); do
		for c in $CONFIGS; do
			config_up "$c" || die "cannot bring $c up"
			wait_for 5 http_ok "$(config_url "$c")" ||
				die "no answer through $c: $(tail -n 5 "$WORK/$c/out.log" 2>/dev/null)"
			for mode in keepalive close; do
				measure "$c" "$mode" "$r"
			done
			config_down "$c"
		done
	done
}

# flood_seconds: how long the flood lasts: from 1 s after wrk starts to 1 s
# before it ends (at least 1 s).
flood_seconds() {
	local s=$((DURATION - 2))
	[ "$s" -ge 1 ] || s=1
	echo "$s"
}

# stats_snapshot FILE_GS FILE_RX: the data plane's global counters and the
# director's eth0 receive counters.
stats_snapshot() {
	local map
	map=$(director_map global_stats) || return 1
	"${RESULTS_PY[@]}" global-stats "$map" >"$1" || return 1
	ip -n "${PFX}dir" -j -s link show dev eth0 | "$PYTHON" -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"]["rx"]
print(json.dumps({"rx_packets": s["packets"], "rx_dropped": s["dropped"]}))' >"$2"
}

# table_json: the connection table now: entries listed by -L -c -n (and
# how long listing them took), connections counted by -L -n (ActiveConn +
# InActConn, which keep counting entries the LRU evicted), its size.
table_json() {
	local t0 t1 entries counted
	t0=$EPOCHREALTIME
	entries=$(xvsadm -L -c -n | grep -c -E '^(TCP|UDP) ')
	t1=$EPOCHREALTIME
	counted=$(xvsadm -L -n | awk '$1 == "->" && $4 ~ /^[0-9]+$/ { n += $5 + $6 }
		END { print n + 0 }')
	printf '{"entries": %s, "counted": %s, "size": %s, "list_seconds": %s}\n' \
		"$entries" "$counted" "$CONN_TABLE" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
}

# flood_round R: xvs DR, a keep-alive run alone, then one with a SYN flood
# to the same VIP from the flood host: wrk starts, 1 s later the flood
# starts and lasts until 1 s before wrk ends.
flood_round() {
	local r=$1 d=$WORK/flood$1 flood_s dmac wrk_pid xdp
	flood_s=$(flood_seconds)
	mkdir -p "$d"
	config_up xvs-dr || die "cannot bring xvs-dr up"
	wait_for 5 http_ok "$(config_url xvs-dr)" || die "no answer through xvs-dr"
	measure xvs-dr keepalive "$r" flood-baseline
	dmac=$(mac_of dir)
	wrk_argv keepalive "$(config_url xvs-dr)"
	in_ns client "${WRK_ARGV[@]}" >"$d/wrk.out" 2>&1 &
	wrk_pid=$!
	sleep 1
	stats_snapshot "$d/gs0.json" "$d/rx0.json" || die "counters"
	in_ns flood timeout $((flood_s + 10)) taskset -c "$FLOOD_CPU" \
		"$SYNFLOOD" --interface eth0 --dst-mac "$dmac" --dst "$VIP_DR:80" \
		--src-net "$FLOOD_NET" --seconds "$flood_s" >"$d/flood.json" ||
		die "synflood failed: $(cat "$d/flood.json")"
	stats_snapshot "$d/gs1.json" "$d/rx1.json" || die "counters"
	table_json >"$d/table.json"
	xdp=$(director_xdp)
	wait "$wrk_pid"
	"${RESULTS_PY[@]}" flood-record "$WORK/records.jsonl" "$r" "$d/wrk.out" \
		"$d/flood.json" "$d/gs0.json" "$d/gs1.json" "$d/rx0.json" \
		"$d/rx1.json" "$d/table.json" "$xdp" ||
		die "flood round $r: $(cat "$d/wrk.out")"
	config_down xvs-dr
}

run_synflood() {
	local r
	echo "# SYN flood: $FLOOD_ROUNDS round(s), wrk ${DURATION} s, flood $(flood_seconds) s"
	for r in $(seq 1 "$FLOOD_ROUNDS"); do
		flood_round "$r"
	done
}

# setup_json: the layout as the result files describe it.
setup_json() {
	"$PYTHON" - "$@" <<-'EOF'
		import json, sys
		a = dict(kv.split("=", 1) for kv in sys.argv[1:])
		print(json.dumps({
		    "namespaces": "client, dir (director), rs1-rs3 (nginx), flood, "
		                  "and a switch namespace with bridge br0; each host "
		                  "one veth to the bridge, xdp_pass (native) on every "
		                  "bridge port so that XDP_TX works; tx checksum "
		                  "offload off on the hosts' veths; "
		                  "bridge-nf-call-ip(6|arp)tables=0 in the switch",
		    "director_xdp": "xvs and hashfwd: native XDP on dir's eth0, "
		                    "XDP_TX back out of it; the proxies: no XDP",
		    "pinning": {"wrk": int(a["client"]), "proxy": int(a["director"]),
		                "nginx": int(a["server"]), "synflood": int(a["flood"]),
		                "note": "softirq work runs on the CPU of the sending "
		                        "process (veth NAPI)"},
		    "wrk": {"threads": int(a["threads"]), "connections": int(a["conns"]),
		            "seconds": int(a["duration"]), "rounds": int(a["rounds"])},
		    "real_servers": "3 x nginx %s, 1 worker each, keep-alive "
		                    "(keepalive_requests unlimited), no access log, "
		                    "a %s-byte file" % (a["nginx"], a["bytes"]),
		    "schedulers": "xvs rr; HAProxy balance roundrobin, nbthread 1; "
		                  "nginx stream round robin, 1 worker; hashfwd: hash "
		                  "of the 5-tuple",
		    "versions": {"haproxy": a["haproxy"], "wrk": a["wrk"]},
		    "xvs_conn_table": int(a["table"]),
		    "bpf_stats_enabled": int(a["bpf_stats"]),
		    "urls": dict(u.split("=", 1) for u in a["urls"].split()),
		}))
	EOF
}

write_results() {
	local setup
	setup=$(setup_json client="$CLIENT_CPU" director="$DIRECTOR_CPU" \
		server="$SERVER_CPU" flood="$FLOOD_CPU" threads="$THREADS" \
		conns="$CONNS" duration="$DURATION" rounds="$ROUNDS" \
		bytes="$FILE_BYTES" table="$CONN_TABLE" \
		bpf_stats="$(sysctl -n kernel.bpf_stats_enabled)" \
		urls="$(for c in $CONFIGS; do echo "$c=$(config_url "$c")"; done)" \
		nginx="$(nginx -v 2>&1 | cut -d/ -f2)" \
		haproxy="$(haproxy -v | head -1 | cut -d' ' -f3)" \
		wrk="$(wrk -v 2>&1 | head -1 | cut -d' ' -f2)") || die "setup"
	mkdir -p "$RESULTS" || die "mkdir $RESULTS"
	if [ "$ONLY" != synflood ]; then
		"${RESULTS_PY[@]}" write e2e "$WORK/records.jsonl" "$RESULTS/e2e.json" \
			"$setup" "$(wrk_cmd keepalive URL)" "$(wrk_cmd close URL)" ||
			die "e2e.json"
	fi
	if [ "$ONLY" != e2e ]; then
		"${RESULTS_PY[@]}" write synflood "$WORK/records.jsonl" \
			"$RESULTS/synflood.json" "$setup" \
			"$(wrk_cmd keepalive "$(config_url xvs-dr)")" \
			"ip netns exec <prefix>flood taskset -c $FLOOD_CPU build/bench/synflood --interface eth0 --dst-mac DIR_MAC --dst $VIP_DR:80 --src-net $FLOOD_NET --seconds $(flood_seconds)" ||
			die "synflood.json"
	fi
}

main() {
	local start=$SECONDS c
	# Before the cluster, so that a typo costs no minute of building.
	case $ONLY in all | e2e | synflood) ;; *) die "E2E_ONLY=$ONLY: not e2e or synflood" ;; esac
	for c in $CONFIGS; do
		[ -n "$(config_url "$c")" ] || die "E2E_CONFIGS: unknown configuration $c"
	done
	bench_up
	echo "# cluster up in $((SECONDS - start)) s (prefix $PFX)"
	[ "$ONLY" = synflood ] || run_e2e
	[ "$ONLY" = e2e ] || run_synflood
	write_results
	echo "# e2e done in $((SECONDS - start)) s"
}

# Sourced (to try one configuration by hand: bench_up; config_up xvs-dr),
# it only defines.
[ "${BASH_SOURCE[0]}" != "$0" ] || main
