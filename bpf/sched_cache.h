/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lblc's and lblcr's caches in the data plane (lblc_cache, lblcr_cache in
 * maps.h). A pick works on a per-CPU copy of the entry of the packet's
 * (service, destination address), what core/sched_locality.h's picks
 * read and update:
 *   locality_prepare  copies the entry (or starts an empty one) and
 *                     forgets the real servers whose dest id was freed
 *                     or reused since they were cached (their generation
 *                     changed), so an entry never names a stranger;
 *   the pick          on the copy, in bpf/schedule.h's loop;
 *   locality_store    once the pick is committed: stamps newly cached
 *                     servers with their generation and stores the copy.
 *
 * Concurrency: the state-word compare-and-swap does not cover the caches.
 * Two CPUs scheduling new connections to the same destination at the
 * same moment may both work on the entry they read; the last to store
 * wins, so an lblc entry names one of the two picks and an lblcr set may
 * miss a member the other added (it is added again when needed). Each
 * connection still goes to a server its pick chose against a consistent
 * list. IPVS has the same race between its lock-free lookups and the
 * inserts it serialises under svc->sched_lock: two CPUs may both miss
 * and both pick; we do not serialise the store, which at worst loses a
 * member of a replicated set, a cache hint.
 */
#ifndef XVS_BPF_SCHED_CACHE_H
#define XVS_BPF_SCHED_CACHE_H

#include "conn.h" /* xvs_config */
#include "maps.h"
#include "sched_lblc.h"
#include "sched_lblcr.h"

static __always_inline int sched_has_cache(__u32 sched_id)
{
	return sched_id == XVS_SCHED_LBLC || sched_id == XVS_SCHED_LBLCR;
}

/* The cached server is the one still holding its dest id. */
static __always_inline int locality_current(const struct xvs_locality_dest *d)
{
	__u32 id = d->dest_id;
	struct xvs_dest_dp *dp = bpf_map_lookup_elem(&dests, &id);

	return dp && dp->gen && dp->gen == d->gen;
}

static __always_inline void locality_stamp(struct xvs_locality_dest *d)
{
	__u32 id = d->dest_id;
	struct xvs_dest_dp *dp;

	if (d->gen)
		return;
	dp = bpf_map_lookup_elem(&dests, &id);
	d->gen = dp ? dp->gen : 0;
}

/* One lblcr member a step (bpf_loop's context must be on the stack,
 * hence a pointer to the entry there): forget the stale ones (a dest id
 * that is never listed, so that the pick drops them), or stamp. */
struct locality_members {
	struct xvs_lblcr_entry *en;
};

static long locality_check_step(__u32 j, void *data)
{
	struct xvs_lblcr_entry *en = ((struct locality_members *)data)->en;

	if (j >= en->n || j >= XVS_LBLCR_SET_MAX)
		return 1;
	if (!locality_current(&en->set[j]))
		en->set[j].dest_id = XVS_LOCALITY_NONE;
	return 0;
}

static long locality_stamp_step(__u32 j, void *data)
{
	struct xvs_lblcr_entry *en = ((struct locality_members *)data)->en;

	if (j >= en->n || j >= XVS_LBLCR_SET_MAX)
		return 1;
	locality_stamp(&en->set[j]);
	return 0;
}

/* The per-CPU scratch (the same in every step of one packet's pick). */
static __always_inline struct xvs_locality_scratch *locality_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&locality_scratch, &zero);
}

/* The scratch holding a copy of the entry of a's flow and service, and
 * the pick's clock (a's); NULL when the scratch is missing (never). */
static __always_inline struct xvs_locality_scratch *
locality_prepare(__u32 sched_id, const struct xvs_sched_args *a)
{
	const struct xvs_conn_key *flow = &a->key;
	struct locality_members m;
	struct xvs_locality_scratch *s;
	struct xvs_lblcr_entry *rs;
	struct xvs_lblc_entry *cs;

	s = locality_scratch_get();
	if (!s)
		return NULL;
	m.en = &s->lblcr;
	__builtin_memset(&s->key, 0, sizeof(s->key));
	s->key.addr = flow->daddr;
	s->key.svc_id = a->svc_id;
	s->key.af = flow->af;
	s->now_ns = a->now_ns;
	if (sched_id == XVS_SCHED_LBLC) {
		s->expire_ns = (__u64)xvs_config.lblc_expiration_s * 1000000000;
		cs = bpf_map_lookup_elem(&lblc_cache, &s->key);
		if (cs)
			s->lblc = *cs;
		if (!cs || !locality_current(&s->lblc.dest))
			s->lblc.dest.dest_id = XVS_LOCALITY_NONE;
		return s;
	}
	s->expire_ns = (__u64)xvs_config.lblcr_expiration_s * 1000000000;
	rs = bpf_map_lookup_elem(&lblcr_cache, &s->key);
	if (!rs) {
		s->lblcr.n = 0;
		return s;
	}
	s->lblcr = *rs;
	bpf_loop(XVS_LBLCR_SET_MAX, locality_check_step, &m, 0);
	return s;
}

/*
 * The picks, on a copy of the connection's cache entry that waits in the
 * scratch for locality_store. Called from bpf/schedule.h's global
 * functions: lblc's whole pick; lblcr's in its three steps
 * (core/sched_lblcr.h), so that each one's stack frame fits under the
 * packet path's.
 */
static __always_inline __s32 locality_lblc(const struct xvs_sched_list *l,
					   __u64 *state,
					   const struct xvs_sched_args *a)
{
	struct xvs_locality_scratch *s;

	s = locality_prepare(XVS_SCHED_LBLC, a);
	if (!s)
		return -1;
	return xvs_lblc_run(l, state, &s->lblc, s->now_ns, s->expire_ns);
}

static __always_inline int locality_lblcr_look(const struct xvs_sched_list *l,
					       const struct xvs_sched_args *a)
{
	struct xvs_locality_scratch *s;

	s = locality_prepare(XVS_SCHED_LBLCR, a);
	if (!s)
		return -1;
	return xvs_lblcr_look(l, &s->lblcr, s->now_ns, s->expire_ns);
}

static __always_inline __s32
locality_lblcr_choose(const struct xvs_sched_list *l)
{
	struct xvs_locality_scratch *s = locality_scratch_get();

	return s ? xvs_lblcr_choose(l, &s->lblcr, s->expire_ns) : -1;
}

static __always_inline __s32 locality_lblcr_add(const struct xvs_sched_list *l,
						__u64 *state)
{
	struct xvs_locality_scratch *s = locality_scratch_get();

	return s ? xvs_lblcr_add(l, state, &s->lblcr) : -1;
}

/* Stores the copy the pick worked on, once the pick is committed (also
 * when it found no server: the entry was used). */
__noinline int locality_store(__u32 sched_id)
{
	struct xvs_locality_scratch *s = locality_scratch_get();
	struct locality_members m;

	if (!s)
		return 0;
	if (sched_id == XVS_SCHED_LBLC) {
		if (s->lblc.dest.dest_id == XVS_LOCALITY_NONE)
			return 0;
		locality_stamp(&s->lblc.dest);
		bpf_map_update_elem(&lblc_cache, &s->key, &s->lblc, BPF_ANY);
		return 0;
	}
	if (!s->lblcr.n)
		return 0;
	m.en = &s->lblcr;
	bpf_loop(XVS_LBLCR_SET_MAX, locality_stamp_step, &m, 0);
	bpf_map_update_elem(&lblcr_cache, &s->key, &s->lblcr, BPF_ANY);
	return 0;
}

#endif /* XVS_BPF_SCHED_CACHE_H */
