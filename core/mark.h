/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firewall marks for fwmark services (-f), assigned by xvs itself: XDP
 * runs before netfilter, so a mark set by iptables or nft is never seen
 * by the data plane. A mark rule maps a protocol, a destination prefix
 * and a destination port range to a mark:
 *
 *   xvsadm --add-mark -t 198.18.0.100:80-443 -f 1
 *
 * Rules are kept in the order they were added and the first that matches
 * a packet gives its mark, as a firewall's first matching rule would
 * (docs/fwmark.md). The data plane scans them (bpf/mark.h) before it
 * looks the service up; a packet with a mark that names a fwmark service
 * of its family goes to that service, any other to the service of its
 * address and port, as IPVS's ip_vs_service_find does.
 *
 * The matching is a pure inline function shared by the data plane and
 * the tests; the text form (parse, print, check) is user space only.
 */
#ifndef XVS_MARK_H
#define XVS_MARK_H

#include "xvs_endian.h"

#define XVS_MAX_MARK_RULES 256

/* One rule: packets of proto to addr/plen, destination port in
 * [port_lo, port_hi], get mark. Map value, IPC body and CLI result. */
struct xvs_mark_rule {
	union xvs_addr addr; /* the prefix, host bits zero; network order */
	union xvs_addr mask; /* plen as a mask (xvs_mark_rule_finish) */
	__u16 port_lo;       /* host order, inclusive; 0-65535: every port */
	__u16 port_hi;
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 af;    /* XVS_AF_INET or XVS_AF_INET6 */
	__u8 plen;  /* prefix length, up to 32 or 128 */
	__u8 pad;
	__u32 mark; /* 1..0xffffffff */
};

/* A fwmark service's key (xvs_svc_key): protocol 0 (IPPROTO_IP), the mark
 * in addr.v4 in network order (how IPVS writes a fwmark as an address),
 * port 0. Address services always have a protocol. */
XVS_INLINE void xvs_svc_key_fwmark(struct xvs_svc_key *k, __u8 af,
				   __u32 mark)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->af = af;
	k->addr.v4 = xvs_htonl(mark);
}

/* The mark of a fwmark service's key, 0 for an address service. */
XVS_INLINE __u32 xvs_svc_key_mark(const struct xvs_svc_key *k)
{
	return k->proto ? 0 : xvs_ntohl(k->addr.v4);
}

/* The live rule set is slot << 16 | count in xvs_dp_config.mark_rules;
 * slot s holds its rules at [s * XVS_MAX_MARK_RULES, + count) of the
 * mark_rules map. The daemon writes a new set into the other slot and
 * then switches the word, so a packet never sees a set half written. */
XVS_INLINE __u32 xvs_mark_set_word(__u32 slot, __u32 n)
{
	return (slot & 1u) << 16 | (n & 0xffffu);
}

XVS_INLINE __u32 xvs_mark_set_slot(__u32 word)
{
	return (word >> 16) & 1u;
}

XVS_INLINE __u32 xvs_mark_set_count(__u32 word)
{
	__u32 n = word & 0xffffu;

	return n > XVS_MAX_MARK_RULES ? XVS_MAX_MARK_RULES : n;
}

/* Does rule r match a packet of flow k (destination side)? */
XVS_INLINE int xvs_mark_match(const struct xvs_mark_rule *r,
			      const struct xvs_conn_key *k)
{
	__u16 port = xvs_ntohs(k->dport);

	if (r->af != k->af || r->proto != k->proto)
		return 0;
	if (port < r->port_lo || port > r->port_hi)
		return 0;
	for (int i = 0; i < 4; i++)
		if ((k->daddr.v6[i] & r->mask.v6[i]) != r->addr.v6[i])
			return 0;
	return 1;
}

#ifndef __bpf__
#include <stddef.h>
#include <stdio.h>

/* Room for the text of a rule's destination. */
#define XVS_MARK_TEXT_LEN 64

/*
 * Parses a rule's destination, "ADDR[/PLEN][:PORT[-PORT]]" (IPv6 in
 * brackets when a prefix length or ports follow, "[2001:db8::]/64:443";
 * numeric only) for protocol proto into *r, which it finishes; the mark
 * is left 0. Without a port, every port; without a prefix length, the
 * one address. Returns 0 or -EINVAL with a message quoting s in err.
 */
int xvs_mark_rule_parse(const char *s, __u8 proto, struct xvs_mark_rule *r,
			char *err, size_t errlen);

/* Computes mask from plen and clears addr's host bits and pad. */
void xvs_mark_rule_finish(struct xvs_mark_rule *r);

/*
 * What the daemon accepts from a peer: a known family and protocol, plen
 * in range, port_lo <= port_hi, a mark, no host bits, the mask of plen.
 * Returns 0 or -EINVAL with a message in err.
 */
int xvs_mark_rule_check(const struct xvs_mark_rule *r, char *err,
			size_t errlen);

/* Same protocol, prefix and ports (the mark aside): the same rule. */
int xvs_mark_rule_same(const struct xvs_mark_rule *a,
		       const struct xvs_mark_rule *b);

/* The destination as xvs_mark_rule_parse reads it, shortest form:
 * "198.18.0.100:80-443", "198.18.0.0/24", "[2001:db8::]/64:443". */
const char *xvs_mark_rule_text(const struct xvs_mark_rule *r, char *buf,
			       size_t len);

/*
 * Prints n rules for -L (a titled table, nothing when n is 0) or, with
 * XVS_FMT_RULE in fmt, as -S lines "--add-mark -t ... -f N" that -R
 * reads back.
 */
void xvs_format_marks(FILE *f, const struct xvs_mark_rule *r, size_t n,
		      unsigned int fmt);
#endif

#endif /* XVS_MARK_H */
