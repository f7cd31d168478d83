// SPDX-License-Identifier: GPL-2.0
/*
 * xvs_cluster_check (cluster.h): what the table would refuse in a
 * configuration, found before anything is applied, so that a reload with
 * a mistake changes nothing and --config-test reports it with its line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "cluster.h"
#include "cluster_plan.h"
#include "table.h"

/* Where the errors go, and how many there were. */
struct findings {
	xvs_conf_msg_fn msg;
	void *data;
	int errors;
};

static void report(struct findings *f, const struct xvs_conf_where *where,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(struct findings *f, const struct xvs_conf_where *where,
		   const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f->msg(f->data, XVS_CONF_ERROR, where->file, where->line, buf);
	f->errors++;
}

/* One service a virtual_server declares, for finding duplicates. */
struct declared {
	struct xvs_svc_key key;
	const struct xvs_conf_vs *vs;
};

static int declared_cmp(const void *a, const void *b)
{
	const struct declared *x = a, *y = b;
	int r = memcmp(&x->key, &y->key, sizeof(x->key));

	if (r)
		return r;
	/* the earlier line first, so the later one gets the error */
	if (x->vs->where.line != y->vs->where.line)
		return x->vs->where.line < y->vs->where.line ? -1 : 1;
	return 0;
}

static int same_place(const struct xvs_dest_conf *a,
		      const struct xvs_dest_conf *b)
{
	return !xvs_addr_cmp(a->af, &a->addr, a->port, b->af, &b->addr,
			     b->port);
}

/* The real servers of vs for its services keys[]: not twice, not the
 * sorry server, and each acceptable to the table in each service. */
static void check_rs(struct findings *f, const struct xvs_conf_vs *vs,
		     const struct xvs_svc_key *keys, size_t n_keys)
{
	size_t n_rs = xvs_plan_n_rs(vs);
	struct xvs_dest_conf *d = calloc(n_rs + 2, sizeof(*d));
	const struct xvs_conf_rs *rs = vs->rs;
	struct xvs_svc_conf svc;
	char err[256], name[XVS_ADDRPORT_LEN];
	size_t n;

	if (!d) {
		report(f, &vs->where, "out of memory");
		return;
	}
	if (n_rs + !!vs->has_sorry > XVS_MAX_DESTS_PER_SVC)
		report(f, &vs->where,
		       "%zu real servers: at most %d per service",
		       n_rs + !!vs->has_sorry, XVS_MAX_DESTS_PER_SVC);
	n = xvs_plan_declared(vs, &keys[0], d);
	for (size_t i = 0; i < n; i++, rs = rs ? rs->next : NULL) {
		/* the sorry server comes last and has no line of its own */
		const struct xvs_conf_where *where =
			rs ? &rs->where : &vs->where;

		xvs_addr_format(name, sizeof(name), d[i].af, &d[i].addr,
				d[i].port, vs->protocol, 0);
		for (size_t j = 0; j < i; j++)
			if (same_place(&d[i], &d[j]))
				report(f, where,
				       "%s %s is also a real server "
				       "of this virtual_server",
				       rs ? "real server" : "sorry_server",
				       name);
		for (size_t k = 0; k < n_keys; k++) {
			xvs_plan_svc_conf(vs, &keys[k], &svc);
			d[i].svc = keys[k];
			if (!xvs_table_check(&svc, &d[i], err, sizeof(err)))
				continue;
			report(f, where, "%s %s: %s",
			       rs ? "real server" : "sorry_server", name, err);
			break;
		}
	}
	free(d);
}

/* The services of vs as the table takes them, its real servers, and the
 * keys collected into *all for the duplicate search. */
static void check_vs(struct findings *f, const struct xvs_conf *conf,
		     const struct xvs_conf_vs *vs, struct declared **all,
		     size_t *n_all)
{
	struct xvs_svc_key *keys;
	struct xvs_svc_conf svc;
	struct declared *grown;
	char err[256];
	size_t n;

	if (xvs_plan_svc_keys(conf, vs, &keys, &n, err, sizeof(err))) {
		report(f, &vs->where, "%s", err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		xvs_plan_svc_conf(vs, &keys[i], &svc);
		if (xvs_table_check(&svc, NULL, err, sizeof(err))) {
			report(f, &vs->where, "%s", err);
			break;
		}
	}
	if (n)
		check_rs(f, vs, keys, n);
	grown = realloc(*all, (*n_all + n + 1) * sizeof(**all));
	if (!grown) {
		report(f, &vs->where, "out of memory");
	} else {
		*all = grown;
		for (size_t i = 0; i < n; i++)
			grown[(*n_all)++] = (struct declared){keys[i], vs};
	}
	free(keys);
}

int xvs_cluster_check(const struct xvs_conf *conf, xvs_conf_msg_fn msg,
		      void *data)
{
	struct findings f = {msg, data, 0};
	struct declared *all = NULL;
	size_t n = 0;
	char name[96];

	for (const struct xvs_conf_vs *vs = conf->vs; vs; vs = vs->next)
		check_vs(&f, conf, vs, &all, &n);
	if (n > XVS_MAX_SERVICES && conf->vs)
		report(&f, &conf->vs->where,
		       "%zu services in all: the table holds at most %d", n,
		       XVS_MAX_SERVICES);
	if (n)
		qsort(all, n, sizeof(*all), declared_cmp);
	for (size_t i = 1; i < n; i++) {
		if (memcmp(&all[i].key, &all[i - 1].key, sizeof(all[i].key)))
			continue;
		report(&f, &all[i].vs->where,
		       "%s is declared twice (also at %s:%d)",
		       xvs_table_svc_name(&all[i].key, name, sizeof(name)),
		       all[i - 1].vs->where.file, all[i - 1].vs->where.line);
	}
	free(all);
	return f.errors;
}
