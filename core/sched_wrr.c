// SPDX-License-Identifier: GPL-2.0
/* wrr's registration; the algorithm is in sched_wrr.h, shared with BPF. */
#include "sched_wrr.h"

static __u64 wrr_relink(const struct xvs_sched_list *old,
			const struct xvs_sched_list *new, __u64 state)
{
	(void)old;
	return xvs_state_with(state,
			      xvs_sched_wrr_relink_cw(new, xvs_state_cw(state)),
			      XVS_POS_HEAD);
}

const struct xvs_sched_ops xvs_sched_wrr = {
	.name = "wrr",
	.id = XVS_SCHED_WRR,
	.pick = xvs_sched_wrr_pick,
	.relink = wrr_relink,
};
