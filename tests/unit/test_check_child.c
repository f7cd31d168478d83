// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/child.c: exit statuses, death by a signal, the timeout killing
 * the whole process group, a clean environment (empty signal mask, default
 * dispositions, /dev/null stdio, no inherited descriptors, own session),
 * cancel, and fire-and-forget children that are still reaped.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_peer.h"
#include "child.h"
#include "test.h"

struct ended {
	struct xvs_loop *loop;
	int calls, status, timed_out;
};

static void on_end(void *data, int status, int timed_out)
{
	struct ended *e = data;

	e->calls++;
	e->status = status;
	e->timed_out = timed_out;
	xvs_loop_stop(e->loop);
}

/* Runs cmd to its end; the ended record says how. */
static struct ended run_cmd(const char *cmd, unsigned timeout_ms)
{
	char err[256];
	struct ended e = {.loop = xvs_loop_new(err, sizeof(err)), .status = -2};

	if (!e.loop)
		return e;
	if (xvs_child_run(e.loop, cmd, timeout_ms, on_end, &e, err,
			  sizeof(err)))
		run_loop(e.loop, 5000);
	else
		printf("# %s\n", err);
	xvs_loop_free(e.loop);
	return e;
}

TEST(child_exit_status)
{
	static const struct {
		const char *cmd;
		int status;
	} cases[] = {
		{"true", 0},
		{"exit 3", 3},
		{"exit 255", 255},
		{"kill -TERM $$", -1},
		{"/nonexistent/program", 127},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ended e = run_cmd(cases[i].cmd, 0);

		CHECK(e.calls == 1 && e.status == cases[i].status &&
			      !e.timed_out,
		      "`%s': %d calls, status %d (want %d), timed_out %d",
		      cases[i].cmd, e.calls, e.status, cases[i].status,
		      e.timed_out);
	}
}

/* A process that is gone, or a zombie nobody here can reap (an orphan
 * handed to init). */
static int process_gone(pid_t pid)
{
	char path[64], state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (fscanf(f, "%*d %*s %c", &state) != 1)
		state = 0;
	fclose(f);
	return state == 'Z';
}

TEST(child_timeout_kills_group)
{
	char dir[] = "/tmp/xvs-child-XXXXXX", cmd[256], file[64];
	struct ended e;
	pid_t bg;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(file, sizeof(file), "%s/bg", dir);
	/* the shell starts a background sleep and waits for it */
	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! > %s; wait", file);
	e = run_cmd(cmd, 300);
	CHECK(e.calls == 1 && e.status == -1 && e.timed_out,
	      "timed out: %d calls, status %d, timed_out %d", e.calls, e.status,
	      e.timed_out);
	bg = read_pid_file(file);
	for (int i = 0; i < 500 && bg > 0 && !process_gone(bg); i++)
		usleep(10000);
	CHECK(bg > 0 && process_gone(bg), "the background sleep %d is killed",
	      (int)bg);
	unlink(file);
	rmdir(dir);
}

/* What a script inherits: checked by the script itself. */
TEST(child_clean_environment)
{
	void (*pipe_was)(int) = signal(SIGPIPE, SIG_IGN); /* as xvsd */
	sigset_t block, old;
	char cmd[512];
	struct ended e;
	int leak = dup(1); /* not close-on-exec */

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	snprintf(cmd, sizeof(cmd),
		 "set -- $(cat /proc/$$/stat); [ \"$6\" = \"$$\" ] || exit 10; "
		 "ign=$(awk '/^SigIgn/ {print $2}' /proc/$$/status); "
		 "[ $((0x$ign & 0x1000)) -eq 0 ] || exit 12; "
		 "[ \"$(readlink /proc/$$/fd/0)\" = /dev/null ] || exit 13; "
		 "[ \"$(readlink /proc/$$/fd/2)\" = /dev/null ] || exit 14; "
		 "[ -e /proc/$$/fd/%d ] && exit 15; "
		 /* the shell blocks signals now and then while it waits for
		  * its own children: read the mask of what it execs */
		 "exec awk '/^SigBlk/ { exit $2 ~ /^0+$/ ? 0 : 11 }' "
		 "/proc/self/status",
		 leak);
	e = run_cmd(cmd, 5000);
	CHECK(e.calls == 1 && e.status == 0,
	      "own session, empty mask, SIGPIPE default, /dev/null, no fd %d: "
	      "status %d (10 session, 11 mask, 12 SIGPIPE, 13/14 stdio, 15 fd)",
	      leak, e.status);
	signal(SIGPIPE, pipe_was);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(leak);
}

TEST(child_cancel_and_forget)
{
	char dir[] = "/tmp/xvs-child-XXXXXX", cmd[256], file[64], err[128];
	struct xvs_loop *loop = xvs_loop_new(err, sizeof(err));
	struct ended e = {.loop = loop};
	struct xvs_child *ch;
	int fds = count_fds();
	pid_t pid = 0;

	CHECK(loop && mkdtemp(dir) != NULL, "setup");
	snprintf(file, sizeof(file), "%s/pid", dir);
	snprintf(cmd, sizeof(cmd),
		 "echo $$ > %s.tmp; mv %s.tmp %s; "
		 "exec sleep 30",
		 file, file, file);
	ch = xvs_child_run(loop, cmd, 0, on_end, &e, err, sizeof(err));
	CHECK(ch != NULL, "run: %s", err);
	for (int i = 0; i < 500 && !(pid = read_pid_file(file)); i++)
		usleep(10000);
	CHECK(pid > 0, "the child wrote its pid");
	xvs_child_cancel(ch);
	CHECK(run_until_reaped(loop, pid), "the cancelled child %d is reaped",
	      (int)pid);
	CHECK(e.calls == 0, "no callback after cancel: %d", e.calls);
	CHECK(count_fds() == fds, "no descriptor left: %d, was %d", count_fds(),
	      fds);

	/* fire and forget: nobody is called, the child is still reaped */
	unlink(file);
	snprintf(cmd, sizeof(cmd), "echo $$ > %s", file);
	CHECK(xvs_child_run(loop, cmd, 0, NULL, NULL, err, sizeof(err)) != NULL,
	      "run: %s", err);
	for (int i = 0; i < 250 && !(pid = read_pid_file(file)); i++)
		run_loop(loop, 20);
	CHECK(pid > 0 && run_until_reaped(loop, pid) && count_fds() == fds,
	      "forgotten child %d ran and was reaped, %d fds", (int)pid,
	      count_fds());
	xvs_child_cancel(NULL);
	unlink(file);
	rmdir(dir);
	xvs_loop_free(loop);
}
