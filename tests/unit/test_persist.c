// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence templates as IPVS keys them (ip_vs_sched_persist), as a
 * table: the client's network under -M (IPv4 masks, IPv6 prefix lengths),
 * vport 0 for FTP (port 21), FTP data and port-zero services, fwmark
 * templates <IPPROTO_IP, snet, 0, mark, 0>; what a controlled connection
 * keeps to find its template again; and when a template is dead.
 */
#include <arpa/inet.h>
#include <string.h>
#include "persist.h"
#include "test.h"

static union xvs_addr addr(__u8 af, const char *s)
{
	union xvs_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(af == XVS_AF_INET6 ? AF_INET6 : AF_INET, s, a.bytes);
	return a;
}

static const struct {
	const char *what;
	__u8 af, proto;
	const char *client, *vip;
	__u16 sport, dport;
	__u32 netmask; /* IPv4: host order here; IPv6: prefix length */
	__u32 fwmark;
	__u16 svc_port;
	/* the template */
	__u8 t_proto;
	const char *t_snet, *t_vaddr;
	__u16 t_vport;
} keys[] = {
	{"-p", XVS_AF_INET, IPPROTO_TCP, "198.18.0.77", "198.18.0.100", 40000,
	 80, 0xffffffff, 0, 80, IPPROTO_TCP, "198.18.0.77", "198.18.0.100",
	 80},
	{"-M 255.255.255.0", XVS_AF_INET, IPPROTO_TCP, "198.18.0.77",
	 "198.18.0.100", 40000, 80, 0xffffff00, 0, 80, IPPROTO_TCP,
	 "198.18.0.0", "198.18.0.100", 80},
	{"-M 255.255.0.0, UDP", XVS_AF_INET, IPPROTO_UDP, "198.18.200.7",
	 "198.18.0.100", 5000, 53, 0xffff0000, 0, 53, IPPROTO_UDP,
	 "198.18.0.0", "198.18.0.100", 53},
	{"-M 0.0.0.0: one template for all", XVS_AF_INET, IPPROTO_TCP,
	 "198.18.3.4", "198.18.0.100", 1234, 80, 0, 0, 80, IPPROTO_TCP,
	 "0.0.0.0", "198.18.0.100", 80},
	{"port 21: vport 0", XVS_AF_INET, IPPROTO_TCP, "198.18.0.1",
	 "198.18.0.100", 40000, 21, 0xffffffff, 0, 21, IPPROTO_TCP,
	 "198.18.0.1", "198.18.0.100", 0},
	{"FTP data to port 21's service", XVS_AF_INET, IPPROTO_TCP,
	 "198.18.0.1", "198.18.0.100", 40001, 30000, 0xffffffff, 0, 21,
	 IPPROTO_TCP, "198.18.0.1", "198.18.0.100", 0},
	{"port-zero service", XVS_AF_INET, IPPROTO_TCP, "198.18.0.1",
	 "198.18.0.100", 40000, 443, 0xffffffff, 0, 0, IPPROTO_TCP,
	 "198.18.0.1", "198.18.0.100", 0},
	{"fwmark 1, TCP", XVS_AF_INET, IPPROTO_TCP, "198.18.0.77",
	 "198.18.0.100", 40000, 443, 0xffffff00, 1, 0, 0, "198.18.0.0",
	 "0.0.0.1", 0},
	{"fwmark 0x01020304, UDP", XVS_AF_INET, IPPROTO_UDP, "198.18.0.77",
	 "198.18.0.100", 40000, 53, 0xffffffff, 0x01020304, 0, 0,
	 "198.18.0.77", "1.2.3.4", 0},
	{"IPv6 -M 64", XVS_AF_INET6, IPPROTO_TCP, "2001:db8:1:2:3:4:5:6",
	 "2001:db8::100", 40000, 80, 64, 0, 80, IPPROTO_TCP, "2001:db8:1:2::",
	 "2001:db8::100", 80},
	{"IPv6 -M 60", XVS_AF_INET6, IPPROTO_TCP, "2001:db8:1:2f:3:4:5:6",
	 "2001:db8::100", 40000, 80, 60, 0, 80, IPPROTO_TCP,
	 "2001:db8:1:20::", "2001:db8::100", 80},
	{"IPv6 -M 127", XVS_AF_INET6, IPPROTO_UDP, "2001:db8::7",
	 "2001:db8::100", 40000, 53, 127, 0, 53, IPPROTO_UDP, "2001:db8::6",
	 "2001:db8::100", 53},
	{"IPv6 -M 128", XVS_AF_INET6, IPPROTO_TCP, "2001:db8::7",
	 "2001:db8::100", 40000, 80, 128, 0, 80, IPPROTO_TCP, "2001:db8::7",
	 "2001:db8::100", 80},
	{"IPv6 -M 1", XVS_AF_INET6, IPPROTO_TCP, "a001:db8::7",
	 "2001:db8::100", 40000, 80, 1, 0, 80, IPPROTO_TCP, "8000::",
	 "2001:db8::100", 80},
	{"IPv6 fwmark", XVS_AF_INET6, IPPROTO_TCP, "2001:db8::7",
	 "2001:db8::100", 40000, 443, 128, 5, 0, 0, "2001:db8::7", "0:5::",
	 0},
};

TEST(persist_template_keys)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct xvs_svc_dp svc = {
			.netmask = keys[i].af == XVS_AF_INET6
					   ? keys[i].netmask
					   : htonl(keys[i].netmask),
			.fwmark = keys[i].fwmark,
			.port = htons(keys[i].svc_port),
		};
		struct xvs_conn_key k = {
			.saddr = addr(keys[i].af, keys[i].client),
			.daddr = addr(keys[i].af, keys[i].vip),
			.sport = htons(keys[i].sport),
			.dport = htons(keys[i].dport),
			.proto = keys[i].proto,
			.af = keys[i].af,
		};
		struct xvs_conn_key want = {
			.saddr = addr(keys[i].af, keys[i].t_snet),
			.daddr = addr(keys[i].t_proto ? keys[i].af : XVS_AF_INET,
				      keys[i].t_vaddr),
			.dport = htons(keys[i].t_vport),
			.proto = keys[i].t_proto,
			.af = keys[i].af,
			.tpl = XVS_CONN_KEY_TEMPLATE,
		}, got;
		struct xvs_persist ps;

		if (keys[i].af == XVS_AF_INET6 && !keys[i].t_proto)
			want.daddr = addr(XVS_AF_INET6, keys[i].t_vaddr);
		xvs_persist_of(&ps, &svc, k.dport);
		xvs_persist_key(&got, &k, &ps);
		CHECK(!memcmp(&got, &want, sizeof(got)), "%s", keys[i].what);
	}
}

/* A controlled connection finds its template again from its own key. */
TEST(persist_store_load)
{
	struct xvs_svc_dp svc = { .netmask = htonl(0xffffff00), .fwmark = 0,
				  .port = htons(21) };
	struct xvs_conn_key k = { .saddr = addr(XVS_AF_INET, "198.18.0.9"),
				  .daddr = addr(XVS_AF_INET, "198.18.0.100"),
				  .sport = htons(40000), .dport = htons(21),
				  .proto = IPPROTO_TCP, .af = XVS_AF_INET };
	struct xvs_persist ps, back;
	struct xvs_conn_key t1, t2;
	struct xvs_conn c;

	memset(&c, 0, sizeof(c));
	xvs_persist_of(&ps, &svc, k.dport);
	xvs_persist_store(&c, &ps);
	CHECK((c.flags & XVS_CONN_F_CONTROLLED) &&
		      (c.flags & XVS_CONN_F_TPL_NOPORT),
	      "flags 0x%x", c.flags);
	xvs_persist_load(&back, &c);
	xvs_persist_key(&t1, &k, &ps);
	xvs_persist_key(&t2, &k, &back);
	CHECK(!memcmp(&t1, &t2, sizeof(t1)), "the same template key");
	svc.port = htons(80);
	k.dport = htons(80);
	memset(&c, 0, sizeof(c));
	xvs_persist_of(&ps, &svc, k.dport);
	xvs_persist_store(&c, &ps);
	CHECK(!(c.flags & XVS_CONN_F_TPL_NOPORT), "port 80 keeps its vport");
}

TEST(persist_entry_dead)
{
	const __u64 s = XVS_NSEC_PER_SEC, now = 1000 * s;
	struct xvs_conn c;

	memset(&c, 0, sizeof(c));
	c.timeout_s = 360;
	c.last_seen_ns = now - 300 * s;
	CHECK(!xvs_entry_dead(&c, now), "a connection within its timeout");
	c.last_seen_ns = now - 400 * s;
	CHECK(xvs_entry_dead(&c, now), "a connection past it");
	c.flags = XVS_CONN_F_TEMPLATE;
	CHECK(xvs_entry_dead(&c, now), "a template past it, controlling none");
	c.n_control = 2;
	CHECK(!xvs_entry_dead(&c, now),
	      "a template past it that controls connections");
	xvs_tpl_rearm(&c, now);
	CHECK(c.timeout_s == XVS_TPL_EXPIRE_LATER_S && c.last_seen_ns == now &&
		      !xvs_conn_expired(&c, now + 59 * s) &&
		      xvs_conn_expired(&c, now + 61 * s),
	      "re-armed: 60 s from now, as IPVS's expire_later");
}
