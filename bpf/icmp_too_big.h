/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Too big" answers from XDP: when a packet will not fit the path toward
 * its real server once encapsulated, the client is told so, as IPVS does
 * in ensure_mtu_is_adequate() with icmp_send()/icmpv6_send():
 *   IPv4 with DF:  ICMP destination unreachable, fragmentation needed
 *                  (type 3 code 4), next-hop MTU in the header, quoting
 *                  the IP header and the first 8 bytes of its payload
 *                  (what RFC 792 requires; Linux quotes up to 576 bytes);
 *   IPv6:          ICMPv6 packet too big (type 2), quoting the packet's
 *                  first 1232 bytes, so the error is exactly the 1280
 *                  bytes every IPv6 link carries (RFC 4443 2.4).
 * The error comes from the address the packet was sent to (the VIP), as
 * the kernel's would on a director holding the VIP, and leaves through
 * the interface the packet came in on, addressed back to the MAC it came
 * from (XDP_TX). The frame is rewritten in place: new headers in front of
 * the part that is quoted, the rest cut off.
 *
 * Unlike icmp_send(), nothing rate-limits these: every too-big packet gets
 * its answer, and each answer is smaller than the packet that caused it.
 */
#ifndef XVS_BPF_ICMP_TOO_BIG_H
#define XVS_BPF_ICMP_TOO_BIG_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csum_sum.h"

/* linux/icmp.h pulls in libc's socket headers, which do not build for
 * BPF: the few definitions needed here. */
#define ICMP_DEST_UNREACH 3
#define ICMP_FRAG_NEEDED 4

struct icmp_frag_needed {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 unused;
	__be16 mtu; /* next-hop MTU (RFC 1191) */
};

#define ICMP4_QUOTE_MAX (60 + 8) /* largest IPv4 header + 8 bytes */
#define ICMP6_QUOTE 1232	 /* 1280 - ipv6hdr - icmp6hdr */
#define ICMP_TOO_BIG_TTL 64

/* MACs of the reply: back to the sender, from the MAC it sent to. */
static __always_inline void icmp_reply_macs(const struct ethhdr *eth,
					    __u8 mac[2 * ETH_ALEN])
{
	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(mac + ETH_ALEN, eth->h_dest, ETH_ALEN);
}

/*
 * Grows the frame by hdr bytes in front and cuts it to len bytes; on
 * success the Ethernet header is written (from mac) and the new data and
 * data_end are returned in *data and *end. Returns 0 or -1.
 */
static __always_inline int icmp_reshape(struct xdp_md *ctx, __u32 hdr,
					__u32 len, const __u8 mac[2 * ETH_ALEN],
					__be16 proto, void **data, void **end)
{
	struct ethhdr *eth;

	if (bpf_xdp_adjust_head(ctx, -(int)hdr) ||
	    bpf_xdp_adjust_tail(ctx,
				(int)len - (int)bpf_xdp_get_buff_len(ctx)))
		return -1;
	*data = (void *)(long)ctx->data;
	*end = (void *)(long)ctx->data_end;
	eth = *data;
	if ((void *)(eth + 1) > *end)
		return -1;
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac + ETH_ALEN, ETH_ALEN);
	eth->h_proto = proto;
	return 0;
}

/* The frame holds an IPv4 packet with DF right after the Ethernet header,
 * too big for mtu: answer with fragmentation needed. */
static __always_inline int icmp4_too_big(struct xdp_md *ctx, __u32 mtu)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *in = data + ETH_HLEN;
	__u8 mac[2 * ETH_ALEN];
	struct icmp_frag_needed *ic;
	struct iphdr *ip;
	__u16 q[ICMP4_QUOTE_MAX / 2] = {}; /* the quote, zero-padded */
	__u32 quote, sum;
	__be32 to, from;

	if ((void *)(in + 1) > end)
		return XDP_DROP;
	quote = in->ihl * 4 + 8;
	if (data + ETH_HLEN + quote > end)
		return XDP_DROP;
	icmp_reply_macs(data, mac);
	to = in->saddr;
	from = in->daddr;
	if (icmp_reshape(ctx, sizeof(*ip) + sizeof(*ic),
			 ETH_HLEN + sizeof(*ip) + sizeof(*ic) + quote, mac,
			 bpf_htons(ETH_P_IP), &data, &end))
		return XDP_DROP;
	ip = data + ETH_HLEN;
	ic = (void *)(ip + 1);
	if ((void *)(ic + 1) > end)
		return XDP_DROP;

	ic->type = ICMP_DEST_UNREACH;
	ic->code = ICMP_FRAG_NEEDED;
	ic->checksum = 0;
	ic->unused = 0;
	ic->mtu = bpf_htons((__u16)mtu);
	if (quote > sizeof(q) ||
	    bpf_xdp_load_bytes(ctx, (__u32)((void *)(ic + 1) - data), q, quote))
		return XDP_DROP;
	sum = csum_add(csum_words(ic, sizeof(*ic)), csum_words(q, sizeof(q)));
	ic->checksum = (__u16)~csum_fold32(sum);

	/* As the kernel's ICMP errors: precedence "internetwork control",
	 * no DF, id 0. */
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0xc0;
	ip->tot_len = bpf_htons((__u16)(sizeof(*ip) + sizeof(*ic) + quote));
	ip->id = 0;
	ip->frag_off = 0;
	ip->ttl = ICMP_TOO_BIG_TTL;
	ip->protocol = IPPROTO_ICMP;
	ip->check = 0;
	ip->saddr = from;
	ip->daddr = to;
	ip->check = csum_ipv4_hdr20(ip);
	return XDP_TX;
}

/* Sum of the ICMP6_QUOTE bytes at q (bounds checked by the caller). */
static __always_inline int icmp6_quote_sum(void *q, __u32 *sum)
{
	__s64 a = bpf_csum_diff(NULL, 0, q, 512, 0);
	__s64 b = bpf_csum_diff(NULL, 0, q + 512, 512, 0);
	__s64 c = bpf_csum_diff(NULL, 0, q + 1024, ICMP6_QUOTE - 1024, 0);

	if (a < 0 || b < 0 || c < 0)
		return -1;
	*sum = csum_add(csum_add((__u32)a, (__u32)b), (__u32)c);
	return 0;
}

/* The frame holds an IPv6 packet right after the Ethernet header, longer
 * than ICMP6_QUOTE and too big for mtu (>= 1280): packet too big. */
static __always_inline int icmp6_too_big(struct xdp_md *ctx, __u32 mtu)
{
	const __u32 plen = sizeof(struct icmp6hdr) + ICMP6_QUOTE;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ipv6hdr *in = data + ETH_HLEN;
	union xvs_addr to, from;
	__u8 mac[2 * ETH_ALEN];
	struct icmp6hdr *ic;
	struct ipv6hdr *ip;
	__u32 sum;

	if (data + ETH_HLEN + ICMP6_QUOTE > end)
		return XDP_DROP;
	icmp_reply_macs(data, mac);
	__builtin_memcpy(&to, &in->saddr, 16);
	__builtin_memcpy(&from, &in->daddr, 16);
	if (icmp_reshape(ctx, sizeof(*ip) + sizeof(*ic),
			 ETH_HLEN + sizeof(*ip) + plen, mac,
			 bpf_htons(ETH_P_IPV6), &data, &end))
		return XDP_DROP;
	ip = data + ETH_HLEN;
	ic = (void *)(ip + 1);
	if ((void *)(ic + 1) + ICMP6_QUOTE > end)
		return XDP_DROP;

	__builtin_memset(ip, 0, sizeof(*ip));
	ip->version = 6;
	ip->payload_len = bpf_htons((__u16)plen);
	ip->nexthdr = IPPROTO_ICMPV6;
	ip->hop_limit = ICMP_TOO_BIG_TTL;
	__builtin_memcpy(&ip->saddr, &from, 16);
	__builtin_memcpy(&ip->daddr, &to, 16);

	ic->icmp6_type = ICMPV6_PKT_TOOBIG;
	ic->icmp6_code = 0;
	ic->icmp6_cksum = 0;
	ic->icmp6_mtu = bpf_htonl(mtu);
	if (icmp6_quote_sum(ic + 1, &sum))
		return XDP_DROP;
	sum = csum_add(sum, csum_words(ic, sizeof(*ic)));
	sum = csum_add(sum, csum_pseudo(XVS_AF_INET6, &from, &to,
					IPPROTO_ICMPV6, plen));
	ic->icmp6_cksum = (__u16)~csum_fold32(sum);
	return XDP_TX;
}

#endif /* XVS_BPF_ICMP_TOO_BIG_H */
