/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's handle on the XDP data plane: loading the program, attaching
 * it to interfaces, and every write to its maps. Nothing else in the
 * daemon touches a BPF map. The BPF unit tests drive the data plane through
 * this module too, so they program it exactly as the daemon does.
 *
 * All functions return 0 or -errno and write a message into err on failure.
 */
#ifndef XVS_DAEMON_DATAPLANE_H
#define XVS_DAEMON_DATAPLANE_H

#include <stddef.h>
#include "xvs_model.h"
#include "scheduler.h"

struct xvs_dp;

struct xvs_dp_opts {
	const char *pin_dir;   /* NULL: do not pin (tests) */
	__u32 conn_table_size; /* 0: the built-in default */
	__u32 mh_table_size;   /* mh's M (core/sched_mh.h); 0: 4093 */
};

enum xvs_xdp_mode {
	XVS_XDP_AUTO = 0, /* native, falling back to generic */
	XVS_XDP_NATIVE,
	XVS_XDP_GENERIC,
};

int xvs_dp_open(struct xvs_dp **dpp, const struct xvs_dp_opts *opts,
		char *err, size_t errlen);
/* Detaches from every interface, unpins, frees. */
void xvs_dp_close(struct xvs_dp *dp);

/*
 * Attaches the program to ifname through a BPF link (so it goes away with
 * the daemon, even on a crash). *used tells which mode it got; with
 * XVS_XDP_AUTO a fallback to generic mode is reported there.
 */
int xvs_dp_attach(struct xvs_dp *dp, const char *ifname,
		  enum xvs_xdp_mode mode, enum xvs_xdp_mode *used, char *err,
		  size_t errlen);

int xvs_dp_prog_fd(const struct xvs_dp *dp);

int xvs_dp_svc_set(struct xvs_dp *dp, const struct xvs_svc_key *key,
		   const struct xvs_svc_dp *val);
int xvs_dp_svc_del(struct xvs_dp *dp, const struct xvs_svc_key *key);

int xvs_dp_dest_set(struct xvs_dp *dp, __u32 dest_id,
		    const struct xvs_dest_dp *val);

/*
 * Publishes new as the service's scheduling list: writes it into the unused
 * slot, then switches to it with a compare-and-swap of the state word,
 * applying the scheduler's relink rule against old (the list published
 * before, NULL for a service that had none, which also resets the state).
 */
int xvs_dp_sched_publish(struct xvs_dp *dp, __u32 svc_id,
			 const struct xvs_sched_ops *ops,
			 const struct xvs_sched_list *old,
			 const struct xvs_sched_list *new);
/*
 * The same, with the lookup table the list's scheduler indexes it by (sh,
 * dh, mh; NULL for the others): written into the new list's slot before
 * the switch, so the data plane never sees a table and a list of
 * different publishes. The table's size must not exceed
 * xvs_dp_mh_table_size's (or 256).
 */
int xvs_dp_sched_publish_table(struct xvs_dp *dp, __u32 svc_id,
			       const struct xvs_sched_ops *ops,
			       const struct xvs_sched_list *old,
			       const struct xvs_sched_list *new,
			       const struct xvs_sched_table *table);
/* mh's table size M the data plane was loaded for. */
__u32 xvs_dp_mh_table_size(const struct xvs_dp *dp);
/*
 * Empties lblc's and lblcr's caches of service svc_id (bpf/sched_cache.h),
 * as IPVS drops a scheduler's data with the scheduler: for a deleted
 * service, or one that changes scheduler. Cost: a walk of both caches.
 */
int xvs_dp_locality_flush(struct xvs_dp *dp, __u32 svc_id);
/* Forgets a deleted service's lists. */
void xvs_dp_sched_drop(struct xvs_dp *dp, __u32 svc_id);
__u64 xvs_dp_sched_state(const struct xvs_dp *dp, __u32 svc_id);

/* Sums of the per-CPU counters; zeroing writes zero on every CPU. */
int xvs_dp_svc_stats(struct xvs_dp *dp, __u32 svc_id, struct xvs_stats *out);
int xvs_dp_dest_stats(struct xvs_dp *dp, __u32 dest_id, struct xvs_stats *out);
int xvs_dp_svc_stats_zero(struct xvs_dp *dp, __u32 svc_id);
int xvs_dp_dest_stats_zero(struct xvs_dp *dp, __u32 dest_id);
int xvs_dp_global_stats(struct xvs_dp *dp, struct xvs_global_stats *out);

struct xvs_dp_config *xvs_dp_config(struct xvs_dp *dp);

/* Connection table access for tests and listings. */
int xvs_dp_conn_lookup(struct xvs_dp *dp, const struct xvs_conn_key *key,
		       struct xvs_conn *out);
int xvs_dp_conns_fd(const struct xvs_dp *dp);
/* How many connections the table holds before the LRU evicts. */
__u32 xvs_dp_conn_capacity(const struct xvs_dp *dp);
/*
 * Calls cb for every entry of the connection table (in batches, a few
 * system calls per thousand entries); a non-zero return from cb stops the
 * walk and is returned. The table changes meanwhile: an entry may be seen
 * twice or not at all, as with any walk of a live hash table.
 */
typedef int (*xvs_conn_cb)(const struct xvs_conn_key *key,
			   const struct xvs_conn *val, void *data);
int xvs_dp_conn_walk(struct xvs_dp *dp, xvs_conn_cb cb, void *data);

/*
 * The same walk in steps, for the sweep: from *cur (zeroed to start) on,
 * at least max entries (or to the end), in batches of 1024. Returns 1
 * when the walk reached the end of the table (*cur starts over), 0 when
 * entries remain, or -errno (a negative return of cb stops the step).
 */
struct xvs_conn_cursor {
	__u32 batch;  /* the kernel's position token */
	int started;  /* 0: the next step starts at the beginning */
};
int xvs_dp_conn_walk_some(struct xvs_dp *dp, struct xvs_conn_cursor *cur,
			  __u32 max, xvs_conn_cb cb, void *data);

/*
 * Removes the entries of keys that are still dead when the data plane
 * looks at them again, releasing their counts (bpf/conn_reap.h). Returns
 * how many it removed, or -errno. Cost: one program run per 256 keys.
 */
int xvs_dp_conn_reap(struct xvs_dp *dp, const struct xvs_conn_key *keys,
		     __u32 n);

/* A real server's ActiveConn and InActConn, as the data plane counts
 * them (0 for an id out of range). */
void xvs_dp_dest_conns(const struct xvs_dp *dp, __u32 dest_id,
		       __u32 *active, __u32 *inactive);
/* Zeroes them: for a new real server on a reused id, before the data
 * plane can see it. */
void xvs_dp_dest_conns_reset(struct xvs_dp *dp, __u32 dest_id);
/*
 * Its connection thresholds (-x, -y), which the data plane applies as
 * connections bind and unbind (bpf/conn.h); OVERLOAD is cleared as IPVS's
 * __ip_vs_update_dest does, when the new upper threshold is 0 or larger
 * than the old (core/threshold.h). For a new server after the reset.
 */
void xvs_dp_dest_thresholds(struct xvs_dp *dp, __u32 dest_id, __u32 u,
			    __u32 l);
/* Its counters as the data plane shares them (memory-mapped, changed by
 * the data plane at any time: atomics only), NULL for an id out of range.
 * For tests that set a load. */
struct xvs_dest_conns *xvs_dp_dest_conns_mem(struct xvs_dp *dp,
					     __u32 dest_id);
/* Its PersistConn: persistence templates bound to it. */
__u32 xvs_dp_dest_persistconns(const struct xvs_dp *dp, __u32 dest_id);

/* Writes entry index of the mark_rules map (core/mark.h); the daemon's
 * mark table (marks.c) publishes whole sets through it. */
struct xvs_mark_rule;
int xvs_dp_mark_rule_set(struct xvs_dp *dp, __u32 index,
			 const struct xvs_mark_rule *r);

#endif /* XVS_DAEMON_DATAPLANE_H */
