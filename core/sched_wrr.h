/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weighted round-robin, exactly as IPVS's ip_vs_wrr.c.
 *
 * IPVS walks the list from the last pick looking for a real server with
 * weight >= cw; at the end of the list cw drops by di (the gcd of the
 * weights) and the walk restarts from the head; when cw reaches 0 it
 * wraps to mw. With weights A=4, B=3, C=2 that gives A A B A B C A B C.
 *
 * IPVS may walk the list once per cw level (up to mw/di levels). We reach
 * the same result with at most three O(n) scans: a level above the largest
 * available weight cannot match anything, so those levels are skipped with
 * arithmetic instead of walked (divisions are unsigned: BPF has no signed
 * division, and every operand is positive). Because every weight is a multiple of di,
 * the largest available weight is >= di, which is >= the last level before
 * cw wraps, so skipping never crosses a wrap.
 */
#ifndef XVS_SCHED_WRR_H
#define XVS_SCHED_WRR_H

#include "scheduler.h"

XVS_INLINE __s32 xvs_sched_wrr_pick(const struct xvs_sched_list *l,
				   __u64 *state,
				   const struct xvs_sched_in *in)
{
	__u32 last = xvs_state_pos(*state);
	__s32 cw = xvs_state_cw(*state);
	__s32 mw = l->mw, di = l->di > 0 ? l->di : 1;
	__s32 wa, k, levels;
	__u32 n = l->n, to = n;
	int restarted = 0;

	(void)in;
	if (mw <= 0) /* all weights 0: "no destination available" */
		return -1;
	if (last != XVS_POS_HEAD && last >= n)
		last = XVS_POS_HEAD;
	if (cw <= 0 || cw > mw)
		cw = mw;

	/* The walk IPVS starts with: after the last pick, at the current cw. */
	k = xvs_scan_first(l, last == XVS_POS_HEAD ? 0 : last + 1, n, cw);
	if (k >= 0)
		goto found;

	wa = xvs_scan_max_weight(l);
	if (wa <= 0) {
		/*
		 * Nothing is available: every server with a weight is
		 * OVERLOAD. IPVS then loops through the levels and stops
		 * either at the head with cw = mw, or (when it had to wrap
		 * first) at the last pick with cw on the last level
		 * (test_sched.c: sched_wrr_all_overloaded).
		 */
		if (last == XVS_POS_HEAD || cw - di > 0) {
			*state = xvs_state_with(*state, mw, XVS_POS_HEAD);
		} else {
			cw = (__s32)((__u32)(mw - 1) % (__u32)di) + 1;
			*state = xvs_state_with(*state, cw, last);
		}
		return -1;
	}

	/* End of the list: next level, wrapping to mw below 1. */
	cw -= di;
	if (cw <= 0) {
		cw = mw;
		restarted = 1;
	}
	/* Levels above the largest available weight match nothing. */
	if (cw > wa) {
		levels = (__s32)((__u32)(cw - wa + di - 1) / (__u32)di);
		cw -= levels * di;
	}
	/*
	 * On the last level after a wrap IPVS stops at the last pick (`stop`):
	 * the servers after it were already tried on this level.
	 */
	if (cw <= di && restarted && last != XVS_POS_HEAD)
		to = last + 1;
	k = xvs_scan_first(l, 0, to, cw);
	if (k < 0) {
		/* "all destinations are overloaded": IPVS leaves cl at stop. */
		*state = xvs_state_with(*state, cw, last);
		return -1;
	}
found:
	*state = xvs_state_with(*state, cw, (__u32)k);
	return k;
}

/*
 * IPVS's ip_vs_wrr_dest_changed: back to the head of the list, and cw
 * re-fitted to the new mw and di. mw and di are the new list's.
 */
XVS_INLINE __s32 xvs_sched_wrr_relink_cw(const struct xvs_sched_list *new,
					 __s32 cw)
{
	if (cw > new->mw || cw == 0)
		return new->mw;
	if (new->di > 1)
		return (__s32)((__u32)cw / (__u32)new->di) * new->di + 1;
	return cw;
}

#endif /* XVS_SCHED_WRR_H */
