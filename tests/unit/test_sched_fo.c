// SPDX-License-Identifier: GPL-2.0
/*
 * fo and ovf against IPVS (ipvs_ref.c; harness in sched_pair.h): the
 * highest weight, ties, weight 0, OVERLOAD, ovf's active > weight, failing
 * over and overflowing as connections bind, servers changed mid-way, and
 * the randomised model check.
 */
#include "sched_pair.h"

TEST(sched_fo_cases)
{
	static const struct load_case cases[] = {
		{"highest weight", &xvs_sched_fo, "ABC", {1, 3, 2}, {0}, {0},
		 "", 'B'},
		{"tie: first", &xvs_sched_fo, "AB", {3, 3}, {0}, {0}, "",
		 'A'},
		{"OVERLOAD skipped", &xvs_sched_fo, "ABC", {1, 3, 2}, {0},
		 {0}, "B", 'C'},
		{"loads ignored", &xvs_sched_fo, "AB", {1, 2}, {0, 1000},
		 {0, 9}, "", 'B'},
		{"weight 0 never", &xvs_sched_fo, "AB", {0, 0}, {0}, {0}, "",
		 '-'},
		{"all OVERLOAD", &xvs_sched_fo, "AB", {1, 2}, {0}, {0}, "AB",
		 '-'},
	};

	CHECK_CASES(cases, NULL);
}

TEST(sched_ovf_cases)
{
	static const struct load_case cases[] = {
		{"highest weight", &xvs_sched_ovf, "ABC", {1, 3, 2}, {0},
		 {0}, "", 'B'},
		{"active > weight: next", &xvs_sched_ovf, "ABC", {1, 3, 2},
		 {0, 4, 0}, {0}, "", 'C'},
		{"active = weight still taken", &xvs_sched_ovf, "ABC",
		 {1, 3, 2}, {0, 3, 0}, {0}, "", 'B'},
		{"inactive ignored", &xvs_sched_ovf, "AB", {1, 3},
		 {0, 0}, {0, 50}, "", 'B'},
		{"tie: first", &xvs_sched_ovf, "AB", {2, 2}, {0}, {0}, "",
		 'A'},
		{"all over their weight", &xvs_sched_ovf, "AB", {1, 1},
		 {2, 2}, {0}, "", '-'},
		{"OVERLOAD skipped", &xvs_sched_ovf, "AB", {2, 1}, {0}, {0},
		 "A", 'B'},
		{"weight 0 skipped", &xvs_sched_ovf, "AB", {0, 1}, {0}, {0},
		 "", 'B'},
	};

	CHECK_CASES(cases, NULL);
}

TEST(sched_fo_ovf_sequences)
{
	/* fo keeps to the heaviest, however loaded */
	pair_init_abc(&pr, &xvs_sched_fo, "AB", (int[]){1, 2});
	CHECK_BIND_SEQ(&pr, "BBBB");
	/* ... and fails over when its weight drops */
	pair_edit(&pr, 'B', 1);
	CHECK_BIND_SEQ(&pr, "AA");
	/* a new heavier server, at the head, takes over */
	pair_add(&pr, 'C', 5);
	CHECK_BIND_SEQ(&pr, "CC");
	pair_del(&pr, 'C');
	CHECK_BIND_SEQ(&pr, "A");

	/* ovf fills B to its weight (active > 2 skips it), then A to its
	 * weight, then nothing */
	pair_init_abc(&pr, &xvs_sched_ovf, "AB", (int[]){1, 2});
	CHECK_BIND_SEQ(&pr, "BBBAA-");
	/* a connection on B ends: B takes one more */
	pair_load(&pr, 'B', 2, 0, 0);
	CHECK_BIND_SEQ(&pr, "B-");
	/* a new server takes the overflow */
	pair_add(&pr, 'C', 1);
	CHECK_BIND_SEQ(&pr, "CC-");
}

/* name, ops, seed, scenarios, picks, max servers, weights, max conns,
 * overload %, bind */
static const struct family fo_families[] = {
	{"fo", &xvs_sched_fo, 0xf0000001, 1500, 50, 12, weight_small, 4, 25,
	 true},
	{"fo big weights", &xvs_sched_fo, 0xf0000002, 500, 50, 12, weight_big,
	 4, 25, true},
	{"ovf", &xvs_sched_ovf, 0xf0000003, 1500, 50, 12, weight_small, 8, 20,
	 true},
	{"ovf up to 40 servers", &xvs_sched_ovf, 0xf0000004, 300, 100, 40,
	 weight_small, 12, 20, true},
};

TEST(sched_model_fo)
{
	MODEL_CHECK_ALL(fo_families);
}
