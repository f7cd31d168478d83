/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Masquerading ("Masq", ipvsadm -m): VS/NAT, both directions.
 *
 * In: a packet for VIP:vport bound to a NAT real server gets the real
 * server's address and port as its destination (the port may differ from
 * the service's: -r RS:8080 for a service on 80), checksums updated
 * incrementally (csum.h), and leaves with the real server's MACs as with
 * DR. Creating the connection also records its reply tuple
 * RS:rport -> client:cport in nat_replies.
 *
 * Out: real servers route their replies through the director (their
 * default gateway), as with IPVS, which does not SNAT the client. A reply
 * is not for a virtual service; when NAT real servers exist, its 5-tuple
 * is looked up in nat_replies. On a hit its source becomes VIP:vport and
 * the kernel's FIB (bpf_fib_lookup) routes it to the client: XDP_TX or a
 * redirect with the MACs the FIB returns, TTL or hop limit decremented as
 * by any router. The FIB answers only when forwarding is enabled on the
 * interface: NAT needs net.ipv4.ip_forward=1 and
 * net.ipv6.conf.all.forwarding=1, as IPVS does.
 *
 * When the FIB knows the route but not the next hop's MAC (the client or
 * its router is not in the neighbour table), the rewritten reply goes to
 * the kernel, which forwards it and resolves the neighbour, so the next
 * replies take the fast path. IPv6 forwards such a packet as is; IPv4
 * drops a packet whose source is one of its own addresses (the VIP) as a
 * martian unless net.ipv4.conf.all.accept_local=1 (with rp_filter 0 or 2
 * on that interface). IPv4 replies without DF that exceed the MTU toward
 * the client are handed over the same way, for the kernel to fragment.
 *
 * Replies the kernel must answer for itself go to it untouched: TTL about
 * to expire, too big with DF (or IPv6), no route. The kernel then sends
 * the real server time exceeded, fragmentation needed or unreachable, as
 * it does under IPVS, whose NAT rewrite runs after those checks.
 *
 * Reverse entries (nat_rev.h) go with their connection. They are never
 * trusted alone: an entry whose connection is gone (the connection table
 * is an LRU and may forget first), expired, or now bound to another real
 * server is a miss and is deleted.
 */
#ifndef XVS_BPF_FWD_NAT_H
#define XVS_BPF_FWD_NAT_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "conn.h"
#include "csum.h"
#include "icmp.h"
#include "maps.h"
#include "nat_rev.h"
#include "xmit.h"
#include "frag.h"

#define NAT_AF_INET 2   /* AF_INET, for bpf_fib_lookup */
#define NAT_AF_INET6 10 /* AF_INET6 */

/* The source (to_client) or destination address, and the IPv4 header
 * checksum; *d gets the difference, for a checksum with a pseudo-header. */
static __always_inline int nat_set_addr(struct xdp_md *ctx,
					const struct xvs_pkt *p, int to_client,
					const union xvs_addr *addr, __u32 *d)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	if (p->key.af == XVS_AF_INET) {
		struct iphdr *ip = pkt_hdr(data, p->l3_off);

		if ((void *)(ip + 1) > end)
			return -1;
		*d = csum_set_addr(to_client ? &ip->saddr : &ip->daddr, addr,
				   XVS_AF_INET, 0);
		csum_apply(&ip->check, *d);
	} else {
		struct ipv6hdr *ip6 = pkt_hdr(data, p->l3_off);

		if ((void *)(ip6 + 1) > end)
			return -1;
		*d = csum_set_addr(to_client ? &ip6->saddr : &ip6->daddr, addr,
				   XVS_AF_INET6, 0);
	}
	return 0;
}

/*
 * Rewrites a TCP or UDP packet's source (to_client) or destination
 * address and port to addr:port: the address, the IPv4 header checksum,
 * the port, and the TCP/UDP checksum, which covers both through its
 * pseudo-header (for a first fragment, the whole datagram's, which an
 * incremental update keeps right). A later fragment (p->l4_off 0) has no
 * transport header: only its address changes. Returns 0, or -1 for a
 * UDP/IPv6 datagram without checksum (invalid, RFC 8200; left alone) or
 * headers not in the frame.
 */
static __always_inline int nat_rewrite(struct xdp_md *ctx,
				       const struct xvs_pkt *p, int to_client,
				       const union xvs_addr *addr, __be16 port)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct tcphdr *th = pkt_hdr(data, p->l4_off);
	struct udphdr *uh = pkt_hdr(data, p->l4_off);
	__u32 d = 0;

	if (!p->l4_off)
		return nat_set_addr(ctx, p, to_client, addr, &d);
	/* Checks where each header is used: one chosen by a condition
	 * compiles to a check the verifier cannot follow. */
	if (p->key.proto == IPPROTO_TCP) {
		if ((void *)(th + 1) > end ||
		    nat_set_addr(ctx, p, to_client, addr, &d))
			return -1;
		d = csum_set16(to_client ? &th->source : &th->dest, port, d);
		csum_apply(&th->check, d);
		return 0;
	}
	if ((void *)(uh + 1) > end ||
	    (p->key.af == XVS_AF_INET6 && !uh->check) ||
	    nat_set_addr(ctx, p, to_client, addr, &d))
		return -1;
	d = csum_set16(to_client ? &uh->source : &uh->dest, port, d);
	csum_apply_udp(&uh->check, d);
	return 0;
}

/* The flow's own packet or an ICMP error about it (icmp.h), either way. */
static __always_inline int nat_translate(struct xdp_md *ctx,
					 const struct xvs_pkt *p, int to_client,
					 const union xvs_addr *addr,
					 __be16 port)
{
	if (p->icmp)
		return icmp_nat(ctx, p, to_client, addr, port);
	return nat_rewrite(ctx, p, to_client, addr, port);
}

/* Toward the real server; the caller sets the MACs as for DR and
 * transmits. Returns 0 or -1 (drop: see nat_rewrite). */
static __always_inline int fwd_nat_in(struct xdp_md *ctx,
				      const struct xvs_pkt *p,
				      const struct xvs_dest_dp *dest)
{
	return nat_translate(ctx, p, 0, &dest->addr, nat_rport(dest, &p->key));
}

/* Records the reply tuple of a NAT connection just created for p. */
static __always_inline void nat_conn_created(const struct xvs_pkt *p,
					     const struct xvs_dest_dp *dest)
{
	struct xvs_conn_key r;

	nat_rev_key(&p->key, dest, &r);
	bpf_map_update_elem(&nat_replies, &r, &p->key, BPF_ANY);
}

/*
 * The real server of the connection key names, if the connection is live
 * and bound to a NAT real server that sends from the reply's source; NULL
 * otherwise. A dead entry met here is removed, as conn_lookup() does.
 */
static __always_inline struct xvs_dest_dp *
nat_reply_dest(const struct xvs_conn_key *key, const struct xvs_pkt *p,
	       __u64 now, struct xvs_conn **cpp)
{
	struct xvs_conn *cp = bpf_map_lookup_elem(&conns, key);
	struct xvs_dest_dp *dest;
	__u32 dest_id;

	if (!cp || (READ_SF(cp) & xvs_conn_flag_word(XVS_CONN_F_DEAD)))
		return NULL;
	if (xvs_conn_expired(cp, now)) {
		conn_remove(key, cp);
		return NULL;
	}
	dest_id = cp->dest_id;
	dest = bpf_map_lookup_elem(&dests, &dest_id);
	/* A later fragment has no ports; its first fragment was checked. */
	if (!dest || dest->gen != cp->dest_gen || dest->fwd != XVS_FWD_NAT ||
	    (p->l4_off && nat_rport(dest, key) != p->key.sport) ||
	    !nat_addr_eq(&dest->addr, &p->key.saddr))
		return NULL;
	*cpp = cp;
	return dest;
}

/*
 * Fills the FIB query for the reply as it will be once rewritten (source
 * VIP, destination as in the packet) and returns its TTL or hop limit;
 * *may_frag says an IPv4 packet without DF. -1: headers not in the frame.
 */
static __always_inline int nat_fib_query(struct xdp_md *ctx,
					 const struct xvs_pkt *p,
					 const union xvs_addr *vip, __be16 vport,
					 struct bpf_fib_lookup *fib, int *may_frag)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	fib->ifindex = ctx->ingress_ifindex;
	fib->tot_len = (__u16)p->l3_len;
	if (!p->icmp) {
		fib->sport = vport;
		fib->dport = p->key.dport;
	}
	if (p->key.af == XVS_AF_INET) {
		struct iphdr *ip = pkt_hdr(data, p->l3_off);

		if ((void *)(ip + 1) > end)
			return -1;
		fib->family = NAT_AF_INET;
		fib->tos = ip->tos;
		fib->l4_protocol = ip->protocol;
		fib->ipv4_src = vip->v4;
		fib->ipv4_dst = ip->daddr;
		*may_frag = !(ip->frag_off & bpf_htons(IP_DF));
		return ip->ttl;
	}
	{
		struct ipv6hdr *ip6 = pkt_hdr(data, p->l3_off);

		if ((void *)(ip6 + 1) > end)
			return -1;
		fib->family = NAT_AF_INET6;
		fib->flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0fffffff);
		fib->l4_protocol = ip6->nexthdr;
		__builtin_memcpy(fib->ipv6_src, vip, 16);
		__builtin_memcpy(fib->ipv6_dst, &ip6->daddr, 16);
		*may_frag = 0;
		return ip6->hop_limit;
	}
}

/* One routed hop: TTL or hop limit down by one, the FIB's MACs. */
static __always_inline int nat_hop(struct xdp_md *ctx, const struct xvs_pkt *p,
				   const struct bpf_fib_lookup *fib)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	if (p->key.af == XVS_AF_INET) {
		struct iphdr *ip = pkt_hdr(data, p->l3_off);
		__u16 *ttl_proto = (__u16 *)&ip->ttl, old;

		if ((void *)(ip + 1) > end)
			return -1;
		old = *ttl_proto;
		ip->ttl--;
		csum_apply(&ip->check, csum_diff16(0, old, *ttl_proto));
	} else {
		struct ipv6hdr *ip6 = pkt_hdr(data, p->l3_off);

		if ((void *)(ip6 + 1) > end)
			return -1;
		ip6->hop_limit--;
	}
	__builtin_memcpy(eth->h_dest, fib->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib->smac, ETH_ALEN);
	return 0;
}

static __always_inline void nat_stats_out(struct xvs_stats *s, __u32 len)
{
	if (s) {
		s->outpkts++;
		s->outbytes += len;
	}
}

/* A reply counts in OutPkts and OutBytes of its service and real server. */
static __always_inline void nat_count_out(const struct xvs_dest_dp *dest,
					  __u32 dest_id, __u32 len)
{
	__u32 svc_id = dest->svc_id;

	nat_stats_out(bpf_map_lookup_elem(&svc_stats, &svc_id), len);
	nat_stats_out(bpf_map_lookup_elem(&dest_stats, &dest_id), len);
}

/*
 * Sends a reply of the NAT connection key names to the client as from
 * VIP:vport. Returns an XDP verdict, or -1 when the connection is gone
 * (the caller passes the packet to the kernel).
 */
static __always_inline int nat_reply_of(struct xdp_md *ctx, struct xvs_pkt *p,
					const struct xvs_conn_key *key,
					struct xvs_global_stats *gs)
{
	struct bpf_fib_lookup fib = {};
	struct xvs_conn *cp = NULL;
	struct xvs_dest_dp *dest;
	int ttl, rc, may_frag = 0;
	__u64 now = bpf_ktime_get_coarse_ns();

	dest = nat_reply_dest(key, p, now, &cp);
	if (!dest || !cp)
		return -1;

	ttl = nat_fib_query(ctx, p, &key->daddr, key->dport, &fib, &may_frag);
	if (ttl < 0)
		return XDP_DROP;
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	if (ttl <= 1 ||
	    (rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH &&
	     !(rc == BPF_FIB_LKUP_RET_FRAG_NEEDED && may_frag))) {
		COUNT(nat_reply_untouched);
		return XDP_PASS;
	}
	if (nat_translate(ctx, p, 1, &key->daddr, key->dport)) {
		COUNT(drop_malformed);
		return XDP_DROP;
	}
	nat_count_out(dest, cp->dest_id, p->l3_len);
	frag_remember(p, cp->dest_id, cp->dest_gen, key);
	if (p->icmp)
		COUNT(icmp_to_client); /* no state, no timer: as IPVS */
	else if (p->l4_off) /* a later fragment has no flags to act on */
		conn_update_out(cp, p, now);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS) {
		COUNT(nat_reply_kernel);
		return XDP_PASS;
	}
	if (nat_hop(ctx, p, &fib))
		return XDP_DROP;
	COUNT(nat_reply_fwd);
	return xmit(ctx, fib.ifindex, gs);
}

/*
 * A packet not for a virtual service: if it is a reply of a NAT
 * connection (or an ICMP error about one, p->icmp), sends it to the client
 * as from VIP:vport. known names the connection when the caller already
 * knows it (a later fragment, frag.h); otherwise the reply tuple is looked
 * up. Returns an XDP verdict, or -1 when it is none of ours (the caller
 * passes it to the kernel).
 */
static __always_inline int nat_reply(struct xdp_md *ctx, struct xvs_pkt *p,
				     const struct xvs_conn_key *known,
				     struct xvs_global_stats *gs)
{
	const struct xvs_conn_key *key = known;
	int verdict;

	if (!key)
		key = bpf_map_lookup_elem(&nat_replies, &p->key);
	if (!key)
		return -1;
	verdict = nat_reply_of(ctx, p, key, gs);
	if (verdict < 0 && !known) {
		bpf_map_delete_elem(&nat_replies, &p->key);
		COUNT(nat_reply_stale);
	}
	return verdict;
}

#endif /* XVS_BPF_FWD_NAT_H */
