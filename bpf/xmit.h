/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending a rewritten frame on its way, for every forwarding path: out of
 * the interface it came in on (XDP_TX), or redirected to another one.
 * A redirect target needs XDP transmit support: a NIC driver's, or on a
 * veth an XDP program attached to its peer; xvsd attached to an interface
 * provides that for the interfaces it serves.
 */
#ifndef XVS_BPF_XMIT_H
#define XVS_BPF_XMIT_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "maps.h"

static __always_inline int xmit(struct xdp_md *ctx, __u32 ifindex,
				struct xvs_global_stats *gs)
{
	if (ifindex == ctx->ingress_ifindex) {
		COUNT(fwd_tx);
		return XDP_TX;
	}
	COUNT(fwd_redirect);
	return bpf_redirect(ifindex, 0);
}

#endif /* XVS_BPF_XMIT_H */
