// SPDX-License-Identifier: GPL-2.0
/*
 * The keepalived.conf reader's messages: every error (the configuration
 * is rejected) and every warning (the keyword and its block are skipped,
 * as keepalived does), each with its exact text and line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scheduler.h"
#include "test.h"
#include "test_conf.h"

#define VS(body) "virtual_server 198.18.0.1 80 {\n" body "\n}\n"
#define RS(body) VS("real_server 198.18.0.11 80 {\n" body "\n}")
#define CK(type, body) RS(type " {\n" body "\n}")
#define URL(body) CK("HTTP_GET", "url {\n" body "\n}")
/* A real server without a port, in a fwmark service. */
#define FWM(body) "virtual_server fwmark 1 {\n" body "\n}\n"
#define FWM_RS(body) FWM("real_server 198.18.0.11 {\n" body "\n}")
#define NO_PORT                                                                \
	"no port to connect to: the real server has none; give connect_port"

#define ERR XVS_CONF_ERROR
#define WARN XVS_CONF_WARNING

static const struct {
	const char *text;
	enum xvs_conf_level level;
	int line;
	const char *msg;
} cases[] = {
	/* structure */
	{"}\n", ERR, 1, "unexpected '}'"},
	{"{\n}\n", ERR, 1, "unexpected '{'"},
	{"virtual_server 198.18.0.1 80 {\n", ERR, 1,
	 "missing '}' for 'virtual_server'"},
	{"foo {\n{\n}\n", ERR, 1, "missing '}' for 'foo'"},
	{"virtual_server 198.18.0.1 80\n", ERR, 1,
	 "'virtual_server' needs a { block }"},
	{RS("weight 1 {\n}"), ERR, 3, "'weight' takes no { block }"},
	{"virtual_server 198.18.0.1 {\n}\n", ERR, 1,
	 "missing value for 'virtual_server'"},
	{VS("lvs_sched"), ERR, 2, "missing value for 'lvs_sched'"},
	{VS("quorum 1 2"), ERR, 2, "too many values for 'quorum'"},
	{VS("notify_up \"/bin/x"), ERR, 2, "unterminated quoted string"},
	/* addresses, ports, numbers */
	{"virtual_server 198.18.0.300 80 {\n}\n", ERR, 1,
	 "bad address '198.18.0.300' for 'virtual_server'"},
	{"virtual_server www.example.org 80 {\n}\n", ERR, 1,
	 "bad address 'www.example.org' for 'virtual_server'"},
	{"virtual_server 198.18.0.1 65536 {\n}\n", ERR, 1,
	 "bad port '65536' for 'virtual_server' (0..65535)"},
	{"virtual_server 198.18.0.1 http {\n}\n", ERR, 1,
	 "bad port 'http' for 'virtual_server' (0..65535)"},
	{"virtual_server 198.18.0.1 -1 {\n}\n", ERR, 1,
	 "bad port '-1' for 'virtual_server' (0..65535)"},
	{"virtual_server fwmark 0 {\n}\n", ERR, 1,
	 "bad value '0' for 'virtual_server' (1..4294967295)"},
	{"virtual_server fwmark 4294967296 {\n}\n", ERR, 1,
	 "bad value '4294967296' for 'virtual_server' (1..4294967295)"},
	{VS("real_server 198.18.0.11 0x50 {\n}"), ERR, 2,
	 "bad port '0x50' for 'real_server' (0..65535)"},
	{VS("real_server 2001:db8::zz {\n}"), ERR, 2,
	 "bad address '2001:db8::zz' for 'real_server'"},
	{RS("weight 65536"), ERR, 3,
	 "bad value '65536' for 'weight' (0..65535)"},
	{RS("weight -1"), ERR, 3, "bad value '-1' for 'weight' (0..65535)"},
	{RS("weight 1.5"), ERR, 3, "bad value '1.5' for 'weight' (0..65535)"},
	{RS("uthreshold 2147483648"), ERR, 3,
	 "bad value '2147483648' for 'uthreshold' (0..2147483647)"},
	{RS("lthreshold x"), ERR, 3,
	 "bad value 'x' for 'lthreshold' (0..2147483647)"},
	{VS("quorum 0"), ERR, 2, "bad value '0' for 'quorum' (1..4294967295)"},
	{VS("hysteresis 99999999999"), ERR, 2,
	 "bad value '99999999999' for 'hysteresis' (0..4294967295)"},
	{VS("persistence_timeout 0"), ERR, 2,
	 "bad value '0' for 'persistence_timeout' (1..4294967295)"},
	{VS("sorry_server 198.18.0.1.2"), ERR, 2,
	 "bad address '198.18.0.1.2' for 'sorry_server'"},
	{VS("sorry_server 198.18.0.2 99999"), ERR, 2,
	 "bad port '99999' for 'sorry_server' (0..65535)"},
	{VS("alpha maybe"), ERR, 2,
	 "bad value 'maybe' for 'alpha' (yes or no)"},
	/* service options */
	{VS("protocol SCTP"), ERR, 2, "protocol SCTP is not supported by xvs"},
	{VS("protocol ICMP"), ERR, 2,
	 "bad value 'ICMP' for 'protocol' (TCP or UDP)"},
	{VS("lvs_method FOO"), ERR, 2,
	 "bad value 'FOO' for 'lvs_method' (NAT, DR or TUN)"},
	{VS("lb_kind DR type gue"), ERR, 2,
	 "tunnel options are for 'lb_kind' TUN only"},
	{VS("lvs_method TUN type gue"), ERR, 2,
	 "'lvs_method' TUN type gue needs a port 1..65535"},
	{VS("lvs_method TUN type gue port 0"), ERR, 2,
	 "'lvs_method' TUN type gue needs a port 1..65535"},
	{VS("lvs_method TUN type ipip port 5"), ERR, 2,
	 "'lvs_method': a tunnel port is for type gue"},
	{VS("lvs_method TUN csum"), ERR, 2,
	 "'lvs_method': csum is for types gue and gre, remcsum for gue"},
	{VS("lvs_method TUN type gre remcsum"), ERR, 2,
	 "'lvs_method': csum is for types gue and gre, remcsum for gue"},
	{VS("lvs_method TUN type vxlan"), ERR, 2,
	 "bad tunnel option 'vxlan' for 'lvs_method'"},
	{VS("lvs_method TUN type"), ERR, 2,
	 "bad tunnel option 'type' for 'lvs_method'"},
	{VS("lvs_method TUN port 70000"), ERR, 2,
	 "bad port '70000' for 'lvs_method' (0..65535)"},
	{VS("sorry_server_lvs_method BAD"), ERR, 2,
	 "bad value 'BAD' for 'sorry_server_lvs_method' (NAT, DR or TUN)"},
	{VS("persistence_granularity 255.0.255.0"), ERR, 2,
	 "bad netmask '255.0.255.0' for 'persistence_granularity'"},
	{VS("persistence_granularity 0.0.0.0"), ERR, 2,
	 "bad netmask '0.0.0.0' for 'persistence_granularity'"},
	{VS("persistence_granularity 129"), ERR, 2,
	 "bad value '129' for 'persistence_granularity' (1..128)"},
	{VS("persistence_granularity 64"), ERR, 2,
	 "persistence_granularity of an IPv4 service must be a netmask"},
	{"virtual_server 2001:db8::1 80 {\n"
	 "persistence_granularity 255.255.255.0\n}\n",
	 ERR, 2,
	 "persistence_granularity of an IPv6 service must be a prefix length"},
	{VS("ip_family inet6"), ERR, 1,
	 "ip_family says IPv6 but the address is IPv4"},
	{VS("ip_family ipx"), ERR, 2,
	 "bad value 'ipx' for 'ip_family' (inet or inet6)"},
	{VS("real_server 2001:db8::11 80 {\n}"), ERR, 2,
	 "real_server is IPv6 but the virtual server is IPv4 (only TUN may mix "
	 "them)"},
	{"virtual_server fwmark 1 {\nreal_server 198.18.0.1 {\n}\n"
	 "real_server 2001:db8::1 {\n}\n}\n",
	 ERR, 4,
	 "real_server is IPv6 but the virtual server is IPv4 (only TUN may mix "
	 "them)"},
	{VS("sorry_server 2001:db8::11 80"), ERR, 1,
	 "sorry_server is IPv6 but the virtual server is IPv4 (only TUN may "
	 "mix them)"},
	/* timers */
	{VS("delay_loop 0"), ERR, 2, "'delay_loop' must be more than 0"},
	{RS("connect_timeout 0.0"), ERR, 3,
	 "'connect_timeout' must be more than 0"},
	{VS("delay_loop abc"), ERR, 2,
	 "bad time 'abc' for 'delay_loop' (seconds, such as 5 or 0.5)"},
	{VS("delay_loop 1.2.3"), ERR, 2,
	 "bad time '1.2.3' for 'delay_loop' (seconds, such as 5 or 0.5)"},
	{VS("warmup -1"), ERR, 2,
	 "bad time '-1' for 'warmup' (seconds, such as 5 or 0.5)"},
	{VS("delay_loop ."), ERR, 2,
	 "bad time '.' for 'delay_loop' (seconds, such as 5 or 0.5)"},
	{VS("delay_loop 4294968"), ERR, 2,
	 "bad time '4294968' for 'delay_loop' (seconds, such as 5 or 0.5)"},
	{VS("retry x"), ERR, 2, "bad value 'x' for 'retry' (0..1000000)"},
	{CK("MISC_CHECK", "misc_path /bin/true\nmisc_timeout 0"), ERR, 5,
	 "'misc_timeout' must be more than 0"},
	/* checkers */
	{CK("HTTP_GET", ""), ERR, 3, "HTTP_GET needs a url { } block"},
	{CK("SSL_GET", "virtualhost x"), ERR, 3,
	 "SSL_GET needs a url { } block"},
	{CK("MISC_CHECK", "misc_timeout 3"), ERR, 3,
	 "MISC_CHECK needs a misc_path"},
	{CK("TCP_CHECK", "connect_ip 198.18.0"), ERR, 4,
	 "bad address '198.18.0' for 'connect_ip'"},
	{CK("TCP_CHECK", "bind_port 65536"), ERR, 4,
	 "bad port '65536' for 'bind_port' (0..65535)"},
	{CK("DNS_CHECK", "type BOGUS"), ERR, 4,
	 "bad value 'BOGUS' for 'type' (A, NS, CNAME, SOA, MX, TXT or AAAA)"},
	{CK("HTTP_GET", "url {\n}\nhttp_protocol 2"), ERR, 6,
	 "bad value '2' for 'http_protocol' (1.0, 1.0C, 1.0K or 1.1)"},
	{CK("SSL_GET", "url {\n}\nenable_sni maybe"), ERR, 6,
	 "bad value 'maybe' for 'enable_sni' (yes or no)"},
	{URL("digest 123"), ERR, 5, "bad digest '123' (32 hex digits, an MD5)"},
	{URL("digest 0123456789abcdef0123456789abcdeg"), ERR, 5,
	 "bad digest '0123456789abcdef0123456789abcdeg' (32 hex digits, an "
	 "MD5)"},
	{URL("status_code 99"), ERR, 5,
	 "bad status code '99' (100..599, or a range such as 200-299)"},
	{URL("status_code 200 300-200"), ERR, 5,
	 "bad status code '300-200' (100..599, or a range such as 200-299)"},
	{URL("status_code 200-"), ERR, 5,
	 "bad status code '200-' (100..599, or a range such as 200-299)"},
	{URL("status_code 600"), ERR, 5,
	 "bad status code '600' (100..599, or a range such as 200-299)"},
	{URL("status_code 200 201 202 203 204 205 206 207 208 209 210 211 "
	     "212 213 214 215 216"),
	 ERR, 5, "more than 16 status_code ranges in a url"},
	/* the whole file */
	{VS("") VS(""), ERR, 4,
	 "duplicate virtual_server 198.18.0.1:80 (first at t.conf:1)"},
	{"virtual_server fwmark 3 {\n}\nvirtual_server fwmark 3 {\n}\n", ERR, 3,
	 "duplicate virtual_server fwmark 3 (first at t.conf:1)"},
	{"virtual_server_group G {\n198.18.0.1 80\n}\n"
	 "virtual_server group G {\n}\nvirtual_server group G {\n}\n",
	 ERR, 6, "duplicate virtual_server group G (first at t.conf:4)"},
	{VS("real_server 198.18.0.11 80 {\n}\nreal_server 198.18.0.11 80 {\n}"),
	 ERR, 4,
	 "duplicate real_server 198.18.0.11 port 80 (first at t.conf:2)"},
	{VS("real_server 198.18.0.11 {\n}\nreal_server 198.18.0.11 80 {\n}"),
	 ERR, 4,
	 "duplicate real_server 198.18.0.11 port 80 (first at t.conf:2)"},
	{"virtual_server group G {\n}\n", ERR, 1,
	 "virtual_server_group 'G' is not defined"},
	{"virtual_server_group G {\n198.18.0.1 80\n}\n"
	 "virtual_server_group G {\n198.18.0.2 80\n}\n",
	 ERR, 4, "duplicate virtual_server_group 'G' (first at t.conf:1)"},
	{"virtual_server_group G {\n198.18.0.10-5 80\n}\n", ERR, 2,
	 "bad address or range '198.18.0.10-5' in virtual_server_group 'G'"},
	{"virtual_server_group G {\n198.18.0.1-256 80\n}\n", ERR, 2,
	 "bad address or range '198.18.0.1-256' in virtual_server_group 'G'"},
	{"virtual_server_group G {\n198.18.0.1-x 80\n}\n", ERR, 2,
	 "bad address or range '198.18.0.1-x' in virtual_server_group 'G'"},
	{"virtual_server_group G {\n2001:db8::1-10000 80\n}\n", ERR, 2,
	 "bad address or range '2001:db8::1-10000' in virtual_server_group "
	 "'G'"},
	{"virtual_server_group G {\n198.18.0.1 99999\n}\n", ERR, 2,
	 "bad port '99999' for '198.18.0.1' (0..65535)"},
	{"virtual_server_group G {\n198.18.0.1 80\n2001:db8::1 80\n}\n", ERR, 3,
	 "virtual_server_group 'G' mixes IPv4 and IPv6"},
	{"virtual_server_group G {\nfwmark 0\n}\n", ERR, 2,
	 "bad value '0' for 'fwmark' (1..4294967295)"},
	{"virtual_server_group G {\n2001:db8::1 80\n}\n"
	 "virtual_server group G {\nip_family inet\n}\n",
	 ERR, 4,
	 "virtual_server_group 'G' is IPv6 but the virtual server is IPv4"},
	/* a checker's port is the real server's unless connect_port says */
	{FWM_RS("SMTP_CHECK {\n}"), ERR, 3, NO_PORT},
	{FWM_RS("DNS_CHECK {\n}"), ERR, 3, NO_PORT},
	{VS("real_server 198.18.0.11 0 {\nTCP_CHECK {\n}\n}"), ERR, 3, NO_PORT},
	{"include\n", ERR, 1, "include needs a file name"},
	{"virtual_server 198.18.0.1 80 {\n\0\n}\n", ERR, 2,
	 "NUL byte in the file"},

	/* warnings: skipped with their blocks */
	{"foo bar\n", WARN, 1,
	 "unknown keyword 'foo' in the top level; ignored"},
	{VS("foo 1"), WARN, 2,
	 "unknown keyword 'foo' in virtual_server; ignored"},
	{VS("foo {\nweight x\n}"), WARN, 2,
	 "unknown keyword 'foo' in virtual_server; ignored"},
	{RS("bar"), WARN, 3, "unknown keyword 'bar' in real_server; ignored"},
	{VS("ha_suspend"), WARN, 2,
	 "'ha_suspend' is not supported by xvs; ignored"},
	{VS("persistence_engine sip"), WARN, 2,
	 "'persistence_engine' is not supported by xvs; ignored"},
	{VS("hashed"), WARN, 2, "'hashed' is not supported by xvs; ignored"},
	{RS("smtp_alert"), WARN, 3,
	 "'smtp_alert' is not supported by xvs; ignored"},
	{CK("HTTP_GET", "url {\n}\nfast_recovery"), WARN, 6,
	 "'fast_recovery' is not supported by xvs; ignored"},
	{CK("SMTP_CHECK", "host {\nconnect_ip 198.18.0.1\n}"), WARN, 4,
	 "'host' is not supported by xvs; ignored"},
	{CK("MISC_CHECK", "misc_path /bin/true\nuser nobody"), WARN, 5,
	 "'user' is not supported by xvs; ignored"},
	{CK("TCP_CHECK", "fwmark 3"), WARN, 4,
	 "unknown keyword 'fwmark' in TCP_CHECK; ignored"},
	{URL("maxlen 5"), WARN, 5, "unknown keyword 'maxlen' in url; ignored"},
	{CK("MISC_CHECK", "misc_path /bin/true\nconnect_port 80"), WARN, 5,
	 "unknown keyword 'connect_port' in MISC_CHECK; ignored"},
	{"global_defs {\nnotification_email {\nroot@localhost\n}\n}\n", WARN, 2,
	 "unknown keyword 'notification_email' in global_defs; ignored"},
	{"vrrp_instance VI {\nstate MASTER\n}\n", WARN, 1,
	 "'vrrp_instance' is not supported by xvs; ignored"},
	{"vrrp_sync_group G {\ngroup {\nVI\n}\n}\n", WARN, 1,
	 "'vrrp_sync_group' is not supported by xvs; ignored"},
	{"vrrp_script chk {\nscript \"/bin/true\"\n}\n", WARN, 1,
	 "'vrrp_script' is not supported by xvs; ignored"},
	{"vrrp_track_process p {\nprocess nginx\n}\n", WARN, 1,
	 "'vrrp_track_process' is not supported by xvs; ignored"},
	{"static_ipaddress {\n198.18.0.1/32 dev lo\n}\n", WARN, 1,
	 "'static_ipaddress' is not supported by xvs; ignored"},
	{"static_routes {\n198.18.0.0/24 via 198.18.0.1\n}\n", WARN, 1,
	 "'static_routes' is not supported by xvs; ignored"},
	{"bfd_instance b {\nneighbor_ip 198.18.0.1\n}\n", WARN, 1,
	 "'bfd_instance' is not supported by xvs; ignored"},
	{RS("UDP_CHECK {\n}"), WARN, 3,
	 "'UDP_CHECK' is not supported by xvs; ignored"},
	{RS("PING_CHECK {\n}"), WARN, 3,
	 "'PING_CHECK' is not supported by xvs; ignored"},
	{RS("FILE_CHECK {\nfile_path /x\n}"), WARN, 3,
	 "'FILE_CHECK' is not supported by xvs; ignored"},
	{RS("BFD_CHECK {\nname b\n}"), WARN, 3,
	 "'BFD_CHECK' is not supported by xvs; ignored"},
	{URL("regex \"^OK\""), WARN, 5,
	 "'regex' is not supported by xvs; ignored"},
	{VS("lvs_sched rr\nsh-port"), WARN, 3,
	 "sh-port and sh-fallback are for the sh scheduler; ignored"},
	{VS("mh-fallback"), WARN, 2,
	 "mh-port and mh-fallback are for the mh scheduler; ignored"},
	{RS("notify_up \"/bin/a x\" nobody nogroup"), WARN, 3,
	 "'notify_up': a user and group after the quoted command are not "
	 "supported; ignored"},
	{RS("notify_up /bin/a\nnotify_up /bin/b"), WARN, 4,
	 "'notify_up' given twice; the last one is used"},
	{VS("delay_loop 1\ndelay_loop 2"), WARN, 3,
	 "'delay_loop' given twice; the last one is used"},
	{VS("lvs_sched rr\nlb_algo wrr"), WARN, 3,
	 "'lb_algo' given twice; the last one is used"},
	{RS("weight 1\nweight 2"), WARN, 4,
	 "'weight' given twice; the last one is used"},
	{VS("alpha\nalpha off"), WARN, 3,
	 "'alpha' given twice; the last one is used"},
	{URL("digest 00112233445566778899aabbccddeeff\n"
	     "digest 00112233445566778899aabbccddeeff"),
	 WARN, 6, "'digest' given twice; the last one is used"},
	{"virtual_server_group G {\n}\n", WARN, 1,
	 "virtual_server_group 'G' is empty"},
	{"global_defs {\nlvs_sync_daemon eth0 VI\n}\n", WARN, 2,
	 "'lvs_sync_daemon' is not supported by xvs; ignored"},
	{"include /nonexistent-xvs-dir/*.conf\n", WARN, 1,
	 "include '/nonexistent-xvs-dir/*.conf' matches no file"},
};

TEST(conf_messages)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tc_msgs msgs;
		const char *text = cases[i].text;
		size_t len = strlen(text);
		struct xvs_conf *c;

		/* the NUL case: the text runs on past its NUL */
		if (strstr(cases[i].msg, "NUL"))
			len += strlen(text + len + 1) + 1;
		c = tc_parse_len(text, len, &msgs);
		CHECK(tc_find(&msgs, cases[i].level, "t.conf", cases[i].line,
			      cases[i].msg),
		      "case %zu: want %s line %d '%s', got %s", i,
		      cases[i].level == ERR ? "error" : "warning",
		      cases[i].line, cases[i].msg, tc_dump(&msgs));
		if (cases[i].level == ERR)
			CHECK(!c, "case %zu: an error rejects the file", i);
		else
			CHECK(c && !msgs.errors,
			      "case %zu: a warning keeps the file: %s", i,
			      tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* The scheduler's message lists what xvs has. */
TEST(conf_unknown_scheduler)
{
	struct tc_msgs msgs;
	char want[256];
	struct xvs_conf *c = tc_parse(VS("lvs_sched rrr"), &msgs);

	snprintf(want, sizeof(want), "unknown scheduler 'rrr' (xvs has: %s)",
		 xvs_sched_built_names());
	CHECK(!c && tc_find(&msgs, ERR, "t.conf", 2, want), "got %s",
	      tc_dump(&msgs));
	xvs_conf_free(c);
}

/* Every error is reported, not just the first; what is fine around them
 * gives no message. */
TEST(conf_all_errors_reported)
{
	struct tc_msgs msgs;
	struct xvs_conf *c =
		tc_parse("virtual_server 198.18.0.1 80 {\n" /* 1 */
			 "  weight 3\n"			    /* 2: not here */
			 "  quorum 0\n"			    /* 3 */
			 "  real_server 198.18.0.11 80 {\n" /* 4 */
			 "    weight 70000\n"		    /* 5 */
			 "    HTTP_GET {\n"		    /* 6 */
			 "    }\n"			    /* 7 */
			 "  }\n"			    /* 8 */
			 "}\n"				    /* 9 */
			 "virtual_server 198.18.0.1 80 {\n" /* 10 */
			 "  lvs_sched nope\n"		    /* 11 */
			 "}\n",				    /* 12 */
			 &msgs);

	CHECK(!c && msgs.errors == 5 && msgs.warnings == 1, "got %s",
	      tc_dump(&msgs));
	CHECK(tc_find(&msgs, WARN, "t.conf", 2,
		      "unknown keyword 'weight' in virtual_server; ignored") &&
		      tc_find(&msgs, ERR, "t.conf", 3,
			      "bad value '0' for 'quorum' (1..4294967295)") &&
		      tc_find(&msgs, ERR, "t.conf", 5,
			      "bad value '70000' for 'weight' (0..65535)") &&
		      tc_find(&msgs, ERR, "t.conf", 6,
			      "HTTP_GET needs a url { } block") &&
		      tc_find(&msgs, ERR, "t.conf", 10,
			      "duplicate virtual_server 198.18.0.1:80 (first "
			      "at "
			      "t.conf:1)"),
	      "got %s", tc_dump(&msgs));
	xvs_conf_free(c);
}

/* Many errors: the reader stops after 100, says so, and returns. */
TEST(conf_error_flood)
{
	struct tc_msgs msgs = {0};
	size_t n = 5000, len = 0;
	char *text = malloc(n * 4 + 1);
	struct xvs_conf *c;

	for (size_t i = 0; text && i < n; i++)
		len += (size_t)sprintf(text + len, "}\n{\n");
	c = text ? tc_parse_len(text, len, &msgs) : NULL;
	CHECK(text && !c && msgs.errors == 101 &&
		      !strcmp(msgs.m[100].text, "too many errors; giving up"),
	      "errors %d", msgs.errors);
	xvs_conf_free(c);
	free(text);
}
