// SPDX-License-Identifier: GPL-2.0
/* twos's registration; the algorithm is in sched_twos.h, shared with BPF. */
#include "sched_twos.h"

const struct xvs_sched_ops xvs_sched_twos = {
	.name = "twos",
	.id = XVS_SCHED_TWOS,
	.pick = xvs_sched_twos_pick,
	.relink = xvs_sched_relink_stateless,
};
