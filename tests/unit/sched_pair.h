/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xvs's schedulers and the IPVS model of ipvs_ref.c side by side, for the
 * scheduler tests (test_sched*.c):
 *   - a pair holds one service twice: xvs's published lists and state
 *     word, and the model's svc; every change goes to both, published with
 *     its own xvs_sched_publish, as IPVS calls its scheduler hook once per
 *     change;
 *   - the real servers' loads (activeconns, inactconns, OVERLOAD) are set
 *     on the model and copied into the table xvs_sched_load reads before
 *     every pick;
 *   - pair_pick runs both schedulers and records the first disagreement;
 *     seq_ok/count_ok check hand-computed sequences against both, so that
 *     a wrong model cannot hide a wrong scheduler;
 *   - model_run drives fixed-seed random scenarios (struct family) and
 *     counts what they exercised (struct cover).
 */
#ifndef XVS_TEST_SCHED_PAIR_H
#define XVS_TEST_SCHED_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include "ipvs_ref.h"
#include "scheduler.h"
#include "test.h"

#define ID_BAD (-3)	   /* xvs returned an index outside its list */
#define PAIR_LOAD_IDS 1024 /* dest ids a pair may use */

struct pair {
	const struct xvs_sched_ops *ops;
	struct xvs_sched_list l[2]; /* the two slots the daemon writes */
	__u64 state;
	struct ref_svc ref;
	struct xvs_sched_load load[PAIR_LOAD_IDS]; /* what xvs reads, by id */
	__u32 rand[2];	/* twos: the two random words of the next pick */
	char fail[512]; /* the first disagreement; empty while they agree */
};

extern struct pair pr; /* the one pair the tests use */

/* A new service with dests id[] of weights w[]: xvs publishes it over an
 * empty list, the model runs init_service. */
void pair_init(struct pair *p, const struct xvs_sched_ops *ops, int n,
	       const int *id, const int *w);
/* The same with dests named by letters: ids "ABC", weights {4, 3, 2}. */
void pair_init_abc(struct pair *p, const struct xvs_sched_ops *ops,
		   const char *ids, const int *w);
void pair_add(struct pair *p, int dest, int weight);
void pair_edit(struct pair *p, int dest, int weight);
void pair_del(struct pair *p, int dest);
/* dest's live load, on both sides. */
void pair_load(struct pair *p, int dest, int active, int inactive,
	       int overload);
/* OVERLOAD on (or off) for the dests named by letters in ids, their
 * counts kept. */
void pair_overload(struct pair *p, const char *ids, int on);
/* One pick on each side; returns the dest xvs picked, REF_NULL for none
 * (and the model's pick in *ref_dest). */
int pair_pick(struct pair *p, int *ref_dest);

/* The message of the last seq_ok / count_ok. */
extern char seq_msg[2048];
/* Runs strlen(want) picks; want names each pick by its dest's letter, '-'
 * for none. True if xvs and the model both picked want, and agreed on the
 * state throughout (including any change made before this call). */
bool seq_ok(struct pair *p, const char *want);
#define CHECK_SEQ(p, want) CHECK(seq_ok(p, want), "%s", seq_msg)
/* Counts of each dest (in list order) over npicks picks, for both sides. */
bool count_ok(struct pair *p, int npicks, const int *want);

/* One pick from a given state. Letters name the dests in list order
 * (newest first); act/inact are per dest in that order. */
struct load_case {
	const char *what;
	const struct xvs_sched_ops *ops;
	const char *ids;
	int w[6], act[6], inact[6];
	const char *over; /* the overloaded dests' letters */
	char want;	  /* the pick, '-' for none */
};

/* Runs n cases, case i with twos's random words rand[i] (rand may be
 * NULL); how many failed, the first failure in msg. */
int load_cases_run(const struct load_case *c, size_t n, const __u32 (*rand)[2],
		   char *msg, size_t len);
#define CHECK_CASES(cases, rand)                                               \
	do {                                                                   \
		static char msg[2400];                                         \
		size_t n_ = sizeof(cases) / sizeof(cases[0]);                  \
		int bad_ = load_cases_run(cases, n_, rand, msg, sizeof(msg));  \
		CHECK(bad_ == 0, "%d of %zu cases wrong; first: %s", bad_, n_, \
		      msg);                                                    \
	} while (0)

/* Picks want (as seq_ok), each pick binding an active connection to its
 * dest, as traffic does. */
bool bind_seq_ok(struct pair *p, const char *want);
#define CHECK_BIND_SEQ(p, want) CHECK(bind_seq_ok(p, want), "%s", seq_msg)

/* ---- Randomised model check ---- */

struct family {
	const char *name;
	const struct xvs_sched_ops *ops;
	__u64 seed;
	int scenarios, picks, max_n;
	int (*weight)(__u64 *rng);
	int max_conns;	  /* load events draw counts in 0..max_conns */
	int overload_pct; /* ... and OVERLOAD with this probability */
	bool bind;	  /* each pick binds a connection to its dest */
};

/* What the scenarios exercised, so that a family that silently stopped
 * covering something fails. */
struct cover {
	long picks, none, adds, dels, edits, loads, empty, di_gt1;
	long overloaded;   /* picks with some dest OVERLOAD */
	long all_over;	   /* no pick although some dest had weight > 0 */
	long rr_step_back; /* rr: the last pick deleted */
	long wrr_refit;	   /* wrr: cw moved by (cw/di)*di+1 */
};

__u64 rng_next(__u64 *s);
int rng_below(__u64 *s, int n);
int weight_small(__u64 *rng); /* 0..10 */
int weight_gcd(__u64 *rng);   /* multiples of a common factor */
int weight_big(__u64 *rng);   /* 0..65535, a quarter 0 */

/* Runs a family's scenarios; returns how many disagreed, the first one's
 * story in fail. */
int model_run(const struct family *f, struct cover *c, char *fail, size_t len);
/* True if the scenarios covered what f's scheduler needs. */
bool model_covered(const struct family *f, const struct cover *c, char *msg,
		   size_t len);

/* One CHECK for agreement, one for coverage. */
#define MODEL_CHECK(f)                                                         \
	do {                                                                   \
		static char fail[4096], msg[320];                              \
		struct cover c = {0};                                          \
		int bad = model_run(f, &c, fail, sizeof(fail));                \
		CHECK(bad == 0, "%s: %d of %d scenarios disagree; first: %s",  \
		      (f)->name, bad, (f)->scenarios, fail);                   \
		CHECK(model_covered(f, &c, msg, sizeof(msg)), "%s", msg);      \
	} while (0)

/* MODEL_CHECK for every family of a table. */
#define MODEL_CHECK_ALL(families)                                              \
	for (size_t i_ = 0; i_ < sizeof(families) / sizeof(families[0]); i_++) \
	MODEL_CHECK(&families[i_])

#endif
