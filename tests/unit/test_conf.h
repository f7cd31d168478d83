/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the keepalived.conf reader's tests (test_conf*.c): read a
 * text or a file while recording every message, find messages, and write
 * files into a temporary directory for the include tests.
 */
#ifndef XVS_TEST_CONF_H
#define XVS_TEST_CONF_H

#include "conf/conf.h"

#define TC_MAX_MSGS 128

struct tc_msg {
	enum xvs_conf_level level;
	char file[256];
	int line;
	char text[512];
};

struct tc_msgs {
	int n;	   /* messages recorded (at most TC_MAX_MSGS) */
	int total; /* messages received */
	int errors, warnings;
	struct tc_msg m[TC_MAX_MSGS];
};

/* Reads text as the file "t.conf"; msgs receives every message. */
struct xvs_conf *tc_parse(const char *text, struct tc_msgs *msgs);
struct xvs_conf *tc_parse_len(const char *text, size_t len,
			      struct tc_msgs *msgs);
struct xvs_conf *tc_load(const char *path, struct tc_msgs *msgs);

/* The message of this level at file:line (file NULL: any) whose text is
 * exactly text, or NULL. */
const struct tc_msg *tc_find(const struct tc_msgs *msgs,
			     enum xvs_conf_level level, const char *file,
			     int line, const char *text);
/* All messages as one string, for failure reports. */
const char *tc_dump(const struct tc_msgs *msgs);

/* The i-th virtual server, its j-th real server, its k-th checker (NULL
 * past the end). */
struct xvs_conf_vs *tc_vs(const struct xvs_conf *c, int i);
struct xvs_conf_rs *tc_rs(const struct xvs_conf *c, int i, int j);
struct xvs_conf_checker *tc_ck(const struct xvs_conf *c, int i, int j, int k);

/* A new temporary directory (NULL on failure), files in it, and its
 * removal with everything in it (one level of subdirectories). */
char *tc_tmpdir(void);
int tc_write(const char *dir, const char *name, const char *text);
void tc_rmdir(char *dir);

#endif
