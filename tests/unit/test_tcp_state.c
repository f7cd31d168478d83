// SPDX-License-Identifier: GPL-2.0
/*
 * core/tcp_state.h against IPVS: the transition table row by row, written
 * here again in IPVS's own notation (ip_vs_proto_tcp.c, tcp_states[]) so
 * that a slip in either copy shows; flag priority; which states count as
 * active and how a connection's count moves; timeouts; conn_reuse_mode;
 * expiry arithmetic.
 */
#include <string.h>
#include "tcp_state.h"
#include "test.h"

#define TCP XVS_PROTO_TCP
#define UDP 17

static const char *const abbrev[XVS_TCP_S_LAST] = {
	"sNO", "sES", "sSS", "sSR", "sFW", "sTW",
	"sCL", "sCW", "sLA", "sLI", "sSA",
};

static int state_of(const char *a)
{
	for (int s = 0; s < XVS_TCP_S_LAST; s++)
		if (!strncmp(a, abbrev[s], 3))
			return s;
	return -1;
}

/* tcp_states[] of ip_vs_proto_tcp.c, rows as IPVS prints them; columns
 * sNO sES sSS sSR sFW sTW sCL sCW sLA sLI sSA. */
static const struct {
	int dir;
	__u8 flag;
	const char *next;
} ipvs_rows[] = {
	{ XVS_DIR_INPUT, XVS_TCP_SYN,
	  "sSR sES sES sSR sSR sSR sSR sSR sSR sSR sSR" },
	{ XVS_DIR_INPUT, XVS_TCP_FIN,
	  "sCL sCW sSS sTW sTW sTW sCL sCW sLA sLI sTW" },
	{ XVS_DIR_INPUT, XVS_TCP_ACK,
	  "sES sES sSS sES sFW sTW sCL sCW sCL sLI sES" },
	{ XVS_DIR_INPUT, XVS_TCP_RST,
	  "sCL sCL sCL sSR sCL sCL sCL sCL sLA sLI sSR" },
	{ XVS_DIR_OUTPUT, XVS_TCP_SYN,
	  "sSS sES sSS sSR sSS sSS sSS sSS sSS sLI sSR" },
	{ XVS_DIR_OUTPUT, XVS_TCP_FIN,
	  "sTW sFW sSS sTW sFW sTW sCL sTW sLA sLI sTW" },
	{ XVS_DIR_OUTPUT, XVS_TCP_ACK,
	  "sES sES sSS sES sFW sTW sCL sCW sLA sES sES" },
	{ XVS_DIR_OUTPUT, XVS_TCP_RST,
	  "sCL sCL sSS sCL sCL sTW sCL sCL sCL sCL sCL" },
	{ XVS_DIR_INPUT_ONLY, XVS_TCP_SYN,
	  "sSR sES sES sSR sSR sSR sSR sSR sSR sSR sSR" },
	{ XVS_DIR_INPUT_ONLY, XVS_TCP_FIN,
	  "sCL sFW sSS sTW sFW sTW sCL sCW sLA sLI sTW" },
	{ XVS_DIR_INPUT_ONLY, XVS_TCP_ACK,
	  "sES sES sSS sES sFW sTW sCL sCW sCL sLI sES" },
	{ XVS_DIR_INPUT_ONLY, XVS_TCP_RST,
	  "sCL sCL sCL sSR sCL sCL sCL sCL sLA sLI sCL" },
};

TEST(tcp_state_table_as_ipvs)
{
	for (size_t r = 0; r < sizeof(ipvs_rows) / sizeof(ipvs_rows[0]); r++) {
		char got[64] = "";
		int bad = -1;

		for (int s = 0; s < XVS_TCP_S_LAST; s++) {
			int want = state_of(ipvs_rows[r].next + 4 * s);
			__u8 next = xvs_tcp_next(ipvs_rows[r].dir, (__u8)s,
						 ipvs_rows[r].flag);

			strcat(got, abbrev[next < XVS_TCP_S_LAST ? next : 0]);
			strcat(got, " ");
			if (next != want && bad < 0)
				bad = s;
		}
		CHECK(bad < 0, "row %zu (dir %d, flag 0x%02x): got %s, want %s",
		      r, ipvs_rows[r].dir, ipvs_rows[r].flag, got,
		      ipvs_rows[r].next);
	}
}

TEST(tcp_state_flag_priority)
{
	const struct {
		__u8 flags;
		__u8 from, want;
		const char *what;
	} t[] = {
		{ XVS_TCP_RST | XVS_TCP_SYN, XVS_TCP_S_NONE, XVS_TCP_S_CLOSE,
		  "rst before syn" },
		{ XVS_TCP_SYN | XVS_TCP_FIN, XVS_TCP_S_ESTABLISHED,
		  XVS_TCP_S_ESTABLISHED, "syn before fin" },
		{ XVS_TCP_FIN | XVS_TCP_ACK, XVS_TCP_S_ESTABLISHED,
		  XVS_TCP_S_CLOSE_WAIT, "fin before ack" },
		{ XVS_TCP_SYN | XVS_TCP_ACK, XVS_TCP_S_NONE,
		  XVS_TCP_S_SYN_RECV, "syn before ack" },
		{ 0, XVS_TCP_S_ESTABLISHED, XVS_TCP_S_CLOSE,
		  "no flag closes" },
		{ 0x08, XVS_TCP_S_ESTABLISHED, XVS_TCP_S_CLOSE,
		  "PSH alone closes" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		__u8 got = xvs_tcp_next(XVS_DIR_INPUT, t[i].from, t[i].flags);

		CHECK(got == t[i].want, "%s: got %u, want %u", t[i].what, got,
		      t[i].want);
	}
	CHECK(xvs_tcp_next(XVS_DIR_INPUT, XVS_TCP_S_LAST, XVS_TCP_ACK) ==
		      XVS_TCP_S_CLOSE &&
	      xvs_tcp_next(3, XVS_TCP_S_NONE, XVS_TCP_ACK) == XVS_TCP_S_CLOSE,
	      "a state or direction out of range closes");
}

TEST(tcp_state_active_states)
{
	char got[128] = "";

	for (int s = 0; s < XVS_TCP_S_LAST; s++)
		if (xvs_tcp_state_active((__u8)s)) {
			strcat(got, xvs_conn_state_name(TCP, (__u8)s));
			strcat(got, " ");
		}
	CHECK(!strcmp(got, "ESTABLISHED SYN_SENT SYN_RECV SYNACK "),
	      "active: %s", got);
}

/* A connection as IPVS starts one: NONE, inactive, NOOUTPUT unless NAT. */
static __u32 new_conn(int nat)
{
	struct xvs_conn c = { .sf = 0 };

	c.state = XVS_TCP_S_NONE;
	c.flags = XVS_CONN_F_INACTIVE | (nat ? 0 : XVS_CONN_F_NOOUTPUT);
	return c.sf;
}

/* Whole connections, packet by packet: (direction, flags) and the state
 * and count class (A active, I inactive) after each. */
#define IN XVS_DIR_INPUT
#define OUT XVS_DIR_OUTPUT
static const struct {
	const char *what;
	int nat; /* 0: DR/TUN, NOOUTPUT set */
	int n;
	int dir[8];
	__u8 flags[8];
	const char *want;
} lifecycles[] = {
	{ "DR, client side only (INPUT-ONLY rows)", 0, 5,
	  { IN, IN, IN, IN, IN },
	  { XVS_TCP_SYN, XVS_TCP_ACK, XVS_TCP_ACK | 0x08,
	    XVS_TCP_FIN | XVS_TCP_ACK, XVS_TCP_ACK },
	  "SYN_RECV/A ESTABLISHED/A ESTABLISHED/A FIN_WAIT/I FIN_WAIT/I " },
	{ "NAT, server closes first", 1, 6, { IN, OUT, IN, OUT, IN, IN },
	  { XVS_TCP_SYN, XVS_TCP_SYN | XVS_TCP_ACK, XVS_TCP_ACK,
	    XVS_TCP_FIN | XVS_TCP_ACK, XVS_TCP_ACK,
	    XVS_TCP_FIN | XVS_TCP_ACK },
	  "SYN_RECV/A SYN_RECV/A ESTABLISHED/A FIN_WAIT/I FIN_WAIT/I "
	  "TIME_WAIT/I " },
	{ "NAT, client closes first (INPUT's fin row)", 1, 6,
	  { IN, OUT, IN, OUT, IN, IN },
	  { XVS_TCP_SYN, XVS_TCP_SYN | XVS_TCP_ACK, XVS_TCP_ACK, XVS_TCP_ACK,
	    XVS_TCP_FIN | XVS_TCP_ACK, XVS_TCP_ACK },
	  "SYN_RECV/A SYN_RECV/A ESTABLISHED/A ESTABLISHED/A CLOSE_WAIT/I "
	  "CLOSE_WAIT/I " },
};

/* Each lifecycle's states, and its count moves: a new connection counts
 * inactive, every change of class moves it; a closed one ends inactive. */
TEST(tcp_state_lifecycles_and_counts)
{
	for (size_t k = 0; k < sizeof(lifecycles) / sizeof(lifecycles[0]);
	     k++) {
		struct xvs_conn c = { .sf = new_conn(lifecycles[k].nat) };
		int active = 0, inactive = 1;
		char got[256] = "";

		for (int i = 0; i < lifecycles[k].n; i++) {
			struct xvs_conn d = { .sf = xvs_conn_step(
						      c.sf, TCP,
						      lifecycles[k].dir[i],
						      lifecycles[k].flags[i]) };

			if ((c.flags ^ d.flags) & XVS_CONN_F_INACTIVE) {
				int to_inactive =
					d.flags & XVS_CONN_F_INACTIVE;

				active += to_inactive ? -1 : 1;
				inactive += to_inactive ? 1 : -1;
			}
			c = d;
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 "%s/%c ", xvs_conn_state_name(TCP, c.state),
				 c.flags & XVS_CONN_F_INACTIVE ? 'I' : 'A');
		}
		CHECK(!strcmp(got, lifecycles[k].want), "%s: got %s",
		      lifecycles[k].what, got);
		CHECK(active == 0 && inactive == 1,
		      "%s: counted inactive at the end (%d, %d)",
		      lifecycles[k].what, active, inactive);
	}
}

TEST(tcp_state_nooutput_cleared_by_a_reply)
{
	struct xvs_conn c = { .sf = new_conn(0) };

	c.sf = xvs_conn_step(c.sf, TCP, XVS_DIR_INPUT, XVS_TCP_SYN);
	c.sf = xvs_conn_step(c.sf, TCP, XVS_DIR_OUTPUT, XVS_TCP_ACK);
	CHECK(!(c.flags & XVS_CONN_F_NOOUTPUT) &&
		      c.state == XVS_TCP_S_ESTABLISHED,
	      "an OUTPUT packet clears NOOUTPUT and uses the OUTPUT row "
	      "(flags 0x%x, state %u)",
	      c.flags, c.state);
	c.sf = xvs_conn_step(c.sf, TCP, XVS_DIR_INPUT, XVS_TCP_FIN);
	CHECK(c.state == XVS_TCP_S_CLOSE_WAIT,
	      "then INPUT packets use the INPUT row (state %u)", c.state);
}

TEST(tcp_state_udp_one_state)
{
	struct xvs_conn c = { .sf = new_conn(0) };
	__u32 after = xvs_conn_step(c.sf, UDP, XVS_DIR_INPUT, 0);

	CHECK(after == c.sf, "UDP keeps its word (0x%x -> 0x%x)", c.sf, after);
	CHECK(!strcmp(xvs_conn_state_name(UDP, XVS_UDP_STATE), "UDP"),
	      "named UDP");
	CHECK(!strcmp(xvs_conn_state_name(TCP, XVS_TCP_S_LAST), "ERR!") &&
		      !strcmp(xvs_conn_state_name(TCP, XVS_TCP_S_TIME_WAIT),
			      "TIME_WAIT"),
	      "TCP names as IPVS, ERR! out of range");
}

TEST(tcp_state_timeouts)
{
	static const __u32 ipvs[XVS_TCP_S_LAST] = {
		2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120,
	};
	struct xvs_dp_config cfg = {
		.tcp_timeout_s = XVS_TCP_TIMEOUTS,
		.udp_timeout_s = XVS_UDP_TIMEOUT_S,
	};
	int same = 1;

	for (int s = 0; s < XVS_TCP_S_LAST; s++)
		same &= xvs_conn_timeout(&cfg, TCP, (__u8)s) == ipvs[s];
	CHECK(same, "TCP defaults are IPVS's tcp_timeouts");
	CHECK(xvs_conn_timeout(&cfg, UDP, XVS_UDP_STATE) == 300,
	      "UDP default 300 s");
	cfg.tcp_timeout_s[XVS_TCP_S_ESTABLISHED] = 7;
	CHECK(xvs_conn_timeout(&cfg, TCP, XVS_TCP_S_ESTABLISHED) == 7 &&
		      xvs_conn_timeout(&cfg, TCP, XVS_TCP_S_FIN_WAIT) == 120,
	      "a changed timeout applies to its state only");
}

TEST(tcp_state_conn_reuse_mode)
{
	struct xvs_conn c = { .sf = 0 };
	int got[4];

	c.state = XVS_TCP_S_TIME_WAIT;
	got[0] = xvs_conn_reusable(TCP, c.sf, XVS_CONN_REUSE_MODE);
	c.state = XVS_TCP_S_CLOSE;
	got[1] = xvs_conn_reusable(TCP, c.sf, XVS_CONN_REUSE_MODE);
	c.state = XVS_TCP_S_FIN_WAIT;
	c.flags = XVS_CONN_F_NOOUTPUT;
	got[2] = xvs_conn_reusable(TCP, c.sf, XVS_CONN_REUSE_MODE);
	got[3] = xvs_conn_reusable(TCP, c.sf, 3);
	CHECK(got[0] && got[1], "a SYN on TIME_WAIT or CLOSE starts anew");
	CHECK(!got[2] && got[3],
	      "FIN_WAIT of DR/TUN only with bit 2, off by default");
	c.flags = 0;
	CHECK(!xvs_conn_reusable(TCP, c.sf, 3),
	      "bit 2 needs NOOUTPUT (NAT sees replies)");
	c.state = XVS_TCP_S_ESTABLISHED;
	CHECK(!xvs_conn_reusable(TCP, c.sf, 3) &&
		      !xvs_conn_reusable(UDP, 0, 3) &&
		      !xvs_conn_reusable(TCP, c.sf, 0),
	      "never for ESTABLISHED, UDP, or with conn_reuse_mode 0");
}

TEST(tcp_state_expiry)
{
	const __u64 s = XVS_NSEC_PER_SEC;
	struct xvs_conn c = { .last_seen_ns = 10 * s, .timeout_s = 5 };

	CHECK(!xvs_conn_expired(&c, 15 * s) && xvs_conn_expired(&c, 15 * s + 1),
	      "dead only once idle longer than the timeout");
	CHECK(!xvs_conn_expired(&c, 9 * s),
	      "a last_seen after our now is not dead");
	CHECK(xvs_conn_expires(&c, 10 * s) == 5 &&
		      xvs_conn_expires(&c, 14 * s + s / 2) == 0 &&
		      xvs_conn_expires(&c, 20 * s) == 0,
	      "whole seconds left: %u %u %u", xvs_conn_expires(&c, 10 * s),
	      xvs_conn_expires(&c, 14 * s + s / 2),
	      xvs_conn_expires(&c, 20 * s));
}
