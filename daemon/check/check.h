/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Health checks of real servers, as keepalived's checkers: one struct
 * xvs_check per checker block of a real server, run by the daemon's event
 * loop without ever blocking it (non-blocking sockets, children watched
 * through pidfds).
 *
 * Timing, as keepalived: the first attempt after a random delay in
 * 0..warmup; after a success the next after delay_loop; after a failure
 * the next after delay_before_retry while retries are left, and once
 * retry + 1 attempts in a row have failed the check is down and the next
 * attempt is after delay_loop. One success makes it up again. Deadlines
 * are computed from the previous deadline, not from "now", so a thousand
 * checks do not drift.
 *
 * Each checker type is one file (check_tcp.c, check_http.c, ...) behind
 * struct xvs_check_ops (check_priv.h).
 */
#ifndef XVS_CHECK_H
#define XVS_CHECK_H

#include "conf/conf.h"

struct xvs_loop;
struct xvs_check;

/* The real server a check belongs to: the default target of its probes. */
struct xvs_check_target {
	__u8 af;
	union xvs_addr addr;
	unsigned short port; /* host order */
};

/* What a check reports. */
struct xvs_check_result {
	int up;             /* 1 up, 0 down */
	int weight;         /* MISC_CHECK misc_dynamic: the weight the
			     * exit code asks for; -1: no change */
	const char *reason; /* why, for the log: "connection refused",
			     * "HTTP status 500 not in 200-299", ... */
};

/*
 * Called when the check's state changes (up -> down, down -> up), and
 * for misc_dynamic when the asked-for weight changes while up. Never
 * called from inside xvs_check_start or xvs_check_stop. The callback may
 * stop this check (or any other).
 */
typedef void (*xvs_check_report_fn)(void *data, struct xvs_check *check,
				    const struct xvs_check_result *r);

/*
 * Starts checking. initially_up is the state the check starts in (0 for
 * keepalived's alpha: down until a first success); no report is made for
 * that initial state. The check copies conf (xvs_conf_checker_dup), so
 * the model may be freed afterwards. Returns NULL with a message in err.
 */
struct xvs_check *xvs_check_start(struct xvs_loop *loop,
				  const struct xvs_conf_checker *conf,
				  const struct xvs_check_target *target,
				  int initially_up, xvs_check_report_fn report,
				  void *data, char *err, size_t errlen);

/* Cancels any attempt in progress (closing its socket, killing its
 * child) and frees the check. NULL is a no-op. */
void xvs_check_stop(struct xvs_check *check);

/* The check's current state (1 up, 0 down) and its configuration. */
int xvs_check_is_up(const struct xvs_check *check);
const struct xvs_conf_checker *xvs_check_conf(const struct xvs_check *check);

/* "HTTP_GET 198.18.0.11:80/healthz": how the log names a check. */
const char *xvs_check_name(const struct xvs_check *check, char *buf,
			   size_t len);

#endif /* XVS_CHECK_H */
