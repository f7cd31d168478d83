/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Never queue, as IPVS's ip_vs_nq.c: the first available server (weight >
 * 0, not OVERLOAD) in list order with no active connection, whatever its
 * weight; when every one is busy, sed's choice.
 */
#ifndef XVS_SCHED_NQ_H
#define XVS_SCHED_NQ_H

#include "sched_sed.h"

XVS_STEP_FN xvs_sched_nq_step(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w, oh;
	int ok = xvs_least_available(b, i, &w, &ld);

	if (ok <= 0)
		return ok < 0;
	oh = xvs_sched_sed_overhead(&ld);
	if (ld.activeconns == 0) { /* idle: take it at once */
		xvs_least_take(b, i, w, oh);
		return 1;
	}
	if (b->k < 0 || xvs_least_lighter(b, w, oh))
		xvs_least_take(b, i, w, oh);
	return 0;
}
XVS_LOOP_CHUNKED(xvs_sched_nq_step)

/* Cost: at most one pass over the list. Keeps no state. */
XVS_INLINE __s32 xvs_sched_nq_pick(const struct xvs_sched_list *l, __u64 *state,
				   const struct xvs_sched_in *in)
{
	(void)state;
	(void)in;
	return xvs_least_run(l, XVS_CHUNK_OF(xvs_sched_nq_step));
}

#endif /* XVS_SCHED_NQ_H */
