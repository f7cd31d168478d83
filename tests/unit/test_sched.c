// SPDX-License-Identifier: GPL-2.0
/*
 * rr and wrr against IPVS, as modelled in ipvs_ref.c. The tests check
 *   - hand-computed sequences, against both xvs and the model, so that a
 *     wrong model cannot hide a wrong scheduler;
 *   - xvs against the model pick for pick, position for position, over
 *     fixed-seed random scenarios with real servers added, deleted and
 *     edited between picks;
 *   - the list and state-word bookkeeping and the scheduler registry.
 * Every change is published with its own xvs_sched_publish, as IPVS calls
 * its scheduler hook once per change: wrr's cw refit is not the same when
 * several changes are folded into one publish.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "test.h"
#include "ipvs_ref.h"
#include "sched_rr.h"
#include "sched_wrr.h"

/* ---- xvs and the model side by side ---- */

#define ID_BAD (-3) /* xvs returned an index outside its list */

struct pair {
	const struct xvs_sched_ops *ops;
	struct xvs_sched_list l[2]; /* the two slots the daemon writes */
	__u64 state;
	struct ref_svc ref;
	char fail[512]; /* the first disagreement; empty while they agree */
};

static struct pair pr;

/* rr and wrr use nothing of the connection. */
static const struct xvs_sched_in no_in;

static bool pair_wrr(const struct pair *p)
{
	return p->ops->id == XVS_SCHED_WRR;
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

/* Positions (and for wrr cw, mw, di) must agree after every step. */
static void pair_compare(struct pair *p, const char *what)
{
	const struct xvs_sched_list *l = &p->l[xvs_state_slot(p->state)];
	__u32 pos = xvs_state_pos(p->state), rpos = pair_ref_pos(p);

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

/* A new service: xvs publishes the list over an empty one from the
 * initial state word; IPVS runs init_service over it. */
static void pair_init(struct pair *p, const struct xvs_sched_ops *ops, int n,
		      const int *id, const int *w)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	xvs_sched_list_finish(&p->l[0]);
	p->state = xvs_sched_state_init();
	ref_init(&p->ref, n, id, w);
	pair_publish(p, "init");
}

/* The same with dests named by letters: ids "ABC", weights {4, 3, 2}. */
static void pair_init_abc(struct pair *p, const struct xvs_sched_ops *ops,
			  const char *ids, const int *w)
{
	int id[REF_MAX], n = (int)strlen(ids);

	for (int i = 0; i < n; i++)
		id[i] = ids[i];
	pair_init(p, ops, n, id, w);
}

static void pair_add(struct pair *p, int dest, int weight)
{
	ref_add_dest(&p->ref, dest, weight);
	pair_publish(p, "add");
}

static void pair_edit(struct pair *p, int dest, int weight)
{
	ref_edit_dest(&p->ref, dest, weight);
	pair_publish(p, "edit");
}

static void pair_del(struct pair *p, int dest)
{
	ref_del_dest(&p->ref, dest);
	pair_publish(p, "delete");
}

/* One pick on each side; returns the dest xvs picked, REF_NULL for none
 * (and the model's pick in *ref_dest). */
static int pair_pick(struct pair *p, int *ref_dest)
{
	const struct xvs_sched_list *l = &p->l[xvs_state_slot(p->state)];
	__s32 k = p->ops->pick(l, &p->state, &no_in);
	int x = k == -1			    ? REF_NULL
		: k >= 0 && (__u32)k < l->n ? (int)l->e[k].dest_id
					    : ID_BAD;
	int r = pair_wrr(p) ? ref_wrr_schedule(&p->ref)
			    : ref_rr_schedule(&p->ref);

	*ref_dest = r;
	if (x != r)
		pair_fail(p, "xvs picked %d (index %d), IPVS %d", x, k, r);
	pair_compare(p, "pick");
	return x;
}

static char seq_msg[2048];

/* Runs strlen(want) picks; want names each pick by its dest's letter, '-'
 * for none. True if xvs and the model both picked want, and agreed on the
 * state throughout (including any change made before this call). */
static bool seq_ok(struct pair *p, const char *want)
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

#define CHECK_SEQ(p, want) CHECK(seq_ok(p, want), "%s", seq_msg)

/* Counts of each dest over npicks picks, for both sides. */
static bool count_ok(struct pair *p, int npicks, const int *want)
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

/* ---- Exact sequences ---- */

TEST(sched_wrr_sequence)
{
	/* cw 4: A; cw 3: A B; cw 2: A B C; cw 1: A B C */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){4, 3, 2});
	CHECK_SEQ(&pr, "AABABCABCAABABCABCAABABCABC");
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){4, 3, 2});
	CHECK(count_ok(&pr, 900, (int[]){400, 300, 200}), "%s", seq_msg);
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){3, 2, 1});
	CHECK(count_ok(&pr, 600, (int[]){300, 200, 100}), "%s", seq_msg);
}

TEST(sched_rr_list_order)
{
	pair_init_abc(&pr, &xvs_sched_rr, "ABC", (int[]){1, 1, 1});
	CHECK_SEQ(&pr, "ABCABCA");
	/* rr ignores the size of the weights */
	pair_init_abc(&pr, &xvs_sched_rr, "ABCD", (int[]){5, 1, 100, 2});
	CHECK_SEQ(&pr, "ABCDABCD");
	pair_init_abc(&pr, &xvs_sched_rr, "A", (int[]){1});
	CHECK_SEQ(&pr, "AAA");
}

TEST(sched_skip_weight_zero)
{
	pair_init_abc(&pr, &xvs_sched_rr, "ABCD", (int[]){1, 0, 2, 0});
	CHECK_SEQ(&pr, "ACACAC");
	/* B=2, D=1: cw 2: B; cw 1: B D */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABCD", (int[]){0, 2, 0, 1});
	CHECK_SEQ(&pr, "BBDBBD");
}

TEST(sched_all_weights_zero)
{
	/* rr: NULL, and sched_data stays where it was. */
	pair_init_abc(&pr, &xvs_sched_rr, "AB", (int[]){0, 0});
	CHECK_SEQ(&pr, "--");
	CHECK(xvs_state_pos(pr.state) == XVS_POS_HEAD, "pos %u",
	      xvs_state_pos(pr.state));
	pair_edit(&pr, 'B', 1);
	CHECK_SEQ(&pr, "BB");
	pair_edit(&pr, 'B', 0);
	CHECK_SEQ(&pr, "--");
	CHECK(xvs_state_pos(pr.state) == 1, "pos %u, want 1 (B)",
	      xvs_state_pos(pr.state));
	pair_edit(&pr, 'A', 1); /* after B: end of list, then A */
	CHECK_SEQ(&pr, "AA");

	/* wrr: mw 0 is "no destination available"; cl and cw untouched. */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){0, 0});
	CHECK_SEQ(&pr, "---");
	CHECK(xvs_state_cw(pr.state) == 0 &&
		      xvs_state_pos(pr.state) == XVS_POS_HEAD,
	      "cw %d pos %u", xvs_state_cw(pr.state), xvs_state_pos(pr.state));
	pair_edit(&pr, 'A', 2); /* cw 0 refits to the new mw */
	CHECK_SEQ(&pr, "AA");
	pair_edit(&pr, 'A', 0);
	CHECK_SEQ(&pr, "-");
	pair_edit(&pr, 'B', 3);
	CHECK_SEQ(&pr, "BBB");

	/* An empty service. */
	pair_init_abc(&pr, &xvs_sched_wrr, "", (int[]){0});
	CHECK_SEQ(&pr, "--");
	pair_init_abc(&pr, &xvs_sched_rr, "", (int[]){0});
	CHECK_SEQ(&pr, "--");
}

TEST(sched_wrr_ties)
{
	/* Equal weights: di = 3, mw = 1, plain round-robin. */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){3, 3, 3});
	CHECK_SEQ(&pr, "ABCABC");
	/* cw 2: A B; cw 1: A B C */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){2, 2, 1});
	CHECK_SEQ(&pr, "ABABCABABC");
	pair_init_abc(&pr, &xvs_sched_wrr, "A", (int[]){7});
	CHECK_SEQ(&pr, "AAA");
}

TEST(sched_wrr_gcd)
{
	/* di 2, mw 3: cw 3: A; cw 1: A B */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){4, 2});
	CHECK_SEQ(&pr, "A");
	CHECK(xvs_state_cw(pr.state) == 3, "cw %d", xvs_state_cw(pr.state));
	CHECK_SEQ(&pr, "A");
	CHECK(xvs_state_cw(pr.state) == 1, "cw %d", xvs_state_cw(pr.state));
	CHECK_SEQ(&pr, "BAABAAB");
	/* di 2, mw 5: cw 5: A; cw 3: A B; cw 1: A B C */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){6, 4, 2});
	CHECK_SEQ(&pr, "AABABCAABABC");
	/* di 3, mw 7: cw 7: A; cw 4: A B; cw 1: A B C */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){9, 6, 3});
	CHECK_SEQ(&pr, "AABABCAABABC");
	/* di 3, mw 4: cw 4: A; cw 1: A B */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){6, 3});
	CHECK_SEQ(&pr, "AABAAB");
}

TEST(sched_wrr_changes)
{
	/* Add at the head: cw 3 stays (di 1, mw 5), walk restarts at D. */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){4, 3, 2});
	CHECK_SEQ(&pr, "AAB");
	pair_add(&pr, 'D', 5);
	/* cw 3: D A B; 2: D A B C; 1: D A B C; 5: D; 4: D A */
	CHECK_SEQ(&pr, "DABDABCDABCDDA");

	/* Delete: back to the head with cw 3 (mw 3). */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){4, 3, 2});
	CHECK_SEQ(&pr, "AAB");
	pair_del(&pr, 'A');
	CHECK_SEQ(&pr, "BBCBCB");

	/* Edit that makes di 2: cw 2 refits to (2/2)*2+1 = 3; without the
	 * refit the next picks would be A B A. */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){4, 3});
	CHECK_SEQ(&pr, "AABA");
	CHECK(xvs_state_cw(pr.state) == 2, "cw %d", xvs_state_cw(pr.state));
	pair_edit(&pr, 'B', 2);
	CHECK(xvs_state_cw(pr.state) == 3, "cw %d", xvs_state_cw(pr.state));
	CHECK_SEQ(&pr, "AABAAB");

	/* Edit below cw: cw 4 > mw 3 becomes mw. */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){4, 3});
	CHECK_SEQ(&pr, "A");
	pair_edit(&pr, 'A', 1);
	CHECK_SEQ(&pr, "BBABB");

	/* An edit to the same weight still refits cw (upd_dest is called). */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){4, 2});
	CHECK_SEQ(&pr, "AA");	/* cw 1 */
	pair_edit(&pr, 'B', 2); /* cw (1/2)*2+1 = 1 */
	CHECK_SEQ(&pr, "AB");
	pair_edit(&pr, 'A', 4); /* head again: cw 1 matches A first */
	CHECK_SEQ(&pr, "ABA");
}

TEST(sched_rr_changes)
{
	/* Add at the head: the position stays at B; D comes after C. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABC", (int[]){1, 1, 1});
	CHECK_SEQ(&pr, "AB");
	pair_add(&pr, 'D', 1);
	CHECK_SEQ(&pr, "CDABCD");

	/* Delete the last pick: step back to its predecessor. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABCD", (int[]){1, 1, 1, 1});
	CHECK_SEQ(&pr, "AB");
	pair_del(&pr, 'B');
	CHECK(xvs_state_pos(pr.state) == 0, "pos %u, want 0 (A)",
	      xvs_state_pos(pr.state));
	CHECK_SEQ(&pr, "CDACDA");

	/* ... the first dest: back to the head. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABC", (int[]){1, 1, 1});
	CHECK_SEQ(&pr, "A");
	pair_del(&pr, 'A');
	CHECK_SEQ(&pr, "BCBC");

	/* ... the last dest: its predecessor B, so A comes next. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABC", (int[]){1, 1, 1});
	CHECK_SEQ(&pr, "ABC");
	pair_del(&pr, 'C');
	CHECK_SEQ(&pr, "ABAB");

	/* ... another dest: the position stays. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABCD", (int[]){1, 1, 1, 1});
	CHECK_SEQ(&pr, "AB");
	pair_del(&pr, 'C');
	CHECK_SEQ(&pr, "DABD");

	/* ... the only dest. */
	pair_init_abc(&pr, &xvs_sched_rr, "A", (int[]){1});
	CHECK_SEQ(&pr, "A");
	pair_del(&pr, 'A');
	CHECK_SEQ(&pr, "--");

	/* Edit: the position stays; weight 0 is skipped. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABC", (int[]){1, 1, 1});
	CHECK_SEQ(&pr, "A");
	pair_edit(&pr, 'B', 0);
	CHECK_SEQ(&pr, "CACA");
}

/* A state word that was never published (cw 0) behaves as init_service. */
TEST(sched_wrr_unpublished_state)
{
	static struct xvs_sched_list l;
	const int w[] = {4, 3, 2};
	char got[16] = "";
	__u64 s = xvs_sched_state_init();

	l.n = 3;
	for (int i = 0; i < 3; i++)
		l.e[i] = (struct xvs_sched_entry){.dest_id = 'A' + i,
						  .weight = w[i]};
	xvs_sched_list_finish(&l);
	for (int i = 0; i < 9; i++) {
		__s32 k = xvs_sched_wrr.pick(&l, &s, &no_in);

		got[i] = k >= 0 ? (char)l.e[k].dest_id : '-';
	}
	CHECK(!strcmp(got, "AABABCABC"), "got %s", got);
}

/* ---- Randomised model check ---- */

struct family {
	const char *name;
	const struct xvs_sched_ops *ops;
	__u64 seed;
	int scenarios, picks, max_n;
	int (*weight)(__u64 *rng);
};

/* What the scenarios exercised, so that a family that silently stopped
 * covering something fails. */
struct cover {
	long picks, none, adds, dels, edits, empty, di_gt1;
	long rr_step_back; /* rr: the last pick deleted */
	long wrr_refit;	   /* wrr: cw moved by (cw/di)*di+1 */
};

static __u64 rng_next(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int rng_below(__u64 *s, int n)
{
	return (int)(rng_next(s) % (__u64)n);
}

static int weight_small(__u64 *rng)
{
	return rng_below(rng, 11);
}

/* Multiples of a common factor, so di > 1 and the cw refit matter. */
static int weight_gcd(__u64 *rng)
{
	static const int f[] = {2, 3, 4, 6, 1000, 16383};

	return f[rng_below(rng, 6)] * rng_below(rng, 5);
}

/* Large weights: many cw levels. */
static int weight_big(__u64 *rng)
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
		hist_add(h, "%s%d:%d", i ? " " : "", s->id[i], s->weight[i]);
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

/* One random change, published; logged as +id:w, -id or ~id:w. */
static void random_event(const struct family *f, __u64 *rng, struct cover *c,
			 struct history *h, int *next_id)
{
	struct ref_svc *s = &pr.ref;
	int kind = rng_below(rng, 10), dest, w, cw = s->cw;

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
	} else {
		dest = s->id[rng_below(rng, s->n)];
		/* sometimes the same weight: upd_dest runs all the same */
		w = rng_below(rng, 4) ? f->weight(rng) : ref_weight(s, dest);
		hist_add(h, " ~%d:%d", dest, w);
		pair_edit(&pr, dest, w);
		c->edits++;
	}
	c->wrr_refit += s->di > 1 && cw != s->cw && cw <= s->mw && cw;
	c->di_gt1 += s->di > 1;
	c->empty += s->n == 0;
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
	hist_list(&h, &pr.ref);
	c->empty += n == 0;
	c->di_gt1 += pr.ref.di > 1;
	for (int step = 0; step < f->picks && !pr.fail[0]; step++) {
		while (!pr.fail[0] && rng_below(&rng, 5) == 0)
			random_event(f, &rng, c, &h, &next_id);
		if (pr.fail[0])
			break;
		x = pair_pick(&pr, &r);
		c->picks++;
		c->none += x == REF_NULL;
		hist_add(&h, " %d", x);
	}
	if (!pr.fail[0])
		return true;
	snprintf(fail, len,
		 "seed %#llx: %s; history (+add -del ~edit, picks "
		 "by id, -2 none): %s; list now ",
		 (unsigned long long)seed, pr.fail, h.s);
	h.len = 0;
	hist_list(&h, &pr.ref);
	strncat(fail, h.s, len - strlen(fail) - 1);
	return false;
}

/* Runs a family's scenarios; returns how many disagreed, the first one's
 * story in fail. */
static int model_run(const struct family *f, struct cover *c, char *fail,
		     size_t len)
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

static bool model_covered(const struct family *f, const struct cover *c,
			  char *msg, size_t len)
{
	snprintf(msg, len,
		 "%s covered too little: picks %ld none %ld adds %ld dels %ld "
		 "edits %ld empty %ld di>1 %ld refit %ld step-back %ld",
		 f->name, c->picks, c->none, c->adds, c->dels, c->edits,
		 c->empty, c->di_gt1, c->wrr_refit, c->rr_step_back);
	return c->picks && c->none && c->adds && c->dels && c->edits &&
	       c->empty && c->di_gt1 &&
	       (f->ops == &xvs_sched_wrr ? c->wrr_refit : c->rr_step_back);
}

/* One CHECK for agreement, one for coverage. */
#define MODEL_CHECK(f)                                                         \
	do {                                                                   \
		static char fail[4096], msg[256];                              \
		struct cover c = {0};                                          \
		int bad = model_run(f, &c, fail, sizeof(fail));                \
		CHECK(bad == 0, "%s: %d of %d scenarios disagree; first: %s",  \
		      (f)->name, bad, (f)->scenarios, fail);                   \
		CHECK(model_covered(f, &c, msg, sizeof(msg)), "%s", msg);      \
	} while (0)

static const struct family wrr_families[] = {
	{"wrr weights 0..10", &xvs_sched_wrr, 0x5eed0001, 2000, 50, 12,
	 weight_small},
	{"wrr weights with a common factor", &xvs_sched_wrr, 0x5eed0002, 2000,
	 50, 12, weight_gcd},
	{"wrr weights 0..65535", &xvs_sched_wrr, 0x5eed0003, 500, 50, 12,
	 weight_big},
	{"wrr up to 40 servers", &xvs_sched_wrr, 0x5eed0004, 300, 100, 40,
	 weight_small},
};

static const struct family rr_families[] = {
	{"rr weights 0..10", &xvs_sched_rr, 0x5eed0011, 2000, 50, 12,
	 weight_small},
	{"rr weights with a common factor", &xvs_sched_rr, 0x5eed0012, 1000, 50,
	 12, weight_gcd},
	{"rr up to 40 servers", &xvs_sched_rr, 0x5eed0013, 300, 100, 40,
	 weight_small},
};

TEST(sched_model_wrr)
{
	for (size_t i = 0; i < sizeof(wrr_families) / sizeof(wrr_families[0]);
	     i++)
		MODEL_CHECK(&wrr_families[i]);
}

TEST(sched_model_rr)
{
	for (size_t i = 0; i < sizeof(rr_families) / sizeof(rr_families[0]);
	     i++)
		MODEL_CHECK(&rr_families[i]);
}

/* ---- Bookkeeping and registry ---- */

TEST(sched_list_finish)
{
	static const struct {
		int n, w[4], mw, di;
	} cases[] = {
		{3, {4, 3, 2}, 4, 1},
		{2, {4, 2}, 3, 2},
		{3, {6, 4, 2}, 5, 2},
		{4, {0, 6, 0, 9}, 7, 3}, /* zeros do not enter the gcd */
		{1, {5}, 1, 5},
		{2, {0, 0}, 0, 1}, /* mw 0: nothing available */
		{0, {0}, 0, 1},
		{2, {65535, 65535}, 1, 65535},
		{2, {65535, 1}, 65535, 1},
		{3, {12, 18, 8}, 17, 2},
	};
	static struct xvs_sched_list l;
	char msg[128] = "";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		l.n = (__u32)cases[i].n;
		for (int j = 0; j < cases[i].n; j++)
			l.e[j].weight = cases[i].w[j];
		l.mw = l.di = -7;
		xvs_sched_list_finish(&l);
		if (!msg[0] && (l.mw != cases[i].mw || l.di != cases[i].di))
			snprintf(msg, sizeof(msg),
				 "case %zu: mw %d di %d, want mw %d di %d", i,
				 l.mw, l.di, cases[i].mw, cases[i].di);
	}
	CHECK(!msg[0], "%s", msg);
}

TEST(sched_state_word)
{
	__u64 s = xvs_state_make(-5, 0x1234, 1, 0x7abc), t;

	CHECK(xvs_state_cw(s) == -5 && xvs_state_pos(s) == 0x1234 &&
		      xvs_state_slot(s) == 1 && xvs_state_gen(s) == 0x7abc,
	      "cw %d pos %#x slot %u gen %#x", xvs_state_cw(s),
	      xvs_state_pos(s), xvs_state_slot(s), xvs_state_gen(s));
	/* out-of-range fields are masked, never spill into their neighbours */
	s = xvs_state_make(INT32_MIN, 0x12345, 3, 0x8001);
	CHECK(xvs_state_cw(s) == INT32_MIN && xvs_state_pos(s) == 0x2345 &&
		      xvs_state_slot(s) == 1 && xvs_state_gen(s) == 1,
	      "cw %d pos %#x slot %u gen %#x", xvs_state_cw(s),
	      xvs_state_pos(s), xvs_state_slot(s), xvs_state_gen(s));
	t = xvs_state_with(s, 7, XVS_POS_HEAD);
	CHECK(xvs_state_cw(t) == 7 && xvs_state_pos(t) == XVS_POS_HEAD &&
		      xvs_state_slot(t) == 1 && xvs_state_gen(t) == 1,
	      "cw %d pos %#x slot %u gen %#x", xvs_state_cw(t),
	      xvs_state_pos(t), xvs_state_slot(t), xvs_state_gen(t));
	s = xvs_sched_state_init();
	CHECK(xvs_state_cw(s) == 0 && xvs_state_pos(s) == XVS_POS_HEAD &&
		      xvs_state_slot(s) == 0 && xvs_state_gen(s) == 0,
	      "cw %d pos %#x slot %u gen %#x", xvs_state_cw(s),
	      xvs_state_pos(s), xvs_state_slot(s), xvs_state_gen(s));
}

TEST(sched_publish)
{
	static struct xvs_sched_list a, b;
	__u64 s;

	a.n = 2;
	a.e[0] = (struct xvs_sched_entry){.dest_id = 10, .weight = 4};
	a.e[1] = (struct xvs_sched_entry){.dest_id = 11, .weight = 2};
	xvs_sched_list_finish(&a);
	b = a;
	/* gen wraps within its 15 bits; slot is the one given */
	s = xvs_sched_publish(&xvs_sched_rr, &a, &b,
			      xvs_state_make(0, 1, 0, 0x7fff), 1);
	CHECK(xvs_state_slot(s) == 1 && xvs_state_gen(s) == 0 &&
		      xvs_state_pos(s) == 1,
	      "slot %u gen %#x pos %u", xvs_state_slot(s), xvs_state_gen(s),
	      xvs_state_pos(s));
	s = xvs_sched_publish(&xvs_sched_wrr, &a, &b,
			      xvs_state_make(2, 1, 1, 41), 0);
	CHECK(xvs_state_slot(s) == 0 && xvs_state_gen(s) == 42 &&
		      xvs_state_pos(s) == XVS_POS_HEAD && xvs_state_cw(s) == 3,
	      "slot %u gen %u pos %#x cw %d, want 0 42 head 3",
	      xvs_state_slot(s), xvs_state_gen(s), xvs_state_pos(s),
	      xvs_state_cw(s));
}

TEST(sched_registry)
{
	static const char *const ipvs[] = {
		"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
		"sh", "sed", "nq", "fo",  "ovf",  "mh",	   "twos",
	};
	const char *names = xvs_sched_built_names();
	char buf[128], *tok, *save;
	int n_ipvs = 0, n_built = 0, bad_built = 0, rr = 0, wrr = 0;

	CHECK(xvs_sched_find("rr") == &xvs_sched_rr &&
		      xvs_sched_find("wrr") == &xvs_sched_wrr,
	      "find did not return the registered ops");
	CHECK(!xvs_sched_find("RR") && !xvs_sched_find("") &&
		      !xvs_sched_find("wrr ") && !xvs_sched_find("rrr"),
	      "find matched a name it should not");
	CHECK(xvs_sched_by_id(XVS_SCHED_RR) == &xvs_sched_rr &&
		      xvs_sched_by_id(XVS_SCHED_WRR) == &xvs_sched_wrr &&
		      !xvs_sched_by_id(0) && !xvs_sched_by_id(9999),
	      "by_id wrong");
	for (size_t i = 0; i < sizeof(ipvs) / sizeof(ipvs[0]); i++)
		n_ipvs += xvs_sched_is_ipvs_name(ipvs[i]);
	CHECK(n_ipvs == 14, "%d of IPVS's 14 names known", n_ipvs);
	CHECK(!xvs_sched_is_ipvs_name("foo") && !xvs_sched_is_ipvs_name("") &&
		      !xvs_sched_is_ipvs_name("WLC") &&
		      !xvs_sched_is_ipvs_name("wl"),
	      "is_ipvs_name accepted a name IPVS does not have");

	/* Every built name is findable, an IPVS name, and its ops' id maps
	 * back to it; the list is stable across calls. */
	snprintf(buf, sizeof(buf), "%s", names);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		const struct xvs_sched_ops *ops = xvs_sched_find(tok);

		n_built++;
		rr += !strcmp(tok, "rr");
		wrr += !strcmp(tok, "wrr");
		bad_built += !ops || !xvs_sched_is_ipvs_name(tok) ||
			     xvs_sched_by_id(ops->id) != ops;
	}
	CHECK(n_built >= 2 && !bad_built && rr == 1 && wrr == 1,
	      "built names `%s'", names);
	CHECK(xvs_sched_built_names() == names &&
		      !strcmp(xvs_sched_built_names(), names) &&
		      strlen(names) < 100,
	      "second call gave `%s'", xvs_sched_built_names());
}
