// SPDX-License-Identifier: GPL-2.0
/*
 * What is settled once a virtual server, and then the whole file, has been
 * read: scheduler flags, address families, what real servers and sorry
 * servers inherit, the checkers' timers, and the checks that need
 * everything (duplicates, groups that are not defined).
 */
#define _GNU_SOURCE /* qsort_r */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "parse.h"

static const char *af_name(__u8 af)
{
	return af == XVS_AF_INET6 ? "IPv6" : "IPv4";
}

#define where_err(p, w, ...)                                                   \
	conf_error(&(p)->d, (w)->file, (w)->line, __VA_ARGS__)
#define where_warn(p, w, ...)                                                  \
	conf_warning(&(p)->d, (w)->file, (w)->line, __VA_ARGS__)

/* sh-* and mh-* flags count for their own scheduler only (keepalived
 * ignores them otherwise, with a message). */
static void finish_sched_flags(struct conf_parser *p, struct conf_vs_frame *f)
{
	struct xvs_conf_vs *vs = f->vs;

	if (f->sh_flags && !strcmp(vs->sched, "sh"))
		vs->sched_flags |= f->sh_flags;
	else if (f->sh_flags)
		where_warn(p, &f->sh_where,
			   "sh-port and sh-fallback are for the sh scheduler; "
			   "ignored");
	if (f->mh_flags && !strcmp(vs->sched, "mh"))
		vs->sched_flags |= f->mh_flags;
	else if (f->mh_flags)
		where_warn(p, &f->mh_where,
			   "mh-port and mh-fallback are for the mh scheduler; "
			   "ignored");
}

/* A fwmark or group service has the family ip_family gives, else that of
 * its real servers (a tunnelled one may differ: looked at last), else its
 * sorry server's; a group's may still come from the group (conf_finish). */
static __u8 service_af(const struct conf_vs_frame *f)
{
	const struct xvs_conf_vs *vs = f->vs;

	if (f->family)
		return f->family;
	for (const struct xvs_conf_rs *rs = vs->rs; rs; rs = rs->next)
		if (rs->method.fwd != XVS_FWD_TUN)
			return rs->af;
	if (vs->rs)
		return vs->rs->af;
	if (vs->has_sorry)
		return vs->sorry_af;
	return vs->kind == XVS_CONF_VS_FWMARK ? XVS_AF_INET : 0;
}

static void finish_af(struct conf_parser *p, struct conf_vs_frame *f)
{
	struct xvs_conf_vs *vs = f->vs;

	if (vs->kind != XVS_CONF_VS_ADDR)
		vs->af = service_af(f);
	else if (f->family && f->family != vs->af)
		where_err(p, &vs->where,
			  "ip_family says %s but the address is %s",
			  af_name(f->family), af_name(vs->af));
	if (f->has_gran && vs->af && f->gran_af != vs->af)
		where_err(p, &f->gran_where,
			  "persistence_granularity of an %s service must be "
			  "%s",
			  af_name(vs->af),
			  vs->af == XVS_AF_INET ? "a netmask"
						: "a prefix length");
	if (f->has_gran && !vs->persistence_timeout)
		vs->persistence_timeout = 360; /* keepalived does this too */
}

/* Only a tunnel reaches a server of the other family. */
static void check_family(struct conf_parser *p, const struct xvs_conf_vs *vs,
			 const struct xvs_conf_where *w, const char *what,
			 __u8 af, const struct xvs_conf_method *m)
{
	if (vs->af && af != vs->af && m->fwd != XVS_FWD_TUN)
		where_err(p, w,
			  "%s is %s but the virtual server is %s (only "
			  "TUN may mix them)",
			  what, af_name(af), af_name(vs->af));
}

/* What real servers and the sorry server take from their virtual server
 * unless they say otherwise. */
static void inherit_servers(struct conf_vs_frame *f)
{
	struct xvs_conf_vs *vs = f->vs;

	for (size_t i = 0; i < f->n_rs; i++) {
		struct conf_rs_rec *rec = &f->rs_recs[i];
		struct xvs_conf_rs *rs = rec->rs;

		if (!rec->has_method)
			rs->method = vs->method;
		rs->inhibit_on_failure = rec->inhibit >= 0
						 ? rec->inhibit
						 : vs->inhibit_on_failure;
		rs->alpha = vs->alpha;
	}
	if (vs->has_sorry && !f->has_sorry_method)
		vs->sorry_method = vs->method;
}

static void check_families(struct conf_parser *p, struct conf_vs_frame *f)
{
	const struct xvs_conf_vs *vs = f->vs;

	for (size_t i = 0; i < f->n_rs; i++) {
		const struct xvs_conf_rs *rs = f->rs_recs[i].rs;

		check_family(p, vs, &rs->where, "real_server", rs->af,
			     &rs->method);
	}
	if (vs->has_sorry)
		check_family(p, vs, &vs->where, "sorry_server", vs->sorry_af,
			     &vs->sorry_method);
}

static int dup_string(char **dst, const char *src)
{
	if (*dst || !src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static void finish_checkers(struct conf_parser *p, struct conf_vs_frame *f)
{
	for (size_t i = 0; i < f->n_ck; i++) {
		struct conf_ck_rec *rec = &f->ck_recs[i];
		struct conf_rs_rec *rs = &f->rs_recs[rec->rs];
		struct xvs_conf_checker *ck = rec->ck;

		conf_timers_resolve(ck, &rec->t, &rs->t, &f->t,
				    rec->has_misc_timeout);
		/* As keepalived, a checker connects to the real server's
		 * port unless it says otherwise; a real server of a fwmark
		 * or group service may have none, and port 0 never
		 * answers. */
		if (ck->type != XVS_CHECK_MISC && !ck->connect_port &&
		    !rs->rs->port)
			where_err(p, &ck->where,
				  "no port to connect to: the real server has "
				  "none; give connect_port");
		if (ck->type != XVS_CHECK_HTTP && ck->type != XVS_CHECK_SSL)
			continue;
		if (dup_string(&ck->virtualhost, rs->virtualhost) ||
		    dup_string(&ck->virtualhost, f->virtualhost))
			where_err(p, &ck->where, "out of memory");
	}
}

/*
 * Duplicates in a list of n items, in O(n log n): sorted by key and then
 * by position, each item equal to an earlier one is reported with the
 * first. key_cmp orders the items; report names both.
 */
struct dup_item {
	const void *item;
	size_t pos;
};

struct dup_key {
	int (*cmp)(const void *a, const void *b);
};

static int dup_order(const void *a, const void *b, void *key)
{
	const struct dup_item *x = a, *y = b;
	int c = ((struct dup_key *)key)->cmp(x->item, y->item);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static void find_dups(struct conf_parser *p, const void *const *items, size_t n,
		      int (*cmp)(const void *, const void *),
		      void (*report)(struct conf_parser *p, const void *dup,
				     const void *first))
{
	struct dup_item *v = n && items ? calloc(n, sizeof(*v)) : NULL;
	struct dup_key key = {cmp};
	size_t first = 0;

	if (!v) {
		if (n) /* the reader cannot say the file is right */
			conf_error(&p->d, p->c->files->path, 0,
				   "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct dup_item){items[i], i};
	qsort_r(v, n, sizeof(*v), dup_order, &key);
	for (size_t i = 1; i < n; i++) {
		if (cmp(v[first].item, v[i].item))
			first = i;
		else
			report(p, v[i].item, v[first].item);
	}
	free(v);
}

static int addr_port_cmp(__u8 af1, const union xvs_addr *a1, unsigned p1,
			 __u8 af2, const union xvs_addr *a2, unsigned p2)
{
	int c = memcmp(a1->bytes, a2->bytes, sizeof(a1->bytes));

	if (af1 != af2)
		return af1 < af2 ? -1 : 1;
	if (c)
		return c;
	return (p1 > p2) - (p1 < p2);
}

static int rs_cmp(const void *a, const void *b)
{
	const struct xvs_conf_rs *x = a, *y = b;

	return addr_port_cmp(x->af, &x->addr, x->port, y->af, &y->addr,
			     y->port);
}

static void rs_dup_report(struct conf_parser *p, const void *dup,
			  const void *first)
{
	const struct xvs_conf_rs *rs = dup, *f = first;
	char a[64];

	where_err(p, &rs->where,
		  "duplicate real_server %s port %u (first at %s:%d)",
		  xvs_addr_ntop(rs->af, &rs->addr, a, sizeof(a)), rs->port,
		  f->where.file, f->where.line);
}

/* An array of the list's n items, for find_dups; NULL when empty, or out
 * of memory (then n stays the count). */
#define LIST_ARRAY(head, n, out)                                               \
	do {                                                                   \
		__typeof__(head) it_;                                          \
		size_t i_ = 0;                                                 \
		for (n = 0, it_ = head; it_; it_ = it_->next)                  \
			n++;                                                   \
		out = n ? calloc(n, sizeof(*out)) : NULL;                      \
		for (it_ = head; out && it_; it_ = it_->next)                  \
			out[i_++] = it_;                                       \
	} while (0)

void conf_finish_vs(struct conf_parser *p, struct conf_vs_frame *f)
{
	const void **rs;
	size_t n;

	finish_sched_flags(p, f);
	inherit_servers(f); /* the methods first: service_af reads them */
	finish_af(p, f);
	check_families(p, f);
	finish_checkers(p, f);
	LIST_ARRAY(f->vs->rs, n, rs);
	find_dups(p, rs, n, rs_cmp, rs_dup_report);
	free(rs);
}

static int vsg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xvs_conf_vsg *)a)->name,
		      ((const struct xvs_conf_vsg *)b)->name);
}

static int vsg_ptr_cmp(const void *a, const void *b)
{
	return vsg_cmp(*(const void *const *)a, *(const void *const *)b);
}

static void vsg_dup_report(struct conf_parser *p, const void *dup,
			   const void *first)
{
	const struct xvs_conf_vsg *g = dup, *f = first;

	where_err(p, &g->where,
		  "duplicate virtual_server_group '%s' (first at %s:%d)",
		  g->name, f->where.file, f->where.line);
}

static int vs_cmp(const void *a, const void *b)
{
	const struct xvs_conf_vs *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->kind == XVS_CONF_VS_FWMARK)
		return x->fwmark != y->fwmark
			       ? (x->fwmark < y->fwmark ? -1 : 1)
			       : (x->af > y->af) - (x->af < y->af);
	if (x->kind == XVS_CONF_VS_GROUP)
		c = strcmp(x->group, y->group);
	else
		c = addr_port_cmp(x->af, &x->addr, x->port, y->af, &y->addr,
				  y->port);
	return c ? c
		 : (x->protocol > y->protocol) - (x->protocol < y->protocol);
}

static void vs_dup_report(struct conf_parser *p, const void *dup,
			  const void *first)
{
	const struct xvs_conf_vs *vs = dup, *f = first;
	char a[64];

	if (vs->kind == XVS_CONF_VS_FWMARK)
		snprintf(a, sizeof(a), "fwmark %u", vs->fwmark);
	else if (vs->kind == XVS_CONF_VS_GROUP)
		snprintf(a, sizeof(a), "group %.50s", vs->group);
	else
		xvs_addr_format(a, sizeof(a), vs->af, &vs->addr,
				htons(vs->port), vs->protocol, 0);
	where_err(p, &vs->where, "duplicate virtual_server %s (first at %s:%d)",
		  a, f->where.file, f->where.line);
}

/* A group service: its group must exist, and gives the family if nothing
 * else did. vsgs is sorted by name. */
static void finish_group(struct conf_parser *p, struct xvs_conf_vs *vs,
			 const void **vsgs, size_t n)
{
	struct xvs_conf_vsg key = {.name = vs->group}, *k = &key;
	const void **found =
		n ? bsearch(&k, vsgs, n, sizeof(*vsgs), vsg_ptr_cmp) : NULL;
	const struct xvs_conf_vsg *g = found ? *found : NULL;

	if (!g) {
		where_err(p, &vs->where,
			  "virtual_server_group '%s' is not defined",
			  vs->group);
		return;
	}
	for (const struct xvs_conf_vsg_entry *e = g->entries; e; e = e->next) {
		if (e->is_fwmark)
			continue;
		if (!vs->af)
			vs->af = e->af;
		else if (e->af != vs->af)
			where_err(p, &vs->where,
				  "virtual_server_group '%s' is %s but the "
				  "virtual server is %s",
				  vs->group, af_name(e->af), af_name(vs->af));
		break;
	}
	if (!vs->af)
		vs->af = XVS_AF_INET;
}

void conf_finish(struct conf_parser *p)
{
	const void **vsgs, **vss;
	size_t n_vsg, n_vs;

	LIST_ARRAY(p->c->vsg, n_vsg, vsgs);
	find_dups(p, vsgs, n_vsg, vsg_cmp, vsg_dup_report);
	if (vsgs)
		qsort(vsgs, n_vsg, sizeof(*vsgs), vsg_ptr_cmp);
	for (struct xvs_conf_vs *vs = p->c->vs; vs; vs = vs->next)
		if (vs->kind == XVS_CONF_VS_GROUP)
			finish_group(p, vs, vsgs, vsgs ? n_vsg : 0);
	free(vsgs);
	LIST_ARRAY(p->c->vs, n_vs, vss);
	find_dups(p, vss, n_vs, vs_cmp, vs_dup_report);
	free(vss);
}
