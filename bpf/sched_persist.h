/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling a new flow, with persistence as IPVS's ip_vs_sched_persist
 * (ip_vs_core.c); the template keys are core/persist.h's.
 *
 * For a persistent service (-p) the client's template is looked up
 * first. A valid one gives its real server and is refreshed: its timeout
 * starts again, as ip_vs_conn_put() restarts the template's timer when a
 * connection is created under it. A missing one, or one that is invalid
 * (its real server deleted, or quiesced to weight 0 while xvsd runs with
 * --expire-quiescent-template: ip_vs_check_template), makes the scheduler
 * pick, and a new template with the service's timeout records the pick.
 * The connection is then created under the template (conn.h), which it
 * keeps alive: a template past its timeout lives on while it controls
 * connections (core/persist.h, xvs_entry_dead).
 *
 * Differences from IPVS, both invisible to clients: an invalid template
 * is removed at once (IPVS unhashes it and lets it expire, so a quiesced
 * server's PersistConn drops here when its templates are replaced, not
 * later); two CPUs creating the same client's template at the same moment
 * do not both succeed: the loser's packet is dropped (drop_conn_busy) and
 * its retransmission finds the winner's template.
 */
#ifndef XVS_BPF_SCHED_PERSIST_H
#define XVS_BPF_SCHED_PERSIST_H

#include "conn.h"
#include "maps.h"
#include "persist.h"
#include "schedule.h"

/* svc_schedule: the template could not be created (its key taken). */
#define XVS_PERSIST_BUSY -3

/* Is the template ct's real server still one a client may be sent to? */
static __always_inline int tpl_valid(const struct xvs_conn *ct)
{
	__u32 dest_id = ct->dest_id;
	struct xvs_dest_dp *dest = bpf_map_lookup_elem(&dests, &dest_id);

	if (!dest || dest->gen != ct->dest_gen)
		return 0;
	return !(xvs_config.expire_quiescent_template &&
		 (dest->flags & XVS_DEST_F_WEIGHT0));
}

/*
 * The real server of the template at tk, refreshed; or -1 when there is
 * none, or it is dead or invalid (then removed, its PersistConn
 * released). Inlined into the program's main function: conn_remove has
 * no stack to spare for a caller of its own.
 */
static __always_inline __s64 persist_find(struct xvs_conn_key *tk,
					  __u64 now,
					  struct xvs_global_stats *gs)
{
	struct xvs_conn *ct = bpf_map_lookup_elem(&conns, tk);

	if (!ct || (READ_SF(ct) & xvs_conn_flag_word(XVS_CONN_F_DEAD)))
		return -1;
	if (xvs_entry_dead(ct, now)) {
		conn_remove(tk, ct);
		COUNT(conn_expired);
		return -1;
	}
	if (!tpl_valid(ct)) {
		conn_remove(tk, ct);
		COUNT(tpl_invalid);
		return -1;
	}
	if (xvs_conn_expired(ct, now))
		xvs_tpl_rearm(ct, now); /* busy past its time: IPVS re-armed it */
	else
		ct->last_seen_ns = now;
	return ct->dest_id;
}

/* A new template at tk bound to dest_id, with the service's timeout.
 * Returns as conn_insert. */
static __noinline int persist_new(const struct xvs_conn_key *tk,
				  __u32 dest_id, __u32 timeout_s, __u64 now)
{
	struct xvs_dest_dp *dest = bpf_map_lookup_elem(&dests, &dest_id);
	struct xvs_conn c = {
		.last_seen_ns = now,
		.dest_id = dest_id,
		.timeout_s = timeout_s,
	};

	if (!dest || !dest->gen)
		return -1;
	c.dest_gen = dest->gen;
	c.state = XVS_TCP_S_NONE; /* IPVS's IP_VS_CTPL_S_NONE */
	c.flags = XVS_CONN_F_TEMPLATE;
	return conn_insert(tk, &c);
}

/*
 * The real server for p's new flow of svc (ps: svc's persistence for p,
 * used when svc is persistent): its template's, or the scheduler's pick.
 * Returns the dest id, XVS_SCHED_NONE, XVS_SCHED_BUSY, or
 * XVS_PERSIST_BUSY when the template could not be created (its key taken
 * at this very moment).
 */
static __always_inline __s64 svc_schedule(const struct xvs_pkt *p,
					  const struct xvs_svc_dp *svc,
					  const struct xvs_persist *ps,
					  __u64 now,
					  struct xvs_global_stats *gs)
{
	__u32 zero = 0;
	struct xvs_conn_key *tk = NULL;
	__s64 pick;
	int rc;

	if (svc->flags & XVS_SVC_F_PERSISTENT)
		tk = bpf_map_lookup_elem(&tpl_scratch, &zero);
	if (tk) {
		xvs_persist_key(tk, &p->key, ps);
		pick = persist_find(tk, now, gs);
		if (pick >= 0)
			return pick;
	}
	pick = sched_schedule(svc, &p->key, now);
	if (pick < 0 || !tk)
		return pick;
	rc = persist_new(tk, (__u32)pick, svc->timeout_s, now);
	if (rc < 0)
		return XVS_PERSIST_BUSY;
	COUNT(tpl_new);
	if (rc > 0)
		COUNT(conn_evicted);
	return pick;
}

/* -o: a UDP datagram of a one-packet service is scheduled on its own and
 * leaves no connection (IPVS's IP_VS_CONN_F_ONE_PACKET). */
static __always_inline int svc_one_packet(const struct xvs_svc_dp *svc,
					  const struct xvs_pkt *p)
{
	return (svc->flags & XVS_SVC_F_ONEPACKET) &&
	       p->key.proto == IPPROTO_UDP;
}

#endif /* XVS_BPF_SCHED_PERSIST_H */
