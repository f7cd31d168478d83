// SPDX-License-Identifier: GPL-2.0
/* One command to one IPC request (two for listings); see run.h. */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "run.h"

/*
 * What the parser accepts because ipvsadm does, but xvs has not built:
 * say so plainly and send nothing, rather than fake a result. Returns 1
 * with the message in err, or 0.
 */
static int not_built(const struct xvs_cmd *cmd, char *err, size_t errlen)
{
	const char *what = NULL;

	if (cmd->op == XVS_CMD_START_DAEMON ||
	    cmd->op == XVS_CMD_STOP_DAEMON)
		what = "the connection sync daemon (--start-daemon, "
		       "--stop-daemon)";
	else if (cmd->opts & XVS_OPT_DAEMON)
		what = "listing the sync daemon (-L --daemon)";
	else if ((cmd->opts & XVS_OPT_SERVICE) &&
		 cmd->svc.key.proto == IPPROTO_SCTP)
		what = "SCTP services (--sctp-service)";
	else if (cmd->opts & XVS_OPT_PE)
		what = "persistence engines (--pe)";
	if (what) {
		snprintf(err, errlen, "%s: not built yet", what);
		return 1;
	}
	return 0;
}

/* The XVS_OP_INFO reply: version, table size, timeouts. */
static int get_info(struct client *c, struct xvs_info *info, char *err,
		    size_t errlen)
{
	void *body = NULL;
	__u32 len = 0;

	if (client_request(c, XVS_OP_INFO, NULL, 0, &body, &len, err, errlen))
		return -1;
	if (len < sizeof(*info)) {
		snprintf(err, errlen, "short INFO reply from xvsd (%u bytes)",
			 len);
		free(body);
		return -1;
	}
	memcpy(info, body, sizeof(*info));
	free(body);
	return 0;
}

/* The mark rules (MARK_LIST), printed for -L or -S (docs/fwmark.md). */
static int list_marks(struct client *c, const struct xvs_cmd *cmd, FILE *out,
		      char *err, size_t errlen)
{
	void *body = NULL;
	__u32 len = 0;

	if (client_request(c, XVS_OP_MARK_LIST, NULL, 0, &body, &len, err,
			   errlen))
		return -1;
	if (len % sizeof(struct xvs_mark_rule)) {
		snprintf(err, errlen, "malformed mark list from xvsd (%u bytes)",
			 len);
		free(body);
		return -1;
	}
	xvs_format_marks(out, body, len / sizeof(struct xvs_mark_rule),
			 cmd->fmt);
	free(body);
	return 0;
}

/* -L and -S: INFO for the title line, then LIST (of one service or all);
 * for all, the mark rules too: after the services for -L, before them
 * for -S. */
static int list(struct client *c, const struct xvs_cmd *cmd, FILE *out,
		char *err, size_t errlen)
{
	int one = !!(cmd->opts & XVS_OPT_SERVICE);
	int rule = !!(cmd->fmt & XVS_FMT_RULE);
	struct xvs_list list;
	struct xvs_info info;
	void *body = NULL;
	__u32 len = 0;
	int ret;

	if (get_info(c, &info, err, errlen))
		return XVSADM_FAIL;
	if (!one && rule && list_marks(c, cmd, out, err, errlen))
		return XVSADM_FAIL;
	ret = client_request(c, XVS_OP_LIST, one ? &cmd->svc : NULL,
			     one ? sizeof(cmd->svc) : 0, &body, &len, err,
			     errlen);
	if (!ret)
		ret = xvs_list_parse(body, len, &list, err, errlen);
	if (!ret) {
		/* ipvsadm prints no version line for a single service */
		xvs_format_list(out, one ? NULL : &info, &list, cmd->fmt);
		xvs_list_free(&list);
	}
	free(body);
	if (!ret && !one && !rule)
		ret = list_marks(c, cmd, out, err, errlen);
	return ret ? XVSADM_FAIL : XVSADM_OK;
}

/* -L -c and -L --timeout; with both, connections first, as ipvsadm. */
static int list_conns(struct client *c, const struct xvs_cmd *cmd, FILE *out,
		      char *err, size_t errlen)
{
	const struct xvs_conn_info *recs;
	const struct xvs_conn_list *hdr;
	struct xvs_info info;
	void *body = NULL;
	__u32 len = 0;
	int ret = 0;

	if (cmd->opts & XVS_OPT_CONNECTION) {
		ret = client_request(c, XVS_OP_CONN_LIST, NULL, 0, &body, &len,
				     err, errlen);
		if (!ret)
			ret = xvs_conn_list_parse(body, len, &hdr, &recs, err,
						  errlen);
		if (!ret) {
			xvs_format_conns(out, recs, hdr->n, cmd->fmt);
			if (hdr->flags & XVS_CONN_LIST_F_TRUNCATED)
				fprintf(stderr,
					"xvsadm: more connections than one "
					"reply holds: %u listed\n",
					hdr->n);
		}
		free(body);
	}
	if (!ret && (cmd->opts & XVS_OPT_TIMEOUT)) {
		ret = get_info(c, &info, err, errlen);
		if (!ret)
			xvs_format_timeout(out, &info);
	}
	return ret ? XVSADM_FAIL : XVSADM_OK;
}

/* The request of each command that changes the table. */
enum body {
	BODY_NONE,
	BODY_SVC,
	BODY_DEST,
	BODY_SVC_IF_GIVEN,
	BODY_TIMEOUTS,
	BODY_MARK,
};

static const struct {
	enum xvs_cmd_op cmd;
	__u16 op;
	enum body body;
} requests[] = {
	{XVS_CMD_ADD_SVC, XVS_OP_SVC_ADD, BODY_SVC},
	{XVS_CMD_EDIT_SVC, XVS_OP_SVC_EDIT, BODY_SVC},
	{XVS_CMD_DEL_SVC, XVS_OP_SVC_DEL, BODY_SVC},
	{XVS_CMD_CLEAR, XVS_OP_CLEAR, BODY_NONE},
	{XVS_CMD_ADD_DEST, XVS_OP_DEST_ADD, BODY_DEST},
	{XVS_CMD_EDIT_DEST, XVS_OP_DEST_EDIT, BODY_DEST},
	{XVS_CMD_DEL_DEST, XVS_OP_DEST_DEL, BODY_DEST},
	{XVS_CMD_ZERO, XVS_OP_ZERO, BODY_SVC_IF_GIVEN},
	{XVS_CMD_SET_TIMEOUT, XVS_OP_SET_TIMEOUT, BODY_TIMEOUTS},
	{XVS_CMD_ADD_MARK, XVS_OP_MARK_ADD, BODY_MARK},
	{XVS_CMD_DEL_MARK, XVS_OP_MARK_DEL, BODY_MARK},
};

int run_cmd(struct client *c, const struct xvs_cmd *cmd, FILE *out, char *err,
	    size_t errlen)
{
	const struct xvs_timeouts to = { cmd->set_tcp, cmd->set_tcpfin,
					 cmd->set_udp, 0 };
	const void *body = NULL;
	__u32 len = 0;

	if (not_built(cmd, err, errlen))
		return XVSADM_FAIL;
	if (cmd->op == XVS_CMD_LIST &&
	    (cmd->opts & (XVS_OPT_CONNECTION | XVS_OPT_TIMEOUT)))
		return list_conns(c, cmd, out, err, errlen);
	if (cmd->op == XVS_CMD_LIST || cmd->op == XVS_CMD_SAVE)
		return list(c, cmd, out, err, errlen);
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		enum body b = requests[i].body;

		if (requests[i].cmd != cmd->op)
			continue;
		if (b == BODY_SVC ||
		    (b == BODY_SVC_IF_GIVEN && (cmd->opts & XVS_OPT_SERVICE))) {
			body = &cmd->svc;
			len = sizeof(cmd->svc);
		} else if (b == BODY_DEST) {
			body = &cmd->dest;
			len = sizeof(cmd->dest);
		} else if (b == BODY_TIMEOUTS) {
			body = &to;
			len = sizeof(to);
		} else if (b == BODY_MARK) {
			body = &cmd->mark;
			len = sizeof(cmd->mark);
		}
		if (client_request(c, requests[i].op, body, len, NULL, NULL,
				   err, errlen))
			return XVSADM_FAIL;
		return XVSADM_OK;
	}
	snprintf(err, errlen, "'%s' cannot be run here", xvs_cmd_name(cmd->op));
	return XVSADM_FAIL;
}
