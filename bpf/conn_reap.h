/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reaper: removes the dead entries the daemon's sweep found, through
 * the same claim as the packet path (bpf/conn.h), so that a connection's
 * count is released exactly once even when a packet of the same 5-tuple
 * meets the entry at the same moment. The daemon writes the keys into
 * xvs_reap_keys (memory-mapped .bss) and runs this program with
 * BPF_PROG_TEST_RUN; each key is looked at again here, just before it is
 * deleted, and left alone unless it is still dead.
 */
#ifndef XVS_BPF_CONN_REAP_H
#define XVS_BPF_CONN_REAP_H

#include "conn.h"

struct xvs_conn_key xvs_reap_keys[XVS_REAP_BATCH];
__u32 xvs_reap_n;    /* in: keys set in xvs_reap_keys */
__u64 xvs_reap_now;  /* in: CLOCK_MONOTONIC_COARSE, the clock of
		      * bpf_ktime_get_coarse_ns, which this program type
		      * cannot call */
__u32 xvs_reap_done; /* out: entries removed by the last run */

static long reap_one(__u32 i, void *data)
{
	struct xvs_conn *cp;

	(void)data;
	if (i >= XVS_REAP_BATCH)
		return 1;
	cp = bpf_map_lookup_elem(&conns, &xvs_reap_keys[i]);
	if (!cp || (READ_SF(cp) & xvs_conn_flag_word(XVS_CONN_F_DEAD)) ||
	    !xvs_conn_expired(cp, xvs_reap_now))
		return 0;
	/* A template past its time that still controls connections is
	 * not dead: IPVS re-arms its timer */
	if (!xvs_entry_dead(cp, xvs_reap_now))
		xvs_tpl_rearm(cp, xvs_reap_now);
	else if (conn_remove(&xvs_reap_keys[i], cp))
		xvs_reap_done++;
	return 0;
}

SEC("syscall")
int xvs_conn_reap(void *ctx)
{
	(void)ctx;
	xvs_reap_done = 0;
	bpf_loop(xvs_reap_n < XVS_REAP_BATCH ? xvs_reap_n : XVS_REAP_BATCH,
		 reap_one, NULL, 0);
	return 0;
}

#endif /* XVS_BPF_CONN_REAP_H */
