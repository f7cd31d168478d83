// SPDX-License-Identifier: GPL-2.0
/* lc's registration; the algorithm is in sched_lc.h, shared with BPF. */
#include "sched_lc.h"

const struct xvs_sched_ops xvs_sched_lc = {
	.name = "lc",
	.id = XVS_SCHED_LC,
	.pick = xvs_sched_lc_pick,
	.relink = xvs_sched_relink_stateless,
};
