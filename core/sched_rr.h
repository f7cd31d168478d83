/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Round-robin, as IPVS's ip_vs_rr.c: continue after the last pick, take the
 * next available real server (weight > 0, not OVERLOAD), and give up after
 * one full lap.
 */
#ifndef XVS_SCHED_RR_H
#define XVS_SCHED_RR_H

#include "scheduler.h"

/* Cost: O(n) in the worst case (one lap), O(1) when all are available. */
XVS_INLINE __s32 xvs_sched_rr_pick(const struct xvs_sched_list *l,
				   __u64 *state,
				   const struct xvs_sched_in *in)
{
	__u32 pos = xvs_state_pos(*state);
	__u32 n = l->n;
	__s32 k;

	(void)in;
	if (pos != XVS_POS_HEAD && pos >= n) /* cannot happen once published */
		pos = XVS_POS_HEAD;
	/* First pass: after the last pick to the end of the list. */
	k = xvs_scan_first(l, pos == XVS_POS_HEAD ? 0 : pos + 1, n, 1);
	/* Second pass: from the head up to and including the last pick. */
	if (k < 0 && pos != XVS_POS_HEAD)
		k = xvs_scan_first(l, 0, pos + 1, 1);
	if (k >= 0)
		*state = xvs_state_with(*state, 0, (__u32)k);
	return k;
}

/*
 * The position follows the real server it points at, wherever the change
 * moved it; if that server was deleted, it steps back to its predecessor
 * (IPVS's ip_vs_rr_del_dest), so the deleted one's successor comes next.
 */
XVS_INLINE __u32 xvs_sched_rr_relink_pos(const struct xvs_sched_list *old,
					 const struct xvs_sched_list *new,
					 __u32 pos)
{
	for (__s32 p = pos == XVS_POS_HEAD ? -1 : (__s32)pos; p >= 0; p--) {
		if ((__u32)p >= old->n)
			continue;
		for (__u32 j = 0; j < new->n; j++)
			if (new->e[j].dest_id == old->e[p].dest_id)
				return j;
	}
	return XVS_POS_HEAD;
}

#endif /* XVS_SCHED_RR_H */
