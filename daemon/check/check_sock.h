/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket plumbing every network checker shares: a non-blocking
 * socket from the checker's bindto / bind_port to its destination,
 * watched on the loop, and failure reasons in words. Functions that can
 * fail end the attempt themselves (check_attempt_end) and return -1: the
 * caller then returns at once, as the check may be gone.
 */
#ifndef XVS_CHECK_SOCK_H
#define XVS_CHECK_SOCK_H

#include "check_priv.h"
#include "loop.h"

struct check_sock {
	int fd;
	int open; /* fd is ours and on the loop */
};

/*
 * Creates a socket of type (SOCK_STREAM or SOCK_DGRAM), binds it as the
 * configuration says, starts connecting it to check_dest(c) and watches
 * it for events with cb. A stream socket is connected when it first turns
 * writable (check_sock_connected). Returns 0, or ends the attempt and
 * returns -1.
 */
int check_sock_open(struct check_sock *s, struct xvs_check *c, int type,
		    unsigned events, xvs_fd_cb cb, void *data);

/* After the first writable event of a stream socket: 0 if connected,
 * else ends the attempt ("connection refused") and returns -1. */
int check_sock_connected(struct check_sock *s, struct xvs_check *c);

/* Changes the events watched (0 pauses). */
void check_sock_watch(struct check_sock *s, struct xvs_check *c,
		      unsigned events);

/* Takes the socket off the loop and closes it; safe when closed. */
void check_sock_close(struct check_sock *s, struct xvs_check *c);

/* An errno as a failure reason: "connection refused", ... */
const char *check_sock_reason(int err);

#endif /* XVS_CHECK_SOCK_H */
