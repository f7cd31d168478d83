/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole one's-complement sums (RFC 1071) over headers being built, where
 * csum.h has the incremental updates of headers being rewritten. A sum is
 * a __u32 of 16-bit words added as they lie in memory (network order
 * stays network order, as in the kernel's csum_partial); partial sums are
 * combined with csum_add() and folded once with csum_fold32(); the
 * checksum field is the complement of the fold. Constants that are not
 * memory words (a protocol number, a length) go in as bpf_htons() values.
 */
#ifndef XVS_BPF_CSUM_SUM_H
#define XVS_BPF_CSUM_SUM_H

#include <linux/types.h>
#include <bpf/bpf_endian.h>
#include "csum.h"

/* a + b with the end-around carry of one's-complement addition. */
static __always_inline __u32 csum_add(__u32 a, __u32 b)
{
	a += b;
	return a + (a < b);
}

/*
 * Sum of len bytes at p: len even, a compile-time constant of at most a
 * few dozen bytes (the loop is unrolled), p bounds-checked by the caller.
 */
static __always_inline __u32 csum_words(const void *p, const int len)
{
	const __u16 *w = p;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < len / 2; i++)
		sum += w[i];
	return sum;
}

/* The TCP/UDP/ICMPv6 pseudo-header: source and destination (4 or 16
 * bytes each by af), protocol, upper-layer length. */
static __always_inline __u32 csum_pseudo(__u8 af, const union xvs_addr *s,
					 const union xvs_addr *d, __u8 proto,
					 __u32 len)
{
	__u32 sum = bpf_htons(proto) + bpf_htons((__u16)len) +
		    bpf_htons((__u16)(len >> 16));

	if (af == XVS_AF_INET)
		return sum + csum_words(&s->v4, 4) + csum_words(&d->v4, 4);
	return sum + csum_words(s, 16) + csum_words(d, 16);
}

#endif /* XVS_BPF_CSUM_SUM_H */
