// SPDX-License-Identifier: GPL-2.0
/*
 * DNS_CHECK against a loopback UDP peer: the query on the wire, a good
 * reply (also with the name in other case, and with no answers), stray
 * datagrams before the reply (another id, a query, a runt) that must be
 * ignored, an error RCODE, a reply to another question, silence, a
 * refused port, and names the configuration cannot encode.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_peer.h"
#include "test.h"

enum dns_mode {
	DNS_ANSWER,  /* a reply to the query, ANCOUNT 1 */
	DNS_EMPTY,   /* a reply without answers */
	DNS_UPPER,   /* the question echoed in upper case */
	DNS_STRAY,   /* a runt, a query, another id, then the answer */
	DNS_RCODE,   /* NXDOMAIN */
	DNS_OTHER_Q, /* a reply for another name */
	DNS_SILENT,  /* nothing */
};

struct dns_peer {
	enum dns_mode mode;
	unsigned char query[512];
	size_t qlen;
};

static void reply(int fd, const struct sockaddr_storage *to, socklen_t tolen,
		  const unsigned char *buf, size_t len)
{
	sendto(fd, buf, len, 0, (const struct sockaddr *)to, tolen);
}

static void dns_serve(struct peer *p, int fd)
{
	struct dns_peer *dp = p->arg;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	unsigned char r[600];
	ssize_t n;
	size_t len;

	n = recvfrom(fd, dp->query, sizeof(dp->query), 0,
		     (struct sockaddr *)&from, &flen);
	if (n < 12)
		return;
	dp->qlen = (size_t)n;
	memcpy(r, dp->query, dp->qlen);
	len = dp->qlen;
	r[2] |= 0x80; /* QR */
	r[3] = 0x80;  /* RA, NOERROR */
	switch (dp->mode) {
	case DNS_ANSWER:
	case DNS_STRAY: {
		/* one A record: pointer to the question's name */
		static const unsigned char rr[] = {
			0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 18, 0, 1};
		memcpy(r + len, rr, sizeof(rr));
		len += sizeof(rr);
		r[7] = 1;
		break;
	}
	case DNS_UPPER:
		for (size_t i = 12; i < len - 4; i++)
			r[i] = (unsigned char)toupper(r[i]);
		break;
	case DNS_RCODE:
		r[3] |= 3;
		break;
	case DNS_OTHER_Q:
		r[len - 5 - 1] ^= 0x01; /* a letter of the last label */
		break;
	case DNS_EMPTY:
		break;
	case DNS_SILENT:
		return;
	}
	if (dp->mode == DNS_STRAY) {
		unsigned char stray[600];

		reply(fd, &from, flen, r, 5); /* a runt */
		memcpy(stray, dp->query, dp->qlen);
		reply(fd, &from, flen, stray, dp->qlen); /* QR clear */
		memcpy(stray, r, len);
		stray[1] ^= 0x5a; /* another id, and an error if taken */
		stray[3] |= 3;
		reply(fd, &from, flen, stray, len);
		usleep(20000); /* the checker sees them first */
	}
	reply(fd, &from, flen, r, len);
}

struct dns_case {
	const char *what;
	enum dns_mode mode;
	int up;
	const char *reason;
};

static const struct dns_case dns_cases[] = {
	{"answer", DNS_ANSWER, 1, "DNS rcode 0, 1 answers"},
	{"no answers", DNS_EMPTY, 1, "DNS rcode 0, 0 answers"},
	{"question in upper case", DNS_UPPER, 1, "DNS rcode 0, 0 answers"},
	{"stray datagrams first", DNS_STRAY, 1, "DNS rcode 0, 1 answers"},
	{"NXDOMAIN", DNS_RCODE, 0, "DNS rcode 3 (NXDOMAIN)"},
	{"another question", DNS_OTHER_Q, 0,
	 "DNS reply does not echo the question"},
	{"silent", DNS_SILENT, 0, "timeout after 300 ms"},
};

TEST(check_dns_replies)
{
	static const unsigned char
		want_q[] =
			{
				0x01, 0x00, 0,	 1,   0,   0,	0,
				0,    0,    0, /* header after the id */
				3,    'w',  'w', 'w', 7,   'e', 'x',
				'a',  'm',  'p', 'l', 'e', 3,	'c',
				'o',  'm',  0,	 0,   1,   0,	1, /* A IN */
			};
	char err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));
	struct dns_peer dp = {0};
	struct xvs_conf_checker cf;
	struct peer p;
	int ran;

	CHECK(loop && !peer_start(&p, AF_INET6, SOCK_DGRAM, dns_serve, &dp),
	      "setup");
	peer_conf(&cf, XVS_CHECK_DNS);
	cf.connect_timeout_ms = 300;
	cf.dns_name = "www.example.com";
	cf.dns_type = 1;
	for (size_t i = 0; i < sizeof(dns_cases) / sizeof(*dns_cases); i++) {
		const struct dns_case *dc = &dns_cases[i];
		struct xvs_check_target t = peer_target(AF_INET6, p.port);
		struct recorder rec = {0};
		struct xvs_check *c;

		dp.mode = dc->mode;
		c = start_check(loop, &cf, &t, !dc->up, &rec);
		ran = run_loop(loop, 3000);
		CHECK(c && ran && rec.up == dc->up &&
			      !strcmp(rec.reason, dc->reason),
		      "%s: up %d '%s', want up %d '%s'", dc->what, rec.up,
		      rec.reason, dc->up, dc->reason);
		xvs_check_stop(c);
	}
	CHECK(dp.qlen == 2 + sizeof(want_q) &&
		      !memcmp(dp.query + 2, want_q, sizeof(want_q)),
	      "the query: %zu bytes", dp.qlen);
	peer_stop(&p);
	xvs_loop_free(loop);
}

/* keepalived's default: SOA for the root; ids differ between attempts. */
TEST(check_dns_default_query)
{
	static const unsigned char want_q[] = {0, 0, 6, 0, 1};
	char err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));
	struct dns_peer dp = {.mode = DNS_ANSWER};
	struct xvs_conf_checker cf;
	struct xvs_check_target t;
	struct recorder rec = {0};
	unsigned char id[2] = {0};
	int ids_differ = 0, ran;
	struct xvs_check *c;
	struct peer p;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_DGRAM, dns_serve, &dp),
	      "setup");
	peer_conf(&cf, XVS_CHECK_DNS);
	t = peer_target(AF_INET, p.port);
	for (int i = 0; i < 4; i++) {
		rec.reports = 0;
		c = start_check(loop, &cf, &t, 0, &rec);
		ran = run_loop(loop, 3000);
		CHECK(c && ran && rec.up, "up: '%s'", rec.reason);
		xvs_check_stop(c);
		CHECK(dp.qlen == 12 + sizeof(want_q) &&
			      !memcmp(dp.query + 12, want_q, sizeof(want_q)),
		      "SOA query for '.': %zu bytes", dp.qlen);
		ids_differ |= i && memcmp(id, dp.query, 2);
		memcpy(id, dp.query, 2);
	}
	CHECK(ids_differ, "query ids change");
	peer_stop(&p);

	/* nobody listens: the ICMP error arrives as "refused" */
	t = peer_target(AF_INET, p.port);
	c = start_check(loop, &cf, &t, 1, &rec);
	ran = run_loop(loop, 3000);
	CHECK(c && ran && !rec.up && !strcmp(rec.reason, "connection refused"),
	      "refused: '%s'", rec.reason);
	xvs_check_stop(c);

	cf.dns_name = "a..example.com";
	CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec, err,
			       sizeof(err)) &&
		      strstr(err, "DNS name `a..example.com'"),
	      "an empty label: '%s'", err);
	cf.dns_name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaa"
		      ".com";
	CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec, err,
			       sizeof(err)),
	      "a label over 63 bytes: '%s'", err);
	xvs_loop_free(loop);
}
