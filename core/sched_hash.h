/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hashing schedulers (sh, dh, mh) share: their published lookup
 * table, the kernel's hash_32 and 64-bit hsiphash, and IPVS's address
 * folding. Compiled into the XDP program and into user space alike.
 *
 * A table maps a slot to an index of the list published with it (the
 * daemon writes both into the same slot of their double buffers, so they
 * always match). sh and dh use 256 slots, IPVS's default
 * CONFIG_IP_VS_SH_TAB_BITS / CONFIG_IP_VS_DH_TAB_BITS = 8; mh uses M, a
 * prime from xvs_mh_primes (xvsd --mh-table-size, default 4093).
 */
#ifndef XVS_SCHED_HASH_H
#define XVS_SCHED_HASH_H

#include "scheduler.h"
#include "xvs_endian.h"

#define XVS_HASH_TAB_BITS 8 /* sh and dh */
#define XVS_HASH_TAB_SIZE (1u << XVS_HASH_TAB_BITS)
#define XVS_MH_TAB_SIZE_DEFAULT 4093 /* CONFIG_IP_VS_MH_TAB_INDEX 12 */
#define XVS_MH_TAB_SIZE_MAX 131071   /* CONFIG_IP_VS_MH_TAB_INDEX 17 */
#define XVS_TABLE_NONE 0xffffu       /* a slot without a real server */

/*
 * A published table. The data plane's map holds only the first
 * xvs_table_bytes(slots) bytes of it, slots being the largest table the
 * daemon builds (max(256, M)); user space allocates the whole struct.
 */
struct xvs_sched_table {
	__u32 size; /* slots in use: 256 (sh, dh) or M (mh) */
	__u32 pad;
	__u16 slot[XVS_MH_TAB_SIZE_MAX]; /* list index, or XVS_TABLE_NONE */
};

#define xvs_table_bytes(slots)                                             \
	(__u32)(sizeof(struct xvs_sched_table) -                           \
		sizeof(((struct xvs_sched_table *)0)->slot) +              \
		(slots) * sizeof(__u16))

#ifdef __bpf__
/* Slots in the data plane's table map values (bpf/schedule.h; read-only
 * data, so the verifier knows it and bounds slot indexes with it). */
extern const volatile __u32 xvs_table_slots;
#define XVS_TABLE_BOUND xvs_table_slots
#else
#define XVS_TABLE_BOUND XVS_MH_TAB_SIZE_MAX
#endif

/* The list index in slot i of t, or -1 for an empty or missing slot. */
XVS_INLINE __s32 xvs_table_get(const struct xvs_sched_table *t, __u32 i)
{
	__u16 v;

	if (!t || i >= t->size || i >= XVS_TABLE_BOUND)
		return -1;
	v = t->slot[i];
	return v == XVS_TABLE_NONE ? -1 : (__s32)v;
}

/* The list index in slot i when its real server is available (weight > 0
 * and not OVERLOAD), else -1. */
XVS_INLINE __s32 xvs_table_get_available(const struct xvs_sched_list *l,
					 const struct xvs_sched_table *t,
					 __u32 i)
{
	__s32 k = xvs_table_get(t, i);

	if (k < 0 || (__u32)k >= l->n || k >= XVS_MAX_DESTS_PER_SVC)
		return -1;
	return xvs_sched_available(&l->e[k]) ? k : -1;
}

/* include/linux/hash.h: hash_32(val, bits), the generic version (x86 has
 * no arch override). */
XVS_INLINE __u32 xvs_hash_32(__u32 val, __u32 bits)
{
	return (val * 0x61C88647u) >> (32 - bits);
}

/* IPVS's addr_fold in host order: the IPv4 address, or the XOR of the
 * four words of an IPv6 one, folded by the service's family (af). */
XVS_INLINE __u32 xvs_addr_fold(__u8 af, const union xvs_addr *a)
{
	__be32 f = a->v6[0];

	if (af == XVS_AF_INET6)
		f ^= a->v6[1] ^ a->v6[2] ^ a->v6[3];
	return xvs_ntohl(f);
}

/*
 * The kernel's hsiphash on 64-bit machines (lib/siphash.c with
 * BITS_PER_LONG == 64), which is SipHash-1-3 with a 128-bit key made of
 * two longs and a 32-bit result, for a message of len < 8 bytes whose
 * bytes are m in little-endian order. That is all IPVS hashes (a u32).
 */
XVS_INLINE __u64 xvs_rol64(__u64 w, unsigned int s)
{
	return (w << s) | (w >> (64 - s));
}

#define XVS_SIPROUND(v0, v1, v2, v3)                                       \
	do {                                                               \
		v0 += v1;                                                  \
		v1 = xvs_rol64(v1, 13);                                    \
		v1 ^= v0;                                                  \
		v0 = xvs_rol64(v0, 32);                                    \
		v2 += v3;                                                  \
		v3 = xvs_rol64(v3, 16);                                    \
		v3 ^= v2;                                                  \
		v0 += v3;                                                  \
		v3 = xvs_rol64(v3, 21);                                    \
		v3 ^= v0;                                                  \
		v2 += v1;                                                  \
		v1 = xvs_rol64(v1, 17);                                    \
		v1 ^= v2;                                                  \
		v2 = xvs_rol64(v2, 32);                                    \
	} while (0)

XVS_INLINE __u32 xvs_hsiphash_short(__u64 m, __u32 len, __u64 k0, __u64 k1)
{
	__u64 v0 = 0x736f6d6570736575ULL ^ k0;
	__u64 v1 = 0x646f72616e646f6dULL ^ k1;
	__u64 v2 = 0x6c7967656e657261ULL ^ k0;
	__u64 v3 = 0x7465646279746573ULL ^ k1;
	__u64 b = ((__u64)len << 56) | m;

	/* No full 8-byte word: only the final block, one compression round
	 * and three finalisation rounds (HPOSTAMBLE). */
	v3 ^= b;
	XVS_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	XVS_SIPROUND(v0, v1, v2, v3);
	XVS_SIPROUND(v0, v1, v2, v3);
	XVS_SIPROUND(v0, v1, v2, v3);
	return (__u32)((v0 ^ v1) ^ (v2 ^ v3));
}

/* mh's hash (ip_vs_mh_hashkey): hsiphash of offset + ntohs(port) +
 * ntohl(addr_fold), base being the last two, with key {k, k}. */
#define XVS_MH_KEY1 2654435761ULL /* generate_hash_secret's hash1 */
#define XVS_MH_KEY2 2654446892ULL /* and hash2 */

XVS_INLINE __u32 xvs_mh_hash(__u32 base, __u32 offset, __u64 k)
{
	return xvs_hsiphash_short((__u32)(offset + base), 4, k, k);
}

/*
 * The fallback walk sh-fallback and mh-fallback share (ip_vs_sh_get_fallback,
 * ip_vs_mh_get_fallback): for offset 0..size-1, roffset = (offset + ihash)
 * % size, hash again with roffset, and stop at the first available real
 * server, or at an empty slot. sh's hash with an offset is (offset +
 * hash_32(base)) & 255, mh's hsiphash(offset + base) % M. Cost: up to
 * size probes; in BPF under bpf_loop().
 */
struct xvs_probe {
	const struct xvs_sched_list *list;
	const struct xvs_sched_table *table;
	__u32 base;  /* what is hashed: ntohs(port) + ntohl(addr_fold) */
	__u32 ihash; /* the slot the walk starts from */
	__u32 size;  /* slots: 256 or M */
	__u32 mh;    /* hash as mh does, else as sh */
	__s32 found; /* list index; -1 while none */
};

XVS_LOOP_FN xvs_probe_step(__u32 i, void *data)
{
	struct xvs_probe *pr = data;
	__u32 roffset, slot;
	__s32 k;

	if (!pr->size)
		return 1;
	roffset = (i + pr->ihash) % pr->size;
	if (pr->mh)
		slot = xvs_mh_hash(pr->base, roffset, XVS_MH_KEY1) % pr->size;
	else
		slot = (roffset + pr->ihash) & (XVS_HASH_TAB_SIZE - 1);
	k = xvs_table_get(pr->table, slot);
	if (k < 0) /* "if (!dest) break;" */
		return 1;
	if ((__u32)k >= pr->list->n || k >= XVS_MAX_DESTS_PER_SVC)
		return 1;
	if (xvs_sched_available(&pr->list->e[k])) {
		pr->found = k;
		return 1;
	}
	return 0;
}

XVS_INLINE __s32 xvs_probe_run(struct xvs_probe *pr)
{
	pr->found = -1;
	xvs_sched_loop_max(pr->size, XVS_MH_TAB_SIZE_MAX, xvs_probe_step, pr);
	return pr->found;
}

/*
 * sh's and mh's lookup: the real server in slot pr->ihash if it is
 * available; with fallback (sh-fallback, mh-fallback), the walk above
 * when it is not, unless the slot is empty.
 */
XVS_INLINE __s32 xvs_probe_pick(struct xvs_probe *pr, int fallback)
{
	__s32 k = xvs_table_get_available(pr->list, pr->table, pr->ihash);

	if (k >= 0 || !fallback || xvs_table_get(pr->table, pr->ihash) < 0)
		return k;
	return xvs_probe_run(pr);
}

/*
 * What sh and mh hash for a client: ntohs(port) + ntohl(addr_fold) of its
 * address, the port only with sh-port / mh-port (both XVS_SCHED_FLAG_2)
 * and only for TCP, UDP and SCTP (ip_vs_sh_get_port, ip_vs_mh_get_port).
 */
XVS_INLINE __u32 xvs_sched_hash_base(const struct xvs_sched_in *in)
{
	const struct xvs_conn_key *key = in->key;
	__be16 port = 0;

	if ((in->flags & XVS_SCHED_FLAG_2) &&
	    (key->proto == 6 || key->proto == 17 || key->proto == 132))
		port = key->sport;
	return xvs_ntohs(port) + xvs_addr_fold(key->af, &key->saddr);
}

#ifndef __bpf__
/* What a table is built from: the list, and what the list does not say
 * about its real servers (mh hashes their addresses). */
struct xvs_table_dest {
	union xvs_addr addr;
	__be16 port;
	__u16 pad;
	__s32 last_weight; /* mh: the last non-zero weight (IPVS's
			    * dest->last_weight), the weight when added */
};

struct xvs_table_src {
	const struct xvs_sched_list *list;
	const struct xvs_table_dest *dest; /* per list entry */
	__u32 mh_size;                     /* mh: M, one of xvs_mh_primes */
	__u8 af;                           /* the service's family */
};
#endif

#endif /* XVS_SCHED_HASH_H */
