// SPDX-License-Identifier: GPL-2.0
/*
 * The real servers' load as the schedulers see it in user space. The data
 * plane reads it from the dest_conns map (bpf/schedule.h); here whoever
 * runs a scheduler (the unit tests, the data-plane model check, later the
 * layer-7 proxy) installs a table indexed by dest id. The daemon never
 * picks, so it installs none.
 */
#include <string.h>
#include "scheduler.h"

static const struct xvs_sched_load *load_table;
static __u32 load_n;

void xvs_sched_load_install(const struct xvs_sched_load *table, __u32 n)
{
	load_table = table;
	load_n = table ? n : 0;
}

void xvs_sched_load(__u32 dest_id, struct xvs_sched_load *out)
{
	if (dest_id < load_n)
		*out = load_table[dest_id];
	else
		memset(out, 0, sizeof(*out));
}
