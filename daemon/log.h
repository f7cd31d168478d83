/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's log: one line per event, to stderr in the foreground and
 * to syslog (daemon facility) otherwise. Never called per packet.
 */
#ifndef XVS_DAEMON_LOG_H
#define XVS_DAEMON_LOG_H

#include <syslog.h>

void xvs_log_open(int foreground);
void xvs_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
