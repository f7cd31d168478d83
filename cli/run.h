/* SPDX-License-Identifier: GPL-2.0 */
/* Carrying out one parsed command against the daemon. */
#ifndef XVSADM_RUN_H
#define XVSADM_RUN_H

#include <stdio.h>
#include "client.h"
#include "cmd.h"

/* Exit statuses, as ipvsadm's. */
#define XVSADM_OK 0
#define XVSADM_FAIL 1	/* refused, not built yet, or no daemon */
#define XVSADM_SYNTAX 2 /* the command line is wrong */

/*
 * Runs cmd, which must not be -R, -h or -v: sends its request (none for
 * what xvs has not built yet) and prints any listing to out. Returns
 * XVSADM_OK, or XVSADM_FAIL with a one-line message in err.
 */
int run_cmd(struct client *c, const struct xvs_cmd *cmd, FILE *out, char *err,
	    size_t errlen);

#endif /* XVSADM_RUN_H */
