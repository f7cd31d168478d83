/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling a new connection in the data plane: the schedulers of core/
 * run against the published list, and the pick is committed with one
 * compare-and-swap of the service's state word. If the daemon published a
 * new list, or another CPU scheduled meanwhile, the CAS fails and we
 * schedule again against the new state, so picks are serialised exactly
 * as under IPVS's sched_lock, without a lock.
 */
#ifndef XVS_BPF_SCHED_H
#define XVS_BPF_SCHED_H

#include "maps.h"
#include "scheduler.h"

/* The live load of a real server for the schedulers (core/scheduler.h):
 * its counts and OVERLOAD flag in dest_conns. Defined before the
 * schedulers so that every one of them inlines it. */
static __always_inline void xvs_sched_load(__u32 dest_id,
					   struct xvs_sched_load *out)
{
	struct xvs_dest_conns *c = bpf_map_lookup_elem(&dest_conns, &dest_id);

	if (!c) {
		out->activeconns = out->inactconns = out->flags = 0;
		return;
	}
	out->activeconns = *(volatile __u32 *)&c->activeconns;
	out->inactconns = *(volatile __u32 *)&c->inactconns;
	out->flags = *(volatile __u32 *)&c->flags;
}

#include "sched_rr.h"
#include "sched_wrr.h"
#include "sched_lc.h"
#include "sched_wlc.h"
#include "sched_sed.h"
#include "sched_nq.h"
#include "sched_fo.h"
#include "sched_ovf.h"
#include "sched_twos.h"
#include "sched_sh.h"
#include "sched_dh.h"
#include "sched_mh.h"

/* Slots in a sched_tables value, set by the daemon at load time with the
 * map's value size (core/sched_hash.h). */
const volatile __u32 xvs_table_slots = XVS_MH_TAB_SIZE_DEFAULT;

#define XVS_SCHED_TRIES 8

/* clang 14 cannot lower __atomic_load_n for BPF; an aligned 64-bit load is
 * single-copy atomic, and the compare-and-swap orders what matters. */
#define READ_WORD(p) (*(volatile __u64 *)(p))

/* Scheduler state words, indexed by svc_id; memory-mapped by the daemon. */
__u64 xvs_sched_state[XVS_MAX_SERVICES];

#define XVS_SCHED_NONE -1 /* no real server available */
#define XVS_SCHED_BUSY -2 /* state kept changing: gave up */

/*
 * The schedulers as global BPF functions. The verifier checks a global
 * function once, on its own, instead of once per call site and caller
 * state: with every scheduler inlined the program took a million
 * instructions and seconds to verify; this way it takes a tenth of that.
 * Global functions see no pointers inside their arguments, so the packet
 * key travels by value in struct xvs_sched_args and the table pointer is
 * looked up inside.
 */
struct xvs_sched_args {
	struct xvs_conn_key key;
	__u32 flags;
	__u32 rand[2];
	__u32 table_key; /* sched_tables key of the list's slot */
	__u32 svc_id;    /* lblc, lblcr: their caches are per service */
	__u64 now_ns;    /* lblc, lblcr: the packet's clock */
};

#include "sched_cache.h"

#define XVS_GLOBAL_PICK(name, with_table)                                  \
	__noinline int xvs_pick_##name(const struct xvs_sched_list *l,     \
				       __u64 *state,                       \
				       const struct xvs_sched_args *a)     \
	{                                                                  \
		struct xvs_sched_in in = { 0 };                            \
		__u32 tk;                                                  \
                                                                           \
		if (!l || !state || !a)                                    \
			return -1;                                         \
		in.key = &a->key;                                          \
		in.flags = a->flags;                                       \
		in.rand[0] = a->rand[0];                                   \
		in.rand[1] = a->rand[1];                                   \
		if (with_table) {                                          \
			tk = a->table_key;                                 \
			in.table = bpf_map_lookup_elem(&sched_tables, &tk); \
			if (!in.table)                                     \
				return -1;                                 \
		}                                                          \
		return xvs_sched_##name##_pick(l, state, &in);             \
	}

XVS_GLOBAL_PICK(rr, 0)
XVS_GLOBAL_PICK(wrr, 0)
XVS_GLOBAL_PICK(lc, 0)
XVS_GLOBAL_PICK(wlc, 0)
XVS_GLOBAL_PICK(sed, 0)
XVS_GLOBAL_PICK(nq, 0)
XVS_GLOBAL_PICK(fo, 0)
XVS_GLOBAL_PICK(ovf, 0)
XVS_GLOBAL_PICK(twos, 0)
XVS_GLOBAL_PICK(sh, 1)
XVS_GLOBAL_PICK(dh, 1)
XVS_GLOBAL_PICK(mh, 1)

/* lblc and lblcr pick on their caches' entries (bpf/sched_cache.h). */
__noinline int xvs_pick_lblc(const struct xvs_sched_list *l, __u64 *state,
			     const struct xvs_sched_args *a)
{
	if (!l || !state || !a)
		return -1;
	return locality_lblc(l, state, a);
}

__noinline int xvs_pick_lblcr(const struct xvs_sched_list *l, __u64 *state,
			      const struct xvs_sched_args *a)
{
	if (!l || !state || !a)
		return -1;
	return locality_lblcr_look(l, a);
}

__noinline int xvs_pick_lblcr_choose(const struct xvs_sched_list *l)
{
	if (!l)
		return -1;
	return locality_lblcr_choose(l);
}

__noinline int xvs_pick_lblcr_add(const struct xvs_sched_list *l,
				  __u64 *state)
{
	if (!l || !state)
		return -1;
	return locality_lblcr_add(l, state);
}

static __always_inline __s32 sched_pick(__u32 sched_id,
					const struct xvs_sched_list *l,
					__u64 *state,
					const struct xvs_sched_args *a)
{
	__s32 k;

	switch (sched_id) {
	case XVS_SCHED_RR:
		return xvs_pick_rr(l, state, a);
	case XVS_SCHED_WRR:
		return xvs_pick_wrr(l, state, a);
	case XVS_SCHED_LC:
		return xvs_pick_lc(l, state, a);
	case XVS_SCHED_WLC:
		return xvs_pick_wlc(l, state, a);
	case XVS_SCHED_SED:
		return xvs_pick_sed(l, state, a);
	case XVS_SCHED_NQ:
		return xvs_pick_nq(l, state, a);
	case XVS_SCHED_FO:
		return xvs_pick_fo(l, state, a);
	case XVS_SCHED_OVF:
		return xvs_pick_ovf(l, state, a);
	case XVS_SCHED_TWOS:
		return xvs_pick_twos(l, state, a);
	case XVS_SCHED_SH:
		return xvs_pick_sh(l, state, a);
	case XVS_SCHED_DH:
		return xvs_pick_dh(l, state, a);
	case XVS_SCHED_MH:
		return xvs_pick_mh(l, state, a);
	case XVS_SCHED_LBLC:
		return xvs_pick_lblc(l, state, a);
	case XVS_SCHED_LBLCR:
		k = -1;
		if (!xvs_pick_lblcr(l, state, a))
			k = xvs_pick_lblcr_choose(l);
		return k >= 0 ? k : xvs_pick_lblcr_add(l, state);
	}
	return -1;
}


/*
 * The retry loop runs on the kernel's numeric iterator (bpf_iter_num, an
 * open-coded iterator): the verifier checks its body until the states
 * converge, about twice, where a bounded for loop had it check every
 * scheduler once per try. Declared here as the kernel exports them.
 */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start,
			    int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;

/*
 * One try against the state word as it is now: XVS_SCHED_BUSY if the word
 * changed under us (try again), else the chosen dest id or
 * XVS_SCHED_NONE.
 */
static __always_inline __s64 sched_try(__u32 svc_id, __u32 sched_id,
				       struct xvs_sched_args *a)
{
	__u64 *word = &xvs_sched_state[svc_id], old, new;
	struct xvs_sched_list *l;
	__u32 key;
	__s32 k;

	old = READ_WORD(word);
	key = svc_id * 2 + xvs_state_slot(old);
	l = bpf_map_lookup_elem(&sched_lists, &key);
	if (!l)
		return XVS_SCHED_NONE;
	a->table_key = key;
	new = old;
	k = sched_pick(sched_id, l, &new, a);
	if (k >= XVS_MAX_DESTS_PER_SVC)
		return XVS_SCHED_BUSY;
	/* Commit; an unchanged state is still re-checked, so that a list
	 * republished while we read it is never used. */
	if (new != old) {
		if (__sync_val_compare_and_swap(word, old, new) != old)
			return XVS_SCHED_BUSY;
	} else if (READ_WORD(word) != old) {
		return XVS_SCHED_BUSY;
	}
	if (sched_has_cache(sched_id))
		locality_store(sched_id);
	return k < 0 ? XVS_SCHED_NONE : l->e[k].dest_id;
}

/* Schedules the new connection flow of service svc at now (the packet's
 * bpf_ktime_get_coarse_ns). Returns the chosen dest id, XVS_SCHED_NONE or
 * XVS_SCHED_BUSY. */
static __always_inline __s64 sched_schedule(const struct xvs_svc_dp *svc,
					    const struct xvs_conn_key *flow,
					    __u64 now)
{
	struct xvs_sched_args a = {
		.key = *flow,
		.flags = svc->sched_flags,
		.svc_id = svc->svc_id,
		.now_ns = now,
	};
	__u32 svc_id = svc->svc_id, sched_id = svc->sched_id;
	__s64 res = XVS_SCHED_BUSY;
	struct bpf_iter_num it;

	if (svc_id >= XVS_MAX_SERVICES)
		return XVS_SCHED_NONE;
	/* Only twos draws; every try of this flow uses the same draws. */
	if (sched_id == XVS_SCHED_TWOS) {
		a.rand[0] = bpf_get_prandom_u32();
		a.rand[1] = bpf_get_prandom_u32();
	}
	bpf_iter_num_new(&it, 0, XVS_SCHED_TRIES);
	while (bpf_iter_num_next(&it)) {
		res = sched_try(svc_id, sched_id, &a);
		if (res != XVS_SCHED_BUSY)
			break;
	}
	bpf_iter_num_destroy(&it);
	return res;
}

#endif /* XVS_BPF_SCHED_H */
