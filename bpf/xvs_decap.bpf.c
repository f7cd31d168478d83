// SPDX-License-Identifier: GPL-2.0
/*
 * The real-server side of VS/TUN, for kernels without the ipip, sit, fou
 * and gre modules: a tc ingress program that takes the director's outer
 * headers off and lets the inner packet continue up the stack, where the
 * VIP on lo accepts it. Loaded and attached by xvs-decap(8).
 *
 * Taken out, when they arrive on the interface:
 *   IPv4 or IPv6 carrying protocol 4 (IPv4) or 41 (IPv6)
 *   ... carrying GRE version 0, with or without checksum, whose protocol
 *       type is 0x0800 or 0x86DD
 *   ... carrying UDP to one of the configured GUE ports (gue_ports),
 *       GUE version 0, data message, no options, proto_ctype 4 or 41
 * Any such packet is taken, whatever its outer destination: telling a
 * local address from another needs bpf_fib_lookup(), which answers
 * "forwarding disabled" before anything else on hosts that do not
 * forward, as real servers usually do not; and a frame that was not
 * addressed to this host keeps its packet type, so the stack drops the
 * inner packet just as it would have dropped the outer one. The kernel's
 * own fallback tunl0 likewise accepts IPIP from anyone.
 *
 * Left to the kernel (counted, TC_ACT_OK): anything else, outer fragments
 * (tc sees packets before reassembly), GRE with key, sequence or routing,
 * GUE control messages and GUE options (among them remote checksum,
 * which changes what the inner checksum means). Dropped (counted): a
 * truncated packet, an outer IPv4 header with a bad checksum (nobody
 * else will check it once it is gone), an inner packet that is not of
 * the family its outer header announced. The GUE UDP checksum and the
 * GRE checksum are not verified: the inner packet's own checksums still
 * cover what the application receives.
 *
 * The headers go with bpf_skb_adjust_room(-len, BPF_ADJ_ROOM_MAC) and
 * the decap flag naming the inner family, which also sets skb->protocol
 * when the family changes (Linux 6.3+); the Ethernet type is rewritten
 * to match.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csum.h"
#include "csum_sum.h"
#include "xvs_decap.h"

char LICENSE[] SEC("license") = "GPL";

/* Not in every linux/bpf.h yet (Linux 6.3's uapi). */
#define DECAP_L3_IPV4 (1ULL << 7) /* BPF_F_ADJ_ROOM_DECAP_L3_IPV4 */
#define DECAP_L3_IPV6 (1ULL << 8) /* BPF_F_ADJ_ROOM_DECAP_L3_IPV6 */

#define GRE_CSUM 0x8000
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

/* UDP ports (network order) that carry GUE, written by xvs-decap. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XVS_DECAP_MAX_GUE_PORTS);
	__type(key, __be16);
	__type(value, __u8);
} gue_ports SEC(".maps");

/* What happened to the packets (per CPU, one entry). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_decap_stats);
} decap_stats SEC(".maps");

enum decap_kind { DECAP_IPIP, DECAP_GUE, DECAP_GRE };

/* A tunnel found in the packet: how much to take off, what is inside. */
struct tunnel {
	__u32 len;	   /* outer headers after the Ethernet header */
	__u8 inner_af;	   /* 4 or 6 */
	enum decap_kind kind;
};

#define TUN_NONE 1	  /* not a tunnel of ours: leave it alone */
#define TUN_FRAGMENT 2	  /* an outer fragment: leave it alone */
#define TUN_UNSUPPORTED 3 /* a tunnel we do not take apart */
#define TUN_MALFORMED 4

/* Inner family from an IP protocol number (4, 41), or 0. */
static __always_inline __u8 inner_af_of_proto(__u8 proto)
{
	return proto == IPPROTO_IPIP ? 4 : proto == IPPROTO_IPV6 ? 6 : 0;
}

/* The outer IPv4 header after Ethernet: its length in *hlen, its
 * protocol in *proto; 0 or a TUN_* code. The checksum is left to
 * ipv4_csum_ok(), for tunnels only. */
static __always_inline int outer_ipv4(void *data, void *end, __u32 *hlen,
				      __u8 *proto)
{
	struct iphdr *ip = data + ETH_HLEN;

	if ((void *)(ip + 1) > end)
		return TUN_NONE;
	*proto = ip->protocol;
	*hlen = ip->ihl * 4;
	if (ip->protocol != IPPROTO_IPIP && ip->protocol != IPPROTO_IPV6 &&
	    ip->protocol != IPPROTO_GRE && ip->protocol != IPPROTO_UDP)
		return TUN_NONE;
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		/* a UDP fragment may or may not be GUE: not ours to say */
		return ip->protocol == IPPROTO_UDP ? TUN_NONE : TUN_FRAGMENT;
	if (ip->version != 4 || *hlen < sizeof(*ip) ||
	    bpf_ntohs(ip->tot_len) < *hlen)
		return TUN_MALFORMED;
	return 0;
}

/* The outer IPv4 header's checksum, options included, is right. */
static __always_inline int ipv4_csum_ok(struct __sk_buff *skb, __u32 hlen)
{
	__u16 hdr[30] = {};

	return hlen <= sizeof(hdr) &&
	       !bpf_skb_load_bytes(skb, ETH_HLEN, hdr, hlen) &&
	       csum_fold32(csum_words(hdr, sizeof(hdr))) == 0xffff;
}

/* What follows the outer IP header (off bytes after Ethernet, protocol
 * proto): fills t, or returns a TUN_* code. */
static __always_inline int find_tunnel(void *data, void *end, __u32 off,
				       __u8 proto, struct tunnel *t)
{
	void *h = data + ETH_HLEN + off;

	t->kind = DECAP_IPIP;
	t->len = off;
	t->inner_af = inner_af_of_proto(proto);
	if (t->inner_af)
		return 0;
	if (proto == IPPROTO_GRE) {
		__be16 *g = h;
		__u16 flags;

		if ((void *)(g + 2) > end)
			return TUN_MALFORMED;
		flags = bpf_ntohs(g[0]);
		if (flags & ~GRE_CSUM) /* K, S, R, version */
			return TUN_UNSUPPORTED;
		t->kind = DECAP_GRE;
		t->len = off + (flags & GRE_CSUM ? 8 : 4);
		t->inner_af = g[1] == bpf_htons(ETH_P_IP)     ? 4
			      : g[1] == bpf_htons(ETH_P_IPV6) ? 6
							      : 0;
		return t->inner_af ? 0 : TUN_UNSUPPORTED;
	}
	if (proto == IPPROTO_UDP) {
		struct udphdr *uh = h;
		__u8 *gue = (void *)(uh + 1);

		if ((void *)(uh + 1) > end)
			return TUN_MALFORMED;
		if (!bpf_map_lookup_elem(&gue_ports, &uh->dest))
			return TUN_NONE;
		if ((void *)(gue + 4) > end)
			return TUN_MALFORMED;
		/* version 0, C 0, hlen 0: a data message without options */
		if (gue[0] != 0)
			return TUN_UNSUPPORTED;
		t->kind = DECAP_GUE;
		t->len = off + sizeof(*uh) + 4;
		t->inner_af = inner_af_of_proto(gue[1]);
		return t->inner_af ? 0 : TUN_UNSUPPORTED;
	}
	return TUN_NONE;
}

static __always_inline int count(struct xvs_decap_stats *st, int rc)
{
	if (!st)
		return TC_ACT_OK;
	if (rc == TUN_FRAGMENT)
		st->pass_fragment++;
	else if (rc == TUN_UNSUPPORTED)
		st->pass_unsupported++;
	else if (rc == TUN_MALFORMED)
		st->drop_malformed++;
	return rc == TUN_MALFORMED ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int xvs_decap(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct xvs_decap_stats *st;
	struct tunnel t = {};
	__u32 zero = 0, off;
	__u8 *inner, proto;
	int rc;

	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		rc = outer_ipv4(data, end, &off, &proto);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = data + ETH_HLEN;

		if ((void *)(ip6 + 1) > end)
			return TC_ACT_OK;
		proto = ip6->nexthdr;
		off = sizeof(*ip6);
		rc = 0;
	} else {
		return TC_ACT_OK;
	}
	if (!rc)
		rc = find_tunnel(data, end, off, proto, &t);
	if (rc == TUN_NONE)
		return TC_ACT_OK;
	st = bpf_map_lookup_elem(&decap_stats, &zero);
	if (!rc && eth->h_proto == bpf_htons(ETH_P_IP) &&
	    !ipv4_csum_ok(skb, off))
		rc = TUN_MALFORMED;
	if (rc)
		return count(st, rc);

	/* A whole inner header, of the family the outer one announced. */
	inner = data + ETH_HLEN + t.len;
	if ((void *)(inner + 1) > end || inner[0] >> 4 != t.inner_af ||
	    (void *)inner + (t.inner_af == 4 ? 20 : 40) > end)
		return count(st, TUN_MALFORMED);
	if (bpf_skb_adjust_room(skb, -(int)t.len, BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_FIXED_GSO |
					(t.inner_af == 4 ? DECAP_L3_IPV4
							 : DECAP_L3_IPV6))) {
		if (st)
			st->drop_error++;
		return TC_ACT_SHOT;
	}
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	eth = data;
	if ((void *)(eth + 1) > end)
		return TC_ACT_SHOT;
	eth->h_proto = bpf_htons(t.inner_af == 4 ? ETH_P_IP : ETH_P_IPV6);
	if (st) {
		if (t.kind == DECAP_GUE)
			st->decap_gue++;
		else if (t.kind == DECAP_GRE)
			st->decap_gre++;
		else
			st->decap_ipip++;
	}
	return TC_ACT_OK;
}
