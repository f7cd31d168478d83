/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maglev hashing, as IPVS's ip_vs_mh.c: a lookup table of M slots (a
 * prime, 4093 by default) that the daemon populates from each real
 * server's preference permutation (xvs_sched_mh_build, core/sched_mh.c),
 * indexed by hsiphash of the client's address (and port with mh-port).
 * The table is built from the servers' last non-zero weights, so a server
 * set to weight 0 keeps its slots; lookups reject it (and OVERLOAD
 * servers) unless mh-fallback walks on to another slot.
 */
#ifndef XVS_SCHED_MH_H
#define XVS_SCHED_MH_H

#include "sched_hash.h"

#define XVS_MH_FLAG_FALLBACK XVS_SCHED_FLAG_1 /* -b mh-fallback */
#define XVS_MH_FLAG_PORT XVS_SCHED_FLAG_2     /* -b mh-port
						* (xvs_sched_hash_base) */

/* Cost: one hsiphash; with mh-fallback up to M more when servers are
 * unavailable. */
XVS_INLINE __s32 xvs_sched_mh_pick(const struct xvs_sched_list *l,
				   __u64 *state, const struct xvs_sched_in *in)
{
	const struct xvs_sched_table *t = in->table;
	struct xvs_probe pr = { .list = l, .table = t, .mh = 1 };

	(void)state;
	if (!t || !t->size)
		return -1;
	pr.size = t->size;
	pr.base = xvs_sched_hash_base(in);
	pr.ihash = xvs_mh_hash(pr.base, 0, XVS_MH_KEY1) % pr.size;
	return xvs_probe_pick(&pr, in->flags & XVS_MH_FLAG_FALLBACK);
}

#ifndef __bpf__
/* CONFIG_IP_VS_MH_TAB_INDEX - 8 for table size m, or -1 if m is not one
 * of IPVS's primes (251 509 1021 2039 4093 8191 16381 32749 65521
 * 131071). */
int xvs_mh_size_index(__u32 m);
#endif

#endif /* XVS_SCHED_MH_H */
