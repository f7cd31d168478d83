// SPDX-License-Identifier: GPL-2.0
/* Loading, attaching and programming the XDP data plane; see dataplane.h. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "dataplane.h"
#include "errbuf.h"
#include "sched_locality.h"
#include "sched_mh.h"
#include "tcp_state.h"
#include "threshold.h"
#include "xvs_xdp.skel.h"

#define XVS_MAX_IFACES 16

struct xvs_dp {
	struct xvs_xdp *skel;
	char pin_dir[256];
	int pinned;
	int n_links;
	int link_fd[XVS_MAX_IFACES];
	int ncpus;
	void *percpu_buf; /* ncpus * sizeof(struct xvs_global_stats) */
	struct xvs_dest_conns *dest_conns; /* mmap of the dest_conns map */
	size_t dest_conns_len;
	__u32 mh_table_size; /* M (sched_tables holds max(256, M) slots) */
};

/* The maps worth pinning for inspection with bpftool, by their names. */
static struct bpf_map **pinned_maps(struct xvs_xdp *s, int *n)
{
	static struct bpf_map *maps[10];

	maps[0] = s->maps.svc_map;
	maps[1] = s->maps.dests;
	maps[2] = s->maps.sched_lists;
	maps[3] = s->maps.conns;
	maps[4] = s->maps.svc_stats;
	maps[5] = s->maps.dest_stats;
	maps[6] = s->maps.global_stats;
	maps[7] = s->maps.bss;
	maps[8] = s->maps.data;
	maps[9] = s->maps.nat_replies;
	*n = 10;
	return maps;
}

/* bpffs refuses dots in names: "xvs_xdp.bss" is pinned as "xvs_xdp_bss". */
static void pin_path(const char *dir, struct bpf_map *map, char *buf,
		     size_t len)
{
	char *p;

	snprintf(buf, len, "%s/%s", dir, bpf_map__name(map));
	for (p = buf + strlen(dir) + 1; *p; p++)
		if (*p == '.')
			*p = '_';
}

static void unpin(struct xvs_dp *dp)
{
	struct bpf_map **maps;
	char path[512];
	int n;

	if (!dp->pinned)
		return;
	maps = pinned_maps(dp->skel, &n);
	for (int i = 0; i < n; i++) {
		pin_path(dp->pin_dir, maps[i], path, sizeof(path));
		unlink(path);
	}
	rmdir(dp->pin_dir);
	dp->pinned = 0;
}

/*
 * Pins every map under pin_dir. A directory left by a daemon that died is
 * reused (its pins are replaced); the caller guarantees no live daemon
 * uses it (the control socket is the lock).
 */
static int pin(struct xvs_dp *dp, const char *dir, char *err, size_t errlen)
{
	struct bpf_map **maps;
	char path[512];
	int n, rc;

	if (strlen(dir) >= sizeof(dp->pin_dir))
		return xvs_fail(err, errlen, -ENAMETOOLONG, "pin path too long: %s",
			    dir);
	strcpy(dp->pin_dir, dir);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return xvs_fail(err, errlen, -errno, "cannot create %s: %s", dir,
			    strerror(errno));
	dp->pinned = 1;
	maps = pinned_maps(dp->skel, &n);
	for (int i = 0; i < n; i++) {
		pin_path(dir, maps[i], path, sizeof(path));
		unlink(path);
		rc = bpf_map__pin(maps[i], path);
		if (rc)
			return xvs_fail(err, errlen, rc, "cannot pin %s: %s", path,
				    strerror(-rc));
	}
	return 0;
}

/* The per-server connection counts, shared with the data plane. */
static int map_dest_conns(struct xvs_dp *dp, char *err, size_t errlen)
{
	struct bpf_map *map = dp->skel->maps.dest_conns;
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)bpf_map__max_entries(map) *
		     bpf_map__value_size(map);
	void *mem;

	len = (len + page - 1) / page * page;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bpf_map__fd(map), 0);
	if (mem == MAP_FAILED)
		return xvs_fail(err, errlen, -errno,
				"cannot map the connection counters: %s",
				strerror(errno));
	dp->dest_conns = mem;
	dp->dest_conns_len = len;
	return 0;
}

/* Sizes the sched_tables values for mh's M (m, 0 for the default) before
 * loading; sh and dh need 256 slots. */
static int set_table_size(struct xvs_dp *dp, __u32 m, char *err,
			  size_t errlen)
{
	__u32 slots;

	if (!m)
		m = XVS_MH_TAB_SIZE_DEFAULT;
	if (xvs_mh_size_index(m) < 0)
		return xvs_fail(err, errlen, -EINVAL,
				"mh table size %u is not one of IPVS's primes "
				"(251 509 1021 2039 4093 8191 16381 32749 "
				"65521 131071)",
				m);
	slots = m > XVS_HASH_TAB_SIZE ? m : XVS_HASH_TAB_SIZE;
	dp->mh_table_size = m;
	dp->skel->rodata->xvs_table_slots = slots;
	return bpf_map__set_value_size(dp->skel->maps.sched_tables,
				       xvs_table_bytes(slots));
}

int xvs_dp_open(struct xvs_dp **dpp, const struct xvs_dp_opts *opts,
		char *err, size_t errlen)
{
	struct xvs_dp *dp;
	int rc;

	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return xvs_fail(err, errlen, -ENOMEM, "out of memory");
	dp->ncpus = libbpf_num_possible_cpus();
	if (dp->ncpus <= 0) {
		rc = xvs_fail(err, errlen, dp->ncpus ? dp->ncpus : -EINVAL,
			  "cannot count CPUs");
		goto err_free;
	}
	dp->percpu_buf = calloc(dp->ncpus, sizeof(struct xvs_global_stats));
	dp->skel = xvs_xdp__open();
	if (!dp->percpu_buf || !dp->skel) {
		rc = xvs_fail(err, errlen, -errno ? -errno : -ENOMEM,
			  "cannot open the BPF object: %s", strerror(errno));
		goto err_skel;
	}
	if (opts->conn_table_size) {
		bpf_map__set_max_entries(dp->skel->maps.conns,
					 opts->conn_table_size);
		/* at most one reverse entry per connection */
		bpf_map__set_max_entries(dp->skel->maps.nat_replies,
					 opts->conn_table_size);
	}
	dp->skel->rodata->xvs_conn_capacity =
		bpf_map__max_entries(dp->skel->maps.conns);
	rc = set_table_size(dp, opts->mh_table_size, err, errlen);
	if (rc)
		goto err_skel;
	rc = xvs_xdp__load(dp->skel);
	if (rc) {
		rc = xvs_fail(err, errlen, rc,
			  "cannot load the XDP program (is this root, with "
			  "BPF enabled?): %s",
			  strerror(-rc));
		goto err_skel;
	}
	for (int i = 0; i < XVS_MAX_SERVICES; i++)
		dp->skel->bss->xvs_sched_state[i] = xvs_sched_state_init();
	rc = map_dest_conns(dp, err, errlen);
	if (rc)
		goto err_skel;
	if (opts->pin_dir) {
		rc = pin(dp, opts->pin_dir, err, errlen);
		if (rc)
			goto err_pin;
	}
	*dpp = dp;
	return 0;

err_pin:
	unpin(dp);
	munmap(dp->dest_conns, dp->dest_conns_len);
err_skel:
	xvs_xdp__destroy(dp->skel);
	free(dp->percpu_buf);
err_free:
	free(dp);
	return rc;
}

void xvs_dp_close(struct xvs_dp *dp)
{
	if (!dp)
		return;
	for (int i = 0; i < dp->n_links; i++)
		close(dp->link_fd[i]);
	unpin(dp);
	if (dp->dest_conns)
		munmap(dp->dest_conns, dp->dest_conns_len);
	xvs_xdp__destroy(dp->skel);
	free(dp->percpu_buf);
	free(dp);
}

static int link_xdp(struct xvs_dp *dp, int ifindex, __u32 flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = flags);
	int fd = bpf_link_create(bpf_program__fd(dp->skel->progs.xvs_xdp),
				 ifindex, BPF_XDP, &lo);

	return fd < 0 ? -errno : fd;
}

int xvs_dp_attach(struct xvs_dp *dp, const char *ifname,
		  enum xvs_xdp_mode mode, enum xvs_xdp_mode *used, char *err,
		  size_t errlen)
{
	int ifindex = if_nametoindex(ifname);
	int fd = -EOPNOTSUPP;

	if (!ifindex)
		return xvs_fail(err, errlen, -ENODEV, "no interface '%s'", ifname);
	if (dp->n_links == XVS_MAX_IFACES)
		return xvs_fail(err, errlen, -E2BIG, "at most %d interfaces",
			    XVS_MAX_IFACES);
	if (mode != XVS_XDP_GENERIC) {
		fd = link_xdp(dp, ifindex, XDP_FLAGS_DRV_MODE);
		*used = XVS_XDP_NATIVE;
	}
	if (fd < 0 && mode != XVS_XDP_NATIVE && fd != -EBUSY &&
	    fd != -EEXIST) {
		fd = link_xdp(dp, ifindex, XDP_FLAGS_SKB_MODE);
		*used = XVS_XDP_GENERIC;
	}
	if (fd == -EBUSY || fd == -EEXIST)
		return xvs_fail(err, errlen, fd,
			    "'%s' already has an XDP program attached", ifname);
	if (fd < 0)
		return xvs_fail(err, errlen, fd, "cannot attach XDP to '%s': %s",
			    ifname, strerror(-fd));
	dp->link_fd[dp->n_links++] = fd;
	return 0;
}

int xvs_dp_prog_fd(const struct xvs_dp *dp)
{
	return bpf_program__fd(dp->skel->progs.xvs_xdp);
}

static int ret(int rc)
{
	return rc < 0 ? -errno : 0;
}

int xvs_dp_svc_set(struct xvs_dp *dp, const struct xvs_svc_key *key,
		   const struct xvs_svc_dp *val)
{
	return ret(bpf_map_update_elem(bpf_map__fd(dp->skel->maps.svc_map),
				       key, val, BPF_ANY));
}

int xvs_dp_svc_del(struct xvs_dp *dp, const struct xvs_svc_key *key)
{
	return ret(bpf_map_delete_elem(bpf_map__fd(dp->skel->maps.svc_map),
				       key));
}

int xvs_dp_dest_set(struct xvs_dp *dp, __u32 dest_id,
		    const struct xvs_dest_dp *val)
{
	return ret(bpf_map_update_elem(bpf_map__fd(dp->skel->maps.dests),
				       &dest_id, val, BPF_ANY));
}

/* Writes table (or removes a stale one) at key, the slot about to go
 * live. */
static int publish_table(struct xvs_dp *dp, __u32 key,
			 const struct xvs_sched_table *table)
{
	int fd = bpf_map__fd(dp->skel->maps.sched_tables);

	if (!table) {
		bpf_map_delete_elem(fd, &key);
		return 0;
	}
	if (table->size > dp->skel->rodata->xvs_table_slots)
		return -E2BIG;
	return bpf_map_update_elem(fd, &key, table, BPF_ANY) ? -errno : 0;
}

int xvs_dp_sched_publish(struct xvs_dp *dp, __u32 svc_id,
			 const struct xvs_sched_ops *ops,
			 const struct xvs_sched_list *old,
			 const struct xvs_sched_list *new)
{
	return xvs_dp_sched_publish_table(dp, svc_id, ops, old, new, NULL);
}

__u32 xvs_dp_mh_table_size(const struct xvs_dp *dp)
{
	return dp->mh_table_size;
}

int xvs_dp_sched_publish_table(struct xvs_dp *dp, __u32 svc_id,
			       const struct xvs_sched_ops *ops,
			       const struct xvs_sched_list *old,
			       const struct xvs_sched_list *new,
			       const struct xvs_sched_table *table)
{
	static const struct xvs_sched_list empty;
	__u64 *word = &dp->skel->bss->xvs_sched_state[svc_id];
	__u64 cur, next;
	__u32 slot, key;
	int rc;

	if (svc_id >= XVS_MAX_SERVICES)
		return -EINVAL;
	cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);
	slot = !xvs_state_slot(cur);
	key = svc_id * 2 + slot;
	rc = bpf_map_update_elem(bpf_map__fd(dp->skel->maps.sched_lists), &key,
				 new, BPF_ANY);
	if (rc)
		return -errno;
	rc = publish_table(dp, key, table);
	if (rc)
		return rc;
	if (!old) {
		/* A fresh scheduler starts from its initial state, whatever
		 * the data plane was doing with the previous one. */
		cur = xvs_state_make(0, XVS_POS_HEAD, 0, xvs_state_gen(cur));
		next = xvs_sched_publish(ops, &empty, new, cur, slot);
		__atomic_store_n(word, next, __ATOMIC_RELEASE);
		return 0;
	}
	/* The data plane may move the state between our load and our swap;
	 * recompute from what it left until the swap holds. */
	do {
		next = xvs_sched_publish(ops, old, new, cur, slot);
	} while (!__atomic_compare_exchange_n(word, &cur, next, 0,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return 0;
}

/* Deletes the keys of service svc_id from one cache map. The keys are
 * gathered first: deleting during a walk would restart it. */
static int locality_flush_map(struct bpf_map *map, __u32 svc_id)
{
	struct xvs_locality_key key, *prev = NULL, *found = NULL, *grown;
	int fd = bpf_map__fd(map), rc = 0;
	size_t n = 0, cap = 0;

	while (!bpf_map_get_next_key(fd, prev, &key)) {
		if (key.svc_id == svc_id) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				grown = realloc(found, cap * sizeof(*found));
				if (!grown) {
					rc = -ENOMEM;
					break;
				}
				found = grown;
			}
			found[n++] = key;
		}
		prev = &key;
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &found[i]);
	free(found);
	return rc;
}

int xvs_dp_locality_flush(struct xvs_dp *dp, __u32 svc_id)
{
	int rc = locality_flush_map(dp->skel->maps.lblc_cache, svc_id);
	int rc2 = locality_flush_map(dp->skel->maps.lblcr_cache, svc_id);

	return rc ? rc : rc2;
}

void xvs_dp_sched_drop(struct xvs_dp *dp, __u32 svc_id)
{
	int fd = bpf_map__fd(dp->skel->maps.sched_lists);
	__u32 key;

	if (svc_id >= XVS_MAX_SERVICES)
		return;
	for (__u32 slot = 0; slot < 2; slot++) {
		key = svc_id * 2 + slot;
		bpf_map_delete_elem(fd, &key);
		bpf_map_delete_elem(bpf_map__fd(dp->skel->maps.sched_tables),
				    &key);
	}
	dp->skel->bss->xvs_sched_state[svc_id] = xvs_sched_state_init();
}

__u64 xvs_dp_sched_state(const struct xvs_dp *dp, __u32 svc_id)
{
	return __atomic_load_n(&dp->skel->bss->xvs_sched_state[svc_id],
			       __ATOMIC_ACQUIRE);
}

/* Sums a per-CPU array entry made of u64 counters. */
static int percpu_sum(struct xvs_dp *dp, struct bpf_map *map, __u32 key,
		      __u64 *out, size_t n_u64)
{
	__u64 *all = dp->percpu_buf;
	size_t stride = bpf_map__value_size(map) / sizeof(__u64);

	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, all))
		return -errno;
	memset(out, 0, n_u64 * sizeof(__u64));
	for (int cpu = 0; cpu < dp->ncpus; cpu++)
		for (size_t i = 0; i < n_u64; i++)
			out[i] += all[cpu * stride + i];
	return 0;
}

static int percpu_zero(struct xvs_dp *dp, struct bpf_map *map, __u32 key)
{
	memset(dp->percpu_buf, 0, dp->ncpus * bpf_map__value_size(map));
	return ret(bpf_map_update_elem(bpf_map__fd(map), &key, dp->percpu_buf,
				       BPF_ANY));
}

#define N_U64(type) (sizeof(type) / sizeof(__u64))

int xvs_dp_svc_stats(struct xvs_dp *dp, __u32 svc_id, struct xvs_stats *out)
{
	return percpu_sum(dp, dp->skel->maps.svc_stats, svc_id, (__u64 *)out,
			  N_U64(*out));
}

int xvs_dp_dest_stats(struct xvs_dp *dp, __u32 dest_id, struct xvs_stats *out)
{
	return percpu_sum(dp, dp->skel->maps.dest_stats, dest_id, (__u64 *)out,
			  N_U64(*out));
}

int xvs_dp_svc_stats_zero(struct xvs_dp *dp, __u32 svc_id)
{
	return percpu_zero(dp, dp->skel->maps.svc_stats, svc_id);
}

int xvs_dp_dest_stats_zero(struct xvs_dp *dp, __u32 dest_id)
{
	return percpu_zero(dp, dp->skel->maps.dest_stats, dest_id);
}

int xvs_dp_global_stats(struct xvs_dp *dp, struct xvs_global_stats *out)
{
	return percpu_sum(dp, dp->skel->maps.global_stats, 0, (__u64 *)out,
			  N_U64(*out));
}

struct xvs_dp_config *xvs_dp_config(struct xvs_dp *dp)
{
	return &dp->skel->data->xvs_config;
}

int xvs_dp_conn_lookup(struct xvs_dp *dp, const struct xvs_conn_key *key,
		       struct xvs_conn *out)
{
	return ret(bpf_map_lookup_elem(bpf_map__fd(dp->skel->maps.conns), key,
				       out));
}

int xvs_dp_conns_fd(const struct xvs_dp *dp)
{
	return bpf_map__fd(dp->skel->maps.conns);
}

__u32 xvs_dp_conn_capacity(const struct xvs_dp *dp)
{
	return bpf_map__max_entries(dp->skel->maps.conns);
}

#define CONN_BATCH 1024

int xvs_dp_conn_walk_some(struct xvs_dp *dp, struct xvs_conn_cursor *cur,
			  __u32 max, xvs_conn_cb cb, void *data)
{
	static struct xvs_conn_key keys[CONN_BATCH];
	static struct xvs_conn vals[CONN_BATCH];
	int fd = xvs_dp_conns_fd(dp), rc = 0, end = 0;
	__u32 out_batch, n, seen = 0;

	while (!end && !rc && seen < max) {
		LIBBPF_OPTS(bpf_map_batch_opts, bo);

		n = CONN_BATCH;
		if (bpf_map_lookup_batch(fd, cur->started ? &cur->batch : NULL,
					 &out_batch, keys, vals, &n, &bo)) {
			if (errno != ENOENT)
				return -errno;
			end = 1; /* the last, possibly partial, batch */
		}
		for (__u32 i = 0; i < n && !rc; i++)
			rc = cb(&keys[i], &vals[i], data);
		seen += n;
		cur->batch = out_batch;
		cur->started = !end;
	}
	return rc ? rc : end;
}

int xvs_dp_conn_walk(struct xvs_dp *dp, xvs_conn_cb cb, void *data)
{
	struct xvs_conn_cursor cur = { 0 };
	int rc = xvs_dp_conn_walk_some(dp, &cur, ~0u, cb, data);

	return rc == 1 ? 0 : rc;
}

int xvs_dp_conn_reap(struct xvs_dp *dp, const struct xvs_conn_key *keys,
		     __u32 n)
{
	int fd = bpf_program__fd(dp->skel->progs.xvs_conn_reap);
	struct xvs_xdp__bss *bss = dp->skel->bss;
	int removed = 0;

	while (n) {
		LIBBPF_OPTS(bpf_test_run_opts, o);
		__u32 k = n < XVS_REAP_BATCH ? n : XVS_REAP_BATCH;

		memcpy(bss->xvs_reap_keys, keys, k * sizeof(*keys));
		bss->xvs_reap_n = k;
		bss->xvs_reap_now = xvs_conn_clock();
		if (bpf_prog_test_run_opts(fd, &o))
			return -errno;
		removed += (int)bss->xvs_reap_done;
		keys += k;
		n -= k;
	}
	return removed;
}

void xvs_dp_dest_conns(const struct xvs_dp *dp, __u32 dest_id,
		       __u32 *active, __u32 *inactive)
{
	const struct xvs_dest_conns *c;

	*active = *inactive = 0;
	if (dest_id >= XVS_MAX_DESTS)
		return;
	c = &dp->dest_conns[dest_id];
	*active = __atomic_load_n(&c->activeconns, __ATOMIC_RELAXED);
	*inactive = __atomic_load_n(&c->inactconns, __ATOMIC_RELAXED);
}

void xvs_dp_dest_conns_reset(struct xvs_dp *dp, __u32 dest_id)
{
	struct xvs_dest_conns *c;

	if (dest_id >= XVS_MAX_DESTS)
		return;
	c = &dp->dest_conns[dest_id];
	__atomic_store_n(&c->activeconns, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->inactconns, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->flags, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->persistconns, 0, __ATOMIC_RELAXED);
}

void xvs_dp_dest_thresholds(struct xvs_dp *dp, __u32 dest_id, __u32 u,
			    __u32 l)
{
	struct xvs_dest_conns *c = xvs_dp_dest_conns_mem(dp, dest_id);
	__u32 old_u;

	if (!c)
		return;
	old_u = __atomic_load_n(&c->u_threshold, __ATOMIC_RELAXED);
	if (xvs_threshold_edit_clears(old_u, u))
		__atomic_fetch_and(&c->flags, ~XVS_DEST_CONNS_OVERLOAD,
				   __ATOMIC_RELAXED);
	__atomic_store_n(&c->l_threshold, l, __ATOMIC_RELAXED);
	__atomic_store_n(&c->u_threshold, u, __ATOMIC_RELAXED);
}

struct xvs_dest_conns *xvs_dp_dest_conns_mem(struct xvs_dp *dp,
					     __u32 dest_id)
{
	return dest_id < XVS_MAX_DESTS ? &dp->dest_conns[dest_id] : NULL;
}

__u32 xvs_dp_dest_persistconns(const struct xvs_dp *dp, __u32 dest_id)
{
	if (dest_id >= XVS_MAX_DESTS)
		return 0;
	return __atomic_load_n(&dp->dest_conns[dest_id].persistconns,
			       __ATOMIC_RELAXED);
}

int xvs_dp_mark_rule_set(struct xvs_dp *dp, __u32 index,
			 const struct xvs_mark_rule *r)
{
	return ret(bpf_map_update_elem(bpf_map__fd(dp->skel->maps.mark_rules),
				       &index, r, BPF_ANY));
}
