#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The configuration owns what it declares (docs/configuration.md, "Run-time
# changes and reloads"): a real server added with xvsadm to a configured
# service is never touched; declared ones an operator edited or deleted,
# even the whole service, are put back at the service's next transition
# or reload, without an error; a reload that removes a server's failing
# checker brings the server back, logged as a transition. rs2's
# MISC_CHECK passes while $WORK/rs2.ok exists, which makes transitions
# happen on cue.
. "$(dirname "$0")/health_lib.sh"

cluster_up
conf=$WORK/keepalived.conf
svc=$VIP4:80

# config CHECKER: the file, with CHECKER as rs2's checker block.
config() {
	cat >"$conf" <<EOF
virtual_server $VIP4 80 {
    delay_loop 1
    lvs_sched wrr
    lvs_method DR
    real_server 198.18.0.11 80 {
        weight 1
    }
    real_server 198.18.0.12 80 {
        weight 2
        $1
    }
    real_server 198.18.0.13 80 {
        weight 1
    }
}
EOF
}
misc="MISC_CHECK {
            misc_path \"test -e $WORK/rs2.ok\"
            misc_timeout 1
        }"
all="198.18.0.11:80=1 198.18.0.12:80=2 198.18.0.13:80=1"

touch "$WORK/rs2.ok"
config "$misc"
xvsd_start_conf "$conf"
wait_for 5 list_is "$VS4" "$all"
check_eq "at start" "$all" "$(rs_list "$VS4")"

xvsadm -a -t $svc -r 198.18.0.99:80 -g -w 5 &&
	xvsadm -e -t $svc -r 198.18.0.11:80 -g -w 7 &&
	xvsadm -d -t $svc -r 198.18.0.13:80 || fail "xvsadm changes"
check_eq "xvsadm: .99 added, .11 edited, .13 deleted" \
	"198.18.0.11:80=7 198.18.0.12:80=2 198.18.0.99:80=5" "$(rs_list "$VS4")"

rm -f "$WORK/rs2.ok"
want="198.18.0.11:80=1 198.18.0.13:80=1 198.18.0.99:80=5"
wait_for 5 list_is "$VS4" "$want"
check_eq "rs2 down: the declared servers are as the file says, .99 stays" \
	"$want" "$(rs_list "$VS4")"
check_eq "the transition is logged once, with the checker's reason" 1 \
	"$(log_count "real server 198.18.0.12:80 down \(MISC_CHECK .*exit status 1\)")"

check "xvsadm -D: the whole configured service deleted" xvsadm -D -t $svc
touch "$WORK/rs2.ok"
wait_for 5 list_is "$VS4" "$all"
check_eq "rs2 up: the service is back as the file says" "$all" "$(rs_list "$VS4")"
check "xvsd carried on" kill -0 "$XVSD_PID"

xvsadm -E -t $svc -s rr && xvsadm -e -t $svc -r 198.18.0.12:80 -g -w 9 ||
	fail "xvsadm -E, -e"
check "SIGHUP with the same file" xvsd_reload
wait_for 5 list_is "$VS4" "$all"
check_eq "the reload puts the weight back" "$all" "$(rs_list "$VS4")"
check_match "and the scheduler" "TCP  $svc wrr" "$(xvsadm -L -n)"

rm -f "$WORK/rs2.ok"
wait_for 5 list_is "$VS4" "198.18.0.11:80=1 198.18.0.13:80=1"
config ""
check "SIGHUP: rs2 without its failing checker" xvsd_reload
wait_for 5 list_is "$VS4" "$all"
check_eq "rs2 is back" "$all" "$(rs_list "$VS4")"
check_eq "logged as a transition of the reload" 1 \
	"$(log_count "real server 198.18.0.12:80 up \(configuration reloaded\)")"

done_testing
