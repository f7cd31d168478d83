// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the keepalived.conf reader (daemon/conf), fed as
 * the text of a configuration file (built by `make fuzz`).
 * Includes name real files, so glob() is replaced here by one that finds
 * nothing: a fuzzer must not walk the file system with a pattern such as
 * "include /x/x/x" with stars.
 * Literal include names are still opened and read (or refused).
 */
#include <glob.h>
#include <stdint.h>
#include <stdlib.h>
#include "conf/conf.h"

int glob(const char *pattern, int flags,
	 int (*errfunc)(const char *epath, int eerrno), glob_t *pglob)
{
	(void)pattern;
	(void)flags;
	(void)errfunc;
	(void)pglob;
	return GLOB_NOMATCH;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvs_conf *c;

	if (size > 65536)
		return 0;
	c = xvs_conf_parse("fuzz.conf", (const char *)data, size, NULL, NULL);
	xvs_conf_free(c);
	return 0;
}
