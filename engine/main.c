/* SPDX-License-Identifier: MIT */
/*
 * netprint -r FILE [-f p0f.fp] [-o LOG]: start EAL with a net_pcap device
 * reading FILE, one worker lcore that parses and matches, the logger on the
 * main lcore, and exit once every packet of the file has been processed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "engine.h"

#ifndef NP_DEFAULT_FP
#define NP_DEFAULT_FP "p0f.fp"
#endif

/* p0f's defaults and limits for -m and -t. */
#define NP_MAX_CONN 1000
#define NP_MAX_HOSTS 10000
#define NP_CONN_MAX_AGE 30	/* seconds */
#define NP_HOST_IDLE_LIMIT 120	/* minutes */
#define NP_RING_SIZE 16384
#define NP_NB_MBUF 8191
#define NP_NB_RXD 1024

static atomic_bool quit_flag;

bool
np_engine_quit(void)
{
	return atomic_load_explicit(&quit_flag, memory_order_relaxed);
}

void
np_engine_request_quit(void)
{
	atomic_store(&quit_flag, true);
}

static void
on_signal(int sig)
{
	if (np_engine_quit()) {
		signal(sig, SIG_DFL);	/* a second signal forces the exit */
		raise(sig);
	}
	np_engine_request_quit();
}

struct options {
	const char *read_file;
	const char *fp_file;
	const char *log_file;
	const char *json_file;			/* --json, "-" for stdout */
	const char *api_sock;			/* -s */
	uint32_t max_conn, max_hosts;		/* -m */
	uint32_t conn_max_age, host_idle_limit;	/* -t */
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: netprint -r FILE [-f p0f.fp] [-o LOG] [--json FILE|-] [-s SOCK] [-m C,H] [-t C,H]\n"
		"  -r FILE      read packets from a pcap capture\n"
		"  -f FILE      signature database (default %s)\n"
		"  -o FILE      append p0f log lines to FILE\n"
		"  --json FILE  append one JSON object per record to FILE (- : stdout,\n"
		"               instead of the p0f blocks)\n"
		"  -s SOCK      answer p0f API queries (and JSON lines) on a unix socket;\n"
		"               with -r, keep answering after the capture until stopped\n"
		"  -m C,H   at most C tracked connections, H hosts (default %u,%u)\n"
		"  -t C,H   connection age limit C seconds, host idle limit H minutes\n"
		"           (default %u,%u)\n",
		NP_DEFAULT_FP, NP_MAX_CONN, NP_MAX_HOSTS, NP_CONN_MAX_AGE, NP_HOST_IDLE_LIMIT);
}

/* "A,B" with A in 1..max_a and B in 1..max_b, as p0f's -m and -t. */
static int
parse_pair(const char *opt, const char *arg, uint32_t max_a, uint32_t max_b, uint32_t *a,
	   uint32_t *b)
{
	unsigned long x, y;
	char *end;

	errno = 0;
	x = strtoul(arg, &end, 10);
	if (end != arg && *end == ',') {
		const char *p = end + 1;

		y = strtoul(p, &end, 10);
		if (end != p && !*end && !errno && x >= 1 && x <= max_a && y >= 1 && y <= max_b) {
			*a = (uint32_t)x;
			*b = (uint32_t)y;
			return 0;
		}
	}
	fprintf(stderr, "netprint: %s %s: expected two numbers A,B with 1 <= A <= %u, 1 <= B <= %u\n",
		opt, arg, max_a, max_b);
	return -1;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	int c;

	o->fp_file = NP_DEFAULT_FP;
	o->max_conn = NP_MAX_CONN;
	o->max_hosts = NP_MAX_HOSTS;
	o->conn_max_age = NP_CONN_MAX_AGE;
	o->host_idle_limit = NP_HOST_IDLE_LIMIT;
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((c = getopt_long(argc, argv, "r:f:o:s:m:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->read_file = optarg; break;
		case 'f': o->fp_file = optarg; break;
		case 'o': o->log_file = optarg; break;
		case 'J': o->json_file = optarg; break;
		case 's': o->api_sock = optarg; break;
		case 'm':
			if (parse_pair("-m", optarg, 100000, 500000, &o->max_conn, &o->max_hosts))
				return -1;
			break;
		case 't':
			if (parse_pair("-t", optarg, 1000000, 1000000, &o->conn_max_age,
				       &o->host_idle_limit))
				return -1;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "netprint: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!o->read_file) {
		fprintf(stderr, "netprint: -r FILE is required (live capture is not supported yet)\n");
		usage(stderr);
		return -1;
	}
	return 0;
}

/* An output file, appended to and created 0600 as p0f does its log. */
static FILE *
open_output(const char *path, const char *what)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;

	if (!f) {
		fprintf(stderr, "netprint: %s: cannot open %s: %s\n", path, what, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/* Two CPUs we may run on: the worker and the main (logger) lcore. */
static void
pick_cpus(int *a, int *b)
{
	cpu_set_t set;
	int found = 0;

	*a = *b = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int c = 0; c < CPU_SETSIZE && found < 2; c++)
		if (CPU_ISSET(c, &set))
			*(found++ ? b : a) = c;
	if (found == 1)
		*b = *a;
}

static int
start_eal(const char *argv0, const char *pcap_path)
{
	char lcores[64], vdev[PATH_MAX + 64];
	int cpu_a, cpu_b;

	pick_cpus(&cpu_a, &cpu_b);
	snprintf(lcores, sizeof(lcores), "--lcores=0@%d,1@%d", cpu_a, cpu_b);
	snprintf(vdev, sizeof(vdev), "--vdev=net_pcap0,rx_pcap=%s", pcap_path);
	char *eal_argv[] = {
		(char *)argv0, "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
		"--no-telemetry", "--log-level=*:error", lcores, vdev, NULL,
	};
	int eal_argc = (int)(sizeof(eal_argv) / sizeof(eal_argv[0])) - 1;

	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "netprint: cannot start DPDK: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static int
setup_port(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf = { 0 };
	int rc;

	if ((rc = rte_eth_dev_configure(port, 1, 0, &conf)) ||
	    (rc = rte_eth_rx_queue_setup(port, 0, NP_NB_RXD, rte_eth_dev_socket_id(port), NULL,
					 pool)) ||
	    (rc = rte_eth_dev_start(port))) {
		fprintf(stderr, "netprint: cannot start port %u: %s\n", port, rte_strerror(-rc));
		return -1;
	}
	return 0;
}

static void
print_summary(const struct np_worker *w, const struct np_logger *lg, uint64_t frames)
{
	fprintf(stderr, "netprint: %llu of %llu frames read\n",
		(unsigned long long)w->ctr[NP_CTR_RX_PKTS], (unsigned long long)frames);
	for (unsigned i = 0; i < NP_CTR_COUNT; i++)
		if (i == NP_CTR_RX_PKTS || w->ctr[i] || i == NP_CTR_PARSED)
			fprintf(stderr, "netprint:   %-36s %llu\n", np_worker_ctr_names[i],
				(unsigned long long)w->ctr[i]);
	fprintf(stderr, "netprint:   %-36s %llu\n", "flows evicted (table full)",
		(unsigned long long)w->obs.flows.stats.evicted);
	fprintf(stderr, "netprint:   %-36s %llu\n", "records written",
		(unsigned long long)lg->written);
}

int
main(int argc, char **argv)
{
	struct options opt = { 0 };
	struct np_capture_info cap;
	char err[NP_DB_ERR_MAX];
	struct np_db *db;
	FILE *log = NULL, *json = NULL;
	struct np_api *api = NULL;
	int status = 1;

	if (parse_options(argc, argv, &opt))
		return 2;
	if (strchr(opt.read_file, ',')) {
		fprintf(stderr, "netprint: %s: capture paths may not contain ','\n", opt.read_file);
		return 1;
	}
	if (!(db = np_db_load(opt.fp_file, err, sizeof(err)))) {
		fprintf(stderr, "netprint: %s\n", err);
		return 1;
	}
	if (np_capture_scan(opt.read_file, &cap, err, sizeof(err))) {
		fprintf(stderr, "netprint: %s\n", err);
		goto out_db;
	}
	if (!np_link_dlt_supported(cap.dlt)) {
		fprintf(stderr, "netprint: %s: unsupported link type %d\n", opt.read_file, cap.dlt);
		goto out_db;
	}
	if (opt.log_file && !(log = open_output(opt.log_file, "log")))
		goto out_db;
	if (opt.json_file) {
		json = strcmp(opt.json_file, "-") ? open_output(opt.json_file, "JSON output") :
						    stdout;
		if (!json)
			goto out_log;
	}
	if (opt.api_sock && !(api = np_api_open(opt.api_sock, err, sizeof(err)))) {
		fprintf(stderr, "netprint: %s\n", err);
		goto out_log;
	}

	if (start_eal(argv[0], opt.read_file))
		goto out_log;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	uint16_t port;
	struct rte_mempool *pool = NULL;
	struct rte_ring *ring = NULL;
	struct np_worker *w = NULL;
	struct np_hosts hosts = { 0 };
	if (rte_eth_dev_get_port_by_name("net_pcap0", &port)) {
		fprintf(stderr, "netprint: net_pcap device did not start\n");
		goto out_eal;
	}
	pool = rte_pktmbuf_pool_create("np_mbufs", NP_NB_MBUF, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       rte_socket_id());
	ring = rte_ring_create_elem("np_ring0", sizeof(struct np_record), NP_RING_SIZE,
				    rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	w = rte_zmalloc("np_worker", sizeof(*w), RTE_CACHE_LINE_SIZE);
	if (w) {
		w->scratch = rte_malloc("np_scratch", 65536, 0);
		w->observation = rte_malloc("np_observation", sizeof(*w->observation), 0);
		w->elems = rte_malloc("np_elems", NP_WORKER_ELEMS * sizeof(*w->elems), 0);
	}
	if (!pool || !ring || !w || !w->scratch || !w->observation || !w->elems) {
		fprintf(stderr, "netprint: out of DPDK memory\n");
		goto out_eal;
	}
	if (setup_port(port, pool))
		goto out_eal;
	if (np_observer_init(&w->obs, opt.max_conn, opt.conn_max_age, opt.max_hosts,
			     opt.host_idle_limit, np_worker_event, w)) {
		fprintf(stderr, "netprint: out of memory for the flow table\n");
		goto out_port;
	}
	if (np_hosts_init(&hosts, np_observer_host_capacity(opt.max_conn, opt.max_hosts), 1,
			  np_flow_capacity(&w->obs.flows))) {
		fprintf(stderr, "netprint: out of memory for the host table\n");
		goto out_obs;
	}
	w->port = port;
	w->ring = ring;
	w->db = db;
	w->db_gen = 1;
	w->lossless = true;
	w->expect_pkts = cap.frames;
	np_link_init(&w->link, cap.dlt);
	if (rte_mbuf_dyn_rx_timestamp_register(&w->ts_offset, &w->ts_flag))
		w->ts_offset = -1;

	struct np_worker *workers[] = { w };
	static struct np_logger lg;
	lg = (struct np_logger){
		.workers = workers, .n_workers = 1, .hosts = &hosts, .api = api, .log = log,
		.json = json, .blocks = json == stdout ? NULL : stdout,
	};
	w->lcore = rte_get_next_lcore(-1, 1, 0);
	if (w->lcore >= RTE_MAX_LCORE ||
	    rte_eal_remote_launch(np_worker_main, w, w->lcore)) {
		fprintf(stderr, "netprint: no worker lcore available\n");
		goto out_obs;
	}
	np_logger_run(&lg);
	rte_eal_mp_wait_lcore();

	print_summary(w, &lg, cap.frames);
	if (api) {
		fprintf(stderr, "netprint: capture done; answering queries on %s until stopped\n",
			opt.api_sock);
		while (!np_engine_quit())
			np_api_poll(api, &hosts, 200);
	}
	status = 0;
	if (w->ctr[NP_CTR_RX_PKTS] != cap.frames && !np_engine_quit()) {
		fprintf(stderr, "netprint: error: the capture device delivered %llu of %llu frames\n",
			(unsigned long long)w->ctr[NP_CTR_RX_PKTS], (unsigned long long)cap.frames);
		status = 1;
	}
	if (lg.json_errors)
		fprintf(stderr, "netprint: warning: %llu records could not be written as JSON\n",
			(unsigned long long)lg.json_errors);
	if (lg.write_errors || (log && ferror(log)) || (json && ferror(json)) || ferror(stdout)) {
		fprintf(stderr, "netprint: error: output write failed\n");
		status = 1;
	}
out_obs:
	np_hosts_fini(&hosts);
	np_observer_fini(&w->obs);
out_port:
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
out_eal:
	if (w) {
		rte_free(w->scratch);
		rte_free(w->observation);
		rte_free(w->elems);
	}
	rte_free(w);
	rte_ring_free(ring);
	rte_mempool_free(pool);
	rte_eal_cleanup();
out_log:
	np_api_close(api);
	if (log && fclose(log)) {
		fprintf(stderr, "netprint: %s: %s\n", opt.log_file, strerror(errno));
		status = 1;
	}
	if (json && json != stdout && fclose(json)) {
		fprintf(stderr, "netprint: %s: %s\n", opt.json_file, strerror(errno));
		status = 1;
	}
out_db:
	np_db_free(db);
	return status;
}
