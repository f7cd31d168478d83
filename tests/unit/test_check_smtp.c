// SPDX-License-Identifier: GPL-2.0
/*
 * SMTP_CHECK against a loopback peer: the dialogue on the wire, multi-line
 * replies, a wrong greeting, HELO or QUIT reply, garbage, mixed codes in
 * one reply, a silent server, one that closes early or never ends a line,
 * and a refused connection.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_peer.h"
#include "test.h"

struct smtp_peer {
	const char *greeting, *helo_reply, *quit_reply; /* NULL: close */
	char heard[512]; /* what the client sent */
};

static void smtp_serve(struct peer *p, int fd)
{
	struct smtp_peer *sp = p->arg;
	const char *replies[] = {sp->helo_reply, sp->quit_reply};

	sp->heard[0] = '\0';
	if (!sp->greeting)
		return;
	if (!strcmp(sp->greeting, "silent")) {
		peer_read_request(p, fd, "\n"); /* until the client gives up */
		return;
	}
	peer_write(fd, sp->greeting);
	for (int i = 0; i < 2 && replies[i]; i++) {
		peer_read_request(p, fd, "\n");
		snprintf(sp->heard + strlen(sp->heard),
			 sizeof(sp->heard) - strlen(sp->heard), "%.*s",
			 (int)p->req_len, p->req);
		peer_write(fd, replies[i]);
	}
	peer_read_request(p, fd, "\n"); /* until the client closes */
}

struct smtp_case {
	const char *what, *greeting, *helo_reply, *quit_reply;
	int up;
	const char *reason;
};

static const struct smtp_case smtp_cases[] = {
	{"dialogue", "220 mx.test ESMTP\r\n", "250 mx.test\r\n", "221 bye\r\n",
	 1, "SMTP HELO accepted"},
	{"multi-line replies", "220-mx.test ESMTP\r\n220-no UCE\r\n220 ok\r\n",
	 "250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n", "221 bye\r\n", 1,
	 "SMTP HELO accepted"},
	{"bare LF and a code alone", "220\n", "250\n", "221\n", 1,
	 "SMTP HELO accepted"},
	{"greeting 554", "554 go away\r\n", NULL, NULL, 0,
	 "SMTP greeting answered 554, expected 220"},
	{"HELO 501", "220 mx\r\n", "501 syntax\r\n", NULL, 0,
	 "SMTP HELO answered 501, expected 250"},
	{"QUIT 500", "220 mx\r\n", "250 mx\r\n", "500 what\r\n", 0,
	 "SMTP QUIT answered 500, expected 221"},
	{"garbage", "SSH-2.0-OpenSSH_9.2\r\n", NULL, NULL, 0,
	 "malformed SMTP greeting reply"},
	{"mixed codes", "220-mx\r\n250 ok\r\n", NULL, NULL, 0,
	 "malformed SMTP greeting reply"},
	{"closed after the greeting", "220 mx\r\n", NULL, NULL, 0,
	 "connection closed before the SMTP HELO reply"},
	{"closed at once", NULL, NULL, NULL, 0,
	 "connection closed before the SMTP greeting reply"},
	{"silent", "silent", NULL, NULL, 0, "timeout after 500 ms"},
};

TEST(check_smtp_dialogue)
{
	char err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));
	struct smtp_peer sp = {0};
	struct xvs_conf_checker cf;
	struct peer p;
	int ran;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, smtp_serve, &sp),
	      "setup");
	peer_conf(&cf, XVS_CHECK_SMTP);
	cf.connect_timeout_ms = 500;
	cf.helo_name = "checker.test";
	for (size_t i = 0; i < sizeof(smtp_cases) / sizeof(*smtp_cases); i++) {
		const struct smtp_case *sc = &smtp_cases[i];
		struct xvs_check_target t = peer_target(AF_INET, p.port);
		struct recorder rec = {0};
		struct xvs_check *c;

		sp.greeting = sc->greeting;
		sp.helo_reply = sc->helo_reply;
		sp.quit_reply = sc->quit_reply;
		c = start_check(loop, &cf, &t, !sc->up, &rec);
		ran = run_loop(loop, 3000);
		CHECK(c && ran && rec.up == sc->up &&
			      !strcmp(rec.reason, sc->reason),
		      "%s: up %d '%s', want up %d '%s'", sc->what, rec.up,
		      rec.reason, sc->up, sc->reason);
		xvs_check_stop(c);
		if (i == 0)
			CHECK(!strcmp(sp.heard,
				      "HELO checker.test\r\nQUIT\r\n"),
			      "the client said: '%s'", sp.heard);
	}
	peer_stop(&p);
	xvs_loop_free(loop);
}

/* A greeting that never ends its line; a refused connection; a HELO name
 * that would break the dialogue. */
static void endless_line(struct peer *p, int fd)
{
	static char x[4096];

	memset(x, 'x', sizeof(x));
	for (int i = 0; i < 64 && !p->stop; i++)
		if (send(fd, x, sizeof(x), MSG_NOSIGNAL) <= 0)
			break;
}

TEST(check_smtp_hostile)
{
	char err[256];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));
	struct xvs_conf_checker cf;
	struct xvs_check_target t;
	struct recorder rec = {0};
	struct xvs_check *c;
	struct peer p;
	int ran;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, endless_line, NULL),
	      "setup");
	peer_conf(&cf, XVS_CHECK_SMTP);
	t = peer_target(AF_INET, p.port);
	c = start_check(loop, &cf, &t, 1, &rec);
	ran = run_loop(loop, 3000);
	CHECK(c && ran && !rec.up &&
		      !strcmp(rec.reason, "SMTP reply over 4095 bytes"),
	      "endless line: '%s'", rec.reason);
	xvs_check_stop(c);
	peer_stop(&p);

	t = peer_target(AF_INET6, peer_closed_port(AF_INET6));
	c = start_check(loop, &cf, &t, 1, &rec);
	ran = run_loop(loop, 3000);
	CHECK(c && ran && !rec.up && !strcmp(rec.reason, "connection refused"),
	      "refused: '%s'", rec.reason);
	xvs_check_stop(c);

	cf.helo_name = "a b";
	CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec, err,
			       sizeof(err)) &&
		      strstr(err, "helo_name `a b'"),
	      "a space in helo_name: '%s'", err);
	xvs_loop_free(loop);
}
