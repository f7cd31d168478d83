/* SPDX-License-Identifier: GPL-2.0 */
/* Building test packets byte by byte, with correct checksums. */
#ifndef XVS_TEST_PKT_H
#define XVS_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>
#include "xvs_model.h"

#define PKT_MAX 256

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

#endif
