// SPDX-License-Identifier: GPL-2.0
/*
 * Listings against literal text, byte for byte: -L -n, --stats, --rate,
 * --thresholds, --persistent-conn, --tun-info and -S -n for one reply of
 * four services (given to the formatter out of order), print_largenum
 * with and without --exact, names without -n, and a save/restore round
 * trip: every -S line parsed back by xvs_cmd_parse must give the
 * configuration it was printed from.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "format.h"
#include "test.h"

/* ---- building a LIST reply ---- */

struct reply {
	char *buf;
	size_t len;
};

static void *reply_add(struct reply *r, size_t n)
{
	void *p;

	r->buf = realloc(r->buf, r->len + n);
	p = r->buf + r->len;
	memset(p, 0, n);
	r->len += n;
	return p;
}

static void set_addr(__u8 *af, union xvs_addr *a, const char *s)
{
	*af = strchr(s, ':') ? XVS_AF_INET6 : XVS_AF_INET;
	inet_pton(*af == XVS_AF_INET6 ? AF_INET6 : AF_INET, s, a->bytes);
}

static struct xvs_svc_info *add_svc(struct reply *r, __u8 proto,
				    const char *addr, int port,
				    const char *sched, __u32 n_dests)
{
	struct xvs_svc_info *si = reply_add(r, sizeof(*si));

	set_addr(&si->conf.key.af, &si->conf.key.addr, addr);
	si->conf.key.proto = proto;
	si->conf.key.port = htons(port);
	strcpy(si->conf.sched, sched);
	si->conf.netmask = si->conf.key.af == XVS_AF_INET6 ? 128 : 0xffffffff;
	si->n_dests = n_dests;
	return si;
}

/* Adding may move the buffer: callers fill the record before the next. */
static struct xvs_dest_info *add_dest(struct reply *r,
				      const struct xvs_svc_key *svc,
				      const char *addr, int port, __u8 fwd,
				      int weight, __u32 act, __u32 inact)
{
	struct xvs_dest_info *di = reply_add(r, sizeof(*di));

	di->conf.svc = *svc;
	set_addr(&di->conf.af, &di->conf.addr, addr);
	di->conf.port = htons(port);
	di->conf.fwd = fwd;
	di->conf.weight = weight;
	di->activeconns = act;
	di->inactconns = inact;
	return di;
}

/* A reply of one service with one real server; the records are at
 * SVC_OF(r) and DEST_OF(r). */
static struct reply one_service(__u8 proto, const char *vip, int port,
				const char *sched, const char *rip, int rport,
				__u8 fwd, int weight)
{
	struct reply r = {0};
	struct xvs_svc_key k;

	k = add_svc(&r, proto, vip, port, sched, 1)->conf.key;
	add_dest(&r, &k, rip, rport, fwd, weight, 0, 0);
	return r;
}

#define SVC_OF(r) ((struct xvs_svc_info *)(r).buf)
#define DEST_OF(r)                                                             \
	((struct xvs_dest_info *)((r).buf + sizeof(struct xvs_svc_info)))

static void stats5(struct xvs_stats *s, __u64 c, __u64 ip, __u64 op, __u64 ib,
		   __u64 ob)
{
	*s = (struct xvs_stats){c, ip, op, ib, ob};
}

static void rates5(struct xvs_rates *r, __u32 c, __u32 ip, __u32 op, __u32 ib,
		   __u32 ob)
{
	*r = (struct xvs_rates){c, ip, op, ib, ob, 0};
}

/*
 * The reply of the tests, deliberately unsorted:
 *   UDP 198.18.0.100:53 rr ops        -> .21:5353 Masq
 *   TCP [2001:db8::100]:80 wlc -p 360 -> [2001:db8::11]:80
 *   TCP 198.18.0.100:80 wrr           -> .13 .11 .14 (Tunnel) .12
 *   TCP 198.18.0.100:443 wlc -p 600 -M 255.255.255.0, no real servers
 */
static struct reply sample(void)
{
	struct reply r = {0};
	struct xvs_svc_key k;
	struct xvs_svc_info *si;
	struct xvs_dest_info *di;

	si = add_svc(&r, IPPROTO_UDP, "198.18.0.100", 53, "rr", 1);
	si->conf.flags = XVS_SVC_F_ONEPACKET;
	stats5(&si->stats, 7, 7, 7, 420, 840);
	rates5(&si->rates, 0, 1, 1, 60, 120);
	k = si->conf.key;
	di = add_dest(&r, &k, "198.18.0.21", 5353, XVS_FWD_NAT, 1, 0, 7);
	stats5(&di->stats, 7, 7, 7, 420, 840);
	rates5(&di->rates, 0, 1, 1, 60, 120);

	si = add_svc(&r, IPPROTO_TCP, "2001:db8::100", 80, "wlc", 1);
	si->conf.flags = XVS_SVC_F_PERSISTENT;
	si->conf.timeout = 360;
	k = si->conf.key;
	add_dest(&r, &k, "2001:db8::11", 80, XVS_FWD_DR, 1, 0, 0);

	si = add_svc(&r, IPPROTO_TCP, "198.18.0.100", 80, "wrr", 4);
	stats5(&si->stats, 10, 200, 150, 30000, 45000);
	rates5(&si->rates, 5, 100, 80, 12000, 9000);
	k = si->conf.key;
	di = add_dest(&r, &k, "198.18.0.13", 80, XVS_FWD_DR, 1, 4, 1);
	stats5(&di->stats, 1, 30, 20, 4000, 6000);
	rates5(&di->rates, 1, 15, 20, 3000, 2500);
	di = add_dest(&r, &k, "198.18.0.11", 80, XVS_FWD_DR, 3, 12, 4);
	stats5(&di->stats, 6, 120, 90, 18000, 27000);
	rates5(&di->rates, 3, 60, 40, 6000, 4000);
	di->conf.u_threshold = 100;
	di->conf.l_threshold = 50;
	di->persistconns = 2;
	add_dest(&r, &k, "198.18.0.14", 80, XVS_FWD_TUN, 0, 0, 0);
	di = add_dest(&r, &k, "198.18.0.12", 80, XVS_FWD_DR, 2, 8, 3);
	stats5(&di->stats, 3, 50, 40, 8000, 12000);
	rates5(&di->rates, 1, 25, 20, 3000, 2500);

	si = add_svc(&r, IPPROTO_TCP, "198.18.0.100", 443, "wlc", 0);
	si->conf.flags = XVS_SVC_F_PERSISTENT;
	si->conf.timeout = 600;
	si->conf.netmask = htonl(0xffffff00);
	return r;
}

static const struct xvs_info info = {
	.version_code = 0x010201,
	.conn_tab_size = 4096,
};

/* Formats reply r with fmt into a malloc'd string (NULL on failure). */
static char *render(const struct reply *r, const struct xvs_info *inf,
		    unsigned int fmt)
{
	struct xvs_list list;
	char *out = NULL, err[128];
	size_t size;
	FILE *f;

	if (xvs_list_parse(r->buf, r->len, &list, err, sizeof(err)))
		return NULL;
	f = open_memstream(&out, &size);
	if (f) {
		xvs_format_list(f, inf, &list, fmt);
		fclose(f);
	}
	xvs_list_free(&list);
	return out;
}

/* Generated from ipvsadm 1.31's printf formats, not from format.c. */
static const char want_plain[] =
	"IP Virtual Server version 1.2.1 (size=4096)\n"
	"Prot LocalAddress:Port Scheduler Flags\n"
	"  -> RemoteAddress:Port           Forward Weight ActiveConn "
	"InActConn\n"
	"TCP  198.18.0.100:80 wrr\n"
	"  -> 198.18.0.11:80               Route   3      12         4         "
	"\n"
	"  -> 198.18.0.12:80               Route   2      8          3         "
	"\n"
	"  -> 198.18.0.13:80               Route   1      4          1         "
	"\n"
	"  -> 198.18.0.14:80               Tunnel  0      0          0         "
	"\n"
	"TCP  198.18.0.100:443 wlc persistent 600 mask 255.255.255.0\n"
	"UDP  198.18.0.100:53 rr ops\n"
	"  -> 198.18.0.21:5353             Masq    1      0          7         "
	"\n"
	"TCP  [2001:db8::100]:80 wlc persistent 360\n"
	"  -> [2001:db8::11]:80            Route   1      0          0         "
	"\n";

static const char want_stats[] = "IP Virtual Server version 1.2.1 (size=4096)\n"
				 "Prot LocalAddress:Port               Conns   "
				 "InPkts  OutPkts  InBytes OutBytes\n"
				 "  -> RemoteAddress:Port\n"
				 "TCP  198.18.0.100:80                    10   "
				 "   200      150    30000    45000\n"
				 "  -> 198.18.0.11:80                      6   "
				 "   120       90    18000    27000\n"
				 "  -> 198.18.0.12:80                      3   "
				 "    50       40     8000    12000\n"
				 "  -> 198.18.0.13:80                      1   "
				 "    30       20     4000     6000\n"
				 "  -> 198.18.0.14:80                      0   "
				 "     0        0        0        0\n"
				 "TCP  198.18.0.100:443                    0   "
				 "     0        0        0        0\n"
				 "UDP  198.18.0.100:53                     7   "
				 "     7        7      420      840\n"
				 "  -> 198.18.0.21:5353                    7   "
				 "     7        7      420      840\n"
				 "TCP  [2001:db8::100]:80                  0   "
				 "     0        0        0        0\n"
				 "  -> [2001:db8::11]:80                   0   "
				 "     0        0        0        0\n";

static const char want_rate[] = "IP Virtual Server version 1.2.1 (size=4096)\n"
				"Prot LocalAddress:Port                 CPS    "
				"InPPS   OutPPS    InBPS   OutBPS\n"
				"  -> RemoteAddress:Port\n"
				"TCP  198.18.0.100:80                     5    "
				"  100       80    12000     9000\n"
				"  -> 198.18.0.11:80                      3    "
				"   60       40     6000     4000\n"
				"  -> 198.18.0.12:80                      1    "
				"   25       20     3000     2500\n"
				"  -> 198.18.0.13:80                      1    "
				"   15       20     3000     2500\n"
				"  -> 198.18.0.14:80                      0    "
				"    0        0        0        0\n"
				"TCP  198.18.0.100:443                    0    "
				"    0        0        0        0\n"
				"UDP  198.18.0.100:53                     0    "
				"    1        1       60      120\n"
				"  -> 198.18.0.21:5353                    0    "
				"    1        1       60      120\n"
				"TCP  [2001:db8::100]:80                  0    "
				"    0        0        0        0\n"
				"  -> [2001:db8::11]:80                   0    "
				"    0        0        0        0\n";

static const char want_thr[] =
	"IP Virtual Server version 1.2.1 (size=4096)\n"
	"Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn "
	"InActConn \n"
	"  -> RemoteAddress:Port\n"
	"TCP  198.18.0.100:80 wrr\n"
	"  -> 198.18.0.11:80               100        50         12         4  "
	"       \n"
	"  -> 198.18.0.12:80               0          0          8          3  "
	"       \n"
	"  -> 198.18.0.13:80               0          0          4          1  "
	"       \n"
	"  -> 198.18.0.14:80               0          0          0          0  "
	"       \n"
	"TCP  198.18.0.100:443 wlc persistent 600 mask 255.255.255.0\n"
	"UDP  198.18.0.100:53 rr ops\n"
	"  -> 198.18.0.21:5353             0          0          0          7  "
	"       \n"
	"TCP  [2001:db8::100]:80 wlc persistent 360\n"
	"  -> [2001:db8::11]:80            0          0          0          0  "
	"       \n";

static const char want_pc[] =
	"IP Virtual Server version 1.2.1 (size=4096)\n"
	"Prot LocalAddress:Port            Weight    PersistConn ActiveConn "
	"InActConn \n"
	"  -> RemoteAddress:Port\n"
	"TCP  198.18.0.100:80 wrr\n"
	"  -> 198.18.0.11:80               3         2           12         4  "
	"       \n"
	"  -> 198.18.0.12:80               2         0           8          3  "
	"       \n"
	"  -> 198.18.0.13:80               1         0           4          1  "
	"       \n"
	"  -> 198.18.0.14:80               0         0           0          0  "
	"       \n"
	"TCP  198.18.0.100:443 wlc persistent 600 mask 255.255.255.0\n"
	"UDP  198.18.0.100:53 rr ops\n"
	"  -> 198.18.0.21:5353             1         0           0          7  "
	"       \n"
	"TCP  [2001:db8::100]:80 wlc persistent 360\n"
	"  -> [2001:db8::11]:80            1         0           0          0  "
	"       \n";

static const char want_tun[] =
	"IP Virtual Server version 1.2.1 (size=4096)\n"
	"Prot LocalAddress:Port Scheduler Flags\n"
	"  -> RemoteAddress:Port           Forward TunnelInfo    Weight "
	"ActiveConn InActConn\n"
	"TCP  198.18.0.100:80 wrr\n"
	"  -> 198.18.0.11:80               Route   n/a           3      12     "
	"    4         \n"
	"  -> 198.18.0.12:80               Route   n/a           2      8      "
	"    3         \n"
	"  -> 198.18.0.13:80               Route   n/a           1      4      "
	"    1         \n"
	"  -> 198.18.0.14:80               Tunnel  ipip          0      0      "
	"    0         \n"
	"TCP  198.18.0.100:443 wlc persistent 600 mask 255.255.255.0\n"
	"UDP  198.18.0.100:53 rr ops\n"
	"  -> 198.18.0.21:5353             Masq    n/a           1      0      "
	"    7         \n"
	"TCP  [2001:db8::100]:80 wlc persistent 360\n"
	"  -> [2001:db8::11]:80            Route   n/a           1      0      "
	"    0         \n";

static const char want_S[] =
	"-A -t 198.18.0.100:80 -s wrr\n"
	"-a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 3\n"
	"-a -t 198.18.0.100:80 -r 198.18.0.12:80 -g -w 2\n"
	"-a -t 198.18.0.100:80 -r 198.18.0.13:80 -g -w 1\n"
	"-a -t 198.18.0.100:80 -r 198.18.0.14:80 -i -w 0 --tun-type ipip\n"
	"-A -t 198.18.0.100:443 -s wlc -p 600 -M 255.255.255.0\n"
	"-A -u 198.18.0.100:53 -s rr -o\n"
	"-a -u 198.18.0.100:53 -r 198.18.0.21:5353 -m -w 1\n"
	"-A -t [2001:db8::100]:80 -s wlc -p 360\n"
	"-a -t [2001:db8::100]:80 -r [2001:db8::11]:80 -g -w 1\n";

/* 1 if got is want; else 0 with the first difference's line and column. */
static int text_same(const char *got, const char *want, size_t *line,
		     size_t *col)
{
	size_t i = 0;

	*line = 1;
	*col = 1;
	if (!got)
		return 0;
	for (; got[i] && got[i] == want[i]; i++, (*col)++)
		if (got[i] == '\n') {
			(*line)++;
			*col = 0;
		}
	return got[i] == want[i];
}

#define CHECK_TEXT(what, got, want)                                            \
	do {                                                                   \
		size_t line_, col_;                                            \
		int same_ = text_same(got, want, &line_, &col_);               \
		CHECK(same_, "%s: differs at line %zu, column %zu:\n%s", what, \
		      line_, col_, (got) ? (got) : "(nothing)");               \
	} while (0)

TEST(format_listings)
{
	static const struct {
		const char *what;
		unsigned int fmt;
		const char *want;
	} cases[] = {
		{"-L -n", XVS_FMT_NUMERIC, want_plain},
		{"-L -n --stats", XVS_FMT_NUMERIC | XVS_FMT_STATS, want_stats},
		{"-L -n --rate", XVS_FMT_NUMERIC | XVS_FMT_RATE, want_rate},
		{"-L -n --thresholds", XVS_FMT_NUMERIC | XVS_FMT_THRESHOLDS,
		 want_thr},
		{"-L -n --persistent-conn",
		 XVS_FMT_NUMERIC | XVS_FMT_PERSISTENTCONN, want_pc},
		{"-L -n --tun-info", XVS_FMT_NUMERIC | XVS_FMT_TUN_INFO,
		 want_tun},
		{"-S -n", XVS_FMT_NUMERIC | XVS_FMT_RULE, want_S},
	};
	struct reply r = sample();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = render(&r, &info, cases[i].fmt);

		CHECK_TEXT(cases[i].what, got, cases[i].want);
		free(got);
	}
	free(r.buf);
}

/* One service (-L -t ...): no version line, as ipvsadm's list_service. */
TEST(format_one_service)
{
	struct reply r = one_service(IPPROTO_TCP, "198.18.0.100", 80, "rr",
				     "198.18.0.11", 80, XVS_FWD_DR, 1);
	char *got = render(&r, NULL, XVS_FMT_NUMERIC);

	CHECK_TEXT("-L -n -t", got,
		   "Prot LocalAddress:Port Scheduler Flags\n"
		   "  -> RemoteAddress:Port           Forward Weight "
		   "ActiveConn InActConn\n"
		   "TCP  198.18.0.100:80 rr\n"
		   "  -> 198.18.0.11:80               Route   1      0      "
		   "    0         \n");
	free(got);
	/* an empty table is the title only */
	r.len = 0;
	got = render(&r, &info, XVS_FMT_NUMERIC);
	CHECK_TEXT("-L -n, empty", got,
		   "IP Virtual Server version 1.2.1 (size=4096)\n"
		   "Prot LocalAddress:Port Scheduler Flags\n"
		   "  -> RemoteAddress:Port           Forward Weight "
		   "ActiveConn InActConn\n");
	free(got);
	got = render(&r, &info, XVS_FMT_RULE);
	CHECK_TEXT("-S, empty", got, "");
	free(got);
	free(r.buf);
}

/* --nosort keeps the daemon's order. */
TEST(format_nosort)
{
	struct reply r = sample();
	char *got = render(&r, &info,
			   XVS_FMT_RULE | XVS_FMT_NUMERIC | XVS_FMT_NOSORT);
	const char *udp = got ? strstr(got, "-A -u 198.18.0.100:53") : NULL;
	const char *v6 = got ? strstr(got, "-A -t [2001:db8::100]:80") : NULL;
	const char *d13 = got ? strstr(got, "-r 198.18.0.13:80") : NULL;
	const char *d11 = got ? strstr(got, "-r 198.18.0.11:80") : NULL;

	CHECK(got && got == udp && v6 && udp < v6 && d13 && d11 && d13 < d11,
	      "not in reply order:\n%s", got ? got : "(null)");
	free(got);
	free(r.buf);
}

TEST(format_largenum)
{
	static const struct {
		unsigned long long n;
		const char *plain, *exact;
	} cases[] = {
		{0ULL, "        0", "        0"},
		{99999999ULL, " 99999999", " 99999999"},
		{100000000ULL, "  100000K", " 100000000"},
		{123456789ULL, "  123456K", " 123456789"},
		{999999999ULL, "  999999K", " 999999999"},
		{1000000000ULL, "    1000M", " 1000000000"},
		{99999999999ULL, "   99999M", " 99999999999"},
		{100000000000ULL, "     100G", " 100000000000"},
		{500000000000ULL, "     500G", " 500000000000"},
		{99999999999999ULL, "   99999G", " 99999999999999"},
		{100000000000000ULL, "     100T", " 100000000000000"},
		{18446744073709551615ULL, "18446744T", " 18446744073709551615"},
	};
	char *out = NULL;
	size_t size;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f = open_memstream(&out, &size);

		xvs_format_largenum(f, cases[i].n, 0);
		fclose(f);
		CHECK(!strcmp(out, cases[i].plain), "%llu: got '%s', want '%s'",
		      cases[i].n, out, cases[i].plain);
		free(out);
		f = open_memstream(&out, &size);
		xvs_format_largenum(f, cases[i].n, XVS_FMT_EXACT);
		fclose(f);
		CHECK(!strcmp(out, cases[i].exact),
		      "%llu exact: got '%s', want '%s'", cases[i].n, out,
		      cases[i].exact);
		free(out);
	}
}

/* Big counters in a --stats listing, with and without --exact. */
TEST(format_stats_large)
{
	struct reply r = one_service(IPPROTO_TCP, "198.18.0.100", 80, "wrr",
				     "198.18.0.11", 80, XVS_FWD_DR, 1);
	char *got;

	stats5(&SVC_OF(r)->stats, 123456789, 1000000000, 99999999,
	       500000000000ULL, 200000000000000ULL);
	stats5(&DEST_OF(r)->stats, 5, 99999999, 100000000, 12345678901ULL, 0);
	got = render(&r, &info, XVS_FMT_NUMERIC | XVS_FMT_STATS);
	CHECK_TEXT("--stats, large", got,
		   "IP Virtual Server version 1.2.1 (size=4096)\n"
		   "Prot LocalAddress:Port               Conns   InPkts  "
		   "OutPkts  InBytes OutBytes\n"
		   "  -> RemoteAddress:Port\n"
		   "TCP  198.18.0.100:80               123456K    1000M "
		   "99999999     500G     200T\n"
		   "  -> 198.18.0.11:80                      5 99999999  "
		   "100000K   12345M        0\n");
	free(got);
	got = render(&r, &info,
		     XVS_FMT_NUMERIC | XVS_FMT_STATS | XVS_FMT_EXACT);
	CHECK_TEXT("--stats --exact, large", got,
		   "IP Virtual Server version 1.2.1 (size=4096)\n"
		   "Prot LocalAddress:Port               Conns   InPkts  "
		   "OutPkts  InBytes OutBytes\n"
		   "  -> RemoteAddress:Port\n"
		   "TCP  198.18.0.100:80              123456789 1000000000 "
		   "99999999 500000000000 200000000000000\n"
		   "  -> 198.18.0.11:80                      5 99999999 "
		   "100000000 12345678901        0\n");
	free(got);
	free(r.buf);
}

/* Without -n: names from /etc/hosts and /etc/services. */
TEST(format_names)
{
	struct reply r = one_service(IPPROTO_TCP, "127.0.0.1", 80, "rr",
				     "127.0.0.1", 80, XVS_FWD_DR, 2);
	char *got = render(&r, &info, 0);

	CHECK_TEXT("-L", got,
		   "IP Virtual Server version 1.2.1 (size=4096)\n"
		   "Prot LocalAddress:Port Scheduler Flags\n"
		   "  -> RemoteAddress:Port           Forward Weight "
		   "ActiveConn InActConn\n"
		   "TCP  localhost:http rr\n"
		   "  -> localhost:http               Route   2      0      "
		   "    0         \n");
	free(got);
	got = render(&r, &info, XVS_FMT_RULE);
	CHECK_TEXT("-S", got,
		   "-A -t localhost:http -s rr\n"
		   "-a -t localhost:http -r localhost:http -g -w 2\n");
	free(got);
	free(r.buf);
}

/*
 * Save, then restore: each -S line parsed back must give the service or
 * real server it was printed from (thresholds aside: -S omits them, as
 * ipvsadm does).
 */
static void round_trip(const struct reply *r, unsigned int fmt)
{
	struct xvs_list list;
	char *text = render(r, NULL, XVS_FMT_RULE | fmt), *line, *save;
	char err[256];
	size_t svc = 0, dest = 0, lines = 0;

	CHECK(text && !xvs_list_parse(r->buf, r->len, &list, err, sizeof(err)),
	      "render or parse failed");
	if (!text)
		return;
	/* render() sorted its own copy; sort this one the same way */
	xvs_list_sort(&list);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		const struct xvs_list_svc *ls = &list.svcs[svc - (svc > 0)];
		struct xvs_dest_conf want;
		struct xvs_cmd cmd;
		int ret = xvs_cmd_parse_line(line, &cmd, err, sizeof(err));

		CHECK(ret == 0, "'%s' does not parse back: %s", line, err);
		if (ret)
			continue;
		if (cmd.op == XVS_CMD_ADD_SVC) {
			ls = &list.svcs[svc++];
			dest = 0;
			CHECK(!memcmp(&cmd.svc, &ls->svc->conf,
				      sizeof(cmd.svc)),
			      "'%s' gives another service", line);
			continue;
		}
		if (!svc || dest >= ls->svc->n_dests) {
			CHECK(0, "'%s': a real server line too many", line);
			continue;
		}
		want = ls->dests[dest++]->conf;
		want.u_threshold = want.l_threshold = 0;
		CHECK(cmd.op == XVS_CMD_ADD_DEST &&
			      !memcmp(&cmd.dest, &want, sizeof(want)),
		      "'%s' gives another real server", line);
	}
	CHECK(svc == list.n && lines > list.n,
	      "%zu of %zu services in %zu lines", svc, list.n, lines);
	xvs_list_free(&list);
	free(text);
}

TEST(format_save_restore)
{
	struct reply r = sample();
	/* with names: only local ones, so that no test waits on DNS */
	struct reply named = one_service(IPPROTO_UDP, "127.0.0.1", 53, "wrr",
					 "127.0.0.1", 5353, XVS_FWD_NAT, 7);

	round_trip(&r, XVS_FMT_NUMERIC);
	round_trip(&named, 0);
	free(r.buf);
	free(named.buf);
}

static char renders_msg[1024];

/* Whether r rendered with fmt contains want (else the text is in
 * renders_msg). */
static int renders(const struct reply *r, unsigned int fmt, const char *want)
{
	char *got = render(r, NULL, fmt | XVS_FMT_NUMERIC);
	int ok = got && strstr(got, want);

	snprintf(renders_msg, sizeof(renders_msg), "want '%s' in: %s", want,
		 got ? got : "(nothing)");
	free(got);
	return ok;
}

/* -b flags as ipvsadm names them: sh-* and mh-* with their schedulers,
 * flag-N with the others; -S says -b after -o. */
TEST(format_sched_flags)
{
	struct reply r = one_service(IPPROTO_TCP, "198.18.0.100", 80, "sh",
				     "198.18.0.11", 80, XVS_FWD_DR, 1);
	struct xvs_svc_conf *c = &SVC_OF(r)->conf;

	c->sched_flags = XVS_SCHED_FLAG_1 | XVS_SCHED_FLAG_2;
	c->flags = XVS_SVC_F_PERSISTENT;
	c->timeout = 360;
	CHECK(renders(&r, 0, "\nTCP  198.18.0.100:80 sh (sh-fallback,sh-port) "
			     "persistent 360\n"),
	      "-L: %s", renders_msg);
	CHECK(renders(&r, XVS_FMT_RULE, "-A -t 198.18.0.100:80 -s sh -p 360 "
					"-b sh-fallback,sh-port\n"),
	      "-S: %s", renders_msg);
	round_trip(&r, XVS_FMT_NUMERIC);

	strcpy(c->sched, "mh");
	c->sched_flags = XVS_SCHED_FLAG_2;
	CHECK(renders(&r, 0, " mh (mh-port) persistent"), "-L: %s",
	      renders_msg);
	round_trip(&r, XVS_FMT_NUMERIC);

	strcpy(c->sched, "wlc");
	c->sched_flags = XVS_SCHED_FLAG_1 | XVS_SCHED_FLAG_3;
	c->flags = XVS_SVC_F_ONEPACKET;
	c->timeout = 0;
	c->key.proto = IPPROTO_UDP;
	DEST_OF(r)->conf.svc.proto = IPPROTO_UDP;
	CHECK(renders(&r, XVS_FMT_RULE, "-A -u 198.18.0.100:80 -s wlc -o -b "
					"flag-1,flag-3\n"),
	      "-S: %s", renders_msg);
	round_trip(&r, XVS_FMT_NUMERIC);
	free(r.buf);
}

TEST(format_list_parse_errors)
{
	struct reply r = sample();
	struct xvs_list list;
	char err[256] = "";
	int ret;

	ret = xvs_list_parse(r.buf, r.len - 1, &list, err, sizeof(err));
	CHECK(ret == -EPROTO && strstr(err, "truncated LIST reply"),
	      "one byte short: %d '%s'", ret, err);
	CHECK(list.n == 0 && list.svcs == NULL, "list must be empty on error");
	ret = xvs_list_parse(r.buf, sizeof(struct xvs_svc_info) - 8, &list, err,
			     sizeof(err));
	CHECK(ret == -EPROTO, "cut service record: %d", ret);
	((struct xvs_svc_info *)r.buf)->n_dests = 1000000;
	ret = xvs_list_parse(r.buf, r.len, &list, err, sizeof(err));
	CHECK(ret == -EPROTO, "n_dests beyond the body: %d", ret);
	ret = xvs_list_parse(NULL, 0, &list, err, sizeof(err));
	CHECK(ret == 0 && list.n == 0, "empty reply: %d", ret);
	xvs_list_free(&list);
	free(r.buf);
}

/* Tunnel real servers of every type, as ipvsadm's print_tunnel_rule()
 * and fwd_tun_info() print them, and parsed back. */
TEST(format_tunnels)
{
	static const char want_save[] =
		"-A -t 198.18.0.100:80 -s rr\n"
		"-a -t 198.18.0.100:80 -r 198.18.0.21:80 -i -w 1 --tun-type gue "
		"--tun-port 6080 --tun-nocsum\n"
		"-a -t 198.18.0.100:80 -r 198.18.0.22:80 -i -w 2 --tun-type gre "
		"--tun-csum\n"
		"-a -t 198.18.0.100:80 -r 198.18.0.23:80 -i -w 3 --tun-type gue "
		"--tun-port 7000 --tun-remcsum\n"
		"-a -t 198.18.0.100:80 -r [2001:db8::24]:80 -i -w 1 --tun-type "
		"ipip\n";
	static const char want_info[] =
		"Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward TunnelInfo    Weight "
		"ActiveConn InActConn\n"
		"TCP  198.18.0.100:80 rr\n"
		"  -> 198.18.0.21:80               Tunnel  gue:6080:-c   1      0 "
		"         0         \n"
		"  -> 198.18.0.22:80               Tunnel  gre:+c        2      0 "
		"         0         \n"
		"  -> 198.18.0.23:80               Tunnel  gue:7000:r+c  3      0 "
		"         0         \n"
		"  -> [2001:db8::24]:80            Tunnel  ipip          1      0 "
		"         0         \n";
	struct reply r = {0};
	struct xvs_dest_info *di;
	struct xvs_svc_key k;
	char *got;

	k = add_svc(&r, IPPROTO_TCP, "198.18.0.100", 80, "rr", 4)->conf.key;
	add_dest(&r, &k, "2001:db8::24", 80, XVS_FWD_TUN, 1, 0, 0);
	di = add_dest(&r, &k, "198.18.0.23", 80, XVS_FWD_TUN, 3, 0, 0);
	di->conf.tun_type = XVS_TUN_GUE;
	di->conf.tun_port = htons(7000);
	di->conf.tun_flags = XVS_TUN_F_REMCSUM;
	di = add_dest(&r, &k, "198.18.0.22", 80, XVS_FWD_TUN, 2, 0, 0);
	di->conf.tun_type = XVS_TUN_GRE;
	di->conf.tun_flags = XVS_TUN_F_CSUM;
	di = add_dest(&r, &k, "198.18.0.21", 80, XVS_FWD_TUN, 1, 0, 0);
	di->conf.tun_type = XVS_TUN_GUE;
	di->conf.tun_port = htons(6080);

	got = render(&r, NULL, XVS_FMT_NUMERIC | XVS_FMT_RULE);
	CHECK_TEXT("-S -n", got, want_save);
	free(got);
	got = render(&r, NULL, XVS_FMT_NUMERIC | XVS_FMT_TUN_INFO);
	CHECK_TEXT("-L -n --tun-info", got, want_info);
	free(got);
	round_trip(&r, XVS_FMT_NUMERIC);
	free(r.buf);
}

/* A fwmark service key in a reply record (protocol 0, mark as address). */
static struct xvs_svc_info *add_fwm(struct reply *r, __u8 af, __u32 mark,
				    const char *sched, __u32 n_dests)
{
	struct xvs_svc_info *si = add_svc(r, IPPROTO_TCP, "198.18.0.1", 0,
					  sched, n_dests);

	xvs_svc_key_fwmark(&si->conf.key, af, mark);
	si->conf.netmask = af == XVS_AF_INET6 ? 128 : 0xffffffff;
	return si;
}

/* fwmark services as ipvsadm lists and saves them, after the address
 * services (libipvs sorts by mark first); a port-zero service; and -S's
 * lines read back by -R. */
TEST(format_fwmark_services)
{
	struct reply r = {0};
	struct xvs_svc_info *si;
	struct xvs_svc_key k;
	char *text;

	si = add_fwm(&r, XVS_AF_INET6, 2, "wlc", 0);
	si->conf.flags = XVS_SVC_F_PERSISTENT | XVS_SVC_F_ONEPACKET;
	si->conf.timeout = 360;
	si->conf.netmask = 64;
	si = add_fwm(&r, XVS_AF_INET, 1, "rr", 2);
	si->conf.flags = XVS_SVC_F_PERSISTENT;
	si->conf.timeout = 360;
	si->conf.netmask = htonl(0xffffff00);
	k = si->conf.key;
	add_dest(&r, &k, "198.18.0.12", 0, XVS_FWD_NAT, 1, 0, 0)
		->persistconns = 3;
	add_dest(&r, &k, "198.18.0.11", 443, XVS_FWD_DR, 2, 1, 2);
	si = add_svc(&r, IPPROTO_TCP, "198.18.0.100", 0, "rr", 0);
	si->conf.flags = XVS_SVC_F_PERSISTENT;
	si->conf.timeout = 600;

	text = render(&r, &info, XVS_FMT_NUMERIC);
	CHECK(text && !strcmp(text,
			      "IP Virtual Server version 1.2.1 (size=4096)\n"
			      "Prot LocalAddress:Port Scheduler Flags\n"
			      "  -> RemoteAddress:Port           Forward "
			      "Weight ActiveConn InActConn\n"
			      "TCP  198.18.0.100:0 rr persistent 600\n"
			      "FWM  1 rr persistent 360 mask 255.255.255.0\n"
			      "  -> 198.18.0.11:443              Route   2 "
			      "     1          2         \n"
			      "  -> 198.18.0.12:0                Masq    1 "
			      "     0          0         \n"
			      "FWM  2 IPv6 wlc persistent 360 mask 64 ops\n"),
	      "-L -n:\n%s", text);
	free(text);
	text = render(&r, &info, XVS_FMT_NUMERIC | XVS_FMT_PERSISTENTCONN);
	CHECK(text && strstr(text, "FWM  1 rr persistent 360 mask "
				   "255.255.255.0\n"
				   "  -> 198.18.0.11:443              2     "
				   "    0           1          2         \n"
				   "  -> 198.18.0.12:0                1     "
				   "    3           0          0         \n"),
	      "--persistent-conn counts the templates:\n%s", text);
	free(text);
	text = render(&r, NULL, XVS_FMT_NUMERIC | XVS_FMT_RULE);
	CHECK(text && !strcmp(text,
			      "-A -t 198.18.0.100:0 -s rr -p 600\n"
			      "-A -f 1 -s rr -p 360 -M 255.255.255.0\n"
			      "-a -f 1 -r 198.18.0.11:443 -g -w 2\n"
			      "-a -f 1 -r 198.18.0.12:0 -m -w 1\n"
			      "-A -f 2 -6 -s wlc -p 360 -M 64 -o\n"),
	      "-S -n:\n%s", text);
	free(text);
	round_trip(&r, XVS_FMT_NUMERIC);
	free(r.buf);
}
