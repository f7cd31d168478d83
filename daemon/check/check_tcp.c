// SPDX-License-Identifier: GPL-2.0
/*
 * TCP_CHECK: the server is up when a TCP connection to it completes. The
 * connection is closed at once, as keepalived does.
 */
#include <sys/socket.h>

#include "check_sock.h"

struct tcp_check {
	struct check_sock sock;
	struct xvs_check *check;
};

static void tcp_connected(struct xvs_loop *loop, int fd, unsigned events,
			  void *data)
{
	struct tcp_check *t = data;

	(void)loop;
	(void)fd;
	(void)events;
	if (check_sock_connected(&t->sock, t->check))
		return;
	check_attempt_end(t->check, 1, -1, "connected");
}

static void tcp_begin(struct xvs_check *c)
{
	struct tcp_check *t = check_priv(c);

	t->check = c;
	check_sock_open(&t->sock, c, SOCK_STREAM, XVS_EV_WRITE, tcp_connected,
			t);
}

static void tcp_close(struct xvs_check *c)
{
	struct tcp_check *t = check_priv(c);

	check_sock_close(&t->sock, c);
}

const struct xvs_check_ops check_tcp_ops = {
	.name = "TCP_CHECK",
	.priv_size = sizeof(struct tcp_check),
	.begin = tcp_begin,
	.close = tcp_close,
};
