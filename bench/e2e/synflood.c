// SPDX-License-Identifier: GPL-2.0
/*
 * synflood: TCP SYNs from random sources to one address and port, as fast
 * as one CPU can send them, for a bounded time. The benchmark's flood
 * (bench/e2e/run.sh): an AF_PACKET socket bypassing the qdisc, batches of
 * prebuilt frames through sendmmsg, each frame with a fresh source
 * address (from --src-net), source port and sequence number, and correct
 * IPv4 and TCP checksums, so that the real servers take the SYNs as
 * genuine.
 *
 * It refuses addresses outside 198.18.0.0/15, the benchmarking range the
 * test namespaces use, so it cannot be pointed at anything else.
 *
 * Prints one JSON line: frames sent, seconds, frames per second, and
 * send errors (a full device queue, counted, not fatal).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME_LEN                                                              \
	(sizeof(struct ether_header) + sizeof(struct iphdr) +                  \
	 sizeof(struct tcphdr))
#define BENCH_NET 0xc6120000u  /* 198.18.0.0 */
#define BENCH_MASK 0xfffe0000u /* /15 */
#define MAX_SECONDS 600
#define STR(x) #x
#define XSTR(x) STR(x)

struct flood {
	int fd;
	uint8_t src_mac[ETH_ALEN];
	uint8_t dst_mac[ETH_ALEN];
	uint32_t dst;	   /* host order */
	uint16_t dport;	   /* host order */
	uint32_t src_net;  /* host order */
	uint32_t src_mask; /* host order */
	uint64_t rng;	   /* xorshift64 state */
	uint8_t frames[BATCH][FRAME_LEN];
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: synflood --interface IF --dst-mac MAC --dst IP:PORT\n"
		"                --src-net NET/LEN --seconds N\n\n"
		"Sends TCP SYNs from random addresses of NET/LEN and\n"
		"random ports to IP:PORT through IF (AF_PACKET, qdisc\n"
		"bypassed), frames to MAC, as fast as it can for N\n"
		"seconds (at most %d). Addresses must be in\n"
		"198.18.0.0/15. Prints one JSON line: sent, seconds,\n"
		"pps, errors.\n",
		MAX_SECONDS);
}

static uint64_t rng_next(struct flood *f)
{
	uint64_t x = f->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return f->rng = x;
}

static int in_bench_net(uint32_t addr)
{
	return (addr & BENCH_MASK) == BENCH_NET;
}

/* One's complement sum of len bytes (len even), not folded. */
static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint16_t *p = buf;

	for (; len > 1; len -= 2)
		sum += *p++;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The fixed parts of every frame: Ethernet, IPv4 (no options), TCP SYN. */
static void frame_init(const struct flood *f, uint8_t *frame)
{
	struct ether_header *eth = (struct ether_header *)frame;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct tcphdr *th = (struct tcphdr *)(ip + 1);

	memset(frame, 0, FRAME_LEN);
	memcpy(eth->ether_dhost, f->dst_mac, ETH_ALEN);
	memcpy(eth->ether_shost, f->src_mac, ETH_ALEN);
	eth->ether_type = htons(ETHERTYPE_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + sizeof(*th));
	ip->frag_off = htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->daddr = htonl(f->dst);
	th->dest = htons(f->dport);
	th->doff = sizeof(*th) / 4;
	th->syn = 1;
	th->window = htons(64240);
}

/* A fresh source, port and sequence number, and both checksums. */
static void frame_randomise(struct flood *f, uint8_t *frame)
{
	struct iphdr *ip =
		(struct iphdr *)(frame + sizeof(struct ether_header));
	struct tcphdr *th = (struct tcphdr *)(ip + 1);
	uint64_t r = rng_next(f);
	uint32_t sum;

	ip->saddr = htonl(f->src_net | ((uint32_t)r & ~f->src_mask));
	ip->id = (uint16_t)(r >> 32);
	ip->check = 0;
	ip->check = csum_fold(csum_add(0, ip, sizeof(*ip)));
	th->source = htons((uint16_t)(1024 + (r >> 40) % 64511));
	th->seq = (uint32_t)(r >> 16);
	th->check = 0;
	/* Pseudo-header: addresses, protocol, TCP length. */
	sum = csum_add(0, &ip->saddr, 8);
	sum += htons(IPPROTO_TCP) + htons(sizeof(*th));
	th->check = csum_fold(csum_add(sum, th, sizeof(*th)));
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[ETH_ALEN];
	char extra;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &extra) != ETH_ALEN)
		return -1;
	for (int i = 0; i < ETH_ALEN; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

/* "A.B.C.D<sep>N" with min <= N <= max: an address and port
 * ("198.18.0.100:80") or a network ("198.19.0.0/16"). */
static int parse_addr_num(const char *s, char sep, unsigned long min,
			  unsigned long max, uint32_t *addr, unsigned long *num)
{
	char buf[64], *at, *end;
	struct in_addr a;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	at = strchr(buf, sep);
	if (!at)
		return -1;
	*at = '\0';
	errno = 0;
	*num = strtoul(at + 1, &end, 10);
	if (inet_pton(AF_INET, buf, &a) != 1 || errno || *end ||
	    at[1] == '\0' || *num < min || *num > max)
		return -1;
	*addr = ntohl(a.s_addr);
	return 0;
}

static int parse_dst(const char *s, uint32_t *addr, uint16_t *port)
{
	unsigned long p;

	if (parse_addr_num(s, ':', 1, 65535, addr, &p))
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static int parse_net(const char *s, uint32_t *net, uint32_t *mask)
{
	unsigned long len;

	if (parse_addr_num(s, '/', 15, 32, net, &len))
		return -1;
	*mask = len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
	*net &= *mask;
	return 0;
}

/* A raw socket on ifname, past the qdisc, that never receives; and the
 * interface's MAC. */
static int flood_open(struct flood *f, const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	struct ifreq ifr = {0};
	int one = 1;

	f->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (f->fd < 0)
		return -errno;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || strlen(ifname) >= IFNAMSIZ)
		return -ENODEV;
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(f->fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(f->src_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	if (setsockopt(f->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) < 0 ||
	    bind(f->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends batches until the deadline; counts frames sent and failed. */
static void flood_run(struct flood *f, double seconds, uint64_t *sent,
		      uint64_t *errors, double *elapsed)
{
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	double start = now_s(), end = start + seconds;

	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		frame_init(f, f->frames[i]);
		iov[i].iov_base = f->frames[i];
		iov[i].iov_len = FRAME_LEN;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	*sent = *errors = 0;
	while (now_s() < end) {
		int n;

		for (int i = 0; i < BATCH; i++)
			frame_randomise(f, f->frames[i]);
		n = sendmmsg(f->fd, msgs, BATCH, 0);
		if (n < 0) {
			*errors += BATCH;
			continue;
		}
		*sent += (uint64_t)n;
		*errors += (uint64_t)(BATCH - n);
	}
	*elapsed = now_s() - start;
}

/* An option's value is not what it should be: says so, quoting it. */
static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "synflood: not %s: `%s'\n", what, arg);
	return 2;
}

/* The options into f, ifname and seconds: 0, or the exit status. */
static int parse_args(int argc, char **argv, struct flood *f,
		      const char **ifname, double *seconds)
{
	static const struct option opts[] = {
		{"interface", required_argument, NULL, 'i'},
		{"dst-mac", required_argument, NULL, 'm'},
		{"dst", required_argument, NULL, 'd'},
		{"src-net", required_argument, NULL, 'n'},
		{"seconds", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int have = 0, c;
	char *end;

	while ((c = getopt_long(argc, argv, "i:m:d:n:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			*ifname = optarg;
			have |= 1;
			break;
		case 'm':
			if (parse_mac(optarg, f->dst_mac))
				return bad("a MAC", optarg);
			have |= 2;
			break;
		case 'd':
			if (parse_dst(optarg, &f->dst, &f->dport) ||
			    !in_bench_net(f->dst))
				return bad("IP:PORT in 198.18.0.0/15", optarg);
			have |= 4;
			break;
		case 'n':
			if (parse_net(optarg, &f->src_net, &f->src_mask) ||
			    !in_bench_net(f->src_net))
				return bad("NET/LEN (15-32) in 198.18.0.0/15",
					   optarg);
			have |= 8;
			break;
		case 't':
			errno = 0;
			*seconds = strtod(optarg, &end);
			if (errno || *end || !(*seconds > 0) ||
			    *seconds > MAX_SECONDS)
				return bad("seconds, more than 0 and at "
					   "most " XSTR(MAX_SECONDS),
					   optarg);
			have |= 16;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (have != 31 || optind != argc) {
		usage(stderr);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct flood f;
	const char *ifname = NULL;
	uint64_t sent, errors;
	double seconds = 0, elapsed;
	int rc;

	rc = parse_args(argc, argv, &f, &ifname, &seconds);
	if (rc)
		return rc;
	rc = flood_open(&f, ifname);
	if (rc) {
		fprintf(stderr, "synflood: %s: %s\n", ifname, strerror(-rc));
		return 1;
	}
	f.rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() ^
		(uint64_t)(now_s() * 1e9);
	flood_run(&f, seconds, &sent, &errors, &elapsed);
	close(f.fd);
	printf("{\"sent\": %llu, \"seconds\": %.3f, \"pps\": %.0f, "
	       "\"errors\": %llu}\n",
	       (unsigned long long)sent, elapsed, (double)sent / elapsed,
	       (unsigned long long)errors);
	return 0;
}
