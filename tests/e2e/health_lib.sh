# SPDX-License-Identifier: GPL-2.0
# Shared by the test_health_*.sh and test_config_*.sh scripts (and the
# demo): xvsd run from a keepalived.conf, what -L -n says about one real
# server, waits on real time, and the peers of tests/e2e/health_peer.py.
# Sources lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VS4="TCP  $VIP4:80"
VS6="TCP  [$VIP6]:80"

# The tests' check timers: a check a second, a failure retried once a
# second later, connect_timeout 1 in every checker. A stopped server is
# out within delay_loop x retry + connect_timeout + 1 s (the bound the
# issue sets), and back within as long.
BOUND_MS=$(((1 * 1 + 1 + 1) * 1000))
# One that stops answering (each attempt waits connect_timeout) is out
# within delay_loop + retry x (delay_before_retry + connect_timeout) +
# connect_timeout + 1 s.
SILENT_BOUND_MS=$(((1 + 1 * (1 + 1) + 1 + 1) * 1000))

# conf_service VIP SCHED: the opening of a DR service on port 80 of VIP
# with those timers; the caller writes the rest and the closing brace.
conf_service() {
	cat <<EOF
virtual_server $1 80 {
    delay_loop 1
    retry 1
    delay_before_retry 1
    lvs_sched $2
    lvs_method DR
EOF
}

# xvsd_start_conf FILE: xvsd on the director with --config FILE.
xvsd_start_conf() {
	XVSD_ARGS="--config $1" xvsd_start
}

# rs_weight SERVICE RS: the weight -L -n shows for real server RS ("ADDR:PORT"
# or "[ADDR6]:PORT") of SERVICE ("TCP  VIP:PORT"); nothing when not listed.
rs_weight() {
	xvsadm -L -n | awk -v svc="$1" -v rs="$2" '
		/^(TCP|UDP|SCTP|FWM) / { insvc = ($1 "  " $2 == svc) }
		insvc && $1 == "->" && $2 == rs { print $4; exit }'
}

# rs_list SERVICE: the real servers of SERVICE as "ADDR:PORT=WEIGHT ...".
rs_list() {
	xvsadm -L -n | awk -v svc="$1" '
		/^(TCP|UDP|SCTP|FWM) / { insvc = ($1 "  " $2 == svc) }
		insvc && $1 == "->" { printf "%s%s=%s", sep, $2, $4; sep = " " }
		END { print "" }'
}

# weight_is SERVICE RS WEIGHT: whether -L -n shows RS with WEIGHT ("" for
# not listed).
weight_is() {
	[ "$(rs_weight "$1" "$2")" == "$3" ]
}

# list_is SERVICE LIST: whether rs_list SERVICE is LIST.
list_is() {
	[ "$(rs_list "$1")" == "$2" ]
}

# now_ms: the real time in milliseconds.
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# wait_until DEADLINE_MS CMD...: polls CMD every 0.1 s until it succeeds or
# the real time is past DEADLINE_MS (from now_ms); then tries once more.
wait_until() {
	local deadline=$1
	shift
	while [ "$(now_ms)" -lt "$deadline" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@" >/dev/null 2>&1
}

# pool_is WHAT SERVICE DEADLINE_MS LIST N COUNTS: by DEADLINE_MS (from
# now_ms) -L -n shows LIST (as rs_list) for SERVICE, and then N new
# connections to SERVICE are answered as COUNTS (client.py count) says.
pool_is() {
	local what=$1 svc=$2
	wait_until "$3" list_is "$svc" "$4"
	check_eq "$what: -L -n" "$4" "$(rs_list "$svc")"
	check_eq "$what: who answers $5 new connections" "$6" \
		"$(client count "http://${svc##* }/" "$5")"
}

# log_count REGEX: how many lines of xvsd's log match REGEX (grep -E -i).
log_count() {
	grep -E -i -c -- "$1" "$XVSD_LOG"
}

# ---- peers (health_peer.py) ----------------------------------------------
# A peer is named by HOST and PROTO; its files in $WORK: HOST-PROTO.control
# (what it answers, see peer_set), HOST-PROTO.seen (what checkers sent it),
# HOST-PROTO.log (its output), HOST-PROTO.pid.

# peer_start HOST PROTO PORT [ARGS...]: starts a peer and waits (5 s at
# most) until it listens.
peer_start() {
	local host=$1 proto=$2 port=$3 base=$WORK/$1-$2
	shift 3
	rm -f "$base.ready"
	bg_ns "$host" "$base.log" "$PYTHON" "$E2E_DIR/health_peer.py" "$proto" \
		--port "$port" --control "$base.control" --log "$base.seen" \
		--ready "$base.ready" --name "$host" "$@"
	echo "$BG_PID" >"$base.pid"
	wait_for 5 test -e "$base.ready" ||
		die "health_peer.py $proto on $host did not start: $(cat "$base.log")"
}

# peer_stop HOST PROTO
peer_stop() {
	bg_stop "$(cat "$WORK/$1-$2.pid" 2>/dev/null)"
}

# peer_set HOST PROTO CODE [BODY]: what the peer answers from now on: CODE
# (an HTTP status, an SMTP greeting code, a DNS RCODE or "silent") and for
# HTTP the body, byte for byte. Written whole (rename), never half.
peer_set() {
	local file=$WORK/$1-$2.control
	printf '%s\n%s' "$3" "${4:-}" >"$file.new" && mv -f "$file.new" "$file"
}

# tls_cert DIR CN: a self-signed certificate DIR/cert.pem with key
# DIR/key.pem for CN, made now (nothing is kept between runs).
tls_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -days 1 -subj "/CN=$2" -keyout "$1/key.pem" \
		-out "$1/cert.pem" >/dev/null 2>&1
}
