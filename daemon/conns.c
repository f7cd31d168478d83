// SPDX-License-Identifier: GPL-2.0
/* -L -c and --set on the daemon's side; see conns.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conns.h"
#include "dataplane.h"
#include "errbuf.h"
#include "persist.h"
#include "table.h"
#include "tcp_state.h"

/* Records in one reply at most: the rest would not fit the protocol. */
#define MAX_RECORDS                                                        \
	((XVS_IPC_MAX_BODY - sizeof(struct xvs_conn_list)) /               \
	 sizeof(struct xvs_conn_info))

struct listing {
	const struct xvs_dest **by_id; /* the table's real servers by id */
	unsigned char *buf; /* struct xvs_conn_list, then the records */
	size_t n, cap;      /* records */
	__u32 flags;
	__u64 now;
};

static struct xvs_conn_info *record(struct listing *l, size_t i)
{
	return (struct xvs_conn_info *)(l->buf + sizeof(struct xvs_conn_list)) +
	       i;
}

/* One line of the listing; dead entries and deleted servers' are not.
 * Templates are listed as IPVS lists them: protocol IP for a fwmark
 * service's, the real server's port only when the template has a vport. */
static int add_conn(const struct xvs_conn_key *k, const struct xvs_conn *c,
		    void *data)
{
	struct listing *l = data;
	const struct xvs_dest *d;
	struct xvs_conn_info *r;

	if ((c->flags & XVS_CONN_F_DEAD) || xvs_entry_dead(c, l->now) ||
	    c->dest_id >= XVS_MAX_DESTS)
		return 0;
	d = l->by_id[c->dest_id];
	if (!d || d->dp.gen != c->dest_gen)
		return 0;
	if (l->n == MAX_RECORDS) {
		l->flags |= XVS_CONN_LIST_F_TRUNCATED;
		return 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		void *p = realloc(l->buf, sizeof(struct xvs_conn_list) +
						  cap * sizeof(*r));

		if (!p)
			return -ENOMEM;
		l->buf = p;
		l->cap = cap;
	}
	r = record(l, l->n++);
	memset(r, 0, sizeof(*r));
	r->caddr = k->saddr;
	r->cport = k->sport;
	r->vaddr = k->daddr;
	r->vport = k->dport;
	r->daddr = d->conf.addr;
	if (c->flags & XVS_CONN_F_TEMPLATE)
		r->dport = k->dport ? d->conf.port : 0;
	else /* 0: the port the client asked for (bpf/nat_rev.h) */
		r->dport = d->dp.port ? d->dp.port : k->dport;
	r->proto = k->proto;
	r->af = k->af;
	r->daf = d->conf.af;
	r->state = c->state;
	r->flags = c->flags;
	r->expires = xvs_conn_expires(c, l->now);
	return 0;
}

int xvs_conns_list(struct xvs_table *t, void **body, __u32 *len, char *err,
		   size_t errlen)
{
	struct listing l = { .now = xvs_conn_clock() };
	struct xvs_conn_list *hdr;
	int rc;

	l.by_id = calloc(XVS_MAX_DESTS, sizeof(*l.by_id));
	l.buf = malloc(sizeof(*hdr));
	if (!l.by_id || !l.buf) {
		rc = xvs_fail(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++) {
		if (!t->svc[i])
			continue;
		for (const struct xvs_dest *d = t->svc[i]->dests; d;
		     d = d->next)
			l.by_id[d->id] = d;
	}
	rc = xvs_dp_conn_walk(t->dp, add_conn, &l);
	if (rc) {
		xvs_fail(err, errlen, rc, "cannot read the connection table: %s",
			 strerror(-rc));
		goto out;
	}
	hdr = (struct xvs_conn_list *)l.buf;
	hdr->n = (__u32)l.n;
	hdr->flags = l.flags;
	*body = l.buf;
	*len = (__u32)(sizeof(*hdr) + l.n * sizeof(struct xvs_conn_info));
	l.buf = NULL;
out:
	free(l.buf);
	free(l.by_id);
	return rc;
}

int xvs_conns_set_timeouts(struct xvs_table *t, const struct xvs_timeouts *to,
			   char *err, size_t errlen)
{
	struct xvs_dp_config *cfg = xvs_dp_config(t->dp);
	const __u32 vals[] = { to->tcp_timeout, to->tcp_fin_timeout,
			       to->udp_timeout };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (vals[i] > XVS_TIMEOUT_MAX)
			return xvs_fail(err, errlen, -EINVAL,
					"timeout %u is out of range 0-%u",
					vals[i], XVS_TIMEOUT_MAX);
	/* Each a single aligned store: the data plane reads them live. */
	if (to->tcp_timeout)
		cfg->tcp_timeout_s[XVS_TCP_S_ESTABLISHED] = to->tcp_timeout;
	if (to->tcp_fin_timeout)
		cfg->tcp_timeout_s[XVS_TCP_S_FIN_WAIT] = to->tcp_fin_timeout;
	if (to->udp_timeout)
		cfg->udp_timeout_s = to->udp_timeout;
	return 0;
}
