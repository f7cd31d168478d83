// SPDX-License-Identifier: GPL-2.0
/*
 * The test-run harness (see harness.h): restores the stored frame, gives
 * it the flow the mode asks for, and tail-calls the program under test in
 * bench_target[0]. Its own cost is measured by tail-calling bench_pass.
 *
 * Cost: one bpf_xdp_store_bytes of the frame; a bpf_xdp_adjust_head only
 * when the previous repetition moved the frame's start (an
 * encapsulation); in BENCH_SEQ and BENCH_RANDOM a few ALU instructions for
 * the flow and the two incremental checksum updates.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "../../bpf/csum.h"
#include "harness.h"

char LICENSE[] SEC("license") = "GPL";

/* The program under test, slot 0. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_target SEC(".maps");

/* Set by bench/pkt before a run (memory-mapped .bss); one run at a time,
 * so the plain increments below need no atomics. */
__u32 bench_mode;		   /* enum bench_mode */
__u32 bench_frame_len;		   /* bytes of bench_frame */
__u8 bench_frame[BENCH_FRAME_MAX]; /* the frame, flow 0 for SEQ/RANDOM */
__u64 bench_next;		   /* BENCH_SEQ: the next flow */
__u64 bench_rng;		   /* BENCH_RANDOM: the LCG's state */
__u64 bench_nflows;		   /* BENCH_RANDOM: flows to draw from */

/* Gives the restored IPv4/TCP frame flow n's client address and port,
 * checksums updated; -1 if it is not IPv4 (no options) with TCP. */
static __always_inline int set_flow(struct xdp_md *ctx, __u64 n)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);
	union xvs_addr a = {.v4 = bpf_htonl(bench_flow_addr(n))};
	__u32 diff;

	if ((void *)(tcp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return -1;
	diff = csum_set_addr(&ip->saddr, &a, XVS_AF_INET, 0);
	csum_apply(&ip->check, diff);
	/* the address is also in TCP's pseudo-header */
	diff = csum_set16(&tcp->source, bpf_htons(bench_flow_port(n)), diff);
	csum_apply(&tcp->check, diff);
	return 0;
}

SEC("xdp")
int bench_harness(struct xdp_md *ctx)
{
	long have = (long)ctx->data_end - (long)ctx->data;
	__u32 len = bench_frame_len;
	__u64 n;

	if (len < ETH_HLEN || len > BENCH_FRAME_MAX)
		return XDP_ABORTED;
	/* The program under test may have pushed headers in front (or
	 * pulled some off): move the start back. */
	if (have != (long)len && bpf_xdp_adjust_head(ctx, (int)(have - len)))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, bench_frame, len))
		return XDP_ABORTED;
	if (bench_mode == BENCH_SEQ) {
		n = bench_next++;
	} else if (bench_mode == BENCH_RANDOM) {
		bench_rng = bench_lcg(bench_rng);
		n = bench_pick(bench_rng, bench_nflows);
	} else {
		goto run;
	}
	if (set_flow(ctx, n))
		return XDP_ABORTED;
run:
	bpf_tail_call(ctx, &bench_target, 0);
	return XDP_ABORTED; /* no program in the slot */
}

/* The calibration target: the harness alone. */
SEC("xdp")
int bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
