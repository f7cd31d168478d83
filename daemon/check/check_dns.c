// SPDX-License-Identifier: GPL-2.0
/*
 * DNS_CHECK over UDP: one query (recursion desired, class IN) for name and
 * type with a random id. As keepalived, datagrams that are not a reply to
 * it (too short, another id, QR clear) are ignored and the attempt waits
 * on; the first reply decides: RCODE 0 passes, any other fails. Beyond
 * keepalived, the reply must echo the question, so that a confused or
 * hostile server cannot pass with an answer to something else; like
 * keepalived, it needs no records in the answer section (ANCOUNT may be
 * 0, as for a name that exists without that type).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "check_sock.h"

#define DNS_HEADER 12
#define DNS_MAX_QUERY (DNS_HEADER + 255 + 4)

struct dns_check {
	struct check_sock sock;
	struct xvs_check *check;
	unsigned char query[DNS_MAX_QUERY];
	size_t qlen;
};

static const char *const rcode_names[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
};

/* The question section of name and type into q; its length, or 0 if
 * name is not a valid domain name. */
static size_t dns_question(unsigned char *q, const char *name,
			   unsigned short type)
{
	size_t off = 0;

	if (strcmp(name, ".")) {
		for (const char *p = name; *p;) {
			size_t n = strcspn(p, ".");

			if (!n || n > 63 || off + 1 + n > 254)
				return 0;
			q[off++] = (unsigned char)n;
			memcpy(q + off, p, n);
			off += n;
			p += n;
			if (*p == '.')
				p++;
		}
	}
	q[off++] = 0;
	q[off++] = (unsigned char)(type >> 8);
	q[off++] = (unsigned char)type;
	q[off++] = 0;
	q[off++] = 1; /* IN */
	return off;
}

/* The reply's question is ours (names compare without case). */
static int echoes_question(const struct dns_check *d, const unsigned char *r,
			   size_t len)
{
	size_t qlen = d->qlen - DNS_HEADER;
	const unsigned char *q = d->query + DNS_HEADER;

	if (r[4] != 0 || r[5] != 1 || len < DNS_HEADER + qlen)
		return 0;
	r += DNS_HEADER;
	for (size_t i = 0; i < qlen - 4;) { /* labels: lengths exact */
		size_t n = q[i];

		if (r[i] != n || strncasecmp((const char *)q + i + 1,
					     (const char *)r + i + 1, n))
			return 0;
		i += 1 + n;
	}
	return !memcmp(q + qlen - 4, r + qlen - 4, 4);
}

/* One datagram: 1 if it ended the attempt. */
static int dns_reply(struct dns_check *d, const unsigned char *r, size_t len)
{
	unsigned rcode;

	if (len < DNS_HEADER || memcmp(r, d->query, 2) || !(r[2] & 0x80))
		return 0; /* not a reply to our query: wait on */
	rcode = r[3] & 0x0f;
	if (rcode) {
		check_attempt_end(d->check, 0, -1, "DNS rcode %u (%s)", rcode,
				  rcode < sizeof(rcode_names) /
							  sizeof(*rcode_names)
					  ? rcode_names[rcode]
					  : "error");
		return 1;
	}
	if (!echoes_question(d, r, len)) {
		check_attempt_end(d->check, 0, -1,
				  "DNS reply does not echo the question");
		return 1;
	}
	check_attempt_end(d->check, 1, -1, "DNS rcode 0, %u answers",
			  (unsigned)r[6] << 8 | r[7]);
	return 1;
}

static void dns_ready(struct xvs_loop *loop, int fd, unsigned events,
		      void *data)
{
	struct dns_check *d = data;
	unsigned char buf[4096];
	ssize_t n;

	(void)loop;
	if (events & XVS_EV_WRITE) {
		n = send(fd, d->query, d->qlen, 0);
		if (n == (ssize_t)d->qlen) {
			check_sock_watch(&d->sock, d->check, XVS_EV_READ);
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		check_attempt_end(d->check, 0, -1, "send: %s",
				  n < 0 ? check_sock_reason(errno)
					: "datagram cut short");
		return;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0)
		if (dns_reply(d, buf, (size_t)n))
			return;
	if (errno != EAGAIN && errno != EINTR)
		check_attempt_end(d->check, 0, -1, "%s",
				  check_sock_reason(errno));
}

static void dns_begin(struct xvs_check *c)
{
	struct dns_check *d = check_priv(c);
	unsigned id = check_random();

	d->query[0] = (unsigned char)(id >> 8);
	d->query[1] = (unsigned char)id;
	check_sock_open(&d->sock, c, SOCK_DGRAM, XVS_EV_WRITE, dns_ready, d);
}

static void dns_close(struct xvs_check *c)
{
	struct dns_check *d = check_priv(c);

	check_sock_close(&d->sock, c);
}

static int dns_init(struct xvs_check *c, char *err, size_t errlen)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(c);
	struct dns_check *d = check_priv(c);
	const char *name = cf->dns_name ? cf->dns_name : ".";
	static const unsigned char header[DNS_HEADER] = {
		0,    0,    /* id, per attempt */
		0x01, 0x00, /* a query, recursion desired */
		0,    1,    /* one question */
		0,    0,    0, 0, 0, 0,
	};
	size_t q;

	d->check = c;
	memcpy(d->query, header, DNS_HEADER);
	q = dns_question(d->query + DNS_HEADER, name,
			 cf->dns_type ? cf->dns_type : 6 /* SOA */);
	if (!q) {
		snprintf(err, errlen,
			 "%s:%d: DNS name `%s': an empty or too long label, "
			 "or too long",
			 cf->where.file, cf->where.line, name);
		return -1;
	}
	d->qlen = DNS_HEADER + q;
	return 0;
}

const struct xvs_check_ops check_dns_ops = {
	.name = "DNS_CHECK",
	.priv_size = sizeof(struct dns_check),
	.init = dns_init,
	.begin = dns_begin,
	.close = dns_close,
};
