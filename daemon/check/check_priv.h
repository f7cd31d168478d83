/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the health-check engine: what a checker type provides (struct
 * xvs_check_ops, one file per type) and what the engine (check.c) gives
 * it back.
 *
 * An attempt is one probe: the engine calls ops->begin from a timer, the
 * checker works from loop callbacks, and ends the attempt exactly once
 * with check_attempt_end(); if it has not by the attempt's timeout, the
 * engine ends it as a failure. Either way the engine then calls
 * ops->close, so a checker never has to clean up on its own error paths.
 *
 * check_attempt_end() may report a transition, and the report callback may
 * stop (free) the check: a checker calls it last and touches nothing of
 * the check afterwards. ops->begin is called last by the engine for the
 * same reason, and may itself end the attempt at once (a socket that
 * cannot be created, a connect refused on the spot).
 */
#ifndef XVS_CHECK_PRIV_H
#define XVS_CHECK_PRIV_H

#include "check.h"

struct xvs_check_ops {
	const char *name; /* keepalived's keyword: "TCP_CHECK" */
	size_t priv_size; /* zeroed per-check state, check_priv() */
	/* Optional: set up priv once (OpenSSL context, query template);
	 * returns 0 or -errno with a message in err. */
	int (*init)(struct xvs_check *c, char *err, size_t errlen);
	/* Optional: releases what init set up. */
	void (*fini)(struct xvs_check *c);
	/* Starts an attempt. */
	void (*begin)(struct xvs_check *c);
	/* Releases what an attempt holds (socket, TLS session, child); called
	 * after every attempt and when the check stops mid-attempt, so it must
	 * be safe to call when nothing is held. */
	void (*close)(struct xvs_check *c);
};

extern const struct xvs_check_ops check_tcp_ops;
extern const struct xvs_check_ops check_http_ops;
extern const struct xvs_check_ops check_ssl_ops;
extern const struct xvs_check_ops check_misc_ops;
extern const struct xvs_check_ops check_smtp_ops;
extern const struct xvs_check_ops check_dns_ops;

/* The checker type's own state (ops->priv_size bytes). */
void *check_priv(const struct xvs_check *c);
struct xvs_loop *check_loop(const struct xvs_check *c);

/* Where probes go: connect_ip / connect_port, else the real server's
 * address and port, as keepalived (no checker has a port of its own:
 * SMTP_CHECK does not default to 25, nor DNS_CHECK to 53). Port 0 (a
 * real server without one) fails every attempt. */
const struct xvs_check_target *check_dest(const struct xvs_check *c);

/*
 * Ends the attempt in progress: ok 1 for a success, 0 for a failure; weight
 * is the weight a success asks for (MISC_CHECK misc_dynamic), -1 for none;
 * fmt says why ("connection refused"). May free the check: call it last.
 * Does nothing when no attempt is in progress.
 */
void check_attempt_end(struct xvs_check *c, int ok, int weight, const char *fmt,
		       ...) __attribute__((format(printf, 4, 5)));

/* Restarts the attempt's timeout, for a checker that opens one connection
 * after another within an attempt (HTTP_GET's urls): each gets the full
 * connect_timeout. Returns 0, or -1 when it could not and ended the
 * attempt (out of memory): the caller then returns at once. */
int check_attempt_rearm(struct xvs_check *c);

/* Four random bytes (DNS query ids, the warmup delay). */
unsigned check_random(void);

/*
 * The engine's schedule, for tests and status: the planned start of the
 * first attempt, of the current or last attempt (0 before the first), and
 * of the next one (0 while an attempt runs), in CLOCK_MONOTONIC
 * milliseconds, and how many attempts have begun. Deadlines advance from
 * each other: with a steady delay, every start is first + k * delay.
 */
struct check_schedule {
	long long first_ms, last_ms, next_ms;
	unsigned attempts;
};
void check_schedule(const struct xvs_check *c, struct check_schedule *s);

#endif /* XVS_CHECK_PRIV_H */
