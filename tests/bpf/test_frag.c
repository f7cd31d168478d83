// SPDX-License-Identifier: GPL-2.0
/*
 * IP fragments under BPF_PROG_TEST_RUN (bpf/frag.h): the first fragment of
 * a datagram is scheduled like any packet, a later one follows it (DR,
 * NAT in both directions, IPv4 and IPv6), and a later fragment whose
 * first was never seen goes to the kernel untouched.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "../unit/test.h"
#include "director.h"

#define VIP4 "198.18.0.100"
#define VIP6 "2001:db8::100"
#define RS4 "198.18.0.11"
#define RS6 "2001:db8::11"
#define ETH 14
#define FIRST_L4 32 /* bytes of the datagram in the first fragment */

/* The IPv4 header checksum over 20 bytes at h, recomputed in full. */
static void ip4_fix(uint8_t *h)
{
	h[10] = h[11] = 0;
	*(uint16_t *)(h + 10) = pkt_csum(h, 20, 0);
}

/*
 * Splits an unfragmented IPv4 frame (20-byte header) into two fragments:
 * the first FIRST_L4 bytes of the IP payload, and the rest.
 */
static void split4(const struct pkt *whole, uint16_t id, struct pkt *first,
		   struct pkt *later)
{
	size_t l4 = whole->len - ETH - 20, rest = l4 - FIRST_L4;
	uint16_t v;

	*first = *whole;
	first->len = ETH + 20 + FIRST_L4;
	*later = *whole;
	memmove(later->b + ETH + 20, whole->b + ETH + 20 + FIRST_L4, rest);
	later->len = ETH + 20 + rest;
	v = htons(id);
	memcpy(first->b + ETH + 4, &v, 2);
	memcpy(later->b + ETH + 4, &v, 2);
	v = htons(0x2000); /* MF, offset 0 */
	memcpy(first->b + ETH + 6, &v, 2);
	v = htons(FIRST_L4 / 8);
	memcpy(later->b + ETH + 6, &v, 2);
	v = htons((uint16_t)(20 + FIRST_L4));
	memcpy(first->b + ETH + 2, &v, 2);
	v = htons((uint16_t)(20 + rest));
	memcpy(later->b + ETH + 2, &v, 2);
	ip4_fix(first->b + ETH);
	ip4_fix(later->b + ETH);
}

/* The same for IPv6: a fragment header (id) after the fixed header. */
static void split6(const struct pkt *whole, uint32_t id, struct pkt *first,
		   struct pkt *later)
{
	size_t l4 = whole->len - ETH - 40, rest = l4 - FIRST_L4;
	const uint8_t *src = whole->b + ETH + 40;
	uint8_t fh[8] = { whole->b[ETH + 6], 0, 0, 0 };
	uint32_t nid = htonl(id);
	uint16_t v;

	memcpy(fh + 4, &nid, 4);
	*first = *whole;
	*later = *whole;
	first->b[ETH + 6] = later->b[ETH + 6] = 44;
	fh[3] = 1; /* offset 0, M */
	memcpy(first->b + ETH + 40, fh, 8);
	memcpy(first->b + ETH + 48, src, FIRST_L4);
	first->len = ETH + 48 + FIRST_L4;
	v = htons(FIRST_L4 << 3); /* offset in 8-byte units << 3, no M */
	memcpy(fh + 2, &v, 2);
	memcpy(later->b + ETH + 40, fh, 8);
	memcpy(later->b + ETH + 48, src + FIRST_L4, rest);
	later->len = ETH + 48 + rest;
	v = htons((uint16_t)(8 + FIRST_L4));
	memcpy(first->b + ETH + 4, &v, 2);
	v = htons((uint16_t)(8 + rest));
	memcpy(later->b + ETH + 4, &v, 2);
}

static void to_dest(struct pkt *p, __u32 id)
{
	__u8 mac[6];

	dir_dest_mac(id, mac);
	pkt_macs(p, mac, MAC_DIRECTOR);
}

TEST(frag_dr_follows_first)
{
	static const struct {
		int af;
		const char *client, *vip, *rs;
	} cases[] = {
		{ XVS_AF_INET, DIR_CLIENT4, VIP4, RS4 },
		{ XVS_AF_INET6, DIR_CLIENT6, VIP6, RS6 },
	};

	for (size_t i = 0; i < 2; i++) {
		struct flow f = { cases[i].af, cases[i].client, cases[i].vip,
				  5000, 53, IPPROTO_UDP, 0 };
		struct pkt whole, first, later, out, want;
		const char *fam = i ? "IPv6" : "IPv4";
		struct xvs_global_stats gs;
		char what[64];

		if (dir_open())
			return;
		dir_service(cases[i].af, IPPROTO_UDP, cases[i].vip, 53);
		dir_dest(1, cases[i].rs, 53, XVS_FWD_DR);
		dir_dest(2, i ? "2001:db8::12" : "198.18.0.12", 53,
			 XVS_FWD_DR);
		pkt_build(&whole, &f, 100);
		if (i)
			split6(&whole, 0x12345678, &first, &later);
		else
			split4(&whole, 0x4242, &first, &later);

		want = first;
		to_dest(&want, 2); /* rr starts at the newest */
		snprintf(what, sizeof(what), "%s first fragment", fam);
		CHECK_FRAME(what, dir_run(&first, &out, dir.eth0), XDP_TX,
			    &out, &want);
		want = later;
		to_dest(&want, 2);
		snprintf(what, sizeof(what), "%s later fragment follows it",
			 fam);
		CHECK_FRAME(what, dir_run(&later, &out, dir.eth0), XDP_TX,
			    &out, &want);

		/* Another datagram's later fragment, its first never seen. */
		if (i)
			split6(&whole, 0x0badcafe, &first, &later);
		else
			split4(&whole, 0x0bad, &first, &later);
		snprintf(what, sizeof(what), "%s orphan fragment to the kernel",
			 fam);
		CHECK_FRAME(what, dir_run(&later, &out, dir.eth0), XDP_PASS,
			    &out, &later);
		gs = dir_counters();
		CHECK(gs.frag_follow == 1 && gs.pass_fragment == 1 &&
			      gs.conn_new == 1,
		      "%s counted: followed %llu, passed %llu, new %llu", fam,
		      (unsigned long long)gs.frag_follow,
		      (unsigned long long)gs.pass_fragment,
		      (unsigned long long)gs.conn_new);
		dir_close();
	}
}

TEST(frag_nat_both_directions)
{
	struct flow in = { XVS_AF_INET, DIR_CLIENT4, VIP4, 5000, 53,
			   IPPROTO_UDP, 0 };
	struct flow back = { XVS_AF_INET, "198.18.1.11", DIR_CLIENT4, 5353,
			     5000, IPPROTO_UDP, 0 };
	struct pkt whole, first, later, out, want, wfirst, wlater;

	if (dir_open())
		return;
	dir_service(XVS_AF_INET, IPPROTO_UDP, VIP4, 53);
	dir_dest(1, "198.18.1.11", 5353, XVS_FWD_NAT);
	dir_nat_dests(1);

	/* Inbound: the first fragment gets address and port rewritten (its
	 * UDP checksum covers the whole datagram), a later one only the
	 * address. Expected frames: the rewritten datagram, split. */
	pkt_build(&whole, &in, 100);
	split4(&whole, 0x1111, &first, &later);
	in.daddr = "198.18.1.11";
	in.dport = 5353;
	pkt_build(&whole, &in, 100);
	split4(&whole, 0x1111, &wfirst, &wlater);
	to_dest(&wfirst, 1);
	to_dest(&wlater, 1);
	CHECK_FRAME("NAT first fragment in", dir_run(&first, &out, dir.eth0),
		    XDP_TX, &out, &wfirst);
	CHECK_FRAME("NAT later fragment in", dir_run(&later, &out, dir.eth0),
		    XDP_TX, &out, &wlater);

	/* Replies: from VIP:53 to the client, one hop later. */
	pkt_build(&whole, &back, 100);
	split4(&whole, 0x2222, &first, &later);
	back.saddr = VIP4;
	back.sport = 53;
	pkt_build(&whole, &back, 100);
	pkt_set_ttl(&whole, 63);
	split4(&whole, 0x2222, &wfirst, &wlater);
	pkt_macs(&wfirst, MAC_CLIENT, MAC_DIRECTOR);
	pkt_macs(&wlater, MAC_CLIENT, MAC_DIRECTOR);
	want = wfirst;
	CHECK_FRAME("NAT first reply fragment", dir_run(&first, &out, dir.eth0),
		    XDP_TX, &out, &want);
	want = wlater;
	CHECK_FRAME("NAT later reply fragment", dir_run(&later, &out, dir.eth0),
		    XDP_TX, &out, &want);
	dir_close();
}
