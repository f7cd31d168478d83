#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# virtual_server group: one service per address of the group's range and
# per fwmark, each with the same real servers, which go down and up in all
# of them at once; alpha starts a checked server down (a server without
# checkers is up); a reload that shrinks the range deletes only the
# service that left; an address that moves from the group to a block of
# its own has that block's real servers only; omega runs notify_down and
# quorum_down at SIGTERM.
# Only the table is looked at (-L -n): no traffic.
. "$(dirname "$0")/health_lib.sh"

cluster_up
conf=$WORK/keepalived.conf
log=$WORK/scripts.log

# config RANGE: the group's addresses on port 80 ("198.18.0.100-101").
config() {
	cat >"$conf" <<EOF
virtual_server_group web {
    $1 80
    fwmark 7
}
virtual_server group web {
    delay_loop 1
    lvs_sched rr
    lvs_method DR
    alpha
    omega
    quorum_down "echo quorum_down >>$log"
    real_server 198.18.0.11 80 {
        weight 2
        notify_down "echo down rs1 >>$log"
        MISC_CHECK {
            misc_path "test -e $WORK/rs1.ok"
            misc_timeout 1
        }
    }
    real_server 198.18.0.12 80 {
        weight 1
    }
}
EOF
}

# all_are LIST SERVICE...: whether every SERVICE lists LIST.
all_are() {
	local list=$1 svc
	shift
	for svc in "$@"; do
		list_is "$svc" "$list" || return 1
	done
}

svcs=("TCP  198.18.0.100:80" "TCP  198.18.0.101:80" "FWM  7")
config 198.18.0.100-101
xvsd_start_conf "$conf"
wait_for 5 all_are "198.18.0.12:80=1" "${svcs[@]}"
for s in "${svcs[@]}"; do
	check_eq "alpha: $s starts with rs2 only" "198.18.0.12:80=1" "$(rs_list "$s")"
done

touch "$WORK/rs1.ok"
both="198.18.0.11:80=2 198.18.0.12:80=1"
wait_for 5 all_are "$both" "${svcs[@]}"
for s in "${svcs[@]}"; do
	check_eq "rs1's check passes: $s has both" "$both" "$(rs_list "$s")"
done
check_eq "rs1 up is logged once for the group" 1 \
	"$(log_count "TCP group web: real server 198.18.0.11:80 up \(MISC_CHECK")"

config 198.18.0.100
check "SIGHUP: the range shrinks to one address" xvsd_reload
wait_for 5 list_is "${svcs[1]}" ""
check_eq "198.18.0.101:80 is gone" "" "$(xvsadm -L -n | grep 198.18.0.101)"
check_eq "198.18.0.100:80 stays as it was" "$both" "$(rs_list "${svcs[0]}")"
check_eq "FWM 7 stays as it was" "$both" "$(rs_list "${svcs[2]}")"
check_eq "the reload changed nothing else" "TCP 198.18.0.101:80: delete the service" \
	"$(sed -n '/SIGHUP: reloading/,$p' "$XVSD_LOG" | grep -E -o '(TCP|FWM) [^ ]+: (add|edit|delete) .*')"

# 198.18.0.101:80 back in the group, then in a virtual_server of its own
# with rs3 only: the service moves from one block to another, and what
# the group declared in it leaves with the group.
config 198.18.0.100-101
check "SIGHUP: the range grows back" xvsd_reload
wait_for 5 list_is "${svcs[1]}" "$both"
check_eq "198.18.0.101:80 is back with the group's real servers" "$both" \
	"$(rs_list "${svcs[1]}")"
config 198.18.0.100
cat >>"$conf" <<EOF
virtual_server 198.18.0.101 80 {
    lvs_sched rr
    lvs_method DR
    real_server 198.18.0.13 80 {
        weight 4
    }
}
EOF
check "SIGHUP: 198.18.0.101:80 in a block of its own" xvsd_reload
wait_for 5 list_is "${svcs[1]}" "198.18.0.13:80=4"
check_eq "198.18.0.101:80 has its new block's real server only" \
	"198.18.0.13:80=4" "$(rs_list "${svcs[1]}")"
check_eq "198.18.0.100:80 still has the group's" "$both" "$(rs_list "${svcs[0]}")"

check "SIGTERM" bg_stop "$XVSD_PID"
wait_for 5 grep -q quorum_down "$log"
check_eq "omega: rs1's notify_down and quorum_down ran at exit" \
	"down rs1 quorum_down" "$(sort "$log" | xargs)"

done_testing
