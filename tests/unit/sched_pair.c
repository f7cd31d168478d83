// SPDX-License-Identifier: GPL-2.0
/* xvs's schedulers and the IPVS model side by side; see sched_pair.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "sched_pair.h"

struct pair pr;
char seq_msg[2048];

/* rr and wrr keep a position (and wrr a weight) in the state word; the
 * others keep nothing. */
static bool pair_wrr(const struct pair *p)
{
	return p->ops->id == XVS_SCHED_WRR;
}

static bool pair_stateful(const struct pair *p)
{
	return p->ops->id == XVS_SCHED_RR || pair_wrr(p);
}

static void pair_fail(struct pair *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps the first disagreement only: later ones are its consequences. */
static void pair_fail(struct pair *p, const char *fmt, ...)
{
	va_list ap;

	if (p->fail[0])
		return;
	va_start(ap, fmt);
	vsnprintf(p->fail, sizeof(p->fail), fmt, ap);
	va_end(ap);
}

/* The model's position as an xvs list index. */
static __u32 pair_ref_pos(const struct pair *p)
{
	int dest = pair_wrr(p) ? p->ref.cl : p->ref.rr_p;

	return dest == REF_HEAD ? XVS_POS_HEAD
				: (__u32)ref_index(&p->ref, dest);
}

/* Positions (and for wrr cw, mw, di) must agree after every step; a
 * stateless scheduler's word stays as published. */
static void pair_compare(struct pair *p, const char *what)
{
	const struct xvs_sched_list *l = &p->l[xvs_state_slot(p->state)];
	__u32 pos = xvs_state_pos(p->state), rpos;

	if (!pair_stateful(p)) {
		if (pos != XVS_POS_HEAD || xvs_state_cw(p->state))
			pair_fail(p, "after %s: %s changed its state word",
				  what, p->ops->name);
		return;
	}
	rpos = pair_ref_pos(p);
	if (pos != rpos)
		pair_fail(p, "after %s: xvs pos %u, IPVS pos %u", what, pos,
			  rpos);
	if (!pair_wrr(p))
		return;
	if (xvs_state_cw(p->state) != p->ref.cw)
		pair_fail(p, "after %s: xvs cw %d, IPVS cw %d", what,
			  xvs_state_cw(p->state), p->ref.cw);
	if (l->mw != p->ref.mw || l->di != p->ref.di)
		pair_fail(p, "after %s: xvs mw %d di %d, IPVS mw %d di %d",
			  what, l->mw, l->di, p->ref.mw, p->ref.di);
}

/* Writes the model's list into the unused slot and publishes it, as the
 * daemon does once per change. Entries past n are poisoned so that a scan
 * running off the end shows. */
static void pair_publish(struct pair *p, const char *what)
{
	__u32 old = xvs_state_slot(p->state), new = !old;
	__u32 gen = xvs_state_gen(p->state);
	struct xvs_sched_list *l = &p->l[new];

	l->n = (__u32)p->ref.n;
	for (int i = 0; i < p->ref.n; i++) {
		if (p->ref.id[i] < 0 || p->ref.id[i] >= PAIR_LOAD_IDS)
			pair_fail(p, "dest id %d out of the test's range",
				  p->ref.id[i]);
		l->e[i].dest_id = (__u32)p->ref.id[i];
		l->e[i].weight = p->ref.weight[i];
	}
	for (__u32 i = l->n; i < l->n + 4; i++) {
		l->e[i].dest_id = 0xdead0000u + i;
		l->e[i].weight = XVS_WEIGHT_MAX;
	}
	xvs_sched_list_finish(l);
	p->state = xvs_sched_publish(p->ops, &p->l[old], l, p->state, new);
	if (xvs_state_slot(p->state) != new ||
	    xvs_state_gen(p->state) != ((gen + 1) & 0x7fffu))
		pair_fail(p, "after %s: slot %u gen %u, want slot %u gen %u",
			  what, xvs_state_slot(p->state),
			  xvs_state_gen(p->state), new, (gen + 1) & 0x7fffu);
	pair_compare(p, what);
}

void pair_init(struct pair *p, const struct xvs_sched_ops *ops, int n,
	       const int *id, const int *w)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	xvs_sched_list_finish(&p->l[0]);
	p->state = xvs_sched_state_init();
	xvs_sched_load_install(p->load, PAIR_LOAD_IDS);
	ref_init(&p->ref, n, id, w);
	pair_publish(p, "init");
}

void pair_init_abc(struct pair *p, const struct xvs_sched_ops *ops,
		   const char *ids, const int *w)
{
	int id[REF_MAX], n = (int)strlen(ids);

	for (int i = 0; i < n; i++)
		id[i] = ids[i];
	pair_init(p, ops, n, id, w);
}

void pair_add(struct pair *p, int dest, int weight)
{
	ref_add_dest(&p->ref, dest, weight);
	pair_publish(p, "add");
}

void pair_edit(struct pair *p, int dest, int weight)
{
	ref_edit_dest(&p->ref, dest, weight);
	pair_publish(p, "edit");
}

void pair_del(struct pair *p, int dest)
{
	ref_del_dest(&p->ref, dest);
	pair_publish(p, "delete");
}

void pair_load(struct pair *p, int dest, int active, int inactive, int overload)
{
	ref_set_load(&p->ref, dest, active, inactive, overload);
}

void pair_overload(struct pair *p, const char *ids, int on)
{
	for (; *ids; ids++) {
		int i = ref_index(&p->ref, *ids);

		if (i >= 0)
			pair_load(p, *ids, p->ref.active[i], p->ref.inactive[i],
				  on);
	}
}

/* The model's loads into the table xvs reads (the data plane's
 * dest_conns). */
static void pair_sync_load(struct pair *p)
{
	for (int i = 0; i < p->ref.n; i++) {
		int id = p->ref.id[i];

		if (id < 0 || id >= PAIR_LOAD_IDS)
			continue;
		p->load[id] = (struct xvs_sched_load){
			.activeconns = (__u32)p->ref.active[i],
			.inactconns = (__u32)p->ref.inactive[i],
			.flags =
				p->ref.overload[i] ? XVS_DEST_LOAD_OVERLOAD : 0,
		};
	}
}

/* The model's pick for the pair's scheduler. */
static int pair_ref_schedule(struct pair *p)
{
	switch (p->ops->id) {
	case XVS_SCHED_RR:
		return ref_rr_schedule(&p->ref);
	case XVS_SCHED_WRR:
		return ref_wrr_schedule(&p->ref);
	case XVS_SCHED_LC:
		return ref_lc_schedule(&p->ref);
	case XVS_SCHED_WLC:
		return ref_wlc_schedule(&p->ref);
	case XVS_SCHED_SED:
		return ref_sed_schedule(&p->ref);
	case XVS_SCHED_NQ:
		return ref_nq_schedule(&p->ref);
	case XVS_SCHED_FO:
		return ref_fo_schedule(&p->ref);
	case XVS_SCHED_OVF:
		return ref_ovf_schedule(&p->ref);
	case XVS_SCHED_TWOS:
		return ref_twos_schedule(&p->ref, p->rand[0], p->rand[1]);
	default: /* the hashing and locality schedulers have their own tests */
		break;
	}
	pair_fail(p, "no model of %s", p->ops->name);
	return REF_NULL;
}

int pair_pick(struct pair *p, int *ref_dest)
{
	const struct xvs_sched_list *l = &p->l[xvs_state_slot(p->state)];
	struct xvs_sched_in in = {.rand = {p->rand[0], p->rand[1]}};
	__s32 k;
	int x, r;

	pair_sync_load(p);
	k = p->ops->pick(l, &p->state, &in);
	x = k == -1			? REF_NULL
	    : k >= 0 && (__u32)k < l->n ? (int)l->e[k].dest_id
					: ID_BAD;
	r = pair_ref_schedule(p);
	*ref_dest = r;
	if (x != r)
		pair_fail(p, "xvs picked %d (index %d), IPVS %d", x, k, r);
	pair_compare(p, "pick");
	return x;
}

bool seq_ok(struct pair *p, const char *want)
{
	char xs[128], rs[128];
	size_t n = strlen(want);
	int r;

	if (n >= sizeof(xs))
		n = sizeof(xs) - 1;

	for (size_t i = 0; i < n; i++) {
		int x = pair_pick(p, &r);

		xs[i] = x >= 0 ? (char)x : '-';
		rs[i] = r >= 0 ? (char)r : '-';
	}
	xs[n] = rs[n] = 0;
	snprintf(seq_msg, sizeof(seq_msg), "want %s, xvs %s, IPVS model %s%s%s",
		 want, xs, rs, p->fail[0] ? "; " : "", p->fail);
	return !strcmp(xs, want) && !strcmp(rs, want) && !p->fail[0];
}

bool count_ok(struct pair *p, int npicks, const int *want)
{
	int xc[REF_MAX] = {0}, rc[REF_MAX] = {0}, r, n = p->ref.n;
	bool ok = !p->fail[0];

	for (int i = 0; i < npicks; i++) {
		int x = pair_pick(p, &r), xi = ref_index(&p->ref, x);
		int ri = ref_index(&p->ref, r);

		if (xi >= 0)
			xc[xi]++;
		if (ri >= 0)
			rc[ri]++;
	}
	seq_msg[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(seq_msg);

		snprintf(seq_msg + len, sizeof(seq_msg) - len,
			 "%c: want %d, xvs %d, IPVS %d; ", p->ref.id[i],
			 want[i], xc[i], rc[i]);
		ok = ok && xc[i] == want[i] && rc[i] == want[i];
	}
	strncat(seq_msg, p->fail, sizeof(seq_msg) - strlen(seq_msg) - 1);
	return ok && !p->fail[0];
}

int load_cases_run(const struct load_case *c, size_t n, const __u32 (*rand)[2],
		   char *msg, size_t len)
{
	int bad = 0;

	msg[0] = 0;
	for (size_t i = 0; i < n; i++) {
		char want[2] = {c[i].want, 0};

		pair_init_abc(&pr, c[i].ops, c[i].ids, c[i].w);
		for (int j = 0; c[i].ids[j]; j++)
			pair_load(&pr, c[i].ids[j], c[i].act[j], c[i].inact[j],
				  strchr(c[i].over, c[i].ids[j]) != NULL);
		pr.rand[0] = rand ? rand[i][0] : 0;
		pr.rand[1] = rand ? rand[i][1] : 0;
		if (seq_ok(&pr, want))
			continue;
		if (!bad++)
			snprintf(msg, len, "%s %s: %s", c[i].ops->name,
				 c[i].what, seq_msg);
	}
	return bad;
}

bool bind_seq_ok(struct pair *p, const char *want)
{
	char one[2] = {0, 0}, got[64] = "";

	for (size_t i = 0; want[i] && i < sizeof(got) - 1; i++) {
		int k;

		one[0] = want[i];
		if (!seq_ok(p, one)) {
			snprintf(seq_msg + strlen(seq_msg),
				 sizeof(seq_msg) - strlen(seq_msg),
				 " (at pick %zu of %s, after %s)", i + 1, want,
				 got);
			return false;
		}
		got[i] = want[i];
		k = ref_index(&p->ref, want[i]);
		if (k >= 0)
			pair_load(p, want[i], p->ref.active[k] + 1,
				  p->ref.inactive[k], p->ref.overload[k]);
	}
	return true;
}

/* ---- Randomised model check ---- */

__u64 rng_next(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int rng_below(__u64 *s, int n)
{
	return (int)(rng_next(s) % (__u64)n);
}

int weight_small(__u64 *rng)
{
	return rng_below(rng, 11);
}

int weight_gcd(__u64 *rng)
{
	static const int f[] = {2, 3, 4, 6, 1000, 16383};

	return f[rng_below(rng, 6)] * rng_below(rng, 5);
}

int weight_big(__u64 *rng)
{
	return rng_below(rng, 4) ? rng_below(rng, XVS_WEIGHT_MAX + 1) : 0;
}

struct history {
	char s[2048];
	size_t len;
};

static void hist_add(struct history *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void hist_add(struct history *h, const char *fmt, ...)
{
	va_list ap;

	if (h->len >= sizeof(h->s) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(h->s + h->len, sizeof(h->s) - h->len, fmt, ap);
	va_end(ap);
	h->len += strlen(h->s + h->len);
}

static void hist_list(struct history *h, const struct ref_svc *s)
{
	hist_add(h, "[");
	for (int i = 0; i < s->n; i++)
		hist_add(h, "%s%d:%d/%d/%d%s", i ? " " : "", s->id[i],
			 s->weight[i], s->active[i], s->inactive[i],
			 s->overload[i] ? "!" : "");
	hist_add(h, "]");
}

/* A dest id not in the list: sometimes a freed one, as the daemon reuses
 * ids, sometimes a fresh one. */
static int new_id(__u64 *rng, const struct ref_svc *s, int *next_id)
{
	if (rng_below(rng, 2))
		for (int id = 0; id < *next_id; id++)
			if (ref_index(s, id) < 0)
				return id;
	return (*next_id)++;
}

/* A random load for dest: counts up to f->max_conns, OVERLOAD with
 * f->overload_pct percent; logged as @id:active/inactive[!]. */
static void random_load(const struct family *f, __u64 *rng, struct history *h,
			int dest)
{
	int a = rng_below(rng, f->max_conns + 1);
	int i = rng_below(rng, f->max_conns + 1);
	int o = rng_below(rng, 100) < f->overload_pct;

	hist_add(h, " @%d:%d/%d%s", dest, a, i, o ? "!" : "");
	pair_load(&pr, dest, a, i, o);
}

/* One random change; logged as +id:w, -id, ~id:w or a load. */
static void random_event(const struct family *f, __u64 *rng, struct cover *c,
			 struct history *h, int *next_id)
{
	struct ref_svc *s = &pr.ref;
	int kind = rng_below(rng, 13), dest, w, cw = s->cw;

	if (s->n == 0 || (kind < 4 && s->n < f->max_n)) {
		if (s->n >= f->max_n)
			return;
		dest = new_id(rng, s, next_id);
		w = f->weight(rng);
		hist_add(h, " +%d:%d", dest, w);
		pair_add(&pr, dest, w);
		c->adds++;
	} else if (kind < 7) {
		dest = s->id[rng_below(rng, s->n)];
		hist_add(h, " -%d", dest);
		c->rr_step_back += s->rr_p == dest;
		pair_del(&pr, dest);
		c->dels++;
	} else if (kind < 10) {
		dest = s->id[rng_below(rng, s->n)];
		/* sometimes the same weight: upd_dest runs all the same */
		w = rng_below(rng, 4) ? f->weight(rng) : ref_weight(s, dest);
		hist_add(h, " ~%d:%d", dest, w);
		pair_edit(&pr, dest, w);
		c->edits++;
	} else {
		random_load(f, rng, h, s->id[rng_below(rng, s->n)]);
		c->loads++;
	}
	c->wrr_refit += s->di > 1 && cw != s->cw && cw <= s->mw && cw;
	c->di_gt1 += s->di > 1;
	c->empty += s->n == 0;
}

/* Counts what the pick about to be made exercises. */
static void cover_pick(struct cover *c, const struct ref_svc *s, int x)
{
	int over = 0, weighted = 0;

	for (int i = 0; i < s->n; i++) {
		over += s->overload[i];
		weighted += s->weight[i] > 0;
	}
	c->picks++;
	c->none += x == REF_NULL;
	c->overloaded += over > 0;
	c->all_over += x == REF_NULL && over && weighted;
}

/* A connection bound to the picked dest, as IPVS's ip_vs_bind_dest counts
 * it: inactive first, sometimes already active. */
static void bind_pick(__u64 *rng, struct history *h, int x)
{
	int i = ref_index(&pr.ref, x);
	int act = rng_below(rng, 2);

	if (i < 0)
		return;
	pair_load(&pr, x, pr.ref.active[i] + act, pr.ref.inactive[i] + !act,
		  pr.ref.overload[i]);
	hist_add(h, "%s", act ? "a" : "i");
}

/* One scenario from its seed; false (and the story in fail) on the first
 * disagreement. */
static bool model_scenario(const struct family *f, __u64 seed, struct cover *c,
			   char *fail, size_t len)
{
	static struct history h;
	int id[REF_MAX], w[REF_MAX], n, next_id, r, x;
	__u64 rng = seed;

	n = rng_below(&rng, f->max_n + 1);
	for (int i = 0; i < n; i++) {
		id[i] = i;
		w[i] = f->weight(&rng);
	}
	next_id = n;
	pair_init(&pr, f->ops, n, id, w);
	h.len = 0;
	h.s[0] = 0;
	for (int i = 0; i < n; i++)
		if (rng_below(&rng, 2))
			random_load(f, &rng, &h, id[i]);
	hist_list(&h, &pr.ref);
	c->empty += n == 0;
	c->di_gt1 += pr.ref.di > 1;
	for (int step = 0; step < f->picks && !pr.fail[0]; step++) {
		while (!pr.fail[0] && rng_below(&rng, 5) == 0)
			random_event(f, &rng, c, &h, &next_id);
		if (pr.fail[0])
			break;
		pr.rand[0] = (__u32)rng_next(&rng);
		pr.rand[1] = (__u32)rng_next(&rng);
		x = pair_pick(&pr, &r);
		cover_pick(c, &pr.ref, x);
		hist_add(&h, " %d", x);
		if (f->bind && x >= 0)
			bind_pick(&rng, &h, x);
	}
	if (!pr.fail[0])
		return true;
	snprintf(fail, len,
		 "seed %#llx: %s; history (+add -del ~edit @load "
		 "id:active/inactive, ! overload, picks by id, -2 none, a/i "
		 "bound): %s; list now ",
		 (unsigned long long)seed, pr.fail, h.s);
	h.len = 0;
	hist_list(&h, &pr.ref);
	strncat(fail, h.s, len - strlen(fail) - 1);
	return false;
}

int model_run(const struct family *f, struct cover *c, char *fail, size_t len)
{
	static char spare[4096];
	int bad = 0;

	fail[0] = 0;
	for (int i = 0; i < f->scenarios; i++) {
		__u64 seed = f->seed + (__u64)i * 0x100000001ull;

		if (bad)
			bad += !model_scenario(f, seed, c, spare,
					       sizeof(spare));
		else
			bad += !model_scenario(f, seed, c, fail, len);
	}
	return bad;
}

bool model_covered(const struct family *f, const struct cover *c, char *msg,
		   size_t len)
{
	bool ok = c->picks && c->none && c->adds && c->dels && c->edits &&
		  c->loads && c->empty && c->overloaded && c->all_over;

	snprintf(msg, len,
		 "%s covered too little: picks %ld none %ld adds %ld dels %ld "
		 "edits %ld loads %ld empty %ld overloaded %ld all-over %ld "
		 "di>1 %ld refit %ld step-back %ld",
		 f->name, c->picks, c->none, c->adds, c->dels, c->edits,
		 c->loads, c->empty, c->overloaded, c->all_over, c->di_gt1,
		 c->wrr_refit, c->rr_step_back);
	if (f->ops->id == XVS_SCHED_WRR)
		return ok && c->di_gt1 && c->wrr_refit;
	if (f->ops->id == XVS_SCHED_RR)
		return ok && c->di_gt1 && c->rr_step_back;
	return ok;
}
