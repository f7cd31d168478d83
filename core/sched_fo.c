// SPDX-License-Identifier: GPL-2.0
/* fo's registration; the algorithm is in sched_fo.h, shared with BPF. */
#include "sched_fo.h"

const struct xvs_sched_ops xvs_sched_fo = {
	.name = "fo",
	.id = XVS_SCHED_FO,
	.pick = xvs_sched_fo_pick,
	.relink = xvs_sched_relink_stateless,
};
