/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one data model of xvs: plain fixed-width structs shared by the XDP
 * program, the daemon, the CLI (through the IPC protocol) and the tests.
 *
 * Rules: no pointers, explicit byte order (addresses and ports are network
 * order, everything else host order), explicit padding so that BPF map keys
 * never contain uninitialised bytes. This header compiles both with
 * clang -target bpf and with the host compiler.
 */
#ifndef XVS_MODEL_H
#define XVS_MODEL_H

#include <linux/types.h>

/* Table sizes. The data plane's maps are sized from these at load time. */
#define XVS_MAX_SERVICES 4096
#define XVS_MAX_DESTS_PER_SVC 1024
#define XVS_MAX_DESTS 16384 /* real servers over all services */
#define XVS_CONN_TABLE_SIZE 1048576
#define XVS_CONN_TAB_BITS 12 /* what `-L` prints as "(size=4096)", as IPVS */

#define XVS_WEIGHT_MAX 65535 /* ipvsadm 1.31's limit */
#define XVS_SCHED_NAME_LEN 16

/* Address families, fixed here so BPF code does not need socket headers. */
#define XVS_AF_INET 2
#define XVS_AF_INET6 10

/* An IPv4 or IPv6 address, network order. IPv4 uses v4 and keeps the other
 * 12 bytes zero, so the union can be compared and hashed as 16 bytes. */
union xvs_addr {
	__be32 v4;
	__be32 v6[4];
	__u8 bytes[16];
};

/* Forwarding methods, as ipvsadm's -g / -i / -m. */
enum xvs_fwd {
	XVS_FWD_DR = 0,  /* "Route": rewrite the MAC only */
	XVS_FWD_TUN = 1, /* "Tunnel": IPIP encapsulation (a later issue) */
	XVS_FWD_NAT = 2, /* "Masq": rewrite address and port (a later issue) */
};

/* Key of a virtual service: what a packet's destination is matched on. */
struct xvs_svc_key {
	union xvs_addr addr;
	__be16 port;
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 af;    /* XVS_AF_INET or XVS_AF_INET6 */
};

/* Value of the data plane's service map. */
struct xvs_svc_dp {
	__u32 svc_id;   /* index into the per-service arrays */
	__u16 sched_id; /* enum xvs_sched_id */
	__u16 flags;    /* XVS_SVC_F_* */
};

/* Tunnel encapsulations for XVS_FWD_TUN, as ipvsadm's --tun-type. */
enum xvs_tun_type {
	XVS_TUN_IPIP = 0, /* the default: IPIP / IPv6-in-IPv6 / mixed */
	XVS_TUN_GUE = 1,  /* Generic UDP Encapsulation, needs --tun-port */
	XVS_TUN_GRE = 2,
};

#define XVS_TUN_F_CSUM (1u << 0)    /* --tun-csum (GUE, GRE) */
#define XVS_TUN_F_REMCSUM (1u << 1) /* --tun-remcsum (GUE) */

/* Where a real server is and how to reach it; value of the dests map,
 * indexed by dest id. Written by the daemon only. */
struct xvs_dest_dp {
	union xvs_addr addr;  /* the real server */
	union xvs_addr saddr; /* our source address toward it (TUN outer) */
	__be16 port;
	__u8 af;       /* family of addr (TUN may differ from the service) */
	__u8 fwd;      /* enum xvs_fwd */
	__u32 gen;     /* bumped on every (re)use of the id; 0 = slot free */
	__u32 ifindex; /* interface toward the real server */
	__u8 dmac[6];  /* the real server's (or next hop's) MAC */
	__u8 smac[6];  /* the MAC of ifindex */
	__u32 flags;   /* XVS_DEST_F_* */
	__u32 svc_id;
	__u16 mtu;       /* of ifindex: larger packets get "too big" */
	__u8 tun_type;   /* enum xvs_tun_type */
	__u8 tun_flags;  /* XVS_TUN_F_* */
	__be16 tun_port; /* GUE: UDP destination port */
	__u16 pad;
};

#define XVS_DEST_F_RESOLVED (1u << 0) /* dmac/smac/ifindex are valid */

/* One real server as the schedulers see it. */
struct xvs_sched_entry {
	__u32 dest_id;
	__s32 weight;
};

/*
 * A service's real servers in scheduling order, newest first as in IPVS
 * (new destinations go to the head of svc->destinations). The daemon
 * writes a complete new list into the unused one of two slots and then
 * publishes it by switching the slot in the scheduler state word, so the
 * data plane always sees a consistent list. mw and di are wrr's maximum
 * weight and gcd step, computed with the list.
 */
struct xvs_sched_list {
	__u32 n;
	__s32 mw; /* wrr: max weight - (di - 1) */
	__s32 di; /* wrr: gcd of the positive weights, 1 if none */
	__u32 pad;
	struct xvs_sched_entry e[XVS_MAX_DESTS_PER_SVC];
};

/*
 * The scheduler state of one service, one 64-bit word so that the data
 * plane can update it with a single compare-and-swap (no lock):
 *   bits  0..31  cw   wrr's current weight
 *   bits 32..47  pos  index of the last pick, XVS_POS_HEAD before the first
 *   bit  48      slot which xvs_sched_list slot is live
 *   bits 49..63  gen  bumped on every publish, so a pick computed against
 *                     an old list can never be committed
 */
#define XVS_POS_HEAD 0xffffu

/* Per-CPU traffic counters, per service and per real server. */
struct xvs_stats {
	__u64 conns;
	__u64 inpkts;
	__u64 outpkts;
	__u64 inbytes;
	__u64 outbytes;
};

/* Key of the connection table: the packet's own 5-tuple. */
struct xvs_conn_key {
	union xvs_addr saddr;
	union xvs_addr daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 af;
	__u16 pad;
};

/* Value of the connection table. */
struct xvs_conn {
	__u64 last_seen_ns; /* bpf_ktime_get_coarse_ns of the last packet */
	__u32 dest_id;
	__u32 dest_gen;  /* xvs_dest_dp.gen when bound; a mismatch = dest gone */
	__u32 timeout_s; /* idle time after which the entry is dead */
	__u8 state;      /* enum xvs_tcp_state; XVS_UDP_STATE for UDP */
	__u8 flags;      /* XVS_CONN_F_* */
	__u16 pad;
};

#define XVS_CONN_F_CLOSING (1u << 0)

/* Global data-plane counters, one per reason; named, never anonymous. */
struct xvs_global_stats {
	__u64 rx_packets;       /* every packet the program saw */
	__u64 pass_not_vs;      /* not for a virtual service: to the kernel */
	__u64 pass_no_conn;     /* TCP non-SYN without a connection */
	__u64 pass_no_dest;     /* no real server available */
	__u64 pass_fragment;    /* IPv4 fragment for a virtual address */
	__u64 fwd_tx;           /* forwarded out of the receiving interface */
	__u64 fwd_redirect;     /* forwarded out of another interface */
	__u64 drop_malformed;   /* truncated or inconsistent headers */
	__u64 drop_dest_gone;   /* the connection's real server was deleted */
	__u64 drop_unresolved;  /* real server's MAC not known yet */
	__u64 drop_sched_busy;  /* scheduler state kept changing under us */
	__u64 drop_unsupported; /* forwarding method not in the data plane */
	__u64 conn_new;         /* connections created */
	__u64 conn_expired;     /* dead entries found on lookup */
	__u64 conn_reused;      /* SYN on a closing entry, scheduled anew */
	/* VS/TUN (bpf/fwd_tun.h) */
	__u64 tun_encap;          /* packets encapsulated toward a real server */
	__u64 icmp_too_big_sent;  /* frag needed / packet too big answered */
	__u64 drop_too_big_nodf;  /* too big, IPv4 without DF: XDP cannot
				   * fragment */
	__u64 drop_too_big_icmp;  /* too big, an ICMP error (no error about
				   * an error) */
	__u64 drop_tun_mtu;       /* path MTU too small for the tunnel */
	__u64 drop_tun_headroom;  /* no room in front of the frame */
};

/*
 * Data-plane settings the daemon may change at run time (.data section,
 * memory-mapped by the daemon).
 */
struct xvs_dp_config {
	__u32 tcp_timeout_s;     /* idle timeout of a TCP connection */
	__u32 tcp_fin_timeout_s; /* after FIN or RST */
	__u32 udp_timeout_s;
	__u32 pad;
};

/* Default idle timeouts of the simple connection table (IPVS's
 * established TCP and UDP defaults). */
#define XVS_TCP_TIMEOUT_S 900
#define XVS_TCP_FIN_TIMEOUT_S 120
#define XVS_UDP_TIMEOUT_S 300

#endif /* XVS_MODEL_H */
