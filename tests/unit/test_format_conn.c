// SPDX-License-Identifier: GPL-2.0
/*
 * -L -c and -L --timeout against literal text, byte for byte, in
 * ipvsadm 1.31's formats; and the parsing of a CONN_LIST reply, which
 * must refuse a length that does not match its count.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "test.h"

static void conn(struct xvs_conn_info *c, __u8 proto, const char *client,
		 int cport, const char *vip, int vport, const char *rs,
		 int dport, __u8 state, __u32 expires)
{
	int v6 = !!strchr(client, ':'), d6 = !!strchr(rs, ':');

	memset(c, 0, sizeof(*c));
	c->proto = proto;
	c->af = v6 ? XVS_AF_INET6 : XVS_AF_INET;
	c->daf = d6 ? XVS_AF_INET6 : XVS_AF_INET;
	inet_pton(v6 ? AF_INET6 : AF_INET, client, c->caddr.bytes);
	inet_pton(v6 ? AF_INET6 : AF_INET, vip, c->vaddr.bytes);
	inet_pton(d6 ? AF_INET6 : AF_INET, rs, c->daddr.bytes);
	c->cport = htons(cport);
	c->vport = htons(vport);
	c->dport = htons(dport);
	c->state = state;
	c->expires = expires;
}

TEST(format_conns_numeric)
{
	struct xvs_conn_info c[4];
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	conn(&c[0], IPPROTO_TCP, "198.18.0.1", 56954, "198.18.0.100", 80,
	     "198.18.0.11", 80, XVS_TCP_S_ESTABLISHED, 899);
	conn(&c[1], IPPROTO_TCP, "198.18.0.1", 57322, "198.18.0.100", 80,
	     "198.18.0.12", 8080, XVS_TCP_S_FIN_WAIT, 118);
	conn(&c[2], IPPROTO_UDP, "198.18.0.1", 5000, "198.18.0.100", 5353,
	     "198.18.0.13", 5353, XVS_UDP_STATE, 300);
	conn(&c[3], IPPROTO_TCP, "2001:db8::1", 40000, "2001:db8::100", 80,
	     "2001:db8::11", 80, XVS_TCP_S_SYN_RECV, 5);
	xvs_format_conns(f, c, 4, XVS_FMT_NUMERIC);
	fclose(f);
	CHECK(!strcmp(out,
		      "IPVS connection entries\n"
		      "pro expire state       source             virtual    "
		      "        destination\n"
		      "TCP 14:59  ESTABLISHED 198.18.0.1:56954   "
		      "198.18.0.100:80    198.18.0.11:80\n"
		      "TCP 01:58  FIN_WAIT    198.18.0.1:57322   "
		      "198.18.0.100:80    198.18.0.12:8080\n"
		      "UDP 05:00  UDP         198.18.0.1:5000    "
		      "198.18.0.100:5353  198.18.0.13:5353\n"
		      "TCP 00:05  SYN_RECV    [2001:db8::1]:40000 "
		      "[2001:db8::100]:80 [2001:db8::11]:80\n"),
	      "got:\n%s", out);
	free(out);
}

TEST(format_conns_empty_and_timeout)
{
	struct xvs_info info = { .tcp_timeout = 900, .tcp_fin_timeout = 120,
				 .udp_timeout = 300 };
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	xvs_format_conns(f, NULL, 0, 0);
	xvs_format_timeout(f, &info);
	fclose(f);
	CHECK(!strcmp(out, "IPVS connection entries\n"
			   "pro expire state       source             "
			   "virtual            destination\n"
			   "Timeout (tcp tcpfin udp): 900 120 300\n"),
	      "got:\n%s", out);
	free(out);
}

TEST(format_conn_list_parse)
{
	struct {
		struct xvs_conn_list h;
		struct xvs_conn_info c[2];
	} r = { .h = { .n = 2 } };
	const struct xvs_conn_info *recs;
	const struct xvs_conn_list *hdr;
	char err[128];

	CHECK(!xvs_conn_list_parse(&r, sizeof(r), &hdr, &recs, err,
				   sizeof(err)) &&
		      hdr->n == 2 && recs == r.c,
	      "a whole reply parses");
	CHECK(xvs_conn_list_parse(&r, sizeof(r) - 1, &hdr, &recs, err,
				  sizeof(err)) == -EPROTO,
	      "a cut reply is refused");
	r.h.n = 3;
	CHECK(xvs_conn_list_parse(&r, sizeof(r), &hdr, &recs, err,
				  sizeof(err)) == -EPROTO,
	      "a count beyond the reply is refused");
	CHECK(xvs_conn_list_parse(&r, 3, &hdr, &recs, err, sizeof(err)) ==
		      -EPROTO,
	      "a reply shorter than its header is refused");
}

/* Persistence templates as ipvsadm prints IPVS's: state NONE, client and
 * virtual ports 0 where the template has none, protocol IP and the mark
 * as an address for a fwmark service's (ip_vs_conn_seq_show). */
TEST(format_conns_templates)
{
	struct xvs_conn_info c[3];
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	conn(&c[0], IPPROTO_TCP, "198.18.0.0", 0, "198.18.0.100", 80,
	     "198.18.0.11", 80, 0, 359);
	conn(&c[1], IPPROTO_IP, "198.18.0.1", 0, "0.0.0.1", 0, "198.18.0.12",
	     0, 0, 60);
	conn(&c[2], IPPROTO_TCP, "198.18.0.1", 40000, "198.18.0.100", 443,
	     "198.18.0.12", 443, XVS_TCP_S_SYN_RECV, 59);
	c[0].flags = c[1].flags = XVS_CONN_F_TEMPLATE;
	xvs_format_conns(f, c, 3, XVS_FMT_NUMERIC);
	fclose(f);
	CHECK(!strcmp(out,
		      "IPVS connection entries\n"
		      "pro expire state       source             virtual    "
		      "        destination\n"
		      "TCP 05:59  NONE        198.18.0.0:0       "
		      "198.18.0.100:80    198.18.0.11:80\n"
		      "IP  01:00  NONE        198.18.0.1:0       "
		      "0.0.0.1:0          198.18.0.12:0\n"
		      "TCP 00:59  SYN_RECV    198.18.0.1:40000   "
		      "198.18.0.100:443   198.18.0.12:443\n"),
	      "got:\n%s", out);
	free(out);
}
