// SPDX-License-Identifier: GPL-2.0
/*
 * rr and wrr against IPVS, as modelled in ipvs_ref.c (harness in
 * sched_pair.h). The tests check
 *   - hand-computed sequences, against both xvs and the model, so that a
 *     wrong model cannot hide a wrong scheduler, OVERLOAD included;
 *   - xvs against the model pick for pick, position for position, over
 *     fixed-seed random scenarios with real servers added, deleted,
 *     edited and overloaded between picks;
 *   - the list and state-word bookkeeping and the scheduler registry.
 * Every change is published with its own xvs_sched_publish, as IPVS calls
 * its scheduler hook once per change: wrr's cw refit is not the same when
 * several changes are folded into one publish.
 */
#include <stdint.h>
#include <string.h>
#include "sched_pair.h"
#include "sched_rr.h"
#include "sched_wrr.h"

/* rr and wrr use nothing of the connection. */
static const struct xvs_sched_in no_in;

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

TEST(sched_rr_overload)
{
	/* OVERLOAD is skipped like weight 0; the position stays on a miss. */
	pair_init_abc(&pr, &xvs_sched_rr, "ABC", (int[]){1, 1, 1});
	CHECK_SEQ(&pr, "A");
	pair_overload(&pr, "B", 1);
	CHECK_SEQ(&pr, "CACA");
	pair_overload(&pr, "AC", 1);
	CHECK_SEQ(&pr, "--");
	CHECK(xvs_state_pos(pr.state) == 0, "pos %u, want 0 (A)",
	      xvs_state_pos(pr.state));
	pair_overload(&pr, "B", 0);
	CHECK_SEQ(&pr, "BB");
	/* connection counts do not matter to rr */
	pair_load(&pr, 'A', 100, 5, 0);
	CHECK_SEQ(&pr, "AB");
}

TEST(sched_wrr_overload)
{
	/* A (4) overloaded: its levels stay, B and C share the rest:
	 * cw 4: -; cw 3: B; cw 2: B C; cw 1: B C */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){4, 3, 2});
	pair_overload(&pr, "A", 1);
	CHECK_SEQ(&pr, "BBCBCBBCBC");
	CHECK(xvs_state_cw(pr.state) == 1, "cw %d", xvs_state_cw(pr.state));
	pair_overload(&pr, "A", 0);
	CHECK_SEQ(&pr, "AABABC");
}

/*
 * All overloaded while weights are set (mw > 0): IPVS walks every level
 * and gives up with cl and cw where its walk stopped. Three ways, each
 * checked on the state word (and against the model by CHECK_SEQ).
 */
TEST(sched_wrr_all_overloaded)
{
	/* From the head: back at the head with cw = mw. */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){2, 1});
	pair_overload(&pr, "AB", 1);
	CHECK_SEQ(&pr, "--");
	CHECK(xvs_state_cw(pr.state) == 2 &&
		      xvs_state_pos(pr.state) == XVS_POS_HEAD,
	      "cw %d pos %#x, want 2 head", xvs_state_cw(pr.state),
	      xvs_state_pos(pr.state));

	/* From a pick above the last level: the levels run out, cw wraps on
	 * the last pass, and the walk ends at the head with cw = mw. */
	pair_init_abc(&pr, &xvs_sched_wrr, "AB", (int[]){3, 1});
	CHECK_SEQ(&pr, "A"); /* cw 3, at A */
	pair_overload(&pr, "AB", 1);
	CHECK_SEQ(&pr, "-");
	CHECK(xvs_state_cw(pr.state) == 3 &&
		      xvs_state_pos(pr.state) == XVS_POS_HEAD,
	      "cw %d pos %#x, want 3 head", xvs_state_cw(pr.state),
	      xvs_state_pos(pr.state));

	/* From a pick on the last level: cw wraps first, and the last pass
	 * stops at the last pick, cw on the last level. */
	pair_init_abc(&pr, &xvs_sched_wrr, "ABC", (int[]){6, 4, 2});
	CHECK_SEQ(&pr, "AABABC"); /* di 2, mw 5: at C with cw 1 */
	pair_overload(&pr, "ABC", 1);
	CHECK_SEQ(&pr, "--");
	CHECK(xvs_state_cw(pr.state) == 1 && xvs_state_pos(pr.state) == 2,
	      "cw %d pos %#x, want 1 at C (2)", xvs_state_cw(pr.state),
	      xvs_state_pos(pr.state));
	/* B back: the walk goes on from C at cw 1, wraps to 5, and finds B
	 * on the first level it reaches */
	pair_overload(&pr, "B", 0);
	CHECK_SEQ(&pr, "BB");
	CHECK(xvs_state_cw(pr.state) == 1, "cw %d", xvs_state_cw(pr.state));
}

/* A state word that was never published (cw 0) behaves as init_service. */
TEST(sched_wrr_unpublished_state)
{
	static struct xvs_sched_list l;
	const int w[] = {4, 3, 2};
	char got[16] = "";
	__u64 s = xvs_sched_state_init();

	xvs_sched_load_install(NULL, 0); /* no load: all idle */
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

/* name, ops, seed, scenarios, picks, max servers, weights, max
 * conns, overload %, bind */
static const struct family wrr_families[] = {
	{"wrr weights 0..10", &xvs_sched_wrr, 0x5eed0001, 2000, 50, 12,
	 weight_small, 3, 25, false},
	{"wrr weights with a common factor", &xvs_sched_wrr, 0x5eed0002, 2000,
	 50, 12, weight_gcd, 3, 25, false},
	{"wrr weights 0..65535", &xvs_sched_wrr, 0x5eed0003, 500, 50, 12,
	 weight_big, 3, 25, false},
	{"wrr up to 40 servers", &xvs_sched_wrr, 0x5eed0004, 300, 100, 40,
	 weight_small, 3, 25, false},
	{"wrr mostly overloaded", &xvs_sched_wrr, 0x5eed0005, 1000, 50, 6,
	 weight_gcd, 3, 80, false},
};

static const struct family rr_families[] = {
	{"rr weights 0..10", &xvs_sched_rr, 0x5eed0011, 2000, 50, 12,
	 weight_small, 3, 25, false},
	{"rr weights with a common factor", &xvs_sched_rr, 0x5eed0012, 1000, 50,
	 12, weight_gcd, 3, 25, false},
	{"rr up to 40 servers", &xvs_sched_rr, 0x5eed0013, 300, 100, 40,
	 weight_small, 3, 25, false},
	{"rr mostly overloaded", &xvs_sched_rr, 0x5eed0014, 1000, 50, 6,
	 weight_small, 3, 80, false},
};

TEST(sched_model_wrr)
{
	MODEL_CHECK_ALL(wrr_families);
}

TEST(sched_model_rr)
{
	MODEL_CHECK_ALL(rr_families);
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
