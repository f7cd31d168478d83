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
 * forgotten. The data plane keeps the sets (bpf/sched_locality.h); the
 * pick gets the destination's entry through xvs_sched_in.table.
 *
 * Members that left the service are dropped from the set when it is
 * used (IPVS keeps them, unavailable, until they are dropped as the most
 * loaded or the entry expires).
 */
#ifndef XVS_SCHED_LBLCR_H
#define XVS_SCHED_LBLCR_H

#include "sched_locality.h"

/* Removes member j, keeping the order of the others. */
XVS_INLINE void xvs_lblcr_erase(struct xvs_lblcr_entry *en, __u32 j)
{
	for (__u32 i = j; i + 1 < en->n && i + 1 < XVS_LBLCR_SET_MAX; i++) {
		en->set[i] = en->set[i + 1];
		en->idx[i] = en->idx[i + 1];
	}
	if (en->n)
		en->n--;
}

/* A walk over the set from its newest member, keeping the best so far. */
struct xvs_lblcr_walk {
	struct xvs_least b; /* b.k: the best's list index */
	const struct xvs_lblcr_entry *en;
	__s32 best_j;       /* the best's position in the set, -1: none */
	__u32 most;         /* set_max instead of set_min */
};

/*
 * ip_vs_dest_set_min: skip OVERLOAD; the first with weight > 0 starts,
 * a lighter one replaces it. ip_vs_dest_set_max: no OVERLOAD test; the
 * first with weight > 0 starts, a heavier one with weight > 0 replaces
 * it (moh * dw < doh * mw).
 */
XVS_LOOP_FN xvs_lblcr_walk_step(__u32 i, void *data)
{
	struct xvs_lblcr_walk *w = data;
	struct xvs_sched_load ld;
	__u32 j;
	__s32 k, wt, oh;
	int ok;

	if (i >= w->en->n || i >= XVS_LBLCR_SET_MAX)
		return 1;
	j = w->en->n - 1 - i;
	if (j >= XVS_LBLCR_SET_MAX)
		return 1;
	k = w->en->idx[j];
	if (k < 0)
		return 0;
	ok = xvs_least_read(&w->b, (__u32)k, &wt, &ld);
	if (ok < 0 || (!ok && !w->most))
		return 0;
	oh = xvs_sched_overhead(&ld);
	if (w->most ? wt > 0 && (w->b.k < 0 || (__s64)w->b.oh * wt <
						       (__s64)oh * w->b.w)
		    : w->b.k < 0 ? wt > 0 : xvs_least_lighter(&w->b, wt, oh)) {
		xvs_least_take(&w->b, (__u32)k, wt, oh);
		w->best_j = (__s32)j;
	}
	return 0;
}

/* The set's least (most = 0) or most (most = 1) loaded member: its
 * position in the set, or -1. */
XVS_INLINE __s32 xvs_lblcr_walk(const struct xvs_sched_list *l,
				const struct xvs_lblcr_entry *en, __u32 most)
{
	struct xvs_lblcr_walk w = {
		.b = { .list = l, .k = -1 },
		.en = en,
		.best_j = -1,
		.most = most,
	};

	xvs_sched_loop(en->n, xvs_lblcr_walk_step, &w);
	return w.best_j;
}

/* ip_vs_dest_set_insert with check: a member already there stays as it
 * is; a full set takes none. */
XVS_INLINE void xvs_lblcr_insert(struct xvs_lblcr_entry *en,
				 const struct xvs_sched_list *l, __s32 k,
				 __u64 now_ns)
{
	struct xvs_locality_dest d = xvs_locality_dest_of(l, k);

	for (__u32 j = 0; j < XVS_LBLCR_SET_MAX && j < en->n; j++)
		if (en->set[j].dest_id == d.dest_id)
			return;
	if (en->n >= XVS_LBLCR_SET_MAX)
		return;
	en->set[en->n] = d;
	en->idx[en->n] = (__s16)k;
	en->n++;
	en->lastmod_ns = now_ns;
}

/* Cost: a pass over the list and two over the set for a cached
 * destination, plus wlc's pass when the set does not hold. Keeps no
 * state in the word. */
XVS_INLINE __s32 xvs_sched_lblcr_pick(const struct xvs_sched_list *l,
				      __u64 *state,
				      const struct xvs_sched_in *in)
{
	const struct xvs_locality_in *li = in->table;
	struct xvs_lblcr_entry *en;
	struct xvs_locality_scan sc = { .list = l };
	__s32 j, k = -1;

	if (!li || !li->entry)
		return -1;
	en = li->entry;
	if (en->n > XVS_LBLCR_SET_MAX)
		en->n = XVS_LBLCR_SET_MAX;
	if (!en->n || !xvs_locality_live(en->lastuse_ns, li)) {
		/* No entry: wlc, and a new set of one. */
		k = xvs_sched_wlc_pick(l, state, in);
		if (k < 0)
			return -1;
		en->n = 0;
		en->lastuse_ns = li->now_ns;
		xvs_lblcr_insert(en, l, k, li->now_ns);
		return k;
	}
	en->lastuse_ns = li->now_ns;
	sc.set = en->set;
	sc.idx = en->idx;
	sc.n = en->n;
	xvs_locality_scan_run(&sc);
	for (__u32 i = XVS_LBLCR_SET_MAX; i-- > 0;)
		if (i < en->n && en->idx[i] < 0)
			xvs_lblcr_erase(en, i);
	j = xvs_lblcr_walk(l, en, 0);
	if (j >= 0 && j < XVS_LBLCR_SET_MAX)
		k = en->idx[j];
	/* More than one member, unchanged for long: drop the most loaded. */
	if (en->n > 1 && li->now_ns - en->lastmod_ns > li->expire_ns) {
		j = xvs_lblcr_walk(l, en, 1);
		if (j >= 0 && j < XVS_LBLCR_SET_MAX) {
			xvs_lblcr_erase(en, (__u32)j);
			en->lastmod_ns = li->now_ns;
		}
	}
	if (k >= 0 && !xvs_locality_overloaded(l, k, sc.light))
		return k;
	k = xvs_sched_wlc_pick(l, state, in);
	if (k < 0)
		return -1;
	xvs_lblcr_insert(en, l, k, li->now_ns);
	return k;
}

#endif /* XVS_SCHED_LBLCR_H */
