// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "rate.h"

void xvs_rate_init(struct xvs_rate_est *e, const struct xvs_stats *now)
{
	memset(e, 0, sizeof(*e));
	e->last = *now;
}

/*
 * A delta over 2 s shifted left by 9 is the per-second rate << 10 (and by
 * 4, the byte rate << 5); avg += (rate - avg) / 4.
 */
static void ewma(__s64 *avg, __u64 now, __u64 *last, int shift)
{
	__s64 rate = (__s64)((now - *last) << shift);

	*last = now;
	*avg += (rate - *avg) >> 2;
}

void xvs_rate_sample(struct xvs_rate_est *e, const struct xvs_stats *now)
{
	ewma(&e->cps, now->conns, &e->last.conns, 9);
	ewma(&e->inpps, now->inpkts, &e->last.inpkts, 9);
	ewma(&e->outpps, now->outpkts, &e->last.outpkts, 9);
	ewma(&e->inbps, now->inbytes, &e->last.inbytes, 4);
	ewma(&e->outbps, now->outbytes, &e->last.outbytes, 4);
}

void xvs_rate_read(const struct xvs_rate_est *e, struct xvs_rates *out)
{
	memset(out, 0, sizeof(*out));
	out->cps = (__u32)((e->cps + 0x1ff) >> 10);
	out->inpps = (__u32)((e->inpps + 0x1ff) >> 10);
	out->outpps = (__u32)((e->outpps + 0x1ff) >> 10);
	out->inbps = (__u32)((e->inbps + 0xf) >> 5);
	out->outbps = (__u32)((e->outbps + 0xf) >> 5);
}
