/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPVS's connection states, from net/netfilter/ipvs/ip_vs_proto_tcp.c and
 * ip_vs_proto_udp.c: the TCP transition table (tcp_states[], the default
 * one, not secure_tcp's), which states count as active, the default
 * timeouts, and conn_reuse_mode's rule. Pure functions over plain values,
 * compiled into the XDP program (bpf/conn.h) and into user space (daemon,
 * CLI, tests) alike; this header compiles with clang -target bpf.
 *
 * How IPVS uses them, and xvs with it:
 *  - a new connection starts in NONE, counted inactive, with a 3 s timeout
 *    (ip_vs_conn_new); its first packet's transition replaces that timeout
 *    at once, so nobody ever sees it. xvs applies the first transition
 *    before inserting the entry, with the same result;
 *  - every packet runs the transition and resets the timeout to its
 *    state's (set_tcp_state), so a changed timeout (--set) applies to a
 *    connection at its next packet;
 *  - the row is chosen by direction: INPUT (client to server) and OUTPUT
 *    (replies) when the director sees both (NAT), INPUT-ONLY when it sees
 *    only the client's side (DR, TUN: IP_VS_CONN_F_NOOUTPUT);
 *  - rst takes priority over syn, syn over fin, fin over ack; a segment
 *    with none of the four moves the connection to CLOSE;
 *  - UDP has one state, with the UDP timeout, always inactive.
 */
#ifndef XVS_TCP_STATE_H
#define XVS_TCP_STATE_H

#include "xvs_model.h"

#define XVS_TCP_FIN 0x01
#define XVS_TCP_SYN 0x02
#define XVS_TCP_RST 0x04
#define XVS_TCP_ACK 0x10

/* IPPROTO_TCP, without pulling socket headers into BPF code. */
#define XVS_PROTO_TCP 6

/* Rows of the transition table (IPVS's IP_VS_DIR_*). */
enum xvs_conn_dir {
	XVS_DIR_INPUT = 0,      /* client to real server, director sees both */
	XVS_DIR_OUTPUT = 1,     /* real server to client (NAT replies) */
	XVS_DIR_INPUT_ONLY = 2, /* client to real server, replies bypass us */
};

/* IPVS's default timeouts in seconds, per enum xvs_tcp_state. */
#define XVS_TCP_TIMEOUTS { 2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120 }
#define XVS_UDP_TIMEOUT_S 300

/* conn_reuse_mode's default: bit 1 only (a SYN on TIME_WAIT or CLOSE is
 * scheduled anew); bit 2 (also FIN_WAIT of DR/TUN) is off, as in IPVS. */
#define XVS_CONN_REUSE_MODE 1

/*
 * tcp_states[] of ip_vs_proto_tcp.c, [direction][flag][state]: the state
 * after a segment with that flag (0 syn, 1 fin, 2 ack, 3 rst).
 */
#define sNO XVS_TCP_S_NONE
#define sES XVS_TCP_S_ESTABLISHED
#define sSS XVS_TCP_S_SYN_SENT
#define sSR XVS_TCP_S_SYN_RECV
#define sFW XVS_TCP_S_FIN_WAIT
#define sTW XVS_TCP_S_TIME_WAIT
#define sCL XVS_TCP_S_CLOSE
#define sCW XVS_TCP_S_CLOSE_WAIT
#define sLA XVS_TCP_S_LAST_ACK
#define sLI XVS_TCP_S_LISTEN
#define sSA XVS_TCP_S_SYNACK
static const __u8 xvs_tcp_states[3][4][XVS_TCP_S_LAST] = {
	/* INPUT
	 *      sNO, sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA, sLI, sSA */
	{
		/*syn*/ { sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
		/*fin*/ { sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW },
		/*ack*/ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
		/*rst*/ { sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR },
	},
	/* OUTPUT */
	{
		/*syn*/ { sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR },
		/*fin*/ { sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW },
		/*ack*/ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES },
		/*rst*/ { sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL },
	},
	/* INPUT-ONLY */
	{
		/*syn*/ { sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
		/*fin*/ { sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW },
		/*ack*/ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
		/*rst*/ { sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL },
	},
};
#undef sNO
#undef sES
#undef sSS
#undef sSR
#undef sFW
#undef sTW
#undef sCL
#undef sCW
#undef sLA
#undef sLI
#undef sSA

/* IPVS's tcp_state_idx: the table's flag row, -1 for none of the four. */
XVS_INLINE int xvs_tcp_flag_idx(__u8 tcp_flags)
{
	if (tcp_flags & XVS_TCP_RST)
		return 3;
	if (tcp_flags & XVS_TCP_SYN)
		return 0;
	if (tcp_flags & XVS_TCP_FIN)
		return 1;
	if (tcp_flags & XVS_TCP_ACK)
		return 2;
	return -1;
}

/* The state after a segment; CLOSE without any of the four flags. */
XVS_INLINE __u8 xvs_tcp_next(int dir, __u8 state, __u8 tcp_flags)
{
	int i = xvs_tcp_flag_idx(tcp_flags);
	__u32 k;

	if (i < 0 || dir < 0 || dir > XVS_DIR_INPUT_ONLY ||
	    state >= XVS_TCP_S_LAST)
		return XVS_TCP_S_CLOSE;
	k = ((__u32)dir * 4 + (__u32)i) * XVS_TCP_S_LAST + state;
#ifdef __bpf__
	/* One opaque index, checked where it is used: clang would otherwise
	 * rebuild it from unchecked parts and the verifier refuse it. */
	asm volatile("" : "+r"(k));
	if (k >= sizeof(xvs_tcp_states))
		return XVS_TCP_S_CLOSE;
#endif
	return ((const __u8 *)xvs_tcp_states)[k];
}

/* IPVS's tcp_state_active_table: these count in ActiveConn. */
XVS_INLINE int xvs_tcp_state_active(__u8 state)
{
	return state == XVS_TCP_S_ESTABLISHED ||
	       state == XVS_TCP_S_SYN_SENT || state == XVS_TCP_S_SYN_RECV ||
	       state == XVS_TCP_S_SYNACK;
}

/* The state and flags word (struct xvs_conn.sf) holding these flags and
 * state 0: a mask for atomic operations, whatever the byte order. */
XVS_INLINE __u32 xvs_conn_flag_word(__u8 flags)
{
	struct xvs_conn c = { .sf = 0 };

	c.flags = flags;
	return c.sf;
}

/*
 * One packet's effect on a connection's state and flags word: IPVS's
 * set_tcp_state. With NOOUTPUT, INPUT becomes INPUT-ONLY and an OUTPUT
 * packet clears NOOUTPUT; the state moves by the table; INACTIVE follows
 * the new state. UDP and other protocols keep their word. The caller
 * compares INACTIVE before and after to move the count.
 */
XVS_INLINE __u32 xvs_conn_step(__u32 sf, __u8 proto, int dir, __u8 tcp_flags)
{
	struct xvs_conn c = { .sf = sf };

	if (proto != XVS_PROTO_TCP)
		return sf;
	if (c.flags & XVS_CONN_F_NOOUTPUT) {
		if (dir == XVS_DIR_OUTPUT)
			c.flags &= ~XVS_CONN_F_NOOUTPUT;
		else
			dir = XVS_DIR_INPUT_ONLY;
	}
	c.state = xvs_tcp_next(dir, c.state, tcp_flags);
	if (xvs_tcp_state_active(c.state))
		c.flags &= ~XVS_CONN_F_INACTIVE;
	else
		c.flags |= XVS_CONN_F_INACTIVE;
	return c.sf;
}

/* The timeout, in seconds, of a connection in state. */
XVS_INLINE __u32 xvs_conn_timeout(const struct xvs_dp_config *cfg,
				  __u8 proto, __u8 state)
{
	if (proto != XVS_PROTO_TCP)
		return cfg->udp_timeout_s;
	if (state >= XVS_TCP_S_LAST)
		return cfg->tcp_timeout_s[XVS_TCP_S_NONE];
	/* & 15 changes nothing here, but bounds the index for the verifier
	 * even where clang checks one copy of state and indexes with another */
	XVS_OPAQUE(state);
	return cfg->tcp_timeout_s[state & 15];
}

/*
 * IPVS's is_new_conn_expected: does a SYN on this connection start a new
 * one, to be scheduled anew, rather than belong to it? For conn_reuse_mode
 * bit 1: TIME_WAIT or CLOSE; bit 2: also FIN_WAIT when the director sees
 * one direction only.
 */
XVS_INLINE int xvs_conn_reusable(__u8 proto, __u32 sf, int reuse_mode)
{
	struct xvs_conn c = { .sf = sf };

	if (proto != XVS_PROTO_TCP || !(reuse_mode & 1))
		return 0;
	return c.state == XVS_TCP_S_TIME_WAIT || c.state == XVS_TCP_S_CLOSE ||
	       ((reuse_mode & 2) && c.state == XVS_TCP_S_FIN_WAIT &&
		(c.flags & XVS_CONN_F_NOOUTPUT));
}

#define XVS_NSEC_PER_SEC 1000000000ull

/*
 * Dead: idle longer than its timeout at now (bpf_ktime_get_coarse_ns, or
 * CLOCK_MONOTONIC_COARSE in user space, the same clock). Signed, because
 * another CPU may have stamped last_seen a little after our now.
 */
XVS_INLINE int xvs_conn_expired(const struct xvs_conn *cp, __u64 now)
{
	return (__s64)(now - cp->last_seen_ns) >
	       (__s64)((__u64)cp->timeout_s * XVS_NSEC_PER_SEC);
}

/* Whole seconds left before the entry dies, 0 once dead: what
 * /proc/net/ip_vs_conn shows as "expires". */
XVS_INLINE __u32 xvs_conn_expires(const struct xvs_conn *cp, __u64 now)
{
	__s64 left = (__s64)(cp->last_seen_ns +
			     (__u64)cp->timeout_s * XVS_NSEC_PER_SEC - now);

	return left > 0 ? (__u32)((__u64)left / XVS_NSEC_PER_SEC) : 0;
}

#ifndef __bpf__
/* IPVS's state names: "ESTABLISHED", ..., "UDP" for UDP, "ERR!" for a
 * state out of range. */
const char *xvs_conn_state_name(__u8 proto, __u8 state);
/* Now on the data plane's clock (CLOCK_MONOTONIC_COARSE, which
 * bpf_ktime_get_coarse_ns reads), for xvs_conn_expired and _expires. */
__u64 xvs_conn_clock(void);
#endif

#endif /* XVS_TCP_STATE_H */
