// SPDX-License-Identifier: GPL-2.0
/* The daemon connection of xvsadm; see client.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "client.h"

void client_init(struct client *c, const char *path)
{
	c->path = path;
	c->fd = -1;
}

void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int client_connect(struct client *c, char *err, size_t errlen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd, ret;

	if (strlen(c->path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path '%s' is too long", c->path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, c->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "socket: %s", strerror(-ret));
		return ret;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		ret = -errno;
		snprintf(
			err, errlen,
			"cannot connect to xvsd at '%s': %s (is xvsd running?)",
			c->path, strerror(-ret));
		close(fd);
		return ret;
	}
	c->fd = fd;
	return 0;
}

/* The daemon's refusal: its text if it sent one, else strerror. */
static void refusal(const struct xvs_ipc_hdr *hdr, const char *body, char *err,
		    size_t errlen)
{
	if (body && hdr->len && memchr(body, '\0', hdr->len) && body[0])
		snprintf(err, errlen, "%s", body);
	else
		snprintf(err, errlen, "%s", strerror(-hdr->status));
}

int client_request(struct client *c, __u16 op, const void *body, __u32 len,
		   void **reply, __u32 *rlen, char *err, size_t errlen)
{
	struct xvs_ipc_hdr hdr;
	void *rbody = NULL;
	int ret;

	if (c->fd < 0) {
		ret = client_connect(c, err, errlen);
		if (ret)
			return ret;
	}
	ret = xvs_ipc_send(c->fd, op, 0, body, len);
	if (!ret)
		ret = xvs_ipc_recv(c->fd, &hdr, &rbody);
	if (ret) {
		snprintf(err, errlen, "talking to xvsd at '%s': %s", c->path,
			 strerror(-ret));
		client_close(c);
		return ret;
	}
	if (hdr.op != op) {
		snprintf(err, errlen,
			 "xvsd at '%s' answered op %u to a request of op %u",
			 c->path, hdr.op, op);
		free(rbody);
		client_close(c);
		return -EPROTO;
	}
	if (hdr.status) {
		refusal(&hdr, rbody, err, errlen);
		free(rbody);
		return hdr.status < 0 ? hdr.status : -EPROTO;
	}
	if (reply) {
		*reply = rbody;
		*rlen = hdr.len;
	} else {
		free(rbody);
	}
	return 0;
}
