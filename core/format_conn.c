// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm 1.31's list_conn / print_conn (-L -c) and list_timeout
 * (-L --timeout), from the daemon's replies; see format.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include "addr.h"
#include "format.h"
#include "tcp_state.h"

int xvs_conn_list_parse(const void *body, size_t len,
			const struct xvs_conn_list **hdr,
			const struct xvs_conn_info **recs, char *err,
			size_t errlen)
{
	const struct xvs_conn_list *h = body;

	if (len < sizeof(*h) ||
	    (len - sizeof(*h)) / sizeof(**recs) != h->n ||
	    (len - sizeof(*h)) % sizeof(**recs)) {
		snprintf(err, errlen,
			 "malformed connection list from xvsd (%zu bytes)", len);
		return -EPROTO;
	}
	*hdr = h;
	*recs = (const struct xvs_conn_info *)(h + 1);
	return 0;
}

/* ip_vs_proto_name(); IP is a fwmark service's template. */
static const char *proto_name(__u8 proto)
{
	return proto == IPPROTO_TCP   ? "TCP"
	       : proto == IPPROTO_UDP ? "UDP"
	       : proto == IPPROTO_IP  ? "IP"
				      : "ERR!";
}

/* ip_vs_state_name(): a template's state is IP_VS_CTPL_S_NONE. */
static const char *state_name(const struct xvs_conn_info *c)
{
	if (c->flags & XVS_CONN_F_TEMPLATE)
		return "NONE";
	return xvs_conn_state_name(c->proto, c->state);
}

void xvs_format_conns(FILE *f, const struct xvs_conn_info *c, size_t n,
		      unsigned int fmt)
{
	int names = !(fmt & XVS_FMT_NUMERIC);

	fprintf(f, "IPVS connection entries\n");
	fprintf(f, "pro expire %-11s %-18s %-18s %s\n", "state", "source",
		"virtual", "destination");
	for (size_t i = 0; i < n; i++, c++) {
		char cname[XVS_ADDRPORT_LEN], vname[XVS_ADDRPORT_LEN],
			dname[XVS_ADDRPORT_LEN], expire[16];

		xvs_addr_format(cname, sizeof(cname), c->af, &c->caddr,
				c->cport, c->proto, names);
		xvs_addr_format(vname, sizeof(vname), c->af, &c->vaddr,
				c->vport, c->proto, names);
		xvs_addr_format(dname, sizeof(dname), c->daf, &c->daddr,
				c->dport, c->proto, names);
		snprintf(expire, sizeof(expire), "%02u:%02u", c->expires / 60,
			 c->expires % 60);
		fprintf(f, "%-3s %-6s %-11s %-18s %-18s %s\n",
			proto_name(c->proto), expire,
			state_name(c), cname, vname,
			dname);
	}
}

void xvs_format_timeout(FILE *f, const struct xvs_info *info)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %u %u %u\n", info->tcp_timeout,
		info->tcp_fin_timeout, info->udp_timeout);
}
