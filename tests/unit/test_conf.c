// SPDX-License-Identifier: GPL-2.0
/*
 * The keepalived.conf reader: the keywords of global_defs,
 * virtual_server, virtual_server_group and real_server, with their
 * defaults and what real servers inherit from their virtual server; and
 * the DR web cluster of lvs-semantics.md §6. Checkers and timers are in
 * test_conf_check.c, errors and warnings in test_conf_errors.c, includes
 * and hostile input in test_conf_include.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "scheduler.h"
#include "test.h"
#include "test_conf.h"

/* A field of a struct, read as an unsigned number whatever its size. */
static unsigned long long field_at(const void *base, size_t off, size_t size)
{
	const unsigned char *p = (const unsigned char *)base + off;
	unsigned char u8;
	unsigned short u16;
	unsigned u32;
	unsigned long long u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

#define VS_F(f)                                                                \
	offsetof(struct xvs_conf_vs, f), sizeof(((struct xvs_conf_vs *)0)->f), \
		#f
#define RS_F(f)                                                                \
	offsetof(struct xvs_conf_rs, f), sizeof(((struct xvs_conf_rs *)0)->f), \
		#f

struct field_case {
	const char *body; /* lines inside the block under test */
	size_t off, size;
	const char *name;
	unsigned long long want;
};

/* Each body goes into a virtual server with one real server. */
static const struct field_case vs_cases[] = {
	/* defaults */
	{"", VS_F(kind), XVS_CONF_VS_ADDR},
	{"", VS_F(af), XVS_AF_INET},
	{"", VS_F(port), 80},
	{"", VS_F(protocol), IPPROTO_TCP},
	{"", VS_F(method.fwd), XVS_FWD_NAT},
	{"", VS_F(persistence_timeout), 0},
	{"", VS_F(persistence_granularity), 0},
	{"", VS_F(quorum), 1},
	{"", VS_F(hysteresis), 0},
	{"", VS_F(alpha), 0},
	{"", VS_F(omega), 0},
	{"", VS_F(inhibit_on_failure), 0},
	{"", VS_F(has_sorry), 0},
	{"", VS_F(sched_flags), 0},
	{"", VS_F(ops), 0},
	/* protocol */
	{"protocol UDP", VS_F(protocol), IPPROTO_UDP},
	{"protocol tcp", VS_F(protocol), IPPROTO_TCP},
	/* forwarding */
	{"lvs_method DR", VS_F(method.fwd), XVS_FWD_DR},
	{"lvs_method NAT", VS_F(method.fwd), XVS_FWD_NAT},
	{"lb_kind TUN", VS_F(method.fwd), XVS_FWD_TUN},
	{"lb_kind TUN", VS_F(method.tun_type), XVS_TUN_IPIP},
	{"lvs_method TUN type ipip", VS_F(method.tun_type), XVS_TUN_IPIP},
	{"lvs_method TUN type gue port 6080", VS_F(method.tun_type),
	 XVS_TUN_GUE},
	{"lvs_method TUN type gue port 6080", VS_F(method.tun_port), 6080},
	{"lvs_method TUN type gue port 6080", VS_F(method.tun_flags), 0},
	{"lvs_method TUN type gue port 6080 csum", VS_F(method.tun_flags),
	 XVS_TUN_F_CSUM},
	{"lvs_method TUN type gue port 6080 remcsum", VS_F(method.tun_flags),
	 XVS_TUN_F_REMCSUM},
	{"lvs_method TUN type gue port 6080 nocsum", VS_F(method.tun_flags), 0},
	{"lvs_method TUN type gre", VS_F(method.tun_type), XVS_TUN_GRE},
	{"lvs_method TUN type gre csum", VS_F(method.tun_flags),
	 XVS_TUN_F_CSUM},
	/* persistence */
	{"persistence_timeout", VS_F(persistence_timeout), 360},
	{"persistence_timeout 300", VS_F(persistence_timeout), 300},
	{"persistence_granularity 255.255.255.0", VS_F(persistence_timeout),
	 360},
	{"persistence_timeout 50\npersistence_granularity 255.255.0.0",
	 VS_F(persistence_timeout), 50},
	/* quorum and friends */
	{"quorum 3", VS_F(quorum), 3},
	{"hysteresis 2", VS_F(hysteresis), 2},
	{"alpha", VS_F(alpha), 1},
	{"alpha no", VS_F(alpha), 0},
	{"omega", VS_F(omega), 1},
	{"omega yes", VS_F(omega), 1},
	{"inhibit_on_failure", VS_F(inhibit_on_failure), 1},
	{"inhibit_on_failure true", VS_F(inhibit_on_failure), 1},
	{"sorry_server 198.18.0.250 8080", VS_F(has_sorry), 1},
	{"sorry_server 198.18.0.250 8080", VS_F(sorry_port), 8080},
	{"sorry_server 198.18.0.250 8080", VS_F(sorry_af), XVS_AF_INET},
	{"sorry_server 198.18.0.250", VS_F(sorry_port), 0},
	{"sorry_server 198.18.0.250 1\nsorry_server 198.18.0.251 2",
	 VS_F(sorry_port), 2},
	{"sorry_server 198.18.0.250", VS_F(sorry_method.fwd), XVS_FWD_NAT},
	{"lvs_method DR\nsorry_server 198.18.0.250", VS_F(sorry_method.fwd),
	 XVS_FWD_DR},
	{"sorry_server 198.18.0.250\nlvs_method DR", VS_F(sorry_method.fwd),
	 XVS_FWD_DR},
	{"lvs_method DR\nsorry_server 198.18.0.250\n"
	 "sorry_server_lvs_method TUN type gre",
	 VS_F(sorry_method.fwd), XVS_FWD_TUN},
	{"sorry_server 198.18.0.250\n"
	 "sorry_server_lvs_method TUN type gre",
	 VS_F(sorry_method.tun_type), XVS_TUN_GRE},
	{"sorry_server 198.18.0.250\nsorry_server_inhibit", VS_F(sorry_inhibit),
	 1},
	/* scheduler flags */
	{"lvs_sched sh\nsh-port", VS_F(sched_flags), XVS_SCHED_FLAG_2},
	{"sh-fallback\nlb_algo sh", VS_F(sched_flags), XVS_SCHED_FLAG_1},
	{"lvs_sched sh\nsh-port\nsh-fallback", VS_F(sched_flags),
	 XVS_SCHED_FLAG_1 | XVS_SCHED_FLAG_2},
	{"lvs_sched mh\nmh-port", VS_F(sched_flags), XVS_SCHED_FLAG_2},
	{"lvs_sched mh\nmh-fallback", VS_F(sched_flags), XVS_SCHED_FLAG_1},
	{"lvs_sched mh\nsh-port", VS_F(sched_flags), 0}, /* a warning */
	{"lvs_sched rr\nmh-port", VS_F(sched_flags), 0},
	{"flag-1", VS_F(sched_flags), XVS_SCHED_FLAG_1},
	{"flag-2", VS_F(sched_flags), XVS_SCHED_FLAG_2},
	{"flag-3", VS_F(sched_flags), XVS_SCHED_FLAG_3},
	{"ops", VS_F(ops), 1},
	{"ops off", VS_F(ops), 0},
	/* the family keyword agrees with the address */
	{"ip_family inet", VS_F(af), XVS_AF_INET},
};

TEST(conf_vs_keywords)
{
	for (size_t i = 0; i < sizeof(vs_cases) / sizeof(vs_cases[0]); i++) {
		const struct field_case *tc = &vs_cases[i];
		char text[1024];
		struct tc_msgs msgs;
		struct xvs_conf *c;
		unsigned long long got;

		snprintf(text, sizeof(text),
			 "virtual_server 198.18.0.100 80 {\n%s\n"
			 "real_server 198.18.0.11 80 {\n}\n}\n",
			 tc->body);
		c = tc_parse(text, &msgs);
		got = c ? field_at(c->vs, tc->off, tc->size) : ~0ull;
		CHECK(c && got == tc->want, "'%s': %s = %llu, want %llu %s",
		      tc->body, tc->name, got, tc->want, tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* Each body goes into a real server of a virtual server whose own lines
 * are vs. */
static const struct {
	const char *vs, *rs;
	size_t off, size;
	const char *name;
	unsigned long long want;
} rs_cases[] = {
	{"", "", RS_F(weight), 1},
	{"", "", RS_F(port), 80},
	{"", "", RS_F(af), XVS_AF_INET},
	{"", "", RS_F(uthreshold), 0},
	{"", "", RS_F(lthreshold), 0},
	{"", "", RS_F(inhibit_on_failure), 0},
	{"", "", RS_F(alpha), 0},
	{"", "", RS_F(method.fwd), XVS_FWD_NAT},
	{"", "weight 5", RS_F(weight), 5},
	{"", "weight 0", RS_F(weight), 0},
	{"", "weight 65535", RS_F(weight), 65535},
	{"", "weight 1\nweight 2", RS_F(weight), 2}, /* with a warning */
	{"", "uthreshold 100", RS_F(uthreshold), 100},
	{"", "lthreshold 50", RS_F(lthreshold), 50},
	{"", "inhibit_on_failure", RS_F(inhibit_on_failure), 1},
	{"inhibit_on_failure", "", RS_F(inhibit_on_failure), 1},
	{"inhibit_on_failure", "inhibit_on_failure no",
	 RS_F(inhibit_on_failure), 0},
	{"alpha", "", RS_F(alpha), 1},
	{"lvs_method DR", "", RS_F(method.fwd), XVS_FWD_DR},
	{"lvs_method DR", "lvs_method TUN", RS_F(method.fwd), XVS_FWD_TUN},
	{"", "lb_kind DR", RS_F(method.fwd), XVS_FWD_DR},
	{"lvs_method TUN type gue port 7000", "", RS_F(method.tun_port), 7000},
};

TEST(conf_rs_keywords)
{
	for (size_t i = 0; i < sizeof(rs_cases) / sizeof(rs_cases[0]); i++) {
		char text[1024];
		struct tc_msgs msgs;
		struct xvs_conf *c;
		struct xvs_conf_rs *rs;
		unsigned long long got;

		/* the virtual server's lines after the real server too: they
		 * count wherever they are in the block */
		snprintf(text, sizeof(text),
			 "virtual_server 198.18.0.100 80 {\n"
			 "real_server 198.18.0.11 80 {\n%s\n}\n%s\n}\n",
			 rs_cases[i].rs, rs_cases[i].vs);
		c = tc_parse(text, &msgs);
		rs = tc_rs(c, 0, 0);
		got = rs ? field_at(rs, rs_cases[i].off, rs_cases[i].size)
			 : ~0ull;
		CHECK(rs && got == rs_cases[i].want,
		      "vs '%s' rs '%s': %s = %llu, want %llu %s",
		      rs_cases[i].vs, rs_cases[i].rs, rs_cases[i].name, got,
		      rs_cases[i].want, tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

static int addr_is(__u8 af, const union xvs_addr *a, const char *text)
{
	union xvs_addr want;

	memset(&want, 0, sizeof(want));
	if (inet_pton(af == XVS_AF_INET6 ? AF_INET6 : AF_INET, text,
		      want.bytes) != 1)
		return 0;
	return !memcmp(a, &want, sizeof(want));
}

/* Strings and addresses: scheduler names, scripts as written, global_defs. */
TEST(conf_strings_and_addresses)
{
	struct tc_msgs msgs;
	struct xvs_conf *c =
		tc_parse("global_defs {\n"
			 "  router_id LVS_A\n"
			 "  lvs_flush\n"
			 "}\n"
			 "virtual_server 198.18.0.100 443 {\n"
			 "  lb_algo wrr\n"
			 "  quorum_up \"/usr/bin/logger -t xvs 'quorum up'\"\n"
			 "  quorum_down /usr/bin/logger  -t xvs  down\n"
			 "  sorry_server 198.18.0.250 8443\n"
			 "  persistence_granularity 255.255.255.0\n"
			 "  real_server 198.18.0.11 {\n"
			 "    notify_up \"/bin/echo up\"\n"
			 "    notify_down /bin/echo \"rs down\" now\n"
			 "  }\n"
			 "}\n",
			 &msgs);
	struct xvs_conf_vs *vs = tc_vs(c, 0);
	struct xvs_conf_rs *rs = tc_rs(c, 0, 0);

	CHECK(c && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!c)
		return;
	CHECK(c->router_id && !strcmp(c->router_id, "LVS_A"), "router_id %s",
	      c->router_id);
	CHECK(c->lvs_flush == 1, "lvs_flush %d", c->lvs_flush);
	CHECK(!strcmp(vs->sched, "wrr"), "sched %s", vs->sched);
	CHECK(vs->quorum_up && !strcmp(vs->quorum_up,
				       "/usr/bin/logger -t xvs 'quorum up'"),
	      "quorum_up '%s'", vs->quorum_up);
	/* several values: the line as written, blanks and all */
	CHECK(vs->quorum_down &&
		      !strcmp(vs->quorum_down, "/usr/bin/logger  -t xvs  down"),
	      "quorum_down '%s'", vs->quorum_down);
	CHECK(rs->notify_up && !strcmp(rs->notify_up, "/bin/echo up"),
	      "notify_up '%s'", rs->notify_up);
	CHECK(rs->notify_down &&
		      !strcmp(rs->notify_down, "/bin/echo \"rs down\" now"),
	      "notify_down '%s'", rs->notify_down);
	CHECK(addr_is(XVS_AF_INET, &vs->addr, "198.18.0.100"), "vs address");
	CHECK(addr_is(vs->sorry_af, &vs->sorry_addr, "198.18.0.250") &&
		      vs->sorry_port == 8443,
	      "sorry server port %u", vs->sorry_port);
	CHECK(vs->persistence_granularity == htonl(0xffffff00u),
	      "granularity %#x", vs->persistence_granularity);
	/* a real server without a port has the service's */
	CHECK(addr_is(rs->af, &rs->addr, "198.18.0.11") && rs->port == 443,
	      "rs port %u", rs->port);
	CHECK(vs->where.line == 5 && !strcmp(vs->where.file, "t.conf") &&
		      rs->where.line == 11,
	      "where %s:%d, rs line %d", vs->where.file, vs->where.line,
	      rs->where.line);
	CHECK(c->files && !strcmp(c->files->path, "t.conf") && !c->files->next,
	      "files");
	xvs_conf_free(c);
}

/* Every scheduler xvs has is accepted by name; the default is wlc. */
TEST(conf_schedulers)
{
	const char *names[] = {"rr",	"wrr", "lc", "wlc", "lblc",
			       "lblcr", "dh",  "sh", "sed", "nq",
			       "fo",	"ovf", "mh", "twos"};
	struct tc_msgs msgs;
	struct xvs_conf *c =
		tc_parse("virtual_server 198.18.0.1 80 {\n}\n", &msgs);

	CHECK(c && !strcmp(c->vs->sched, "wlc"), "default scheduler %s",
	      c ? c->vs->sched : "-");
	xvs_conf_free(c);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char text[128];

		snprintf(text, sizeof(text),
			 "virtual_server 198.18.0.1 80 {\nlvs_sched %s\n}\n",
			 names[i]);
		c = tc_parse(text, &msgs);
		CHECK(c && !strcmp(c->vs->sched, names[i]) &&
			      xvs_sched_find(names[i]),
		      "%s: %s", names[i], tc_dump(&msgs));
		xvs_conf_free(c);
	}
}

/* IPv6 services: addresses, prefix granularity, family of fwmark
 * services from their real servers or ip_family. */
TEST(conf_ipv6_and_fwmark)
{
	struct tc_msgs msgs;
	struct xvs_conf *c =
		tc_parse("virtual_server 2001:db8::100 80 {\n"
			 "  persistence_granularity 64\n"
			 "  real_server 2001:db8::11 8080 {\n  }\n"
			 "}\n"
			 "virtual_server fwmark 7 {\n"
			 "  real_server 2001:db8::12 {\n  }\n"
			 "}\n"
			 "virtual_server fwmark 8 {\n"
			 "}\n"
			 "virtual_server fwmark 4294967295 {\n"
			 "  ip_family inet6\n"
			 "}\n"
			 "virtual_server fwmark 9 {\n"
			 "  lvs_method TUN\n"
			 "  real_server 2001:db8::13 {\n  }\n"
			 "  real_server 198.18.0.13 {\n    lvs_method DR\n  }\n"
			 "}\n",
			 &msgs);
	struct xvs_conf_vs *v6 = tc_vs(c, 0), *fw = tc_vs(c, 1),
			   *fw_empty = tc_vs(c, 2), *fw_max = tc_vs(c, 3),
			   *fw_mixed = tc_vs(c, 4);

	CHECK(c && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!c)
		return;
	CHECK(v6->af == XVS_AF_INET6 &&
		      addr_is(XVS_AF_INET6, &v6->addr, "2001:db8::100"),
	      "v6 service af %d", v6->af);
	CHECK(v6->persistence_granularity == 64 &&
		      v6->persistence_timeout == 360,
	      "v6 granularity %u timeout %u", v6->persistence_granularity,
	      v6->persistence_timeout);
	CHECK(addr_is(XVS_AF_INET6, &v6->rs->addr, "2001:db8::11") &&
		      v6->rs->port == 8080,
	      "v6 real server");
	CHECK(fw->kind == XVS_CONF_VS_FWMARK && fw->fwmark == 7 &&
		      fw->af == XVS_AF_INET6 && fw->rs->port == 0,
	      "fwmark 7: kind %d mark %u af %d rs port %u", fw->kind,
	      fw->fwmark, fw->af, fw->rs->port);
	CHECK(fw_empty->af == XVS_AF_INET, "fwmark without servers af %d",
	      fw_empty->af);
	CHECK(fw_max->fwmark == 4294967295u && fw_max->af == XVS_AF_INET6,
	      "fwmark max %u af %d", fw_max->fwmark, fw_max->af);
	/* a tunnelled server's family does not decide; the DR one does */
	CHECK(fw_mixed->af == XVS_AF_INET, "fwmark with TUN and DR af %d",
	      fw_mixed->af);
	xvs_conf_free(c);
}

/* virtual_server_group: addresses, ranges of the last byte (v4) or
 * group (v6, hex), fwmarks; a group service takes the group's family. */
TEST(conf_groups)
{
	struct tc_msgs msgs;
	struct xvs_conf *c = tc_parse("virtual_server group WEB {\n"
				      "  real_server 198.18.0.11 80 {\n  }\n"
				      "}\n"
				      "virtual_server_group WEB {\n"
				      "  198.18.0.100 80\n"
				      "  198.18.0.1-10 443\n"
				      "  fwmark 5\n"
				      "}\n"
				      "virtual_server_group V6 {\n"
				      "  2001:db8::a-ff 80\n"
				      "  2001:db8::1\n"
				      "}\n"
				      "virtual_server group V6 {\n"
				      "  protocol UDP\n"
				      "}\n",
				      &msgs);
	const struct xvs_conf_vsg *g = c ? c->vsg : NULL;
	const struct xvs_conf_vsg_entry *e;

	CHECK(c && !msgs.total, "parsed: %s", tc_dump(&msgs));
	if (!c)
		return;
	CHECK(c->vs->kind == XVS_CONF_VS_GROUP &&
		      !strcmp(c->vs->group, "WEB") &&
		      c->vs->af == XVS_AF_INET && c->vs->rs->port == 80,
	      "group service");
	CHECK(tc_vs(c, 1)->af == XVS_AF_INET6 &&
		      tc_vs(c, 1)->protocol == IPPROTO_UDP,
	      "v6 group service af %d", tc_vs(c, 1)->af);
	CHECK(g && !strcmp(g->name, "WEB") && g->where.line == 5, "group WEB");
	e = g->entries;
	CHECK(e && !e->is_fwmark && addr_is(e->af, &e->addr, "198.18.0.100") &&
		      e->port == 80 && e->range_end == 0 && e->where.line == 6,
	      "entry 1");
	e = e ? e->next : NULL;
	CHECK(e && addr_is(e->af, &e->addr, "198.18.0.1") && e->port == 443 &&
		      e->range_end == 10,
	      "entry 2: range_end %u", e ? e->range_end : 0);
	e = e ? e->next : NULL;
	CHECK(e && e->is_fwmark && e->fwmark == 5 && !e->next, "entry 3");
	g = g->next;
	e = g ? g->entries : NULL;
	CHECK(e && addr_is(XVS_AF_INET6, &e->addr, "2001:db8::a") &&
		      e->range_end == 0xff,
	      "v6 range_end %#x", e ? e->range_end : 0);
	CHECK(e && e->next && e->next->port == 0 && !e->next->next,
	      "v6 entry without port");
	xvs_conf_free(c);
}

/* lvs-semantics.md §6: the DR web cluster of node A. Its VRRP parts are
 * warnings; the LVS part is read as keepalived would. */
TEST(conf_dr_web_cluster)
{
	static const char text[] =
		"global_defs { router_id LVS_A\n"
		"              lvs_sync_daemon eth0 VI_WEB id 51 }\n"
		"vrrp_instance VI_WEB {\n"
		"    state BACKUP\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    priority 150\n"
		"    advert_int 1\n"
		"    nopreempt\n"
		"    unicast_src_ip 10.0.0.2\n"
		"    unicast_peer { 10.0.0.3 }\n"
		"    virtual_ipaddress { 10.0.0.100/32 dev eth0 }\n"
		"    notify /etc/keepalived/notify.sh\n"
		"}\n"
		"virtual_server 10.0.0.100 80 {\n"
		"    delay_loop 6\n"
		"    lvs_sched wlc\n"
		"    lvs_method DR\n"
		"    protocol TCP\n"
		"    persistence_timeout 300\n"
		"    alpha\n"
		"    quorum 1\n"
		"    sorry_server 10.0.0.250 80\n"
		"    real_server 10.0.0.11 80 {\n"
		"        weight 1\n"
		"        inhibit_on_failure\n"
		"        HTTP_GET {\n"
		"            url { path /healthz\n"
		"                  status_code 200 }\n"
		"            connect_timeout 3\n"
		"            retry 3\n"
		"            delay_before_retry 2\n"
		"        }\n"
		"    }\n"
		"    real_server 10.0.0.12 80 {\n"
		"        weight 1\n"
		"        TCP_CHECK { connect_port 80\n"
		"                    connect_timeout 3 }\n"
		"    }\n"
		"}\n"
		"# Real servers: ip addr add 10.0.0.100/32 dev lo\n"
		"#               sysctl net.ipv4.conf.all.arp_ignore=1 "
		"net.ipv4.conf.all.arp_announce=2\n";
	struct tc_msgs msgs;
	struct xvs_conf *c = tc_parse(text, &msgs);
	struct xvs_conf_vs *vs = tc_vs(c, 0);
	struct xvs_conf_rs *a = tc_rs(c, 0, 0), *b = tc_rs(c, 0, 1);
	struct xvs_conf_checker *http = tc_ck(c, 0, 0, 0),
				*tcp = tc_ck(c, 0, 1, 0);

	CHECK(c && msgs.errors == 0 && msgs.warnings == 2, "messages: %s",
	      tc_dump(&msgs));
	CHECK(tc_find(&msgs, XVS_CONF_WARNING, "t.conf", 2,
		      "'lvs_sync_daemon' is not supported by xvs; ignored") &&
		      tc_find(&msgs, XVS_CONF_WARNING, "t.conf", 3,
			      "'vrrp_instance' is not supported by xvs; "
			      "ignored"),
	      "warnings: %s", tc_dump(&msgs));
	if (!c || !vs || !a || !b || !http || !tcp) {
		CHECK(0, "model incomplete");
		xvs_conf_free(c);
		return;
	}
	CHECK(!strcmp(c->router_id, "LVS_A") && !c->lvs_flush, "global_defs");
	CHECK(!vs->next && addr_is(vs->af, &vs->addr, "10.0.0.100") &&
		      vs->port == 80 && !strcmp(vs->sched, "wlc") &&
		      vs->method.fwd == XVS_FWD_DR &&
		      vs->protocol == IPPROTO_TCP &&
		      vs->persistence_timeout == 300 && vs->alpha &&
		      vs->quorum == 1 && vs->has_sorry &&
		      addr_is(vs->sorry_af, &vs->sorry_addr, "10.0.0.250") &&
		      vs->sorry_port == 80 &&
		      vs->sorry_method.fwd == XVS_FWD_DR,
	      "virtual server");
	CHECK(addr_is(a->af, &a->addr, "10.0.0.11") && a->weight == 1 &&
		      a->inhibit_on_failure && a->alpha &&
		      a->method.fwd == XVS_FWD_DR,
	      "real server .11");
	CHECK(addr_is(b->af, &b->addr, "10.0.0.12") && b->weight == 1 &&
		      !b->inhibit_on_failure && !b->next,
	      "real server .12");
	CHECK(http->type == XVS_CHECK_HTTP && http->urls &&
		      !strcmp(http->urls->path, "/healthz") &&
		      http->urls->n_status == 1 &&
		      http->urls->status[0].lo == 200 &&
		      http->urls->status[0].hi == 200 && !http->urls->next &&
		      !http->next,
	      "HTTP_GET url");
	CHECK(http->delay_loop_ms == 6000 && http->connect_timeout_ms == 3000 &&
		      http->retry == 3 && http->delay_before_retry_ms == 2000 &&
		      http->warmup_ms == 6000 && http->http_protocol == 10,
	      "HTTP_GET timers %u %u %u %u %u", http->delay_loop_ms,
	      http->connect_timeout_ms, http->retry,
	      http->delay_before_retry_ms, http->warmup_ms);
	CHECK(tcp->type == XVS_CHECK_TCP && tcp->connect_port == 80 &&
		      tcp->connect_timeout_ms == 3000 &&
		      tcp->delay_loop_ms == 6000 && tcp->retry == 1 &&
		      tcp->delay_before_retry_ms == 1000,
	      "TCP_CHECK");
	xvs_conf_free(c);
}
