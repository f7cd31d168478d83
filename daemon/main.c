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
#include "cluster.h"
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
	const char *config; /* --config: keepalived.conf's LVS part */
	const char *config_test; /* --config-test: check it and exit */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xvsd --interface IF [--interface IF ...] [options]\n"
		"       xvsd --config-test FILE\n"
		"\n"
		"  -i, --interface IF        attach the data plane to IF "
		"(repeatable)\n"
		"      --config FILE         services, real servers and health "
		"checks\n"
		"                            from keepalived.conf's LVS part; "
		"SIGHUP\n"
		"                            re-reads it and applies the "
		"difference\n"
		"      --config-test FILE    check FILE, print its errors and "
		"warnings;\n"
		"                            exit 0 if it is usable, 1 if not\n"
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
		{ "config", required_argument, NULL, 'c' },
		{ "config-test", required_argument, NULL, 'T' },
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
		case 'c':
			o->config = optarg;
			break;
		case 'T':
			o->config_test = optarg;
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
	if (!o->n_ifaces && !o->config_test) {
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

/* Where the configuration's messages go: a stream, or the log (NULL). */
struct conf_out {
	FILE *errors, *warnings;
};

static void conf_print(void *data, enum xvs_conf_level level, const char *file,
		       int line, const char *msg)
{
	const struct conf_out *out = data;
	FILE *f = level == XVS_CONF_ERROR ? out->errors : out->warnings;
	const char *what = level == XVS_CONF_ERROR ? "error" : "warning";
	char where[512];

	if (line)
		snprintf(where, sizeof(where), "%s:%d", file, line);
	else
		snprintf(where, sizeof(where), "%s", file);
	if (f)
		fprintf(f, "%s: %s: %s\n", where, what, msg);
	else
		xvs_log(level == XVS_CONF_ERROR ? LOG_ERR : LOG_WARNING,
			"%s: %s: %s", where, what, msg);
}

/* Reads path and checks it as the cluster will apply it, every message
 * to out. NULL if it is not usable. */
static struct xvs_conf *conf_read(const char *path, struct conf_out *out)
{
	struct xvs_conf *c = xvs_conf_load(path, conf_print, out);

	if (c && xvs_cluster_check(c, conf_print, out)) {
		xvs_conf_free(c);
		c = NULL;
	}
	return c;
}

/* --config-test: touches nothing, needs no interface. */
static int config_test(const char *path)
{
	struct conf_out out = { stderr, stderr };
	struct xvs_conf *c = conf_read(path, &out);

	if (!c)
		return 1;
	xvs_conf_free(c);
	printf("%s: usable\n", path);
	return 0;
}

/* What the signal handler needs. */
struct daemon_state {
	const char *config;
	struct xvs_cluster *cl;
};

/* SIGHUP: the file again, applied as a difference; a file with errors
 * changes nothing. */
static void reload(struct daemon_state *d)
{
	struct conf_out out = { NULL, NULL };
	struct xvs_conf *c;
	char err[512];

	if (!d->config) {
		xvs_log(LOG_NOTICE, "SIGHUP: no configuration file to reload "
				    "(xvsd --config FILE)");
		return;
	}
	xvs_log(LOG_NOTICE, "SIGHUP: reloading %s", d->config);
	c = conf_read(d->config, &out);
	if (!c) {
		xvs_log(LOG_ERR, "%s has errors: the running configuration "
				 "stays",
			d->config);
		return;
	}
	if (xvs_cluster_apply(d->cl, c, err, sizeof(err))) {
		xvs_log(LOG_ERR, "%s: %s: the running configuration stays",
			d->config, err);
		return;
	}
	xvs_log(LOG_NOTICE, "%s reloaded", d->config);
}

static void on_signal(struct xvs_loop *loop, int signo, void *data)
{
	if (signo == SIGHUP) {
		reload(data);
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
	struct conf_out start_out = { stderr, NULL };
	struct daemon_state state = { 0 };
	struct xvs_conf *conf = NULL;
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
	if (o.config_test)
		return config_test(o.config_test);
	signal(SIGPIPE, SIG_IGN);
	xvs_log_open(o.foreground);
	/* Before daemonizing: its errors reach the terminal. */
	state.config = o.config;
	if (o.config && !(conf = conf_read(o.config, &start_out))) {
		fprintf(stderr, "xvsd: %s is not usable\n", o.config);
		return 1;
	}
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
	    xvs_loop_on_signals(loop, sigs, 3, on_signal, &state)) {
		snprintf(err, sizeof(err), "cannot set up timers and signals");
		goto fail;
	}
	if (conf) {
		state.cl = xvs_cluster_new(&table, loop);
		if (!state.cl) {
			snprintf(err, sizeof(err), "out of memory");
			goto fail;
		}
		rc = xvs_cluster_apply(state.cl, conf, err, sizeof(err));
		conf = NULL; /* the cluster's, or freed */
		if (rc) {
			rc = 1;
			goto fail;
		}
		xvs_log(LOG_INFO, "configuration %s applied", o.config);
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
	xvs_cluster_free(state.cl); /* checks stop; omega's scripts run */
	xvs_conf_free(conf);
	if (dp)
		xvs_table_clear(&table);
	xvs_resolver_stop(res);
	xvs_ipc_server_stop(srv);
	xvs_dp_close(dp);
	xvs_loop_free(loop);
	return rc;
}
