// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "pkt.h"

const uint8_t MAC_CLIENT[6] = { 0x02, 0, 0, 0, 0, 0x01 };
const uint8_t MAC_DIRECTOR[6] = { 0x02, 0, 0, 0, 0, 0x02 };

union xvs_addr pkt_addr(int af, const char *text)
{
	union xvs_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(af == XVS_AF_INET ? AF_INET : AF_INET6, text, &a);
	return a;
}

/* RFC 1071 one's-complement sum, folded; sum carries a pseudo-header. */
uint16_t pkt_csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static uint32_t pseudo_sum(const void *src, const void *dst, size_t alen,
			   uint8_t proto, size_t l4len)
{
	uint32_t sum = 0;
	const uint8_t *s = src, *d = dst;

	for (size_t i = 0; i < alen; i += 2)
		sum += (uint32_t)(s[i] << 8 | s[i + 1]) +
		       (uint32_t)(d[i] << 8 | d[i + 1]);
	return sum + proto + (uint32_t)l4len;
}

/* Clears p and writes Ethernet (client -> director) and an IP header
 * (TTL 64, checksum computed) for l4len bytes of proto; returns the
 * offset of the L4 header. */
static size_t pkt_l3(struct pkt *p, int af, const union xvs_addr *s,
		     const union xvs_addr *d, uint8_t proto, size_t l4len)
{
	struct ethhdr *eth = (struct ethhdr *)p->b;
	size_t l3 = sizeof(*eth);

	memset(p, 0, sizeof(*p));
	memcpy(eth->h_dest, MAC_DIRECTOR, 6);
	memcpy(eth->h_source, MAC_CLIENT, 6);
	if (af == XVS_AF_INET) {
		struct iphdr *ip = (struct iphdr *)(p->b + l3);

		eth->h_proto = htons(ETH_P_IP);
		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = proto;
		ip->tot_len = htons((uint16_t)(sizeof(*ip) + l4len));
		ip->saddr = s->v4;
		ip->daddr = d->v4;
		ip->check = pkt_csum(ip, sizeof(*ip), 0);
		return l3 + sizeof(*ip);
	}
	{
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(p->b + l3);

		eth->h_proto = htons(ETH_P_IPV6);
		ip6->version = 6;
		ip6->hop_limit = 64;
		ip6->nexthdr = proto;
		ip6->payload_len = htons((uint16_t)l4len);
		memcpy(&ip6->saddr, s, 16);
		memcpy(&ip6->daddr, d, 16);
		return l3 + sizeof(*ip6);
	}
}

void pkt_build(struct pkt *p, const struct flow *f, size_t payload)
{
	union xvs_addr s = pkt_addr(f->af, f->saddr);
	union xvs_addr d = pkt_addr(f->af, f->daddr);
	size_t hl = f->proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
					      sizeof(struct udphdr);
	size_t l4len = hl + payload;
	size_t l4 = pkt_l3(p, f->af, &s, &d, f->proto, l4len);
	uint8_t *l4p;

	l4p = p->b + l4;
	for (size_t i = 0; i < payload; i++)
		l4p[hl + i] = (uint8_t)('a' + i % 26);
	if (f->proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)l4p;

		th->source = htons(f->sport);
		th->dest = htons(f->dport);
		th->seq = htonl(1000);
		th->doff = 5;
		th->window = htons(65535);
		l4p[13] = f->tcp_flags;
		if (f->tcp_flags & 0x10)
			th->ack_seq = htonl(2000);
		th->check = pkt_csum(th, l4len,
				     pseudo_sum(&s, &d,
						f->af == XVS_AF_INET ? 4 : 16,
						f->proto, l4len));
	} else {
		struct udphdr *uh = (struct udphdr *)l4p;

		uh->source = htons(f->sport);
		uh->dest = htons(f->dport);
		uh->len = htons((uint16_t)l4len);
		uh->check = pkt_csum(uh, l4len,
				     pseudo_sum(&s, &d,
						f->af == XVS_AF_INET ? 4 : 16,
						f->proto, l4len));
		if (!uh->check) /* 0 means "none": sent as 0xffff */
			uh->check = 0xffff;
	}
	p->len = l4 + l4len;
}

void pkt_set_ttl(struct pkt *p, uint8_t ttl)
{
	struct ethhdr *eth = (struct ethhdr *)p->b;

	if (eth->h_proto == htons(ETH_P_IP)) {
		struct iphdr *ip = (struct iphdr *)(p->b + sizeof(*eth));

		ip->ttl = ttl;
		ip->check = 0;
		ip->check = pkt_csum(ip, (size_t)ip->ihl * 4, 0);
	} else {
		((struct ipv6hdr *)(p->b + sizeof(*eth)))->hop_limit = ttl;
	}
}

void pkt_macs(struct pkt *p, const uint8_t dst[6], const uint8_t src[6])
{
	memcpy(p->b, dst, 6);
	memcpy(p->b + 6, src, 6);
}

void pkt_icmp_error(struct pkt *p, int af, const char *saddr,
		    const char *daddr, uint8_t type, uint8_t code,
		    uint32_t info, const void *quote, size_t quote_len)
{
	union xvs_addr s = pkt_addr(af, saddr), d = pkt_addr(af, daddr);
	size_t l4len = 8 + quote_len;
	uint8_t proto = af == XVS_AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	uint8_t *ic = p->b + pkt_l3(p, af, &s, &d, proto, l4len);
	/* ICMPv6 sums a pseudo-header, ICMP none */
	uint32_t sum = af == XVS_AF_INET ? 0 :
					  pseudo_sum(&s, &d, 16, proto, l4len);

	ic[0] = type;
	ic[1] = code;
	info = htonl(info);
	memcpy(ic + 4, &info, 4);
	memcpy(ic + 8, quote, quote_len);
	*(uint16_t *)(ic + 2) = pkt_csum(ic, l4len, sum);
	p->len = (size_t)(ic - p->b) + l4len;
}

struct xvs_conn_key pkt_key(const struct flow *f)
{
	struct xvs_conn_key k = {
		.saddr = pkt_addr(f->af, f->saddr),
		.daddr = pkt_addr(f->af, f->daddr),
		.sport = htons(f->sport),
		.dport = htons(f->dport),
		.proto = f->proto,
		.af = (__u8)f->af,
	};
	return k;
}
