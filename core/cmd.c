// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm's command line read with getopt_long; see cmd.h.
 *
 * Two passes: the getopt loop only records what each option said (strings
 * for anything whose meaning depends on another option, such as -r's port
 * on the protocol of -t/-u), then cmd_finish() resolves and checks the
 * whole line, so the order of options does not matter. The semantic
 * checks live in cmd_check.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_priv.h"
#include "format.h"

/* Long options without a short letter, outside the char range. */
enum {
	TAG_SET = 256,
	TAG_START_DAEMON,
	TAG_STOP_DAEMON,
	TAG_SCTP,
	TAG_MCAST_IFN,
	TAG_SYNCID,
	TAG_TIMEOUT,
	TAG_DAEMON,
	TAG_STATS,
	TAG_RATE,
	TAG_THRESHOLDS,
	TAG_PERSISTENTCONN,
	TAG_SORT,
	TAG_NOSORT,
	TAG_PE,
	TAG_TUN_INFO,
	TAG_TUN_TYPE,
	TAG_TUN_PORT,
	TAG_TUN_NOCSUM,
	TAG_TUN_CSUM,
	TAG_TUN_REMCSUM,
	TAG_ADD_MARK,
	TAG_DEL_MARK,
};

/*
 * '-' returns every non-option word in place (code 1), which is how -p's
 * optional value can be a separate word as in ipvsadm ("-p 360") and how
 * --set finds its three values; ':' reports a missing argument as ':'.
 */
static const char optstring[] =
	"-:AEDCLlZaedhvRSt:u:f:s:p::M:r:gimw:x:y:ncX6ob:";

static const struct option longopts[] = {
	{"add-service", no_argument, NULL, 'A'},
	{"edit-service", no_argument, NULL, 'E'},
	{"delete-service", no_argument, NULL, 'D'},
	{"clear", no_argument, NULL, 'C'},
	{"list", no_argument, NULL, 'L'},
	{"zero", no_argument, NULL, 'Z'},
	{"add-server", no_argument, NULL, 'a'},
	{"edit-server", no_argument, NULL, 'e'},
	{"delete-server", no_argument, NULL, 'd'},
	{"set", no_argument, NULL, TAG_SET},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'v'},
	{"restore", no_argument, NULL, 'R'},
	{"save", no_argument, NULL, 'S'},
	{"start-daemon", required_argument, NULL, TAG_START_DAEMON},
	{"stop-daemon", required_argument, NULL, TAG_STOP_DAEMON},
	{"tcp-service", required_argument, NULL, 't'},
	{"udp-service", required_argument, NULL, 'u'},
	{"sctp-service", required_argument, NULL, TAG_SCTP},
	{"fwmark-service", required_argument, NULL, 'f'},
	{"scheduler", required_argument, NULL, 's'},
	{"persistent", optional_argument, NULL, 'p'},
	{"netmask", required_argument, NULL, 'M'},
	{"real-server", required_argument, NULL, 'r'},
	{"masquerading", no_argument, NULL, 'm'},
	{"ipip", no_argument, NULL, 'i'},
	{"gatewaying", no_argument, NULL, 'g'},
	{"weight", required_argument, NULL, 'w'},
	{"u-threshold", required_argument, NULL, 'x'},
	{"l-threshold", required_argument, NULL, 'y'},
	{"numeric", no_argument, NULL, 'n'},
	{"connection", no_argument, NULL, 'c'},
	{"mcast-interface", required_argument, NULL, TAG_MCAST_IFN},
	{"syncid", required_argument, NULL, TAG_SYNCID},
	{"timeout", no_argument, NULL, TAG_TIMEOUT},
	{"daemon", no_argument, NULL, TAG_DAEMON},
	{"stats", no_argument, NULL, TAG_STATS},
	{"rate", no_argument, NULL, TAG_RATE},
	{"thresholds", no_argument, NULL, TAG_THRESHOLDS},
	{"persistent-conn", no_argument, NULL, TAG_PERSISTENTCONN},
	{"nosort", no_argument, NULL, TAG_NOSORT},
	{"sort", no_argument, NULL, TAG_SORT},
	{"exact", no_argument, NULL, 'X'},
	{"ipv6", no_argument, NULL, '6'},
	{"ops", no_argument, NULL, 'o'},
	{"pe", required_argument, NULL, TAG_PE},
	{"sched-flags", required_argument, NULL, 'b'},
	{"tun-info", no_argument, NULL, TAG_TUN_INFO},
	{"tun-type", required_argument, NULL, TAG_TUN_TYPE},
	{"tun-port", required_argument, NULL, TAG_TUN_PORT},
	{"tun-nocsum", no_argument, NULL, TAG_TUN_NOCSUM},
	{"tun-csum", no_argument, NULL, TAG_TUN_CSUM},
	{"tun-remcsum", no_argument, NULL, TAG_TUN_REMCSUM},
	{"add-mark", no_argument, NULL, TAG_ADD_MARK},
	{"del-mark", no_argument, NULL, TAG_DEL_MARK},
	{NULL, 0, NULL, 0},
};

/* Options that name the command. */
static const struct {
	int key;
	enum xvs_cmd_op op;
} cmd_keys[] = {
	{'A', XVS_CMD_ADD_SVC},
	{'E', XVS_CMD_EDIT_SVC},
	{'D', XVS_CMD_DEL_SVC},
	{'C', XVS_CMD_CLEAR},
	{'L', XVS_CMD_LIST},
	{'l', XVS_CMD_LIST},
	{'Z', XVS_CMD_ZERO},
	{'a', XVS_CMD_ADD_DEST},
	{'e', XVS_CMD_EDIT_DEST},
	{'d', XVS_CMD_DEL_DEST},
	{TAG_SET, XVS_CMD_SET_TIMEOUT},
	{'R', XVS_CMD_RESTORE},
	{'S', XVS_CMD_SAVE},
	{'h', XVS_CMD_HELP},
	{'v', XVS_CMD_VERSION},
	{TAG_ADD_MARK, XVS_CMD_ADD_MARK},
	{TAG_DEL_MARK, XVS_CMD_DEL_MARK},
};

/* Options that only switch something on. */
static const struct {
	int key;
	__u32 opt;
	unsigned int fmt;
} flag_keys[] = {
	{'n', XVS_OPT_NUMERIC, XVS_FMT_NUMERIC},
	{'c', XVS_OPT_CONNECTION, 0},
	{TAG_TIMEOUT, XVS_OPT_TIMEOUT, 0},
	{TAG_DAEMON, XVS_OPT_DAEMON, 0},
	{TAG_STATS, XVS_OPT_STATS, XVS_FMT_STATS},
	{TAG_RATE, XVS_OPT_RATE, XVS_FMT_RATE},
	{TAG_THRESHOLDS, XVS_OPT_THRESHOLDS, XVS_FMT_THRESHOLDS},
	{TAG_PERSISTENTCONN, XVS_OPT_PERSISTENTCONN, XVS_FMT_PERSISTENTCONN},
	{TAG_NOSORT, XVS_OPT_NOSORT, XVS_FMT_NOSORT},
	{'X', XVS_OPT_EXACT, XVS_FMT_EXACT},
	{'o', XVS_OPT_ONEPACKET, 0},
	{TAG_TUN_INFO, XVS_OPT_TUN_INFO, XVS_FMT_TUN_INFO},
	{TAG_TUN_NOCSUM, XVS_OPT_TUN_NOCSUM, 0},
	{TAG_TUN_CSUM, XVS_OPT_TUN_CSUM, 0},
	{TAG_TUN_REMCSUM, XVS_OPT_TUN_REMCSUM, 0},
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int cmd_bad(struct cmd_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, st->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cmd_number(struct cmd_state *st, const char *what, const char *s,
	       long long min, long long max, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (!*s || *end || errno || *v < min || *v > max)
		return cmd_bad(st, "invalid %s '%s' (must be %lld..%lld)", what,
			       s, min, max);
	return 0;
}

static int set_command(struct cmd_state *st, enum xvs_cmd_op op)
{
	if (st->cmd->op != XVS_CMD_NONE)
		return cmd_bad(st,
			       "multiple commands specified ('%s' and '%s')",
			       xvs_cmd_name(st->cmd->op), xvs_cmd_name(op));
	st->cmd->op = op;
	return 0;
}

static int set_option(struct cmd_state *st, __u32 opt)
{
	if (st->cmd->opts & opt)
		return cmd_bad(st, "multiple '%s' options specified",
			       cmd_opt_name(opt));
	st->cmd->opts |= opt;
	return 0;
}

static int daemon_state(struct cmd_state *st, const char *s)
{
	if (strcmp(s, "master") && strcmp(s, "backup"))
		return cmd_bad(st,
			       "invalid sync daemon state '%s' "
			       "(master or backup)",
			       s);
	st->cmd->daemon_backup = !strcmp(s, "backup");
	return 0;
}

/* A non-option word: -p's value right after a bare -p, or --set's. */
static int take_word(struct cmd_state *st, const char *s)
{
	if (st->p_pending) {
		st->timeout_arg = s;
		st->p_pending = 0;
		return 0;
	}
	if (st->n_words == ARRAY_SIZE(st->words))
		return cmd_bad(st, "unexpected argument '%s'", s);
	st->words[st->n_words++] = s;
	return 0;
}

/* Options whose value is checked on its own, at once. */
static int take_value(struct cmd_state *st, int c, const char *arg)
{
	struct xvs_cmd *cmd = st->cmd;
	long long v = 0;
	int err;

	if (!arg) /* every option here has a required argument */
		return 1;
	switch (c) {
	case 'w':
		err = set_option(st, XVS_OPT_WEIGHT)
			      ?: cmd_number(st, "weight", arg, 0,
					    XVS_WEIGHT_MAX, &v);
		cmd->dest.weight = (__s32)v;
		return err;
	case 'x':
		err = set_option(st, XVS_OPT_UTHRESHOLD)
			      ?: cmd_number(st, "u-threshold", arg, 0,
					    0x7fffffff, &v);
		cmd->dest.u_threshold = (__u32)v;
		return err;
	case 'y':
		err = set_option(st, XVS_OPT_LTHRESHOLD)
			      ?: cmd_number(st, "l-threshold", arg, 0,
					    0x7fffffff, &v);
		cmd->dest.l_threshold = (__u32)v;
		return err;
	case TAG_SYNCID:
		err = set_option(st, XVS_OPT_SYNCID)
			      ?: cmd_number(st, "syncid", arg, 0, 255, &v);
		cmd->syncid = (__u32)v;
		return err;
	case TAG_TUN_PORT:
		err = set_option(st, XVS_OPT_TUN_PORT)
			      ?: cmd_number(st, "tun-port", arg, 1, 65535, &v);
		cmd->tun_port = htons((__u16)v);
		return err;
	case TAG_TUN_TYPE:
		err = set_option(st, XVS_OPT_TUN_TYPE);
		if (!err && cmd_tun_type(arg) < 0)
			err = cmd_bad(st,
				      "invalid tunnel type '%s' "
				      "(ipip, gue or gre)",
				      arg);
		cmd->tun_type = err ? 0 : (__u8)cmd_tun_type(arg);
		return err;
	case TAG_PE:
		err = set_option(st, XVS_OPT_PE);
		if (!err && (!*arg || strlen(arg) >= sizeof(cmd->pe)))
			err = cmd_bad(st, "invalid persistence engine '%s'",
				      arg);
		if (!err)
			strcpy(cmd->pe, arg);
		return err;
	case TAG_MCAST_IFN:
		err = set_option(st, XVS_OPT_MCAST);
		if (!err && (!*arg || strlen(arg) >= sizeof(cmd->mcast_ifn)))
			err = cmd_bad(st, "invalid interface name '%s'", arg);
		if (!err)
			strcpy(cmd->mcast_ifn, arg);
		return err;
	case TAG_START_DAEMON:
	case TAG_STOP_DAEMON:
		return set_command(st, c == TAG_START_DAEMON
					       ? XVS_CMD_START_DAEMON
					       : XVS_CMD_STOP_DAEMON)
			       ?: daemon_state(st, arg);
	}
	return 1; /* not one of these */
}

/* Options kept as text until the whole line is known. */
static int take_deferred(struct cmd_state *st, int c, const char *arg)
{
	struct xvs_cmd *cmd = st->cmd;
	int err;

	switch (c) {
	case 't':
	case 'u':
	case TAG_SCTP:
		st->svc_arg = arg;
		cmd->svc.key.proto = c == 't'	? IPPROTO_TCP
				     : c == 'u' ? IPPROTO_UDP
						: IPPROTO_SCTP;
		return set_option(st, XVS_OPT_SERVICE);
	case 's':
		st->sched_arg = arg;
		return set_option(st, XVS_OPT_SCHEDULER);
	case 'p':
		st->timeout_arg = arg;
		st->p_pending = !arg;
		cmd->svc.flags |= XVS_SVC_F_PERSISTENT;
		return set_option(st, XVS_OPT_PERSISTENT);
	case 'M':
		st->mask_arg = arg;
		return set_option(st, XVS_OPT_NETMASK);
	case 'f': /* a service, or with --add-mark a mark: cmd_finish */
		if (st->fwmark_arg)
			return cmd_bad(st, "multiple '%s' options specified",
				       cmd_opt_name(XVS_OPT_SERVICE));
		st->fwmark_arg = arg;
		return 0;
	case 'r':
		st->dest_arg = arg;
		return set_option(st, XVS_OPT_SERVER);
	case 'b':
		st->flags_arg = arg;
		return set_option(st, XVS_OPT_SCHED_FLAGS);
	case 'g':
	case 'i':
	case 'm':
		err = set_option(st, XVS_OPT_FORWARD);
		cmd->dest.fwd = c == 'g'   ? XVS_FWD_DR
				: c == 'i' ? XVS_FWD_TUN
					   : XVS_FWD_NAT;
		return err;
	case '6':
		cmd->fwmark_v6 = 1;
		return 0;
	case TAG_SORT: /* the default; a no-op, as in ipvsadm */
		return 0;
	}
	return 1;
}

static int take_option(struct cmd_state *st, int c, const char *arg)
{
	int err;

	if (c == 1)
		return take_word(st, arg);
	st->p_pending = 0;
	for (size_t i = 0; i < ARRAY_SIZE(cmd_keys); i++)
		if (cmd_keys[i].key == c)
			return set_command(st, cmd_keys[i].op);
	for (size_t i = 0; i < ARRAY_SIZE(flag_keys); i++)
		if (flag_keys[i].key == c) {
			st->cmd->fmt |= flag_keys[i].fmt;
			return set_option(st, flag_keys[i].opt);
		}
	err = take_value(st, c, arg);
	if (err <= 0)
		return err;
	return take_deferred(st, c, arg);
}

/* The message for getopt's '?' or ':' about element elem. */
static int getopt_error(struct cmd_state *st, int c, const char *elem)
{
	int len = (int)strcspn(elem, "=");

	if (strncmp(elem, "--", 2)) { /* a short option, maybe in a cluster */
		if (c == ':')
			return cmd_bad(st, "option '-%c' requires an argument",
				       optopt);
		return cmd_bad(st, "invalid option '-%c'", optopt);
	}
	if (c == ':')
		return cmd_bad(st, "option '%.*s' requires an argument", len,
			       elem);
	if (elem[len] == '=' && optopt) /* known, but takes no value */
		return cmd_bad(st, "option '%.*s' takes no argument ('%s')",
			       len, elem, elem);
	return cmd_bad(st, "invalid option '%.*s'", len, elem);
}

int xvs_cmd_parse(int argc, char **argv, struct xvs_cmd *cmd, char *err,
		  size_t errlen)
{
	struct cmd_state st = {.cmd = cmd, .err = err, .errlen = errlen};
	int saved_opterr = opterr;
	int c, ret = 0, at;

	memset(cmd, 0, sizeof(*cmd));
	cmd->dest.weight = 1;
	cmd->dest.fwd = XVS_FWD_DR;
	if (err && errlen)
		err[0] = '\0';
	if (argc <= 1) {
		cmd->op = XVS_CMD_LIST; /* bare "ipvsadm" lists the table */
		return 0;
	}
	opterr = 0;
	optind = 0; /* glibc: reinitialise fully, whatever ran before */
	for (;;) {
		/* No permutation ('-'), so the element being read is at. */
		at = optind ? optind : 1;
		c = getopt_long(argc, argv, optstring, longopts, NULL);
		if (c == -1)
			break;
		if (c == '?' || c == ':')
			ret = getopt_error(&st, c, argv[at]);
		else
			ret = take_option(&st, c, optarg);
		if (ret)
			break;
	}
	/* words after "--" */
	while (!ret && c == -1 && optind > 0 && optind < argc)
		ret = take_word(&st, argv[optind++]);
	optind = 0;
	opterr = saved_opterr;
	return ret ? ret : cmd_finish(&st);
}

int xvs_cmd_parse_line(const char *line, struct xvs_cmd *cmd, char *err,
		       size_t errlen)
{
	char *argv[64], *copy, *word, *save = NULL;
	int argc = 1, ret;

	copy = strdup(line);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	argv[0] = "xvsadm";
	for (word = strtok_r(copy, " \t\r\n\f\v", &save); word && *word != '#';
	     word = strtok_r(NULL, " \t\r\n\f\v", &save)) {
		if (argc == (int)ARRAY_SIZE(argv) - 1) {
			snprintf(err, errlen, "too many words (over %d)",
				 argc - 1);
			free(copy);
			return -E2BIG;
		}
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	ret = argc == 1 ? 1 : xvs_cmd_parse(argc, argv, cmd, err, errlen);
	free(copy);
	return ret;
}
