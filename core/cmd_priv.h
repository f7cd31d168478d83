/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between cmd.c (reading options) and cmd_check.c (checking). */
#ifndef XVS_CMD_PRIV_H
#define XVS_CMD_PRIV_H

#include <netinet/in.h>
#include "cmd.h"

/* What the getopt pass saw, before the whole line is resolved. */
struct cmd_state {
	struct xvs_cmd *cmd;
	const char *svc_arg;	 /* -t/-u/--sctp-service text */
	const char *dest_arg;	 /* -r text */
	const char *mask_arg;	 /* -M text */
	const char *sched_arg;	 /* -s text */
	const char *flags_arg;	 /* -b text */
	const char *timeout_arg; /* -p value, NULL for the default */
	const char *fwmark_arg;	 /* -f text: a service, or a rule's mark */
	int p_pending;		 /* last option was a bare -p */
	const char *words[3];	 /* non-option words (--set's values) */
	unsigned int n_words;
	char *err;
	size_t errlen;
};

/* Writes the message to st->err; returns -EINVAL. */
int cmd_bad(struct cmd_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s, all of it, as a decimal in [min, max]; else "invalid <what> 's'". */
int cmd_number(struct cmd_state *st, const char *what, const char *s,
	       long long min, long long max, long long *v);
/* ipvsadm's name of an option bit ("weight"). */
const char *cmd_opt_name(__u32 opt);
/* enum xvs_tun_type of a --tun-type name, or -1. */
int cmd_tun_type(const char *name);
/* Resolves and checks the whole line after the getopt pass. */
int cmd_finish(struct cmd_state *st);

#endif /* XVS_CMD_PRIV_H */
