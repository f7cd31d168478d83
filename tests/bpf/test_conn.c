// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table under BPF_PROG_TEST_RUN: IPVS's states packet by
 * packet (DR uses the INPUT-ONLY rows, NAT the INPUT rows), the entry's
 * timeout after each, ActiveConn/InActConn in the dest_conns map after
 * each, conn_reuse_mode (a SYN on TIME_WAIT or CLOSE is scheduled anew,
 * on FIN_WAIT it is not), UDP's one inactive state, a --set timeout
 * applying at the next packet, expiry met by a packet and by the sweep
 * (with the count released exactly once), and a deleted server's entry.
 */
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "../unit/test.h"
#include "director.h"
#include "sweep.h"
#include "tcp_state.h"

#define VIP "198.18.0.100"
#define RS1 "198.18.0.11"
#define RS2 "198.18.0.12"

#define SYN XVS_TCP_SYN
#define ACK XVS_TCP_ACK
#define FIN XVS_TCP_FIN
#define RST XVS_TCP_RST

static struct flow flow(__u8 proto, __u16 sport, __u16 dport, __u8 flags)
{
	struct flow f = {
		.af = XVS_AF_INET,
		.saddr = DIR_CLIENT4,
		.daddr = VIP,
		.sport = sport,
		.dport = dport,
		.proto = proto,
		.tcp_flags = flags,
	};
	return f;
}

/* One packet of f with these flags; returns the verdict. */
static int pkt_send(struct flow *f, __u8 flags)
{
	struct pkt in, out;

	f->tcp_flags = flags;
	pkt_build(&in, f, flags & SYN ? 0 : 10);
	return dir_run(&in, &out, dir.eth0);
}

/* "STATE timeout active/inactive" of f's entry and dest id's counts. */
static const char *conn_desc(const struct flow *f, __u32 id)
{
	static char buf[96];
	struct xvs_conn_key k = pkt_key(f);
	__u32 a, i;
	struct xvs_conn c;

	xvs_dp_dest_conns(dir.dp, id, &a, &i);
	if (xvs_dp_conn_lookup(dir.dp, &k, &c))
		snprintf(buf, sizeof(buf), "none %u/%u", a, i);
	else
		snprintf(buf, sizeof(buf), "%s %u %u/%u",
			 xvs_conn_state_name(f->proto, c.state), c.timeout_s,
			 a, i);
	return buf;
}

/* A TCP service on VIP:80, rr, with real servers 1 and 2 (2 is the
 * list head, so it takes the first connection). */
static int setup(__u8 fwd, __u8 proto)
{
	if (dir_open())
		return -1;
	dir_service(XVS_AF_INET, proto, VIP, 80);
	dir_dest(1, RS1, 80, fwd);
	dir_dest(2, RS2, 80, fwd);
	if (fwd == XVS_FWD_NAT)
		dir_nat_dests(2);
	return 0;
}

#define STEP(f, flags, id, want)                                           \
	do {                                                               \
		int v_ = pkt_send(f, flags);                                   \
		const char *got_ = conn_desc(f, id);                       \
                                                                           \
		CHECK(v_ == XDP_TX && !strcmp(got_, want),                 \
		      "%s: verdict %d, got '%s', want '%s'", #flags, v_,   \
		      got_, want);                                         \
	} while (0)

TEST(conn_dr_states_and_counts)
{
	struct flow f = flow(IPPROTO_TCP, 40000, 80, 0);

	if (setup(XVS_FWD_DR, IPPROTO_TCP))
		return;
	STEP(&f, SYN, 2, "SYN_RECV 60 1/0");
	STEP(&f, ACK, 2, "ESTABLISHED 900 1/0");
	STEP(&f, ACK | 0x08, 2, "ESTABLISHED 900 1/0");
	STEP(&f, FIN | ACK, 2, "FIN_WAIT 120 0/1");
	STEP(&f, ACK, 2, "FIN_WAIT 120 0/1");
	/* conn_reuse_mode 1: FIN_WAIT is not reused, the SYN stays on rs2
	 * and INPUT-ONLY's syn row takes the entry back to SYN_RECV */
	STEP(&f, SYN, 2, "SYN_RECV 60 1/0");
	CHECK(dir_counters().conn_reused == 0 && dir_counters().conn_new == 1,
	      "a SYN on FIN_WAIT is not scheduled anew");
	STEP(&f, ACK, 2, "ESTABLISHED 900 1/0");
	STEP(&f, RST, 2, "CLOSE 10 0/1");
	dir_close();
}

TEST(conn_reuse_time_wait_and_close)
{
	struct flow f = flow(IPPROTO_TCP, 40001, 80, 0);
	__u32 a, i;

	if (setup(XVS_FWD_DR, IPPROTO_TCP))
		return;
	STEP(&f, SYN, 2, "SYN_RECV 60 1/0");
	STEP(&f, FIN, 2, "TIME_WAIT 120 0/1");
	/* the same ports again: a new connection, scheduled anew (rr: rs1),
	 * and the old entry's count released */
	STEP(&f, SYN, 1, "SYN_RECV 60 1/0");
	xvs_dp_dest_conns(dir.dp, 2, &a, &i);
	CHECK(dir_conn_dest(&f) == 1 && a == 0 && i == 0,
	      "rescheduled to rs1 (%d), rs2's count released (%u/%u)",
	      dir_conn_dest(&f), a, i);
	STEP(&f, ACK, 1, "ESTABLISHED 900 1/0");
	STEP(&f, RST, 1, "CLOSE 10 0/1");
	STEP(&f, SYN, 2, "SYN_RECV 60 1/0");
	xvs_dp_dest_conns(dir.dp, 1, &a, &i);
	CHECK(dir_conn_dest(&f) == 2 && a == 0 && i == 0,
	      "a SYN on CLOSE too: to rs2 (%d), rs1 released (%u/%u)",
	      dir_conn_dest(&f), a, i);
	CHECK(dir_counters().conn_reused == 2 && dir_counters().conn_new == 3,
	      "counted: %llu reused, %llu new",
	      (unsigned long long)dir_counters().conn_reused,
	      (unsigned long long)dir_counters().conn_new);
	dir_close();
}

TEST(conn_nat_uses_input_rows)
{
	struct flow f = flow(IPPROTO_TCP, 40002, 80, 0);
	/* (what NAT does to the frames is test_nat.c's business) */
	const __u8 flags[] = { SYN, ACK, FIN | ACK, ACK };
	const char *const want[] = { "SYN_RECV 60 1/0", "ESTABLISHED 900 1/0",
				     "CLOSE_WAIT 60 0/1", "CLOSE_WAIT 60 0/1" };

	if (setup(XVS_FWD_NAT, IPPROTO_TCP))
		return;
	/* INPUT's fin row: the client closing first is CLOSE_WAIT, where
	 * DR's INPUT-ONLY row gives FIN_WAIT */
	for (int k = 0; k < 4; k++) {
		pkt_send(&f, flags[k]);
		CHECK(!strcmp(conn_desc(&f, 2), want[k]), "got '%s', want '%s'",
		      conn_desc(&f, 2), want[k]);
	}
	dir_close();
}

TEST(conn_udp_one_inactive_state)
{
	struct flow f = flow(IPPROTO_UDP, 5000, 80, 0);

	if (setup(XVS_FWD_DR, IPPROTO_UDP))
		return;
	STEP(&f, 0, 2, "UDP 300 0/1");
	STEP(&f, 0, 2, "UDP 300 0/1");
	f.sport = 5001;
	STEP(&f, 0, 1, "UDP 300 0/1");
	dir_close();
}

TEST(conn_set_timeout_applies_at_next_packet)
{
	struct flow f = flow(IPPROTO_TCP, 40003, 80, 0);
	struct xvs_dp_config *cfg;

	if (setup(XVS_FWD_DR, IPPROTO_TCP))
		return;
	cfg = xvs_dp_config(dir.dp);
	CHECK(cfg->tcp_timeout_s[XVS_TCP_S_ESTABLISHED] == 900 &&
		      cfg->tcp_timeout_s[XVS_TCP_S_NONE] == 2 &&
		      cfg->tcp_timeout_s[XVS_TCP_S_CLOSE] == 10 &&
		      cfg->udp_timeout_s == 300,
	      "the loaded data plane starts with IPVS's timeouts");
	STEP(&f, SYN, 2, "SYN_RECV 60 1/0");
	STEP(&f, ACK, 2, "ESTABLISHED 900 1/0");
	cfg->tcp_timeout_s[XVS_TCP_S_ESTABLISHED] = 5;
	CHECK(!strcmp(conn_desc(&f, 2), "ESTABLISHED 900 1/0"),
	      "an entry keeps its timeout until its next packet");
	STEP(&f, ACK, 2, "ESTABLISHED 5 1/0");
	dir_close();
}

TEST(conn_expiry_by_packet_and_by_sweep)
{
	struct flow a = flow(IPPROTO_TCP, 41000, 80, 0);
	struct flow b = flow(IPPROTO_TCP, 41001, 80, 0);
	struct flow live = flow(IPPROTO_TCP, 41002, 80, 0);
	struct xvs_global_stats gs;
	struct xvs_sweep sw;
	__u32 a1, i1, a2, i2;
	int removed;

	if (setup(XVS_FWD_DR, IPPROTO_TCP))
		return;
	xvs_dp_config(dir.dp)->tcp_timeout_s[XVS_TCP_S_ESTABLISHED] = 1;
	pkt_send(&a, SYN);  /* to rs2 */
	pkt_send(&b, SYN);  /* to rs1 */
	pkt_send(&live, SYN); /* to rs2, stays in SYN_RECV (60 s) */
	pkt_send(&a, ACK);
	pkt_send(&b, ACK);
	CHECK(!strcmp(conn_desc(&a, 2), "ESTABLISHED 1 2/0") &&
		      !strcmp(conn_desc(&b, 1), "ESTABLISHED 1 1/0"),
	      "two connections with a 1 s timeout: %s", conn_desc(&a, 2));
	sleep(2); /* twice the timeout: coarse clock and all */

	/* a's next packet: a SYN finds the dead entry, which is removed
	 * (count released) and the SYN scheduled anew (rr: rs1) */
	CHECK(pkt_send(&a, SYN) == XDP_TX && dir_conn_dest(&a) == 1,
	      "the dead flow's next SYN is a new connection (to %d)",
	      dir_conn_dest(&a));
	gs = dir_counters();
	CHECK(gs.conn_expired == 1 && gs.conn_new == 4,
	      "counted: %llu expired, %llu new",
	      (unsigned long long)gs.conn_expired,
	      (unsigned long long)gs.conn_new);

	/* b is left to the sweep, which must not touch a's new entry or
	 * the live one */
	xvs_sweep_init(&sw, dir.dp);
	removed = xvs_sweep_step(&sw, XVS_SWEEP_BUDGET);
	CHECK(removed == 1 && sw.passes == 1,
	      "the sweep removed %d entry in %llu pass", removed,
	      (unsigned long long)sw.passes);
	xvs_dp_dest_conns(dir.dp, 1, &a1, &i1);
	xvs_dp_dest_conns(dir.dp, 2, &a2, &i2);
	CHECK(!strcmp(conn_desc(&b, 1), "none 1/0") && a1 == 1 && i1 == 0 &&
		      a2 == 1 && i2 == 0,
	      "b is gone, each count released once: rs1 %u/%u (a's new "
	      "connection), rs2 %u/%u (the live one)",
	      a1, i1, a2, i2);
	CHECK(!strcmp(conn_desc(&live, 2), "SYN_RECV 60 1/0") &&
		      !strcmp(conn_desc(&a, 1), "SYN_RECV 60 1/0"),
	      "live entries stay");
	CHECK(xvs_sweep_step(&sw, XVS_SWEEP_BUDGET) == 0,
	      "a second pass finds nothing");
	/* a non-SYN of a dead flow is not scheduled, as in IPVS */
	xvs_dp_config(dir.dp)->tcp_timeout_s[XVS_TCP_S_SYN_RECV] = 1;
	pkt_send(&live, SYN);
	sleep(2);
	CHECK(pkt_send(&live, ACK) == XDP_PASS &&
		      !strcmp(conn_desc(&live, 2), "none 0/0"),
	      "an ACK on a dead entry goes to the kernel, count released: %s",
	      conn_desc(&live, 2));
	dir_close();
}

TEST(conn_sweep_removes_and_releases)
{
	struct xvs_sweep sw;
	struct flow f;
	__u32 a, i1, i2;
	int total = 0, steps = 0, rc;

	if (setup(XVS_FWD_DR, IPPROTO_UDP))
		return;
	xvs_dp_config(dir.dp)->udp_timeout_s = 1;
	for (__u16 p = 0; p < 600; p++) {
		f = flow(IPPROTO_UDP, (__u16)(20000 + p), 80, 0);
		pkt_send(&f, 0);
	}
	xvs_dp_dest_conns(dir.dp, 1, &a, &i1);
	xvs_dp_dest_conns(dir.dp, 2, &a, &i2);
	CHECK(i1 == 300 && i2 == 300, "600 UDP flows, InActConn %u + %u", i1,
	      i2);
	sleep(2);
	xvs_sweep_init(&sw, dir.dp);
	/* steps of one lookup batch each, until a pass completes */
	do {
		rc = xvs_sweep_step(&sw, 1);
		total += rc > 0 ? rc : 0;
		steps++;
	} while (rc >= 0 && !sw.passes && steps < 100);
	xvs_dp_dest_conns(dir.dp, 1, &a, &i1);
	xvs_dp_dest_conns(dir.dp, 2, &a, &i2);
	CHECK(rc >= 0 && total == 600 && i1 == 0 && i2 == 0,
	      "%d removed in %d steps, InActConn %u + %u", total, steps, i1,
	      i2);
	dir_close();
}

TEST(conn_deleted_server_keeps_new_counts)
{
	struct flow f = flow(IPPROTO_TCP, 42000, 80, 0);
	struct xvs_dest_dp d = {
		.af = XVS_AF_INET,
		.fwd = XVS_FWD_DR,
		.port = htons(80),
		.gen = 99, /* a new generation on the same id */
		.flags = XVS_DEST_F_RESOLVED,
	};
	__u32 a, i;

	if (setup(XVS_FWD_DR, IPPROTO_TCP))
		return;
	STEP(&f, SYN, 2, "SYN_RECV 60 1/0");
	/* rs2 deleted, its id reused by a new server (counts zeroed first,
	 * as xvsd does) */
	d.addr = pkt_addr(XVS_AF_INET, "198.18.0.13");
	d.ifindex = (__u32)dir.eth0;
	dir_dest_mac(2, d.dmac);
	memcpy(d.smac, MAC_DIRECTOR, 6);
	xvs_dp_dest_conns_reset(dir.dp, 2);
	xvs_dp_dest_set(dir.dp, 2, &d);
	CHECK(pkt_send(&f, ACK) == XDP_DROP,
	      "the deleted server's flow is dropped");
	xvs_dp_dest_conns(dir.dp, 2, &a, &i);
	CHECK(!strcmp(conn_desc(&f, 2), "none 0/0") && a == 0 && i == 0,
	      "its entry removed, the new server's counts untouched "
	      "(%u/%u)", a, i);
	dir_close();
}

TEST(conn_full_table_evictions_counted)
{
	struct xvs_global_stats gs;
	struct flow f;
	int fwd = 0;

	if (setup(XVS_FWD_DR, IPPROTO_UDP))
		return;
	/* the director's table holds 1024: 76 more flows than that */
	for (__u16 p = 0; p < 1100; p++) {
		f = flow(IPPROTO_UDP, (__u16)(10000 + p), 80, 0);
		fwd += pkt_send(&f, 0) == XDP_TX;
	}
	gs = dir_counters();
	CHECK(fwd == 1100 && gs.conn_new == 1100 && gs.conn_evicted == 76,
	      "every flow forwarded (%d); the %llu inserts into a full table "
	      "counted as evictions",
	      fwd, (unsigned long long)gs.conn_evicted);
	dir_close();
}
