/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shortest expected delay, as IPVS's ip_vs_sed.c: wlc's rule with the
 * expected delay (activeconns + 1) / weight, inactive connections not
 * counted; the + 1 is the new connection itself, so a fast idle server
 * beats a slow idle one.
 */
#ifndef XVS_SCHED_SED_H
#define XVS_SCHED_SED_H

#include "sched_least.h"

/* ip_vs_sed_dest_overhead (nq's is the same). */
XVS_INLINE __s32 xvs_sched_sed_overhead(const struct xvs_sched_load *ld)
{
	return (__s32)(ld->activeconns + 1);
}

XVS_STEP_FN xvs_sched_sed_step(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w;
	int ok = xvs_least_read(b, i, &w, &ld);

	if (ok > 0)
		xvs_least_weighted(b, i, w, xvs_sched_sed_overhead(&ld));
	return ok < 0;
}
XVS_LOOP_CHUNKED(xvs_sched_sed_step)

/* Cost: one pass over the list. Keeps no state. */
XVS_INLINE __s32 xvs_sched_sed_pick(const struct xvs_sched_list *l,
				    __u64 *state, const struct xvs_sched_in *in)
{
	(void)state;
	(void)in;
	return xvs_least_run(l, XVS_CHUNK_OF(xvs_sched_sed_step));
}

#endif /* XVS_SCHED_SED_H */
