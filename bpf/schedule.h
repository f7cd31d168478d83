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

static __always_inline __s32 sched_pick(__u32 sched_id,
					const struct xvs_sched_list *l,
					__u64 *state,
					const struct xvs_sched_in *in)
{
	switch (sched_id) {
	case XVS_SCHED_RR:
		return xvs_sched_rr_pick(l, state, in);
	case XVS_SCHED_WRR:
		return xvs_sched_wrr_pick(l, state, in);
	case XVS_SCHED_LC:
		return xvs_sched_lc_pick(l, state, in);
	case XVS_SCHED_WLC:
		return xvs_sched_wlc_pick(l, state, in);
	case XVS_SCHED_SED:
		return xvs_sched_sed_pick(l, state, in);
	case XVS_SCHED_NQ:
		return xvs_sched_nq_pick(l, state, in);
	case XVS_SCHED_FO:
		return xvs_sched_fo_pick(l, state, in);
	case XVS_SCHED_OVF:
		return xvs_sched_ovf_pick(l, state, in);
	case XVS_SCHED_TWOS:
		return xvs_sched_twos_pick(l, state, in);
	case XVS_SCHED_SH:
		return xvs_sched_sh_pick(l, state, in);
	case XVS_SCHED_DH:
		return xvs_sched_dh_pick(l, state, in);
	case XVS_SCHED_MH:
		return xvs_sched_mh_pick(l, state, in);
	}
	return -1;
}

static __always_inline int sched_has_table(__u32 sched_id)
{
	return sched_id == XVS_SCHED_SH || sched_id == XVS_SCHED_DH ||
	       sched_id == XVS_SCHED_MH;
}

/* Schedules the new connection flow of service svc. Returns the chosen
 * dest id, XVS_SCHED_NONE or XVS_SCHED_BUSY. */
static __always_inline __s64 sched_schedule(const struct xvs_svc_dp *svc,
					    const struct xvs_conn_key *flow)
{
	struct xvs_sched_in in = {
		.key = flow,
		.flags = svc->sched_flags,
		.rand = { bpf_get_prandom_u32(), bpf_get_prandom_u32() },
		.table = NULL, /* sh, dh, mh: the table of the list's slot */
	};
	__u32 svc_id = svc->svc_id;
	__u64 *word, old, new;
	struct xvs_sched_list *l;
	__u32 key, dest_id = 0;
	__s32 k;

	if (svc_id >= XVS_MAX_SERVICES)
		return XVS_SCHED_NONE;
	word = &xvs_sched_state[svc_id];
	for (int i = 0; i < XVS_SCHED_TRIES; i++) {
		old = READ_WORD(word);
		key = svc_id * 2 + xvs_state_slot(old);
		l = bpf_map_lookup_elem(&sched_lists, &key);
		if (!l)
			return XVS_SCHED_NONE;
		if (sched_has_table(svc->sched_id)) {
			in.table = bpf_map_lookup_elem(&sched_tables, &key);
			if (!in.table)
				return XVS_SCHED_NONE;
		}
		new = old;
		k = sched_pick(svc->sched_id, l, &new, &in);
		if (k >= XVS_MAX_DESTS_PER_SVC)
			continue;
		if (k >= 0)
			dest_id = l->e[k].dest_id;
		/* Commit; an unchanged state is still re-checked, so that a
		 * list republished while we read it is never used. */
		if (new != old) {
			if (__sync_val_compare_and_swap(word, old, new) != old)
				continue;
		} else if (READ_WORD(word) != old) {
			continue;
		}
		return k < 0 ? XVS_SCHED_NONE : dest_id;
	}
	return XVS_SCHED_BUSY;
}

#endif /* XVS_BPF_SCHED_H */
