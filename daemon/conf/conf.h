/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The LVS part of keepalived.conf, as xvsd reads it (--config): the model
 * the parser builds and the rest of the daemon uses. Every value here is
 * final: defaults are filled in and timers inherited (checker, then real
 * server, then virtual server, then keepalived's default), so no reader
 * has to know keepalived's defaulting rules. docs/configuration.md lists
 * the keywords.
 *
 * Lists keep the file's order. Strings are malloc'd and owned by the
 * model; xvs_conf_free releases everything. Addresses are network order,
 * ports host order.
 */
#ifndef XVS_CONF_H
#define XVS_CONF_H

#include <stddef.h>
#include "xvs_model.h"

/* Where something was declared, for messages: "FILE:LINE". file points
 * into the model (xvs_conf.files) and lives as long as it. */
struct xvs_conf_where {
	const char *file;
	int line;
};

enum xvs_check_type {
	XVS_CHECK_TCP = 0, /* TCP_CHECK */
	XVS_CHECK_HTTP,    /* HTTP_GET */
	XVS_CHECK_SSL,     /* SSL_GET */
	XVS_CHECK_MISC,    /* MISC_CHECK */
	XVS_CHECK_SMTP,    /* SMTP_CHECK */
	XVS_CHECK_DNS,     /* DNS_CHECK */
};

#define XVS_CONF_MAX_STATUS 16 /* status_code ranges per url */

/* One url { } block of HTTP_GET / SSL_GET. */
struct xvs_conf_url {
	char *path;             /* "/" when not given */
	int has_digest;
	unsigned char digest[16]; /* MD5 of the body (genhash's hex) */
	/* status_code: ranges lo..hi; none given means 200-299. */
	struct {
		unsigned short lo, hi;
	} status[XVS_CONF_MAX_STATUS];
	int n_status;
	char *virtualhost;      /* Host: for this url; NULL: the checker's */
	struct xvs_conf_url *next;
};

/* One checker block of a real server. */
struct xvs_conf_checker {
	enum xvs_check_type type;
	struct xvs_conf_where where;
	/* connect_ip / connect_port: af 0 means the real server's address,
	 * port 0 its port, as keepalived (the reader makes sure one of them
	 * gives a port, but for MISC_CHECK). */
	__u8 connect_af;
	union xvs_addr connect_ip;
	unsigned short connect_port;
	/* bindto / bind_port: the source; af 0 and port 0 leave it to the
	 * kernel. */
	__u8 bind_af;
	union xvs_addr bindto;
	unsigned short bind_port;
	/* Timers in milliseconds, inherited and defaulted (keepalived's
	 * defaults: delay_loop 60 s, connect_timeout 5 s, delay_before_retry
	 * 3 s for HTTP_GET/SSL_GET and 1 s otherwise, warmup = delay_loop). */
	unsigned connect_timeout_ms;
	unsigned delay_loop_ms;
	unsigned delay_before_retry_ms;
	unsigned warmup_ms; /* first check after a random 0..warmup_ms */
	/* Retries after a failure before the server is marked down
	 * (default 1; DNS_CHECK 3, MISC_CHECK 0). */
	unsigned retry;

	/* HTTP_GET and SSL_GET */
	struct xvs_conf_url *urls; /* at least one */
	char *virtualhost;         /* checker's Host:; NULL: the address */
	int enable_sni;            /* SSL_GET: send virtualhost as SNI */
	int http_protocol;         /* 10: HTTP/1.0 (default), 11: HTTP/1.1 */

	/* MISC_CHECK */
	char *misc_path;           /* a shell command line */
	unsigned misc_timeout_ms;  /* default: delay_loop */
	int misc_dynamic;          /* exit 2..255 sets weight exit-2 */

	/* SMTP_CHECK */
	char *helo_name;           /* default: the host's name */

	/* DNS_CHECK */
	unsigned short dns_type;   /* query type, default SOA (6) */
	char *dns_name;            /* default "." */

	struct xvs_conf_checker *next;
};

/* Forwarding as lvs_method (lb_kind) gives it. */
struct xvs_conf_method {
	__u8 fwd;        /* enum xvs_fwd; keepalived's default is NAT */
	__u8 tun_type;   /* enum xvs_tun_type */
	__u8 tun_flags;  /* XVS_TUN_F_* */
	unsigned short tun_port; /* GUE */
};

struct xvs_conf_rs {
	struct xvs_conf_where where;
	__u8 af;
	union xvs_addr addr;
	unsigned short port;        /* default: the service's; 0 for fwmark
				     * and group services */
	int weight;                 /* default 1 */
	unsigned uthreshold, lthreshold;
	struct xvs_conf_method method; /* the real server's, else the VS's */
	int inhibit_on_failure;     /* its own, else the VS's */
	int alpha;                  /* the VS's: starts down until checked */
	char *notify_up, *notify_down; /* shell command lines or NULL */
	struct xvs_conf_checker *checkers; /* none: always up */
	struct xvs_conf_rs *next;
};

enum xvs_conf_vs_kind {
	XVS_CONF_VS_ADDR = 0, /* virtual_server IP PORT */
	XVS_CONF_VS_FWMARK,   /* virtual_server fwmark N */
	XVS_CONF_VS_GROUP,    /* virtual_server group NAME */
};

struct xvs_conf_vs {
	struct xvs_conf_where where;
	enum xvs_conf_vs_kind kind;
	__u8 af;                 /* ADDR; for FWMARK from its family keyword
				  * or its real servers (default inet) */
	union xvs_addr addr;
	unsigned short port;
	__u32 fwmark;
	char *group;             /* GROUP: a virtual_server_group's name */
	__u8 protocol;           /* IPPROTO_TCP (default) or IPPROTO_UDP */
	char sched[XVS_SCHED_NAME_LEN]; /* lvs_sched / lb_algo, default wlc */
	__u32 sched_flags;       /* XVS_SCHED_FLAG_* (sh-port, ...) */
	int ops;                 /* one-packet scheduling */
	struct xvs_conf_method method;
	unsigned persistence_timeout; /* seconds; 0: not persistent */
	__u32 persistence_granularity; /* as xvs_svc_conf.netmask; 0: none */
	unsigned quorum;         /* default 1 */
	unsigned hysteresis;     /* default 0 */
	int alpha, omega;
	int inhibit_on_failure;
	char *quorum_up, *quorum_down; /* shell command lines or NULL */
	int has_sorry;
	__u8 sorry_af;
	union xvs_addr sorry_addr;
	unsigned short sorry_port; /* 0: the service's port */
	struct xvs_conf_method sorry_method;
	int sorry_inhibit;       /* sorry_server_inhibit */
	struct xvs_conf_rs *rs;
	struct xvs_conf_vs *next;
};

/* One line of a virtual_server_group: an address (a range of the last
 * byte as "10.0.0.1-10") and port, or "fwmark N". */
struct xvs_conf_vsg_entry {
	struct xvs_conf_where where;
	int is_fwmark;
	__u32 fwmark;
	__u8 af;
	union xvs_addr addr; /* the first address */
	unsigned range_end;  /* last value of the last byte (v4) or 16-bit
			      * group (v6); 0 for a single address */
	unsigned short port;
	struct xvs_conf_vsg_entry *next;
};

struct xvs_conf_vsg {
	struct xvs_conf_where where;
	char *name;
	struct xvs_conf_vsg_entry *entries;
	struct xvs_conf_vsg *next;
};

struct xvs_conf_file {
	char *path;
	struct xvs_conf_file *next;
};

struct xvs_conf {
	char *router_id;      /* global_defs */
	int lvs_flush;        /* global_defs lvs_flush: clear at start */
	struct xvs_conf_vs *vs;
	struct xvs_conf_vsg *vsg;
	struct xvs_conf_file *files; /* every file read, for where.file */
};

/* Message levels of the parser. */
enum xvs_conf_level {
	XVS_CONF_ERROR = 0,   /* the configuration is rejected */
	XVS_CONF_WARNING = 1, /* ignored, as keepalived ignores it */
};

/* Receives every message; file and line name where (file may be the top
 * file's name for a problem not tied to a line, then line is 0). */
typedef void (*xvs_conf_msg_fn)(void *data, enum xvs_conf_level level,
				const char *file, int line, const char *msg);

/*
 * Reads path and the files it includes (globs, relative to the including
 * file's directory). Returns the model, or NULL if there was any error;
 * every error and warning goes to msg first.
 */
struct xvs_conf *xvs_conf_load(const char *path, xvs_conf_msg_fn msg,
			       void *data);

/* The same for a text in memory, named name in messages; includes are
 * resolved relative to the current directory. For tests and fuzzing. */
struct xvs_conf *xvs_conf_parse(const char *name, const char *text,
				size_t len, xvs_conf_msg_fn msg, void *data);

void xvs_conf_free(struct xvs_conf *c);

/* Deep copy and comparison of one checker (where is not compared), so
 * that a check can outlive the model it came from and a reload can tell
 * whether it changed. dup returns NULL when out of memory. */
struct xvs_conf_checker *xvs_conf_checker_dup(const struct xvs_conf_checker *c);
void xvs_conf_checker_free(struct xvs_conf_checker *c); /* one, not a list */
int xvs_conf_checker_equal(const struct xvs_conf_checker *a,
			   const struct xvs_conf_checker *b);

#endif /* XVS_CONF_H */
