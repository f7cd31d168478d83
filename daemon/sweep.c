// SPDX-License-Identifier: GPL-2.0
/* The incremental connection sweep; see sweep.h. */
#include <string.h>
#include "log.h"
#include "sweep.h"
#include "tcp_state.h"

void xvs_sweep_init(struct xvs_sweep *sw, struct xvs_dp *dp)
{
	memset(sw, 0, sizeof(*sw));
	sw->dp = dp;
}

static int flush(struct xvs_sweep *sw)
{
	int rc = xvs_dp_conn_reap(sw->dp, sw->dead, sw->n_dead);

	sw->n_dead = 0;
	if (rc < 0)
		return rc;
	sw->removed += (__u64)rc;
	return rc;
}

/* Collects the dead; the data plane looks at each again before removing
 * it, so an entry revived meanwhile by a packet stays. */
static int collect(const struct xvs_conn_key *key, const struct xvs_conn *c,
		   void *data)
{
	struct xvs_sweep *sw = data;
	int rc;

	if ((c->flags & XVS_CONN_F_DEAD) || !xvs_conn_expired(c, sw->now))
		return 0;
	sw->dead[sw->n_dead++] = *key;
	if (sw->n_dead < XVS_REAP_BATCH)
		return 0;
	rc = flush(sw);
	return rc < 0 ? rc : 0;
}

int xvs_sweep_step(struct xvs_sweep *sw, __u32 budget)
{
	__u64 before = sw->removed;
	int rc;

	sw->now = xvs_conn_clock();
	rc = xvs_dp_conn_walk_some(sw->dp, &sw->cur, budget, collect, sw);
	if (rc == 1)
		sw->passes++;
	if (sw->n_dead) {
		int frc = flush(sw);

		if (frc < 0 && rc >= 0)
			rc = frc;
	}
	return rc < 0 ? rc : (int)(sw->removed - before);
}

/* Live entries evicted by the LRU (the table was full) keep their counts:
 * say so, once per new batch of them, checked once per pass. */
static void tell_evictions(struct xvs_sweep *sw)
{
	struct xvs_global_stats gs;

	if (xvs_dp_global_stats(sw->dp, &gs) ||
	    gs.conn_evicted == sw->evicted_told)
		return;
	xvs_log(LOG_WARNING,
		"connection table full: %llu live entries evicted so far; "
		"ActiveConn/InActConn of their real servers stay too high "
		"(raise --conn-table-size, capacity %u)",
		(unsigned long long)gs.conn_evicted,
		xvs_dp_conn_capacity(sw->dp));
	sw->evicted_told = gs.conn_evicted;
}

void xvs_sweep_tick(struct xvs_loop *loop, long long id, void *data)
{
	struct xvs_sweep *sw = data;
	__u64 passes = sw->passes, now = xvs_conn_clock();
	int rc;

	(void)loop;
	(void)id;
	if (!sw->cur.started) {
		if (now - sw->pass_start <
		    (__u64)XVS_SWEEP_PASS_MS * 1000000ull)
			return;
		sw->pass_start = now;
	}
	rc = xvs_sweep_step(sw, XVS_SWEEP_BUDGET);
	if (rc < 0 && rc != sw->err)
		xvs_log(LOG_ERR, "connection sweep: %s", strerror(-rc));
	sw->err = rc < 0 ? rc : 0;
	if (sw->passes != passes)
		tell_evictions(sw);
}
