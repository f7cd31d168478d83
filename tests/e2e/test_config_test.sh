#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xvsd --config-test FILE: exit 0 for a usable file, 1 for one with an
# error; every message as "FILE:LINE: error|warning: ...", naming the file
# the line is in, also through includes with globs. keepalived's VRRP
# blocks are warned about and skipped. The example of docs/configuration.md
# is demo/web-cluster.conf, and passes. No namespaces: nothing runs.
. "$(dirname "$0")/health_lib.sh"

[ -x "$XVS_TOP/build/xvsd" ] || die "build/xvsd missing: run 'make'"
WORK=$(mktemp -d /tmp/xvs-config-test.XXXXXX) || die "mktemp failed"
trap cleanup EXIT

# config_test FILE: runs xvsd --config-test FILE; sets OUT (its output) and
# RC (its exit status).
config_test() {
	OUT=$(timeout 10 "$XVS_TOP/build/xvsd" --config-test "$1" 2>&1)
	RC=$?
}

# expect_error WHAT FILE LINE_FILE LINE: --config-test FILE exits 1 and
# says "LINE_FILE:LINE: error: ...".
expect_error() {
	config_test "$2"
	check_eq "$1: exit status 1" 1 "$RC"
	check_match "$1: the message names $(basename "$3") line $4" \
		"(^|[[:space:]])$3:$4: error: " "$OUT"
}

# One virtual_server with a checker, lines numbered as written.
cat >"$WORK/good.conf" <<'EOF'
global_defs {
    router_id test_director    # a comment at the end of a line
}
! another comment
virtual_server 198.18.0.100 80 {
    delay_loop 2
    lb_algo wrr
    lb_kind DR
    protocol TCP
    persistence_timeout 300
    real_server 198.18.0.11 80 {
        weight 3
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
EOF
config_test "$WORK/good.conf"
check_eq "a good file: exit status 0" 0 "$RC"
check_eq "a good file: no message" "" "$(grep -E ': (error|warning): ' <<<"$OUT")"

sed 's/weight 3/weight heavy/' "$WORK/good.conf" >"$WORK/bad-weight.conf"
expect_error "a weight that is not a number" "$WORK/bad-weight.conf" \
	"$WORK/bad-weight.conf" 12
sed 's/198.18.0.11 80/198.18.0.311 80/' "$WORK/good.conf" >"$WORK/bad-addr.conf"
expect_error "a real server address that is not one" "$WORK/bad-addr.conf" \
	"$WORK/bad-addr.conf" 11
sed 's/lb_algo wrr/lb_algo fastest/' "$WORK/good.conf" >"$WORK/bad-sched.conf"
expect_error "a scheduler that does not exist" "$WORK/bad-sched.conf" \
	"$WORK/bad-sched.conf" 7
head -n 16 "$WORK/good.conf" >"$WORK/bad-brace.conf"
config_test "$WORK/bad-brace.conf"
check_eq "a block never closed: exit status 1" 1 "$RC"
check_match "a block never closed: the message names the file and a line" \
	"bad-brace.conf:[0-9]+: error: " "$OUT"

config_test "$WORK/no-such.conf"
check_eq "a file that is not there: exit status 1" 1 "$RC"
check_match "a file that is not there: the message names it" "no-such.conf" "$OUT"

# VRRP, which xvs does not do yet: warnings with their lines, exit 0.
cat >"$WORK/vrrp.conf" <<'EOF'
vrrp_instance VI_WEB {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 150
    virtual_ipaddress {
        198.18.0.100/32 dev eth0
    }
}
vrrp_sync_group VG_WEB {
    group {
        VI_WEB
    }
}
EOF
cat "$WORK/good.conf" >>"$WORK/vrrp.conf"
config_test "$WORK/vrrp.conf"
check_eq "VRRP blocks: exit status 0" 0 "$RC"
check_match "vrrp_instance: a warning at line 1" "vrrp.conf:1: warning: " "$OUT"
check_match "vrrp_sync_group: a warning at line 10" "vrrp.conf:10: warning: " "$OUT"
check_eq "VRRP blocks: no error" "" "$(grep ': error: ' <<<"$OUT")"

# include with a glob, relative to the including file's directory: both
# files are read (each has a warning of its own), and an error in one of
# them names that file and its line.
mkdir -p "$WORK/main/conf.d"
printf 'global_defs {\n    router_id inc\n}\ninclude conf.d/*.conf\n' >"$WORK/main/main.conf"
printf 'vrrp_script chk {\n    script "/bin/true"\n}\n' >"$WORK/main/conf.d/a.conf"
{
	echo "! the service, after one line"
	sed -n '5,$p' "$WORK/good.conf"
	printf 'vrrp_instance VI_2 {\n    priority 100\n}\n'
} >"$WORK/main/conf.d/b.conf"
config_test "$WORK/main/main.conf"
check_eq "include conf.d/*.conf: exit status 0" 0 "$RC"
check_match "include: a.conf was read (its warning at line 1)" \
	"conf.d/a.conf:1: warning: " "$OUT"
check_match "include: b.conf was read (its warning at line 15)" \
	"conf.d/b.conf:15: warning: " "$OUT"
sed -i 's/weight 3/weight -1/' "$WORK/main/conf.d/b.conf"
expect_error "include: an error in an included file" "$WORK/main/main.conf" \
	"$WORK/main/conf.d/b.conf" 9

# The documentation's example is the demo's file, and it is usable.
example=$XVS_TOP/demo/web-cluster.conf
config_test "$example"
check_eq "demo/web-cluster.conf: exit status 0" 0 "$RC"
check_eq "demo/web-cluster.conf: no message" "" "$(grep -E ': (error|warning): ' <<<"$OUT")"
check_eq "docs/configuration.md shows demo/web-cluster.conf as it is" \
	"$(cat "$example")" \
	"$(sed -n '/^<!-- demo\/web-cluster.conf -->$/,/^```$/p' \
		"$XVS_TOP/docs/configuration.md" | sed '1,2d;$d')"

done_testing
