/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IP fragments of virtual-service traffic (docs/connections.md).
 *
 * Only the first fragment of a datagram carries the ports, so only it can
 * be matched to a connection. It is handled like any packet of its
 * connection, and where it went is remembered in frag_table under
 * (source, destination, protocol, identification) for FRAG_TIMEOUT_NS.
 * A later fragment found there follows the first: to the same real server
 * (DR and TUN forward it as it is, NAT rewrites its address), or for a
 * NAT reply, to the client with the VIP as source. A later fragment not
 * found there (it overtook the first, or the first was not ours) goes to
 * the kernel untouched and is counted (pass_fragment): it is never sent to
 * a real server it might not belong to.
 */
#ifndef XVS_BPF_FRAG_H
#define XVS_BPF_FRAG_H

#include "maps.h"
#include "parse.h"

#define FRAG_TIMEOUT_NS (2ull * 1000000000ull)

/* Fills the scratch key for p's datagram; NULL if there is no scratch. */
static __always_inline struct xvs_frag_scratch *
frag_key(const struct xvs_pkt *p)
{
	struct xvs_frag_scratch *fs;
	__u32 zero = 0;

	fs = bpf_map_lookup_elem(&frag_scratch, &zero);
	if (!fs)
		return NULL;
	fs->key.saddr = p->key.saddr;
	fs->key.daddr = p->key.daddr;
	fs->key.id = p->frag_id;
	fs->key.proto = p->key.proto;
	fs->key.af = p->key.af;
	fs->key.pad = 0;
	return fs;
}

/*
 * Remembers where a first fragment went: to dest_id, or (reply_of set) as
 * a NAT reply of that connection. A no-op for unfragmented packets.
 */
static __always_inline void frag_remember(const struct xvs_pkt *p,
					  __u32 dest_id, __u32 dest_gen,
					  const struct xvs_conn_key *reply_of)
{
	struct xvs_frag_scratch *fs;

	if (p->frag != XVS_FRAG_FIRST)
		return;
	fs = frag_key(p);
	if (!fs)
		return;
	__builtin_memset(&fs->val, 0, sizeof(fs->val));
	fs->val.seen_ns = bpf_ktime_get_coarse_ns();
	fs->val.dest_id = dest_id;
	fs->val.dest_gen = dest_gen;
	if (reply_of) {
		fs->val.reply = 1;
		fs->val.conn = *reply_of;
	}
	bpf_map_update_elem(&frag_table, &fs->key, &fs->val, BPF_ANY);
}

/* Where the first fragment of a later fragment's datagram went, or NULL. */
static __always_inline struct xvs_frag *frag_find(const struct xvs_pkt *p)
{
	struct xvs_frag_scratch *fs = frag_key(p);
	struct xvs_frag *v;

	if (!fs)
		return NULL;
	v = bpf_map_lookup_elem(&frag_table, &fs->key);
	if (!v || bpf_ktime_get_coarse_ns() - v->seen_ns > FRAG_TIMEOUT_NS)
		return NULL;
	return v;
}

#endif /* XVS_BPF_FRAG_H */
