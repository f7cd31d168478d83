/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How to reach a real server at L2, read from the kernel's routing and
 * neighbour tables over rtnetlink: the output interface, its MAC, and the
 * MAC of the next hop (the real server itself when it is on-link, else the
 * route's gateway). The XDP data plane cannot resolve neighbours itself;
 * the daemon copies this into struct xvs_dest_dp.
 *
 * Each context owns one NETLINK_ROUTE socket and talks to the kernel
 * synchronously: every call is a request and its reply (a few microseconds,
 * the kernel answers inside sendmsg), so calling it from the event loop is
 * fine. Triggering needs CAP_NET_ADMIN (RTM_NEWNEIGH).
 *
 * How the daemon uses it:
 *   1. On real-server add (and on reload), xvs_neigh_lookup(). An error is
 *      a configuration error for that server (-ENETUNREACH: no route, or
 *      the address is local to this host; -EOPNOTSUPP: the route leaves
 *      through an interface without an Ethernet MAC).
 *   2. If !resolved, xvs_neigh_trigger(out.nh_af, &out.nh, out.ifindex):
 *      the kernel sends an ARP request / neighbour solicitation. Look up
 *      again after a short delay (e.g. every 200 ms up to the kernel's own
 *      retry budget, ~3 s), then back off (e.g. trigger again every 5 s);
 *      until it resolves, the server is kept out of scheduling
 *      (XVS_DEST_F_RESOLVED clear).
 *   3. For resolved servers, every ~15 s: xvs_neigh_trigger() then
 *      xvs_neigh_lookup(), and rewrite the dest if ifindex or a MAC changed
 *      or it became unresolved (the next hop stopped answering: FAILED).
 *      Traffic forwarded by XDP never passes the kernel's neighbour code,
 *      so nothing else confirms these entries: without the periodic
 *      trigger they go STALE, may be garbage-collected, and a real server
 *      that moved to another MAC would never be noticed. Triggering a
 *      REACHABLE entry does nothing; triggering a STALE one makes the
 *      kernel re-probe it by unicast after delay_first_probe_time (5 s by
 *      default). A next hop that changed MAC fails those probes and shows
 *      as unresolved (FAILED) about 8 s after the trigger; the next
 *      trigger then solicits by broadcast and learns the new MAC.
 *   Route changes are picked up by the same periodic lookup; listening to
 *   RTNLGRP_NEIGH/RTNLGRP_ROUTE would be faster but is not done here.
 */
#ifndef XVS_NEIGH_H
#define XVS_NEIGH_H

#include <stddef.h>
#include <linux/types.h>

#include "xvs_model.h"

struct xvs_neigh {
	__u32 ifindex;	   /* output interface toward the real server */
	__u8 dmac[6];	   /* next hop's MAC; valid when resolved */
	__u8 smac[6];	   /* ifindex's own MAC */
	int resolved;	   /* 1 when dmac is valid */
	int nh_af;	   /* XVS_AF_*: family of nh (a v4 route may have
			    * an IPv6 next hop) */
	union xvs_addr nh; /* the neighbour resolved: the route's gateway,
			    * or the real server's address when on-link */
	union xvs_addr src; /* our source address toward the real server
			     * (the route's preferred source), its family */
	int has_src;	   /* 1 when the route named a source */
	__u32 mtu;	   /* the route's MTU if it has one, else the output
			    * interface's */
};

struct xvs_neigh_ctx;

/* Open the rtnetlink socket. NULL with a message in err on failure. */
struct xvs_neigh_ctx *xvs_neigh_open(char *err, size_t errlen);

/* Close the socket and free the context. NULL is a no-op. */
void xvs_neigh_close(struct xvs_neigh_ctx *ctx);

/*
 * Route addr (family af, XVS_AF_INET or XVS_AF_INET6) as `ip route get`
 * does (output interface, next hop, preferred source, MTU), then read the
 * output interface's MAC and MTU and the next hop's neighbour
 * entry. Three request/reply exchanges; sends no traffic. resolved is 1
 * when the entry has a MAC and its state is REACHABLE, STALE, DELAY, PROBE,
 * PERMANENT or NOARP; 0 when it is INCOMPLETE, FAILED or absent (out is
 * still filled, except dmac).
 * Returns 0; -ENETUNREACH if there is no usable unicast route or addr is
 * local; -EOPNOTSUPP if the output interface is not Ethernet; -EAFNOSUPPORT
 * for a bad af; or another -errno from netlink. On error err says why,
 * naming the address.
 */
int xvs_neigh_lookup(struct xvs_neigh_ctx *ctx, int af,
		     const union xvs_addr *addr, struct xvs_neigh *out,
		     char *err, size_t errlen);

/*
 * Ask the kernel to resolve, or confirm, the neighbour addr on ifindex
 * (pass xvs_neigh.nh_af, .nh and .ifindex from a lookup), without sending
 * any traffic of our own: RTM_NEWNEIGH with NTF_USE, which is what the
 * kernel does itself when it has a packet for the neighbour. A missing or
 * FAILED entry is created/restarted and solicited at once (broadcast ARP /
 * multicast NS, then the kernel's usual retries); a STALE entry goes to
 * DELAY and is probed by unicast after delay_first_probe_time (5 s);
 * INCOMPLETE is already being solicited. REACHABLE, DELAY, PROBE,
 * PERMANENT and NOARP entries are left alone (the entry is read first:
 * NTF_USE would turn a PERMANENT entry into an unresolved one). Two
 * request/reply exchanges at most. The answer arrives asynchronously: look
 * up again later; a solicitation can also be lost (e.g. while an IPv6
 * link-local address is still tentative after link-up), hence the retries
 * described above. Returns 0 or -errno (-EPERM without CAP_NET_ADMIN,
 * -ENODEV for a bad ifindex), with err set.
 */
int xvs_neigh_trigger(struct xvs_neigh_ctx *ctx, int af,
		      const union xvs_addr *addr, __u32 ifindex, char *err,
		      size_t errlen);

#endif /* XVS_NEIGH_H */
