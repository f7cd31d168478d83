/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locality-based least-connection with replication, as IPVS's
 * ip_vs_lblcr.c: the packet's destination address keeps a set of real
 * servers. A pick takes the set's least loaded member (overhead / weight,
 * as wlc, skipping OVERLOAD, weight 0 and servers no longer listed); a
 * set of more than one member unchanged for lblcr_expiration (24 h) drops
 * its most loaded member; when the least loaded member is missing or
 * overloaded (core/sched_locality.h), wlc picks a server over the whole
 * service and it joins the set. An entry unused for lblcr_expiration is
 * forgotten. The data plane keeps the sets (bpf/sched_cache.h); the
 * pick gets the destination's entry through xvs_sched_in.table.
 *
 * Members that left the service are dropped from the set when it is
 * used (IPVS keeps them, unavailable, until they are dropped as the most
 * loaded or the entry expires).
 */
#ifndef XVS_SCHED_LBLCR_H
#define XVS_SCHED_LBLCR_H

#include "sched_locality.h"

/*
 * The context of every loop of an lblcr pick: one type, and one instance
 * per pick, so as to spare the data plane's stack, which the whole packet
 * path shares.
 */
struct xvs_lblcr_ctx {
	struct xvs_least b; /* walks: the best member so far (b.k: its list
			     * index); b.list: the list */
	struct xvs_lblcr_entry *en;
	__s32 pos;          /* walks: the best's position in the set, -1:
			     * none; compact: members kept; find: dest_id's
			     * position, -1: absent */
	__u32 arg;          /* walks: 1 for set_max, 0 for set_min; find:
			     * the dest_id */
};

/* Removes the members whose idx is -1, keeping the order of the others
 * (the data plane marks stale ones that way too). */
XVS_LOOP_FN xvs_lblcr_compact_step(__u32 j, void *data)
{
	struct xvs_lblcr_ctx *c = data;
	struct xvs_lblcr_entry *en = c->en;
	__u32 n = (__u32)c->pos;

	if (j >= en->n || j >= XVS_LBLCR_SET_MAX)
		return 1;
	if (en->idx[j] < 0 || n >= XVS_LBLCR_SET_MAX)
		return 0;
	en->set[n] = en->set[j];
	en->idx[n] = en->idx[j];
	c->pos = (__s32)n + 1;
	return 0;
}

XVS_INLINE void xvs_lblcr_compact(struct xvs_lblcr_ctx *c)
{
	c->pos = 0;
	xvs_sched_loop(XVS_LBLCR_SET_MAX, xvs_lblcr_compact_step, c);
	c->en->n = (__u32)c->pos;
}

/*
 * A walk over the set from its newest member. ip_vs_dest_set_min: skip
 * OVERLOAD; the first with weight > 0 starts, a lighter one replaces it.
 * ip_vs_dest_set_max: no OVERLOAD test; the first with weight > 0
 * starts, a heavier one with weight > 0 replaces it (moh * dw < doh *
 * mw).
 */
XVS_LOOP_FN xvs_lblcr_walk_step(__u32 i, void *data)
{
	struct xvs_lblcr_ctx *c = data;
	struct xvs_sched_load ld;
	__u32 j;
	__s32 k, wt, oh;
	int ok;

	if (i >= c->en->n || i >= XVS_LBLCR_SET_MAX)
		return 1;
	j = c->en->n - 1 - i;
	if (j >= XVS_LBLCR_SET_MAX)
		return 1;
	k = c->en->idx[j];
	if (k < 0)
		return 0;
	ok = xvs_least_read(&c->b, (__u32)k, &wt, &ld);
	if (ok < 0 || (!ok && !c->arg))
		return 0;
	oh = xvs_sched_overhead(&ld);
	if (c->arg ? wt > 0 && (c->b.k < 0 || (__s64)c->b.oh * wt <
						      (__s64)oh * c->b.w)
		   : c->b.k < 0 ? wt > 0 : xvs_least_lighter(&c->b, wt, oh)) {
		xvs_least_take(&c->b, (__u32)k, wt, oh);
		c->pos = (__s32)j;
	}
	return 0;
}

/* The set's least (most = 0) or most (most = 1) loaded member: its
 * position in the set, or -1. */
XVS_INLINE __s32 xvs_lblcr_walk(struct xvs_lblcr_ctx *c, __u32 most)
{
	c->b.k = -1;
	c->pos = -1;
	c->arg = most;
	xvs_sched_loop(c->en->n, xvs_lblcr_walk_step, c);
	return c->pos;
}

XVS_LOOP_FN xvs_lblcr_find_step(__u32 j, void *data)
{
	struct xvs_lblcr_ctx *c = data;

	if (j >= c->en->n || j >= XVS_LBLCR_SET_MAX)
		return 1;
	if (c->en->set[j].dest_id != c->arg)
		return 0;
	c->pos = (__s32)j;
	return 1;
}

/* ip_vs_dest_set_insert with check: a member already there stays as it
 * is; a full set takes none. */
XVS_INLINE void xvs_lblcr_insert(struct xvs_lblcr_ctx *c, __s32 k,
				 __u64 now_ns)
{
	struct xvs_lblcr_entry *en = c->en;
	struct xvs_locality_dest d = xvs_locality_dest_of(c->b.list, k);

	c->pos = -1;
	c->arg = d.dest_id;
	xvs_sched_loop(XVS_LBLCR_SET_MAX, xvs_lblcr_find_step, c);
	if (c->pos >= 0 || en->n >= XVS_LBLCR_SET_MAX)
		return;
	en->set[en->n] = d;
	en->idx[en->n] = (__s16)k;
	en->n++;
	en->lastmod_ns = now_ns;
}

/*
 * The pick on entry en at time now_ns, in three steps that the data plane
 * runs as three functions, each with a stack frame short enough to fit
 * under the packet path's:
 *
 * xvs_lblcr_look: marks the entry used (en->lastuse_ns = now_ns, which
 * the next steps take as the time) and finds its members in the list and
 * whether some server is light. Returns 0, or -1 when there is no live
 * entry (n = 0): then only xvs_lblcr_add follows. Cost: a pass over the
 * list.
 */
XVS_INLINE int xvs_lblcr_look(const struct xvs_sched_list *l,
			      struct xvs_lblcr_entry *en, __u64 now_ns,
			      __u64 expire_ns)
{
	int live;

	if (en->n > XVS_LBLCR_SET_MAX)
		en->n = XVS_LBLCR_SET_MAX;
	live = en->n && xvs_locality_live(en->lastuse_ns, now_ns, expire_ns);
	en->lastuse_ns = now_ns;
	if (!live) {
		en->n = 0;
		return -1;
	}
	en->light = xvs_locality_find(l, en->set, en->idx, en->n);
	return 0;
}

/*
 * xvs_lblcr_choose: the set's member to use (its list index), or -1 when
 * wlc must pick one. Drops the members no longer listed, takes the least
 * loaded, then drops the most loaded member of a set of more than one
 * unchanged for expire_ns. Cost: two or three passes over the set.
 */
XVS_INLINE __s32 xvs_lblcr_choose(const struct xvs_sched_list *l,
				  struct xvs_lblcr_entry *en, __u64 expire_ns)
{
	struct xvs_lblcr_ctx c = { .b = { .list = l }, .en = en };
	__s32 j, k = -1;

	xvs_lblcr_compact(&c);
	j = xvs_lblcr_walk(&c, 0);
	if (j >= 0 && j < XVS_LBLCR_SET_MAX)
		k = en->idx[j];
	if (en->n > 1 && en->lastuse_ns - en->lastmod_ns > expire_ns) {
		j = xvs_lblcr_walk(&c, 1);
		if (j >= 0 && j < XVS_LBLCR_SET_MAX) {
			en->idx[j] = -1;
			xvs_lblcr_compact(&c);
			en->lastmod_ns = en->lastuse_ns;
		}
	}
	return k >= 0 && !xvs_locality_overloaded(l, k, en->light) ? k : -1;
}

/* xvs_lblcr_add: wlc's pick, which joins the set. Cost: wlc's pass and
 * one over the set. */
XVS_INLINE __s32 xvs_lblcr_add(const struct xvs_sched_list *l, __u64 *state,
			       struct xvs_lblcr_entry *en)
{
	__s32 k = xvs_locality_wlc(l, state);

	if (k >= 0) {
		struct xvs_lblcr_ctx c = { .b = { .list = l }, .en = en };

		xvs_lblcr_insert(&c, k, en->lastuse_ns);
	}
	return k;
}

/* The whole pick. Keeps no state in the word. */
XVS_INLINE __s32 xvs_lblcr_run(const struct xvs_sched_list *l, __u64 *state,
			       struct xvs_lblcr_entry *en, __u64 now_ns,
			       __u64 expire_ns)
{
	__s32 k = -1;

	if (!xvs_lblcr_look(l, en, now_ns, expire_ns))
		k = xvs_lblcr_choose(l, en, expire_ns);
	return k >= 0 ? k : xvs_lblcr_add(l, state, en);
}

/* The registered pick: the entry comes in xvs_sched_in.table. */
XVS_INLINE __s32 xvs_sched_lblcr_pick(const struct xvs_sched_list *l,
				      __u64 *state,
				      const struct xvs_sched_in *in)
{
	const struct xvs_locality_in *li = in->table;

	if (!li || !li->entry)
		return -1;
	return xvs_lblcr_run(l, state, li->entry, li->now_ns, li->expire_ns);
}

#endif /* XVS_SCHED_LBLCR_H */
