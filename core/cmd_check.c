// SPDX-License-Identifier: GPL-2.0
/*
 * The second pass of xvs_cmd_parse(): resolve the addresses and values
 * that depend on other options, then make ipvsadm's checks in ipvsadm's
 * order (values first, then which options go with the command, then the
 * rules of each command), with ipvsadm's wording where it has one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "cmd_priv.h"
#include "format.h"
#include "scheduler.h"

static const char *const cmd_names[] = {
	[XVS_CMD_NONE] = "none",
	[XVS_CMD_ADD_SVC] = "add-service",
	[XVS_CMD_EDIT_SVC] = "edit-service",
	[XVS_CMD_DEL_SVC] = "delete-service",
	[XVS_CMD_CLEAR] = "flush",
	[XVS_CMD_LIST] = "list",
	[XVS_CMD_ADD_DEST] = "add-server",
	[XVS_CMD_DEL_DEST] = "delete-server",
	[XVS_CMD_EDIT_DEST] = "edit-server",
	[XVS_CMD_SET_TIMEOUT] = "set",
	[XVS_CMD_START_DAEMON] = "start-daemon",
	[XVS_CMD_STOP_DAEMON] = "stop-daemon",
	[XVS_CMD_RESTORE] = "restore",
	[XVS_CMD_SAVE] = "save",
	[XVS_CMD_ZERO] = "zero",
	[XVS_CMD_HELP] = "help",
	[XVS_CMD_VERSION] = "version",
	[XVS_CMD_ADD_MARK] = "add-mark",
	[XVS_CMD_DEL_MARK] = "del-mark",
};

/* Names of the XVS_OPT_* bits, in bit order. */
static const char *const opt_names[] = {
	"numeric",
	"connection",
	"service-address",
	"scheduler",
	"persistent",
	"netmask",
	"real-server",
	"forwarding-method",
	"weight",
	"u-threshold",
	"l-threshold",
	"mcast-interface",
	"timeout",
	"daemon",
	"stats",
	"rate",
	"thresholds",
	"persistent-conn",
	"nosort",
	"syncid",
	"exact",
	"ops",
	"pe",
	"sched-flags",
	"tun-info",
	"tun-type",
	"tun-port",
	"tun-nocsum",
	"tun-csum",
	"tun-remcsum",
};

#define N_OPTS (sizeof(opt_names) / sizeof(opt_names[0]))

/*
 * ipvsadm's commands_v_options: '+' required, 'x' illegal, '1' at most
 * one of the row's '1' options, ' ' optional. One column per XVS_OPT_*
 * bit, in order (n c svc s p M r fwd w x y mc to dm st rt th pc ns sid ex
 * o pe b ti tt tp tn tc tr).
 */
static const char *const cmd_opts[] = {
	[XVS_CMD_ADD_SVC] = "xx+   xxxxxxxxxxxxxxx   xxxxxx",
	[XVS_CMD_EDIT_SVC] = "xx+   xxxxxxxxxxxxxxx   xxxxxx",
	[XVS_CMD_DEL_SVC] = "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_CLEAR] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_LIST] = " 11xxxxxxxxx11       xxx xxxxx",
	[XVS_CMD_ADD_DEST] = "xx+xxx+    xxxxxxxxxxxxxx     ",
	[XVS_CMD_DEL_DEST] = "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_EDIT_DEST] = "xx+xxx+    xxxxxxxxxxxxxx     ",
	[XVS_CMD_SET_TIMEOUT] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_START_DAEMON] = "xxxxxxxxxxx xxxxxxx xxxxxxxxxx",
	[XVS_CMD_STOP_DAEMON] = "xxxxxxxxxxxxxxxxxxx xxxxxxxxxx",
	[XVS_CMD_RESTORE] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_SAVE] = " xxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_ZERO] = "xx xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_ADD_MARK] = "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[XVS_CMD_DEL_MARK] = "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* The same for the tunnel options (tun-port nocsum csum remcsum). */
static const char *const tun_names[] = {"ipip", "gue", "gre"};
static const char *const tun_opts[] = {"xxxx", "+111", "x11x"};
#define TUN_FIRST_OPT 26 /* bit of XVS_OPT_TUN_PORT */

const char *xvs_cmd_name(enum xvs_cmd_op op)
{
	if ((unsigned int)op >= sizeof(cmd_names) / sizeof(cmd_names[0]))
		return "?";
	return cmd_names[op];
}

const char *cmd_opt_name(__u32 opt)
{
	for (unsigned int i = 0; i < N_OPTS; i++)
		if (opt == 1u << i)
			return opt_names[i];
	return "?";
}

const char *xvs_tun_type_name(enum xvs_tun_type type)
{
	if ((unsigned int)type >= sizeof(tun_names) / sizeof(tun_names[0]))
		return "?";
	return tun_names[type];
}

int cmd_tun_type(const char *name)
{
	for (int i = 0; i < (int)(sizeof(tun_names) / sizeof(tun_names[0]));
	     i++)
		if (!strcmp(name, tun_names[i]))
			return i;
	return -1;
}

/* Checks opts against row, whose column j is option bit first + j. */
static int check_row(struct cmd_state *st, const char *row, unsigned int first,
		     __u32 opts, const char *name, const char *kind)
{
	int last = -1;

	for (unsigned int j = 0; row[j] && first + j < N_OPTS; j++) {
		const char *opt = opt_names[first + j];

		if (!(opts & (1u << (first + j)))) {
			if (row[j] == '+')
				return cmd_bad(st,
					       "You need to supply the '%s' "
					       "option for the '%s' %s",
					       opt, name, kind);
			continue;
		}
		if (row[j] == 'x')
			return cmd_bad(st,
				       "Illegal '%s' option with the '%s' %s",
				       opt, name, kind);
		if (row[j] != '1')
			continue;
		if (last >= 0)
			return cmd_bad(st,
				       "The option '%s' conflicts with the "
				       "'%s' option in the '%s' %s",
				       opt, opt_names[last], name, kind);
		last = (int)(first + j);
	}
	return 0;
}

/* -t/-u/--sctp-service or -f, and the persistence netmask. */
static int resolve_service(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	struct xvs_svc_key *key = &cmd->svc.key;
	struct xvs_hostport hp;
	struct in_addr mask;
	long long v;
	int err;

	if (cmd->fwmark_v6 && !cmd->fwmark)
		return cmd_bad(st, "-6 used without -f");
	if (st->svc_arg) {
		err = xvs_addr_parse(st->svc_arg, key->proto, XVS_ADDR_NAMES,
				     &hp, st->err, st->errlen);
		if (err)
			return err;
		key->addr = hp.addr;
		key->port = hp.port;
		key->af = hp.af;
	} else if (cmd->fwmark) {
		xvs_svc_key_fwmark(key, cmd->fwmark_v6 ? XVS_AF_INET6
						       : XVS_AF_INET,
				   cmd->fwmark);
	}
	/* IPv4: a mask, network order; IPv6: a prefix length (as IPVS) */
	cmd->svc.netmask = key->af == XVS_AF_INET6 ? 128 : 0xffffffffu;
	if (!st->mask_arg)
		return 0;
	if (key->af == XVS_AF_INET6) {
		err = cmd_number(st, "netmask", st->mask_arg, 1, 128, &v);
		cmd->svc.netmask = (__u32)v;
		return err;
	}
	if (inet_pton(AF_INET, st->mask_arg, &mask) != 1)
		return cmd_bad(st, "invalid netmask '%s'", st->mask_arg);
	cmd->svc.netmask = mask.s_addr;
	return 0;
}

static int is_mark_op(enum xvs_cmd_op op)
{
	return op == XVS_CMD_ADD_MARK || op == XVS_CMD_DEL_MARK;
}

/* -f: a fwmark service, or with --add-mark/--del-mark the rule's mark. */
static int resolve_fwmark(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	long long v = 0;
	int err;

	if (!st->fwmark_arg)
		return 0;
	if (!is_mark_op(cmd->op)) {
		if (cmd->opts & XVS_OPT_SERVICE)
			return cmd_bad(st, "multiple '%s' options specified",
				       cmd_opt_name(XVS_OPT_SERVICE));
		cmd->opts |= XVS_OPT_SERVICE;
	}
	err = cmd_number(st, "fwmark", st->fwmark_arg, 1, 0xffffffffLL, &v);
	cmd->fwmark = (__u32)v;
	return err;
}

/* --add-mark and --del-mark: -t/-u's destination and -f's mark (which
 * --del-mark may leave out). */
static int check_mark(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	int err;

	if (cmd->fwmark_v6)
		return cmd_bad(st, "-6 is for fwmark services, not mark rules");
	if (cmd->svc.key.proto != IPPROTO_TCP &&
	    cmd->svc.key.proto != IPPROTO_UDP)
		return cmd_bad(st, "mark rules are for -t or -u");
	if (cmd->op == XVS_CMD_ADD_MARK && !cmd->fwmark)
		return cmd_bad(st, "You need to supply the 'fwmark' option "
				   "for the 'add-mark' command");
	err = xvs_mark_rule_parse(st->svc_arg, cmd->svc.key.proto, &cmd->mark,
				  st->err, st->errlen);
	cmd->mark.mark = cmd->fwmark;
	return err;
}

/* -r: a missing port means the service's, as in ipvsadm. */
static int resolve_dest(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	struct xvs_hostport hp;
	int err;

	cmd->dest.svc = cmd->svc.key;
	if (!st->dest_arg)
		return 0;
	err = xvs_addr_parse(st->dest_arg, cmd->svc.key.proto, XVS_ADDR_NAMES,
			     &hp, st->err, st->errlen);
	if (err)
		return err;
	cmd->dest.addr = hp.addr;
	cmd->dest.af = hp.af;
	cmd->dest.port = hp.has_port ? hp.port : cmd->svc.key.port;
	return 0;
}

/* -s, -p's value, -o. */
static int resolve_options(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	long long v = XVS_PERSISTENT_TIMEOUT;
	int err = 0;

	if (st->sched_arg) {
		if (strlen(st->sched_arg) >= XVS_SCHED_NAME_LEN ||
		    !xvs_sched_is_ipvs_name(st->sched_arg))
			return cmd_bad(st, "unknown scheduler '%s'",
				       st->sched_arg);
		strcpy(cmd->svc.sched, st->sched_arg);
	}
	if ((cmd->opts & XVS_OPT_PERSISTENT) && st->timeout_arg)
		err = cmd_number(st, "persistence timeout", st->timeout_arg, 1,
				 XVS_CMD_MAX_TIMEOUT, &v);
	if (cmd->opts & XVS_OPT_PERSISTENT)
		cmd->svc.timeout = (__u32)v;
	if (cmd->opts & XVS_OPT_ONEPACKET)
		cmd->svc.flags |= XVS_SVC_F_ONEPACKET;
	if (cmd->opts & XVS_OPT_TUN_CSUM)
		cmd->tun_csum = 1;
	if (cmd->opts & XVS_OPT_TUN_REMCSUM)
		cmd->tun_csum = 2;
	return err;
}

/* ipvsadm's parse_sched_flags: comma-separated, sh-* only with -s sh. */
static int parse_sched_flags(struct cmd_state *st, const char *arg)
{
	static const struct {
		const char *name;
		__u32 bit;
		const char *sched; /* required scheduler, or NULL */
	} flags[] = {
		{"flag-1", XVS_SCHED_FLAG_1, NULL},
		{"flag-2", XVS_SCHED_FLAG_2, NULL},
		{"flag-3", XVS_SCHED_FLAG_3, NULL},
		{"sh-fallback", XVS_SCHED_FLAG_1, "sh"},
		{"sh-port", XVS_SCHED_FLAG_2, "sh"},
		{"mh-fallback", XVS_SCHED_FLAG_1, "mh"},
		{"mh-port", XVS_SCHED_FLAG_2, "mh"},
	};
	const char *sched = st->cmd->svc.sched;
	const char *p = arg;

	do {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (strlen(flags[i].name) == len &&
			    !strncmp(flags[i].name, p, len))
				break;
		if (i == sizeof(flags) / sizeof(flags[0]))
			return cmd_bad(st, "invalid scheduler flag '%.*s'",
				       (int)len, p);
		if (flags[i].sched && strcmp(flags[i].sched, sched))
			return cmd_bad(st,
				       "incompatible scheduler flag '%s' "
				       "(needs -s %s)",
				       flags[i].name, flags[i].sched);
		st->cmd->svc.sched_flags |= flags[i].bit;
		p += len;
	} while (*p++ == ',');
	return 0;
}

/* -A and -E: the whole service is given, as ipvsadm sends it. */
static int check_service(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	struct xvs_svc_conf *svc = &cmd->svc;

	if (!svc->sched[0])
		strcpy(svc->sched, "wlc");
	if (!cmd->fwmark && !svc->key.port &&
	    !(svc->flags & XVS_SVC_F_PERSISTENT))
		return cmd_bad(st, "Zero port specified for non-persistent "
				   "service");
	if ((svc->flags & XVS_SVC_F_ONEPACKET) && !cmd->fwmark &&
	    svc->key.proto != IPPROTO_UDP)
		return cmd_bad(st, "One-Packet Scheduling is only for UDP "
				   "virtual services");
	return st->flags_arg ? parse_sched_flags(st, st->flags_arg) : 0;
}

/* -a and -e. */
static int check_dest(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	struct xvs_dest_conf *dest = &cmd->dest;
	int err;
	__u32 tun_opts_given =
		cmd->opts &
		(XVS_OPT_TUN_TYPE | XVS_OPT_TUN_PORT | XVS_OPT_TUN_NOCSUM |
		 XVS_OPT_TUN_CSUM | XVS_OPT_TUN_REMCSUM);

	/* DR and TUN cannot change the port; fwmark services have none. */
	if (!cmd->fwmark &&
	    (dest->fwd == XVS_FWD_DR || dest->fwd == XVS_FWD_TUN))
		dest->port = cmd->svc.key.port;
	if (dest->af != cmd->svc.key.af && dest->fwd != XVS_FWD_TUN)
		return cmd_bad(st, "Different address family is allowed only "
				   "for tunneling servers");
	if (tun_opts_given && dest->fwd != XVS_FWD_TUN)
		return cmd_bad(st, "Tunnel options conflict with forward "
				   "method");
	err = check_row(st, tun_opts[cmd->tun_type], TUN_FIRST_OPT, cmd->opts,
			tun_names[cmd->tun_type], "tunnel type");
	if (!err && dest->fwd == XVS_FWD_TUN) {
		/* what ipvsadm sends: the type, gue's port, the flags */
		dest->tun_type = cmd->tun_type;
		dest->tun_port = cmd->tun_port;
		dest->tun_flags = cmd->tun_csum == 1   ? XVS_TUN_F_CSUM
				  : cmd->tun_csum == 2 ? XVS_TUN_F_REMCSUM
						       : 0;
	}
	return err;
}

static int check_set(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	__u32 *vals[3] = {&cmd->set_tcp, &cmd->set_tcpfin, &cmd->set_udp};
	long long v;

	if (st->n_words != 3)
		return cmd_bad(st, "--set needs 3 timeout values "
				   "(tcp tcpfin udp)");
	for (int i = 0; i < 3; i++) {
		if (cmd_number(st, "timeout", st->words[i], 0,
			       XVS_CMD_MAX_TIMEOUT, &v))
			return -EINVAL;
		*vals[i] = (__u32)v;
	}
	return 0;
}

static int check_list(struct cmd_state *st)
{
	__u32 o = st->cmd->opts;

	if ((o & (XVS_OPT_CONNECTION | XVS_OPT_TIMEOUT | XVS_OPT_DAEMON)) &&
	    (o & (XVS_OPT_STATS | XVS_OPT_PERSISTENTCONN | XVS_OPT_RATE |
		  XVS_OPT_THRESHOLDS)))
		return cmd_bad(st, "options conflicts in the list command");
	return 0;
}

int cmd_finish(struct cmd_state *st)
{
	struct xvs_cmd *cmd = st->cmd;
	int err;

	if (cmd->op == XVS_CMD_NONE)
		return cmd_bad(st, "no command specified");
	if (cmd->op == XVS_CMD_HELP || cmd->op == XVS_CMD_VERSION)
		return 0;
	if (st->n_words && cmd->op != XVS_CMD_SET_TIMEOUT)
		return cmd_bad(st, "unexpected argument '%s'", st->words[0]);
	err = resolve_fwmark(st);
	if (!err && !is_mark_op(cmd->op)) /* -t/-u there is a prefix */
		err = resolve_service(st);
	if (!err && !is_mark_op(cmd->op))
		err = resolve_dest(st);
	if (!err)
		err = resolve_options(st);
	if (!err)
		err = check_row(st, cmd_opts[cmd->op], 0, cmd->opts,
				cmd_names[cmd->op], "command");
	if (err)
		return err;
	switch (cmd->op) {
	case XVS_CMD_ADD_SVC:
	case XVS_CMD_EDIT_SVC:
		return check_service(st);
	case XVS_CMD_ADD_DEST:
	case XVS_CMD_EDIT_DEST:
		return check_dest(st);
	case XVS_CMD_SET_TIMEOUT:
		return check_set(st);
	case XVS_CMD_LIST:
		return check_list(st);
	case XVS_CMD_ADD_MARK:
	case XVS_CMD_DEL_MARK:
		return check_mark(st);
	case XVS_CMD_SAVE:
		cmd->fmt |= XVS_FMT_RULE;
		return 0;
	case XVS_CMD_START_DAEMON:
		if (!cmd->mcast_ifn[0])
			strcpy(cmd->mcast_ifn, "eth0");
		return 0;
	default:
		return 0;
	}
}
