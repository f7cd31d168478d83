// SPDX-License-Identifier: GPL-2.0
/*
 * virtual_server_group blocks: one entry a line, "IP [PORT]",
 * "IP-END [PORT]" for a range of the last byte (IPv4, decimal) or of the
 * last 16-bit group (IPv6, hex) as keepalived writes it, or "fwmark N".
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"

/* The frame of a virtual_server_group block. */
struct vsg_frame {
	struct xvs_conf_vsg *vsg;
	struct xvs_conf_vsg_entry **tail;
	__u8 af; /* of its addresses so far, 0 before the first */
};

/* A new entry at the end of the group's list, already in the model. */
static struct xvs_conf_vsg_entry *
entry_add(struct conf_parser *p, const struct conf_stmt *s, struct vsg_frame *g)
{
	struct xvs_conf_vsg_entry *e = calloc(1, sizeof(*e));

	if (!e) {
		conf_err(p, &s->kw, "out of memory");
		return NULL;
	}
	*g->tail = e;
	g->tail = &e->next;
	e->where = (struct xvs_conf_where){s->kw.file, s->kw.line};
	return e;
}

static int vsg_fwmark_kw(struct conf_parser *p, const struct conf_stmt *s,
			 void *frame, int arg)
{
	struct xvs_conf_vsg_entry *e = entry_add(p, s, frame);

	UNUSED(arg);
	if (!e)
		return -1;
	e->is_fwmark = 1;
	return conf_uint32(p, s, 0, 1, 0xffffffffull, &e->fwmark);
}

/* The last byte (v4) or 16-bit group (v6) of a, the part a range runs. */
static unsigned range_start(__u8 af, const union xvs_addr *a)
{
	return af == XVS_AF_INET ? a->bytes[3]
				 : (unsigned)a->bytes[14] << 8 | a->bytes[15];
}

/* "END" of "IP-END": decimal up to 255 (v4), hex up to ffff (v6). */
static int range_end(const char *s, __u8 af, unsigned *end)
{
	const char *digits =
		af == XVS_AF_INET ? "0123456789" : "0123456789abcdefABCDEF";
	size_t n = strspn(s, digits);

	if (!n || s[n] || n > 5)
		return -1;
	*end = (unsigned)strtoul(s, NULL, af == XVS_AF_INET ? 10 : 16);
	return *end > (af == XVS_AF_INET ? 0xffu : 0xffffu) ? -1 : 0;
}

static int vsg_addr_kw(struct conf_parser *p, const struct conf_stmt *s,
		       void *frame, int arg)
{
	struct vsg_frame *g = frame;
	const char *text = s->kw.text, *dash = strchr(text, '-');
	size_t len = dash ? (size_t)(dash - text) : strlen(text);
	struct xvs_conf_vsg_entry x = {0}, *e;
	char addr[64];

	UNUSED(arg);
	if (len >= sizeof(addr))
		goto bad;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (conf_addr_text(addr, &x.af, &x.addr))
		goto bad;
	if (dash && (range_end(dash + 1, x.af, &x.range_end) ||
		     x.range_end <= range_start(x.af, &x.addr)))
		goto bad;
	if (s->n && conf_port(p, s, 0, &x.port))
		return -1;
	if (g->af && g->af != x.af) {
		conf_err(p, &s->kw,
			 "virtual_server_group '%s' mixes IPv4 and IPv6",
			 g->vsg->name);
		return -1;
	}
	e = entry_add(p, s, g);
	if (!e)
		return -1;
	g->af = x.af;
	x.where = e->where;
	*e = x;
	return 0;
bad:
	conf_err(p, &s->kw,
		 "bad address or range '%s' in virtual_server_group '%s'", text,
		 g->vsg->name);
	return -1;
}

const struct conf_keyword conf_vsg_keywords[] = {
	{"fwmark", 1, 1, vsg_fwmark_kw, 0, CONF_KW_REPEAT},
	/* any other keyword is an address */
	{NULL, 0, 1, vsg_addr_kw, 0, 0},
};

int conf_vsg_kw(struct conf_parser *p, const struct conf_stmt *s, void *frame,
		int arg)
{
	struct xvs_conf_vsg *vsg = calloc(1, sizeof(*vsg));
	struct vsg_frame g = {.vsg = vsg};

	UNUSED(frame);
	UNUSED(arg);
	if (!vsg || !(vsg->name = conf_string(p, s, 0))) {
		free(vsg);
		return -1;
	}
	*p->vsg_tail = vsg;
	p->vsg_tail = &vsg->next;
	vsg->where = (struct xvs_conf_where){s->kw.file, s->kw.line};
	g.tail = &vsg->entries;
	conf_block(p, s, conf_vsg_keywords, &g);
	if (!vsg->entries)
		conf_warn(p, &s->kw, "virtual_server_group '%s' is empty",
			  vsg->name);
	return 0;
}
