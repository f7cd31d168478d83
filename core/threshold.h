/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPVS's connection thresholds (-x upper, -y lower): when a real server
 * becomes OVERLOAD, which every scheduler then skips, and when it stops
 * being. The rules of ip_vs_bind_dest, ip_vs_unbind_dest and
 * __ip_vs_update_dest, shared by the data plane (which binds and releases
 * connections, bpf/conn.h) and the daemon (which edits servers). Counts
 * are the server's ActiveConn + InActConn; persistence templates do not
 * count, as in IPVS.
 */
#ifndef XVS_THRESHOLD_H
#define XVS_THRESHOLD_H

#include "xvs_model.h"

/* After a connection was bound (and counted): OVERLOAD is set when an
 * upper threshold is set and reached. */
XVS_INLINE int xvs_threshold_reached(__u32 u, __u32 active, __u32 inactive)
{
	return u && active + inactive >= u;
}

/* After a connection was released (and uncounted): OVERLOAD is cleared
 * below the lower threshold, or with only an upper one below 3/4 of it,
 * or at once with neither. */
XVS_INLINE int xvs_threshold_cleared(__u32 u, __u32 l, __u32 active,
				     __u32 inactive)
{
	__u32 total = active + inactive;

	if (l)
		return total < l;
	if (u)
		return total * 4 < u * 3;
	return 1;
}

/* Editing (or adding) a real server clears OVERLOAD when the new upper
 * threshold is 0 or larger than the old. */
XVS_INLINE int xvs_threshold_edit_clears(__u32 old_u, __u32 new_u)
{
	return !new_u || new_u > old_u;
}

#endif /* XVS_THRESHOLD_H */
