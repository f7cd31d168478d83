// SPDX-License-Identifier: GPL-2.0
/* Mark rules as text: reading, checking and printing them; see mark.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "errbuf.h"
#include "format.h"
#include "mark.h"
#include "persist.h"

#define MAX_PLEN(af) ((af) == XVS_AF_INET6 ? 128 : 32)

void xvs_mark_rule_finish(struct xvs_mark_rule *r)
{
	memset(&r->mask, 0xff, sizeof(r->mask));
	if (r->af == XVS_AF_INET6) {
		xvs_persist_mask(&r->mask, r->af, r->plen);
	} else {
		memset(&r->mask, 0, sizeof(r->mask));
		r->mask.v4 = xvs_prefix_word(r->plen);
	}
	for (int i = 0; i < 4; i++)
		r->addr.v6[i] &= r->mask.v6[i];
	r->pad = 0;
}

/* A decimal in [0, max], all of s: 0, or -1. */
static int decimal(const char *s, size_t len, unsigned long max,
		   unsigned long *v)
{
	char buf[16], *end;

	if (!len || len >= sizeof(buf) || s[0] == '-' || s[0] == '+')
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtoul(buf, &end, 10);
	return errno || *end || *v > max ? -1 : 0;
}

/* "PORT" or "PORT-PORT" into r's range. */
static int parse_ports(const char *s, struct xvs_mark_rule *r)
{
	size_t dash = strcspn(s, "-");
	unsigned long lo, hi;

	if (decimal(s, dash, 65535, &lo))
		return -1;
	hi = lo;
	if (s[dash] && decimal(s + dash + 1, strlen(s + dash + 1), 65535, &hi))
		return -1;
	if (lo > hi)
		return -1;
	r->port_lo = (__u16)lo;
	r->port_hi = (__u16)hi;
	return 0;
}

int xvs_mark_rule_parse(const char *s, __u8 proto, struct xvs_mark_rule *r,
			char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN];
	const char *rest;
	size_t hlen;
	unsigned long plen;

	memset(r, 0, sizeof(*r));
	r->proto = proto;
	r->port_hi = 65535;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			goto bad;
		hlen = (size_t)(close - s - 1);
		memcpy(host, s + 1, hlen < sizeof(host) ? hlen : 0);
		rest = close + 1;
	} else if (strchr(s, ':') != strrchr(s, ':')) {
		/* a bare IPv6 address: a prefix length, but no ports */
		hlen = strcspn(s, "/");
		rest = s + hlen;
		if (hlen < sizeof(host))
			memcpy(host, s, hlen);
	} else {
		hlen = strcspn(s, "/:");
		rest = s + hlen;
		if (hlen < sizeof(host))
			memcpy(host, s, hlen);
	}
	if (!hlen || hlen >= sizeof(host))
		goto bad;
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, &r->addr.v4) == 1)
		r->af = XVS_AF_INET;
	else if (inet_pton(AF_INET6, host, r->addr.bytes) == 1)
		r->af = XVS_AF_INET6;
	else
		goto bad;
	r->plen = (__u8)MAX_PLEN(r->af);
	if (*rest == '/') {
		size_t len = strcspn(rest + 1, ":");

		if (decimal(rest + 1, len, MAX_PLEN(r->af), &plen))
			goto bad;
		r->plen = (__u8)plen;
		rest += 1 + len;
	}
	if (*rest == ':' && parse_ports(rest + 1, r))
		goto bad;
	if (*rest && *rest != ':')
		goto bad;
	xvs_mark_rule_finish(r);
	return 0;
bad:
	return xvs_fail(err, errlen, -EINVAL,
			"invalid mark destination '%s' "
			"(ADDR[/PLEN][:PORT[-PORT]], IPv6 as [ADDR])",
			s);
}

int xvs_mark_rule_check(const struct xvs_mark_rule *r, char *err,
			size_t errlen)
{
	struct xvs_mark_rule norm = *r;

	if (r->af != XVS_AF_INET && r->af != XVS_AF_INET6)
		return xvs_fail(err, errlen, -EAFNOSUPPORT,
				"unknown address family %u", r->af);
	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)
		return xvs_fail(err, errlen, -EPROTONOSUPPORT,
				"mark rules are for TCP or UDP, not protocol %u",
				r->proto);
	if (!r->mark || r->plen > MAX_PLEN(r->af) || r->port_lo > r->port_hi)
		return xvs_fail(err, errlen, -EINVAL,
				"malformed mark rule (mark %u, prefix length "
				"%u, ports %u-%u)",
				r->mark, r->plen, r->port_lo, r->port_hi);
	xvs_mark_rule_finish(&norm);
	if (memcmp(&norm, r, sizeof(norm)))
		return xvs_fail(err, errlen, -EINVAL,
				"malformed mark rule (address bits beyond its "
				"prefix, or a wrong mask)");
	return 0;
}

int xvs_mark_rule_same(const struct xvs_mark_rule *a,
		       const struct xvs_mark_rule *b)
{
	return a->af == b->af && a->proto == b->proto && a->plen == b->plen &&
	       a->port_lo == b->port_lo && a->port_hi == b->port_hi &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

const char *xvs_mark_rule_text(const struct xvs_mark_rule *r, char *buf,
			       size_t len)
{
	char a[INET6_ADDRSTRLEN], plen[8] = "", ports[16] = "";
	int v6 = r->af == XVS_AF_INET6;

	xvs_addr_ntop(r->af, &r->addr, a, sizeof(a));
	if (r->plen != MAX_PLEN(r->af))
		snprintf(plen, sizeof(plen), "/%u", r->plen);
	if (r->port_lo == r->port_hi)
		snprintf(ports, sizeof(ports), ":%u", r->port_lo);
	else if (r->port_lo || r->port_hi != 65535)
		snprintf(ports, sizeof(ports), ":%u-%u", r->port_lo,
			 r->port_hi);
	snprintf(buf, len, v6 ? "[%s]%s%s" : "%s%s%s", a, plen, ports);
	return buf;
}

void xvs_format_marks(FILE *f, const struct xvs_mark_rule *r, size_t n,
		      unsigned int fmt)
{
	char text[XVS_MARK_TEXT_LEN];
	int rule = fmt & XVS_FMT_RULE;

	if (!n)
		return;
	if (!rule)
		fprintf(f, "FWMark rules (first match wins)\n%-4s %-42s %s\n",
			"Prot", "Destination:Ports", "Mark");
	for (size_t i = 0; i < n; i++, r++) {
		const char *proto = r->proto == IPPROTO_UDP ? "UDP" : "TCP";

		xvs_mark_rule_text(r, text, sizeof(text));
		if (rule)
			fprintf(f, "--add-mark %s %s -f %u\n",
				r->proto == IPPROTO_UDP ? "-u" : "-t", text,
				r->mark);
		else
			fprintf(f, "%-4s %-42s %u\n", proto, text, r->mark);
	}
}
