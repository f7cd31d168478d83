// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP program under BPF_PROG_TEST_RUN: exact packet in, exact verdict
 * and packet out. The maps are programmed through daemon/dataplane.c, the
 * same code the daemon uses. Runs in a private network namespace so that
 * ifindex 1 (lo) is ours.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "../unit/test.h"
#include "director.h"

#define VIP "198.18.0.100"
#define VIP6 "2001:db8::100"
#define IFINDEX_IN 1 /* lo in our namespace: "the receiving interface" */

/* A service with its real servers, kept as the daemon keeps it. */
struct tb {
	struct xvs_dp *dp;
	const struct xvs_sched_ops *ops;
	struct xvs_svc_key key;
	struct xvs_sched_list list, prev;
	int published;
	__u32 gen;
};

static struct tb tb;

/* 0, or -1 after a failed CHECK saying why (the test then returns). */
static int tb_open(void)
{
	static int unshared;
	struct xvs_dp_opts o = { .conn_table_size = 1024 };
	char err[256];

	if (!unshared && unshare(CLONE_NEWNET)) {
		CHECK(0, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return -1;
	}
	unshared = 1;
	memset(&tb, 0, sizeof(tb));
	if (xvs_dp_open(&tb.dp, &o, err, sizeof(err))) {
		CHECK(0, "xvs_dp_open: %s", err);
		return -1;
	}
	return 0;
}

static void tb_close(void)
{
	xvs_dp_close(tb.dp);
	tb.dp = NULL;
}

static void tb_publish(void)
{
	xvs_sched_list_finish(&tb.list);
	xvs_dp_sched_publish(tb.dp, 0, tb.ops, tb.published ? &tb.prev : NULL,
			     &tb.list);
	tb.prev = tb.list;
	tb.published = 1;
}

static void tb_service(int af, __u8 proto, const char *vip, __u16 port,
		       const char *sched)
{
	struct xvs_svc_dp v = { .svc_id = 0 };

	tb.ops = xvs_sched_find(sched);
	memset(&tb.key, 0, sizeof(tb.key));
	tb.key.addr = pkt_addr(af, vip);
	tb.key.port = htons(port);
	tb.key.proto = proto;
	tb.key.af = (__u8)af;
	v.sched_id = (__u16)tb.ops->id;
	xvs_dp_svc_set(tb.dp, &tb.key, &v);
	tb_publish();
}

static void dest_mac(__u32 id, __u8 mac[6])
{
	const __u8 m[6] = { 0x02, 0, 0, 0, 0x10, (__u8)id };

	memcpy(mac, m, 6);
}

/* Adds real server `id` at the head of the list, as IPVS does. */
static void tb_dest(__u32 id, const char *addr, int weight, __u32 flags)
{
	struct xvs_dest_dp d = { .af = tb.key.af, .fwd = XVS_FWD_DR };

	d.addr = pkt_addr(tb.key.af, addr);
	d.port = tb.key.port;
	d.gen = ++tb.gen;
	d.ifindex = IFINDEX_IN;
	d.flags = flags;
	dest_mac(id, d.dmac);
	memcpy(d.smac, MAC_DIRECTOR, 6);
	xvs_dp_dest_set(tb.dp, id, &d);
	memmove(&tb.list.e[1], &tb.list.e[0], tb.list.n * sizeof(tb.list.e[0]));
	tb.list.e[0].dest_id = id;
	tb.list.e[0].weight = weight;
	tb.list.n++;
	tb_publish();
}

static int tb_index(__u32 id)
{
	for (__u32 i = 0; i < tb.list.n; i++)
		if (tb.list.e[i].dest_id == id)
			return (int)i;
	return -1;
}

static void tb_weight(__u32 id, int weight)
{
	tb.list.e[tb_index(id)].weight = weight;
	tb_publish();
}

static void tb_delete(__u32 id)
{
	struct xvs_dest_dp none = { .gen = 0 };
	int i = tb_index(id);

	memmove(&tb.list.e[i], &tb.list.e[i + 1],
		(tb.list.n - i - 1) * sizeof(tb.list.e[0]));
	tb.list.n--;
	tb_publish();
	xvs_dp_dest_set(tb.dp, id, &none);
}

/* Runs one packet; returns the verdict and leaves the result in out. */
static int run(const struct pkt *in, struct pkt *out)
{
	return xdp_run(xvs_dp_prog_fd(tb.dp), in, out, IFINDEX_IN);
}

/* The expected DR output: the input with the real server's MACs. */
static struct pkt dr_expect(const struct pkt *in, __u32 id)
{
	struct pkt e = *in;

	dest_mac(id, e.b);
	memcpy(e.b + 6, MAC_DIRECTOR, 6);
	return e;
}

static int same(const struct pkt *a, const struct pkt *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

/* Which real server a DR output frame is addressed to, -1 if none. */
static int out_dest(const struct pkt *out)
{
	__u8 mac[6];

	dest_mac(out->b[5], mac);
	return memcmp(out->b, mac, 6) ? -1 : out->b[5];
}

static struct flow tcp_flow(__u16 sport, __u8 flags)
{
	struct flow f = { XVS_AF_INET, "198.18.0.1", VIP, sport, 80,
			  IPPROTO_TCP, flags };
	return f;
}

/*
 * rs1 (weight 3), rs2 (2), rs3 (1), added one by one as ipvsadm would. As in
 * IPVS, the list is newest first (rs3 rs2 rs1), and the single-server list
 * after the first add has di = 3, mw = cw = 1; later adds keep cw = 1. So
 * the cycle starts on the cw = 1 level: rs3 rs2 rs1, then rs1, rs2 rs1.
 */
static void wrr_321(void)
{
	tb_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80, "wrr");
	tb_dest(1, "198.18.0.11", 3, XVS_DEST_F_RESOLVED);
	tb_dest(2, "198.18.0.12", 2, XVS_DEST_F_RESOLVED);
	tb_dest(3, "198.18.0.13", 1, XVS_DEST_F_RESOLVED);
}

TEST(xdp_first_packet_and_flow)
{
	struct pkt in, out, want;
	struct flow f = tcp_flow(40000, 0x02);
	struct xvs_conn c;
	int v;

	if (tb_open())
		return;
	wrr_321();
	pkt_build(&in, &f, 0);
	v = run(&in, &out);
	want = dr_expect(&in, 3);
	CHECK(v == XDP_TX, "SYN to the VIP: verdict %d, want XDP_TX", v);
	CHECK(same(&out, &want), "SYN goes out unchanged but for the MACs "
				 "of rs3 (first on the cw = 1 level)");
	CHECK(!xvs_dp_conn_lookup(tb.dp, &(struct xvs_conn_key){
		      .saddr = pkt_addr(XVS_AF_INET, "198.18.0.1"),
		      .daddr = pkt_addr(XVS_AF_INET, VIP), .sport = htons(40000),
		      .dport = htons(80), .proto = IPPROTO_TCP,
		      .af = XVS_AF_INET }, &c) && c.dest_id == 3,
	      "a connection entry binds the flow to rs3");

	/* A later packet of the flow, with payload, after weights change. */
	tb_weight(3, 0);
	tb_weight(2, 5);
	f.tcp_flags = 0x18;
	pkt_build(&in, &f, 100);
	v = run(&in, &out);
	want = dr_expect(&in, 3);
	CHECK(v == XDP_TX && same(&out, &want),
	      "a later packet stays on rs3 although its weight is now 0 "
	      "(verdict %d, to %d)", v, out_dest(&out));
	tb_close();
}

TEST(xdp_wrr_order)
{
	const int want[] = { 3, 2, 1, 1, 2, 1, 3, 2, 1, 1, 2, 1 };
	struct pkt in, out;
	char got[64] = "", exp[64] = "";
	int n = 0, m = 0;

	if (tb_open())
		return;
	wrr_321();
	for (int i = 0; i < 12; i++) {
		struct flow f = tcp_flow((__u16)(41000 + i), 0x02);

		pkt_build(&in, &f, 0);
		run(&in, &out);
		n += snprintf(got + n, sizeof(got) - n, "%d", out_dest(&out));
		m += snprintf(exp + m, sizeof(exp) - m, "%d", want[i]);
	}
	CHECK(!strcmp(got, exp), "wrr 3/2/1 order: got %s, want %s", got, exp);
	tb_close();
}

TEST(xdp_weight_zero_and_delete)
{
	struct pkt in, out;
	struct flow f = tcp_flow(42000, 0x02);
	int v, hits1 = 0;

	if (tb_open())
		return;
	tb_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80, "rr");
	tb_dest(1, "198.18.0.11", 1, XVS_DEST_F_RESOLVED);
	tb_dest(2, "198.18.0.12", 1, XVS_DEST_F_RESOLVED);
	pkt_build(&in, &f, 0);
	run(&in, &out);
	CHECK(out_dest(&out) == 2, "rr starts at the list head (newest)");
	tb_weight(2, 0);
	for (int i = 1; i <= 6; i++) {
		struct flow g = tcp_flow((__u16)(42000 + i), 0x02);

		pkt_build(&in, &g, 0);
		run(&in, &out);
		hits1 += out_dest(&out) == 1;
	}
	CHECK(hits1 == 6, "weight 0 takes no new flows (%d of 6 to rs1)",
	      hits1);
	f.tcp_flags = 0x10;
	pkt_build(&in, &f, 10);
	v = run(&in, &out);
	CHECK(v == XDP_TX && out_dest(&out) == 2,
	      "the quiesced server keeps its flow (verdict %d)", v);

	tb_delete(2);
	v = run(&in, &out);
	CHECK(v == XDP_DROP && same(&out, &in),
	      "a deleted server's flow is dropped (verdict %d)", v);
	v = run(&in, &out);
	CHECK(v == XDP_PASS && same(&out, &in),
	      "then its packets go to the kernel, which resets (verdict %d)",
	      v);
	tb_close();
}

TEST(xdp_not_for_us)
{
	struct flow other = { XVS_AF_INET, "198.18.0.1", "198.18.0.2", 40000,
			      80, IPPROTO_TCP, 0x02 };
	struct flow port = tcp_flow(40000, 0x02);
	struct flow ack = tcp_flow(40001, 0x10);
	struct pkt in, out;
	int v;

	if (tb_open())
		return;
	wrr_321();
	pkt_build(&in, &other, 0);
	v = run(&in, &out);
	CHECK(v == XDP_PASS && same(&in, &out),
	      "another address passes untouched (verdict %d)", v);
	port.dport = 81;
	pkt_build(&in, &port, 0);
	v = run(&in, &out);
	CHECK(v == XDP_PASS && same(&in, &out),
	      "the VIP on a port without service passes (verdict %d)", v);
	pkt_build(&in, &ack, 0);
	v = run(&in, &out);
	CHECK(v == XDP_PASS && same(&in, &out),
	      "a TCP segment without SYN and without connection passes "
	      "(verdict %d)",
	      v);

	/* ARP: not IP at all. */
	memset(&in, 0, sizeof(in));
	memcpy(in.b, MAC_DIRECTOR, 6);
	in.b[12] = 0x08;
	in.b[13] = 0x06;
	in.len = 42;
	v = run(&in, &out);
	CHECK(v == XDP_PASS && same(&in, &out), "ARP passes (verdict %d)", v);
	tb_close();
}

TEST(xdp_malformed)
{
	struct flow f = tcp_flow(40000, 0x02);
	struct xvs_global_stats gs;
	struct pkt in, out;
	int v;

	if (tb_open())
		return;
	wrr_321();
	pkt_build(&in, &f, 0);
	in.len = 14 + 20 + 10; /* TCP header cut short */
	in.b[14 + 3] = 20 + 10;
	v = run(&in, &out);
	CHECK(v == XDP_DROP, "truncated TCP header is dropped (verdict %d)", v);

	pkt_build(&in, &f, 0);
	in.b[14] = 0x44; /* IHL 4: shorter than an IPv4 header */
	v = run(&in, &out);
	CHECK(v == XDP_DROP, "IHL below 5 is dropped (verdict %d)", v);

	pkt_build(&in, &f, 0);
	in.b[14 + 2] = 0x05; /* total length beyond the frame */
	v = run(&in, &out);
	CHECK(v == XDP_DROP, "total length beyond the frame is dropped "
			     "(verdict %d)", v);

	pkt_build(&in, &f, 0);
	in.len = 14 + 12; /* frame ends inside the IP header */
	v = run(&in, &out);
	CHECK(v == XDP_DROP, "frame ending inside the IP header is dropped "
			     "(verdict %d)", v);

	pkt_build(&in, &f, 0);
	in.b[14 + 6] = 0x01; /* a later fragment (offset 8), first unseen */
	in.b[14 + 10] = in.b[14 + 11] = 0; /* (checksum: not our concern) */
	v = run(&in, &out);
	CHECK(v == XDP_PASS && same(&in, &out),
	      "an orphan fragment goes to the kernel untouched (verdict %d)",
	      v);

	xvs_dp_global_stats(tb.dp, &gs);
	CHECK(gs.drop_malformed == 4 && gs.pass_fragment == 1 &&
		      gs.conn_new == 0,
	      "counted: malformed %llu fragment %llu new %llu",
	      (unsigned long long)gs.drop_malformed,
	      (unsigned long long)gs.pass_fragment,
	      (unsigned long long)gs.conn_new);
	tb_close();
}

TEST(xdp_udp_and_ipv6)
{
	struct flow u = { XVS_AF_INET, "198.18.0.1", VIP, 5000, 5353,
			  IPPROTO_UDP, 0 };
	struct flow t6 = { XVS_AF_INET6, "2001:db8::1", VIP6, 40000, 80,
			   IPPROTO_TCP, 0x02 };
	struct pkt in, out, want;
	char seq[16] = "";
	int v;

	if (tb_open())
		return;
	tb_service(XVS_AF_INET, IPPROTO_UDP, VIP, 5353, "rr");
	tb_dest(1, "198.18.0.11", 1, XVS_DEST_F_RESOLVED);
	tb_dest(2, "198.18.0.12", 1, XVS_DEST_F_RESOLVED);
	for (int i = 0; i < 4; i++) {
		u.sport = (__u16)(5000 + i);
		pkt_build(&in, &u, 8);
		run(&in, &out);
		seq[i] = (char)('0' + out_dest(&out));
	}
	CHECK(!strcmp(seq, "2121"), "UDP datagrams round-robin: %s", seq);
	u.sport = 5000;
	pkt_build(&in, &u, 8);
	v = run(&in, &out);
	CHECK(v == XDP_TX && out_dest(&out) == 2,
	      "a UDP flow sticks to its server (to %d)", out_dest(&out));
	tb_close();

	if (tb_open())
		return;
	tb_service(XVS_AF_INET6, IPPROTO_TCP, VIP6, 80, "wrr");
	tb_dest(7, "2001:db8::11", 1, XVS_DEST_F_RESOLVED);
	pkt_build(&in, &t6, 0);
	v = run(&in, &out);
	want = dr_expect(&in, 7);
	CHECK(v == XDP_TX && same(&out, &want),
	      "IPv6 SYN is direct-routed (verdict %d)", v);
	tb_close();
}

TEST(xdp_reuse_and_unresolved)
{
	struct flow f = tcp_flow(43000, 0x02);
	struct xvs_global_stats gs;
	struct pkt in, out;
	int v;

	if (tb_open())
		return;
	tb_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80, "rr");
	tb_dest(1, "198.18.0.11", 1, XVS_DEST_F_RESOLVED);
	tb_dest(2, "198.18.0.12", 1, XVS_DEST_F_RESOLVED);
	pkt_build(&in, &f, 0);
	run(&in, &out);
	CHECK(out_dest(&out) == 2, "first SYN to rs2");
	f.tcp_flags = 0x11; /* FIN ACK */
	pkt_build(&in, &f, 0);
	run(&in, &out);
	f.tcp_flags = 0x02; /* the same ports open a new connection */
	pkt_build(&in, &f, 0);
	v = run(&in, &out);
	CHECK(v == XDP_TX && out_dest(&out) == 1,
	      "a SYN on a closed connection is scheduled anew (to %d)",
	      out_dest(&out));
	xvs_dp_global_stats(tb.dp, &gs);
	CHECK(gs.conn_reused == 1 && gs.conn_new == 2,
	      "reuse counted (%llu reused, %llu new)",
	      (unsigned long long)gs.conn_reused,
	      (unsigned long long)gs.conn_new);
	tb_close();

	if (tb_open())
		return;
	tb_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80, "rr");
	tb_dest(1, "198.18.0.11", 1, 0);
	f.sport = 43001;
	pkt_build(&in, &f, 0);
	v = run(&in, &out);
	xvs_dp_global_stats(tb.dp, &gs);
	CHECK(v == XDP_DROP && gs.drop_unresolved == 1,
	      "a real server without a known MAC: dropped and counted "
	      "(verdict %d)", v);
	tb_close();
}

TEST(xdp_stats)
{
	struct flow f = tcp_flow(44000, 0x02);
	struct xvs_stats svc, d1;
	struct pkt in, out;

	if (tb_open())
		return;
	tb_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80, "rr");
	tb_dest(1, "198.18.0.11", 1, XVS_DEST_F_RESOLVED);
	pkt_build(&in, &f, 0);
	run(&in, &out);
	f.tcp_flags = 0x18;
	pkt_build(&in, &f, 60);
	run(&in, &out);
	/* The daemon writes svc_id into dest entries; tb_dest leaves 0. */
	xvs_dp_svc_stats(tb.dp, 0, &svc);
	xvs_dp_dest_stats(tb.dp, 1, &d1);
	CHECK(svc.conns == 1 && svc.inpkts == 2 &&
		      svc.inbytes == 40 + 40 + 60 && svc.outpkts == 0,
	      "service: %llu conns %llu pkts %llu bytes",
	      (unsigned long long)svc.conns, (unsigned long long)svc.inpkts,
	      (unsigned long long)svc.inbytes);
	CHECK(d1.conns == 1 && d1.inpkts == 2 && d1.inbytes == 140,
	      "real server: %llu conns %llu pkts %llu bytes",
	      (unsigned long long)d1.conns, (unsigned long long)d1.inpkts,
	      (unsigned long long)d1.inbytes);
	xvs_dp_dest_stats_zero(tb.dp, 1);
	xvs_dp_dest_stats(tb.dp, 1, &d1);
	CHECK(d1.conns == 0 && d1.inpkts == 0, "zeroed");
	tb_close();
}
