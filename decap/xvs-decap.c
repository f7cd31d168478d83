// SPDX-License-Identifier: GPL-2.0
/*
 * xvs-decap: attaches, detaches and shows the VS/TUN decapsulation program
 * (bpf/xvs_decap.bpf.c) on a real server's interfaces, at tc ingress.
 *
 *   xvs-decap attach IF [--gue-port N]...
 *   xvs-decap detach IF
 *   xvs-decap show [IF]
 *
 * Each attach loads its own copy of the program, so each interface has its
 * own GUE ports and counters. The tc filter (priority XVS_DECAP_TC_PRIO,
 * handle XVS_DECAP_TC_HANDLE) holds the program once this tool exits;
 * nothing is pinned. show finds the program through the filter and its
 * maps through the program.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xvs_decap.h"
#include "xvs_decap.skel.h"

#define PROG_NAME "xvs_decap"

static const char usage_text[] =
	"Usage:\n"
	"  xvs-decap attach IF [--gue-port N]...\n"
	"  xvs-decap detach IF\n"
	"  xvs-decap show [IF]\n"
	"  xvs-decap --help\n"
	"\n"
	"Takes the outer headers of VS/TUN packets off on a real server, at tc\n"
	"ingress of IF: IPIP and IPv6-in-IP (protocols 4 and 41), GRE, and GUE\n"
	"on each --gue-port given (up to 64). Attaching again replaces the\n"
	"program (and resets its counters). See xvs-decap(8).\n";

/* Set around calls whose failure is an expected answer (no qdisc, no
 * filter yet), which libbpf would otherwise report as warnings. */
static int expect_failure;

static int libbpf_warnings(enum libbpf_print_level level, const char *fmt,
			   va_list ap)
{
	if (level != LIBBPF_WARN || expect_failure)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xvs-decap: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* The ingress hook of ifname; 0, or 1 with the error printed. */
static int ingress_hook(const char *ifname, struct bpf_tc_hook *hook)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->attach_point = BPF_TC_INGRESS;
	hook->ifindex = (int)if_nametoindex(ifname);
	if (!hook->ifindex)
		return fail("no interface `%s'", ifname);
	return 0;
}

static void our_filter(struct bpf_tc_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->sz = sizeof(*opts);
	opts->handle = XVS_DECAP_TC_HANDLE;
	opts->priority = XVS_DECAP_TC_PRIO;
}

/*
 * The id of the program in our tc filter on hook: > 0, 0 when there is
 * none (or no clsact qdisc at all), or -errno.
 */
static long query(struct bpf_tc_hook *hook)
{
	struct bpf_tc_opts opts;
	int err;

	our_filter(&opts);
	expect_failure = 1;
	err = bpf_tc_query(hook, &opts);
	expect_failure = 0;
	if (err == -ENOENT || err == -EINVAL)
		return 0;
	return err ? err : (long)opts.prog_id;
}

/* The name of program id (BPF_OBJ_NAME_LEN bytes), "" if unknown. */
static void prog_name(__u32 id, char name[BPF_OBJ_NAME_LEN])
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	name[0] = '\0';
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		memcpy(name, info.name, BPF_OBJ_NAME_LEN);
	close(fd);
}

static int parse_port(const char *arg, __be16 *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *arg == '\0' || *end || v < 1 || v > 65535)
		return fail("invalid GUE port `%s' (1-65535)", arg);
	*port = htons((__u16)v);
	return 0;
}

static int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{"gue-port", required_argument, NULL, 'p'},
		{},
	};
	__be16 ports[XVS_DECAP_MAX_GUE_PORTS];
	struct bpf_tc_opts tc;
	struct bpf_tc_hook hook;
	struct xvs_decap *skel;
	char name[BPF_OBJ_NAME_LEN];
	int n = 0, c, err;
	__u8 one = 1;
	long id;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'p')
			return fail("attach: invalid option; see --help");
		if (n == XVS_DECAP_MAX_GUE_PORTS)
			return fail("at most %d GUE ports",
				    XVS_DECAP_MAX_GUE_PORTS);
		if (parse_port(optarg, &ports[n]))
			return 1;
		n++;
	}
	if (optind != argc - 1)
		return fail("attach needs one interface; see --help");
	if (ingress_hook(argv[optind], &hook))
		return 1;

	id = query(&hook);
	if (id < 0)
		return fail("cannot look at tc filters on %s: %s", argv[optind],
			    strerror((int)-id));
	if (id > 0) {
		prog_name((__u32)id, name);
		if (strcmp(name, PROG_NAME))
			return fail("%s: tc ingress priority %d handle 0x%x "
				    "holds another program (`%s', id %ld); "
				    "not replacing it",
				    argv[optind], XVS_DECAP_TC_PRIO,
				    XVS_DECAP_TC_HANDLE, name, id);
	}

	skel = xvs_decap__open_and_load();
	if (!skel)
		return fail("cannot load the decapsulation program: %s",
			    strerror(errno));
	for (int i = 0; i < n; i++) {
		err = bpf_map_update_elem(bpf_map__fd(skel->maps.gue_ports),
					  &ports[i], &one, BPF_ANY);
		if (err) {
			xvs_decap__destroy(skel);
			return fail("cannot set GUE port %u: %s",
				    ntohs(ports[i]), strerror(-err));
		}
	}
	expect_failure = 1;
	err = bpf_tc_hook_create(&hook);
	expect_failure = 0;
	if (err && err != -EEXIST) {
		xvs_decap__destroy(skel);
		return fail("cannot add a clsact qdisc to %s: %s",
			    argv[optind], strerror(-err));
	}
	our_filter(&tc);
	tc.prog_fd = bpf_program__fd(skel->progs.xvs_decap);
	tc.flags = BPF_TC_F_REPLACE;
	err = bpf_tc_attach(&hook, &tc);
	xvs_decap__destroy(skel); /* the filter keeps the program */
	if (err)
		return fail("cannot attach to %s: %s", argv[optind],
			    strerror(-err));
	return 0;
}

static int cmd_detach(int argc, char **argv)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts tc;
	char name[BPF_OBJ_NAME_LEN];
	long id;
	int err;

	if (argc != 2)
		return fail("detach needs one interface; see --help");
	if (ingress_hook(argv[1], &hook))
		return 1;
	id = query(&hook);
	if (id < 0)
		return fail("cannot look at tc filters on %s: %s", argv[1],
			    strerror((int)-id));
	if (id == 0)
		return 0; /* nothing attached: already as asked */
	prog_name((__u32)id, name);
	if (strcmp(name, PROG_NAME))
		return fail("%s: tc ingress priority %d handle 0x%x holds "
			    "another program (`%s', id %ld); not removing it",
			    argv[1], XVS_DECAP_TC_PRIO, XVS_DECAP_TC_HANDLE,
			    name, id);
	our_filter(&tc);
	err = bpf_tc_detach(&hook, &tc);
	if (err && err != -ENOENT)
		return fail("cannot detach from %s: %s", argv[1],
			    strerror(-err));
	return 0;
}

/* Sums the per-CPU counters of map fd into st. */
static int read_stats(int fd, struct xvs_decap_stats *st)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xvs_decap_stats *v;
	__u32 zero = 0;

	memset(st, 0, sizeof(*st));
	if (ncpu <= 0)
		return -1;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v || bpf_map_lookup_elem(fd, &zero, v)) {
		free(v);
		return -1;
	}
	for (int i = 0; i < ncpu; i++) {
		__u64 *sum = (__u64 *)st;
		const __u64 *c = (const __u64 *)&v[i];

		for (size_t j = 0; j < sizeof(*st) / sizeof(__u64); j++)
			sum[j] += c[j];
	}
	free(v);
	return 0;
}

static void print_ports(int fd)
{
	__be16 key, next;
	int n = 0;

	printf(", GUE ports");
	for (void *prev = NULL; !bpf_map_get_next_key(fd, prev, &next);
	     prev = &key) {
		printf(" %u", ntohs(next));
		key = next;
		n++;
	}
	if (!n)
		printf(" none");
}

/* One interface's program, its GUE ports and counters. */
static int show_prog(const char *ifname, __u32 id)
{
	__u32 map_ids[8] = {}, len = sizeof(struct bpf_prog_info);
	struct bpf_prog_info info = {
		.nr_map_ids = 8,
		.map_ids = (__u64)(unsigned long)map_ids,
	};
	struct xvs_decap_stats st;
	int fd, have_stats = 0;

	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len)) {
		if (fd >= 0)
			close(fd);
		return fail("%s: cannot read program %u: %s", ifname, id,
			    strerror(errno));
	}
	close(fd);
	printf("%s: %s, program id %u", ifname,
	       strcmp(info.name, PROG_NAME) ? "another program" : PROG_NAME,
	       id);
	for (__u32 i = 0; i < info.nr_map_ids && i < 8; i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int mfd = bpf_map_get_fd_by_id(map_ids[i]);

		if (mfd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(mfd, &mi, &mlen)) {
			if (!strcmp(mi.name, "gue_ports"))
				print_ports(mfd);
			else if (!strcmp(mi.name, "decap_stats"))
				have_stats = !read_stats(mfd, &st);
		}
		close(mfd);
	}
	printf("\n");
	if (!have_stats)
		return 0;
	printf("  decapsulated  ipip %llu  gue %llu  gre %llu\n"
	       "  passed        fragment %llu  unsupported %llu\n"
	       "  dropped       malformed %llu  error %llu\n",
	       (unsigned long long)st.decap_ipip,
	       (unsigned long long)st.decap_gue,
	       (unsigned long long)st.decap_gre,
	       (unsigned long long)st.pass_fragment,
	       (unsigned long long)st.pass_unsupported,
	       (unsigned long long)st.drop_malformed,
	       (unsigned long long)st.drop_error);
	return 0;
}

static int cmd_show(int argc, char **argv)
{
	struct if_nameindex *ifs, *i;
	struct bpf_tc_hook hook;
	int rc = 0;
	long id;

	if (argc > 2)
		return fail("show takes at most one interface; see --help");
	if (argc == 2) {
		if (ingress_hook(argv[1], &hook))
			return 1;
		id = query(&hook);
		if (id < 0)
			return fail("cannot look at tc filters on %s: %s",
				    argv[1], strerror((int)-id));
		if (!id) {
			printf("%s: not attached\n", argv[1]);
			return 0;
		}
		return show_prog(argv[1], (__u32)id);
	}
	ifs = if_nameindex();
	if (!ifs)
		return fail("cannot list interfaces: %s", strerror(errno));
	for (i = ifs; i->if_index; i++) {
		if (ingress_hook(i->if_name, &hook))
			continue;
		id = query(&hook);
		if (id > 0)
			rc |= show_prog(i->if_name, (__u32)id);
	}
	if_freenameindex(ifs);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{"attach", cmd_attach},
	{"detach", cmd_detach},
	{"show", cmd_show},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return fail("no command; see --help");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	libbpf_set_print(libbpf_warnings);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return fail("unknown command `%s'; see --help", argv[1]);
}
