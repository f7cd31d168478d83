// SPDX-License-Identifier: GPL-2.0
/* sh's table and registration; the lookup is in sched_sh.h, shared with
 * BPF. */
#include "sched_sh.h"

/*
 * ip_vs_sh_reassign: walking the list round and round, each real server
 * takes `weight` consecutive buckets; d_count >= weight moves on, so a
 * weight-0 server takes one. An empty list leaves every bucket empty.
 */
static int sh_build(const struct xvs_table_src *src,
		    struct xvs_sched_table *out)
{
	const struct xvs_sched_list *l = src->list;
	__u32 p = 0;
	__s32 d_count = 0;

	out->size = XVS_HASH_TAB_SIZE;
	for (__u32 i = 0; i < XVS_HASH_TAB_SIZE; i++) {
		if (!l->n) {
			out->slot[i] = XVS_TABLE_NONE;
			continue;
		}
		out->slot[i] = (__u16)p;
		if (++d_count >= l->e[p].weight) {
			p = (p + 1) % l->n;
			d_count = 0;
		}
	}
	return 0;
}

const struct xvs_sched_ops xvs_sched_sh = {
	.name = "sh",
	.id = XVS_SCHED_SH,
	.pick = xvs_sched_sh_pick,
	.relink = xvs_sched_relink_stateless,
	.table_build = sh_build,
};
