/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection table in the data plane, as IPVS's (the rules are in
 * core/tcp_state.h): find a packet's connection, create one for a new
 * flow, move it through IPVS's states on every packet, and keep each real
 * server's ActiveConn and InActConn (dest_conns) as IPVS counts them.
 *
 * Expiry costs nothing on the packet path: an entry idle longer than its
 * state's timeout is dead and lookups treat it as absent. Whoever meets a
 * dead entry first removes it and releases its count: a packet of the
 * same 5-tuple here, or the daemon's incremental sweep, which hands the
 * keys it found dead to xvs_conn_reap (bpf/conn_reap.h).
 *
 * Without locks, every count moves exactly once:
 *  - state and flags are one word (xvs_conn.sf) changed by compare-and-
 *    swap, so of two CPUs racing on one connection only one moves its
 *    count from InActConn to ActiveConn or back;
 *  - removal is claimed by setting XVS_CONN_F_DEAD with an atomic or:
 *    only the claimer releases the count and deletes the entry;
 *  - entries are inserted with BPF_NOEXIST, so a claimer's delete never
 *    removes an entry it did not claim.
 * What stays racy is what any lookup in an LRU hash shares: an entry
 * deleted between another CPU's lookup and its use is recycled at once,
 * so that CPU may touch the new tenant. That needs a packet of the dying
 * flow within nanoseconds of its removal, and costs at most one wrong
 * count.
 *
 * Counts of a connection whose real server was deleted are never touched:
 * the server's id may belong to a new one, whose counts start at zero.
 */
#ifndef XVS_BPF_CONN_H
#define XVS_BPF_CONN_H

#include "maps.h"
#include "nat_rev.h"
#include "parse.h"
#include "persist.h"
#include "tcp_state.h"
#include "threshold.h"

/* Run-time settings, memory-mapped by the daemon. */
struct xvs_dp_config xvs_config = {
	.tcp_timeout_s = XVS_TCP_TIMEOUTS,
	.udp_timeout_s = XVS_UDP_TIMEOUT_S,
	.lblc_expiration_s = XVS_LOCALITY_EXPIRATION_S,
	.lblcr_expiration_s = XVS_LOCALITY_EXPIRATION_S,
};

/* Capacity of conns, set by the daemon before loading. */
const volatile __u32 xvs_conn_capacity = 262144;

/* Entries inserted minus entries removed here and by the reaper: what the
 * table holds unless the LRU evicted some. */
__u64 xvs_conn_entries;

/* last_seen is refreshed at most this often, to keep the entry's cache
 * line clean on busy flows; expiry is accurate to this much. */
#define XVS_CONN_TOUCH_NS (XVS_NSEC_PER_SEC / 4)
/* Compare-and-swap attempts on one entry before giving up a transition. */
#define XVS_CONN_CAS_TRIES 4

/* clang 14 cannot lower __atomic_load_n for BPF: an aligned load is
 * single-copy atomic, and the compare-and-swap orders what matters. */
#define READ_SF(cp) (*(volatile __u32 *)&(cp)->sf)

/* Outcome of conn_lookup, for the counters. */
enum xvs_conn_found {
	XVS_CONN_LIVE = 0, /* a live entry */
	XVS_CONN_NONE,     /* no entry, or one being removed by someone else */
	XVS_CONN_EXPIRED,  /* a dead entry, removed now */
	XVS_CONN_REUSED,   /* a SYN on a TIME_WAIT/CLOSE entry, removed now */
};

/* A segment that starts a connection: SYN without ACK or RST. */
static __always_inline int conn_is_syn(const struct xvs_pkt *p)
{
	return (p->tcp_flags & (XVS_TCP_SYN | XVS_TCP_ACK | XVS_TCP_RST)) ==
	       XVS_TCP_SYN;
}

/* The counts of a connection's real server, NULL when that server is
 * gone (its id may belong to another by now). */
static __always_inline struct xvs_dest_conns *conn_counts(__u32 dest_id,
							  __u32 dest_gen)
{
	struct xvs_dest_dp *d = bpf_map_lookup_elem(&dests, &dest_id);

	if (!d || d->gen != dest_gen)
		return NULL;
	return bpf_map_lookup_elem(&dest_conns, &dest_id);
}

/* Adds delta to the count the flags word sf belongs to: PersistConn for
 * a template, else InActConn or ActiveConn. */
static __always_inline void conn_count(struct xvs_dest_conns *c, __u32 sf,
				       __s32 delta)
{
	if (!c)
		return;
	if (sf & xvs_conn_flag_word(XVS_CONN_F_TEMPLATE))
		__sync_fetch_and_add(&c->persistconns, (__u32)delta);
	else if (sf & xvs_conn_flag_word(XVS_CONN_F_INACTIVE))
		__sync_fetch_and_add(&c->inactconns, (__u32)delta);
	else
		__sync_fetch_and_add(&c->activeconns, (__u32)delta);
}

/* clang 14 cannot lower __atomic_load_n for BPF: a plain aligned load. */
#define READ_U32(x) (*(volatile __u32 *)&(x))

/*
 * IPVS's ip_vs_bind_dest: counts a new entry (connection or template) on
 * its real server, which becomes OVERLOAD when it reaches its upper
 * threshold (core/threshold.h). Two CPUs binding at once may both see
 * the threshold reached; setting the flag twice is harmless.
 */
static __always_inline void conn_bind(struct xvs_dest_conns *c, __u32 sf)
{
	if (!c)
		return;
	conn_count(c, sf, 1);
	if (xvs_threshold_reached(READ_U32(c->u_threshold),
				  READ_U32(c->activeconns),
				  READ_U32(c->inactconns)))
		__sync_fetch_and_or(&c->flags, XVS_DEST_CONNS_OVERLOAD);
}

/* IPVS's ip_vs_unbind_dest: releases an entry's count; an OVERLOAD server
 * below its lower threshold (or 3/4 of its upper) is available again. */
static __always_inline void conn_unbind(struct xvs_dest_conns *c, __u32 sf)
{
	if (!c)
		return;
	conn_count(c, sf, -1);
	if (!(READ_U32(c->flags) & XVS_DEST_CONNS_OVERLOAD))
		return;
	if (xvs_threshold_cleared(READ_U32(c->u_threshold),
				  READ_U32(c->l_threshold),
				  READ_U32(c->activeconns),
				  READ_U32(c->inactconns)))
		__sync_fetch_and_and(&c->flags, ~XVS_DEST_CONNS_OVERLOAD);
}

/*
 * Adds delta to the connections the template of connection k (under
 * persistence ps) controls, if that template is still the one bound to
 * dest_id of generation dest_gen: a template found invalid and replaced
 * meanwhile is another server's, and not ours to change. tk is the
 * caller's room for the template's key.
 */
static __always_inline void conn_tpl_control(struct xvs_conn_key *tk,
					     const struct xvs_conn_key *k,
					     const struct xvs_persist *ps,
					     __u32 dest_id, __u32 dest_gen,
					     __s32 delta)
{
	struct xvs_conn *ct;

	xvs_persist_key(tk, k, ps);
	ct = bpf_map_lookup_elem(&conns, tk);
	if (ct && ct->dest_id == dest_id && ct->dest_gen == dest_gen)
		__sync_fetch_and_add(&ct->n_control, delta);
}

/*
 * Removes the entry cp of key if we are the first to claim it: releases
 * its count and its hold on its template, deletes it. Returns 1 if we
 * removed it, 0 if someone else had claimed it (and removes it).
 */
static __noinline int conn_remove(const struct xvs_conn_key *key,
				       struct xvs_conn *cp)
{
	__u32 dead = xvs_conn_flag_word(XVS_CONN_F_DEAD);
	__u32 old = __sync_fetch_and_or(&cp->sf, dead);
	struct xvs_conn_key tmp; /* a template's key, then a reply tuple */
	struct xvs_persist ps;

	if (old & dead)
		return 0;
	conn_unbind(conn_counts(cp->dest_id, cp->dest_gen), old);
	if (old & xvs_conn_flag_word(XVS_CONN_F_CONTROLLED)) {
		xvs_persist_load(&ps, cp);
		conn_tpl_control(&tmp, key, &ps, cp->dest_id, cp->dest_gen, -1);
	}
	if (!(old & xvs_conn_flag_word(XVS_CONN_F_TEMPLATE)))
		nat_rev_forget(key, cp->dest_id, cp->dest_gen, &tmp);
	bpf_map_delete_elem(&conns, key);
	__sync_fetch_and_add(&xvs_conn_entries, (__u64)-1);
	return 1;
}

/*
 * The packet's live connection, or NULL. A dead entry is removed (its
 * count released); so is the entry a SYN finds in TIME_WAIT or CLOSE, as
 * IPVS's conn_reuse_mode, so that the SYN is scheduled anew. *found says
 * which happened.
 */
static __noinline struct xvs_conn *
conn_lookup(const struct xvs_pkt *p, __u64 now, enum xvs_conn_found *found)
{
	struct xvs_conn *cp = bpf_map_lookup_elem(&conns, &p->key);
	__u32 sf;

	*found = XVS_CONN_NONE;
	if (!cp)
		return NULL;
	sf = READ_SF(cp);
	if (sf & xvs_conn_flag_word(XVS_CONN_F_DEAD))
		return NULL;
	if (xvs_conn_expired(cp, now)) {
		conn_remove(&p->key, cp);
		*found = XVS_CONN_EXPIRED;
		return NULL;
	}
	if (conn_is_syn(p) &&
	    xvs_conn_reusable(p->key.proto, sf, XVS_CONN_REUSE_MODE)) {
		conn_remove(&p->key, cp);
		*found = XVS_CONN_REUSED;
		return NULL;
	}
	*found = XVS_CONN_LIVE;
	return cp;
}

/* Resets the idle timer (at most every XVS_CONN_TOUCH_NS). */
static __always_inline void conn_touch(struct xvs_conn *cp, __u64 now)
{
	if (now - cp->last_seen_ns >= XVS_CONN_TOUCH_NS)
		cp->last_seen_ns = now;
}

/*
 * One packet of cp in direction dir (enum xvs_conn_dir): IPVS's state
 * transition with its count move, then the timeout of the new state and
 * the idle timer, as ip_vs_set_state and ip_vs_conn_put do. An ICMP error
 * about the flow changes no state but keeps the entry alive, as in IPVS.
 */
static __noinline void conn_update(struct xvs_conn *cp,
				    const struct xvs_pkt *p, int dir, __u64 now)
{
	__u32 dead = xvs_conn_flag_word(XVS_CONN_F_DEAD);
	__u32 inactive = xvs_conn_flag_word(XVS_CONN_F_INACTIVE);
	__u32 old = 0, new = 0, timeout;
	struct xvs_conn c;
	int done = 0;

	if (p->icmp) {
		conn_touch(cp, now);
		return;
	}
	for (int i = 0; i < XVS_CONN_CAS_TRIES && !done; i++) {
		old = READ_SF(cp);
		if (old & dead)
			return; /* being removed: leave it alone */
		new = xvs_conn_step(old, p->key.proto, dir, p->tcp_flags);
		done = new == old ||
		       __sync_val_compare_and_swap(&cp->sf, old, new) == old;
	}
	if (!done)
		return; /* others keep changing it; their packets count */
	if ((old ^ new) & inactive) {
		struct xvs_dest_conns *cnt =
			conn_counts(cp->dest_id, cp->dest_gen);

		conn_count(cnt, new, 1);
		conn_count(cnt, old, -1);
	}
	c.sf = new;
	timeout = xvs_conn_timeout(&xvs_config, p->key.proto, c.state);
	if (cp->timeout_s != timeout)
		cp->timeout_s = timeout;
	conn_touch(cp, now);
}

/* A packet toward the real server; its entry knows whether the director
 * sees the replies (NAT) or not (DR, TUN: INPUT-ONLY rows). */
static __always_inline void conn_update_in(struct xvs_conn *cp,
					   const struct xvs_pkt *p, __u64 now)
{
	conn_update(cp, p, XVS_DIR_INPUT, now);
}

/* A reply from the real server through the director (NAT). */
static __always_inline void conn_update_out(struct xvs_conn *cp,
					    const struct xvs_pkt *p, __u64 now)
{
	conn_update(cp, p, XVS_DIR_OUTPUT, now);
}

/*
 * Inserts the new entry c (a connection or a template) under key and
 * counts it. Returns 0, 1 when the table was full (the LRU evicted a live
 * entry to make room, its count still held), or -1 when the key is still
 * taken (an entry being removed, or one created at the same moment on
 * another CPU): no entry, nothing counted.
 */
static __always_inline int conn_insert(const struct xvs_conn_key *key,
				       const struct xvs_conn *c)
{
	__u32 dest_id = c->dest_id;
	__u64 n;

	if (bpf_map_update_elem(&conns, key, c, BPF_NOEXIST))
		return -1;
	conn_bind(bpf_map_lookup_elem(&dest_conns, &dest_id), c->sf);
	n = __sync_fetch_and_add(&xvs_conn_entries, 1);
	if (n < xvs_conn_capacity)
		return 0;
	__sync_fetch_and_add(&xvs_conn_entries, (__u64)-1);
	return 1;
}

/*
 * A new connection of p's flow to real server dest_id: starts as IPVS's
 * (NONE, inactive, NOOUTPUT unless NAT), takes the first packet's
 * transition, and is counted; with ps (a persistent service) it is
 * controlled by its template, which it keeps alive. Returns as
 * conn_insert.
 */
static __noinline int conn_create(const struct xvs_pkt *p, __u32 dest_id,
				   const struct xvs_dest_dp *dest, __u64 now,
				   const struct xvs_persist *ps)
{
	struct xvs_conn c = {
		.last_seen_ns = now,
		.dest_id = dest_id,
		.dest_gen = dest->gen,
	};
	struct xvs_conn_key *tk = NULL; /* room for the template's key */
	__u32 zero = 0;
	int rc;

	c.state = XVS_TCP_S_NONE; /* and XVS_UDP_STATE */
	c.flags = XVS_CONN_F_INACTIVE;
	if (dest->fwd != XVS_FWD_NAT)
		c.flags |= XVS_CONN_F_NOOUTPUT;
	if (ps)
		tk = bpf_map_lookup_elem(&tpl_scratch, &zero);
	if (!tk)
		ps = NULL; /* not persistent; or (never) no per-CPU entry */
	if (ps)
		xvs_persist_store(&c, ps);
	c.sf = xvs_conn_step(c.sf, p->key.proto, XVS_DIR_INPUT, p->tcp_flags);
	c.timeout_s = xvs_conn_timeout(&xvs_config, p->key.proto, c.state);
	rc = conn_insert(&p->key, &c);
	if (rc >= 0 && ps && tk)
		conn_tpl_control(tk, &p->key, ps, dest_id, dest->gen, 1);
	return rc;
}

#endif /* XVS_BPF_CONN_H */
