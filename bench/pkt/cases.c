// SPDX-License-Identifier: GPL-2.0
/*
 * Item 1 of issue 6: nanoseconds per packet through BPF_PROG_TEST_RUN,
 * for the floor (a MAC swap), the harness alone, and the data plane on
 * established flows (DR, TUN, NAT both ways), new flows (one per
 * scheduler) and a packet for no virtual service. Cases run interleaved:
 * every round runs each case once, after setting its director up afresh.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "director.h"
#include "pktbench.h"

#define RS_ID 1
#define RS4 "198.18.1.1"
#define RS_PORT 8080 /* NAT: the real server's port differs */
#define DIR4 "198.18.0.2"

/* How many repetitions: opts' repeat, new_repeat or slow_repeat. */
enum reps { REP_FULL, REP_NEW, REP_SLOW };

#define COUNTER(field) offsetof(struct xvs_global_stats, field)

struct pkt_case {
	const char *name;
	/* Sets the director up for the case and builds its frame; 0 or
	 * -1. */
	int (*setup)(const struct pkt_case *c, struct pkt *p);
	enum bench_prog prog;
	int mode; /* enum bench_mode, -1: plain repeat */
	__u32 verdict;
	size_t counter; /* rises by one per repetition */
	/* for the setups */
	__u8 fwd;  /* established: the real server's method */
	int reply; /* established NAT: time the server's side */
	const char *sched;
	__u32 n_dests;
	enum reps reps;
	double target; /* the target, as a multiple of the floor */
};

void bench_service(const char *sched, __u32 n, __u8 fwd)
{
	char addr[32];

	dir_service(XVS_AF_INET, IPPROTO_TCP, BENCH_VIP, BENCH_VPORT);
	for (__u32 id = 1; id <= n; id++) {
		snprintf(addr, sizeof(addr), "198.18.%u.%u", 1 + id / 256,
			 id % 256);
		dir_dest(id, addr, fwd == XVS_FWD_NAT ? RS_PORT : BENCH_VPORT,
			 fwd);
	}
	for (__u32 i = 0; i < dir.list.n; i++)
		dir.list.e[i].weight = 1 + (__s32)(dir.list.e[i].dest_id % 3);
	dir_sched(sched, 0); /* publishes the list with these weights */
	dir_nat_dests(fwd == XVS_FWD_NAT ? n : 0);
}

void bench_flow_frame(struct pkt *p, __u64 n, __u8 tcp_flags)
{
	struct in_addr a = {.s_addr = htonl(bench_flow_addr(n))};
	char saddr[INET_ADDRSTRLEN];
	struct flow f = {XVS_AF_INET,	     saddr,	  BENCH_VIP,
			 bench_flow_port(n), BENCH_VPORT, IPPROTO_TCP,
			 tcp_flags};

	inet_ntop(AF_INET, &a, saddr, sizeof(saddr));
	pkt_build(p, &f, 0);
}

/* The floor and the harness alone: any frame of a generated flow. */
static int setup_frame_only(const struct pkt_case *c, struct pkt *p)
{
	(void)c;
	bench_flow_frame(p, 0, 0x10);
	return 0;
}

/* A tunnel real server as xvsd programs one: IPIP from the director's
 * address, the interface's MTU. */
static void tun_dest(__u32 id)
{
	struct xvs_dest_dp d = {
		.af = XVS_AF_INET,
		.fwd = XVS_FWD_TUN,
		.port = htons(BENCH_VPORT),
		.gen = id + 1, /* as dir_dest() */
		.ifindex = (__u32)dir.eth0,
		.flags = XVS_DEST_F_RESOLVED,
		.mtu = 1500,
		.tun_type = XVS_TUN_IPIP,
	};

	d.addr = pkt_addr(XVS_AF_INET, RS4);
	d.saddr = pkt_addr(XVS_AF_INET, DIR4);
	dir_dest_mac(id, d.dmac);
	memcpy(d.smac, MAC_DIRECTOR, 6);
	xvs_dp_dest_set(dir.dp, id, &d);
}

/* Sends one packet of flow f, which must get verdict want. */
static int send_one(struct flow *f, __u8 flags, __u32 want)
{
	struct pkt in, out;
	int v;

	f->tcp_flags = flags;
	pkt_build(&in, f, 0);
	v = dir_run(&in, &out, dir.eth0);
	if (v != (int)want) {
		fprintf(stderr,
			"pktbench: setting up a flow: %s:%u -> %s:%u flags "
			"%#x got verdict %d, not %u\n",
			f->saddr, f->sport, f->daddr, f->dport, flags, v, want);
		return -1;
	}
	return 0;
}

/*
 * A new established connection from the client through one real server
 * of method c->fwd: SYN, (NAT: the server's SYN-ACK), ACK. The frame is
 * the client's next ACK, or the server's for c->reply. Each call takes
 * the next client port, so no call finds the connection of another.
 */
static int setup_established(const struct pkt_case *c, struct pkt *p)
{
	static __u16 next_port = 20000;
	__u16 cport = next_port++;
	int nat = c->fwd == XVS_FWD_NAT;
	struct flow in = {XVS_AF_INET, DIR_CLIENT4, BENCH_VIP, cport,
			  BENCH_VPORT, IPPROTO_TCP, 0};
	struct flow out = {XVS_AF_INET, RS4, DIR_CLIENT4, RS_PORT, cport,
			   IPPROTO_TCP, 0};

	dir_service(XVS_AF_INET, IPPROTO_TCP, BENCH_VIP, BENCH_VPORT);
	dir_dest(RS_ID, RS4, nat ? RS_PORT : BENCH_VPORT, c->fwd);
	if (c->fwd == XVS_FWD_TUN)
		tun_dest(RS_ID);
	dir_nat_dests(nat);
	if (send_one(&in, 0x02, XDP_TX) ||
	    (nat && send_one(&out, 0x12, XDP_TX)) ||
	    send_one(&in, 0x10, XDP_TX))
		return -1;
	(c->reply ? &out : &in)->tcp_flags = 0x10;
	pkt_build(p, c->reply ? &out : &in, 0);
	return 0;
}

/* A service of c->n_dests DR real servers scheduled by c->sched; the
 * frame, a SYN of flow 0, becomes a new flow per repetition. */
static int setup_new(const struct pkt_case *c, struct pkt *p)
{
	bench_service(c->sched, c->n_dests, XVS_FWD_DR);
	bench_flow_frame(p, 0, 0x02);
	return 0;
}

/* A TCP segment for the director itself, which has no NAT real server:
 * one miss in svc_map. */
static int setup_not_vs(const struct pkt_case *c, struct pkt *p)
{
	struct flow f = {XVS_AF_INET, DIR_CLIENT4, DIR4, 40000,
			 22,	      IPPROTO_TCP, 0x10};

	(void)c;
	dir_nat_dests(0);
	pkt_build(p, &f, 0);
	return 0;
}

#define NEW(nm, s, n, rep, tgt)                                                \
	{                                                                      \
		.name = nm, .setup = setup_new, .prog = P_XVS,                 \
		.mode = BENCH_SEQ, .verdict = XDP_TX,                          \
		.counter = COUNTER(conn_new), .sched = s, .n_dests = n,        \
		.reps = rep, .target = tgt                                     \
	}
#define EST(nm, f, rep, m, cnt, tgt)                                           \
	{                                                                      \
		.name = nm, .setup = setup_established, .prog = P_XVS,         \
		.mode = m, .verdict = XDP_TX, .counter = COUNTER(cnt),         \
		.fwd = f, .reply = rep, .target = tgt                          \
	}

static const struct pkt_case cases[] = {
	{.name = "floor",
	 .setup = setup_frame_only,
	 .prog = P_FLOOR,
	 .mode = -1,
	 .verdict = XDP_TX,
	 .counter = NO_COUNTER},
	{.name = "harness restore",
	 .setup = setup_frame_only,
	 .prog = P_PASS,
	 .mode = BENCH_RESTORE,
	 .verdict = XDP_PASS,
	 .counter = NO_COUNTER},
	{.name = "harness new flow",
	 .setup = setup_frame_only,
	 .prog = P_PASS,
	 .mode = BENCH_SEQ,
	 .verdict = XDP_PASS,
	 .counter = NO_COUNTER},
	EST("established DR", XVS_FWD_DR, 0, -1, fwd_tx, 3),
	EST("established DR via harness", XVS_FWD_DR, 0, BENCH_RESTORE, fwd_tx,
	    0),
	EST("established TUN (IPIP)", XVS_FWD_TUN, 0, BENCH_RESTORE, tun_encap,
	    0),
	EST("established NAT client->server", XVS_FWD_NAT, 0, BENCH_RESTORE,
	    fwd_tx, 0),
	EST("established NAT server->client", XVS_FWD_NAT, 1, BENCH_RESTORE,
	    nat_reply_fwd, 0),
	NEW("new flow rr, 8 servers", "rr", 8, REP_NEW, 25),
	NEW("new flow wrr, 8 servers", "wrr", 8, REP_NEW, 25),
	NEW("new flow wlc, 8 servers", "wlc", 8, REP_NEW, 0),
	NEW("new flow wlc, 1024 servers", "wlc", 1024, REP_SLOW, 150),
	NEW("new flow sh, 8 servers", "sh", 8, REP_NEW, 0),
	NEW("new flow mh, 8 servers", "mh", 8, REP_NEW, 25),
	NEW("new flow lblcr, 8 servers", "lblcr", 8, REP_NEW, 0),
	{.name = "not a virtual service",
	 .setup = setup_not_vs,
	 .prog = P_XVS,
	 .mode = -1,
	 .verdict = XDP_PASS,
	 .counter = COUNTER(pass_not_vs)},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static const char *const mode_names[] = {"restore", "new flow", "random"};

static void report(const struct pkt_case *c, unsigned round, __u32 repeat,
		   const struct bench_time *t)
{
	json_begin();
	json_str("case", c->name);
	json_num("round", round);
	json_num("repeat", repeat);
	json_num("ns", t->ns);
	json_num("wall_ns", t->wall_ns);
	/* harness: the mode to subtract; calibrates: a harness-alone case */
	if (c->mode >= 0)
		json_str(c->prog == P_PASS ? "calibrates" : "harness",
			 mode_names[c->mode]);
	if (c->sched)
		json_str("sched", c->sched);
	if (c->n_dests)
		json_num("servers", c->n_dests);
	if (c->target)
		json_num("target_x", c->target);
	json_num("conn_table_size", xvs_dp_conn_capacity(dir.dp));
	json_end();
}

static int run_case(const struct pkt_case *c, unsigned round, __u32 repeat)
{
	struct bench_time t;
	struct pkt frame;
	struct bench_run r = {
		.what = c->name,
		.prog_fd = bench_prog_fd(c->prog),
		.mode = c->mode,
		.frame = &frame,
		.repeat = repeat,
		.verdict = c->verdict,
		.counter = c->counter,
	};

	if (c->setup(c, &frame) || bench_failed)
		return -1;
	if (bench_run(&r, &t))
		return -1;
	if (round) /* round 0 warms up */
		report(c, round, repeat, &t);
	return 0;
}

static __u32 repeat(const struct pkt_opts *o, const struct pkt_case *c)
{
	return c->reps == REP_SLOW  ? o->slow_repeat
	       : c->reps == REP_NEW ? o->new_repeat
				    : o->repeat;
}

static int selected(const struct pkt_opts *o, const struct pkt_case *c)
{
	return !o->only || !strcmp(c->name, o->only);
}

static int pkt_run(const struct pkt_opts *o)
{
	/* Every case once, briefly: it works, and the new-flow cases find
	 * the table as full as it stays in the timed rounds. */
	for (size_t i = 0; i < N_CASES; i++) {
		__u32 warm = cases[i].reps == REP_FULL
				     ? 1000
				     : xvs_dp_conn_capacity(dir.dp);

		if (cases[i].reps == REP_SLOW)
			warm /= 16;
		if (selected(o, &cases[i]) && run_case(&cases[i], 0, warm))
			return -1;
	}
	for (unsigned round = 1; round <= o->rounds; round++)
		for (size_t i = 0; i < N_CASES; i++)
			if (selected(o, &cases[i]) &&
			    run_case(&cases[i], round, repeat(o, &cases[i])))
				return -1;
	return 0;
}

int bench_pkt(const struct pkt_opts *o)
{
	size_t n = 0;

	for (size_t i = 0; o->only && i < N_CASES; i++)
		n += !!selected(o, &cases[i]);
	if (o->only && !n) {
		fprintf(stderr, "pktbench: no case is named `%s'\n", o->only);
		return -1;
	}
	return bench_with_director(o->conn_table_size, pkt_run, o);
}
