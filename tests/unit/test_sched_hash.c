// SPDX-License-Identifier: GPL-2.0
/*
 * sh, dh and mh against IPVS. The expected buckets, slots and picks below
 * were computed outside xvs (a Python transliteration of lib/siphash.c,
 * include/linux/hash.h, ip_vs_sh.c and ip_vs_mh.c), and hsiphash is
 * checked against the kernel's own test vectors (lib/siphash_kunit.c).
 * mh's table is also compared slot for slot with ref_mh_populate below, a
 * literal re-implementation of IPVS's permutate/populate loops over a
 * linked list and a bitmap, independent of core/sched_mh.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sched_dh.h"
#include "sched_mh.h"
#include "sched_sh.h"
#include "test.h"

/* ---- fixtures ---- */

#define NDEST 8

static struct xvs_sched_list list;
static struct xvs_table_dest tdest[XVS_MAX_DESTS_PER_SVC];
static struct xvs_sched_table table;
static struct xvs_sched_load load[NDEST + 1];

static void set_addr(union xvs_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, a->bytes);
}

/* A list "ABC" with these weights: dest ids 1, 2, 3 in list order, real
 * servers 198.18.1.1:80, .2, .3, last weights equal to the weights. */
static void list_set(const char *names, const int *w)
{
	memset(&list, 0, sizeof(list));
	memset(load, 0, sizeof(load));
	list.n = (__u32)strlen(names);
	for (__u32 i = 0; i < list.n; i++) {
		char a[32];

		list.e[i].dest_id = i + 1;
		list.e[i].weight = w[i];
		snprintf(a, sizeof(a), "198.18.1.%u", i + 1);
		set_addr(&tdest[i].addr, a);
		tdest[i].port = htons(80);
		tdest[i].last_weight = w[i];
	}
	xvs_sched_list_finish(&list);
	xvs_sched_load_install(load, NDEST + 1);
}

static int build(const struct xvs_sched_ops *ops, __u32 mh_size)
{
	struct xvs_table_src src = {
		.list = &list,
		.dest = tdest,
		.mh_size = mh_size,
		.af = XVS_AF_INET,
	};

	memset(&table, 0xa5, sizeof(table));
	return ops->table_build(&src, &table);
}

/* The table as letters, slots [0, n): '-' for an empty slot. */
static const char *table_str(__u32 n)
{
	static char s[512];

	for (__u32 i = 0; i < n && i < sizeof(s) - 1; i++)
		s[i] = table.slot[i] == XVS_TABLE_NONE ? '-'
						       : (char)('A' + table.slot[i]);
	s[n < sizeof(s) - 1 ? n : sizeof(s) - 1] = 0;
	return s;
}

static void table_count(int *count)
{
	memset(count, 0, NDEST * sizeof(int));
	for (__u32 i = 0; i < table.size; i++)
		if (table.slot[i] < NDEST)
			count[table.slot[i]]++;
}

/* One pick for a client saddr:sport -> daddr; 'A'.. or '-' for none. */
static char pick(const struct xvs_sched_ops *ops, const char *saddr,
		 __u16 sport, const char *daddr, __u32 flags)
{
	struct xvs_conn_key key = {
		.sport = htons(sport),
		.dport = htons(80),
		.proto = IPPROTO_TCP,
		.af = strchr(saddr, ':') ? XVS_AF_INET6 : XVS_AF_INET,
	};
	struct xvs_sched_in in = { .key = &key, .flags = flags,
				   .table = &table };
	__u64 state = xvs_sched_state_init();
	__s32 k;

	set_addr(&key.saddr, saddr);
	set_addr(&key.daddr, daddr);
	k = ops->pick(&list, &state, &in);
	if (state != xvs_sched_state_init())
		return '!'; /* the hashing schedulers keep no state */
	return k < 0 ? '-' : k < (__s32)list.n ? (char)('A' + k) : '?';
}

static void overload(int dest, int on)
{
	load[list.e[dest].dest_id].flags = on ? XVS_DEST_LOAD_OVERLOAD : 0;
}

/* One expected pick: client saddr:sport to daddr with -b flags. */
struct pick_case {
	const char *what;
	const char *saddr;
	__u16 sport;
	const char *daddr;
	__u32 flags;
	char want; /* 'A'.., '-' for none */
};

static void check_picks(const struct xvs_sched_ops *ops,
			const struct pick_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char got = pick(ops, c[i].saddr, c[i].sport, c[i].daddr,
				c[i].flags);

		CHECK(got == c[i].want, "%s %s: %s:%u got %c, want %c",
		      ops->name, c[i].what, c[i].saddr, c[i].sport, got,
		      c[i].want);
	}
}

#define CHECK_PICKS(ops, ...)                                              \
	do {                                                               \
		const struct pick_case c_[] = { __VA_ARGS__ };             \
		check_picks(ops, c_, sizeof(c_) / sizeof(c_[0]));          \
	} while (0)

/* ---- the hashes ---- */

TEST(sched_hsiphash_kernel_vectors)
{
	/* lib/siphash_kunit.c, BITS_PER_LONG == 64: hsiphash of the bytes
	 * 0, 1, ..., len-1 under the key 00 01 .. 0f. */
	static const __u32 want[8] = { 0x050fc4dc, 0x7d57ca93, 0x4dc7d44d,
				       0xe7ddf7fb, 0x88d38328, 0x49533b67,
				       0xc59f22a7, 0x9bb11140 };
	const __u64 k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;

	for (__u32 len = 0; len < 8; len++) {
		__u64 m = 0;
		__u32 h;

		for (__u32 i = 0; i < len; i++)
			m |= (__u64)i << (8 * i);
		h = xvs_hsiphash_short(m, len, k0, k1);
		CHECK(h == want[len], "len %u: 0x%08x, want 0x%08x", len, h,
		      want[len]);
	}
}

TEST(sched_hash_32)
{
	/* GOLDEN_RATIO_32 0x61C88647: 1 * it >> 24 */
	CHECK(xvs_hash_32(1, 8) == 0x61, "%u", xvs_hash_32(1, 8));
	CHECK(xvs_hash_32(0xC6120001u, 8) == 188, "%u",
	      xvs_hash_32(0xC6120001u, 8));
	CHECK(xvs_hash_32(0, 8) == 0, "%u", xvs_hash_32(0, 8));
}

/* ---- sh ---- */

TEST(sched_sh_table)
{
	int c[NDEST];

	/* Each server takes `weight` consecutive buckets, round and round:
	 * 256 = 85 * 3 + 1, so A gets the last one too. */
	list_set("AB", (int[]){ 2, 1 });
	CHECK(!build(&xvs_sched_sh, 0) && table.size == 256, "size %u",
	      table.size);
	CHECK(!strcmp(table_str(12), "AABAABAABAAB"), "%s", table_str(12));
	CHECK(table.slot[255] == 0, "bucket 255: %u", table.slot[255]);
	table_count(c);
	CHECK(c[0] == 171 && c[1] == 85, "A %d B %d", c[0], c[1]);

	/* A weight-0 server still takes one bucket. */
	list_set("ABC", (int[]){ 0, 2, 1 });
	build(&xvs_sched_sh, 0);
	CHECK(!strcmp(table_str(12), "ABBCABBCABBC"), "%s", table_str(12));

	/* A weight larger than the table: one server takes every bucket. */
	list_set("AB", (int[]){ 300, 1 });
	build(&xvs_sched_sh, 0);
	table_count(c);
	CHECK(c[0] == 256 && c[1] == 0, "A %d B %d", c[0], c[1]);

	list_set("", (int[]){ 0 });
	build(&xvs_sched_sh, 0);
	CHECK(!strcmp(table_str(8), "--------"), "%s", table_str(8));
	CHECK(pick(&xvs_sched_sh, "198.18.0.1", 1, "198.18.0.100", 0) == '-',
	      "empty service");
}

TEST(sched_sh_pick)
{
	const char *v4 = "198.18.0.100", *v6 = "2001:db8::100";

	list_set("AB", (int[]){ 2, 1 });
	build(&xvs_sched_sh, 0);
	CHECK_PICKS(&xvs_sched_sh,
		/* bucket = hash_32(ntohl(saddr), 8) */
		{ "bucket 188", "198.18.0.1", 1000, v4, 0, 'B' },
		{ "bucket 30", "198.18.0.2", 1000, v4, 0, 'A' },
		{ "bucket 128", "198.18.0.3", 1000, v4, 0, 'B' },
		/* the port only counts with sh-port: 188 -> 180 */
		{ "port ignored", "198.18.0.1", 2000, v4, 0, 'B' },
		{ "sh-port, 180", "198.18.0.1", 1000, v4, XVS_SH_FLAG_PORT,
		  'A' },
		{ "sh-port, 62", "198.18.7.9", 1000, v4, XVS_SH_FLAG_PORT,
		  'B' },
		/* IPv6: the four words XORed */
		{ "IPv6, 160", "2001:db8::2", 1000, v6, 0, 'A' },
		{ "IPv6 sh-port, 152", "2001:db8::2", 1000, v6,
		  XVS_SH_FLAG_PORT, 'B' },
		/* the destination does not matter */
		{ "other VIP", "198.18.0.2", 1000, "198.18.0.7", 0, 'A' });
}

TEST(sched_sh_unavailable_and_fallback)
{
	/* ABBC repeated; 198.18.0.1 hashes to 188 (A, weight 0). */
	list_set("ABC", (int[]){ 0, 2, 1 });
	build(&xvs_sched_sh, 0);
	CHECK(pick(&xvs_sched_sh, "198.18.0.1", 1, "198.18.0.100", 0) == '-',
	      "weight 0 without sh-fallback");
	/* The walk re-hashes with roffset = offset + 188: buckets 120 (A),
	 * then 121 (B). */
	CHECK(pick(&xvs_sched_sh, "198.18.0.1", 1, "198.18.0.100",
		   XVS_SH_FLAG_FALLBACK) == 'B', "fallback");
	overload(1, 1); /* B: 121 and 122 too, then 123 (C) */
	CHECK(pick(&xvs_sched_sh, "198.18.0.1", 1, "198.18.0.100",
		   XVS_SH_FLAG_FALLBACK) == 'C', "fallback past OVERLOAD");
	/* 198.18.0.2 -> 30 (B): OVERLOAD makes it unavailable too. */
	CHECK(pick(&xvs_sched_sh, "198.18.0.2", 1, "198.18.0.100", 0) == '-',
	      "OVERLOAD");
	overload(2, 1);
	CHECK(pick(&xvs_sched_sh, "198.18.0.1", 1, "198.18.0.100",
		   XVS_SH_FLAG_FALLBACK) == '-', "nothing available");
	overload(1, 0);
	overload(2, 0);
	/* An available server is kept whatever the flag. */
	CHECK(pick(&xvs_sched_sh, "198.18.0.2", 1, "198.18.0.100",
		   XVS_SH_FLAG_FALLBACK) == 'B', "198.18.0.2 fallback");
}

/* ---- dh ---- */

TEST(sched_dh)
{
	list_set("ABC", (int[]){ 5, 1, 1 });
	CHECK(!build(&xvs_sched_dh, 0) && table.size == 256, "size %u",
	      table.size);
	/* One bucket each, weights ignored. */
	CHECK(!strcmp(table_str(7), "ABCABCA"), "%s", table_str(7));
	CHECK_PICKS(&xvs_sched_dh,
		/* bucket = hash_32(ntohl(daddr), 8); the source does not
		 * matter */
		{ "bucket 141", "198.18.0.1", 1, "198.18.0.100", 0, 'A' },
		{ "other client", "198.18.0.2", 9, "198.18.0.100", 0, 'A' },
		{ "bucket 239", "198.18.0.1", 1, "198.18.0.101", 0, 'C' },
		{ "IPv6, 20", "2001:db8::1", 1, "2001:db8::100", 0, 'C' });
	overload(2, 1);
	list.e[0].weight = 0;
	CHECK_PICKS(&xvs_sched_dh,
		{ "OVERLOAD", "198.18.0.1", 1, "198.18.0.101", 0, '-' },
		{ "weight 0", "198.18.0.1", 1, "198.18.0.100", 0, '-' });
	list_set("", (int[]){ 0 });
	build(&xvs_sched_dh, 0);
	CHECK_PICKS(&xvs_sched_dh,
		{ "empty", "198.18.0.1", 1, "198.18.0.100", 0, '-' });
}

/* ---- mh ---- */

/*
 * IPVS's ip_vs_mh_permutate + ip_vs_mh_populate as written in the kernel:
 * svc->destinations as a circular list with a head, dest_setup in list
 * order, a bitmap of taken slots. Fills want[] with list positions.
 */
struct ref_node {
	struct ref_node *next;
	int pos; /* list position; -1 for the head */
};

static void ref_mh_populate(__u32 m, int tab_bits, __u16 *want)
{
	struct ref_node head = { .pos = -1 }, node[NDEST], *p;
	struct {
		unsigned int offset, skip, perm;
		int turns;
	} ds[NDEST], *d;
	unsigned char *bits = calloc((m + 7) / 8, 1);
	int g = 0, mw = 0, rshift, n, c, dt_count;

	/* the list */
	p = &head;
	for (__u32 i = 0; i < list.n; i++) {
		node[i].pos = (int)i;
		p->next = &node[i];
		p = &node[i];
	}
	p->next = &head;
	/* ip_vs_mh_gcd_weight, ip_vs_mh_shift_weight */
	for (p = head.next; p != &head; p = p->next) {
		int w = tdest[p->pos].last_weight, a = w, b = g;

		if (w > 0) {
			if (g > 0) {
				while (b) {
					int t = a % b;
					a = b;
					b = t;
				}
				g = a;
			} else {
				g = w;
			}
		}
		if (w > mw)
			mw = w;
	}
	for (__u32 i = 0; i < m; i++)
		want[i] = XVS_TABLE_NONE;
	if (g < 1)
		goto out;
	rshift = 0;
	for (int v = mw / g; v; v >>= 1)
		rshift++;
	rshift -= tab_bits;
	if (rshift < 0)
		rshift = 0;
	/* ip_vs_mh_permutate */
	d = &ds[0];
	for (p = head.next; p != &head; p = p->next, d++) {
		struct xvs_table_dest *td = &tdest[p->pos];
		unsigned int v = ntohs(td->port) + ntohl(td->addr.v4);
		int lw = td->last_weight;

		d->offset = xvs_hsiphash_short(v, 4, 2654435761UL,
					       2654435761UL) % m;
		d->skip = xvs_hsiphash_short(v, 4, 2654446892UL,
					     2654446892UL) % (m - 1) + 1;
		d->perm = d->offset;
		d->turns = ((lw / g) >> rshift) ? ((lw / g) >> rshift)
						: (lw != 0);
	}
	/* ip_vs_mh_populate */
	p = &head;
	n = 0;
	dt_count = 0;
	while (n < (int)m) {
		if (p == &head)
			p = p->next;
		d = &ds[0];
		while (p != &head) {
			if (d->turns < 1) {
				p = p->next;
				d++;
				continue;
			}
			c = (int)d->perm;
			while (bits[c / 8] & (1 << (c % 8))) {
				d->perm += d->skip;
				if (d->perm >= m)
					d->perm -= m;
				c = (int)d->perm;
			}
			bits[c / 8] |= (unsigned char)(1 << (c % 8));
			want[c] = (__u16)p->pos;
			if (++n == (int)m)
				goto out;
			if (++dt_count >= d->turns) {
				dt_count = 0;
				p = p->next;
				d++;
			}
		}
	}
out:
	free(bits);
}

/* xvs's table equals the reference's, slot for slot. */
static int mh_matches_ref(__u32 m, int tab_bits, char *msg, size_t len)
{
	static __u16 want[XVS_MH_TAB_SIZE_MAX];

	ref_mh_populate(m, tab_bits, want);
	if (table.size != m) {
		snprintf(msg, len, "size %u, want %u", table.size, m);
		return 0;
	}
	for (__u32 i = 0; i < m; i++)
		if (table.slot[i] != want[i]) {
			snprintf(msg, len, "slot %u: %u, want %u", i,
				 table.slot[i], want[i]);
			return 0;
		}
	return 1;
}

TEST(sched_mh_table_exact)
{
	char msg[128] = "";
	int c[NDEST];

	/* Computed outside xvs: A=3 B=1 C=2, M=251. */
	list_set("ABC", (int[]){ 3, 1, 2 });
	CHECK(!build(&xvs_sched_mh, 251), "build");
	CHECK(!strcmp(table_str(40),
		      "ACCACAACABBAACCACAACAABAACCACAACAABCCCCA"),
	      "%s", table_str(40));
	/* 41 rounds of 3+1+2 = 246 slots, then A takes 3, B 1, C 1 */
	table_count(c);
	CHECK(c[0] == 126 && c[1] == 42 && c[2] == 83, "A %d B %d C %d", c[0],
	      c[1], c[2]);
	CHECK(mh_matches_ref(251, 4, msg, sizeof(msg)), "%s", msg);

	/* The default size: 4093 = 682 rounds of 6, then A takes 1. */
	CHECK(!build(&xvs_sched_mh, XVS_MH_TAB_SIZE_DEFAULT), "build 4093");
	table_count(c);
	CHECK(c[0] == 2047 && c[1] == 682 && c[2] == 1364, "A %d B %d C %d",
	      c[0], c[1], c[2]);
	CHECK(mh_matches_ref(4093, 6, msg, sizeof(msg)), "%s", msg);
}

TEST(sched_mh_table_weights)
{
	char msg[128] = "";
	int c[NDEST], filled;

	/* rshift: 1000/1 needs 10 bits, M=251 allows 4 (INDEX 8 / 2), so
	 * turns are 1000 >> 6 = 15 and 1: 15 rounds of 16, then A 11. */
	list_set("AB", (int[]){ 1000, 1 });
	build(&xvs_sched_mh, 251);
	table_count(c);
	CHECK(c[0] == 236 && c[1] == 15, "A %d B %d", c[0], c[1]);
	CHECK(mh_matches_ref(251, 4, msg, sizeof(msg)), "%s", msg);

	/* gcd: 40, 20, 20 behave as 2, 1, 1; every slot filled. */
	list_set("ABCDE", (int[]){ 40, 20, 20, 7, 13 });
	for (int i = 0; i < 5; i++) {
		__u32 m = (__u32[]){ 251, 509, 1021, 2039, 65521 }[i];

		build(&xvs_sched_mh, m);
		table_count(c);
		filled = c[0] + c[1] + c[2] + c[3] + c[4];
		CHECK(filled == (int)m, "M %u: %d slots filled", m, filled);
		CHECK(mh_matches_ref(m, (8 + xvs_mh_size_index(m)) / 2, msg,
				     sizeof(msg)),
		      "M %u: %s", m, msg);
	}

	/* Last weights: a server edited to weight 0 keeps its slots; one
	 * added with weight 0 has none. */
	list_set("ABC", (int[]){ 3, 1, 2 });
	tdest[1].last_weight = 0;
	list.e[1].weight = 0;
	build(&xvs_sched_mh, 251);
	table_count(c);
	CHECK(c[1] == 0 && c[0] + c[2] == 251, "A %d B %d C %d", c[0], c[1],
	      c[2]);
	CHECK(mh_matches_ref(251, 4, msg, sizeof(msg)), "%s", msg);

	/* All last weights 0: an empty table. */
	list_set("AB", (int[]){ 0, 0 });
	build(&xvs_sched_mh, 251);
	CHECK(!strcmp(table_str(8), "--------"), "%s", table_str(8));

	/* Sizes: only IPVS's primes; no more servers than slots. */
	CHECK(build(&xvs_sched_mh, 4096) == -EINVAL, "4096");
	CHECK(xvs_mh_size_index(131071) == 9 && xvs_mh_size_index(4093) == 4,
	      "indexes");
	list_set("AB", (int[]){ 1, 1 });
	list.n = 252;
	CHECK(build(&xvs_sched_mh, 251) == -E2BIG, "252 servers in 251");
}

TEST(sched_mh_pick)
{
	const char *v4 = "198.18.0.100";

	list_set("ABC", (int[]){ 3, 1, 2 });
	build(&xvs_sched_mh, 251);
	CHECK_PICKS(&xvs_sched_mh,
		/* slot = hsiphash(ntohl(saddr)) % 251 */
		{ "slot 60", "198.18.0.1", 1000, v4, 0, 'C' },
		{ "slot 94", "198.18.0.2", 1000, v4, 0, 'A' },
		{ "slot 207", "198.18.0.3", 1000, v4, 0, 'C' },
		{ "IPv6, slot 216", "2001:db8::1", 1000, "2001:db8::100", 0,
		  'A' },
		/* with the port: hsiphash(1000 + ntohl(saddr)) % 251 */
		{ "mh-port, 114", "198.18.0.1", 1000, v4, XVS_MH_FLAG_PORT,
		  'A' },
		{ "mh-port, 203", "198.18.0.3", 1000, v4, XVS_MH_FLAG_PORT,
		  'B' });

	/* C to weight 0: its slots stay (last weight 2)... */
	list.e[2].weight = 0;
	build(&xvs_sched_mh, 251);
	CHECK(table.slot[60] == 2, "slot 60 kept C: %u", table.slot[60]);
	CHECK_PICKS(&xvs_sched_mh,
		/* ...lookups fail, unless mh-fallback re-hashes with
		 * roffset = offset + 60: hsiphash(60 + ntohl(saddr)) % 251
		 * = 247 (A) */
		{ "weight 0", "198.18.0.1", 1000, v4, 0, '-' },
		{ "fallback", "198.18.0.1", 1000, v4, XVS_MH_FLAG_FALLBACK,
		  'A' });
	overload(0, 1);
	overload(1, 1);
	CHECK_PICKS(&xvs_sched_mh,
		{ "nothing available", "198.18.0.1", 1000, v4,
		  XVS_MH_FLAG_FALLBACK, '-' },
		{ "OVERLOAD", "198.18.0.2", 1000, v4, 0, '-' });
}

/* Maglev's point: removing one of n servers moves the flows it had and
 * only a few others. */
TEST(sched_mh_disruption)
{
	char before[200], after;
	int moved = 0, lost = 0;

	list_set("ABCDE", (int[]){ 1, 1, 1, 1, 1 });
	build(&xvs_sched_mh, XVS_MH_TAB_SIZE_DEFAULT);
	for (int i = 0; i < 200; i++) {
		char a[32];

		snprintf(a, sizeof(a), "198.18.%d.%d", 2 + i / 100, i % 100 + 1);
		before[i] = pick(&xvs_sched_mh, a, 1, "198.18.0.100", 0);
	}
	/* Delete C (list position 2): D and E move up one position. */
	memmove(&list.e[2], &list.e[3], 2 * sizeof(list.e[0]));
	memmove(&tdest[2], &tdest[3], 2 * sizeof(tdest[0]));
	list.n = 4;
	build(&xvs_sched_mh, XVS_MH_TAB_SIZE_DEFAULT);
	for (int i = 0; i < 200; i++) {
		char a[32], b = before[i];

		snprintf(a, sizeof(a), "198.18.%d.%d", 2 + i / 100, i % 100 + 1);
		after = pick(&xvs_sched_mh, a, 1, "198.18.0.100", 0);
		if (b > 'C')
			b--; /* same server, new position */
		if (before[i] == 'C')
			lost++;
		else if (after != b)
			moved++;
	}
	CHECK(lost > 20 && moved <= 200 / 20, "%d on C, %d others moved",
	      lost, moved);
}
