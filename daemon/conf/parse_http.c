// SPDX-License-Identifier: GPL-2.0
/* HTTP_GET and SSL_GET blocks and their url { } blocks. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "parse.h"

static int path_kw(struct conf_parser *p, const struct conf_stmt *s,
		   void *frame, int arg)
{
	struct xvs_conf_url *u = frame;

	UNUSED(arg);
	return conf_set_string(&u->path, conf_string(p, s, 0));
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* genhash's MD5: 32 hex digits. */
static int digest_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct xvs_conf_url *u = frame;
	const char *v = s->v[0].text;
	unsigned char d[16];

	UNUSED(arg);
	if (strlen(v) != 2 * sizeof(d))
		goto bad;
	for (size_t i = 0; i < sizeof(d); i++) {
		int hi = hex_value(v[2 * i]), lo = hex_value(v[2 * i + 1]);

		if (hi < 0 || lo < 0)
			goto bad;
		d[i] = (unsigned char)(hi << 4 | lo);
	}
	memcpy(u->digest, d, sizeof(d));
	u->has_digest = 1;
	return 0;
bad:
	conf_err(p, &s->v[0], "bad digest '%s' (32 hex digits, an MD5)", v);
	return -1;
}

#define STATUS_MIN 100
#define STATUS_MAX 599

/* "200", or a range "200-299". */
static int status_range(const char *v, unsigned short *lo, unsigned short *hi)
{
	unsigned long a, b;
	char *end;

	if (v[0] < '0' || v[0] > '9')
		return -1;
	a = strtoul(v, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || a < STATUS_MIN || b > STATUS_MAX || a > b)
		return -1;
	*lo = (unsigned short)a;
	*hi = (unsigned short)b;
	return 0;
}

/* status_code lines add up, as in keepalived. */
static int status_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct xvs_conf_url *u = frame;
	int rc = 0;

	UNUSED(arg);
	for (int i = 0; i < s->n; i++) {
		if (u->n_status == XVS_CONF_MAX_STATUS) {
			conf_err(p, &s->v[i],
				 "more than %d status_code ranges in a url",
				 XVS_CONF_MAX_STATUS);
			return -1;
		}
		if (status_range(s->v[i].text, &u->status[u->n_status].lo,
				 &u->status[u->n_status].hi)) {
			conf_err(p, &s->v[i],
				 "bad status code '%s' (%d..%d, or a range "
				 "such as 200-299)",
				 s->v[i].text, STATUS_MIN, STATUS_MAX);
			rc = -1;
			continue;
		}
		u->n_status++;
	}
	return rc;
}

static int url_virtualhost_kw(struct conf_parser *p, const struct conf_stmt *s,
			      void *frame, int arg)
{
	struct xvs_conf_url *u = frame;

	UNUSED(arg);
	return conf_set_string(&u->virtualhost, conf_string(p, s, 0));
}

static const struct conf_keyword url_keywords[] = {
	{"path", 1, 1, path_kw, 0, 0},
	{"digest", 1, 1, digest_kw, 0, 0},
	{"status_code", 1, CONF_KW_ANY, status_kw, 0, CONF_KW_REPEAT},
	{"virtualhost", 1, 1, url_virtualhost_kw, 0, 0},
	CONF_UNSUPPORTED("regex"),
	CONF_UNSUPPORTED("regex_no_match"),
	CONF_UNSUPPORTED("regex_options"),
	CONF_UNSUPPORTED("regex_min_offset"),
	CONF_UNSUPPORTED("regex_max_offset"),
	CONF_UNSUPPORTED("regex_stack"),
	{NULL, 0, 0, NULL, 0, 0},
};

static int url_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		  int arg)
{
	struct conf_ck_frame *cf = frame;
	struct xvs_conf_url *u = calloc(1, sizeof(*u));

	UNUSED(arg);
	if (!u) {
		conf_err(p, &s->kw, "out of memory");
		return -1;
	}
	*cf->url_tail = u;
	cf->url_tail = &u->next;
	conf_block(p, s, url_keywords, u);
	if (!u->path && !(u->path = strdup("/")))
		conf_err(p, &s->kw, "out of memory");
	if (!u->n_status) { /* keepalived's default: any 2xx */
		u->status[0].lo = 200;
		u->status[0].hi = 299;
		u->n_status = 1;
	}
	return 0;
}

static int virtualhost_kw(struct conf_parser *p, const struct conf_stmt *s,
			  void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	return conf_set_string(&cf->ck->virtualhost, conf_string(p, s, 0));
}

/* keepalived's 1.0C (1.0 with "Connection: close") and 1.0K are HTTP/1.0
 * requests; xvs closes after every check anyway. */
static int http_protocol_kw(struct conf_parser *p, const struct conf_stmt *s,
			    void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;
	const char *v = s->v[0].text;

	UNUSED(arg);
	if (!strcmp(v, "1.1")) {
		cf->ck->http_protocol = 11;
	} else if (!strcmp(v, "1.0") || !strcasecmp(v, "1.0C") ||
		   !strcasecmp(v, "1.0K")) {
		cf->ck->http_protocol = 10;
	} else {
		conf_err(p, &s->v[0],
			 "bad value '%s' for 'http_protocol' (1.0, 1.0C, 1.0K "
			 "or 1.1)",
			 v);
		return -1;
	}
	return 0;
}

static int enable_sni_kw(struct conf_parser *p, const struct conf_stmt *s,
			 void *frame, int arg)
{
	struct conf_ck_frame *cf = frame;

	UNUSED(arg);
	return conf_flag(p, s, 0, &cf->ck->enable_sni);
}

const struct conf_keyword conf_http_keywords[] = {
	CONF_CHECKER_KEYWORDS,
	{"url", 0, 0, url_kw, 0, CONF_KW_BLOCK | CONF_KW_REPEAT},
	{"virtualhost", 1, 1, virtualhost_kw, 0, 0},
	{"http_protocol", 1, 1, http_protocol_kw, 0, 0},
	{"enable_sni", 0, 1, enable_sni_kw, 0, 0},
	CONF_UNSUPPORTED("fast_recovery"),
	{NULL, 0, 0, NULL, 0, 0},
};
