// SPDX-License-Identifier: GPL-2.0
/*
 * pktbench: items 1 and 3 of issue 6 under BPF_PROG_TEST_RUN.
 *   pktbench pkt [--rounds N] [--repeat N] [--new-repeat N]
 *                [--slow-repeat N] [--conn-table-size N] [--case NAME]
 *   pktbench table --size N [--rounds N] [--repeat N]
 * Prints one JSON object per measurement and line; bench/pkt/run.sh runs
 * it and bench/pkt/results.py summarises. Needs root; runs in a private
 * network namespace of its own (tests/bpf/director.c), so nothing is
 * left behind when it exits.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "director.h"
#include "pktbench.h"

static struct xvs_global_stats before, after;

__u64 bench_counter_rise(size_t counter)
{
	__u64 b, a;

	memcpy(&b, (const char *)&before + counter, sizeof(b));
	memcpy(&a, (const char *)&after + counter, sizeof(a));
	return a - b;
}

int bench_prog_fd(enum bench_prog p)
{
	return p == P_FLOOR  ? bench_floor_fd()
	       : p == P_PASS ? bench_pass_fd()
			     : xvs_dp_prog_fd(dir.dp);
}

int bench_run(const struct bench_run *r, struct bench_time *t)
{
	int fd = r->prog_fd;

	if (r->mode >= 0) {
		if (bench_set_frame(r->frame, r->mode) || bench_set_target(fd))
			return -1;
		fd = bench_harness_fd();
	}
	before = dir_counters();
	if (bench_time(fd, r->frame, dir.eth0, r->repeat, t))
		return -1;
	after = dir_counters();
	if (t->verdict != r->verdict) {
		fprintf(stderr, "pktbench: %s: verdict %u, not %u\n", r->what,
			t->verdict, r->verdict);
		return -1;
	}
	if (r->counter != NO_COUNTER &&
	    bench_counter_rise(r->counter) != r->repeat) {
		fprintf(stderr,
			"pktbench: %s: %llu of %u repetitions took the path "
			"measured\n",
			r->what,
			(unsigned long long)bench_counter_rise(r->counter),
			r->repeat);
		return -1;
	}
	return 0;
}

int bench_with_director(__u32 conn_table_size,
			int (*fn)(const struct pkt_opts *o),
			const struct pkt_opts *o)
{
	int rc = -1;

	if (!dir_open_size(conn_table_size) && !bench_open())
		rc = fn(o);
	bench_close();
	dir_close();
	return rc;
}

static int json_fields;

void json_begin(void)
{
	json_fields = 0;
	putchar('{');
}

static void json_key(const char *key)
{
	printf("%s\"%s\": ", json_fields++ ? ", " : "", key);
}

/* Our strings are names without quotes or backslashes. */
void json_str(const char *key, const char *val)
{
	json_key(key);
	printf("\"%s\"", val);
}

void json_num(const char *key, double val)
{
	json_key(key);
	printf("%.17g", val);
}

void json_end(void)
{
	puts("}");
	fflush(stdout);
}

static void usage(FILE *f)
{
	fputs("usage: pktbench pkt [--rounds N] [--repeat N] [--new-repeat N]\n"
	      "                    [--slow-repeat N] [--conn-table-size N] "
	      "[--case NAME]\n"
	      "       pktbench table --size N [--rounds N] [--repeat N]\n",
	      f);
}

static int number(const char *opt, const char *arg, __u32 *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || v > 0xffffffffu) {
		fprintf(stderr, "pktbench: %s takes a number, not `%s'\n", opt,
			arg);
		return -1;
	}
	*out = (__u32)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rounds", required_argument, NULL, 'r'},
		{"repeat", required_argument, NULL, 'n'},
		{"new-repeat", required_argument, NULL, 'N'},
		{"slow-repeat", required_argument, NULL, 's'},
		{"conn-table-size", required_argument, NULL, 'c'},
		{"size", required_argument, NULL, 'S'},
		{"case", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct pkt_opts o = {.rounds = 5,
			     .repeat = 10000000,
			     .new_repeat = 1000000,
			     .slow_repeat = 200000};
	__u32 rounds = o.rounds;
	const char *cmd;
	int c, rc = 0;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rc = number("--rounds", optarg, &rounds);
			break;
		case 'n':
			rc = number("--repeat", optarg, &o.repeat);
			break;
		case 'N':
			rc = number("--new-repeat", optarg, &o.new_repeat);
			break;
		case 's':
			rc = number("--slow-repeat", optarg, &o.slow_repeat);
			break;
		case 'c':
			rc = number("--conn-table-size", optarg,
				    &o.conn_table_size);
			break;
		case 'S':
			rc = number("--size", optarg, &o.table_size);
			break;
		case 'C':
			o.only = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
		if (rc)
			return 2;
	}
	o.rounds = rounds;
	if (optind != argc || !o.rounds || !o.repeat || !o.new_repeat ||
	    !o.slow_repeat) {
		usage(stderr);
		return 2;
	}
	if (bench_stats_enabled() > 0)
		fprintf(stderr,
			"pktbench: kernel.bpf_stats_enabled is 1, which "
			"adds to every run's time\n");
	if (!strcmp(cmd, "pkt"))
		rc = bench_pkt(&o);
	else if (!strcmp(cmd, "table") && o.table_size)
		rc = bench_table(&o);
	else {
		usage(stderr);
		return 2;
	}
	return rc || bench_failed ? 1 : 0;
}
