// SPDX-License-Identifier: GPL-2.0
/* Dialogues over TCP for the talking checkers; see check_stream.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_stream.h"

/* ---- plain TCP ---- */

static int plain_handshake(struct check_stream *s)
{
	(void)s;
	return 1;
}

static ssize_t plain_result(struct check_stream *s, ssize_t n, unsigned want)
{
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR) {
		s->want = want;
		return STREAM_AGAIN;
	}
	snprintf(s->err, sizeof(s->err), "%s", check_sock_reason(errno));
	return STREAM_ERROR;
}

static ssize_t plain_read(struct check_stream *s, char *buf, size_t len)
{
	return plain_result(s, read(s->sock.fd, buf, len), XVS_EV_READ);
}

static ssize_t plain_write(struct check_stream *s, const char *buf, size_t len)
{
	return plain_result(s, send(s->sock.fd, buf, len, MSG_NOSIGNAL),
			    XVS_EV_WRITE);
}

static const struct check_stream_io check_stream_plain = {
	.handshake = plain_handshake,
	.read = plain_read,
	.write = plain_write,
};

/* ---- the dialogue ---- */

/* n from the transport: 1 if it moved nothing, after watching for what
 * it waits for or ending the attempt with its error; 0 when it moved n
 * bytes (or, reading, hit the end). */
static int stream_stalled(struct check_stream *s, ssize_t n, const char *what)
{
	if (n == STREAM_AGAIN) {
		check_sock_watch(&s->sock, s->check, s->want);
		return 1;
	}
	if (n == STREAM_ERROR) {
		check_attempt_end(s->check, 0, -1, "%s%s", what, s->err);
		return 1;
	}
	return 0;
}

/* Reads until the transport would block, the owner acts, or the end. */
static void stream_read(struct check_stream *s)
{
	char buf[16384];

	for (;;) {
		ssize_t n = s->io->read(s, buf, sizeof(buf));

		if (stream_stalled(s, n, "") || s->h->data(s, buf, (size_t)n) ||
		    !n)
			return;
	}
}

static void stream_write(struct check_stream *s)
{
	while (s->out_done < s->out_len) {
		ssize_t n = s->io->write(s, s->out + s->out_done,
					 s->out_len - s->out_done);

		if (stream_stalled(s, n, ""))
			return;
		s->out_done += (size_t)n;
	}
	s->state = STREAM_READING;
	check_sock_watch(&s->sock, s->check, XVS_EV_READ);
}

static void stream_ready(struct xvs_loop *loop, int fd, unsigned events,
			 void *data)
{
	struct check_stream *s = data;

	(void)loop;
	(void)fd;
	(void)events;
	switch (s->state) {
	case STREAM_CONNECTING:
		if (check_sock_connected(&s->sock, s->check))
			return;
		s->state = STREAM_HANDSHAKE;
		/* fall through */
	case STREAM_HANDSHAKE:
		if (stream_stalled(s, s->io->handshake(s), "TLS handshake: "))
			return;
		check_sock_watch(&s->sock, s->check, 0);
		s->h->ready(s);
		return;
	case STREAM_WRITING:
		stream_write(s);
		return;
	case STREAM_READING:
		stream_read(s);
		return;
	}
}

int check_stream_open(struct check_stream *s, struct xvs_check *c, SSL_CTX *tls,
		      const char *sni, const struct check_stream_handler *h,
		      void *owner)
{
	s->check = c;
	s->h = h;
	s->owner = owner;
	s->io = tls ? &check_stream_tls : &check_stream_plain;
	s->state = STREAM_CONNECTING;
	s->out_len = s->out_done = 0;
	if (check_sock_open(&s->sock, c, SOCK_STREAM, XVS_EV_WRITE,
			    stream_ready, s))
		return -1;
	if (tls && check_tls_attach(s, tls, sni)) {
		check_attempt_end(c, 0, -1, "TLS: %s", s->err);
		return -1;
	}
	return 0;
}

void check_stream_send(struct check_stream *s, const char *buf, size_t len)
{
	if (len > sizeof(s->out))
		len = sizeof(s->out); /* callers build shorter requests */
	memcpy(s->out, buf, len);
	s->out_len = len;
	s->out_done = 0;
	s->state = STREAM_WRITING;
	check_sock_watch(&s->sock, s->check, XVS_EV_WRITE);
}

void check_stream_read(struct check_stream *s)
{
	s->state = STREAM_READING;
	check_sock_watch(&s->sock, s->check, XVS_EV_READ);
}

void check_stream_close(struct check_stream *s)
{
	if (s->ssl) {
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	check_sock_close(&s->sock, s->check);
}
