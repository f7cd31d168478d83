// SPDX-License-Identifier: GPL-2.0
/*
 * The XVS_OP_LIST reply: services with counters, rates and connection
 * counts, in ipvsadm's order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "dataplane.h"
#include "table.h"

static int svc_cmp(const void *a, const void *b)
{
	const struct xvs_service *s = *(struct xvs_service *const *)a;
	const struct xvs_service *t = *(struct xvs_service *const *)b;
	const struct xvs_svc_key *x = &s->conf.key, *y = &t->conf.key;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return xvs_addr_cmp(x->af, &x->addr, x->port, y->af, &y->addr,
			    y->port);
}

static int dest_cmp(const void *a, const void *b)
{
	const struct xvs_dest *d = *(struct xvs_dest *const *)a;
	const struct xvs_dest *e = *(struct xvs_dest *const *)b;

	return xvs_addr_cmp(d->conf.af, &d->conf.addr, d->conf.port,
			    e->conf.af, &e->conf.addr, e->conf.port);
}

static void fill_svc(struct xvs_table *t, const struct xvs_service *s,
		     struct xvs_svc_info *si)
{
	memset(si, 0, sizeof(*si));
	si->conf = s->conf;
	si->n_dests = s->n_dests;
	xvs_dp_svc_stats(t->dp, s->id, &si->stats);
	xvs_rate_read(&s->est, &si->rates);
}

static void fill_dest(struct xvs_table *t, const struct xvs_dest *d,
		      struct xvs_dest_info *di)
{
	memset(di, 0, sizeof(*di));
	di->conf = d->conf;
	xvs_dp_dest_stats(t->dp, d->id, &di->stats);
	xvs_rate_read(&d->est, &di->rates);
	xvs_dp_dest_conns(t->dp, d->id, &di->activeconns, &di->inactconns);
	di->persistconns = xvs_dp_dest_persistconns(t->dp, d->id);
}

int xvs_table_list(struct xvs_table *t, const struct xvs_svc_key *k,
		   void **body, __u32 *len, char *err, size_t errlen)
{
	struct xvs_service **svcs = NULL;
	struct xvs_dest **dests = NULL;
	size_t n = 0, total_dests = 0, size;
	unsigned char *out = NULL, *p;
	int rc = -ENOMEM;

	svcs = calloc(t->n_svc + 1, sizeof(*svcs));
	if (!svcs)
		goto out;
	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++) {
		struct xvs_service *s = t->svc[i];

		if (!s || (k && memcmp(&s->conf.key, k, sizeof(*k))))
			continue;
		svcs[n++] = s;
		total_dests += s->n_dests;
	}
	if (k && !n) {
		char name[96];

		rc = -ESRCH;
		snprintf(err, errlen, "No such service %s",
			 xvs_table_svc_name(k, name, sizeof(name)));
		goto out;
	}
	qsort(svcs, n, sizeof(*svcs), svc_cmp);
	size = n * sizeof(struct xvs_svc_info) +
	       total_dests * sizeof(struct xvs_dest_info);
	rc = -ENOMEM;
	out = malloc(size ? size : 1);
	dests = calloc(XVS_MAX_DESTS_PER_SVC, sizeof(*dests));
	if (!out || !dests)
		goto out;
	p = out;
	for (size_t i = 0; i < n; i++) {
		size_t m = 0;

		fill_svc(t, svcs[i], (struct xvs_svc_info *)p);
		p += sizeof(struct xvs_svc_info);
		for (struct xvs_dest *d = svcs[i]->dests; d; d = d->next)
			dests[m++] = d;
		qsort(dests, m, sizeof(*dests), dest_cmp);
		for (size_t j = 0; j < m; j++) {
			fill_dest(t, dests[j], (struct xvs_dest_info *)p);
			p += sizeof(struct xvs_dest_info);
		}
	}
	*body = out;
	*len = (__u32)size;
	out = NULL;
	rc = 0;
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(out);
	free(dests);
	free(svcs);
	return rc;
}
