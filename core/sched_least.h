/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What IPVS's connection-based schedulers (lc, wlc, sed, nq, fo, ovf,
 * twos) share: passes over the list in list order, reading each real
 * server's live load (xvs_sched_load) and keeping the best so far. Each
 * scheduler is a step function for xvs_sched_loop_chunked in its own
 * file (every step stops past the list's end, xvs_least_read's -1); none
 * keeps anything in the state word. Cost: one pass, one load lookup per
 * server.
 *
 * Arithmetic is IPVS's: overheads are int, computed with the wrap-around
 * of the kernel's -fno-strict-overflow; weighted comparisons multiply in
 * 64 bits.
 */
#ifndef XVS_SCHED_LEAST_H
#define XVS_SCHED_LEAST_H

#include "scheduler.h"

/* The best real server of a pass so far. */
struct xvs_least {
	const struct xvs_sched_list *list;
	__s32 k;  /* its list index, -1 while there is none */
	__s32 w;  /* its weight */
	__s32 oh; /* its overhead, as the scheduler counts it */
};

/* IPVS's ip_vs_dest_conn_overhead: (activeconns << 8) + inactconns, an
 * active connection costing 256 inactive ones. */
XVS_INLINE __s32 xvs_sched_overhead(const struct xvs_sched_load *ld)
{
	return (__s32)((ld->activeconns << 8) + ld->inactconns);
}

/*
 * Entry i of the pass: its weight in *w and its load in *ld. Returns -1
 * past the end (stop), 0 if it is OVERLOAD, 1 otherwise; weight 0 is left
 * to the scheduler, as IPVS tests it in different places.
 */
XVS_INLINE int xvs_least_read(const struct xvs_least *b, __u32 i, __s32 *w,
			      struct xvs_sched_load *ld)
{
	const struct xvs_sched_entry *e;

	if (i >= b->list->n || i >= XVS_MAX_DESTS_PER_SVC)
		return -1;
	e = &b->list->e[i];
	*w = e->weight;
	xvs_sched_load(e->dest_id, ld);
	return !(ld->flags & XVS_DEST_LOAD_OVERLOAD);
}

/*
 * Entry i if it is available (weight > 0, not OVERLOAD): 1 with its weight
 * and load filled in, 0 if it is not, -1 past the end (stop). Weights are
 * never negative, so IPVS's "weight == 0" and "weight <= 0" agree.
 */
XVS_INLINE int xvs_least_available(const struct xvs_least *b, __u32 i, __s32 *w,
				   struct xvs_sched_load *ld)
{
	int ok = xvs_least_read(b, i, w, ld);

	return ok < 0 ? -1 : ok && *w > 0;
}

/* oh/w < b's oh/w, without division: oh_b * w > oh * w_b (IPVS's
 * "h1*w2 > h2*w1 is equivalent to h1/w1 > h2/w2" for weights > 0). */
XVS_INLINE int xvs_least_lighter(const struct xvs_least *b, __s32 w, __s32 oh)
{
	return (__s64)b->oh * w > (__s64)oh * b->w;
}

XVS_INLINE void xvs_least_take(struct xvs_least *b, __u32 i, __s32 w, __s32 oh)
{
	b->k = (__s32)i;
	b->w = w;
	b->oh = oh;
}

/*
 * wlc's and sed's rule for a server that is not OVERLOAD: the first one
 * with weight > 0 starts the pass, then any lighter one replaces it (a
 * weight-0 server is compared too, as in IPVS, and cannot win unless an
 * overhead wrapped negative).
 */
XVS_INLINE void xvs_least_weighted(struct xvs_least *b, __u32 i, __s32 w,
				   __s32 oh)
{
	if (b->k < 0 ? w > 0 : xvs_least_lighter(b, w, oh))
		xvs_least_take(b, i, w, oh);
}

/* Runs a step over l (XVS_CHUNK_OF(step): every step here returns
 * non-zero past the list's end, as xvs_least_read does); the list index
 * it chose, or -1. */
XVS_INLINE __s32 xvs_least_run(const struct xvs_sched_list *l,
			       long (*fn)(__u32 i, void *ctx))
{
	struct xvs_least b = {.list = l, .k = -1};

	xvs_sched_loop_chunked(l->n, fn, &b);
	return b.k;
}

#endif /* XVS_SCHED_LEAST_H */
