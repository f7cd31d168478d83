/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing XDP programs with BPF_PROG_TEST_RUN for bench/pkt: the floor
 * (bench/bpf/xdp_tx_floor.bpf.c), the harness (bench/bpf/harness.bpf.c)
 * and whatever program the harness tail-calls.
 */
#ifndef XVS_BENCH_TESTRUN_H
#define XVS_BENCH_TESTRUN_H

#include <linux/types.h>
#include "harness.h"
#include "pkt.h"

/* Loads the floor and the harness; 0 or -errno (with a message). */
int bench_open(void);
void bench_close(void);
int bench_floor_fd(void);
int bench_harness_fd(void);
/* The harness's calibration target, which returns XDP_PASS. */
int bench_pass_fd(void);

/* Makes the harness tail-call prog_fd (the target must be an XDP program
 * loaded as the harness is: no frags). */
int bench_set_target(int prog_fd);
/* The frame the harness restores, and how it varies it; -1 (with a
 * message) if it is longer than BENCH_FRAME_MAX. */
int bench_set_frame(const struct pkt *p, enum bench_mode mode);
/* BENCH_SEQ: the next flow is number next. */
void bench_set_next(__u64 next);
/* BENCH_RANDOM: flows drawn among nflows, from seed. */
void bench_set_random(__u64 seed, __u64 nflows);

struct bench_time {
	__u32 ns;	/* the kernel's duration: ns per repetition (floor) */
	__u32 verdict;	/* the last repetition's */
	double wall_ns; /* the whole system call, per repetition */
};

/*
 * Runs prog_fd repeat times on the frame received on ifindex (0: none).
 * The kernel times the loop itself, leaving out the time it spends
 * rescheduling, and divides by repeat (whole nanoseconds). 0 or -errno.
 */
int bench_time(int prog_fd, const struct pkt *in, int ifindex, __u32 repeat,
	       struct bench_time *t);

/* kernel.bpf_stats_enabled (it adds tens of ns to every run), or -1. */
int bench_stats_enabled(void);

/* How many CHECKs of tests/bpf/director.c failed (they print why). */
extern int bench_failed;

#endif /* XVS_BENCH_TESTRUN_H */
