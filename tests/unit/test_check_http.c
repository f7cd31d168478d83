// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP_GET and SSL_GET against loopback peers: the request on the wire
 * (request line, Host from the url, the checker or the address, User-Agent,
 * HTTP/1.1's Connection: close), status ranges, MD5 digests, several urls,
 * and peers that refuse, stay silent, close early, send garbage, an
 * endless reply or an endless header. SSL_GET runs against an in-process
 * OpenSSL server with a certificate made here, which also shows the SNI
 * that arrived.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_peer.h"
#include "test.h"

enum http_mode {
	HTTP_REPLY,	   /* read the request, send reply, close */
	HTTP_SILENT,	   /* read the request, then nothing */
	HTTP_ENDLESS,	   /* a header, then body for ever */
	HTTP_HEAD_ENDLESS, /* a header that never ends */
	HTTP_BY_PATH,	   /* reply for /a, reply2 for anything else */
	HTTP_CLOSE,	   /* read the request, close */
	HTTP_FIRST,	   /* send reply at once, then close */
};

struct http_peer {
	enum http_mode mode;
	const char *reply, *reply2;
	SSL_CTX *tls;  /* a TLS server when set */
	int no_notify; /* TLS: close without close_notify */
	char sni[256]; /* the server name the client sent */
};

static const char hello_200[] = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n"
				"Server: test\r\n\r\nhello";
/* echo -n hello | md5sum */
static const unsigned char hello_md5[16] = {
	0x5d, 0x41, 0x40, 0x2a, 0xbc, 0x4b, 0x2a, 0x76,
	0xb9, 0x71, 0x9d, 0x91, 0x10, 0x17, 0xc5, 0x92,
};

static ssize_t tls_write(void *ctx, const char *buf, size_t len)
{
	return SSL_write(ctx, buf, (int)len);
}

static ssize_t tls_read(void *ctx, char *buf, size_t len)
{
	return SSL_read(ctx, buf, (int)len);
}

/* p->req gets the request (through TLS if any). */
static void read_request(struct peer *p, SSL *ssl, int fd)
{
	if (ssl)
		peer_read_with(p, tls_read, ssl, "\r\n\r\n");
	else
		peer_read_request(p, fd, "\r\n\r\n");
}

static int write_all(SSL *ssl, int fd, const char *s)
{
	return ssl ? peer_write_with(tls_write, ssl, s) : peer_write(fd, s);
}

static void http_serve(struct peer *p, int fd)
{
	struct http_peer *hp = p->arg;
	static char chunk[16385]; /* NUL-terminated */
	SSL *ssl = NULL;

	if (hp->tls) {
		const char *sni;

		ssl = SSL_new(hp->tls);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) != 1) {
			SSL_free(ssl);
			return;
		}
		sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
		snprintf(hp->sni, sizeof(hp->sni), "%s", sni ? sni : "");
	}
	if (hp->mode == HTTP_FIRST) {
		write_all(ssl, fd, hp->reply);
		shutdown(fd, SHUT_WR);
		peer_read_request(p, fd, "\r\n\r\n");
	} else {
		read_request(p, ssl, fd);
	}
	switch (hp->mode) {
	case HTTP_REPLY:
		write_all(ssl, fd, hp->reply);
		break;
	case HTTP_BY_PATH:
		write_all(ssl, fd,
			  !strncmp(p->req, "GET /a ", 7) ? hp->reply
							 : hp->reply2);
		break;
	case HTTP_SILENT:
		while (!p->stop && read(fd, chunk, sizeof(chunk) - 1) != 0 &&
		       !p->stop)
			;
		break;
	case HTTP_ENDLESS:
	case HTTP_HEAD_ENDLESS:
		memset(chunk, hp->mode == HTTP_ENDLESS ? 'x' : 'h',
		       sizeof(chunk) - 1);
		if (hp->mode == HTTP_ENDLESS)
			write_all(ssl, fd, "HTTP/1.0 200 OK\r\n\r\n");
		else
			write_all(ssl, fd, "HTTP/1.0 200 OK\r\nX-Long: ");
		/* bounded: 64 MiB, or until the checker closes */
		for (int i = 0; i < 4096 && !p->stop; i++)
			if (write_all(ssl, fd, chunk))
				break;
		break;
	case HTTP_CLOSE: /* after reading the request: no reset */
	case HTTP_FIRST:
		break;
	}
	if (ssl) {
		if (!hp->no_notify)
			SSL_shutdown(ssl);
		SSL_free(ssl);
	}
}

/* One check of type against a peer in mode; returns the recorder after
 * the first report (or 3 s). cf_edit may adjust the checker. */
struct http_case {
	const char *what;
	enum http_mode mode;
	const char *reply, *reply2;
	int up;		    /* the report wanted */
	const char *reason; /* its reason, or its start with a '*' after */
};

static struct xvs_conf_url url_a, url_b;

static void http_conf(struct xvs_conf_checker *cf, enum xvs_check_type type)
{
	peer_conf(cf, type);
	memset(&url_a, 0, sizeof(url_a));
	url_a.path = "/a";
	cf->urls = &url_a;
}

static int reason_is(const char *got, const char *want)
{
	size_t n = strlen(want);

	if (n && want[n - 1] == '*')
		return !strncmp(got, want, n - 1);
	return !strcmp(got, want);
}

static void run_case(struct xvs_loop *loop, const struct http_case *hc,
		     struct xvs_conf_checker *cf, struct http_peer *hp,
		     struct peer *p)
{
	int ran;
	struct xvs_check_target t;
	struct recorder rec = {0};
	struct xvs_check *c;

	hp->mode = hc->mode;
	hp->reply = hc->reply;
	hp->reply2 = hc->reply2;
	t = peer_target(AF_INET, p->port);
	c = start_check(loop, cf, &t, !hc->up, &rec);
	ran = run_loop(loop, 3000);
	CHECK(c && ran && rec.up == hc->up && reason_is(rec.reason, hc->reason),
	      "%s %s: %d reports, up %d '%s', want up %d '%s'",
	      cf->type == XVS_CHECK_SSL ? "SSL_GET" : "HTTP_GET", hc->what,
	      rec.reports, rec.up, rec.reason, hc->up, hc->reason);
	xvs_check_stop(c);
}

static const struct http_case http_cases[] = {
	{"200", HTTP_REPLY, hello_200, NULL, 1, "HTTP status 200"},
	{"500", HTTP_REPLY, "HTTP/1.1 500 Oops\r\n\r\n", NULL, 0,
	 "HTTP status 500 not in 200-299"},
	{"status without reason", HTTP_REPLY, "HTTP/1.0 204\r\n\r\n", NULL, 1,
	 "HTTP status 204"},
	{"silent", HTTP_SILENT, NULL, NULL, 0, "timeout after 500 ms"},
	{"closed without a reply", HTTP_CLOSE, NULL, NULL, 0,
	 "connection closed without a reply"},
	{"closed in the header", HTTP_REPLY, "HTTP/1.0 200 OK\r\nContent-Le",
	 NULL, 0, "HTTP reply ended in its header"},
	{"closed in the body", HTTP_REPLY,
	 "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", NULL, 0,
	 "HTTP body truncated: 10 of 100 bytes"},
	{"garbage", HTTP_REPLY, "SSH-2.0-OpenSSH_9.2\r\n\r\n", NULL, 0,
	 "malformed HTTP status line"},
	{"binary garbage", HTTP_REPLY, "\x01\x02\xff\xfe\n\n", NULL, 0,
	 "malformed HTTP status line"},
	{"four-digit status", HTTP_REPLY, "HTTP/1.0 2000 OK\r\n\r\n", NULL, 0,
	 "malformed HTTP status line"},
	{"bad Content-Length", HTTP_REPLY,
	 "HTTP/1.0 200 OK\r\nContent-Length: 12x\r\n\r\n", NULL, 0,
	 "malformed Content-Length"},
	{"endless reply", HTTP_ENDLESS, NULL, NULL, 0,
	 "HTTP reply over 1048576 bytes"},
	{"endless header", HTTP_HEAD_ENDLESS, NULL, NULL, 0,
	 "HTTP header over 8192 bytes"},
};

static void http_cases_run(struct xvs_loop *loop, enum xvs_check_type type,
			   struct http_peer *hp, struct peer *p)
{
	int ran;
	struct xvs_conf_checker cf;

	http_conf(&cf, type);
	cf.connect_timeout_ms = 500;
	for (size_t i = 0; i < sizeof(http_cases) / sizeof(*http_cases); i++)
		run_case(loop, &http_cases[i], &cf, hp, p);

	/* refused */
	{
		struct xvs_check_target t =
			peer_target(AF_INET, peer_closed_port(AF_INET));
		struct recorder rec = {0};
		struct xvs_check *c = start_check(loop, &cf, &t, 1, &rec);

		ran = run_loop(loop, 3000);
		CHECK(c && ran && !rec.up &&
			      !strcmp(rec.reason, "connection refused"),
		      "refused: '%s'", rec.reason);
		xvs_check_stop(c);
	}
}

static struct xvs_loop *new_loop(void)
{
	char err[128];

	return xvs_loop_new(err, sizeof(err));
}

TEST(check_http_replies)
{
	struct xvs_loop *loop = new_loop();
	struct http_peer hp = {0};
	struct peer p;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, http_serve, &hp),
	      "setup");
	http_cases_run(loop, XVS_CHECK_HTTP, &hp, &p);
	peer_stop(&p);
	xvs_loop_free(loop);
}

/* The request itself, HTTP/1.0 and 1.1, and where Host comes from. */
TEST(check_http_request)
{
	int ran;
	struct xvs_loop *loop = new_loop();
	struct http_peer hp = {0};
	struct http_case hc = {"request", HTTP_REPLY, hello_200,
			       NULL,	  1,	      "HTTP status 200"};
	struct xvs_conf_checker cf;
	char want[512];
	struct peer p;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, http_serve, &hp),
	      "setup");
	http_conf(&cf, XVS_CHECK_HTTP);
	run_case(loop, &hc, &cf, &hp, &p);
	snprintf(want, sizeof(want),
		 "GET /a HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
		 "Host: 127.0.0.1:%u\r\n\r\n",
		 p.port);
	CHECK(!strcmp(p.req, want), "HTTP/1.0 request:\n%s", p.req);

	cf.http_protocol = 11;
	cf.virtualhost = "www.example.com";
	run_case(loop, &hc, &cf, &hp, &p);
	CHECK(!strcmp(p.req,
		      "GET /a HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
		      "Connection: close\r\nHost: www.example.com\r\n\r\n"),
	      "HTTP/1.1 request with the checker's virtualhost:\n%s", p.req);

	url_a.virtualhost = "a.example.com";
	url_a.path = "/health?full=1";
	run_case(loop, &hc, &cf, &hp, &p);
	CHECK(strstr(p.req, "GET /health?full=1 HTTP/1.1\r\n") &&
		      strstr(p.req, "\r\nHost: a.example.com\r\n"),
	      "the url's path and virtualhost:\n%s", p.req);
	peer_stop(&p);

	/* IPv6: the address in brackets */
	CHECK(!peer_start(&p, AF_INET6, SOCK_STREAM, http_serve, &hp),
	      "v6 peer");
	http_conf(&cf, XVS_CHECK_HTTP);
	{
		struct xvs_check_target t = peer_target(AF_INET6, p.port);
		struct recorder rec = {0};
		struct xvs_check *c = start_check(loop, &cf, &t, 0, &rec);

		ran = run_loop(loop, 3000);
		CHECK(c && ran && rec.up, "v6 up: '%s'", rec.reason);
		snprintf(want, sizeof(want), "\r\nHost: [::1]:%u\r\n", p.port);
		CHECK(strstr(p.req, want), "v6 Host:\n%s", p.req);
		xvs_check_stop(c);
	}
	peer_stop(&p);
	xvs_loop_free(loop);
}

TEST(check_http_status_digest_urls)
{
	struct xvs_loop *loop = new_loop();
	struct http_peer hp = {0};
	struct xvs_conf_checker cf;
	struct peer p;
	struct http_case hc = {0};

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, http_serve, &hp),
	      "setup");
	http_conf(&cf, XVS_CHECK_HTTP);

	/* status_code ranges */
	url_a.status[0].lo = url_a.status[0].hi = 200;
	url_a.status[1].lo = 301;
	url_a.status[1].hi = 303;
	url_a.n_status = 2;
	hc = (struct http_case){"302 in 200,301-303",
				HTTP_REPLY,
				"HTTP/1.0 302 Found\r\n\r\n",
				NULL,
				1,
				"HTTP status 302"};
	run_case(loop, &hc, &cf, &hp, &p);
	hc = (struct http_case){"304 not in 200,301-303",
				HTTP_REPLY,
				"HTTP/1.0 304 Not Modified\r\n\r\n",
				NULL,
				0,
				"HTTP status 304 not in 200,301-303"};
	run_case(loop, &hc, &cf, &hp, &p);
	url_a.n_status = 0;

	/* digest: the body only, as far as Content-Length says */
	url_a.has_digest = 1;
	memcpy(url_a.digest, hello_md5, 16);
	hc = (struct http_case){
		"digest", HTTP_REPLY, hello_200,
		NULL,	  1,	      "HTTP status 200, MD5 digest matches"};
	run_case(loop, &hc, &cf, &hp, &p);
	hc.what = "digest, bytes past Content-Length";
	hc.reply = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello, world";
	run_case(loop, &hc, &cf, &hp, &p);
	hc.what = "digest without Content-Length";
	hc.reply = "HTTP/1.0 200 OK\r\n\r\nhello";
	run_case(loop, &hc, &cf, &hp, &p);
	hc = (struct http_case){
		"wrong digest", HTTP_REPLY, "HTTP/1.0 200 OK\r\n\r\nhellO",
		NULL,		0,	    "MD5 digest mismatch: *"};
	run_case(loop, &hc, &cf, &hp, &p);
	url_a.has_digest = 0;

	/* two urls: both must pass */
	memset(&url_b, 0, sizeof(url_b));
	url_b.path = "/b";
	url_a.next = &url_b;
	hc = (struct http_case){"/a and /b pass",
				HTTP_BY_PATH,
				hello_200,
				"HTTP/1.0 201 Created\r\n\r\n",
				1,
				"HTTP status 201"};
	run_case(loop, &hc, &cf, &hp, &p);
	CHECK(!strncmp(p.req, "GET /b ", 7), "the last url asked is /b: %.16s",
	      p.req);
	hc = (struct http_case){"/b fails", HTTP_BY_PATH,
				hello_200,  "HTTP/1.0 404 Not Found\r\n\r\n",
				0,	    "HTTP status 404 not in 200-299"};
	run_case(loop, &hc, &cf, &hp, &p);
	url_b.status[0].lo = url_b.status[0].hi = 404;
	url_b.n_status = 1;
	hc.what = "/b expects 404";
	hc.up = 1;
	hc.reason = "HTTP status 404";
	run_case(loop, &hc, &cf, &hp, &p);
	url_a.next = NULL;
	peer_stop(&p);
	xvs_loop_free(loop);
}

/* Text that would break the request line is refused at start. */
TEST(check_http_bad_config)
{
	struct xvs_loop *loop = new_loop();
	struct xvs_check_target t = peer_target(AF_INET, 80);
	struct xvs_conf_checker cf;
	struct recorder rec = {0};
	char err[256] = "";

	http_conf(&cf, XVS_CHECK_HTTP);
	url_a.path = "/a b";
	CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec, err,
			       sizeof(err)) &&
		      strstr(err, "test.conf:1: url `/a b'"),
	      "a space in the path: '%s'", err);
	url_a.path = "/a";
	cf.virtualhost = "evil\r\nX-Injected: 1";
	CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec, err,
			       sizeof(err)),
	      "CR LF in virtualhost: '%s'", err);
	cf.virtualhost = NULL;
	cf.urls = NULL;
	CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec, err,
			       sizeof(err)) &&
		      strstr(err, "no url"),
	      "no url: '%s'", err);
	xvs_loop_free(loop);
}

/* ---- SSL_GET ---- */

/* A server context with a fresh self-signed EC certificate. */
static SSL_CTX *test_tls_server(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	X509_NAME *n;

	if (!key || !x || !ctx)
		goto fail;
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)"xvs test", -1, -1,
				   0);
	X509_set_issuer_name(x, n);
	if (!X509_sign(x, key, EVP_sha256()) ||
	    SSL_CTX_use_certificate(ctx, x) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, key) != 1)
		goto fail;
	X509_free(x);
	EVP_PKEY_free(key);
	return ctx;
fail:
	X509_free(x);
	EVP_PKEY_free(key);
	SSL_CTX_free(ctx);
	return NULL;
}

TEST(check_ssl_replies)
{
	struct xvs_loop *loop = new_loop();
	struct http_peer hp = {.tls = test_tls_server()};
	struct xvs_conf_checker cf;
	struct peer p;

	CHECK(loop && hp.tls &&
		      !peer_start(&p, AF_INET, SOCK_STREAM, http_serve, &hp),
	      "setup");
	if (!hp.tls)
		return;
	http_cases_run(loop, XVS_CHECK_SSL, &hp, &p);
	/* a server that closes without close_notify, as many do */
	hp.no_notify = 1;
	http_conf(&cf, XVS_CHECK_SSL);
	run_case(loop, &http_cases[0], &cf, &hp, &p);
	hp.no_notify = 0;

	/* SNI: the virtualhost with enable_sni, never an address */
	cf.virtualhost = "www.example.com";
	run_case(loop, &http_cases[0], &cf, &hp, &p);
	CHECK(!strcmp(hp.sni, ""), "no SNI without enable_sni: '%s'", hp.sni);
	cf.enable_sni = 1;
	run_case(loop, &http_cases[0], &cf, &hp, &p);
	CHECK(!strcmp(hp.sni, "www.example.com"), "SNI '%s'", hp.sni);
	url_a.virtualhost = "a.example.com";
	run_case(loop, &http_cases[0], &cf, &hp, &p);
	CHECK(!strcmp(hp.sni, "a.example.com"), "the url's SNI '%s'", hp.sni);
	url_a.virtualhost = "198.18.0.1";
	run_case(loop, &http_cases[0], &cf, &hp, &p);
	CHECK(!strcmp(hp.sni, ""), "no SNI for an address: '%s'", hp.sni);
	peer_stop(&p);
	SSL_CTX_free(hp.tls);
	xvs_loop_free(loop);
}

/* SSL_GET to a server that does not speak TLS. */
TEST(check_ssl_not_tls)
{
	struct xvs_loop *loop = new_loop();
	struct http_peer hp = {0};
	struct http_case hc = {
		"plain HTTP peer", HTTP_FIRST, hello_200, NULL, 0,
		"TLS handshake: *"};
	struct xvs_conf_checker cf;
	struct peer p;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, http_serve, &hp),
	      "setup");
	http_conf(&cf, XVS_CHECK_SSL);
	run_case(loop, &hc, &cf, &hp, &p);
	peer_stop(&p);
	xvs_loop_free(loop);
}

/* Stopped mid-reply (HTTP) and mid-handshake (TLS): nothing left. */
TEST(check_http_stop_mid_attempt)
{
	int ran;
	static const enum xvs_check_type types[] = {XVS_CHECK_HTTP,
						    XVS_CHECK_SSL};
	struct xvs_loop *loop = new_loop();
	struct http_peer hp = {.mode = HTTP_SILENT};
	struct xvs_conf_checker cf;
	struct peer p;
	int fds;

	CHECK(loop && !peer_start(&p, AF_INET, SOCK_STREAM, http_serve, &hp),
	      "setup");
	fds = count_fds();
	for (int i = 0; i < 2; i++) {
		struct xvs_check_target t = peer_target(AF_INET, p.port);
		struct recorder rec = {0};
		struct check_schedule s;
		struct xvs_check *c;
		int served = p.served;

		http_conf(&cf, types[i]);
		cf.connect_timeout_ms = 5000;
		c = start_check(loop, &cf, &t, 1, &rec);
		for (int j = 0; j < 250 && p.served == served; j++)
			run_loop(loop, 20);
		run_loop(loop, 50); /* the request (or ClientHello) is out */
		check_schedule(c, &s);
		CHECK(c && s.attempts == 1 && rec.reports == 0 &&
			      count_fds() > fds,
		      "%d: mid-attempt: %u attempts, %d reports", types[i],
		      s.attempts, rec.reports);
		xvs_check_stop(c);
		/* the peer's end closes once it sees ours close */
		for (int j = 0; j < 500 && count_fds() != fds; j++)
			usleep(10000);
		CHECK(count_fds() == fds, "%d: stopped: %d fds, was %d",
		      types[i], count_fds(), fds);
		ran = run_loop(loop, 100);
		CHECK(!ran, "nothing fires after the stop");
	}
	peer_stop(&p);
	xvs_loop_free(loop);
}
