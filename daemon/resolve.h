/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keeps every real server's MAC in the data plane in step with the
 * kernel's neighbour table (see neigh.h for the protocol): resolved when a
 * server is added, re-checked every RESOLVE_REFRESH_MS, retried quickly
 * while unresolved. A server without a MAC is not forwarded to (its
 * packets are dropped and counted as drop_unresolved).
 */
#ifndef XVS_DAEMON_RESOLVE_H
#define XVS_DAEMON_RESOLVE_H

#include <stddef.h>

struct xvs_loop;
struct xvs_table;
struct xvs_resolver;

/* Hooks into the table (dest_added) and the loop (a periodic timer). */
struct xvs_resolver *xvs_resolver_start(struct xvs_table *t,
					struct xvs_loop *loop, char *err,
					size_t errlen);
void xvs_resolver_stop(struct xvs_resolver *r);

#endif
