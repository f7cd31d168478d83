// SPDX-License-Identifier: GPL-2.0
/* Sockets of the network checkers; contracts in check_sock.h. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_sock.h"

const char *check_sock_reason(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return "connection refused";
	case ECONNRESET:
		return "connection reset";
	case ETIMEDOUT:
		return "connection timed out";
	case EHOSTUNREACH:
		return "no route to host";
	case ENETUNREACH:
		return "network unreachable";
	case EPIPE:
		return "connection closed by the server";
	default:
		return strerror(err);
	}
}

/* af's sockaddr for addr and port (host order); returns its length. */
static socklen_t sockaddr_of(struct sockaddr_storage *ss, __u8 af,
			     const union xvs_addr *addr, unsigned short port)
{
	memset(ss, 0, sizeof(*ss));
	if (af == XVS_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (addr)
			memcpy(&s6->sin6_addr, addr->bytes, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (addr)
		s4->sin_addr.s_addr = addr->v4;
	return sizeof(*s4);
}

/* bindto / bind_port; 0 or -errno. */
static int sock_bind(int fd, const struct xvs_conf_checker *cf, __u8 af)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	if (!cf->bind_af && !cf->bind_port)
		return 0;
	if (cf->bind_af && cf->bind_af != af)
		return -EAFNOSUPPORT;
	len = sockaddr_of(&ss, af, cf->bind_af ? &cf->bindto : NULL,
			  cf->bind_port);
	/* A fixed source port is reused attempt after attempt, while the
	 * previous connection may still be in TIME_WAIT. */
	if (cf->bind_port)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return bind(fd, (struct sockaddr *)&ss, len) ? -errno : 0;
}

int check_sock_open(struct check_sock *s, struct xvs_check *c, int type,
		    unsigned events, xvs_fd_cb cb, void *data)
{
	const struct xvs_check_target *d = check_dest(c);
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret;

	if (!d->port) {
		check_attempt_end(c, 0, -1, "no port to connect to");
		return -1;
	}
	fd = socket(d->af == XVS_AF_INET6 ? AF_INET6 : AF_INET,
		    type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		check_attempt_end(c, 0, -1, "socket: %s", strerror(errno));
		return -1;
	}
	ret = sock_bind(fd, xvs_check_conf(c), d->af);
	if (ret) {
		close(fd);
		check_attempt_end(c, 0, -1, "bind: %s", strerror(-ret));
		return -1;
	}
	len = sockaddr_of(&ss, d->af, &d->addr, d->port);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		ret = errno;
		close(fd);
		check_attempt_end(c, 0, -1, "%s", check_sock_reason(ret));
		return -1;
	}
	ret = xvs_loop_add_fd(check_loop(c), fd, events, cb, data);
	if (ret) {
		close(fd);
		check_attempt_end(c, 0, -1, "event loop: %s", strerror(-ret));
		return -1;
	}
	s->fd = fd;
	s->open = 1;
	return 0;
}

int check_sock_connected(struct check_sock *s, struct xvs_check *c)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (!err)
		return 0;
	check_attempt_end(c, 0, -1, "%s", check_sock_reason(err));
	return -1;
}

void check_sock_watch(struct check_sock *s, struct xvs_check *c,
		      unsigned events)
{
	if (s->open)
		xvs_loop_mod_fd(check_loop(c), s->fd, events);
}

void check_sock_close(struct check_sock *s, struct xvs_check *c)
{
	if (!s->open)
		return;
	xvs_loop_del_fd(check_loop(c), s->fd);
	close(s->fd);
	s->open = 0;
}
