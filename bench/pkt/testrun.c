// SPDX-License-Identifier: GPL-2.0
/* Timing XDP programs with BPF_PROG_TEST_RUN; see testrun.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "testrun.h"
#include "bench/harness.skel.h"
#include "bench/xdp_tx_floor.skel.h"

static struct harness *harness;
static struct xdp_tx_floor *floor_prog;

int bench_failed;

/*
 * tests/bpf/director.c reports failed setup steps through the unit-test
 * harness's CHECK; bench/pkt links director.c without that harness, so
 * here a CHECK that holds is silent and one that fails says why.
 */
void xvs_test_report(int ok, const char *test, const char *file, int line,
		     const char *expr, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	bench_failed++;
	fprintf(stderr, "pktbench: %s: %s (%s:%d): ", test, expr, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int bench_open(void)
{
	int rc;

	harness = harness__open_and_load();
	floor_prog = xdp_tx_floor__open_and_load();
	if (!harness || !floor_prog) {
		rc = -errno;
		fprintf(stderr, "pktbench: cannot load bench/bpf: %s\n",
			strerror(errno));
		bench_close();
		return rc;
	}
	return 0;
}

void bench_close(void)
{
	harness__destroy(harness);
	xdp_tx_floor__destroy(floor_prog);
	harness = NULL;
	floor_prog = NULL;
}

int bench_floor_fd(void)
{
	return bpf_program__fd(floor_prog->progs.xdp_tx_floor);
}

int bench_harness_fd(void)
{
	return bpf_program__fd(harness->progs.bench_harness);
}

int bench_pass_fd(void)
{
	return bpf_program__fd(harness->progs.bench_pass);
}

int bench_set_target(int prog_fd)
{
	__u32 slot = 0;

	if (bpf_map_update_elem(bpf_map__fd(harness->maps.bench_target), &slot,
				&prog_fd, BPF_ANY)) {
		fprintf(stderr,
			"pktbench: cannot set the harness's target: %s\n",
			strerror(errno));
		return -errno;
	}
	return 0;
}

int bench_set_frame(const struct pkt *p, enum bench_mode mode)
{
	/* A cut frame would make the harness time another packet. */
	if (p->len > BENCH_FRAME_MAX) {
		fprintf(stderr,
			"pktbench: a %zu-byte frame is longer than the "
			"harness's %d\n",
			p->len, BENCH_FRAME_MAX);
		return -1;
	}
	memcpy(harness->bss->bench_frame, p->b, p->len);
	harness->bss->bench_frame_len = (__u32)p->len;
	harness->bss->bench_mode = mode;
	return 0;
}

void bench_set_next(__u64 next)
{
	harness->bss->bench_next = next;
}

void bench_set_random(__u64 seed, __u64 nflows)
{
	harness->bss->bench_rng = seed;
	harness->bss->bench_nflows = nflows;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int bench_time(int prog_fd, const struct pkt *in, int ifindex, __u32 repeat,
	       struct bench_time *t)
{
	static struct pkt out;
	/* data_end must equal the input size, or the run is refused */
	struct xdp_md ctx = {.data_end = (__u32)in->len,
			     .ingress_ifindex = (__u32)ifindex};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in->b,
		    .data_size_in = (__u32)in->len, .data_out = out.b,
		    .data_size_out = PKT_MAX, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = repeat);
	double t0 = now_ns();

	if (bpf_prog_test_run_opts(prog_fd, &o)) {
		fprintf(stderr, "pktbench: BPF_PROG_TEST_RUN: %s\n",
			strerror(errno));
		return -errno;
	}
	t->wall_ns = (now_ns() - t0) / repeat;
	t->ns = o.duration;
	t->verdict = o.retval;
	return 0;
}

int bench_stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}
