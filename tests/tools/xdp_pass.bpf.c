// SPDX-License-Identifier: GPL-2.0
/*
 * Passes every frame. Attached to the switch-side peer of each veth in the
 * e2e clusters: a veth drops frames sent to it with XDP_TX or XDP_REDIRECT
 * unless its peer has an XDP program (see /work/shared/TESTBED.md).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
