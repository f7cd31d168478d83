/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The services a configuration file declares (xvsd --config), kept as it
 * says and as their health checks find their real servers: keepalived's
 * LVS side on top of the virtual-server table.
 *
 * - A real server whose checks all pass is in its service with its
 *   configured weight (or its MISC_CHECK's dynamic weight); once any of
 *   them fails it is removed, or set to weight 0 with inhibit_on_failure.
 * - A service whose live weight falls below quorum - hysteresis gets its
 *   sorry_server in place of its real servers (or, with
 *   sorry_server_inhibit, beside them at weight 0) and back when it
 *   reaches quorum + hysteresis; quorum_up / quorum_down run then.
 * - notify_up / notify_down run on each real server's transitions; every
 *   transition is logged once, with its reason.
 *
 * Ownership (docs/configuration.md): the configuration owns the services
 * it declares and their real servers. xvsadm may change them, but the
 * next transition or reload puts back what the configuration and the
 * checks say; what xvsadm creates outside the configuration is never
 * touched by it.
 */
#ifndef XVS_CLUSTER_H
#define XVS_CLUSTER_H

#include <stddef.h>
#include "conf/conf.h"

struct xvs_loop;
struct xvs_table;
struct xvs_cluster;

struct xvs_cluster *xvs_cluster_new(struct xvs_table *table,
				    struct xvs_loop *loop);

/*
 * Makes the table what conf declares, starting checks as needed, and
 * takes ownership of conf. The first call applies everything (with
 * lvs_flush clearing the table first); later calls (SIGHUP) apply only
 * the difference from the previous configuration: a service or real
 * server that did not change keeps its entries, counters, connections and
 * its checks' state. Returns 0, or -errno with a message in err when
 * conf is rejected (xvs_cluster_check, or out of memory): conf is freed
 * then and nothing changes. Once conf is accepted, a table operation that
 * fails (the data plane, or an operator's change in the way) is logged
 * and the rest applied, as in a transition.
 */
int xvs_cluster_apply(struct xvs_cluster *cl, struct xvs_conf *conf,
		      char *err, size_t errlen);

/*
 * What the table would refuse in conf, beyond the parser's checks: a
 * service declared twice (groups expanded), a real server twice in one
 * virtual_server or also its sorry_server, more services or real servers
 * than the table holds, and the table's own checks of every service and
 * real server (scheduler, flags, ports by forwarding method, weights,
 * thresholds, tunnel options). Every error goes to msg with the file and
 * line of what it is about. Touches nothing; returns the number of
 * errors.
 */
int xvs_cluster_check(const struct xvs_conf *conf, xvs_conf_msg_fn msg,
		      void *data);

/* Stops every check; with omega, runs the notify_down scripts of the real
 * servers that were up, as keepalived does at shutdown. The table is left
 * to its owner. NULL is a no-op. */
void xvs_cluster_free(struct xvs_cluster *cl);

#endif /* XVS_CLUSTER_H */
