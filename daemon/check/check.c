// SPDX-License-Identifier: GPL-2.0
/*
 * The health-check engine: when each check's attempts run, what their
 * results mean, and when to report. Contracts in check.h; what a checker
 * type provides in check_priv.h.
 *
 * One loop timer per check at a time: while waiting it is the next
 * attempt's start, during an attempt its timeout. The next start is
 * always computed from the planned start of the previous attempt
 * (deadline + delay), never from when it ended, so checks do not drift;
 * when an attempt overran that point (a timeout longer than the delay),
 * the missed periods are skipped, keeping the phase, and attempts never
 * overlap.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "addr.h"
#include "check_priv.h"
#include "loop.h"

#define CHECK_REASON_LEN 160

struct xvs_check {
	struct xvs_loop *loop;
	struct xvs_conf_checker *conf; /* our copy */
	const struct xvs_check_ops *ops;
	void *priv;
	struct xvs_check_target dest;
	xvs_check_report_fn report;
	void *data;

	int up;
	int weight;	   /* last dynamic weight reported while up, -1 */
	unsigned failures; /* attempts failed in a row while up */
	int attempting;
	long long timer;    /* next start, or the attempt's timeout; 0 */
	long long first_ms; /* planned start of the first attempt */
	long long deadline; /* planned start of the current/last attempt */
	long long next_ms;  /* planned start of the next attempt */
	unsigned attempts;
	char reason[CHECK_REASON_LEN];
};

static const struct xvs_check_ops *const check_types[] = {
	[XVS_CHECK_TCP] = &check_tcp_ops,   [XVS_CHECK_HTTP] = &check_http_ops,
	[XVS_CHECK_SSL] = &check_ssl_ops,   [XVS_CHECK_MISC] = &check_misc_ops,
	[XVS_CHECK_SMTP] = &check_smtp_ops, [XVS_CHECK_DNS] = &check_dns_ops,
};

unsigned check_random(void)
{
	unsigned r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (unsigned)random(); /* no entropy yet, early at boot */
	return r;
}

void *check_priv(const struct xvs_check *c)
{
	return c->priv;
}

struct xvs_loop *check_loop(const struct xvs_check *c)
{
	return c->loop;
}

const struct xvs_check_target *check_dest(const struct xvs_check *c)
{
	return &c->dest;
}

int xvs_check_is_up(const struct xvs_check *check)
{
	return check->up;
}

const struct xvs_conf_checker *xvs_check_conf(const struct xvs_check *check)
{
	return check->conf;
}

void check_schedule(const struct xvs_check *c, struct check_schedule *s)
{
	s->first_ms = c->first_ms;
	s->last_ms = c->deadline;
	s->next_ms = c->attempting ? 0 : c->next_ms;
	s->attempts = c->attempts;
}

const char *xvs_check_name(const struct xvs_check *check, char *buf, size_t len)
{
	const struct xvs_conf_checker *cf = check->conf;
	char ap[XVS_ADDRPORT_LEN];

	xvs_addr_format(ap, sizeof(ap), check->dest.af, &check->dest.addr,
			htons(check->dest.port), 0, 0);
	if (cf->type == XVS_CHECK_MISC)
		snprintf(buf, len, "%s `%s'", check->ops->name, cf->misc_path);
	else
		snprintf(buf, len, "%s %s%s", check->ops->name, ap,
			 cf->urls ? cf->urls->path : "");
	return buf;
}

static unsigned attempt_timeout_ms(const struct xvs_check *c)
{
	return c->conf->type == XVS_CHECK_MISC ? c->conf->misc_timeout_ms
					       : c->conf->connect_timeout_ms;
}

static void attempt_begin(struct xvs_loop *loop, long long id, void *data);

/* Arms the timer for the next attempt at next_ms. Only fails when out of
 * memory; the check then stays in its state without probing. */
static int schedule_next(struct xvs_check *c)
{
	long long wait = c->next_ms - xvs_loop_now_ms();

	c->timer = xvs_loop_add_timer(c->loop, wait > 0 ? (unsigned)wait : 0, 0,
				      attempt_begin, c);
	if (c->timer > 0)
		return 0;
	c->timer = 0;
	return -ENOMEM;
}

static void attempt_begin(struct xvs_loop *loop, long long id, void *data)
{
	struct xvs_check *c = data;

	(void)loop;
	(void)id;
	c->timer = 0; /* fired */
	c->deadline = c->next_ms;
	c->attempts++;
	c->attempting = 1;
	if (!check_attempt_rearm(c))
		c->ops->begin(c);
}

static void attempt_timeout(struct xvs_loop *loop, long long id, void *data)
{
	struct xvs_check *c = data;
	unsigned ms = attempt_timeout_ms(c);

	(void)loop;
	(void)id;
	c->timer = 0;
	if (ms % 1000)
		check_attempt_end(c, 0, -1, "timeout after %u ms", ms);
	else
		check_attempt_end(c, 0, -1, "timeout after %u s", ms / 1000);
}

int check_attempt_rearm(struct xvs_check *c)
{
	if (c->timer)
		xvs_loop_del_timer(c->loop, c->timer);
	c->timer = xvs_loop_add_timer(c->loop, attempt_timeout_ms(c), 0,
				      attempt_timeout, c);
	if (c->timer > 0)
		return 0;
	c->timer = 0;
	check_attempt_end(c, 0, -1, "out of memory");
	return -1;
}

/* The first planned start after now on the grid deadline + k * delay
 * (k >= 1): the previous attempt may have overrun one or more periods. */
static long long next_start(long long deadline, unsigned delay, long long now)
{
	long long next = deadline + delay;

	if (next >= now)
		return next;
	if (!delay)
		return now;
	return next + ((now - next + delay - 1) / delay) * delay;
}

/*
 * Applies one attempt's result (keepalived's rules, check.h) and says
 * whether it is reported: a change of state, or a new dynamic weight.
 */
static int apply_result(struct xvs_check *c, int ok, int weight,
			unsigned *delay)
{
	const struct xvs_conf_checker *cf = c->conf;
	int was_up = c->up;

	*delay = cf->delay_loop_ms;
	if (ok) {
		c->failures = 0;
		c->up = 1;
		if (weight < 0 || weight == c->weight)
			return !was_up;
		c->weight = weight;
		return 1;
	}
	if (!c->up)
		return 0; /* known down: no retries, as keepalived */
	if (++c->failures <= cf->retry) {
		*delay = cf->delay_before_retry_ms;
		return 0;
	}
	c->failures = 0;
	c->up = 0;
	c->weight = -1;
	return 1;
}

void check_attempt_end(struct xvs_check *c, int ok, int weight, const char *fmt,
		       ...)
{
	struct xvs_check_result r;
	unsigned delay;
	va_list ap;
	int report;

	if (!c->attempting)
		return;
	c->attempting = 0;
	if (c->timer) {
		xvs_loop_del_timer(c->loop, c->timer);
		c->timer = 0;
	}
	c->ops->close(c);
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);

	report = apply_result(c, ok, weight, &delay);
	c->next_ms = next_start(c->deadline, delay, xvs_loop_now_ms());
	schedule_next(c);
	if (!report)
		return;
	r.up = c->up;
	r.weight = c->up ? weight : -1;
	r.reason = c->reason;
	c->report(c->data, c, &r); /* may free c */
}

static void check_free(struct xvs_check *c)
{
	if (c->conf)
		xvs_conf_checker_free(c->conf);
	free(c->priv);
	free(c);
}

struct xvs_check *xvs_check_start(struct xvs_loop *loop,
				  const struct xvs_conf_checker *conf,
				  const struct xvs_check_target *target,
				  int initially_up, xvs_check_report_fn report,
				  void *data, char *err, size_t errlen)
{
	struct xvs_check *c;
	unsigned warmup;

	if ((unsigned)conf->type >=
	    sizeof(check_types) / sizeof(*check_types)) {
		snprintf(err, errlen, "unknown checker type %d", conf->type);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		goto nomem;
	c->loop = loop;
	c->ops = check_types[conf->type];
	c->report = report;
	c->data = data;
	c->up = !!initially_up;
	c->weight = -1;
	c->conf = xvs_conf_checker_dup(conf);
	c->priv = calloc(1, c->ops->priv_size ? c->ops->priv_size : 1);
	if (!c->conf || !c->priv)
		goto nomem;

	c->dest = *target;
	if (conf->connect_af) {
		c->dest.af = conf->connect_af;
		c->dest.addr = conf->connect_ip;
	}
	if (conf->connect_port)
		c->dest.port = conf->connect_port;

	if (c->ops->init && c->ops->init(c, err, errlen)) {
		check_free(c);
		return NULL;
	}
	warmup = conf->warmup_ms ? check_random() % (conf->warmup_ms + 1) : 0;
	c->first_ms = c->next_ms = xvs_loop_now_ms() + warmup;
	if (schedule_next(c)) {
		if (c->ops->fini)
			c->ops->fini(c);
		goto nomem;
	}
	return c;

nomem:
	snprintf(err, errlen, "health check: out of memory");
	if (c)
		check_free(c);
	return NULL;
}

void xvs_check_stop(struct xvs_check *check)
{
	if (!check)
		return;
	if (check->timer)
		xvs_loop_del_timer(check->loop, check->timer);
	if (check->attempting)
		check->ops->close(check);
	if (check->ops->fini)
		check->ops->fini(check);
	check_free(check);
}
