// SPDX-License-Identifier: GPL-2.0
/*
 * The health-check engine with TCP_CHECK over loopback: up and down,
 * refused and timed-out connects, connect_ip/connect_port and
 * bindto/bind_port, keepalived's retry / delay_before_retry / delay_loop
 * sequence read from the deadlines the engine computed, a check stopped
 * mid-connect with nothing left behind, and a thousand checks that keep
 * their phase while the loop keeps serving other timers.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_peer.h"
#include "test.h"

/* A listening socket nobody accepts from: the kernel completes
 * handshakes up to the backlog, which is all TCP_CHECK needs. backlog 0
 * with one connection queued makes further connects hang. */
static int listener(int af, unsigned short port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	memset(&ss, 0, sizeof(ss));
	if (af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4->sin_port = htons(port);
		len = sizeof(*s4);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A loopback address and port where nothing listens. */
static struct xvs_check_target refused_v4(void)
{
	return peer_target(AF_INET, peer_closed_port(AF_INET));
}

static struct xvs_loop *new_loop(void)
{
	char err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));

	if (!loop)
		printf("# xvs_loop_new: %s\n", err);
	return loop;
}

TEST(check_tcp_up_v4_v6)
{
	int ran;
	static const int afs[] = {AF_INET, AF_INET6};
	struct xvs_conf_checker cf;

	peer_conf(&cf, XVS_CHECK_TCP);
	for (int i = 0; i < 2; i++) {
		struct xvs_loop *loop = new_loop();
		unsigned short port = peer_closed_port(afs[i]);
		int lfd = listener(afs[i], port, 16);
		struct xvs_check_target t = peer_target(afs[i], port);
		struct recorder rec = {0};
		struct xvs_check *c;

		c = start_check(loop, &cf, &t, 0, &rec);
		CHECK(c && lfd >= 0, "setup (af %d)", afs[i]);
		if (!c)
			return;
		CHECK(!xvs_check_is_up(c), "starts down as asked");
		ran = run_loop(loop, 3000);
		CHECK(ran && rec.reports == 1 && rec.up && xvs_check_is_up(c),
		      "af %d: one report, up: %d reports, up %d", afs[i],
		      rec.reports, rec.up);
		CHECK(!strcmp(rec.reason, "connected"), "reason '%s'",
		      rec.reason);
		CHECK(rec.weight == -1, "no weight from TCP_CHECK: %d",
		      rec.weight);
		xvs_check_stop(c);
		close(lfd);
		xvs_loop_free(loop);
	}
}

TEST(check_tcp_refused)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	struct xvs_conf_checker cf;
	struct xvs_check_target t = refused_v4();
	struct recorder rec = {0};
	struct xvs_check *c;
	char want[96], name[96];

	peer_conf(&cf, XVS_CHECK_TCP);
	c = start_check(loop, &cf, &t, 1, &rec);
	if (!c)
		return;
	ran = run_loop(loop, 3000);
	CHECK(ran && rec.reports == 1 && !rec.up, "reports down: %d reports",
	      rec.reports);
	CHECK(!strcmp(rec.reason, "connection refused"), "reason '%s'",
	      rec.reason);
	snprintf(want, sizeof(want), "TCP_CHECK 127.0.0.1:%u", t.port);
	xvs_check_name(c, name, sizeof(name));
	CHECK(!strcmp(name, want), "name '%s'", name);
	xvs_check_stop(c);
	xvs_loop_free(loop);
}

/* connect_ip / connect_port win over the real server's address. */
TEST(check_tcp_connect_to)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	unsigned short port = peer_closed_port(AF_INET6);
	int lfd = listener(AF_INET6, port, 16);
	struct xvs_conf_checker cf;
	struct xvs_check_target t = refused_v4();
	struct xvs_check_target want = peer_target(AF_INET6, port);
	struct recorder rec = {0};
	struct xvs_check *c;

	peer_conf(&cf, XVS_CHECK_TCP);
	cf.connect_af = want.af;
	cf.connect_ip = want.addr;
	cf.connect_port = port;
	c = start_check(loop, &cf, &t, 0, &rec);
	if (!c)
		return;
	ran = run_loop(loop, 3000);
	CHECK(ran && rec.up, "up through [::1]:%u: '%s'", port, rec.reason);
	xvs_check_stop(c);
	close(lfd);
	xvs_loop_free(loop);
}

/* No checker has a port of its own (keepalived's rule: connect_port,
 * else the real server's): without either, every attempt fails at once,
 * with a reason, rather than probing SMTP's 25 or DNS's 53. */
TEST(check_no_port)
{
	static const enum xvs_check_type types[] = {
		XVS_CHECK_TCP, XVS_CHECK_HTTP, XVS_CHECK_SMTP, XVS_CHECK_DNS};
	struct xvs_conf_url url = {.path = "/"};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct xvs_loop *loop = new_loop();
		struct xvs_check_target t = peer_target(AF_INET, 0);
		struct xvs_conf_checker cf;
		struct recorder rec = {0};
		struct xvs_check *c;
		int ran;

		peer_conf(&cf, types[i]);
		cf.urls = &url;
		c = start_check(loop, &cf, &t, 1, &rec);
		ran = run_loop(loop, 3000);
		CHECK(c && ran && !rec.up &&
			      !strcmp(rec.reason, "no port to connect to"),
		      "type %d: up %d '%s'", types[i], rec.up, rec.reason);
		xvs_check_stop(c);
		xvs_loop_free(loop);
	}
}

/* The peer sees the source keepalived's bindto / bind_port ask for. */
static void record_source(struct peer *p, int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (!getpeername(fd, (struct sockaddr *)&sin, &len))
		*(unsigned short *)p->arg = ntohs(sin.sin_port);
}

TEST(check_tcp_bind)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	unsigned short seen = 0, src = peer_closed_port(AF_INET);
	struct xvs_conf_checker cf;
	struct xvs_check_target t;
	struct recorder rec = {0};
	struct xvs_check *c;
	struct peer p;

	CHECK(peer_start(&p, AF_INET, SOCK_STREAM, record_source, &seen) == 0,
	      "peer");
	t = peer_target(AF_INET, p.port);
	peer_conf(&cf, XVS_CHECK_TCP);
	cf.bind_af = XVS_AF_INET;
	cf.bindto.v4 = htonl(INADDR_LOOPBACK);
	cf.bind_port = src;
	c = start_check(loop, &cf, &t, 0, &rec);
	ran = run_loop(loop, 3000);
	CHECK(c && ran && rec.up, "up: '%s'", rec.reason);
	for (int i = 0; i < 500 && !seen; i++)
		usleep(10000);
	CHECK(seen == src, "source port %u, asked for %u", seen, src);
	xvs_check_stop(c);
	peer_stop(&p);

	/* bindto of another family than the destination: a clear failure */
	cf.bind_af = XVS_AF_INET6;
	memcpy(cf.bindto.bytes, &in6addr_loopback, 16);
	cf.bind_port = 0;
	rec.reports = 0;
	c = start_check(loop, &cf, &t, 1, &rec);
	ran = run_loop(loop, 3000);
	CHECK(c && ran && !rec.up && strstr(rec.reason, "bind: "),
	      "down with a bind error: '%s'", rec.reason);
	xvs_check_stop(c);
	xvs_loop_free(loop);
}

/* keepalived's sequence, read from the deadlines the engine computed:
 * retry 2 means three failures in a row, delay_before_retry apart, before
 * the one report "down"; then delay_loop; one success is "up". */
static int lfd_seq = -1;
static unsigned short port_seq;

static void seq_step(struct recorder *r, struct xvs_check *c)
{
	(void)c;
	if (r->up) {
		close(lfd_seq); /* fail again */
		lfd_seq = -1;
	} else if (lfd_seq < 0) {
		lfd_seq = listener(AF_INET, port_seq, 16);
	}
}

TEST(check_engine_sequence)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	struct xvs_conf_checker cf;
	struct xvs_check_target t;
	struct recorder rec = {.then = seq_step};
	struct check_schedule s[3];
	struct xvs_check *c;
	long long dl, dbr;

	port_seq = peer_closed_port(AF_INET);
	t = peer_target(AF_INET, port_seq);
	peer_conf(&cf, XVS_CHECK_TCP);
	cf.retry = 2;
	/* Long enough that no start is ever skipped for lateness, even on a
	 * loaded machine; delay_loop no multiple of delay_before_retry. */
	cf.delay_loop_ms = 250;
	cf.delay_before_retry_ms = 100;
	dl = cf.delay_loop_ms;
	dbr = cf.delay_before_retry_ms;
	c = start_check(loop, &cf, &t, 1, &rec);
	if (!c)
		return;
	for (int i = 0; i < 3; i++) {
		ran = run_loop(loop, 5000);
		CHECK(ran && rec.reports == i + 1, "report %d came", i + 1);
		s[i] = rec.sched;
	}
	CHECK(!rec.up && !strcmp(rec.reason, "connection refused"),
	      "third report is down, refused: up %d '%s'", rec.up, rec.reason);
	/* down: attempts 1, 2, 3 at first, +dbr, +2dbr */
	CHECK(s[0].attempts == 3 && s[0].last_ms == s[0].first_ms + 2 * dbr,
	      "down after 3 attempts at +0, +%lld, +%lld: %u attempts, last "
	      "+%lld",
	      dbr, 2 * dbr, s[0].attempts, s[0].last_ms - s[0].first_ms);
	CHECK(s[0].next_ms == s[0].last_ms + dl, "next after delay_loop: +%lld",
	      s[0].next_ms - s[0].last_ms);
	/* up: the very next attempt, one delay_loop later */
	CHECK(s[1].attempts == 4 && s[1].last_ms == s[0].last_ms + dl &&
		      s[1].next_ms == s[1].last_ms + dl,
	      "up on attempt 4 at +%lld: %u attempts, at +%lld", dl,
	      s[1].attempts, s[1].last_ms - s[0].last_ms);
	/* down again: attempts 5, 6, 7 */
	CHECK(s[2].attempts == 7 && s[2].last_ms == s[1].last_ms + dl + 2 * dbr,
	      "down again on attempt 7: %u attempts, +%lld", s[2].attempts,
	      s[2].last_ms - s[1].last_ms);
	xvs_check_stop(c);
	if (lfd_seq >= 0)
		close(lfd_seq);
	xvs_loop_free(loop);
}

/* Known down (alpha): failures are not retried and not reported. */
TEST(check_engine_down_no_retry)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	struct xvs_conf_checker cf;
	struct xvs_check_target t = refused_v4();
	struct recorder rec = {0};
	struct check_schedule s;
	struct xvs_check *c;

	peer_conf(&cf, XVS_CHECK_TCP);
	cf.retry = 3;
	cf.delay_loop_ms = 60;
	c = start_check(loop, &cf, &t, 0, &rec);
	if (!c)
		return;
	ran = run_attempts(loop, c, 4, &rec);
	CHECK(ran && rec.reports == 0, "4 attempts, no report: %d",
	      rec.reports);
	check_schedule(c, &s);
	/* on the grid, no retries in between (a start the loop was late for
	 * may be skipped) */
	CHECK((s.last_ms - s.first_ms) % 60 == 0 &&
		      s.last_ms - s.first_ms >= (s.attempts - 1) * 60LL &&
		      (!s.next_ms || (s.next_ms - s.last_ms) % 60 == 0),
	      "every attempt delay_loop apart: %u attempts, last +%lld",
	      s.attempts, s.last_ms - s.first_ms);
	xvs_check_stop(c);
	xvs_loop_free(loop);
}

/* A connect that hangs (a full backlog): the attempt times out, with the
 * timeout as the reason; a check stopped mid-connect leaves no fd. */
TEST(check_tcp_timeout_and_stop)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	unsigned short port = peer_closed_port(AF_INET);
	int lfd = listener(AF_INET, port, 0), filler, fds;
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct xvs_conf_checker cf;
	struct xvs_check_target t = peer_target(AF_INET, port);
	struct recorder rec = {0};
	struct check_schedule s;
	struct xvs_check *c;

	filler = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(lfd >= 0 &&
		      !connect(filler, (struct sockaddr *)&sin, sizeof(sin)),
	      "backlog filled");
	peer_conf(&cf, XVS_CHECK_TCP);
	cf.connect_timeout_ms = 300;
	c = start_check(loop, &cf, &t, 1, &rec);
	if (!c)
		return;
	ran = run_loop(loop, 5000);
	CHECK(ran && !rec.up && !strcmp(rec.reason, "timeout after 300 ms"),
	      "down by timeout: up %d '%s'", rec.up, rec.reason);
	xvs_check_stop(c);

	fds = count_fds();
	cf.connect_timeout_ms = 5000;
	c = start_check(loop, &cf, &t, 1, &rec);
	run_loop(loop, 200); /* the first attempt is hanging now */
	check_schedule(c, &s);
	CHECK(s.attempts == 1 && count_fds() == fds + 1,
	      "mid-connect: %u attempts, %d fds (was %d)", s.attempts,
	      count_fds(), fds);
	xvs_check_stop(c);
	CHECK(count_fds() == fds, "stopped: %d fds, was %d", count_fds(), fds);
	ran = run_loop(loop, 100);
	CHECK(ran == 0, "nothing left on the loop fires");
	close(filler);
	close(lfd);
	xvs_loop_free(loop);
}

/*
 * A thousand checks against four listeners in the same loop, which
 * accepts and closes: every check's attempts stay on its own grid
 * first + k * delay_loop (the engine's deadlines, not the clock), none
 * fails, and a timer of the same loop keeps firing.
 */
#define SCALE_CHECKS 1000
#define SCALE_LISTENERS 4

static void scale_accept(struct xvs_loop *loop, int fd, unsigned events,
			 void *data)
{
	int cfd;

	(void)loop;
	(void)events;
	(void)data;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >=
	       0)
		close(cfd);
}

/* The other timer: counts, and stops the loop once every check has
 * begun SCALE_ATTEMPTS attempts (a bound, not a speed: a slow machine
 * just takes longer). */
#define SCALE_ATTEMPTS 3
static struct xvs_check *scale_checks[SCALE_CHECKS];

static void scale_tick(struct xvs_loop *loop, long long id, void *data)
{
	struct check_schedule s;

	(void)id;
	(*(int *)data)++;
	for (int i = 0; i < SCALE_CHECKS; i++) {
		check_schedule(scale_checks[i], &s);
		if (s.attempts < SCALE_ATTEMPTS)
			return;
	}
	xvs_loop_stop(loop);
}

TEST(check_scale_1000)
{
	struct xvs_loop *loop = new_loop();
	struct xvs_check **c = scale_checks;
	struct recorder rec = {0};
	int lfd[SCALE_LISTENERS], ticks = 0, off_grid = 0, ok = 1, done;
	struct xvs_conf_checker cf;
	unsigned short port[SCALE_LISTENERS];
	long long tick, dl;

	peer_conf(&cf, XVS_CHECK_TCP);
	cf.delay_loop_ms = 500;
	cf.warmup_ms = 500;
	dl = cf.delay_loop_ms;
	for (int i = 0; i < SCALE_LISTENERS; i++) {
		port[i] = peer_closed_port(AF_INET);
		lfd[i] = listener(AF_INET, port[i], 1024);
		ok &= lfd[i] >= 0 && !fcntl(lfd[i], F_SETFL, O_NONBLOCK) &&
		      !xvs_loop_add_fd(loop, lfd[i], XVS_EV_READ, scale_accept,
				       NULL);
	}
	CHECK(ok, "listeners");
	for (int i = 0; i < SCALE_CHECKS; i++) {
		struct xvs_check_target t =
			peer_target(AF_INET, port[i % SCALE_LISTENERS]);

		c[i] = start_check(loop, &cf, &t, 1, &rec);
		ok &= !!c[i];
	}
	CHECK(ok, "%d checks started", SCALE_CHECKS);
	if (!ok)
		return;
	tick = xvs_loop_add_timer(loop, 50, 1, scale_tick, &ticks);
	done = run_loop(loop, 30000);
	CHECK(done, "every check began %d attempts", SCALE_ATTEMPTS);
	/* Every start on the check's grid first + k * delay_loop; a start
	 * the loop was too late for is skipped, not moved. */
	for (int i = 0; i < SCALE_CHECKS; i++) {
		struct check_schedule s;

		check_schedule(c[i], &s);
		if ((s.last_ms - s.first_ms) % dl ||
		    (s.next_ms && (s.next_ms - s.first_ms) % dl) ||
		    s.last_ms - s.first_ms < (s.attempts - 1) * dl)
			off_grid++;
		xvs_check_stop(c[i]);
	}
	CHECK(rec.reports == 0, "no check failed: %d reports, last '%s'",
	      rec.reports, rec.reason);
	CHECK(off_grid == 0, "%d checks off their grid", off_grid);
	CHECK(ticks > 0, "the loop's other timer fired %d times", ticks);
	xvs_loop_del_timer(loop, tick);
	for (int i = 0; i < SCALE_LISTENERS; i++) {
		xvs_loop_del_fd(loop, lfd[i]);
		close(lfd[i]);
	}
	xvs_loop_free(loop);
}
