// SPDX-License-Identifier: GPL-2.0
/*
 * A model check of the data plane's schedulers: for randomised service
 * states (list order, weights, ActiveConn/InActConn written into the
 * dest_conns map, OVERLOAD flags), a SYN sent through BPF_PROG_TEST_RUN
 * must reach the real server that the unit-tested core pick chooses from
 * the same list, state word and loads; for rr and wrr the state word the
 * data plane commits must be the core's too. twos draws its random words
 * in the data plane, so its pick must be one the core makes for some pair
 * of draws. Covers rr, wrr, lc, wlc, sed, nq, fo, ovf and twos
 * (test_sched_hash.c does sh, dh, mh, lblc and lblcr).
 *
 * Scale: one service of 1024 real servers picks through the whole list
 * (the only server that can win is the last), and 4096 services each pick
 * from their own list.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "../unit/test.h"
#include "director.h"
#include "tcp_state.h"

#define VIP "198.18.0.100"
#define NDEST 24 /* real servers 1..NDEST, a random subset listed */

static struct xvs_sched_load load[XVS_MAX_DESTS_PER_SVC + 2];
static __u64 rng = 0x5eedda7a;
static __u32 next_port; /* every SYN a new flow */

static __u64 rng_next(void)
{
	__u64 z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static __u32 below(__u32 n)
{
	return (__u32)(rng_next() % n);
}

/* A SYN of a new flow to VIP:80 (client addresses vary with the port
 * counter, so flows never repeat); the dest id the data plane bound it
 * to, -1 for none. */
static int dataplane_pick(void)
{
	char client[32];
	__u32 n = next_port++;
	struct flow f = {
		.af = XVS_AF_INET,
		.saddr = client,
		.daddr = VIP,
		.sport = (__u16)(1024 + n % 60000),
		.dport = 80,
		.proto = IPPROTO_TCP,
		.tcp_flags = XVS_TCP_SYN,
	};
	struct pkt in, out;

	snprintf(client, sizeof(client), "198.18.1.%u", 1 + n / 60000 % 250);
	pkt_build(&in, &f, 0);
	dir_run(&in, &out, dir.eth0);
	return dir_conn_dest(&f);
}

/* Real server id's counts and flags, written into the dest_conns map. */
static void set_load(__u32 id, __u32 active, __u32 inactive, __u32 flags)
{
	struct xvs_dest_conns *c = xvs_dp_dest_conns_mem(dir.dp, id);

	c->activeconns = active;
	c->inactconns = inactive;
	c->flags = flags;
}

/* The dest id the core picks from the published list and state word s
 * (updated as the data plane's should be), -1 for none. */
static int core_pick(__u64 *s, const struct xvs_sched_in *in)
{
	__s32 k = dir.ops->pick(&dir.list, s, in);

	return k < 0 ? -1 : (int)dir.list.e[k].dest_id;
}

/* twos: 1 if the core picks dest for some pair of draws. The draws are
 * taken modulo total + 1 <= the sum of the weights + 1, so 0..sum covers
 * every case. */
static int twos_can_pick(int dest)
{
	__u32 sum = 0;
	__u64 s = 0;

	for (__u32 i = 0; i < dir.list.n; i++)
		sum += (__u32)dir.list.e[i].weight;
	for (__u32 r1 = 0; r1 <= sum; r1++)
		for (__u32 r2 = 0; r2 <= sum; r2++) {
			struct xvs_sched_in in = {.rand = {r1, r2}};

			if (core_pick(&s, &in) == dest)
				return 1;
		}
	return 0;
}

struct model_sched {
	const char *name;
	__u32 max_weight; /* weights 0..max_weight */
	__u32 max_conns;  /* counts 0..max_conns */
	int overload_pct; /* OVERLOAD with this probability */
};

/* Every pick made, and what it exercised, so that a run that stopped
 * covering something fails. */
struct model_cover {
	int picks, none, overloaded, bad;
	char first[512];
};

/* A random subset of 1..NDEST in random order, random weights and loads,
 * published for m's scheduler. */
static void random_state(const struct model_sched *m)
{
	__u32 ids[NDEST], n = below(NDEST + 1);

	for (__u32 i = 0; i < NDEST; i++)
		ids[i] = i + 1;
	for (__u32 i = 0; i < NDEST; i++) {
		__u32 j = i + below(NDEST - i), t = ids[i];

		ids[i] = ids[j];
		ids[j] = t;
	}
	dir.list.n = n;
	for (__u32 i = 0; i < n; i++) {
		dir.list.e[i].dest_id = ids[i];
		dir.list.e[i].weight = (__s32)below(m->max_weight + 1);
	}
	for (__u32 id = 1; id <= NDEST; id++)
		set_load(id, below(m->max_conns + 1), below(m->max_conns + 1),
			 (int)below(100) < m->overload_pct
				 ? XVS_DEST_CONNS_OVERLOAD
				 : 0);
	dir_sched(m->name, 0);
}

/* One SYN: the data plane against the core from the same state (real
 * servers 1..max_id). */
static void model_step(const struct model_sched *m, struct model_cover *c,
		       __u32 max_id)
{
	struct xvs_sched_in in = {0};
	__u64 s = xvs_dp_sched_state(dir.dp, 0), ds;
	int twos = !strcmp(m->name, "twos"), want, got, ok;

	dir_loads(load, max_id);
	want = twos ? 0 : core_pick(&s, &in);
	got = dataplane_pick();
	ds = xvs_dp_sched_state(dir.dp, 0);
	ok = twos ? (got < 0) == (core_pick(&s, &in) < 0) &&
			     (got < 0 || twos_can_pick(got))
		  : got == want && ds == s;
	c->picks++;
	c->none += got < 0;
	for (__u32 i = 0; i < dir.list.n; i++)
		if (load[dir.list.e[i].dest_id].flags) {
			c->overloaded++;
			break;
		}
	if (ok || c->bad++)
		return;
	snprintf(c->first, sizeof(c->first),
		 "%s, pick %d: data plane %d (state %#llx), core %d (state "
		 "%#llx); list",
		 m->name, c->picks, got, (unsigned long long)ds, want,
		 (unsigned long long)s);
	for (__u32 i = 0; i < dir.list.n; i++) {
		__u32 id = dir.list.e[i].dest_id;
		size_t len = strlen(c->first);

		snprintf(c->first + len, sizeof(c->first) - len,
			 " %u:%d/%u/%u%s", id, dir.list.e[i].weight,
			 load[id].activeconns, load[id].inactconns,
			 load[id].flags ? "!" : "");
	}
}

/* Real servers 1..n on 198.18.2.0 and up; dir_dest puts each at the
 * head, so 1 ends up last. */
static void add_dests(__u32 n)
{
	for (__u32 id = 1; id <= n; id++) {
		char rs[32];

		snprintf(rs, sizeof(rs), "198.18.%u.%u", 2 + id / 250,
			 1 + id % 250);
		dir_dest(id, rs, 80, XVS_FWD_DR);
	}
}

static const struct model_sched model_scheds[] = {
	{"rr", 5, 3, 25},    {"wrr", 10, 3, 25}, {"wrr", 65535, 3, 25},
	{"lc", 5, 5, 20},    {"wlc", 10, 5, 20}, {"wlc", 65535, 200000, 20},
	{"sed", 10, 5, 20},  {"nq", 10, 2, 20},	 {"fo", 10, 3, 25},
	{"ovf", 10, 12, 20}, {"twos", 6, 5, 20},
};

TEST(sched_model_dataplane)
{
	if (dir_open())
		return;
	dir_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80);
	add_dests(NDEST);
	for (size_t i = 0; i < sizeof(model_scheds) / sizeof(model_scheds[0]);
	     i++) {
		const struct model_sched *m = &model_scheds[i];
		struct model_cover c = {0};

		for (int sc = 0; sc < 60; sc++) {
			random_state(m);
			for (int k = 0; k < 6; k++)
				model_step(m, &c, NDEST);
		}
		CHECK(!c.bad,
		      "%s (weights to %u): %d of %d picks differ; first: %s",
		      m->name, m->max_weight, c.bad, c.picks, c.first);
		CHECK(c.none && c.none < c.picks && c.overloaded,
		      "%s covered too little: %d picks, %d none, %d with "
		      "OVERLOAD",
		      m->name, c.picks, c.none, c.overloaded);
	}
	dir_close();
}

/* twos in the data plane draws its two servers at random: from equal
 * weights and loads, 64 new flows do not all land on one server (fixed
 * draws would always pick the same; the model check above accepts any
 * choice some draw could make, so it cannot tell). */
TEST(sched_twos_draws_at_random)
{
	int first = -1, others = 0;

	if (dir_open())
		return;
	dir_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80);
	add_dests(4);
	for (__u32 i = 0; i < dir.list.n; i++)
		dir.list.e[i].weight = 1;
	for (__u32 id = 1; id <= 4; id++)
		set_load(id, 0, 0, 0);
	dir_sched("twos", 0);
	for (int k = 0; k < 64; k++) {
		int got = dataplane_pick();

		if (first < 0)
			first = got;
		others += got != first;
	}
	CHECK(first > 0 && others > 0,
	      "64 flows: first to %d, %d elsewhere", first, others);
	dir_close();
}

/* 1024 real servers in one service: the connection-based schedulers look
 * at every one (only the last in the list can win), and picks from random
 * loads match the core's. */
TEST(sched_scale_1024_dests)
{
	static const char *const names[] = {"wlc", "lc",  "sed", "nq",
					    "fo",  "ovf", "wrr", "rr"};
	const __u32 n = XVS_MAX_DESTS_PER_SVC;
	struct model_sched m = {"wlc", 100, 50, 10};
	struct model_cover c = {0};
	char got[16] = "", want[16] = "";

	if (dir_open())
		return;
	dir_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80);
	add_dests(n);
	CHECK(dir.list.n == n && dir.list.e[n - 1].dest_id == 1,
	      "%u servers listed, last %u", dir.list.n,
	      dir.list.e[n - 1].dest_id);
	/* All busy but the last (id 1): lc, wlc, sed, nq must find it; fo
	 * and ovf with the heaviest weight on it; wrr and rr with every
	 * other server OVERLOAD. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int rr_like = names[i][strlen(names[i]) - 1] == 'r';

		for (__u32 k = 0; k < n; k++)
			dir.list.e[k].weight = k == n - 1 ? 3 : 2;
		for (__u32 id = 1; id <= n; id++)
			set_load(id, id == 1 ? 0 : 3, 0,
				 rr_like && id != 1 ? XVS_DEST_CONNS_OVERLOAD
						    : 0);
		dir_sched(names[i], 0);
		got[i] = (char)('0' + (dataplane_pick() == 1));
		want[i] = '1';
	}
	CHECK(!strcmp(got, want),
	      "1 = the last of 1024 picked, per scheduler (wlc lc sed nq fo "
	      "ovf wrr rr): %s",
	      got);
	/* random loads over the 1024: data plane and core agree */
	for (int sc = 0; sc < 4; sc++) {
		for (__u32 k = 0; k < n; k++)
			dir.list.e[k].weight = (__s32)below(m.max_weight + 1);
		for (__u32 id = 1; id <= n; id++)
			set_load(id, below(m.max_conns), below(m.max_conns),
				 (int)below(100) < m.overload_pct
					 ? XVS_DEST_CONNS_OVERLOAD
					 : 0);
		m.name = names[sc];
		dir_sched(m.name, 0);
		for (int k = 0; k < 4; k++)
			model_step(&m, &c, n);
	}
	CHECK(!c.bad && c.picks == 16, "%d of %d picks differ; first: %s",
	      c.bad, c.picks, c.first);
	dir_close();
}

/* 4096 services, each its own list and state: every SYN goes to its own
 * service's choice. */
TEST(sched_scale_4096_services)
{
	static struct xvs_sched_list l;
	const struct xvs_sched_ops *wlc = xvs_sched_find("wlc");
	int wrong = 0, checked = 0, rc = 0, first = -1;

	if (dir_open())
		return;
	dir_service(XVS_AF_INET, IPPROTO_TCP, VIP, 80);
	add_dests(2);
	xvs_dp_svc_del(dir.dp, &dir.key); /* the map holds 4096 */
	for (__u32 i = 0; i < XVS_MAX_SERVICES && !rc; i++) {
		struct xvs_svc_key key = dir.key;
		struct xvs_svc_dp v = {.svc_id = i, .sched_id = XVS_SCHED_WLC};

		key.port = htons((__u16)(1000 + i));
		/* idle servers: wlc takes the first, 1 or 2 by service */
		l.n = 2;
		l.e[0] = (struct xvs_sched_entry){.dest_id = 1 + i % 2,
						  .weight = 1};
		l.e[1] = (struct xvs_sched_entry){.dest_id = 2 - i % 2,
						  .weight = 1};
		xvs_sched_list_finish(&l);
		rc = xvs_dp_svc_set(dir.dp, &key, &v)
			     ?: xvs_dp_sched_publish(dir.dp, i, wlc, NULL, &l);
	}
	CHECK(!rc, "publishing 4096 services: %d", rc);
	set_load(1, 0, 0, 0);
	set_load(2, 0, 0, 0);
	for (__u32 i = 0; i < XVS_MAX_SERVICES && !rc; i += 7) {
		__u32 svc =
			i + 7 >= XVS_MAX_SERVICES ? XVS_MAX_SERVICES - 1 : i;
		struct flow f = {
			.af = XVS_AF_INET,
			.saddr = DIR_CLIENT4,
			.daddr = VIP,
			.sport = (__u16)(2000 + i),
			.dport = (__u16)(1000 + svc),
			.proto = IPPROTO_TCP,
			.tcp_flags = XVS_TCP_SYN,
		};
		struct pkt in, out;

		pkt_build(&in, &f, 0);
		dir_run(&in, &out, dir.eth0);
		checked++;
		if (dir_conn_dest(&f) != (int)(1 + svc % 2) && !wrong++)
			first = (int)svc;
		/* undo the bind so that the next service starts idle */
		set_load(1, 0, 0, 0);
		set_load(2, 0, 0, 0);
	}
	CHECK(!wrong && checked == 586,
	      "%d of %d services picked wrong, first %d", wrong, checked,
	      first);
	dir_close();
}
