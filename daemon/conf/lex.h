/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tokens of keepalived.conf, across the files it includes.
 *
 * A token is a word, a double-quoted string (quotes removed, no escapes),
 * '{' or '}'. Braces are tokens even when glued to a word ("url{"). '#' or
 * '!' at the start of a token comments out the rest of the line. Lines
 * matter: a statement is a keyword and the values on its line.
 *
 * "include PATTERN" at the start of a line is replaced by the tokens of
 * the files the glob matches, in sorted order; a relative pattern is read
 * from the including file's directory (the current one for text given in
 * memory). Limits, each an error when reached: include depth
 * CONF_LEX_MAX_DEPTH (and a file including itself at any depth), a token
 * of CONF_LEX_MAX_TOKEN bytes, CONF_LEX_MAX_FILES files and
 * CONF_LEX_MAX_BYTES bytes read in all, CONF_LEX_MAX_FILE per file.
 */
#ifndef XVS_CONF_LEX_H
#define XVS_CONF_LEX_H

#include <stddef.h>
#include "diag.h"

#define CONF_LEX_MAX_DEPTH 8
#define CONF_LEX_MAX_TOKEN 4096
#define CONF_LEX_MAX_FILES 4096
#define CONF_LEX_MAX_FILE (16u << 20)
#define CONF_LEX_MAX_BYTES (64u << 20)

enum conf_tok_type {
	CONF_TOK_EOF = 0,
	CONF_TOK_WORD,	/* a word or a quoted string */
	CONF_TOK_OPEN,	/* { */
	CONF_TOK_CLOSE, /* } */
};

struct conf_token {
	enum conf_tok_type type;
	char *text;	  /* malloc'd, NUL-terminated; NULL for braces, EOF */
	int quoted;	  /* was a "quoted string" */
	int bol;	  /* first token of its line */
	const char *file; /* xvs_conf.files name */
	int line;
	/* The token as written (with its quotes), inside the file's text,
	 * which lives as long as the lexer: values of one line are one
	 * contiguous span, so a command line can be kept as written. */
	const char *src;
	size_t srclen;
};

struct conf_lex;

/* A lexer over the file path (or over text named name); the names of the
 * files it reads are added to c->files. NULL when out of memory; a file
 * that cannot be read is reported and reads as empty. */
struct conf_lex *conf_lex_open_file(struct xvs_conf *c, struct conf_diag *d,
				    const char *path);
struct conf_lex *conf_lex_open_text(struct xvs_conf *c, struct conf_diag *d,
				    const char *name, const char *text,
				    size_t len);
void conf_lex_close(struct conf_lex *lx);

/* The next token without taking it (CONF_TOK_EOF at the end, and once the
 * diagnostics gave up). Valid until the next conf_lex_take. */
const struct conf_token *conf_lex_peek(struct conf_lex *lx);
/* Takes the next token; its text becomes the caller's (conf_token_clear). */
void conf_lex_take(struct conf_lex *lx, struct conf_token *t);
void conf_token_clear(struct conf_token *t);

#endif /* XVS_CONF_LEX_H */
