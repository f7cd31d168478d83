// SPDX-License-Identifier: GPL-2.0
/*
 * Mark rules (core/mark.h): their text read and printed back in its
 * shortest form, refused when malformed with a message quoting it, the
 * data plane's match, the daemon's check of a peer's rule; xvsadm's
 * --add-mark/--del-mark and fwmark services on the command line; and -S's
 * rule lines parsed back to the same rules.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "format.h"
#include "mark.h"
#include "test.h"

static const struct {
	const char *in, *out; /* out NULL: printed as read */
	__u8 af, plen;
	__u16 lo, hi;
} good[] = {
	{"198.18.0.100:80-443", NULL, XVS_AF_INET, 32, 80, 443},
	{"198.18.0.100:443", NULL, XVS_AF_INET, 32, 443, 443},
	{"198.18.0.100", NULL, XVS_AF_INET, 32, 0, 65535},
	{"198.18.0.100:0-65535", "198.18.0.100", XVS_AF_INET, 32, 0, 65535},
	{"198.18.0.7/24:80", "198.18.0.0/24:80", XVS_AF_INET, 24, 80, 80},
	{"198.18.0.100/32:80", "198.18.0.100:80", XVS_AF_INET, 32, 80, 80},
	{"0.0.0.0/0:53", NULL, XVS_AF_INET, 0, 53, 53},
	{"[2001:db8::100]:443", NULL, XVS_AF_INET6, 128, 443, 443},
	{"[2001:db8::1]/64:80-443", "[2001:db8::]/64:80-443", XVS_AF_INET6,
	 64, 80, 443},
	{"2001:db8::/48", "[2001:db8::]/48", XVS_AF_INET6, 48, 0, 65535},
	{"2001:db8::100", "[2001:db8::100]", XVS_AF_INET6, 128, 0, 65535},
};

static const char *const bad[] = {
	"",
	"198.18.0.300:80",
	"198.18.0.100/33",
	"198.18.0.100/",
	"198.18.0.100:",
	"198.18.0.100:443-80",
	"198.18.0.100:80-",
	"198.18.0.100:65536",
	"198.18.0.100:-1",
	"198.18.0.100:http",
	"198.18.0.100:80x",
	"[2001:db8::1]/129",
	"[2001:db8::1",
	"[2001:db8::1]x",
	"example.org:80",
};

TEST(mark_rule_text)
{
	char err[256], text[XVS_MARK_TEXT_LEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct xvs_mark_rule r, again;
		const char *want = good[i].out ? good[i].out : good[i].in;
		int rc = xvs_mark_rule_parse(good[i].in, IPPROTO_TCP, &r, err,
					     sizeof(err));

		CHECK(!rc && r.af == good[i].af && r.plen == good[i].plen &&
			      r.port_lo == good[i].lo &&
			      r.port_hi == good[i].hi && !r.mark,
		      "'%s': %s", good[i].in, err);
		xvs_mark_rule_text(&r, text, sizeof(text));
		CHECK(!strcmp(text, want), "'%s' prints as '%s', want '%s'",
		      good[i].in, text, want);
		rc = xvs_mark_rule_parse(text, IPPROTO_TCP, &again, err,
					 sizeof(err));
		CHECK(!rc && !memcmp(&again, &r, sizeof(r)),
		      "'%s' reads back as the same rule", text);
		r.mark = 1;
		CHECK(!xvs_mark_rule_check(&r, err, sizeof(err)),
		      "a parsed rule passes the daemon's check: %s", err);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xvs_mark_rule r;
		char want[128];
		int rc = xvs_mark_rule_parse(bad[i], IPPROTO_UDP, &r, err,
					     sizeof(err));

		snprintf(want, sizeof(want), "invalid mark destination '%s'",
			 bad[i]);
		CHECK(rc == -EINVAL && !strncmp(err, want, strlen(want)),
		      "'%s' refused: %s", bad[i], err);
	}
}

TEST(mark_rule_check)
{
	struct xvs_mark_rule r, w;
	char err[256];

	CHECK(!xvs_mark_rule_parse("198.18.0.0/24:80", IPPROTO_TCP, &r, err,
				   sizeof(err)),
	      "the rule to break parses: %s", err);
	w = r;
	CHECK(xvs_mark_rule_check(&w, err, sizeof(err)) == -EINVAL,
	      "mark 0 refused");
	w.mark = 3;
	w.addr.bytes[3] = 1; /* a host bit beyond /24 */
	CHECK(xvs_mark_rule_check(&w, err, sizeof(err)) == -EINVAL,
	      "host bits refused: %s", err);
	w = r;
	w.mark = 3;
	w.mask.v4 = 0xffffffff;
	CHECK(xvs_mark_rule_check(&w, err, sizeof(err)) == -EINVAL,
	      "a mask that is not the prefix's refused");
	w = r;
	w.mark = 3;
	w.proto = 1;
	CHECK(xvs_mark_rule_check(&w, err, sizeof(err)) == -EPROTONOSUPPORT,
	      "ICMP refused");
	w.proto = IPPROTO_TCP;
	w.plen = 33;
	CHECK(xvs_mark_rule_check(&w, err, sizeof(err)) == -EINVAL,
	      "prefix length 33 refused");
	w = r;
	w.mark = 3;
	w.port_lo = 90;
	CHECK(xvs_mark_rule_check(&w, err, sizeof(err)) == -EINVAL,
	      "ports 90-80 refused");
}

static struct xvs_conn_key flow(__u8 proto, const char *dst, __u16 port)
{
	struct xvs_conn_key k;
	int v6 = !!strchr(dst, ':');

	memset(&k, 0, sizeof(k));
	inet_pton(v6 ? AF_INET6 : AF_INET, dst, k.daddr.bytes);
	k.af = v6 ? XVS_AF_INET6 : XVS_AF_INET;
	k.proto = proto;
	k.dport = htons(port);
	return k;
}

TEST(mark_rule_match)
{
	static const struct {
		const char *rule;
		__u8 rproto, proto;
		const char *dst;
		__u16 port;
		int match;
	} m[] = {
		{"198.18.0.100:80-443", IPPROTO_TCP, IPPROTO_TCP,
		 "198.18.0.100", 80, 1},
		{"198.18.0.100:80-443", IPPROTO_TCP, IPPROTO_TCP,
		 "198.18.0.100", 443, 1},
		{"198.18.0.100:80-443", IPPROTO_TCP, IPPROTO_TCP,
		 "198.18.0.100", 444, 0},
		{"198.18.0.100:80-443", IPPROTO_TCP, IPPROTO_TCP,
		 "198.18.0.100", 79, 0},
		{"198.18.0.100:80-443", IPPROTO_TCP, IPPROTO_UDP,
		 "198.18.0.100", 80, 0},
		{"198.18.0.100:80-443", IPPROTO_TCP, IPPROTO_TCP,
		 "198.18.0.101", 80, 0},
		{"198.18.0.0/24", IPPROTO_UDP, IPPROTO_UDP, "198.18.0.255", 9,
		 1},
		{"198.18.0.0/24", IPPROTO_UDP, IPPROTO_UDP, "198.18.1.0", 9, 0},
		{"0.0.0.0/0", IPPROTO_UDP, IPPROTO_UDP, "203.0.113.9", 1, 1},
		{"0.0.0.0/0", IPPROTO_UDP, IPPROTO_UDP, "2001:db8::1", 1, 0},
		{"[2001:db8::]/64:443", IPPROTO_TCP, IPPROTO_TCP,
		 "2001:db8::ffff:1", 443, 1},
		{"[2001:db8::]/64:443", IPPROTO_TCP, IPPROTO_TCP,
		 "2001:db8:0:1::1", 443, 0},
		{"[2001:db8::]/64:443", IPPROTO_TCP, IPPROTO_TCP,
		 "2001:db8::1", 80, 0},
	};
	char err[128];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct xvs_mark_rule r;
		struct xvs_conn_key k = flow(m[i].proto, m[i].dst, m[i].port);
		int rc = xvs_mark_rule_parse(m[i].rule, m[i].rproto, &r, err,
					     sizeof(err));

		/* unchecked, a rule that failed to parse could pass every
		 * "does not match" row */
		CHECK(!rc && xvs_mark_match(&r, &k) == m[i].match,
		      "%s %s %s:%u (%s)", m[i].rule,
		      m[i].match ? "matches" : "does not match", m[i].dst,
		      m[i].port, rc ? err : "parsed");
	}
}

static int parse(const char *line, struct xvs_cmd *cmd, char *err,
		 size_t errlen)
{
	return xvs_cmd_parse_line(line, cmd, err, errlen);
}

TEST(mark_cli)
{
	struct xvs_cmd cmd;
	char err[256];
	int rc;

	rc = parse("--add-mark -t 198.18.0.100:80-443 -f 1", &cmd, err,
		   sizeof(err));
	CHECK(!rc && cmd.op == XVS_CMD_ADD_MARK && cmd.mark.mark == 1 &&
		      cmd.mark.proto == IPPROTO_TCP &&
		      cmd.mark.port_lo == 80 && cmd.mark.port_hi == 443 &&
		      cmd.mark.plen == 32,
	      "--add-mark: %s", err);
	rc = parse("-f 7 --add-mark --udp-service [2001:db8::]/64", &cmd, err,
		   sizeof(err));
	CHECK(!rc && cmd.mark.mark == 7 && cmd.mark.proto == IPPROTO_UDP &&
		      cmd.mark.af == XVS_AF_INET6 && cmd.mark.plen == 64,
	      "any order, long options, IPv6: %s", err);
	rc = parse("--del-mark -t 198.18.0.0/24", &cmd, err, sizeof(err));
	CHECK(!rc && cmd.op == XVS_CMD_DEL_MARK && cmd.mark.mark == 0,
	      "--del-mark without a mark: %s", err);
	rc = parse("-A -f 1 -s rr -p -M 255.255.255.0", &cmd, err,
		   sizeof(err));
	CHECK(!rc && !cmd.svc.key.proto &&
		      cmd.svc.key.addr.v4 == htonl(1) && !cmd.svc.key.port &&
		      cmd.svc.key.af == XVS_AF_INET &&
		      cmd.svc.flags == XVS_SVC_F_PERSISTENT &&
		      cmd.svc.timeout == 360 &&
		      cmd.svc.netmask == htonl(0xffffff00),
	      "-A -f 1: protocol 0, the mark as address: %s", err);
	rc = parse("-A -f 2 -6 -p 600 -M 64 -o", &cmd, err, sizeof(err));
	CHECK(!rc && cmd.svc.key.af == XVS_AF_INET6 &&
		      cmd.svc.key.addr.v4 == htonl(2) &&
		      cmd.svc.timeout == 600 && cmd.svc.netmask == 64 &&
		      (cmd.svc.flags & XVS_SVC_F_ONEPACKET),
	      "-A -f 2 -6 with -o: %s", err);
	rc = parse("-a -f 1 -r 198.18.0.11:443 -g", &cmd, err, sizeof(err));
	CHECK(!rc && cmd.dest.port == htons(443) && !cmd.dest.svc.proto,
	      "a fwmark service's real server keeps its port: %s", err);
	rc = parse("-A -t 198.18.0.100:0 -s rr -p", &cmd, err, sizeof(err));
	CHECK(!rc && !cmd.svc.key.port, "port zero with -p: %s", err);
}

TEST(mark_cli_errors)
{
	static const struct {
		const char *line, *want;
	} e[] = {
		{"--add-mark -t 198.18.0.100:80",
		 "You need to supply the 'fwmark' option for the 'add-mark' "
		 "command"},
		{"--add-mark -f 1",
		 "You need to supply the 'service-address' option for the "
		 "'add-mark' command"},
		{"--add-mark -t 198.18.0.100:80 -f 1 -s rr",
		 "Illegal 'scheduler' option with the 'add-mark' command"},
		{"--add-mark -t 198.18.0.100:80 -f 1 -6",
		 "-6 is for fwmark services, not mark rules"},
		{"--add-mark --sctp-service 198.18.0.100:80 -f 1",
		 "mark rules are for -t or -u"},
		{"--add-mark -t 198.18.0.100/33 -f 1",
		 "invalid mark destination '198.18.0.100/33'"},
		{"--add-mark -t 198.18.0.100 -f 0",
		 "invalid fwmark '0' (must be 1..4294967295)"},
		{"--add-mark -t 198.18.0.100 -f 1 -f 2",
		 "multiple 'service-address' options specified"},
		{"-A -t 198.18.0.100:80 -f 1",
		 "multiple 'service-address' options specified"},
		{"-A -t 198.18.0.100:0", "Zero port specified for "
					 "non-persistent service"},
		{"-A -t 198.18.0.100:80 -o",
		 "One-Packet Scheduling is only for UDP virtual services"},
		{"-A -t 198.18.0.100:80 -M 255.255.255.0 -p 0",
		 "invalid persistence timeout '0'"},
		{"-A -f 1 -6 -p -M 129", "invalid netmask '129'"},
	};
	struct xvs_cmd cmd;
	char err[256];

	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		int rc = parse(e[i].line, &cmd, err, sizeof(err));

		CHECK(rc == -EINVAL && !strncmp(err, e[i].want,
						strlen(e[i].want)),
		      "'%s': got '%s'", e[i].line, err);
	}
}

/* -S's rule lines (rules first, as xvsadm -S prints them) parse back to
 * the rules they were printed from; -L shows them as a table. */
TEST(mark_save_restore)
{
	static const char *const dst[] = {"198.18.0.100:80-443",
					  "198.18.0.0/24",
					  "[2001:db8::]/64:443"};
	struct xvs_mark_rule r[3];
	char *out = NULL, *line, *save, err[256];
	size_t size = 0, n = 0;
	FILE *f;

	for (int i = 0; i < 3; i++) {
		xvs_mark_rule_parse(dst[i], i == 1 ? IPPROTO_UDP : IPPROTO_TCP,
				    &r[i], err, sizeof(err));
		r[i].mark = (__u32)(i + 1) * 1000;
	}
	f = open_memstream(&out, &size);
	xvs_format_marks(f, r, 3, XVS_FMT_RULE);
	fclose(f);
	CHECK(!strcmp(out, "--add-mark -t 198.18.0.100:80-443 -f 1000\n"
			   "--add-mark -u 198.18.0.0/24 -f 2000\n"
			   "--add-mark -t [2001:db8::]/64:443 -f 3000\n"),
	      "-S lines:\n%s", out);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		struct xvs_cmd cmd;
		int rc = xvs_cmd_parse_line(line, &cmd, err, sizeof(err));

		CHECK(!rc && n < 3 && cmd.op == XVS_CMD_ADD_MARK &&
			      !memcmp(&cmd.mark, &r[n], sizeof(r[n])),
		      "'%s' reads back as rule %zu: %s", line, n, err);
	}
	free(out);
	out = NULL;
	f = open_memstream(&out, &size);
	xvs_format_marks(f, r, 3, XVS_FMT_NUMERIC);
	xvs_format_marks(f, r, 0, XVS_FMT_NUMERIC);
	fclose(f);
	CHECK(!strcmp(out,
		      "FWMark rules (first match wins)\n"
		      "Prot Destination:Ports                          Mark\n"
		      "TCP  198.18.0.100:80-443                        1000\n"
		      "UDP  198.18.0.0/24                              2000\n"
		      "TCP  [2001:db8::]/64:443                        3000\n"),
	      "-L table, nothing for no rules:\n%s", out);
	free(out);
}
