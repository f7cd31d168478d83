/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection table as the control socket shows and sets it: the
 * XVS_OP_CONN_LIST reply (-L -c) and the timeouts of XVS_OP_SET_TIMEOUT
 * (--set). Functions return 0 or -errno with a message in err.
 */
#ifndef XVS_DAEMON_CONNS_H
#define XVS_DAEMON_CONNS_H

#include <stddef.h>
#include "ipc.h"

struct xvs_table;

/*
 * The live connections, malloc'd into *body: an xvs_conn_list and its
 * records, with each connection's real server from the table. Cost: one
 * walk of the whole table (batched: a few system calls per thousand
 * entries, about 64 bytes of reply each).
 */
int xvs_conns_list(struct xvs_table *t, void **body, __u32 *len, char *err,
		   size_t errlen);

/* --set: ESTABLISHED, FIN_WAIT and UDP timeouts; 0 keeps a value. */
int xvs_conns_set_timeouts(struct xvs_table *t, const struct xvs_timeouts *to,
			   char *err, size_t errlen);

#endif
