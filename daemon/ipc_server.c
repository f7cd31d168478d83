// SPDX-License-Identifier: GPL-2.0
/* The control socket; see ipc_server.h and core/ipc.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "conns.h"
#include "dataplane.h"
#include "ipc.h"
#include "ipc_server.h"
#include "log.h"
#include "loop.h"
#include "marks.h"
#include "table.h"

#define MAX_CLIENTS 64
/* Requests are small fixed structs; anything bigger is hostile. */
#define MAX_REQUEST_BODY 4096

struct client {
	int fd;
	unsigned char in[sizeof(struct xvs_ipc_hdr) + MAX_REQUEST_BODY];
	size_t in_len;
	unsigned char *out; /* pending reply bytes */
	size_t out_len, out_off;
	struct xvs_ipc_server *srv;
};

struct xvs_ipc_server {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct xvs_loop *loop;
	struct xvs_table *t;
	struct client *clients[MAX_CLIENTS];
};

static void client_close(struct client *c)
{
	struct xvs_ipc_server *srv = c->srv;

	for (int i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i] == c)
			srv->clients[i] = NULL;
	xvs_loop_del_fd(srv->loop, c->fd);
	close(c->fd);
	free(c->out);
	free(c);
}

/* Queues a reply; the writable callback sends what does not fit now. */
static int client_reply(struct client *c, __u16 op, __s32 status,
			const void *body, __u32 len)
{
	struct xvs_ipc_hdr h = { XVS_IPC_MAGIC, XVS_IPC_VERSION, op, len,
				 status };
	unsigned char *buf = malloc(sizeof(h) + len);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), body, len);
	c->out = buf;
	c->out_len = sizeof(h) + len;
	c->out_off = 0;
	n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n > 0)
		c->out_off = (size_t)n;
	if (c->out_off < c->out_len)
		return xvs_loop_mod_fd(c->srv->loop, c->fd, XVS_EV_WRITE);
	free(c->out);
	c->out = NULL;
	return 0;
}

static int body_is(__u32 len, size_t want, char *err, size_t errlen)
{
	if (len == want)
		return 0;
	snprintf(err, errlen, "malformed request (%u bytes, want %zu)", len,
		 want);
	return -EINVAL;
}

static void fill_info(struct xvs_table *t, struct xvs_info *info)
{
	const struct xvs_dp_config *cfg = xvs_dp_config(t->dp);

	memset(info, 0, sizeof(*info));
	info->version_code = 0x010201;
	info->conn_tab_size = xvs_dp_conn_capacity(t->dp);
	info->tcp_timeout = cfg->tcp_timeout_s[XVS_TCP_S_ESTABLISHED];
	info->tcp_fin_timeout = cfg->tcp_timeout_s[XVS_TCP_S_FIN_WAIT];
	info->udp_timeout = cfg->udp_timeout_s;
}

/* Applies one request; fills the reply body for LIST and INFO. */
static int dispatch(struct xvs_table *t, __u16 op, const void *body,
		    __u32 len, void **reply, __u32 *reply_len, char *err,
		    size_t errlen)
{
	const struct xvs_svc_conf *svc = body;
	const struct xvs_dest_conf *dest = body;
	int rc;

	switch (op) {
	case XVS_OP_SVC_ADD:
	case XVS_OP_SVC_EDIT:
	case XVS_OP_SVC_DEL:
		rc = body_is(len, sizeof(*svc), err, errlen);
		if (rc)
			return rc;
		if (op == XVS_OP_SVC_ADD)
			return xvs_table_svc_add(t, svc, err, errlen);
		if (op == XVS_OP_SVC_EDIT)
			return xvs_table_svc_edit(t, svc, err, errlen);
		return xvs_table_svc_del(t, &svc->key, err, errlen);
	case XVS_OP_DEST_ADD:
	case XVS_OP_DEST_EDIT:
	case XVS_OP_DEST_DEL:
		rc = body_is(len, sizeof(*dest), err, errlen);
		if (rc)
			return rc;
		if (op == XVS_OP_DEST_ADD)
			return xvs_table_dest_add(t, dest, err, errlen);
		if (op == XVS_OP_DEST_EDIT)
			return xvs_table_dest_edit(t, dest, err, errlen);
		return xvs_table_dest_del(t, dest, err, errlen);
	case XVS_OP_CLEAR:
		xvs_table_clear(t);
		xvs_marks_clear(&t->marks, t->dp);
		return 0;
	case XVS_OP_MARK_ADD:
	case XVS_OP_MARK_DEL:
		rc = body_is(len, sizeof(struct xvs_mark_rule), err, errlen);
		if (rc)
			return rc;
		if (op == XVS_OP_MARK_ADD)
			return xvs_marks_add(&t->marks, t->dp, body, err,
					     errlen);
		return xvs_marks_del(&t->marks, t->dp, body, err, errlen);
	case XVS_OP_MARK_LIST:
		rc = body_is(len, 0, err, errlen);
		return rc ? rc : xvs_marks_list(&t->marks, reply, reply_len,
						err, errlen);
	case XVS_OP_ZERO:
	case XVS_OP_LIST:
		if (len && (rc = body_is(len, sizeof(*svc), err, errlen)))
			return rc;
		if (op == XVS_OP_ZERO)
			return xvs_table_zero(t, len ? &svc->key : NULL, err,
					      errlen);
		return xvs_table_list(t, len ? &svc->key : NULL, reply,
				      reply_len, err, errlen);
	case XVS_OP_SET_TIMEOUT:
		rc = body_is(len, sizeof(struct xvs_timeouts), err, errlen);
		return rc ? rc : xvs_conns_set_timeouts(t, body, err, errlen);
	case XVS_OP_CONN_LIST:
		rc = body_is(len, 0, err, errlen);
		return rc ? rc : xvs_conns_list(t, reply, reply_len, err,
						errlen);
	case XVS_OP_INFO: {
		struct xvs_info *info = malloc(sizeof(*info));

		if (!info)
			return -ENOMEM;
		fill_info(t, info);
		*reply = info;
		*reply_len = sizeof(*info);
		return 0;
	}
	}
	snprintf(err, errlen, "unknown request %u", op);
	return -EOPNOTSUPP;
}

static void handle_request(struct client *c)
{
	const struct xvs_ipc_hdr *h = (const void *)c->in;
	char err[XVS_IPC_ERR_LEN] = "";
	void *reply = NULL;
	__u32 reply_len = 0;
	int rc;

	rc = dispatch(c->srv->t, h->op, c->in + sizeof(*h), h->len, &reply,
		      &reply_len, err, sizeof(err));
	if (rc) {
		if (!err[0])
			snprintf(err, sizeof(err), "%s", strerror(-rc));
		free(reply);
		reply = err;
		reply_len = (__u32)strlen(err) + 1;
	}
	if (client_reply(c, h->op, rc, reply, reply_len))
		client_close(c);
	else
		c->in_len = 0;
	if (reply != err)
		free(reply);
}

static void client_io(struct xvs_loop *loop, int fd, unsigned events,
		      void *data)
{
	struct client *c = data;
	const struct xvs_ipc_hdr *h = (const void *)c->in;
	ssize_t n;

	(void)loop;
	if (c->out) {
		if (!(events & XVS_EV_WRITE))
			return;
		n = send(fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			client_close(c);
			return;
		}
		if (n > 0)
			c->out_off += (size_t)n;
		if (c->out_off == c->out_len) {
			free(c->out);
			c->out = NULL;
			xvs_loop_mod_fd(c->srv->loop, fd, XVS_EV_READ);
		}
		return;
	}
	n = recv(fd, c->in + c->in_len, sizeof(c->in) - c->in_len,
		 MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_close(c);
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	if (c->in_len < sizeof(*h))
		return;
	if (h->magic != XVS_IPC_MAGIC || h->version != XVS_IPC_VERSION ||
	    h->len > MAX_REQUEST_BODY) {
		xvs_log(LOG_WARNING, "dropping a control connection that "
				     "does not speak the xvs protocol");
		client_close(c);
		return;
	}
	if (c->in_len < sizeof(*h) + h->len)
		return;
	if (c->in_len > sizeof(*h) + h->len) {
		/* One request at a time: a client waits for each reply. */
		client_close(c);
		return;
	}
	handle_request(c);
}

static void accept_client(struct xvs_loop *loop, int fd, unsigned events,
			  void *data)
{
	struct xvs_ipc_server *srv = data;
	struct client *c;
	int cfd, slot;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	for (slot = 0; slot < MAX_CLIENTS && srv->clients[slot]; slot++)
		;
	c = slot < MAX_CLIENTS ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->srv = srv;
	if (xvs_loop_add_fd(loop, cfd, XVS_EV_READ, client_io, c)) {
		close(cfd);
		free(c);
		return;
	}
	srv->clients[slot] = c;
}

/* 1 if a daemon answers on path. */
static int socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int alive;

	if (fd < 0)
		return 0;
	alive = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	return alive;
}

static void mkdir_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = 0;
	mkdir(dir, 0755); /* one level, as /run/xvs; an error shows in bind */
}

int xvs_ipc_server_start(struct xvs_ipc_server **srvp, const char *path,
			 struct xvs_loop *loop, struct xvs_table *t,
			 char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct xvs_ipc_server *srv;
	mode_t old_umask;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	if (socket_alive(&sa)) {
		snprintf(err, errlen, "another xvsd is running on %s", path);
		return -EADDRINUSE;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	srv->loop = loop;
	srv->t = t;
	strcpy(srv->path, path);
	mkdir_parent(path);
	unlink(path);
	srv->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	old_umask = umask(0177); /* the socket is born 0600 */
	rc = srv->fd < 0 ||
	     bind(srv->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	     listen(srv->fd, 16);
	umask(old_umask);
	if (rc) {
		rc = -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", path,
			 strerror(errno));
		goto err;
	}
	rc = xvs_loop_add_fd(loop, srv->fd, XVS_EV_READ, accept_client, srv);
	if (rc) {
		snprintf(err, errlen, "cannot watch the socket: %s",
			 strerror(-rc));
		goto err;
	}
	*srvp = srv;
	return 0;
err:
	if (srv->fd >= 0)
		close(srv->fd);
	unlink(path);
	free(srv);
	return rc;
}

void xvs_ipc_server_stop(struct xvs_ipc_server *srv)
{
	if (!srv)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i])
			client_close(srv->clients[i]);
	xvs_loop_del_fd(srv->loop, srv->fd);
	close(srv->fd);
	unlink(srv->path);
	free(srv);
}
