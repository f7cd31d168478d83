/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP and ICMPv6 errors about tracked connections, as IPVS handles them
 * in ip_vs_in_icmp() / ip_vs_out_icmp() (net/netfilter/ipvs/ip_vs_core.c).
 *
 * An error quotes the packet that caused it, whose addresses and ports are
 * those of the flow, seen from where that packet was going. Reversed, the
 * quote names the flow as the director tracks it:
 *   - an error sent to the VIP (a router on the client's path, say, found
 *     a reply VIP:vport -> client too big) quotes VIP:vport -> client;
 *     reversed, client -> VIP:vport is the connection's key, and the error
 *     goes to the connection's real server: unchanged for DR and TUN
 *     (forward() sends it as any packet of the flow), translated for NAT
 *     (to the real server: outer destination and quoted source become
 *     RS:rport);
 *   - an error from the real-server side of a NAT connection (the real
 *     server itself, say, found no socket for client -> RS:rport) quotes
 *     client -> RS:rport; reversed, RS:rport -> client is the reply tuple,
 *     found in the NAT reverse map (fwd_nat.h), and the error is
 *     translated toward the client (outer source and quoted destination
 *     become VIP:vport).
 * As in IPVS the quoted TCP/UDP checksum is left as it is (it covered the
 * untranslated packet, and nobody checks a quote's checksum); the outer
 * IPv4 header, the quoted IPv4 header and the ICMP checksum (ICMPv6 with
 * its pseudo-header) are updated incrementally, so an error whose checksum
 * was wrong stays wrong and its receiver drops it (IPVS drops it here).
 *
 * Errors are IPv4 destination unreachable (fragmentation needed included),
 * source quench and time exceeded, and every ICMPv6 error type (below
 * 128: destination unreachable, packet too big, time exceeded, parameter
 * problem), the types IPVS looks at. Everything else ICMP, and errors that
 * quote neither TCP nor UDP, a later fragment (no ports) or an IPv6 quote
 * with extension headers, is the kernel's (echo requests to the VIP or the
 * director are answered by the kernel, as before). An error whose quote is
 * too short to hold the quoted IP header and 8 bytes of its payload (what
 * RFC 792 requires) is dropped and counted.
 */
#ifndef XVS_BPF_ICMP_H
#define XVS_BPF_ICMP_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include "csum.h"
#include "parse.h"

#define XVS_ICMP_QUOTE_L4 8 /* bytes of the quoted payload we need */

/* ICMP types IPVS looks at (linux/icmp.h does not build for BPF: it pulls
 * in libc's socket headers). */
#define XVS_ICMP_DEST_UNREACH 3
#define XVS_ICMP_SOURCE_QUENCH 4
#define XVS_ICMP_TIME_EXCEEDED 11
#define XVS_ICMPV6_INFOMSG 128 /* ICMPv6 types below are errors */

/* The header ICMP and ICMPv6 share: type, code, checksum, and 4 bytes
 * that depend on the type (an MTU, a pointer, unused). */
struct xvs_icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 info;
};

static __always_inline int icmp_is_error(__u8 af, __u8 type)
{
	if (af == XVS_AF_INET6)
		return type < XVS_ICMPV6_INFOMSG;
	return type == XVS_ICMP_DEST_UNREACH ||
	       type == XVS_ICMP_SOURCE_QUENCH ||
	       type == XVS_ICMP_TIME_EXCEEDED;
}

/*
 * The quoted packet's key, reversed, from its IP header q and its ports.
 * Returns the quoted header's length, XVS_PARSE_OTHER or
 * XVS_PARSE_MALFORMED; room is what the error holds after its ICMP header.
 */
static __always_inline int icmp_quote_key(struct xvs_cursor *c,
					  struct xvs_pkt *p, void *q,
					  __u32 room)
{
	__u32 hlen;

	if (p->key.af == XVS_AF_INET) {
		struct iphdr *ip = q;

		if ((void *)(ip + 1) > c->end || room < sizeof(*ip))
			return XVS_PARSE_MALFORMED;
		hlen = ip->ihl * 4;
		if (ip->version != 4 || hlen < sizeof(*ip))
			return XVS_PARSE_MALFORMED;
		if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)
			return XVS_PARSE_OTHER;
		if (ip->frag_off & bpf_htons(IP_OFFSET))
			return XVS_PARSE_OTHER;
		p->key.saddr.v4 = ip->daddr;
		p->key.daddr.v4 = ip->saddr;
		p->key.proto = ip->protocol;
	} else {
		struct ipv6hdr *ip6 = q;

		if ((void *)(ip6 + 1) > c->end || room < sizeof(*ip6))
			return XVS_PARSE_MALFORMED;
		if (ip6->version != 6)
			return XVS_PARSE_MALFORMED;
		if (ip6->nexthdr != IPPROTO_TCP && ip6->nexthdr != IPPROTO_UDP)
			return XVS_PARSE_OTHER;
		hlen = sizeof(*ip6);
		__builtin_memcpy(&p->key.saddr, &ip6->daddr, 16);
		__builtin_memcpy(&p->key.daddr, &ip6->saddr, 16);
		p->key.proto = ip6->nexthdr;
	}
	if (room < hlen + XVS_ICMP_QUOTE_L4)
		return XVS_PARSE_MALFORMED;
	return (int)hlen;
}

/*
 * Parses an ICMP/ICMPv6 message; the cursor is at its header (the outer IP
 * header parsed into p). For an error quoting a TCP or UDP packet, sets
 * p->key to the quoted packet's 5-tuple reversed, p->icmp, p->l4_off (the
 * ICMP header) and p->quote_l4_off, and returns the quoted protocol.
 * Otherwise XVS_PARSE_OTHER (the kernel's) or XVS_PARSE_MALFORMED (an
 * error whose quote is cut short).
 */
static __always_inline int icmp_parse(struct xvs_cursor *c, struct xvs_pkt *p)
{
	struct xvs_icmphdr *ic = c->pos;
	__u32 off = (__u32)(c->pos - c->start), room, hlen;
	__be16 *ports;
	int rc;

	if (off < p->l3_off || off - p->l3_off > p->l3_len)
		return XVS_PARSE_MALFORMED;
	room = p->l3_len - (off - p->l3_off);
	if ((void *)(ic + 1) > c->end || room < sizeof(*ic))
		return XVS_PARSE_OTHER; /* a runt: the kernel drops it */
	if (!icmp_is_error(p->key.af, ic->type))
		return XVS_PARSE_OTHER;
	room -= sizeof(*ic);
	rc = icmp_quote_key(c, p, ic + 1, room);
	if (rc < 0)
		return rc;
	hlen = (__u32)rc & 0x3f; /* at most 60 (IPv4) or 40 (IPv6) */
	ports = (void *)(ic + 1) + hlen;
	if ((void *)(ports + 2) > c->end)
		return XVS_PARSE_MALFORMED;
	p->key.sport = ports[1];
	p->key.dport = ports[0];
	p->tcp_flags = 0;
	p->icmp = 1;
	p->l4_off = (__u16)off;
	p->quote_l4_off = (__u16)((void *)ports - c->start);
	return p->key.proto;
}

/*
 * Translates an ICMP error about a NAT connection, as IPVS's
 * ip_vs_nat_icmp() / ip_vs_nat_icmp_v6():
 *   to_client = 0 (toward the real server): the outer destination, the
 *     quoted source address and the quoted source port become addr:port;
 *   to_client = 1 (toward the client): the outer source, the quoted
 *     destination address and the quoted destination port become
 *     addr:port.
 * p is what icmp_parse() found. Returns 0, or -1 when the headers are not
 * in the frame (cannot happen after icmp_parse; the verifier needs it).
 */
static __always_inline int icmp_nat(struct xdp_md *ctx,
				    const struct xvs_pkt *p, int to_client,
				    const union xvs_addr *addr, __be16 port)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xvs_icmphdr *ic = pkt_hdr(data, p->l4_off);
	__be16 *ports = pkt_hdr(data, p->quote_l4_off);
	__u32 d;

	if ((void *)(ports + 2) > end || (void *)(ic + 1) > end)
		return -1;
	if (p->key.af == XVS_AF_INET) {
		struct iphdr *ip = pkt_hdr(data, p->l3_off);
		struct iphdr *q = (void *)(ic + 1);
		__sum16 qcheck;

		if ((void *)(ip + 1) > end || (void *)(q + 1) > end)
			return -1;
		d = csum_set_addr(to_client ? &ip->saddr : &ip->daddr, addr,
				  XVS_AF_INET, 0);
		csum_apply(&ip->check, d);
		/* ICMP has no pseudo-header: its checksum sees the quoted
		 * header's address, its checksum, and the port change. */
		qcheck = q->check;
		d = csum_set_addr(to_client ? &q->daddr : &q->saddr, addr,
				  XVS_AF_INET, 0);
		csum_apply(&q->check, d);
		d = csum_diff16(d, qcheck, q->check);
		d = csum_set16(&ports[to_client ? 1 : 0], port, d);
		csum_apply(&ic->checksum, d);
		return 0;
	}
	{
		struct ipv6hdr *ip6 = pkt_hdr(data, p->l3_off);
		struct ipv6hdr *q6 = (void *)(ic + 1);

		if ((void *)(ip6 + 1) > end || (void *)(q6 + 1) > end)
			return -1;
		/* ICMPv6's pseudo-header makes the outer address count too. */
		d = csum_set_addr(to_client ? &ip6->saddr : &ip6->daddr, addr,
				  XVS_AF_INET6, 0);
		d = csum_set_addr(to_client ? &q6->daddr : &q6->saddr, addr,
				  XVS_AF_INET6, d);
		d = csum_set16(&ports[to_client ? 1 : 0], port, d);
		csum_apply(&ic->checksum, d);
	}
	return 0;
}

#endif /* XVS_BPF_ICMP_H */
