// SPDX-License-Identifier: GPL-2.0
/*
 * twos against IPVS (ipvs_ref.c; harness in sched_pair.h). twos draws two
 * random weights; the tests give the draws (struct xvs_sched_in.rand), so
 * every pick is exact: which servers the draws land on, the comparison of
 * the two, OVERLOAD and weight 0 left out of the draw, the kernel's int
 * wrap, and the randomised model check.
 */
#include "sched_pair.h"

/*
 * A (1), B (2), C (3): total 6, draws r % 7. Walking down the list,
 * r = 0, 1 land on A; 2, 3 on B; 4, 5, 6 on C.
 */
TEST(sched_twos_cases)
{
	static const struct load_case cases[] = {
		{"idle: choice1", &xvs_sched_twos, "ABC", {1, 2, 3}, {0},
		 {0}, "", 'A'},
		{"r1 on B", &xvs_sched_twos, "ABC", {1, 2, 3}, {0}, {0}, "",
		 'B'},
		{"r1 on C, r2 on A", &xvs_sched_twos, "ABC", {1, 2, 3}, {0},
		 {0}, "", 'C'},
		/* choice1 A (256/1) loaded, choice2 C idle */
		{"lighter choice2", &xvs_sched_twos, "ABC", {1, 2, 3},
		 {1, 0, 0}, {0}, "", 'C'},
		/* choice1 C 768/3 = choice2 A 256/1: choice1 */
		{"tie: choice1", &xvs_sched_twos, "ABC", {1, 2, 3},
		 {1, 0, 3}, {0}, "", 'C'},
		/* choice1 C 769/3 > choice2 A 256/1 */
		{"inactive counts", &xvs_sched_twos, "ABC", {1, 2, 3},
		 {1, 0, 3}, {0, 0, 1}, "", 'A'},
		/* the draws wrap: 0xffffffff % 7 = 3, on B */
		{"large draws", &xvs_sched_twos, "ABC", {1, 2, 3}, {0}, {0},
		 "", 'B'},
		/* B out of the draw: total 4, r % 5: 0, 1 on A; 2..4 on C */
		{"OVERLOAD out of the draw", &xvs_sched_twos, "ABC",
		 {1, 2, 3}, {0}, {0}, "B", 'C'},
		{"weight 0 out of the draw", &xvs_sched_twos, "ABC",
		 {1, 0, 3}, {0}, {0}, "", 'C'},
		/* choice1 A: 65535 * (129 << 8) wraps negative in int, so
		 * IPVS keeps the loaded A over an idle B */
		{"int wrap as the kernel", &xvs_sched_twos, "AB",
		 {65535, 65535}, {129, 0}, {0}, "", 'A'},
		/* one less active and the product fits: B */
		{"no wrap", &xvs_sched_twos, "AB", {65535, 65535}, {128, 0},
		 {0}, "", 'B'},
		{"all OVERLOAD", &xvs_sched_twos, "AB", {1, 1}, {0}, {0},
		 "AB", '-'},
		{"all weight 0", &xvs_sched_twos, "AB", {0, 0}, {0}, {0}, "",
		 '-'},
	};
	static const __u32 rand[][2] = {
		{0, 5}, {2, 3}, {6, 0}, {1, 4}, {4, 1}, {5, 0},
		{0xffffffffu, 7}, {2, 0}, {2, 0},
		{0, 131070}, {0, 131070}, {0, 0}, {0, 0},
	};

	CHECK(sizeof(rand) / sizeof(rand[0]) == sizeof(cases) / sizeof(cases[0]),
	      "one pair of draws per case");
	CHECK_CASES(cases, rand);
}

/* The same draws from a changing list: the walk follows the list order. */
TEST(sched_twos_changes)
{
	pair_init_abc(&pr, &xvs_sched_twos, "AB", (int[]){1, 1});
	pr.rand[0] = 0;
	pr.rand[1] = 0;
	CHECK_SEQ(&pr, "A");
	pair_add(&pr, 'C', 1); /* at the head: r 0 lands on C */
	CHECK_SEQ(&pr, "C");
	pair_del(&pr, 'C');
	CHECK_SEQ(&pr, "A");
	pair_edit(&pr, 'A', 0);
	CHECK_SEQ(&pr, "B");
}

/* name, ops, seed, scenarios, picks, max servers, weights, max conns,
 * overload %, bind */
static const struct family twos_families[] = {
	{"twos", &xvs_sched_twos, 0x7705001, 1500, 50, 12, weight_small, 4, 20,
	 true},
	{"twos big weights and loads", &xvs_sched_twos, 0x7705002, 500, 50, 12,
	 weight_big, 100000, 20, true},
	{"twos up to 40 servers", &xvs_sched_twos, 0x7705003, 300, 100, 40,
	 weight_gcd, 3, 20, true},
};

TEST(sched_model_twos)
{
	MODEL_CHECK_ALL(twos_families);
}
