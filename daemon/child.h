/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Child processes run from the event loop: MISC_CHECK's programs and the
 * notify scripts. A child is a shell command line (/bin/sh -c), started
 * with the signal mask the loop blocked restored to empty and stdin,
 * stdout and stderr on /dev/null; its end is seen through a pidfd watched
 * by the loop, so nothing waits and no SIGCHLD handler is needed. A child
 * still running at its timeout is killed (SIGKILL, to its process group).
 */
#ifndef XVS_CHILD_H
#define XVS_CHILD_H

struct xvs_loop;
struct xvs_child;

/*
 * Called once when the child has ended: status is its exit status
 * (0..255), or -1 when it was killed by a signal or at its timeout
 * (timed_out says which). The child is freed after the callback returns.
 */
typedef void (*xvs_child_done_fn)(void *data, int status, int timed_out);

/*
 * Runs cmd; timeout_ms 0 means no timeout. done may be NULL (fire and
 * forget, as for notify scripts: the child is still reaped). Returns the
 * child, or NULL with a message in err (fork or pidfd failure).
 */
struct xvs_child *xvs_child_run(struct xvs_loop *loop, const char *cmd,
				unsigned timeout_ms, xvs_child_done_fn done,
				void *data, char *err, size_t errlen);

/* Kills a child still running (its callback is not called) and frees it.
 * NULL is a no-op. */
void xvs_child_cancel(struct xvs_child *child);

#endif /* XVS_CHILD_H */
