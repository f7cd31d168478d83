// SPDX-License-Identifier: GPL-2.0
/* wlc's registration; the algorithm is in sched_wlc.h, shared with BPF. */
#include "sched_wlc.h"

const struct xvs_sched_ops xvs_sched_wlc = {
	.name = "wlc",
	.id = XVS_SCHED_WLC,
	.pick = xvs_sched_wlc_pick,
	.relink = xvs_sched_relink_stateless,
};
