// SPDX-License-Identifier: GPL-2.0
/*
 * SSL_GET: HTTP_GET (check_http.c) over TLS, with the client context all
 * SSL_GET checks share; SNI from the url's or the checker's virtualhost
 * with enable_sni.
 */
#include <stdio.h>

#include "check_http.h"

static int ssl_init(struct xvs_check *c, char *err, size_t errlen)
{
	struct http_check *h = check_priv(c);

	h->tls = check_tls_hold(err, errlen);
	if (!h->tls)
		return -1;
	if (http_check_init(c, err, errlen)) {
		check_tls_release();
		return -1;
	}
	return 0;
}

static void ssl_fini(struct xvs_check *c)
{
	http_check_fini(c);
	check_tls_release();
}

const struct xvs_check_ops check_ssl_ops = {
	.name = "SSL_GET",
	.priv_size = sizeof(struct http_check),
	.init = ssl_init,
	.fini = ssl_fini,
	.begin = http_check_begin,
	.close = http_check_close,
};
