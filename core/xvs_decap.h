/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the real-server side of VS/TUN (bpf/xvs_decap.bpf.c) shares with
 * its tool (decap/xvs-decap.c): its counters and its limits. Compiles
 * with clang -target bpf and with the host compiler.
 */
#ifndef XVS_DECAP_H
#define XVS_DECAP_H

#include <linux/types.h>

#define XVS_DECAP_MAX_GUE_PORTS 64

/* Where the program sits on an interface's tc ingress hook: tc filter
 * priority and handle, so that attach, detach and show find it again. */
#define XVS_DECAP_TC_PRIO 1
#define XVS_DECAP_TC_HANDLE 0x5856 /* "XV" */

/* Per-CPU counters, one entry; named by what happened to the packet. */
struct xvs_decap_stats {
	__u64 decap_ipip;       /* IPIP / IPv6-in-IP taken out */
	__u64 decap_gue;        /* GUE taken out */
	__u64 decap_gre;        /* GRE taken out */
	__u64 pass_fragment;    /* outer fragment: left to the kernel */
	__u64 pass_unsupported; /* a tunnel we do not handle (GRE key or
				 * sequence, GUE control or options, other
				 * payloads): left to the kernel */
	__u64 drop_malformed;   /* truncated, bad outer IPv4 checksum, or
				 * inner packet not of the family announced */
	__u64 drop_error;       /* bpf_skb_adjust_room() failed */
};

#endif /* XVS_DECAP_H */
