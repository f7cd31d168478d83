/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Least-connection, as IPVS's ip_vs_lc.c: the available server (weight >
 * 0, not OVERLOAD) with the smallest overhead, compared unsigned with a
 * strict <, so the first in list order wins a tie. Weights count only as
 * zero or not.
 */
#ifndef XVS_SCHED_LC_H
#define XVS_SCHED_LC_H

#include "sched_least.h"

XVS_STEP_FN xvs_sched_lc_step(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w, oh;
	int ok = xvs_least_available(b, i, &w, &ld);

	if (ok <= 0)
		return ok < 0;
	oh = xvs_sched_overhead(&ld);
	if (b->k < 0 || (__u32)oh < (__u32)b->oh)
		xvs_least_take(b, i, w, oh);
	return 0;
}
XVS_LOOP_CHUNKED(xvs_sched_lc_step)

/* Cost: one pass over the list. Keeps no state. */
XVS_INLINE __s32 xvs_sched_lc_pick(const struct xvs_sched_list *l, __u64 *state,
				   const struct xvs_sched_in *in)
{
	(void)state;
	(void)in;
	return xvs_least_run(l, XVS_CHUNK_OF(xvs_sched_lc_step));
}

#endif /* XVS_SCHED_LC_H */
