// SPDX-License-Identifier: GPL-2.0
/* Runs every TEST() linked into the binary; see test.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

#define MAX_TESTS 512

static struct {
	const char *name;
	xvs_test_fn fn;
} tests[MAX_TESTS];
static int n_tests, n_failed;

void xvs_test_register(const char *name, xvs_test_fn fn)
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "too many tests; raise MAX_TESTS\n");
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests++].fn = fn;
}

void xvs_test_report(int ok, const char *test, const char *file, int line,
		     const char *expr, const char *fmt, ...)
{
	va_list ap;

	if (!strncmp(test, "test_", 5))
		test += 5;
	if (ok) {
		printf("ok - %s: %s\n", test, expr);
		return;
	}
	n_failed++;
	printf("not ok - %s: %s (%s:%d): ", test, expr, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int main(int argc, char **argv)
{
	/* optional argument: run only tests whose name contains it */
	for (int i = 0; i < n_tests; i++)
		if (argc < 2 || strstr(tests[i].name, argv[1]))
			tests[i].fn();
	return n_failed ? 1 : 0;
}
