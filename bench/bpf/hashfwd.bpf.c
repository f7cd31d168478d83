// SPDX-License-Identifier: GPL-2.0
/*
 * The stateless reference of the end-to-end benchmark (bench/e2e): what an
 * XDP balancer costs when it keeps no state and does no scheduling. A
 * TCP or UDP packet for the configured VIP:port is hashed on its 5-tuple,
 * and its frame goes to one of the real servers' MACs with XDP_TX, the IP
 * packet unchanged (direct routing, as xvs -g). Anything else: XDP_PASS.
 *
 * Per packet: the project's parsers (bpf/parse.h, as xvs), two array
 * lookups, a 32-bit mix of the folded 5-tuple. A real server
 * set change remaps flows (no connection table); for the benchmark the
 * set is fixed.
 *
 * Configured through its two maps after loading (bench/e2e/run.sh, with
 * bpftool): hashfwd_conf[0] and hashfwd_macs[0 .. n_dests - 1].
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../../bpf/parse.h"

#define HASHFWD_MAX_DESTS 16

struct hashfwd_conf {
	__be32 vip;   /* IPv4 VIP, network order */
	__be16 port;  /* VIP's port, network order */
	__u8 proto;   /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 n_dests; /* entries of hashfwd_macs in use, 1-16 */
};

struct hashfwd_mac {
	__u8 addr[ETH_ALEN];
	__u16 pad;
};

/* The service: one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hashfwd_conf);
} hashfwd_conf SEC(".maps");

/* The real servers' MACs, by index. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HASHFWD_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct hashfwd_mac);
} hashfwd_macs SEC(".maps");

/* The 5-tuple folded to 32 bits and mixed (MurmurHash3's finaliser, so
 * that every bit counts modulo n_dests): the same flow always gets the
 * same real server. */
static __always_inline __u32 flow_hash(const struct xvs_conn_key *k)
{
	__u32 v = k->saddr.v4 ^ k->daddr.v4 ^ k->proto;

	v ^= ((__u32)k->sport << 16) | k->dport;
	v ^= v >> 16;
	v *= 0x85ebca6b;
	v ^= v >> 13;
	v *= 0xc2b2ae35;
	return v ^ (v >> 16);
}

SEC("xdp")
int hashfwd(struct xdp_md *ctx)
{
	struct xvs_cursor c = {
		.pos = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	struct xvs_pkt p = {};
	struct hashfwd_conf *conf;
	struct hashfwd_mac *mac;
	struct ethhdr *eth;
	__u32 zero = 0, idx;
	int proto;

	conf = bpf_map_lookup_elem(&hashfwd_conf, &zero);
	if (!conf || !conf->n_dests)
		return XDP_PASS;
	if (parse_eth(&c, &eth) != ETH_P_IP)
		return XDP_PASS;
	proto = parse_ipv4(&c, &p);
	if (proto < 0 || parse_l4(&c, &p, proto) < 0)
		return XDP_PASS;
	if (p.key.daddr.v4 != conf->vip || p.key.dport != conf->port ||
	    p.key.proto != conf->proto)
		return XDP_PASS;

	idx = flow_hash(&p.key) % conf->n_dests;
	mac = bpf_map_lookup_elem(&hashfwd_macs, &idx);
	if (!mac)
		return XDP_PASS;
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac->addr, ETH_ALEN);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
