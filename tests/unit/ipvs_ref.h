/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reference model of IPVS's schedulers for the unit tests: a
 * line-by-line transliteration of net/netfilter/ipvs/ip_vs_<name>.c (with
 * the list bookkeeping of ip_vs_ctl.c), written from the kernel code and
 * not from core/sched_*.h, so that the tests compare two independent
 * implementations.
 *
 * The list is an array in list order, newest first. A dest is named by its
 * id where IPVS compares pointers; REF_HEAD stands for &svc->destinations.
 * Each dest carries its activeconns, inactconns and OVERLOAD flag, set by
 * the test (ref_set_load). The stateful schedulers' data (rr, wrr) are
 * kept up to date on every change; a test runs one scheduler.
 */
#ifndef XVS_TEST_IPVS_REF_H
#define XVS_TEST_IPVS_REF_H

#define REF_MAX 48
#define REF_HEAD (-1) /* &svc->destinations: before the first dest */
#define REF_NULL (-2) /* a NULL dest: nothing scheduled */

/* svc->destinations, rr's svc->sched_data and wrr's ip_vs_wrr_mark. */
struct ref_svc {
	int n;
	int id[REF_MAX]; /* the dest at each list position, ids >= 0 */
	int weight[REF_MAX];
	int active[REF_MAX];   /* activeconns */
	int inactive[REF_MAX]; /* inactconns */
	int overload[REF_MAX]; /* IP_VS_DEST_F_OVERLOAD */
	int rr_p;	/* rr: the last dest picked, or REF_HEAD */
	int cl;		/* wrr: current dest, or REF_HEAD */
	int cw, mw, di; /* wrr: current and maximum weight, decreasing step */
};

/* ip_vs_add_service with these dests already on the list: init_service. */
void ref_init(struct ref_svc *s, int n, const int *id, const int *weight);
/* ip_vs_add_dest: list_add_rcu at the head, then add_dest. */
void ref_add_dest(struct ref_svc *s, int dest, int weight);
/* ip_vs_edit_dest: the weight changes in place, then upd_dest. */
void ref_edit_dest(struct ref_svc *s, int dest, int weight);
/* ip_vs_del_dest: list_del_rcu, then del_dest. */
void ref_del_dest(struct ref_svc *s, int dest);

/* The load the schedulers read from dest (its list entry moves with it). */
void ref_set_load(struct ref_svc *s, int dest, int active, int inactive,
		  int overload);

/* The schedulers: the dest picked, or REF_NULL. */
int ref_rr_schedule(struct ref_svc *s);
int ref_wrr_schedule(struct ref_svc *s);
int ref_lc_schedule(const struct ref_svc *s);
int ref_wlc_schedule(const struct ref_svc *s);
int ref_sed_schedule(const struct ref_svc *s);
int ref_nq_schedule(const struct ref_svc *s);
int ref_fo_schedule(const struct ref_svc *s);
int ref_ovf_schedule(const struct ref_svc *s);
/* prandom_u32() gives r1 and then r2. */
int ref_twos_schedule(const struct ref_svc *s, unsigned int r1,
		      unsigned int r2);

/* Position of dest in the list, -1 if it is not there. */
int ref_index(const struct ref_svc *s, int dest);
int ref_weight(const struct ref_svc *s, int dest);

#endif
