/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness. A test file writes
 *     TEST(wrr_sequence) { CHECK(x == 3, "got %d", x); ... }
 * and main.c runs every registered test. Each CHECK prints one TAP-style
 * line ("ok - ..." or "not ok - ..."), which tests/run.sh counts.
 */
#ifndef XVS_TEST_H
#define XVS_TEST_H

#include <stdio.h>

typedef void (*xvs_test_fn)(void);
void xvs_test_register(const char *name, xvs_test_fn fn);
void xvs_test_report(int ok, const char *test, const char *file, int line,
		     const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#define TEST(name)                                                         \
	static void test_##name(void);                                     \
	__attribute__((constructor)) static void register_##name(void)     \
	{                                                                  \
		xvs_test_register(#name, test_##name);                     \
	}                                                                  \
	static void test_##name(void)

/* CHECK(cond, fmt, ...): fmt describes the failure (printed only then). */
#define CHECK(cond, ...)                                                   \
	xvs_test_report(!!(cond), __func__, __FILE__, __LINE__, #cond,     \
			__VA_ARGS__)

#endif
