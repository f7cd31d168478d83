// SPDX-License-Identifier: GPL-2.0
/* IPVS's schedulers, transliterated; see ipvs_ref.h. */
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

static int ref_overloaded(const struct ref_svc *s, int dest)
{
	return s->overload[ref_index(s, dest)];
}

void ref_set_load(struct ref_svc *s, int dest, int active, int inactive,
		  int overload)
{
	int i = ref_index(s, dest);

	s->active[i] = active;
	s->inactive[i] = inactive;
	s->overload[i] = overload;
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
			if (!ref_overloaded(s, dest) &&
			    ref_weight(s, dest) >= s->cw)
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
			if (!ref_overloaded(s, dest) &&
			    ref_weight(s, dest) > 0)
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

/* Moves the entries [from, n) of every per-dest array by delta (+1 or -1). */
static void ref_shift(struct ref_svc *s, int from, int delta)
{
	int *cols[] = {s->id, s->weight, s->active, s->inactive, s->overload};
	int n = s->n - from;

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		memmove(&cols[c][from + delta], &cols[c][from],
			n * sizeof(int));
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
	ref_shift(s, 0, 1);
	s->id[0] = dest;
	s->weight[0] = weight;
	s->active[0] = s->inactive[0] = s->overload[0] = 0;
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

	ref_shift(s, i + 1, -1);
	s->n--;
	ref_rr_del_dest(s, dest, next);
	ref_wrr_dest_changed(s);
}

/*
 * The connection-based schedulers. IPVS walks svc->destinations; here
 * that is i = 0 .. n-1. The kernel is built with -fno-strict-overflow, so
 * its int arithmetic wraps; the wrap is written out where a product of
 * the test's values could reach it.
 */

/* ip_vs_dest_conn_overhead */
static int ref_conn_overhead(const struct ref_svc *s, int i)
{
	return (int)(((unsigned int)s->active[i] << 8) +
		     (unsigned int)s->inactive[i]);
}

/* ip_vs_lc_schedule */
int ref_lc_schedule(const struct ref_svc *s)
{
	int least = REF_NULL;
	unsigned int loh = 0, doh;

	for (int i = 0; i < s->n; i++) {
		if (s->overload[i] || s->weight[i] == 0)
			continue;
		doh = (unsigned int)ref_conn_overhead(s, i);
		if (least == REF_NULL || doh < loh) {
			least = i;
			loh = doh;
		}
	}
	return least == REF_NULL ? REF_NULL : s->id[least];
}

/*
 * ip_vs_wlc_schedule, and ip_vs_sed_schedule with its own overhead: the
 * two files differ in nothing else.
 */
static int ref_weighted_least(const struct ref_svc *s,
			      int (*overhead)(const struct ref_svc *s, int i))
{
	int i, least, loh, doh;

	for (i = 0; i < s->n; i++) {
		if (!s->overload[i] && s->weight[i] > 0) {
			least = i;
			loh = overhead(s, least);
			goto nextstage;
		}
	}
	return REF_NULL;
nextstage:
	for (i++; i < s->n; i++) {
		if (s->overload[i])
			continue;
		doh = overhead(s, i);
		if ((long long)loh * s->weight[i] >
		    (long long)doh * s->weight[least]) {
			least = i;
			loh = doh;
		}
	}
	return s->id[least];
}

int ref_wlc_schedule(const struct ref_svc *s)
{
	return ref_weighted_least(s, ref_conn_overhead);
}

/* ip_vs_sed_dest_overhead, ip_vs_nq_dest_overhead */
static int ref_sed_overhead(const struct ref_svc *s, int i)
{
	return s->active[i] + 1;
}

int ref_sed_schedule(const struct ref_svc *s)
{
	return ref_weighted_least(s, ref_sed_overhead);
}

/* ip_vs_nq_schedule */
int ref_nq_schedule(const struct ref_svc *s)
{
	int least = REF_NULL, loh = 0, doh;

	for (int i = 0; i < s->n; i++) {
		if (s->overload[i] || !s->weight[i])
			continue;
		doh = ref_sed_overhead(s, i);
		/* return the server directly if it is idle */
		if (s->active[i] == 0)
			return s->id[i];
		if (least == REF_NULL ||
		    ((long long)loh * s->weight[i] >
		     (long long)doh * s->weight[least])) {
			least = i;
			loh = doh;
		}
	}
	return least == REF_NULL ? REF_NULL : s->id[least];
}

/* ip_vs_fo_schedule */
int ref_fo_schedule(const struct ref_svc *s)
{
	int hweight = REF_NULL, hw = 0;

	for (int i = 0; i < s->n; i++) {
		if (!s->overload[i] && s->weight[i] > hw) {
			hweight = s->id[i];
			hw = s->weight[i];
		}
	}
	return hweight;
}

/* ip_vs_ovf_schedule */
int ref_ovf_schedule(const struct ref_svc *s)
{
	int h = REF_NULL, hw = 0, w;

	for (int i = 0; i < s->n; i++) {
		w = s->weight[i];
		if (s->overload[i] || s->active[i] > w || w == 0)
			continue;
		if (h == REF_NULL || w > hw) {
			h = s->id[i];
			hw = w;
		}
	}
	return h;
}

/* ip_vs_twos_schedule */
int ref_twos_schedule(const struct ref_svc *s, unsigned int r1,
		      unsigned int r2)
{
	int choice1 = REF_NULL, choice2 = REF_NULL;
	int rweight1, rweight2, weight1 = -1, weight2 = -1, overhead1 = 0;
	int overhead2 = 0, total_weight = 0, weight;

	for (int i = 0; i < s->n; i++) {
		if (!s->overload[i]) {
			weight = s->weight[i];
			if (weight > 0) {
				total_weight += weight;
				choice1 = s->id[i];
			}
		}
	}
	if (choice1 == REF_NULL)
		return REF_NULL;
	total_weight += 1;
	rweight1 = (int)(r1 % (unsigned int)total_weight);
	rweight2 = (int)(r2 % (unsigned int)total_weight);
	for (int i = 0; i < s->n; i++) {
		if (s->overload[i])
			continue;
		weight = s->weight[i];
		if (weight <= 0)
			continue;
		rweight1 -= weight;
		rweight2 -= weight;
		if (rweight1 <= 0 && weight1 == -1) {
			choice1 = s->id[i];
			weight1 = weight;
			overhead1 = ref_conn_overhead(s, i);
		}
		if (rweight2 <= 0 && weight2 == -1) {
			choice2 = s->id[i];
			weight2 = weight;
			overhead2 = ref_conn_overhead(s, i);
		}
		if (weight1 != -1 && weight2 != -1)
			break;
	}
	if (choice2 != REF_NULL &&
	    (int)((unsigned int)weight2 * (unsigned int)overhead1) >
		    (int)((unsigned int)weight1 * (unsigned int)overhead2))
		choice1 = choice2;
	return choice1;
}
