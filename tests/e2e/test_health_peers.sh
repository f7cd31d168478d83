#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SSL_GET, SMTP_CHECK and DNS_CHECK against health_peer.py on the real
# servers: rs1 serves HTTPS on 443 (a certificate made now, in the test's
# directory), rs2 SMTP on 25, rs3 DNS on 53. A server is in while its peer
# answers right, out while it answers wrong, stays silent or is stopped.
# rs2 also has a TCP_CHECK on port 80: with several checkers, one failing
# is enough to take it out.
. "$(dirname "$0")/health_lib.sh"

cluster_up
mkdir "$WORK/tls" && tls_cert "$WORK/tls" www.example.test ||
	die "openssl cannot make a certificate"
digest=$(printf 'secure\n' | md5sum | cut -d' ' -f1)
conf=$WORK/keepalived.conf
{
	conf_service $VIP4 rr
	cat <<EOF
    real_server 198.18.0.11 80 {
        SSL_GET {
            url {
                path /tls
                digest $digest
            }
            virtualhost www.example.test
            enable_sni
            connect_port 443
            connect_timeout 1
        }
    }
    real_server 198.18.0.12 80 {
        SMTP_CHECK {
            helo_name checker.example.test
            connect_port 25
            connect_timeout 1
        }
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 198.18.0.13 80 {
        DNS_CHECK {
            type A
            name www.example.test
            connect_port 53
            connect_timeout 1
            retry 1
        }
    }
}
EOF
} >"$conf"
all="198.18.0.11:80=1 198.18.0.12:80=1 198.18.0.13:80=1"

# peers_start: the three peers, answering right.
peers_start() {
	peer_start rs1 https 443 --cert "$WORK/tls/cert.pem" --key "$WORK/tls/key.pem"
	peer_start rs2 smtp 25
	peer_start rs3 dns 53
}

# answers SSL_STATUS SSL_BODY SMTP_GREETING DNS_RCODE: what the peers say
# from now on.
answers() {
	peer_set rs1 https "$1" "$2"
	peer_set rs2 smtp "$3"
	peer_set rs3 dns "$4"
}

answers 200 $'secure\n' 220 0
peers_start
xvsd_start_conf "$conf"
pool_is "at start, all answer right" "$VS4" $(($(now_ms) + 5000)) "$all" \
	30 "rs1=10 rs2=10 rs3=10 failed=0"
# (the first checks come within warmup, 0..delay_loop after the start)
seen=$WORK/rs1-https.seen
check "SSL_GET sends virtualhost as SNI" \
	wait_for 3 grep -qx "SNI www.example.test" "$seen"
check "SSL_GET asks GET /tls of Host www.example.test" \
	wait_for 3 grep -Eqx "GET /tls www.example.test(:443)?" "$seen"
check "SMTP_CHECK says HELO with helo_name" \
	wait_for 3 grep -qx "HELO checker.example.test" "$WORK/rs2-smtp.seen"
check "DNS_CHECK asks type A (1) for name" \
	wait_for 3 grep -qx "QUERY 1 www.example.test." "$WORK/rs3-dns.seen"

answers 200 $'forged\n' 421 0
pool_is "SSL_GET wrong digest, SMTP greeting 421" "$VS4" $(($(now_ms) + BOUND_MS)) \
	198.18.0.13:80=1 20 "rs3=20 failed=0"

answers 200 $'secure\n' 220 2
pool_is "right again; DNS answers SERVFAIL" "$VS4" $(($(now_ms) + BOUND_MS)) \
	"198.18.0.11:80=1 198.18.0.12:80=1" 20 "rs1=10 rs2=10 failed=0"

answers 200 $'secure\n' 220 0
pool_is "all answer right again" "$VS4" $(($(now_ms) + BOUND_MS)) "$all" \
	30 "rs1=10 rs2=10 rs3=10 failed=0"

answers 503 $'secure\n' 220 silent
pool_is "SSL_GET status 503, DNS silent" "$VS4" $(($(now_ms) + SILENT_BOUND_MS)) \
	198.18.0.12:80=1 20 "rs2=20 failed=0"

answers 200 $'secure\n' 220 0
pool_is "all answer right again" "$VS4" $(($(now_ms) + BOUND_MS)) "$all" \
	30 "rs1=10 rs2=10 rs3=10 failed=0"

for p in "rs1 https" "rs2 smtp" "rs3 dns"; do
	check "peer $p stops" peer_stop $p
done
wait_until $(($(now_ms) + BOUND_MS)) list_is "$VS4" ""
check_eq "every peer stopped: every real server is out" "" "$(rs_list "$VS4")"

peers_start
pool_is "peers started again: all back" "$VS4" $(($(now_ms) + BOUND_MS)) "$all" \
	30 "rs1=10 rs2=10 rs3=10 failed=0"

check "rs2's web server stops (its SMTP peer answers on)" rs_server_stop rs2
pool_is "rs2's TCP_CHECK fails: out, though SMTP_CHECK passes" "$VS4" \
	$(($(now_ms) + BOUND_MS)) "198.18.0.11:80=1 198.18.0.13:80=1" 20 "rs1=10 rs3=10 failed=0"

done_testing
