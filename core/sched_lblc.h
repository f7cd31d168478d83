/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locality-based least-connection, as IPVS's ip_vs_lblc.c: the packet's
 * destination address keeps the real server it was given while that
 * server has weight > 0, is still in the service and is not overloaded
 * (core/sched_locality.h); otherwise wlc picks one, which the cache
 * remembers. An entry unused for lblc_expiration (24 h) is forgotten.
 * The data plane keeps the cache (bpf/sched_cache.h); the pick gets
 * the destination's entry through xvs_sched_in.table.
 */
#ifndef XVS_SCHED_LBLC_H
#define XVS_SCHED_LBLC_H

#include "sched_locality.h"

/*
 * The pick on entry en at time now_ns (the data plane calls it with
 * these as they are, sparing its stack). Cost: one pass over the list
 * for a cached destination, plus wlc's pass when the cache does not
 * hold. Keeps no state in the word.
 */
XVS_INLINE __s32 xvs_lblc_run(const struct xvs_sched_list *l, __u64 *state,
			      struct xvs_lblc_entry *en, __u64 now_ns,
			      __u64 expire_ns)
{
	__u32 light;
	__s32 k;

	if (en->dest.dest_id != XVS_LOCALITY_NONE &&
	    xvs_locality_live(en->lastuse_ns, now_ns, expire_ns)) {
		en->lastuse_ns = now_ns;
		light = xvs_locality_find(l, &en->dest, en->idx, 1);
		k = en->idx[0];
		if (k >= 0 && k < XVS_MAX_DESTS_PER_SVC &&
		    l->e[k].weight > 0 &&
		    !xvs_locality_overloaded(l, k, light))
			return k;
	} else {
		en->dest.dest_id = XVS_LOCALITY_NONE;
	}
	k = xvs_locality_wlc(l, state);
	if (k < 0)
		return -1;
	/* ip_vs_lblc_new: a new entry unless it names this server already */
	if (en->dest.dest_id != l->e[k].dest_id) {
		en->dest = xvs_locality_dest_of(l, k);
		en->lastuse_ns = now_ns;
	}
	return k;
}

/* The registered pick: the entry comes in xvs_sched_in.table. */
XVS_INLINE __s32 xvs_sched_lblc_pick(const struct xvs_sched_list *l,
				     __u64 *state,
				     const struct xvs_sched_in *in)
{
	const struct xvs_locality_in *li = in->table;

	if (!li || !li->entry)
		return -1;
	return xvs_lblc_run(l, state, li->entry, li->now_ns, li->expire_ns);
}

#endif /* XVS_SCHED_LBLC_H */
