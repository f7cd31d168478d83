/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destination hashing, as IPVS's ip_vs_dh.c: a table of 256 buckets
 * indexed by hash_32 of the packet's destination address; the daemon
 * deals the buckets out one per real server, round and round the list
 * newest first, weights ignored (xvs_sched_dh_build, core/sched_dh.c). A
 * bucket whose server is unavailable (weight 0 or OVERLOAD) schedules
 * nothing: dh has no fallback flag.
 */
#ifndef XVS_SCHED_DH_H
#define XVS_SCHED_DH_H

#include "sched_hash.h"

/* Cost: O(1). */
XVS_INLINE __s32 xvs_sched_dh_pick(const struct xvs_sched_list *l,
				   __u64 *state, const struct xvs_sched_in *in)
{
	const struct xvs_conn_key *key = in->key;
	__u32 h = xvs_hash_32(xvs_addr_fold(key->af, &key->daddr),
			      XVS_HASH_TAB_BITS);

	(void)state;
	return xvs_table_get_available(l, in->table, h);
}

#endif /* XVS_SCHED_DH_H */
