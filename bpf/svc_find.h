/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which virtual service a packet is for, as IPVS's ip_vs_service_find:
 *   1. its fwmark service, when a mark rule gives it a mark (core/mark.h)
 *      and a fwmark service of its family has that mark;
 *   2. the service of its protocol, destination address and port;
 *   3. TCP to port 20 or to an unprivileged port (>= 1024) of a VIP with
 *      a persistent service on port 21: that FTP service, whose data
 *      connections these may be (IPVS's ftpsvc_counter check);
 *   4. the port-zero service of its protocol and address ("all ports").
 * Steps 1, 3 and 4 cost nothing while no mark rule, FTP service or
 * port-zero service exists (counts in xvs_dp_config).
 *
 * Mark rules are scanned in order with bpf_loop, the first match giving
 * the mark: rules are few, and a firewall's first-match order is what
 * users expect of overlapping rules. An LPM trie would give the longest
 * prefix instead and still need a list of port ranges per prefix. Cost:
 * one array lookup and compare per rule before the match, for every
 * packet while rules exist (XVS_MAX_MARK_RULES at most).
 */
#ifndef XVS_BPF_SVC_FIND_H
#define XVS_BPF_SVC_FIND_H

#include "conn.h"
#include "maps.h"
#include "persist.h"

struct mark_scan {
	const struct xvs_conn_key *key;
	__u32 base; /* first index of the live slot */
	__u32 mark; /* out: the first matching rule's, 0 for none */
};

static long mark_step(__u32 i, void *data)
{
	struct mark_scan *ms = data;
	__u32 idx = ms->base + i;
	struct xvs_mark_rule *r = bpf_map_lookup_elem(&mark_rules, &idx);

	if (!r)
		return 1;
	if (!xvs_mark_match(r, ms->key))
		return 0;
	ms->mark = r->mark;
	return 1;
}

/* The mark the rules give flow k, 0 for none. */
static __always_inline __u32 mark_classify(const struct xvs_conn_key *k)
{
	__u32 w = *(volatile __u32 *)&xvs_config.mark_rules;
	struct mark_scan ms = {
		.key = k,
		.base = xvs_mark_set_slot(w) * XVS_MAX_MARK_RULES,
	};
	__u32 n = xvs_mark_set_count(w);

	if (n)
		bpf_loop(n, mark_step, &ms, 0);
	return ms.mark;
}

/* The virtual service of packet p (see above), or NULL. */
static __noinline struct xvs_svc_dp *svc_find(const struct xvs_pkt *p,
					      struct xvs_global_stats *gs)
{
	struct xvs_svc_key sk = { .af = p->key.af };
	struct xvs_svc_dp *svc;
	__u32 mark = mark_classify(&p->key);
	__u16 dport = xvs_ntohs(p->key.dport);

	if (mark) {
		xvs_svc_key_fwmark(&sk, p->key.af, mark);
		svc = bpf_map_lookup_elem(&svc_map, &sk);
		if (svc) {
			COUNT(fwmark_hit);
			return svc;
		}
	}
	sk.addr = p->key.daddr;
	sk.port = p->key.dport;
	sk.proto = p->key.proto;
	svc = bpf_map_lookup_elem(&svc_map, &sk);
	if (svc)
		return svc;
	if (xvs_config.ftp_svcs && p->key.proto == IPPROTO_TCP &&
	    (dport == 20 || dport >= 1024)) {
		sk.port = xvs_htons(XVS_FTP_PORT);
		svc = bpf_map_lookup_elem(&svc_map, &sk);
		/* IPVS takes the packet only for a persistent one; for another
		 * it leaves the packet to the host (ip_vs_leave) */
		if (svc)
			return svc->flags & XVS_SVC_F_PERSISTENT ? svc : NULL;
	}
	if (xvs_config.zero_port_svcs) {
		sk.port = 0;
		return bpf_map_lookup_elem(&svc_map, &sk);
	}
	return NULL;
}

#endif /* XVS_BPF_SVC_FIND_H */
