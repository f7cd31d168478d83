// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6 errors about tracked connections (bpf/icmp.h) under
 * BPF_PROG_TEST_RUN: to a DR connection's real server unchanged, NAT
 * errors translated both ways with exact bytes (every expected checksum
 * computed in full by tests/bpf/pkt.c), the rest to the kernel untouched,
 * truncated quotes dropped.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "../unit/test.h"
#include "director.h"

#define VIP4 "198.18.0.100"
#define VIP6 "2001:db8::100"
#define ROUTER4 "198.18.0.254"
#define ROUTER6 "2001:db8::fe"
#define CPORT 40000
#define MTU 1400

struct fam {
	const char *name;
	int af;
	const char *vip, *rs, *router, *client;
	__u8 too_big_type, too_big_code, unreach_type, port_unreach_code;
	size_t l3; /* IP header length */
};

static const struct fam fams[] = {
	{ "IPv4", XVS_AF_INET, VIP4, "198.18.1.11", ROUTER4, DIR_CLIENT4, 3, 4,
	  3, 3, 20 },
	{ "IPv6", XVS_AF_INET6, VIP6, "2001:db8:1::11", ROUTER6, DIR_CLIENT6,
	  2, 0, 1, 4, 40 },
};

/*
 * The quote of the packet f: its IP header and 8 bytes of payload for
 * IPv4 (what RFC 792 asks, and enough for ports), all of it for IPv6 (as
 * much as fits is what RFC 4443 asks). Returns its length.
 */
static size_t quote_of(const struct fam *fm, const struct flow *f,
		       size_t payload, __u8 *q)
{
	struct pkt p;
	size_t n;

	pkt_build(&p, f, payload);
	n = p.len - 14;
	if (fm->af == XVS_AF_INET)
		n = fm->l3 + 8;
	memcpy(q, p.b + 14, n);
	return n;
}

/* What NAT makes of a quote: its source (src) or destination address and
 * port replaced, an IPv4 header's checksum computed anew, the TCP/UDP
 * checksum left as it was. */
static void quote_nat(const struct fam *fm, __u8 *q, int src,
		      const char *addr, __u16 port)
{
	union xvs_addr a = pkt_addr(fm->af, addr);
	size_t alen = fm->af == XVS_AF_INET ? 4 : 16;
	size_t aoff = fm->af == XVS_AF_INET ? 12 : 8;
	__be16 p = htons(port);

	memcpy(q + aoff + (src ? 0 : alen), &a, alen);
	memcpy(q + fm->l3 + (src ? 0 : 2), &p, 2);
	if (fm->af == XVS_AF_INET) {
		q[10] = q[11] = 0;
		*(__u16 *)(q + 10) = pkt_csum(q, 20, 0);
	}
}

/*
 * The error a router on the client's path sends the VIP (too big: frag
 * needed, packet too big) about the reply VIP:80 -> client, quoting
 * quote_len bytes of it (0: the usual quote_of()). The quote is left in q;
 * returns its length.
 */
static size_t too_big_from_router(const struct fam *fm, struct pkt *in,
				  __u8 *q, size_t quote_len)
{
	struct flow reply = { fm->af, fm->vip, fm->client, 80, CPORT,
			      IPPROTO_TCP, 0x18 };
	size_t n = quote_of(fm, &reply, 60, q);

	if (quote_len)
		n = quote_len;
	pkt_icmp_error(in, fm->af, fm->router, fm->vip, fm->too_big_type,
		       fm->too_big_code, MTU, q, n);
	return n;
}

/* A director with one TCP service on :80 and real server 1 (method fwd,
 * port rport), and the client's connection to it. */
static int with_conn(const struct fam *fm, __u8 proto, __u16 vport,
		     __u16 rport, __u8 fwd)
{
	struct flow f = { fm->af, fm->client, fm->vip, CPORT, vport, proto,
			  proto == IPPROTO_TCP ? 0x02 : 0 };
	struct pkt in, out;

	if (dir_open())
		return -1;
	dir_service(fm->af, proto, fm->vip, vport);
	dir_dest(1, fm->rs, rport, fwd);
	dir_nat_dests(fwd == XVS_FWD_NAT);
	pkt_build(&in, &f, 10);
	if (dir_run(&in, &out, dir.eth0) != XDP_TX) {
		CHECK(0, "%s: the connection did not open", fm->name);
		return -1;
	}
	return 0;
}

/* Too big for a router on the client's path: the reply VIP:80 -> client
 * it quotes belongs to the client's connection, so it goes to that
 * connection's real server, unchanged. */
TEST(icmp_too_big_to_dr_server)
{
	for (int i = 0; i < 2; i++) {
		const struct fam *fm = &fams[i];
		struct pkt in, out, want;
		struct xvs_stats st;
		__u8 q[PKT_MAX], mac[6];
		char what[80];

		if (with_conn(fm, IPPROTO_TCP, 80, 80, XVS_FWD_DR))
			return;
		too_big_from_router(fm, &in, q, 0);
		want = in;
		dir_dest_mac(1, mac);
		pkt_macs(&want, mac, MAC_DIRECTOR);
		snprintf(what, sizeof(what),
			 "%s too big: to the DR real server, unchanged",
			 fm->name);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_TX, &out,
			    &want);
		xvs_dp_dest_stats(dir.dp, 1, &st);
		CHECK(st.inpkts == 2 && dir_counters().icmp_to_dest == 1,
		      "%s: counted as the flow's incoming packet (%llu)",
		      fm->name, (unsigned long long)st.inpkts);
		dir_close();
	}
}

/* The same error for a NAT connection is translated for the real server:
 * outer destination and quoted source become RS:8080. */
TEST(icmp_nat_to_real_server)
{
	for (int i = 0; i < 2; i++) {
		const struct fam *fm = &fams[i];
		struct pkt in, out, want;
		__u8 q[PKT_MAX], mac[6];
		size_t n;
		char what[80];

		if (with_conn(fm, IPPROTO_TCP, 80, 8080, XVS_FWD_NAT))
			return;
		n = too_big_from_router(fm, &in, q, 0);
		quote_nat(fm, q, 1, fm->rs, 8080);
		pkt_icmp_error(&want, fm->af, fm->router, fm->rs,
			       fm->too_big_type, fm->too_big_code, MTU, q, n);
		dir_dest_mac(1, mac);
		pkt_macs(&want, mac, MAC_DIRECTOR);
		snprintf(what, sizeof(what),
			 "%s too big, NAT: translated for RS:8080", fm->name);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_TX, &out,
			    &want);
		dir_close();
	}
}

/* A NAT real server's port unreachable for client -> RS:5354 is
 * translated for the client: from the VIP, quoting client -> VIP:5353,
 * routed one hop to the client. */
TEST(icmp_nat_to_client)
{
	for (int i = 0; i < 2; i++) {
		const struct fam *fm = &fams[i];
		struct flow dgram = { fm->af, fm->client, fm->rs, CPORT, 5354,
				      IPPROTO_UDP, 0 };
		struct pkt in, out, want;
		struct xvs_stats st;
		__u8 q[PKT_MAX];
		size_t n;
		char what[80];

		if (with_conn(fm, IPPROTO_UDP, 5353, 5354, XVS_FWD_NAT))
			return;
		n = quote_of(fm, &dgram, 10, q);
		pkt_icmp_error(&in, fm->af, fm->rs, fm->client,
			       fm->unreach_type, fm->port_unreach_code, 0, q,
			       n);
		quote_nat(fm, q, 0, fm->vip, 5353);
		pkt_icmp_error(&want, fm->af, fm->vip, fm->client,
			       fm->unreach_type, fm->port_unreach_code, 0, q,
			       n);
		pkt_set_ttl(&want, 63); /* one hop */
		pkt_macs(&want, MAC_CLIENT, MAC_DIRECTOR);
		snprintf(what, sizeof(what),
			 "%s port unreachable from RS:5354: translated for "
			 "the client",
			 fm->name);
		CHECK_FRAME(what, dir_run(&in, &out, dir.eth0), XDP_TX, &out,
			    &want);
		xvs_dp_dest_stats(dir.dp, 1, &st);
		CHECK(st.outpkts == 1 && dir_counters().icmp_to_client == 1,
		      "%s: counted as an outgoing packet (%llu)", fm->name,
		      (unsigned long long)st.outpkts);
		dir_close();
	}
}

/* ICMP that is not an error about a tracked connection is the kernel's,
 * untouched: echo requests, errors about unknown flows or about other
 * protocols. */
TEST(icmp_unrelated_passes)
{
	for (int i = 0; i < 2; i++) {
		const struct fam *fm = &fams[i];
		struct flow other = { fm->af, fm->vip, fm->client, 80,
				      CPORT + 1, IPPROTO_TCP, 0x18 };
		struct pkt in, out;
		__u8 q[PKT_MAX] = { 0 };
		size_t n;
		int v;

		if (with_conn(fm, IPPROTO_TCP, 80, 8080, XVS_FWD_NAT))
			return;
		pkt_icmp_error(&in, fm->af, fm->client, fm->vip,
			       fm->af == XVS_AF_INET ? 8 : 128, 0, 0x10001, q,
			       32);
		v = dir_run(&in, &out, dir.eth0);
		CHECK(v == XDP_PASS && pkt_same(&in, &out),
		      "%s echo request to the VIP passes (verdict %d)",
		      fm->name, v);

		n = quote_of(fm, &other, 0, q);
		pkt_icmp_error(&in, fm->af, fm->router, fm->vip,
			       fm->too_big_type, fm->too_big_code, MTU, q, n);
		v = dir_run(&in, &out, dir.eth0);
		CHECK(v == XDP_PASS && pkt_same(&in, &out),
		      "%s error about an unknown flow passes (verdict %d)",
		      fm->name, v);

		/* quoting an echo request: not TCP or UDP */
		q[fm->af == XVS_AF_INET ? 9 : 6] =
			fm->af == XVS_AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
		pkt_icmp_error(&in, fm->af, fm->router, fm->vip,
			       fm->too_big_type, fm->too_big_code, MTU, q, n);
		v = dir_run(&in, &out, dir.eth0);
		CHECK(v == XDP_PASS && pkt_same(&in, &out),
		      "%s error quoting ICMP passes (verdict %d)", fm->name, v);
		CHECK(dir_counters().icmp_to_dest == 0,
		      "%s: none of them forwarded", fm->name);
		dir_close();
	}
}

/* An error whose quote cannot hold the quoted IP header and 8 bytes of
 * its payload is dropped and counted. */
TEST(icmp_truncated_dropped)
{
	for (int i = 0; i < 2; i++) {
		const struct fam *fm = &fams[i];
		struct pkt in, out;
		__u8 q[PKT_MAX];
		int v1, v2;

		if (with_conn(fm, IPPROTO_TCP, 80, 80, XVS_FWD_DR))
			return;
		too_big_from_router(fm, &in, q, fm->l3 + 4);
		v1 = dir_run(&in, &out, dir.eth0);
		too_big_from_router(fm, &in, q, 12);
		v2 = dir_run(&in, &out, dir.eth0);
		CHECK(v1 == XDP_DROP && v2 == XDP_DROP &&
			      dir_counters().drop_icmp_truncated == 2,
		      "%s: quotes ending in the ports or in the IP header "
		      "are dropped and counted (verdicts %d %d)",
		      fm->name, v1, v2);
		dir_close();
	}
}
