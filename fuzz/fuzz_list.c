// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the LIST reply: split, sort and print any body a
 * daemon could send, in every layout (numeric, so nothing is resolved);
 * and the same bytes as a CONN_LIST reply (-L -c).
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icore \
 *         fuzz/fuzz_list.c core/format.c core/format_conn.c core/addr.c \
 *         core/tcp_state.c -o fuzz_list
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int fmts[] = {
		0,
		XVS_FMT_RULE,
		XVS_FMT_STATS,
		XVS_FMT_STATS | XVS_FMT_EXACT,
		XVS_FMT_RATE,
		XVS_FMT_THRESHOLDS,
		XVS_FMT_PERSISTENTCONN,
		XVS_FMT_TUN_INFO,
	};
	struct xvs_info info = {.version_code = 0x010201};
	const struct xvs_conn_info *recs;
	const struct xvs_conn_list *hdr;
	struct xvs_list list;
	char err[128];
	void *body;
	FILE *out;

	/* the CLI's body is malloc'd, so aligned: fuzz it the same way */
	body = malloc(size ? size : 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	out = fopen("/dev/null", "w");
	if (out && !xvs_list_parse(body, size, &list, err, sizeof(err))) {
		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
			xvs_format_list(out, &info, &list,
					fmts[i] | XVS_FMT_NUMERIC);
		xvs_list_free(&list);
	}
	if (out &&
	    !xvs_conn_list_parse(body, size, &hdr, &recs, err, sizeof(err)))
		xvs_format_conns(out, recs, hdr->n, XVS_FMT_NUMERIC);
	if (out)
		fclose(out);
	free(body);
	return 0;
}
