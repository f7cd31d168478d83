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

/* Functions in headers shared by the XDP program and user space (the
 * schedulers, the connection states) are XVS_INLINE. */
#ifdef __bpf__
#include <bpf/bpf_helpers.h>
#define XVS_INLINE static __always_inline
#else
#define XVS_INLINE static inline
#endif

/* Hides v's known range from the compiler, so that a bound the code
 * applies after it (a mask) is kept for the BPF verifier to see. */
#define XVS_OPAQUE(v) asm volatile("" : "+r"(v))

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
	XVS_FWD_TUN = 1, /* "Tunnel": IP encapsulation (bpf/fwd_tun.h) */
	XVS_FWD_NAT = 2, /* "Masq": rewrite address and port (a later issue) */
};

/* Key of a virtual service: what a packet's destination is matched on. */
struct xvs_svc_key {
	union xvs_addr addr;
	__be16 port;
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 af;    /* XVS_AF_INET or XVS_AF_INET6 */
};

/* Service flags (xvs_svc_dp.flags, xvs_svc_conf.flags), IPVS's. */
#define XVS_SVC_F_PERSISTENT (1u << 0) /* -p */
#define XVS_SVC_F_ONEPACKET (1u << 1)  /* -o */

/* Value of the data plane's service map. */
struct xvs_svc_dp {
	__u32 svc_id;      /* index into the per-service arrays */
	__u16 sched_id;    /* enum xvs_sched_id */
	__u16 flags;       /* XVS_SVC_F_* */
	__u32 sched_flags; /* -b: XVS_SCHED_FLAG_* (core/scheduler.h) */
	/* Persistence (-p, -M; core/persist.h) */
	__u32 timeout_s; /* a new template's timeout */
	__u32 netmask;   /* IPv4: mask, network order; IPv6: prefix length */
	__u32 fwmark;    /* a fwmark service's mark, 0 for addr:port */
	__be16 port;     /* the service's own port (0: all ports, or fwmark) */
	__u16 pad;
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
#define XVS_DEST_F_WEIGHT0 (1u << 1)  /* weight 0 (quiesced): a template
				       * bound to it is invalid under
				       * --expire-quiescent-template */

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
	__u16 tpl; /* XVS_CONN_KEY_TEMPLATE for a persistence template
		    * (core/persist.h), 0 for a packet's flow */
};

/* TCP connection states, IPVS's IP_VS_TCP_S_* in IPVS's order; the
 * transitions, timeouts and names are in core/tcp_state.h. */
enum xvs_tcp_state {
	XVS_TCP_S_NONE = 0,
	XVS_TCP_S_ESTABLISHED,
	XVS_TCP_S_SYN_SENT,
	XVS_TCP_S_SYN_RECV,
	XVS_TCP_S_FIN_WAIT,
	XVS_TCP_S_TIME_WAIT,
	XVS_TCP_S_CLOSE,
	XVS_TCP_S_CLOSE_WAIT,
	XVS_TCP_S_LAST_ACK,
	XVS_TCP_S_LISTEN,
	XVS_TCP_S_SYNACK,
	XVS_TCP_S_LAST,
};

/* UDP has one state (IPVS's IP_VS_UDP_S_NORMAL, listed as "UDP"). */
#define XVS_UDP_STATE 0

/* Value of the connection table. */
struct xvs_conn {
	__u64 last_seen_ns; /* bpf_ktime_get_coarse_ns of the last packet */
	__u32 dest_id;
	__u32 dest_gen;  /* xvs_dest_dp.gen when bound; a mismatch = dest gone */
	__u32 timeout_s; /* idle time after which the entry is dead: the
			  * timeout of its state at its last packet */
	union {
		struct {
			__u8 state; /* enum xvs_tcp_state; XVS_UDP_STATE */
			__u8 flags; /* XVS_CONN_F_* */
			__u16 pad;
		};
		/* state and flags as one word, changed only by
		 * compare-and-swap or atomic or (bpf/conn.h) */
		__u32 sf;
	};
	/* Persistence (core/persist.h) */
	union {
		__s32 n_control;  /* template: connections it controls, moved
				   * with atomic adds */
		__u32 tpl_netmask; /* controlled connection: its template's
				    * netmask, to find the template again */
	};
	__u32 tpl_fwmark; /* controlled connection: its template's mark */
};

/* Counted in its real server's InActConn, not ActiveConn (IPVS's
 * IP_VS_CONN_F_INACTIVE): set while the state is not an active one. */
#define XVS_CONN_F_INACTIVE (1u << 0)
/* DR and TUN: the director sees only the client's side, so transitions
 * use IPVS's INPUT-ONLY rows (IP_VS_CONN_F_NOOUTPUT). */
#define XVS_CONN_F_NOOUTPUT (1u << 1)
/* Claimed for removal: its count is released, the entry is about to be
 * deleted by whoever claimed it; lookups treat it as absent. */
#define XVS_CONN_F_DEAD (1u << 2)
/* A persistence template (IPVS's IP_VS_CONN_F_TEMPLATE): its key has
 * tpl set, it counts in PersistConn, no packet belongs to it. */
#define XVS_CONN_F_TEMPLATE (1u << 3)
/* Created under a template, which it keeps alive (IPVS's cp->control);
 * TPL_NOPORT: that template's vport is 0 (core/persist.h). */
#define XVS_CONN_F_CONTROLLED (1u << 4)
#define XVS_CONN_F_TPL_NOPORT (1u << 5)

/* ActiveConn and InActConn of one real server, its connection thresholds
 * and OVERLOAD flag; value of dest_conns. The data plane moves the counts
 * and the flag; the daemon writes the thresholds. */
struct xvs_dest_conns {
	__u32 activeconns;
	__u32 inactconns;
	__u32 flags;       /* XVS_DEST_CONNS_*, changed by atomic or/and */
	__u32 u_threshold; /* -x: OVERLOAD at this many connections, 0 = off */
	__u32 l_threshold; /* -y: OVERLOAD cleared below this many */
	__u32 persistconns; /* persistence templates bound to it */
};

/* IPVS's IP_VS_DEST_F_OVERLOAD: schedulers skip the server. */
#define XVS_DEST_CONNS_OVERLOAD (1u << 0)

/* Keys the daemon's sweep hands to the data plane's reaper at a time. */
#define XVS_REAP_BATCH 256

/* Global data-plane counters, one per reason; named, never anonymous. */
struct xvs_global_stats {
	__u64 rx_packets;       /* every packet the program saw */
	__u64 pass_not_vs;      /* not for a virtual service: to the kernel */
	__u64 pass_no_conn;     /* TCP non-SYN without a connection */
	__u64 pass_no_dest;     /* no real server available */
	__u64 pass_fragment;    /* later fragment whose first was not seen */
	__u64 fwd_tx;           /* forwarded out of the receiving interface */
	__u64 fwd_redirect;     /* forwarded out of another interface */
	__u64 drop_malformed;   /* truncated or inconsistent headers */
	__u64 drop_dest_gone;   /* the connection's real server was deleted */
	__u64 drop_unresolved;  /* real server's MAC not known yet */
	__u64 drop_sched_busy;  /* scheduler state kept changing under us */
	__u64 drop_unsupported; /* forwarding method not in the data plane */
	__u64 conn_new;         /* connections created */
	__u64 conn_expired;     /* dead entries found on lookup */
	__u64 conn_reused;      /* SYN on a TIME_WAIT or CLOSE entry,
				 * scheduled anew (conn_reuse_mode) */
	__u64 conn_evicted;     /* new entries while the table was full: the
				 * LRU evicted a live entry, whose count
				 * stays held (docs/connections.md) */
	__u64 drop_conn_busy;   /* new flow whose key was still held by an
				 * entry being removed, or created at the
				 * same moment on another CPU */
	/* VS/TUN (bpf/fwd_tun.h) */
	__u64 tun_encap;          /* packets encapsulated toward a real server */
	__u64 icmp_too_big_sent;  /* frag needed / packet too big answered */
	__u64 drop_too_big_nodf;  /* too big, IPv4 without DF: XDP cannot
				   * fragment */
	__u64 drop_too_big_icmp;  /* too big, an ICMP error (no error about
				   * an error) */
	__u64 drop_tun_mtu;       /* path MTU too small for the tunnel */
	__u64 drop_tun_headroom;  /* no room in front of the frame */
	/* VS/NAT (bpf/fwd_nat.h) and ICMP errors (bpf/icmp.h) */
	__u64 nat_reply_fwd;       /* NAT replies rewritten to VIP:vport and
				    * routed (also in fwd_tx/fwd_redirect) */
	__u64 nat_reply_kernel;    /* rewritten, handed to the kernel to
				    * forward: next hop MAC unknown, or an
				    * IPv4 reply to fragment */
	__u64 nat_reply_untouched; /* left to the kernel as they came: TTL
				    * expiring, too big, no route */
	__u64 nat_reply_stale;     /* reverse entries whose connection was
				    * gone: deleted */
	__u64 icmp_to_dest;        /* errors sent to their connection's real
				    * server */
	__u64 icmp_to_client;      /* errors from NAT real servers translated
				    * for the client */
	__u64 drop_icmp_truncated; /* errors whose quote is cut short */
	__u64 frag_follow;         /* later fragments sent after their first */
	/* Persistence, one-packet scheduling (bpf/persist.h) */
	__u64 tpl_new;      /* persistence templates created */
	__u64 tpl_invalid;  /* templates found invalid (server gone, or
			     * quiesced with expire_quiescent_template) and
			     * replaced */
	__u64 one_packet;   /* datagrams scheduled on their own (-o) */
	__u64 fwmark_hit;   /* packets a mark rule gave a fwmark service */
};

/*
 * Data-plane settings the daemon may change at run time (.data section,
 * memory-mapped by the daemon). A new timeout applies to a connection at
 * its next packet, as in IPVS.
 */
struct xvs_dp_config {
	__u32 tcp_timeout_s[XVS_TCP_S_LAST]; /* per enum xvs_tcp_state */
	__u32 udp_timeout_s;
	__u32 nat_dests; /* NAT real servers configured; while 0, no packet
			  * is looked up as a NAT reply (bpf/fwd_nat.h) */
	/* Persistence and fwmark services (bpf/persist.h, bpf/mark.h) */
	__u32 expire_quiescent_template; /* xvsd's option, IPVS's sysctl */
	__u32 ftp_svcs;       /* TCP services on port 21, which take other
			       * ports of their VIP too (IPVS's
			       * ftpsvc_counter) */
	__u32 zero_port_svcs; /* port-zero services (nullsvc_counter) */
	__u32 mark_rules;     /* live mark rule set: slot << 16 | count */
	/* lblc and lblcr (bpf/sched_cache.h): IPVS's sysctls of the
	 * same names, seconds; a cache entry unused that long is gone */
	__u32 lblc_expiration_s;
	__u32 lblcr_expiration_s;
};

#endif /* XVS_MODEL_H */
