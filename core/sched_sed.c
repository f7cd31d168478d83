// SPDX-License-Identifier: GPL-2.0
/* sed's registration; the algorithm is in sched_sed.h, shared with BPF. */
#include "sched_sed.h"

const struct xvs_sched_ops xvs_sched_sed = {
	.name = "sed",
	.id = XVS_SCHED_SED,
	.pick = xvs_sched_sed_pick,
	.relink = xvs_sched_relink_stateless,
};
