// SPDX-License-Identifier: GPL-2.0
/*
 * Checker blocks of a real server: what every checker has, and the
 * keywords of TCP_CHECK, MISC_CHECK, SMTP_CHECK and DNS_CHECK (HTTP_GET
 * and SSL_GET are in parse_http.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "parse.h"

int conf_endpoint_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct xvs_conf_checker *ck = ((struct conf_ck_frame *)frame)->ck;

	switch (arg) {
	case CONF_CONNECT_IP:
		return conf_addr(p, s, 0, &ck->connect_af, &ck->connect_ip);
	case CONF_CONNECT_PORT:
		return conf_port(p, s, 0, &ck->connect_port);
	case CONF_BINDTO:
		return conf_addr(p, s, 0, &ck->bind_af, &ck->bindto);
	default:
		return conf_port(p, s, 0, &ck->bind_port);
	}
}

static const struct conf_keyword tcp_keywords[] = {
	CONF_CHECKER_KEYWORDS,
	{NULL, 0, 0, NULL, 0, 0},
};

static int misc_path_kw(struct conf_parser *p, const struct conf_stmt *s,
			void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	return conf_set_string(&cf->ck->misc_path, conf_command(p, s, 0));
}

static int misc_timeout_kw(struct conf_parser *p, const struct conf_stmt *s,
			   void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	if (conf_seconds_ms(p, s, 0, &cf->ck->misc_timeout_ms))
		return -1;
	if (!cf->ck->misc_timeout_ms) {
		conf_err(p, &s->v[0], "'misc_timeout' must be more than 0");
		return -1;
	}
	cf->has_misc_timeout = 1;
	return 0;
}

static int misc_dynamic_kw(struct conf_parser *p, const struct conf_stmt *s,
			   void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	return conf_flag(p, s, 0, &cf->ck->misc_dynamic);
}

/* A program connects to nothing: the timers, and no endpoint. */
static const struct conf_keyword misc_keywords[] = {
	CONF_TIMER_KEYWORDS,
	{"misc_path", 1, CONF_KW_ANY, misc_path_kw, 0, 0},
	{"misc_timeout", 1, 1, misc_timeout_kw, 0, 0},
	{"misc_dynamic", 0, 1, misc_dynamic_kw, 0, 0},
	CONF_UNSUPPORTED("user"),
	{NULL, 0, 0, NULL, 0, 0},
};

static int helo_kw(struct conf_parser *p, const struct conf_stmt *s,
		   void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	return conf_set_string(&cf->ck->helo_name, conf_string(p, s, 0));
}

static const struct conf_keyword smtp_keywords[] = {
	CONF_CHECKER_KEYWORDS,
	{"helo_name", 1, 1, helo_kw, 0, 0},
	CONF_UNSUPPORTED("host"),
	{NULL, 0, 0, NULL, 0, 0},
};

/* DNS query types by name, as DNS_CHECK's "type". */
static const struct {
	const char *name;
	unsigned short type;
} dns_types[] = {
	{"A", 1},   {"NS", 2},	 {"CNAME", 5}, {"SOA", 6},
	{"MX", 15}, {"TXT", 16}, {"AAAA", 28},
};

static int dns_type_kw(struct conf_parser *p, const struct conf_stmt *s,
		       void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	for (size_t i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++) {
		if (!strcasecmp(s->v[0].text, dns_types[i].name)) {
			cf->ck->dns_type = dns_types[i].type;
			return 0;
		}
	}
	conf_err(p, &s->v[0],
		 "bad value '%s' for 'type' (A, NS, CNAME, SOA, MX, TXT or "
		 "AAAA)",
		 s->v[0].text);
	return -1;
}

static int dns_name_kw(struct conf_parser *p, const struct conf_stmt *s,
		       void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	return conf_set_string(&cf->ck->dns_name, conf_string(p, s, 0));
}

static const struct conf_keyword dns_keywords[] = {
	CONF_CHECKER_KEYWORDS,
	{"type", 1, 1, dns_type_kw, 0, 0},
	{"name", 1, 1, dns_name_kw, 0, 0},
	{NULL, 0, 0, NULL, 0, 0},
};

static const struct conf_keyword *const checker_keywords[] = {
	[XVS_CHECK_TCP] = tcp_keywords,
	[XVS_CHECK_HTTP] = conf_http_keywords,
	[XVS_CHECK_SSL] = conf_http_keywords,
	[XVS_CHECK_MISC] = misc_keywords,
	[XVS_CHECK_SMTP] = smtp_keywords,
	[XVS_CHECK_DNS] = dns_keywords,
};

#define DNS_TYPE_SOA 6

/* What a checker needs, and the defaults that inherit from nothing. */
static int checker_end(struct conf_parser *p, const struct conf_stmt *s,
		       struct xvs_conf_checker *ck)
{
	char host[256];

	if ((ck->type == XVS_CHECK_HTTP || ck->type == XVS_CHECK_SSL) &&
	    !ck->urls) {
		conf_err(p, &s->kw, "%s needs a url { } block", s->kw.text);
		return -1;
	}
	if (ck->type == XVS_CHECK_MISC && !ck->misc_path) {
		conf_err(p, &s->kw, "MISC_CHECK needs a misc_path");
		return -1;
	}
	if (ck->type == XVS_CHECK_DNS && !ck->dns_name)
		ck->dns_name = strdup(".");
	if (ck->type == XVS_CHECK_SMTP && !ck->helo_name) {
		if (gethostname(host, sizeof(host)) || !host[0])
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		ck->helo_name = strdup(host);
	}
	if ((ck->type == XVS_CHECK_DNS && !ck->dns_name) ||
	    (ck->type == XVS_CHECK_SMTP && !ck->helo_name)) {
		conf_err(p, &s->kw, "out of memory");
		return -1;
	}
	return 0;
}

int conf_checker_kw(struct conf_parser *p, const struct conf_stmt *s,
		    void *frame, int arg)
{
	struct conf_rs_frame *rf = frame;
	struct conf_vs_frame *f = rf->vsf;
	struct xvs_conf_checker *ck = calloc(1, sizeof(*ck));
	struct conf_ck_frame cf = {.rsf = rf, .ck = ck};
	struct conf_ck_rec *rec;

	if (!ck) {
		conf_err(p, &s->kw, "out of memory");
		return -1;
	}
	*rf->ck_tail = ck;
	rf->ck_tail = &ck->next;
	ck->type = (enum xvs_check_type)arg;
	ck->where = (struct xvs_conf_where){s->kw.file, s->kw.line};
	ck->http_protocol = 10;
	ck->dns_type = DNS_TYPE_SOA;
	cf.url_tail = &ck->urls;
	conf_block(p, s, checker_keywords[arg], &cf);
	if (checker_end(p, s, ck))
		return 0;
	rec = conf_grow(p, s, (void **)&f->ck_recs, &f->n_ck, &f->cap_ck,
			sizeof(*rec));
	if (!rec)
		return 0;
	rec->ck = ck;
	rec->t = cf.t;
	rec->rs = rf->rec;
	rec->has_misc_timeout = cf.has_misc_timeout;
	return 0;
}
