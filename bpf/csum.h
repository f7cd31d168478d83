/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Incremental Internet checksums (RFC 1624) for rewriting headers in XDP.
 *
 * A rewrite is a list of 16-bit words that change. Each changed word adds
 * ~old + new to a 32-bit difference; a checksum field covering those words
 * becomes ~(~check + difference), folded (RFC 1624, eqn. 3). The sum is
 * byte-order independent, so everything stays in network order.
 *
 * Which checksum covers what:
 *   IPv4 header checksum   the IPv4 header only
 *   TCP, UDP               their segment and a pseudo-header (addresses,
 *                          protocol, length), IPv4 and IPv6 alike
 *   ICMP (IPv4)            the ICMP message only, no pseudo-header
 *   ICMPv6                 the message and an IPv6 pseudo-header
 * UDP over IPv4 may carry no checksum (0): it stays 0. A computed 0 is sent
 * as 0xffff (RFC 768). UDP over IPv6 must have one (RFC 8200 8.1); a
 * datagram without is invalid and is not ours to repair.
 *
 * Cost: a few ALU instructions per changed word, no loops at run time (the
 * 8-word loop of an IPv6 address is unrolled).
 */
#ifndef XVS_BPF_CSUM_H
#define XVS_BPF_CSUM_H

#include <linux/types.h>
#include "xvs_model.h"

/* Folds a 32-bit one's-complement sum to 16 bits (two rounds suffice for
 * the at most a few dozen words we ever add). */
static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* The difference one changed 16-bit word makes. */
static __always_inline __u32 csum_diff16(__u32 diff, __u16 from, __u16 to)
{
	return diff + (__u16)~from + to;
}

/* Applies a difference to a checksum field. */
static __always_inline void csum_apply(__sum16 *check, __u32 diff)
{
	*check = (__sum16)~csum_fold32((__u16)~*check + diff);
}

/* As csum_apply, for a UDP checksum: 0 (none, IPv4 only) stays 0, and a
 * result of 0 is sent as 0xffff. */
static __always_inline void csum_apply_udp(__sum16 *check, __u32 diff)
{
	if (!*check)
		return;
	csum_apply(check, diff);
	if (!*check)
		*check = 0xffff;
}

/* Writes a 16-bit field (a port) and returns the difference it made. */
static __always_inline __u32 csum_set16(__be16 *field, __be16 to, __u32 diff)
{
	diff = csum_diff16(diff, *field, to);
	*field = to;
	return diff;
}

/*
 * Writes an address field, 4 bytes (IPv4) or 16 (IPv6) by af, and returns
 * the difference it made. field must have been bounds-checked for the
 * family's size; it needs only 2-byte alignment.
 */
static __always_inline __u32 csum_set_addr(void *field,
					   const union xvs_addr *to, __u8 af,
					   __u32 diff)
{
	__u16 *w = field;
	const __u16 *t = (const __u16 *)to->bytes;

	if (af == XVS_AF_INET) {
		diff = csum_diff16(diff, w[0], t[0]);
		diff = csum_diff16(diff, w[1], t[1]);
		w[0] = t[0];
		w[1] = t[1];
		return diff;
	}
#pragma unroll
	for (int i = 0; i < 8; i++) {
		diff = csum_diff16(diff, w[i], t[i]);
		w[i] = t[i];
	}
	return diff;
}

/* The full checksum of a 20-byte IPv4 header (no options) that is being
 * built, its check field already 0. */
static __always_inline __sum16 csum_ipv4_hdr20(const void *hdr)
{
	const __u16 *w = hdr;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	return (__sum16)~csum_fold32(sum);
}

#endif /* XVS_BPF_CSUM_H */
