/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/pkt's two measurements, items 1 and 3 of issue 6: the cost of a
 * packet through the data plane (cases.c) and the connection table
 * (table.c). Both print one JSON object per line on stdout, one per
 * measurement, which bench/pkt/results.py turns into bench/results/.
 */
#ifndef XVS_BENCH_PKTBENCH_H
#define XVS_BENCH_PKTBENCH_H

#include <stddef.h>
#include <linux/types.h>
#include "testrun.h"

#define BENCH_VIP "198.18.0.100"
#define BENCH_VPORT 80

struct pkt_opts {
	unsigned rounds;
	__u32 repeat;	       /* per case and round */
	__u32 new_repeat;      /* pkt: for the new flows, ~1 us each */
	__u32 slow_repeat;     /* pkt: for wlc with 1024 servers */
	__u32 conn_table_size; /* of the per-packet director; 0: xvsd's */
	__u32 table_size;      /* table: entries to fill */
	const char *only;      /* pkt: the one case of that name */
};

int bench_pkt(const struct pkt_opts *o);
int bench_table(const struct pkt_opts *o);
/* Runs fn with the director (a connection table of conn_table_size, 0:
 * xvsd's default) and the bench programs loaded; its result, or -1. */
int bench_with_director(__u32 conn_table_size,
			int (*fn)(const struct pkt_opts *o),
			const struct pkt_opts *o);

/* Shared by both: the director's service on BENCH_VIP:BENCH_VPORT/TCP
 * with n real servers of method fwd, weights 1, 2, 3, 1, 2, 3, ...,
 * scheduled by sched. */
void bench_service(const char *sched, __u32 n, __u8 fwd);
/* The frame of generated flow n (harness.h) with TCP flags; the harness
 * needs flow 0's to vary. */
void bench_flow_frame(struct pkt *p, __u64 n, __u8 tcp_flags);

/*
 * Times prog (the data plane or a bench program), directly or through
 * the harness (mode, or -1 for a plain repeat), and checks the outcome:
 * the verdict, and if counter is not NO_COUNTER that this counter of
 * the data plane rose by exactly the number of repetitions. 0 or -1
 * (after saying what went wrong).
 */
#define NO_COUNTER ((size_t)-1)
/* What a case times: the floor, the harness's calibration target (the
 * harness alone) or the data plane. */
enum bench_prog { P_FLOOR, P_PASS, P_XVS };
int bench_prog_fd(enum bench_prog p);
struct bench_run {
	const char *what; /* for messages */
	int prog_fd;
	int mode; /* enum bench_mode, or -1: plain repeat */
	const struct pkt *frame;
	__u32 repeat;
	__u32 verdict;
	size_t counter; /* offsetof(struct xvs_global_stats, ...) */
};
int bench_run(const struct bench_run *r, struct bench_time *t);
/* The rise of a counter during the last bench_run. */
__u64 bench_counter_rise(size_t counter);

/* JSON output: one object per line, fields added one by one. */
void json_begin(void);
void json_str(const char *key, const char *val);
void json_num(const char *key, double val);
void json_end(void);

#endif /* XVS_BENCH_PKTBENCH_H */
