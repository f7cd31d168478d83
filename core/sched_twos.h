/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Power of two choices, as IPVS's ip_vs_twos.c: two servers drawn at
 * random in proportion to their weights, and of the two the one with the
 * smaller overhead / weight.
 *
 * Pass one sums the weights of the available servers (weight > 0, not
 * OVERLOAD). Two random values r1, r2 in [0, total] (IPVS: prandom % (total
 * + 1); the data plane draws them with bpf_get_prandom_u32) are walked down
 * the list in pass two: each available server subtracts its weight, and
 * choice i is the first server at which r_i <= 0. choice2 wins if
 * w2 * oh1 > w1 * oh2. Those products are int in IPVS and wrap as the
 * kernel's do (-fno-strict-overflow); so do ours.
 */
#ifndef XVS_SCHED_TWOS_H
#define XVS_SCHED_TWOS_H

#include "sched_least.h"

struct xvs_twos {
	struct xvs_least b; /* pass one: total weight in b.oh, last in b.k */
	__s32 r[2];	    /* rweight1, rweight2 */
	__s32 k[2];	    /* choice1, choice2 (list index or -1) */
	__s32 w[2];	    /* weight1, weight2: -1 until chosen */
	__s32 oh[2];	    /* overhead1, overhead2 */
};

XVS_STEP_FN xvs_sched_twos_sum(__u32 i, void *data)
{
	struct xvs_least *b = data;
	struct xvs_sched_load ld;
	__s32 w;
	int ok = xvs_least_available(b, i, &w, &ld);

	if (ok > 0)
		xvs_least_take(b, i, w, b->oh + w);
	return ok < 0;
}
XVS_LOOP_CHUNKED(xvs_sched_twos_sum)

XVS_STEP_FN xvs_sched_twos_walk(__u32 i, void *data)
{
	struct xvs_twos *t = data;
	struct xvs_sched_load ld;
	__s32 w;
	int ok = xvs_least_available(&t->b, i, &w, &ld);

	if (ok <= 0)
		return ok < 0;
	for (int c = 0; c < 2; c++) {
		t->r[c] -= w;
		if (t->r[c] <= 0 && t->w[c] == -1) {
			t->k[c] = (__s32)i;
			t->w[c] = w;
			t->oh[c] = xvs_sched_overhead(&ld);
		}
	}
	return t->w[0] != -1 && t->w[1] != -1;
}
XVS_LOOP_CHUNKED(xvs_sched_twos_walk)

/* Cost: two passes over the list. Keeps no state; uses in->rand. */
XVS_INLINE __s32 xvs_sched_twos_pick(const struct xvs_sched_list *l,
				     __u64 *state,
				     const struct xvs_sched_in *in)
{
	struct xvs_twos t = {.b = {.list = l, .k = -1}};
	__u32 total;

	(void)state;
	xvs_sched_loop_chunked(l->n, XVS_CHUNK_OF(xvs_sched_twos_sum), &t.b);
	if (t.b.k < 0)
		return -1; /* no destination available */
	total = (__u32)t.b.oh + 1;
	for (int c = 0; c < 2; c++) {
		t.r[c] = (__s32)(in->rand[c] % total);
		t.k[c] = -1;
		t.w[c] = -1;
		t.oh[c] = 0;
	}
	t.k[0] = t.b.k; /* IPVS's choice1 before the walk: the last one */
	xvs_sched_loop_chunked(l->n, XVS_CHUNK_OF(xvs_sched_twos_walk), &t);
	if (t.k[1] >= 0 && (__s32)((__u32)t.w[1] * (__u32)t.oh[0]) >
				   (__s32)((__u32)t.w[0] * (__u32)t.oh[1]))
		return t.k[1];
	return t.k[0];
}

#endif /* XVS_SCHED_TWOS_H */
