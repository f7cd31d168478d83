// SPDX-License-Identifier: GPL-2.0
/*
 * The check timers: read at any of three levels, resolved per checker
 * with keepalived's defaults (delay_loop 60 s, connect_timeout 5 s,
 * retry 1 but DNS_CHECK 3 and MISC_CHECK 0, delay_before_retry 3 s for
 * HTTP_GET and SSL_GET and 1 s otherwise, warmup = delay_loop, and
 * misc_timeout = delay_loop).
 */
#include "parse.h"

static const char *const timer_names[CONF_T_N] = {
	[CONF_T_DELAY_LOOP] = "delay_loop",
	[CONF_T_CONNECT_TIMEOUT] = "connect_timeout",
	[CONF_T_RETRY] = "retry",
	[CONF_T_DELAY_BEFORE_RETRY] = "delay_before_retry",
	[CONF_T_WARMUP] = "warmup",
};

#define RETRY_MAX 1000000 /* a million retries is "never down" already */

int conf_timer_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		  int arg)
{
	struct conf_timers *t = frame; /* every such frame starts with it */
	unsigned v;

	if (arg == CONF_T_RETRY) {
		if (conf_uint32(p, s, 0, 0, RETRY_MAX, &v))
			return -1;
	} else {
		if (conf_seconds_ms(p, s, 0, &v))
			return -1;
		/* a zero loop or timeout would spin or never connect */
		if (!v && (arg == CONF_T_DELAY_LOOP ||
			   arg == CONF_T_CONNECT_TIMEOUT)) {
			conf_err(p, &s->v[0], "'%s' must be more than 0",
				 timer_names[arg]);
			return -1;
		}
	}
	t->v[arg] = v;
	t->set |= 1u << arg;
	return 0;
}

static unsigned pick(enum conf_timer which, const struct conf_timers *ck_t,
		     const struct conf_timers *rs_t,
		     const struct conf_timers *vs_t, unsigned dflt)
{
	const struct conf_timers *levels[] = {ck_t, rs_t, vs_t};

	for (int i = 0; i < 3; i++)
		if (levels[i]->set & (1u << which))
			return levels[i]->v[which];
	return dflt;
}

void conf_timers_resolve(struct xvs_conf_checker *ck,
			 const struct conf_timers *ck_t,
			 const struct conf_timers *rs_t,
			 const struct conf_timers *vs_t, int has_misc_timeout)
{
	int web = ck->type == XVS_CHECK_HTTP || ck->type == XVS_CHECK_SSL;
	unsigned retry = ck->type == XVS_CHECK_DNS    ? 3
			 : ck->type == XVS_CHECK_MISC ? 0
						      : 1;

	ck->delay_loop_ms = pick(CONF_T_DELAY_LOOP, ck_t, rs_t, vs_t, 60000);
	ck->connect_timeout_ms =
		pick(CONF_T_CONNECT_TIMEOUT, ck_t, rs_t, vs_t, 5000);
	ck->retry = pick(CONF_T_RETRY, ck_t, rs_t, vs_t, retry);
	ck->delay_before_retry_ms = pick(CONF_T_DELAY_BEFORE_RETRY, ck_t, rs_t,
					 vs_t, web ? 3000 : 1000);
	ck->warmup_ms =
		pick(CONF_T_WARMUP, ck_t, rs_t, vs_t, ck->delay_loop_ms);
	if (ck->type == XVS_CHECK_MISC && !has_misc_timeout)
		ck->misc_timeout_ms = ck->delay_loop_ms;
}
