// SPDX-License-Identifier: GPL-2.0
/*
 * VS/TUN under BPF_PROG_TEST_RUN, exact bytes in and out:
 *   - the XDP program encapsulating toward a tunnel real server: IPIP for
 *     each pair of families, GUE and GRE with and without checksums, TCP
 *     and UDP inside; the expected frames are built here field by field
 *     and checksummed over their bytes with pkt_csum(), independently of
 *     the data plane's header-only checksum arithmetic, and one of them
 *     is spelled out byte by byte;
 *   - too big for the path: ICMP fragmentation needed (IPv4 with DF),
 *     ICMPv6 packet too big, the drop of IPv4 without DF;
 *   - the real server's tc program (bpf/xvs_decap.bpf.c) given the
 *     encapsulated frames: out comes the client's packet exactly, and what
 *     it must leave alone or drop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "../unit/test.h"
#include "director.h"
#include "xvs_decap.h"
#include "xvs_decap.skel.h"
#include "xvs_tun.h"

#define VIP4 "198.18.0.100"
#define VIP6 "2001:db8::100"
#define DIR4 "198.18.0.2" /* the director's source toward real servers */
#define DIR6 "2001:db8::2"
#define RS4 "198.18.0.21"
#define RS6 "2001:db8::21"
#define RS_ID 1
#define GUE_PORT 6080

struct tun_case {
	const char *what;
	int svc_af, rs_af;
	__u8 proto; /* inner TCP or UDP */
	__u8 type;  /* enum xvs_tun_type */
	__u8 flags; /* XVS_TUN_F_* */
};

/* A director with one service on VIP:80 and one tunnel real server. */
static struct xvs_dest_dp tun_setup(int svc_af, __u8 proto, int rs_af,
				    __u8 type, __u8 flags, __u16 mtu)
{
	struct xvs_dest_dp d = {
		.af = (__u8)rs_af,
		.fwd = XVS_FWD_TUN,
		.port = htons(80),
		.gen = RS_ID + 1, /* as dir_dest() */
		.flags = XVS_DEST_F_RESOLVED,
		.mtu = mtu,
		.tun_type = type,
		.tun_flags = flags,
		.tun_port = type == XVS_TUN_GUE ? htons(GUE_PORT) : 0,
	};

	dir_service(svc_af, proto, svc_af == XVS_AF_INET ? VIP4 : VIP6, 80);
	dir_dest(RS_ID, svc_af == XVS_AF_INET ? RS4 : RS6, 80, XVS_FWD_TUN);
	/* then the fields dir_dest() does not know about */
	d.ifindex = (__u32)dir.eth0;
	d.addr = pkt_addr(rs_af, rs_af == XVS_AF_INET ? RS4 : RS6);
	d.saddr = pkt_addr(rs_af, rs_af == XVS_AF_INET ? DIR4 : DIR6);
	dir_dest_mac(RS_ID, d.dmac);
	memcpy(d.smac, MAC_DIRECTOR, 6);
	xvs_dp_dest_set(dir.dp, RS_ID, &d);
	return d;
}

static struct flow client_flow(int af, __u8 proto, __u16 sport)
{
	struct flow f = {af,	af == XVS_AF_INET ? DIR_CLIENT4 : DIR_CLIENT6,
			 af == XVS_AF_INET ? VIP4 : VIP6,
			 sport, 80, proto, proto == IPPROTO_TCP ? 0x02 : 0};
	return f;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Recomputes the checksum of the frame's (outer) IPv4 header. */
static void ip4_fix_csum(struct pkt *p)
{
	uint8_t *ip = p->b + ETH_HLEN;
	uint16_t c;

	ip[10] = ip[11] = 0;
	c = pkt_csum(ip, 20, 0);
	memcpy(ip + 10, &c, 2);
}

/* Sets or clears DF in the frame's IPv4 header, checksum updated. */
static void set_df(struct pkt *p, int df)
{
	p->b[ETH_HLEN + 6] = df ? 0x40 : 0;
	ip4_fix_csum(p);
}

/* Sum of an IPv4/IPv6 pseudo-header, for pkt_csum(). */
static uint32_t pseudo(int af, const union xvs_addr *s,
		       const union xvs_addr *d, uint8_t proto, size_t len)
{
	size_t alen = af == XVS_AF_INET ? 4 : 16;
	uint32_t sum = proto + (uint32_t)len;

	for (size_t i = 0; i < alen; i += 2)
		sum += (uint32_t)(s->bytes[i] << 8 | s->bytes[i + 1]) +
		       (uint32_t)(d->bytes[i] << 8 | d->bytes[i + 1]);
	return sum;
}

/*
 * What the director must send for in toward d: in's IP packet behind an
 * outer IP header (+ UDP/GUE or GRE), MACs toward the real server. csum:
 * the GUE/GRE checksum is present.
 */
static void tun_expect(const struct pkt *in, const struct xvs_dest_dp *d,
		       const struct xvs_conn_key *k, int csum, struct pkt *e)
{
	const uint8_t *inner = in->b + ETH_HLEN;
	size_t ilen = in->len - ETH_HLEN;
	int in4 = inner[0] >> 4 == 4;
	size_t hl = d->af == XVS_AF_INET ? 20 : 40;
	size_t tl = d->tun_type == XVS_TUN_GUE	 ? 12
		    : d->tun_type == XVS_TUN_GRE ? (csum ? 8 : 4)
						 : 0;
	uint8_t proto = d->tun_type == XVS_TUN_GUE   ? IPPROTO_UDP
			: d->tun_type == XVS_TUN_GRE ? IPPROTO_GRE
			: in4			     ? IPPROTO_IPIP
						     : IPPROTO_IPV6;
	uint8_t tos = in4 ? inner[1] : (uint8_t)(inner[0] << 4 | inner[1] >> 4);
	uint8_t ttl = in4 ? inner[8] : inner[7];
	uint8_t *o = e->b + ETH_HLEN, *t = o + hl;

	if ((tos & 3) == 3) /* CE inside: ECT(0) outside */
		tos = (uint8_t)((tos & ~3) | 2);
	memset(e, 0, sizeof(*e));
	memcpy(e->b, d->dmac, 6);
	memcpy(e->b + 6, d->smac, 6);
	put16(e->b + 12, d->af == XVS_AF_INET ? ETH_P_IP : ETH_P_IPV6);
	memcpy(t + tl, inner, ilen);
	e->len = ETH_HLEN + hl + tl + ilen;

	if (d->tun_type == XVS_TUN_GUE) {
		put16(t, xvs_tun_gue_sport(k));
		memcpy(t + 2, &d->tun_port, 2);
		put16(t + 4, (uint16_t)(tl + ilen));
		t[9] = in4 ? 4 : 41; /* GUE: version 0, proto_ctype */
		if (csum) {
			uint16_t c = pkt_csum(t, tl + ilen,
					      pseudo(d->af, &d->saddr, &d->addr,
						     IPPROTO_UDP, tl + ilen));

			memcpy(t + 6, &c, 2);
			if (!c)
				put16(t + 6, 0xffff);
		}
	} else if (d->tun_type == XVS_TUN_GRE) {
		t[0] = csum ? 0x80 : 0;
		put16(t + 2, in4 ? ETH_P_IP : ETH_P_IPV6);
		if (csum) {
			uint16_t c = pkt_csum(t, tl + ilen, 0);

			memcpy(t + 4, &c, 2);
		}
	}
	if (d->af == XVS_AF_INET) {
		uint16_t c;

		o[0] = 0x45;
		o[1] = tos;
		put16(o + 2, (uint16_t)(hl + tl + ilen));
		if (in4) {
			memcpy(o + 4, inner + 4, 2); /* identification */
			o[6] = inner[6] & 0x40;	     /* DF */
		} else {
			o[6] = 0x40;
		}
		o[8] = ttl;
		o[9] = proto;
		memcpy(o + 12, &d->saddr.v4, 4);
		memcpy(o + 16, &d->addr.v4, 4);
		c = pkt_csum(o, 20, 0);
		memcpy(o + 10, &c, 2);
	} else {
		o[0] = (uint8_t)(0x60 | tos >> 4);
		o[1] = (uint8_t)(tos << 4);
		put16(o + 4, (uint16_t)(tl + ilen));
		o[6] = proto;
		o[7] = ttl;
		memcpy(o + 8, &d->saddr, 16);
		memcpy(o + 24, &d->addr, 16);
	}
}

static void check_frame(const char *what, const struct pkt *got,
			const struct pkt *want)
{
	CHECK(pkt_same(got, want),
	      "%s: frame differs at byte %d (got %zu bytes, want %zu)", what,
	      pkt_diff_at(got, want), got->len, want->len);
}

/* The tc decapsulation program, with GUE on GUE_PORT. */
static struct xvs_decap *decap_open(void)
{
	struct xvs_decap *skel = xvs_decap__open_and_load();
	__be16 port = htons(GUE_PORT);
	__u8 one = 1;

	if (!skel) {
		CHECK(0, "loading xvs_decap: %s", strerror(errno));
		return NULL;
	}
	bpf_map_update_elem(bpf_map__fd(skel->maps.gue_ports), &port, &one,
			    BPF_ANY);
	return skel;
}

static int decap_run(struct xvs_decap *skel, const struct pkt *in,
		     struct pkt *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in->b,
		    .data_size_in = (__u32)in->len, .data_out = out->b,
		    .data_size_out = PKT_MAX);

	memset(out, 0, sizeof(*out));
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xvs_decap),
				   &o)) {
		CHECK(0, "BPF_PROG_TEST_RUN (tc): %s", strerror(errno));
		return -1;
	}
	out->len = o.data_size_out;
	return (int)o.retval;
}

static struct xvs_decap_stats decap_counters(struct xvs_decap *skel)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xvs_decap_stats v[ncpu > 0 ? ncpu : 1], sum = {};
	__u32 zero = 0;

	if (ncpu > 0 &&
	    !bpf_map_lookup_elem(bpf_map__fd(skel->maps.decap_stats), &zero,
				 v))
		for (int i = 0; i < ncpu; i++) {
			sum.decap_ipip += v[i].decap_ipip;
			sum.decap_gue += v[i].decap_gue;
			sum.decap_gre += v[i].decap_gre;
			sum.pass_fragment += v[i].pass_fragment;
			sum.pass_unsupported += v[i].pass_unsupported;
			sum.drop_malformed += v[i].drop_malformed;
			sum.drop_error += v[i].drop_error;
		}
	return sum;
}

/*
 * Every encapsulation, in and out: the director's frame must be exactly
 * tun_expect()'s, and the real server's tc program must turn it back
 * into the client's packet (with the MACs it arrived with).
 */
TEST(tun_encapsulations)
{
	static const struct tun_case cases[] = {
		{"ipip v4 in v4, TCP", 4, 4, IPPROTO_TCP, XVS_TUN_IPIP, 0},
		{"ipip v4 in v4, UDP", 4, 4, IPPROTO_UDP, XVS_TUN_IPIP, 0},
		{"ipip v6 in v6, TCP", 6, 6, IPPROTO_TCP, XVS_TUN_IPIP, 0},
		{"ipip v6 in v6, UDP", 6, 6, IPPROTO_UDP, XVS_TUN_IPIP, 0},
		{"ipip v4 in v6, TCP", 4, 6, IPPROTO_TCP, XVS_TUN_IPIP, 0},
		{"ipip v6 in v4, UDP", 6, 4, IPPROTO_UDP, XVS_TUN_IPIP, 0},
		{"gue v4 in v4, TCP, no csum", 4, 4, IPPROTO_TCP, XVS_TUN_GUE,
		 0},
		{"gue v4 in v4, UDP, csum", 4, 4, IPPROTO_UDP, XVS_TUN_GUE,
		 XVS_TUN_F_CSUM},
		{"gue v6 in v6, TCP, csum", 6, 6, IPPROTO_TCP, XVS_TUN_GUE,
		 XVS_TUN_F_CSUM},
		{"gue v6 in v4, UDP, remcsum", 6, 4, IPPROTO_UDP, XVS_TUN_GUE,
		 XVS_TUN_F_REMCSUM},
		{"gue v4 in v6, TCP, csum", 4, 6, IPPROTO_TCP, XVS_TUN_GUE,
		 XVS_TUN_F_CSUM},
		{"gre v4 in v4, UDP, no csum", 4, 4, IPPROTO_UDP, XVS_TUN_GRE,
		 0},
		{"gre v4 in v4, TCP, csum", 4, 4, IPPROTO_TCP, XVS_TUN_GRE,
		 XVS_TUN_F_CSUM},
		{"gre v6 in v6, UDP, csum", 6, 6, IPPROTO_UDP, XVS_TUN_GRE,
		 XVS_TUN_F_CSUM},
		{"gre v6 in v4, TCP, no csum", 6, 4, IPPROTO_TCP, XVS_TUN_GRE,
		 0},
		{"gre v4 in v6, UDP, csum", 4, 6, IPPROTO_UDP, XVS_TUN_GRE,
		 XVS_TUN_F_CSUM},
	};
	struct xvs_decap *skel;

	if (dir_open())
		return;
	skel = decap_open();
	for (size_t i = 0; skel && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tun_case *c = &cases[i];
		int svc_af = c->svc_af == 4 ? XVS_AF_INET : XVS_AF_INET6;
		int rs_af = c->rs_af == 4 ? XVS_AF_INET : XVS_AF_INET6;
		struct flow f = client_flow(svc_af, c->proto,
					    (__u16)(40000 + i));
		struct xvs_conn_key k = pkt_key(&f);
		struct xvs_global_stats before, after;
		struct xvs_dest_dp d;
		struct pkt in, out, want, back, client;
		int v;

		d = tun_setup(svc_af, c->proto, rs_af, c->type, c->flags,
			      1500);
		pkt_build(&in, &f, 100);
		if (svc_af == XVS_AF_INET) {
			/* DSCP 10 with CE, TTL 17: copied, CE as ECT(0) */
			in.b[ETH_HLEN + 1] = 0x2b;
			in.b[ETH_HLEN + 8] = 17;
			ip4_fix_csum(&in);
		}
		tun_expect(&in, &d, &k, c->flags != 0, &want);
		before = dir_counters();
		v = dir_run(&in, &out, dir.eth0);
		after = dir_counters();
		CHECK(v == XDP_TX, "%s: verdict %d", c->what, v);
		check_frame(c->what, &out, &want);
		CHECK(after.tun_encap == before.tun_encap + 1,
		      "%s: tun_encap %llu -> %llu", c->what,
		      (unsigned long long)before.tun_encap,
		      (unsigned long long)after.tun_encap);

		/* the real server: the client's packet, unchanged */
		client = in;
		memcpy(client.b, d.dmac, 6);
		memcpy(client.b + 6, d.smac, 6);
		v = decap_run(skel, &out, &back);
		CHECK(v == TC_ACT_OK, "%s: decap verdict %d", c->what, v);
		check_frame(c->what, &back, &client);
	}
	if (skel) {
		struct xvs_decap_stats st = decap_counters(skel);

		CHECK(st.decap_ipip == 6 && st.decap_gue == 5 &&
			      st.decap_gre == 5 && !st.drop_malformed,
		      "decap counters: ipip %llu gue %llu gre %llu "
		      "malformed %llu",
		      (unsigned long long)st.decap_ipip,
		      (unsigned long long)st.decap_gue,
		      (unsigned long long)st.decap_gre,
		      (unsigned long long)st.drop_malformed);
		xvs_decap__destroy(skel);
	}
	dir_close();
}

/* One frame spelled out: a UDP datagram in IPIP, from 198.18.0.2 to
 * 198.18.0.21 (computed by hand, not by the helpers above). */
TEST(tun_ipip_literal)
{
	static const uint8_t want_b[] = {
		0x02, 0x00, 0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00,
		0x00, 0x02, 0x08, 0x00, 0x45, 0x00, 0x00, 0x34, 0x00, 0x00,
		0x00, 0x00, 0x40, 0x04, 0xee, 0x8a, 0xc6, 0x12, 0x00, 0x02,
		0xc6, 0x12, 0x00, 0x15, 0x45, 0x00, 0x00, 0x20, 0x00, 0x00,
		0x00, 0x00, 0x40, 0x11, 0xee, 0x43, 0xc6, 0x12, 0x00, 0x01,
		0xc6, 0x12, 0x00, 0x64, 0x9c, 0x40, 0x00, 0x50, 0x00, 0x0c,
		0x11, 0xf5, 0x61, 0x62, 0x63, 0x64,
	};
	struct flow f = {XVS_AF_INET, DIR_CLIENT4, VIP4, 40000, 80,
			 IPPROTO_UDP, 0};
	struct pkt in, out, want = {.len = sizeof(want_b)};
	int v;

	memcpy(want.b, want_b, sizeof(want_b));
	if (dir_open())
		return;
	tun_setup(XVS_AF_INET, IPPROTO_UDP, XVS_AF_INET, XVS_TUN_IPIP, 0, 1500);
	pkt_build(&in, &f, 4);
	v = dir_run(&in, &out, dir.eth0);
	CHECK(v == XDP_TX, "verdict %d", v);
	check_frame("ipip literal", &out, &want);
	dir_close();
}


/* The director's answer to a too-big packet in: an ICMP error from the
 * VIP back to the client, quoting quote bytes, out of the MAC it came to. */
static void too_big_expect(const struct pkt *in, int af, __u32 mtu,
			   size_t quote, struct pkt *e)
{
	if (af == XVS_AF_INET) {
		pkt_icmp_error(e, af, VIP4, DIR_CLIENT4, 3, 4, mtu,
			       in->b + ETH_HLEN, quote);
		/* precedence "internetwork control", as the kernel's */
		e->b[ETH_HLEN + 1] = 0xc0;
		ip4_fix_csum(e);
	} else {
		pkt_icmp_error(e, af, VIP6, DIR_CLIENT6, 2, 0, mtu,
			       in->b + ETH_HLEN, quote);
	}
	pkt_macs(e, MAC_CLIENT, MAC_DIRECTOR);
}

/*
 * Path MTU 1400 toward the real server. IPVS's accounting: the inner
 * packet may have 1400 - 20 (IPv4 outer) = 1380 bytes, 1400 - 40 = 1360
 * in IPv6, 1400 - 32 with GUE over IPv4.
 */
TEST(tun_too_big)
{
	struct xvs_global_stats b, a;
	struct flow f4 = client_flow(XVS_AF_INET, IPPROTO_UDP, 41000);
	struct flow f6 = client_flow(XVS_AF_INET6, IPPROTO_UDP, 41001);
	struct xvs_conn_key k = pkt_key(&f4);
	struct pkt in, out, want;
	struct xvs_dest_dp d;
	int v;

	if (dir_open())
		return;

	/* IPv4 with DF, 1428 bytes: fragmentation needed, MTU 1380 */
	tun_setup(XVS_AF_INET, IPPROTO_UDP, XVS_AF_INET, XVS_TUN_IPIP, 0, 1400);
	pkt_build(&in, &f4, 1400);
	set_df(&in, 1);
	too_big_expect(&in, XVS_AF_INET, 1380, 20 + 8, &want);
	b = dir_counters();
	v = dir_run(&in, &out, dir.eth0);
	a = dir_counters();
	CHECK(v == XDP_TX, "IPv4 DF too big: verdict %d", v);
	check_frame("ICMP fragmentation needed", &out, &want);
	CHECK(a.icmp_too_big_sent == b.icmp_too_big_sent + 1 &&
		      a.tun_encap == b.tun_encap,
	      "icmp_too_big_sent %llu -> %llu",
	      (unsigned long long)b.icmp_too_big_sent,
	      (unsigned long long)a.icmp_too_big_sent);

	/* exactly 1380 bytes: fits, goes through */
	pkt_build(&in, &f4, 1380 - 28);
	set_df(&in, 1);
	d = tun_setup(XVS_AF_INET, IPPROTO_UDP, XVS_AF_INET, XVS_TUN_IPIP, 0,
		      1400);
	tun_expect(&in, &d, &k, 0, &want);
	v = dir_run(&in, &out, dir.eth0);
	CHECK(v == XDP_TX && out.len == ETH_HLEN + 1400,
	      "1380 bytes in a 1400 path: verdict %d, %zu bytes", v, out.len);
	check_frame("a packet that just fits", &out, &want);

	/* without DF: XDP cannot fragment, dropped and counted */
	pkt_build(&in, &f4, 1400);
	b = dir_counters();
	v = dir_run(&in, &out, dir.eth0);
	a = dir_counters();
	CHECK(v == XDP_DROP &&
		      a.drop_too_big_nodf == b.drop_too_big_nodf + 1 &&
		      a.icmp_too_big_sent == b.icmp_too_big_sent,
	      "IPv4 without DF: verdict %d, drop_too_big_nodf %llu -> %llu",
	      v, (unsigned long long)b.drop_too_big_nodf,
	      (unsigned long long)a.drop_too_big_nodf);

	/* GUE takes 12 more: MTU 1368 */
	tun_setup(XVS_AF_INET, IPPROTO_UDP, XVS_AF_INET, XVS_TUN_GUE, 0, 1400);
	pkt_build(&in, &f4, 1400);
	set_df(&in, 1);
	too_big_expect(&in, XVS_AF_INET, 1368, 20 + 8, &want);
	v = dir_run(&in, &out, dir.eth0);
	CHECK(v == XDP_TX, "GUE too big: verdict %d", v);
	check_frame("ICMP fragmentation needed, GUE", &out, &want);

	/* IPv6, 1448 bytes: packet too big, MTU 1360, 1232 bytes quoted */
	dir_service(XVS_AF_INET6, IPPROTO_UDP, VIP6, 80);
	tun_setup(XVS_AF_INET6, IPPROTO_UDP, XVS_AF_INET6, XVS_TUN_IPIP, 0,
		  1400);
	pkt_build(&in, &f6, 1400);
	too_big_expect(&in, XVS_AF_INET6, 1360, 1232, &want);
	b = dir_counters();
	v = dir_run(&in, &out, dir.eth0);
	a = dir_counters();
	CHECK(v == XDP_TX && out.len == ETH_HLEN + 1280,
	      "IPv6 too big: verdict %d, %zu bytes", v, out.len);
	check_frame("ICMPv6 packet too big", &out, &want);
	CHECK(a.icmp_too_big_sent == b.icmp_too_big_sent + 1,
	      "icmp_too_big_sent counts IPv6 too");

	/* IPv6 in an IPv4 path of 1290: 1270 left, below IPv6's 1280 */
	tun_setup(XVS_AF_INET6, IPPROTO_UDP, XVS_AF_INET, XVS_TUN_IPIP, 0,
		  1290);
	b = dir_counters();
	v = dir_run(&in, &out, dir.eth0);
	a = dir_counters();
	CHECK(v == XDP_DROP && a.drop_tun_mtu == b.drop_tun_mtu + 1,
	      "IPv6 inner, tunnel MTU 1270: verdict %d", v);

	/* a path too small to tunnel anything: 20 + 67 */
	tun_setup(XVS_AF_INET, IPPROTO_UDP, XVS_AF_INET, XVS_TUN_IPIP, 0, 87);
	pkt_build(&in, &f4, 10);
	b = dir_counters();
	v = dir_run(&in, &out, dir.eth0);
	a = dir_counters();
	CHECK(v == XDP_DROP && a.drop_tun_mtu == b.drop_tun_mtu + 1,
	      "tunnel MTU 67: verdict %d", v);
	dir_close();
}

/* Runs in through the decapsulation program; *d is how much each
 * counter moved. */
static int decap_delta(struct xvs_decap *skel, const struct pkt *in,
		       struct pkt *out, struct xvs_decap_stats *d)
{
	struct xvs_decap_stats b = decap_counters(skel), a;
	int v = decap_run(skel, in, out);
	__u64 *pa = (__u64 *)&a, *pb = (__u64 *)&b;

	a = decap_counters(skel);
	for (size_t i = 0; i < sizeof(a) / sizeof(__u64); i++)
		pa[i] -= pb[i];
	*d = a;
	return v;
}

/* The frame the director sends for in to a real server of its family
 * by type. */
static void encap(const struct pkt *in, __u8 type, struct pkt *out)
{
	tun_setup(XVS_AF_INET, IPPROTO_UDP, XVS_AF_INET, type, 0, 1500);
	dir_run(in, out, dir.eth0);
}

/* What the decapsulation program leaves alone, and what it drops. */
TEST(tun_decap_refuses)
{
	static const struct xvs_decap_stats none;
	struct flow f = client_flow(XVS_AF_INET, IPPROTO_UDP, 42000);
	struct xvs_decap_stats d;
	struct xvs_decap *skel;
	struct pkt in, enc, bad, out;
	int v;

	if (dir_open())
		return;
	skel = decap_open();
	if (!skel) {
		dir_close();
		return;
	}
	pkt_build(&in, &f, 50);

	v = decap_delta(skel, &in, &out, &d);
	CHECK(v == TC_ACT_OK && pkt_same(&out, &in) &&
		      !memcmp(&d, &none, sizeof(d)),
	      "UDP not to a GUE port: untouched, uncounted (verdict %d)", v);

	encap(&in, XVS_TUN_GUE, &bad);
	put16(bad.b + ETH_HLEN + 20 + 2, GUE_PORT + 1);
	v = decap_delta(skel, &bad, &out, &d);
	CHECK(v == TC_ACT_OK && pkt_same(&out, &bad) &&
		      !memcmp(&d, &none, sizeof(d)),
	      "GUE to an unconfigured port: untouched (verdict %d)", v);

	encap(&in, XVS_TUN_GRE, &bad);
	bad.b[ETH_HLEN + 20] |= 0x20; /* K */
	v = decap_delta(skel, &bad, &out, &d);
	CHECK(v == TC_ACT_OK && pkt_same(&out, &bad) &&
		      d.pass_unsupported == 1,
	      "GRE with key: left to the kernel (verdict %d)", v);

	encap(&in, XVS_TUN_IPIP, &enc);
	bad = enc;
	bad.b[ETH_HLEN + 6] |= 0x20; /* MF */
	ip4_fix_csum(&bad);
	v = decap_delta(skel, &bad, &out, &d);
	CHECK(v == TC_ACT_OK && pkt_same(&out, &bad) && d.pass_fragment == 1,
	      "an outer fragment: left to the kernel (verdict %d)", v);

	bad = enc;
	bad.b[ETH_HLEN + 10] ^= 0x01;
	v = decap_delta(skel, &bad, &out, &d);
	CHECK(v == TC_ACT_SHOT && d.drop_malformed == 1,
	      "bad outer checksum: dropped (verdict %d)", v);

	bad = enc;
	bad.b[ETH_HLEN + 9] = IPPROTO_IPV6;
	ip4_fix_csum(&bad);
	v = decap_delta(skel, &bad, &out, &d);
	CHECK(v == TC_ACT_SHOT && d.drop_malformed == 1,
	      "protocol 41 with IPv4 inside: dropped (verdict %d)", v);

	bad = enc;
	bad.len = ETH_HLEN + 20 + 10; /* half an inner header */
	bad.b[ETH_HLEN + 3] = 30;     /* tot_len */
	ip4_fix_csum(&bad);
	v = decap_delta(skel, &bad, &out, &d);
	CHECK(v == TC_ACT_SHOT && d.drop_malformed == 1,
	      "truncated: dropped (verdict %d)", v);

	xvs_decap__destroy(skel);
	dir_close();
}

/*
 * An IPv4 UDP datagram without a checksum: nothing tells its sum without
 * reading it all, so GUE goes with UDP checksum 0 and GRE without the C
 * bit, even with --tun-csum; the real server takes both apart.
 */
TEST(tun_no_inner_checksum)
{
	static const __u8 types[] = {XVS_TUN_GUE, XVS_TUN_GRE};
	struct flow f = client_flow(XVS_AF_INET, IPPROTO_UDP, 43000);
	struct xvs_conn_key k = pkt_key(&f);
	struct xvs_decap *skel;
	struct pkt in, out, want, back;

	if (dir_open())
		return;
	skel = decap_open();
	pkt_build(&in, &f, 64);
	in.b[ETH_HLEN + 20 + 6] = in.b[ETH_HLEN + 20 + 7] = 0;
	for (size_t i = 0; skel && i < sizeof(types); i++) {
		struct xvs_dest_dp d = tun_setup(XVS_AF_INET, IPPROTO_UDP,
						 XVS_AF_INET, types[i],
						 XVS_TUN_F_CSUM, 1500);
		struct pkt client = in;
		int v;

		tun_expect(&in, &d, &k, 0, &want);
		v = dir_run(&in, &out, dir.eth0);
		CHECK(v == XDP_TX, "type %u: verdict %d", types[i], v);
		check_frame(types[i] == XVS_TUN_GUE ? "gue, UDP checksum 0"
						    : "gre without C",
			    &out, &want);
		memcpy(client.b, d.dmac, 6);
		memcpy(client.b + 6, d.smac, 6);
		v = decap_run(skel, &out, &back);
		CHECK(v == TC_ACT_OK, "decap verdict %d", v);
		check_frame("decapsulated", &back, &client);
	}
	if (skel)
		xvs_decap__destroy(skel);
	dir_close();
}
