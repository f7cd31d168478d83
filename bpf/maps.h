/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map of the data plane, one comment each. Sizes are the defaults;
 * the daemon may resize (conns) before loading.
 */
#ifndef XVS_BPF_MAPS_H
#define XVS_BPF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xvs_model.h"
#include "mark.h"
#include "parse.h"
#include "sched_hash.h"
#include "sched_locality.h"

/* Virtual services: destination (addr, port, proto) -> service; fwmark
 * services under (af, proto 0, mark in addr.v4, port 0) (bpf/svc_find.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, struct xvs_svc_key);
	__type(value, struct xvs_svc_dp);
} svc_map SEC(".maps");

/* Mark rules for fwmark services (core/mark.h), two slots of
 * XVS_MAX_MARK_RULES: the daemon fills the unused one, then switches
 * xvs_dp_config.mark_rules to it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * XVS_MAX_MARK_RULES);
	__type(key, __u32);
	__type(value, struct xvs_mark_rule);
} mark_rules SEC(".maps");

/* Real servers by dest id: where and how to forward. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct xvs_dest_dp);
} dests SEC(".maps");

/* Published scheduling lists, key svc_id * 2 + slot (double-buffered, see
 * xvs_sched_list). Allocated on use: most services have few servers. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * XVS_MAX_SERVICES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct xvs_sched_list);
} sched_lists SEC(".maps");

/* Lookup tables of sh, dh and mh (struct xvs_sched_table, slot -> list
 * index), keyed and double-buffered as sched_lists: the daemon writes a
 * table into the slot of the list it indexes before switching to both.
 * The value holds xvs_table_slots slots (max(256, mh table size)); the
 * daemon sets its size at load time (xvsd --mh-table-size), so it has no
 * BTF type. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * XVS_MAX_SERVICES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, xvs_table_bytes(XVS_MH_TAB_SIZE_DEFAULT));
} sched_tables SEC(".maps");

/* lblc's cache: (service, destination address) -> real server, and
 * lblcr's: -> a set of them (bpf/sched_cache.h). IPVS removes idle
 * entries with a timer; here the LRU makes room when a cache is full, and
 * an entry unused for lblc(r)_expiration counts as gone when looked up. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct xvs_locality_key);
	__type(value, struct xvs_lblc_entry);
} lblc_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct xvs_locality_key);
	__type(value, struct xvs_lblcr_entry);
} lblcr_cache SEC(".maps");

/* The cache entry being scheduled with, and its key, one per CPU: a pick
 * works on this copy, which is stored back once the pick is committed. */
struct xvs_locality_scratch {
	struct xvs_locality_key key;
	__u64 now_ns;    /* the pick's clock */
	__u64 expire_ns; /* lblc(r)_expiration */
	struct xvs_lblc_entry lblc;
	struct xvs_lblcr_entry lblcr;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_locality_scratch);
} locality_scratch SEC(".maps");

/* The connection table: 5-tuple -> real server. LRU, so a full table
 * evicts the least recently used entry instead of refusing new flows. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct xvs_conn_key);
	__type(value, struct xvs_conn);
} conns SEC(".maps");

/* NAT replies: the reply's 5-tuple (RS:rport -> client:cport) -> the key
 * of its connection in conns. Written with the connection; a reply that
 * finds the connection gone deletes the entry (bpf/fwd_nat.h). LRU, sized
 * as conns by the daemon. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct xvs_conn_key);
	__type(value, struct xvs_conn_key);
} nat_replies SEC(".maps");

/* ActiveConn and InActConn per real server (by dest id), moved with
 * atomic adds as connections change state (bpf/conn.h); memory-mapped by
 * the daemon, which reads them for -L and zeroes them for a new server. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, XVS_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct xvs_dest_conns);
} dest_conns SEC(".maps");

/* Traffic counters per service and per real server (per CPU). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xvs_stats);
} svc_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XVS_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct xvs_stats);
} dest_stats SEC(".maps");

/* Why packets went where they went; one entry (per CPU). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_global_stats);
} global_stats SEC(".maps");

/* Fragments: (addresses, protocol, identification) of a datagram. */
struct xvs_frag_key {
	union xvs_addr saddr;
	union xvs_addr daddr;
	__u32 id; /* IPv4 identification (16 bits) or IPv6 fragment id */
	__u8 proto;
	__u8 af;
	__u16 pad;
};

struct xvs_frag {
	__u64 seen_ns;
	__u32 dest_id;
	__u32 dest_gen;
	__u32 reply;             /* a NAT reply: conn names its connection */
	__u32 pad;
	struct xvs_conn_key conn; /* the forward key of a NAT reply's conn */
};

/* First fragment -> where it went, for the later fragments of its
 * datagram (frag.h). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct xvs_frag_key);
	__type(value, struct xvs_frag);
} frag_table SEC(".maps");

/* Room to build a frag_table key and value, one per CPU (frag.h): the
 * paths that record fragments have no stack to spare. */
struct xvs_frag_scratch {
	struct xvs_frag_key key;
	struct xvs_frag val;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_frag_scratch);
} frag_scratch SEC(".maps");

/* Room for a persistence template's key, one per CPU, for the packet path
 * only (bpf/sched_persist.h, conn_create): its functions have little
 * stack to spare. The reaper, which a packet may interrupt, never uses it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_conn_key);
} tpl_scratch SEC(".maps");

/* The current packet's facts (struct xvs_pkt), one per CPU: kept off the
 * 512-byte stack, which the forwarding paths need. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_pkt);
} pkt_scratch SEC(".maps");

/* COUNT(field): bumps a named counter of global_stats through the local
 * `gs` (looked up once per packet; NULL never happens, but is safe). */
#define COUNT(field)                                                       \
	do {                                                               \
		if (gs)                                                    \
			gs->field++;                                       \
	} while (0)

#endif /* XVS_BPF_MAPS_H */
