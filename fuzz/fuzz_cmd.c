// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the ipvsadm command-line parser, fed as -R lines:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icore \
 *         fuzz/fuzz_cmd.c core/cmd.c core/cmd_check.c core/addr.c \
 *         core/sched.c core/sched_rr.c core/sched_wrr.c -o fuzz_cmd
 * Host names are not resolved here: a fuzzer must not wait on DNS, so this
 * file's getaddrinfo, which finds nothing, stands in for libc's.
 */
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_NONAME;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvs_cmd cmd;
	char err[256], *line;

	if (size > 4096)
		return 0;
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	xvs_cmd_parse_line(line, &cmd, err, sizeof(err));
	free(line);
	return 0;
}
