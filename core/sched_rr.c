// SPDX-License-Identifier: GPL-2.0
/* rr's registration; the algorithm is in sched_rr.h, shared with BPF. */
#include "sched_rr.h"

static __u64 rr_relink(const struct xvs_sched_list *old,
		       const struct xvs_sched_list *new, __u64 state)
{
	return xvs_state_with(state, 0,
			      xvs_sched_rr_relink_pos(old, new,
						      xvs_state_pos(state)));
}

const struct xvs_sched_ops xvs_sched_rr = {
	.name = "rr",
	.id = XVS_SCHED_RR,
	.pick = xvs_sched_rr_pick,
	.relink = rr_relink,
};
