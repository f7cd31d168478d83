/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster's run-time state (cluster.h), shared by its files:
 * cluster.c builds it from a configuration and carries it over a reload,
 * cluster_state.c moves it as checks report and keeps the table in step.
 *
 * Every object is allocated on its own: a check keeps a pointer to its
 * struct cl_check as callback data for as long as it runs, across
 * reloads, so that object must never move.
 */
#ifndef XVS_CLUSTER_PRIV_H
#define XVS_CLUSTER_PRIV_H

#include "check/check.h"
#include "cluster.h"
#include "cluster_plan.h"

struct cl_rs;
struct cl_vs;

/* One running check of a real server. */
struct cl_check {
	struct xvs_check *check; /* NULL: could not be started, counts as
				  * down */
	struct cl_rs *rs;
	int weight; /* misc_dynamic: the weight last asked for, -1: none */
};

struct cl_rs {
	const struct xvs_conf_rs *conf; /* in the cluster's configuration */
	struct cl_vs *vs;
	struct cl_check **checks; /* as conf->checkers, in order */
	size_t n_checks;
	int up; /* all checks up (no checks: up) */
};

struct cl_vs {
	struct xvs_cluster *cl;
	const struct xvs_conf_vs *conf;
	struct xvs_svc_key *keys; /* the services it declares */
	size_t n_keys;
	struct cl_rs **rs; /* as conf->rs, in order */
	size_t n_rs;
	int held;      /* holds its quorum: real servers in, sorry server out */
	char name[96]; /* "TCP 198.18.0.100:80", "FWM 1", "TCP group web" */
};

struct xvs_cluster {
	struct xvs_table *table;
	struct xvs_loop *loop;
	struct xvs_conf *conf; /* NULL before the first apply */
	struct cl_vs **vs;     /* as conf->vs, in order */
	size_t n_vs;
};

/* Reports of a check (xvs_check_report_fn; data is its cl_check). */
void xvs_cluster_check_report(void *data, struct xvs_check *check,
			      const struct xvs_check_result *r);

/* Whether all of rs's checks are up. */
int xvs_cluster_rs_all_up(const struct cl_rs *rs);

/* "198.18.0.12:80": how the log names a real server. */
const char *xvs_cluster_rs_name(const struct cl_rs *rs, char *buf, size_t len);

/* Which virtual_server declares each service, sorted by service. A
 * reload keeps the one of the configuration it replaces: what that
 * block declared in a service is the configuration's to delete, even
 * when the service has moved to another block since (an address of a
 * group now a virtual_server of its own, or the other way round). */
struct cl_owner {
	struct xvs_svc_key key;
	const struct xvs_conf_vs *conf;
};

struct cl_owners {
	struct cl_owner *v;
	size_t n;
};

/* The virtual_server that declares k in o, or NULL (none, or o NULL). */
const struct xvs_conf_vs *xvs_cluster_owner(const struct cl_owners *o,
					    const struct xvs_svc_key *k);

/*
 * After a change of vs's real servers or configuration: decides its
 * quorum (logging a change and running quorum_up / quorum_down; start:
 * vs is new, so its quorum is decided as keepalived does at start, from
 * quorum + hysteresis), then makes the table what vs says. before: who
 * declared its services before a reload (NULL otherwise), whose real
 * servers it may have to delete. Failed table operations are logged.
 */
void xvs_cluster_vs_update(struct cl_vs *vs, int start,
			   const struct cl_owners *before);

/* Logs that rs went up or down (rs->up) and why, and runs its
 * notify_up or notify_down. */
void xvs_cluster_rs_moved(struct cl_rs *rs, const char *why);

/* Runs rs's notify_up (up) or notify_down, and vs's quorum_up or
 * quorum_down; tag ends the name of the script in a log line. */
void xvs_cluster_rs_notify(struct cl_rs *rs, int up, const char *tag);
void xvs_cluster_quorum_script(struct cl_vs *vs, int up, const char *tag);

/* Runs the table operations of p, logging those that fail. */
void xvs_cluster_plan_run(struct xvs_cluster *cl, const struct xvs_plan *p);

#endif /* XVS_CLUSTER_PRIV_H */
