/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IP tunnelling ("Tunnel", ipvsadm -i): the client's packet, unchanged,
 * goes inside a new IP packet from the director (dest->saddr) to the real
 * server (dest->addr), which takes it out again (xvs-decap, or the
 * kernel's ipip/sit/fou/gre) and answers the client directly from the VIP.
 *
 *   ipip  IPv4 in IPv4 (protocol 4) or IPv6 in IPv4 (41), IPv4 in IPv6
 *         (next header 4) or IPv6 in IPv6 (41): the outer family is the
 *         real server's, which may differ from the service's, as in IPVS
 *   gue   outer UDP to dest->tun_port, GUE version 0 header whose
 *         proto_ctype names the inner family (4 or 41), UDP source port
 *         from a hash of the inner flow (xvs_tun_gue_sport)
 *   gre   GRE with protocol type 0x0800 / 0x86DD, the C bit and checksum
 *         word with --tun-csum
 *
 * Outer header fields, as ip_vs_tunnel_xmit() sets them: DSCP copied from
 * the inner packet, ECN copied unless it is CE (then ECT(0)); TTL / hop
 * limit copied from the inner packet (which IPVS decrements first; xvs
 * forwards the inner packet unchanged, as its DR path does); flow label 0.
 * Outer IPv4: DF copied from an IPv4 inner packet and set for an IPv6 one
 * (IPVS leaves it clear there; Linux's sit sets it, and a tunnel packet
 * fragmented on the way could not be taken apart by xvs-decap, which sees
 * packets before reassembly); identification copied from an IPv4 inner
 * packet, 0 otherwise; header checksum computed.
 *
 * Checksums (--tun-csum for gue and gre; --tun-remcsum for gue): computed
 * without reading the payload, as the kernel's local checksum offload
 * does: a TCP, UDP or ICMPv6 segment with a correct checksum sums to the
 * complement of its pseudo-header, an ICMP message to zero, so the inner
 * packet's sum is its IP header's plus that. (A segment whose checksum is
 * wrong gives an outer checksum that is wrong too, and the real server
 * drops it either way.) Where that does not hold, a fragment or an IPv4
 * UDP datagram without checksum, the outer packet goes without one: UDP
 * checksum 0, or GRE without the C bit. --tun-remcsum gives the same
 * packet as --tun-csum: the GUE remote-checksum option carries a checksum
 * the sender left to the receiver, IPVS and the kernel's GUE add it only
 * for such locally sent packets, and a forwarded packet's checksum is
 * already complete.
 *
 * Too big: when the inner packet is longer than dest->mtu minus the
 * overhead (IPVS's accounting, xvs_tun_overhead), icmp_too_big.h answers
 * the client (IPv4 with DF, IPv6); IPv4 without DF is dropped, since XDP
 * cannot fragment (IPVS fragments the outer packet instead); an ICMP
 * error is dropped, as IPVS sends no error about an error.
 */
#ifndef XVS_BPF_FWD_TUN_H
#define XVS_BPF_FWD_TUN_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csum_sum.h"
#include "fwd_dr.h"
#include "icmp_too_big.h"
#include "parse.h"
#include "xvs_tun.h"

#define XVS_TUN_TRANSMIT -1 /* fwd_tun(): frame ready, caller transmits */

#define TUN_IP_DF 0x4000
#define TUN_GRE_CSUM 0x8000
#define TUN_ECN_CE 3
#define TUN_ECN_ECT0 2

/* What the outer headers need from the inner packet, read before the
 * frame moves. */
struct tun_inner {
	__u32 len;	/* inner IP packet, bytes */
	__u32 sum;	/* one's-complement sum of all of it, if has_sum */
	__be16 id;	/* outer IPv4 identification */
	__u8 has_sum;	/* sum is known (see the comment at the top) */
	__u8 tos;	/* outer DSCP + ECN */
	__u8 ttl;	/* outer TTL / hop limit */
	__u8 df;	/* outer IPv4 gets DF */
	__u8 ipproto;	/* IPPROTO_IPIP or IPPROTO_IPV6 */
	__u8 l4proto;	/* the inner transport protocol */
};

/* INET_ECN_encapsulate(): the outer ECN field from the inner one. */
static __always_inline __u8 tun_ecn_encap(__u8 ds)
{
	__u8 ecn = ds & 3;

	return (ds & ~3) | (ecn == TUN_ECN_CE ? TUN_ECN_ECT0 : ecn);
}

/* Sum of the L4 segment behind a pseudo-header, assuming its checksum is
 * right (see the top of this file). */
static __always_inline __u32 tun_l4_sum(__u8 af, const union xvs_addr *s,
					const union xvs_addr *d, __u8 proto,
					__u32 len)
{
	if (proto == IPPROTO_ICMP)
		return 0xffff;
	return (__u16)~csum_fold32(csum_pseudo(af, s, d, proto, len));
}

/*
 * Sum of the IPv4 header (hlen bytes, options included) after the
 * Ethernet header, copied out first: its length varies, and a copy into
 * a zeroed buffer needs no bounds check per word.
 */
static __always_inline int tun_ipv4_hdr_sum(struct xdp_md *ctx, __u32 hlen,
					    __u32 *sum)
{
	__u16 hdr[30] = {};

	if (hlen < 20 || hlen > sizeof(hdr) ||
	    bpf_xdp_load_bytes(ctx, ETH_HLEN, hdr, hlen))
		return -1;
	*sum = csum_words(hdr, sizeof(hdr));
	return 0;
}

static __always_inline int tun_read_ipv4(struct xdp_md *ctx, void *data,
					 void *end, struct tun_inner *t)
{
	struct iphdr *ip = data + ETH_HLEN;
	union xvs_addr s = {}, d = {};
	__u32 hlen, sum;
	__u16 frag;

	if ((void *)(ip + 1) > end)
		return -1;
	hlen = ip->ihl * 4;
	frag = bpf_ntohs(ip->frag_off);
	t->len = bpf_ntohs(ip->tot_len);
	t->tos = tun_ecn_encap(ip->tos);
	t->ttl = ip->ttl;
	t->df = !!(frag & TUN_IP_DF);
	t->id = ip->id;
	t->ipproto = IPPROTO_IPIP;
	t->l4proto = ip->protocol;
	if (frag & (IP_MF | IP_OFFSET))
		return 0;
	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *uh = (void *)ip + hlen;

		if ((void *)(uh + 1) > end)
			return -1;
		if (!uh->check)
			return 0;
	} else if (ip->protocol != IPPROTO_TCP &&
		   ip->protocol != IPPROTO_ICMP) {
		return 0;
	}
	if (tun_ipv4_hdr_sum(ctx, hlen, &sum))
		return -1;
	s.v4 = ip->saddr;
	d.v4 = ip->daddr;
	t->sum = csum_add(sum, tun_l4_sum(XVS_AF_INET, &s, &d, ip->protocol,
					  t->len - hlen));
	t->has_sum = 1;
	return 0;
}

static __always_inline int tun_read_ipv6(void *data, void *end,
					 struct tun_inner *t)
{
	struct ipv6hdr *ip6 = data + ETH_HLEN;
	union xvs_addr s, d;
	__u32 plen;

	if ((void *)(ip6 + 1) > end)
		return -1;
	plen = bpf_ntohs(ip6->payload_len);
	t->len = sizeof(*ip6) + plen;
	t->tos = tun_ecn_encap(ip6->priority << 4 | ip6->flow_lbl[0] >> 4);
	t->ttl = ip6->hop_limit;
	t->df = 1;
	t->id = 0;
	t->ipproto = IPPROTO_IPV6;
	t->l4proto = ip6->nexthdr;
	if (ip6->nexthdr != IPPROTO_TCP && ip6->nexthdr != IPPROTO_UDP &&
	    ip6->nexthdr != IPPROTO_ICMPV6)
		return 0;
	__builtin_memcpy(&s, &ip6->saddr, 16);
	__builtin_memcpy(&d, &ip6->daddr, 16);
	t->sum = csum_add(csum_words(ip6, sizeof(*ip6)),
			  tun_l4_sum(XVS_AF_INET6, &s, &d, ip6->nexthdr, plen));
	t->has_sum = 1;
	return 0;
}

/* The outer IP header at ip (bounds checked by the caller), iplen bytes
 * by the family, carrying proto and len bytes after itself. */
static __always_inline void tun_put_ip(void *ip, const __u32 iplen,
				       const struct xvs_dest_dp *dest,
				       const struct tun_inner *t, __u8 proto,
				       __u32 len)
{
	if (iplen == XVS_TUN_IP4_HLEN) {
		struct iphdr o = {
			.version = 4,
			.ihl = 5,
			.tos = t->tos,
			.tot_len = bpf_htons((__u16)(sizeof(o) + len)),
			.id = t->id,
			.frag_off = t->df ? bpf_htons(TUN_IP_DF) : 0,
			.ttl = t->ttl,
			.protocol = proto,
			.saddr = dest->saddr.v4,
			.daddr = dest->addr.v4,
		};

		o.check = csum_ipv4_hdr20(&o);
		__builtin_memcpy(ip, &o, sizeof(o));
	} else {
		struct ipv6hdr o = {
			.version = 6,
			.priority = t->tos >> 4,
			.flow_lbl = {(__u8)(t->tos << 4)},
			.payload_len = bpf_htons((__u16)len),
			.nexthdr = proto,
			.hop_limit = t->ttl,
		};

		__builtin_memcpy(&o.saddr, &dest->saddr, 16);
		__builtin_memcpy(&o.daddr, &dest->addr, 16);
		__builtin_memcpy(ip, &o, sizeof(o));
	}
}

/* UDP + GUE at h, in front of t->len bytes of inner packet. */
static __always_inline void tun_put_gue(void *h, const struct xvs_pkt *p,
					const struct xvs_dest_dp *dest,
					const struct tun_inner *t, int csum)
{
	__u32 ulen = XVS_TUN_UDP_HLEN + XVS_TUN_GUE_HLEN + t->len;
	struct {
		struct udphdr uh;
		__u8 gue[XVS_TUN_GUE_HLEN]; /* v0, C 0, hlen 0, proto, flags */
	} o = {
		.uh = {
			.source = bpf_htons(xvs_tun_gue_sport(&p->key)),
			.dest = dest->tun_port,
			.len = bpf_htons((__u16)ulen),
		},
		.gue = {0, t->ipproto, 0, 0},
	};

	if (csum) {
		__u32 sum = csum_add(csum_words(&o, sizeof(o)), t->sum);

		sum = csum_add(sum, csum_pseudo(dest->af, &dest->saddr,
						&dest->addr, IPPROTO_UDP,
						ulen));
		o.uh.check = (__u16)~csum_fold32(sum);
		if (!o.uh.check)
			o.uh.check = 0xffff; /* 0 means "no checksum" */
	}
	__builtin_memcpy(h, &o, sizeof(o));
}

/* GRE at h: 4 bytes, or 8 with the checksum. */
static __always_inline void tun_put_gre(void *h, const struct tun_inner *t,
					int csum)
{
	__be16 g[4] = {
		csum ? bpf_htons(TUN_GRE_CSUM) : 0,
		bpf_htons(t->ipproto == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6),
	};

	if (csum) {
		g[2] = (__u16)~csum_fold32(csum_add(csum_words(g, 8), t->sum));
		__builtin_memcpy(h, g, 8);
	} else {
		__builtin_memcpy(h, g, 4);
	}
}

/*
 * Writes the outer headers in front of the inner packet, which starts
 * ovh bytes after the Ethernet header, and the Ethernet header. iplen is
 * the outer IP header's length, a constant at each call.
 */
static __always_inline int tun_put(void *data, void *end, const __u32 iplen,
				   const struct xvs_pkt *p,
				   const struct xvs_dest_dp *dest,
				   const struct tun_inner *t, int csum, __u32 ovh)
{
	void *h = data + ETH_HLEN + iplen;
	__u8 proto = t->ipproto;

	/* the longest header written; every inner packet is longer */
	if (h + XVS_TUN_UDP_HLEN + XVS_TUN_GUE_HLEN > end)
		return -1;
	if (dest->tun_type == XVS_TUN_GUE) {
		proto = IPPROTO_UDP;
		tun_put_gue(h, p, dest, t, csum);
	} else if (dest->tun_type == XVS_TUN_GRE) {
		proto = IPPROTO_GRE;
		tun_put_gre(h, t, csum);
	}
	tun_put_ip(data + ETH_HLEN, iplen, dest, t, proto,
		   ovh - iplen + t->len);
	fwd_dr(data, dest);
	((struct ethhdr *)data)->h_proto =
		bpf_htons(iplen == XVS_TUN_IP4_HLEN ? ETH_P_IP : ETH_P_IPV6);
	return 0;
}

/* Too big for the tunnel: answer, or drop, and count which. */
static __always_inline int tun_too_big(struct xdp_md *ctx, __u8 af,
				       const struct tun_inner *t, __u32 mtu,
				       struct xvs_global_stats *gs)
{
	int verdict;

	if (t->l4proto == IPPROTO_ICMP || t->l4proto == IPPROTO_ICMPV6) {
		if (gs)
			gs->drop_too_big_icmp++;
		return XDP_DROP;
	}
	if (af == XVS_AF_INET && !t->df) {
		if (gs)
			gs->drop_too_big_nodf++;
		return XDP_DROP;
	}
	if (af == XVS_AF_INET6 && mtu < 1280) {
		/* A packet-too-big below IPv6's minimum MTU is ignored by
		 * the sender (RFC 8201), so the path cannot carry IPv6. */
		if (gs)
			gs->drop_tun_mtu++;
		return XDP_DROP;
	}
	verdict = af == XVS_AF_INET ? icmp4_too_big(ctx, mtu)
				    : icmp6_too_big(ctx, mtu);
	if (gs && verdict == XDP_TX)
		gs->icmp_too_big_sent++;
	return verdict;
}

/*
 * Encapsulates the frame (the inner IP packet right after its Ethernet
 * header) toward dest. Returns XVS_TUN_TRANSMIT when the frame is ready
 * to go out toward dest, else the verdict (XDP_TX for a too-big answer,
 * XDP_DROP), counted in gs. Every packet pointer is re-read after the
 * frame moves.
 */
static __always_inline int fwd_tun(struct xdp_md *ctx,
				   const struct xvs_pkt *p,
				   const struct xvs_dest_dp *dest,
				   struct xvs_global_stats *gs)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct tun_inner t = {};
	__u32 ovh, mtu;
	int csum, rc;

	if (p->l3_off != ETH_HLEN)
		goto malformed;
	rc = p->key.af == XVS_AF_INET ? tun_read_ipv4(ctx, data, end, &t)
				      : tun_read_ipv6(data, end, &t);
	if (rc)
		goto malformed;
	ovh = xvs_tun_overhead(dest->af, dest->tun_type, dest->tun_flags);
	if (dest->mtu) {
		if (dest->mtu < ovh + xvs_tun_min_mtu(dest->af)) {
			if (gs)
				gs->drop_tun_mtu++;
			return XDP_DROP;
		}
		mtu = dest->mtu - ovh;
		if (t.len > mtu)
			return tun_too_big(ctx, p->key.af, &t, mtu, gs);
	}

	csum = (dest->tun_flags & (XVS_TUN_F_CSUM | XVS_TUN_F_REMCSUM)) &&
	       t.has_sum;
	if (dest->tun_type == XVS_TUN_GRE && (dest->tun_flags & XVS_TUN_F_CSUM) &&
	    !csum)
		ovh -= XVS_TUN_GRE_CSUM_LEN;
	if (bpf_xdp_adjust_head(ctx, -(int)ovh)) {
		if (gs)
			gs->drop_tun_headroom++;
		return XDP_DROP;
	}
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	/* Two copies, so that every header offset is a constant. */
	rc = dest->af == XVS_AF_INET
		     ? tun_put(data, end, XVS_TUN_IP4_HLEN, p, dest, &t, csum,
			       ovh)
		     : tun_put(data, end, XVS_TUN_IP6_HLEN, p, dest, &t, csum,
			       ovh);
	if (rc)
		goto malformed;
	if (gs)
		gs->tun_encap++;
	return XVS_TUN_TRANSMIT;

malformed:
	if (gs)
		gs->drop_malformed++;
	return XDP_DROP;
}

#endif /* XVS_BPF_FWD_TUN_H */
