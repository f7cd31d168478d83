// SPDX-License-Identifier: GPL-2.0
/*
 * IPC framing over a socketpair: round trips (empty, small, larger than a
 * socket buffer), and every way a message can be refused: bad magic, bad
 * version, oversized body, a peer that closes early, a send to a peer
 * that is gone (must be -EPIPE, not SIGPIPE).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ipc.h"
#include "test.h"

static int pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
}

TEST(ipc_round_trip)
{
	struct xvs_svc_conf conf = {.key.port = 0x5000, .timeout = 360};
	struct xvs_ipc_hdr hdr;
	void *body = (void *)1;
	int sv[2], ret;

	CHECK(pair(sv) == 0, "socketpair: %s", strerror(errno));
	ret = xvs_ipc_send(sv[0], XVS_OP_SVC_ADD, 0, &conf, sizeof(conf));
	CHECK(ret == 0, "send: %d", ret);
	ret = xvs_ipc_recv(sv[1], &hdr, &body);
	CHECK(ret == 0, "recv: %d", ret);
	CHECK(hdr.magic == XVS_IPC_MAGIC && hdr.version == XVS_IPC_VERSION,
	      "magic %x version %u", hdr.magic, hdr.version);
	CHECK(hdr.op == XVS_OP_SVC_ADD && hdr.len == sizeof(conf) &&
		      hdr.status == 0,
	      "op %u len %u status %d", hdr.op, hdr.len, hdr.status);
	CHECK(body && !memcmp(body, &conf, sizeof(conf)), "body differs");
	free(body);

	/* an error reply: status and text */
	ret = xvs_ipc_send(sv[1], XVS_OP_SVC_ADD, -EEXIST, "exists", 7);
	CHECK(ret == 0, "send reply: %d", ret);
	ret = xvs_ipc_recv(sv[0], &hdr, &body);
	CHECK(ret == 0 && hdr.status == -EEXIST && hdr.len == 7 && body &&
		      !strcmp(body, "exists"),
	      "ret %d status %d len %u", ret, hdr.status, hdr.len);
	free(body);

	/* no body: *body must come back NULL */
	body = (void *)1;
	ret = xvs_ipc_send(sv[0], XVS_OP_CLEAR, 0, NULL, 0);
	CHECK(ret == 0, "send empty: %d", ret);
	ret = xvs_ipc_recv(sv[1], &hdr, &body);
	CHECK(ret == 0 && hdr.op == XVS_OP_CLEAR && hdr.len == 0 && !body,
	      "ret %d op %u len %u body %p", ret, hdr.op, hdr.len, body);
	close(sv[0]);
	close(sv[1]);
}

/* 4 MiB, far over a socket buffer: both ends must loop. */
TEST(ipc_large_body)
{
	const size_t len = 4u << 20;
	struct xvs_ipc_hdr hdr;
	unsigned char *buf = malloc(len);
	void *body = NULL;
	int sv[2], ret, status = -1;
	pid_t pid;

	CHECK(buf && pair(sv) == 0, "setup failed");
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + i / 251);
	pid = fork();
	if (pid == 0) {
		close(sv[1]);
		_exit(xvs_ipc_send(sv[0], XVS_OP_LIST, 0, buf, len) ? 1 : 0);
	}
	close(sv[0]);
	ret = xvs_ipc_recv(sv[1], &hdr, &body);
	waitpid(pid, &status, 0);
	CHECK(ret == 0 && hdr.len == len, "recv %d len %u", ret, hdr.len);
	CHECK(body && !memcmp(body, buf, len), "4 MiB body differs");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "sender failed, status %d", status);
	free(body);
	free(buf);
	close(sv[1]);
}

/* Receives a raw header (and n bytes of extra), as a broken or hostile
 * peer would send them; *leak is set when an error came with a body. */
static int recv_raw(struct xvs_ipc_hdr raw, const void *extra, size_t n,
		    int *leak)
{
	struct xvs_ipc_hdr hdr;
	void *body = (void *)1;
	int sv[2], ret;

	if (pair(sv))
		return -999;
	if (write(sv[0], &raw, sizeof(raw)) != sizeof(raw) ||
	    (n && write(sv[0], extra, n) != (ssize_t)n))
		return -998;
	close(sv[0]);
	ret = xvs_ipc_recv(sv[1], &hdr, &body);
	close(sv[1]);
	*leak = ret && body;
	if (!ret)
		free(body);
	return ret;
}

TEST(ipc_refuses_bad_messages)
{
	static const struct {
		const char *what;
		struct xvs_ipc_hdr hdr;
		size_t extra; /* body bytes actually sent */
		int expect;
	} cases[] = {
		{"bad magic",
		 {0x12345678, XVS_IPC_VERSION, 1, 0, 0},
		 0,
		 -EPROTO},
		{"bad version", {XVS_IPC_MAGIC, 2, 1, 0, 0}, 0, -EPROTO},
		{"body over max",
		 {XVS_IPC_MAGIC, XVS_IPC_VERSION, 9, XVS_IPC_MAX_BODY + 1, 0},
		 0,
		 -EPROTO},
		{"body cut short",
		 {XVS_IPC_MAGIC, XVS_IPC_VERSION, 9, 10, 0},
		 3,
		 -ECONNRESET},
		{"good", {XVS_IPC_MAGIC, XVS_IPC_VERSION, 9, 4, 0}, 4, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int leak, ret;

		ret = recv_raw(cases[i].hdr, "abcdefgh", cases[i].extra, &leak);
		CHECK(ret == cases[i].expect && !leak,
		      "%s: got %d, want %d (body %s)", cases[i].what, ret,
		      cases[i].expect, leak ? "not NULL" : "NULL");
	}
}

TEST(ipc_closed_peer)
{
	struct xvs_ipc_hdr hdr;
	void *body;
	int sv[2], ret;

	CHECK(pair(sv) == 0, "socketpair");
	close(sv[0]);
	ret = xvs_ipc_recv(sv[1], &hdr, &body);
	CHECK(ret == -ECONNRESET, "recv from closed peer: %d", ret);
	/* no SIGPIPE: we are still running to check the result */
	ret = xvs_ipc_send(sv[1], XVS_OP_INFO, 0, NULL, 0);
	CHECK(ret == -EPIPE, "send to closed peer: %d", ret);
	ret = xvs_ipc_send(sv[1], XVS_OP_INFO, 0, NULL, 5);
	CHECK(ret == -EINVAL, "len without body: %d", ret);
	ret = xvs_ipc_send(sv[1], XVS_OP_LIST, 0, "x", XVS_IPC_MAX_BODY + 1);
	CHECK(ret == -EINVAL, "body over max: %d", ret);
	close(sv[1]);
}

/* A pipe is not a socket: send falls back to plain writes. */
TEST(ipc_over_pipe)
{
	struct xvs_ipc_hdr hdr;
	void *body = NULL;
	int p[2], ret;

	CHECK(pipe(p) == 0, "pipe");
	ret = xvs_ipc_send(p[1], XVS_OP_ZERO, 0, "zz", 2);
	CHECK(ret == 0, "send over pipe: %d", ret);
	ret = xvs_ipc_recv(p[0], &hdr, &body);
	CHECK(ret == 0 && hdr.len == 2 && body && !memcmp(body, "zz", 2),
	      "recv over pipe: %d", ret);
	free(body);
	close(p[0]);
	close(p[1]);
}
