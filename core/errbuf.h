/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library functions never print: they fill a caller-owned buffer and
 * return -errno. xvs_fail does both in one statement:
 *     return xvs_fail(err, errlen, -ENOENT, "No such service %s", name);
 */
#ifndef XVS_ERRBUF_H
#define XVS_ERRBUF_H

#include <stddef.h>

int xvs_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
