// SPDX-License-Identifier: GPL-2.0
/* dh's table and registration; the lookup is in sched_dh.h, shared with
 * BPF. */
#include "sched_dh.h"

/* ip_vs_dh_reassign: bucket i names the (i mod n)-th real server. */
static int dh_build(const struct xvs_table_src *src,
		    struct xvs_sched_table *out)
{
	const struct xvs_sched_list *l = src->list;

	out->size = XVS_HASH_TAB_SIZE;
	for (__u32 i = 0; i < XVS_HASH_TAB_SIZE; i++)
		out->slot[i] = l->n ? (__u16)(i % l->n) : XVS_TABLE_NONE;
	return 0;
}

const struct xvs_sched_ops xvs_sched_dh = {
	.name = "dh",
	.id = XVS_SCHED_DH,
	.pick = xvs_sched_dh_pick,
	.relink = xvs_sched_relink_stateless,
	.table_build = dh_build,
};
