#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Quorum and the sorry server: a fourth host, "sorry" (198.18.0.14, VIP on
# lo), takes over a service whose live weight falls below quorum -
# hysteresis, and leaves when it reaches quorum + hysteresis again.
#   198.18.0.100:80     quorum 1, hysteresis 0: sorry when all are down,
#                       gone when one is back
#   [2001:db8::100]:80  quorum 2, hysteresis 1: sorry below 1, gone at 3
# All three real servers have weight 1 and a TCP_CHECK; quorum_up and
# quorum_down write to a file.
. "$(dirname "$0")/health_lib.sh"

cluster_up
rs_add sorry 198.18.0.14 2001:db8::14 "$VIP4" "$VIP6" || die "cannot add the sorry host"
# Nothing checks a sorry server: a ping puts it in the director's
# neighbour table, as cluster_up does for the real servers.
in_ns dir "$PYTHON" "$E2E_DIR/client.py" ping 198.18.0.14 2001:db8::14 >/dev/null ||
	die "the director cannot ping the sorry host"
quorum_log=$WORK/quorum.log
printf '#!/bin/sh\necho "$*" >>%s\n' "$quorum_log" >"$WORK/quorum.sh"
chmod +x "$WORK/quorum.sh"

# virtual_server VIP RS_PREFIX QUORUM HYSTERESIS
virtual_server() {
	local i
	conf_service "$1" rr
	cat <<EOF
    quorum $3
    hysteresis $4
    quorum_up "$WORK/quorum.sh up $1"
    quorum_down "$WORK/quorum.sh down $1"
    sorry_server ${2}4 80
EOF
	for i in 1 2 3; do
		printf '    real_server %s 80 {\n        TCP_CHECK {\n' "$2$i"
		printf '            connect_timeout 1\n        }\n    }\n'
	done
	echo "}"
}
conf=$WORK/keepalived.conf
{
	virtual_server $VIP4 198.18.0.1 1 0
	virtual_server $VIP6 2001:db8::1 2 1
} >"$conf"

all4="198.18.0.11:80=1 198.18.0.12:80=1 198.18.0.13:80=1"
all6="[2001:db8::11]:80=1 [2001:db8::12]:80=1 [2001:db8::13]:80=1"
sorry4="198.18.0.14:80=1"
sorry6="[2001:db8::14]:80=1"

xvsd_start_conf "$conf"
deadline=$(($(now_ms) + 5000))
pool_is "at start, IPv4" "$VS4" $deadline "$all4" 30 "rs1=10 rs2=10 rs3=10 failed=0"
pool_is "at start, IPv6" "$VS6" $deadline "$all6" 30 "rs1=10 rs2=10 rs3=10 failed=0"

rs_server_stop rs1 && rs_server_stop rs2 || fail "stopping rs1 and rs2"
deadline=$(($(now_ms) + BOUND_MS))
pool_is "rs1, rs2 down, IPv4: rs3 alone keeps quorum 1" "$VS4" $deadline \
	198.18.0.13:80=1 20 "rs3=20 failed=0"
pool_is "rs1, rs2 down, IPv6: weight 1 is not below quorum 2 - hysteresis 1" \
	"$VS6" $deadline "[2001:db8::13]:80=1" 20 "rs3=20 failed=0"

rs_server_stop rs3 || fail "stopping rs3"
deadline=$(($(now_ms) + BOUND_MS))
pool_is "all down, IPv4: the sorry server answers" "$VS4" $deadline "$sorry4" \
	20 "sorry=20 failed=0"
pool_is "all down, IPv6: the sorry server answers" "$VS6" $deadline "$sorry6" \
	20 "sorry=20 failed=0"
wait_for 3 grep -q "down $VIP6" "$quorum_log"
check_eq "quorum_down ran once for each service" "down $VIP4 down $VIP6" \
	"$(sort "$quorum_log" | xargs)"

rs_server_start rs2 || fail "starting rs2"
deadline=$(($(now_ms) + BOUND_MS))
pool_is "rs2 back, IPv4: the sorry server goes away" "$VS4" $deadline \
	198.18.0.12:80=1 20 "rs2=20 failed=0"
# Longer than delay_loop + connect_timeout: the IPv6 service's check has
# seen rs2 back too, but its quorum wants weight 2 + 1.
sleep 2
check_eq "rs2 back, IPv6: weight 1 is below quorum 2 + hysteresis 1, sorry stays" \
	"$sorry6" "$(rs_list "$VS6")"
check_eq "rs2 back, IPv6: the sorry server still answers" "sorry=10 failed=0" \
	"$(client count "http://[$VIP6]/" 10)"

rs_server_start rs1 && rs_server_start rs3 || fail "starting rs1 and rs3"
deadline=$(($(now_ms) + BOUND_MS))
pool_is "all back, IPv6: weight 3 reaches quorum + hysteresis, sorry goes" \
	"$VS6" $deadline "$all6" 30 "rs1=10 rs2=10 rs3=10 failed=0"
pool_is "all back, IPv4" "$VS4" $deadline "$all4" 30 "rs1=10 rs2=10 rs3=10 failed=0"
wait_for 3 grep -q "up $VIP6" "$quorum_log"
check_eq "quorum_up ran once for each service" \
	"down $VIP4 down $VIP6 up $VIP4 up $VIP6" "$(sort "$quorum_log" | xargs)"

done_testing
