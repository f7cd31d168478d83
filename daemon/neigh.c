// SPDX-License-Identifier: GPL-2.0
/*
 * Next-hop resolution over raw rtnetlink; contracts in neigh.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "neigh.h"

#define NL_BUFSIZE 32768 /* one RTM_GETLINK reply without stats fits */

/* Neighbour states whose lladdr may be used to send. */
#define NEIGH_USABLE                                                           \
	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT |   \
	 NUD_NOARP)

struct xvs_neigh_ctx {
	int fd;
	__u32 seq;
	char buf[NL_BUFSIZE]; /* replies; valid until the next request */
};

/* A request: header, family-specific struct and a few attributes. */
struct nl_req {
	struct nlmsghdr nh;
	char body[256];
};

static size_t af_addr_len(int af)
{
	return af == XVS_AF_INET ? 4 : af == XVS_AF_INET6 ? 16 : 0;
}

static const char *addr_str(int af, const void *addr, char *buf, size_t len)
{
	if (!inet_ntop(af == XVS_AF_INET ? AF_INET : AF_INET6, addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "(family %d)", af);
	return buf;
}

struct xvs_neigh_ctx *xvs_neigh_open(char *err, size_t errlen)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	struct timeval tv = {.tv_sec = 1};
	struct xvs_neigh_ctx *ctx;
	int one = 1;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		snprintf(err, errlen, "neighbour resolver: out of memory");
		return NULL;
	}
	ctx->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (ctx->fd < 0) {
		snprintf(err, errlen, "rtnetlink socket: %s", strerror(errno));
		free(ctx);
		return NULL;
	}
	if (bind(ctx->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "rtnetlink bind: %s", strerror(errno));
		close(ctx->fd);
		free(ctx);
		return NULL;
	}
	/* Best effort: the kernel's error text in our messages, and acks
	 * without a copy of the request. The receive timeout only guards
	 * against a kernel that never answers; rtnetlink answers inside
	 * sendmsg. */
	setsockopt(ctx->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(ctx->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(ctx->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return ctx;
}

void xvs_neigh_close(struct xvs_neigh_ctx *ctx)
{
	if (!ctx)
		return;
	close(ctx->fd);
	free(ctx);
}

/* Append attribute type to req; the request buffer is sized for it. */
static void nl_put(struct nl_req *req, unsigned short type, const void *data,
		   size_t len)
{
	struct rtattr *rta;

	rta = (struct rtattr *)((char *)req + NLMSG_ALIGN(req->nh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_SPACE(len);
}

/* Start a request of the given type whose fixed header has size hdrlen;
 * returns the (zeroed) fixed header. */
static void *nl_init(struct nl_req *req, unsigned short type,
		     unsigned short flags, size_t hdrlen)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = (__u32)NLMSG_LENGTH(hdrlen);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	return NLMSG_DATA(&req->nh);
}

/* Copy the extended-ack text of an error message into msg, if any. */
static void nl_ext_msg(const struct nlmsghdr *h, char *msg, size_t len)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = sizeof(*e);
	const struct nlattr *a;
	int rem;

	msg[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off > h->nlmsg_len)
		return;
	a = (const struct nlattr *)((const char *)e + NLMSG_ALIGN(off));
	rem = (int)(h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(off));
	while (rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= rem) {
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			snprintf(msg, len, ": %.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
			return;
		}
		rem -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
}

/*
 * Send req and wait for its answer: the reply message (returned in
 * *reply, pointing into ctx->buf) or an ack/error. Returns 0, or the
 * kernel's -errno with its extended-ack text (or "") in kmsg. Messages
 * with another sequence number (left over from an earlier request) are
 * skipped.
 */
static int nl_talk(struct xvs_neigh_ctx *ctx, struct nl_req *req,
		   struct nlmsghdr **reply, char *kmsg, size_t kmsglen)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	ssize_t n;

	kmsg[0] = '\0';
	req->nh.nlmsg_seq = ++ctx->seq;
	if (sendto(ctx->fd, req, req->nh.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(ctx->fd, ctx->buf, sizeof(ctx->buf), MSG_TRUNC);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if ((size_t)n > sizeof(ctx->buf))
			return -EMSGSIZE;
		for (h = (struct nlmsghdr *)ctx->buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != ctx->seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EBADMSG;
				nl_ext_msg(h, kmsg, kmsglen);
				return e->error;
			}
			if (reply) {
				*reply = h;
				return 0;
			}
		}
	}
}

/* Index attributes of the message h (fixed header size hdrlen) by type,
 * up to max; the others are ignored. */
static void nl_parse(struct nlmsghdr *h, size_t hdrlen, struct rtattr **tb,
		     int max)
{
	struct rtattr *rta =
		(struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdrlen));
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(hdrlen);

	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type <= max)
			tb[rta->rta_type] = rta;
}

static const char *rtn_name(unsigned char type)
{
	switch (type) {
	case RTN_LOCAL:
		return "local to this host";
	case RTN_BROADCAST:
		return "a broadcast address";
	case RTN_ANYCAST:
		return "an anycast address";
	case RTN_MULTICAST:
		return "a multicast address";
	case RTN_BLACKHOLE:
		return "routed to a blackhole";
	case RTN_UNREACHABLE:
		return "routed as unreachable";
	case RTN_PROHIBIT:
		return "routed as prohibited";
	default:
		return "not routed as unicast";
	}
}

/* The route type behind the kernel's RTM_GETROUTE error for an output
 * lookup that hits such a route, or -1 if ret is no such error. */
static int route_err_type(int ret)
{
	switch (ret) {
	case -EHOSTUNREACH:
		return RTN_UNREACHABLE;
	case -EACCES:
		return RTN_PROHIBIT;
	case -EINVAL:
		return RTN_BLACKHOLE;
	default:
		return -1;
	}
}

/* RTAX_MTU of a route's RTA_METRICS (a locked MTU, or a path MTU the
 * kernel learnt), 0 if it has none. */
static __u32 route_mtu(struct rtattr *metrics)
{
	struct rtattr *rta;
	int len;

	if (!metrics)
		return 0;
	len = (int)RTA_PAYLOAD(metrics);
	for (rta = RTA_DATA(metrics); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == RTAX_MTU &&
		    RTA_PAYLOAD(rta) == sizeof(__u32))
			return *(__u32 *)RTA_DATA(rta);
	return 0;
}

/* RTM_GETROUTE for addr: fill ifindex, the next hop (nh_af, nh), the
 * preferred source (src, has_src) and the route's own MTU (mtu, or 0). */
static int route_get(struct xvs_neigh_ctx *ctx, int af,
		     const union xvs_addr *addr, struct xvs_neigh *out,
		     char *err, size_t errlen)
{
	size_t alen = af_addr_len(af);
	struct rtattr *tb[RTA_MAX + 1];
	char a[INET6_ADDRSTRLEN], kmsg[128];
	struct nlmsghdr *h;
	struct nl_req req;
	struct rtmsg *rtm;
	int ret;

	rtm = nl_init(&req, RTM_GETROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)af;
	rtm->rtm_dst_len = (unsigned char)(alen * 8);
	nl_put(&req, RTA_DST, addr, alen);
	addr_str(af, addr, a, sizeof(a));

	ret = nl_talk(ctx, &req, &h, kmsg, sizeof(kmsg));
	if (ret == -ENETUNREACH) {
		snprintf(err, errlen, "no route to %s%s", a, kmsg);
		return -ENETUNREACH;
	}
	if (route_err_type(ret) >= 0) {
		snprintf(err, errlen, "%s is %s, not a real server address%s",
			 a, rtn_name((unsigned char)route_err_type(ret)), kmsg);
		return -ENETUNREACH;
	}
	if (ret) {
		snprintf(err, errlen, "route lookup for %s: %s%s", a,
			 strerror(-ret), kmsg);
		return ret;
	}
	if (h->nlmsg_type != RTM_NEWROUTE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm))) {
		snprintf(err, errlen, "route lookup for %s: unexpected reply",
			 a);
		return -EBADMSG;
	}
	rtm = NLMSG_DATA(h);
	if (rtm->rtm_type != RTN_UNICAST) {
		snprintf(err, errlen, "%s is %s, not a real server address", a,
			 rtn_name(rtm->rtm_type));
		return -ENETUNREACH;
	}
	nl_parse(h, sizeof(*rtm), tb, RTA_MAX);
	if (!tb[RTA_OIF] || RTA_PAYLOAD(tb[RTA_OIF]) != sizeof(__u32)) {
		snprintf(err, errlen, "route to %s has no output interface", a);
		return -ENETUNREACH;
	}
	memcpy(&out->ifindex, RTA_DATA(tb[RTA_OIF]), sizeof(__u32));

	memset(&out->nh, 0, sizeof(out->nh));
	out->nh_af = af;
	if (tb[RTA_GATEWAY] && RTA_PAYLOAD(tb[RTA_GATEWAY]) == alen) {
		memcpy(&out->nh, RTA_DATA(tb[RTA_GATEWAY]), alen);
	} else if (tb[RTA_VIA]) {
		/* An IPv4 route via an IPv6 next hop (RFC 5549). */
		const struct rtvia *via = RTA_DATA(tb[RTA_VIA]);
		size_t plen = RTA_PAYLOAD(tb[RTA_VIA]);
		int vaf = plen > sizeof(*via) ? via->rtvia_family : 0;
		size_t vlen = af_addr_len(vaf);

		if (!vlen || plen != sizeof(*via) + vlen) {
			snprintf(err, errlen,
				 "route to %s has an unusable next hop", a);
			return -ENETUNREACH;
		}
		out->nh_af = vaf;
		memcpy(&out->nh, via->rtvia_addr, vlen);
	} else {
		memcpy(&out->nh, addr, alen); /* on-link */
	}
	if (tb[RTA_PREFSRC] && RTA_PAYLOAD(tb[RTA_PREFSRC]) == alen) {
		memcpy(&out->src, RTA_DATA(tb[RTA_PREFSRC]), alen);
		out->has_src = 1;
	}
	out->mtu = route_mtu(tb[RTA_METRICS]);
	return 0;
}

/* RTM_GETLINK for out->ifindex: fill smac, and mtu unless the route
 * gave one. */
static int link_mac(struct xvs_neigh_ctx *ctx, struct xvs_neigh *out,
		    const char *a, char *err, size_t errlen)
{
	__u32 ext = RTEXT_FILTER_SKIP_STATS;
	struct rtattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	struct nlmsghdr *h;
	struct nl_req req;
	char kmsg[128];
	const char *name;
	int ret;

	ifi = nl_init(&req, RTM_GETLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)out->ifindex;
	nl_put(&req, IFLA_EXT_MASK, &ext, sizeof(ext));

	ret = nl_talk(ctx, &req, &h, kmsg, sizeof(kmsg));
	if (!ret && (h->nlmsg_type != RTM_NEWLINK ||
		     h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi))))
		ret = -EBADMSG;
	if (ret) {
		snprintf(err, errlen, "interface %u toward %s: %s%s",
			 out->ifindex, a, strerror(-ret), kmsg);
		return ret;
	}
	ifi = NLMSG_DATA(h);
	nl_parse(h, sizeof(*ifi), tb, IFLA_MAX);
	name = tb[IFLA_IFNAME] ? RTA_DATA(tb[IFLA_IFNAME]) : "?";
	if (ifi->ifi_type != ARPHRD_ETHER || !tb[IFLA_ADDRESS] ||
	    RTA_PAYLOAD(tb[IFLA_ADDRESS]) != 6) {
		snprintf(err, errlen,
			 "route to %s leaves through %s, which is not an "
			 "Ethernet interface",
			 a, name);
		return -EOPNOTSUPP;
	}
	memcpy(out->smac, RTA_DATA(tb[IFLA_ADDRESS]), 6);
	if (!out->mtu && tb[IFLA_MTU] &&
	    RTA_PAYLOAD(tb[IFLA_MTU]) == sizeof(__u32))
		memcpy(&out->mtu, RTA_DATA(tb[IFLA_MTU]), sizeof(__u32));
	return 0;
}

/*
 * RTM_GETNEIGH for one entry (kernel 5.0+). Returns 0 with the entry's
 * state in *state and, when it carries a 6-byte lladdr, that in mac with
 * *has_mac = 1; -ENOENT if there is no entry; other -errno with the
 * kernel's text in kmsg.
 */
static int neigh_get(struct xvs_neigh_ctx *ctx, int af,
		     const union xvs_addr *addr, __u32 ifindex, __u16 *state,
		     __u8 *mac, int *has_mac, char *kmsg, size_t kmsglen)
{
	struct rtattr *tb[NDA_MAX + 1];
	struct nlmsghdr *h;
	struct nl_req req;
	struct ndmsg *ndm;
	int ret;

	ndm = nl_init(&req, RTM_GETNEIGH, 0, sizeof(*ndm));
	ndm->ndm_family = (__u8)af;
	ndm->ndm_ifindex = (int)ifindex;
	nl_put(&req, NDA_DST, addr, af_addr_len(af));

	*has_mac = 0;
	ret = nl_talk(ctx, &req, &h, kmsg, kmsglen);
	if (ret)
		return ret;
	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return -EBADMSG;
	ndm = NLMSG_DATA(h);
	*state = ndm->ndm_state;
	nl_parse(h, sizeof(*ndm), tb, NDA_MAX);
	if (tb[NDA_LLADDR] && RTA_PAYLOAD(tb[NDA_LLADDR]) == 6) {
		memcpy(mac, RTA_DATA(tb[NDA_LLADDR]), 6);
		*has_mac = 1;
	}
	return 0;
}

int xvs_neigh_lookup(struct xvs_neigh_ctx *ctx, int af,
		     const union xvs_addr *addr, struct xvs_neigh *out,
		     char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN], n[INET6_ADDRSTRLEN], kmsg[128];
	int ret, has_mac;
	__u16 state;

	memset(out, 0, sizeof(*out));
	if (!af_addr_len(af)) {
		snprintf(err, errlen, "address family %d is not IPv4 or IPv6",
			 af);
		return -EAFNOSUPPORT;
	}
	addr_str(af, addr, a, sizeof(a));
	ret = route_get(ctx, af, addr, out, err, errlen);
	if (!ret)
		ret = link_mac(ctx, out, a, err, errlen);
	if (ret)
		return ret;

	ret = neigh_get(ctx, out->nh_af, &out->nh, out->ifindex, &state,
			out->dmac, &has_mac, kmsg, sizeof(kmsg));
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		snprintf(err, errlen, "neighbour %s toward %s: %s%s",
			 addr_str(out->nh_af, &out->nh, n, sizeof(n)), a,
			 strerror(-ret), kmsg);
		return ret;
	}
	out->resolved = has_mac && (state & NEIGH_USABLE);
	if (!out->resolved)
		memset(out->dmac, 0, sizeof(out->dmac));
	return 0;
}

/*
 * Why NTF_USE: it runs the kernel's own neigh_event_send() on the entry,
 * exactly what happens when the stack has a packet for that neighbour, so
 * the kernel sends the ARP request / NS with its usual retries and timers
 * and we send nothing ourselves. NLM_F_CREATE makes it create an absent
 * entry (NLM_F_REPLACE is not needed). With NTF_USE the requested state is
 * ignored: __neigh_update() keeps the entry's state and MAC, except that
 * it clears NUD_PERMANENT, which leaves a static entry in NUD_NONE and
 * then INCOMPLETE, its MAC lost (verified on 6.18). So the entry is read
 * first and static (PERMANENT, NOARP) and already fresh (REACHABLE, DELAY,
 * PROBE) entries are left alone; an administrator adding a static entry
 * between the two requests is the one, harmless, race.
 * The fallback of sending a zero-length UDP datagram to the server's
 * discard port is not used: it is traffic of our own toward the server,
 * and NTF_USE works on every kernel since 2.6.
 */
int xvs_neigh_trigger(struct xvs_neigh_ctx *ctx, int af,
		      const union xvs_addr *addr, __u32 ifindex, char *err,
		      size_t errlen)
{
	const __u16 leave = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE |
			    NUD_DELAY | NUD_PROBE;
	char a[INET6_ADDRSTRLEN], kmsg[128];
	__u8 mac[6];
	struct nl_req req;
	struct ndmsg *ndm;
	int ret, has_mac;
	__u16 state;

	if (!af_addr_len(af)) {
		snprintf(err, errlen, "address family %d is not IPv4 or IPv6",
			 af);
		return -EAFNOSUPPORT;
	}
	ret = neigh_get(ctx, af, addr, ifindex, &state, mac, &has_mac, kmsg,
			sizeof(kmsg));
	if (!ret && (state & leave))
		return 0;
	if (ret && ret != -ENOENT)
		goto fail;

	ndm = nl_init(&req, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE,
		      sizeof(*ndm));
	ndm->ndm_family = (__u8)af;
	ndm->ndm_ifindex = (int)ifindex;
	ndm->ndm_state = NUD_NONE;
	ndm->ndm_flags = NTF_USE;
	nl_put(&req, NDA_DST, addr, af_addr_len(af));
	ret = nl_talk(ctx, &req, NULL, kmsg, sizeof(kmsg));
	if (!ret)
		return 0;
fail:
	snprintf(err, errlen, "resolving %s on interface %u: %s%s",
		 addr_str(af, addr, a, sizeof(a)), ifindex, strerror(-ret),
		 kmsg);
	return ret;
}
