// SPDX-License-Identifier: GPL-2.0
/* Counting and forwarding the reader's messages; see diag.h. */
#include <stdarg.h>
#include <stdio.h>
#include "diag.h"

void conf_msg(struct conf_diag *d, enum xvs_conf_level level, const char *file,
	      int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (d->gave_up)
		return;
	if (level == XVS_CONF_ERROR)
		d->errors++;
	else
		d->warnings++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->fn)
		d->fn(d->data, level, file, line, msg);
	if (d->errors >= CONF_MAX_ERRORS) {
		d->gave_up = 1;
		if (d->fn)
			d->fn(d->data, XVS_CONF_ERROR, file, line,
			      "too many errors; giving up");
	}
}
