// SPDX-License-Identifier: GPL-2.0
/*
 * xvsadm: ipvsadm's command line for xvsd.
 *   xvsadm [--socket PATH] <ipvsadm 1.31 arguments>
 * Parsing is core/cmd.c's, listings core/format.c's; this file picks the
 * socket, runs one command or a -R stream, and turns outcomes into
 * messages and ipvsadm's exit statuses (0 ok, 1 failed, 2 bad syntax).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"
#include "usage.h"

#define ERR_LEN 512

static void syntax_error(const char *msg)
{
	fprintf(stderr, "xvsadm: %s\n", msg);
	fprintf(stderr, "Try `xvsadm -h' or 'xvsadm --help' for more "
			"information.\n");
}

/* Any command but -R: help and version here, the rest to the daemon. */
static int run_one(struct client *c, const struct xvs_cmd *cmd, char *err,
		   size_t errlen)
{
	switch (cmd->op) {
	case XVS_CMD_HELP:
		xvsadm_usage(stdout);
		return XVSADM_OK;
	case XVS_CMD_VERSION:
		xvsadm_version(stdout);
		return XVSADM_OK;
	default:
		return run_cmd(c, cmd, stdout, err, errlen);
	}
}

/*
 * -R: one ipvsadm command a line (blank lines and # comments skipped),
 * all on one daemon connection, stopping at the first line that fails;
 * the message names that line. Returns an exit status.
 */
static int restore(struct client *c, FILE *in, char *err, size_t errlen)
{
	char msg[ERR_LEN - 64], *line = NULL; /* room for "line N: " */
	unsigned long n = 0;
	struct xvs_cmd cmd;
	int status = XVSADM_OK;
	size_t cap = 0;
	int ret;

	while (status == XVSADM_OK && getline(&line, &cap, in) != -1) {
		n++;
		ret = xvs_cmd_parse_line(line, &cmd, msg, sizeof(msg));
		if (ret == 1)
			continue;
		if (!ret && cmd.op == XVS_CMD_RESTORE) {
			snprintf(msg, sizeof(msg), "-R inside a restore");
			ret = -1;
		}
		if (ret < 0)
			status = XVSADM_SYNTAX;
		else
			status = run_one(c, &cmd, msg, sizeof(msg));
		if (status != XVSADM_OK)
			snprintf(err, errlen, "line %lu: %s", n, msg);
	}
	free(line);
	if (status == XVSADM_OK && ferror(in)) {
		snprintf(err, errlen, "reading standard input failed");
		status = XVSADM_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *sock = getenv("XVS_SOCKET");
	char err[ERR_LEN];
	struct xvs_cmd cmd;
	struct client c;
	int first = 1, status;

	if (!sock || !*sock)
		sock = XVS_DEFAULT_SOCKET;
	/* xvsadm's own option comes before the ipvsadm arguments */
	while (first < argc && !strncmp(argv[first], "--socket", 8) &&
	       (argv[first][8] == '\0' || argv[first][8] == '=')) {
		if (argv[first][8] == '=') {
			sock = argv[first++] + 9;
		} else if (first + 1 < argc) {
			sock = argv[first + 1];
			first += 2;
		} else {
			syntax_error("option '--socket' requires an argument");
			return XVSADM_SYNTAX;
		}
	}
	argv[first - 1] = argv[0];
	if (xvs_cmd_parse(argc - first + 1, argv + first - 1, &cmd, err,
			  sizeof(err))) {
		syntax_error(err);
		return XVSADM_SYNTAX;
	}
	client_init(&c, sock);
	if (cmd.op == XVS_CMD_RESTORE)
		status = restore(&c, stdin, err, sizeof(err));
	else
		status = run_one(&c, &cmd, err, sizeof(err));
	client_close(&c);
	if (fflush(stdout) && status == XVSADM_OK) {
		snprintf(err, sizeof(err), "writing standard output failed");
		status = XVSADM_FAIL;
	}
	if (status != XVSADM_OK)
		fprintf(stderr, "xvsadm: %s\n", err);
	return status;
}
