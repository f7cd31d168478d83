// SPDX-License-Identifier: GPL-2.0
/*
 * The connection thresholds' rules (core/threshold.h) as IPVS states them
 * in ip_vs_bind_dest, ip_vs_unbind_dest and __ip_vs_update_dest: a table
 * of (u, l, active, inactive) with the answer of each rule, edges
 * included. The data plane's use of them is tested in
 * tests/bpf/test_threshold.c.
 */
#include "test.h"
#include "threshold.h"

TEST(threshold_rules)
{
	static const struct {
		__u32 u, l, active, inactive;
		int reached, cleared;
	} cases[] = {
		/* no thresholds: never set, always cleared */
		{0, 0, 100, 100, 0, 1},
		/* u only: set at u, cleared below 3/4 of u */
		{10, 0, 9, 0, 0, 0}, /* 36 < 30 is false */
		{10, 0, 5, 5, 1, 0},
		{10, 0, 0, 10, 1, 0},
		{10, 0, 8, 0, 0, 0}, /* 32 < 30 is false */
		{10, 0, 7, 0, 0, 1}, /* 28 < 30 */
		{4, 0, 2, 0, 0, 1},  /* 8 < 12 */
		{4, 0, 3, 0, 0, 0},  /* 12 < 12 is false */
		{4, 0, 1, 1, 0, 1},  /* 8 < 12 */
		/* l set: cleared below l, whatever u */
		{10, 6, 5, 0, 0, 1},
		{10, 6, 6, 0, 0, 0},
		{10, 6, 3, 3, 0, 0},
		{10, 10, 9, 0, 0, 1},
		/* l without u (IPVS refuses it at configuration) */
		{0, 5, 9, 0, 0, 0},
		/* u 1: the first connection sets it, and the last release
		 * clears it (0 < 3) */
		{1, 0, 0, 1, 1, 0},
		{1, 0, 0, 0, 0, 1},
	};
	int bad = -1;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) && bad < 0; i++)
		if (xvs_threshold_reached(cases[i].u, cases[i].active,
					  cases[i].inactive) !=
			    cases[i].reached ||
		    xvs_threshold_cleared(cases[i].u, cases[i].l,
					  cases[i].active, cases[i].inactive) !=
			    cases[i].cleared)
			bad = (int)i;
	CHECK(bad < 0, "case %d wrong", bad);
}

TEST(threshold_edit)
{
	/* __ip_vs_update_dest clears OVERLOAD when the new u is 0 or above
	 * the old one */
	CHECK(xvs_threshold_edit_clears(10, 0), "u 10 -> 0 must clear");
	CHECK(xvs_threshold_edit_clears(10, 11), "u 10 -> 11 must clear");
	CHECK(!xvs_threshold_edit_clears(10, 10), "u 10 -> 10 must not clear");
	CHECK(!xvs_threshold_edit_clears(10, 9), "u 10 -> 9 must not clear");
	CHECK(xvs_threshold_edit_clears(0, 0), "u 0 -> 0 clears");
	CHECK(xvs_threshold_edit_clears(0, 5), "a new u clears");
}
