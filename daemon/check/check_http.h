/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP_GET's state and steps, shared with SSL_GET (check_ssl.c), which is
 * the same dialogue over TLS.
 */
#ifndef XVS_CHECK_HTTP_H
#define XVS_CHECK_HTTP_H

#include <openssl/evp.h>

#include "check_stream.h"

#define HTTP_MAX_HEAD 8192	  /* status line and headers */
#define HTTP_MAX_REPLY (1u << 20) /* everything read for one url */

struct http_check {
	struct check_stream stream;
	struct xvs_check *check;
	SSL_CTX *tls;			/* SSL_GET: the shared client context */
	const struct xvs_conf_url *url; /* being fetched */
	char head[HTTP_MAX_HEAD + 1];
	size_t head_len; /* bytes in head; the header ends at head_end */
	size_t head_end; /* 0 until the blank line was seen */
	int status;
	long long content_length; /* -1 without the header */
	size_t body_len, reply_len;
	EVP_MD_CTX *md; /* the body's MD5, for urls with a digest */
};

/* ops of HTTP_GET, which SSL_GET's use around its TLS context. */
int http_check_init(struct xvs_check *c, char *err, size_t errlen);
void http_check_fini(struct xvs_check *c);
void http_check_begin(struct xvs_check *c);
void http_check_close(struct xvs_check *c);

#endif /* XVS_CHECK_HTTP_H */
