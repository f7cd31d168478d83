/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Overflow, as IPVS's ip_vs_ovf.c: fo's highest weight, skipping servers
 * whose active connections exceed their weight, so connections fill the
 * heaviest server up to its weight and then overflow to the next. Only
 * active connections count, so it suits TCP rather than UDP.
 */
#ifndef XVS_SCHED_OVF_H
#define XVS_SCHED_OVF_H

#include "sched_least.h"

XVS_STEP_FN xvs_sched_ovf_step(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w;
	int ok = xvs_least_available(b, i, &w, &ld);

	if (ok <= 0 || (__s32)ld.activeconns > w)
		return ok < 0;
	if (b->k < 0 || w > b->w)
		xvs_least_take(b, i, w, 0);
	return 0;
}
XVS_LOOP_CHUNKED(xvs_sched_ovf_step)

/* Cost: one pass over the list. Keeps no state. */
XVS_INLINE __s32 xvs_sched_ovf_pick(const struct xvs_sched_list *l,
				    __u64 *state, const struct xvs_sched_in *in)
{
	(void)state;
	(void)in;
	return xvs_least_run(l, XVS_CHUNK_OF(xvs_sched_ovf_step));
}

#endif /* XVS_SCHED_OVF_H */
