// SPDX-License-Identifier: GPL-2.0
/* real_server blocks: the server, its settings and its checkers. */
#include <stdlib.h>
#include "parse.h"

static struct conf_rs_rec *rec_of(struct conf_rs_frame *rf)
{
	return &rf->vsf->rs_recs[rf->rec];
}

static int weight_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct conf_rs_frame *rf = frame;
	unsigned w;

	UNUSED(arg);
	if (conf_uint32(p, s, 0, 0, XVS_WEIGHT_MAX, &w))
		return -1;
	rec_of(rf)->rs->weight = (int)w;
	return 0;
}

/* uthreshold, lthreshold (arg 1, 0): ipvsadm's -x, -y range. */
static int threshold_kw(struct conf_parser *p, const struct conf_stmt *s,
			void *frame, int arg)
{
	struct xvs_conf_rs *rs = rec_of(frame)->rs;

	return conf_uint32(p, s, 0, 0, 0x7fffffff,
			   arg ? &rs->uthreshold : &rs->lthreshold);
}

static int notify_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct xvs_conf_rs *rs = rec_of(frame)->rs;

	return conf_set_string(arg ? &rs->notify_up : &rs->notify_down,
			       conf_command(p, s, 0));
}

static int rs_inhibit_kw(struct conf_parser *p, const struct conf_stmt *s,
			 void *frame, int arg)
{
	UNUSED(arg);
	return conf_flag(p, s, 0, &rec_of(frame)->inhibit);
}

static int rs_method_kw(struct conf_parser *p, const struct conf_stmt *s,
			void *frame, int arg)
{
	struct conf_rs_rec *rec = rec_of(frame);

	UNUSED(arg);
	if (conf_method(p, s, &rec->rs->method))
		return -1;
	rec->has_method = 1;
	return 0;
}

static int rs_virtualhost_kw(struct conf_parser *p, const struct conf_stmt *s,
			     void *frame, int arg)
{
	UNUSED(arg);
	return conf_set_string(&rec_of(frame)->virtualhost,
			       conf_string(p, s, 0));
}

/* clang-format off */
#define CHECKER(name, type) \
	{name, 0, 0, conf_checker_kw, type, CONF_KW_BLOCK | CONF_KW_REPEAT}
/* clang-format on */

const struct conf_keyword conf_rs_keywords[] = {
	CONF_TIMER_KEYWORDS,
	{"weight", 1, 1, weight_kw, 0, 0},
	{"uthreshold", 1, 1, threshold_kw, 1, 0},
	{"lthreshold", 1, 1, threshold_kw, 0, 0},
	{"notify_up", 1, CONF_KW_ANY, notify_kw, 1, 0},
	{"notify_down", 1, CONF_KW_ANY, notify_kw, 0, 0},
	{"inhibit_on_failure", 0, 1, rs_inhibit_kw, 0, 0},
	{"lvs_method", 1, CONF_KW_ANY, rs_method_kw, 0, 0},
	{"lb_kind", 1, CONF_KW_ANY, rs_method_kw, 0, 0},
	{"virtualhost", 1, 1, rs_virtualhost_kw, 0, 0},
	CHECKER("TCP_CHECK", XVS_CHECK_TCP),
	CHECKER("HTTP_GET", XVS_CHECK_HTTP),
	CHECKER("SSL_GET", XVS_CHECK_SSL),
	CHECKER("MISC_CHECK", XVS_CHECK_MISC),
	CHECKER("SMTP_CHECK", XVS_CHECK_SMTP),
	CHECKER("DNS_CHECK", XVS_CHECK_DNS),
	CONF_UNSUPPORTED("UDP_CHECK"),
	CONF_UNSUPPORTED("PING_CHECK"),
	CONF_UNSUPPORTED("ICMP_CHECK"),
	CONF_UNSUPPORTED("FILE_CHECK"),
	CONF_UNSUPPORTED("BFD_CHECK"),
	CONF_UNSUPPORTED("smtp_alert"),
	{NULL, 0, 0, NULL, 0, 0},
};

/* "real_server IP [PORT]"; without a port, the service's (0 for fwmark
 * and group services: each address of theirs keeps its own). */
int conf_rs_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
	       int arg)
{
	struct conf_vs_frame *f = frame;
	struct conf_rs_frame rf = {.vsf = f};
	struct xvs_conf_rs head = {0}, *rs;
	struct conf_rs_rec *rec;

	UNUSED(arg);
	head.port = f->vs->kind == XVS_CONF_VS_ADDR ? f->vs->port : 0;
	if (conf_addr(p, s, 0, &head.af, &head.addr) ||
	    (s->n > 1 && conf_port(p, s, 1, &head.port)))
		return -1;
	rec = conf_grow(p, s, (void **)&f->rs_recs, &f->n_rs, &f->cap_rs,
			sizeof(*rec));
	if (!rec)
		return -1;
	rs = malloc(sizeof(*rs));
	if (!rs) {
		f->n_rs--;
		conf_err(p, &s->kw, "out of memory");
		return -1;
	}
	*rs = head;
	*f->rs_tail = rs;
	f->rs_tail = &rs->next;
	rs->where = (struct xvs_conf_where){s->kw.file, s->kw.line};
	rs->weight = 1;
	rec->rs = rs;
	rec->inhibit = -1;
	rf.rec = f->n_rs - 1;
	rf.ck_tail = &rs->checkers;
	conf_block(p, s, conf_rs_keywords, &rf);
	rec_of(&rf)->t = rf.t;
	return 0;
}
