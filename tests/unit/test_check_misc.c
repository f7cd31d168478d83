// SPDX-License-Identifier: GPL-2.0
/*
 * MISC_CHECK: exit 0 up, 1 down; misc_dynamic's 2..255 as up with weight
 * status - 2 (reported again when it changes, not when exit 0 keeps it);
 * without misc_dynamic any other status is down; a program past
 * misc_timeout is killed and the check fails; a check stopped while its
 * program runs leaves neither process nor descriptor behind.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_peer.h"
#include "test.h"

static char dir[32], status_file[64], pid_file[64], cmd[256];

static int misc_setup(void)
{
	strcpy(dir, "/tmp/xvs-misc-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(status_file, sizeof(status_file), "%s/status", dir);
	snprintf(pid_file, sizeof(pid_file), "%s/pid", dir);
	return 0;
}

static void misc_teardown(void)
{
	unlink(status_file);
	unlink(pid_file);
	rmdir(dir);
}

static void write_status(int status)
{
	FILE *f = fopen(status_file, "w");

	if (f) {
		fprintf(f, "%d\n", status);
		fclose(f);
	}
}

/* A MISC_CHECK whose program exits with the number in status_file. */
static struct xvs_check *start_misc(struct xvs_loop *loop, int dynamic, int up,
				    struct recorder *rec)
{
	struct xvs_check_target t = peer_target(AF_INET, 80);
	struct xvs_conf_checker cf;

	peer_conf(&cf, XVS_CHECK_MISC);
	snprintf(cmd, sizeof(cmd), "exit $(cat %s)", status_file);
	cf.misc_path = cmd;
	cf.misc_dynamic = dynamic;
	return start_check(loop, &cf, &t, up, rec);
}

TEST(check_misc_status)
{
	int ran;
	static const struct {
		int dynamic, initially_up, status;
		int up, weight;
		const char *reason;
	} cases[] = {
		{0, 0, 0, 1, -1, "exit status 0"},
		{0, 1, 1, 0, -1, "exit status 1"},
		{0, 1, 7, 0, -1, "exit status 7"},
		{1, 1, 1, 0, -1, "exit status 1"},
		{1, 0, 0, 1, -1, "exit status 0"},
		{1, 0, 2, 1, 0, "exit status 2: weight 0"},
		{1, 0, 255, 1, 253, "exit status 255: weight 253"},
	};
	char err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));

	CHECK(loop && !misc_setup(), "setup");
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct recorder rec = {0};
		struct xvs_check *c;

		write_status(cases[i].status);
		c = start_misc(loop, cases[i].dynamic, cases[i].initially_up,
			       &rec);
		ran = run_loop(loop, 5000);
		CHECK(c && ran && rec.up == cases[i].up &&
			      rec.weight == cases[i].weight &&
			      !strcmp(rec.reason, cases[i].reason),
		      "dynamic %d, exit %d: up %d weight %d '%s'",
		      cases[i].dynamic, cases[i].status, rec.up, rec.weight,
		      rec.reason);
		xvs_check_stop(c);
	}
	{
		struct xvs_check_target t = peer_target(AF_INET, 80);
		struct xvs_conf_checker cf;
		struct recorder rec = {0};

		peer_conf(&cf, XVS_CHECK_MISC);
		CHECK(!xvs_check_start(loop, &cf, &t, 1, check_recorder, &rec,
				       err, sizeof(err)) &&
			      strstr(err, "without misc_path"),
		      "no misc_path: '%s'", err);
	}
	misc_teardown();
	xvs_loop_free(loop);
}

/* A new dynamic weight is a report; exit 0 keeps the weight quietly. */
TEST(check_misc_dynamic_changes)
{
	int ran;
	char err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));
	struct recorder rec = {0};
	struct xvs_check *c;

	CHECK(loop && !misc_setup(), "setup");
	write_status(5);
	c = start_misc(loop, 1, 1, &rec);
	ran = run_loop(loop, 5000);
	CHECK(c && ran && rec.up && rec.weight == 3,
	      "up with weight 3 though already up: %d reports, weight %d",
	      rec.reports, rec.weight);
	ran = run_attempts(loop, c, 3, &rec);
	CHECK(ran && rec.reports == 1,
	      "the same weight is not reported again: %d reports", rec.reports);
	write_status(12);
	ran = run_loop(loop, 5000);
	CHECK(ran && rec.up && rec.weight == 10, "new weight 10: weight %d",
	      rec.weight);
	write_status(0);
	ran = run_attempts(loop, c, 3, &rec);
	CHECK(ran && rec.reports == 2,
	      "exit 0 keeps the weight without a report: %d reports",
	      rec.reports);
	write_status(1);
	ran = run_loop(loop, 5000);
	CHECK(ran && !rec.up && rec.weight == -1,
	      "exit 1 is down: up %d weight %d", rec.up, rec.weight);
	xvs_check_stop(c);
	misc_teardown();
	xvs_loop_free(loop);
}

TEST(check_misc_timeout_and_stop)
{
	int ran;
	struct xvs_check_target t = peer_target(AF_INET, 80);
	struct recorder rec = {0};
	struct xvs_conf_checker cf;
	struct xvs_check *c;
	struct xvs_loop *loop;
	char err[128];
	pid_t pid = 0;
	int fds;

	CHECK(!misc_setup(), "setup");
	fds = count_fds();
	loop = xvs_loop_new(err, sizeof(err));
	peer_conf(&cf, XVS_CHECK_MISC);
	snprintf(cmd, sizeof(cmd), "echo $$ > %s; exec sleep 30", pid_file);
	cf.misc_path = cmd;
	cf.misc_timeout_ms = 300;
	c = start_check(loop, &cf, &t, 1, &rec);
	ran = run_loop(loop, 5000);
	CHECK(c && ran && !rec.up &&
		      !strcmp(rec.reason, "timeout after 300 ms"),
	      "down at the timeout: up %d '%s'", rec.up, rec.reason);
	pid = read_pid_file(pid_file);
	xvs_check_stop(c);
	CHECK(pid > 0 && run_until_reaped(loop, pid),
	      "the program %d is killed, reaped", (int)pid);

	unlink(pid_file);
	cf.misc_timeout_ms = 5000;
	c = start_check(loop, &cf, &t, 1, &rec);
	for (int i = 0; i < 250 && !(pid = read_pid_file(pid_file)); i++)
		run_loop(loop, 20);
	CHECK(c && pid > 0, "the program runs");
	xvs_check_stop(c);
	CHECK(run_until_reaped(loop, pid),
	      "stopped mid-run: %d is killed, reaped", (int)pid);
	xvs_loop_free(loop);
	CHECK(count_fds() == fds, "no descriptor left: %d, was %d", count_fds(),
	      fds);
	misc_teardown();
}
