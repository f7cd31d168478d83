/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages of the configuration reader: every error and warning goes to
 * the caller's xvs_conf_msg_fn as "what" with its file and line, and is
 * counted. After CONF_MAX_ERRORS errors the reader gives up (the
 * configuration is rejected anyway), so hostile input cannot flood the
 * caller or keep the reader busy.
 */
#ifndef XVS_CONF_DIAG_H
#define XVS_CONF_DIAG_H

#include "conf.h"

#define CONF_MAX_ERRORS 100

struct conf_diag {
	xvs_conf_msg_fn fn; /* may be NULL: count only */
	void *data;
	int errors;
	int warnings;
	int gave_up; /* CONF_MAX_ERRORS reached: stop reading */
};

void conf_msg(struct conf_diag *d, enum xvs_conf_level level, const char *file,
	      int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define conf_error(d, file, line, ...)                                         \
	conf_msg(d, XVS_CONF_ERROR, file, line, __VA_ARGS__)
#define conf_warning(d, file, line, ...)                                       \
	conf_msg(d, XVS_CONF_WARNING, file, line, __VA_ARGS__)

#endif /* XVS_CONF_DIAG_H */
