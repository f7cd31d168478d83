// SPDX-License-Identifier: GPL-2.0
/*
 * TLS for SSL_GET with OpenSSL 3, non-blocking: the stream's transport
 * (check_stream.h). As keepalived, the server's certificate is not
 * verified: the check asks "does it answer", not "is it who it claims".
 * A server that closes without close_notify (common with HTTP/1.0) ends
 * the stream like a plain EOF. OpenSSL writes to the socket without
 * MSG_NOSIGNAL: the daemon ignores SIGPIPE (main.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <string.h>

#include "check_stream.h"

static SSL_CTX *tls_ctx;
static unsigned tls_users;

SSL_CTX *check_tls_hold(char *err, size_t errlen)
{
	if (!tls_ctx) {
		tls_ctx = SSL_CTX_new(TLS_client_method());
		if (!tls_ctx) {
			snprintf(err, errlen, "SSL_CTX_new: %s",
				 ERR_reason_error_string(ERR_get_error()));
			return NULL;
		}
		SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
		SSL_CTX_set_options(tls_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
		SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	}
	tls_users++;
	return tls_ctx;
}

void check_tls_release(void)
{
	if (tls_users && !--tls_users) {
		SSL_CTX_free(tls_ctx);
		tls_ctx = NULL;
	}
}

/* A name, not an address literal: RFC 6066 forbids literals in SNI. */
static int is_hostname(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) != 1 &&
	       inet_pton(AF_INET6, s, buf) != 1;
}

int check_tls_attach(struct check_stream *s, SSL_CTX *tls, const char *sni)
{
	ERR_clear_error();
	s->ssl = SSL_new(tls);
	if (!s->ssl || !SSL_set_fd(s->ssl, s->sock.fd) ||
	    (sni && is_hostname(sni) &&
	     !SSL_set_tlsext_host_name(s->ssl, sni))) {
		snprintf(s->err, sizeof(s->err), "%s",
			 ERR_reason_error_string(ERR_get_error()));
		return -1;
	}
	SSL_set_connect_state(s->ssl);
	return 0;
}

/* An OpenSSL result r of a call that returned <= 0, as the stream's. */
static int tls_result(struct check_stream *s, int r)
{
	int e = SSL_get_error(s->ssl, r);
	unsigned long code;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		s->want = XVS_EV_READ;
		return STREAM_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		s->want = XVS_EV_WRITE;
		return STREAM_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		snprintf(s->err, sizeof(s->err), "%s",
			 errno ? check_sock_reason(errno)
			       : "connection closed by the server");
		return STREAM_ERROR;
	default:
		code = ERR_get_error();
		snprintf(s->err, sizeof(s->err), "TLS %s",
			 code ? ERR_reason_error_string(code) : "error");
		return STREAM_ERROR;
	}
}

static int tls_handshake(struct check_stream *s)
{
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(s->ssl);
	if (r == 1)
		return 1;
	r = tls_result(s, r);
	if (!r) { /* closed during the handshake */
		snprintf(s->err, sizeof(s->err), "connection closed");
		return STREAM_ERROR;
	}
	return r;
}

static ssize_t tls_read(struct check_stream *s, char *buf, size_t len)
{
	size_t n = 0;

	ERR_clear_error();
	errno = 0;
	if (SSL_read_ex(s->ssl, buf, len, &n))
		return (ssize_t)n;
	return tls_result(s, 0);
}

static ssize_t tls_write(struct check_stream *s, const char *buf, size_t len)
{
	size_t n = 0;

	ERR_clear_error();
	errno = 0;
	if (SSL_write_ex(s->ssl, buf, len, &n))
		return (ssize_t)n;
	return tls_result(s, 0);
}

const struct check_stream_io check_stream_tls = {
	.handshake = tls_handshake,
	.read = tls_read,
	.write = tls_write,
};
