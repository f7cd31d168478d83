// SPDX-License-Identifier: GPL-2.0
/* Reading and printing "host[:port]" the way ipvsadm does; see addr.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "addr.h"

static int sys_af(__u8 af)
{
	return af == XVS_AF_INET6 ? AF_INET6 : AF_INET;
}

static const char *proto_name(__u8 proto)
{
	return proto == IPPROTO_UDP ? "udp" : "tcp";
}

static int only_chars(const char *s, const char *set)
{
	return *s && s[strspn(s, set)] == '\0';
}

/* A literal of family af, or with names a host name resolved in af. */
static int host_lookup(const char *host, int af, unsigned int flags,
		       union xvs_addr *a)
{
	struct addrinfo hints = {.ai_family = af}, *res;
	int ok;

	memset(a, 0, sizeof(*a));
	if (inet_pton(af, host, a->bytes) == 1)
		return 0;
	if (!(flags & XVS_ADDR_NAMES) || only_chars(host, "0123456789."))
		return -EINVAL;
	if (getaddrinfo(host, NULL, &hints, &res))
		return -EINVAL;
	ok = res->ai_family == af;
	if (ok && af == AF_INET)
		memcpy(&a->v4, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
		       4);
	else if (ok)
		memcpy(a->bytes,
		       &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	freeaddrinfo(res);
	return ok ? 0 : -EINVAL;
}

/* A port number 0..65535, or with names a service name of proto. */
static int port_lookup(const char *s, __u8 proto, unsigned int flags,
		       __be16 *port)
{
	struct servent se, *sp;
	char buf[1024];

	if (only_chars(s, "0123456789")) {
		unsigned long v = strlen(s) > 5 ? 65536 : strtoul(s, NULL, 10);

		if (v > 65535)
			return -EINVAL;
		*port = htons((__u16)v);
		return 0;
	}
	if (!(flags & XVS_ADDR_NAMES) || !*s ||
	    getservbyname_r(s, proto_name(proto), &se, buf, sizeof(buf), &sp) ||
	    !sp)
		return -EINVAL;
	*port = (__be16)sp->s_port;
	return 0;
}

int xvs_addr_parse(const char *s, __u8 proto, unsigned int flags,
		   struct xvs_hostport *hp, char *err, size_t errlen)
{
	char host[1024];
	const char *portp = NULL;
	const char *close;
	int af = AF_INET;

	memset(hp, 0, sizeof(*hp));
	if (!s || strlen(s) >= sizeof(host) || only_chars(s, "0123456789"))
		goto bad_addr;
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (!close || (close[1] && close[1] != ':'))
			goto bad_addr;
		memcpy(host, s + 1, close - s - 1);
		host[close - s - 1] = '\0';
		portp = close[1] ? close + 2 : NULL;
		af = AF_INET6;
	} else if (strchr(s, ':') != strrchr(s, ':')) {
		strcpy(host, s); /* bare IPv6, no port possible */
		af = AF_INET6;
	} else {
		strcpy(host, s);
		close = strchr(host, ':');
		if (close) {
			portp = s + (close - host) + 1;
			host[close - host] = '\0';
		}
	}
	if (host_lookup(host, af, flags, &hp->addr)) {
		if (af == AF_INET6 || s[0] == '[' ||
		    host_lookup(host, AF_INET6, flags, &hp->addr))
			goto bad_addr;
		af = AF_INET6;
	}
	hp->af = af == AF_INET6 ? XVS_AF_INET6 : XVS_AF_INET;
	if (portp) {
		hp->has_port = 1;
		if (port_lookup(portp, proto, flags, &hp->port)) {
			snprintf(err, errlen, "invalid port '%s' in '%s'",
				 portp, s);
			return -EINVAL;
		}
	}
	return 0;

bad_addr:
	snprintf(err, errlen, "invalid address '%s'", s ? s : "");
	return -EINVAL;
}

const char *xvs_addr_ntop(__u8 af, const union xvs_addr *a, char *buf,
			  size_t len)
{
	if ((af != XVS_AF_INET && af != XVS_AF_INET6) ||
	    !inet_ntop(sys_af(af), a->bytes, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

/* The reverse name of a, or its numeric text. */
static void host_name(__u8 af, const union xvs_addr *a, char *buf, size_t len)
{
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	struct sockaddr_in s4 = {.sin_family = AF_INET};
	struct sockaddr *sa = (struct sockaddr *)&s4;
	socklen_t salen = sizeof(s4);

	if (af == XVS_AF_INET6) {
		memcpy(&s6.sin6_addr, a->bytes, 16);
		sa = (struct sockaddr *)&s6;
		salen = sizeof(s6);
	} else {
		s4.sin_addr.s_addr = a->v4;
	}
	if (getnameinfo(sa, salen, buf, len, NULL, 0, NI_NAMEREQD))
		xvs_addr_ntop(af, a, buf, len);
}

const char *xvs_addr_format(char *buf, size_t len, __u8 af,
			    const union xvs_addr *a, __be16 port, __u8 proto,
			    int names)
{
	char host[1025], serv[32];
	struct servent se, *sp = NULL;
	char sbuf[1024];
	int v6 = af == XVS_AF_INET6;

	if (names) {
		host_name(af, a, host, sizeof(host));
		if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) &&
		    !getservbyport_r(port, proto_name(proto), &se, sbuf,
				     sizeof(sbuf), &sp) &&
		    sp)
			snprintf(serv, sizeof(serv), "%s", sp->s_name);
		else
			sp = NULL;
	} else {
		xvs_addr_ntop(af, a, host, sizeof(host));
	}
	if (!sp)
		snprintf(serv, sizeof(serv), "%u", ntohs(port));
	snprintf(buf, len, "%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "",
		 serv);
	return buf;
}

int xvs_addr_cmp(__u8 af1, const union xvs_addr *a1, __be16 p1, __u8 af2,
		 const union xvs_addr *a2, __be16 p2)
{
	int r;

	if (af1 != af2)
		return af1 < af2 ? -1 : 1;
	/* network order compares as the number it stands for */
	r = memcmp(a1->bytes, a2->bytes, af1 == XVS_AF_INET6 ? 16 : 4);
	if (r)
		return r;
	if (ntohs(p1) != ntohs(p2))
		return ntohs(p1) < ntohs(p2) ? -1 : 1;
	return 0;
}
