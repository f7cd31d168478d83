// SPDX-License-Identifier: GPL-2.0
/* Helpers of the health-check tests; see check_peer.h. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "check_peer.h"

static socklen_t loopback(struct sockaddr_storage *ss, int af,
			  unsigned short port)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s4->sin_port = htons(port);
	return sizeof(*s4);
}

static void set_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = 2};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void *peer_main(void *arg)
{
	struct peer *p = arg;

	while (!p->stop) {
		struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
		int fd;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		if (p->type == SOCK_DGRAM) {
			p->fn(p, p->fd);
			p->served++;
			continue;
		}
		fd = accept(p->fd, NULL, NULL);
		if (fd < 0)
			continue;
		set_timeouts(fd);
		p->served++;
		p->fn(p, fd);
		close(fd);
	}
	return NULL;
}

int peer_start(struct peer *p, int af, int type, peer_fn fn, void *arg)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(&ss, af, 0);
	int ret;

	/* As xvsd (main.c): OpenSSL writes to sockets without MSG_NOSIGNAL,
	 * and a peer may close first. */
	signal(SIGPIPE, SIG_IGN);
	memset(p, 0, sizeof(*p));
	p->af = af;
	p->type = type;
	p->fn = fn;
	p->arg = arg;
	p->fd = socket(af, type | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return -errno;
	if (bind(p->fd, (struct sockaddr *)&ss, len) ||
	    (type == SOCK_STREAM && listen(p->fd, 128)) ||
	    getsockname(p->fd, (struct sockaddr *)&ss, &len)) {
		ret = -errno;
		close(p->fd);
		return ret;
	}
	p->port = ntohs(af == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
				       : ((struct sockaddr_in *)&ss)->sin_port);
	ret = -pthread_create(&p->thread, NULL, peer_main, p);
	if (ret)
		close(p->fd);
	return ret;
}

void peer_stop(struct peer *p)
{
	p->stop = 1;
	pthread_join(p->thread, NULL);
	close(p->fd);
}

size_t peer_read_with(struct peer *p,
		      ssize_t (*rd)(void *ctx, char *buf, size_t len),
		      void *ctx, const char *end)
{
	p->req_len = 0;
	p->req[0] = '\0';
	while (p->req_len < sizeof(p->req) - 1 && !strstr(p->req, end)) {
		ssize_t n = rd(ctx, p->req + p->req_len,
			       sizeof(p->req) - 1 - p->req_len);

		if (n <= 0)
			break;
		p->req_len += (size_t)n;
		p->req[p->req_len] = '\0';
	}
	return p->req_len;
}

static ssize_t fd_read(void *ctx, char *buf, size_t len)
{
	return read(*(int *)ctx, buf, len);
}

size_t peer_read_request(struct peer *p, int fd, const char *end)
{
	return peer_read_with(p, fd_read, &fd, end);
}

int peer_write_with(ssize_t (*wr)(void *ctx, const char *buf, size_t len),
		    void *ctx, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = wr(ctx, s, len);

		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t fd_write(void *ctx, const char *buf, size_t len)
{
	return send(*(int *)ctx, buf, len, MSG_NOSIGNAL);
}

int peer_write(int fd, const char *s)
{
	return peer_write_with(fd_write, &fd, s);
}

unsigned short peer_closed_port(int af)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(&ss, af, 0);
	unsigned short port = 0;
	int fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (!bind(fd, (struct sockaddr *)&ss, len) &&
	    !getsockname(fd, (struct sockaddr *)&ss, &len))
		port = ntohs(af == AF_INET6
				     ? ((struct sockaddr_in6 *)&ss)->sin6_port
				     : ((struct sockaddr_in *)&ss)->sin_port);
	close(fd);
	return port;
}

void peer_conf(struct xvs_conf_checker *cf, enum xvs_check_type type)
{
	memset(cf, 0, sizeof(*cf));
	cf->type = type;
	cf->where.file = "test.conf";
	cf->where.line = 1;
	cf->connect_timeout_ms = 1000;
	cf->delay_loop_ms = 100;
	cf->delay_before_retry_ms = 50;
	cf->misc_timeout_ms = 1000;
	cf->http_protocol = 10;
}

struct xvs_check_target peer_target(int af, unsigned short port)
{
	struct xvs_check_target t = {.port = port};

	if (af == AF_INET6) {
		t.af = XVS_AF_INET6;
		memcpy(t.addr.bytes, &in6addr_loopback, 16);
	} else {
		t.af = XVS_AF_INET;
		t.addr.v4 = htonl(INADDR_LOOPBACK);
	}
	return t;
}

void check_recorder(void *data, struct xvs_check *c,
		    const struct xvs_check_result *r)
{
	struct recorder *rec = data;

	rec->reports++;
	rec->up = r->up;
	rec->weight = r->weight;
	snprintf(rec->reason, sizeof(rec->reason), "%s", r->reason);
	check_schedule(c, &rec->sched);
	xvs_loop_stop(rec->loop);
	if (rec->then)
		rec->then(rec, c);
}

static void run_bound(struct xvs_loop *loop, long long id, void *data)
{
	(void)id;
	*(int *)data = 1;
	xvs_loop_stop(loop);
}

int run_loop(struct xvs_loop *loop, unsigned max_ms)
{
	int expired = 0;
	long long id = xvs_loop_add_timer(loop, max_ms, 0, run_bound, &expired);

	if (id < 0)
		return 0;
	xvs_loop_run(loop);
	if (!expired)
		xvs_loop_del_timer(loop, id);
	return !expired;
}

int run_attempts(struct xvs_loop *loop, struct xvs_check *c, unsigned n,
		 const struct recorder *r)
{
	int reports = r->reports;
	struct check_schedule s;
	unsigned want;

	check_schedule(c, &s);
	want = s.attempts + n;
	for (int i = 0; i < 500 && r->reports == reports; i++) {
		check_schedule(c, &s);
		if (s.attempts >= want)
			return 1;
		run_loop(loop, 20);
	}
	return 0;
}

int run_until_reaped(struct xvs_loop *loop, pid_t pid)
{
	for (int i = 0; i < 250; i++) {
		if (kill(pid, 0) < 0)
			return 1;
		run_loop(loop, 20);
	}
	return 0;
}

struct xvs_check *start_check(struct xvs_loop *loop,
			      const struct xvs_conf_checker *cf,
			      const struct xvs_check_target *t, int up,
			      struct recorder *r)
{
	struct xvs_check *c;
	char err[256];

	r->loop = loop;
	c = xvs_check_start(loop, cf, t, up, check_recorder, r, err,
			    sizeof(err));
	if (!c)
		printf("# xvs_check_start: %s\n", err);
	return c;
}

int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

pid_t read_pid_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int pid = 0;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return pid;
}
