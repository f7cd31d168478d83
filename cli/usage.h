/* SPDX-License-Identifier: GPL-2.0 */
/* xvsadm's -h and -v texts. */
#ifndef XVSADM_USAGE_H
#define XVSADM_USAGE_H

#include <stdio.h>

#define XVSADM_VERSION "0.1"

void xvsadm_usage(FILE *f);
void xvsadm_version(FILE *f);

#endif /* XVSADM_USAGE_H */
