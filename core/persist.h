/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistence as IPVS's ip_vs_sched_persist (ip_vs_core.c): the key of a
 * client's persistence template, shared by the data plane (bpf/persist.h)
 * and the tests. Pure functions; compiles with clang -target bpf.
 *
 * A template is an entry of the connection table (conns) whose key is
 *   <proto, snet, 0, vaddr, vport>        address services
 *   <IPPROTO_IP, snet, 0, mark, 0>        fwmark services
 * with snet the client's address masked by the service's netmask (-M:
 * an IPv4 mask, an IPv6 prefix length). vport is the service's port,
 * except that it is 0
 *   - for FTP (service port 21), so that the data connections of a
 *     client, which IPVS also gives to the port-21 service, share the
 *     control connection's template;
 *   - when the packet's port is not the service's: port-zero services
 *     ("all ports") and FTP data connections.
 * The mark is stored as IPVS stores it, htonl(mark) in the first word of
 * the address. tpl = XVS_CONN_KEY_TEMPLATE sets template keys apart from
 * every packet's key, whatever a packet carries (a source port 0 too).
 */
#ifndef XVS_PERSIST_H
#define XVS_PERSIST_H

#include "tcp_state.h"
#include "xvs_endian.h"

#define XVS_CONN_KEY_TEMPLATE 1
#define XVS_FTP_PORT 21
/* IPPROTO_IP, the protocol of fwmark templates */
#define XVS_PROTO_IP 0
/* A template that outlives its timeout while it controls connections
 * lives on in steps of this many seconds (ip_vs_conn_expire's 60*HZ). */
#define XVS_TPL_EXPIRE_LATER_S 60

/* What finds a connection's template: the service's netmask and mark,
 * and whether the template's vport is 0. */
struct xvs_persist {
	__u32 netmask; /* IPv4: mask, network order; IPv6: prefix length */
	__u32 fwmark;  /* 0 for an address service */
	__u32 noport;  /* the template's vport is 0 */
};

/* The first bits of a 32-bit word, network order: bits 0..32. */
XVS_INLINE __u32 xvs_prefix_word(__u32 bits)
{
	if (bits >= 32)
		return 0xffffffffu;
	return bits ? xvs_htonl(0xffffffffu << (32 - bits)) : 0;
}

/* a &= the service's netmask (IPv4 mask, or IPv6 prefix length). */
XVS_INLINE void xvs_persist_mask(union xvs_addr *a, __u8 af, __u32 netmask)
{
	if (af != XVS_AF_INET6) {
		a->v4 &= netmask;
		return;
	}
	for (__u32 i = 0; i < 4; i++)
		a->v6[i] &= xvs_prefix_word(netmask > 32 * i ? netmask - 32 * i
							     : 0);
}

/*
 * The persistence of a packet with destination port dport to service
 * svc: ip_vs_sched_persist's choice of the template's vport.
 */
XVS_INLINE void xvs_persist_of(struct xvs_persist *ps,
			       const struct xvs_svc_dp *svc, __be16 dport)
{
	ps->netmask = svc->netmask;
	ps->fwmark = svc->fwmark;
	ps->noport = svc->fwmark || dport != svc->port ||
		     svc->port == xvs_htons(XVS_FTP_PORT);
}

/* The template key t of connection k under persistence ps. */
XVS_INLINE void xvs_persist_key(struct xvs_conn_key *t,
				const struct xvs_conn_key *k,
				const struct xvs_persist *ps)
{
	__builtin_memset(t, 0, sizeof(*t));
	t->saddr = k->saddr;
	xvs_persist_mask(&t->saddr, k->af, ps->netmask);
	t->af = k->af;
	t->tpl = XVS_CONN_KEY_TEMPLATE;
	if (ps->fwmark) {
		t->proto = XVS_PROTO_IP;
		t->daddr.v4 = xvs_htonl(ps->fwmark);
		return;
	}
	t->proto = k->proto;
	t->daddr = k->daddr;
	t->dport = ps->noport ? 0 : k->dport;
}

/* The persistence a controlled connection keeps (conn.h) ... */
XVS_INLINE void xvs_persist_store(struct xvs_conn *c,
				  const struct xvs_persist *ps)
{
	c->tpl_netmask = ps->netmask;
	c->tpl_fwmark = ps->fwmark;
	c->flags |= XVS_CONN_F_CONTROLLED;
	if (ps->noport)
		c->flags |= XVS_CONN_F_TPL_NOPORT;
}

/* ... and reads back when it goes, to find its template. */
XVS_INLINE void xvs_persist_load(struct xvs_persist *ps,
				 const struct xvs_conn *c)
{
	ps->netmask = c->tpl_netmask;
	ps->fwmark = c->tpl_fwmark;
	ps->noport = !!(c->flags & XVS_CONN_F_TPL_NOPORT);
}

/*
 * Is the entry c dead at now? Past its timeout, unless it is a template
 * that still controls connections: IPVS's timer finds such a template
 * busy and re-arms it (xvs_tpl_rearm), so it never dies under them.
 */
XVS_INLINE int xvs_entry_dead(const struct xvs_conn *c, __u64 now)
{
	if (!xvs_conn_expired(c, now))
		return 0;
	return !(c->flags & XVS_CONN_F_TEMPLATE) ||
	       *(volatile const __s32 *)&c->n_control <= 0;
}

/* ip_vs_conn_expire's "expire_later" for a template past its timeout that
 * controls connections: XVS_TPL_EXPIRE_LATER_S from now, and that is its
 * timeout from now on, as in IPVS. */
XVS_INLINE void xvs_tpl_rearm(struct xvs_conn *c, __u64 now)
{
	c->timeout_s = XVS_TPL_EXPIRE_LATER_S;
	c->last_seen_ns = now;
}

#endif /* XVS_PERSIST_H */
