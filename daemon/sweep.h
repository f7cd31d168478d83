/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection sweep: finds dead entries in the data plane's connection
 * table and has the data plane remove them and release their counts
 * (xvs_dp_conn_reap), a bounded batch per timer tick, so that a table of
 * millions never holds up the control socket. The packet path never
 * sweeps: it only treats a dead entry as absent (bpf/conn.h).
 *
 * Cost and delay: each tick reads about XVS_SWEEP_BUDGET entries (batched
 * lookups, a few system calls per thousand entries); a full pass over a
 * table of N entries takes N / XVS_SWEEP_BUDGET ticks, and passes start
 * at most every XVS_SWEEP_PASS_MS, because a lookup walks every bucket of
 * the table even when it is empty (a pass over an idle table of 2^20
 * buckets costs a few milliseconds). So an entry leaves the table, and
 * its count the listings, at most about a second after it died for up to
 * 80000 entries, about 3 s for 262144.
 */
#ifndef XVS_DAEMON_SWEEP_H
#define XVS_DAEMON_SWEEP_H

#include "dataplane.h"

#define XVS_SWEEP_INTERVAL_MS 100
#define XVS_SWEEP_BUDGET 8192
#define XVS_SWEEP_PASS_MS 1000

struct xvs_loop;

struct xvs_sweep {
	struct xvs_dp *dp;
	struct xvs_conn_cursor cur;
	struct xvs_conn_key dead[XVS_REAP_BATCH]; /* waiting for the reaper */
	__u32 n_dead;
	__u64 now;          /* of the current step */
	__u64 removed;      /* entries removed since start */
	__u64 passes;       /* full passes completed */
	__u64 pass_start;   /* xvs_conn_clock() when the current pass began */
	__u64 evicted_told; /* conn_evicted when last logged */
	int err;            /* the reaper's last error, 0 */
};

void xvs_sweep_init(struct xvs_sweep *sw, struct xvs_dp *dp);

/*
 * Looks at (about) budget entries from where the last step stopped and
 * removes the dead ones. Returns how many it removed, or -errno.
 */
int xvs_sweep_step(struct xvs_sweep *sw, __u32 budget);

/* The loop's timer callback (data: the struct xvs_sweep): one step of
 * XVS_SWEEP_BUDGET, or none while a new pass must wait; logs errors once,
 * and live entries the LRU evicted because the table was full. */
void xvs_sweep_tick(struct xvs_loop *loop, long long id, void *data);

#endif
