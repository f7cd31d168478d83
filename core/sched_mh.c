// SPDX-License-Identifier: GPL-2.0
/* mh's table (IPVS's ip_vs_mh_permutate and ip_vs_mh_populate) and its
 * registration; the lookup is in sched_mh.h, shared with BPF. */
#include <errno.h>
#include "sched_mh.h"

static const __u32 primes[] = { 251,  509,   1021,  2039,  4093,
				8191, 16381, 32749, 65521, 131071 };

int xvs_mh_size_index(__u32 m)
{
	for (int i = 0; i < (int)(sizeof(primes) / sizeof(primes[0])); i++)
		if (primes[i] == m)
			return i;
	return -1;
}

/* The kernel's fls(): 1-based position of the highest set bit, 0 for 0. */
static int fls(__u32 x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* One real server's walk through the table (ip_vs_mh_dest_setup). */
struct mh_setup {
	__u32 perm; /* next slot to try */
	__u32 skip;
	__s32 turns; /* slots taken per round: weight / gcd >> rshift */
};

/*
 * ip_vs_mh_gcd_weight, ip_vs_mh_shift_weight and ip_vs_mh_permutate:
 * each server starts at hash1(addr, port) % M and steps by
 * hash2 % (M - 1) + 1; its turns come from its last non-zero weight,
 * scaled down by the gcd and by rshift so that the largest takes at most
 * 2^(CONFIG_IP_VS_MH_TAB_INDEX / 2) slots a round. Returns the gcd (0:
 * every last weight is 0, the table stays empty).
 */
static __s32 mh_permutate(const struct xvs_table_src *src, __u32 m,
			  int tab_bits, struct mh_setup *ds)
{
	const struct xvs_sched_list *l = src->list;
	__s32 g = 0, maxw = 0, rshift;

	for (__u32 i = 0; i < l->n; i++) {
		__s32 w = src->dest[i].last_weight;

		if (w > 0)
			g = g > 0 ? xvs_sched_gcd(w, g) : w;
		if (w > maxw)
			maxw = w;
	}
	if (g < 1)
		return 0;
	rshift = fls((__u32)(maxw / g)) - tab_bits;
	if (rshift < 0)
		rshift = 0;
	for (__u32 i = 0; i < l->n; i++) {
		const struct xvs_table_dest *d = &src->dest[i];
		__u32 base = xvs_ntohs(d->port) + xvs_addr_fold(src->af, &d->addr);
		__s32 lw = d->last_weight;

		ds[i].perm = xvs_mh_hash(base, 0, XVS_MH_KEY1) % m;
		ds[i].skip = xvs_mh_hash(base, 0, XVS_MH_KEY2) % (m - 1) + 1;
		ds[i].turns = (lw / g) >> rshift;
		if (!ds[i].turns)
			ds[i].turns = lw != 0;
	}
	return g;
}

/*
 * ip_vs_mh_populate: round after round over the list, each server with
 * turns > 0 claims its next `turns` free slots along its permutation,
 * until all M slots are taken. A slot is free while it holds
 * XVS_TABLE_NONE (IPVS keeps a bitmap). Cost: O(M log M) expected.
 */
static int mh_build(const struct xvs_table_src *src,
		    struct xvs_sched_table *out)
{
	struct mh_setup ds[XVS_MAX_DESTS_PER_SVC]; /* 12 KiB */
	const struct xvs_sched_list *l = src->list;
	__u32 m = src->mh_size, filled = 0;
	int idx = xvs_mh_size_index(m);
	__s32 dt_count = 0;

	if (idx < 0)
		return -EINVAL;
	if (l->n > m || l->n > XVS_MAX_DESTS_PER_SVC)
		return -E2BIG; /* IPVS: num_dests > IP_VS_MH_TAB_SIZE */
	out->size = m;
	for (__u32 i = 0; i < m; i++)
		out->slot[i] = XVS_TABLE_NONE;
	if (!mh_permutate(src, m, (8 + idx) / 2, ds))
		return 0;
	while (filled < m) {
		for (__u32 p = 0; p < l->n;) {
			struct mh_setup *d = &ds[p];
			__u32 c;

			if (d->turns < 1) {
				p++;
				continue;
			}
			for (c = d->perm; out->slot[c] != XVS_TABLE_NONE;
			     c = d->perm) {
				d->perm += d->skip;
				if (d->perm >= m)
					d->perm -= m;
			}
			out->slot[c] = (__u16)p;
			if (++filled == m)
				return 0;
			if (++dt_count >= d->turns) {
				dt_count = 0;
				p++;
			}
		}
	}
	return 0;
}

const struct xvs_sched_ops xvs_sched_mh = {
	.name = "mh",
	.id = XVS_SCHED_MH,
	.pick = xvs_sched_mh_pick,
	.relink = xvs_sched_relink_stateless,
	.table_build = mh_build,
};
