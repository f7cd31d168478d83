// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP_GET: for each url in turn, one connection: "GET path HTTP/1.0"
 * (or 1.1 with "Connection: close") with Host and User-Agent, the reply
 * read to its end, its status line parsed strictly and checked against
 * the url's status_code ranges (200-299 by default), and, with a digest,
 * the MD5 of the body compared (as genhash prints it; with a
 * Content-Length only that many bytes count, as keepalived). Every url
 * must pass; each connection gets the full connect_timeout.
 *
 * The header is kept (8 KiB at most) and the body only hashed; a reply
 * over 1 MiB fails, so an endless reply costs at most that much reading.
 * Chunked transfer coding is not decoded (keepalived does not either):
 * digests of HTTP/1.1 replies are of what is on the wire.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "check_http.h"

/* keepalived's, so that servers that already recognise (and do not log)
 * health checks keep doing so. */
#define HTTP_USER_AGENT "KeepAliveClient"

static const char *url_host(const struct http_check *h)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(h->check);

	return h->url->virtualhost ? h->url->virtualhost : cf->virtualhost;
}

/* The request for h->url; its length, or 0 if it does not fit. */
static size_t http_request(const struct http_check *h, char *buf, size_t len)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(h->check);
	const struct xvs_check_target *d = check_dest(h->check);
	const char *host = url_host(h);
	char ap[XVS_ADDRPORT_LEN];
	int n;

	if (!host)
		host = xvs_addr_format(ap, sizeof(ap), d->af, &d->addr,
				       htons(d->port), 0, 0);
	n = snprintf(buf, len,
		     "GET %s HTTP/1.%d\r\nUser-Agent: " HTTP_USER_AGENT
		     "\r\n%sHost: %s\r\n\r\n",
		     h->url->path, cf->http_protocol == 11,
		     cf->http_protocol == 11 ? "Connection: close\r\n" : "",
		     host);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

/* "200-299", "200,301-302": the ranges a status must fall in. */
static const char *status_text(const struct xvs_conf_url *u, char *buf,
			       size_t len)
{
	size_t off = 0;

	if (!u->n_status)
		return "200-299";
	buf[0] = '\0';
	for (int i = 0; i < u->n_status && off < len; i++) {
		unsigned lo = u->status[i].lo, hi = u->status[i].hi;
		int n = lo == hi ? snprintf(buf + off, len - off, "%s%u",
					    i ? "," : "", lo)
				 : snprintf(buf + off, len - off, "%s%u-%u",
					    i ? "," : "", lo, hi);

		off += n > 0 ? (size_t)n : 0;
	}
	return buf;
}

static int status_ok(const struct xvs_conf_url *u, int status)
{
	if (!u->n_status)
		return status >= 200 && status <= 299;
	for (int i = 0; i < u->n_status; i++)
		if (status >= u->status[i].lo && status <= u->status[i].hi)
			return 1;
	return 0;
}

/* Where the body starts: after the first empty line; 0 if none yet. */
static size_t head_end(const char *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* "HTTP/d.d ddd" followed by a space or the end of the line. */
static int parse_status_line(const char *p)
{
	if (strncmp(p, "HTTP/", 5) || !isdigit((unsigned char)p[5]) ||
	    p[6] != '.' || !isdigit((unsigned char)p[7]) || p[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++)
		if (!isdigit((unsigned char)p[i]))
			return -1;
	if (p[12] != ' ' && p[12] != '\r' && p[12] != '\n')
		return -1;
	return (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
}

/* The Content-Length header's value, -1 without it, -2 if malformed. */
static long long content_length(const char *head)
{
	static const char name[] = "\ncontent-length:";
	long long v = 0;
	const char *p;
	int digits = 0;

	for (p = head; (p = strchr(p, '\n')); p++)
		if (!strncasecmp(p, name, sizeof(name) - 1))
			break;
	if (!p)
		return -1;
	p += sizeof(name) - 1;
	p += strspn(p, " \t");
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (digits == 18)
			return -2;
		v = v * 10 + (*p - '0');
	}
	p += strspn(p, " \t");
	return digits && (*p == '\r' || *p == '\n') ? v : -2;
}

static void http_fetch(struct http_check *h);

/* The header is complete: judge the status at once. 0 to go on. */
static int http_head(struct http_check *h)
{
	char ranges[128];

	h->head[h->head_end] = '\0';
	h->status = parse_status_line(h->head);
	if (h->status < 0) {
		check_attempt_end(h->check, 0, -1,
				  "malformed HTTP status line");
		return 1;
	}
	h->content_length = content_length(h->head);
	if (h->content_length == -2) {
		check_attempt_end(h->check, 0, -1, "malformed Content-Length");
		return 1;
	}
	if (!status_ok(h->url, h->status)) {
		check_attempt_end(h->check, 0, -1, "HTTP status %d not in %s",
				  h->status,
				  status_text(h->url, ranges, sizeof(ranges)));
		return 1;
	}
	return 0;
}

static void http_body(struct http_check *h, const char *p, size_t len)
{
	if (h->content_length >= 0 &&
	    (long long)len > h->content_length - (long long)h->body_len)
		len = (size_t)(h->content_length - (long long)h->body_len);
	if (h->url->has_digest)
		EVP_DigestUpdate(h->md, p, len);
	h->body_len += len;
}

/* The server closed: the url passes or fails. Always acts. */
static int http_end(struct http_check *h)
{
	unsigned char md5[EVP_MAX_MD_SIZE];
	char hex[33];

	if (!h->head_end) {
		check_attempt_end(h->check, 0, -1, "%s",
				  h->head_len ? "HTTP reply ended in its header"
					      : "connection closed without a "
						"reply");
		return 1;
	}
	if (h->content_length >= 0 &&
	    (long long)h->body_len < h->content_length) {
		check_attempt_end(h->check, 0, -1,
				  "HTTP body truncated: %zu of %lld bytes",
				  h->body_len, h->content_length);
		return 1;
	}
	if (h->url->has_digest) {
		EVP_DigestFinal_ex(h->md, md5, NULL);
		if (memcmp(md5, h->url->digest, 16)) {
			for (int i = 0; i < 16; i++)
				snprintf(hex + 2 * i, 3, "%02x", md5[i]);
			check_attempt_end(h->check, 0, -1,
					  "MD5 digest mismatch: %s", hex);
			return 1;
		}
	}
	if (!h->url->next) {
		check_attempt_end(
			h->check, 1, -1, "HTTP status %d%s", h->status,
			h->url->has_digest ? ", MD5 digest matches" : "");
		return 1;
	}
	h->url = h->url->next;
	check_stream_close(&h->stream);
	if (!check_attempt_rearm(h->check))
		http_fetch(h);
	return 1;
}

static int http_data(struct check_stream *s, const char *buf, size_t len)
{
	struct http_check *h = s->owner;
	size_t old = h->head_len, take, skip;

	if (!len)
		return http_end(h);
	h->reply_len += len;
	if (h->reply_len > HTTP_MAX_REPLY) {
		check_attempt_end(h->check, 0, -1, "HTTP reply over %u bytes",
				  HTTP_MAX_REPLY);
		return 1;
	}
	if (h->head_end) {
		http_body(h, buf, len);
		return 0;
	}
	take = len < HTTP_MAX_HEAD - old ? len : HTTP_MAX_HEAD - old;
	memcpy(h->head + old, buf, take);
	h->head_len += take;
	h->head_end = head_end(h->head, h->head_len);
	if (!h->head_end) {
		if (h->head_len < HTTP_MAX_HEAD)
			return 0;
		check_attempt_end(h->check, 0, -1, "HTTP header over %u bytes",
				  HTTP_MAX_HEAD);
		return 1;
	}
	if (http_head(h))
		return 1;
	/* The blank line ends in this chunk (or it would have been found
	 * before): the body starts where it ends. */
	skip = h->head_end - old;
	http_body(h, buf + skip, len - skip);
	return 0;
}

static void http_ready(struct check_stream *s)
{
	struct http_check *h = s->owner;
	char req[CHECK_STREAM_OUT];

	check_stream_send(s, req, http_request(h, req, sizeof(req)));
}

static const struct check_stream_handler http_handler = {
	.ready = http_ready,
	.data = http_data,
};

/* One url: a new connection. */
static void http_fetch(struct http_check *h)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(h->check);

	h->head_len = h->head_end = 0;
	h->status = 0;
	h->content_length = -1;
	h->body_len = h->reply_len = 0;
	if (h->url->has_digest)
		EVP_DigestInit_ex(h->md, EVP_md5(), NULL);
	check_stream_open(&h->stream, h->check, h->tls,
			  cf->enable_sni ? url_host(h) : NULL, &http_handler,
			  h);
}

void http_check_begin(struct xvs_check *c)
{
	struct http_check *h = check_priv(c);

	h->url = xvs_check_conf(c)->urls;
	http_fetch(h);
}

void http_check_close(struct xvs_check *c)
{
	struct http_check *h = check_priv(c);

	check_stream_close(&h->stream);
}

/* Text that goes into the request line or Host must not break it. */
static int bad_text(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 1;
	return 0;
}

int http_check_init(struct xvs_check *c, char *err, size_t errlen)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(c);
	struct http_check *h = check_priv(c);
	char req[CHECK_STREAM_OUT];

	h->check = c;
	if (!cf->urls) {
		snprintf(err, errlen, "%s:%d: no url to check", cf->where.file,
			 cf->where.line);
		return -1;
	}
	for (h->url = cf->urls; h->url; h->url = h->url->next) {
		if (bad_text(h->url->path) || bad_text(url_host(h)) ||
		    !http_request(h, req, sizeof(req))) {
			snprintf(err, errlen,
				 "%s:%d: url `%s' (virtualhost `%s'): a space, "
				 "a control character or too long",
				 cf->where.file, cf->where.line, h->url->path,
				 url_host(h) ? url_host(h) : "");
			return -1;
		}
	}
	h->md = EVP_MD_CTX_new();
	if (!h->md) {
		snprintf(err, errlen, "HTTP check: out of memory");
		return -1;
	}
	return 0;
}

void http_check_fini(struct xvs_check *c)
{
	struct http_check *h = check_priv(c);

	EVP_MD_CTX_free(h->md);
}

const struct xvs_check_ops check_http_ops = {
	.name = "HTTP_GET",
	.priv_size = sizeof(struct http_check),
	.init = http_check_init,
	.fini = http_check_fini,
	.begin = http_check_begin,
	.close = http_check_close,
};
