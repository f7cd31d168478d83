// SPDX-License-Identifier: GPL-2.0
/*
 * The keepalived.conf reader's lexer: comments, quotes, braces glued to
 * words, line endings; include with globs relative to the including
 * file, and its limits (missing files, loops, depth, thousands of files);
 * and input meant to break it (deep nesting, huge values, long lines).
 * Files are written under a mkdtemp directory, removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "test.h"
#include "test_conf.h"

TEST(conf_lexer_forms)
{
	struct tc_msgs msgs;
	struct xvs_conf *c = tc_parse(
		"! a comment\r\n"
		"# another\r\n"
		"virtual_server 198.18.0.1 80{lvs_sched rr # scheduler\r\n"
		"  real_server 198.18.0.11 80\r\n"
		"  {\r\n"
		"    HTTP_GET{url{path /a#b\r\n"
		"                 virtualhost \"x y\"}}\r\n"
		"    notify_up \"/bin/echo {not a block}\" ! comment\r\n"
		"  }}\r\n",
		&msgs);
	struct xvs_conf_rs *rs = tc_rs(c, 0, 0);
	struct xvs_conf_checker *ck = tc_ck(c, 0, 0, 0);

	CHECK(c && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!c || !rs || !ck)
		goto out;
	CHECK(!strcmp(c->vs->sched, "rr"), "sched %s", c->vs->sched);
	CHECK(!strcmp(ck->urls->path, "/a#b") &&
		      !strcmp(ck->urls->virtualhost, "x y"),
	      "url path '%s' virtualhost '%s'", ck->urls->path,
	      ck->urls->virtualhost);
	CHECK(rs->notify_up &&
		      !strcmp(rs->notify_up, "/bin/echo {not a block}"),
	      "notify_up '%s'", rs->notify_up);
	CHECK(rs->where.line == 4 && ck->where.line == 6, "lines %d %d",
	      rs->where.line, ck->where.line);
out:
	xvs_conf_free(c);
}

/* Includes: globs in sorted order, relative to the including file,
 * inside blocks too; every file read is named in the model. */
TEST(conf_include_glob)
{
	char *dir = tc_tmpdir(), path[512], sub[512], want[512];
	struct tc_msgs msgs;
	struct xvs_conf *c = NULL;
	const struct xvs_conf_file *f;
	int n_files = 0;

	CHECK(dir, "mkdtemp");
	if (!dir)
		return;
	snprintf(sub, sizeof(sub), "%s/conf.d", dir);
	mkdir(sub, 0700);
	tc_write(dir, "keepalived.conf",
		 "global_defs {\n router_id X\n}\n"
		 "include conf.d/*.conf\n"
		 "include \"servers list\"\n");
	tc_write(dir, "conf.d/b.conf",
		 "virtual_server 198.18.0.2 80 {\n"
		 "  include ../rs.inc\n"
		 "}\n");
	tc_write(dir, "conf.d/a.conf", "virtual_server 198.18.0.1 80 {\n}\n");
	tc_write(dir, "conf.d/ignored.txt", "this is not read {\n");
	tc_write(dir, "rs.inc",
		 "real_server 198.18.0.21 80 {\n}\n"
		 "real_server 198.18.0.22 80 {\n}\n");
	tc_write(dir, "servers list", "virtual_server 198.18.0.3 80 {\n}\n");
	snprintf(path, sizeof(path), "%s/keepalived.conf", dir);
	c = tc_load(path, &msgs);
	CHECK(c && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!c)
		goto out;
	CHECK(tc_vs(c, 0)->addr.bytes[3] == 1 &&
		      tc_vs(c, 1)->addr.bytes[3] == 2 &&
		      tc_vs(c, 2)->addr.bytes[3] == 3 && !tc_vs(c, 3),
	      "services in glob order");
	CHECK(tc_rs(c, 1, 0) && tc_rs(c, 1, 1) && !tc_rs(c, 1, 2) &&
		      tc_rs(c, 1, 1)->where.line == 3,
	      "real servers from the included file");
	snprintf(want, sizeof(want), "%s/conf.d/../rs.inc", dir);
	CHECK(tc_rs(c, 1, 0) && !strcmp(tc_rs(c, 1, 0)->where.file, want),
	      "rs file %s", tc_rs(c, 1, 0) ? tc_rs(c, 1, 0)->where.file : "");
	snprintf(want, sizeof(want), "%s/conf.d/a.conf", dir);
	CHECK(!strcmp(tc_vs(c, 0)->where.file, want) &&
		      tc_vs(c, 0)->where.line == 1,
	      "vs file %s", tc_vs(c, 0)->where.file);
	for (f = c->files; f; f = f->next)
		n_files++;
	CHECK(n_files == 5 && !strcmp(c->files->path, path), "%d files",
	      n_files);
out:
	xvs_conf_free(c);
	tc_rmdir(dir);
}

/* What include cannot do, each an error at the include line. Files are
 * "name=text" pairs; %s in the expected file and message is the
 * directory. */
TEST(conf_include_errors)
{
	static const struct {
		const char *files[3];
		const char *top, *file;
		int line;
		const char *msg;
		int errors; /* in all */
	} cases[] = {
		/* a file given literally must exist */
		{{"missing.conf=\n\ninclude nothere.conf\n"},
		 "missing.conf",
		 "%s/missing.conf",
		 3,
		 "cannot read '%s/nothere.conf': No such file or directory",
		 1},
		/* a file including itself, directly or through another */
		{{"self.conf=include self.conf\n"},
		 "self.conf",
		 "%s/self.conf",
		 1,
		 "'%s/self.conf' includes itself",
		 1},
		{{"ping.conf=include pong.conf\n",
		  "pong.conf=\ninclude p*ng.conf\n"},
		 "ping.conf",
		 "%s/pong.conf",
		 2,
		 "'%s/ping.conf' includes itself",
		 2}, /* and pong.conf itself, which p*ng.conf matches too */
		/* a directory is not a file */
		{{"dir.conf=include sub\n"},
		 "dir.conf",
		 "%s/dir.conf",
		 1,
		 "'%s/sub' is not a regular file",
		 1},
		/* one pattern only */
		{{"two.conf=include a b\n"},
		 "two.conf",
		 "%s/two.conf",
		 1,
		 "include takes one file name or pattern",
		 1},
		/* the top file itself */
		{{NULL},
		 "none.conf",
		 "%s/none.conf",
		 0,
		 "cannot read '%s/none.conf': No such file or directory",
		 1},
	};
	char *dir = tc_tmpdir(), path[512], file[512], want[600], name[64],
	     text[128];
	struct tc_msgs msgs;
	struct xvs_conf *c;

	CHECK(dir, "mkdtemp");
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int f = 0; f < 3 && cases[i].files[f]; f++) {
			const char *eq = strchr(cases[i].files[f], '=');

			snprintf(name, sizeof(name), "%.*s",
				 (int)(eq - cases[i].files[f]),
				 cases[i].files[f]);
			tc_write(dir, name, eq + 1);
		}
		snprintf(path, sizeof(path), "%s/%s", dir, cases[i].top);
		snprintf(file, sizeof(file), cases[i].file, dir);
		snprintf(want, sizeof(want), cases[i].msg, dir);
		c = tc_load(path, &msgs);
		CHECK(!c && msgs.errors == cases[i].errors &&
			      tc_find(&msgs, XVS_CONF_ERROR, file,
				      cases[i].line, want),
		      "case %zu: want %s:%d: %s; got %s", i, file,
		      cases[i].line, want, tc_dump(&msgs));
		xvs_conf_free(c);
	}
	/* depth: d0 includes d1 ... d9 */
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(text, sizeof(text), "include d%d.conf\n", i + 1);
		tc_write(dir, name, i < 9 ? text : "\n");
	}
	snprintf(path, sizeof(path), "%s/d0.conf", dir);
	c = tc_load(path, &msgs);
	snprintf(want, sizeof(want),
		 "includes nested deeper than 8 at '%s/d9.conf'", dir);
	snprintf(path, sizeof(path), "%s/d8.conf", dir);
	CHECK(!c && msgs.errors == 1 &&
		      tc_find(&msgs, XVS_CONF_ERROR, path, 1, want),
	      "%s", tc_dump(&msgs));
	xvs_conf_free(c);
	tc_rmdir(dir);
}

/* A glob matching thousands of files: the reader stops at its limit with
 * one error instead of reading on. */
TEST(conf_include_many_files)
{
	char *dir = tc_tmpdir(), path[512], name[64];
	struct tc_msgs msgs;
	struct xvs_conf *c;
	int n = 4200;

	CHECK(dir, "mkdtemp");
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/many", dir);
	mkdir(path, 0700);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "many/%05d.conf", i);
		tc_write(dir, name, "! nothing\n");
	}
	tc_write(dir, "top.conf", "include many/*.conf\n");
	snprintf(path, sizeof(path), "%s/top.conf", dir);
	c = tc_load(path, &msgs);
	CHECK(!c && msgs.errors == 1 &&
		      strstr(msgs.m[0].text, "more than 4096 files to read;"),
	      "%s", tc_dump(&msgs));
	xvs_conf_free(c);
	tc_rmdir(dir);
}

/* Input meant to hurt: the reader answers with errors, and returns. */
TEST(conf_hostile_input)
{
	size_t n = 200000, len;
	char *text = malloc(2 * n + 64);
	struct tc_msgs msgs;
	struct xvs_conf *c;

	CHECK(text, "malloc");
	if (!text)
		return;
	/* deep nesting of known blocks is bounded by the tables; of unknown
	 * ones it is skipped without recursion */
	memset(text, '{', n);
	c = tc_parse_len(text, n, &msgs);
	CHECK(!c && msgs.errors == 2 &&
		      !strcmp(msgs.m[0].text, "unexpected '{'") &&
		      !strcmp(msgs.m[1].text, "missing '}' for '{'"),
	      "deep braces: %s", tc_dump(&msgs));
	xvs_conf_free(c);
	for (size_t i = 0; i < n; i++)
		memcpy(text + 2 * i, i % 2 ? "{\n" : "x ", 2);
	c = tc_parse_len(text, 2 * n, &msgs);
	CHECK(!c && msgs.errors == 1 && msgs.warnings == 1 &&
		      tc_find(&msgs, XVS_CONF_ERROR, "t.conf", 1,
			      "missing '}' for 'x'"),
	      "deep unknown blocks: %s", tc_dump(&msgs));
	xvs_conf_free(c);
	/* a huge value */
	strcpy(text, "global_defs {\nrouter_id ");
	len = strlen(text);
	memset(text + len, 'a', 10000);
	strcpy(text + len + 10000, "\n}\n");
	c = tc_parse(text, &msgs);
	CHECK(!c && tc_find(&msgs, XVS_CONF_ERROR, "t.conf", 2,
			    "a value longer than 4096 bytes"),
	      "huge value: %s", tc_dump(&msgs));
	xvs_conf_free(c);
	/* a line of many values */
	strcpy(text, "virtual_server 198.18.0.1 80 {\nreal_server 198.18.0.2 "
		     "{\nHTTP_GET {\nurl {\nstatus_code");
	for (int i = 0; i < 300; i++)
		strcat(text, " 200");
	strcat(text, "\n}\n}\n}\n}\n");
	c = tc_parse(text, &msgs);
	CHECK(!c && tc_find(&msgs, XVS_CONF_ERROR, "t.conf", 5,
			    "more than 256 values for 'status_code'"),
	      "many values: %s", tc_dump(&msgs));
	xvs_conf_free(c);
	/* nothing at all is a valid, empty configuration */
	c = tc_parse_len("", 0, &msgs);
	CHECK(c && !c->vs && !msgs.total, "empty");
	xvs_conf_free(c);
	free(text);
}

/* Large files are read in one pass: a group of 60000 addresses, a
 * service of 5000 real servers (with a duplicate at the end, found). */
TEST(conf_large_file)
{
	size_t cap = 8u << 20, len = 0;
	char *text = malloc(cap);
	struct tc_msgs msgs;
	struct xvs_conf *c;
	const struct xvs_conf_vsg_entry *e;
	const struct xvs_conf_rs *rs;
	int n_entries = 0, n_rs = 0;

	CHECK(text, "malloc");
	if (!text)
		return;
	len += (size_t)sprintf(text + len, "virtual_server_group G {\n");
	for (int i = 0; i < 60000; i++)
		len += (size_t)sprintf(text + len, "10.%d.%d.1 80\n", i / 256,
				       i % 256);
	len += (size_t)sprintf(text + len, "}\nvirtual_server group G {\n");
	for (int i = 0; i < 5000; i++)
		len += (size_t)sprintf(text + len,
				       "real_server 10.200.%d.%d 80 {\n"
				       "TCP_CHECK {\n}\n}\n",
				       i / 256, i % 256);
	len += (size_t)sprintf(text + len,
			       "real_server 10.200.0.7 80 {\n}\n}\n");
	c = tc_parse_len(text, len, &msgs);
	CHECK(!c && msgs.errors == 1 &&
		      tc_find(&msgs, XVS_CONF_ERROR, "t.conf", 60004 + 4 * 5000,
			      "duplicate real_server 10.200.0.7 port 80 (first "
			      "at t.conf:60032)"),
	      "%s", tc_dump(&msgs));
	xvs_conf_free(c);
	/* without the duplicate */
	len -= strlen("real_server 10.200.0.7 80 {\n}\n}\n");
	len += (size_t)sprintf(text + len, "}\n");
	c = tc_parse_len(text, len, &msgs);
	for (e = c ? c->vsg->entries : NULL; e; e = e->next)
		n_entries++;
	for (rs = c ? c->vs->rs : NULL; rs; rs = rs->next)
		n_rs++;
	CHECK(c && !msgs.total && n_entries == 60000 && n_rs == 5000,
	      "entries %d, real servers %d %s", n_entries, n_rs,
	      tc_dump(&msgs));
	xvs_conf_free(c);
	free(text);
}
