// SPDX-License-Identifier: GPL-2.0
/* The mark rules and their publication to the data plane; see marks.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "dataplane.h"
#include "errbuf.h"
#include "marks.h"

/* Writes the whole set into the unused slot, then makes it the live one.
 * On a write error the live set stays as it was. */
static int publish(struct xvs_marks *m, struct xvs_dp *dp)
{
	__u32 slot = !m->slot;
	int rc;

	for (__u32 i = 0; i < m->n; i++) {
		rc = xvs_dp_mark_rule_set(dp, slot * XVS_MAX_MARK_RULES + i,
					  &m->r[i]);
		if (rc)
			return rc;
	}
	__atomic_store_n(&xvs_dp_config(dp)->mark_rules,
			 xvs_mark_set_word(slot, m->n), __ATOMIC_RELEASE);
	m->slot = slot;
	return 0;
}

static const char *rule_name(const struct xvs_mark_rule *r, char *buf,
			     size_t len)
{
	char text[XVS_MARK_TEXT_LEN];

	snprintf(buf, len, "%s %s", r->proto == IPPROTO_UDP ? "UDP" : "TCP",
		 xvs_mark_rule_text(r, text, sizeof(text)));
	return buf;
}

static int find(const struct xvs_marks *m, const struct xvs_mark_rule *r)
{
	for (__u32 i = 0; i < m->n; i++)
		if (xvs_mark_rule_same(&m->r[i], r))
			return (int)i;
	return -1;
}

static int dp_error(int rc, char *err, size_t errlen)
{
	return xvs_fail(err, errlen, rc, "cannot program the data plane: %s",
			strerror(-rc));
}

int xvs_marks_add(struct xvs_marks *m, struct xvs_dp *dp,
		  const struct xvs_mark_rule *r, char *err, size_t errlen)
{
	char name[XVS_MARK_TEXT_LEN + 8];
	int rc = xvs_mark_rule_check(r, err, errlen);

	if (rc)
		return rc;
	if (find(m, r) >= 0)
		return xvs_fail(err, errlen, -EEXIST,
				"Mark rule %s already exists",
				rule_name(r, name, sizeof(name)));
	if (m->n == XVS_MAX_MARK_RULES)
		return xvs_fail(err, errlen, -ENOSPC,
				"too many mark rules (max %d)",
				XVS_MAX_MARK_RULES);
	m->r[m->n++] = *r;
	rc = publish(m, dp);
	if (rc)
		m->n--; /* the data plane still has the set without it */
	return rc ? dp_error(rc, err, errlen) : 0;
}

int xvs_marks_del(struct xvs_marks *m, struct xvs_dp *dp,
		  const struct xvs_mark_rule *r, char *err, size_t errlen)
{
	struct xvs_mark_rule gone, any = *r;
	char name[XVS_MARK_TEXT_LEN + 8];
	__u32 tail;
	int i, rc;

	if (!any.mark)
		any.mark = 1; /* "any mark" passes the check */
	rc = xvs_mark_rule_check(&any, err, errlen);
	if (rc)
		return rc;
	i = find(m, r);
	if (i < 0 || (r->mark && m->r[i].mark != r->mark))
		return xvs_fail(err, errlen, -ENOENT, "No such mark rule %s%s",
				rule_name(r, name, sizeof(name)),
				i < 0 ? "" : " with that mark");
	gone = m->r[i];
	tail = m->n - (__u32)i - 1;
	memmove(&m->r[i], &m->r[i + 1], tail * sizeof(*r));
	m->n--;
	rc = publish(m, dp);
	if (!rc)
		return 0;
	memmove(&m->r[i + 1], &m->r[i], tail * sizeof(*r)); /* undo */
	m->r[i] = gone;
	m->n++;
	return dp_error(rc, err, errlen);
}

void xvs_marks_clear(struct xvs_marks *m, struct xvs_dp *dp)
{
	m->n = 0;
	publish(m, dp); /* an empty set writes nothing that can fail */
}

int xvs_marks_list(const struct xvs_marks *m, void **body, __u32 *len,
		   char *err, size_t errlen)
{
	size_t size = m->n * sizeof(m->r[0]);

	*body = malloc(size ? size : 1);
	if (!*body)
		return xvs_fail(err, errlen, -ENOMEM, "out of memory");
	memcpy(*body, m->r, size);
	*len = (__u32)size;
	return 0;
}
