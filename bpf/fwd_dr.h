/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct routing ("Route", ipvsadm -g): the IP packet goes out unchanged,
 * addressed at L2 to the real server, which holds the VIP itself and
 * answers the client directly.
 */
#ifndef XVS_BPF_FWD_DR_H
#define XVS_BPF_FWD_DR_H

#include <linux/if_ether.h>
#include "xvs_model.h"

/* Rewrites the Ethernet addresses; the caller transmits. Cost: 12 bytes. */
static __always_inline void fwd_dr(struct ethhdr *eth,
				   const struct xvs_dest_dp *dest)
{
	__builtin_memcpy(eth->h_dest, dest->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, dest->smac, ETH_ALEN);
}

#endif /* XVS_BPF_FWD_DR_H */
