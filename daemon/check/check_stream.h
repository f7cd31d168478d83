/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A request/reply dialogue over one TCP connection, plain or TLS, for the
 * checkers that talk (HTTP_GET, SSL_GET, SMTP_CHECK). The stream connects,
 * runs the TLS handshake if any, and then alternates between writing what
 * its owner sends and reading, handing every chunk read to its owner. All
 * of it is driven by the loop's readiness events; the transport (plain or
 * TLS) says which event it waits for, since a TLS read may need to write
 * and a TLS write may need to read.
 *
 * Failures (refused, reset, TLS errors) end the attempt with their reason.
 * The owner's callbacks are the last thing the stream does in a callback,
 * and a callback that returns 1 tells the stream not to touch anything
 * any more (it ended the attempt, which may have freed the check).
 */
#ifndef XVS_CHECK_STREAM_H
#define XVS_CHECK_STREAM_H

#include <openssl/ssl.h>
#include <sys/types.h>

#include "check_sock.h"

#define CHECK_STREAM_OUT 2048 /* the longest request a stream sends */

struct check_stream;

struct check_stream_handler {
	/* Connected (and TLS established): send, or read a greeting. */
	void (*ready)(struct check_stream *s);
	/* len bytes read; len 0 is the end of the stream. Returns 0 to go on
	 * reading, 1 when it sent something or ended the attempt. */
	int (*data)(struct check_stream *s, const char *buf, size_t len);
};

/* How bytes move: plain TCP or TLS. Return > 0 for bytes moved, 0 for the
 * end of the stream (read), STREAM_AGAIN with s->want set to the event to
 * wait for, or STREAM_ERROR with the reason in s->err. handshake returns
 * 1 when done. */
#define STREAM_AGAIN (-1)
#define STREAM_ERROR (-2)
struct check_stream_io {
	int (*handshake)(struct check_stream *s);
	ssize_t (*read)(struct check_stream *s, char *buf, size_t len);
	ssize_t (*write)(struct check_stream *s, const char *buf, size_t len);
};

enum check_stream_state {
	STREAM_CONNECTING = 0,
	STREAM_HANDSHAKE,
	STREAM_WRITING,
	STREAM_READING,
};

struct check_stream {
	struct check_sock sock;
	struct xvs_check *check;
	const struct check_stream_handler *h;
	void *owner; /* for the handler */
	const struct check_stream_io *io;
	SSL *ssl; /* TLS only */
	enum check_stream_state state;
	unsigned want; /* XVS_EV_* the transport waits for */
	char out[CHECK_STREAM_OUT];
	size_t out_len, out_done;
	char err[160]; /* the transport's last error */
};

/*
 * Connects to check_dest(c); with tls, then runs a TLS client handshake
 * (no certificate verification, as keepalived; sni, if not NULL, as the
 * server name). Returns 0, or ends the attempt and returns -1.
 */
int check_stream_open(struct check_stream *s, struct xvs_check *c, SSL_CTX *tls,
		      const char *sni, const struct check_stream_handler *h,
		      void *owner);

/* Sends len bytes (at most CHECK_STREAM_OUT), then reads. */
void check_stream_send(struct check_stream *s, const char *buf, size_t len);

/* Reads without sending (a server that speaks first). */
void check_stream_read(struct check_stream *s);

/* Closes the connection (and TLS session); safe when closed. */
void check_stream_close(struct check_stream *s);

/* TLS for SSL_GET: one client context shared by every check, made on the
 * first hold and freed on the last release. NULL with a message in err. */
SSL_CTX *check_tls_hold(char *err, size_t errlen);
void check_tls_release(void);

/* The TLS transport, and attaching a session to a connected stream;
 * 0, or -1 with the reason in s->err. */
extern const struct check_stream_io check_stream_tls;
int check_tls_attach(struct check_stream *s, SSL_CTX *tls, const char *sni);

#endif /* XVS_CHECK_STREAM_H */
