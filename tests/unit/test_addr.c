// SPDX-License-Identifier: GPL-2.0
/*
 * "host[:port]" as ipvsadm reads and prints it: literals of both
 * families, brackets, ports by number and by service name, host names
 * through /etc/hosts only (no test waits on DNS), and every error quoting
 * its input.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include "addr.h"
#include "test.h"

#define NAMES XVS_ADDR_NAMES
#define BAD(s, p, f, e)                                                        \
	{                                                                      \
		.in = s, .proto = p, .flags = f, .err = e                      \
	}

static const struct {
	const char *in;
	__u8 proto;
	unsigned int flags;
	const char *err;  /* NULL: must parse */
	__u8 af;	  /* when it parses: */
	const char *addr; /* numeric text of the address */
	int port;	  /* host order */
	int has_port;
} addr_cases[] = {
	{"198.18.0.100:80", IPPROTO_TCP, 0, NULL, XVS_AF_INET, "198.18.0.100",
	 80, 1},
	{"198.18.0.100", IPPROTO_TCP, 0, NULL, XVS_AF_INET, "198.18.0.100", 0,
	 0},
	{"198.18.0.100:0", IPPROTO_TCP, 0, NULL, XVS_AF_INET, "198.18.0.100", 0,
	 1},
	{"10.0.0.1:65535", IPPROTO_UDP, 0, NULL, XVS_AF_INET, "10.0.0.1", 65535,
	 1},
	{"[2001:db8::1]:80", IPPROTO_TCP, 0, NULL, XVS_AF_INET6, "2001:db8::1",
	 80, 1},
	{"[2001:db8::1]", IPPROTO_TCP, 0, NULL, XVS_AF_INET6, "2001:db8::1", 0,
	 0},
	{"2001:db8::1", IPPROTO_TCP, 0, NULL, XVS_AF_INET6, "2001:db8::1", 0,
	 0},
	{"::1", IPPROTO_TCP, 0, NULL, XVS_AF_INET6, "::1", 0, 0},
	{"[::ffff:198.18.0.1]:53", IPPROTO_UDP, 0, NULL, XVS_AF_INET6,
	 "::ffff:198.18.0.1", 53, 1},
	{"198.18.0.1:http", IPPROTO_TCP, NAMES, NULL, XVS_AF_INET, "198.18.0.1",
	 80, 1},
	{"198.18.0.1:domain", IPPROTO_UDP, NAMES, NULL, XVS_AF_INET,
	 "198.18.0.1", 53, 1},
	{"[2001:db8::1]:https", IPPROTO_TCP, NAMES, NULL, XVS_AF_INET6,
	 "2001:db8::1", 443, 1},
	{"localhost:8080", IPPROTO_TCP, NAMES, NULL, XVS_AF_INET, "127.0.0.1",
	 8080, 1},
	/* errors */
	BAD("198.18.0.300:80", IPPROTO_TCP, NAMES,
	    "invalid address '198.18.0.300:80'"),
	BAD("198.18.0.1:65536", IPPROTO_TCP, 0,
	    "invalid port '65536' in '198.18.0.1:65536'"),
	BAD("198.18.0.1:123456", IPPROTO_TCP, 0,
	    "invalid port '123456' in '198.18.0.1:123456'"),
	BAD("198.18.0.1:", IPPROTO_TCP, NAMES,
	    "invalid port '' in '198.18.0.1:'"),
	BAD("198.18.0.1:-1", IPPROTO_TCP, 0,
	    "invalid port '-1' in '198.18.0.1:-1'"),
	BAD("198.18.0.1:http", IPPROTO_TCP, 0,
	    "invalid port 'http' in '198.18.0.1:http'"),
	BAD("198.18.0.1:no-such-service", IPPROTO_TCP, NAMES,
	    "invalid port 'no-such-service' in '198.18.0.1:no-such-service'"),
	BAD("localhost:80", IPPROTO_TCP, 0, "invalid address 'localhost:80'"),
	BAD("80", IPPROTO_TCP, NAMES, "invalid address '80'"),
	BAD("", IPPROTO_TCP, NAMES, "invalid address ''"),
	BAD("[2001:db8::1]80", IPPROTO_TCP, 0,
	    "invalid address '[2001:db8::1]80'"),
	BAD("[2001:db8::1:80", IPPROTO_TCP, 0,
	    "invalid address '[2001:db8::1:80'"),
	BAD("[198.18.0.1]:80", IPPROTO_TCP, 0,
	    "invalid address '[198.18.0.1]:80'"),
	BAD("2001:db8::g", IPPROTO_TCP, 0, "invalid address '2001:db8::g'"),
	BAD("1.2.3:80", IPPROTO_TCP, NAMES, "invalid address '1.2.3:80'"),
};

TEST(addr_parse_table)
{
	for (size_t i = 0; i < sizeof(addr_cases) / sizeof(addr_cases[0]);
	     i++) {
		const char *in = addr_cases[i].in;
		struct xvs_hostport hp;
		char err[256] = "", text[64];
		int ret;

		ret = xvs_addr_parse(in, addr_cases[i].proto,
				     addr_cases[i].flags, &hp, err,
				     sizeof(err));
		if (addr_cases[i].err) {
			CHECK(ret == -EINVAL && !strcmp(err, addr_cases[i].err),
			      "'%s': ret %d, message \"%s\", want \"%s\"", in,
			      ret, err, addr_cases[i].err);
			continue;
		}
		xvs_addr_ntop(hp.af, &hp.addr, text, sizeof(text));
		CHECK(ret == 0 && hp.af == addr_cases[i].af &&
			      !strcmp(text, addr_cases[i].addr) &&
			      ntohs(hp.port) == addr_cases[i].port &&
			      hp.has_port == addr_cases[i].has_port,
		      "'%s': ret %d (%s) af %u addr %s port %u has_port %u", in,
		      ret, err, hp.af, text, ntohs(hp.port), hp.has_port);
	}
}

/* The model's rule: IPv4 sits in .v4 and the other 12 bytes are zero. */
TEST(addr_v4_rest_zero)
{
	static const __u8 zero[12];
	struct xvs_hostport hp;
	char err[128];

	memset(&hp, 0xa5, sizeof(hp));
	CHECK(xvs_addr_parse("198.18.0.100:80", IPPROTO_TCP, 0, &hp, err,
			     sizeof(err)) == 0,
	      "%s", err);
	CHECK(hp.addr.v4 == htonl(0xc6120064), "v4 %08x", ntohl(hp.addr.v4));
	CHECK(!memcmp(hp.addr.bytes + 4, zero, 12), "bytes 4..15 not zero");
	CHECK(hp.port == htons(80), "port not network order: %04x", hp.port);
}

static union xvs_addr a_of(__u8 af, const char *s)
{
	union xvs_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(af == XVS_AF_INET6 ? AF_INET6 : AF_INET, s, a.bytes);
	return a;
}

TEST(addr_format_numeric)
{
	static const struct {
		__u8 af;
		const char *addr;
		int port;
		const char *want;
	} cases[] = {
		{XVS_AF_INET, "198.18.0.100", 80, "198.18.0.100:80"},
		{XVS_AF_INET, "0.0.0.0", 0, "0.0.0.0:0"},
		{XVS_AF_INET, "255.255.255.255", 65535,
		 "255.255.255.255:65535"},
		{XVS_AF_INET6, "2001:db8::100", 80, "[2001:db8::100]:80"},
		{XVS_AF_INET6, "::", 443, "[::]:443"},
	};
	char buf[XVS_ADDRPORT_LEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		union xvs_addr a = a_of(cases[i].af, cases[i].addr);

		xvs_addr_format(buf, sizeof(buf), cases[i].af, &a,
				htons(cases[i].port), IPPROTO_TCP, 0);
		CHECK(!strcmp(buf, cases[i].want), "got '%s', want '%s'", buf,
		      cases[i].want);
	}
}

/* Names from /etc/hosts and /etc/services, as ipvsadm without -n. */
TEST(addr_format_names)
{
	union xvs_addr lo = a_of(XVS_AF_INET, "127.0.0.1");
	char buf[XVS_ADDRPORT_LEN];

	xvs_addr_format(buf, sizeof(buf), XVS_AF_INET, &lo, htons(80),
			IPPROTO_TCP, 1);
	CHECK(!strcmp(buf, "localhost:http"), "got '%s'", buf);
	/* a port without a service name stays a number */
	xvs_addr_format(buf, sizeof(buf), XVS_AF_INET, &lo, htons(61999),
			IPPROTO_TCP, 1);
	CHECK(!strcmp(buf, "localhost:61999"), "got '%s'", buf);
	/* UDP's table, not TCP's */
	xvs_addr_format(buf, sizeof(buf), XVS_AF_INET, &lo, htons(53),
			IPPROTO_UDP, 1);
	CHECK(!strcmp(buf, "localhost:domain"), "got '%s'", buf);
}

TEST(addr_cmp_order)
{
	union xvs_addr a = a_of(XVS_AF_INET, "198.18.0.9");
	union xvs_addr b = a_of(XVS_AF_INET, "198.18.0.10");
	union xvs_addr c = a_of(XVS_AF_INET6, "2001:db8::1");

	/* numeric, not textual: .9 < .10 */
	CHECK(xvs_addr_cmp(XVS_AF_INET, &a, htons(80), XVS_AF_INET, &b,
			   htons(80)) < 0,
	      "198.18.0.9 should sort before 198.18.0.10");
	CHECK(xvs_addr_cmp(XVS_AF_INET, &a, htons(443), XVS_AF_INET, &a,
			   htons(8080)) < 0,
	      "port 443 should sort before 8080 (host order compare)");
	CHECK(xvs_addr_cmp(XVS_AF_INET, &b, htons(80), XVS_AF_INET, &b,
			   htons(80)) == 0,
	      "equal endpoints should compare 0");
	CHECK(xvs_addr_cmp(XVS_AF_INET6, &c, 0, XVS_AF_INET, &a, 0) > 0,
	      "IPv6 should sort after IPv4");
}
