// SPDX-License-Identifier: GPL-2.0
/* lblcr's registration; the algorithm is in sched_lblcr.h, shared with
 * BPF. */
#include "sched_lblcr.h"

const struct xvs_sched_ops xvs_sched_lblcr = {
	.name = "lblcr",
	.id = XVS_SCHED_LBLCR,
	.pick = xvs_sched_lblcr_pick,
	.relink = xvs_sched_relink_stateless,
};
