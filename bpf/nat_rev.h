/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries of nat_replies (maps.h), the NAT reverse map: a connection
 * client:cport -> VIP:vport bound to the NAT real server RS:rport gets
 * replies RS:rport -> client:cport, and that tuple maps back to the
 * connection's key. fwd_nat.h writes the entry with the connection;
 * conn.h forgets it with the connection, whoever removes it (a packet,
 * the daemon's reaper).
 */
#ifndef XVS_BPF_NAT_REV_H
#define XVS_BPF_NAT_REV_H

#include "maps.h"

/* The real server's port for connection k: its own, or where it has none
 * (0: real servers of persistent fwmark and port-zero services, which
 * IPVS sends to the port the client asked for) the connection's. */
static __always_inline __be16 nat_rport(const struct xvs_dest_dp *dest,
					const struct xvs_conn_key *k)
{
	return dest->port ? dest->port : k->dport;
}

/* The reply tuple of connection k bound to dest. */
static __always_inline void nat_rev_key(const struct xvs_conn_key *k,
					const struct xvs_dest_dp *dest,
					struct xvs_conn_key *r)
{
	__builtin_memset(r, 0, sizeof(*r));
	r->saddr = dest->addr;
	r->daddr = k->saddr;
	r->sport = nat_rport(dest, k);
	r->dport = k->sport;
	r->proto = k->proto;
	r->af = k->af;
}

static __always_inline int nat_addr_eq(const union xvs_addr *a,
				       const union xvs_addr *b)
{
	return a->v6[0] == b->v6[0] && a->v6[1] == b->v6[1] &&
	       a->v6[2] == b->v6[2] && a->v6[3] == b->v6[3];
}

/*
 * Forgets the reverse entry of connection key, bound to real server
 * dest_id of generation dest_gen. When that server is gone the tuple is
 * unknown: the entry stays until a reply finds it stale or the LRU evicts
 * it. Only an entry that still names key is deleted: another connection
 * may have taken the same reply tuple since. r is the caller's room for
 * the reply tuple (conn_remove's stack is short).
 */
static __always_inline void nat_rev_forget(const struct xvs_conn_key *key,
					   __u32 dest_id, __u32 dest_gen,
					   struct xvs_conn_key *r)
{
	struct xvs_dest_dp *dest = bpf_map_lookup_elem(&dests, &dest_id);
	struct xvs_conn_key *v;

	if (!dest || dest->gen != dest_gen || dest->fwd != XVS_FWD_NAT)
		return;
	nat_rev_key(key, dest, r);
	v = bpf_map_lookup_elem(&nat_replies, r);
	if (v && nat_addr_eq(&v->saddr, &key->saddr) &&
	    nat_addr_eq(&v->daddr, &key->daddr) && v->sport == key->sport &&
	    v->dport == key->dport)
		bpf_map_delete_elem(&nat_replies, r);
}

#endif /* XVS_BPF_NAT_REV_H */
