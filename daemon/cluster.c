// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster's life (cluster.h): built from a configuration, carried over
 * to the next one on a reload (services, real servers and checks that did
 * not change keep their state), and stopped at shutdown. How it moves in
 * between is cluster_state.c's.
 *
 * A reload builds the new state in two phases: everything it needs is
 * allocated first, so that running out of memory leaves the running
 * configuration as it was; then the old state is matched and moved over,
 * which cannot fail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "addr.h"
#include "cluster_priv.h"
#include "errbuf.h"
#include "log.h"
#include "table.h"

struct xvs_cluster *xvs_cluster_new(struct xvs_table *table,
				    struct xvs_loop *loop)
{
	struct xvs_cluster *cl = calloc(1, sizeof(*cl));

	if (cl) {
		cl->table = table;
		cl->loop = loop;
	}
	return cl;
}

/* ---- building and freeing ------------------------------------------------ */

static void rs_free(struct cl_rs *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_checks; i++) {
		if (rs->checks[i])
			xvs_check_stop(rs->checks[i]->check);
		free(rs->checks[i]);
	}
	free(rs->checks);
	free(rs);
}

/* Stops the checks vs still has and frees it. */
static void vs_free(struct cl_vs *vs)
{
	if (!vs)
		return;
	for (size_t i = 0; vs->rs && i < vs->n_rs; i++)
		rs_free(vs->rs[i]);
	free(vs->rs);
	free(vs->keys);
	free(vs);
}

static struct cl_rs *rs_alloc(struct cl_vs *vs, const struct xvs_conf_rs *c)
{
	struct cl_rs *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	rs->conf = c;
	rs->vs = vs;
	for (const struct xvs_conf_checker *ck = c->checkers; ck; ck = ck->next)
		rs->n_checks++;
	rs->checks = calloc(rs->n_checks + 1, sizeof(*rs->checks));
	if (!rs->checks) {
		free(rs);
		return NULL;
	}
	for (size_t i = 0; i < rs->n_checks; i++) {
		rs->checks[i] = calloc(1, sizeof(**rs->checks));
		if (!rs->checks[i]) {
			rs_free(rs);
			return NULL;
		}
		rs->checks[i]->rs = rs;
		rs->checks[i]->weight = -1;
	}
	return rs;
}

static void vs_set_name(struct cl_vs *vs)
{
	const struct xvs_conf_vs *c = vs->conf;
	const char *proto = c->protocol == IPPROTO_UDP ? "UDP" : "TCP";

	if (c->kind == XVS_CONF_VS_GROUP)
		snprintf(vs->name, sizeof(vs->name), "%s group %s", proto,
			 c->group);
	else
		xvs_table_svc_name(&vs->keys[0], vs->name, sizeof(vs->name));
}

/* A new vs for c (of conf) with every object it needs, its checks not
 * started. Returns 0 or -errno with a message in err. */
static int vs_alloc(struct xvs_cluster *cl, const struct xvs_conf *conf,
		    const struct xvs_conf_vs *c, struct cl_vs **out, char *err,
		    size_t errlen)
{
	struct cl_vs *vs = calloc(1, sizeof(*vs));
	const struct xvs_conf_rs *r = c->rs;
	int rc;

	*out = NULL;
	if (!vs)
		return xvs_fail(err, errlen, -ENOMEM, "out of memory");
	vs->cl = cl;
	vs->conf = c;
	vs->held = 1; /* keepalived's start: decided at the first update */
	rc = xvs_plan_svc_keys(conf, c, &vs->keys, &vs->n_keys, err, errlen);
	if (rc) {
		free(vs);
		return rc;
	}
	vs->n_rs = xvs_plan_n_rs(c);
	vs->rs = calloc(vs->n_rs + 1, sizeof(*vs->rs));
	for (size_t i = 0; vs->rs && i < vs->n_rs; i++, r = r->next) {
		vs->rs[i] = rs_alloc(vs, r);
		if (!vs->rs[i]) {
			vs_free(vs);
			return xvs_fail(err, errlen, -ENOMEM, "out of memory");
		}
	}
	if (!vs->rs) {
		vs_free(vs);
		return xvs_fail(err, errlen, -ENOMEM, "out of memory");
	}
	vs_set_name(vs);
	*out = vs;
	return 0;
}

/* ---- carrying the state over ------------------------------------------- */

/* The same virtual_server in two configurations: the same address, port
 * and protocol; the same fwmark and family; the same group and protocol. */
static int vs_same(const struct xvs_conf_vs *a, const struct xvs_conf_vs *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case XVS_CONF_VS_GROUP:
		return a->protocol == b->protocol &&
		       !strcmp(a->group, b->group);
	case XVS_CONF_VS_FWMARK:
		return a->fwmark == b->fwmark && a->af == b->af;
	default:
		return a->af == b->af && a->protocol == b->protocol &&
		       a->port == b->port &&
		       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
	}
}

/* Takes the old vs matching c out of the running list, or NULL. */
static struct cl_vs *vs_take(struct xvs_cluster *cl,
			     const struct xvs_conf_vs *c)
{
	struct cl_vs *vs;

	for (size_t i = 0; i < cl->n_vs; i++) {
		vs = cl->vs[i];
		if (vs && vs_same(vs->conf, c)) {
			cl->vs[i] = NULL;
			return vs;
		}
	}
	return NULL;
}

static struct cl_rs *rs_find(struct cl_vs *old, const struct xvs_conf_rs *c)
{
	for (size_t i = 0; old && i < old->n_rs; i++) {
		const struct xvs_conf_rs *o = old->rs[i]->conf;

		if (o->af == c->af && o->port == c->port &&
		    !memcmp(&o->addr, &c->addr, sizeof(c->addr)))
			return old->rs[i];
	}
	return NULL;
}

/* Takes an old running check whose checker equals ck, or NULL. */
static struct cl_check *check_take(struct cl_rs *old,
				   const struct xvs_conf_checker *ck)
{
	for (size_t i = 0; old && i < old->n_checks; i++) {
		struct cl_check *c = old->checks[i];

		if (c && c->check &&
		    xvs_conf_checker_equal(xvs_check_conf(c->check), ck)) {
			old->checks[i] = NULL;
			return c;
		}
	}
	return NULL;
}

static void check_start(struct cl_check *c, const struct xvs_conf_checker *ck,
			int initially_up)
{
	const struct xvs_conf_rs *r = c->rs->conf;
	struct xvs_check_target target = {
		.af = r->af,
		.addr = r->addr,
		.port = r->port,
	};
	char err[256], name[XVS_ADDRPORT_LEN];

	c->check =
		xvs_check_start(c->rs->vs->cl->loop, ck, &target, initially_up,
				xvs_cluster_check_report, c, err, sizeof(err));
	if (!c->check) /* it counts as down: nothing says the server works */
		xvs_log(LOG_ERR,
			"%s: real server %s: cannot start the checker of "
			"%s:%d: %s",
			c->rs->vs->name,
			xvs_cluster_rs_name(c->rs, name, sizeof(name)),
			ck->where.file, ck->where.line, err);
}

/*
 * Gives rs its checks: each one of old (the same real server before a
 * reload, or NULL) whose checker did not change keeps running with its
 * state; the others start, in the state the server was in (up or down),
 * or for a new server up, or down with alpha. A server whose state
 * changes by the reload (a failing checker removed) is logged.
 */
static void rs_carry(struct cl_rs *rs, struct cl_rs *old)
{
	const struct xvs_conf_checker *ck = rs->conf->checkers;
	int initially_up = old ? old->up : !rs->conf->alpha;

	for (size_t i = 0; i < rs->n_checks; i++, ck = ck->next) {
		struct cl_check *c = check_take(old, ck);

		if (!c) {
			check_start(rs->checks[i], ck, initially_up);
			continue;
		}
		free(rs->checks[i]);
		rs->checks[i] = c;
		c->rs = rs;
	}
	rs->up = xvs_cluster_rs_all_up(rs);
	if (old && old->up != rs->up)
		xvs_cluster_rs_moved(rs, "configuration reloaded");
}

/* Moves what old (the same virtual_server before a reload, or NULL) has
 * that did not change over to vs; returns whether vs is new. */
static int vs_carry(struct cl_vs *vs, struct cl_vs *old)
{
	for (size_t i = 0; i < vs->n_rs; i++)
		rs_carry(vs->rs[i], rs_find(old, vs->rs[i]->conf));
	if (!old)
		return 1;
	vs->held = old->held;
	vs_free(old); /* stops the checks not taken over */
	return 0;
}

static int owner_cmp(const void *a, const void *b)
{
	const struct cl_owner *x = a, *y = b;

	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* Who declares each service of the n virtual servers vs[], sorted by
 * service: 0 or -ENOMEM. */
static int owners_of(struct cl_vs *const *vs, size_t n, struct cl_owners *o)
{
	size_t n_keys = 0;

	for (size_t i = 0; i < n; i++)
		n_keys += vs[i]->n_keys;
	o->n = 0;
	o->v = malloc((n_keys + 1) * sizeof(*o->v));
	if (!o->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < vs[i]->n_keys; k++)
			o->v[o->n++] =
				(struct cl_owner){vs[i]->keys[k], vs[i]->conf};
	qsort(o->v, o->n, sizeof(*o->v), owner_cmp);
	return 0;
}

const struct xvs_conf_vs *xvs_cluster_owner(const struct cl_owners *o,
					    const struct xvs_svc_key *k)
{
	struct cl_owner probe = {.key = *k};
	const struct cl_owner *found;

	if (!o || !o->n)
		return NULL;
	found = bsearch(&probe, o->v, o->n, sizeof(*o->v), owner_cmp);
	return found ? found->conf : NULL;
}

/* Deletes the services declared before (and still in the table) that no
 * virtual_server declares now. */
static void svc_gone(struct xvs_cluster *cl, const struct cl_owners *before,
		     const struct cl_owners *now)
{
	struct xvs_plan plan = {0};

	for (size_t i = 0; i < before->n; i++) {
		const struct xvs_svc_key *k = &before->v[i].key;

		if (xvs_cluster_owner(now, k) ||
		    !xvs_table_svc_find(cl->table, k))
			continue;
		if (xvs_plan_svc_del(&plan, k))
			xvs_log(LOG_ERR, "out of memory: a service no longer "
					 "configured stays");
		xvs_cluster_plan_run(cl, &plan);
		plan.n = 0;
	}
	xvs_plan_free(&plan);
}

/* ---- applying ------------------------------------------------------------ */

/* A new state's objects. */
struct state {
	struct cl_vs **vs;
	size_t n;
	unsigned char *is_new;	 /* per vs: not running before */
	struct cl_owners now;	 /* who declares each service of vs[] */
	struct cl_owners before; /* and of the running state */
};

static void state_free(struct state *st)
{
	free(st->is_new);
	free(st->now.v);
	free(st->before.v);
}

/* Phase one: every object of the new state, or -errno and nothing. */
static int state_alloc(struct xvs_cluster *cl, const struct xvs_conf *conf,
		       struct state *st, char *err, size_t errlen)
{
	const struct xvs_conf_vs *c;
	size_t i = 0;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	for (c = conf->vs; c; c = c->next)
		st->n++;
	st->vs = calloc(st->n + 1, sizeof(*st->vs));
	st->is_new = calloc(st->n + 1, sizeof(*st->is_new));
	if (!st->vs || !st->is_new)
		rc = xvs_fail(err, errlen, -ENOMEM, "out of memory");
	for (c = conf->vs; !rc && c; c = c->next, i++)
		rc = vs_alloc(cl, conf, c, &st->vs[i], err, errlen);
	if (!rc && (owners_of(st->vs, st->n, &st->now) ||
		    owners_of(cl->vs, cl->n_vs, &st->before)))
		rc = xvs_fail(err, errlen, -ENOMEM, "out of memory");
	if (!rc)
		return 0;
	for (i = 0; st->vs && i < st->n; i++)
		vs_free(st->vs[i]);
	free(st->vs);
	state_free(st);
	return rc;
}

struct check_first {
	char *err;
	size_t errlen;
	int n;
};

static void first_error(void *data, enum xvs_conf_level level, const char *file,
			int line, const char *msg)
{
	struct check_first *f = data;

	if (level != XVS_CONF_ERROR || f->n++)
		return;
	if (line)
		snprintf(f->err, f->errlen, "%s:%d: %s", file, line, msg);
	else
		snprintf(f->err, f->errlen, "%s: %s", file, msg);
}

int xvs_cluster_apply(struct xvs_cluster *cl, struct xvs_conf *conf, char *err,
		      size_t errlen)
{
	struct check_first first = {err, errlen, 0};
	struct xvs_conf *old_conf = cl->conf;
	struct state st;
	int rc;

	if (xvs_cluster_check(conf, first_error, &first)) {
		xvs_conf_free(conf);
		return -EINVAL;
	}
	rc = state_alloc(cl, conf, &st, err, errlen);
	if (rc) {
		xvs_conf_free(conf);
		return rc;
	}
	/* Phase two: nothing fails from here on. */
	if (!old_conf && conf->lvs_flush)
		xvs_table_clear(cl->table);
	for (size_t i = 0; i < st.n; i++)
		st.is_new[i] = (unsigned char)vs_carry(
			st.vs[i], vs_take(cl, st.vs[i]->conf));
	for (size_t i = 0; i < cl->n_vs; i++) { /* no longer declared */
		if (!cl->vs[i])
			continue;
		/* its services are deleted below, unless another block
		 * declares them now */
		xvs_log(LOG_NOTICE, "%s: virtual_server no longer configured",
			cl->vs[i]->name);
		vs_free(cl->vs[i]);
	}
	svc_gone(cl, &st.before, &st.now);
	free(cl->vs);
	cl->vs = st.vs;
	cl->n_vs = st.n;
	cl->conf = conf;
	for (size_t i = 0; i < st.n; i++)
		xvs_cluster_vs_update(st.vs[i], st.is_new[i], &st.before);
	state_free(&st);
	xvs_conf_free(old_conf); /* st.before pointed into it */
	return 0;
}

void xvs_cluster_free(struct xvs_cluster *cl)
{
	if (!cl)
		return;
	for (size_t i = 0; i < cl->n_vs; i++) {
		struct cl_vs *vs = cl->vs[i];

		/* omega: tell the scripts that everything goes down */
		for (size_t j = 0; vs->conf->omega && j < vs->n_rs; j++)
			if (vs->rs[j]->up)
				xvs_cluster_rs_notify(vs->rs[j], 0, " (omega)");
		if (vs->conf->omega && vs->held)
			xvs_cluster_quorum_script(vs, 0, " (omega)");
		vs_free(vs);
	}
	free(cl->vs);
	xvs_conf_free(cl->conf);
	free(cl);
}
