// SPDX-License-Identifier: GPL-2.0
/*
 * The keepalived.conf reader's checkers: every checker's keywords and
 * defaults, the timers inherited checker > real server > virtual server >
 * keepalived's defaults, and copying and comparing a checker.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "test_conf.h"

/* One checker block in a real server of a virtual server. */
static struct xvs_conf *one_checker(const char *vs_lines, const char *rs_lines,
				    const char *checker, struct tc_msgs *msgs)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "virtual_server 198.18.0.100 80 {\n%s\n"
		 "real_server 198.18.0.11 80 {\n%s\n%s\n}\n}\n",
		 vs_lines, rs_lines, checker);
	return tc_parse(text, msgs);
}

/* The same with the checker block made of fmt and its lines. */
static struct xvs_conf *checker_with(const char *vs_lines, const char *rs_lines,
				     const char *fmt, const char *lines,
				     struct tc_msgs *msgs)
{
	char block[512];

	snprintf(block, sizeof(block), fmt, lines);
	return one_checker(vs_lines, rs_lines, block, msgs);
}

static int timers_are(const struct xvs_conf_checker *ck, unsigned delay_loop,
		      unsigned connect_timeout, unsigned retry,
		      unsigned before_retry, unsigned warmup)
{
	return ck->delay_loop_ms == delay_loop &&
	       ck->connect_timeout_ms == connect_timeout &&
	       ck->retry == retry &&
	       ck->delay_before_retry_ms == before_retry &&
	       ck->warmup_ms == warmup;
}

/* keepalived's defaults by checker type. */
TEST(conf_checker_defaults)
{
	static const struct {
		const char *block;
		enum xvs_check_type type;
		unsigned delay_loop, connect_timeout, retry, before_retry;
	} cases[] = {
		{"TCP_CHECK {\n}", XVS_CHECK_TCP, 60000, 5000, 1, 1000},
		{"HTTP_GET {\nurl {\n}\n}", XVS_CHECK_HTTP, 60000, 5000, 1,
		 3000},
		{"SSL_GET {\nurl {\n}\n}", XVS_CHECK_SSL, 60000, 5000, 1, 3000},
		{"MISC_CHECK {\nmisc_path /bin/true\n}", XVS_CHECK_MISC, 60000,
		 5000, 0, 1000},
		{"SMTP_CHECK {\n}", XVS_CHECK_SMTP, 60000, 5000, 1, 1000},
		{"DNS_CHECK {\n}", XVS_CHECK_DNS, 60000, 5000, 3, 1000},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tc_msgs msgs;
		struct xvs_conf *c = one_checker("", "", cases[i].block, &msgs);
		struct xvs_conf_checker *ck = tc_ck(c, 0, 0, 0);

		CHECK(ck && !msgs.total && ck->type == cases[i].type &&
			      timers_are(ck, cases[i].delay_loop,
					 cases[i].connect_timeout,
					 cases[i].retry, cases[i].before_retry,
					 cases[i].delay_loop) &&
			      ck->connect_af == 0 && ck->connect_port == 0 &&
			      ck->bind_af == 0 && ck->bind_port == 0 &&
			      !ck->next,
		      "%s: %s", cases[i].block, tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* Each timer from the innermost level that gives it. */
TEST(conf_timer_inheritance)
{
	static const struct {
		const char *vs, *rs, *ck;
		unsigned delay_loop, connect_timeout, retry, before_retry,
			warmup;
	} cases[] = {
		{"delay_loop 6", "", "", 6000, 5000, 1, 1000, 6000},
		{"delay_loop 6", "delay_loop 4", "", 4000, 5000, 1, 1000, 4000},
		{"delay_loop 6", "delay_loop 4", "delay_loop 2", 2000, 5000, 1,
		 1000, 2000},
		{"", "", "delay_loop 0.5", 500, 5000, 1, 1000, 500},
		{"delay_loop 1.25", "", "", 1250, 5000, 1, 1000, 1250},
		{"connect_timeout 3", "", "", 60000, 3000, 1, 1000, 60000},
		{"connect_timeout 3", "connect_timeout 2", "", 60000, 2000, 1,
		 1000, 60000},
		{"connect_timeout 3", "", "connect_timeout 0.1", 60000, 100, 1,
		 1000, 60000},
		{"retry 4", "", "", 60000, 5000, 4, 1000, 60000},
		{"retry 4", "retry 0", "", 60000, 5000, 0, 1000, 60000},
		{"retry 4", "retry 5", "nb_get_retry 6", 60000, 5000, 6, 1000,
		 60000},
		{"nb_get_retry 2", "", "", 60000, 5000, 2, 1000, 60000},
		{"delay_before_retry 2", "", "", 60000, 5000, 1, 2000, 60000},
		{"", "delay_before_retry 0", "", 60000, 5000, 1, 0, 60000},
		{"", "", "delay_before_retry 0.75", 60000, 5000, 1, 750, 60000},
		{"warmup 10", "", "", 60000, 5000, 1, 1000, 10000},
		{"delay_loop 8", "warmup 0", "", 8000, 5000, 1, 1000, 0},
		{"", "", "warmup 3\ndelay_loop 2", 2000, 5000, 1, 1000, 3000},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tc_msgs msgs;
		struct xvs_conf *c =
			checker_with(cases[i].vs, cases[i].rs,
				     "TCP_CHECK {\n%s\n}", cases[i].ck, &msgs);
		struct xvs_conf_checker *ck = tc_ck(c, 0, 0, 0);

		CHECK(ck && !msgs.total &&
			      timers_are(ck, cases[i].delay_loop,
					 cases[i].connect_timeout,
					 cases[i].retry, cases[i].before_retry,
					 cases[i].warmup),
		      "vs '%s' rs '%s' ck '%s': %u %u %u %u %u %s", cases[i].vs,
		      cases[i].rs, cases[i].ck, ck ? ck->delay_loop_ms : 0,
		      ck ? ck->connect_timeout_ms : 0, ck ? ck->retry : 0,
		      ck ? ck->delay_before_retry_ms : 0,
		      ck ? ck->warmup_ms : 0, tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* A virtual server's timers given after its real servers count too, and
 * each real server keeps its own. */
TEST(conf_timer_order_and_scope)
{
	struct tc_msgs msgs;
	struct xvs_conf *c = tc_parse(
		"virtual_server 198.18.0.100 80 {\n"
		"  real_server 198.18.0.11 80 {\n"
		"    delay_loop 3\n"
		"    TCP_CHECK {\n    }\n"
		"    MISC_CHECK {\n      misc_path /bin/true\n      retry 2\n"
		"    }\n"
		"  }\n"
		"  real_server 198.18.0.12 80 {\n"
		"    TCP_CHECK {\n    }\n"
		"  }\n"
		"  delay_loop 7\n"
		"  retry 5\n"
		"}\n",
		&msgs);
	struct xvs_conf_checker *a = tc_ck(c, 0, 0, 0), *m = tc_ck(c, 0, 0, 1),
				*b = tc_ck(c, 0, 1, 0);

	CHECK(a && m && b && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!a || !m || !b)
		goto out;
	CHECK(a->delay_loop_ms == 3000 && a->retry == 5, "first: %u %u",
	      a->delay_loop_ms, a->retry);
	CHECK(m->type == XVS_CHECK_MISC && m->delay_loop_ms == 3000 &&
		      m->retry == 2 && m->misc_timeout_ms == 3000,
	      "misc: %u %u %u", m->delay_loop_ms, m->retry, m->misc_timeout_ms);
	CHECK(b->delay_loop_ms == 7000 && b->retry == 5, "second: %u %u",
	      b->delay_loop_ms, b->retry);
out:
	xvs_conf_free(c);
}

static int digest_is(const unsigned char *d, const char *hex)
{
	char buf[33];

	for (int i = 0; i < 16; i++)
		snprintf(buf + 2 * i, 3, "%02x", d[i]);
	return !strcasecmp(buf, hex);
}

TEST(conf_http_checker)
{
	struct tc_msgs msgs;
	struct xvs_conf *c =
		one_checker("virtualhost www.example.org", "",
			    "SSL_GET {\n"
			    "  url {\n"
			    "    path /healthz\n"
			    "    digest 9B3A0C85A887A256D6939DA88AABD8CD\n"
			    "    status_code 200-299 301 302\n"
			    "    status_code 404\n"
			    "    virtualhost status.example.org\n"
			    "  }\n"
			    "  url {\n"
			    "  }\n"
			    "  url { path /b\n status_code 500-599 }\n"
			    "  http_protocol 1.1\n"
			    "  enable_sni\n"
			    "  connect_ip 198.18.0.21\n"
			    "  connect_port 8443\n"
			    "  bindto 2001:db8::5\n"
			    "  bind_port 4000\n"
			    "}\n"
			    "HTTP_GET {\n"
			    "  url { path / }\n"
			    "  virtualhost own.example.org\n"
			    "  http_protocol 1.0C\n"
			    "}\n"
			    "HTTP_GET {\n"
			    "  url { path / }\n"
			    "  http_protocol 1.0K\n"
			    "}",
			    &msgs);
	struct xvs_conf_checker *ssl = tc_ck(c, 0, 0, 0),
				*own = tc_ck(c, 0, 0, 1),
				*k = tc_ck(c, 0, 0, 2);
	struct xvs_conf_url *u = ssl ? ssl->urls : NULL;

	CHECK(ssl && own && k && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!ssl || !own || !k)
		goto out;
	CHECK(ssl->type == XVS_CHECK_SSL && ssl->http_protocol == 11 &&
		      ssl->enable_sni == 1,
	      "SSL_GET");
	CHECK(ssl->connect_af == XVS_AF_INET &&
		      ssl->connect_ip.v4 == inet_addr("198.18.0.21") &&
		      ssl->connect_port == 8443,
	      "connect_ip, connect_port");
	CHECK(ssl->bind_af == XVS_AF_INET6 && ssl->bind_port == 4000 &&
		      ssl->bindto.bytes[0] == 0x20 &&
		      ssl->bindto.bytes[15] == 5,
	      "bindto, bind_port");
	/* the virtual server's virtualhost is the checker's default */
	CHECK(ssl->virtualhost && !strcmp(ssl->virtualhost, "www.example.org"),
	      "checker virtualhost %s", ssl->virtualhost);
	CHECK(u && !strcmp(u->path, "/healthz") && u->has_digest &&
		      digest_is(u->digest,
				"9b3a0c85a887a256d6939da88aabd8cd") &&
		      u->virtualhost &&
		      !strcmp(u->virtualhost, "status.example.org"),
	      "url 1");
	CHECK(u && u->n_status == 4 && u->status[0].lo == 200 &&
		      u->status[0].hi == 299 && u->status[1].lo == 301 &&
		      u->status[1].hi == 301 && u->status[2].lo == 302 &&
		      u->status[3].lo == 404 && u->status[3].hi == 404,
	      "url 1 status codes (%d)", u ? u->n_status : -1);
	u = u ? u->next : NULL;
	/* defaults: path "/", status 200-299, no digest, no virtualhost */
	CHECK(u && !strcmp(u->path, "/") && u->n_status == 1 &&
		      u->status[0].lo == 200 && u->status[0].hi == 299 &&
		      !u->has_digest && !u->virtualhost,
	      "url 2 defaults");
	u = u ? u->next : NULL;
	CHECK(u && !strcmp(u->path, "/b") && u->n_status == 1 &&
		      u->status[0].lo == 500 && u->status[0].hi == 599 &&
		      !u->next,
	      "url 3 across lines");
	CHECK(own->type == XVS_CHECK_HTTP && own->http_protocol == 10 &&
		      !strcmp(own->virtualhost, "own.example.org") &&
		      own->enable_sni == 0,
	      "HTTP_GET");
	CHECK(k->http_protocol == 10, "1.0K is HTTP/1.0");
out:
	xvs_conf_free(c);
}

TEST(conf_misc_smtp_dns_checkers)
{
	struct tc_msgs msgs;
	struct xvs_conf *c = one_checker(
		"", "virtualhost ignored.example.org",
		"MISC_CHECK {\n"
		"  misc_path \"/usr/local/bin/check.sh --host 198.18.0.11\"\n"
		"  misc_timeout 2.5\n"
		"  misc_dynamic\n"
		"}\n"
		"MISC_CHECK {\n"
		"  misc_path /bin/sh -c 'exit 0'\n"
		"  delay_loop 4\n"
		"}\n"
		"SMTP_CHECK {\n"
		"  helo_name mail.example.org\n"
		"}\n"
		"SMTP_CHECK {\n"
		"}\n"
		"DNS_CHECK {\n"
		"  type aaaa\n"
		"  name www.example.org\n"
		"  connect_port 5353\n"
		"}\n"
		"DNS_CHECK {\n"
		"}",
		&msgs);
	struct xvs_conf_checker *m1 = tc_ck(c, 0, 0, 0),
				*m2 = tc_ck(c, 0, 0, 1),
				*s1 = tc_ck(c, 0, 0, 2),
				*s2 = tc_ck(c, 0, 0, 3),
				*d1 = tc_ck(c, 0, 0, 4),
				*d2 = tc_ck(c, 0, 0, 5);
	char host[256] = "";

	CHECK(d2 && !d2->next && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!d2)
		goto out;
	CHECK(!strcmp(m1->misc_path,
		      "/usr/local/bin/check.sh --host 198.18.0.11") &&
		      m1->misc_timeout_ms == 2500 && m1->misc_dynamic == 1,
	      "MISC_CHECK 1: '%s' %u", m1->misc_path, m1->misc_timeout_ms);
	CHECK(!strcmp(m2->misc_path, "/bin/sh -c 'exit 0'") &&
		      m2->misc_timeout_ms == 4000 && !m2->misc_dynamic &&
		      !m2->virtualhost,
	      "MISC_CHECK 2: '%s' timeout %u", m2->misc_path,
	      m2->misc_timeout_ms);
	CHECK(!strcmp(s1->helo_name, "mail.example.org"), "helo_name");
	gethostname(host, sizeof(host) - 1);
	CHECK(s2->helo_name &&
		      (!strcmp(s2->helo_name, host) ||
		       (!host[0] && !strcmp(s2->helo_name, "localhost"))),
	      "default helo_name '%s', host '%s'", s2->helo_name, host);
	CHECK(d1->dns_type == 28 && !strcmp(d1->dns_name, "www.example.org") &&
		      d1->connect_port == 5353,
	      "DNS_CHECK 1");
	CHECK(d2->dns_type == 6 && !strcmp(d2->dns_name, "."), "DNS defaults");
out:
	xvs_conf_free(c);
}

/* A checker connects to the real server's port unless connect_port
 * says otherwise, as keepalived: SMTP_CHECK and DNS_CHECK have no port
 * of their own (25, 53). A real server without a port (fwmark) needs
 * connect_port in every checker but MISC_CHECK (test_conf_errors.c). */
TEST(conf_checker_port)
{
	static const char *const blocks[] = {
		"SMTP_CHECK {\n}",
		"DNS_CHECK {\n}",
		"TCP_CHECK {\n}",
		"HTTP_GET {\nurl {\n}\n}",
	};
	struct tc_msgs msgs;
	struct xvs_conf *c;
	struct xvs_conf_checker *ck;

	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		c = one_checker("", "", blocks[i], &msgs);
		ck = tc_ck(c, 0, 0, 0);
		CHECK(ck && !msgs.total && ck->connect_port == 0 &&
			      c->vs->rs->port == 80,
		      "%s: the real server's port 80: %s", blocks[i],
		      tc_dump(&msgs));
		xvs_conf_free(c);
	}
	c = tc_parse("virtual_server fwmark 1 {\n"
		     "real_server 198.18.0.11 {\n"
		     "SMTP_CHECK {\nconnect_port 2525\n}\n"
		     "MISC_CHECK {\nmisc_path /bin/true\n}\n"
		     "}\n}\n",
		     &msgs);
	ck = tc_ck(c, 0, 0, 0);
	CHECK(ck && !msgs.total && c->vs->rs->port == 0 &&
		      ck->connect_port == 2525 && ck->next,
	      "fwmark: connect_port, and MISC_CHECK needs none: %s",
	      tc_dump(&msgs));
	xvs_conf_free(c);
}

/* An HTTP checker's Host: its own, else its real server's, else its
 * virtual server's virtualhost. */
TEST(conf_virtualhost_inheritance)
{
	static const struct {
		const char *vs, *rs, *ck, *want;
	} cases[] = {
		{"", "", "", NULL},
		{"virtualhost v", "", "", "v"},
		{"virtualhost v", "virtualhost r", "", "r"},
		{"virtualhost v", "virtualhost r", "virtualhost c", "c"},
		{"", "virtualhost r", "", "r"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tc_msgs msgs;
		struct xvs_conf *c = checker_with(cases[i].vs, cases[i].rs,
						  "HTTP_GET {\nurl {\n}\n%s\n}",
						  cases[i].ck, &msgs);
		struct xvs_conf_checker *ck = tc_ck(c, 0, 0, 0);

		CHECK(ck && !msgs.total &&
			      (cases[i].want ? ck->virtualhost &&
						       !strcmp(ck->virtualhost,
							       cases[i].want)
					     : !ck->virtualhost),
		      "case %zu: '%s' %s", i, ck ? ck->virtualhost : "",
		      tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* keepalived's "user group" after a quoted script: the script alone. */
TEST(conf_script_user_ignored)
{
	struct tc_msgs msgs;
	struct xvs_conf *c = one_checker(
		"", "",
		"MISC_CHECK {\nmisc_path \"/bin/sh -c 'exit 0'\" root\n}",
		&msgs);
	struct xvs_conf_checker *ck = tc_ck(c, 0, 0, 0);

	CHECK(ck && ck->misc_path &&
		      !strcmp(ck->misc_path, "/bin/sh -c 'exit 0'") &&
		      msgs.warnings == 1 && !msgs.errors,
	      "misc_path '%s' %s", ck ? ck->misc_path : "", tc_dump(&msgs));
	xvs_conf_free(c);
}

/* Every DNS query type by name. */
TEST(conf_dns_types)
{
	static const struct {
		const char *name;
		unsigned short type;
	} cases[] = {{"A", 1},	 {"NS", 2},   {"CNAME", 5}, {"SOA", 6},
		     {"MX", 15}, {"TXT", 16}, {"AAAA", 28}, {"mx", 15}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tc_msgs msgs;
		struct xvs_conf *c =
			checker_with("", "", "DNS_CHECK {\ntype %s\n}",
				     cases[i].name, &msgs);
		struct xvs_conf_checker *ck = tc_ck(c, 0, 0, 0);

		CHECK(ck && ck->dns_type == cases[i].type, "type %s: %s",
		      cases[i].name, tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* A copy is equal and independent; every field a reload compares counts. */
TEST(conf_checker_dup_equal)
{
	struct tc_msgs msgs;
	struct xvs_conf *c = one_checker(
		"", "",
		"HTTP_GET {\n"
		"  url { path /a\n digest 00112233445566778899aabbccddeeff }\n"
		"  url { path /b\n status_code 200 301\n virtualhost v }\n"
		"  virtualhost h\n"
		"}\n"
		"MISC_CHECK { misc_path /bin/true }\n"
		"SMTP_CHECK { helo_name x }\n"
		"DNS_CHECK { name n }",
		&msgs);

	CHECK(tc_ck(c, 0, 0, 3), "parsed: %s", tc_dump(&msgs));
	for (int k = 0; k < 4 && c; k++) {
		struct xvs_conf_checker *ck = tc_ck(c, 0, 0, k);
		struct xvs_conf_checker *d = xvs_conf_checker_dup(ck);

		CHECK(d && xvs_conf_checker_equal(ck, d) && !d->next,
		      "checker %d: copy equal", k);
		if (!d)
			continue;
		CHECK((!ck->urls || d->urls != ck->urls) &&
			      (!ck->virtualhost ||
			       d->virtualhost != ck->virtualhost),
		      "checker %d: deep copy", k);
		d->where.line += 100; /* where is not compared */
		CHECK(xvs_conf_checker_equal(ck, d), "checker %d: where", k);
		d->delay_loop_ms++;
		CHECK(!xvs_conf_checker_equal(ck, d), "checker %d: delay_loop",
		      k);
		d->delay_loop_ms--;
		d->connect_port++;
		CHECK(!xvs_conf_checker_equal(ck, d), "checker %d: port", k);
		d->connect_port--;
		if (d->urls) {
			d->urls->next->status[1].hi++;
			CHECK(!xvs_conf_checker_equal(ck, d), "status code");
			d->urls->next->status[1].hi--;
			d->urls->digest[15] ^= 1;
			CHECK(!xvs_conf_checker_equal(ck, d), "digest");
			d->urls->digest[15] ^= 1;
			d->urls->next->path[1] = 'c';
			CHECK(!xvs_conf_checker_equal(ck, d), "path");
		}
		if (d->misc_path) {
			d->misc_dynamic = 1;
			CHECK(!xvs_conf_checker_equal(ck, d), "misc_dynamic");
		}
		if (d->dns_name) {
			d->dns_name[0] = 'm';
			CHECK(!xvs_conf_checker_equal(ck, d), "dns name");
		}
		xvs_conf_checker_free(d);
	}
	xvs_conf_checker_free(NULL);
	xvs_conf_free(c);
	xvs_conf_free(NULL);
}
