#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Persistence, fwmark services and one-packet scheduling through a DR
# cluster, as IPVS gives them:
#  - -p: a client's new connections all go to one real server; another
#    client has its own template (rr gives it another server); -L -c lists
#    the templates (state NONE, client port 0), --persistent-conn counts
#    them in PersistConn;
#  - -M 255.255.255.0: two clients of one /24 share a template;
#  - a template outlives its timeout while a connection under it lives,
#    and goes after its timeout once none does;
#  - a fwmark service made of a mark rule for ports 80 to 443: a client's
#    connections to 80 and to 443 land on the same real server (the
#    classic use), -L -c shows its template as IPVS does (IP, mark 1 as
#    address 0.0.0.1);
#  - -o: one flow's datagrams are spread over the servers and leave no
#    connection entry;
#  - -S saves all of it and -R restores it.
# A second client, client2 (198.18.0.5), shares client's /24; the real
# servers also serve HTTP on 443 (and UDP on 5354).
. "$(dirname "$0")/lib.sh"

VIP=198.18.0.100
C1=198.18.0.1
C2=198.18.0.5

cluster_up
host_add client2 $C2 2001:db8::5 || die "cannot add client2"
for i in 1 2 3; do
	bg_ns "rs$i" "$WORK/rs$i-443.log" "$PYTHON" "$E2E_DIR/rs_server.py" \
		"rs$i" --http-port 443 --udp-port 5354 --ready "$WORK/rs$i-443.ready"
done
for i in 1 2 3; do
	wait_for 5 test -e "$WORK/rs$i-443.ready" ||
		die "rs_server on rs$i:443 did not start: $(cat "$WORK/rs$i-443.log")"
done
xvsd_start

# count_from HOST URL N: client.py count from HOST's namespace.
count_from() {
	in_ns "$1" "$PYTHON" "$E2E_DIR/client.py" count "$2" "$3"
}

# one_server COUNTS: the one server of a client.py count line whose
# connections all succeeded on a single server ("rs2=6 failed=0" -> rs2).
one_server() {
	[[ "$1" =~ ^(rs[123])=[0-9]+\ failed=0$ ]] && echo "${BASH_REMATCH[1]}"
}

# pconn SERVICE RS: the PersistConn of RS in -L -n --persistent-conn.
pconn() {
	xvsadm -L -n --persistent-conn | awk -v svc="$1" -v rs="$2" '
		/^(TCP|UDP|FWM) / { insvc = (substr($0, 1, length(svc) + 1) == svc " ") }
		insvc && $1 == "->" && $2 == rs { print $4 }'
}

# templates: the template lines of -L -c -n.
templates() {
	xvsadm -L -c -n | grep " NONE "
}

# ---- -p on port 80 ------------------------------------------------------
svc=$VIP:80
check "-A -t $svc -s rr -p" xvsadm -A -t $svc -s rr -p
for i in 1 2 3; do
	xvsadm -a -t $svc -r 198.18.0.1$i:80 -g || die "-a 198.18.0.1$i:80"
done
check_match "-L shows 'persistent 360'" \
	"(^|
)TCP  $VIP:80 rr persistent 360
" "$(xvsadm -L -n)"
out1=$(count_from client http://$svc/ 6)
s1=$(one_server "$out1")
check_match "client: 6 new connections, all to one server" "^rs[123]$" "$s1"
out2=$(count_from client2 http://$svc/ 6)
s2=$(one_server "$out2")
check_match "client2 (no -M): all to one server too" "^rs[123]$" "$s2"
[ "$s1" != "$s2" ] && ok "... another one: its own template ($s1, $s2)" ||
	fail "both clients on $s1: a template shared without -M"
tpl=$(templates)
check_match "-L -c: client's template, NONE, port 0, to ${s1}'s :80" \
	"TCP [0-9]{2}:[0-9]{2}  NONE        $C1:0 +$VIP:80 +198\.18\.0\.1${s1#rs}:80" \
	"$tpl"
check_match "-L -c: client2's template" \
	"TCP [0-9]{2}:[0-9]{2}  NONE        $C2:0 +$VIP:80 +198\.18\.0\.1${s2#rs}:80" \
	"$tpl"
check_eq "--persistent-conn: PersistConn 1 on $s1" 1 \
	"$(pconn "TCP  $svc" 198.18.0.1${s1#rs}:80)"
n0=$((6 - ${s1#rs} - ${s2#rs})) # the third server
check_eq "--persistent-conn: PersistConn 0 on rs$n0" 0 \
	"$(pconn "TCP  $svc" 198.18.0.1$n0:80)"

# ---- -M 255.255.255.0 on port 443 ----------------------------------------
svc443=$VIP:443
check "-A -t $svc443 -s rr -p -M 255.255.255.0" \
	xvsadm -A -t $svc443 -s rr -p -M 255.255.255.0
for i in 1 2 3; do
	xvsadm -a -t $svc443 -r 198.18.0.1$i:443 -g || die "-a 198.18.0.1$i:443"
done
check_match "-L shows 'mask 255.255.255.0'" \
	"TCP  $VIP:443 rr persistent 360 mask 255.255.255.0" "$(xvsadm -L -n)"
m1=$(one_server "$(count_from client http://$svc443/ 4)")
m2=$(one_server "$(count_from client2 http://$svc443/ 4)")
check_match "-M /24: client's connections on one server" "^rs[123]$" "$m1"
check_eq "-M /24: client2's on the same one, one template" "$m1" "$m2"
check_eq "-L -c: one template for 198.18.0.0/24" 1 \
	"$(templates | grep -c "NONE        198\.18\.0\.0:0 \+$VIP:443 ")"

# ---- a template outlives its timeout while a connection lives ----------
# (IPv6, so that the real servers' HTTP on [VIP6]:80 serves it)
check "--set 0 1 0 (FIN_WAIT 1 s)" xvsadm --set 0 1 0
svc6="[$VIP6]:80"
check "-A -t $svc6 -s rr -p 3" xvsadm -A -t "$svc6" -s rr -p 3
for i in 1 2 3; do
	xvsadm -a -t "$svc6" -r "[2001:db8::1$i]:80" -g || die "-a [2001:db8::1$i]"
done
session_start "http://$svc6/"
session_get
k1=$SESSION_ANSWER
check_match "a kept-alive connection through the -p 3 service" "^rs[123]$" "$k1"
sleep 5
session_get
check_eq "it still answers 5 s later, past the 3 s" "$k1" "$SESSION_ANSWER"
check_match "5 s later (past 3 s) its template is still listed" \
	"NONE        \[2001:db8::1\]:0 +\[$VIP6\]:80 " "$(templates)"
check_eq "and a new connection still follows it" "$k1" \
	"$(one_server "$(client count "http://$svc6/" 1)")"
session_stop
# client2's connection closes at once (FIN_WAIT, 1 s): nothing holds its
# template past its 3 s
c2=$(one_server "$(count_from client2 "http://$svc6/" 1)")
check_match "client2: one connection" "^rs[123]$" "$c2"
check_match "its template is listed" "NONE        \[2001:db8::5\]:0 " \
	"$(templates)"
no_template_of_client2() {
	! templates | grep -q "2001:db8::5\]:0 "
}
if wait_for 10 no_template_of_client2; then
	ok "with no connection under it, it expires after its 3 s"
else
	fail "client2's template did not expire"
	diag "$(xvsadm -L -c -n)"
fi

# ---- fwmark: 80 and 443 under one persistence ----------------------------
check "-C" xvsadm -C
check_eq "-C leaves no service" "" "$(xvsadm -L -n | grep -E '^(TCP|UDP|FWM) ')"
check "--add-mark -t $VIP:80-443 -f 1" xvsadm --add-mark -t $VIP:80-443 -f 1
check "-A -f 1 -s rr -p" xvsadm -A -f 1 -s rr -p
for i in 1 2 3; do
	check "-a -f 1 -r 198.18.0.1$i -g" xvsadm -a -f 1 -r 198.18.0.1$i -g
done
list=$(xvsadm -L -n)
check_match "-L: FWM  1 rr persistent 360" "(^|
)FWM  1 rr persistent 360
" "$list"
check_match "-L: the mark rule" "TCP  $VIP:80-443 +1" "$list"
f80=$(one_server "$(count_from client http://$VIP:80/ 4)")
f443=$(one_server "$(count_from client http://$VIP:443/ 4)")
check_match "fwmark: client's connections to :80 on one server" \
	"^rs[123]$" "$f80"
check_eq "fwmark: and its connections to :443 on the same one" "$f80" "$f443"
check_match "-L -c: the fwmark template, IP, mark 1 as 0.0.0.1" \
	"IP  [0-9]{2}:[0-9]{2}  NONE        $C1:0 +0\.0\.0\.1:0 +198\.18\.0\.1${f80#rs}:0" \
	"$(templates)"
check_eq "--persistent-conn: PersistConn 1 on $f80" 1 \
	"$(pconn "FWM  1" 198.18.0.1${f80#rs}:0)"

# ---- -o ------------------------------------------------------------------
check "-A -u $VIP:5353 -s rr -o" xvsadm -A -u $VIP:5353 -s rr -o
for i in 1 2 3; do
	xvsadm -a -u $VIP:5353 -r 198.18.0.1$i:5353 -g || die "-a -u 198.18.0.1$i"
done
check_match "-L shows 'ops'" "UDP  $VIP:5353 rr ops" "$(xvsadm -L -n)"
check_match "-o: 6 datagrams of one flow spread 2/2/2" \
	"^rs1=2 rs2=2 rs3=2 failed=1 moved=1$" \
	"$(client udp $VIP 5353 1 --repeat 6 --sport 32000)"
check_eq "-o: no UDP connection entry" "" "$(xvsadm -L -c -n | grep '^UDP ')"
check_eq "-o: --stats counts each datagram as a connection" 6 \
	"$(stats_conns "UDP  $VIP:5353")"

# ---- -S and -R ---------------------------------------------------------
saved=$(xvsadm -S -n)
check_eq "-S saves the rule, then the services" \
	"--add-mark -t $VIP:80-443 -f 1
-A -u $VIP:5353 -s rr -o
-a -u $VIP:5353 -r 198.18.0.11:5353 -g -w 1
-a -u $VIP:5353 -r 198.18.0.12:5353 -g -w 1
-a -u $VIP:5353 -r 198.18.0.13:5353 -g -w 1
-A -f 1 -s rr -p 360
-a -f 1 -r 198.18.0.11:0 -g -w 1
-a -f 1 -r 198.18.0.12:0 -g -w 1
-a -f 1 -r 198.18.0.13:0 -g -w 1" "$saved"
check "-C" xvsadm -C
check_eq "-C clears the mark rules too" "" "$(xvsadm -S -n)"
if printf '%s\n' "$saved" | xvsadm -R; then
	ok "-R reads it back"
else
	fail "-R reads it back"
fi
check_eq "and -S gives the same" "$saved" "$(xvsadm -S -n)"
check_match "the restored fwmark service answers on :443" "^rs[123]$" \
	"$(one_server "$(client count "http://$VIP:443/" 2)")"

done_testing
