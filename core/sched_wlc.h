/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weighted least-connection, as IPVS's ip_vs_wlc.c and ipvsadm's default:
 * the server with the smallest overhead / weight, overhead = activeconns *
 * 256 + inactconns. The first available server (weight > 0, not OVERLOAD)
 * in list order starts; a later one replaces it only when strictly
 * lighter, so ties go to the newest server.
 */
#ifndef XVS_SCHED_WLC_H
#define XVS_SCHED_WLC_H

#include "sched_least.h"

XVS_STEP_FN xvs_sched_wlc_step(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w;
	int ok = xvs_least_read(b, i, &w, &ld);

	if (ok > 0)
		xvs_least_weighted(b, i, w, xvs_sched_overhead(&ld));
	return ok < 0;
}
XVS_LOOP_CHUNKED(xvs_sched_wlc_step)

/* Cost: one pass over the list. Keeps no state. */
XVS_INLINE __s32 xvs_sched_wlc_pick(const struct xvs_sched_list *l,
				    __u64 *state, const struct xvs_sched_in *in)
{
	(void)state;
	(void)in;
	return xvs_least_run(l, XVS_CHUNK_OF(xvs_sched_wlc_step));
}

#endif /* XVS_SCHED_WLC_H */
