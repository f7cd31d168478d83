/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's mark rules (core/mark.h, docs/fwmark.md): the ordered list
 * of --add-mark rules and its mirror in the data plane, published whole
 * into the unused slot of the mark_rules map and switched to with one
 * store, so a packet sees the old set or the new one. Functions return 0
 * or -errno with a message in err.
 */
#ifndef XVS_DAEMON_MARKS_H
#define XVS_DAEMON_MARKS_H

#include <stddef.h>
#include "mark.h"

struct xvs_dp;

struct xvs_marks {
	struct xvs_mark_rule r[XVS_MAX_MARK_RULES]; /* in match order */
	__u32 n;
	__u32 slot; /* the slot the data plane reads */
};

/* Appends r (checked as from a peer); the same destination twice is
 * refused. Cost: rewrites the n rules into the data plane. */
int xvs_marks_add(struct xvs_marks *m, struct xvs_dp *dp,
		  const struct xvs_mark_rule *r, char *err, size_t errlen);
/* Removes the rule of r's destination; r->mark, when not 0, must be its
 * mark too. */
int xvs_marks_del(struct xvs_marks *m, struct xvs_dp *dp,
		  const struct xvs_mark_rule *r, char *err, size_t errlen);
/* Removes every rule (-C). */
void xvs_marks_clear(struct xvs_marks *m, struct xvs_dp *dp);
/* The XVS_OP_MARK_LIST reply: the rules in order, malloc'd. */
int xvs_marks_list(const struct xvs_marks *m, void **body, __u32 *len,
		   char *err, size_t errlen);

#endif /* XVS_DAEMON_MARKS_H */
