/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon's table checks and writes for persistence (-p, -M),
 * one-packet scheduling (-o), fwmark services (-f) and port-zero
 * services, as IPVS's ip_vs_ctl.c and ipvsadm accept them. Functions
 * return 0 or -errno with a message in err.
 */
#ifndef XVS_DAEMON_SVC_PERSIST_H
#define XVS_DAEMON_SVC_PERSIST_H

#include <stddef.h>
#include "ipc.h"

struct xvs_table;

/* A service's key and options: a well-formed fwmark key; -p's timeout
 * 1..31 days; an IPv6 prefix length 1..128; port 0 only with -p (or
 * fwmark); -o only for UDP or fwmark services. */
int xvs_svc_persist_check(const struct xvs_svc_conf *c, char *err,
			  size_t errlen);

/* The data plane's copy: timeout, netmask, mark and port. */
void xvs_svc_persist_dp(const struct xvs_svc_conf *c, struct xvs_svc_dp *v);

/*
 * A real server's port, as ipvsadm and IPVS take it: DR and TUN servers
 * of address services have the service's; fwmark services' keep theirs;
 * NAT servers need one except for fwmark and port-zero services, where
 * 0 means "the port the client asked for". Returns 0 or -EINVAL.
 */
int xvs_dest_port_check(const struct xvs_svc_conf *svc,
			const struct xvs_dest_conf *d, const char *name,
			char *err, size_t errlen);

/* The port the data plane forwards to (xvs_dest_dp.port): 0, "the
 * client's", for the servers of persistent fwmark and port-zero services,
 * which IPVS sends to the port the packet has (ip_vs_sched_persist). */
__be16 xvs_dest_dp_port(const struct xvs_svc_conf *svc,
			const struct xvs_dest_conf *d);

/* Tells the data plane how many FTP (TCP port 21) and port-zero services
 * exist, for its fallback lookups (bpf/svc_find.h). Walks the table. */
void xvs_svc_persist_sync(struct xvs_table *t);

#endif /* XVS_DAEMON_SVC_PERSIST_H */
