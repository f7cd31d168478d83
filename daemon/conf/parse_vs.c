// SPDX-License-Identifier: GPL-2.0
/* virtual_server blocks: the service's header and its keywords. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "parse.h"
#include "scheduler.h"

static int sched_kw(struct conf_parser *p, const struct conf_stmt *s,
		    void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	const char *name = s->v[0].text;
	const struct xvs_sched_ops *ops = xvs_sched_find(name);

	UNUSED(arg);
	if (!ops) {
		conf_err(p, &s->v[0], "unknown scheduler '%s' (xvs has: %s)",
			 name, xvs_sched_built_names());
		return -1;
	}
	snprintf(f->vs->sched, sizeof(f->vs->sched), "%s", ops->name);
	return 0;
}

/* sh-port, sh-fallback, mh-port, mh-fallback: arg is the flag, plus
 * SCHED_MH for the mh ones. */
#define SCHED_MH (1 << 16)

static int hash_flag_kw(struct conf_parser *p, const struct conf_stmt *s,
			void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	__u32 *flags = arg & SCHED_MH ? &f->mh_flags : &f->sh_flags;
	struct xvs_conf_where *w = arg & SCHED_MH ? &f->mh_where : &f->sh_where;

	UNUSED(p);
	if (!*flags)
		*w = (struct xvs_conf_where){s->kw.file, s->kw.line};
	*flags |= (__u32)arg & ~(__u32)SCHED_MH;
	return 0;
}

static int sched_flag_kw(struct conf_parser *p, const struct conf_stmt *s,
			 void *frame, int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(p);
	UNUSED(s);
	f->vs->sched_flags |= (__u32)arg;
	return 0;
}

static int ops_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		  int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(arg);
	return conf_flag(p, s, 0, &f->vs->ops);
}

static int method_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(arg);
	return conf_method(p, s, &f->vs->method);
}

static int protocol_kw(struct conf_parser *p, const struct conf_stmt *s,
		       void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	const char *v = s->v[0].text;

	UNUSED(arg);
	if (!strcasecmp(v, "TCP")) {
		f->vs->protocol = IPPROTO_TCP;
	} else if (!strcasecmp(v, "UDP")) {
		f->vs->protocol = IPPROTO_UDP;
	} else if (!strcasecmp(v, "SCTP")) {
		conf_err(p, &s->v[0], "protocol SCTP is not supported by xvs");
		return -1;
	} else {
		conf_err(p, &s->v[0],
			 "bad value '%s' for 'protocol' (TCP or UDP)", v);
		return -1;
	}
	return 0;
}

#define PERSISTENCE_DEFAULT_S 360 /* keepalived's, as IPVS's -p alone */

static int pto_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		  int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(arg);
	if (!s->n) {
		f->vs->persistence_timeout = PERSISTENCE_DEFAULT_S;
		return 0;
	}
	return conf_uint32(p, s, 0, 1, 0xffffffffull,
			   &f->vs->persistence_timeout);
}

/* A netmask's ones are contiguous: its zeros, plus one, a power of 2. */
static int mask_is_contiguous(__u32 host_order)
{
	__u32 zeros = ~host_order;

	return host_order && !(zeros & (zeros + 1));
}

/* A dotted IPv4 netmask (its ones contiguous), or an IPv6 prefix length;
 * stored as xvs_svc_conf.netmask. */
static int granularity_kw(struct conf_parser *p, const struct conf_stmt *s,
			  void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	const char *v = s->v[0].text;
	unsigned prefix;

	UNUSED(arg);
	if (strchr(v, '.')) {
		struct in_addr m;

		if (inet_pton(AF_INET, v, &m) != 1 ||
		    !mask_is_contiguous(ntohl(m.s_addr))) {
			conf_err(p, &s->v[0],
				 "bad netmask '%s' for "
				 "'persistence_granularity'",
				 v);
			return -1;
		}
		f->vs->persistence_granularity = m.s_addr;
		f->gran_af = XVS_AF_INET;
	} else {
		if (conf_uint32(p, s, 0, 1, 128, &prefix))
			return -1;
		f->vs->persistence_granularity = prefix;
		f->gran_af = XVS_AF_INET6;
	}
	f->has_gran = 1;
	f->gran_where = (struct xvs_conf_where){s->kw.file, s->kw.line};
	return 0;
}

/* quorum, hysteresis: arg is the minimum. */
static int quorum_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	unsigned *field = arg ? &f->vs->quorum : &f->vs->hysteresis;

	return conf_uint32(p, s, 0, (unsigned)arg, 0xffffffffull, field);
}

enum vs_flag { VS_ALPHA, VS_OMEGA, VS_INHIBIT, VS_SORRY_INHIBIT };

static int vs_flag_kw(struct conf_parser *p, const struct conf_stmt *s,
		      void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	int *fields[] = {
		[VS_ALPHA] = &f->vs->alpha,
		[VS_OMEGA] = &f->vs->omega,
		[VS_INHIBIT] = &f->vs->inhibit_on_failure,
		[VS_SORRY_INHIBIT] = &f->vs->sorry_inhibit,
	};

	return conf_flag(p, s, 0, fields[arg]);
}

static int quorum_script_kw(struct conf_parser *p, const struct conf_stmt *s,
			    void *frame, int arg)
{
	struct conf_vs_frame *f = frame;

	return conf_set_string(arg ? &f->vs->quorum_up : &f->vs->quorum_down,
			       conf_command(p, s, 0));
}

static int sorry_kw(struct conf_parser *p, const struct conf_stmt *s,
		    void *frame, int arg)
{
	struct conf_vs_frame *f = frame;
	struct xvs_conf_vs *vs = f->vs;
	unsigned short port = 0;
	union xvs_addr a;
	__u8 af;

	UNUSED(arg);
	if (conf_addr(p, s, 0, &af, &a) ||
	    (s->n > 1 && conf_port(p, s, 1, &port)))
		return -1;
	vs->has_sorry = 1;
	vs->sorry_af = af;
	vs->sorry_addr = a;
	vs->sorry_port = port;
	return 0;
}

static int sorry_method_kw(struct conf_parser *p, const struct conf_stmt *s,
			   void *frame, int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(arg);
	if (conf_method(p, s, &f->vs->sorry_method))
		return -1;
	f->has_sorry_method = 1;
	return 0;
}

static int family_kw(struct conf_parser *p, const struct conf_stmt *s,
		     void *frame, int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(arg);
	if (!strcmp(s->v[0].text, "inet")) {
		f->family = XVS_AF_INET;
	} else if (!strcmp(s->v[0].text, "inet6")) {
		f->family = XVS_AF_INET6;
	} else {
		conf_err(p, &s->v[0],
			 "bad value '%s' for 'ip_family' (inet or inet6)",
			 s->v[0].text);
		return -1;
	}
	return 0;
}

static int vs_virtualhost_kw(struct conf_parser *p, const struct conf_stmt *s,
			     void *frame, int arg)
{
	struct conf_vs_frame *f = frame;

	UNUSED(arg);
	return conf_set_string(&f->virtualhost, conf_string(p, s, 0));
}

const struct conf_keyword conf_vs_keywords[] = {
	CONF_TIMER_KEYWORDS,
	{"lvs_sched", 1, 1, sched_kw, 0, 0},
	{"lb_algo", 1, 1, sched_kw, 0, 0},
	{"sh-fallback", 0, 0, hash_flag_kw, XVS_SCHED_FLAG_1, 0},
	{"sh-port", 0, 0, hash_flag_kw, XVS_SCHED_FLAG_2, 0},
	{"mh-fallback", 0, 0, hash_flag_kw, XVS_SCHED_FLAG_1 | SCHED_MH, 0},
	{"mh-port", 0, 0, hash_flag_kw, XVS_SCHED_FLAG_2 | SCHED_MH, 0},
	{"flag-1", 0, 0, sched_flag_kw, XVS_SCHED_FLAG_1, 0},
	{"flag-2", 0, 0, sched_flag_kw, XVS_SCHED_FLAG_2, 0},
	{"flag-3", 0, 0, sched_flag_kw, XVS_SCHED_FLAG_3, 0},
	{"ops", 0, 1, ops_kw, 0, 0},
	{"lvs_method", 1, CONF_KW_ANY, method_kw, 0, 0},
	{"lb_kind", 1, CONF_KW_ANY, method_kw, 0, 0},
	{"protocol", 1, 1, protocol_kw, 0, 0},
	{"persistence_timeout", 0, 1, pto_kw, 0, 0},
	{"persistence_granularity", 1, 1, granularity_kw, 0, 0},
	{"quorum", 1, 1, quorum_kw, 1, 0},
	{"hysteresis", 1, 1, quorum_kw, 0, 0},
	{"alpha", 0, 1, vs_flag_kw, VS_ALPHA, 0},
	{"omega", 0, 1, vs_flag_kw, VS_OMEGA, 0},
	{"inhibit_on_failure", 0, 1, vs_flag_kw, VS_INHIBIT, 0},
	{"sorry_server_inhibit", 0, 1, vs_flag_kw, VS_SORRY_INHIBIT, 0},
	{"quorum_up", 1, CONF_KW_ANY, quorum_script_kw, 1, 0},
	{"quorum_down", 1, CONF_KW_ANY, quorum_script_kw, 0, 0},
	{"sorry_server", 1, 2, sorry_kw, 0, 0},
	{"sorry_server_lvs_method", 1, CONF_KW_ANY, sorry_method_kw, 0, 0},
	{"ip_family", 1, 1, family_kw, 0, 0},
	{"virtualhost", 1, 1, vs_virtualhost_kw, 0, 0},
	{"real_server", 1, 2, conf_rs_kw, 0, CONF_KW_BLOCK | CONF_KW_REPEAT},
	CONF_UNSUPPORTED("persistence_engine"),
	CONF_UNSUPPORTED("ha_suspend"),
	CONF_UNSUPPORTED("hashed"),
	CONF_UNSUPPORTED("smtp_alert"),
	{NULL, 0, 0, NULL, 0, 0},
};

/* "IP PORT", "fwmark N" or "group NAME" into vs. */
static int vs_header(struct conf_parser *p, const struct conf_stmt *s,
		     struct xvs_conf_vs *vs)
{
	if (!strcmp(s->v[0].text, "fwmark")) {
		vs->kind = XVS_CONF_VS_FWMARK;
		return conf_uint32(p, s, 1, 1, 0xffffffffull, &vs->fwmark);
	}
	if (!strcmp(s->v[0].text, "group")) {
		vs->kind = XVS_CONF_VS_GROUP;
		vs->group = conf_string(p, s, 1);
		return vs->group ? 0 : -1;
	}
	vs->kind = XVS_CONF_VS_ADDR;
	if (conf_addr(p, s, 0, &vs->af, &vs->addr))
		return -1;
	return conf_port(p, s, 1, &vs->port);
}

int conf_vs_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
	       int arg)
{
	struct xvs_conf_vs head = {0}, *vs;
	struct conf_vs_frame f = {0};

	UNUSED(frame);
	UNUSED(arg);
	if (vs_header(p, s, &head) || !(vs = malloc(sizeof(*vs)))) {
		free(head.group);
		return -1;
	}
	*vs = head;
	*p->vs_tail = vs; /* in the model at once, for xvs_conf_free */
	p->vs_tail = &vs->next;
	vs->where = (struct xvs_conf_where){s->kw.file, s->kw.line};
	vs->protocol = IPPROTO_TCP;
	snprintf(vs->sched, sizeof(vs->sched), "wlc");
	vs->method.fwd = XVS_FWD_NAT;
	vs->quorum = 1;
	f.vs = vs;
	f.rs_tail = &vs->rs;
	conf_block(p, s, conf_vs_keywords, &f);
	conf_finish_vs(p, &f);
	for (size_t i = 0; i < f.n_rs; i++)
		free(f.rs_recs[i].virtualhost);
	free(f.rs_recs);
	free(f.ck_recs);
	free(f.virtualhost);
	return 0;
}
