/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decisions of the cluster (cluster.h) as pure functions over the
 * configuration model and plain table entries, so that they can be
 * tested without a data plane (tests/unit/test_cluster_plan.c):
 *
 * - which services a virtual_server declares (groups and address ranges
 *   expanded) and with which options;
 * - whether a service holds its quorum;
 * - which real servers a service should have in the table, at which
 *   weights, given the health of its real servers and its quorum;
 * - the table operations that turn what a service has into that.
 *
 * Nothing here touches the table or prints.
 */
#ifndef XVS_CLUSTER_PLAN_H
#define XVS_CLUSTER_PLAN_H

#include <stddef.h>
#include "ipc.h"
#include "conf/conf.h"

/* The weight of a sorry server in use (keepalived's default weight). */
#define XVS_PLAN_SORRY_WEIGHT 1

/*
 * The services vs declares, in the file's order: one key for
 * virtual_server IP PORT or fwmark N, one per address of each range and
 * per fwmark of its virtual_server_group. *keys is malloc'd (the caller
 * frees it). Returns 0, or -ENOENT (no such group), -EINVAL (a range
 * that ends before it starts), -E2BIG (more than XVS_MAX_SERVICES) or
 * -ENOMEM with a message in err.
 */
int xvs_plan_svc_keys(const struct xvs_conf *conf, const struct xvs_conf_vs *vs,
		      struct xvs_svc_key **keys, size_t *n, char *err,
		      size_t errlen);

/* The options of vs as the table takes them, for its service key. */
void xvs_plan_svc_conf(const struct xvs_conf_vs *vs,
		       const struct xvs_svc_key *key, struct xvs_svc_conf *out);

/* A real server of vs in the service key, at weight. */
void xvs_plan_rs_dest(const struct xvs_svc_key *key,
		      const struct xvs_conf_rs *rs, int weight,
		      struct xvs_dest_conf *out);

/* The sorry server of vs (vs->has_sorry) in the service key: its port
 * is the service's when sorry_port is 0. */
void xvs_plan_sorry_dest(const struct xvs_conf_vs *vs,
			 const struct xvs_svc_key *key, int weight,
			 struct xvs_dest_conf *out);

/* The real servers of vs (list length). */
size_t xvs_plan_n_rs(const struct xvs_conf_vs *vs);

/* A real server as the plan sees it. */
struct xvs_plan_rs {
	const struct xvs_conf_rs *conf;
	int up;	    /* all its checks pass */
	int weight; /* its weight while up: configured, or MISC_CHECK's */
};

/* The live weight: the sum of the weights of the real servers up. */
long long xvs_plan_live_weight(const struct xvs_plan_rs *rs, size_t n);

/*
 * Whether a service holds its quorum at live weight live, having held
 * it before (held), as keepalived decides: it is lost below quorum -
 * hysteresis and regained at quorum + hysteresis. A service with no live
 * weight at all has lost it whatever quorum says (keepalived's "!weight"
 * test), and does not regain it while its live weight stays 0.
 */
int xvs_plan_quorum(int held, long long live, unsigned quorum,
		    unsigned hysteresis);

/*
 * The real servers the service key of vs should have (n_rs states in
 * rs[], the list of vs in order), into out, which has room for n_rs + 1:
 * - while it holds quorum, or has no sorry server: every real server up
 *   at its weight;
 * - otherwise (the sorry server in use) the sorry server at
 *   XVS_PLAN_SORRY_WEIGHT and no real server at a weight;
 * - a real server not at a weight is there at weight 0 with
 *   inhibit_on_failure, absent without; a sorry server not in use is
 *   there at weight 0 with sorry_server_inhibit.
 * Returns how many entries out has.
 */
size_t xvs_plan_want(const struct xvs_conf_vs *vs,
		     const struct xvs_svc_key *key,
		     const struct xvs_plan_rs *rs, size_t n_rs, int held,
		     struct xvs_dest_conf *out);

/* Every real server vs declares for key, its sorry server included,
 * whatever their state: the ones the configuration owns. out has room
 * for xvs_plan_n_rs(vs) + 1. Returns how many entries out has. */
size_t xvs_plan_declared(const struct xvs_conf_vs *vs,
			 const struct xvs_svc_key *key,
			 struct xvs_dest_conf *out);

/* Table operations, in the order they are to be applied. */
enum xvs_plan_op {
	XVS_PLAN_SVC_ADD = 0,
	XVS_PLAN_SVC_EDIT,
	XVS_PLAN_SVC_DEL,
	XVS_PLAN_DEST_ADD,
	XVS_PLAN_DEST_EDIT,
	XVS_PLAN_DEST_DEL,
};

struct xvs_plan_step {
	enum xvs_plan_op op;
	struct xvs_svc_conf svc;   /* SVC_*: the service (DEL: its key) */
	struct xvs_dest_conf dest; /* DEST_*: the real server */
};

struct xvs_plan {
	struct xvs_plan_step *step;
	size_t n, cap;
};

/*
 * Appends to p the steps that turn a service which has have_svc (NULL:
 * not in the table) and the real servers have[] into one with want_svc
 * and want[]: the service added or edited when its options differ, then
 * real servers added, then edited (weight, method, thresholds, tunnel),
 * then deleted. Adding before deleting keeps a service from going empty
 * while its sorry server replaces its real servers. A real server is
 * deleted only if owned[] (or want[]) names it: the others were added
 * outside the configuration and are left alone. Cost O(n log n).
 * Returns 0 or -ENOMEM (p keeps the steps appended before).
 */
int xvs_plan_service(struct xvs_plan *p, const struct xvs_svc_conf *want_svc,
		     const struct xvs_dest_conf *want, size_t n_want,
		     const struct xvs_dest_conf *owned, size_t n_owned,
		     const struct xvs_svc_conf *have_svc,
		     const struct xvs_dest_conf *have, size_t n_have);

/* Appends the deletion of the service k. Returns 0 or -ENOMEM. */
int xvs_plan_svc_del(struct xvs_plan *p, const struct xvs_svc_key *k);

void xvs_plan_free(struct xvs_plan *p);

#endif /* XVS_CLUSTER_PLAN_H */
