/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's virtual-server table: the source of truth for services and
 * real servers, which it mirrors into the data plane. Every change is
 * validated completely before anything is written, so a rejected command
 * changes nothing.
 *
 * Functions return 0 or -errno with a message (quoting the offending
 * service or server) in err.
 */
#ifndef XVS_DAEMON_TABLE_H
#define XVS_DAEMON_TABLE_H

#include <stddef.h>
#include "ipc.h"
#include "marks.h"
#include "rate.h"
#include "scheduler.h"

struct xvs_dp;

struct xvs_dest {
	struct xvs_dest_conf conf;
	__u32 id;               /* index in the data plane's dests map */
	struct xvs_dest_dp dp;  /* what the data plane has for it */
	struct xvs_rate_est est;
	__u64 resolve_next_ms;  /* when the resolver looks at it again */
	__u32 resolve_tries;    /* looks since added, while unresolved */
	int reported_unreachable; /* logged once, until it resolves */
	__s32 last_weight;      /* mh: the last non-zero weight (IPVS's
				 * dest->last_weight), the weight when added */
	struct xvs_dest *next;  /* newest first, as IPVS's list */
};

struct xvs_service {
	struct xvs_svc_conf conf;
	__u32 id; /* index of the per-service data-plane arrays */
	const struct xvs_sched_ops *ops;
	struct xvs_dest *dests;
	__u32 n_dests;
	struct xvs_sched_list *published; /* the list the data plane has */
	struct xvs_rate_est est;
};

struct xvs_table {
	struct xvs_dp *dp;
	struct xvs_service *svc[XVS_MAX_SERVICES]; /* by id; NULL = free */
	__u32 n_svc;
	__u32 n_nat_dests; /* real servers forwarding by NAT, all services */
	__u32 dest_gen[XVS_MAX_DESTS]; /* last generation of each dest id */
	unsigned char dest_used[XVS_MAX_DESTS];
	/* Called when a real server is added or its address may need
	 * resolving now (set by the resolver). */
	void (*dest_added)(struct xvs_table *t, struct xvs_service *s,
			   struct xvs_dest *d, void *data);
	void *dest_added_data;
	struct xvs_marks marks; /* fwmark rules (marks.c) */
};

void xvs_table_init(struct xvs_table *t, struct xvs_dp *dp);
/* Removes everything (from the data plane too). */
void xvs_table_clear(struct xvs_table *t);

int xvs_table_svc_add(struct xvs_table *t, const struct xvs_svc_conf *c,
		      char *err, size_t errlen);
int xvs_table_svc_edit(struct xvs_table *t, const struct xvs_svc_conf *c,
		       char *err, size_t errlen);
int xvs_table_svc_del(struct xvs_table *t, const struct xvs_svc_key *k,
		      char *err, size_t errlen);
int xvs_table_dest_add(struct xvs_table *t, const struct xvs_dest_conf *c,
		       char *err, size_t errlen);
int xvs_table_dest_edit(struct xvs_table *t, const struct xvs_dest_conf *c,
			char *err, size_t errlen);
int xvs_table_dest_del(struct xvs_table *t, const struct xvs_dest_conf *c,
		       char *err, size_t errlen);
/* Whether xvs_table_svc_add would take the service svc and then, unless
 * dest is NULL, xvs_table_dest_add the real server dest: the checks that
 * do not depend on what the table holds (for xvsd --config-test). */
int xvs_table_check(const struct xvs_svc_conf *svc,
		    const struct xvs_dest_conf *dest, char *err, size_t errlen);
/* Zeroes the counters of one service (k) or of all (k == NULL). */
int xvs_table_zero(struct xvs_table *t, const struct xvs_svc_key *k,
		   char *err, size_t errlen);

/* "TCP 198.18.0.100:80": how messages name a service. */
const char *xvs_table_svc_name(const struct xvs_svc_key *k, char *buf,
			       size_t len);

struct xvs_service *xvs_table_svc_find(struct xvs_table *t,
				       const struct xvs_svc_key *k);
/* Writes a real server's data-plane entry again (after resolving it). */
int xvs_table_dest_sync(struct xvs_table *t, struct xvs_dest *d);

/*
 * The XVS_OP_LIST reply body: services (all, or the one k names) sorted
 * as ipvsadm sorts them, each followed by its real servers. malloc'd.
 */
int xvs_table_list(struct xvs_table *t, const struct xvs_svc_key *k,
		   void **body, __u32 *len, char *err, size_t errlen);

/* Takes a 2-second rate sample of every service and real server. */
void xvs_table_rate_sample(struct xvs_table *t);

#endif /* XVS_DAEMON_TABLE_H */
