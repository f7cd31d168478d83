// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

static int to_stderr = 1;

void xvs_log_open(int foreground)
{
	to_stderr = foreground;
	if (!foreground)
		openlog("xvsd", LOG_PID, LOG_DAEMON);
}

void xvs_log(int prio, const char *fmt, ...)
{
	static const char *const names[] = { "emerg", "alert", "crit",
					      "error", "warning", "notice",
					      "info", "debug" };
	char ts[32];
	struct tm tm;
	time_t now;
	va_list ap;

	va_start(ap, fmt);
	if (!to_stderr) {
		vsyslog(prio, fmt, ap);
		va_end(ap);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	fprintf(stderr, "%s xvsd %s: ", ts, names[prio & 7]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
