/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lblc and lblcr share: their cache entries, the list pass that finds
 * the cached real servers in the published list, and IPVS's "overloaded"
 * rule of ip_vs_lblc.c / ip_vs_lblcr.c:
 *
 *   a server is overloaded when activeconns > weight and some server of
 *   the service has activeconns * 2 < weight
 *
 * (not the OVERLOAD flag of the thresholds, which only the wlc picks
 * skip). The caches map the packet's destination address to a real
 * server (lblc) or a set of them (lblcr), per service. The caller owns
 * the entry and hands it to the pick in xvs_sched_in.table (struct
 * xvs_locality_in); the pick reads and updates it, and the caller stores
 * it back: the data plane in LRU maps (bpf/sched_cache.h), tests in
 * plain memory.
 */
#ifndef XVS_SCHED_LOCALITY_H
#define XVS_SCHED_LOCALITY_H

#include "sched_wlc.h"

/* IPVS's lblc_expiration and lblcr_expiration sysctls' default: 24 h. */
#define XVS_LOCALITY_EXPIRATION_S 86400
/* Members of an lblcr set. IPVS's sets are unbounded lists; a set that
 * is full takes no new member, as IPVS's set does when kmalloc fails. */
#define XVS_LBLCR_SET_MAX 16
#define XVS_LOCALITY_NONE 0xffffffffu /* lblc: no server cached */

/* Key of the data plane's caches: the destination address, per service. */
struct xvs_locality_key {
	union xvs_addr addr;
	__u32 svc_id;
	__u8 af;
	__u8 pad[3];
};

/* A real server as a cache remembers it. */
struct xvs_locality_dest {
	__u32 dest_id;
	__u32 gen; /* the data plane's xvs_dest_dp.gen when cached, so that a
		    * reused dest id is not mistaken for the server; 0 until
		    * stamped (the picks leave it 0, the data plane fills it) */
};

struct xvs_lblc_entry {
	__u64 lastuse_ns;
	struct xvs_locality_dest dest; /* dest_id XVS_LOCALITY_NONE: none */
	__s16 idx[1]; /* during a pick: dest's list index, -1 if not listed */
	__u16 pad[3];
};

struct xvs_lblcr_entry {
	__u64 lastuse_ns;
	__u64 lastmod_ns; /* last member added or removed */
	__u32 n;          /* members; 0: no entry */
	__u32 light;      /* during a pick: some server has activeconns * 2
			   * < weight */
	/* oldest first: IPVS adds at the head of its list and walks from
	 * there, so the picks walk from the end */
	struct xvs_locality_dest set[XVS_LBLCR_SET_MAX];
	__s16 idx[XVS_LBLCR_SET_MAX]; /* during a pick: list indexes */
};

/* What lblc and lblcr find in xvs_sched_in.table. */
struct xvs_locality_in {
	void *entry;     /* struct xvs_lblc_entry or xvs_lblcr_entry */
	__u64 now_ns;    /* the clock lastuse and lastmod are kept in */
	__u64 expire_ns; /* lblc_expiration or lblcr_expiration */
};

/* An entry not used for expire_ns is gone, as IPVS's garbage collector
 * would have removed it. */
XVS_INLINE int xvs_locality_live(__u64 lastuse_ns, __u64 now_ns,
				 __u64 expire_ns)
{
	return now_ns - lastuse_ns < expire_ns;
}

/* wlc's pick, the fallback of both: it reads nothing of xvs_sched_in. */
XVS_INLINE __s32 xvs_locality_wlc(const struct xvs_sched_list *l,
				  __u64 *state)
{
	return xvs_sched_wlc_pick(l, state, (const struct xvs_sched_in *)0);
}

/*
 * The list pass: idx[j] = the list index of set[j] (-1 when it is not in
 * the list: deleted, so not IPVS's "available"), and light = some server
 * has activeconns * 2 < weight. Cost: one pass, a load lookup per server
 * with weight > 0 until one is light.
 */
struct xvs_locality_scan {
	const struct xvs_sched_list *list;
	const struct xvs_locality_dest *set;
	__s16 *idx;
	__u32 n; /* <= XVS_LBLCR_SET_MAX */
	__u32 light;
};

XVS_LOOP_FN xvs_locality_scan_step(__u32 i, void *data)
{
	struct xvs_locality_scan *sc = data;
	const struct xvs_sched_entry *e;
	struct xvs_sched_load ld;

	if (i >= sc->list->n || i >= XVS_MAX_DESTS_PER_SVC)
		return 1;
	e = &sc->list->e[i];
	for (__u32 j = 0; j < XVS_LBLCR_SET_MAX && j < sc->n; j++)
		if (sc->set[j].dest_id == e->dest_id)
			sc->idx[j] = (__s16)i;
	if (!sc->light && e->weight > 0) {
		xvs_sched_load(e->dest_id, &ld);
		sc->light = (__s64)ld.activeconns * 2 < e->weight;
	}
	return 0;
}

/* idx[j] = -1 for every member, one a step. */
XVS_LOOP_FN xvs_locality_unfound_step(__u32 j, void *data)
{
	struct xvs_locality_scan *sc = data;

	if (j >= sc->n || j >= XVS_LBLCR_SET_MAX)
		return 1;
	sc->idx[j] = -1;
	return 0;
}

/* Runs the pass for the n servers of set; returns light. (The pass's
 * context lives only here: the data plane's stack is short.) */
XVS_INLINE __u32 xvs_locality_find(const struct xvs_sched_list *l,
				   const struct xvs_locality_dest *set,
				   __s16 *idx, __u32 n)
{
	struct xvs_locality_scan sc = {
		.list = l,
		.set = set,
		.idx = idx,
		.n = n,
	};

	xvs_sched_loop(XVS_LBLCR_SET_MAX, xvs_locality_unfound_step, &sc);
	xvs_sched_loop(l->n, xvs_locality_scan_step, &sc);
	return sc.light;
}

/* IPVS's is_overloaded() for list index k, given the scan's light. */
XVS_INLINE int xvs_locality_overloaded(const struct xvs_sched_list *l,
				       __s32 k, __u32 light)
{
	struct xvs_sched_load ld;

	if (k < 0 || k >= XVS_MAX_DESTS_PER_SVC)
		return 0;
	xvs_sched_load(l->e[k].dest_id, &ld);
	return (__s64)ld.activeconns > l->e[k].weight && light;
}

/* The cache entry of the list's server k. */
XVS_INLINE struct xvs_locality_dest
xvs_locality_dest_of(const struct xvs_sched_list *l, __s32 k)
{
	struct xvs_locality_dest d = { .dest_id = XVS_LOCALITY_NONE };

	if (k >= 0 && k < XVS_MAX_DESTS_PER_SVC)
		d.dest_id = l->e[k].dest_id;
	return d;
}

#endif /* XVS_SCHED_LOCALITY_H */
