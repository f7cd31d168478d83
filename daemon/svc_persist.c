// SPDX-License-Identifier: GPL-2.0
/* Persistence, -o, fwmark and port-zero services in the table; see
 * svc_persist.h. */
#include <errno.h>
#include <netinet/in.h>
#include "cmd.h"
#include "dataplane.h"
#include "errbuf.h"
#include "mark.h"
#include "persist.h"
#include "svc_persist.h"
#include "table.h"

int xvs_svc_persist_check(const struct xvs_svc_conf *c, char *err,
			  size_t errlen)
{
	const struct xvs_svc_key *k = &c->key;
	int fwmark = !k->proto;
	char buf[96];

	if (fwmark && (!k->addr.v4 || k->addr.v6[1] || k->addr.v6[2] ||
		       k->addr.v6[3] || k->port))
		return xvs_fail(err, errlen, -EINVAL,
				"malformed fwmark service (mark 0, or an "
				"address or port with it)");
	if (c->flags & ~(XVS_SVC_F_PERSISTENT | XVS_SVC_F_ONEPACKET))
		return xvs_fail(err, errlen, -EINVAL,
				"unknown service flags 0x%x", c->flags);
	if ((c->flags & XVS_SVC_F_PERSISTENT) &&
	    (!c->timeout || c->timeout > XVS_CMD_MAX_TIMEOUT))
		return xvs_fail(err, errlen, -EINVAL,
				"persistence timeout %u is out of range 1-%u",
				c->timeout, XVS_CMD_MAX_TIMEOUT);
	if (k->af == XVS_AF_INET6 && (c->netmask < 1 || c->netmask > 128))
		return xvs_fail(err, errlen, -EINVAL,
				"IPv6 netmask %u is out of range 1-128",
				c->netmask);
	if (!fwmark && !k->port && !(c->flags & XVS_SVC_F_PERSISTENT))
		return xvs_fail(err, errlen, -EINVAL,
				"Zero port specified for non-persistent "
				"service %s",
				xvs_table_svc_name(k, buf, sizeof(buf)));
	if ((c->flags & XVS_SVC_F_ONEPACKET) && !fwmark &&
	    k->proto != IPPROTO_UDP)
		return xvs_fail(err, errlen, -EINVAL,
				"One-Packet Scheduling is only for UDP virtual "
				"services");
	return 0;
}

void xvs_svc_persist_dp(const struct xvs_svc_conf *c, struct xvs_svc_dp *v)
{
	v->timeout_s = c->timeout;
	v->netmask = c->netmask;
	v->fwmark = xvs_svc_key_mark(&c->key);
	v->port = c->key.port;
}

int xvs_dest_port_check(const struct xvs_svc_conf *svc,
			const struct xvs_dest_conf *d, const char *name,
			char *err, size_t errlen)
{
	int fwmark = !svc->key.proto;

	if (d->fwd == XVS_FWD_NAT) {
		if (!d->port && !fwmark && svc->key.port)
			return xvs_fail(err, errlen, -EINVAL,
					"masquerading needs a real-server port "
					"(%s)",
					name);
		return 0;
	}
	if (!fwmark && d->port != svc->key.port)
		return xvs_fail(err, errlen, -EINVAL,
				"%s needs the service's port on the real "
				"server (%s)",
				d->fwd == XVS_FWD_TUN ? "tunnelling"
						      : "direct routing",
				name);
	return 0;
}

__be16 xvs_dest_dp_port(const struct xvs_svc_conf *svc,
			const struct xvs_dest_conf *d)
{
	if ((svc->flags & XVS_SVC_F_PERSISTENT) &&
	    (!svc->key.proto || !svc->key.port))
		return 0;
	return d->port;
}

void xvs_svc_persist_sync(struct xvs_table *t)
{
	struct xvs_dp_config *cfg = xvs_dp_config(t->dp);
	__u32 ftp = 0, zero = 0;

	for (__u32 i = 0; i < XVS_MAX_SERVICES; i++) {
		const struct xvs_svc_key *k;

		if (!t->svc[i])
			continue;
		k = &t->svc[i]->conf.key;
		ftp += k->proto == IPPROTO_TCP &&
		       k->port == htons(XVS_FTP_PORT);
		zero += k->proto && !k->port;
	}
	cfg->ftp_svcs = ftp;
	cfg->zero_port_svcs = zero;
}
