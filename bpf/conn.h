/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection table in the data plane: find a packet's connection,
 * decide whether it is still alive, create one for a new flow.
 *
 * Timeouts are idle times checked on lookup, so expired entries cost
 * nothing until touched; the LRU evicts what is never touched again.
 */
#ifndef XVS_BPF_CONN_H
#define XVS_BPF_CONN_H

#include "maps.h"
#include "parse.h"

/* Run-time settings, memory-mapped by the daemon. */
struct xvs_dp_config xvs_config = {
	.tcp_timeout_s = XVS_TCP_TIMEOUT_S,
	.tcp_fin_timeout_s = XVS_TCP_FIN_TIMEOUT_S,
	.udp_timeout_s = XVS_UDP_TIMEOUT_S,
};

#define NSEC_PER_SEC 1000000000ull
/* last_seen is refreshed at most this often, to keep the entry's cache
 * line clean on busy flows; expiry is accurate to this much. */
#define XVS_CONN_TOUCH_NS (NSEC_PER_SEC / 4)

static __always_inline __u16 conn_timeout(const struct xvs_pkt *p, __u16 flags)
{
	if (p->key.proto == IPPROTO_UDP)
		return xvs_config.udp_timeout_s;
	if (flags & XVS_CONN_F_CLOSING)
		return xvs_config.tcp_fin_timeout_s;
	return xvs_config.tcp_timeout_s;
}

static __always_inline int conn_expired(const struct xvs_conn *cp, __u64 now)
{
	return now - cp->last_seen_ns > (__u64)cp->timeout_s * NSEC_PER_SEC;
}

/*
 * Updates a live entry for this packet: idle timer, and the closing state
 * on FIN or RST.
 */
static __always_inline void conn_touch(struct xvs_conn *cp,
				       const struct xvs_pkt *p, __u64 now)
{
	if ((p->tcp_flags & (XVS_TCP_FIN | XVS_TCP_RST)) &&
	    !(cp->flags & XVS_CONN_F_CLOSING)) {
		cp->flags |= XVS_CONN_F_CLOSING;
		cp->timeout_s = conn_timeout(p, cp->flags);
	}
	if (now - cp->last_seen_ns >= XVS_CONN_TOUCH_NS)
		cp->last_seen_ns = now;
}

static __always_inline int conn_create(const struct xvs_pkt *p, __u32 dest_id,
				       __u32 dest_gen, __u64 now)
{
	struct xvs_conn c = {
		.last_seen_ns = now,
		.dest_id = dest_id,
		.dest_gen = dest_gen,
	};

	c.timeout_s = conn_timeout(p, 0);
	return bpf_map_update_elem(&conns, &p->key, &c, BPF_ANY);
}

#endif /* XVS_BPF_CONN_H */
