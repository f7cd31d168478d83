// SPDX-License-Identifier: GPL-2.0
/* The cluster's decisions as pure functions; see cluster_plan.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "addr.h"
#include "cluster_plan.h"
#include "errbuf.h"
#include "mark.h"

struct key_list {
	struct xvs_svc_key *k;
	size_t n, cap;
};

static int key_push(struct key_list *l, const struct xvs_svc_key *k)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct xvs_svc_key *nk = realloc(l->k, cap * sizeof(*nk));

		if (!nk)
			return -ENOMEM;
		l->k = nk;
		l->cap = cap;
	}
	l->k[l->n++] = *k;
	return 0;
}

/*
 * The keys of one address line of a group: the address alone, or each
 * address of its range, which runs over the last byte (IPv4) or the last
 * 16-bit group (IPv6) up to range_end.
 */
static int group_addr_keys(const struct xvs_conf_vsg_entry *e, __u8 proto,
			   struct key_list *l, char *err, size_t errlen)
{
	struct xvs_svc_key k = {
		.addr = e->addr,
		.port = htons(e->port),
		.proto = proto,
		.af = e->af,
	};
	int v6 = e->af == XVS_AF_INET6;
	unsigned first =
		v6 ? (unsigned)e->addr.bytes[14] << 8 | e->addr.bytes[15]
		   : e->addr.bytes[3];
	unsigned last = e->range_end ? e->range_end : first;
	int rc;

	if (last < first || last > (v6 ? 0xffffu : 0xffu))
		return xvs_fail(err, errlen, -EINVAL,
				"%s:%d: address range ends at %u, before its "
				"start %u or past the last value",
				e->where.file, e->where.line, last, first);
	if (last - first >= XVS_MAX_SERVICES)
		return xvs_fail(err, errlen, -E2BIG,
				"%s:%d: address range of %u addresses: at most "
				"%d services",
				e->where.file, e->where.line, last - first + 1,
				XVS_MAX_SERVICES);
	for (unsigned v = first; v <= last; v++) {
		if (v6) {
			k.addr.bytes[14] = (__u8)(v >> 8);
			k.addr.bytes[15] = (__u8)v;
		} else {
			k.addr.bytes[3] = (__u8)v;
		}
		rc = key_push(l, &k);
		if (rc)
			return xvs_fail(err, errlen, rc, "out of memory");
	}
	return 0;
}

static int group_keys(const struct xvs_conf *conf, const struct xvs_conf_vs *vs,
		      struct key_list *l, char *err, size_t errlen)
{
	const struct xvs_conf_vsg *g;
	struct xvs_svc_key k;
	int rc = 0;

	for (g = conf->vsg; g && strcmp(g->name, vs->group); g = g->next)
		;
	if (!g)
		return xvs_fail(err, errlen, -ENOENT,
				"%s:%d: no virtual_server_group '%s'",
				vs->where.file, vs->where.line, vs->group);
	for (const struct xvs_conf_vsg_entry *e = g->entries; e && !rc;
	     e = e->next) {
		if (!e->is_fwmark) {
			rc = group_addr_keys(e, vs->protocol, l, err, errlen);
			continue;
		}
		xvs_svc_key_fwmark(&k, vs->af, e->fwmark);
		rc = key_push(l, &k);
		if (rc)
			xvs_fail(err, errlen, rc, "out of memory");
	}
	return rc;
}

int xvs_plan_svc_keys(const struct xvs_conf *conf, const struct xvs_conf_vs *vs,
		      struct xvs_svc_key **keys, size_t *n, char *err,
		      size_t errlen)
{
	struct key_list l = {0};
	struct xvs_svc_key k = {0};
	int rc;

	switch (vs->kind) {
	case XVS_CONF_VS_GROUP:
		rc = group_keys(conf, vs, &l, err, errlen);
		break;
	case XVS_CONF_VS_FWMARK:
		xvs_svc_key_fwmark(&k, vs->af, vs->fwmark);
		rc = key_push(&l, &k);
		break;
	default:
		k.addr = vs->addr;
		k.port = htons(vs->port);
		k.proto = vs->protocol;
		k.af = vs->af;
		rc = key_push(&l, &k);
		break;
	}
	if (!rc && l.n > XVS_MAX_SERVICES)
		rc = xvs_fail(err, errlen, -E2BIG,
			      "%s:%d: %zu services: at most %d", vs->where.file,
			      vs->where.line, l.n, XVS_MAX_SERVICES);
	if (rc == -ENOMEM)
		xvs_fail(err, errlen, rc, "out of memory");
	if (rc) {
		free(l.k);
		return rc;
	}
	*keys = l.k;
	*n = l.n;
	return 0;
}

void xvs_plan_svc_conf(const struct xvs_conf_vs *vs,
		       const struct xvs_svc_key *key, struct xvs_svc_conf *out)
{
	memset(out, 0, sizeof(*out));
	out->key = *key;
	memcpy(out->sched, vs->sched, sizeof(out->sched));
	out->sched[sizeof(out->sched) - 1] = 0;
	if (vs->persistence_timeout)
		out->flags |= XVS_SVC_F_PERSISTENT;
	if (vs->ops)
		out->flags |= XVS_SVC_F_ONEPACKET;
	out->timeout = vs->persistence_timeout;
	/* ipvsadm's default granularity: the whole address */
	out->netmask = vs->persistence_granularity;
	if (!out->netmask)
		out->netmask = key->af == XVS_AF_INET6 ? 128 : 0xffffffffu;
	out->sched_flags = vs->sched_flags;
}

static void dest_conf(const struct xvs_svc_key *key, __u8 af,
		      const union xvs_addr *addr, unsigned short port,
		      const struct xvs_conf_method *m, int weight,
		      struct xvs_dest_conf *out)
{
	memset(out, 0, sizeof(*out));
	out->svc = *key;
	out->addr = *addr;
	out->port = htons(port);
	out->af = af;
	out->fwd = m->fwd;
	out->weight = weight;
	/* the table takes tunnel options only with the tunnel method */
	if (m->fwd == XVS_FWD_TUN) {
		out->tun_type = m->tun_type;
		out->tun_flags = m->tun_flags;
		out->tun_port = htons(m->tun_port);
	}
}

void xvs_plan_rs_dest(const struct xvs_svc_key *key,
		      const struct xvs_conf_rs *rs, int weight,
		      struct xvs_dest_conf *out)
{
	dest_conf(key, rs->af, &rs->addr, rs->port, &rs->method, weight, out);
	out->u_threshold = rs->uthreshold;
	out->l_threshold = rs->lthreshold;
}

void xvs_plan_sorry_dest(const struct xvs_conf_vs *vs,
			 const struct xvs_svc_key *key, int weight,
			 struct xvs_dest_conf *out)
{
	unsigned short port =
		vs->sorry_port ? vs->sorry_port : ntohs(key->port);

	dest_conf(key, vs->sorry_af, &vs->sorry_addr, port, &vs->sorry_method,
		  weight, out);
}

size_t xvs_plan_n_rs(const struct xvs_conf_vs *vs)
{
	size_t n = 0;

	for (const struct xvs_conf_rs *rs = vs->rs; rs; rs = rs->next)
		n++;
	return n;
}

long long xvs_plan_live_weight(const struct xvs_plan_rs *rs, size_t n)
{
	long long live = 0;

	for (size_t i = 0; i < n; i++)
		if (rs[i].up)
			live += rs[i].weight;
	return live;
}

int xvs_plan_quorum(int held, long long live, unsigned quorum,
		    unsigned hysteresis)
{
	if (live <= 0)
		return 0;
	if (held)
		return live >= (long long)quorum - hysteresis;
	return live >= (long long)quorum + hysteresis;
}

size_t xvs_plan_want(const struct xvs_conf_vs *vs,
		     const struct xvs_svc_key *key,
		     const struct xvs_plan_rs *rs, size_t n_rs, int held,
		     struct xvs_dest_conf *out)
{
	int sorry_in = vs->has_sorry && !held;
	size_t n = 0;

	for (size_t i = 0; i < n_rs; i++) {
		if (rs[i].up && !sorry_in)
			xvs_plan_rs_dest(key, rs[i].conf, rs[i].weight,
					 &out[n++]);
		else if (rs[i].conf->inhibit_on_failure)
			xvs_plan_rs_dest(key, rs[i].conf, 0, &out[n++]);
	}
	if (sorry_in)
		xvs_plan_sorry_dest(vs, key, XVS_PLAN_SORRY_WEIGHT, &out[n++]);
	else if (vs->has_sorry && vs->sorry_inhibit)
		xvs_plan_sorry_dest(vs, key, 0, &out[n++]);
	return n;
}

size_t xvs_plan_declared(const struct xvs_conf_vs *vs,
			 const struct xvs_svc_key *key,
			 struct xvs_dest_conf *out)
{
	size_t n = 0;

	for (const struct xvs_conf_rs *rs = vs->rs; rs; rs = rs->next)
		xvs_plan_rs_dest(key, rs, rs->weight, &out[n++]);
	if (vs->has_sorry)
		xvs_plan_sorry_dest(vs, key, XVS_PLAN_SORRY_WEIGHT, &out[n++]);
	return n;
}

/* ---- the difference ---------------------------------------------------- */

static int step_push(struct xvs_plan *p, enum xvs_plan_op op,
		     const struct xvs_svc_conf *svc,
		     const struct xvs_dest_conf *dest)
{
	struct xvs_plan_step *s;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;

		s = realloc(p->step, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		p->step = s;
		p->cap = cap;
	}
	s = &p->step[p->n++];
	memset(s, 0, sizeof(*s));
	s->op = op;
	if (svc)
		s->svc = *svc;
	if (dest)
		s->dest = *dest;
	return 0;
}

/* A real server's place in a service: its address and port. */
static int dest_cmp(const void *a, const void *b)
{
	const struct xvs_dest_conf *x = a, *y = b;

	return xvs_addr_cmp(x->af, &x->addr, x->port, y->af, &y->addr, y->port);
}

/* Everything of a real server that xvs_table_dest_edit can change. */
static int dest_same(const struct xvs_dest_conf *a,
		     const struct xvs_dest_conf *b)
{
	return a->fwd == b->fwd && a->weight == b->weight &&
	       a->u_threshold == b->u_threshold &&
	       a->l_threshold == b->l_threshold && a->tun_type == b->tun_type &&
	       a->tun_flags == b->tun_flags && a->tun_port == b->tun_port;
}

static int svc_same(const struct xvs_svc_conf *a, const struct xvs_svc_conf *b)
{
	return !strncmp(a->sched, b->sched, sizeof(a->sched)) &&
	       a->flags == b->flags && a->timeout == b->timeout &&
	       a->netmask == b->netmask && a->sched_flags == b->sched_flags;
}

/* A sorted copy of n entries (never NULL for n == 0), or NULL. */
static struct xvs_dest_conf *sorted(const struct xvs_dest_conf *d, size_t n)
{
	struct xvs_dest_conf *c = malloc((n ? n : 1) * sizeof(*c));

	if (!c)
		return NULL;
	if (n) {
		memcpy(c, d, n * sizeof(*c));
		qsort(c, n, sizeof(*c), dest_cmp);
	}
	return c;
}

static const struct xvs_dest_conf *find(const struct xvs_dest_conf *d,
					const struct xvs_dest_conf *sorted_set,
					size_t n)
{
	return n ? bsearch(d, sorted_set, n, sizeof(*d), dest_cmp) : NULL;
}

static int plan_dests(struct xvs_plan *p, const struct xvs_svc_conf *svc,
		      const struct xvs_dest_conf *w, size_t n_w,
		      const struct xvs_dest_conf *o, size_t n_o,
		      const struct xvs_dest_conf *h, size_t n_h)
{
	const struct xvs_dest_conf *had;
	struct xvs_dest_conf d;
	int rc = 0;

	for (size_t i = 0; i < n_w && !rc; i++)
		if (!find(&w[i], h, n_h))
			rc = step_push(p, XVS_PLAN_DEST_ADD, NULL, &w[i]);
	for (size_t i = 0; i < n_w && !rc; i++) {
		had = find(&w[i], h, n_h);
		if (had && !dest_same(had, &w[i]))
			rc = step_push(p, XVS_PLAN_DEST_EDIT, NULL, &w[i]);
	}
	for (size_t i = 0; i < n_h && !rc; i++) {
		if (find(&h[i], w, n_w) || !find(&h[i], o, n_o))
			continue;
		d = h[i];
		d.svc = svc->key;
		rc = step_push(p, XVS_PLAN_DEST_DEL, NULL, &d);
	}
	return rc;
}

int xvs_plan_service(struct xvs_plan *p, const struct xvs_svc_conf *want_svc,
		     const struct xvs_dest_conf *want, size_t n_want,
		     const struct xvs_dest_conf *owned, size_t n_owned,
		     const struct xvs_svc_conf *have_svc,
		     const struct xvs_dest_conf *have, size_t n_have)
{
	struct xvs_dest_conf *w, *o, *h;
	int rc = 0;

	if (!have_svc)
		rc = step_push(p, XVS_PLAN_SVC_ADD, want_svc, NULL);
	else if (!svc_same(want_svc, have_svc))
		rc = step_push(p, XVS_PLAN_SVC_EDIT, want_svc, NULL);
	if (rc)
		return rc;
	w = sorted(want, n_want);
	o = sorted(owned, n_owned);
	h = sorted(have, have_svc ? n_have : 0);
	rc = w && o && h ? plan_dests(p, want_svc, w, n_want, o, n_owned, h,
				      have_svc ? n_have : 0)
			 : -ENOMEM;
	free(w);
	free(o);
	free(h);
	return rc;
}

int xvs_plan_svc_del(struct xvs_plan *p, const struct xvs_svc_key *k)
{
	struct xvs_svc_conf c = {.key = *k};

	return step_push(p, XVS_PLAN_SVC_DEL, &c, NULL);
}

void xvs_plan_free(struct xvs_plan *p)
{
	free(p->step);
	memset(p, 0, sizeof(*p));
}
