// SPDX-License-Identifier: GPL-2.0
/* Helpers of the configuration reader's tests; see test_conf.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_conf.h"

static void record(void *data, enum xvs_conf_level level, const char *file,
		   int line, const char *msg)
{
	struct tc_msgs *msgs = data;
	struct tc_msg *m;

	msgs->total++;
	if (level == XVS_CONF_ERROR)
		msgs->errors++;
	else
		msgs->warnings++;
	if (msgs->n == TC_MAX_MSGS)
		return;
	m = &msgs->m[msgs->n++];
	m->level = level;
	snprintf(m->file, sizeof(m->file), "%s", file ? file : "(null)");
	m->line = line;
	snprintf(m->text, sizeof(m->text), "%s", msg);
}

struct xvs_conf *tc_parse_len(const char *text, size_t len,
			      struct tc_msgs *msgs)
{
	memset(msgs, 0, sizeof(*msgs));
	return xvs_conf_parse("t.conf", text, len, record, msgs);
}

struct xvs_conf *tc_parse(const char *text, struct tc_msgs *msgs)
{
	return tc_parse_len(text, strlen(text), msgs);
}

struct xvs_conf *tc_load(const char *path, struct tc_msgs *msgs)
{
	memset(msgs, 0, sizeof(*msgs));
	return xvs_conf_load(path, record, msgs);
}

const struct tc_msg *tc_find(const struct tc_msgs *msgs,
			     enum xvs_conf_level level, const char *file,
			     int line, const char *text)
{
	for (int i = 0; i < msgs->n; i++) {
		const struct tc_msg *m = &msgs->m[i];

		if (m->level == level && m->line == line &&
		    (!file || !strcmp(m->file, file)) && !strcmp(m->text, text))
			return m;
	}
	return NULL;
}

const char *tc_dump(const struct tc_msgs *msgs)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < msgs->n && len < sizeof(buf); i++)
		len += (size_t)snprintf(
			buf + len, sizeof(buf) - len, "[%s %s:%d: %s] ",
			msgs->m[i].level ? "W" : "E", msgs->m[i].file,
			msgs->m[i].line, msgs->m[i].text);
	return buf;
}

struct xvs_conf_vs *tc_vs(const struct xvs_conf *c, int i)
{
	struct xvs_conf_vs *vs = c ? c->vs : NULL;

	while (vs && i--)
		vs = vs->next;
	return vs;
}

struct xvs_conf_rs *tc_rs(const struct xvs_conf *c, int i, int j)
{
	struct xvs_conf_vs *vs = tc_vs(c, i);
	struct xvs_conf_rs *rs = vs ? vs->rs : NULL;

	while (rs && j--)
		rs = rs->next;
	return rs;
}

struct xvs_conf_checker *tc_ck(const struct xvs_conf *c, int i, int j, int k)
{
	struct xvs_conf_rs *rs = tc_rs(c, i, j);
	struct xvs_conf_checker *ck = rs ? rs->checkers : NULL;

	while (ck && k--)
		ck = ck->next;
	return ck;
}

char *tc_tmpdir(void)
{
	char tmpl[] = "/tmp/xvs-conf-test.XXXXXX";

	return mkdtemp(tmpl) ? strdup(tmpl) : NULL;
}

int tc_write(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;
	size_t n = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fwrite(text, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* Removes dir's entries (recursing once into subdirectories) and dir. */
static void rm_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	struct stat st;

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!lstat(path, &st) && S_ISDIR(st.st_mode) && depth < 2)
			rm_tree(path, depth + 1);
		else
			unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

void tc_rmdir(char *dir)
{
	if (dir)
		rm_tree(dir, 0);
	free(dir);
}
