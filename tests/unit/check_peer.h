/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the health-check tests (test_check*.c):
 *   - peers: loopback servers (127.0.0.1 or ::1) in a thread, each
 *     connection or datagram handed to a function of the test, with
 *     blocking I/O bounded by 2 s timeouts so that a peer never hangs;
 *   - checker configurations as the parser would give them, with short
 *     timers;
 *   - running the loop until a check reports or a bound passes, recording
 *     what was reported.
 */
#ifndef XVS_TEST_CHECK_PEER_H
#define XVS_TEST_CHECK_PEER_H

#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include "check/check.h"
#include "check/check_priv.h"
#include "loop.h"

struct peer;
/* TCP: fd is the accepted connection (closed after the call). UDP: fd is
 * the peer's socket with a datagram waiting. */
typedef void (*peer_fn)(struct peer *p, int fd);

struct peer {
	int fd;		     /* listening (TCP) or bound (UDP) socket */
	int af, type;	     /* AF_INET / AF_INET6, SOCK_STREAM / DGRAM */
	unsigned short port; /* host order */
	peer_fn fn;
	void *arg; /* for fn */
	pthread_t thread;
	volatile int stop;
	volatile int served; /* connections or datagrams handed to fn */
	char req[4096];	     /* what peer_read_request read last */
	size_t req_len;
};

/* Starts a peer on an ephemeral loopback port; 0 or -errno. */
int peer_start(struct peer *p, int af, int type, peer_fn fn, void *arg);
void peer_stop(struct peer *p);

/* Reads into p->req until end (e.g. "\r\n\r\n") is seen, EOF or the
 * timeout; returns the bytes read. peer_read_with reads through rd (a
 * TLS session, say), which returns what read(2) would. */
size_t peer_read_request(struct peer *p, int fd, const char *end);
size_t peer_read_with(struct peer *p,
		      ssize_t (*rd)(void *ctx, char *buf, size_t len),
		      void *ctx, const char *end);
/* Writes all of s: 0, or -1 when the checker went away. peer_write_with
 * writes through wr, which returns what write(2) would. */
int peer_write(int fd, const char *s);
int peer_write_with(ssize_t (*wr)(void *ctx, const char *buf, size_t len),
		    void *ctx, const char *s);

/* A free loopback TCP port (bound and released), for "refused". */
unsigned short peer_closed_port(int af);

/* A checker of type with keepalived's defaults scaled down: connect 1 s,
 * delay_loop 100 ms, delay_before_retry 50 ms, retry 0, no warmup. */
void peer_conf(struct xvs_conf_checker *cf, enum xvs_check_type type);
struct xvs_check_target peer_target(int af, unsigned short port);

/* What a check reported, for the report callback check_recorder. */
struct recorder {
	struct xvs_loop *loop; /* stopped at every report */
	int reports;
	int up, weight; /* of the last report */
	char reason[160];
	struct check_schedule sched; /* at the last report */
	void (*then)(struct recorder *r, struct xvs_check *c); /* optional */
	void *arg;
};
void check_recorder(void *data, struct xvs_check *c,
		    const struct xvs_check_result *r);

/* Runs the loop until it is stopped (a report) or max_ms pass; returns 1
 * if it was stopped, 0 at max_ms. */
int run_loop(struct xvs_loop *loop, unsigned max_ms);

/* Runs the loop until c has begun n more attempts (1), a report came (0)
 * or 10 s passed (0): waits that count attempts, not milliseconds. */
int run_attempts(struct xvs_loop *loop, struct xvs_check *c, unsigned n,
		 const struct recorder *r);

/* Runs the loop until our child pid is reaped; 1, or 0 after 5 s. */
int run_until_reaped(struct xvs_loop *loop, pid_t pid);

/* Starts one check with a recorder; NULL on error (printed). */
struct xvs_check *start_check(struct xvs_loop *loop,
			      const struct xvs_conf_checker *cf,
			      const struct xvs_check_target *t, int up,
			      struct recorder *r);

/* The process's open descriptors, to see that nothing leaks. */
int count_fds(void);

/* The pid a test's script wrote into path; 0 if there is none yet. */
pid_t read_pid_file(const char *path);

#endif
