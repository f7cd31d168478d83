// SPDX-License-Identifier: GPL-2.0
/*
 * Connection thresholds in the data plane: a real server becomes OVERLOAD
 * when a connection binds and its connections reach -x, the scheduler
 * then skips it, and releasing connections clears it below -y (or below
 * 3/4 of -x without -y), as IPVS's ip_vs_bind_dest and ip_vs_unbind_dest;
 * an edit clears it when -x becomes 0 or larger (xvs_dp_dest_thresholds,
 * as __ip_vs_update_dest). The rules themselves are unit-tested in
 * tests/unit/test_threshold.c.
 */
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "../unit/test.h"
#include "director.h"
#include "tcp_state.h"

#define VIP "198.18.0.100"

static struct flow flows[16];

/* Flow i: a client port of its own toward VIP:80. */
static struct flow *flow_of(int i)
{
	flows[i] = (struct flow){
		.af = XVS_AF_INET,
		.saddr = DIR_CLIENT4,
		.daddr = VIP,
		.sport = (__u16)(41000 + i),
		.dport = 80,
		.proto = IPPROTO_TCP,
		.tcp_flags = XVS_TCP_SYN,
	};
	return &flows[i];
}

/* A SYN of flow i; the real server it went to, -1 for none. */
static int syn(int i)
{
	struct flow *f = flow_of(i);
	struct pkt in, out;

	pkt_build(&in, f, 0);
	dir_run(&in, &out, dir.eth0);
	return dir_conn_dest(f);
}

/* Runs SYNs first..first+n-1 into got as digits ('-' for none). */
static const char *syns(int first, int n)
{
	static char got[17];

	for (int i = 0; i < n && i < 16; i++) {
		int d = syn(first + i);

		got[i] = d < 0 ? '-' : (char)('0' + d);
		got[i + 1] = 0;
	}
	return got;
}

static int overloaded(__u32 id)
{
	return !!(__atomic_load_n(&xvs_dp_dest_conns_mem(dir.dp, id)->flags,
				  __ATOMIC_RELAXED) &
		  XVS_DEST_CONNS_OVERLOAD);
}

/* Releases flow i's connection: expired by a short timeout, then reaped
 * as the daemon's sweep does. */
static int release(int i)
{
	struct xvs_conn_key k = pkt_key(&flows[i]);

	return xvs_dp_conn_reap(dir.dp, &k, 1);
}

/* rr over real servers 1 and 2 (2 at the head); 2 gets thresholds u, l.
 * SYN_RECV entries expire after a second, for release(). */
static int setup(__u32 u, __u32 l)
{
	if (dir_open())
		return -1;
	dir_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80);
	dir_dest(1, "198.18.0.11", 80, XVS_FWD_DR);
	dir_dest(2, "198.18.0.12", 80, XVS_FWD_DR);
	xvs_dp_dest_thresholds(dir.dp, 2, u, l);
	xvs_dp_config(dir.dp)->tcp_timeout_s[XVS_TCP_S_SYN_RECV] = 1;
	return 0;
}

TEST(threshold_upper_only)
{
	const char *got;

	memset(flows, 0, sizeof(flows));
	if (setup(4, 0))
		return;
	/* rr alternates until 2 holds 4 connections, then skips it */
	got = syns(0, 9);
	CHECK(!strcmp(got, "212121211"), "picks %s, want 212121211", got);
	CHECK(overloaded(2) && !overloaded(1), "OVERLOAD on 2 only");
	/* 3/4 of 4: cleared when 4 * total < 12, at 2 connections */
	sleep(2);
	CHECK(release(0) == 1 && overloaded(2), "3 left: still OVERLOAD");
	CHECK(release(2) == 1 && !overloaded(2), "2 left: cleared");
	got = syns(9, 4);
	CHECK(!strcmp(got, "2121"), "picks %s after the clear, want 2121", got);
	dir_close();
}

TEST(threshold_lower)
{
	const char *got;

	memset(flows, 0, sizeof(flows));
	if (setup(3, 3))
		return;
	got = syns(0, 6);
	CHECK(!strcmp(got, "212121") && overloaded(2),
	      "picks %s, want 212121 and 2 OVERLOAD", got);
	got = syns(6, 2);
	CHECK(!strcmp(got, "11"), "picks %s while OVERLOAD, want 11", got);
	/* below -y 3: cleared by the first release */
	sleep(2);
	CHECK(release(0) == 1 && !overloaded(2), "2 left: below 3, cleared");
	dir_close();
}

TEST(threshold_edit)
{
	memset(flows, 0, sizeof(flows));
	if (setup(2, 0))
		return;
	syns(0, 3);
	CHECK(overloaded(2), "OVERLOAD at 2 connections");
	xvs_dp_dest_thresholds(dir.dp, 2, 2, 0);
	CHECK(overloaded(2), "the same -x keeps it");
	xvs_dp_dest_thresholds(dir.dp, 2, 1, 0);
	CHECK(overloaded(2), "a lower -x keeps it");
	xvs_dp_dest_thresholds(dir.dp, 2, 3, 0);
	CHECK(!overloaded(2), "a larger -x clears it");
	/* 2 connections, u 3: the next bind sets it again */
	CHECK(syn(3) == 1 && syn(4) == 2 && overloaded(2),
	      "the third connection on 2 sets it again");
	xvs_dp_dest_thresholds(dir.dp, 2, 0, 0);
	CHECK(!overloaded(2), "-x 0 clears it");
	CHECK(syn(5) == 1 && syn(6) == 2 && !overloaded(2),
	      "without thresholds it stays clear");
	dir_close();
}
