// SPDX-License-Identifier: GPL-2.0
/*
 * The xvs data plane, attached at XDP on the director's interfaces.
 *
 * The path of a packet:
 *   parse Ethernet, IPv4/IPv6, TCP/UDP          (anything else: XDP_PASS)
 *     ICMP/ICMPv6: an error about a tracked connection goes its way
 *     (icmp.h); any other ICMP is the kernel's
 *   look up the virtual service: fwmark (mark   (none: a NAT reply is
 *   rules), address:port, FTP, port zero         sent to the client,
 *   (svc_find.h)                                 the rest XDP_PASS)
 *   look up the connection                      (5-tuple)
 *     live entry    -> its real server
 *     none, and a new flow (TCP SYN, any UDP) -> the client's persistence
 *                                               template's, or the
 *                                               scheduler's pick
 *                                               (sched_persist.h); -o UDP
 *                                               leaves no entry
 *     none, TCP without SYN                     (XDP_PASS: the kernel RSTs)
 *   forward by the real server's method         (XDP_TX or redirect)
 * Every decision is counted in global_stats; nothing is logged per packet.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "maps.h"
#include "parse.h"
#include "conn.h"
#include "conn_reap.h"
#include "schedule.h"
#include "svc_find.h"
#include "sched_persist.h"
#include "fwd_dr.h"
#include "fwd_tun.h"
#include "fwd_nat.h"
#include "icmp.h"
#include "frag.h"
#include "xmit.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline void count_traffic(__u32 svc_id, __u32 dest_id,
					  __u32 len, int new_conn)
{
	struct xvs_stats *s = bpf_map_lookup_elem(&svc_stats, &svc_id);

	if (s) {
		s->inpkts++;
		s->inbytes += len;
		s->conns += new_conn;
	}
	s = bpf_map_lookup_elem(&dest_stats, &dest_id);
	if (s) {
		s->inpkts++;
		s->inbytes += len;
		s->conns += new_conn;
	}
}

/* Sends the rewritten frame toward dest: out of the interface it came in
 * on, or redirected to the one the real server is behind. */
static __always_inline int transmit(struct xdp_md *ctx,
				    const struct xvs_dest_dp *dest,
				    struct xvs_global_stats *gs)
{
	return xmit(ctx, dest->ifindex, gs);
}

/* One forwarding method per file (fwd_*.h); each rewrites the frame. */
static __always_inline int forward(struct xdp_md *ctx, struct xvs_pkt *p,
				   const struct xvs_dest_dp *dest,
				   struct xvs_global_stats *gs)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	switch (dest->fwd) {
	case XVS_FWD_DR:
		fwd_dr(eth, dest);
		return transmit(ctx, dest, gs);
	case XVS_FWD_TUN: {
		int verdict = fwd_tun(ctx, p, dest, gs);

		return verdict == XVS_TUN_TRANSMIT ? transmit(ctx, dest, gs)
						   : verdict;
	}
	case XVS_FWD_NAT:
		if (fwd_nat_in(ctx, p, dest)) {
			COUNT(drop_malformed);
			return XDP_DROP;
		}
		fwd_dr(eth, dest);
		return transmit(ctx, dest, gs);
	}
	(void)p;
	COUNT(drop_unsupported);
	return XDP_DROP;
}

/* Not for a virtual service: a NAT real server's reply (or an ICMP error
 * about one) goes to the client, the rest to the kernel. Replies are
 * looked for only while NAT real servers exist. */
static __always_inline int not_for_vs(struct xdp_md *ctx, struct xvs_pkt *p,
				      const struct xvs_conn_key *known,
				      struct xvs_global_stats *gs)
{
	if (xvs_config.nat_dests) {
		int verdict = nat_reply(ctx, p, known, gs);

		if (verdict >= 0)
			return verdict;
	}
	COUNT(pass_not_vs);
	return XDP_PASS;
}

/* handle_icmp's "not about a virtual-service connection": the caller
 * treats it as any packet not for a virtual service. */
#define XVS_NOT_VS -1

/*
 * An ICMP or ICMPv6 message (icmp.h). An error about a tracked connection
 * goes to its real server, unchanged for DR and TUN, translated for NAT
 * (counted as the flow's incoming packet, as IPVS does), or, quoting a
 * NAT reply tuple, to the client. As in IPVS it creates no connection,
 * moves no state and restarts no timer. Everything else ICMP is the
 * kernel's.
 */
static __always_inline int handle_icmp(struct xdp_md *ctx,
				       struct xvs_cursor *c, struct xvs_pkt *p,
				       struct xvs_global_stats *gs)
{
	enum xvs_conn_found found;
	struct xvs_dest_dp *dest;
	struct xvs_conn *cp;
	__u32 dest_id;
	int rc = icmp_parse(c, p);

	if (rc == XVS_PARSE_MALFORMED) {
		COUNT(drop_icmp_truncated);
		return XDP_DROP;
	}
	if (rc < 0) {
		COUNT(pass_not_vs);
		return XDP_PASS;
	}
	cp = conn_lookup(p, bpf_ktime_get_coarse_ns(), &found);
	if (found == XVS_CONN_EXPIRED)
		COUNT(conn_expired);
	if (!cp)
		return XVS_NOT_VS;
	dest_id = cp->dest_id;
	dest = bpf_map_lookup_elem(&dests, &dest_id);
	if (!dest || dest->gen != cp->dest_gen ||
	    !(dest->flags & XVS_DEST_F_RESOLVED)) {
		COUNT(pass_not_vs);
		return XDP_PASS;
	}
	COUNT(icmp_to_dest);
	count_traffic(dest->svc_id, dest_id, p->l3_len, 0);
	return forward(ctx, p, dest, gs);
}

SEC("xdp")
int xvs_xdp(struct xdp_md *ctx)
{
	struct xvs_cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	const struct xvs_conn_key *known = NULL; /* a NAT reply's connection */
	struct xvs_global_stats *gs;
	struct xvs_pkt *p;
	struct xvs_svc_dp *svc;
	struct xvs_dest_dp *dest;
	struct xvs_persist ps;
	struct xvs_conn *cp;
	struct ethhdr *eth;
	__u32 zero = 0, dest_id;
	enum xvs_conn_found found;
	int proto, new_conn = 0, created;
	__u64 now;
	__s64 pick;

	gs = bpf_map_lookup_elem(&global_stats, &zero);
	COUNT(rx_packets);
	/* The packet's facts live in per-CPU scratch, not on the 512-byte
	 * stack, which the forwarding paths need. */
	p = bpf_map_lookup_elem(&pkt_scratch, &zero);
	if (!p)
		return XDP_PASS;
	__builtin_memset(p, 0, sizeof(*p));

	proto = parse_eth(&c, &eth);
	if (proto == ETH_P_IP)
		proto = parse_ipv4(&c, p);
	else if (proto == ETH_P_IPV6)
		proto = parse_ipv6(&c, p);
	else
		goto pass_not_vs;
	if ((proto == IPPROTO_ICMP && p->key.af == XVS_AF_INET) ||
	    (proto == IPPROTO_ICMPV6 && p->key.af == XVS_AF_INET6)) {
		int verdict = handle_icmp(ctx, &c, p, gs);

		if (verdict != XVS_NOT_VS)
			return verdict;
		goto not_vs;
	}
	if (proto >= 0)
		proto = parse_l4(&c, p, proto);

	if (proto == XVS_PARSE_MALFORMED) {
		COUNT(drop_malformed);
		return XDP_DROP;
	}
	if (proto == XVS_PARSE_FRAGMENT) {
		/*
		 * A later fragment follows its datagram's first (frag.h): to
		 * the same real server, or to the client as a NAT reply.
		 * Without a record of the first it goes to the kernel, never
		 * to a guessed real server.
		 */
		struct xvs_frag *f = frag_find(p);

		if (!f) {
			COUNT(pass_fragment);
			return XDP_PASS;
		}
		COUNT(frag_follow);
		if (f->reply) {
			known = &f->conn;
			goto not_vs;
		}
		dest_id = f->dest_id;
		dest = bpf_map_lookup_elem(&dests, &dest_id);
		if (!dest || dest->gen != f->dest_gen) {
			COUNT(drop_dest_gone);
			return XDP_DROP;
		}
		goto send;
	}
	if (proto < 0)
		goto pass_not_vs;

	svc = svc_find(p, gs);
	if (!svc)
		goto not_vs;

	now = bpf_ktime_get_coarse_ns();
	cp = conn_lookup(p, now, &found);
	if (found == XVS_CONN_EXPIRED)
		COUNT(conn_expired);
	else if (found == XVS_CONN_REUSED)
		COUNT(conn_reused); /* a new connection on a closed one's ports */

	if (cp) {
		dest_id = cp->dest_id;
		dest = bpf_map_lookup_elem(&dests, &dest_id);
		if (!dest || dest->gen != cp->dest_gen) {
			/*
			 * The real server was deleted. As IPVS with
			 * expire_nodest_conn=1: drop the packet and the entry;
			 * later packets of the flow find no entry and go to
			 * the kernel, which resets the connection.
			 */
			conn_remove(&p->key, cp);
			COUNT(drop_dest_gone);
			return XDP_DROP;
		}
		conn_update_in(cp, p, now);
	} else {
		if (p->key.proto == IPPROTO_TCP && !conn_is_syn(p)) {
			/* Not a connection start: as IPVS, do not schedule. */
			COUNT(pass_no_conn);
			return XDP_PASS;
		}
		xvs_persist_of(&ps, svc, p->key.dport);
		pick = svc_schedule(p, svc, &ps, now, gs);
		if (pick == XVS_PERSIST_BUSY) {
			COUNT(drop_conn_busy);
			return XDP_DROP;
		}
		if (pick == XVS_SCHED_BUSY) {
			COUNT(drop_sched_busy);
			return XDP_DROP;
		}
		if (pick < 0) {
			/* No real server: the kernel answers for the VIP
			 * (RST or port unreachable), as IPVS does. */
			COUNT(pass_no_dest);
			return XDP_PASS;
		}
		dest_id = (__u32)pick;
		dest = bpf_map_lookup_elem(&dests, &dest_id);
		if (!dest || !dest->gen) {
			COUNT(pass_no_dest);
			return XDP_PASS;
		}
		new_conn = 1;
		if (svc_one_packet(svc, p)) {
			COUNT(one_packet); /* no entry: the next is new again */
			goto send;
		}
		created = conn_create(p, dest_id, dest, now,
				      svc->flags & XVS_SVC_F_PERSISTENT ? &ps
									 : NULL);
		if (created < 0) {
			COUNT(drop_conn_busy);
			return XDP_DROP;
		}
		if (created > 0)
			COUNT(conn_evicted);
		COUNT(conn_new);
		if (dest->fwd == XVS_FWD_NAT)
			nat_conn_created(p, dest);
	}

send:
	if (!(dest->flags & XVS_DEST_F_RESOLVED)) {
		COUNT(drop_unresolved);
		return XDP_DROP;
	}
	count_traffic(dest->svc_id, dest_id, p->l3_len, new_conn);
	frag_remember(p, dest_id, dest->gen, NULL);
	return forward(ctx, p, dest, gs);

not_vs:
	/* The one call site: nat_reply() is large, and inlined. */
	return not_for_vs(ctx, p, known, gs);

pass_not_vs:
	COUNT(pass_not_vs);
	return XDP_PASS;
}
