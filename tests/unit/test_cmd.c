// SPDX-License-Identifier: GPL-2.0
/*
 * The ipvsadm command line: every command and long option, ipvsadm's
 * defaults, the port rules of -g/-i/-m, and every error with its exact
 * message (which quotes the bad input). Lines go through
 * xvs_cmd_parse_line, which splits on blanks as -R does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include "cmd.h"
#include "format.h"
#include "test.h"

static int parse(const char *line, struct xvs_cmd *cmd, char *err,
		 size_t errlen)
{
	return xvs_cmd_parse_line(line, cmd, err, errlen);
}

/* Every command, short and long. */
TEST(cmd_commands)
{
	static const struct {
		const char *line;
		enum xvs_cmd_op op;
	} cases[] = {
		{"-A -t 198.18.0.100:80", XVS_CMD_ADD_SVC},
		{"--add-service -t 198.18.0.100:80", XVS_CMD_ADD_SVC},
		{"-E -t 198.18.0.100:80", XVS_CMD_EDIT_SVC},
		{"--edit-service -t 198.18.0.100:80", XVS_CMD_EDIT_SVC},
		{"-D -t 198.18.0.100:80", XVS_CMD_DEL_SVC},
		{"--delete-service -t 198.18.0.100:80", XVS_CMD_DEL_SVC},
		{"-C", XVS_CMD_CLEAR},
		{"--clear", XVS_CMD_CLEAR},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11", XVS_CMD_ADD_DEST},
		{"--add-server -t 198.18.0.100:80 -r 198.18.0.11",
		 XVS_CMD_ADD_DEST},
		{"-e -t 198.18.0.100:80 -r 198.18.0.11", XVS_CMD_EDIT_DEST},
		{"--edit-server -t 198.18.0.100:80 -r 198.18.0.11",
		 XVS_CMD_EDIT_DEST},
		{"-d -t 198.18.0.100:80 -r 198.18.0.11", XVS_CMD_DEL_DEST},
		{"--delete-server -t 198.18.0.100:80 -r 198.18.0.11",
		 XVS_CMD_DEL_DEST},
		{"-L", XVS_CMD_LIST},
		{"-l", XVS_CMD_LIST},
		{"--list", XVS_CMD_LIST},
		{"-Ln", XVS_CMD_LIST},
		{"-S", XVS_CMD_SAVE},
		{"--save", XVS_CMD_SAVE},
		{"-R", XVS_CMD_RESTORE},
		{"--restore", XVS_CMD_RESTORE},
		{"-Z", XVS_CMD_ZERO},
		{"--zero -t 198.18.0.100:80", XVS_CMD_ZERO},
		{"-h", XVS_CMD_HELP},
		{"--help", XVS_CMD_HELP},
		{"-v", XVS_CMD_VERSION},
		{"--version", XVS_CMD_VERSION},
		{"--set 900 120 300", XVS_CMD_SET_TIMEOUT},
		{"--start-daemon master", XVS_CMD_START_DAEMON},
		{"--stop-daemon backup", XVS_CMD_STOP_DAEMON},
	};
	struct xvs_cmd cmd;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = parse(cases[i].line, &cmd, err, sizeof(err));

		CHECK(ret == 0 && cmd.op == cases[i].op,
		      "'%s': ret %d (%s), op %d, want %d", cases[i].line, ret,
		      err, cmd.op, cases[i].op);
	}
}

/* No arguments at all lists the table, as plain `ipvsadm` does. */
TEST(cmd_no_arguments_lists)
{
	char *argv[] = {"xvsadm", NULL};
	struct xvs_cmd cmd;
	char err[64];

	int ret;

	ret = xvs_cmd_parse(1, argv, &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.op == XVS_CMD_LIST && cmd.fmt == 0,
	      "ret %d op %d fmt %x", ret, cmd.op, cmd.fmt);
	ret = xvs_cmd_parse_line("  # only a comment", &cmd, err, sizeof(err));
	CHECK(ret == 1, "a comment line should be reported as empty: %d", ret);
	ret = xvs_cmd_parse_line("\t \n", &cmd, err, sizeof(err));
	CHECK(ret == 1, "a blank line should be reported as empty: %d", ret);
	ret = xvs_cmd_parse_line("-C # clear it all", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.op == XVS_CMD_CLEAR,
	      "a trailing comment is ignored: %d (%s)", ret, err);
}

/* The long spelling of each option parses to exactly the short one. */
TEST(cmd_long_options)
{
	static const struct {
		const char *s, *l;
	} cases[] = {
		{"-A -t 198.18.0.100:80 -s wrr -p 600 -M 255.255.255.0",
		 "--add-service --tcp-service 198.18.0.100:80 --scheduler wrr "
		 "--persistent 600 --netmask 255.255.255.0"},
		{"-A -t 198.18.0.100:80 -p600",
		 "-A -t 198.18.0.100:80 --persistent=600"},
		{"-A -u 198.18.0.100:53 -o",
		 "-A --udp-service 198.18.0.100:53 --ops"},
		{"-a -u 198.18.0.100:53 -r 198.18.0.11:5353 -m -w 5 -x 100 "
		 "-y 50",
		 "--add-server --udp-service 198.18.0.100:53 --real-server "
		 "198.18.0.11:5353 --masquerading --weight 5 --u-threshold "
		 "100 --l-threshold 50"},
		{"-e -t 198.18.0.100:80 -r 198.18.0.11 -i",
		 "-e -t 198.18.0.100:80 -r 198.18.0.11 --ipip"},
		{"-e -t 198.18.0.100:80 -r 198.18.0.11 -g",
		 "-e -t 198.18.0.100:80 -r 198.18.0.11 --gatewaying"},
		{"-L -n --stats -X", "--list --numeric --stats --exact"},
		{"-L --rate --nosort", "--list --rate --nosort --sort"},
		{"-L --thresholds", "--list --thresholds"},
		{"-L --persistent-conn --tun-info",
		 "-l --persistent-conn --tun-info"},
		{"-L -c", "--list --connection"},
		{"-A -f 5 -6", "--add-service --fwmark-service 5 --ipv6"},
		{"-A -t 198.18.0.100:80 -s sh -b sh-port",
		 "-A -t 198.18.0.100:80 --scheduler sh --sched-flags sh-port"},
		{"-A --sctp-service 198.18.0.100:80 --pe sip -p",
		 "-A --sctp-service 198.18.0.100:80 --pe sip --persistent"},
		{"--start-daemon master --mcast-interface eth1 --syncid 7",
		 "--start-daemon=master --mcast-interface=eth1 --syncid=7"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type gue "
		 "--tun-port 6080 --tun-csum",
		 "-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type=gue "
		 "--tun-port=6080 --tun-csum"},
	};
	struct xvs_cmd a, b;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ra = parse(cases[i].s, &a, err, sizeof(err));
		int rb = parse(cases[i].l, &b, err, sizeof(err));

		CHECK(ra == 0 && rb == 0 && !memcmp(&a, &b, sizeof(a)),
		      "'%s' (%d) vs '%s' (%d): %s", cases[i].s, ra, cases[i].l,
		      rb, err);
	}
}

/* ipvsadm's defaults: wlc, -g, weight 1, -p 360, /32 persistence. */
TEST(cmd_defaults)
{
	struct xvs_cmd cmd;
	char err[256];
	int ret;

	ret = parse("-A -t 198.18.0.100:80", &cmd, err, sizeof(err));
	CHECK(ret == 0, "%s", err);
	CHECK(!strcmp(cmd.svc.sched, "wlc"), "sched '%s'", cmd.svc.sched);
	CHECK(cmd.svc.flags == 0 && cmd.svc.timeout == 0, "flags %x timeout %u",
	      cmd.svc.flags, cmd.svc.timeout);
	CHECK(cmd.svc.netmask == 0xffffffffu, "netmask %08x", cmd.svc.netmask);
	CHECK(cmd.svc.key.af == XVS_AF_INET &&
		      cmd.svc.key.proto == IPPROTO_TCP &&
		      cmd.svc.key.addr.v4 == htonl(0xc6120064) &&
		      cmd.svc.key.port == htons(80),
	      "key af %u proto %u port %u", cmd.svc.key.af, cmd.svc.key.proto,
	      ntohs(cmd.svc.key.port));

	ret = parse("-A -t 198.18.0.100:80 -p", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.svc.timeout == 360 &&
		      cmd.svc.flags == XVS_SVC_F_PERSISTENT,
	      "-p alone: timeout %u flags %x (%s)", cmd.svc.timeout,
	      cmd.svc.flags, err);
	/* a bare -p does not swallow the next option */
	ret = parse("-A -t 198.18.0.100:80 -p -s rr", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.svc.timeout == 360 &&
		      !strcmp(cmd.svc.sched, "rr"),
	      "-p -s rr: timeout %u sched %s (%s)", cmd.svc.timeout,
	      cmd.svc.sched, err);
	ret = parse("-A -t 198.18.0.100:80 -p 600", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.svc.timeout == 600, "-p 600: timeout %u (%s)",
	      cmd.svc.timeout, err);
	/* port 0 is fine for a persistent service */
	ret = parse("-A -t 198.18.0.100 -p", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.svc.key.port == 0,
	      "port-0 persistent service: %s", err);
	/* -E replaces the whole service, so no -s means wlc again */
	ret = parse("-E -t 198.18.0.100:80", &cmd, err, sizeof(err));
	CHECK(ret == 0 && !strcmp(cmd.svc.sched, "wlc"),
	      "-E without -s: sched '%s'", cmd.svc.sched);

	ret = parse("-a -t 198.18.0.100:80 -r 198.18.0.11", &cmd, err,
		    sizeof(err));
	CHECK(ret == 0, "%s", err);
	CHECK(cmd.dest.weight == 1 && cmd.dest.fwd == XVS_FWD_DR &&
		      cmd.dest.u_threshold == 0 && cmd.dest.l_threshold == 0,
	      "weight %d fwd %u", cmd.dest.weight, cmd.dest.fwd);
	CHECK(cmd.dest.port == htons(80) && cmd.dest.af == XVS_AF_INET &&
		      cmd.dest.addr.v4 == htonl(0xc612000b),
	      "dest port %u (the service's when not given)",
	      ntohs(cmd.dest.port));
	CHECK(!memcmp(&cmd.dest.svc, &cmd.svc.key, sizeof(cmd.svc.key)),
	      "dest.svc must be the service key");
}

/* -g and -i force the service port; -m maps; -d leaves it as given. */
TEST(cmd_dest_ports)
{
	static const struct {
		const char *line;
		int port;
	} cases[] = {
		{"-a -t 198.18.0.100:80 -r 198.18.0.11:8080", 80},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -g", 80},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -i", 80},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -m", 8080},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -m", 80},
		{"-e -t 198.18.0.100:80 -r 198.18.0.11:8080 -m", 8080},
		{"-e -t 198.18.0.100:80 -r 198.18.0.11:8080", 80},
		{"-d -t 198.18.0.100:80 -r 198.18.0.11:8080", 8080},
		{"-d -t 198.18.0.100:80 -r 198.18.0.11", 80},
		/* the order of -r and -t does not matter */
		{"-a -r 198.18.0.11 -m -t 198.18.0.100:80", 80},
	};
	struct xvs_cmd cmd;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = parse(cases[i].line, &cmd, err, sizeof(err));

		CHECK(ret == 0 && ntohs(cmd.dest.port) == cases[i].port,
		      "'%s': ret %d (%s) port %u, want %d", cases[i].line, ret,
		      err, ntohs(cmd.dest.port), cases[i].port);
	}
}

TEST(cmd_values)
{
	struct xvs_cmd cmd;
	char err[256];
	int ret;

	ret = parse("-a -u [2001:db8::100]:53 -r [2001:db8::11]:5353 -m "
		    "-w 65535 -x 2147483647 -y 7",
		    &cmd, err, sizeof(err));
	CHECK(ret == 0, "%s", err);
	CHECK(cmd.svc.key.af == XVS_AF_INET6 &&
		      cmd.svc.key.proto == IPPROTO_UDP &&
		      cmd.svc.key.addr.bytes[15] == 0 &&
		      cmd.svc.key.addr.bytes[14] == 1 &&
		      cmd.svc.key.port == htons(53),
	      "IPv6 UDP service key");
	CHECK(cmd.dest.af == XVS_AF_INET6 && cmd.dest.addr.bytes[15] == 0x11 &&
		      cmd.dest.port == htons(5353) &&
		      cmd.dest.fwd == XVS_FWD_NAT,
	      "IPv6 dest af %u port %u", cmd.dest.af, ntohs(cmd.dest.port));
	CHECK(cmd.dest.weight == 65535 && cmd.dest.u_threshold == 2147483647u &&
		      cmd.dest.l_threshold == 7,
	      "weight %d u %u l %u", cmd.dest.weight, cmd.dest.u_threshold,
	      cmd.dest.l_threshold);

	ret = parse("-a -t 198.18.0.100:80 -r 198.18.0.11 -w 0", &cmd, err,
		    sizeof(err));
	CHECK(ret == 0 && cmd.dest.weight == 0,
	      "weight 0 (quiesce) must parse: %s", err);
	ret = parse("-A -t [2001:db8::100]:80 -p -M 64", &cmd, err,
		    sizeof(err));
	CHECK(ret == 0 && cmd.svc.netmask == 64, "IPv6 netmask %u (%s)",
	      cmd.svc.netmask, err);
	ret = parse("-A -t [2001:db8::100]:80", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.svc.netmask == 128, "IPv6 default netmask %u",
	      cmd.svc.netmask);
	ret = parse("-A -t 198.18.0.100:80 -p -M 255.255.255.0", &cmd, err,
		    sizeof(err));
	CHECK(ret == 0 && cmd.svc.netmask == htonl(0xffffff00),
	      "IPv4 netmask %08x", ntohl(cmd.svc.netmask));
	ret = parse("-A -u 198.18.0.100:53 -o -s lc", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.svc.flags == XVS_SVC_F_ONEPACKET &&
		      !strcmp(cmd.svc.sched, "lc"),
	      "ops on UDP, an IPVS scheduler xvs lacks still parses: %s", err);
	ret = parse("-A -f 1", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.fwmark == 1 && cmd.svc.key.af == XVS_AF_INET,
	      "fwmark without port: %s", err);
	ret = parse("-A -f 4294967295 -6", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.fwmark == 4294967295u &&
		      cmd.svc.key.af == XVS_AF_INET6 && cmd.svc.netmask == 128,
	      "fwmark -6: %s", err);
	ret = parse("-A -t 198.18.0.100:80 -s mh -b mh-fallback,mh-port", &cmd,
		    err, sizeof(err));
	CHECK(ret == 0 &&
		      cmd.svc.sched_flags ==
			      (XVS_SCHED_FLAG_1 | XVS_SCHED_FLAG_2),
	      "-b flags %x (%s)", cmd.svc.sched_flags, err);
	ret = parse("--set 900 0 2678400", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.set_tcp == 900 && cmd.set_tcpfin == 0 &&
		      cmd.set_udp == 2678400,
	      "--set %u %u %u (%s)", cmd.set_tcp, cmd.set_tcpfin, cmd.set_udp,
	      err);
	ret = parse("--start-daemon backup", &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.daemon_backup == 1 &&
		      !strcmp(cmd.mcast_ifn, "eth0"),
	      "start-daemon defaults: %s", err);
	ret = parse("-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type gue "
		    "--tun-port 6080 --tun-remcsum",
		    &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.tun_type == XVS_TUN_GUE &&
		      cmd.tun_port == htons(6080) && cmd.tun_csum == 2,
	      "gue: %s", err);
	/* ... and goes to xvsd in the real server's configuration */
	CHECK(ret == 0 && cmd.dest.fwd == XVS_FWD_TUN &&
		      cmd.dest.tun_type == XVS_TUN_GUE &&
		      cmd.dest.tun_port == htons(6080) &&
		      cmd.dest.tun_flags == XVS_TUN_F_REMCSUM,
	      "gue dest: type %u port %u flags %u", cmd.dest.tun_type,
	      ntohs(cmd.dest.tun_port), cmd.dest.tun_flags);
	ret = parse("-e -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type gre "
		    "--tun-csum",
		    &cmd, err, sizeof(err));
	CHECK(ret == 0 && cmd.dest.tun_type == XVS_TUN_GRE &&
		      !cmd.dest.tun_port &&
		      cmd.dest.tun_flags == XVS_TUN_F_CSUM,
	      "gre dest: %s", err);
	ret = parse("-a -t 198.18.0.100:80 -r 198.18.0.11 -g", &cmd, err,
		    sizeof(err));
	CHECK(ret == 0 && !cmd.dest.tun_type && !cmd.dest.tun_port &&
		      !cmd.dest.tun_flags,
	      "no tunnel fields for -g: %s", err);
	/* a tunnel may cross families */
	ret = parse("-a -t 198.18.0.100:80 -r [2001:db8::11] -i", &cmd, err,
		    sizeof(err));
	CHECK(ret == 0 && cmd.dest.af == XVS_AF_INET6,
	      "IPv6 tunnel dest of an IPv4 service: %s", err);
}

/* The list options become format flags; -S is the rule format. */
TEST(cmd_list_flags)
{
	static const struct {
		const char *line;
		unsigned int fmt;
		__u32 opts;
	} cases[] = {
		{"-L -n", XVS_FMT_NUMERIC, XVS_OPT_NUMERIC},
		{"-L --stats --exact", XVS_FMT_STATS | XVS_FMT_EXACT,
		 XVS_OPT_STATS | XVS_OPT_EXACT},
		{"-L --rate", XVS_FMT_RATE, XVS_OPT_RATE},
		{"-L --thresholds", XVS_FMT_THRESHOLDS, XVS_OPT_THRESHOLDS},
		{"-L --persistent-conn", XVS_FMT_PERSISTENTCONN,
		 XVS_OPT_PERSISTENTCONN},
		{"-L --nosort", XVS_FMT_NOSORT, XVS_OPT_NOSORT},
		{"-L --tun-info", XVS_FMT_TUN_INFO, XVS_OPT_TUN_INFO},
		{"-L -c", 0, XVS_OPT_CONNECTION},
		{"-L --timeout", 0, XVS_OPT_TIMEOUT},
		{"-L --daemon", 0, XVS_OPT_DAEMON},
		{"-L -n -t 198.18.0.100:80", XVS_FMT_NUMERIC,
		 XVS_OPT_NUMERIC | XVS_OPT_SERVICE},
		{"-S", XVS_FMT_RULE, 0},
		{"-S -n", XVS_FMT_RULE | XVS_FMT_NUMERIC, XVS_OPT_NUMERIC},
	};
	struct xvs_cmd cmd;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = parse(cases[i].line, &cmd, err, sizeof(err));

		CHECK(ret == 0 && cmd.fmt == cases[i].fmt &&
			      cmd.opts == cases[i].opts,
		      "'%s': ret %d (%s) fmt %x opts %x", cases[i].line, ret,
		      err, cmd.fmt, cmd.opts);
	}
}

/* Every refusal, with its whole message. */
TEST(cmd_errors)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{"-A -t 198.18.0.300:80", "invalid address '198.18.0.300:80'"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.256",
		 "invalid address '198.18.0.256'"},
		{"-A -t 198.18.0.100:80 -s foo", "unknown scheduler 'foo'"},
		{"-A -t 198.18.0.100:80 -s wrrrrrrrrrrrrrrrrrr",
		 "unknown scheduler 'wrrrrrrrrrrrrrrrrrr'"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -w -1",
		 "invalid weight '-1' (must be 0..65535)"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -w 65536",
		 "invalid weight '65536' (must be 0..65535)"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -w 3x",
		 "invalid weight '3x' (must be 0..65535)"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -x -5",
		 "invalid u-threshold '-5' (must be 0..2147483647)"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -y 2147483648",
		 "invalid l-threshold '2147483648' (must be 0..2147483647)"},
		{"-A -t 198.18.0.100",
		 "Zero port specified for non-persistent service"},
		{"-A -t 198.18.0.100:0",
		 "Zero port specified for non-persistent service"},
		{"-A -t 198.18.0.100:80 -o",
		 "One-Packet Scheduling is only for UDP virtual services"},
		{"-A -t 198.18.0.100:80 -p 0",
		 "invalid persistence timeout '0' (must be 1..2678400)"},
		{"-A -t 198.18.0.100:80 -p soon",
		 "invalid persistence timeout 'soon' (must be 1..2678400)"},
		{"-A -t 198.18.0.100:80 -p -M 255.255.255.300",
		 "invalid netmask '255.255.255.300'"},
		{"-A -t [2001:db8::100]:80 -p -M 129",
		 "invalid netmask '129' (must be 1..128)"},
		{"-a -t 198.18.0.100:80",
		 "You need to supply the 'real-server' option for the "
		 "'add-server' command"},
		{"-e -t 198.18.0.100:80",
		 "You need to supply the 'real-server' option for the "
		 "'edit-server' command"},
		{"-d -t 198.18.0.100:80",
		 "You need to supply the 'real-server' option for the "
		 "'delete-server' command"},
		{"-A -s rr",
		 "You need to supply the 'service-address' option for the "
		 "'add-service' command"},
		{"-D", "You need to supply the 'service-address' option for "
		       "the 'delete-service' command"},
		{"-a -r 198.18.0.11",
		 "You need to supply the 'service-address' option for the "
		 "'add-server' command"},
		{"-A -t 198.18.0.100:80 -a",
		 "multiple commands specified ('add-service' and "
		 "'add-server')"},
		{"-L -C", "multiple commands specified ('list' and 'flush')"},
		{"-A -t 198.18.0.100:80 -u 198.18.0.100:53",
		 "multiple 'service-address' options specified"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -g -m",
		 "multiple 'forwarding-method' options specified"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -w 1 -w 2",
		 "multiple 'weight' options specified"},
		{"-A -t 198.18.0.100:80 -w 3",
		 "Illegal 'weight' option with the 'add-service' command"},
		{"-A -t 198.18.0.100:80 -r 198.18.0.11",
		 "Illegal 'real-server' option with the 'add-service' command"},
		{"-D -t 198.18.0.100:80 -s rr",
		 "Illegal 'scheduler' option with the 'delete-service' "
		 "command"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -s rr",
		 "Illegal 'scheduler' option with the 'add-server' command"},
		{"-C -n", "Illegal 'numeric' option with the 'flush' command"},
		{"-S --stats",
		 "Illegal 'stats' option with the 'save' command"},
		{"-L -c --stats", "options conflicts in the list command"},
		{"-L --timeout --rate",
		 "options conflicts in the list command"},
		{"-L -c -t 198.18.0.100:80",
		 "The option 'service-address' conflicts with the "
		 "'connection' option in the 'list' command"},
		{"-a -t 198.18.0.100:80 -r [2001:db8::11]:80",
		 "Different address family is allowed only for tunneling "
		 "servers"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 --tun-type ipip",
		 "Tunnel options conflict with forward method"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type gue",
		 "You need to supply the 'tun-port' option for the 'gue' "
		 "tunnel type"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-port 6080",
		 "Illegal 'tun-port' option with the 'ipip' tunnel type"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type gue "
		 "--tun-port 6080 --tun-nocsum --tun-csum",
		 "The option 'tun-csum' conflicts with the 'tun-nocsum' option "
		 "in the 'gue' tunnel type"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type vxlan",
		 "invalid tunnel type 'vxlan' (ipip, gue or gre)"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -i --tun-type gue "
		 "--tun-port 0",
		 "invalid tun-port '0' (must be 1..65535)"},
		{"-A -f 0", "invalid fwmark '0' (must be 1..4294967295)"},
		{"-A -f 4294967296",
		 "invalid fwmark '4294967296' (must be 1..4294967295)"},
		{"-A -t 198.18.0.100:80 -6", "-6 used without -f"},
		{"-A -t 198.18.0.100:80 -b sh-port",
		 "incompatible scheduler flag 'sh-port' (needs -s sh)"},
		{"-A -t 198.18.0.100:80 -s sh -b sh-port,bogus",
		 "invalid scheduler flag 'bogus'"},
		{"-A -t 198.18.0.100:80 --pe averyveryverylongname",
		 "invalid persistence engine 'averyveryverylongname'"},
		{"--set 900 120",
		 "--set needs 3 timeout values (tcp tcpfin udp)"},
		{"--set 900 120 x", "invalid timeout 'x' (must be 0..2678400)"},
		{"--set 1 2 3 4", "unexpected argument '4'"},
		{"--start-daemon primary",
		 "invalid sync daemon state 'primary' (master or backup)"},
		{"--start-daemon master --syncid 256",
		 "invalid syncid '256' (must be 0..255)"},
		{"-L extra", "unexpected argument 'extra'"},
		{"-n", "no command specified"},
		{"-Q", "invalid option '-Q'"},
		{"-LQ", "invalid option '-Q'"},
		{"--bogus", "invalid option '--bogus'"},
		{"--bogus=1", "invalid option '--bogus'"},
		{"--clear=1",
		 "option '--clear' takes no argument ('--clear=1')"},
		{"-A -t", "option '-t' requires an argument"},
		{"-A --tcp-service",
		 "option '--tcp-service' requires an argument"},
		{"-a -t 198.18.0.100:80 -r 198.18.0.11 -w",
		 "option '-w' requires an argument"},
	};
	struct xvs_cmd cmd;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret;

		strcpy(err, "(none)");
		ret = parse(cases[i].line, &cmd, err, sizeof(err));
		CHECK(ret == -EINVAL && !strcmp(err, cases[i].err),
		      "'%s': ret %d, message \"%s\", want \"%s\"",
		      cases[i].line, ret, err, cases[i].err);
	}
}

/* getopt state does not leak from one parse into the next. */
TEST(cmd_reparse)
{
	char *a1[] = {"xvsadm", "-L", "-n", "--stats", NULL};
	char *a2[] = {"xvsadm", "-A", "-t", "198.18.0.100:80",
		      "-s",	"rr", NULL};
	char *bad[] = {"xvsadm", "-A", "-t", NULL};
	struct xvs_cmd c1, c2, c3;
	char err[128];

	int ret;

	ret = xvs_cmd_parse(4, a1, &c1, err, sizeof(err));
	CHECK(ret == 0, "%s", err);
	ret = xvs_cmd_parse(3, bad, &c3, err, sizeof(err));
	CHECK(ret == -EINVAL, "a failing parse in between: %d", ret);
	ret = xvs_cmd_parse(6, a2, &c2, err, sizeof(err));
	CHECK(ret == 0 && c2.op == XVS_CMD_ADD_SVC &&
		      !strcmp(c2.svc.sched, "rr"),
	      "second parse: %s", err);
	ret = xvs_cmd_parse(4, a1, &c3, err, sizeof(err));
	CHECK(ret == 0 && !memcmp(&c1, &c3, sizeof(c1)),
	      "same argv, same result");
	/* argv is left as it was (no permutation) */
	CHECK(!strcmp(a2[1], "-A") && !strcmp(a2[3], "198.18.0.100:80"),
	      "argv was reordered");
}

TEST(cmd_names)
{
	CHECK(!strcmp(xvs_cmd_name(XVS_CMD_ADD_SVC), "add-service"), "name");
	CHECK(!strcmp(xvs_cmd_name(XVS_CMD_CLEAR), "flush"), "name");
	CHECK(!strcmp(xvs_cmd_name((enum xvs_cmd_op)99), "?"), "bad op");
	CHECK(!strcmp(xvs_tun_type_name(XVS_TUN_GRE), "gre"), "tun name");
}
