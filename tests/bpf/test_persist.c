// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence, fwmark services and one-packet scheduling under
 * BPF_PROG_TEST_RUN, as IPVS's ip_vs_sched_persist and ip_vs_schedule:
 *  - two clients of one /24 with -M 255.255.255.0 share a template, and
 *    its real server, though rr alone would alternate; the template's key
 *    is written out byte for byte here, not computed with the code under
 *    test;
 *  - a template whose server was deleted, or quiesced with
 *    expire_quiescent_template, is replaced by a fresh pick;
 *  - FTP (port 21) and port-zero templates have vport 0, and an FTP
 *    service takes its client's data connections;
 *  - mark rules classify packets for a fwmark service, first match
 *    winning, and the classic 80+443 group lands on one server;
 *  - a template outlives its timeout while it controls connections and
 *    goes with the sweep after them, with PersistConn;
 *  - -o: each datagram is scheduled alone and leaves no entry.
 * The service is the director's (tests/bpf/director.h), rr over real
 * servers 1 and 2 (2 is the list head, so it takes the first pick).
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "../unit/test.h"
#include "director.h"
#include "marks.h"
#include "persist.h"
#include "sweep.h"
#include "tcp_state.h"

#define VIP "198.18.0.100"
#define RS1 "198.18.0.11"
#define RS2 "198.18.0.12"
#define MASK24 htonl(0xffffff00)
#define MASK32 0xffffffffu

static struct flow tcp_syn(const char *client, __u16 sport, __u16 dport)
{
	struct flow f = {
		.af = XVS_AF_INET,
		.saddr = client,
		.daddr = VIP,
		.sport = sport,
		.dport = dport,
		.proto = IPPROTO_TCP,
		.tcp_flags = XVS_TCP_SYN,
	};
	return f;
}

/* One packet of f; returns the verdict, *out the frame that left. */
static int send_one(const struct flow *f, struct pkt *out)
{
	struct pkt in;

	pkt_build(&in, f, f->proto == IPPROTO_TCP ? 0 : 8);
	return dir_run(&in, out, dir.eth0);
}

/* Sends f; the real server it went to, -1 if not forwarded. */
static int pick_of(const struct flow *f)
{
	struct pkt out;

	return send_one(f, &out) == XDP_TX ? dir_sent_to(&out) : -1;
}

/* The director's service with persistence options, as xvsd writes them
 * (daemon/svc_persist.c). */
static void svc_options(const struct xvs_svc_key *k, __u32 flags,
			__u32 netmask, __u32 timeout, __u32 fwmark)
{
	struct xvs_svc_dp v = {
		.svc_id = 0,
		.sched_id = (__u16)xvs_sched_find("rr")->id,
		.flags = (__u16)flags,
		.timeout_s = timeout,
		.netmask = netmask,
		.fwmark = fwmark,
		.port = k->port,
	};

	xvs_dp_svc_set(dir.dp, k, &v);
}

/* A director with proto VIP:port scheduled rr over rs1 and rs2 (DR),
 * made persistent (-p timeout -M netmask) when flags say so. */
static int setup(__u8 proto, __u16 port, __u32 flags, __u32 netmask,
		 __u32 timeout)
{
	if (dir_open())
		return -1;
	dir_service(XVS_AF_INET, proto, VIP, port);
	dir_dest(1, RS1, port, XVS_FWD_DR);
	dir_dest(2, RS2, port, XVS_FWD_DR);
	svc_options(&dir.key, flags, netmask, timeout, 0);
	return 0;
}

/* The template of client (an IPv4 network) to VIP:vport, as IPVS keys it. */
static struct xvs_conn_key tpl_key(__u8 proto, const char *snet,
				   const char *vaddr, __u16 vport)
{
	struct xvs_conn_key k;

	memset(&k, 0, sizeof(k));
	k.saddr = pkt_addr(XVS_AF_INET, snet);
	k.daddr = pkt_addr(XVS_AF_INET, vaddr);
	k.dport = htons(vport);
	k.proto = proto;
	k.af = XVS_AF_INET;
	k.tpl = XVS_CONN_KEY_TEMPLATE;
	return k;
}

/* "dest timeout n_control" of the template at k, "none" without one. */
static const char *tpl_desc(const struct xvs_conn_key *k)
{
	static char buf[64];
	struct xvs_conn c;

	if (xvs_dp_conn_lookup(dir.dp, k, &c))
		return "none";
	snprintf(buf, sizeof(buf), "%s%u %u %d",
		 c.flags & XVS_CONN_F_TEMPLATE ? "" : "not-a-template ",
		 c.dest_id, c.timeout_s, c.n_control);
	return buf;
}

static __u32 persistconns(__u32 id)
{
	return xvs_dp_dest_persistconns(dir.dp, id);
}

/* Makes the entry at k idle for longer than any timeout here. */
static void age(const struct xvs_conn_key *k)
{
	struct xvs_conn c;

	if (xvs_dp_conn_lookup(dir.dp, k, &c))
		return;
	c.last_seen_ns = xvs_conn_clock() - 4000 * XVS_NSEC_PER_SEC;
	bpf_map_update_elem(xvs_dp_conns_fd(dir.dp), k, &c, BPF_EXIST);
}

TEST(persist_netmask_groups_a_24)
{
	struct flow a = tcp_syn("198.18.0.1", 40000, 80);
	struct flow b = tcp_syn("198.18.0.7", 40001, 80);
	struct flow c = tcp_syn("198.18.1.9", 40002, 80);
	struct xvs_conn_key t24 = tpl_key(IPPROTO_TCP, "198.18.0.0", VIP, 80);
	struct xvs_conn_key t1 = tpl_key(IPPROTO_TCP, "198.18.1.0", VIP, 80);
	struct xvs_global_stats gs;
	__u32 act, inact;

	if (setup(IPPROTO_TCP, 80, XVS_SVC_F_PERSISTENT, MASK24, 360))
		return;
	CHECK(pick_of(&a) == 2, "the first client goes to rr's first, rs2");
	CHECK(pick_of(&b) == 2,
	      "another client of its /24 follows the template to rs2");
	CHECK(pick_of(&c) == 1, "a client of another /24 gets rr's next");
	CHECK(!strcmp(tpl_desc(&t24), "2 360 2"),
	      "<TCP, 198.18.0.0, 0, VIP, 80>: rs2, 360 s, controls 2: %s",
	      tpl_desc(&t24));
	CHECK(!strcmp(tpl_desc(&t1), "1 360 1"),
	      "<TCP, 198.18.1.0, 0, VIP, 80>: rs1: %s", tpl_desc(&t1));
	CHECK(persistconns(2) == 1 && persistconns(1) == 1,
	      "PersistConn counts one template each: %u %u", persistconns(1),
	      persistconns(2));
	xvs_dp_dest_conns(dir.dp, 2, &act, &inact);
	CHECK(act == 2 && inact == 0,
	      "the templates are not in ActiveConn/InActConn: %u/%u", act,
	      inact);
	gs = dir_counters();
	CHECK(gs.tpl_new == 2 && gs.conn_new == 3,
	      "%llu templates, %llu connections",
	      (unsigned long long)gs.tpl_new,
	      (unsigned long long)gs.conn_new);
	dir_close();
}

TEST(persist_without_mask_each_client_alone)
{
	struct flow a = tcp_syn("198.18.0.1", 40000, 80);
	struct flow a2 = tcp_syn("198.18.0.1", 40001, 80);
	struct flow b = tcp_syn("198.18.0.7", 40002, 80);

	if (setup(IPPROTO_TCP, 80, XVS_SVC_F_PERSISTENT, MASK32, 360))
		return;
	CHECK(pick_of(&a) == 2 && pick_of(&a2) == 2,
	      "one client's connections share its server");
	CHECK(pick_of(&b) == 1, "a neighbour has its own template (rs1)");
	dir_close();
}

TEST(persist_template_replaced_when_server_deleted)
{
	struct flow a = tcp_syn("198.18.0.1", 40000, 80);
	struct flow a2 = tcp_syn("198.18.0.1", 40001, 80);
	struct flow a_ack = a;
	struct xvs_conn_key t = tpl_key(IPPROTO_TCP, "198.18.0.1", VIP, 80);
	struct pkt out;

	if (setup(IPPROTO_TCP, 80, XVS_SVC_F_PERSISTENT, MASK32, 360))
		return;
	CHECK(pick_of(&a) == 2, "first connection to rs2");
	dir_dest_del(2);
	CHECK(pick_of(&a2) == 1,
	      "with rs2 deleted, the next connection is scheduled anew");
	CHECK(!strcmp(tpl_desc(&t), "1 360 1"),
	      "and its template replaced, bound to rs1: %s", tpl_desc(&t));
	CHECK(dir_counters().tpl_invalid == 1 && persistconns(1) == 1,
	      "counted as invalid; rs1's PersistConn 1");
	/* the old connection's next packet removes it (its server is
	 * gone); the new template is not its template */
	a_ack.tcp_flags = XVS_TCP_ACK;
	CHECK(send_one(&a_ack, &out) == XDP_DROP,
	      "the deleted server's connection is dropped");
	CHECK(!strcmp(tpl_desc(&t), "1 360 1"),
	      "the new template keeps its one connection: %s", tpl_desc(&t));
	dir_close();
}

TEST(persist_expire_quiescent_template)
{
	struct flow a = tcp_syn("198.18.0.1", 40000, 80);
	struct flow a2 = tcp_syn("198.18.0.1", 40001, 80);
	struct flow a3 = tcp_syn("198.18.0.1", 40002, 80);

	if (setup(IPPROTO_TCP, 80, XVS_SVC_F_PERSISTENT, MASK32, 360))
		return;
	CHECK(pick_of(&a) == 2, "first connection to rs2");
	dir_dest_weight(2, 0); /* -e -w 0 */
	CHECK(pick_of(&a2) == 2,
	      "weight 0: the template still holds (IPVS's default)");
	xvs_dp_config(dir.dp)->expire_quiescent_template = 1;
	CHECK(pick_of(&a3) == 1,
	      "with expire_quiescent_template: scheduled anew, to rs1");
	CHECK(dir_counters().tpl_invalid == 1, "one template replaced");
	dir_close();
}

TEST(persist_ftp_templates_have_no_port_and_take_data)
{
	struct flow ctl = tcp_syn("198.18.0.1", 40000, 21);
	struct flow data = tcp_syn("198.18.0.1", 40001, 30000);
	struct flow data20 = tcp_syn("198.18.0.1", 40002, 20);
	struct flow other = tcp_syn("198.18.0.1", 40003, 25);
	struct xvs_conn_key t = tpl_key(IPPROTO_TCP, "198.18.0.1", VIP, 0);
	struct pkt out;

	if (setup(IPPROTO_TCP, 21, XVS_SVC_F_PERSISTENT, MASK32, 360))
		return;
	xvs_dp_config(dir.dp)->ftp_svcs = 1; /* as xvsd counts them */
	CHECK(pick_of(&ctl) == 2, "the control connection to rs2");
	CHECK(!strcmp(tpl_desc(&t), "2 360 1"),
	      "port 21's template has vport 0: %s", tpl_desc(&t));
	CHECK(pick_of(&data) == 2 && pick_of(&data20) == 2,
	      "data connections (unprivileged port, port 20) follow it");
	CHECK(!strcmp(tpl_desc(&t), "2 360 3"), "under the same template: %s",
	      tpl_desc(&t));
	CHECK(send_one(&other, &out) == XDP_PASS,
	      "a privileged port other than 20 is not the FTP service's");
	/* not persistent: IPVS leaves such packets to the host */
	svc_options(&dir.key, 0, MASK32, 0, 0);
	data.sport = 40010;
	CHECK(send_one(&data, &out) == XDP_PASS,
	      "a non-persistent FTP service takes no data connection");
	dir_close();
}

TEST(persist_port_zero_service)
{
	struct flow a80 = tcp_syn("198.18.0.1", 40000, 80);
	struct flow a443 = tcp_syn("198.18.0.1", 40001, 443);
	struct flow b = tcp_syn("198.18.0.2", 40002, 8080);
	struct xvs_conn_key t = tpl_key(IPPROTO_TCP, "198.18.0.1", VIP, 0);
	struct pkt out;

	if (setup(IPPROTO_TCP, 0, XVS_SVC_F_PERSISTENT, MASK32, 600))
		return;
	CHECK(send_one(&a80, &out) == XDP_PASS,
	      "without its count the data plane looks for no port-zero "
	      "service");
	xvs_dp_config(dir.dp)->zero_port_svcs = 1;
	a80.sport = 40010;
	CHECK(pick_of(&a80) == 2 && pick_of(&a443) == 2,
	      "every port of the VIP, one client, one server");
	CHECK(!strcmp(tpl_desc(&t), "2 600 2"),
	      "<TCP, client, 0, VIP, 0>, the service's 600 s: %s",
	      tpl_desc(&t));
	CHECK(pick_of(&b) == 1, "another client: rr's next");
	dir_close();
}

/* The mark rules of a test, through the daemon's own table. */
static struct xvs_marks marks;

static void mark_add(__u8 proto, const char *dst, __u32 mark)
{
	struct xvs_mark_rule r;
	char err[128];
	int rc = xvs_mark_rule_parse(dst, proto, &r, err, sizeof(err));

	r.mark = mark;
	if (!rc)
		rc = xvs_marks_add(&marks, dir.dp, &r, err, sizeof(err));
	CHECK(!rc, "mark rule %s -> %u: %s", dst, mark, err);
}

/* The director's service replaced by fwmark service mark (persistent). */
static void fwmark_service(__u32 mark)
{
	struct xvs_svc_key k;

	xvs_dp_svc_del(dir.dp, &dir.key);
	xvs_svc_key_fwmark(&k, XVS_AF_INET, mark);
	svc_options(&k, XVS_SVC_F_PERSISTENT, MASK32, 360, mark);
}

TEST(fwmark_rules_group_80_and_443)
{
	struct flow a80 = tcp_syn("198.18.0.1", 40000, 80);
	struct flow a443 = tcp_syn("198.18.0.1", 40001, 443);
	struct flow a8080 = tcp_syn("198.18.0.1", 40002, 8080);
	struct flow b443 = tcp_syn("198.18.0.2", 40003, 443);
	struct flow u80 = a80;
	struct xvs_conn_key t = tpl_key(0, "198.18.0.1", "0.0.0.1", 0);
	struct xvs_mark_rule first;
	struct pkt out;
	char err[128];

	if (setup(IPPROTO_TCP, 80, 0, MASK32, 0))
		return;
	memset(&marks, 0, sizeof(marks));
	fwmark_service(1);
	/* a rule for 443 with a mark no service has, before the group's */
	mark_add(IPPROTO_TCP, "198.18.0.0/24:443", 7);
	mark_add(IPPROTO_TCP, VIP ":80-443", 1);
	CHECK(pick_of(&a80) == 2, "port 80: mark 1, the fwmark service");
	CHECK(send_one(&a443, &out) == XDP_PASS,
	      "port 443: the first rule wins, mark 7, no such service");
	xvs_mark_rule_parse("198.18.0.0/24:443", IPPROTO_TCP, &first, err,
			    sizeof(err));
	first.mark = 0;
	CHECK(!xvs_marks_del(&marks, dir.dp, &first, err, sizeof(err)),
	      "--del-mark: %s", err);
	a443.sport = 40011;
	CHECK(pick_of(&a443) == 2,
	      "then port 443 has mark 1: the same server as port 80");
	CHECK(!strcmp(tpl_desc(&t), "2 360 2"),
	      "one template <IP, client, 0, mark 1, 0> for both: %s",
	      tpl_desc(&t));
	CHECK(pick_of(&b443) == 1, "another client: rr's next");
	CHECK(send_one(&a8080, &out) == XDP_PASS,
	      "a port outside the rule: no mark, no service");
	u80.proto = IPPROTO_UDP;
	CHECK(send_one(&u80, &out) == XDP_PASS,
	      "UDP to port 80: the rule is TCP's");
	CHECK(dir_counters().fwmark_hit == 3, "3 packets had the service");
	xvs_marks_clear(&marks, dir.dp);
	a80.sport = 40020;
	CHECK(send_one(&a80, &out) == XDP_PASS, "no rule, no mark");
	dir_close();
}

TEST(fwmark_nat_port_zero_keeps_the_port)
{
	struct flow a443 = tcp_syn("198.18.0.1", 40000, 443);
	struct pkt out;

	if (dir_open())
		return;
	dir_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80);
	dir_dest(1, RS1, 0, XVS_FWD_NAT); /* -r RS1 -m: port 0 */
	dir_nat_dests(1);
	memset(&marks, 0, sizeof(marks));
	fwmark_service(1);
	mark_add(IPPROTO_TCP, VIP ":80-443", 1);
	CHECK(send_one(&a443, &out) == XDP_TX && out.len > 37 &&
		      out.b[36] == 443 >> 8 && out.b[37] == (443 & 0xff) &&
		      !memcmp(out.b + 30, pkt_addr(XVS_AF_INET, RS1).bytes,
			      4),
	      "rewritten to RS1, port 443 kept");
	dir_close();
}

TEST(persist_template_lives_while_it_controls)
{
	struct flow a = tcp_syn("198.18.0.1", 40000, 80);
	struct flow a2 = tcp_syn("198.18.0.1", 40001, 80);
	struct flow a3 = tcp_syn("198.18.0.1", 40002, 80);
	struct xvs_conn_key t = tpl_key(IPPROTO_TCP, "198.18.0.1", VIP, 80);
	struct xvs_conn_key ka = pkt_key(&a), ka2 = pkt_key(&a2);
	struct xvs_conn_key ka3 = pkt_key(&a3);
	struct xvs_sweep sw;
	int removed;

	if (setup(IPPROTO_TCP, 80, XVS_SVC_F_PERSISTENT, MASK32, 360))
		return;
	pick_of(&a);
	pick_of(&a2);
	CHECK(!strcmp(tpl_desc(&t), "2 360 2"), "rs2's template controls 2");
	age(&t);
	xvs_sweep_init(&sw, dir.dp);
	removed = xvs_sweep_step(&sw, XVS_SWEEP_BUDGET);
	CHECK(removed == 0 && !strcmp(tpl_desc(&t), "2 60 2"),
	      "past its timeout, busy: re-armed for 60 s, as IPVS (%d "
	      "removed, %s)",
	      removed, tpl_desc(&t));
	age(&ka);
	age(&ka2);
	removed = xvs_sweep_step(&sw, XVS_SWEEP_BUDGET);
	CHECK(removed == 2 && !strcmp(tpl_desc(&t), "2 60 0"),
	      "its connections expire and let go (%d removed, %s)", removed,
	      tpl_desc(&t));
	CHECK(pick_of(&a3) == 2 && !strcmp(tpl_desc(&t), "2 60 1"),
	      "a new connection still finds it: %s", tpl_desc(&t));
	age(&t);
	removed = xvs_sweep_step(&sw, XVS_SWEEP_BUDGET);
	CHECK(removed == 0 && !strcmp(tpl_desc(&t), "2 60 1"),
	      "re-armed again while it controls one");
	age(&ka3);
	removed = xvs_sweep_step(&sw, XVS_SWEEP_BUDGET);
	CHECK(removed == 1 && !strcmp(tpl_desc(&t), "2 60 0"),
	      "its last connection goes (%d removed, %s)", removed,
	      tpl_desc(&t));
	age(&t);
	removed = xvs_sweep_step(&sw, XVS_SWEEP_BUDGET);
	CHECK(removed == 1 && !strcmp(tpl_desc(&t), "none") &&
		      persistconns(2) == 0,
	      "idle and controlling none: swept, PersistConn 0 (%d removed, "
	      "%s, %u)",
	      removed, tpl_desc(&t), persistconns(2));
	dir_close();
}

TEST(onepacket_udp_each_datagram_alone)
{
	struct flow u = {
		.af = XVS_AF_INET,
		.saddr = "198.18.0.1",
		.daddr = VIP,
		.sport = 30000,
		.dport = 53,
		.proto = IPPROTO_UDP,
	};
	struct xvs_conn_key k = pkt_key(&u);
	struct xvs_stats st;
	struct xvs_conn c;
	int seq[4];
	__u32 act, inact;

	if (setup(IPPROTO_UDP, 53, XVS_SVC_F_ONEPACKET, MASK32, 0))
		return;
	for (int i = 0; i < 4; i++)
		seq[i] = pick_of(&u);
	CHECK(seq[0] == 2 && seq[1] == 1 && seq[2] == 2 && seq[3] == 1,
	      "one flow's datagrams spread as new ones: %d %d %d %d", seq[0],
	      seq[1], seq[2], seq[3]);
	CHECK(xvs_dp_conn_lookup(dir.dp, &k, &c) != 0, "and leave no entry");
	xvs_dp_dest_conns(dir.dp, 1, &act, &inact);
	CHECK(act == 0 && inact == 0, "nor a count: %u/%u", act, inact);
	xvs_dp_svc_stats(dir.dp, 0, &st);
	CHECK(st.conns == 4 && dir_counters().one_packet == 4,
	      "each is a connection in the stats: %llu",
	      (unsigned long long)st.conns);

	/* -o with -p: the template still holds the client */
	svc_options(&dir.key, XVS_SVC_F_ONEPACKET | XVS_SVC_F_PERSISTENT,
		    MASK32, 300, 0);
	for (int i = 0; i < 3; i++)
		seq[i] = pick_of(&u);
	CHECK(seq[0] == seq[1] && seq[1] == seq[2] && seq[0] > 0,
	      "with -p they follow the client's template: %d %d %d", seq[0],
	      seq[1], seq[2]);
	CHECK(xvs_dp_conn_lookup(dir.dp, &k, &c) != 0, "still no entry");
	dir_close();
}
