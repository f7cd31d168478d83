// SPDX-License-Identifier: GPL-2.0
/*
 * keepalived.conf's tokens over a stack of files; see lex.h. Each file is
 * read whole (bounded by CONF_LEX_MAX_FILE) and kept until the lexer is
 * closed, so that tokens can point at their text as written.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lex.h"

struct conf_src {
	char *buf;
	size_t len, pos;
	const char *file; /* xvs_conf.files name */
	int line;
	int at_bol;
	int depth;  /* 0 for the top file */
	int has_id; /* dev, ino identify a file (not text in memory) */
	dev_t dev;
	ino_t ino;
	char *dir; /* for relative includes; NULL: current directory */
	int nul_reported;
	/* The files of this source's last include line, still to read. */
	char **pending;
	size_t n_pending, next_pending;
	int include_line;
	struct conf_src *up;
};

struct conf_lex {
	struct xvs_conf *c;
	struct conf_diag *d;
	struct conf_src *top;  /* the file being read */
	struct conf_src *done; /* files read, kept for token.src */
	struct conf_token la;  /* lookahead */
	int has_la;
	size_t n_files;
	size_t bytes;
	int files_capped; /* CONF_LEX_MAX_FILES or _BYTES reported */
	const char *last_file;
	int last_line;
};

/* The name as kept in the model, for where.file. */
static const char *file_name_add(struct xvs_conf *c, const char *path)
{
	struct xvs_conf_file *f = calloc(1, sizeof(*f)), **tail = &c->files;

	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = f;
	return f->path;
}

static void pending_free(struct conf_src *s)
{
	for (size_t i = 0; i < s->n_pending; i++)
		free(s->pending[i]);
	free(s->pending);
	s->pending = NULL;
	s->n_pending = s->next_pending = 0;
}

static void src_free(struct conf_src *s)
{
	pending_free(s);
	free(s->buf);
	free(s->dir);
	free(s);
}

/* A new source on top of the stack, reading buf (which it owns). */
static struct conf_src *src_push(struct conf_lex *lx, const char *name,
				 char *buf, size_t len, int depth)
{
	struct conf_src *s = calloc(1, sizeof(*s));

	if (!s || !(s->file = file_name_add(lx->c, name))) {
		conf_error(lx->d, name, 0, "out of memory");
		free(s);
		free(buf);
		return NULL;
	}
	s->buf = buf;
	s->len = len;
	s->line = 1;
	s->at_bol = 1;
	s->depth = depth;
	s->up = lx->top;
	lx->top = s;
	lx->n_files++;
	lx->bytes += len;
	return s;
}

/* Reads a regular file whole into *buf; 0, or -errno (-EFBIG too big,
 * -EINVAL not a regular file). */
static int read_whole(const char *path, char **buf, size_t *len,
		      struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	size_t got = 0;
	int rc = 0;

	*buf = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, st)) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode)) {
		rc = -EINVAL;
		goto out;
	}
	if ((unsigned long long)st->st_size > CONF_LEX_MAX_FILE) {
		rc = -EFBIG;
		goto out;
	}
	*buf = malloc((size_t)st->st_size + 1);
	if (!*buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st->st_size) {
		ssize_t n = read(fd, *buf + got, (size_t)st->st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n ? -errno : 0;
			break; /* a file that shrank: read what is there */
		}
		got += (size_t)n;
	}
	*len = got;
out:
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	close(fd);
	return rc;
}

/* Whether the file (dev, ino) is being read already: an include loop. */
static int src_on_stack(const struct conf_lex *lx, const struct stat *st)
{
	for (const struct conf_src *s = lx->top; s; s = s->up)
		if (s->has_id && s->dev == st->st_dev && s->ino == st->st_ino)
			return 1;
	return 0;
}

/* Opens path as a new source of depth depth; problems are reported at
 * from:line (the include line, or the path itself for the top file). */
static void push_file(struct conf_lex *lx, const char *path, int depth,
		      const char *from, int line)
{
	struct conf_src *s;
	struct stat st;
	char *buf, *dir;
	size_t len = 0;
	int rc;

	if (lx->files_capped)
		return;
	if (lx->n_files >= CONF_LEX_MAX_FILES) {
		lx->files_capped = 1;
		conf_error(lx->d, from, line,
			   "more than %d files to read; '%s' and the rest "
			   "are not read",
			   CONF_LEX_MAX_FILES, path);
		return;
	}
	if (depth > CONF_LEX_MAX_DEPTH) {
		conf_error(lx->d, from, line,
			   "includes nested deeper than %d at '%s'",
			   CONF_LEX_MAX_DEPTH, path);
		return;
	}
	rc = read_whole(path, &buf, &len, &st);
	if (rc == -EINVAL) {
		conf_error(lx->d, from, line, "'%s' is not a regular file",
			   path);
		return;
	}
	if (rc == -EFBIG) {
		conf_error(lx->d, from, line, "'%s' is larger than %u bytes",
			   path, CONF_LEX_MAX_FILE);
		return;
	}
	if (rc) {
		conf_error(lx->d, from, line, "cannot read '%s': %s", path,
			   strerror(-rc));
		return;
	}
	if (src_on_stack(lx, &st)) {
		conf_error(lx->d, from, line, "'%s' includes itself", path);
		free(buf);
		return;
	}
	if (lx->bytes + len > CONF_LEX_MAX_BYTES) {
		lx->files_capped = 1;
		conf_error(lx->d, from, line,
			   "more than %u bytes to read; '%s' and the rest "
			   "are not read",
			   CONF_LEX_MAX_BYTES, path);
		free(buf);
		return;
	}
	dir = strdup(path);
	s = dir ? src_push(lx, path, buf, len, depth) : NULL;
	if (!s) {
		free(dir);
		if (!dir)
			free(buf);
		return;
	}
	s->has_id = 1;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	/* dirname may return a static string or modify its argument. */
	s->dir = strdup(dirname(dir));
	free(dir);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void report_nul(struct conf_lex *lx, struct conf_src *s)
{
	if (s->nul_reported)
		return;
	s->nul_reported = 1;
	conf_error(lx->d, s->file, s->line, "NUL byte in the file");
}

/* Skips blanks, comments and (unless same_line) newlines. Returns 0 at
 * the end of the text, or of the line with same_line. */
static int skip_space(struct conf_lex *lx, struct conf_src *s, int same_line)
{
	while (s->pos < s->len) {
		char ch = s->buf[s->pos];

		if (ch == '\n') {
			if (same_line)
				return 0;
			s->line++;
			s->at_bol = 1;
		} else if (ch == '#' || ch == '!') {
			while (s->pos < s->len && s->buf[s->pos] != '\n')
				s->pos++;
			continue;
		} else if (ch == '\0') {
			report_nul(lx, s);
		} else if (!is_blank(ch)) {
			return 1;
		}
		s->pos++;
	}
	return 0;
}

static int ends_word(char ch)
{
	return is_blank(ch) || ch == '\n' || ch == '{' || ch == '}' ||
	       ch == '\0';
}

/* The next token of s, or 0 (see skip_space). */
static int scan(struct conf_lex *lx, struct conf_src *s, struct conf_token *t,
		int same_line)
{
	size_t start, end, n;

	memset(t, 0, sizeof(*t));
	if (!skip_space(lx, s, same_line))
		return 0;
	t->bol = s->at_bol;
	s->at_bol = 0;
	t->file = s->file;
	t->line = s->line;
	t->src = s->buf + s->pos;
	start = s->pos;
	if (s->buf[s->pos] == '{' || s->buf[s->pos] == '}') {
		t->type =
			s->buf[s->pos] == '{' ? CONF_TOK_OPEN : CONF_TOK_CLOSE;
		t->srclen = 1;
		s->pos++;
		return 1;
	}
	t->type = CONF_TOK_WORD;
	if (s->buf[s->pos] == '"') {
		t->quoted = 1;
		start = ++s->pos;
		while (s->pos < s->len && s->buf[s->pos] != '"' &&
		       s->buf[s->pos] != '\n')
			s->pos++;
		end = s->pos;
		if (s->pos < s->len && s->buf[s->pos] == '"')
			s->pos++;
		else
			conf_error(lx->d, s->file, t->line,
				   "unterminated quoted string");
	} else {
		while (s->pos < s->len && !ends_word(s->buf[s->pos]))
			s->pos++;
		end = s->pos;
	}
	t->srclen = (size_t)(s->buf + s->pos - t->src);
	n = end - start;
	if (n > CONF_LEX_MAX_TOKEN) {
		conf_error(lx->d, s->file, t->line,
			   "a value longer than %d bytes", CONF_LEX_MAX_TOKEN);
		n = CONF_LEX_MAX_TOKEN;
	}
	if (memchr(s->buf + start, '\0', n))
		report_nul(lx, s);
	t->text = strndup(s->buf + start, n);
	if (!t->text) {
		conf_error(lx->d, s->file, t->line, "out of memory");
		t->type = CONF_TOK_EOF;
		return 0;
	}
	return 1;
}

void conf_token_clear(struct conf_token *t)
{
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static int has_glob_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* "include PATTERN": the files it names become s's pending list. */
static void include_line(struct conf_lex *lx, struct conf_src *s, int line)
{
	struct conf_token pat, extra;
	char *full = NULL;
	glob_t g;
	int rc;

	if (!scan(lx, s, &pat, 1) || pat.type != CONF_TOK_WORD || !*pat.text) {
		conf_error(lx->d, s->file, line, "include needs a file name");
		conf_token_clear(&pat);
		return;
	}
	if (scan(lx, s, &extra, 1)) {
		conf_error(lx->d, s->file, line,
			   "include takes one file name or pattern");
		do
			conf_token_clear(&extra);
		while (scan(lx, s, &extra, 1));
		conf_token_clear(&pat);
		return;
	}
	if (pat.text[0] != '/' && s->dir) {
		full = malloc(strlen(s->dir) + strlen(pat.text) + 2);
		if (full)
			strcat(strcat(strcpy(full, s->dir), "/"), pat.text);
	} else {
		full = strdup(pat.text);
	}
	conf_token_clear(&pat);
	if (!full) {
		conf_error(lx->d, s->file, line, "out of memory");
		return;
	}
	s->include_line = line;
	if (!has_glob_magic(full)) {
		s->pending = malloc(sizeof(*s->pending));
		if (!s->pending) {
			free(full);
			return;
		}
		s->pending[0] = full;
		s->n_pending = 1;
		return;
	}
	rc = glob(full, 0, NULL, &g);
	if (rc == GLOB_NOMATCH)
		conf_warning(lx->d, s->file, line,
			     "include '%s' matches no file", full);
	else if (rc)
		conf_error(lx->d, s->file, line, "include '%s': glob failed",
			   full);
	free(full);
	if (rc)
		return;
	s->pending = calloc(g.gl_pathc, sizeof(*s->pending));
	for (size_t i = 0; s->pending && i < g.gl_pathc; i++)
		if ((s->pending[s->n_pending] = strdup(g.gl_pathv[i])))
			s->n_pending++;
	globfree(&g);
}

static void src_pop(struct conf_lex *lx)
{
	struct conf_src *s = lx->top;

	lx->top = s->up;
	pending_free(s);
	s->up = lx->done;
	lx->done = s;
}

/* Fills the lookahead: the next token of the innermost file, opening
 * included files and leaving finished ones. */
static void fill(struct conf_lex *lx)
{
	struct conf_token *t = &lx->la;

	while (!lx->has_la) {
		struct conf_src *s = lx->top;

		if (!s || lx->d->gave_up) {
			memset(t, 0, sizeof(*t));
			t->file = lx->last_file;
			t->line = lx->last_line;
			lx->has_la = 1;
			break;
		}
		if (s->next_pending < s->n_pending) {
			const char *path = s->pending[s->next_pending++];

			push_file(lx, path, s->depth + 1, s->file,
				  s->include_line);
			continue;
		}
		if (s->pending)
			pending_free(s);
		if (!scan(lx, s, t, 0)) {
			src_pop(lx);
			continue;
		}
		if (t->type == CONF_TOK_WORD && t->bol && !t->quoted &&
		    !strcmp(t->text, "include")) {
			int line = t->line;

			conf_token_clear(t);
			include_line(lx, s, line);
			continue;
		}
		lx->last_file = t->file;
		lx->last_line = t->line;
		lx->has_la = 1;
	}
}

const struct conf_token *conf_lex_peek(struct conf_lex *lx)
{
	fill(lx);
	return &lx->la;
}

void conf_lex_take(struct conf_lex *lx, struct conf_token *t)
{
	fill(lx);
	*t = lx->la;
	memset(&lx->la, 0, sizeof(lx->la));
	lx->has_la = 0;
}

static struct conf_lex *lex_new(struct xvs_conf *c, struct conf_diag *d)
{
	struct conf_lex *lx = calloc(1, sizeof(*lx));

	if (lx) {
		lx->c = c;
		lx->d = d;
	}
	return lx;
}

struct conf_lex *conf_lex_open_file(struct xvs_conf *c, struct conf_diag *d,
				    const char *path)
{
	struct conf_lex *lx = lex_new(c, d);

	if (lx) {
		lx->last_file = path;
		push_file(lx, path, 0, path, 0);
	}
	return lx;
}

struct conf_lex *conf_lex_open_text(struct xvs_conf *c, struct conf_diag *d,
				    const char *name, const char *text,
				    size_t len)
{
	struct conf_lex *lx = lex_new(c, d);
	char *buf = malloc(len + 1);

	if (!lx || !buf) {
		free(lx);
		free(buf);
		return NULL;
	}
	memcpy(buf, text, len);
	lx->last_file = name;
	if (!src_push(lx, name, buf, len, 0)) {
		free(lx);
		return NULL;
	}
	lx->last_file = lx->top->file;
	return lx;
}

void conf_lex_close(struct conf_lex *lx)
{
	if (!lx)
		return;
	conf_token_clear(&lx->la);
	while (lx->top)
		src_pop(lx);
	while (lx->done) {
		struct conf_src *s = lx->done;

		lx->done = s->up;
		src_free(s);
	}
	free(lx);
}
