/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One ipvsadm command line, parsed. xvsadm parses its own arguments and
 * every -R line with the same function, and the tests parse -S output back
 * with it; nothing here talks to the daemon or prints.
 *
 * Syntax, defaults and checks are ipvsadm 1.31's: scheduler wlc, -g,
 * weight 1, -p without a value 360 s, the real-server port forced to the
 * service port for -g and -i, the same table of which option goes with
 * which command and the same wording for its errors. Things xvs has not
 * built (fwmark and SCTP services, --pe, -b, other tunnel types, the sync
 * daemon, --set) are parsed into their fields so that the caller can say
 * "not built yet" instead of "invalid option".
 */
#ifndef XVS_CMD_H
#define XVS_CMD_H

#include <stddef.h>
#include "ipc.h"
#include "mark.h"
#include "scheduler.h"

/* Commands, in the order of ipvsadm's CMD_* (rows of the option table). */
enum xvs_cmd_op {
	XVS_CMD_NONE = 0,
	XVS_CMD_ADD_SVC,      /* -A --add-service */
	XVS_CMD_EDIT_SVC,     /* -E --edit-service */
	XVS_CMD_DEL_SVC,      /* -D --delete-service */
	XVS_CMD_CLEAR,	      /* -C --clear */
	XVS_CMD_LIST,	      /* -L -l --list, and no arguments at all */
	XVS_CMD_ADD_DEST,     /* -a --add-server */
	XVS_CMD_DEL_DEST,     /* -d --delete-server */
	XVS_CMD_EDIT_DEST,    /* -e --edit-server */
	XVS_CMD_SET_TIMEOUT,  /* --set tcp tcpfin udp */
	XVS_CMD_START_DAEMON, /* --start-daemon master|backup */
	XVS_CMD_STOP_DAEMON,  /* --stop-daemon master|backup */
	XVS_CMD_RESTORE,      /* -R --restore */
	XVS_CMD_SAVE,	      /* -S --save */
	XVS_CMD_ZERO,	      /* -Z --zero */
	XVS_CMD_HELP,	      /* -h --help */
	XVS_CMD_VERSION,      /* -v --version */
	XVS_CMD_ADD_MARK,     /* --add-mark (xvs's, core/mark.h) */
	XVS_CMD_DEL_MARK,     /* --del-mark */
};

/* Which options were given (struct xvs_cmd.opts), ipvsadm's OPT_* order. */
enum xvs_cmd_opt {
	XVS_OPT_NUMERIC = 1u << 0,	   /* -n */
	XVS_OPT_CONNECTION = 1u << 1,	   /* -c */
	XVS_OPT_SERVICE = 1u << 2,	   /* -t -u -f --sctp-service */
	XVS_OPT_SCHEDULER = 1u << 3,	   /* -s */
	XVS_OPT_PERSISTENT = 1u << 4,	   /* -p */
	XVS_OPT_NETMASK = 1u << 5,	   /* -M */
	XVS_OPT_SERVER = 1u << 6,	   /* -r */
	XVS_OPT_FORWARD = 1u << 7,	   /* -g -i -m */
	XVS_OPT_WEIGHT = 1u << 8,	   /* -w */
	XVS_OPT_UTHRESHOLD = 1u << 9,	   /* -x */
	XVS_OPT_LTHRESHOLD = 1u << 10,	   /* -y */
	XVS_OPT_MCAST = 1u << 11,	   /* --mcast-interface */
	XVS_OPT_TIMEOUT = 1u << 12,	   /* --timeout */
	XVS_OPT_DAEMON = 1u << 13,	   /* --daemon */
	XVS_OPT_STATS = 1u << 14,	   /* --stats */
	XVS_OPT_RATE = 1u << 15,	   /* --rate */
	XVS_OPT_THRESHOLDS = 1u << 16,	   /* --thresholds */
	XVS_OPT_PERSISTENTCONN = 1u << 17, /* --persistent-conn */
	XVS_OPT_NOSORT = 1u << 18,	   /* --nosort */
	XVS_OPT_SYNCID = 1u << 19,	   /* --syncid */
	XVS_OPT_EXACT = 1u << 20,	   /* -X --exact */
	XVS_OPT_ONEPACKET = 1u << 21,	   /* -o --ops */
	XVS_OPT_PE = 1u << 22,		   /* --pe */
	XVS_OPT_SCHED_FLAGS = 1u << 23,	   /* -b --sched-flags */
	XVS_OPT_TUN_INFO = 1u << 24,	   /* --tun-info */
	XVS_OPT_TUN_TYPE = 1u << 25,	   /* --tun-type */
	XVS_OPT_TUN_PORT = 1u << 26,	   /* --tun-port */
	XVS_OPT_TUN_NOCSUM = 1u << 27,	   /* --tun-nocsum */
	XVS_OPT_TUN_CSUM = 1u << 28,	   /* --tun-csum */
	XVS_OPT_TUN_REMCSUM = 1u << 29,	   /* --tun-remcsum */
};


/* -b flags, XVS_SCHED_FLAG_*, are in scheduler.h. */

#define XVS_CMD_MAX_TIMEOUT (86400 * 31) /* ipvsadm's MAX_TIMEOUT */
#define XVS_PERSISTENT_TIMEOUT 360	 /* -p without a value */

struct xvs_cmd {
	enum xvs_cmd_op op;
	__u32 opts;		 /* enum xvs_cmd_opt: what the line gave */
	unsigned int fmt;	 /* XVS_FMT_* (format.h) for -L and -S */
	struct xvs_svc_conf svc; /* the service and its options */
	/* The real server; .svc is a copy of svc.key. */
	struct xvs_dest_conf dest;
	__u32 fwmark;	    /* -f; 0 when the service is addr:port; with
			     * --add-mark/--del-mark the rule's mark */
	int fwmark_v6;	    /* -6 with -f */
	char pe[16];	    /* --pe name, "" without */
	__u8 tun_type;	    /* enum xvs_tun_type */
	__u8 tun_csum;	    /* 0 nocsum, 1 csum, 2 remcsum */
	__be16 tun_port;    /* --tun-port, network order */
	__u32 set_tcp;	    /* --set: established TCP timeout, s */
	__u32 set_tcpfin;   /* --set: TCP FIN_WAIT timeout, s */
	__u32 set_udp;	    /* --set: UDP timeout, s */
	int daemon_backup;  /* --start/stop-daemon: 0 master, 1 backup */
	char mcast_ifn[16]; /* --mcast-interface, default eth0 */
	__u32 syncid;	    /* --syncid 0..255 */
	struct xvs_mark_rule mark; /* --add-mark, --del-mark: -t/-u's
				    * destination, -f's mark */
};

/*
 * Parses argv[1..argc) into *cmd (fully overwritten). argc <= 1 means
 * "list" as in ipvsadm. Reentrant in the sense that it resets getopt's
 * state before and after; not thread-safe (getopt is not). Returns 0, or
 * -EINVAL with a message in err that quotes the offending argument.
 * Cost: resolves host and service names, which may block.
 */
int xvs_cmd_parse(int argc, char **argv, struct xvs_cmd *cmd, char *err,
		  size_t errlen);

/*
 * Parses one line of -R input: words separated by blanks, "#" to the end
 * of the line is a comment. Returns 1 when the line holds no words (cmd
 * untouched), 0 when parsed, -errno on error (message in err).
 */
int xvs_cmd_parse_line(const char *line, struct xvs_cmd *cmd, char *err,
		       size_t errlen);

/* ipvsadm's name of a command ("add-service"), for messages. */
const char *xvs_cmd_name(enum xvs_cmd_op op);
/* "ipip", "gue" or "gre". */
const char *xvs_tun_type_name(enum xvs_tun_type type);

#endif /* XVS_CMD_H */
