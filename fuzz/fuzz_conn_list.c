// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the CONN_LIST reply (-L -c): split and print any
 * body a daemon could send (numeric, so nothing is resolved): states,
 * protocols and families out of range, counts that do not match.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icore \
 *         fuzz/fuzz_conn_list.c core/format_conn.c core/addr.c \
 *         core/tcp_state.c -o fuzz_conn_list
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct xvs_conn_info *recs;
	const struct xvs_conn_list *hdr;
	char err[128];
	void *body;
	FILE *out;

	/* the CLI's body is malloc'd, so aligned: fuzz it the same way */
	body = malloc(size ? size : 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	out = fopen("/dev/null", "w");
	if (out &&
	    !xvs_conn_list_parse(body, size, &hdr, &recs, err, sizeof(err)))
		xvs_format_conns(out, recs, hdr->n, XVS_FMT_NUMERIC);
	if (out)
		fclose(out);
	free(body);
	return 0;
}
