// SPDX-License-Identifier: GPL-2.0
/* Scheduler registry and the list/state bookkeeping shared by all. */
#include <string.h>
#include "scheduler.h"

static const struct xvs_sched_ops *const built[] = {
	&xvs_sched_rr,
	&xvs_sched_wrr,
	&xvs_sched_lc,
	&xvs_sched_wlc,
	&xvs_sched_sed,
	&xvs_sched_nq,
	&xvs_sched_fo,
	&xvs_sched_ovf,
	&xvs_sched_twos,
	&xvs_sched_sh,
	&xvs_sched_dh,
	&xvs_sched_mh,
	&xvs_sched_lblc,
	&xvs_sched_lblcr,
};

/* Every scheduler IPVS has, so that "not built yet" and "unknown" differ. */
static const char *const ipvs_names[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
	"sh", "sed", "nq", "fo", "ovf", "mh", "twos",
};

const struct xvs_sched_ops *xvs_sched_find(const char *name)
{
	for (size_t i = 0; i < sizeof(built) / sizeof(built[0]); i++)
		if (!strcmp(built[i]->name, name))
			return built[i];
	return NULL;
}

const struct xvs_sched_ops *xvs_sched_by_id(unsigned int id)
{
	for (size_t i = 0; i < sizeof(built) / sizeof(built[0]); i++)
		if (built[i]->id == id)
			return built[i];
	return NULL;
}

int xvs_sched_is_ipvs_name(const char *name)
{
	for (size_t i = 0; i < sizeof(ipvs_names) / sizeof(ipvs_names[0]); i++)
		if (!strcmp(ipvs_names[i], name))
			return 1;
	return 0;
}

const char *xvs_sched_built_names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0; i < sizeof(built) / sizeof(built[0]); i++) {
			if (i)
				strcat(names, " ");
			strcat(names, built[i]->name);
		}
	return names;
}

__u64 xvs_sched_state_init(void)
{
	return xvs_state_make(0, XVS_POS_HEAD, 0, 0);
}

__s32 xvs_sched_gcd(__s32 a, __s32 b)
{
	while (b) {
		__s32 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

void xvs_sched_list_finish(struct xvs_sched_list *l)
{
	__s32 g = 0, max = 0;

	for (__u32 i = 0; i < l->n; i++) {
		__s32 w = l->e[i].weight;
		if (w > 0)
			g = g ? xvs_sched_gcd(w, g) : w;
		if (w > max)
			max = w;
	}
	l->di = g ? g : 1;
	l->mw = max - (l->di - 1);
}

__u64 xvs_sched_relink_stateless(const struct xvs_sched_list *old,
				 const struct xvs_sched_list *new,
				 __u64 state)
{
	(void)old;
	(void)new;
	return xvs_state_with(state, 0, XVS_POS_HEAD);
}

__u64 xvs_sched_publish(const struct xvs_sched_ops *ops,
			const struct xvs_sched_list *old,
			const struct xvs_sched_list *new, __u64 state,
			__u32 new_slot)
{
	__u64 s = ops->relink(old, new, state);

	return xvs_state_make(xvs_state_cw(s), xvs_state_pos(s), new_slot,
			      xvs_state_gen(state) + 1);
}
