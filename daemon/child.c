// SPDX-License-Identifier: GPL-2.0
/*
 * Children of the event loop; contracts in child.h.
 *
 * A child is spawned with posix_spawn into its own session (so that its
 * pid is also its process group and a timeout can kill everything it
 * started), with an empty signal mask and default dispositions (the loop
 * blocks the signals it reads from a signalfd, and the daemon may ignore
 * SIGPIPE: neither must leak into a script), /dev/null as stdio and every
 * other descriptor closed. Its end is seen through a pidfd on the loop
 * and collected with waitid(P_PIDFD), so other children of the process
 * are never reaped by mistake.
 *
 * A cancelled child is killed at once but cannot be reaped at once
 * (SIGKILL takes effect asynchronously and waiting would block the loop):
 * it stays on the loop without a callback until its pidfd reports the
 * end, then it is reaped and freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "loop.h"

extern char **environ;

struct xvs_child {
	struct xvs_loop *loop;
	pid_t pid;
	int pidfd;
	long long timer; /* the timeout's timer id; 0 when none is armed */
	int timed_out;	 /* the timeout fired and the group was killed */
	int in_done;	 /* the callback is running: cancel is a no-op */
	xvs_child_done_fn done; /* NULL: nobody waits (fire and forget or
				 * cancelled) */
	void *data;
};

/* The whole process group the child leads: the shell and whatever it
 * started. The leader is not reaped yet, so its pid cannot have been
 * reused as a group id. */
static void child_kill(struct xvs_child *ch)
{
	kill(-ch->pid, SIGKILL);
}

static void child_free(struct xvs_child *ch)
{
	if (ch->timer)
		xvs_loop_del_timer(ch->loop, ch->timer);
	xvs_loop_del_fd(ch->loop, ch->pidfd);
	close(ch->pidfd);
	free(ch);
}

static void child_ended(struct xvs_loop *loop, int fd, unsigned events,
			void *data)
{
	struct xvs_child *ch = data;
	siginfo_t si;
	int status;

	(void)loop;
	(void)events;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG) < 0)
		status = -1; /* cannot happen for our own child: count it
			      * as killed rather than spin on the fd */
	else if (!si.si_pid)
		return; /* woken early: not a zombie yet */
	else
		status = si.si_code == CLD_EXITED ? si.si_status & 0xff : -1;

	if (ch->done) {
		ch->in_done = 1;
		ch->done(ch->data, status, ch->timed_out && status < 0);
	}
	child_free(ch);
}

static void child_timeout(struct xvs_loop *loop, long long id, void *data)
{
	struct xvs_child *ch = data;

	(void)loop;
	(void)id;
	ch->timer = 0;
	ch->timed_out = 1;
	child_kill(ch);
}

/* posix_spawn with the settings the header comment describes. */
static int child_spawn(const char *cmd, pid_t *pid)
{
	char *const argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int ret;

	sigemptyset(&none);
	sigfillset(&all); /* SIGKILL and SIGSTOP are skipped by glibc */
	ret = posix_spawnattr_init(&attr);
	if (ret)
		return ret;
	ret = posix_spawn_file_actions_init(&fa);
	if (ret)
		goto attr;
	ret = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID |
						      POSIX_SPAWN_SETSIGMASK |
						      POSIX_SPAWN_SETSIGDEF);
	if (!ret)
		ret = posix_spawnattr_setsigmask(&attr, &none);
	if (!ret)
		ret = posix_spawnattr_setsigdefault(&attr, &all);
	if (!ret)
		ret = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						       O_RDWR, 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, 0, 1);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, 0, 2);
	if (!ret)
		ret = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!ret)
		ret = posix_spawn(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
attr:
	posix_spawnattr_destroy(&attr);
	return ret;
}

struct xvs_child *xvs_child_run(struct xvs_loop *loop, const char *cmd,
				unsigned timeout_ms, xvs_child_done_fn done,
				void *data, char *err, size_t errlen)
{
	struct xvs_child *ch;
	int ret;

	ch = calloc(1, sizeof(*ch));
	if (!ch) {
		snprintf(err, errlen, "running `%s': out of memory", cmd);
		return NULL;
	}
	ch->loop = loop;
	ch->done = done;
	ch->data = data;
	ret = child_spawn(cmd, &ch->pid);
	if (ret) {
		snprintf(err, errlen, "running `%s': %s", cmd, strerror(ret));
		free(ch);
		return NULL;
	}
	ch->pidfd = pidfd_open(ch->pid, 0);
	if (ch->pidfd < 0) {
		ret = errno;
		goto kill;
	}
	ret = -xvs_loop_add_fd(loop, ch->pidfd, XVS_EV_READ, child_ended, ch);
	if (ret)
		goto close;
	if (timeout_ms) {
		ch->timer = xvs_loop_add_timer(loop, timeout_ms, 0,
					       child_timeout, ch);
		if (ch->timer < 0) {
			ret = (int)-ch->timer;
			xvs_loop_del_fd(loop, ch->pidfd);
			goto close;
		}
	}
	return ch;

close:
	close(ch->pidfd);
kill:
	/* Without a pidfd on the loop nothing would reap it: kill it and
	 * wait here, which SIGKILL makes short. */
	child_kill(ch);
	waitpid(ch->pid, NULL, 0);
	snprintf(err, errlen, "running `%s': %s", cmd, strerror(ret));
	free(ch);
	return NULL;
}

void xvs_child_cancel(struct xvs_child *child)
{
	if (!child || child->in_done)
		return;
	child->done = NULL;
	if (child->timer) {
		xvs_loop_del_timer(child->loop, child->timer);
		child->timer = 0;
	}
	child_kill(child);
}
