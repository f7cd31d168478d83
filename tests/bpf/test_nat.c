// SPDX-License-Identifier: GPL-2.0
/*
 * VS/NAT under BPF_PROG_TEST_RUN: exact frames in both directions, for
 * TCP and UDP over IPv4 and IPv6, with port mapping (vport -> rport).
 * Every expected frame is built from scratch by pkt_build(), which
 * computes each checksum in full, so a byte-exact match also checks the
 * data plane's incremental checksum updates independently.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include "../unit/test.h"
#include "director.h"

#define VIP4 "198.18.0.100"
#define VIP6 "2001:db8::100"
#define RS4 "198.18.1.11"
#define RS6 "2001:db8:1::11"
#define CPORT 40000

struct nat_case {
	const char *what;
	int af;
	__u8 proto;
	const char *vip, *rs, *client;
	__u16 vport, rport;
};

static const struct nat_case cases[] = {
	{ "TCP/IPv4", XVS_AF_INET, IPPROTO_TCP, VIP4, RS4, DIR_CLIENT4, 80,
	  8080 },
	{ "UDP/IPv4", XVS_AF_INET, IPPROTO_UDP, VIP4, RS4, DIR_CLIENT4, 5353,
	  5354 },
	{ "TCP/IPv6", XVS_AF_INET6, IPPROTO_TCP, VIP6, RS6, DIR_CLIENT6, 80,
	  8080 },
	{ "UDP/IPv6", XVS_AF_INET6, IPPROTO_UDP, VIP6, RS6, DIR_CLIENT6, 5353,
	  5354 },
};

/* A director with one NAT service and its real server, id 1. */
static int nat_setup(const struct nat_case *c)
{
	if (dir_open())
		return -1;
	dir_service(c->af, c->proto, c->vip, c->vport);
	dir_dest(1, c->rs, c->rport, XVS_FWD_NAT);
	dir_nat_dests(1);
	return 0;
}

/* The key of the client's connection in cases[0] (TCP/IPv4). */
static struct xvs_conn_key client_key(void)
{
	struct flow f = { XVS_AF_INET, DIR_CLIENT4, VIP4, CPORT, 80,
			  IPPROTO_TCP, 0 };

	return pkt_key(&f);
}

/* The client's packet as sent (to VIP:vport) and as the real server must
 * get it (to RS:rport, with the real server's MACs). */
static void nat_in(const struct nat_case *c, const char *client, __u8 flags,
		   size_t payload, struct pkt *in, struct pkt *want)
{
	struct flow f = { c->af, client, c->vip, CPORT, c->vport, c->proto,
			  flags };
	__u8 mac[6];

	pkt_build(in, &f, payload);
	f.daddr = c->rs;
	f.dport = c->rport;
	pkt_build(want, &f, payload);
	dir_dest_mac(1, mac);
	pkt_macs(want, mac, MAC_DIRECTOR);
}

/*
 * The real server's reply as sent (from RS:rport, TTL ttl, 0 for 64) and
 * as it must leave: from VIP:vport, and if hop, one hop later (TTL down by
 * one) to the client's MAC; else with TTL and MACs as they came (for the
 * kernel to forward).
 */
static void nat_out(const struct nat_case *c, const char *client, __u8 flags,
		    size_t payload, __u8 ttl, int hop, struct pkt *in,
		    struct pkt *want)
{
	struct flow f = { c->af, c->rs, client, c->rport, CPORT, c->proto,
			  flags };

	ttl = ttl ? ttl : 64;
	pkt_build(in, &f, payload);
	pkt_set_ttl(in, ttl);
	f.saddr = c->vip;
	f.sport = c->vport;
	pkt_build(want, &f, payload);
	pkt_set_ttl(want, (__u8)(ttl - (hop ? 1 : 0)));
	if (hop)
		pkt_macs(want, MAC_CLIENT, MAC_DIRECTOR);
	else
		memcpy(want->b, in->b, 12);
}

TEST(nat_both_directions)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct nat_case *c = &cases[i];
		int tcp = c->proto == IPPROTO_TCP;
		struct pkt in, out, want;
		struct xvs_stats svc, rs;
		struct xvs_global_stats gs;
		char what[96];
		__u64 bytes;

		if (nat_setup(c))
			return;
		nat_in(c, c->client, tcp ? 0x02 : 0, tcp ? 0 : 20, &in, &want);
		snprintf(what, sizeof(what), "%s first packet to RS:%u",
			 c->what, c->rport);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_TX, &out,
			    &want);

		nat_out(c, c->client, tcp ? 0x12 : 0, 33, 0, 1, &in, &want);
		snprintf(what, sizeof(what), "%s reply from VIP:%u", c->what,
			 c->vport);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_TX, &out,
			    &want);

		nat_in(c, c->client, tcp ? 0x18 : 0, 101, &in, &want);
		snprintf(what, sizeof(what), "%s data to the real server",
			 c->what);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_TX, &out,
			    &want);

		/* A reply arriving on another interface than the client's
		 * is redirected there. */
		nat_out(c, c->client, tcp ? 0x18 : 0, 150, 0, 1, &in, &want);
		snprintf(what, sizeof(what), "%s reply via another interface",
			 c->what);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth1), XDP_REDIRECT,
			    &out, &want);

		xvs_dp_svc_stats(dir.dp, 0, &svc);
		xvs_dp_dest_stats(dir.dp, 1, &rs);
		gs = dir_counters();
		/* two replies, 33 and 150 bytes of payload */
		bytes = 2 * (c->af == XVS_AF_INET6 ? 40u : 20u) +
			2 * (tcp ? 20u : 8u) + 33 + 150;
		CHECK(svc.inpkts == 2 && svc.outpkts == 2 && rs.outpkts == 2 &&
			      svc.outbytes == bytes && rs.outbytes == bytes &&
			      gs.nat_reply_fwd == 2,
		      "%s: in %llu out %llu/%llu pkts, %llu bytes (want %llu), "
		      "nat_reply_fwd %llu",
		      c->what, (unsigned long long)svc.inpkts,
		      (unsigned long long)svc.outpkts,
		      (unsigned long long)rs.outpkts,
		      (unsigned long long)rs.outbytes,
		      (unsigned long long)bytes,
		      (unsigned long long)gs.nat_reply_fwd);
		dir_close();
	}
}

/* The state machine sees replies: a FIN from the server side moves an
 * established NAT connection to FIN_WAIT (IPVS's OUTPUT row), where a FIN
 * from the client would give CLOSE_WAIT. */
TEST(nat_state_sees_replies)
{
	const struct nat_case *c = &cases[0];
	struct xvs_conn_key key = client_key();
	struct pkt in, out, want;
	struct xvs_conn conn = { .state = 0 };

	if (nat_setup(c))
		return;
	nat_in(c, c->client, 0x02, 0, &in, &want);
	dir_run(&in, &out, dir.eth0);
	nat_out(c, c->client, 0x12, 0, 0, 1, &in, &want);
	dir_run(&in, &out, dir.eth0);
	nat_in(c, c->client, 0x10, 0, &in, &want);
	dir_run(&in, &out, dir.eth0);
	xvs_dp_conn_lookup(dir.dp, &key, &conn);
	CHECK(conn.state == XVS_TCP_S_ESTABLISHED,
	      "SYN, SYN-ACK, ACK: established (state %u)", conn.state);
	nat_out(c, c->client, 0x11, 0, 0, 1, &in, &want);
	dir_run(&in, &out, dir.eth0);
	xvs_dp_conn_lookup(dir.dp, &key, &conn);
	CHECK(conn.state == XVS_TCP_S_FIN_WAIT,
	      "the server's FIN through the director: FIN_WAIT (state %u)",
	      conn.state);
	dir_close();
}

/* UDP over IPv4 without checksum (0) keeps none both ways; UDP over IPv6
 * must have one: a datagram without is dropped, not forwarded broken. */
TEST(nat_udp_zero_checksum)
{
	struct pkt in, out, want;
	struct xvs_global_stats gs;
	int v;

	if (nat_setup(&cases[1]))
		return;
	nat_in(&cases[1], DIR_CLIENT4, 0, 20, &in, &want);
	in.b[14 + 20 + 6] = in.b[14 + 20 + 7] = 0;
	want.b[14 + 20 + 6] = want.b[14 + 20 + 7] = 0;
	CHECK_FRAME("UDP/IPv4 without checksum to the real server",
		    dir_run(&in, &out, dir.eth0), XDP_TX, &out, &want);
	nat_out(&cases[1], DIR_CLIENT4, 0, 20, 0, 1, &in, &want);
	in.b[14 + 20 + 6] = in.b[14 + 20 + 7] = 0;
	want.b[14 + 20 + 6] = want.b[14 + 20 + 7] = 0;
	CHECK_FRAME("UDP/IPv4 reply without checksum",
		    dir_run(&in, &out, dir.eth0), XDP_TX, &out, &want);
	dir_close();

	if (nat_setup(&cases[3]))
		return;
	nat_in(&cases[3], DIR_CLIENT6, 0, 20, &in, &want);
	in.b[14 + 40 + 6] = in.b[14 + 40 + 7] = 0;
	v = dir_run(&in, &out, dir.eth0);
	gs = dir_counters();
	CHECK(v == XDP_DROP && gs.drop_malformed == 1,
	      "UDP/IPv6 without checksum: dropped and counted (verdict %d, "
	      "%llu)",
	      v, (unsigned long long)gs.drop_malformed);
	dir_close();
}

/*
 * Replies the FIB cannot send: without the client's MAC the rewritten
 * reply goes to the kernel to forward (and resolve the neighbour); a TTL
 * about to expire or no route leaves it untouched, for the kernel to
 * answer the real server.
 */
TEST(nat_reply_kernel_paths)
{
	static const char *const unknown[] = { "198.18.0.9", "2001:db8::9" };
	static const char *const far[] = { "198.19.5.5", "2001:db8:ffff::5" };
	struct pkt in, out, want;
	struct xvs_global_stats gs;
	char what[96];

	for (int i = 0; i < 2; i++) {
		const struct nat_case *c = &cases[i ? 2 : 0];

		if (nat_setup(c))
			return;
		nat_in(c, unknown[i], 0x02, 0, &in, &want);
		dir_run(&in, &out, dir.eth0);
		nat_out(c, unknown[i], 0x12, 0, 0, 0, &in, &want);
		snprintf(what, sizeof(what),
			 "%s, no neighbour: rewritten, to the kernel", c->what);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_PASS,
			    &out, &want);

		nat_in(c, c->client, 0x02, 0, &in, &want);
		dir_run(&in, &out, dir.eth0);
		nat_out(c, c->client, 0x12, 0, 1, 0, &in, &want);
		snprintf(what, sizeof(what),
			 "%s, TTL 1: untouched, for the kernel's time "
			 "exceeded",
			 c->what);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_PASS,
			    &out, &in);

		nat_in(c, far[i], 0x02, 0, &in, &want);
		dir_run(&in, &out, dir.eth0);
		nat_out(c, far[i], 0x12, 0, 0, 0, &in, &want);
		snprintf(what, sizeof(what), "%s, no route: untouched",
			 c->what);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_PASS,
			    &out, &in);
		gs = dir_counters();
		CHECK(gs.nat_reply_kernel == 1 &&
			      gs.nat_reply_untouched == 2 &&
			      gs.nat_reply_fwd == 0,
		      "%s counted: kernel %llu untouched %llu fwd %llu",
		      c->what, (unsigned long long)gs.nat_reply_kernel,
		      (unsigned long long)gs.nat_reply_untouched,
		      (unsigned long long)gs.nat_reply_fwd);
		dir_close();
	}
}

/* A reverse entry whose connection is gone is a miss, and is deleted; and
 * without NAT real servers nothing is looked up at all. */
TEST(nat_stale_and_gated)
{
	const struct nat_case *c = &cases[0];
	struct xvs_conn_key key = client_key();
	struct pkt in, out, want, reply;
	struct xvs_global_stats gs;
	int v1, v2;

	if (nat_setup(c))
		return;
	nat_in(c, c->client, 0x02, 0, &in, &want);
	dir_run(&in, &out, dir.eth0);
	nat_out(c, c->client, 0x12, 0, 0, 1, &reply, &want);

	dir_nat_dests(0);
	v1 = dir_run(&reply, &out, dir.eth0);
	gs = dir_counters();
	CHECK(v1 == XDP_PASS && pkt_same(&out, &reply) &&
		      gs.nat_reply_fwd == 0 && gs.nat_reply_stale == 0,
	      "no NAT real servers: replies are not looked up (verdict %d)",
	      v1);

	dir_nat_dests(1);
	bpf_map_delete_elem(xvs_dp_conns_fd(dir.dp), &key);
	v1 = dir_run(&reply, &out, dir.eth0);
	v2 = dir_run(&reply, &out, dir.eth0);
	gs = dir_counters();
	CHECK(v1 == XDP_PASS && v2 == XDP_PASS && pkt_same(&out, &reply) &&
		      gs.nat_reply_stale == 1,
	      "connection gone: the reply passes untouched and the reverse "
	      "entry is deleted once (verdicts %d %d, stale %llu)",
	      v1, v2, (unsigned long long)gs.nat_reply_stale);
	dir_close();
}

/* A reverse entry goes with its connection: a SYN reusing a closed
 * connection's ports removes it (and with it the old reply tuple), and the
 * new connection goes to the other real server. */
TEST(nat_reverse_goes_with_connection)
{
	const struct nat_case *c = &cases[0];
	const struct nat_case other = { "TCP/IPv4 rs2", XVS_AF_INET,
					IPPROTO_TCP, VIP4, "198.18.1.12",
					DIR_CLIENT4, 80, 8080 };
	struct pkt in, out, want, old_reply;
	struct xvs_global_stats gs;
	int v;

	if (nat_setup(c))
		return;
	dir_dest(2, other.rs, 8080, XVS_FWD_NAT); /* rr: rs2 first */
	nat_in(c, c->client, 0x02, 0, &in, &want);
	dir_run(&in, &out, dir.eth0);
	nat_out(&other, c->client, 0x12, 0, 0, 1, &old_reply, &want);
	dir_run(&old_reply, &out, dir.eth0);
	nat_in(c, c->client, 0x10, 0, &in, &want); /* established */
	dir_run(&in, &out, dir.eth0);
	nat_in(c, c->client, 0x04, 0, &in, &want); /* RST: CLOSE */
	dir_run(&in, &out, dir.eth0);
	nat_in(c, c->client, 0x02, 0, &in, &want); /* reused, to rs1 */
	CHECK_FRAME("the reusing SYN goes to rs1", dir_run(&in, &out, dir.eth0),
		    XDP_TX, &out, &want);
	v = dir_run(&old_reply, &out, dir.eth0);
	gs = dir_counters();
	CHECK(v == XDP_PASS && pkt_same(&out, &old_reply) &&
		      gs.nat_reply_stale == 0 && gs.conn_reused == 1,
	      "rs2's old reply tuple was removed with its connection "
	      "(verdict %d, stale %llu, reused %llu)",
	      v, (unsigned long long)gs.nat_reply_stale,
	      (unsigned long long)gs.conn_reused);
	nat_out(c, c->client, 0x12, 0, 0, 1, &in, &want);
	CHECK_FRAME("rs1's reply goes out", dir_run(&in, &out, dir.eth0),
		    XDP_TX, &out, &want);
	dir_close();
}
