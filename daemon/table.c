// SPDX-License-Identifier: GPL-2.0
/* The virtual-server table and its mirror in the data plane; see table.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include "addr.h"
#include "cmd.h"
#include "dataplane.h"
#include "errbuf.h"
#include "mark.h"
#include "sched_hash.h"
#include "svc_persist.h"
#include "table.h"

const char *xvs_table_svc_name(const struct xvs_svc_key *k, char *buf,
			       size_t len)
{
	char a[XVS_ADDRPORT_LEN];

	if (!k->proto) { /* as ipvsadm lists it */
		snprintf(buf, len, "FWM %u%s", xvs_svc_key_mark(k),
			 k->af == XVS_AF_INET6 ? " IPv6" : "");
		return buf;
	}
	xvs_addr_format(a, sizeof(a), k->af, &k->addr, k->port, k->proto, 0);
	snprintf(buf, len, "%s %s", k->proto == IPPROTO_UDP ? "UDP" : "TCP",
		 a);
	return buf;
}

static const char *dest_name(const struct xvs_dest_conf *c, char *buf,
			     size_t len)
{
	return xvs_addr_format(buf, len, c->af, &c->addr, c->port,
			       c->svc.proto, 0);
}

static int dp_error(int rc, char *err, size_t errlen)
{
	return rc ? xvs_fail(err, errlen, rc,
			     "cannot program the data plane: %s",
			     strerror(-rc)) :
		    0;
}

void xvs_table_init(struct xvs_table *t, struct xvs_dp *dp)
{
	memset(t, 0, sizeof(*t));
	t->dp = dp;
}

struct xvs_service *xvs_table_svc_find(struct xvs_table *t,
				       const struct xvs_svc_key *k)
{
	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++)
		if (t->svc[i] && !memcmp(&t->svc[i]->conf.key, k, sizeof(*k)))
			return t->svc[i];
	return NULL;
}

static struct xvs_dest *dest_find(struct xvs_service *s,
				  const struct xvs_dest_conf *c)
{
	for (struct xvs_dest *d = s->dests; d; d = d->next)
		if (d->conf.af == c->af && d->conf.port == c->port &&
		    !memcmp(&d->conf.addr, &c->addr, sizeof(c->addr)))
			return d;
	return NULL;
}

/* A key as the data plane matches it: no stray bytes. */
static int check_key(const struct xvs_svc_key *k, char *err, size_t errlen)
{
	if (k->af != XVS_AF_INET && k->af != XVS_AF_INET6)
		return xvs_fail(err, errlen, -EAFNOSUPPORT,
			    "unknown address family %u", k->af);
	/* protocol 0: a fwmark service (svc_persist.c checks the rest) */
	if (k->proto && k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP)
		return xvs_fail(err, errlen, -EPROTONOSUPPORT,
			    "protocol %u is not built yet (TCP and UDP are)",
			    k->proto);
	if (k->af == XVS_AF_INET &&
	    (k->addr.v6[1] || k->addr.v6[2] || k->addr.v6[3]))
		return xvs_fail(err, errlen, -EINVAL, "malformed IPv4 address");
	return 0;
}

/* Everything about a service's options that xvs cannot honour yet. */
static int check_svc_conf(const struct xvs_svc_conf *c,
			  const struct xvs_sched_ops **ops, char *err,
			  size_t errlen)
{
	char name[XVS_SCHED_NAME_LEN + 1];
	int rc = check_key(&c->key, err, errlen);

	if (rc)
		return rc;
	memcpy(name, c->sched, XVS_SCHED_NAME_LEN);
	name[XVS_SCHED_NAME_LEN] = 0;
	*ops = xvs_sched_find(name);
	if (!*ops && xvs_sched_is_ipvs_name(name))
		return xvs_fail(err, errlen, -EOPNOTSUPP,
			    "scheduler '%s' is not built yet (built: %s)", name,
			    xvs_sched_built_names());
	if (!*ops)
		return xvs_fail(err, errlen, -ENOENT, "unknown scheduler '%s'",
			    name);
	/* IPVS takes flag-1..3 with any scheduler; only sh and mh read
	 * them (ipvsadm checks the sh-* and mh-* names). */
	if (c->sched_flags & ~(XVS_SCHED_FLAG_1 | XVS_SCHED_FLAG_2 |
			       XVS_SCHED_FLAG_3))
		return xvs_fail(err, errlen, -EINVAL,
			    "unknown scheduler flags 0x%x", c->sched_flags);
	return xvs_svc_persist_check(c, err, errlen);
}

/* The tunnel options, as ipvsadm and IPVS accept them: only with -i; gue
 * needs a port; a checksum only for gue and gre, the remote checksum only
 * for gue, and not both. */
static int check_tun_conf(const struct xvs_dest_conf *c, char *err,
			  size_t errlen)
{
	const __u8 known = XVS_TUN_F_CSUM | XVS_TUN_F_REMCSUM;
	const char *type = xvs_tun_type_name(c->tun_type);

	if (c->fwd != XVS_FWD_TUN) {
		if (c->tun_type || c->tun_flags || c->tun_port)
			return xvs_fail(err, errlen, -EINVAL,
				    "Tunnel options conflict with forward "
				    "method");
		return 0;
	}
	if (c->tun_type > XVS_TUN_GRE)
		return xvs_fail(err, errlen, -EINVAL, "unknown tunnel type %u",
			    c->tun_type);
	if (c->tun_flags & ~known)
		return xvs_fail(err, errlen, -EINVAL,
			    "unknown tunnel flags 0x%x", c->tun_flags);
	if (c->tun_type == XVS_TUN_GUE && !c->tun_port)
		return xvs_fail(err, errlen, -EINVAL,
			    "You need to supply the 'tun-port' option for the "
			    "'gue' tunnel type");
	if (c->tun_type != XVS_TUN_GUE && c->tun_port)
		return xvs_fail(err, errlen, -EINVAL,
			    "Illegal 'tun-port' option with the '%s' tunnel "
			    "type",
			    type);
	if (c->tun_type == XVS_TUN_IPIP && c->tun_flags)
		return xvs_fail(err, errlen, -EINVAL,
			    "Illegal '%s' option with the 'ipip' tunnel type",
			    c->tun_flags & XVS_TUN_F_CSUM ? "tun-csum"
							 : "tun-remcsum");
	if (c->tun_type == XVS_TUN_GRE && (c->tun_flags & XVS_TUN_F_REMCSUM))
		return xvs_fail(err, errlen, -EINVAL,
			    "Illegal 'tun-remcsum' option with the 'gre' "
			    "tunnel type");
	if ((c->tun_flags & known) == known)
		return xvs_fail(err, errlen, -EINVAL,
			    "The option 'tun-remcsum' conflicts with the "
			    "'tun-csum' option in the '%s' tunnel type",
			    type);
	return 0;
}

/* lblc and lblcr keep caches in the data plane, per service. */
static int has_cache(const struct xvs_sched_ops *ops)
{
	return ops->id == XVS_SCHED_LBLC || ops->id == XVS_SCHED_LBLCR;
}

/* mh cannot spread more real servers than its table has slots (IPVS's
 * ip_vs_mh_reassign refuses to, and keeps a stale table). */
static int check_mh_room(struct xvs_table *t, const struct xvs_sched_ops *ops,
			 __u32 n_dests, char *err, size_t errlen)
{
	__u32 m = xvs_dp_mh_table_size(t->dp);

	if (ops->id != XVS_SCHED_MH || n_dests <= m)
		return 0;
	return xvs_fail(err, errlen, -ENOSPC,
			"mh's table of %u slots cannot hold %u real servers "
			"(xvsd --mh-table-size)",
			m, n_dests);
}

static int check_dest_conf(const struct xvs_service *s,
			   const struct xvs_dest_conf *c, char *err,
			   size_t errlen)
{
	static const union xvs_addr any;
	char buf[XVS_ADDRPORT_LEN];
	int rc;

	if (c->af != s->conf.key.af && c->fwd != XVS_FWD_TUN)
		return xvs_fail(err, errlen, -EAFNOSUPPORT,
			    "Different address family is allowed only for "
			    "tunneling servers (%s)",
			    dest_name(c, buf, sizeof(buf)));
	if (c->af != XVS_AF_INET && c->af != XVS_AF_INET6)
		return xvs_fail(err, errlen, -EAFNOSUPPORT,
			    "unknown address family %u", c->af);
	if (c->af == XVS_AF_INET &&
	    (c->addr.v6[1] || c->addr.v6[2] || c->addr.v6[3]))
		return xvs_fail(err, errlen, -EINVAL, "malformed IPv4 address");
	if (!memcmp(&c->addr, &any, sizeof(any)))
		return xvs_fail(err, errlen, -EINVAL,
			    "real server address must not be unspecified");
	if (c->fwd != XVS_FWD_DR && c->fwd != XVS_FWD_TUN &&
	    c->fwd != XVS_FWD_NAT)
		return xvs_fail(err, errlen, -EINVAL,
			    "unknown forwarding method %u", c->fwd);
	/* Only masquerading may map the port (vport 80 -> rport 8080). */
	rc = xvs_dest_port_check(&s->conf, c, dest_name(c, buf, sizeof(buf)),
				 err, errlen);
	if (!rc)
		rc = check_tun_conf(c, err, errlen);
	if (rc)
		return rc;
	if (c->weight < 0 || c->weight > XVS_WEIGHT_MAX)
		return xvs_fail(err, errlen, -ERANGE,
			    "weight %d is out of range 0-%d", c->weight,
			    XVS_WEIGHT_MAX);
	if (c->l_threshold > c->u_threshold) /* as ip_vs_add_dest */
		return xvs_fail(err, errlen, -ERANGE,
			    "lower threshold %u is higher than upper threshold "
			    "%u",
			    c->l_threshold, c->u_threshold);
	return 0;
}

/* What the data plane takes from a real server's configuration (and its
 * service's); the resolver fills in where it is. */
static void dest_dp_conf(const struct xvs_service *s, struct xvs_dest *d)
{
	d->dp.addr = d->conf.addr;
	d->dp.port = xvs_dest_dp_port(&s->conf, &d->conf);
	d->dp.flags &= ~XVS_DEST_F_WEIGHT0;
	if (!d->conf.weight)
		d->dp.flags |= XVS_DEST_F_WEIGHT0;
	d->dp.af = d->conf.af;
	d->dp.fwd = d->conf.fwd;
	d->dp.tun_type = d->conf.tun_type;
	d->dp.tun_flags = d->conf.tun_flags;
	d->dp.tun_port = d->conf.tun_port;
}

/*
 * Counts real server d in (delta 1) or out (-1) of the NAT servers and
 * tells the data plane how many there are: while none, it looks up no
 * packet as a NAT reply (bpf/fwd_nat.h). A running count, so that a
 * restore of thousands of servers does not walk the table per server.
 */
static void nat_dests_count(struct xvs_table *t, const struct xvs_dest *d,
			    int delta)
{
	if (d->conf.fwd != XVS_FWD_NAT)
		return;
	t->n_nat_dests += (__u32)delta;
	xvs_dp_config(t->dp)->nat_dests = t->n_nat_dests;
}

/* The scheduling list for the service's current real servers. */
static void build_list(const struct xvs_service *s, struct xvs_sched_list *l)
{
	l->n = 0;
	for (const struct xvs_dest *d = s->dests; d; d = d->next) {
		l->e[l->n].dest_id = d->id;
		l->e[l->n].weight = d->conf.weight;
		l->n++;
	}
	xvs_sched_list_finish(l);
}

/* sh, dh, mh: the lookup table for the list l just built from s, in a
 * malloc'd *out (NULL for the other schedulers). */
static int build_table(struct xvs_table *t, const struct xvs_service *s,
		       const struct xvs_sched_list *l,
		       struct xvs_sched_table **out)
{
	struct xvs_table_dest *td;
	struct xvs_table_src src = {
		.list = l,
		.mh_size = xvs_dp_mh_table_size(t->dp),
		.af = s->conf.key.af,
	};
	__u32 i = 0;
	int rc;

	*out = NULL;
	if (!s->ops->table_build)
		return 0;
	td = calloc(l->n ? l->n : 1, sizeof(*td));
	*out = malloc(sizeof(**out));
	if (!td || !*out) {
		free(td);
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	for (const struct xvs_dest *d = s->dests; d && i < l->n; d = d->next) {
		td[i].addr = d->conf.addr;
		td[i].port = d->conf.port;
		td[i].last_weight = d->last_weight;
		i++;
	}
	src.dest = td;
	rc = s->ops->table_build(&src, *out);
	free(td);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Publishes the service's list (and table); fresh = start the scheduler
 * anew. */
static int publish(struct xvs_table *t, struct xvs_service *s, int fresh)
{
	struct xvs_sched_list *l = s->published;
	struct xvs_sched_list *old = NULL;
	struct xvs_sched_table *table = NULL;
	int rc;

	if (!fresh) {
		old = malloc(sizeof(*old));
		if (!old)
			return -ENOMEM;
		memcpy(old, l, sizeof(*old));
	}
	build_list(s, l);
	rc = build_table(t, s, l, &table);
	if (!rc)
		rc = xvs_dp_sched_publish_table(t->dp, s->id, s->ops, old, l,
						table);
	free(table);
	free(old);
	return rc;
}

static int svc_dp_write(struct xvs_table *t, struct xvs_service *s)
{
	struct xvs_svc_dp v = {
		.svc_id = s->id,
		.sched_id = (__u16)s->ops->id,
		.flags = (__u16)s->conf.flags,
		.sched_flags = s->conf.sched_flags,
	};

	xvs_svc_persist_dp(&s->conf, &v);
	return xvs_dp_svc_set(t->dp, &s->conf.key, &v);
}

int xvs_table_svc_add(struct xvs_table *t, const struct xvs_svc_conf *c,
		      char *err, size_t errlen)
{
	const struct xvs_sched_ops *ops;
	struct xvs_service *s;
	char buf[96];
	__u32 id;
	int rc;

	rc = check_svc_conf(c, &ops, err, errlen);
	if (rc)
		return rc;
	if (xvs_table_svc_find(t, &c->key))
		return xvs_fail(err, errlen, -EEXIST, "Service %s already exists",
			    xvs_table_svc_name(&c->key, buf, sizeof(buf)));
	for (id = 0; id < XVS_MAX_SERVICES && t->svc[id]; id++)
		;
	if (id == XVS_MAX_SERVICES)
		return xvs_fail(err, errlen, -ENOSPC, "too many services (max %d)",
			    XVS_MAX_SERVICES);
	s = calloc(1, sizeof(*s));
	if (s)
		s->published = calloc(1, sizeof(*s->published));
	if (!s || !s->published) {
		free(s);
		return xvs_fail(err, errlen, -ENOMEM, "out of memory");
	}
	s->conf = *c;
	s->id = id;
	s->ops = ops;
	rc = publish(t, s, 1);
	if (!rc)
		rc = xvs_dp_svc_stats_zero(t->dp, id);
	if (!rc)
		rc = svc_dp_write(t, s);
	if (rc) {
		xvs_dp_sched_drop(t->dp, id);
		free(s->published);
		free(s);
		return dp_error(rc, err, errlen);
	}
	t->svc[id] = s;
	t->n_svc++;
	xvs_rate_init(&s->est, &(struct xvs_stats){ 0 });
	xvs_svc_persist_sync(t);
	return 0;
}

int xvs_table_svc_edit(struct xvs_table *t, const struct xvs_svc_conf *c,
		       char *err, size_t errlen)
{
	const struct xvs_sched_ops *ops;
	struct xvs_service *s;
	char buf[96];
	int rc;

	rc = check_svc_conf(c, &ops, err, errlen);
	if (rc)
		return rc;
	s = xvs_table_svc_find(t, &c->key);
	if (!s)
		return xvs_fail(err, errlen, -ESRCH, "No such service %s",
			    xvs_table_svc_name(&c->key, buf, sizeof(buf)));
	rc = check_mh_room(t, ops, s->n_dests, err, errlen);
	if (rc)
		return rc;
	s->conf = *c;
	if (ops != s->ops) {
		/* A new scheduler starts from its initial state, as when
		 * IPVS binds a scheduler to a service. */
		if (has_cache(s->ops))
			xvs_dp_locality_flush(t->dp, s->id);
		s->ops = ops;
		rc = publish(t, s, 1);
	}
	if (!rc)
		rc = svc_dp_write(t, s);
	/* -p on or off changes the port persistent servers forward to */
	for (struct xvs_dest *d = s->dests; d && !rc; d = d->next) {
		dest_dp_conf(s, d);
		rc = xvs_table_dest_sync(t, d);
	}
	if (rc)
		return dp_error(rc, err, errlen);
	return 0;
}

static void dest_free(struct xvs_table *t, struct xvs_dest *d)
{
	struct xvs_dest_dp gone = { .gen = 0 };

	/* Connections still bound to this id see a generation mismatch. */
	xvs_dp_dest_set(t->dp, d->id, &gone);
	t->dest_used[d->id] = 0;
	nat_dests_count(t, d, -1);
	free(d);
}

static void svc_free(struct xvs_table *t, struct xvs_service *s)
{
	struct xvs_dest *d, *next;

	xvs_dp_svc_del(t->dp, &s->conf.key);
	for (d = s->dests; d; d = next) {
		next = d->next;
		dest_free(t, d);
	}
	xvs_dp_sched_drop(t->dp, s->id);
	if (has_cache(s->ops))
		xvs_dp_locality_flush(t->dp, s->id);
	t->svc[s->id] = NULL;
	t->n_svc--;
	free(s->published);
	free(s);
	xvs_svc_persist_sync(t);
}

int xvs_table_svc_del(struct xvs_table *t, const struct xvs_svc_key *k,
		      char *err, size_t errlen)
{
	struct xvs_service *s = xvs_table_svc_find(t, k);
	char buf[96];

	if (!s)
		return xvs_fail(err, errlen, -ESRCH, "No such service %s",
			    xvs_table_svc_name(k, buf, sizeof(buf)));
	svc_free(t, s);
	return 0;
}

void xvs_table_clear(struct xvs_table *t)
{
	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++)
		if (t->svc[i])
			svc_free(t, t->svc[i]);
}

int xvs_table_dest_sync(struct xvs_table *t, struct xvs_dest *d)
{
	return xvs_dp_dest_set(t->dp, d->id, &d->dp);
}

/*
 * Finds the service a real-server command names, and the server in it.
 * must_exist: a missing server is an error (-e, -d).
 */
static int dest_cmd(struct xvs_table *t, const struct xvs_dest_conf *c,
		    int must_exist, struct xvs_service **sp,
		    struct xvs_dest **dp, char *err, size_t errlen)
{
	char buf[96];

	*sp = xvs_table_svc_find(t, &c->svc);
	if (!*sp)
		return xvs_fail(err, errlen, -ESRCH, "No such service %s",
				xvs_table_svc_name(&c->svc, buf, sizeof(buf)));
	*dp = dest_find(*sp, c);
	if (!*dp && must_exist)
		return xvs_fail(err, errlen, -ENOENT, "No such destination %s",
				dest_name(c, buf, sizeof(buf)));
	return 0;
}

int xvs_table_check(const struct xvs_svc_conf *svc,
		    const struct xvs_dest_conf *dest, char *err, size_t errlen)
{
	const struct xvs_sched_ops *ops;
	struct xvs_service s = { .conf = *svc };
	int rc = check_svc_conf(svc, &ops, err, errlen);

	if (!rc && dest)
		rc = check_dest_conf(&s, dest, err, errlen);
	return rc;
}

int xvs_table_dest_add(struct xvs_table *t, const struct xvs_dest_conf *c,
		       char *err, size_t errlen)
{
	struct xvs_service *s;
	struct xvs_dest *d;
	char buf[XVS_ADDRPORT_LEN];
	__u32 id;
	int rc;

	rc = dest_cmd(t, c, 0, &s, &d, err, errlen);
	if (rc)
		return rc;
	if (d)
		return xvs_fail(err, errlen, -EEXIST,
			    "Destination %s already exists",
			    dest_name(c, buf, sizeof(buf)));
	rc = check_dest_conf(s, c, err, errlen);
	if (rc)
		return rc;
	if (s->n_dests == XVS_MAX_DESTS_PER_SVC)
		return xvs_fail(err, errlen, -ENOSPC,
			    "too many real servers in one service (max %d)",
			    XVS_MAX_DESTS_PER_SVC);
	rc = check_mh_room(t, s->ops, s->n_dests + 1, err, errlen);
	if (rc)
		return rc;
	for (id = 0; id < XVS_MAX_DESTS && t->dest_used[id]; id++)
		;
	if (id == XVS_MAX_DESTS)
		return xvs_fail(err, errlen, -ENOSPC, "too many real servers (max %d)",
			    XVS_MAX_DESTS);
	d = calloc(1, sizeof(*d));
	if (!d)
		return xvs_fail(err, errlen, -ENOMEM, "out of memory");
	d->conf = *c;
	d->id = id;
	d->last_weight = c->weight;
	if (!++t->dest_gen[id]) /* 0 means "free" to the data plane */
		++t->dest_gen[id];
	d->dp = (struct xvs_dest_dp){
		.gen = t->dest_gen[id],
		.svc_id = s->id,
	};
	dest_dp_conf(s, d);
	rc = xvs_dp_dest_stats_zero(t->dp, id);
	xvs_dp_dest_conns_reset(t->dp, id);
	xvs_dp_dest_thresholds(t->dp, id, c->u_threshold, c->l_threshold);
	if (!rc)
		rc = xvs_table_dest_sync(t, d);
	if (rc) {
		free(d);
		return dp_error(rc, err, errlen);
	}
	t->dest_used[id] = 1;
	d->next = s->dests; /* IPVS adds at the head of the list */
	s->dests = d;
	s->n_dests++;
	xvs_rate_init(&d->est, &(struct xvs_stats){ 0 });
	if (t->dest_added)
		t->dest_added(t, s, d, t->dest_added_data);
	nat_dests_count(t, d, 1); /* before it can take connections */
	return dp_error(publish(t, s, 0), err, errlen);
}

int xvs_table_dest_edit(struct xvs_table *t, const struct xvs_dest_conf *c,
			char *err, size_t errlen)
{
	struct xvs_service *s;
	struct xvs_dest *d;
	int rc;

	rc = dest_cmd(t, c, 1, &s, &d, err, errlen);
	if (rc)
		return rc;
	rc = check_dest_conf(s, c, err, errlen);
	if (rc)
		return rc;
	nat_dests_count(t, d, -1);
	d->conf = *c;
	nat_dests_count(t, d, 1);
	if (c->weight) /* mh keeps the last non-zero weight */
		d->last_weight = c->weight;
	xvs_dp_dest_thresholds(t->dp, d->id, c->u_threshold, c->l_threshold);
	/* -e may change the method and the tunnel (not the address), and
	 * with them what the resolver requires (a source for TUN). */
	dest_dp_conf(s, d);
	rc = xvs_table_dest_sync(t, d);
	if (!rc && t->dest_added)
		t->dest_added(t, s, d, t->dest_added_data);
	if (!rc)
		rc = publish(t, s, 0);
	return dp_error(rc, err, errlen);
}

int xvs_table_dest_del(struct xvs_table *t, const struct xvs_dest_conf *c,
		       char *err, size_t errlen)
{
	struct xvs_service *s;
	struct xvs_dest *d, **pp;
	int rc;

	rc = dest_cmd(t, c, 1, &s, &d, err, errlen);
	if (rc)
		return rc;
	for (pp = &s->dests; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	s->n_dests--;
	/* Unlist it first, so no new connection can pick it, then free. */
	rc = publish(t, s, 0);
	dest_free(t, d);
	return dp_error(rc, err, errlen);
}

int xvs_table_zero(struct xvs_table *t, const struct xvs_svc_key *k,
		   char *err, size_t errlen)
{
	struct xvs_stats zero = { 0 };
	char buf[96];

	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++) {
		struct xvs_service *s = t->svc[i];

		if (!s || (k && memcmp(&s->conf.key, k, sizeof(*k))))
			continue;
		xvs_dp_svc_stats_zero(t->dp, s->id);
		xvs_rate_init(&s->est, &zero);
		for (struct xvs_dest *d = s->dests; d; d = d->next) {
			xvs_dp_dest_stats_zero(t->dp, d->id);
			xvs_rate_init(&d->est, &zero);
		}
		if (k)
			return 0;
	}
	if (k)
		return xvs_fail(err, errlen, -ESRCH, "No such service %s",
			    xvs_table_svc_name(k, buf, sizeof(buf)));
	return 0;
}

void xvs_table_rate_sample(struct xvs_table *t)
{
	struct xvs_stats st;

	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++) {
		struct xvs_service *s = t->svc[i];

		if (!s)
			continue;
		if (!xvs_dp_svc_stats(t->dp, s->id, &st))
			xvs_rate_sample(&s->est, &st);
		for (struct xvs_dest *d = s->dests; d; d = d->next)
			if (!xvs_dp_dest_stats(t->dp, d->id, &st))
				xvs_rate_sample(&d->est, &st);
	}
}
