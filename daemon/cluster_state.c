// SPDX-License-Identifier: GPL-2.0
/*
 * How the cluster moves (cluster.h): a check reports, its real server goes
 * down or up, its service loses or regains its quorum, scripts run, and
 * the table is made what the service now says. The decisions are
 * cluster_plan.c's; this file applies them and logs each transition once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "addr.h"
#include "child.h"
#include "cluster_priv.h"
#include "log.h"
#include "table.h"

/* A notify or quorum script still running after this long is killed:
 * every child has a timeout, and keepalived's scripts are meant to be
 * quick. */
#define XVS_CLUSTER_SCRIPT_TIMEOUT_MS (60 * 1000)

int xvs_cluster_rs_all_up(const struct cl_rs *rs)
{
	for (size_t i = 0; i < rs->n_checks; i++) {
		const struct xvs_check *check = rs->checks[i]->check;

		if (!check || !xvs_check_is_up(check))
			return 0;
	}
	return 1;
}

/* rs's weight while up: the last a misc_dynamic check asked for, or the
 * configured one. */
static int xvs_cluster_rs_weight(const struct cl_rs *rs)
{
	for (size_t i = 0; i < rs->n_checks; i++)
		if (rs->checks[i]->weight >= 0)
			return rs->checks[i]->weight;
	return rs->conf->weight;
}

const char *xvs_cluster_rs_name(const struct cl_rs *rs, char *buf, size_t len)
{
	const struct xvs_conf_rs *c = rs->conf;

	return xvs_addr_format(buf, len, c->af, &c->addr, htons(c->port),
			       rs->vs->conf->protocol, 0);
}

/* Runs a notify or quorum script, fire and forget; what names it in a
 * log line if it cannot start. */
static void xvs_cluster_script(struct xvs_cluster *cl, const char *cmd,
			       const char *what)
{
	char err[256];

	if (!cmd)
		return;
	if (!xvs_child_run(cl->loop, cmd, XVS_CLUSTER_SCRIPT_TIMEOUT_MS, NULL,
			   NULL, err, sizeof(err)))
		xvs_log(LOG_ERR, "%s: cannot run '%s': %s", what, cmd, err);
}

void xvs_cluster_rs_notify(struct cl_rs *rs, int up, const char *tag)
{
	char name[XVS_ADDRPORT_LEN], what[256];

	snprintf(what, sizeof(what), "%s: real server %s: %s%s", rs->vs->name,
		 xvs_cluster_rs_name(rs, name, sizeof(name)),
		 up ? "notify_up" : "notify_down", tag);
	xvs_cluster_script(rs->vs->cl,
			   up ? rs->conf->notify_up : rs->conf->notify_down,
			   what);
}

void xvs_cluster_rs_moved(struct cl_rs *rs, const char *why)
{
	char name[XVS_ADDRPORT_LEN];

	xvs_log(LOG_NOTICE, "%s: real server %s %s (%s)", rs->vs->name,
		xvs_cluster_rs_name(rs, name, sizeof(name)),
		rs->up ? "up" : "down", why);
	xvs_cluster_rs_notify(rs, rs->up, "");
}

void xvs_cluster_check_report(void *data, struct xvs_check *check,
			      const struct xvs_check_result *r)
{
	struct cl_check *c = data;
	struct cl_rs *rs = c->rs;
	struct cl_vs *vs = rs->vs;
	int was_up = rs->up, old_weight = xvs_cluster_rs_weight(rs);
	const char *why = r->reason ? r->reason : r->up ? "passed" : "failed";
	char name[XVS_ADDRPORT_LEN], check_name[160], because[512];

	if (r->weight >= 0)
		c->weight = r->weight;
	rs->up = xvs_cluster_rs_all_up(rs);
	xvs_check_name(check, check_name, sizeof(check_name));
	snprintf(because, sizeof(because), "%s: %s", check_name, why);
	xvs_cluster_rs_name(rs, name, sizeof(name));
	if (rs->up != was_up) {
		xvs_cluster_rs_moved(rs, because);
	} else if (rs->up && xvs_cluster_rs_weight(rs) != old_weight) {
		xvs_log(LOG_NOTICE, "%s: real server %s weight %d (%s)",
			vs->name, name, xvs_cluster_rs_weight(rs), because);
	} else {
		/* one of several checks of a server that stays down */
		xvs_log(LOG_INFO, "%s: real server %s stays %s: %s %s (%s)",
			vs->name, name, rs->up ? "up" : "down", check_name,
			r->up ? "up" : "down", why);
		return;
	}
	xvs_cluster_vs_update(vs, 0, NULL);
}

/* "198.18.0.250:80": the sorry server, with the service's port when it
 * has none of its own (0 for a group's, whose services differ). */
static const char *sorry_name(const struct xvs_conf_vs *c, char *buf,
			      size_t len)
{
	unsigned short port = c->sorry_port;

	if (!port && c->kind == XVS_CONF_VS_ADDR)
		port = c->port;
	return xvs_addr_format(buf, len, c->sorry_af, &c->sorry_addr,
			       htons(port), c->protocol, 0);
}

void xvs_cluster_quorum_script(struct cl_vs *vs, int up, const char *tag)
{
	char what[160];

	snprintf(what, sizeof(what), "%s: %s%s", vs->name,
		 up ? "quorum_up" : "quorum_down", tag);
	xvs_cluster_script(
		vs->cl, up ? vs->conf->quorum_up : vs->conf->quorum_down, what);
}

static void vs_quorum(struct cl_vs *vs, const struct xvs_plan_rs *rs, int start)
{
	const struct xvs_conf_vs *c = vs->conf;
	long long live = xvs_plan_live_weight(rs, vs->n_rs);
	int held = xvs_plan_quorum(start ? 0 : vs->held, live, c->quorum,
				   c->hysteresis);
	/* the bar it was measured against: to keep it, or to gain it */
	long long bar = (long long)c->quorum + (start || !vs->held ? 1 : -1) *
						       (long long)c->hysteresis;
	char sorry[XVS_ADDRPORT_LEN + 32] = "", addr[XVS_ADDRPORT_LEN];

	if (held == vs->held)
		return;
	vs->held = held;
	if (c->has_sorry)
		snprintf(sorry, sizeof(sorry), ", sorry server %s %s",
			 sorry_name(c, addr, sizeof(addr)),
			 held ? "out" : "in");
	if (held)
		xvs_log(LOG_NOTICE,
			"%s: quorum regained (live weight %lld >= %lld)%s",
			vs->name, live, bar, sorry);
	else if (live < bar)
		xvs_log(LOG_NOTICE,
			"%s: quorum lost (live weight %lld < %lld)%s", vs->name,
			live, bar, sorry);
	else
		xvs_log(LOG_NOTICE, "%s: quorum lost (no live weight)%s",
			vs->name, sorry);
	xvs_cluster_quorum_script(vs, held, "");
}

/* What the table has for the service k: its real servers, copied into
 * *have (grown as needed). NULL if there is no such service. */
static const struct xvs_svc_conf *svc_have(struct xvs_table *t,
					   const struct xvs_svc_key *k,
					   struct xvs_dest_conf **have,
					   size_t *n)
{
	struct xvs_service *s = xvs_table_svc_find(t, k);
	struct xvs_dest_conf *h;

	*n = 0;
	if (!s)
		return NULL;
	h = realloc(*have, (s->n_dests + 1) * sizeof(*h));
	if (!h)
		return NULL;
	*have = h;
	for (const struct xvs_dest *d = s->dests; d; d = d->next)
		h[(*n)++] = d->conf;
	return &s->conf;
}

/* The real servers the configuration owns in the service k of vs: what
 * vs declares, and what the block that declared k before the reload did
 * (before may be NULL), copied into *owned (grown as needed), *n of
 * them. Returns 0, or -1 when out of memory. */
static int owned_in(const struct cl_vs *vs, const struct xvs_svc_key *k,
		    const struct cl_owners *before,
		    struct xvs_dest_conf **owned, size_t *n)
{
	const struct xvs_conf_vs *old = xvs_cluster_owner(before, k);
	size_t cap = vs->n_rs + 1 + (old ? xvs_plan_n_rs(old) + 1 : 0);
	struct xvs_dest_conf *o = realloc(*owned, cap * sizeof(*o));

	if (!o)
		return -1;
	*owned = o;
	*n = xvs_plan_declared(vs->conf, k, o);
	if (old)
		*n += xvs_plan_declared(old, k, o + *n);
	return 0;
}

/* Makes the table what vs says, one service at a time. */
static void vs_sync(struct cl_vs *vs, const struct xvs_plan_rs *rs,
		    const struct cl_owners *before)
{
	struct xvs_dest_conf *want = malloc((vs->n_rs + 1) * sizeof(*want));
	struct xvs_dest_conf *owned = NULL, *have = NULL;
	const struct xvs_svc_conf *had;
	struct xvs_plan plan = {0};
	struct xvs_svc_conf svc;
	size_t n_want, n_owned, n_have;
	int rc = want ? 0 : -1;

	for (size_t i = 0; i < vs->n_keys && !rc; i++) {
		const struct xvs_svc_key *k = &vs->keys[i];

		xvs_plan_svc_conf(vs->conf, k, &svc);
		n_want = xvs_plan_want(vs->conf, k, rs, vs->n_rs, vs->held,
				       want);
		rc = owned_in(vs, k, before, &owned, &n_owned);
		had = svc_have(vs->cl->table, k, &have, &n_have);
		if (!had && xvs_table_svc_find(vs->cl->table, k))
			rc = -1; /* no memory for the copy */
		if (!rc)
			rc = xvs_plan_service(&plan, &svc, want, n_want, owned,
					      n_owned, had, have, n_have);
		xvs_cluster_plan_run(vs->cl, &plan);
		plan.n = 0;
	}
	if (rc)
		xvs_log(LOG_ERR,
			"%s: out of memory: the table may not match "
			"the configuration",
			vs->name);
	xvs_plan_free(&plan);
	free(have);
	free(owned);
	free(want);
}

void xvs_cluster_vs_update(struct cl_vs *vs, int start,
			   const struct cl_owners *before)
{
	struct xvs_plan_rs *rs = calloc(vs->n_rs + 1, sizeof(*rs));

	if (!rs) {
		xvs_log(LOG_ERR,
			"%s: out of memory: the table may not match "
			"the configuration",
			vs->name);
		return;
	}
	for (size_t i = 0; i < vs->n_rs; i++) {
		rs[i].conf = vs->rs[i]->conf;
		rs[i].up = vs->rs[i]->up;
		rs[i].weight = xvs_cluster_rs_weight(vs->rs[i]);
	}
	vs_quorum(vs, rs, start);
	vs_sync(vs, rs, before);
	free(rs);
}

/* ---- table operations -------------------------------------------------- */

static int step_run(struct xvs_table *t, const struct xvs_plan_step *s,
		    char *err, size_t errlen)
{
	switch (s->op) {
	case XVS_PLAN_SVC_ADD:
		return xvs_table_svc_add(t, &s->svc, err, errlen);
	case XVS_PLAN_SVC_EDIT:
		return xvs_table_svc_edit(t, &s->svc, err, errlen);
	case XVS_PLAN_SVC_DEL:
		return xvs_table_svc_del(t, &s->svc.key, err, errlen);
	case XVS_PLAN_DEST_ADD:
		return xvs_table_dest_add(t, &s->dest, err, errlen);
	case XVS_PLAN_DEST_EDIT:
		return xvs_table_dest_edit(t, &s->dest, err, errlen);
	case XVS_PLAN_DEST_DEL:
		return xvs_table_dest_del(t, &s->dest, err, errlen);
	}
	return 0;
}

void xvs_cluster_plan_run(struct xvs_cluster *cl, const struct xvs_plan *p)
{
	static const char *const verb[] = {
		[XVS_PLAN_SVC_ADD] = "add",    [XVS_PLAN_SVC_EDIT] = "edit",
		[XVS_PLAN_SVC_DEL] = "delete", [XVS_PLAN_DEST_ADD] = "add",
		[XVS_PLAN_DEST_EDIT] = "edit", [XVS_PLAN_DEST_DEL] = "delete",
	};
	char err[256], svc[96], what[XVS_ADDRPORT_LEN + 32];

	for (size_t i = 0; i < p->n; i++) {
		const struct xvs_plan_step *s = &p->step[i];
		const struct xvs_dest_conf *d = &s->dest;
		int is_dest = s->op >= XVS_PLAN_DEST_ADD;
		char addr[XVS_ADDRPORT_LEN];

		xvs_table_svc_name(is_dest ? &d->svc : &s->svc.key, svc,
				   sizeof(svc));
		if (is_dest)
			snprintf(what, sizeof(what),
				 "real server %s (weight %d)",
				 xvs_addr_format(addr, sizeof(addr), d->af,
						 &d->addr, d->port,
						 d->svc.proto, 0),
				 d->weight);
		else
			snprintf(what, sizeof(what), "the service");
		/* an operator may have changed the table under us: say so
		 * and carry on with the rest */
		if (step_run(cl->table, s, err, sizeof(err)))
			xvs_log(LOG_ERR, "%s: cannot %s %s: %s", svc,
				verb[s->op], what, err);
		else
			xvs_log(LOG_INFO, "%s: %s %s", svc, verb[s->op], what);
	}
}
