#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SIGHUP re-reads the configuration and applies only the difference. A
# kept-alive connection to a real server that stays in the pool goes on
# being answered by it, with its counters untouched, while another server
# leaves and a new one joins; a file that does not parse changes nothing;
# a service made with xvsadm outside the file is left alone. A file that
# does not parse also stops xvsd at start.
. "$(dirname "$0")/health_lib.sh"

cluster_up
conf=$WORK/keepalived.conf

# pool ADDR=WEIGHT...: a configuration of one DR service with these real
# servers, each checked on its port 80.
pool() {
	local rs
	conf_service $VIP4 wrr
	for rs in "$@"; do
		cat <<EOF
    real_server ${rs%=*} 80 {
        weight ${rs#*=}
        TCP_CHECK {
            connect_timeout 1
        }
    }
EOF
	done
	echo "}"
}

# A file that does not parse: line 3 has no value.
broken=$WORK/broken.conf
printf 'virtual_server %s 80 {\n    lvs_method DR\n    delay_loop\n}\n' $VIP4 >"$broken"
out=$(in_ns dir timeout 10 "$XVS_TOP/build/xvsd" --interface eth0 --foreground \
	--socket "$WORK/broken.sock" --config "$broken" 2>&1)
rc=$?
check_match "xvsd --config with a broken file does not start (status $rc)" "^[12]$" "$rc"
check_match "and says where the error is" "broken.conf:3: error: " "$out"

pool 198.18.0.11=1 198.18.0.12=1 >"$conf"
xvsd_start_conf "$conf"
wait_for 5 list_is "$VS4" "198.18.0.11:80=1 198.18.0.12:80=1"
check_eq "at start: rs1 and rs2" "198.18.0.11:80=1 198.18.0.12:80=1" "$(rs_list "$VS4")"
xvsadm -A -t $VIP4:8080 -s rr && xvsadm -a -t $VIP4:8080 -r 198.18.0.13:8080 -g ||
	fail "xvsadm: a service outside the configuration"
outside=$(xvsadm -L -n -t $VIP4:8080)

session_home "http://$VIP4/"
home=$HOME_RS
[[ "$home" =~ ^rs[12]$ ]] || die "the kept-alive connection is not answered by rs1 or rs2: $home"
n=${home#rs}
other=$((3 - n))
conns=$(stats_conns "$VS4" "198.18.0.1$n:80")
check_eq "the kept-alive connection is counted on $home" 1 "$conns"

# $home stays, rs$other leaves, rs3 joins.
pool "198.18.0.1$n=1" 198.18.0.13=1 >"$conf"
check "SIGHUP" xvsd_reload
new="198.18.0.1$n:80=1 198.18.0.13:80=1"
wait_for 5 list_is "$VS4" "$new"
check_eq "after SIGHUP: $home and rs3" "$new" "$(rs_list "$VS4")"
for k in 1 2 3; do
	session_get
	check_eq "after SIGHUP: kept-alive request $k answered by $home" "$home" "$SESSION_ANSWER"
done
check_eq "$home's connection counter is untouched" "$conns" \
	"$(stats_conns "$VS4" "198.18.0.1$n:80")"
check_eq "the new pool serves 20 new connections" "$home=10 rs3=10 failed=0" \
	"$(client count "http://$VIP4/" 20)"
check_eq "the service made with xvsadm is untouched" "$outside" \
	"$(xvsadm -L -n -t $VIP4:8080)"

before=$(xvsadm -L -n)
cp "$broken" "$conf"
check "SIGHUP with a file that does not parse" xvsd_reload
wait_for 5 grep -q "keepalived.conf:3: error: " "$XVSD_LOG"
check "the log says where the error is" grep -q "keepalived.conf:3: error: " "$XVSD_LOG"
check "xvsd is still running" kill -0 "$XVSD_PID"
check_eq "the table is as before" "$before" "$(xvsadm -L -n)"
session_get
check_eq "the kept-alive connection is still answered by $home" "$home" "$SESSION_ANSWER"

# A good file again, with $home's weight changed: edited in place.
pool "198.18.0.1$n=3" 198.18.0.13=1 >"$conf"
check "SIGHUP with a good file again" xvsd_reload
new="198.18.0.1$n:80=3 198.18.0.13:80=1"
wait_for 5 list_is "$VS4" "$new"
check_eq "after SIGHUP: $home has weight 3" "$new" "$(rs_list "$VS4")"
session_get
check_eq "the kept-alive connection is still answered by $home" "$home" "$SESSION_ANSWER"
check_eq "wrr 3:1 over 20 new connections" "$home=15 rs3=5 failed=0" \
	"$(client count "http://$VIP4/" 20)"
session_stop

done_testing
