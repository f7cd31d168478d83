/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol between xvsadm and xvsd over a UNIX stream socket.
 *
 * One request, one reply, in order, on a connection that may carry many.
 * Every message is a struct xvs_ipc_hdr followed by hdr.len bytes of body.
 * Requests carry one of the fixed structs below; a reply carries status
 * (0 or -errno), a NUL-terminated error text when status != 0, and for
 * XVS_OP_LIST a sequence of records. The daemon validates every field: a
 * peer is never trusted to have run the CLI's checks.
 */
#ifndef XVS_IPC_H
#define XVS_IPC_H

#include <stddef.h>
#include "xvs_model.h"

#define XVS_IPC_MAGIC 0x58565331u /* "XVS1" */
#define XVS_IPC_VERSION 1
#define XVS_IPC_MAX_BODY (64u << 20)
#define XVS_IPC_ERR_LEN 256
#define XVS_DEFAULT_SOCKET "/run/xvs/xvsd.sock"

enum xvs_ipc_op {
	XVS_OP_SVC_ADD = 1,   /* body: xvs_svc_conf */
	XVS_OP_SVC_EDIT = 2,  /* body: xvs_svc_conf */
	XVS_OP_SVC_DEL = 3,   /* body: xvs_svc_conf (key fields) */
	XVS_OP_CLEAR = 4,     /* no body */
	XVS_OP_DEST_ADD = 5,  /* body: xvs_dest_conf */
	XVS_OP_DEST_EDIT = 6, /* body: xvs_dest_conf */
	XVS_OP_DEST_DEL = 7,  /* body: xvs_dest_conf (key fields) */
	XVS_OP_ZERO = 8,      /* body: xvs_svc_conf, or none for all */
	XVS_OP_LIST = 9,      /* body: xvs_svc_conf to list one, or none */
	XVS_OP_INFO = 10,     /* reply body: xvs_info */
	XVS_OP_SET_TIMEOUT = 11, /* body: xvs_timeouts (--set) */
	XVS_OP_CONN_LIST = 12,   /* reply: xvs_conn_list, xvs_conn_info[] */
	XVS_OP_MARK_ADD = 13,    /* body: xvs_mark_rule (core/mark.h) */
	XVS_OP_MARK_DEL = 14,    /* body: xvs_mark_rule; mark 0: any mark */
	XVS_OP_MARK_LIST = 15,   /* reply: xvs_mark_rule[], in rule order */
};

struct xvs_ipc_hdr {
	__u32 magic;
	__u16 version;
	__u16 op;     /* enum xvs_ipc_op; echoed in the reply */
	__u32 len;    /* body length in bytes */
	__s32 status; /* replies: 0 or -errno */
};

/* A virtual service as configured (-A/-E) or addressed (-D/-a/...). */
struct xvs_svc_conf {
	struct xvs_svc_key key;
	char sched[XVS_SCHED_NAME_LEN]; /* NUL-terminated, e.g. "wrr" */
	__u32 flags;                    /* XVS_SVC_F_* (xvs_model.h) */
	__u32 timeout;                  /* persistence timeout, seconds */
	__u32 netmask; /* persistence: v4 mask, network order; v6 prefix len */
	__u32 sched_flags; /* -b: XVS_SCHED_FLAG_* (core/scheduler.h) */
};

/* A real server as configured (-a/-e) or addressed (-d). */
struct xvs_dest_conf {
	struct xvs_svc_key svc;
	union xvs_addr addr;
	__be16 port;
	__u8 af;
	__u8 fwd; /* enum xvs_fwd */
	__s32 weight;
	__u32 u_threshold;
	__u32 l_threshold;
	__u8 tun_type;   /* enum xvs_tun_type, for XVS_FWD_TUN */
	__u8 tun_flags;  /* XVS_TUN_F_* */
	__be16 tun_port; /* GUE destination port, network order */
};

/* Reply body of XVS_OP_INFO. */
struct xvs_info {
	__u32 version_code; /* 0x010201: "1.2.1", what ipvsadm prints */
	__u32 conn_tab_size; /* what -L prints as "(size=N)" */
	__u32 tcp_timeout;
	__u32 tcp_fin_timeout;
	__u32 udp_timeout;
	__u32 pad;
};

/* XVS_OP_SET_TIMEOUT: --set tcp tcpfin udp, seconds; 0 keeps the
 * current value, as ipvsadm and IPVS. */
struct xvs_timeouts {
	__u32 tcp_timeout;     /* ESTABLISHED */
	__u32 tcp_fin_timeout; /* FIN_WAIT */
	__u32 udp_timeout;
	__u32 pad;
};

#define XVS_TIMEOUT_MAX (86400 * 31) /* ipvsadm's MAX_TIMEOUT */

/*
 * XVS_OP_CONN_LIST reply: one xvs_conn_list, then n xvs_conn_info, in
 * the table's order (ipvsadm does not sort -L -c either). Dead entries,
 * and entries of deleted real servers, are not listed.
 */
struct xvs_conn_list {
	__u32 n;
	__u32 flags; /* XVS_CONN_LIST_F_* */
};

/* More connections than one reply holds (XVS_IPC_MAX_BODY): the rest are
 * left out. */
#define XVS_CONN_LIST_F_TRUNCATED (1u << 0)

/* One connection, as a line of /proc/net/ip_vs_conn. */
struct xvs_conn_info {
	union xvs_addr caddr; /* client */
	union xvs_addr vaddr; /* virtual service */
	union xvs_addr daddr; /* real server */
	__be16 cport;
	__be16 vport;
	__be16 dport; /* the real server's port (NAT may map it) */
	__u8 proto;
	__u8 af;      /* of caddr and vaddr */
	__u8 daf;     /* of daddr: a tunnel may cross families */
	__u8 state;   /* enum xvs_tcp_state; XVS_UDP_STATE for UDP */
	__u8 flags;   /* XVS_CONN_F_* */
	__u8 pad;
	__u32 expires; /* whole seconds left */
};

/* Rates as IPVS's estimator reports them (per second). */
struct xvs_rates {
	__u32 cps;
	__u32 inpps;
	__u32 outpps;
	__u32 inbps;
	__u32 outbps;
	__u32 pad;
};

/*
 * XVS_OP_LIST reply: for each service one xvs_svc_info followed by its
 * n_dests xvs_dest_info records, services sorted as ipvsadm sorts them
 * (protocol, address, port) and real servers by address and port.
 */
struct xvs_svc_info {
	struct xvs_svc_conf conf;
	struct xvs_stats stats;
	struct xvs_rates rates;
	__u32 n_dests;
	__u32 pad;
};

struct xvs_dest_info {
	struct xvs_dest_conf conf;
	struct xvs_stats stats;
	struct xvs_rates rates;
	__u32 activeconns;
	__u32 inactconns;
	__u32 persistconns;
	__u32 pad;
};

/*
 * Framing, used by both ends. Both return 0 or -errno and never print.
 * xvs_ipc_send writes the header and body in full (retrying short writes).
 * xvs_ipc_recv reads one whole message; *body is malloc'd (NULL when the
 * body is empty) and owned by the caller. A bad magic, version or a body
 * over XVS_IPC_MAX_BODY gives -EPROTO; a closed peer gives -ECONNRESET.
 */
int xvs_ipc_send(int fd, __u16 op, __s32 status, const void *body, __u32 len);
int xvs_ipc_recv(int fd, struct xvs_ipc_hdr *hdr, void **body);

#endif /* XVS_IPC_H */
