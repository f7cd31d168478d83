// SPDX-License-Identifier: GPL-2.0
/* lblc's registration; the algorithm is in sched_lblc.h, shared with
 * BPF. */
#include "sched_lblc.h"

const struct xvs_sched_ops xvs_sched_lblc = {
	.name = "lblc",
	.id = XVS_SCHED_LBLC,
	.pick = xvs_sched_lblc_pick,
	.relink = xvs_sched_relink_stateless,
};
