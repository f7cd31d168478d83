/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket: accepts xvsadm's connections, reads requests
 * (core/ipc.h), applies them to the table and answers. Non-blocking; a
 * slow or hostile client can hold only its own connection.
 */
#ifndef XVS_DAEMON_IPC_SERVER_H
#define XVS_DAEMON_IPC_SERVER_H

#include <stddef.h>

struct xvs_loop;
struct xvs_table;
struct xvs_ipc_server;

/*
 * Listens on path (mode 0600, parent directory created). If a daemon
 * already answers there, fails with -EADDRINUSE; a socket file left by a
 * dead one is replaced.
 */
int xvs_ipc_server_start(struct xvs_ipc_server **srvp, const char *path,
			 struct xvs_loop *loop, struct xvs_table *t,
			 char *err, size_t errlen);
/* Closes every connection and removes the socket file. */
void xvs_ipc_server_stop(struct xvs_ipc_server *srv);

#endif
