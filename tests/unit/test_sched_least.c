// SPDX-License-Identifier: GPL-2.0
/*
 * lc, wlc, sed and nq against IPVS (ipvs_ref.c; harness in sched_pair.h):
 * single picks from a table of loads with hand-computed answers (ties,
 * weight 0, OVERLOAD, products beyond 32 bits), sequences in which every
 * pick binds a connection to its server, servers added and removed
 * mid-way, and the randomised model check.
 */
#include "sched_pair.h"

TEST(sched_lc_cases)
{
	static const struct load_case cases[] = {
		{"idle tie: first", &xvs_sched_lc, "ABC", {1, 1, 1},
		 {0}, {0}, "", 'A'},
		{"fewest active", &xvs_sched_lc, "ABC", {1, 1, 1},
		 {1, 0, 1}, {0}, "", 'B'},
		{"fewest inactive", &xvs_sched_lc, "ABC", {1, 1, 1},
		 {0}, {3, 1, 2}, "", 'B'},
		{"255 inactive < 1 active", &xvs_sched_lc, "AB", {1, 1},
		 {1, 0}, {0, 255}, "", 'B'},
		{"256 inactive = 1 active: first", &xvs_sched_lc, "AB",
		 {1, 1}, {1, 0}, {0, 256}, "", 'A'},
		{"weights ignored", &xvs_sched_lc, "AB", {100, 1},
		 {2, 1}, {0}, "", 'B'},
		{"weight 0 skipped", &xvs_sched_lc, "ABC", {5, 0, 1},
		 {2, 0, 1}, {0}, "", 'C'},
		{"OVERLOAD skipped", &xvs_sched_lc, "AB", {1, 1},
		 {0, 5}, {0}, "A", 'B'},
		{"all weight 0", &xvs_sched_lc, "AB", {0, 0}, {0}, {0}, "",
		 '-'},
		{"all OVERLOAD", &xvs_sched_lc, "AB", {1, 1}, {0}, {0},
		 "AB", '-'},
		{"no servers", &xvs_sched_lc, "", {0}, {0}, {0}, "", '-'},
	};

	CHECK_CASES(cases, NULL);
}

TEST(sched_wlc_cases)
{
	static const struct load_case cases[] = {
		{"idle tie: first whatever the weight", &xvs_sched_wlc, "ABC",
		 {1, 2, 3}, {0}, {0}, "", 'A'},
		{"256/1 > 256/2", &xvs_sched_wlc, "AB", {1, 2}, {1, 1},
		 {0}, "", 'B'},
		{"256/1 = 768/3: first", &xvs_sched_wlc, "AB", {1, 3},
		 {1, 3}, {0}, "", 'A'},
		{"300 inactive > 1 active", &xvs_sched_wlc, "AB", {1, 1},
		 {0, 1}, {300, 0}, "", 'B'},
		{"weight 0 first: the next starts", &xvs_sched_wlc, "AB",
		 {0, 1}, {0, 9}, {0}, "", 'B'},
		{"weight 0 never wins", &xvs_sched_wlc, "ABC", {1, 0, 1},
		 {9, 0, 9}, {0}, "", 'A'},
		{"OVERLOAD first skipped", &xvs_sched_wlc, "AB", {5, 1},
		 {0, 9}, {0}, "A", 'B'},
		{"OVERLOAD later skipped", &xvs_sched_wlc, "AB", {1, 5},
		 {9, 0}, {0}, "B", 'A'},
		/* 25,600,000 * 65535 needs 64 bits */
		{"products beyond 32 bits", &xvs_sched_wlc, "AB",
		 {65535, 65535}, {100000, 99999}, {0}, "", 'B'},
		{"all OVERLOAD", &xvs_sched_wlc, "AB", {1, 1}, {0}, {0},
		 "AB", '-'},
		{"all weight 0", &xvs_sched_wlc, "AB", {0, 0}, {0}, {0}, "",
		 '-'},
	};

	CHECK_CASES(cases, NULL);
}

TEST(sched_sed_cases)
{
	static const struct load_case cases[] = {
		/* (0+1)/1 > (0+1)/3: the faster idle server (wlc: A) */
		{"idle: the heavier", &xvs_sched_sed, "AB", {1, 3}, {0},
		 {0}, "", 'B'},
		{"inactive ignored: tie, first", &xvs_sched_sed, "AB",
		 {1, 1}, {0}, {100, 0}, "", 'A'},
		{"2/2 = 1/1: first", &xvs_sched_sed, "AB", {2, 1}, {1, 0},
		 {0}, "", 'A'},
		{"3/2 > 1/1", &xvs_sched_sed, "AB", {2, 1}, {2, 0}, {0}, "",
		 'B'},
		{"OVERLOAD skipped", &xvs_sched_sed, "AB", {1, 3}, {0},
		 {0}, "B", 'A'},
		{"weight 0 skipped", &xvs_sched_sed, "AB", {0, 1}, {0, 5},
		 {0}, "", 'B'},
		{"all OVERLOAD", &xvs_sched_sed, "A", {1}, {0}, {0}, "A",
		 '-'},
	};

	CHECK_CASES(cases, NULL);
}

TEST(sched_nq_cases)
{
	static const struct load_case cases[] = {
		{"first idle whatever the weight", &xvs_sched_nq, "AB",
		 {1, 100}, {0}, {0}, "", 'A'},
		{"the first idle one", &xvs_sched_nq, "ABC", {5, 1, 1},
		 {3, 2, 0}, {0}, "", 'C'},
		{"inactive still idle", &xvs_sched_nq, "AB", {1, 1},
		 {1, 0}, {0, 50}, "", 'B'},
		{"none idle: sed, 2/1 > 3/3", &xvs_sched_nq, "AB", {1, 3},
		 {1, 2}, {0}, "", 'B'},
		{"none idle: sed tie, first", &xvs_sched_nq, "AB", {1, 2},
		 {1, 3}, {0}, "", 'A'},
		{"idle but OVERLOAD skipped", &xvs_sched_nq, "AB", {1, 1},
		 {0, 1}, {0}, "A", 'B'},
		{"idle but weight 0 skipped", &xvs_sched_nq, "AB", {0, 1},
		 {0, 4}, {0}, "", 'B'},
		{"all OVERLOAD", &xvs_sched_nq, "AB", {1, 1}, {0}, {0}, "AB",
		 '-'},
	};

	CHECK_CASES(cases, NULL);
}

/* Every pick binds a connection, as traffic does. */
TEST(sched_least_sequences)
{
	/* wlc 3:1 - A A A B, ties to the first */
	pair_init_abc(&pr, &xvs_sched_wlc, "AB", (int[]){3, 1});
	CHECK_BIND_SEQ(&pr, "ABAAABAAAB");
	/* lc ignores the weights */
	pair_init_abc(&pr, &xvs_sched_lc, "AB", (int[]){3, 1});
	CHECK_BIND_SEQ(&pr, "ABABAB");
	/* sed 3:1 from idle: (0+1)/3 beats (0+1)/1, and A stays until
	 * (a+1)/3 > (b+1)/1: at a = 3, then at a = 6 */
	pair_init_abc(&pr, &xvs_sched_sed, "AB", (int[]){3, 1});
	CHECK_BIND_SEQ(&pr, "AAABAAAB");
	/* nq: idle servers first, then sed */
	pair_init_abc(&pr, &xvs_sched_nq, "ABC", (int[]){1, 1, 4});
	CHECK_BIND_SEQ(&pr, "ABCCCC");
}

TEST(sched_least_changes)
{
	/* A new server goes to the head of the list: idle, it is taken,
	 * and it wins the ties after. */
	pair_init_abc(&pr, &xvs_sched_wlc, "AB", (int[]){1, 1});
	CHECK_BIND_SEQ(&pr, "AB");
	pair_add(&pr, 'C', 1);
	CHECK_BIND_SEQ(&pr, "CCABC");
	/* C removed: A and B go on from their loads (A 2, B 2) */
	pair_del(&pr, 'C');
	CHECK_BIND_SEQ(&pr, "ABAB");
	/* weight 0 quiesces: no new connections, whatever the load */
	pair_edit(&pr, 'A', 0);
	CHECK_BIND_SEQ(&pr, "BBB");
	/* back at weight 1: A (4 active) catches up with B (7), the tie at
	 * 7 going to A, first in the list */
	pair_edit(&pr, 'A', 1);
	CHECK_BIND_SEQ(&pr, "AAAABAB");
	/* OVERLOAD set and cleared mid-way: B goes to 11 meanwhile, and A
	 * from 8 takes the next four, the tie at 11 included */
	pair_load(&pr, 'A', 8, 0, 1);
	CHECK_BIND_SEQ(&pr, "BB");
	pair_load(&pr, 'A', 8, 0, 0);
	CHECK_BIND_SEQ(&pr, "AAAAB");
}

TEST(sched_wlc_proportion)
{
	pair_init_abc(&pr, &xvs_sched_wlc, "ABC", (int[]){3, 2, 1});
	for (int i = 0; i < 600; i++) {
		int r, x = pair_pick(&pr, &r), k = ref_index(&pr.ref, x);

		if (k >= 0)
			pair_load(&pr, x, pr.ref.active[k] + 1, 0, 0);
	}
	CHECK(pr.ref.active[0] == 300 && pr.ref.active[1] == 200 &&
		      pr.ref.active[2] == 100 && !pr.fail[0],
	      "A %d B %d C %d, want 300 200 100; %s", pr.ref.active[0],
	      pr.ref.active[1], pr.ref.active[2], pr.fail);
}

/* name, ops, seed, scenarios, picks, max servers, weights, max conns,
 * overload %, bind */
static const struct family least_families[] = {
	{"lc", &xvs_sched_lc, 0x1c000001, 1500, 50, 12, weight_small, 4, 20,
	 true},
	{"wlc", &xvs_sched_wlc, 0x1c000002, 1500, 50, 12, weight_small, 4, 20,
	 true},
	{"wlc big weights and loads", &xvs_sched_wlc, 0x1c000003, 500, 50, 12,
	 weight_big, 100000, 20, true},
	{"wlc up to 40 servers", &xvs_sched_wlc, 0x1c000004, 300, 100, 40,
	 weight_gcd, 3, 20, true},
	{"sed", &xvs_sched_sed, 0x1c000005, 1500, 50, 12, weight_small, 4, 20,
	 true},
	{"nq", &xvs_sched_nq, 0x1c000006, 1500, 50, 12, weight_small, 2, 20,
	 true},
	{"nq big weights and loads", &xvs_sched_nq, 0x1c000007, 500, 50, 12,
	 weight_big, 100000, 20, true},
};

TEST(sched_model_least)
{
	MODEL_CHECK_ALL(least_families);
}
