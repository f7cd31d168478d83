// SPDX-License-Identifier: GPL-2.0
/* IPVS's rr and wrr, transliterated; see ipvs_ref.h. */
#include <stdbool.h>
#include <string.h>
#include "ipvs_ref.h"

int ref_index(const struct ref_svc *s, int dest)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == dest)
			return i;
	return -1;
}

/* n_list.next: the dest after dest, REF_HEAD after the last. */
static int ref_next(const struct ref_svc *s, int dest)
{
	int i = dest == REF_HEAD ? 0 : ref_index(s, dest) + 1;

	return i < s->n ? s->id[i] : REF_HEAD;
}

/* n_list.prev: the dest before dest, REF_HEAD before the first. */
static int ref_prev(const struct ref_svc *s, int dest)
{
	int i = dest == REF_HEAD ? s->n - 1 : ref_index(s, dest) - 1;

	return i >= 0 ? s->id[i] : REF_HEAD;
}

int ref_weight(const struct ref_svc *s, int dest)
{
	return s->weight[ref_index(s, dest)];
}

static int ref_gcd(int a, int b)
{
	while (b) {
		int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* ip_vs_wrr_gcd_weight */
static int ref_wrr_gcd_weight(const struct ref_svc *s)
{
	int g = 0;

	for (int i = 0; i < s->n; i++)
		if (s->weight[i] > 0)
			g = g > 0 ? ref_gcd(s->weight[i], g) : s->weight[i];
	return g ? g : 1;
}

/* ip_vs_wrr_max_weight */
static int ref_wrr_max_weight(const struct ref_svc *s)
{
	int weight = 0;

	for (int i = 0; i < s->n; i++)
		if (s->weight[i] > weight)
			weight = s->weight[i];
	return weight;
}

/* ip_vs_wrr_init_svc */
static void ref_wrr_init_svc(struct ref_svc *s)
{
	s->cl = REF_HEAD;
	s->di = ref_wrr_gcd_weight(s);
	s->mw = ref_wrr_max_weight(s) - (s->di - 1);
	s->cw = s->mw;
}

/* ip_vs_wrr_dest_changed: wrr's add_dest, del_dest and upd_dest */
static void ref_wrr_dest_changed(struct ref_svc *s)
{
	s->cl = REF_HEAD;
	s->di = ref_wrr_gcd_weight(s);
	s->mw = ref_wrr_max_weight(s) - (s->di - 1);
	if (s->cw > s->mw || !s->cw)
		s->cw = s->mw;
	else if (s->di > 1)
		s->cw = (s->cw / s->di) * s->di + 1;
}

/* ip_vs_wrr_schedule */
int ref_wrr_schedule(struct ref_svc *s)
{
	int dest, last, stop = REF_NULL;
	bool last_pass = false, restarted = false;

	dest = s->cl;
	/* No available dests? */
	if (s->mw == 0)
		goto err_noavail;
	last = dest;
	/* Stop only after all dests were checked for weight >= 1 (last pass) */
	while (1) {
		for (dest = ref_next(s, dest); dest != REF_HEAD;
		     dest = ref_next(s, dest)) {
			if (ref_weight(s, dest) >= s->cw)
				goto found;
			if (dest == stop)
				goto err_over;
		}
		s->cw -= s->di;
		if (s->cw <= 0) {
			s->cw = s->mw;
			if (last_pass || last == REF_HEAD)
				goto err_over;
			restarted = true;
		}
		last_pass = s->cw <= s->di;
		if (last_pass && restarted && last != REF_HEAD)
			stop = last;
	}
found:
	s->cl = dest;
	return dest;
err_noavail:
	s->cl = dest;
	return REF_NULL;
err_over:
	s->cl = dest;
	return REF_NULL;
}

/* ip_vs_rr_init_svc */
static void ref_rr_init_svc(struct ref_svc *s)
{
	s->rr_p = REF_HEAD;
}

/* ip_vs_rr_del_dest: dest is already unlinked, but its n_list.next
 * (dest_next) is still valid, and dest_next's prev is dest's predecessor. */
static void ref_rr_del_dest(struct ref_svc *s, int dest, int dest_next)
{
	if (s->rr_p == dest)
		s->rr_p = ref_prev(s, dest_next);
}

/* ip_vs_rr_schedule */
int ref_rr_schedule(struct ref_svc *s)
{
	int p = s->rr_p, dest, last;
	int pass = 0;

	last = dest = p;
	do {
		for (dest = ref_next(s, dest); dest != REF_HEAD;
		     dest = ref_next(s, dest)) {
			if (ref_weight(s, dest) > 0)
				goto out; /* HIT */
			if (dest == last)
				goto stop;
		}
		pass++;
		/* If we stay at head there is no need for 2nd pass. */
	} while (pass < 2 && p != REF_HEAD);
stop:
	return REF_NULL;
out:
	s->rr_p = dest;
	return dest;
}

void ref_init(struct ref_svc *s, int n, const int *id, const int *w)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	memcpy(s->id, id, n * sizeof(*id));
	memcpy(s->weight, w, n * sizeof(*w));
	ref_rr_init_svc(s);
	ref_wrr_init_svc(s);
}

/* __ip_vs_update_dest, add: list_add_rcu puts the dest at the head. */
void ref_add_dest(struct ref_svc *s, int dest, int weight)
{
	memmove(&s->id[1], &s->id[0], s->n * sizeof(s->id[0]));
	memmove(&s->weight[1], &s->weight[0], s->n * sizeof(s->weight[0]));
	s->id[0] = dest;
	s->weight[0] = weight;
	s->n++;
	ref_wrr_dest_changed(s); /* rr has no add_dest */
}

/* __ip_vs_update_dest, edit: the dest stays where it is. */
void ref_edit_dest(struct ref_svc *s, int dest, int weight)
{
	s->weight[ref_index(s, dest)] = weight;
	ref_wrr_dest_changed(s); /* rr has no upd_dest */
}

/* __ip_vs_unlink_dest: list_del_rcu, then the scheduler's del_dest. */
void ref_del_dest(struct ref_svc *s, int dest)
{
	int i = ref_index(s, dest), next = ref_next(s, dest);

	memmove(&s->id[i], &s->id[i + 1], (s->n - i - 1) * sizeof(s->id[0]));
	memmove(&s->weight[i], &s->weight[i + 1],
		(s->n - i - 1) * sizeof(s->weight[0]));
	s->n--;
	ref_rr_del_dest(s, dest, next);
	ref_wrr_dest_changed(s);
}
