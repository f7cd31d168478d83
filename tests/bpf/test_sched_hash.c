// SPDX-License-Identifier: GPL-2.0
/*
 * sh, dh, mh, lblc and lblcr in the data plane, under BPF_PROG_TEST_RUN.
 * Every SYN must reach the real server that the unit-tested core pick
 * chooses for the same flow, with the table the data plane was given and
 * the loads it counts; for lblc and lblcr the core runs on its own copy
 * of the cache entry, kept alongside. Also: a cached server whose dest id
 * was reused by another server is not taken for it.
 */
#include <arpa/inet.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "../unit/test.h"
#include "director.h"
#include "sched_lblc.h"
#include "sched_lblcr.h"
#include "sched_mh.h"
#include "sched_sh.h"
#include "tcp_state.h"

#define NDEST 4
#define HOUR_NS (3600ULL * 1000000000ULL)

static struct xvs_sched_load load[NDEST + 1];

static struct flow syn(int af, const char *client, __u16 sport)
{
	struct flow f = {
		.af = af,
		.saddr = client,
		.daddr = af == XVS_AF_INET6 ? "2001:db8::100" : "198.18.0.100",
		.sport = sport,
		.dport = 80,
		.proto = IPPROTO_TCP,
		.tcp_flags = XVS_TCP_SYN,
	};
	return f;
}

/* The dest id the data plane sent f to, 0 when it passed it on. */
static __u32 dataplane_pick(const struct flow *f)
{
	struct pkt in, out;
	int id;

	pkt_build(&in, f, 0);
	if (dir_run(&in, &out, dir.eth0) != XDP_TX)
		return 0;
	id = dir_sent_to(&out);
	return id > 0 ? (__u32)id : 0xbad;
}

/* The dest id the core picks for f (table: what was published; entry:
 * lblc's or lblcr's, the core's copy), 0 for none. */
static __u32 core_pick(const struct flow *f, void *entry)
{
	struct xvs_conn_key key = pkt_key(f);
	struct xvs_locality_in li = {
		.entry = entry,
		.now_ns = 1000 * HOUR_NS,
		.expire_ns = 24 * HOUR_NS,
	};
	struct xvs_sched_in in = {
		.key = &key,
		.flags = dir.sched_flags,
		.table = entry ? (const void *)&li : (const void *)dir_table(),
	};
	__u64 state = xvs_sched_state_init();
	__s32 k;

	dir_loads(load, NDEST);
	k = dir.ops->pick(&dir.list, &state, &in);
	return k >= 0 && (__u32)k < dir.list.n ? dir.list.e[k].dest_id : 0;
}

/* The director's service over real servers 1..4 (list: 4 3 2 1) with
 * weights w[id - 1]. */
static int setup(int af, const int *w)
{
	const char *rs4[] = { "198.18.0.11", "198.18.0.12", "198.18.0.13",
			      "198.18.0.14" };
	const char *rs6[] = { "2001:db8::11", "2001:db8::12", "2001:db8::13",
			      "2001:db8::14" };

	if (dir_open())
		return -1;
	dir_service(af, IPPROTO_TCP, af == XVS_AF_INET6 ? "2001:db8::100"
							: "198.18.0.100",
		    80);
	for (__u32 id = 1; id <= NDEST; id++) {
		dir_dest(id, af == XVS_AF_INET6 ? rs6[id - 1] : rs4[id - 1],
			 80, XVS_FWD_DR);
		dir_dest_weight(id, w[id - 1]);
	}
	return 0;
}

/* n new connections from clients 198.18.<i>.<j> (or 2001:db8::1:<i>),
 * each compared; the number of disagreements, and how many picks each
 * server got in got[]. */
static int compare_picks(int af, int n, void *entry, int *got)
{
	int bad = 0;

	memset(got, 0, (NDEST + 1) * sizeof(*got));
	for (int i = 0; i < n; i++) {
		char client[64];
		struct flow f;
		__u32 want, dp;

		if (af == XVS_AF_INET6)
			snprintf(client, sizeof(client), "2001:db8::1:%x",
				 i + 1);
		else
			snprintf(client, sizeof(client), "198.18.%d.%d",
				 2 + i / 200, i % 200 + 1);
		f = syn(af, client, (__u16)(10000 + i));
		want = core_pick(&f, entry);
		dp = dataplane_pick(&f);
		if (dp != want) {
			if (!bad)
				CHECK(0, "%s: %s:%u went to %u, the core says %u",
				      dir.ops->name, client, f.sport, dp, want);
			bad++;
		}
		got[dp <= NDEST ? dp : 0]++;
	}
	return bad;
}

TEST(sched_hash_dataplane_matches_core)
{
	static const struct {
		const char *sched;
		__u32 flags;
		int af;
	} cases[] = {
		{ "sh", 0, XVS_AF_INET },
		{ "sh", XVS_SH_FLAG_PORT, XVS_AF_INET },
		{ "sh", XVS_SH_FLAG_FALLBACK, XVS_AF_INET },
		{ "sh", XVS_SH_FLAG_PORT | XVS_SH_FLAG_FALLBACK, XVS_AF_INET6 },
		{ "dh", 0, XVS_AF_INET },
		{ "mh", 0, XVS_AF_INET },
		{ "mh", XVS_MH_FLAG_PORT, XVS_AF_INET6 },
		{ "mh", XVS_MH_FLAG_FALLBACK, XVS_AF_INET },
	};
	/* server 3 at weight 0: sh keeps its buckets, which schedule
	 * nothing unless the fallback flag walks on (mh built its table
	 * from these weights: no slots); server 2 OVERLOAD: its buckets and
	 * slots schedule nothing either, unless the fallback walks on */
	const int w[NDEST] = { 3, 1, 0, 2 };
	struct xvs_dest_conns *c;
	int got[NDEST + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (setup(cases[i].af, w))
			return;
		dir_sched(cases[i].sched, cases[i].flags);
		c = xvs_dp_dest_conns_mem(dir.dp, 2);
		if (c)
			c->flags |= XVS_DEST_CONNS_OVERLOAD;
		CHECK(!compare_picks(cases[i].af, 120, NULL, got),
		      "%s flags %u", cases[i].sched, cases[i].flags);
		/* never the weight-0 or OVERLOAD server; 1 and 4 share;
		 * without fallback, the unavailable servers' clients go to
		 * the kernel */
		if (strcmp(cases[i].sched, "dh")) {
			CHECK(!got[2] && !got[3] && got[1] && got[4],
			      "%s flags %u: %d %d %d %d", cases[i].sched,
			      cases[i].flags, got[1], got[2], got[3], got[4]);
			CHECK(!got[0] == !!(cases[i].flags & XVS_SCHED_FLAG_1),
			      "%s flags %u: %d passed", cases[i].sched,
			      cases[i].flags, got[0]);
		}
		dir_close();
	}
}

/* lblc and lblcr along a sequence of SYNs to the VIP: each new connection
 * is active (SYN_RECV), so the cached server gets overloaded, the cache
 * moves, and (lblcr) the set grows, exactly as the core says. */
TEST(sched_locality_dataplane_matches_core)
{
	const int w[NDEST] = { 1, 2, 1, 1 };
	struct xvs_lblc_entry lblc = { .dest.dest_id = XVS_LOCALITY_NONE };
	struct xvs_lblcr_entry lblcr = { .n = 0 };
	int got[NDEST + 1];

	if (setup(XVS_AF_INET, w))
		return;
	dir_sched("lblc", 0);
	CHECK(!compare_picks(XVS_AF_INET, 40, &lblc, got), "lblc");
	CHECK(got[1] + got[2] + got[3] + got[4] == 40 && got[2] > 1,
	      "lblc: %d %d %d %d", got[1], got[2], got[3], got[4]);
	dir_close();

	if (setup(XVS_AF_INET, w))
		return;
	dir_sched("lblcr", 0);
	CHECK(!compare_picks(XVS_AF_INET, 40, &lblcr, got), "lblcr");
	CHECK(lblcr.n > 1, "lblcr: the set grew to %u", lblcr.n);
	dir_close();
}

/* A cached server deleted, its id given to another server: the cache
 * entry names the old server and must not send the destination to the
 * new one. The newcomer has some inactive connections, not enough to be
 * overloaded: a wrongly kept cache would still use it, wlc takes the
 * idle server 3. */
TEST(sched_locality_reused_dest_id)
{
	const int w[NDEST] = { 1, 1, 1, 1 };
	struct flow f = syn(XVS_AF_INET, "198.18.2.1", 10000);
	struct xvs_dest_conns *c;
	__u32 first;

	for (int r = 0; r < 2; r++) {
		if (setup(XVS_AF_INET, w))
			return;
		dir_sched(r ? "lblcr" : "lblc", 0);
		first = dataplane_pick(&f); /* 4, the list head */
		dir_dest_del(first);
		dir_dest(first, "198.18.0.15", 80, XVS_FWD_DR);
		dir_dest_gen(first, 99);
		xvs_dp_dest_conns_reset(dir.dp, first);
		c = xvs_dp_dest_conns_mem(dir.dp, first);
		if (c)
			c->inactconns = 10;
		f.sport++;
		CHECK(first == 4 && dataplane_pick(&f) == 3,
		      "%s: first %u, then %u (want 4, then 3)",
		      dir.ops->name, first, dataplane_pick(&f));
		dir_close();
	}
}
