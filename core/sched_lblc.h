/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locality-based least-connection, as IPVS's ip_vs_lblc.c: the packet's
 * destination address keeps the real server it was given while that
 * server has weight > 0, is still in the service and is not overloaded
 * (core/sched_locality.h); otherwise wlc picks one, which the cache
 * remembers. An entry unused for lblc_expiration (24 h) is forgotten.
 * The data plane keeps the cache (bpf/sched_locality.h); the pick gets
 * the destination's entry through xvs_sched_in.table.
 */
#ifndef XVS_SCHED_LBLC_H
#define XVS_SCHED_LBLC_H

#include "sched_locality.h"

/* Cost: one pass over the list for a cached destination, plus wlc's pass
 * when the cache does not hold. Keeps no state in the word. */
XVS_INLINE __s32 xvs_sched_lblc_pick(const struct xvs_sched_list *l,
				     __u64 *state,
				     const struct xvs_sched_in *in)
{
	const struct xvs_locality_in *li = in->table;
	struct xvs_lblc_entry *en;
	struct xvs_locality_scan sc = { .list = l };
	__s32 k;

	if (!li || !li->entry)
		return -1;
	en = li->entry;
	sc.set = &en->dest;
	sc.idx = en->idx;
	if (en->dest.dest_id != XVS_LOCALITY_NONE &&
	    xvs_locality_live(en->lastuse_ns, li)) {
		en->lastuse_ns = li->now_ns;
		sc.n = 1;
		xvs_locality_scan_run(&sc);
		k = en->idx[0];
		if (k >= 0 && k < XVS_MAX_DESTS_PER_SVC &&
		    l->e[k].weight > 0 &&
		    !xvs_locality_overloaded(l, k, sc.light))
			return k;
	} else {
		en->dest.dest_id = XVS_LOCALITY_NONE;
	}
	k = xvs_sched_wlc_pick(l, state, in);
	if (k < 0)
		return -1;
	/* ip_vs_lblc_new: a new entry unless it names this server already */
	if (en->dest.dest_id != l->e[k].dest_id) {
		en->dest = xvs_locality_dest_of(l, k);
		en->lastuse_ns = li->now_ns;
	}
	return k;
}

#endif /* XVS_SCHED_LBLC_H */
