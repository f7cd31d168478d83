// SPDX-License-Identifier: GPL-2.0
/*
 * Item 3 of issue 6 (but `xvsadm -L -c -n`, bench/ctl's): the connection
 * table's memory per tracked connection, and the cost of an established
 * flow's packet with the table full.
 *
 * The director gets a table of o->table_size entries (xvsd
 * --conn-table-size), which the data plane itself fills: the harness sends
 * table_size SYNs of generated flows 0, 1, 2, ..., then an ACK for each,
 * which makes every entry ESTABLISHED. The timed packets are ACKs of flows
 * drawn at random from the filled set, so that lookups miss the CPU's
 * caches as real traffic does; one flow sent again and again shows the
 * cost with everything in cache.
 *
 * Memory is the kernel's own accounting of each map (fdinfo's memlock),
 * cross-checked by the rise of VmallocUsed (where the kernel puts large
 * maps) while the data plane and the harness load (system-wide: others'
 * allocations show too, which matters only for small tables). The LRU hash
 * preallocates every entry, so the memory does not grow as the table fills.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "director.h"
#include "pktbench.h"

#define COUNTER(field) offsetof(struct xvs_global_stats, field)
#define MAX_MAPS 64

/* The number after the first line of path that matches fmt (an sscanf
 * format with one %llu), or 0. */
static unsigned long long file_number(const char *path, const char *fmt)
{
	FILE *f = fopen(path, "r");
	unsigned long long v = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &v) == 1)
			break;
	fclose(f);
	return v;
}

/* VmallocUsed in bytes: where the kernel puts large maps. */
static unsigned long long vmalloc_used(void)
{
	return file_number("/proc/meminfo", "VmallocUsed: %llu kB") * 1024;
}

/* The kernel's memory accounting of a map (fdinfo's memlock), or 0. */
static unsigned long long map_memlock(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return file_number(path, "memlock: %llu");
}

struct table_mem {
	unsigned long long all; /* every map of the data plane */
	unsigned long long conns, nat_replies;
	__u32 key_size, value_size; /* conns' */
};

/* Adds up the memory of every map the data plane's program uses. */
static int data_plane_memory(struct table_mem *m)
{
	__u32 ids[MAX_MAPS];
	struct bpf_prog_info pi = {.nr_map_ids = MAX_MAPS,
				   .map_ids = (__u64)(unsigned long)ids};
	__u32 len = sizeof(pi);

	memset(m, 0, sizeof(*m));
	if (bpf_obj_get_info_by_fd(xvs_dp_prog_fd(dir.dp), &pi, &len))
		return -errno;
	for (__u32 i = 0; i < pi.nr_map_ids && i < MAX_MAPS; i++) {
		struct bpf_map_info mi = {0};
		__u32 mlen = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]);
		unsigned long long bytes;

		if (fd < 0)
			return -errno;
		bytes = map_memlock(fd);
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen)) {
			if (!strcmp(mi.name, "conns")) {
				m->conns = bytes;
				m->key_size = mi.key_size;
				m->value_size = mi.value_size;
			} else if (!strcmp(mi.name, "nat_replies")) {
				m->nat_replies = bytes;
			}
		}
		m->all += bytes;
		close(fd);
	}
	return m->conns ? 0 : -ENOENT;
}

static int count_entry(const struct xvs_conn_key *key,
		       const struct xvs_conn *val, void *data)
{
	(void)key;
	(void)val;
	++*(__u64 *)data;
	return 0;
}

/*
 * An ACK of a filled flow either finds its connection (fwd_tx) or, if the
 * LRU evicted it, goes to the kernel (pass_no_conn): any other path in
 * the last run of n packets (a drop, an abort) means the case times
 * something else, which is said and fails the run.
 */
static int hit_or_evicted(const char *what, __u32 n)
{
	__u64 hit = bench_counter_rise(COUNTER(fwd_tx));
	__u64 miss = bench_counter_rise(COUNTER(pass_no_conn));

	if (hit + miss == n)
		return 0;
	fprintf(stderr,
		"pktbench: %s: of %u packets %llu hit and %llu missed their "
		"connection; the rest took another path\n",
		what, n, (unsigned long long)hit, (unsigned long long)miss);
	return -1;
}

/* One pass over flows 0 .. n-1 with tcp_flags, timed, through prog_fd
 * (the data plane, or the harness's calibration target). */
static int table_pass(const char *what, int prog_fd, __u8 tcp_flags, __u32 n,
		      size_t counter, struct bench_time *t)
{
	struct pkt frame;
	struct bench_run r = {
		.what = what,
		.prog_fd = prog_fd,
		.mode = BENCH_SEQ,
		.frame = &frame,
		.repeat = n,
		.verdict = prog_fd == bench_pass_fd() ? XDP_PASS : XDP_TX,
		.counter = counter,
	};

	bench_flow_frame(&frame, 0, tcp_flags);
	bench_set_next(0);
	return bench_run(&r, t);
}

/* Fills the table and reports what it holds and what it costs. */
static int table_fill(__u32 n, unsigned long long vmalloc_rise)
{
	int xvs = xvs_dp_prog_fd(dir.dp);
	struct bench_time harness, fill, est;
	struct table_mem m;
	__u64 entries = 0;
	__u64 evicted;
	int rc;

	if (table_pass("the harness alone", bench_pass_fd(), 0x02, n,
		       NO_COUNTER, &harness) ||
	    table_pass("filling the table (SYN)", xvs, 0x02, n,
		       COUNTER(conn_new), &fill))
		return -1;
	evicted = bench_counter_rise(COUNTER(conn_evicted));
	/* A flow whose entry the LRU evicted while filling has its ACK go
	 * to the kernel (XDP_PASS); the last ACK's flow is among the newest,
	 * which stay. */
	if (table_pass("establishing (ACK)", xvs, 0x10, n, NO_COUNTER, &est) ||
	    hit_or_evicted("establishing (ACK)", n))
		return -1;
	rc = xvs_dp_conn_walk(dir.dp, count_entry, &entries);
	if (!rc)
		rc = data_plane_memory(&m);
	if (rc) {
		fprintf(stderr, "pktbench: reading the table: %s\n",
			strerror(-rc));
		return -1;
	}
	json_begin();
	json_str("case", "memory");
	json_num("table_size", n);
	json_num("entries", (double)entries);
	json_num("evicted_while_filling", (double)evicted);
	json_num("established", (double)bench_counter_rise(COUNTER(fwd_tx)));
	json_num("harness_ns", harness.ns);
	json_num("fill_ns", fill.ns);
	json_num("establish_ns", est.ns);
	json_num("key_size", m.key_size);
	json_num("value_size", m.value_size);
	json_num("conns_memlock", (double)m.conns);
	json_num("nat_replies_memlock", (double)m.nat_replies);
	json_num("all_maps_memlock", (double)m.all);
	json_num("vmalloc_rise", (double)(long long)vmalloc_rise);
	json_end();
	return 0;
}

struct table_case {
	const char *name;
	enum bench_prog prog;
	int mode; /* enum bench_mode, -1 plain */
	__u32 verdict;
};

static const struct table_case tcases[] = {
	{"floor", P_FLOOR, -1, XDP_TX},
	{"harness restore", P_PASS, BENCH_RESTORE, XDP_PASS},
	{"harness random", P_PASS, BENCH_RANDOM, XDP_PASS},
	{"established, random flows", P_XVS, BENCH_RANDOM, XDP_TX},
	{"established, one flow", P_XVS, BENCH_RESTORE, XDP_TX},
};

static int table_round(__u32 n, unsigned round, __u32 repeat)
{
	for (size_t i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		const struct table_case *c = &tcases[i];
		struct bench_time t;
		struct pkt frame;
		struct bench_run r = {
			.what = c->name,
			.prog_fd = bench_prog_fd(c->prog),
			.mode = c->mode,
			.frame = &frame,
			.repeat = repeat,
			.verdict = c->verdict,
			.counter = NO_COUNTER,
		};

		/* random: flow 0's ACK, varied; restore: the newest flow's,
		 * which the LRU kept */
		bench_flow_frame(&frame, c->mode == BENCH_RESTORE ? n - 1 : 0,
				 0x10);
		bench_set_random(0x9e3779b97f4a7c15ull * round, n);
		if (bench_run(&r, &t) ||
		    (c->prog == P_XVS && hit_or_evicted(c->name, repeat)))
			return -1;
		json_begin();
		json_str("case", c->name);
		json_num("table_size", n);
		json_num("round", round);
		json_num("repeat", repeat);
		json_num("ns", t.ns);
		json_num("wall_ns", t.wall_ns);
		if (c->mode >= 0)
			json_str(c->prog == P_PASS ? "calibrates" : "harness",
				 c->mode == BENCH_RANDOM ? "random"
							 : "restore");
		if (c->prog == P_XVS) /* the others went to no connection */
			json_num("hits",
				 (double)bench_counter_rise(COUNTER(fwd_tx)));
		json_end();
	}
	return 0;
}

static unsigned long long vmalloc_before; /* the director's loading */

static int table_run(const struct pkt_opts *o)
{
	unsigned long long rise = vmalloc_used() - vmalloc_before;

	bench_service("rr", 8, XVS_FWD_DR);
	if (bench_failed || table_fill(o->table_size, rise))
		return -1;
	for (unsigned round = 1; round <= o->rounds; round++)
		if (table_round(o->table_size, round, o->repeat))
			return -1;
	return 0;
}

int bench_table(const struct pkt_opts *o)
{
	vmalloc_before = vmalloc_used();
	return bench_with_director(o->table_size, table_run, o);
}
