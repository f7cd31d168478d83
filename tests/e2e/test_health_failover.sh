#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Failover by health checks (xvsd --config): rs2's web server stops, and
# within delay_loop x retry + connect_timeout + 1 s no new connection
# reaches it while rs1 and rs3 answer every request; it starts again and
# gets its configured share back. Two services on the same real servers
# see it through different checkers:
#   198.18.0.100:80     HTTP_GET, a failed server is removed
#   [2001:db8::100]:80  TCP_CHECK with inhibit_on_failure: weight 0
# rs2's notify_up / notify_down scripts write to a file.
. "$(dirname "$0")/health_lib.sh"

cluster_up
conf=$WORK/keepalived.conf
notify_log=$WORK/notify.log
printf '#!/bin/sh\necho "$*" >>%s\n' "$notify_log" >"$WORK/notify.sh"
chmod +x "$WORK/notify.sh"

# virtual_server VIP RS_PREFIX OPTION CHECKER: a DR service on port 80 of
# VIP, weights 1 2 1 for RS_PREFIX1..3, each checked by CHECKER.
virtual_server() {
	local i
	conf_service "$1" wrr
	echo "    $3"
	for i in 1 2 3; do
		cat <<EOF
    real_server $2$i 80 {
        weight $((i == 2 ? 2 : 1))
        notify_up "$WORK/notify.sh up $2$i"
        notify_down "$WORK/notify.sh down $2$i"
        $4
    }
EOF
	done
	echo "}"
}
{
	virtual_server $VIP4 198.18.0.1 "" "HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
        }"
	virtual_server $VIP6 2001:db8::1 inhibit_on_failure "TCP_CHECK {
            connect_timeout 1
        }"
} >"$conf"

xvsd_start_conf "$conf"
all4="198.18.0.11:80=1 198.18.0.12:80=2 198.18.0.13:80=1"
all6="[2001:db8::11]:80=1 [2001:db8::12]:80=2 [2001:db8::13]:80=1"
# wrr with weights 1 2 1 repeats every 4 picks: 40 new connections split
# exactly, wherever the scheduler stands.
split="rs1=10 rs2=20 rs3=10 failed=0"
deadline=$(($(now_ms) + 5000))
pool_is "at start, IPv4 (HTTP_GET)" "$VS4" $deadline "$all4" 40 "$split"
pool_is "at start, IPv6 (TCP_CHECK)" "$VS6" $deadline "$all6" 40 "$split"
check_match "lvs_method DR is Route" "-> 198.18.0.12:80 +Route +2 " "$(xvsadm -L -n)"

check "rs2's web server stops" rs_server_stop rs2
deadline=$(($(now_ms) + BOUND_MS))
pool_is "rs2 stopped, IPv4: HTTP_GET removes it within ${BOUND_MS} ms" "$VS4" \
	$deadline "198.18.0.11:80=1 198.18.0.13:80=1" 30 "rs1=15 rs3=15 failed=0"
pool_is "rs2 stopped, IPv6: TCP_CHECK + inhibit_on_failure gives it weight 0" \
	"$VS6" $deadline "[2001:db8::11]:80=1 [2001:db8::12]:80=0 [2001:db8::13]:80=1" \
	30 "rs1=15 rs3=15 failed=0"
wait_for 3 grep -c "down 2001:db8::12" "$notify_log"
check_eq "notify_down ran once for each service, notify_up never" \
	"down 198.18.0.12 down 2001:db8::12" "$(sort "$notify_log" | xargs)"
# By now rs2's checks have failed again, every delay_loop.
check_eq "the IPv4 transition is logged once, with HTTP_GET's reason" 1 \
	"$(log_count "100:80: real server 198\.18\.0\.12:80 down \(HTTP_GET .*refused")"
check_eq "the IPv6 transition is logged once, with TCP_CHECK's reason" 1 \
	"$(log_count "\[2001:db8::12\]:80 down \(TCP_CHECK .*refused")"

check "rs2's web server starts again" rs_server_start rs2
deadline=$(($(now_ms) + BOUND_MS))
pool_is "rs2 back, IPv4: with weight 2 and its share" "$VS4" $deadline "$all4" 40 "$split"
pool_is "rs2 back, IPv6: with weight 2 and its share" "$VS6" $deadline "$all6" 40 "$split"
wait_for 3 grep -c "up 2001:db8::12" "$notify_log"
check_eq "notify_up ran once for each service" \
	"down 198.18.0.12 down 2001:db8::12 up 198.18.0.12 up 2001:db8::12" \
	"$(sort "$notify_log" | xargs)"

done_testing
