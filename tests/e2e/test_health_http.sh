#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# HTTP_GET judges what a web server answers: rs1's check wants status
# 200-204 or 299 and the MD5 digest of "healthy\n", asked for as
# www.example.test; rs2's any 2xx (keepalived's default). Both are asked
# on port 8080, where health_peer.py answers what the test sets. A wrong
# status or a wrong digest takes a server out, a right one brings it back;
# rs3 has no checker and always serves.
. "$(dirname "$0")/health_lib.sh"

cluster_up
digest=$(printf 'healthy\n' | md5sum | cut -d' ' -f1)
conf=$WORK/keepalived.conf
{
	conf_service $VIP4 rr
	cat <<EOF
    real_server 198.18.0.11 80 {
        HTTP_GET {
            url {
                path /healthz
                digest $digest
                status_code 200-204 299
                virtualhost www.example.test
            }
            connect_port 8080
            connect_timeout 1
        }
    }
    real_server 198.18.0.12 80 {
        HTTP_GET {
            url {
                path /status
            }
            connect_port 8080
            connect_timeout 1
        }
    }
    real_server 198.18.0.13 80 {
    }
}
EOF
} >"$conf"
for i in 1 2; do
	peer_start rs$i http 8080
done
peer_set rs1 http 200 $'healthy\n'

xvsd_start_conf "$conf"
all="198.18.0.11:80=1 198.18.0.12:80=1 198.18.0.13:80=1"
wait_for 5 list_is "$VS4" "$all"
check_eq "all three real servers are in" "$all" "$(rs_list "$VS4")"
# (the first checks come within warmup, 0..delay_loop after the start)
check "rs1's check asks GET /healthz of Host www.example.test" wait_for 3 \
	grep -Eqx "GET /healthz www.example.test(:8080)?" "$WORK/rs1-http.seen"
check "rs2's check asks GET /status" \
	wait_for 3 grep -q "^GET /status " "$WORK/rs2-http.seen"

# step WHAT RS1_STATUS RS1_BODY RS2_STATUS EXPECTED_LIST EXPECTED_COUNTS:
# both peers answer anew; within the bound -L -n shows EXPECTED_LIST and
# 30 new connections are answered as EXPECTED_COUNTS says.
step() {
	peer_set rs1 http "$2" "$3"
	peer_set rs2 http "$4"
	pool_is "$1" "$VS4" $(($(now_ms) + BOUND_MS)) "$5" 30 "$6"
}

step "rs1 wrong digest, rs2 status 503" 200 $'sick\n' 503 \
	"198.18.0.13:80=1" "rs3=30 failed=0"
step "rs1 right digest, rs2 status 204" 200 $'healthy\n' 204 \
	"$all" "rs1=10 rs2=10 rs3=10 failed=0"
step "rs1 status 205 (not in 200-204 299), rs2 status 302" 205 $'healthy\n' 302 \
	"198.18.0.13:80=1" "rs3=30 failed=0"
step "rs1 status 299 and right digest, rs2 status 299" 299 $'healthy\n' 299 \
	"$all" "rs1=10 rs2=10 rs3=10 failed=0"
step "rs1 status 500 with the right digest, rs2 status 200" 500 $'healthy\n' 200 \
	"198.18.0.12:80=1 198.18.0.13:80=1" "rs2=15 rs3=15 failed=0"

check "rs2's peer stops" peer_stop rs2 http
deadline=$(($(now_ms) + BOUND_MS))
wait_until "$deadline" list_is "$VS4" "198.18.0.13:80=1"
check_eq "rs2's port 8080 refuses: rs2 is out too" "198.18.0.13:80=1" "$(rs_list "$VS4")"

done_testing
