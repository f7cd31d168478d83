/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's event loop, after Redis's ae.c: file events, timers and
 * signals, dispatched from one thread with a void * of caller data.
 *
 * Backend: epoll. Signals arrive through a signalfd and are dispatched like
 * any other file event, so signal callbacks run in normal context and may
 * do anything. Timers use CLOCK_MONOTONIC, millisecond periods, and live in
 * a binary heap: add and delete-by-handle are O(log n), delete-by-id is
 * O(n) (it searches the heap), which is fine for hundreds of timers.
 *
 * Every function may be called from inside a callback, including removing
 * the fd or timer whose callback is running. Nothing here prints; errors
 * are returned as -errno.
 */
#ifndef XVS_LOOP_H
#define XVS_LOOP_H

#include <stddef.h>

#define XVS_EV_READ 1u
#define XVS_EV_WRITE 2u

struct xvs_loop;

typedef void (*xvs_fd_cb)(struct xvs_loop *loop, int fd, unsigned events,
			  void *data);
typedef void (*xvs_timer_cb)(struct xvs_loop *loop, long long id, void *data);
typedef void (*xvs_signal_cb)(struct xvs_loop *loop, int signo, void *data);

/* A new, empty loop, or NULL with a message in err. */
struct xvs_loop *xvs_loop_new(char *err, size_t errlen);

/* Close the loop's own descriptors, free all timers, and unblock the
 * signals that xvs_loop_on_signals() blocked. Registered fds are not
 * closed: they belong to the caller. NULL is a no-op. */
void xvs_loop_free(struct xvs_loop *loop);

/*
 * Watch fd for events (XVS_EV_READ and/or XVS_EV_WRITE, level-triggered).
 * cb gets the subset that is ready; an error or hang-up on the fd is
 * reported as every registered event, so the read or write that follows
 * sees the error. Returns 0, -EEXIST if fd is already watched, -EINVAL for
 * a bad fd or empty events, or the epoll_ctl error.
 */
int xvs_loop_add_fd(struct xvs_loop *loop, int fd, unsigned events,
		    xvs_fd_cb cb, void *data);

/* Change the events watched on fd; 0 pauses it (it stays registered and
 * is not polled). Returns 0, -ENOENT if fd is not watched. */
int xvs_loop_mod_fd(struct xvs_loop *loop, int fd, unsigned events);

/* Stop watching fd (it is not closed). An event for fd that is already
 * collected in the current iteration is dropped, even if fd is closed and
 * re-added under the same number meanwhile. Returns 0 or -ENOENT. */
int xvs_loop_del_fd(struct xvs_loop *loop, int fd);

/*
 * Call cb after ms milliseconds, and then every ms milliseconds if periodic
 * (ms must be > 0 then). A periodic timer keeps its phase: the next
 * deadline is the previous deadline plus the period, never "now plus the
 * period", so it does not drift; periods missed while the loop was busy
 * are skipped, not replayed in a burst. A timer added from a timer
 * callback runs in a later iteration at the earliest.
 * Returns the timer's id (> 0) or -errno.
 */
long long xvs_loop_add_timer(struct xvs_loop *loop, unsigned ms, int periodic,
			     xvs_timer_cb cb, void *data);

/* Cancel a timer; a periodic timer may cancel itself from its callback.
 * Returns 0, or -ENOENT if there is no such timer (e.g. a one-shot that
 * already fired). */
int xvs_loop_del_timer(struct xvs_loop *loop, long long id);

/*
 * Deliver the n signals in signals[] to cb, from the loop. The signals are
 * blocked in the calling thread (call this before starting any other
 * thread, or they may still be delivered there) and read from a signalfd.
 * A later call for the same signal replaces its callback. Children
 * inherit the blocked mask: unblock signals between fork() and exec().
 * Returns 0 or -errno (-EINVAL for an invalid or uncatchable signal).
 */
int xvs_loop_on_signals(struct xvs_loop *loop, const int *signals, int n,
			xvs_signal_cb cb, void *data);

/*
 * Dispatch events until xvs_loop_stop() is called. Each iteration waits
 * for the earliest timer, dispatches ready fds, then expired timers.
 * Returns 0 after a stop, 0 at once if nothing at all is registered (it
 * would otherwise sleep forever), or -errno if epoll_wait fails.
 */
int xvs_loop_run(struct xvs_loop *loop);

/* Now on the timers' clock (CLOCK_MONOTONIC), in milliseconds. */
long long xvs_loop_now_ms(void);

/* Make xvs_loop_run() return after the current iteration. The flag is
 * cleared when xvs_loop_run() returns, so the loop can be run again. */
void xvs_loop_stop(struct xvs_loop *loop);

#endif /* XVS_LOOP_H */
