/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weighted failover, as IPVS's ip_vs_fo.c: every new connection goes to
 * the available server (not OVERLOAD) with the highest weight; a strict >
 * gives a tie to the first in list order. Lowering a server's weight
 * fails its new connections over to the next.
 */
#ifndef XVS_SCHED_FO_H
#define XVS_SCHED_FO_H

#include "sched_least.h"

XVS_STEP_FN xvs_sched_fo_step(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w;
	int ok = xvs_least_available(b, i, &w, &ld);

	/* b->w starts at 0, as IPVS's hw */
	if (ok > 0 && w > b->w)
		xvs_least_take(b, i, w, 0);
	return ok < 0;
}
XVS_LOOP_CHUNKED(xvs_sched_fo_step)

/* Cost: one pass over the list. Keeps no state. */
XVS_INLINE __s32 xvs_sched_fo_pick(const struct xvs_sched_list *l, __u64 *state,
				   const struct xvs_sched_in *in)
{
	(void)state;
	(void)in;
	return xvs_least_run(l, XVS_CHUNK_OF(xvs_sched_fo_step));
}

#endif /* XVS_SCHED_FO_H */
