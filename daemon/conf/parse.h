/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader's insides, shared by its files: statements, keyword tables,
 * the frames of the blocks being read, and the value readers.
 *
 * A statement is a keyword, the values on its line, and an optional
 * { block } (its '{' may also start the next line). Each block has a
 * table of keywords; a keyword's handler reads its values into the frame
 * of the block it appears in. A keyword that is not in the table is
 * warned about and skipped with its block, as keepalived does.
 */
#ifndef XVS_CONF_PARSE_H
#define XVS_CONF_PARSE_H

#include "lex.h"

#define CONF_MAX_VALUES 256 /* values on one line */

/* Handlers share one signature; most use some of its arguments. */
#define UNUSED(x) (void)(x)

struct conf_stmt {
	struct conf_token kw;
	struct conf_token *v; /* the values */
	int n;
	int has_block; /* a '{' followed; the handler reads the block */
};

struct conf_parser {
	struct conf_lex *lx;
	struct conf_diag d;
	struct xvs_conf *c;
	struct xvs_conf_vs **vs_tail;
	struct xvs_conf_vsg **vsg_tail;
};

/*
 * A keyword of a block. fn reads s into frame (the block's frame) and
 * returns 0; a keyword with CONF_KW_BLOCK reads its block itself (with
 * conf_block) and returns non-zero when it did not, so that the block is
 * skipped. fn NULL: a keyword of keepalived that xvs does not support.
 * name NULL ends the table; with fn set, it reads any other keyword (the
 * lines of a virtual_server_group).
 */
struct conf_keyword {
	const char *name;
	int min, max; /* number of values */
	int (*fn)(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		  int arg);
	int arg;
	unsigned flags;
};

#define CONF_KW_BLOCK (1u << 0) /* takes a { block } (and needs one) */
#define CONF_KW_REPEAT                                                         \
	(1u << 1) /* may be given more than once in a block;                   \
		   * any other keyword given twice is warned                   \
		   * about, and the last one counts */
/* A keyword of keepalived that xvs does not support: named so that its
 * warning says so rather than "unknown". */
#define CONF_UNSUPPORTED(name)                                                 \
	{                                                                      \
		name, 0, CONF_KW_ANY, NULL, 0, 0                               \
	}
#define CONF_KW_ANY 1000 /* max: no limit but CONF_MAX_VALUES */

/* Reads statements into frame until the '}' that closes the block of s
 * (or the end of the input for the top level, s NULL). */
void conf_block(struct conf_parser *p, const struct conf_stmt *s,
		const struct conf_keyword *table, void *frame);

/* Messages about a token (a value or a keyword). */
#define conf_err(p, tok, ...)                                                  \
	conf_error(&(p)->d, (tok)->file, (tok)->line, __VA_ARGS__)
#define conf_warn(p, tok, ...)                                                 \
	conf_warning(&(p)->d, (tok)->file, (tok)->line, __VA_ARGS__)

/* Timers that may be given at virtual_server, real_server and checker
 * level: the innermost wins (finish.c). */
enum conf_timer {
	CONF_T_DELAY_LOOP = 0,
	CONF_T_CONNECT_TIMEOUT,
	CONF_T_RETRY, /* a count, not milliseconds */
	CONF_T_DELAY_BEFORE_RETRY,
	CONF_T_WARMUP,
	CONF_T_N
};

struct conf_timers {
	unsigned v[CONF_T_N];
	unsigned set; /* 1 << enum conf_timer */
};

/* The timer keywords, for the tables of every frame that begins with a
 * struct conf_timers (the handler finds it there). */
int conf_timer_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		  int arg);
/* clang-format off */
#define CONF_TIMER_KEYWORDS                                                    \
	{"delay_loop", 1, 1, conf_timer_kw, CONF_T_DELAY_LOOP, 0},             \
	{"connect_timeout", 1, 1, conf_timer_kw, CONF_T_CONNECT_TIMEOUT, 0},   \
	{"retry", 1, 1, conf_timer_kw, CONF_T_RETRY, 0},                       \
	{"nb_get_retry", 1, 1, conf_timer_kw, CONF_T_RETRY, 0},                \
	{"delay_before_retry", 1, 1, conf_timer_kw,                            \
	 CONF_T_DELAY_BEFORE_RETRY, 0},                                        \
	{"warmup", 1, 1, conf_timer_kw, CONF_T_WARMUP, 0}
/* clang-format on */

/* Fills ck's timers from the innermost level that gives each (checker,
 * real server, virtual server), else keepalived's defaults (timers.c). */
void conf_timers_resolve(struct xvs_conf_checker *ck,
			 const struct conf_timers *ck_t,
			 const struct conf_timers *rs_t,
			 const struct conf_timers *vs_t, int has_misc_timeout);

/* What finish.c needs of each real server and checker of a virtual
 * server, kept while the virtual server is read. */
struct conf_rs_rec {
	struct xvs_conf_rs *rs;
	struct conf_timers t;
	int inhibit;	   /* -1: not given */
	int has_method;	   /* lvs_method given */
	char *virtualhost; /* the real server's for its HTTP checks */
};

struct conf_ck_rec {
	struct xvs_conf_checker *ck;
	struct conf_timers t;
	size_t rs;	      /* index of its real server's record */
	int has_misc_timeout; /* misc_timeout given */
};

/* The frame of a virtual_server block. */
struct conf_vs_frame {
	struct conf_timers t; /* first: see CONF_TIMER_KEYWORDS */
	struct xvs_conf_vs *vs;
	struct xvs_conf_rs **rs_tail;
	struct conf_rs_rec *rs_recs;
	size_t n_rs, cap_rs;
	struct conf_ck_rec *ck_recs;
	size_t n_ck, cap_ck;
	/* sh-port, sh-fallback / mh-port, mh-fallback: kept apart until the
	 * scheduler is known, as they apply to one scheduler each. */
	__u32 sh_flags, mh_flags;
	struct xvs_conf_where sh_where, mh_where; /* the first of each */
	__u8 family;  /* ip_family, 0 if not given */
	int has_gran; /* persistence_granularity given */
	__u8 gran_af; /* the family its form says (mask or prefix) */
	struct xvs_conf_where gran_where;
	int has_sorry_method;
	char *virtualhost; /* the HTTP checks' Host: unless they say */
};

/* The frame of a real_server block. */
struct conf_rs_frame {
	struct conf_timers t; /* first */
	struct conf_vs_frame *vsf;
	size_t rec; /* its record in vsf->rs_recs */
	struct xvs_conf_checker **ck_tail;
};

/* The frame of a checker block. */
struct conf_ck_frame {
	struct conf_timers t; /* first */
	struct conf_rs_frame *rsf;
	struct xvs_conf_checker *ck;
	struct xvs_conf_url **url_tail;
	int has_misc_timeout;
};

/* The blocks' tables (parse_*.c). */
extern const struct conf_keyword conf_top_keywords[];
extern const struct conf_keyword conf_vs_keywords[];
extern const struct conf_keyword conf_vsg_keywords[];
extern const struct conf_keyword conf_rs_keywords[];

/* Handlers that open blocks of another file. */
int conf_vs_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
	       int arg);
int conf_vsg_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		int arg);
int conf_rs_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
	       int arg);
/* A checker block of a real server (arg: enum xvs_check_type). */
int conf_checker_kw(struct conf_parser *p, const struct conf_stmt *s,
		    void *frame, int arg);
/* The keywords of every checker (parse_check.c): the timers, connect_ip,
 * connect_port, bindto, bind_port. */
enum conf_endpoint {
	CONF_CONNECT_IP,
	CONF_CONNECT_PORT,
	CONF_BINDTO,
	CONF_BIND_PORT
};
int conf_endpoint_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg);
/* clang-format off */
#define CONF_CHECKER_KEYWORDS                                                  \
	CONF_TIMER_KEYWORDS,                                                   \
	{"connect_ip", 1, 1, conf_endpoint_kw, CONF_CONNECT_IP, 0},            \
	{"connect_port", 1, 1, conf_endpoint_kw, CONF_CONNECT_PORT, 0},        \
	{"bindto", 1, 1, conf_endpoint_kw, CONF_BINDTO, 0},                    \
	{"bind_port", 1, 1, conf_endpoint_kw, CONF_BIND_PORT, 0}
/* clang-format on */

/* HTTP_GET and SSL_GET (parse_http.c), with their url blocks. */
extern const struct conf_keyword conf_http_keywords[];

/* Value readers (value.c). Each reads s->v[i], reports a bad value with
 * the keyword's name and returns -1, or stores it and returns 0. */
int conf_uint(struct conf_parser *p, const struct conf_stmt *s, int i,
	      unsigned long long min, unsigned long long max,
	      unsigned long long *out);
int conf_uint32(struct conf_parser *p, const struct conf_stmt *s, int i,
		unsigned long long min, unsigned long long max, unsigned *out);
/* Seconds with up to three decimals ("0.5") as milliseconds. */
int conf_seconds_ms(struct conf_parser *p, const struct conf_stmt *s, int i,
		    unsigned *ms);
/* An optional yes/no (true/false, on/off, 1/0) at i; absent means yes. */
int conf_flag(struct conf_parser *p, const struct conf_stmt *s, int i,
	      int *out);
/* An IPv4 or IPv6 literal, without reporting: 0 or -1. */
int conf_addr_text(const char *text, __u8 *af, union xvs_addr *a);
int conf_addr(struct conf_parser *p, const struct conf_stmt *s, int i, __u8 *af,
	      union xvs_addr *a);
int conf_port(struct conf_parser *p, const struct conf_stmt *s, int i,
	      unsigned short *port);
/* A copy of s->v[i]'s text; NULL when out of memory (reported). */
char *conf_string(struct conf_parser *p, const struct conf_stmt *s, int i);
/* The command line from s->v[i] to the end of the line, as written; or
 * a quoted value alone, without its quotes (what follows it is
 * keepalived's user and group: warned about). */
char *conf_command(struct conf_parser *p, const struct conf_stmt *s, int i);
/* lvs_method NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum] */
int conf_method(struct conf_parser *p, const struct conf_stmt *s,
		struct xvs_conf_method *m);
/* value (NULL: out of memory, reported) replaces *field: the last of a
 * keyword given twice counts. */
int conf_set_string(char **field, char *value);

/* Grows an array of records by one zeroed element; NULL when out of
 * memory (reported). */
void *conf_grow(struct conf_parser *p, const struct conf_stmt *s, void **arr,
		size_t *n, size_t *cap, size_t size);

/* Defaults, inheritance and checks (finish.c): at the end of a virtual
 * server, and of the whole file. */
void conf_finish_vs(struct conf_parser *p, struct conf_vs_frame *f);
void conf_finish(struct conf_parser *p);

#endif /* XVS_CONF_PARSE_H */
