// SPDX-License-Identifier: GPL-2.0
/*
 * MISC_CHECK: runs misc_path (a shell command line) and judges its exit
 * status, as keepalived: 0 is up, 1 is down; with misc_dynamic, 2..255 is
 * up with weight status - 2, otherwise any non-zero status is down. A
 * program killed by a signal is down. At misc_timeout the engine ends the
 * attempt and close() kills the program's whole process group.
 */
#include <stdio.h>

#include "check_priv.h"
#include "child.h"

struct misc_check {
	struct xvs_check *check;
	struct xvs_child *child; /* while the program runs */
};

static void misc_done(void *data, int status, int timed_out)
{
	struct misc_check *m = data;
	int dynamic = xvs_check_conf(m->check)->misc_dynamic;

	(void)timed_out; /* no child timeout: the engine's ends the attempt */
	m->child = NULL;
	if (status == 0)
		check_attempt_end(m->check, 1, -1, "exit status 0");
	else if (status >= 2 && dynamic)
		check_attempt_end(m->check, 1, status - 2,
				  "exit status %d: weight %d", status,
				  status - 2);
	else if (status > 0)
		check_attempt_end(m->check, 0, -1, "exit status %d", status);
	else
		check_attempt_end(m->check, 0, -1, "killed by a signal");
}

static void misc_begin(struct xvs_check *c)
{
	struct misc_check *m = check_priv(c);
	char err[256];

	m->check = c;
	m->child = xvs_child_run(check_loop(c), xvs_check_conf(c)->misc_path, 0,
				 misc_done, m, err, sizeof(err));
	if (!m->child)
		check_attempt_end(c, 0, -1, "%s", err);
}

static void misc_close(struct xvs_check *c)
{
	struct misc_check *m = check_priv(c);

	xvs_child_cancel(m->child);
	m->child = NULL;
}

static int misc_init(struct xvs_check *c, char *err, size_t errlen)
{
	const struct xvs_conf_checker *cf = xvs_check_conf(c);

	if (cf->misc_path && *cf->misc_path)
		return 0;
	snprintf(err, errlen, "%s:%d: MISC_CHECK without misc_path",
		 cf->where.file, cf->where.line);
	return -1;
}

const struct xvs_check_ops check_misc_ops = {
	.name = "MISC_CHECK",
	.priv_size = sizeof(struct misc_check),
	.init = misc_init,
	.begin = misc_begin,
	.close = misc_close,
};
