/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Source hashing, as IPVS's ip_vs_sh.c: a table of 256 buckets, each
 * naming a real server, indexed by a hash of the client's address (and
 * its port with sh-port). The daemon fills the table (xvs_sched_sh_build,
 * core/sched_sh.c) walking the list newest first, each server taking
 * `weight` consecutive buckets (a weight-0 server still takes one), round
 * and round until the table is full. A bucket whose server is unavailable
 * (weight 0 or OVERLOAD) schedules nothing, unless sh-fallback walks on.
 */
#ifndef XVS_SCHED_SH_H
#define XVS_SCHED_SH_H

#include "sched_hash.h"

#define XVS_SH_FLAG_FALLBACK XVS_SCHED_FLAG_1 /* -b sh-fallback */
#define XVS_SH_FLAG_PORT XVS_SCHED_FLAG_2     /* -b sh-port
						* (xvs_sched_hash_base) */

/* Cost: O(1); with sh-fallback up to 256 probes when servers are
 * unavailable. */
XVS_INLINE __s32 xvs_sched_sh_pick(const struct xvs_sched_list *l,
				   __u64 *state, const struct xvs_sched_in *in)
{
	struct xvs_probe pr = {
		.list = l,
		.table = in->table,
		.size = XVS_HASH_TAB_SIZE,
		.base = xvs_sched_hash_base(in),
	};

	(void)state;
	pr.ihash = xvs_hash_32(pr.base, XVS_HASH_TAB_BITS);
	return xvs_probe_pick(&pr, in->flags & XVS_SH_FLAG_FALLBACK);
}

#endif /* XVS_SCHED_SH_H */
