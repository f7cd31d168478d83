#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MISC_CHECK runs a program on the director: rs1's with misc_dynamic, whose
# exit status sets the weight (0 up as configured, 1 down, 2..255 up with
# weight status - 2); rs3's without, where any status but 0 is down. The
# program exits with the number a file holds, or hangs past misc_timeout
# and is killed with its children. rs2 has no checker.
. "$(dirname "$0")/health_lib.sh"

cluster_up
cat >"$WORK/misc.sh" <<EOF
#!/bin/sh
read -r code <"$WORK/\$1.code"
if [ "\$code" = hang ]; then
    sleep 30
fi
exit "\$code"
EOF
chmod +x "$WORK/misc.sh"
conf=$WORK/keepalived.conf
cat >"$conf" <<EOF
virtual_server $VIP4 80 {
    delay_loop 1
    lvs_sched wrr
    lvs_method DR
    real_server 198.18.0.11 80 {
        weight 3
        MISC_CHECK {
            misc_path "$WORK/misc.sh rs1"
            misc_timeout 1
            misc_dynamic
        }
    }
    real_server 198.18.0.12 80 {
        weight 1
    }
    real_server 198.18.0.13 80 {
        weight 1
        MISC_CHECK {
            misc_path "$WORK/misc.sh rs3"
            misc_timeout 1
        }
    }
}
EOF
# MISC_CHECK's retry is 0: one failed run, at most delay_loop after the
# change and misc_timeout long, takes a server out; 1 s more for the rest.
bound_ms=$(((1 + 1 + 1) * 1000))

# exits RS1_CODE RS3_CODE: what the programs exit with from now on.
exits() {
	echo "$1" >"$WORK/rs1.code.new" && mv "$WORK/rs1.code.new" "$WORK/rs1.code"
	echo "$2" >"$WORK/rs3.code.new" && mv "$WORK/rs3.code.new" "$WORK/rs3.code"
}

# step WHAT RS1_CODE RS3_CODE EXPECTED_LIST EXPECTED_COUNTS: the programs
# exit anew; within the bound -L -n shows EXPECTED_LIST and 60 new
# connections (a whole number of wrr rounds for every set of weights here,
# so the split is exact) are answered as EXPECTED_COUNTS says.
step() {
	exits "$2" "$3"
	pool_is "$1" "$VS4" $(($(now_ms) + bound_ms)) "$4" 60 "$5"
}

exits 0 0
xvsd_start_conf "$conf"
step "both exit 0" 0 0 \
	"198.18.0.11:80=3 198.18.0.12:80=1 198.18.0.13:80=1" "rs1=36 rs2=12 rs3=12 failed=0"
step "rs1 exits 7 (weight 5), rs3 exits 3 (down without misc_dynamic)" 7 3 \
	"198.18.0.11:80=5 198.18.0.12:80=1" "rs1=50 rs2=10 failed=0"
step "rs1 exits 1 (down)" 1 3 \
	"198.18.0.12:80=1" "rs2=60 failed=0"
step "rs1 exits 4 (weight 2), rs3 exits 0" 4 0 \
	"198.18.0.11:80=2 198.18.0.12:80=1 198.18.0.13:80=1" "rs1=30 rs2=15 rs3=15 failed=0"
step "rs1 exits 2 (weight 0: up, but no new connections)" 2 0 \
	"198.18.0.11:80=0 198.18.0.12:80=1 198.18.0.13:80=1" "rs2=30 rs3=30 failed=0"
step "rs1 hangs past misc_timeout (down)" hang 0 \
	"198.18.0.12:80=1 198.18.0.13:80=1" "rs2=30 rs3=30 failed=0"

# dir_cmdlines: the command lines of every process in the director.
dir_cmdlines() {
	local pid
	for pid in $(ip netns pids "${PFX}dir"); do
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null
		echo
	done
}
exits 1 0
wait_for 3 eval '! dir_cmdlines | grep -q "^sleep 30"'
check_eq "a program killed at misc_timeout leaves no child behind" "" \
	"$(dir_cmdlines | grep "^sleep 30")"

done_testing
