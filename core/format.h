/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsadm 1.31's listings, column for column: -L (plain, --stats, --rate,
 * --thresholds, --persistent-conn, --tun-info, each with or without -n and
 * --exact) and -S, printed from the daemon's XVS_OP_LIST reply. Library
 * code: the only output goes to the FILE the caller passes.
 */
#ifndef XVS_FORMAT_H
#define XVS_FORMAT_H

#include <stdio.h>
#include "ipc.h"

/* Listing flags, as ipvsadm's FMT_*. */
#define XVS_FMT_NUMERIC (1u << 0)	 /* -n: no name lookups */
#define XVS_FMT_RULE (1u << 1)		 /* -S: commands, not a table */
#define XVS_FMT_STATS (1u << 2)		 /* --stats */
#define XVS_FMT_RATE (1u << 3)		 /* --rate */
#define XVS_FMT_THRESHOLDS (1u << 4)	 /* --thresholds */
#define XVS_FMT_PERSISTENTCONN (1u << 5) /* --persistent-conn */
#define XVS_FMT_NOSORT (1u << 6)	 /* --nosort: daemon's order */
#define XVS_FMT_EXACT (1u << 7)		 /* --exact: no K/M/G/T */
#define XVS_FMT_TUN_INFO (1u << 8)	 /* --tun-info */

/* One service of a LIST reply and its real servers, pointing into it. */
struct xvs_list_svc {
	const struct xvs_svc_info *svc;
	const struct xvs_dest_info **dests; /* n = svc->n_dests */
};

/* A LIST reply split into services. */
struct xvs_list {
	size_t n;
	struct xvs_list_svc *svcs;
};

/*
 * Splits the LIST reply body (len bytes) into *list, checking that every
 * n_dests fits in what is left. The list points into body, which must
 * outlive it. Returns 0, -EPROTO (message in err) or -ENOMEM.
 */
int xvs_list_parse(const void *body, size_t len, struct xvs_list *list,
		   char *err, size_t errlen);
void xvs_list_free(struct xvs_list *list);

/* Sorts services by protocol, address, port and each service's real
 * servers by address, port, as ipvsadm does. Cost O(n log n). */
void xvs_list_sort(struct xvs_list *list);

/*
 * Prints the whole listing as `ipvsadm -L` / `ipvsadm -S` would, with
 * flags fmt: the "IP Virtual Server version" line when info is not NULL
 * (ipvsadm omits it when listing one service, and for -S), then the
 * column titles, then every service and its real servers. Sorts list
 * unless XVS_FMT_NOSORT.
 */
void xvs_format_list(FILE *f, const struct xvs_info *info,
		     struct xvs_list *list, unsigned int fmt);

/* ipvsadm's print_largenum: "%9llu", or from 100 million on the value
 * divided down with a K/M/G/T suffix; with XVS_FMT_EXACT always exact,
 * one space wider than the number when it needs more than 8 digits. */
void xvs_format_largenum(FILE *f, unsigned long long n, unsigned int fmt);

/*
 * -L -c: splits an XVS_OP_CONN_LIST reply (len bytes) into its header and
 * records (pointing into body). Returns 0 or -EPROTO (message in err).
 */
int xvs_conn_list_parse(const void *body, size_t len,
			const struct xvs_conn_list **hdr,
			const struct xvs_conn_info **recs, char *err,
			size_t errlen);
/* Prints n connections as `ipvsadm -L -c` does, names resolved unless
 * XVS_FMT_NUMERIC (which may block in getnameinfo() per address). */
void xvs_format_conns(FILE *f, const struct xvs_conn_info *c, size_t n,
		      unsigned int fmt);
/* -L --timeout: "Timeout (tcp tcpfin udp): 900 120 300". */
void xvs_format_timeout(FILE *f, const struct xvs_info *info);

#endif /* XVS_FORMAT_H */
