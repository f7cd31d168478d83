// SPDX-License-Identifier: GPL-2.0
/* State names and default timeouts; the transitions are in tcp_state.h. */
#include <time.h>
#include "tcp_state.h"

const char *xvs_conn_state_name(__u8 proto, __u8 state)
{
	/* tcp_state_name_table of ip_vs_proto_tcp.c */
	static const char *const tcp[XVS_TCP_S_LAST] = {
		[XVS_TCP_S_NONE] = "NONE",
		[XVS_TCP_S_ESTABLISHED] = "ESTABLISHED",
		[XVS_TCP_S_SYN_SENT] = "SYN_SENT",
		[XVS_TCP_S_SYN_RECV] = "SYN_RECV",
		[XVS_TCP_S_FIN_WAIT] = "FIN_WAIT",
		[XVS_TCP_S_TIME_WAIT] = "TIME_WAIT",
		[XVS_TCP_S_CLOSE] = "CLOSE",
		[XVS_TCP_S_CLOSE_WAIT] = "CLOSE_WAIT",
		[XVS_TCP_S_LAST_ACK] = "LAST_ACK",
		[XVS_TCP_S_LISTEN] = "LISTEN",
		[XVS_TCP_S_SYNACK] = "SYNACK",
	};

	if (proto != XVS_PROTO_TCP)
		return state == XVS_UDP_STATE ? "UDP" : "ERR!";
	return state < XVS_TCP_S_LAST ? tcp[state] : "ERR!";
}

__u64 xvs_conn_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (__u64)ts.tv_sec * XVS_NSEC_PER_SEC + (__u64)ts.tv_nsec;
}
