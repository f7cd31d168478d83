// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include "addr.h"
#include "log.h"
#include "loop.h"
#include "neigh.h"
#include "resolve.h"
#include "table.h"

#define RESOLVE_TICK_MS 100
#define RESOLVE_RETRY_MS 200    /* while unresolved, for the first tries */
#define RESOLVE_BACKOFF_MS 2000 /* while unresolved, later */
#define RESOLVE_FAST_TRIES 15   /* ~3 s, the kernel's own ARP budget */
#define RESOLVE_REFRESH_MS 15000

struct xvs_resolver {
	struct xvs_table *t;
	struct xvs_loop *loop;
	struct xvs_neigh_ctx *nc;
	long long timer;
};

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + (__u64)ts.tv_nsec / 1000000;
}

/* Writes what the kernel knows into the dest; logs changes once. */
static void apply(struct xvs_resolver *r, struct xvs_dest *d,
		  const struct xvs_neigh *n)
{
	struct xvs_dest_dp want = d->dp;
	char a[XVS_ADDRPORT_LEN], ifn[IF_NAMESIZE] = "?";

	want.ifindex = n->ifindex;
	memcpy(want.smac, n->smac, 6);
	/* The tunnel's outer source, and what the encapsulated packet must
	 * fit in (too-big answers); kept for every method. */
	want.saddr = n->src;
	want.mtu = (__u16)(n->mtu > 0xffff ? 0xffff : n->mtu);
	if (n->resolved && (n->has_src || d->conf.fwd != XVS_FWD_TUN)) {
		memcpy(want.dmac, n->dmac, 6);
		want.flags |= XVS_DEST_F_RESOLVED;
	} else {
		want.flags &= ~XVS_DEST_F_RESOLVED;
	}
	if (!memcmp(&want, &d->dp, sizeof(want)))
		return;
	d->dp = want;
	xvs_table_dest_sync(r->t, d);
	xvs_addr_ntop(d->conf.af, &d->conf.addr, a, sizeof(a));
	if_indextoname(n->ifindex, ifn);
	if (n->resolved && !n->has_src && d->conf.fwd == XVS_FWD_TUN)
		xvs_log(LOG_WARNING,
			"real server %s: the route to it names no source "
			"address of its family on %s; not tunnelling to it "
			"until it does",
			a, ifn);
	else if (n->resolved)
		xvs_log(LOG_INFO,
			"real server %s is at %02x:%02x:%02x:%02x:%02x:%02x "
			"via %s",
			a, n->dmac[0], n->dmac[1], n->dmac[2], n->dmac[3],
			n->dmac[4], n->dmac[5], ifn);
	else
		xvs_log(LOG_WARNING,
			"real server %s does not answer ARP/ND on %s; not "
			"forwarding to it until it does",
			a, ifn);
}

/* One look at one real server; schedules its next look. */
static void resolve_one(struct xvs_resolver *r, struct xvs_dest *d, __u64 now)
{
	char err[256], a[XVS_ADDRPORT_LEN];
	struct xvs_neigh n;
	int rc;

	rc = xvs_neigh_lookup(r->nc, d->conf.af, &d->conf.addr, &n, err,
			      sizeof(err));
	if (rc) {
		if (!d->reported_unreachable)
			xvs_log(LOG_WARNING, "real server %s: %s",
				xvs_addr_ntop(d->conf.af, &d->conf.addr, a,
					      sizeof(a)),
				err);
		d->reported_unreachable = 1;
		if (d->dp.flags & XVS_DEST_F_RESOLVED) {
			d->dp.flags &= ~XVS_DEST_F_RESOLVED;
			xvs_table_dest_sync(r->t, d);
		}
		d->resolve_next_ms = now + RESOLVE_BACKOFF_MS;
		return;
	}
	d->reported_unreachable = 0;
	apply(r, d, &n);
	if (n.resolved && d->resolve_tries) {
		/* Just learnt: look again after a full refresh period. */
		d->resolve_tries = 0;
		d->resolve_next_ms = now + RESOLVE_REFRESH_MS;
		return;
	}
	/* Resolved entries are re-confirmed (nothing else confirms them);
	 * unresolved ones are solicited. */
	xvs_neigh_trigger(r->nc, n.nh_af, &n.nh, n.ifindex, err, sizeof(err));
	if (n.resolved) {
		d->resolve_next_ms = now + RESOLVE_REFRESH_MS;
	} else {
		d->resolve_tries++;
		d->resolve_next_ms = now + (d->resolve_tries < RESOLVE_FAST_TRIES ?
						    RESOLVE_RETRY_MS :
						    RESOLVE_BACKOFF_MS);
	}
}

static void tick(struct xvs_loop *loop, long long id, void *data)
{
	struct xvs_resolver *r = data;
	__u64 now = now_ms();

	(void)loop;
	(void)id;
	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++) {
		struct xvs_service *s = r->t->svc[i];

		if (!s)
			continue;
		for (struct xvs_dest *d = s->dests; d; d = d->next)
			if (now >= d->resolve_next_ms)
				resolve_one(r, d, now);
	}
}

static void dest_added(struct xvs_table *t, struct xvs_service *s,
		       struct xvs_dest *d, void *data)
{
	(void)t;
	(void)s;
	d->resolve_tries = 1; /* counts as a fresh server: retry fast */
	resolve_one(data, d, now_ms());
}

struct xvs_resolver *xvs_resolver_start(struct xvs_table *t,
					struct xvs_loop *loop, char *err,
					size_t errlen)
{
	struct xvs_resolver *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->t = t;
	r->loop = loop;
	r->nc = xvs_neigh_open(err, errlen);
	if (!r->nc)
		goto err;
	r->timer = xvs_loop_add_timer(loop, RESOLVE_TICK_MS, 1, tick, r);
	if (r->timer < 0) {
		snprintf(err, errlen, "cannot add a timer: %s",
			 strerror((int)-r->timer));
		goto err;
	}
	t->dest_added = dest_added;
	t->dest_added_data = r;
	return r;
err:
	xvs_neigh_close(r->nc);
	free(r);
	return NULL;
}

void xvs_resolver_stop(struct xvs_resolver *r)
{
	if (!r)
		return;
	r->t->dest_added = NULL;
	xvs_loop_del_timer(r->loop, r->timer);
	xvs_neigh_close(r->nc);
	free(r);
}
