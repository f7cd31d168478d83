// SPDX-License-Identifier: GPL-2.0
/* ovf's registration; the algorithm is in sched_ovf.h, shared with BPF. */
#include "sched_ovf.h"

const struct xvs_sched_ops xvs_sched_ovf = {
	.name = "ovf",
	.id = XVS_SCHED_OVF,
	.pick = xvs_sched_ovf_pick,
	.relink = xvs_sched_relink_stateless,
};
