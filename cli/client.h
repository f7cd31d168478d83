/* SPDX-License-Identifier: GPL-2.0 */
/* xvsadm's side of the daemon connection: connect once, then requests. */
#ifndef XVSADM_CLIENT_H
#define XVSADM_CLIENT_H

#include <stddef.h>
#include "ipc.h"

struct client {
	const char *path; /* the daemon's UNIX socket */
	int fd;		  /* -1 until the first request */
};

void client_init(struct client *c, const char *path);
void client_close(struct client *c);

/*
 * Sends one request and waits for its reply, connecting first if needed.
 * On success returns 0 and, when reply is not NULL, the reply body in
 * *reply (malloc'd, NULL if empty) and its length in *rlen. On failure
 * returns -errno with a one-line message in err: the daemon's own text
 * when it refused the request, else what went wrong with the connection
 * (naming the socket path).
 */
int client_request(struct client *c, __u16 op, const void *body, __u32 len,
		   void **reply, __u32 *rlen, char *err, size_t errlen);

#endif /* XVSADM_CLIENT_H */
