// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm 1.31's listings (print_title, print_service_entry,
 * print_largenum), column for column, from an XVS_OP_LIST reply; see
 * format.h. The widths and the truncations below are ipvsadm's, so that
 * scripts that parse `ipvsadm -Ln` parse `xvsadm -Ln` the same way.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "addr.h"
#include "cmd.h"
#include "format.h"

/* The reply is walked in place: every record keeps 8-byte alignment. */
_Static_assert(sizeof(struct xvs_svc_info) % 8 == 0, "svc_info alignment");
_Static_assert(sizeof(struct xvs_dest_info) % 8 == 0, "dest_info alignment");

int xvs_list_parse(const void *body, size_t len, struct xvs_list *list,
		   char *err, size_t errlen)
{
	const char *p = body, *end = p + len;
	size_t cap = 0;

	memset(list, 0, sizeof(*list));
	while (p < end) {
		const struct xvs_svc_info *svc = (const void *)p;
		struct xvs_list_svc *ls;
		size_t left = end - p - sizeof(*svc);

		if ((size_t)(end - p) < sizeof(*svc) ||
		    left / sizeof(struct xvs_dest_info) < svc->n_dests) {
			snprintf(
				err, errlen,
				"truncated LIST reply (service %zu at byte %zu "
				"of %zu)",
				list->n, (size_t)(p - (const char *)body), len);
			xvs_list_free(list);
			return -EPROTO;
		}
		if (list->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			void *n = realloc(list->svcs, ncap * sizeof(*ls));

			if (!n)
				goto nomem;
			list->svcs = n;
			cap = ncap;
		}
		ls = &list->svcs[list->n];
		ls->svc = svc;
		ls->dests = calloc(svc->n_dests ? svc->n_dests : 1,
				   sizeof(*ls->dests));
		if (!ls->dests)
			goto nomem;
		list->n++;
		p += sizeof(*svc);
		for (__u32 i = 0; i < svc->n_dests; i++) {
			ls->dests[i] = (const void *)p;
			p += sizeof(struct xvs_dest_info);
		}
	}
	return 0;

nomem:
	xvs_list_free(list);
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

void xvs_list_free(struct xvs_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->svcs[i].dests);
	free(list->svcs);
	memset(list, 0, sizeof(*list));
}

static int svc_cmp(const void *a, const void *b)
{
	const struct xvs_svc_key *k1 =
		&((const struct xvs_list_svc *)a)->svc->conf.key;
	const struct xvs_svc_key *k2 =
		&((const struct xvs_list_svc *)b)->svc->conf.key;

	__u32 m1 = xvs_svc_key_mark(k1), m2 = xvs_svc_key_mark(k2);

	/* libipvs: fwmark (address services, mark 0, first), family,
	 * protocol, address, port */
	if (m1 != m2)
		return m1 < m2 ? -1 : 1;
	if (k1->af != k2->af)
		return k1->af < k2->af ? -1 : 1;
	if (k1->proto != k2->proto)
		return k1->proto < k2->proto ? -1 : 1;
	return xvs_addr_cmp(k1->af, &k1->addr, k1->port, k2->af, &k2->addr,
			    k2->port);
}

static int dest_cmp(const void *a, const void *b)
{
	const struct xvs_dest_conf *d1 =
		&(*(const struct xvs_dest_info *const *)a)->conf;
	const struct xvs_dest_conf *d2 =
		&(*(const struct xvs_dest_info *const *)b)->conf;

	return xvs_addr_cmp(d1->af, &d1->addr, d1->port, d2->af, &d2->addr,
			    d2->port);
}

void xvs_list_sort(struct xvs_list *list)
{
	if (list->n)
		qsort(list->svcs, list->n, sizeof(list->svcs[0]), svc_cmp);
	for (size_t i = 0; i < list->n; i++)
		if (list->svcs[i].svc->n_dests)
			qsort(list->svcs[i].dests, list->svcs[i].svc->n_dests,
			      sizeof(list->svcs[i].dests[0]), dest_cmp);
}

void xvs_format_largenum(FILE *f, unsigned long long n, unsigned int fmt)
{
	if (fmt & XVS_FMT_EXACT) {
		int len = snprintf(NULL, 0, "%llu", n);

		fprintf(f, "%*llu", len <= 8 ? 9 : len + 1, n);
	} else if (n < 100000000ULL) {
		fprintf(f, "%9llu", n);
	} else if (n < 1000000000ULL) {
		fprintf(f, "%8lluK", n / 1000ULL);
	} else if (n < 100000000000ULL) {
		fprintf(f, "%8lluM", n / 1000000ULL);
	} else if (n < 100000000000000ULL) {
		fprintf(f, "%8lluG", n / 1000000000ULL);
	} else {
		fprintf(f, "%8lluT", n / 1000000000000ULL);
	}
}

/* The five counters of --stats, each through print_largenum. */
static void print_stats(FILE *f, const struct xvs_stats *s, unsigned int fmt)
{
	xvs_format_largenum(f, s->conns, fmt);
	xvs_format_largenum(f, s->inpkts, fmt);
	xvs_format_largenum(f, s->outpkts, fmt);
	xvs_format_largenum(f, s->inbytes, fmt);
	xvs_format_largenum(f, s->outbytes, fmt);
}

static void print_title(FILE *f, unsigned int fmt)
{
	static const char *const titles[][5] = {
		{"Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"},
		{"CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"},
	};
	const char *const *t = titles[fmt & XVS_FMT_STATS ? 0 : 1];

	if (fmt & (XVS_FMT_STATS | XVS_FMT_RATE))
		fprintf(f,
			"%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", t[0], t[1], t[2], t[3], t[4]);
	else if (fmt & XVS_FMT_THRESHOLDS)
		fprintf(f,
			"%-33s %-10s %-10s %-10s %-10s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "Uthreshold", "Lthreshold",
			"ActiveConn", "InActConn");
	else if (fmt & XVS_FMT_PERSISTENTCONN)
		fprintf(f,
			"%-33s %-9s %-11s %-10s %-10s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "Weight", "PersistConn",
			"ActiveConn", "InActConn");
	else if (fmt & XVS_FMT_TUN_INFO)
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			   "  -> RemoteAddress:Port           Forward "
			   "TunnelInfo    Weight ActiveConn InActConn\n");
	else if (!(fmt & XVS_FMT_RULE))
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			   "  -> RemoteAddress:Port           Forward "
			   "Weight ActiveConn InActConn\n");
}

/* "-t 198.18.0.100:80" for -S, "TCP  198.18.0.100:80" for -L (IPv4 cut
 * at 33 characters, as ipvsadm does). */
static void svc_name(char *buf, size_t len, const struct xvs_svc_key *k,
		     unsigned int fmt)
{
	char ap[XVS_ADDRPORT_LEN];
	int rule = fmt & XVS_FMT_RULE;
	int v6 = k->af == XVS_AF_INET6;
	const char *proto = k->proto == IPPROTO_TCP   ? (rule ? "-t" : "TCP")
			    : k->proto == IPPROTO_UDP ? (rule ? "-u" : "UDP")
			    : rule		      ? "--sctp-service"
						      : "SCTP";

	if (!k->proto) { /* a fwmark service */
		snprintf(buf, len, rule ? "-f %u%s" : "FWM  %u%s",
			 xvs_svc_key_mark(k),
			 v6 ? (rule ? " -6" : " IPv6") : "");
		return;
	}
	xvs_addr_format(ap, sizeof(ap), k->af, &k->addr, k->port, k->proto,
			!(fmt & XVS_FMT_NUMERIC));
	snprintf(buf, len, rule ? "%s %s" : "%s  %s", proto, ap);
	if (!rule && k->af != XVS_AF_INET6 && len > 33)
		buf[33] = '\0';
}

/* " persistent 360 mask 255.255.255.0" (-L) or " -p 360 -M ..." (-S). */
static void print_persistence(FILE *f, const struct xvs_svc_conf *c,
			      unsigned int fmt)
{
	int rule = fmt & XVS_FMT_RULE;
	struct in_addr mask = {.s_addr = c->netmask};
	char buf[INET_ADDRSTRLEN];

	if (!(c->flags & XVS_SVC_F_PERSISTENT))
		return;
	fprintf(f, rule ? " -p %u" : " persistent %u", c->timeout);
	if (c->key.af == XVS_AF_INET6 && c->netmask != 128)
		fprintf(f, rule ? " -M %i" : " mask %i", (int)c->netmask);
	else if (c->key.af != XVS_AF_INET6 && c->netmask != 0xffffffffu)
		fprintf(f, rule ? " -M %s" : " mask %s",
			inet_ntop(AF_INET, &mask, buf, sizeof(buf)));
}

/*
 * The -b flags as ipvsadm's print_sched_flags names them: sh-* for sh,
 * mh-* for mh, flag-N otherwise; between before and after, if any.
 */
static void print_sched_flags(FILE *f, const struct xvs_svc_conf *c,
			      const char *before, const char *after)
{
	static const char *const names[3][3] = {
		{ "flag-1", "flag-2", "flag-3" },
		{ "sh-fallback", "sh-port", "flag-3" },
		{ "mh-fallback", "mh-port", "flag-3" },
	};
	int row = !strncmp(c->sched, "sh", sizeof(c->sched))   ? 1
		  : !strncmp(c->sched, "mh", sizeof(c->sched)) ? 2
							       : 0;
	const char *sep = before;

	for (int i = 0; i < 3; i++) {
		if (!(c->sched_flags & (XVS_SCHED_FLAG_1 << i)))
			continue;
		fprintf(f, "%s%s", sep, names[row][i]);
		sep = ",";
	}
	if (sep != before)
		fprintf(f, "%s", after);
}

static void print_service(FILE *f, const struct xvs_svc_info *si,
			  const char *name, unsigned int fmt)
{
	const struct xvs_rates *r = &si->rates;

	/* %.*s below: a scheduler name may fill all 16 bytes, NUL-less */
	if (fmt & XVS_FMT_RULE) {
		fprintf(f, "-A %s -s %.*s", name, XVS_SCHED_NAME_LEN,
			si->conf.sched);
		print_persistence(f, &si->conf, fmt);
		if (si->conf.flags & XVS_SVC_F_ONEPACKET)
			fprintf(f, " -o");
		print_sched_flags(f, &si->conf, " -b ", "");
	} else if (fmt & XVS_FMT_STATS) {
		fprintf(f, "%-33s", name);
		print_stats(f, &si->stats, fmt);
	} else if (fmt & XVS_FMT_RATE) {
		fprintf(f, "%-33s", name);
		xvs_format_largenum(f, r->cps, fmt);
		xvs_format_largenum(f, r->inpps, fmt);
		xvs_format_largenum(f, r->outpps, fmt);
		xvs_format_largenum(f, r->inbps, fmt);
		xvs_format_largenum(f, r->outbps, fmt);
	} else {
		fprintf(f, "%s %.*s", name, XVS_SCHED_NAME_LEN, si->conf.sched);
		print_sched_flags(f, &si->conf, " (", ")");
		print_persistence(f, &si->conf, fmt);
		if (si->conf.flags & XVS_SVC_F_ONEPACKET)
			fprintf(f, " ops");
	}
	fprintf(f, "\n");
}

static const char *fwd_name(__u8 fwd)
{
	return fwd == XVS_FWD_NAT   ? "Masq"
	       : fwd == XVS_FWD_TUN ? "Tunnel"
				    : "Route";
}

static const char *fwd_switch(__u8 fwd)
{
	return fwd == XVS_FWD_NAT ? "-m" : fwd == XVS_FWD_TUN ? "-i" : "-g";
}

/*
 * A tunnel real server as ipvsadm shows it: for -S (rule) its
 * print_tunnel_rule() options, " --tun-type gue --tun-port 6080
 * --tun-nocsum"; for --tun-info its fwd_tun_info(), "gue:6080:-c"; "n/a"
 * for other methods.
 */
static void tun_desc(char *buf, size_t len, const struct xvs_dest_conf *d,
		     int rule)
{
	static const char *const info[] = {"-c", "+c", "r+c"};
	static const char *const opts[] = {"--tun-nocsum", "--tun-csum",
					   "--tun-remcsum"};
	int fl = d->tun_flags & XVS_TUN_F_REMCSUM ? 2
		 : d->tun_flags & XVS_TUN_F_CSUM  ? 1
						  : 0;
	const char *type = xvs_tun_type_name(d->tun_type);
	unsigned int port = ntohs(d->tun_port);

	if (d->fwd != XVS_FWD_TUN)
		snprintf(buf, len, rule ? "" : "n/a");
	else if (d->tun_type == XVS_TUN_GUE)
		snprintf(buf, len, rule ? " --tun-type %s --tun-port %u %s"
					: "%s:%u:%s",
			 type, port, rule ? opts[fl] : info[fl]);
	else if (d->tun_type == XVS_TUN_GRE)
		snprintf(buf, len, rule ? " --tun-type %s %s" : "%s:%s", type,
			 rule ? opts[fl] : info[fl]);
	else
		snprintf(buf, len, rule ? " --tun-type %s" : "%s", type);
}

static void print_dest(FILE *f, const struct xvs_dest_info *di,
		       const struct xvs_svc_key *k, const char *svc,
		       unsigned int fmt)
{
	const struct xvs_dest_conf *d = &di->conf;
	char name[XVS_ADDRPORT_LEN], tun[64];

	xvs_addr_format(name, sizeof(name), d->af, &d->addr, d->port, k->proto,
			!(fmt & XVS_FMT_NUMERIC));
	if (!(fmt & XVS_FMT_RULE) && k->af != XVS_AF_INET6)
		name[28] = '\0';

	tun_desc(tun, sizeof(tun), d, fmt & XVS_FMT_RULE);
	if (fmt & XVS_FMT_RULE) {
		fprintf(f, "-a %s -r %s %s -w %d%s\n", svc, name,
			fwd_switch(d->fwd), d->weight, tun);
	} else if (fmt & XVS_FMT_STATS) {
		fprintf(f, "  -> %-28s", name);
		print_stats(f, &di->stats, fmt);
		fprintf(f, "\n");
	} else if (fmt & XVS_FMT_RATE) {
		fprintf(f, "  -> %-28s %8u %8u %8u", name, di->rates.cps,
			di->rates.inpps, di->rates.outpps);
		xvs_format_largenum(f, di->rates.inbps, fmt);
		xvs_format_largenum(f, di->rates.outbps, fmt);
		fprintf(f, "\n");
	} else if (fmt & XVS_FMT_THRESHOLDS) {
		fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", name,
			d->u_threshold, d->l_threshold, di->activeconns,
			di->inactconns);
	} else if (fmt & XVS_FMT_PERSISTENTCONN) {
		fprintf(f, "  -> %-28s %-9u %-11u %-10u %-10u\n", name,
			(unsigned int)d->weight, di->persistconns,
			di->activeconns, di->inactconns);
	} else if (fmt & XVS_FMT_TUN_INFO) {
		fprintf(f, "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n", name,
			fwd_name(d->fwd), tun, d->weight, di->activeconns,
			di->inactconns);
	} else {
		fprintf(f, "  -> %-28s %-7s %-6d %-10u %-10u\n", name,
			fwd_name(d->fwd), d->weight, di->activeconns,
			di->inactconns);
	}
}

void xvs_format_list(FILE *f, const struct xvs_info *info,
		     struct xvs_list *list, unsigned int fmt)
{
	if (info && !(fmt & XVS_FMT_RULE))
		fprintf(f, "IP Virtual Server version %u.%u.%u (size=%u)\n",
			(info->version_code >> 16) & 0xff,
			(info->version_code >> 8) & 0xff,
			info->version_code & 0xff, info->conn_tab_size);
	if (!(fmt & XVS_FMT_NOSORT))
		xvs_list_sort(list);
	print_title(f, fmt);
	for (size_t i = 0; i < list->n; i++) {
		const struct xvs_list_svc *ls = &list->svcs[i];
		const struct xvs_svc_key *k = &ls->svc->conf.key;
		char name[128];

		svc_name(name, sizeof(name), k, fmt);
		print_service(f, ls->svc, name, fmt);
		for (__u32 j = 0; j < ls->svc->n_dests; j++)
			print_dest(f, ls->dests[j], k, name, fmt);
	}
}
