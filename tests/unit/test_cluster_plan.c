// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster's decisions (daemon/cluster_plan.h), without a data plane:
 * the services a virtual_server declares, quorum with hysteresis, and the
 * exact table operations that follow from real servers going down and up,
 * quorum lost and regained, inhibit_on_failure, sorry servers, an
 * operator's changes in the way, and a reload. A small model of the table
 * applies each plan, so that every scenario runs as a sequence of events,
 * each with the operations it must produce, written as text:
 *   "svc+"          the service added (svc~ edited, svc- deleted)
 *   "+ADDR:PORT wN" a real server added at weight N (~ edited, - deleted)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "cluster_plan.h"
#include "mark.h"
#include "test.h"

#define N_RS 3

static union xvs_addr v4(const char *s)
{
	union xvs_addr a = {0};

	inet_pton(AF_INET, s, &a.v4);
	return a;
}

/* virtual_server 198.18.0.100 80 { real_server .11 (w3), .12 (w2),
 * .13 (w1) }, DR, wlc; sorry_server .250 80 where a test sets has_sorry. */
struct fixture {
	struct xvs_conf_vs vs;
	struct xvs_conf_rs rs[N_RS];
	struct xvs_plan_rs st[N_RS];
	size_t n_rs; /* the real servers declared: the first n_rs */
	struct xvs_svc_key key;
};

static void fixture_init(struct fixture *f)
{
	static const char *const addr[N_RS] = {"198.18.0.11", "198.18.0.12",
					       "198.18.0.13"};

	memset(f, 0, sizeof(*f));
	f->vs.where = (struct xvs_conf_where){"test.conf", 1};
	f->vs.af = XVS_AF_INET;
	f->vs.addr = v4("198.18.0.100");
	f->vs.port = 80;
	f->vs.protocol = IPPROTO_TCP;
	strcpy(f->vs.sched, "wlc");
	f->vs.method.fwd = XVS_FWD_DR;
	f->vs.quorum = 1;
	f->vs.sorry_af = XVS_AF_INET;
	f->vs.sorry_addr = v4("198.18.0.250");
	f->vs.sorry_method.fwd = XVS_FWD_DR;
	f->vs.rs = &f->rs[0];
	f->n_rs = N_RS;
	for (int i = 0; i < N_RS; i++) {
		f->rs[i].af = XVS_AF_INET;
		f->rs[i].addr = v4(addr[i]);
		f->rs[i].port = 80;
		f->rs[i].weight = 3 - i;
		f->rs[i].method.fwd = XVS_FWD_DR;
		f->rs[i].next = i + 1 < N_RS ? &f->rs[i + 1] : NULL;
		f->st[i] = (struct xvs_plan_rs){&f->rs[i], 1, 3 - i};
	}
	f->key = (struct xvs_svc_key){.addr = f->vs.addr,
				      .port = htons(80),
				      .proto = IPPROTO_TCP,
				      .af = XVS_AF_INET};
}

/* The table as the plan sees it: one service and its real servers. */
struct table {
	int has_svc;
	struct xvs_svc_conf svc;
	struct xvs_dest_conf d[16];
	size_t n;
	int held;
};

static struct xvs_dest_conf *table_find(struct table *t,
					const struct xvs_dest_conf *d)
{
	for (size_t i = 0; i < t->n; i++)
		if (!xvs_addr_cmp(t->d[i].af, &t->d[i].addr, t->d[i].port,
				  d->af, &d->addr, d->port))
			return &t->d[i];
	return NULL;
}

static void table_apply(struct table *t, const struct xvs_plan_step *s)
{
	struct xvs_dest_conf *d = table_find(t, &s->dest);

	switch (s->op) {
	case XVS_PLAN_SVC_ADD:
	case XVS_PLAN_SVC_EDIT:
		t->has_svc = 1;
		t->svc = s->svc;
		break;
	case XVS_PLAN_SVC_DEL:
		memset(t, 0, sizeof(*t));
		break;
	case XVS_PLAN_DEST_ADD:
		t->d[t->n++] = s->dest;
		break;
	case XVS_PLAN_DEST_EDIT:
		*d = s->dest;
		break;
	case XVS_PLAN_DEST_DEL:
		*d = t->d[--t->n];
		break;
	}
}

/* The steps of p as text (see the top of this file). */
static const char *plan_text(const struct xvs_plan *p, char *buf, size_t len)
{
	static const char *const op[] = {"svc+", "svc~", "svc-", "+", "~", "-"};
	char a[XVS_ADDRPORT_LEN];
	size_t used = 0;

	buf[0] = 0;
	for (size_t i = 0; i < p->n && used < len; i++) {
		const struct xvs_plan_step *s = &p->step[i];
		const struct xvs_dest_conf *d = &s->dest;

		if (s->op < XVS_PLAN_DEST_ADD)
			used += snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", op[s->op]);
		else
			used += snprintf(buf + used, len - used, "%s%s%s w%d",
					 i ? ", " : "", op[s->op],
					 xvs_addr_format(a, sizeof(a), d->af,
							 &d->addr, d->port,
							 IPPROTO_TCP, 0),
					 d->weight);
	}
	return buf;
}

/*
 * One event as the cluster handles it: quorum decided from the real
 * servers' states, then the table made what the service says. extra:
 * real servers a previous configuration declared (a reload). Returns
 * the steps as text and applies them to t.
 */
static const char *event(struct fixture *f, struct table *t,
			 const struct xvs_dest_conf *extra, size_t n_extra,
			 char *buf, size_t len)
{
	struct xvs_dest_conf want[N_RS + 1], owned[N_RS + 8];
	struct xvs_plan p = {0};
	struct xvs_svc_conf svc;
	size_t n_want, n_owned;
	int rc;

	t->held = xvs_plan_quorum(t->held, xvs_plan_live_weight(f->st, f->n_rs),
				  f->vs.quorum, f->vs.hysteresis);
	xvs_plan_svc_conf(&f->vs, &f->key, &svc);
	n_want = xvs_plan_want(&f->vs, &f->key, f->st, f->n_rs, t->held, want);
	n_owned = xvs_plan_declared(&f->vs, &f->key, owned);
	if (n_extra)
		memcpy(owned + n_owned, extra, n_extra * sizeof(*extra));
	rc = xvs_plan_service(&p, &svc, want, n_want, owned, n_owned + n_extra,
			      t->has_svc ? &t->svc : NULL, t->d, t->n);
	plan_text(&p, buf, len);
	if (rc)
		snprintf(buf, len, "error %d", rc);
	for (size_t i = 0; i < p.n; i++)
		table_apply(t, &p.step[i]);
	xvs_plan_free(&p);
	return buf;
}

#define EVENT(f, t, expected)                                                  \
	do {                                                                   \
		char got_[512];                                                \
		event(f, t, NULL, 0, got_, sizeof(got_));                      \
		CHECK(!strcmp(got_, expected), "got '%s', want '%s'", got_,    \
		      expected);                                               \
	} while (0)

TEST(cluster_rs_down_up)
{
	struct fixture f;
	struct table t = {.held = 1};

	fixture_init(&f);
	EVENT(&f, &t,
	      "svc+, +198.18.0.11:80 w3, +198.18.0.12:80 w2, "
	      "+198.18.0.13:80 w1");
	EVENT(&f, &t, ""); /* nothing changed: nothing to do */
	f.st[1].up = 0;
	EVENT(&f, &t, "-198.18.0.12:80 w2");
	f.st[1].up = 1;
	EVENT(&f, &t, "+198.18.0.12:80 w2");
	f.st[0].weight = 7; /* MISC_CHECK misc_dynamic */
	EVENT(&f, &t, "~198.18.0.11:80 w7");
	f.st[0].weight = 0; /* up at weight 0: quiesced, still listed */
	EVENT(&f, &t, "~198.18.0.11:80 w0");
	CHECK(t.held, "live weight 3 keeps quorum 1");
}

TEST(cluster_inhibit_on_failure)
{
	struct fixture f;
	struct table t = {.held = 1};

	fixture_init(&f);
	f.rs[1].inhibit_on_failure = 1;
	f.st[1].up = 0; /* alpha: down until its first check passes */
	EVENT(&f, &t,
	      "svc+, +198.18.0.11:80 w3, +198.18.0.12:80 w0, "
	      "+198.18.0.13:80 w1");
	f.st[1].up = 1;
	EVENT(&f, &t, "~198.18.0.12:80 w2");
	f.st[1].up = 0;
	EVENT(&f, &t, "~198.18.0.12:80 w0");
}

TEST(cluster_sorry_server_quorum_hysteresis)
{
	struct fixture f;
	struct table t = {.held = 1};

	fixture_init(&f);
	f.vs.has_sorry = 1;
	f.vs.quorum = 4; /* of 3 + 2 + 1 */
	f.vs.hysteresis = 1;
	EVENT(&f, &t,
	      "svc+, +198.18.0.11:80 w3, +198.18.0.12:80 w2, "
	      "+198.18.0.13:80 w1");
	f.st[0].up = 0; /* live 3: not below 4 - 1 */
	EVENT(&f, &t, "-198.18.0.11:80 w3");
	CHECK(t.held, "live weight 3 keeps quorum 4 - 1");
	f.st[1].up = 0; /* live 1: lost, the sorry server in */
	EVENT(&f, &t,
	      "+198.18.0.250:80 w1, -198.18.0.12:80 w2, -198.18.0.13:80 w1");
	CHECK(!t.held, "live weight 1 loses quorum 4 - 1");
	f.st[1].up = 1; /* live 3: not yet 4 + 1 */
	EVENT(&f, &t, "");
	CHECK(!t.held, "live weight 3 does not regain quorum 4 + 1");
	f.st[0].up = 1; /* live 6: regained, the sorry server out */
	EVENT(&f, &t,
	      "+198.18.0.11:80 w3, +198.18.0.12:80 w2, +198.18.0.13:80 w1, "
	      "-198.18.0.250:80 w1");
	CHECK(t.held, "live weight 6 regains quorum 4 + 1");
}

TEST(cluster_sorry_server_inhibit)
{
	struct fixture f;
	struct table t = {.held = 1};

	fixture_init(&f);
	f.vs.has_sorry = 1;
	f.vs.sorry_inhibit = 1;
	f.vs.sorry_port = 8080;
	f.vs.sorry_method.fwd = XVS_FWD_NAT; /* only NAT maps the port */
	f.rs[2].inhibit_on_failure = 1;
	EVENT(&f, &t,
	      "svc+, +198.18.0.11:80 w3, +198.18.0.12:80 w2, "
	      "+198.18.0.13:80 w1, +198.18.0.250:8080 w0");
	CHECK(t.d[3].fwd == XVS_FWD_NAT, "the sorry server's method");
	for (int i = 0; i < N_RS; i++)
		f.st[i].up = 0;
	EVENT(&f, &t,
	      "~198.18.0.13:80 w0, ~198.18.0.250:8080 w1, "
	      "-198.18.0.11:80 w3, -198.18.0.12:80 w2");
	f.st[2].up = 1; /* live 1 regains quorum 1: inhibit keeps it */
	EVENT(&f, &t, "~198.18.0.13:80 w1, ~198.18.0.250:8080 w0");
}

TEST(cluster_leaves_foreign_servers_alone)
{
	struct fixture f;
	struct table t = {.held = 1};
	struct xvs_dest_conf *d;
	char got[512];

	fixture_init(&f);
	f.vs.has_sorry = 1;
	EVENT(&f, &t,
	      "svc+, +198.18.0.11:80 w3, +198.18.0.12:80 w2, "
	      "+198.18.0.13:80 w1");
	/* xvsadm -a .99; xvsadm -d .12; xvsadm -e .11 -w 9 */
	t.d[t.n] = t.d[0];
	t.d[t.n].addr = v4("198.18.0.99");
	t.n++;
	d = table_find(&t, &(struct xvs_dest_conf){.af = XVS_AF_INET,
						   .addr = v4("198.18.0.12"),
						   .port = htons(80)});
	*d = t.d[--t.n];
	table_find(&t, &t.d[0])->weight = 9;
	EVENT(&f, &t, "+198.18.0.12:80 w2, ~198.18.0.11:80 w3");
	for (int i = 0; i < N_RS; i++)
		f.st[i].up = 0;
	event(&f, &t, NULL, 0, got, sizeof(got));
	CHECK(!strcmp(got, "+198.18.0.250:80 w1, -198.18.0.11:80 w3, "
			   "-198.18.0.12:80 w2, -198.18.0.13:80 w1"),
	      "sorry in, .99 stays: got '%s'", got);
	CHECK(t.n == 2, "left: the sorry server and .99, %zu entries", t.n);
}

TEST(cluster_reload_removes_undeclared)
{
	struct fixture f;
	struct table t = {.held = 1};
	struct xvs_dest_conf old[N_RS + 1];
	size_t n_old;
	char got[512];

	fixture_init(&f);
	EVENT(&f, &t,
	      "svc+, +198.18.0.11:80 w3, +198.18.0.12:80 w2, "
	      "+198.18.0.13:80 w1");
	n_old = xvs_plan_declared(&f.vs, &f.key, old);
	/* the new file: .13 gone, .12 at weight 5, wrr, persistent */
	f.rs[1].next = NULL;
	f.n_rs = 2;
	f.st[1].weight = 5;
	strcpy(f.vs.sched, "wrr");
	f.vs.persistence_timeout = 300;
	event(&f, &t, NULL, 0, got, sizeof(got));
	CHECK(!strcmp(got, "svc~, ~198.18.0.12:80 w5"),
	      "without the old declarations .13 looks foreign: got '%s'", got);
	event(&f, &t, old, n_old, got, sizeof(got));
	CHECK(!strcmp(got, "-198.18.0.13:80 w1"),
	      "with them it is deleted: got '%s'", got);
	CHECK(t.svc.flags == XVS_SVC_F_PERSISTENT && t.svc.timeout == 300 &&
		      !strcmp(t.svc.sched, "wrr"),
	      "service edited: flags %u timeout %u sched %s", t.svc.flags,
	      t.svc.timeout, t.svc.sched);
}

TEST(cluster_quorum)
{
	static const struct {
		int held;
		long long live;
		unsigned quorum, hysteresis;
		int want;
	} c[] = {
		{1, 1, 1, 0, 1}, {1, 0, 1, 0, 0}, {0, 1, 1, 0, 1},
		{1, 3, 4, 1, 1}, {1, 2, 4, 1, 0}, {0, 4, 4, 1, 0},
		{0, 5, 4, 1, 1}, {1, 1, 2, 5, 1}, /* 2 - 5 < 0 */
		{1, 0, 2, 5, 0}, /* no live weight: lost anyway */
		{1, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, /* and not regained */
		{0, 6, 2, 5, 0}, {0, 7, 2, 5, 1},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int got = xvs_plan_quorum(c[i].held, c[i].live, c[i].quorum,
					  c[i].hysteresis);

		CHECK(got == c[i].want,
		      "held %d, live %lld, quorum %u, hysteresis %u: %d",
		      c[i].held, c[i].live, c[i].quorum, c[i].hysteresis, got);
	}
}

TEST(cluster_svc_conf)
{
	struct fixture f;
	struct xvs_svc_conf c;
	struct xvs_svc_key k6 = {.af = XVS_AF_INET6, .proto = IPPROTO_UDP};

	fixture_init(&f);
	xvs_plan_svc_conf(&f.vs, &f.key, &c);
	CHECK(!c.flags && !c.timeout && c.netmask == 0xffffffffu &&
		      !strcmp(c.sched, "wlc"),
	      "plain: flags %u timeout %u netmask %x", c.flags, c.timeout,
	      c.netmask);
	f.vs.persistence_timeout = 360;
	f.vs.persistence_granularity = htonl(0xffffff00);
	f.vs.ops = 1;
	f.vs.sched_flags = 3;
	xvs_plan_svc_conf(&f.vs, &f.key, &c);
	CHECK(c.flags == (XVS_SVC_F_PERSISTENT | XVS_SVC_F_ONEPACKET) &&
		      c.timeout == 360 && c.netmask == htonl(0xffffff00) &&
		      c.sched_flags == 3,
	      "persistent /24, -o: flags %u timeout %u netmask %x", c.flags,
	      c.timeout, c.netmask);
	f.vs.persistence_granularity = 0;
	xvs_plan_svc_conf(&f.vs, &k6, &c);
	CHECK(c.netmask == 128, "IPv6's default granularity: %u", c.netmask);
}

TEST(cluster_tunnel_dest)
{
	struct fixture f;
	struct xvs_dest_conf d;

	fixture_init(&f);
	f.rs[0].method = (struct xvs_conf_method){XVS_FWD_TUN, XVS_TUN_GUE,
						  XVS_TUN_F_CSUM, 6080};
	f.rs[0].uthreshold = 100;
	f.rs[0].lthreshold = 50;
	xvs_plan_rs_dest(&f.key, &f.rs[0], 3, &d);
	CHECK(d.fwd == XVS_FWD_TUN && d.tun_type == XVS_TUN_GUE &&
		      d.tun_flags == XVS_TUN_F_CSUM &&
		      d.tun_port == htons(6080) && d.u_threshold == 100 &&
		      d.l_threshold == 50 && d.port == htons(80),
	      "tunnel and thresholds as configured");
	f.rs[0].method.fwd = XVS_FWD_DR;
	xvs_plan_rs_dest(&f.key, &f.rs[0], 3, &d);
	CHECK(!d.tun_type && !d.tun_flags && !d.tun_port,
	      "no tunnel options without the tunnel method");
}

TEST(cluster_svc_keys)
{
	struct xvs_conf_vsg_entry e[3] = {0};
	struct xvs_conf_vsg g = {.name = "web", .entries = &e[0]};
	struct xvs_conf conf = {.vsg = &g};
	struct xvs_conf_vs vs = {.kind = XVS_CONF_VS_GROUP,
				 .af = XVS_AF_INET,
				 .protocol = IPPROTO_UDP,
				 .group = "web"};
	struct xvs_svc_key *k = NULL, want;
	char err[256];
	size_t n = 0;
	int rc;

	/* 198.18.0.100-102 53, fwmark 7, [2001:db8::1:fffe-ffff] 53 */
	e[0] = (struct xvs_conf_vsg_entry){.af = XVS_AF_INET,
					   .addr = v4("198.18.0.100"),
					   .range_end = 102,
					   .port = 53,
					   .next = &e[1]};
	e[1] = (struct xvs_conf_vsg_entry){
		.is_fwmark = 1, .fwmark = 7, .next = &e[2]};
	e[2].af = XVS_AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1:fffe", &e[2].addr);
	e[2].range_end = 0xffff;
	e[2].port = 53;
	rc = xvs_plan_svc_keys(&conf, &vs, &k, &n, err, sizeof(err));
	CHECK(!rc && n == 6, "a group of 3 + 1 + 2: rc %d, %zu keys: %s", rc, n,
	      err);
	if (!rc && n == 6) {
		CHECK(k[2].addr.v4 == v4("198.18.0.102").v4 &&
			      k[2].port == htons(53) &&
			      k[2].proto == IPPROTO_UDP,
		      "the range's last address");
		xvs_svc_key_fwmark(&want, XVS_AF_INET, 7);
		CHECK(!memcmp(&k[3], &want, sizeof(want)), "the fwmark entry");
		CHECK(k[5].af == XVS_AF_INET6 && k[5].addr.bytes[14] == 0xff &&
			      k[5].addr.bytes[15] == 0xff &&
			      k[5].addr.bytes[13] == 1,
		      "an IPv6 range runs over the last 16 bits");
	}
	free(k);
	e[0].range_end = 99;
	rc = xvs_plan_svc_keys(&conf, &vs, &k, &n, err, sizeof(err));
	CHECK(rc == -EINVAL, "a range that ends before it starts: %d", rc);
	vs.group = "nope";
	rc = xvs_plan_svc_keys(&conf, &vs, &k, &n, err, sizeof(err));
	CHECK(rc == -ENOENT && strstr(err, "'nope'"),
	      "an unknown group: %d '%s'", rc, err);
	vs.kind = XVS_CONF_VS_FWMARK;
	vs.fwmark = 9;
	vs.af = XVS_AF_INET6;
	rc = xvs_plan_svc_keys(&conf, &vs, &k, &n, err, sizeof(err));
	xvs_svc_key_fwmark(&want, XVS_AF_INET6, 9);
	CHECK(!rc && n == 1 && !memcmp(&k[0], &want, sizeof(want)),
	      "virtual_server fwmark 9 (IPv6)");
	free(k);
}
