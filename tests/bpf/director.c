// SPDX-License-Identifier: GPL-2.0
/* A director in a private network namespace for BPF fixtures; see
 * director.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "../unit/test.h"
#include "director.h"
#include "sched_hash.h"

struct director dir;

/* What dir_dest wrote for each id, for dir_dest_weight. */
#define DIR_MAX_DESTS 64
static struct xvs_dest_dp dest_dp[DIR_MAX_DESTS];

/* The namespace: every command must succeed. */
static const char *const setup[] = {
	"ip link set lo up",
	"ip link add eth0 type veth peer name eth1",
	"ip link set eth0 address 02:00:00:00:00:02",
	"ip link set eth0 up",
	"ip link set eth1 up",
	"ip addr add 198.18.0.2/24 dev eth0",
	"ip addr add 2001:db8::2/64 dev eth0 nodad",
	"ip neigh add " DIR_CLIENT4 " lladdr 02:00:00:00:00:01 dev eth0 "
	"nud permanent",
	"ip neigh add " DIR_CLIENT6 " lladdr 02:00:00:00:00:01 dev eth0 "
	"nud permanent",
};

static int write_sysctl(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = fputs(val, f) < 0;
	return fclose(f) || rc ? -1 : 0;
}

int dir_open(void)
{
	return dir_open_size(1024);
}

int dir_open_size(__u32 conn_table_size)
{
	struct xvs_dp_opts o = { .conn_table_size = conn_table_size };
	char err[256];

	memset(&dir, 0, sizeof(dir));
	if (unshare(CLONE_NEWNET)) {
		CHECK(0, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
		if (system(setup[i])) {
			CHECK(0, "`%s' failed", setup[i]);
			return -1;
		}
	}
	if (write_sysctl("/proc/sys/net/ipv4/ip_forward", "1") ||
	    write_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "1")) {
		CHECK(0, "cannot turn forwarding on: %s", strerror(errno));
		return -1;
	}
	dir.eth0 = (int)if_nametoindex("eth0");
	dir.eth1 = (int)if_nametoindex("eth1");
	if (xvs_dp_open(&dir.dp, &o, err, sizeof(err))) {
		CHECK(0, "xvs_dp_open: %s", err);
		return -1;
	}
	return 0;
}

void dir_close(void)
{
	xvs_dp_close(dir.dp);
	dir.dp = NULL;
}

static struct xvs_sched_table table;

const struct xvs_sched_table *dir_table(void)
{
	return &table;
}

/* sh, dh, mh: the table of the list, each server's weight as its last
 * weight (the tests set weights directly). */
static const struct xvs_sched_table *build_table(void)
{
	static struct xvs_table_dest td[XVS_MAX_DESTS_PER_SVC];
	struct xvs_table_src src = {
		.list = &dir.list,
		.dest = td,
		.mh_size = xvs_dp_mh_table_size(dir.dp),
		.af = dir.key.af,
	};

	if (!dir.ops->table_build)
		return NULL;
	for (__u32 i = 0; i < dir.list.n; i++) {
		__u32 id = dir.list.e[i].dest_id;

		td[i].addr = id < DIR_MAX_DESTS ? dest_dp[id].addr
						: (union xvs_addr){ 0 };
		td[i].port = id < DIR_MAX_DESTS ? dest_dp[id].port : 0;
		td[i].last_weight = dir.list.e[i].weight;
	}
	if (dir.ops->table_build(&src, &table)) {
		CHECK(0, "%s: table_build failed", dir.ops->name);
		return NULL;
	}
	return &table;
}

static void publish(void)
{
	if (!dir.ops)
		dir.ops = xvs_sched_find("rr");
	xvs_sched_list_finish(&dir.list);
	xvs_dp_sched_publish_table(dir.dp, 0, dir.ops, NULL, &dir.list,
				   build_table());
}

void dir_sched(const char *name, __u32 flags)
{
	struct xvs_svc_dp v = { .svc_id = 0, .sched_flags = flags };

	dir.ops = xvs_sched_find(name);
	dir.sched_flags = flags;
	v.sched_id = (__u16)dir.ops->id;
	xvs_dp_svc_set(dir.dp, &dir.key, &v);
	publish();
}

void dir_service(int af, __u8 proto, const char *vip, __u16 port)
{
	struct xvs_svc_dp v = { .svc_id = 0 };

	memset(&dir.key, 0, sizeof(dir.key));
	dir.key.addr = pkt_addr(af, vip);
	dir.key.port = htons(port);
	dir.key.proto = proto;
	dir.key.af = (__u8)af;
	dir.ops = xvs_sched_find("rr");
	dir.sched_flags = 0;
	v.sched_id = (__u16)dir.ops->id;
	xvs_dp_svc_set(dir.dp, &dir.key, &v);
	dir.list.n = 0;
	publish();
}

void dir_dest_mac(__u32 id, __u8 mac[6])
{
	const __u8 m[6] = { 0x02, 0, 0, 0, 0x10, (__u8)id };

	memcpy(mac, m, 6);
}

void dir_loads(struct xvs_sched_load *load, __u32 max_id)
{
	for (__u32 id = 0; id <= max_id; id++) {
		struct xvs_dest_conns *c = xvs_dp_dest_conns_mem(dir.dp, id);

		load[id].activeconns = c ? c->activeconns : 0;
		load[id].inactconns = c ? c->inactconns : 0;
		load[id].flags = c ? c->flags : 0;
	}
	xvs_sched_load_install(load, max_id + 1);
}

int dir_conn_dest(const struct flow *f)
{
	struct xvs_conn_key k = pkt_key(f);
	struct xvs_conn c;

	return xvs_dp_conn_lookup(dir.dp, &k, &c) ? -1 : (int)c.dest_id;
}

int dir_sent_to(const struct pkt *out)
{
	__u8 mac[6];

	if (out->len < 6)
		return -1;
	dir_dest_mac(out->b[5], mac);
	return memcmp(out->b, mac, 6) ? -1 : out->b[5];
}

void dir_dest(__u32 id, const char *addr, __u16 port, __u8 fwd)
{
	struct xvs_dest_dp d = {
		.af = dir.key.af,
		.fwd = fwd,
		.port = htons(port),
		.gen = id + 1,
		.ifindex = (__u32)dir.eth0,
		.flags = XVS_DEST_F_RESOLVED,
		.svc_id = 0,
	};

	d.addr = pkt_addr(dir.key.af, addr);
	dir_dest_mac(id, d.dmac);
	memcpy(d.smac, MAC_DIRECTOR, 6);
	xvs_dp_dest_set(dir.dp, id, &d);
	if (id < DIR_MAX_DESTS)
		dest_dp[id] = d;
	memmove(&dir.list.e[1], &dir.list.e[0],
		dir.list.n * sizeof(dir.list.e[0]));
	dir.list.e[0].dest_id = id;
	dir.list.e[0].weight = 1;
	dir.list.n++;
	publish();
}

void dir_dest_weight(__u32 id, __s32 weight)
{
	for (__u32 i = 0; i < dir.list.n; i++)
		if (dir.list.e[i].dest_id == id)
			dir.list.e[i].weight = weight;
	publish();
	if (id >= DIR_MAX_DESTS)
		return;
	dest_dp[id].flags &= ~XVS_DEST_F_WEIGHT0;
	if (!weight)
		dest_dp[id].flags |= XVS_DEST_F_WEIGHT0;
	xvs_dp_dest_set(dir.dp, id, &dest_dp[id]);
}

void dir_dest_del(__u32 id)
{
	struct xvs_dest_dp gone = { .gen = 0 };
	__u32 j = 0;

	for (__u32 i = 0; i < dir.list.n; i++)
		if (dir.list.e[i].dest_id != id)
			dir.list.e[j++] = dir.list.e[i];
	dir.list.n = j;
	publish(); /* unlisted first, then freed, as xvsd does */
	xvs_dp_dest_set(dir.dp, id, &gone);
}

void dir_dest_gen(__u32 id, __u32 gen)
{
	if (id >= DIR_MAX_DESTS)
		return;
	dest_dp[id].gen = gen;
	xvs_dp_dest_set(dir.dp, id, &dest_dp[id]);
}

void dir_nat_dests(__u32 n)
{
	xvs_dp_config(dir.dp)->nat_dests = n;
}

int xdp_run(int prog_fd, const struct pkt *in, struct pkt *out, int ifindex)
{
	/* data_end must equal the input size, or the run is refused */
	struct xdp_md ctx = { .data_end = (__u32)in->len,
			      .ingress_ifindex = (__u32)ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in->b,
		    .data_size_in = (__u32)in->len, .data_out = out->b,
		    .data_size_out = PKT_MAX, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx));

	memset(out, 0, sizeof(*out));
	if (bpf_prog_test_run_opts(prog_fd, &o)) {
		CHECK(0, "BPF_PROG_TEST_RUN: %s", strerror(errno));
		return -1;
	}
	out->len = o.data_size_out;
	return (int)o.retval;
}

int dir_run(const struct pkt *in, struct pkt *out, int ifindex)
{
	return xdp_run(xvs_dp_prog_fd(dir.dp), in, out, ifindex);
}

struct xvs_global_stats dir_counters(void)
{
	struct xvs_global_stats gs;

	memset(&gs, 0, sizeof(gs));
	xvs_dp_global_stats(dir.dp, &gs);
	return gs;
}

int pkt_same(const struct pkt *a, const struct pkt *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

int pkt_diff_at(const struct pkt *a, const struct pkt *b)
{
	size_t n = a->len < b->len ? a->len : b->len;

	for (size_t i = 0; i < n; i++)
		if (a->b[i] != b->b[i])
			return (int)i;
	return a->len == b->len ? -1 : (int)n;
}
