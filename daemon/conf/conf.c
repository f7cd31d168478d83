// SPDX-License-Identifier: GPL-2.0
/* Freeing the model, and copying and comparing checkers; see conf.h. */
#include <stdlib.h>
#include <string.h>
#include "conf.h"

static void urls_free(struct xvs_conf_url *u)
{
	while (u) {
		struct xvs_conf_url *next = u->next;

		free(u->path);
		free(u->virtualhost);
		free(u);
		u = next;
	}
}

void xvs_conf_checker_free(struct xvs_conf_checker *c)
{
	if (!c)
		return;
	urls_free(c->urls);
	free(c->virtualhost);
	free(c->misc_path);
	free(c->helo_name);
	free(c->dns_name);
	free(c);
}

static void rs_free(struct xvs_conf_rs *rs)
{
	while (rs->checkers) {
		struct xvs_conf_checker *next = rs->checkers->next;

		xvs_conf_checker_free(rs->checkers);
		rs->checkers = next;
	}
	free(rs->notify_up);
	free(rs->notify_down);
	free(rs);
}

static void vs_free(struct xvs_conf_vs *vs)
{
	while (vs->rs) {
		struct xvs_conf_rs *next = vs->rs->next;

		rs_free(vs->rs);
		vs->rs = next;
	}
	free(vs->group);
	free(vs->quorum_up);
	free(vs->quorum_down);
	free(vs);
}

static void vsg_free(struct xvs_conf_vsg *g)
{
	while (g->entries) {
		struct xvs_conf_vsg_entry *next = g->entries->next;

		free(g->entries);
		g->entries = next;
	}
	free(g->name);
	free(g);
}

void xvs_conf_free(struct xvs_conf *c)
{
	if (!c)
		return;
	while (c->vs) {
		struct xvs_conf_vs *next = c->vs->next;

		vs_free(c->vs);
		c->vs = next;
	}
	while (c->vsg) {
		struct xvs_conf_vsg *next = c->vsg->next;

		vsg_free(c->vsg);
		c->vsg = next;
	}
	while (c->files) {
		struct xvs_conf_file *next = c->files->next;

		free(c->files->path);
		free(c->files);
		c->files = next;
	}
	free(c->router_id);
	free(c);
}

/* *s = a copy of itself (NULL stays NULL); -1 when out of memory. */
static int dup_in_place(char **s)
{
	if (!*s)
		return 0;
	*s = strdup(*s);
	return *s ? 0 : -1;
}

struct xvs_conf_checker *xvs_conf_checker_dup(const struct xvs_conf_checker *c)
{
	struct xvs_conf_checker *d = malloc(sizeof(*d));
	struct xvs_conf_url **tail;
	int bad;

	if (!d)
		return NULL;
	*d = *c;
	d->next = NULL;
	d->urls = NULL;
	/* each call runs even after a failure, so that every pointer left
	 * in d is its own (or NULL) for xvs_conf_checker_free */
	bad = dup_in_place(&d->virtualhost);
	bad |= dup_in_place(&d->misc_path);
	bad |= dup_in_place(&d->helo_name);
	bad |= dup_in_place(&d->dns_name);
	tail = &d->urls;
	for (const struct xvs_conf_url *u = c->urls; u && !bad; u = u->next) {
		struct xvs_conf_url *n = malloc(sizeof(*n));

		if (!n) {
			bad = 1;
			break;
		}
		*n = *u;
		n->next = NULL;
		bad |= dup_in_place(&n->path);
		bad |= dup_in_place(&n->virtualhost);
		*tail = n;
		tail = &n->next;
	}
	if (bad) {
		xvs_conf_checker_free(d);
		return NULL;
	}
	return d;
}

static int str_equal(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int url_equal(const struct xvs_conf_url *a, const struct xvs_conf_url *b)
{
	if (!str_equal(a->path, b->path) ||
	    !str_equal(a->virtualhost, b->virtualhost) ||
	    a->has_digest != b->has_digest || a->n_status != b->n_status ||
	    (a->has_digest && memcmp(a->digest, b->digest, sizeof(a->digest))))
		return 0;
	for (int i = 0; i < a->n_status && i < XVS_CONF_MAX_STATUS; i++)
		if (a->status[i].lo != b->status[i].lo ||
		    a->status[i].hi != b->status[i].hi)
			return 0;
	return 1;
}

int xvs_conf_checker_equal(const struct xvs_conf_checker *a,
			   const struct xvs_conf_checker *b)
{
	const struct xvs_conf_url *ua = a->urls, *ub = b->urls;

	if (a->type != b->type || a->connect_af != b->connect_af ||
	    memcmp(&a->connect_ip, &b->connect_ip, sizeof(a->connect_ip)) ||
	    a->connect_port != b->connect_port || a->bind_af != b->bind_af ||
	    memcmp(&a->bindto, &b->bindto, sizeof(a->bindto)) ||
	    a->bind_port != b->bind_port ||
	    a->connect_timeout_ms != b->connect_timeout_ms ||
	    a->delay_loop_ms != b->delay_loop_ms ||
	    a->delay_before_retry_ms != b->delay_before_retry_ms ||
	    a->warmup_ms != b->warmup_ms || a->retry != b->retry ||
	    !str_equal(a->virtualhost, b->virtualhost) ||
	    a->enable_sni != b->enable_sni ||
	    a->http_protocol != b->http_protocol ||
	    !str_equal(a->misc_path, b->misc_path) ||
	    a->misc_timeout_ms != b->misc_timeout_ms ||
	    a->misc_dynamic != b->misc_dynamic ||
	    !str_equal(a->helo_name, b->helo_name) ||
	    a->dns_type != b->dns_type || !str_equal(a->dns_name, b->dns_name))
		return 0;
	for (; ua && ub; ua = ua->next, ub = ub->next)
		if (!url_equal(ua, ub))
			return 0;
	return !ua && !ub;
}
