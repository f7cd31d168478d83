// SPDX-License-Identifier: GPL-2.0
/*
 * xvsd: the xvs control plane. Loads the XDP data plane onto the given
 * interfaces, owns its maps, and serves xvsadm on a UNIX socket until
 * SIGINT or SIGTERM, then detaches cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include "dataplane.h"
#include "ipc.h"
#include "ipc_server.h"
#include "log.h"
#include "loop.h"
#include "resolve.h"
#include "sched_mh.h"
#include "sweep.h"
#include "table.h"

#define XVSD_VERSION "0.1"
#define BPFFS "/sys/fs/bpf"
#define XVS_EXPIRATION_MAX (86400u * 365) /* --lblc(r)-expiration */

struct opts {
	const char *ifaces[16];
	int n_ifaces;
	const char *socket;
	const char *pin_dir;
	enum xvs_xdp_mode mode;
	int foreground;
	__u32 conn_table_size;
	int expire_quiescent; /* --expire-quiescent-template */
	__u32 mh_table_size;  /* --mh-table-size, 0 for the default */
	__u32 lblc_expiration, lblcr_expiration; /* seconds, 0: default */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xvsd --interface IF [--interface IF ...] [options]\n"
		"\n"
		"  -i, --interface IF        attach the data plane to IF "
		"(repeatable)\n"
		"  -s, --socket PATH         control socket (default %s)\n"
		"  -m, --xdp-mode MODE       native or generic (default: native,"
		"\n"
		"                            falling back to generic)\n"
		"  -f, --foreground          stay in the foreground, log to "
		"stderr\n"
		"      --conn-table-size N   connections tracked (default "
		"262144)\n"
		"      --expire-quiescent-template\n"
		"                            a persistence template whose real "
		"server\n"
		"                            has weight 0 is replaced (IPVS's "
		"sysctl)\n"
		"      --mh-table-size M     slots of mh's lookup tables, a "
		"prime of\n"
		"                            251 509 1021 2039 4093 8191 16381 "
		"32749\n"
		"                            65521 131071 (default 4093)\n"
		"      --lblc-expiration S   lblc forgets a destination unused "
		"for S\n"
		"                            seconds (default 86400)\n"
		"      --lblcr-expiration S  lblcr the same, and drops a "
		"member of a\n"
		"                            set unchanged that long (default "
		"86400)\n"
		"      --pin-dir DIR         where maps are pinned (default\n"
		"                            %s/xvs/<netns>-<socket hash>)\n"
		"  -h, --help                this text\n"
		"  -v, --version             the version\n",
		XVS_DEFAULT_SOCKET, BPFFS);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "socket", required_argument, NULL, 's' },
		{ "xdp-mode", required_argument, NULL, 'm' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "conn-table-size", required_argument, NULL, 'C' },
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "expire-quiescent-template", no_argument, NULL, 'Q' },
		{ "mh-table-size", required_argument, NULL, 'M' },
		{ "lblc-expiration", required_argument, NULL, 'L' },
		{ "lblcr-expiration", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	char *end;
	unsigned long n;
	int c;

	o->socket = getenv("XVS_SOCKET") ? getenv("XVS_SOCKET") :
					   XVS_DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "i:s:m:fhv", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'i':
			if (o->n_ifaces == 16) {
				fprintf(stderr, "xvsd: at most 16 interfaces\n");
				return 2;
			}
			o->ifaces[o->n_ifaces++] = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "native")) {
				o->mode = XVS_XDP_NATIVE;
			} else if (!strcmp(optarg, "generic")) {
				o->mode = XVS_XDP_GENERIC;
			} else {
				fprintf(stderr,
					"xvsd: --xdp-mode is native or generic, "
					"not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'C':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || n < 1024 || n > (1ul << 30)) {
				fprintf(stderr,
					"xvsd: --conn-table-size must be "
					"1024..%lu, not '%s'\n",
					1ul << 30, optarg);
				return 2;
			}
			o->conn_table_size = (__u32)n;
			break;
		case 'M':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || n > 131071 ||
			    xvs_mh_size_index((__u32)n) < 0) {
				fprintf(stderr,
					"xvsd: --mh-table-size must be one of "
					"251 509 1021 2039 4093 8191 16381 "
					"32749 65521 131071, not '%s'\n",
					optarg);
				return 2;
			}
			o->mh_table_size = (__u32)n;
			break;
		case 'L':
		case 'R':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || !n || n > XVS_EXPIRATION_MAX) {
				fprintf(stderr,
					"xvsd: --%s must be 1..%u seconds, not "
					"'%s'\n",
					c == 'L' ? "lblc-expiration"
						 : "lblcr-expiration",
					XVS_EXPIRATION_MAX, optarg);
				return 2;
			}
			*(c == 'L' ? &o->lblc_expiration
				   : &o->lblcr_expiration) = (__u32)n;
			break;
		case 'P':
			o->pin_dir = optarg;
			break;
		case 'Q':
			o->expire_quiescent = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'v':
			printf("xvsd %s (ipvsadm 1.31 compatible control, "
			       "IPVS 1.2.1 semantics)\n",
			       XVSD_VERSION);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xvsd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!o->n_ifaces) {
		fprintf(stderr, "xvsd: at least one --interface is needed\n");
		usage(stderr);
		return 2;
	}
	return 0;
}

/*
 * The default pin directory: one per network namespace and socket, so
 * instances in different namespaces (or with different sockets) never
 * share maps. Empty if bpffs is not there and cannot be mounted.
 */
static void default_pin_dir(const char *socket, char *buf, size_t len)
{
	struct statfs sfs;
	struct stat st;
	__u32 h = 2166136261u; /* FNV-1a of the socket path */

	buf[0] = 0;
	if (statfs(BPFFS, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		if (mount("bpf", BPFFS, "bpf", 0, NULL))
			return;
	}
	if (mkdir(BPFFS "/xvs", 0700) && errno != EEXIST)
		return;
	for (const char *p = socket; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	st.st_ino = 0;
	stat("/proc/self/ns/net", &st);
	snprintf(buf, len, BPFFS "/xvs/netns%lu-%08x",
		 (unsigned long)st.st_ino, h);
}

static void on_signal(struct xvs_loop *loop, int signo, void *data)
{
	(void)data;
	if (signo == SIGHUP) {
		xvs_log(LOG_NOTICE, "SIGHUP: no configuration file to reload");
		return;
	}
	xvs_log(LOG_NOTICE, "%s: detaching and exiting",
		signo == SIGINT ? "SIGINT" : "SIGTERM");
	xvs_loop_stop(loop);
}

static void on_rate_timer(struct xvs_loop *loop, long long id, void *data)
{
	(void)loop;
	(void)id;
	xvs_table_rate_sample(data);
}

/*
 * Detaches from the terminal. The parent waits for the child's word on a
 * pipe, so start-up errors still reach the terminal and the exit status.
 */
static int daemonize(int *ready_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 && c == 'y' ? 0 : 1);
	}
	close(p[0]);
	setsid();
	*ready_fd = p[1];
	return 0;
}

static void ready(int *ready_fd)
{
	int fd;

	if (*ready_fd < 0)
		return;
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	if (write(*ready_fd, "y", 1) != 1)
		xvs_log(LOG_WARNING, "cannot tell the parent we are ready");
	close(*ready_fd);
	*ready_fd = -1;
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct xvs_dp_opts dpo = { 0 };
	struct xvs_ipc_server *srv = NULL;
	struct xvs_resolver *res = NULL;
	static struct xvs_table table;
	static struct xvs_sweep sweep;
	struct xvs_loop *loop = NULL;
	struct xvs_dp *dp = NULL;
	struct opts o = { 0 };
	char pin_dir[256], err[512];
	enum xvs_xdp_mode used;
	int rc, ready_fd = -1;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	signal(SIGPIPE, SIG_IGN);
	xvs_log_open(o.foreground);
	if (!o.foreground && (rc = daemonize(&ready_fd))) {
		fprintf(stderr, "xvsd: cannot daemonize: %s\n", strerror(-rc));
		return 1;
	}
	if (o.pin_dir)
		snprintf(pin_dir, sizeof(pin_dir), "%s", o.pin_dir);
	else
		default_pin_dir(o.socket, pin_dir, sizeof(pin_dir));
	if (!pin_dir[0])
		xvs_log(LOG_WARNING, "no bpffs at " BPFFS ": maps not pinned");
	dpo.pin_dir = pin_dir[0] ? pin_dir : NULL;
	dpo.conn_table_size = o.conn_table_size;
	dpo.mh_table_size = o.mh_table_size;

	rc = 1;
	loop = xvs_loop_new(err, sizeof(err));
	if (!loop)
		goto fail;
	/* The socket first: it is the lock against a second daemon. */
	xvs_table_init(&table, NULL);
	if (xvs_ipc_server_start(&srv, o.socket, loop, &table, err,
				 sizeof(err)))
		goto fail;
	if (xvs_dp_open(&dp, &dpo, err, sizeof(err)))
		goto fail;
	table.dp = dp;
	xvs_dp_config(dp)->expire_quiescent_template = o.expire_quiescent;
	if (o.lblc_expiration)
		xvs_dp_config(dp)->lblc_expiration_s = o.lblc_expiration;
	if (o.lblcr_expiration)
		xvs_dp_config(dp)->lblcr_expiration_s = o.lblcr_expiration;
	for (int i = 0; i < o.n_ifaces; i++) {
		if (xvs_dp_attach(dp, o.ifaces[i], o.mode, &used, err,
				  sizeof(err)))
			goto fail;
		if (used == XVS_XDP_GENERIC && o.mode != XVS_XDP_GENERIC)
			xvs_log(LOG_WARNING,
				"%s: native XDP not supported, using generic "
				"mode (slower)",
				o.ifaces[i]);
		xvs_log(LOG_INFO, "attached to %s (%s XDP)", o.ifaces[i],
			used == XVS_XDP_GENERIC ? "generic" : "native");
	}
	res = xvs_resolver_start(&table, loop, err, sizeof(err));
	if (!res)
		goto fail;
	xvs_sweep_init(&sweep, dp);
	if (xvs_loop_add_timer(loop, XVS_RATE_INTERVAL_MS, 1, on_rate_timer,
			       &table) < 0 ||
	    xvs_loop_add_timer(loop, XVS_SWEEP_INTERVAL_MS, 1, xvs_sweep_tick,
			       &sweep) < 0 ||
	    xvs_loop_on_signals(loop, sigs, 3, on_signal, NULL)) {
		snprintf(err, sizeof(err), "cannot set up timers and signals");
		goto fail;
	}
	xvs_log(LOG_INFO, "ready on %s%s%s", o.socket,
		dpo.pin_dir ? ", maps pinned in " : "",
		dpo.pin_dir ? dpo.pin_dir : "");
	ready(&ready_fd);
	rc = xvs_loop_run(loop) ? 1 : 0;
	goto out;
fail:
	xvs_log(LOG_ERR, "%s", err);
	if (ready_fd >= 0)
		fprintf(stderr, "xvsd: %s\n", err);
out:
	if (dp)
		xvs_table_clear(&table);
	xvs_resolver_stop(res);
	xvs_ipc_server_stop(srv);
	xvs_dp_close(dp);
	xvs_loop_free(loop);
	return rc;
}
