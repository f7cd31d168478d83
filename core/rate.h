/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate estimation as IPVS's ip_vs_est.c does it, so that --rate prints
 * what ipvsadm users are used to: sampled every 2 seconds, an exponentially
 * weighted average with weight 1/4, kept in fixed point (<<10 for counts
 * per second, <<5 for bytes per second).
 */
#ifndef XVS_RATE_H
#define XVS_RATE_H

#include "ipc.h"

#define XVS_RATE_INTERVAL_MS 2000

struct xvs_rate_est {
	struct xvs_stats last; /* counters at the previous sample */
	__s64 cps, inpps, outpps, inbps, outbps; /* scaled averages */
};

/* Starts estimating from the current counters (no jump on first sample). */
void xvs_rate_init(struct xvs_rate_est *e, const struct xvs_stats *now);
/* One 2-second sample. */
void xvs_rate_sample(struct xvs_rate_est *e, const struct xvs_stats *now);
/* The per-second rates, rounded as IPVS rounds them. */
void xvs_rate_read(const struct xvs_rate_est *e, struct xvs_rates *out);

#endif
