/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntohl and friends for code shared by the data plane and user space:
 * socket headers are not BPF-safe. The same on little- and big-endian
 * hosts.
 */
#ifndef XVS_ENDIAN_H
#define XVS_ENDIAN_H

#include "xvs_model.h"

XVS_INLINE __u32 xvs_ntohl(__be32 v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

XVS_INLINE __u16 xvs_ntohs(__be16 v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16(v);
#else
	return v;
#endif
}

/* The same swap, the other way. */
#define xvs_htonl(x) ((__be32)xvs_ntohl((__be32)(x)))
#define xvs_htons(x) ((__be16)xvs_ntohs((__be16)(x)))

#endif /* XVS_ENDIAN_H */
