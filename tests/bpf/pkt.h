/* SPDX-License-Identifier: GPL-2.0 */
/* Building test packets byte by byte, with correct checksums. */
#ifndef XVS_TEST_PKT_H
#define XVS_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>
#include "xvs_model.h"

#define PKT_MAX 2048 /* a 1500-byte packet with room to grow */

struct pkt {
	uint8_t b[PKT_MAX];
	size_t len;
};

/* Flow description: addresses as text, ports host order. */
struct flow {
	int af;
	const char *saddr, *daddr;
	uint16_t sport, dport;
	uint8_t proto; /* IPPROTO_TCP / IPPROTO_UDP */
	uint8_t tcp_flags;
};

extern const uint8_t MAC_CLIENT[6], MAC_DIRECTOR[6];

/* Ethernet (client -> director) + IP + TCP/UDP + payload bytes. */
void pkt_build(struct pkt *p, const struct flow *f, size_t payload);
/* Parses an address literal into the model's form. */
union xvs_addr pkt_addr(int af, const char *text);
uint16_t pkt_csum(const void *data, size_t len, uint32_t sum);
/* Sets the TTL or hop limit (IPv4: and the header checksum, in full). */
void pkt_set_ttl(struct pkt *p, uint8_t ttl);
/* Sets the frame's Ethernet destination and source. */
void pkt_macs(struct pkt *p, const uint8_t dst[6], const uint8_t src[6]);
/*
 * An ICMP (IPv4) or ICMPv6 error from saddr to daddr, TTL 64: Ethernet
 * (client -> director MACs), IP, the 8-byte ICMP header (type, code, the
 * 32-bit word after the checksum: info, e.g. the MTU) and quote_len bytes
 * of quote; every checksum computed in full.
 */
void pkt_icmp_error(struct pkt *p, int af, const char *saddr,
		    const char *daddr, uint8_t type, uint8_t code,
		    uint32_t info, const void *quote, size_t quote_len);

/* The flow's connection-table key, as the data plane builds it. */
struct xvs_conn_key pkt_key(const struct flow *f);

#endif
