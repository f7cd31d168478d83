// SPDX-License-Identifier: GPL-2.0
/*
 * The reader's driver: statements, blocks and keyword dispatch, the top
 * level and global_defs, and the two entry points of conf.h.
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static void stmt_clear(struct conf_stmt *st)
{
	conf_token_clear(&st->kw);
	for (int i = 0; i < st->n; i++)
		conf_token_clear(&st->v[i]);
	free(st->v);
	memset(st, 0, sizeof(*st));
}

/* The keyword (the next token, a word), the values on its line, and the
 * '{' of its block if one follows. */
static void read_stmt(struct conf_parser *p, struct conf_stmt *st)
{
	const struct conf_token *pk;
	int cap = 0;

	memset(st, 0, sizeof(*st));
	conf_lex_take(p->lx, &st->kw);
	while ((pk = conf_lex_peek(p->lx))->type == CONF_TOK_WORD && !pk->bol) {
		struct conf_token t;

		conf_lex_take(p->lx, &t);
		if (st->n == CONF_MAX_VALUES) {
			conf_err(p, &t, "more than %d values for '%s'",
				 CONF_MAX_VALUES, st->kw.text);
			conf_token_clear(&t);
			while ((pk = conf_lex_peek(p->lx))->type ==
				       CONF_TOK_WORD &&
			       !pk->bol) {
				conf_lex_take(p->lx, &t);
				conf_token_clear(&t);
			}
			break;
		}
		if (st->n == cap) {
			int ncap = cap ? 2 * cap : 4;
			struct conf_token *v =
				realloc(st->v, (size_t)ncap * sizeof(*v));

			if (!v) {
				conf_err(p, &t, "out of memory");
				conf_token_clear(&t);
				continue;
			}
			st->v = v;
			cap = ncap;
		}
		st->v[st->n++] = t;
	}
	if (conf_lex_peek(p->lx)->type == CONF_TOK_OPEN) {
		struct conf_token open;

		conf_lex_take(p->lx, &open);
		st->has_block = 1;
	}
}

/* Skips the rest of a block whose '{' was read; at names its keyword. */
static void skip_block(struct conf_parser *p, const struct conf_token *at)
{
	int depth = 1;

	while (depth) {
		struct conf_token t;

		conf_lex_take(p->lx, &t);
		if (t.type == CONF_TOK_EOF) {
			conf_err(p, at, "missing '}' for '%s'",
				 at->text ? at->text : "{");
			return;
		}
		if (t.type == CONF_TOK_OPEN)
			depth++;
		else if (t.type == CONF_TOK_CLOSE)
			depth--;
		conf_token_clear(&t);
	}
}

static const struct conf_keyword *lookup(const struct conf_keyword *table,
					 const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return table->fn ? table : NULL;
}

/*
 * Whether kw was given before in this block (seen: one bit per keyword of
 * the table, aliases such as lb_algo and lvs_sched sharing the bit of the
 * first); marks it given.
 */
static int given_before(const struct conf_keyword *table,
			const struct conf_keyword *kw, __u64 *seen)
{
	size_t i = 0;
	__u64 bit;

	while (table[i].fn != kw->fn || table[i].arg != kw->arg)
		i++;
	if (i >= 64) /* no table is that long; then no warning either */
		return 0;
	bit = 1ull << i;
	if (*seen & bit)
		return 1;
	*seen |= bit;
	return 0;
}

static void dispatch(struct conf_parser *p, const struct conf_stmt *in,
		     const struct conf_keyword *table, void *frame,
		     const struct conf_stmt *st, __u64 *seen)
{
	const struct conf_keyword *kw = lookup(table, st->kw.text);
	const char *name = st->kw.text;

	if (kw && kw->fn && kw->name && !(kw->flags & CONF_KW_REPEAT) &&
	    given_before(table, kw, seen))
		conf_warn(p, &st->kw, "'%s' given twice; the last one is used",
			  name);
	if (!kw)
		conf_warn(p, &st->kw, "unknown keyword '%s' in %s; ignored",
			  name, in ? in->kw.text : "the top level");
	else if (!kw->fn)
		conf_warn(p, &st->kw, "'%s' is not supported by xvs; ignored",
			  name);
	else if (st->n < kw->min)
		conf_err(p, &st->kw, "missing value for '%s'", name);
	else if (st->n > kw->max)
		conf_err(p, &st->v[kw->max], "too many values for '%s'", name);
	else if ((kw->flags & CONF_KW_BLOCK) && !st->has_block)
		conf_err(p, &st->kw, "'%s' needs a { block }", name);
	else if (!(kw->flags & CONF_KW_BLOCK) && st->has_block)
		conf_err(p, &st->kw, "'%s' takes no { block }", name);
	else if (!kw->fn(p, st, frame, kw->arg) || !st->has_block)
		return;
	if (st->has_block)
		skip_block(p, &st->kw);
}

void conf_block(struct conf_parser *p, const struct conf_stmt *s,
		const struct conf_keyword *table, void *frame)
{
	__u64 seen = 0;

	for (;;) {
		const struct conf_token *pk = conf_lex_peek(p->lx);
		struct conf_token t;
		struct conf_stmt st;

		switch (pk->type) {
		case CONF_TOK_EOF:
			if (s)
				conf_err(p, &s->kw, "missing '}' for '%s'",
					 s->kw.text);
			return;
		case CONF_TOK_CLOSE:
			conf_lex_take(p->lx, &t);
			if (s)
				return;
			conf_err(p, &t, "unexpected '}'");
			break;
		case CONF_TOK_OPEN: /* a block without a keyword */
			conf_lex_take(p->lx, &t);
			conf_err(p, &t, "unexpected '{'");
			skip_block(p, &t);
			break;
		case CONF_TOK_WORD:
			read_stmt(p, &st);
			dispatch(p, s, table, frame, &st, &seen);
			stmt_clear(&st);
			break;
		}
	}
}

static int router_id_kw(struct conf_parser *p, const struct conf_stmt *s,
			void *frame, int arg)
{
	UNUSED(frame);
	UNUSED(arg);
	return conf_set_string(&p->c->router_id, conf_string(p, s, 0));
}

static int lvs_flush_kw(struct conf_parser *p, const struct conf_stmt *s,
			void *frame, int arg)
{
	UNUSED(frame);
	UNUSED(arg);
	return conf_flag(p, s, 0, &p->c->lvs_flush);
}

static const struct conf_keyword global_keywords[] = {
	{"router_id", 1, 1, router_id_kw, 0, 0},
	{"lvs_flush", 0, 1, lvs_flush_kw, 0, 0},
	CONF_UNSUPPORTED("lvs_sync_daemon"),
	{NULL, 0, 0, NULL, 0, 0},
};

static int global_defs_kw(struct conf_parser *p, const struct conf_stmt *s,
			  void *frame, int arg)
{
	UNUSED(frame);
	UNUSED(arg);
	conf_block(p, s, global_keywords, NULL);
	return 0;
}

const struct conf_keyword conf_top_keywords[] = {
	{"global_defs", 0, 0, global_defs_kw, 0,
	 CONF_KW_BLOCK | CONF_KW_REPEAT},
	{"virtual_server", 2, 2, conf_vs_kw, 0, CONF_KW_BLOCK | CONF_KW_REPEAT},
	{"virtual_server_group", 1, 1, conf_vsg_kw, 0,
	 CONF_KW_BLOCK | CONF_KW_REPEAT},
	/* keepalived's other top-level blocks, which xvs does not read
	 * (yet) */
	CONF_UNSUPPORTED("vrrp_instance"),
	CONF_UNSUPPORTED("vrrp_sync_group"),
	CONF_UNSUPPORTED("vrrp_script"),
	CONF_UNSUPPORTED("vrrp_track_process"),
	CONF_UNSUPPORTED("vrrp_track_file"),
	CONF_UNSUPPORTED("static_ipaddress"),
	CONF_UNSUPPORTED("static_routes"),
	CONF_UNSUPPORTED("static_rules"),
	CONF_UNSUPPORTED("bfd_instance"),
	CONF_UNSUPPORTED("garp_group"),
	CONF_UNSUPPORTED("SSL"),
	{NULL, 0, 0, NULL, 0, 0},
};

/* Reads the file path, or text (len bytes named path) when text is set. */
static struct xvs_conf *read_all(const char *path, const char *text, size_t len,
				 xvs_conf_msg_fn msg, void *data)
{
	struct conf_parser p = {.d = {.fn = msg, .data = data}};
	struct xvs_conf *c = calloc(1, sizeof(*c));

	if (c)
		p.lx = text ? conf_lex_open_text(c, &p.d, path, text, len)
			    : conf_lex_open_file(c, &p.d, path);
	if (!p.lx) {
		conf_error(&p.d, path, 0, "out of memory");
		xvs_conf_free(c);
		return NULL;
	}
	p.c = c;
	p.vs_tail = &c->vs;
	p.vsg_tail = &c->vsg;
	conf_block(&p, NULL, conf_top_keywords, NULL);
	conf_finish(&p);
	conf_lex_close(p.lx);
	if (p.d.errors) {
		xvs_conf_free(c);
		return NULL;
	}
	return c;
}

struct xvs_conf *xvs_conf_load(const char *path, xvs_conf_msg_fn msg,
			       void *data)
{
	return read_all(path, NULL, 0, msg, data);
}

struct xvs_conf *xvs_conf_parse(const char *name, const char *text, size_t len,
				xvs_conf_msg_fn msg, void *data)
{
	return read_all(name, text ? text : "", text ? len : 0, msg, data);
}
