// SPDX-License-Identifier: GPL-2.0
/*
 * Event loop on epoll, signalfd and a timer heap; contracts in loop.h.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define LOOP_MAX_EVENTS 64 /* epoll events collected per iteration */
#define NS_PER_MS 1000000LL

/* One watched fd, stored at index fd of loop->fds. */
struct loop_fd {
	int used;
	unsigned mask; /* XVS_EV_*; 0 = paused, not in the epoll set */
	unsigned gen;  /* bumped on add and del, travels in the epoll data */
	xvs_fd_cb cb;
	void *data;
};

struct loop_timer {
	long long id;
	long long deadline; /* CLOCK_MONOTONIC, ns */
	long long period;   /* ns; 0 for a one-shot */
	xvs_timer_cb cb;
	void *data;
};

struct loop_sig {
	xvs_signal_cb cb;
	void *data;
};

struct xvs_loop {
	int epfd;
	int stop;

	struct loop_fd *fds; /* indexed by fd */
	int nfds_cap;
	int nfds_used;

	struct loop_timer **heap; /* min-heap on (deadline, id) */
	size_t ntimers;
	size_t timers_cap;
	long long next_timer_id;

	int sfd;	     /* signalfd, -1 until the first on_signals */
	sigset_t sigs;	     /* signals read from sfd */
	sigset_t we_blocked; /* of those, the ones that were not blocked */
	struct loop_sig sig[_NSIG];

	struct epoll_event events[LOOP_MAX_EVENTS];
};

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long xvs_loop_now_ms(void)
{
	return mono_ns() / 1000000;
}

struct xvs_loop *xvs_loop_new(char *err, size_t errlen)
{
	struct xvs_loop *loop;

	loop = calloc(1, sizeof(*loop));
	if (!loop) {
		snprintf(err, errlen, "event loop: out of memory");
		return NULL;
	}
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		free(loop);
		return NULL;
	}
	loop->sfd = -1;
	loop->next_timer_id = 1;
	sigemptyset(&loop->sigs);
	sigemptyset(&loop->we_blocked);
	return loop;
}

void xvs_loop_free(struct xvs_loop *loop)
{
	if (!loop)
		return;
	if (loop->sfd >= 0) {
		close(loop->sfd);
		sigprocmask(SIG_UNBLOCK, &loop->we_blocked, NULL);
	}
	for (size_t i = 0; i < loop->ntimers; i++)
		free(loop->heap[i]);
	free(loop->heap);
	free(loop->fds);
	close(loop->epfd);
	free(loop);
}

/* ---- file events ---- */

static uint32_t epoll_mask(unsigned events)
{
	return (events & XVS_EV_READ ? EPOLLIN : 0) |
	       (events & XVS_EV_WRITE ? EPOLLOUT : 0);
}

/* (Re)register fd in the epoll set with its current mask and generation. */
static int fd_ctl(struct xvs_loop *loop, int op, int fd)
{
	struct epoll_event ev = {
		.events = epoll_mask(loop->fds[fd].mask),
		.data.u64 = (uint64_t)loop->fds[fd].gen << 32 | (uint32_t)fd,
	};

	return epoll_ctl(loop->epfd, op, fd, &ev) ? -errno : 0;
}

static int fds_reserve(struct xvs_loop *loop, int fd)
{
	struct loop_fd *n;
	int cap;

	if (fd < loop->nfds_cap)
		return 0;
	cap = loop->nfds_cap ? loop->nfds_cap : 64;
	while (cap <= fd)
		cap *= 2;
	n = realloc(loop->fds, (size_t)cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + loop->nfds_cap, 0,
	       (size_t)(cap - loop->nfds_cap) * sizeof(*n));
	loop->fds = n;
	loop->nfds_cap = cap;
	return 0;
}

int xvs_loop_add_fd(struct xvs_loop *loop, int fd, unsigned events,
		    xvs_fd_cb cb, void *data)
{
	struct loop_fd *f;
	int ret;

	events &= XVS_EV_READ | XVS_EV_WRITE;
	if (fd < 0 || !events || !cb)
		return -EINVAL;
	ret = fds_reserve(loop, fd);
	if (ret)
		return ret;
	f = &loop->fds[fd];
	if (f->used)
		return -EEXIST;
	f->mask = events;
	f->gen++;
	ret = fd_ctl(loop, EPOLL_CTL_ADD, fd);
	if (ret)
		return ret;
	f->used = 1;
	f->cb = cb;
	f->data = data;
	loop->nfds_used++;
	return 0;
}

int xvs_loop_mod_fd(struct xvs_loop *loop, int fd, unsigned events)
{
	struct loop_fd *f;
	unsigned old;
	int op, ret;

	events &= XVS_EV_READ | XVS_EV_WRITE;
	if (fd < 0 || fd >= loop->nfds_cap || !loop->fds[fd].used)
		return -ENOENT;
	f = &loop->fds[fd];
	old = f->mask;
	if (old == events)
		return 0;
	/* A paused fd leaves the epoll set: with an empty mask epoll would
	 * still report a hang-up over and over. */
	op = !events ? EPOLL_CTL_DEL : !old ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
	f->mask = events;
	ret = fd_ctl(loop, op, fd);
	if (ret)
		f->mask = old;
	return ret;
}

int xvs_loop_del_fd(struct xvs_loop *loop, int fd)
{
	struct loop_fd *f;

	if (fd < 0 || fd >= loop->nfds_cap || !loop->fds[fd].used)
		return -ENOENT;
	f = &loop->fds[fd];
	/* Fails only if the caller already closed fd, which removed it. */
	if (f->mask)
		epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	f->used = 0;
	f->mask = 0;
	f->gen++; /* drops an event for fd collected in this iteration */
	loop->nfds_used--;
	return 0;
}

/* ---- timers ---- */

static int timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->id < b->id);
}

static void heap_swap(struct xvs_loop *loop, size_t i, size_t j)
{
	struct loop_timer *t = loop->heap[i];

	loop->heap[i] = loop->heap[j];
	loop->heap[j] = t;
}

static void heap_up(struct xvs_loop *loop, size_t i)
{
	while (i > 0 && timer_before(loop->heap[i], loop->heap[(i - 1) / 2])) {
		heap_swap(loop, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct xvs_loop *loop, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < loop->ntimers &&
		    timer_before(loop->heap[l], loop->heap[m]))
			m = l;
		if (r < loop->ntimers &&
		    timer_before(loop->heap[r], loop->heap[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(loop, i, m);
		i = m;
	}
}

/* Take heap[i] out of the heap (not freed). */
static void heap_remove(struct xvs_loop *loop, size_t i)
{
	loop->ntimers--;
	if (i == loop->ntimers)
		return;
	loop->heap[i] = loop->heap[loop->ntimers];
	heap_up(loop, i);
	heap_down(loop, i);
}

long long xvs_loop_add_timer(struct xvs_loop *loop, unsigned ms, int periodic,
			     xvs_timer_cb cb, void *data)
{
	struct loop_timer *t;

	if (!cb || (periodic && !ms))
		return -EINVAL;
	if (loop->ntimers == loop->timers_cap) {
		size_t cap = loop->timers_cap ? 2 * loop->timers_cap : 16;
		struct loop_timer **h = realloc(loop->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		loop->heap = h;
		loop->timers_cap = cap;
	}
	t = malloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->id = loop->next_timer_id++;
	t->period = periodic ? ms * NS_PER_MS : 0;
	t->deadline = mono_ns() + ms * NS_PER_MS;
	t->cb = cb;
	t->data = data;
	loop->heap[loop->ntimers++] = t;
	heap_up(loop, loop->ntimers - 1);
	return t->id;
}

int xvs_loop_del_timer(struct xvs_loop *loop, long long id)
{
	for (size_t i = 0; i < loop->ntimers; i++) {
		struct loop_timer *t = loop->heap[i];

		if (t->id == id) {
			heap_remove(loop, i);
			free(t);
			return 0;
		}
	}
	return -ENOENT;
}

/* epoll_wait's timeout: until the earliest deadline, rounded up to whole
 * milliseconds so that we never wake before it; -1 without timers. */
static int timers_timeout_ms(struct xvs_loop *loop)
{
	long long left;

	if (!loop->ntimers)
		return -1;
	left = loop->heap[0]->deadline - mono_ns();
	if (left <= 0)
		return 0;
	left = (left + NS_PER_MS - 1) / NS_PER_MS;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/*
 * Fire every timer due now. A periodic timer is rescheduled before its
 * callback runs, so the callback may delete it; a one-shot is freed
 * before, so the callback may not. Timers created by these callbacks
 * (id above max_id) wait for the next iteration, so a callback that
 * re-adds itself with 0 ms cannot starve the fds.
 */
static void timers_fire(struct xvs_loop *loop)
{
	long long now = mono_ns(), max_id = loop->next_timer_id - 1;

	while (loop->ntimers) {
		struct loop_timer *t = loop->heap[0];
		xvs_timer_cb cb = t->cb;
		void *data = t->data;
		long long id = t->id;

		if (t->deadline > now || id > max_id)
			return;
		if (t->period) {
			t->deadline += t->period;
			if (t->deadline <= now) /* skip missed periods */
				t->deadline +=
					((now - t->deadline) / t->period + 1) *
					t->period;
			heap_down(loop, 0);
		} else {
			heap_remove(loop, 0);
			free(t);
		}
		cb(loop, id, data);
	}
}

/* ---- signals ---- */

static void signals_ready(struct xvs_loop *loop, int fd, unsigned events,
			  void *data)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)data;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		struct loop_sig *s;

		if (si.ssi_signo >= _NSIG)
			continue;
		s = &loop->sig[si.ssi_signo];
		if (s->cb)
			s->cb(loop, (int)si.ssi_signo, s->data);
	}
}

int xvs_loop_on_signals(struct xvs_loop *loop, const int *signals, int n,
			xvs_signal_cb cb, void *data)
{
	sigset_t add, old, all;
	int fd, ret;

	if (!cb || n <= 0)
		return -EINVAL;
	sigemptyset(&add);
	for (int i = 0; i < n; i++) {
		int s = signals[i];

		if (s <= 0 || s >= _NSIG || s == SIGKILL || s == SIGSTOP ||
		    sigaddset(&add, s))
			return -EINVAL;
	}
	all = loop->sigs;
	for (int i = 0; i < n; i++)
		sigaddset(&all, signals[i]);

	/* Block first: a signal arriving between signalfd() and the block
	 * would take its default action (for SIGTERM, kill us). */
	if (sigprocmask(SIG_BLOCK, &add, &old))
		return -errno;
	fd = signalfd(loop->sfd, &all, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto unblock;
	}
	if (loop->sfd < 0) {
		ret = xvs_loop_add_fd(loop, fd, XVS_EV_READ, signals_ready,
				      NULL);
		if (ret) {
			close(fd);
			goto unblock;
		}
		loop->sfd = fd;
	}
	loop->sigs = all;
	for (int i = 0; i < n; i++) {
		if (!sigismember(&old, signals[i]))
			sigaddset(&loop->we_blocked, signals[i]);
		loop->sig[signals[i]].cb = cb;
		loop->sig[signals[i]].data = data;
	}
	return 0;

unblock:
	/* Undo only what this call blocked. */
	for (int i = 0; i < n; i++)
		if (sigismember(&old, signals[i]))
			sigdelset(&add, signals[i]);
	sigprocmask(SIG_UNBLOCK, &add, NULL);
	return ret;
}

/* ---- dispatch ---- */

static void fds_fire(struct xvs_loop *loop, int n)
{
	for (int i = 0; i < n; i++) {
		struct epoll_event *ev = &loop->events[i];
		int fd = (int)(uint32_t)ev->data.u64;
		unsigned gen = (unsigned)(ev->data.u64 >> 32), fired = 0;
		struct loop_fd *f;

		if (fd >= loop->nfds_cap)
			continue;
		f = &loop->fds[fd];
		if (!f->used || f->gen != gen)
			continue; /* deleted by an earlier callback */
		if (ev->events & (EPOLLIN | EPOLLPRI))
			fired |= XVS_EV_READ;
		if (ev->events & EPOLLOUT)
			fired |= XVS_EV_WRITE;
		if (ev->events & (EPOLLERR | EPOLLHUP))
			fired |= XVS_EV_READ | XVS_EV_WRITE;
		fired &= f->mask;
		if (fired)
			f->cb(loop, fd, fired, f->data);
	}
}

int xvs_loop_run(struct xvs_loop *loop)
{
	int ret = 0;

	while (!loop->stop) {
		int n;

		if (!loop->nfds_used && !loop->ntimers)
			break;
		n = epoll_wait(loop->epfd, loop->events, LOOP_MAX_EVENTS,
			       timers_timeout_ms(loop));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		fds_fire(loop, n);
		timers_fire(loop);
	}
	loop->stop = 0;
	return ret;
}

void xvs_loop_stop(struct xvs_loop *loop)
{
	loop->stop = 1;
}
