/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses as ipvsadm reads and prints them: "host[:port]", IPv6 in
 * brackets ("[2001:db8::1]:80") or bare without a port ("2001:db8::1").
 * Hosts may be names and ports may be service names, as in ipvsadm.
 * Nothing here prints; errors go to a caller's buffer and quote the input.
 */
#ifndef XVS_ADDR_H
#define XVS_ADDR_H

#include <stddef.h>
#include "xvs_model.h"

/* ipvsadm formats "addr:port" into 60 bytes; longer names are cut there. */
#define XVS_ADDRPORT_LEN 60

/* One parsed "host[:port]". */
struct xvs_hostport {
	union xvs_addr addr; /* network order, v4 in .v4, the rest zero */
	__be16 port;	     /* network order; 0 without a port */
	__u8 af;	     /* XVS_AF_INET or XVS_AF_INET6 */
	__u8 has_port;	     /* a ":port" was given (even ":0") */
};

/* xvs_addr_parse flags */
#define XVS_ADDR_NAMES (1u << 0) /* resolve host and service names */

/*
 * Parses s into *hp. proto (IPPROTO_TCP/UDP) picks the services table for
 * port names. Without XVS_ADDR_NAMES only literals are accepted. A host of
 * only digits and dots is never sent to the resolver: it is a mistyped
 * address ("198.18.0.300"), not a name. Returns 0 or -EINVAL with
 * "invalid address 's'" or "invalid port 'p' in 's'" in err.
 * Cost: may block in getaddrinfo() for a host name.
 */
int xvs_addr_parse(const char *s, __u8 proto, unsigned int flags,
		   struct xvs_hostport *hp, char *err, size_t errlen);

/* Numeric text of an address without brackets ("2001:db8::1"); buf is
 * returned, "?" for an unknown family. len >= 46 always suffices. */
const char *xvs_addr_ntop(__u8 af, const union xvs_addr *a, char *buf,
			  size_t len);

/*
 * ipvsadm's "addr:port" text: "198.18.0.100:80", "[2001:db8::100]:80".
 * With names set, the host's reverse name and the port's service name
 * where they resolve, numeric otherwise (ipvsadm without -n). Returns buf.
 * Cost: names may block in getnameinfo().
 */
const char *xvs_addr_format(char *buf, size_t len, __u8 af,
			    const union xvs_addr *a, __be16 port, __u8 proto,
			    int names);

/* Total order over (af, addr, port) as ipvsadm sorts: <0, 0, >0. */
int xvs_addr_cmp(__u8 af1, const union xvs_addr *a1, __be16 p1, __u8 af2,
		 const union xvs_addr *a2, __be16 p2);

#endif /* XVS_ADDR_H */
