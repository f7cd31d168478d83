// SPDX-License-Identifier: GPL-2.0
/* nq's registration; the algorithm is in sched_nq.h, shared with BPF. */
#include "sched_nq.h"

const struct xvs_sched_ops xvs_sched_nq = {
	.name = "nq",
	.id = XVS_SCHED_NQ,
	.pick = xvs_sched_nq_pick,
	.relink = xvs_sched_relink_stateless,
};
