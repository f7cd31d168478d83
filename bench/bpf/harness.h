/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test-run harness (bench/bpf/harness.bpf.c), shared by the BPF side
 * and bench/pkt: how a repetition's frame is made, and which flow the
 * n-th generated flow is.
 *
 * BPF_PROG_TEST_RUN with repeat runs a program again and again on the same
 * frame, which keeps whatever the previous repetition wrote (rewritten
 * addresses, an encapsulation in front). The harness restores the frame
 * before every repetition, optionally gives it another client address and
 * port, and tail-calls the program under test.
 */
#ifndef XVS_BENCH_HARNESS_H
#define XVS_BENCH_HARNESS_H

#include <linux/types.h>

/* Longest frame the harness restores (IPv4/IPv6 + TCP, small payload). */
#define BENCH_FRAME_MAX 128

enum bench_mode {
	BENCH_RESTORE = 0, /* the frame as stored, every time */
	BENCH_SEQ,	   /* the n-th flow, n = bench_next++: a new one each
			    * repetition */
	BENCH_RANDOM,	   /* a flow drawn at random among the first
			    * bench_nflows */
};

/*
 * Generated flows are IPv4 client addresses and ports: flow n comes from
 * 198.19.(n & 0xffff) : (1024 + (n >> 16)), which stays unique for
 * 2^16 * 64512 flows (4.2 billion). The stored frame must carry flow 0's
 * address and port, with its checksums: the harness updates them
 * incrementally.
 */
#define BENCH_FLOW_NET 0xc6130000u /* 198.19.0.0, host order */
#define BENCH_FLOW_PORT0 1024

static inline __u32 bench_flow_addr(__u64 n)
{
	return BENCH_FLOW_NET | (__u32)(n & 0xffff);
}

static inline __u16 bench_flow_port(__u64 n)
{
	return (__u16)(BENCH_FLOW_PORT0 + (n >> 16));
}

/*
 * A random flow among nflows: a 64-bit LCG (Knuth's MMIX constants), its
 * upper 32 bits scaled into [0, nflows) by a multiply and shift (no
 * division on the packet path).
 */
static inline __u64 bench_lcg(__u64 state)
{
	return state * 6364136223846793005ull + 1442695040888963407ull;
}

static inline __u64 bench_pick(__u64 state, __u64 nflows)
{
	return ((state >> 32) * nflows) >> 32;
}

#endif /* XVS_BENCH_HARNESS_H */
