// SPDX-License-Identifier: GPL-2.0
/*
 * lblc and lblcr against IPVS's ip_vs_lblc.c and ip_vs_lblcr.c, with
 * hand-computed expectations: the cache kept, the cache replaced (weight
 * 0, deleted, overloaded only when some other server is light, expired),
 * the OVERLOAD flag that only wlc's fallback skips, lblcr's least loaded
 * member (newest first on ties), its growth, its 24-hour shrink and its
 * size limit. Servers are named by letters: list position 0 is 'A', dest
 * id 1; loads are set per server.
 */
#include <string.h>
#include "sched_lblc.h"
#include "sched_lblcr.h"
#include "test.h"

#define NDEST 20
#define HOUR (3600ULL * 1000000000ULL)
#define EXPIRE (24 * HOUR)

static struct xvs_sched_list list;
static struct xvs_sched_load load[NDEST + 2];
static struct xvs_lblc_entry lblc;
static struct xvs_lblcr_entry lblcr;
static __u64 now = 1000 * HOUR;

/* Servers "ABC..." with these weights, idle; empty caches. */
static void setup(const char *names, const int *w)
{
	memset(&list, 0, sizeof(list));
	memset(load, 0, sizeof(load));
	list.n = (__u32)strlen(names);
	for (__u32 i = 0; i < list.n; i++) {
		list.e[i].dest_id = i + 1;
		list.e[i].weight = w[i];
	}
	xvs_sched_list_finish(&list);
	xvs_sched_load_install(load, NDEST + 2);
	memset(&lblc, 0, sizeof(lblc));
	lblc.dest.dest_id = XVS_LOCALITY_NONE;
	memset(&lblcr, 0, sizeof(lblcr));
}

/* Server c ('A'..) has act active and inact inactive connections. */
static void conns(char c, __u32 act, __u32 inact)
{
	load[c - 'A' + 1].activeconns = act;
	load[c - 'A' + 1].inactconns = inact;
}

static void overload_flag(char c, int on)
{
	load[c - 'A' + 1].flags = on ? XVS_DEST_LOAD_OVERLOAD : 0;
}

static char pick(const struct xvs_sched_ops *ops, void *entry)
{
	struct xvs_locality_in li = {
		.entry = entry,
		.now_ns = now,
		.expire_ns = EXPIRE,
	};
	struct xvs_sched_in in = { .table = &li };
	__u64 state = xvs_sched_state_init();
	__s32 k = ops->pick(&list, &state, &in);

	return k < 0 ? '-' : k < (__s32)list.n ? (char)('A' + k) : '?';
}

/* The cached server of lblc, '-' for none. */
static char lblc_cached(void)
{
	__u32 id = lblc.dest.dest_id;

	return id == XVS_LOCALITY_NONE ? '-' : (char)('A' + id - 1);
}

/* lblcr's set, oldest first, as letters. */
static const char *lblcr_set(void)
{
	static char s[XVS_LBLCR_SET_MAX + 1];
	__u32 i;

	for (i = 0; i < lblcr.n && i < XVS_LBLCR_SET_MAX; i++)
		s[i] = (char)('A' + lblcr.set[i].dest_id - 1);
	s[i] = 0;
	return s;
}

TEST(sched_lblc_cache)
{
	setup("ABC", (int[]){ 1, 1, 1 });
	conns('A', 1, 0);
	/* No entry: wlc (B, the first of the lightest), cached. */
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'B' && lblc_cached() == 'B' &&
		      lblc.lastuse_ns == now,
	      "first pick %c, cached %c", pick(&xvs_sched_lblc, &lblc),
	      lblc_cached());
	/* B stays while it is not overloaded, however loaded. */
	conns('B', 1, 50);
	now += HOUR;
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'B' && lblc.lastuse_ns == now,
	      "kept B");
	/* activeconns > weight, but nobody has activeconns * 2 < weight:
	 * not overloaded (weights 1: only an idle server is light). */
	conns('A', 1, 0);
	conns('B', 2, 0);
	conns('C', 1, 0);
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'B', "2 > 1, nobody light");
	/* ... once C is idle, B is overloaded: wlc picks C, cached. */
	conns('C', 0, 0);
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'C' && lblc_cached() == 'C',
	      "overloaded: %c", lblc_cached());
	/* The thresholds' OVERLOAD flag does not stop the cached server
	 * (IPVS's lblc tests weight and is_overloaded only)... */
	overload_flag('C', 1);
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'C', "OVERLOAD flag ignored");
	/* ...but wlc skips it: weight 0 on C moves to A (B is heavier). */
	list.e[2].weight = 0;
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'A' && lblc_cached() == 'A',
	      "weight 0: %c", lblc_cached());
}

TEST(sched_lblc_expiry_and_deletion)
{
	setup("ABC", (int[]){ 1, 1, 1 });
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'A', "first");
	conns('A', 0, 10); /* A heavier from now on: wlc would say B */
	now += EXPIRE - 1;
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'A', "used 24 h - 1 ns later");
	now += EXPIRE;
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'B' && lblc.lastuse_ns == now,
	      "expired after 24 h idle: new entry %c", lblc_cached());
	/* B deleted: its entry names a server no longer in the service. */
	list.e[1] = list.e[2];
	list.n = 2;
	CHECK(pick(&xvs_sched_lblc, &lblc) == 'B' && lblc_cached() == 'C',
	      "deleted: index %c, cached %c (C, now at index 1)",
	      pick(&xvs_sched_lblc, &lblc), lblc_cached());
	/* Nothing available: no pick, the entry stays. */
	list.e[0].weight = list.e[1].weight = 0;
	CHECK(pick(&xvs_sched_lblc, &lblc) == '-' && lblc_cached() == 'C',
	      "none available");
	CHECK(pick(&xvs_sched_lblc, NULL) == '-', "no entry given");
}

TEST(sched_lblcr_sets)
{
	setup("ABCD", (int[]){ 2, 2, 2, 2 });
	conns('A', 1, 0);
	/* No entry: wlc (B), a set of one. */
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'B' &&
		      !strcmp(lblcr_set(), "B") && lblcr.lastmod_ns == now,
	      "first: set %s", lblcr_set());
	/* B overloaded (3 > 2, D idle is light): wlc adds C. */
	now += HOUR;
	conns('B', 3, 0);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'C' &&
		      !strcmp(lblcr_set(), "BC") && lblcr.lastmod_ns == now,
	      "grown: set %s", lblcr_set());
	/* The least loaded member: C. */
	now += HOUR;
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'C' &&
		      lblcr.lastuse_ns == now && lblcr.lastmod_ns == now - HOUR,
	      "least loaded member");
	/* Ties go to the newest member (IPVS walks from the list head,
	 * where it adds): B and C equal -> C. */
	conns('B', 1, 0);
	conns('C', 1, 0);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'C', "tie: newest");
	conns('B', 0, 5);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'B', "B lighter");
	/* OVERLOAD members are skipped by the min walk. */
	overload_flag('B', 1);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'C', "OVERLOAD skipped");
	overload_flag('B', 0);

	/* Unchanged for more than 24 h: the most loaded (C) leaves; the
	 * pick was taken before, from both. */
	conns('B', 0, 0);
	conns('C', 1, 9);
	now = lblcr.lastmod_ns + EXPIRE;
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'B' &&
		      !strcmp(lblcr_set(), "BC"),
	      "exactly 24 h: no shrink yet (%s)", lblcr_set());
	now++;
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'B' &&
		      !strcmp(lblcr_set(), "B") && lblcr.lastmod_ns == now,
	      "shrunk to %s", lblcr_set());

	/* A member deleted from the service leaves the set. */
	conns('C', 0, 0);
	conns('B', 3, 0);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'C' &&
		      !strcmp(lblcr_set(), "BC"),
	      "C back: %s", lblcr_set());
	list.e[2] = list.e[3]; /* C deleted: D moves to index 2 */
	list.n = 3;
	conns('B', 0, 0);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'B' &&
		      !strcmp(lblcr_set(), "B"),
	      "deleted member dropped: %s", lblcr_set());

	/* Expired entry: a new set of one. */
	conns('A', 0, 0);
	now += EXPIRE;
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'A' &&
		      !strcmp(lblcr_set(), "A"),
	      "expired: %s", lblcr_set());
}

TEST(sched_lblcr_weights_and_limits)
{
	/* Weighted: A 1 active of weight 4 (overhead 256/4) is lighter than
	 * B with 1 active of weight 2 (256/2). */
	setup("AB", (int[]){ 4, 2 });
	lblcr.n = 2;
	lblcr.set[0].dest_id = 1;
	lblcr.set[1].dest_id = 2;
	lblcr.lastuse_ns = lblcr.lastmod_ns = now;
	conns('A', 1, 0);
	conns('B', 1, 0);
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'A', "weighted min");
	/* The max walk ignores OVERLOAD and weight 0: after 24 h, with A
	 * flagged, A (the heavier by weight) still leaves. */
	conns('A', 3, 0); /* 768/4 = 192 > 256/2 = 128 */
	overload_flag('A', 1);
	now += EXPIRE + 1;
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == 'B' &&
		      !strcmp(lblcr_set(), "B"),
	      "most loaded left: %s", lblcr_set());

	/* Nothing available: no pick. */
	setup("AB", (int[]){ 0, 0 });
	CHECK(pick(&xvs_sched_lblcr, &lblcr) == '-' && lblcr.n == 0,
	      "none available");

	/* A full set takes no new member, the pick still goes out. */
	setup("ABCDEFGHIJKLMNOPQR", (int[]){ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					     1, 1, 1, 1, 1, 1, 1 });
	for (int i = 0; i < 17; i++) {
		char want = (char)('A' + i);

		CHECK(pick(&xvs_sched_lblcr, &lblcr) == want, "pick %d: want %c",
		      i, want);
		/* the member just picked gets busy: overloaded, and the next
		 * idle server is light */
		conns(want, 2, 0);
	}
	CHECK(lblcr.n == XVS_LBLCR_SET_MAX &&
		      !strcmp(lblcr_set(), "ABCDEFGHIJKLMNOP"),
	      "full set: %s", lblcr_set());
}
