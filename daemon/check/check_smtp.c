// SPDX-License-Identifier: GPL-2.0
/*
 * SMTP_CHECK: keepalived's dialogue. The server's greeting must be 220,
 * "HELO helo_name" must get 250, and "QUIT" 221; anything else, a reply
 * that is not SMTP, or the connection closing early fails the check.
 * Replies may span lines ("250-first", "250 last"); every line of one
 * reply carries the same code. A reply is kept up to 4 KiB.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_stream.h"

#define SMTP_MAX_REPLY 4096

enum smtp_step {
	SMTP_GREETING = 0, /* waiting for 220 */
	SMTP_HELO,	   /* HELO sent, waiting for 250 */
	SMTP_QUIT,	   /* QUIT sent, waiting for 221 */
};

static const struct {
	int code;	  /* the reply this step needs */
	const char *what; /* what it answers, for the reason */
} smtp_steps[] = {
	[SMTP_GREETING] = {220, "greeting"},
	[SMTP_HELO] = {250, "HELO"},
	[SMTP_QUIT] = {221, "QUIT"},
};

struct smtp_check {
	struct check_stream stream;
	struct xvs_check *check;
	char helo[300]; /* "HELO name\r\n" */
	enum smtp_step step;
	char reply[SMTP_MAX_REPLY];
	size_t len;  /* bytes in reply */
	size_t line; /* where the line being read starts */
};

/* One complete line of reply (at s->reply + s->line, ending in '\n'):
 * 0 while more lines follow, the reply's code after its last line, -1 if
 * the line is not SMTP. */
static int smtp_line(const struct smtp_check *s)
{
	const char *p = s->reply + s->line;

	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]))
		return -1;
	if (s->line && strncmp(p, s->reply, 3))
		return -1; /* a reply's lines all carry its code */
	if (p[3] == '-')
		return 0;
	if (p[3] != ' ' && p[3] != '\r' && p[3] != '\n')
		return -1;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* A complete reply with code: the next step, or the end. */
static int smtp_reply(struct smtp_check *s, int code)
{
	if (code != smtp_steps[s->step].code) {
		check_attempt_end(s->check, 0, -1,
				  "SMTP %s answered %d, expected %d",
				  smtp_steps[s->step].what, code,
				  smtp_steps[s->step].code);
		return 1;
	}
	s->len = s->line = 0;
	switch (s->step) {
	case SMTP_GREETING:
		s->step = SMTP_HELO;
		check_stream_send(&s->stream, s->helo, strlen(s->helo));
		return 1;
	case SMTP_HELO:
		s->step = SMTP_QUIT;
		check_stream_send(&s->stream, "QUIT\r\n", 6);
		return 1;
	case SMTP_QUIT:
		break;
	}
	check_attempt_end(s->check, 1, -1, "SMTP HELO accepted");
	return 1;
}

static int smtp_data(struct check_stream *st, const char *buf, size_t len)
{
	struct smtp_check *s = st->owner;
	char *nl;

	if (!len) {
		check_attempt_end(s->check, 0, -1,
				  "connection closed before the SMTP %s reply",
				  smtp_steps[s->step].what);
		return 1;
	}
	if (len > sizeof(s->reply) - 1 - s->len) {
		check_attempt_end(s->check, 0, -1, "SMTP reply over %u bytes",
				  SMTP_MAX_REPLY - 1);
		return 1;
	}
	memcpy(s->reply + s->len, buf, len);
	s->len += len;
	s->reply[s->len] = '\0';
	while ((nl = memchr(s->reply + s->line, '\n', s->len - s->line))) {
		int code = smtp_line(s);

		if (code < 0) {
			check_attempt_end(s->check, 0, -1,
					  "malformed SMTP %s reply",
					  smtp_steps[s->step].what);
			return 1;
		}
		if (code)
			return smtp_reply(s, code);
		s->line = (size_t)(nl + 1 - s->reply);
	}
	return 0;
}

static void smtp_ready(struct check_stream *st)
{
	check_stream_read(st); /* the server speaks first */
}

static const struct check_stream_handler smtp_handler = {
	.ready = smtp_ready,
	.data = smtp_data,
};

static void smtp_begin(struct xvs_check *c)
{
	struct smtp_check *s = check_priv(c);

	s->step = SMTP_GREETING;
	s->len = s->line = 0;
	check_stream_open(&s->stream, c, NULL, NULL, &smtp_handler, s);
}

static void smtp_close(struct xvs_check *c)
{
	struct smtp_check *s = check_priv(c);

	check_stream_close(&s->stream);
}

static int smtp_init(struct xvs_check *c, char *err, size_t errlen)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(c);
	struct smtp_check *s = check_priv(c);
	char host[256] = "localhost";
	const char *name = cf->helo_name;
	int n;

	s->check = c;
	if (!name) {
		gethostname(host, sizeof(host) - 1);
		name = host;
	}
	for (const char *p = name; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			snprintf(err, errlen,
				 "%s:%d: helo_name `%s': a space or a control "
				 "character",
				 cf->where.file, cf->where.line, name);
			return -1;
		}
	}
	n = snprintf(s->helo, sizeof(s->helo), "HELO %s\r\n", name);
	if (n < 0 || (size_t)n >= sizeof(s->helo)) {
		snprintf(err, errlen, "%s:%d: helo_name is too long",
			 cf->where.file, cf->where.line);
		return -1;
	}
	return 0;
}

const struct xvs_check_ops check_smtp_ops = {
	.name = "SMTP_CHECK",
	.priv_size = sizeof(struct smtp_check),
	.init = smtp_init,
	.begin = smtp_begin,
	.close = smtp_close,
};
