/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Header-only packet parsing for XDP: each parser advances a cursor and
 * returns the next protocol, or a negative XVS_PARSE_* code. Nothing here
 * reads a byte the verifier has not seen bounds-checked.
 */
#ifndef XVS_BPF_PARSE_H
#define XVS_BPF_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include "xvs_model.h"
#include "tcp_state.h" /* XVS_TCP_FIN ... */

#define XVS_PARSE_OTHER -1     /* not ours to look at: pass to the kernel */
#define XVS_PARSE_MALFORMED -2 /* headers inconsistent or truncated */
#define XVS_PARSE_FRAGMENT -3  /* a later fragment: no transport header */

#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct xvs_cursor {
	void *pos;
	void *end;
	void *start; /* the frame's first byte, for offsets */
};

/* What the rest of the program needs to know about a packet. */
struct xvs_pkt {
	struct xvs_conn_key key; /* 5-tuple, also the conn table key */
	__u32 l3_len;            /* IP packet length, what stats count */
	__u16 l3_off;            /* offset of the IP header in the frame */
	__u16 l4_off;            /* offset of the TCP/UDP header; 0 when
				  * there is none (a later fragment) */
	__u8 tcp_flags;          /* TCP flag byte, 0 for UDP */
	__u8 icmp;               /* an ICMP error about key's flow (icmp.h):
				  * l4_off is the ICMP header, key comes
				  * from the quoted packet */
	__u16 quote_l4_off;      /* ICMP error: the quoted TCP/UDP ports */
	__u8 frag;               /* XVS_FRAG_*: part of a fragmented datagram */
	__u32 frag_id;           /* its IPv4 identification or IPv6 id */
};

#define XVS_FRAG_FIRST 1 /* offset 0: carries the ports */
#define XVS_FRAG_LATER 2 /* offset > 0: no transport header (frag.h) */

/* IPv6 fragment header (RFC 8200 4.5). */
struct xvs_ipv6_frag {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset in 8-byte units << 3, M flag in bit 0 */
	__be32 id;
};

#define XVS_IPV6_FRAG_HDR 44

/*
 * The header at offset off (an xvs_pkt offset) of the frame at data. The
 * offset is masked to what headers can use, so that the verifier can
 * bound the pointer (it refuses offsets that may reach 64 KiB); callers
 * still check the end.
 */
#define XVS_HDR_OFF_MASK 0x1ff
static __always_inline void *pkt_hdr(void *data, __u16 off)
{
	return data + (off & XVS_HDR_OFF_MASK);
}

static __always_inline int parse_eth(struct xvs_cursor *c, struct ethhdr **eth)
{
	struct ethhdr *h = c->pos;

	c->start = c->pos;

	if ((void *)(h + 1) > c->end)
		return XVS_PARSE_OTHER; /* runt frame: the kernel's business */
	*eth = h;
	c->pos = h + 1;
	return bpf_ntohs(h->h_proto);
}

/* IPv4: options allowed, fragments reported, lengths checked. */
static __always_inline int parse_ipv4(struct xvs_cursor *c, struct xvs_pkt *p)
{
	struct iphdr *ip = c->pos;
	__u32 hlen, tot;

	if ((void *)(ip + 1) > c->end)
		return XVS_PARSE_MALFORMED;
	hlen = ip->ihl * 4;
	tot = bpf_ntohs(ip->tot_len);
	if (ip->version != 4 || hlen < sizeof(*ip) || tot < hlen ||
	    c->pos + tot > c->end)
		return XVS_PARSE_MALFORMED;
	if (c->pos + hlen > c->end)
		return XVS_PARSE_MALFORMED;
	p->l3_off = (__u16)(c->pos - c->start);
	p->key.af = XVS_AF_INET;
	p->key.saddr.v4 = ip->saddr;
	p->key.daddr.v4 = ip->daddr;
	p->key.proto = ip->protocol;
	p->l3_len = tot;
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) {
		p->frag_id = bpf_ntohs(ip->id);
		p->frag = ip->frag_off & bpf_htons(IP_OFFSET) ? XVS_FRAG_LATER :
								XVS_FRAG_FIRST;
		if (p->frag == XVS_FRAG_LATER)
			return XVS_PARSE_FRAGMENT;
	}
	c->pos += hlen;
	return ip->protocol;
}

/*
 * IPv6: the fixed header and a fragment header right after it; other
 * extension headers are left to the kernel.
 */
static __always_inline int parse_ipv6(struct xvs_cursor *c, struct xvs_pkt *p)
{
	struct ipv6hdr *ip6 = c->pos;
	__u32 plen;

	if ((void *)(ip6 + 1) > c->end)
		return XVS_PARSE_MALFORMED;
	plen = bpf_ntohs(ip6->payload_len);
	if (ip6->version != 6 || (void *)(ip6 + 1) + plen > c->end)
		return XVS_PARSE_MALFORMED;
	p->l3_off = (__u16)(c->pos - c->start);
	p->key.af = XVS_AF_INET6;
	__builtin_memcpy(&p->key.saddr, &ip6->saddr, 16);
	__builtin_memcpy(&p->key.daddr, &ip6->daddr, 16);
	p->key.proto = ip6->nexthdr;
	p->l3_len = sizeof(*ip6) + plen;
	c->pos = ip6 + 1;
	if (ip6->nexthdr == XVS_IPV6_FRAG_HDR) {
		struct xvs_ipv6_frag *fh = c->pos;
		__u16 off;

		if ((void *)(fh + 1) > c->end)
			return XVS_PARSE_MALFORMED;
		c->pos = fh + 1;
		p->key.proto = fh->nexthdr;
		off = bpf_ntohs(fh->frag_off);
		if (off & ~7u) {
			p->frag = XVS_FRAG_LATER;
		} else if (off & 1) {
			p->frag = XVS_FRAG_FIRST;
		} else {
			return fh->nexthdr; /* an atomic fragment: whole */
		}
		p->frag_id = bpf_ntohl(fh->id);
		if (p->frag == XVS_FRAG_LATER)
			return XVS_PARSE_FRAGMENT;
		return fh->nexthdr;
	}
	return ip6->nexthdr;
}

/* TCP or UDP ports (and TCP flags) into the key. */
static __always_inline int parse_l4(struct xvs_cursor *c, struct xvs_pkt *p,
				    int proto)
{
	p->l4_off = (__u16)(c->pos - c->start);
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = c->pos;

		if ((void *)(th + 1) > c->end || th->doff < 5 ||
		    c->pos + th->doff * 4 > c->end)
			return XVS_PARSE_MALFORMED;
		p->key.sport = th->source;
		p->key.dport = th->dest;
		p->tcp_flags = ((__u8 *)th)[13];
		return proto;
	}
	if (proto == IPPROTO_UDP) {
		struct udphdr *uh = c->pos;

		if ((void *)(uh + 1) > c->end)
			return XVS_PARSE_MALFORMED;
		p->key.sport = uh->source;
		p->key.dport = uh->dest;
		return proto;
	}
	return XVS_PARSE_OTHER;
}

#endif /* XVS_BPF_PARSE_H */
