/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A director for BPF fixtures that need the kernel's routing: a fresh
 * private network namespace with forwarding on and a veth pair,
 *   eth0  MAC_DIRECTOR, 198.18.0.2/24 and 2001:db8::2/64, the client
 *         198.18.0.1 / 2001:db8::1 a permanent neighbour at MAC_CLIENT
 *   eth1  its peer, up, no address (an "other" receiving interface)
 * and the data plane loaded (daemon/dataplane.c, as xvsd loads it) with
 * one service, id 0, scheduled rr. Real servers get MACs dir_dest_mac(id)
 * and leave through eth0. Runs `ip`; needs root.
 */
#ifndef XVS_TEST_DIRECTOR_H
#define XVS_TEST_DIRECTOR_H

#include "dataplane.h"
#include "pkt.h"

#define DIR_CLIENT4 "198.18.0.1"
#define DIR_CLIENT6 "2001:db8::1"

struct director {
	struct xvs_dp *dp;
	int eth0, eth1; /* ifindexes */
	struct xvs_svc_key key;
	struct xvs_sched_list list;
	int published;
	const struct xvs_sched_ops *ops; /* the service's scheduler, rr */
	__u32 sched_flags;               /* its -b flags */
};

extern struct director dir;

/* Sets everything up; 0 or -1 (after a failed CHECK saying why). */
int dir_open(void);
/* The same with a connection table of conn_table_size entries (dir_open:
 * 1024; 0: the data plane's default, as xvsd's). */
int dir_open_size(__u32 conn_table_size);
void dir_close(void);
/* The one service, rr. */
void dir_service(int af, __u8 proto, const char *vip, __u16 port);
/* The service's scheduler and -b flags (republished as xvsd does, with
 * sh's, dh's and mh's table built from the real servers). */
void dir_sched(const char *name, __u32 flags);
/* Gives real server id another generation, as xvsd does when it reuses a
 * freed id for a new server. */
void dir_dest_gen(__u32 id, __u32 gen);
/* The table published last (sh, dh, mh). */
const struct xvs_sched_table *dir_table(void);
/* Real server id at addr:port (host order) with method fwd. */
void dir_dest(__u32 id, const char *addr, __u16 port, __u8 fwd);
void dir_dest_mac(__u32 id, __u8 mac[6]);
/* The real server of f's connection entry, -1 without one. */
int dir_conn_dest(const struct flow *f);
/* The real server a frame left for (by its destination MAC), or -1. */
int dir_sent_to(const struct pkt *out);
/* -e -w: a new weight for real server id (weight 0 also flags it, as
 * xvsd does for --expire-quiescent-template). */
void dir_dest_weight(__u32 id, __s32 weight);
/* -d: real server id leaves the list, then the data plane. */
void dir_dest_del(__u32 id);
/* The loads the data plane counts (ActiveConn, InActConn, OVERLOAD of
 * real servers 0..max_id, from the dest_conns map) copied into load and
 * installed for the core's picks, which then see what the data plane
 * sees. load must hold max_id + 1 entries and outlive those picks. */
void dir_loads(struct xvs_sched_load *load, __u32 max_id);
/* Tells the data plane how many NAT real servers exist, as xvsd does. */
void dir_nat_dests(__u32 n);
/* Runs one frame received on ifindex through the program prog_fd (any
 * data plane, BPF_PROG_TEST_RUN); returns the verdict, out holds the frame
 * as the program left it. */
int xdp_run(int prog_fd, const struct pkt *in, struct pkt *out, int ifindex);
/* The same through the director's data plane. */
int dir_run(const struct pkt *in, struct pkt *out, int ifindex);
struct xvs_global_stats dir_counters(void);
int pkt_same(const struct pkt *a, const struct pkt *b);
/* The first differing byte of two frames, or -1 (for messages). */
int pkt_diff_at(const struct pkt *a, const struct pkt *b);

/* One check: the verdict and the exact frame (what: a description). */
#define CHECK_FRAME(what, verdict, want_verdict, out, want)                \
	do {                                                               \
		int v_ = (verdict);                                        \
		CHECK(v_ == (want_verdict) && pkt_same(out, want),         \
		      "%s: verdict %d (want %d), first wrong byte %d",     \
		      what, v_, want_verdict, pkt_diff_at(out, want));     \
	} while (0)

#endif
