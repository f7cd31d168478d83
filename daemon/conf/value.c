// SPDX-License-Identifier: GPL-2.0
/* Reading the values of a statement: numbers, times, flags, addresses,
 * strings, command lines and forwarding methods; see parse.h. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "parse.h"

static int all_digits(const char *s, size_t max_len)
{
	size_t n = strspn(s, "0123456789");

	return n && !s[n] && n <= max_len;
}

int conf_uint(struct conf_parser *p, const struct conf_stmt *s, int i,
	      unsigned long long min, unsigned long long max,
	      unsigned long long *out)
{
	const char *v = s->v[i].text;
	unsigned long long x;

	/* 19 digits never overflow; longer ones are out of any range here */
	if (!all_digits(v, 19) || (x = strtoull(v, NULL, 10)) < min ||
	    x > max) {
		conf_err(p, &s->v[i], "bad value '%s' for '%s' (%llu..%llu)", v,
			 s->kw.text, min, max);
		return -1;
	}
	*out = x;
	return 0;
}

int conf_uint32(struct conf_parser *p, const struct conf_stmt *s, int i,
		unsigned long long min, unsigned long long max, unsigned *out)
{
	unsigned long long x;

	if (conf_uint(p, s, i, min, max, &x))
		return -1;
	*out = (unsigned)x;
	return 0;
}

#define SECONDS_MAX 4294967ull /* as milliseconds, still 32 bits */

int conf_seconds_ms(struct conf_parser *p, const struct conf_stmt *s, int i,
		    unsigned *ms)
{
	const char *v = s->v[i].text, *dot = strchr(v, '.');
	size_t int_len = dot ? (size_t)(dot - v) : strlen(v);
	unsigned long long sec = 0, frac = 0;
	int digits = 0;

	if (!int_len && !dot)
		goto bad;
	for (size_t k = 0; k < int_len; k++) {
		if (v[k] < '0' || v[k] > '9' || sec > SECONDS_MAX)
			goto bad;
		sec = sec * 10 + (unsigned)(v[k] - '0');
	}
	if (dot) {
		/* "5." and ".5" are fine; the fraction is cut at ms */
		for (const char *f = dot + 1; *f; f++, digits++) {
			if (*f < '0' || *f > '9')
				goto bad;
			if (digits < 3)
				frac = frac * 10 + (unsigned)(*f - '0');
		}
		if (!int_len && !digits)
			goto bad;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (sec > SECONDS_MAX || sec * 1000 + frac > 0xffffffffull)
		goto bad;
	*ms = (unsigned)(sec * 1000 + frac);
	return 0;
bad:
	conf_err(p, &s->v[i],
		 "bad time '%s' for '%s' (seconds, such as 5 or 0.5)", v,
		 s->kw.text);
	return -1;
}

int conf_flag(struct conf_parser *p, const struct conf_stmt *s, int i, int *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	if (i >= s->n) {
		*out = 1;
		return 0;
	}
	for (size_t k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		if (!strcasecmp(s->v[i].text, yes[k])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(s->v[i].text, no[k])) {
			*out = 0;
			return 0;
		}
	}
	conf_err(p, &s->v[i], "bad value '%s' for '%s' (yes or no)",
		 s->v[i].text, s->kw.text);
	return -1;
}

int conf_addr_text(const char *text, __u8 *af, union xvs_addr *a)
{
	union xvs_addr x;

	memset(&x, 0, sizeof(x));
	if (inet_pton(AF_INET, text, &x.v4) == 1)
		*af = XVS_AF_INET;
	else if (inet_pton(AF_INET6, text, x.bytes) == 1)
		*af = XVS_AF_INET6;
	else
		return -1;
	*a = x;
	return 0;
}

int conf_addr(struct conf_parser *p, const struct conf_stmt *s, int i, __u8 *af,
	      union xvs_addr *a)
{
	if (!conf_addr_text(s->v[i].text, af, a))
		return 0;
	conf_err(p, &s->v[i], "bad address '%s' for '%s'", s->v[i].text,
		 s->kw.text);
	return -1;
}

int conf_port(struct conf_parser *p, const struct conf_stmt *s, int i,
	      unsigned short *port)
{
	unsigned long long x;

	if (!all_digits(s->v[i].text, 5) ||
	    (x = strtoull(s->v[i].text, NULL, 10)) > 65535) {
		conf_err(p, &s->v[i], "bad port '%s' for '%s' (0..65535)",
			 s->v[i].text, s->kw.text);
		return -1;
	}
	*port = (unsigned short)x;
	return 0;
}

char *conf_string(struct conf_parser *p, const struct conf_stmt *s, int i)
{
	char *v = strdup(s->v[i].text);

	if (!v)
		conf_err(p, &s->v[i], "out of memory");
	return v;
}

char *conf_command(struct conf_parser *p, const struct conf_stmt *s, int i)
{
	const struct conf_token *first = &s->v[i], *last = &s->v[s->n - 1];
	char *v;

	if (first->quoted) {
		/* keepalived reads "user [group]" after a quoted script */
		if (first != last)
			conf_warn(p, &s->v[i + 1],
				  "'%s': a user and group after the quoted "
				  "command are not supported; ignored",
				  s->kw.text);
		return conf_string(p, s, i);
	}
	/* The values of one line are one span of one file's text. */
	if (last->file != first->file || last->src < first->src)
		last = first;
	v = strndup(first->src,
		    (size_t)(last->src - first->src) + last->srclen);
	if (!v)
		conf_err(p, first, "out of memory");
	return v;
}

int conf_set_string(char **field, char *value)
{
	if (!value)
		return -1;
	free(*field);
	*field = value;
	return 0;
}

void *conf_grow(struct conf_parser *p, const struct conf_stmt *s, void **arr,
		size_t *n, size_t *cap, size_t size)
{
	char *a = *arr;

	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 8;

		a = realloc(a, ncap * size);
		if (!a) {
			conf_err(p, &s->kw, "out of memory");
			return NULL;
		}
		*arr = a;
		*cap = ncap;
	}
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

/* The tunnel options after "TUN", from s->v[1]. */
static int tun_options(struct conf_parser *p, const struct conf_stmt *s,
		       struct xvs_conf_method *m)
{
	int has_port = 0, has_csum = 0, i;

	for (i = 1; i < s->n; i++) {
		const char *o = s->v[i].text;

		if (!strcmp(o, "type") && i + 1 < s->n) {
			o = s->v[++i].text;
			if (!strcmp(o, "ipip"))
				m->tun_type = XVS_TUN_IPIP;
			else if (!strcmp(o, "gue"))
				m->tun_type = XVS_TUN_GUE;
			else if (!strcmp(o, "gre"))
				m->tun_type = XVS_TUN_GRE;
			else
				goto bad;
		} else if (!strcmp(o, "port") && i + 1 < s->n) {
			if (conf_port(p, s, ++i, &m->tun_port))
				return -1;
			has_port = 1;
		} else if (!strcmp(o, "nocsum")) {
			m->tun_flags = 0;
		} else if (!strcmp(o, "csum")) {
			m->tun_flags = XVS_TUN_F_CSUM;
			has_csum = 1;
		} else if (!strcmp(o, "remcsum")) {
			m->tun_flags = XVS_TUN_F_REMCSUM;
			has_csum = 1;
		} else {
			goto bad;
		}
	}
	if (m->tun_type == XVS_TUN_GUE && (!has_port || !m->tun_port)) {
		conf_err(p, &s->kw, "'%s' TUN type gue needs a port 1..65535",
			 s->kw.text);
		return -1;
	}
	if (m->tun_type != XVS_TUN_GUE && has_port) {
		conf_err(p, &s->kw, "'%s': a tunnel port is for type gue",
			 s->kw.text);
		return -1;
	}
	if (has_csum &&
	    (m->tun_type == XVS_TUN_IPIP || (m->tun_flags & XVS_TUN_F_REMCSUM &&
					     m->tun_type != XVS_TUN_GUE))) {
		conf_err(p, &s->kw,
			 "'%s': csum is for types gue and gre, remcsum for gue",
			 s->kw.text);
		return -1;
	}
	return 0;
bad:
	conf_err(p, &s->v[i], "bad tunnel option '%s' for '%s'", s->v[i].text,
		 s->kw.text);
	return -1;
}

int conf_method(struct conf_parser *p, const struct conf_stmt *s,
		struct xvs_conf_method *m)
{
	struct xvs_conf_method x = {.fwd = XVS_FWD_NAT};
	const char *v = s->v[0].text;

	if (!strcasecmp(v, "NAT") || !strcasecmp(v, "DR")) {
		x.fwd = !strcasecmp(v, "DR") ? XVS_FWD_DR : XVS_FWD_NAT;
		if (s->n > 1) {
			conf_err(p, &s->v[1],
				 "tunnel options are for '%s' TUN only",
				 s->kw.text);
			return -1;
		}
	} else if (!strcasecmp(v, "TUN")) {
		x.fwd = XVS_FWD_TUN;
		if (tun_options(p, s, &x))
			return -1;
	} else {
		conf_err(p, &s->v[0],
			 "bad value '%s' for '%s' (NAT, DR or TUN)", v,
			 s->kw.text);
		return -1;
	}
	*m = x;
	return 0;
}
