/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler interface shared by the XDP program and user space.
 *
 * Every scheduler is a pair of pure functions over a published
 * struct xvs_sched_list and the service's 64-bit state word:
 *   pick(list, &state, in)     -> list index of the chosen real server or -1;
 *                                 may update the state (also on failure, as
 *                                 IPVS's schedulers do); in says what the
 *                                 scheduler may know about the new
 *                                 connection (struct xvs_sched_in)
 *   relink(old, new, state)    -> the state to publish with a changed list
 *                                 (IPVS's add_dest / del_dest / upd_dest)
 * The same code runs in the data plane (inside a compare-and-swap loop on
 * the state word) and in the unit tests; there is no second copy.
 */
#ifndef XVS_SCHEDULER_H
#define XVS_SCHEDULER_H

#include "xvs_model.h"

enum xvs_sched_id {
	XVS_SCHED_RR = 1,
	XVS_SCHED_WRR = 2,
	/* the rest numbered in the order of IPVS's list (core/sched.c) */
	XVS_SCHED_LC = 3,
	XVS_SCHED_WLC = 4,
	XVS_SCHED_LBLC = 5,
	XVS_SCHED_LBLCR = 6,
	XVS_SCHED_DH = 7,
	XVS_SCHED_SH = 8,
	XVS_SCHED_SED = 9,
	XVS_SCHED_NQ = 10,
	XVS_SCHED_FO = 11,
	XVS_SCHED_OVF = 12,
	XVS_SCHED_MH = 13,
	XVS_SCHED_TWOS = 14,
};

/* -b flags (xvs_cmd.sched_flags, xvs_sched_in.flags); sh-* and mh-* are
 * aliases. */
#define XVS_SCHED_FLAG_1 (1u << 0) /* flag-1, sh-fallback, mh-fallback */
#define XVS_SCHED_FLAG_2 (1u << 1) /* flag-2, sh-port, mh-port */
#define XVS_SCHED_FLAG_3 (1u << 2) /* flag-3 */

/* What a scheduler may use about the connection it schedules. */
struct xvs_sched_in {
	const struct xvs_conn_key *key; /* the first packet's 5-tuple */
	__u32 flags;                    /* the service's XVS_SCHED_FLAG_* */
	__u32 rand[2];                  /* two random 32-bit values (twos) */
	const void *table; /* the service's published lookup table (sh, dh,
			    * mh), NULL for the others */
};

/*
 * A real server's live load, as IPVS's schedulers read it from the dest:
 * activeconns, inactconns and the OVERLOAD flag (set and cleared by the
 * connection thresholds, -x/-y). xvs_sched_load(dest_id, &out) fills it:
 * in BPF from the dest_conns map (bpf/schedule.h), in user space from the
 * table installed with xvs_sched_load_install (core/sched_load.c); a dest
 * without an entry reads as idle and not overloaded.
 */
#define XVS_DEST_LOAD_OVERLOAD XVS_DEST_CONNS_OVERLOAD

struct xvs_sched_load {
	__u32 activeconns;
	__u32 inactconns;
	__u32 flags; /* XVS_DEST_LOAD_* */
};

#ifdef __bpf__
static __always_inline void xvs_sched_load(__u32 dest_id,
					   struct xvs_sched_load *out);
#else
void xvs_sched_load(__u32 dest_id, struct xvs_sched_load *out);
/* Makes table[dest_id] (dest_id < n) the load xvs_sched_load reports;
 * NULL uninstalls. The table is the caller's and must outlive its use. */
void xvs_sched_load_install(const struct xvs_sched_load *table, __u32 n);
#endif

/* IPVS's "available": weight > 0 and not OVERLOAD. */
XVS_INLINE int xvs_sched_available(const struct xvs_sched_entry *e)
{
	struct xvs_sched_load ld;

	if (e->weight <= 0)
		return 0;
	xvs_sched_load(e->dest_id, &ld);
	return !(ld.flags & XVS_DEST_LOAD_OVERLOAD);
}

/* State word accessors; layout documented in xvs_model.h. */
XVS_INLINE __s32 xvs_state_cw(__u64 s)
{
	return (__s32)(__u32)s;
}

XVS_INLINE __u32 xvs_state_pos(__u64 s)
{
	return (__u32)(s >> 32) & 0xffffu;
}

XVS_INLINE __u32 xvs_state_slot(__u64 s)
{
	return (__u32)(s >> 48) & 1u;
}

XVS_INLINE __u32 xvs_state_gen(__u64 s)
{
	return (__u32)(s >> 49);
}

XVS_INLINE __u64 xvs_state_make(__s32 cw, __u32 pos, __u32 slot, __u32 gen)
{
	return (__u64)(__u32)cw | ((__u64)(pos & 0xffffu) << 32) |
	       ((__u64)(slot & 1u) << 48) | ((__u64)(gen & 0x7fffu) << 49);
}

XVS_INLINE __u64 xvs_state_with(__u64 s, __s32 cw, __u32 pos)
{
	return xvs_state_make(cw, pos, xvs_state_slot(s), xvs_state_gen(s));
}

/*
 * Scan primitive: the first index k in [from, to) whose real server is
 * available (xvs_sched_available) with weight >= min_weight, or -1. Cost
 * O(to - from), one load lookup per server with weight > 0. In BPF it
 * runs under bpf_loop() so the verifier checks the body once, whatever the
 * number of real servers.
 */
struct xvs_scan {
	const struct xvs_sched_list *list;
	__u32 from;
	__s32 min_weight;
	__s32 found;
	__s32 max_weight; /* largest weight of an available server seen */
};

/*
 * The loop every scan of a list runs: step(i, ctx) for i = 0 .. n-1 until
 * it returns non-zero; n is capped at XVS_MAX_DESTS_PER_SVC (at max with
 * xvs_sched_loop_max: sh and mh walk their tables). In BPF it is
 * bpf_loop(), so the verifier checks step once; step is declared with
 * XVS_LOOP_FN.
 */
#ifdef __bpf__
#define XVS_LOOP_FN static long
#else
#define XVS_LOOP_FN static inline long
#endif

XVS_INLINE void xvs_sched_loop_max(__u32 n, __u32 max,
				   long (*step)(__u32 i, void *ctx),
				   void *ctx)
{
	if (n > max)
		n = max;
#ifdef __bpf__
	bpf_loop(n, step, ctx, 0);
#else
	for (__u32 i = 0; i < n; i++)
		if (step(i, ctx))
			break;
#endif
}

XVS_INLINE void xvs_sched_loop(__u32 n, long (*step)(__u32 i, void *ctx),
			       void *ctx)
{
	xvs_sched_loop_max(n, XVS_MAX_DESTS_PER_SVC, step, ctx);
}

/*
 * The chunked loop, for a step that costs little next to a bpf_loop()
 * callback (an indirect call through the helper, dear under retpolines
 * and return-stack mitigations): in BPF each callback runs XVS_LOOP_CHUNK
 * steps in a row, the step inlined into it, so a pass over n servers
 * pays n / XVS_LOOP_CHUNK calls; the verifier still checks one callback.
 * User space runs the step once per index, as xvs_sched_loop. The last
 * chunk runs steps past n, so the step must return non-zero for every
 * i >= n. A step is declared with XVS_STEP_FN, followed by
 * XVS_LOOP_CHUNKED(step) (the chunk callback, in BPF only), and run as
 * xvs_sched_loop_chunked(n, XVS_CHUNK_OF(step), ctx).
 *
 * Why 4: the verifier's work grows faster than the chunk (each step's
 * branches and the index it may store into the caller's frame multiply
 * the states it keeps): 4 costs the whole program about half again as
 * many verified instructions as 1, 8 over five times as many.
 */
#define XVS_LOOP_CHUNK 4
#define XVS_STEP_FN XVS_INLINE long

#ifdef __bpf__
#define XVS_CHUNK_OF(step) step##_chunk
#define XVS_LOOP_CHUNKED(step)                                        \
	XVS_LOOP_FN step##_chunk(__u32 c, void *ctx)                  \
	{                                                             \
		__u32 i = c * XVS_LOOP_CHUNK;                         \
                                                                      \
		_Pragma("unroll")                                     \
		for (__u32 j = 0; j < XVS_LOOP_CHUNK; j++)            \
			if (step(i + j, ctx))                         \
				return 1;                             \
		return 0;                                             \
	}
#else
#define XVS_CHUNK_OF(step) step
#define XVS_LOOP_CHUNKED(step)
#endif

XVS_INLINE void xvs_sched_loop_chunked(__u32 n,
				       long (*fn)(__u32 i, void *ctx),
				       void *ctx)
{
#ifdef __bpf__
	if (n > XVS_MAX_DESTS_PER_SVC)
		n = XVS_MAX_DESTS_PER_SVC;
	bpf_loop((n + XVS_LOOP_CHUNK - 1) / XVS_LOOP_CHUNK, fn, ctx, 0);
#else
	xvs_sched_loop(n, fn, ctx);
#endif
}

XVS_LOOP_FN xvs_scan_step(__u32 i, void *data)
{
	struct xvs_scan *sc = data;
	__u32 k = sc->from + i;
	__s32 w;

	if (k >= XVS_MAX_DESTS_PER_SVC)
		return 1;
	w = sc->list->e[k].weight;
	/* Neither a match nor a new maximum: spare the load lookup. */
	if (w <= sc->max_weight && (sc->min_weight <= 0 || w < sc->min_weight))
		return 0;
	if (!xvs_sched_available(&sc->list->e[k]))
		return 0;
	if (w > sc->max_weight)
		sc->max_weight = w;
	if (sc->min_weight > 0 && w >= sc->min_weight) {
		sc->found = (__s32)k;
		return 1;
	}
	return 0;
}

/* Runs the scan over [from, to); min_weight 0 visits every entry (to find
 * the maximum available weight). */
XVS_INLINE void xvs_scan_run(struct xvs_scan *sc, __u32 to)
{
	__u32 n = to > sc->from ? to - sc->from : 0;

	sc->found = -1;
	sc->max_weight = 0;
	xvs_sched_loop(n, xvs_scan_step, sc);
}

XVS_INLINE __s32 xvs_scan_first(const struct xvs_sched_list *l, __u32 from,
				__u32 to, __s32 min_weight)
{
	struct xvs_scan sc = { .list = l, .from = from, .min_weight = min_weight };

	xvs_scan_run(&sc, to);
	return sc.found;
}

XVS_INLINE __s32 xvs_scan_max_weight(const struct xvs_sched_list *l)
{
	struct xvs_scan sc = { .list = l, .from = 0, .min_weight = 0 };

	xvs_scan_run(&sc, l->n);
	return sc.max_weight;
}

#ifndef __bpf__
struct xvs_table_src;
struct xvs_sched_table;

/*
 * User-space side of a scheduler: its name and the two functions above,
 * registered in core/sched.c. The data plane calls the same inline
 * functions through a switch on enum xvs_sched_id (bpf/schedule.h).
 */
struct xvs_sched_ops {
	const char *name;
	enum xvs_sched_id id;
	__s32 (*pick)(const struct xvs_sched_list *l, __u64 *state,
		      const struct xvs_sched_in *in);
	/* State for the new list (cw and pos only; slot and gen untouched). */
	__u64 (*relink)(const struct xvs_sched_list *old,
			const struct xvs_sched_list *new, __u64 state);
	/* sh, dh, mh: the lookup table to publish with src->list, 0 or
	 * -errno (core/sched_hash.h); NULL for schedulers without one. */
	int (*table_build)(const struct xvs_table_src *src,
			   struct xvs_sched_table *out);
};

/* relink for schedulers that keep no state in the word (pos and cw
 * stay at their initial values). */
__u64 xvs_sched_relink_stateless(const struct xvs_sched_list *old,
				 const struct xvs_sched_list *new,
				 __u64 state);

extern const struct xvs_sched_ops xvs_sched_rr, xvs_sched_wrr;
extern const struct xvs_sched_ops xvs_sched_lc, xvs_sched_wlc, xvs_sched_sed,
	xvs_sched_nq, xvs_sched_fo, xvs_sched_ovf, xvs_sched_twos;
extern const struct xvs_sched_ops xvs_sched_sh, xvs_sched_dh, xvs_sched_mh;
extern const struct xvs_sched_ops xvs_sched_lblc, xvs_sched_lblcr;

/* The scheduler called name, or NULL if xvs does not implement it. */
const struct xvs_sched_ops *xvs_sched_find(const char *name);
const struct xvs_sched_ops *xvs_sched_by_id(unsigned int id);
/* 1 if name is one of IPVS's schedulers, built or not. */
int xvs_sched_is_ipvs_name(const char *name);
/* Space-separated names of the schedulers that are built, for messages. */
const char *xvs_sched_built_names(void);

/* Greatest common divisor of a, b > 0 (wrr's di, mh's scaling). */
__s32 xvs_sched_gcd(__s32 a, __s32 b);

/* State word of a service that has no real servers yet. */
__u64 xvs_sched_state_init(void);
/* Fills mw and di from the weights in l->e[0..n). */
void xvs_sched_list_finish(struct xvs_sched_list *l);
/* The state word that publishes new (in slot new_slot) after old. */
__u64 xvs_sched_publish(const struct xvs_sched_ops *ops,
			const struct xvs_sched_list *old,
			const struct xvs_sched_list *new, __u64 state,
			__u32 new_slot);
#endif

#endif /* XVS_SCHEDULER_H */
