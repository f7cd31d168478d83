/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VS/TUN arithmetic shared by the XDP program, the daemon and the tests:
 * what each encapsulation adds in front of the inner packet, the smallest
 * tunnel MTU each outer family allows, and GUE's UDP source port. Pure
 * functions; compiles with clang -target bpf and with the host compiler.
 */
#ifndef XVS_TUN_H
#define XVS_TUN_H

#include "xvs_model.h"

#define XVS_TUN_IP4_HLEN 20 /* outer IPv4 header, no options */
#define XVS_TUN_IP6_HLEN 40
#define XVS_TUN_UDP_HLEN 8
#define XVS_TUN_GUE_HLEN 4	 /* GUE version 0 base header */
#define XVS_TUN_GRE_HLEN 4	 /* flags + protocol */
#define XVS_TUN_GRE_CSUM_LEN 4	 /* checksum + reserved1, with C set */

/*
 * Bytes the encapsulation puts in front of the inner IP packet, toward a
 * real server of family outer_af: the outer IP header, plus UDP and GUE,
 * or GRE (with its checksum word for XVS_TUN_F_CSUM). This is IPVS's MTU
 * accounting in __ip_vs_get_out_rt(): dst_mtu - sizeof(iphdr) -
 * sizeof(udphdr) - sizeof(guehdr), or - gre_calc_hlen(flags). (IPVS adds
 * GUE's remote-checksum option only for locally sent packets whose
 * checksum is still to be done, never for forwarded ones; see fwd_tun.h.)
 */
XVS_INLINE __u32 xvs_tun_overhead(__u8 outer_af, __u8 type, __u8 flags)
{
	__u32 len = outer_af == XVS_AF_INET6 ? XVS_TUN_IP6_HLEN
					      : XVS_TUN_IP4_HLEN;

	if (type == XVS_TUN_GUE)
		len += XVS_TUN_UDP_HLEN + XVS_TUN_GUE_HLEN;
	else if (type == XVS_TUN_GRE)
		len += XVS_TUN_GRE_HLEN +
		       (flags & XVS_TUN_F_CSUM ? XVS_TUN_GRE_CSUM_LEN : 0);
	return len;
}

/* IPVS refuses to tunnel at all when the MTU left for the inner packet is
 * below 68 (IPv4 outer) or IPV6_MIN_MTU (IPv6 outer). */
XVS_INLINE __u32 xvs_tun_min_mtu(__u8 outer_af)
{
	return outer_af == XVS_AF_INET6 ? 1280 : 68;
}

XVS_INLINE __u32 xvs_tun_mix(__u32 h, __u32 w)
{
	w *= 0xcc9e2d51u;
	w = (w << 15) | (w >> 17);
	w *= 0x1b873593u;
	h ^= w;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64u;
}

/*
 * GUE's outer UDP source port (host order) for the inner flow k, in the
 * spirit of the kernel's udp_flow_src_port(): a hash of the inner 5-tuple
 * (MurmurHash3's mixing here, where the kernel uses the skb's flow hash),
 * its low half folded into the high half, scaled into the default
 * ip_local_port_range 32768-60999. Every packet of a flow gets the same
 * port, so ECMP and RSS on the way keep the flow together; different
 * flows spread.
 */
XVS_INLINE __u16 xvs_tun_gue_sport(const struct xvs_conn_key *k)
{
	__u32 h = 0x5856u;

	h = xvs_tun_mix(h, k->saddr.v6[0]);
	h = xvs_tun_mix(h, k->saddr.v6[1]);
	h = xvs_tun_mix(h, k->saddr.v6[2]);
	h = xvs_tun_mix(h, k->saddr.v6[3]);
	h = xvs_tun_mix(h, k->daddr.v6[0]);
	h = xvs_tun_mix(h, k->daddr.v6[1]);
	h = xvs_tun_mix(h, k->daddr.v6[2]);
	h = xvs_tun_mix(h, k->daddr.v6[3]);
	h = xvs_tun_mix(h, (__u32)k->sport << 16 | k->dport);
	h = xvs_tun_mix(h, (__u32)k->proto << 8 | k->af);
	h ^= h >> 16; /* MurmurHash3's finaliser */
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	h ^= h << 16; /* as udp_flow_src_port() */
	return (__u16)((((__u64)h * (60999 - 32768)) >> 32) + 32768);
}

#endif /* XVS_TUN_H */
