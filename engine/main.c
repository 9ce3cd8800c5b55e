/* SPDX-License-Identifier: MIT */
/*
 * netprint: workers, the logger on the main thread, the control thread
 * beside it; run until the captures are read or a signal stops it. Capture
 * files given alone are read directly, one worker thread each, without
 * DPDK; otherwise EAL starts (netprint's own arguments for -i, or the
 * operator's) and one worker lcore polls each RX queue. Everything is
 * opened first; then, before any packet is read, netprint gives up its
 * privileges (privs.c): -u's user, -c's chroot, no capability.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define URCU_INLINE_SMALL_FUNCTIONS
#include <urcu/urcu-qsbr.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "bench_replay.h"
#include "console.h"
#include "control.h"
#include "engine.h"
#include "collect.h"
#include "dbtools.h"
#include "console_assets.h"
#include "console_stats.h"
#include "http_server.h"
#include "nats_pub.h"
#include "options.h"
#include "port.h"
#include "privs.h"
#include "reader.h"

#define NP_RING_SIZE (1u << 19)	/* 16-byte slots (8 MiB): some 50,000 SYN records */
_Static_assert(NP_WORKER_BATCH < NP_RING_SIZE, "a batch fits in the ring");
#define NP_MBUFS_PER_QUEUE 4096	/* default of --mbufs */

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
	if (sig == SIGHUP) {
		np_control_request_reload();
		return;
	}
	if (sig == SIGUSR1) {
		np_logger_request_reopen();
		return;
	}
	if (np_engine_quit()) {
		signal(sig, SIG_DFL);	/* a second signal forces the exit */
		raise(sig);
	}
	np_engine_request_quit();
}

/*
 * An output file, appended to and created 0600 as p0f does its log; its
 * directory is kept for reopening it after a rotation. One that netprint
 * creates belongs to -u's user, as it would had the user created it: then
 * a SIGUSR1 without rotation reopens it too.
 */
/* --http-token FILE: its first line, read while we may (before -u / -c). */
static int
read_token(const char *path, char *tok, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f) {
		fprintf(stderr, "netprint: --http-token %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!fgets(tok, (int)size, f))
		tok[0] = 0;
	fclose(f);
	n = strcspn(tok, "\r\n");
	tok[n] = 0;
	if (n < NP_HTTP_TOKEN_MIN || n == size - 1) {
		fprintf(stderr, "netprint: --http-token %s: the first line must hold %d to %zu bytes\n",
			path, NP_HTTP_TOKEN_MIN, size - 2);
		memset(tok, 0, size);
		return -1;
	}
	return 0;
}

static FILE *
open_output(struct np_kept_path *k, const char *path, const char *what, const struct np_user *u)
{
	const int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
	char err[NP_DB_ERR_MAX];
	int fd;
	FILE *f;

	if (np_kept_path_init(k, path, err, sizeof(err))) {
		fprintf(stderr, "netprint: %s\n", err);
		return NULL;
	}
	fd = np_kept_path_open(k, flags | O_CREAT | O_EXCL, 0600);
	if (fd >= 0 && u && fchown(fd, u->uid, u->gid)) {
		fprintf(stderr, "netprint: %s: cannot give it to %s: %s\n", path, u->name,
			strerror(errno));
		close(fd);
		return NULL;
	}
	if (fd < 0 && errno == EEXIST)
		fd = np_kept_path_open(k, flags, 0);
	f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f) {
		fprintf(stderr, "netprint: %s: cannot open %s: %s\n", path, what, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

struct engine {
	struct np_options opt;
	bool direct;			/* files read by threads, no DPDK */
	bool one_file;			/* direct, one file: libnetprint's observer reads it */
	bool shared_file;		/* direct, one file: a reader shares it among workers */
	struct np_reader reader;
	struct np_dispatcher disp;	/* shared_file's reader */
	pthread_t disp_thread;
	bool disp_started;
	struct np_capture cap[NP_MAX_FILES];
	unsigned n_workers;
	pthread_t threads[NP_MAX_WORKERS];
	unsigned n_started;
	uint16_t ports[NP_WORKER_MAX_PORTS];
	uint16_t n_ports;
	struct np_bench_replay replay;	/* --bench-replay's frames */
	char http_token[256];		/* --http-token's, "" without */
	struct rte_mempool *pool;
	struct np_worker *workers[NP_MAX_WORKERS];
	struct np_hosts hosts;
	struct np_logger lg;
	struct np_control ctl;
	FILE *log, *json;
	struct np_api *api;
	struct np_kept_path fp_paths[NP_MAX_FP_FILES], log_path, json_path;
	struct np_user user;	/* -u */
};

/* Checks that need no DPDK: database, captures, outputs. */
static int
prepare(struct engine *e, struct np_db **db)
{
	char err[NP_DB_ERR_MAX];
	const struct np_options *o = &e->opt;

	for (unsigned i = 0; i < o->n_fp_files; i++)
		if (np_kept_path_init(&e->fp_paths[i], o->fp_files[i], err, sizeof(err))) {
			fprintf(stderr, "netprint: %s\n", err);
			return -1;
		}
	if (!(*db = np_db_load_kept(e->fp_paths, o->n_fp_files, err, sizeof(err)))) {
		fprintf(stderr, "netprint: %s\n", err);
		return -1;
	}
	for (unsigned i = 0; i < o->n_read_files; i++) {
		if (strchr(o->read_files[i], ',')) {
			fprintf(stderr, "netprint: %s: capture paths may not contain ','\n",
				o->read_files[i]);
			return -1;
		}
		if (np_capture_init(&e->cap[i], o->read_files[i], err, sizeof(err))) {
			fprintf(stderr, "netprint: %s\n", err);
			return -1;
		}
	}
	const struct np_user *u = o->user ? &e->user : NULL;

	if (o->log_file && !(e->log = open_output(&e->log_path, o->log_file, "log", u)))
		return -1;
	if (o->json_file && !(e->json = strcmp(o->json_file, "-") ?
			      open_output(&e->json_path, o->json_file, "JSON output", u) : stdout))
		return -1;
	if (o->http_token_file && read_token(o->http_token_file, e->http_token, sizeof(e->http_token)))
		return -1;
	if (o->api_sock && !(e->api = np_api_open(o->api_sock, err, sizeof(err)))) {
		fprintf(stderr, "netprint: %s\n", err);
		return -1;
	}
	if (e->api)
		np_api_on_reload(e->api, np_control_request_reload);
	return 0;
}

/* Ports and their packet buffers, once EAL runs. */
static int
build_ports(struct engine *e)
{
	const struct np_options *o = &e->opt;
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		if (e->n_ports == NP_WORKER_MAX_PORTS) {
			fprintf(stderr, "netprint: at most %d ports\n", NP_WORKER_MAX_PORTS);
			return -1;
		}
		e->ports[e->n_ports++] = port;
	}
	if (!e->n_ports) {
		fprintf(stderr, "netprint: no port: give -r, -i, or EAL --vdev / -a arguments\n");
		return -1;
	}
	e->pool = rte_pktmbuf_pool_create("np_mbufs",
		(o->mbufs ? o->mbufs : NP_MBUFS_PER_QUEUE) * e->n_workers * e->n_ports + 1023, 256,
		0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (!e->pool) {
		fprintf(stderr, "netprint: out of DPDK memory for packet buffers (try a larger -m)\n");
		return -1;
	}
	for (uint16_t p = 0; p < e->n_ports; p++)
		if (np_port_start(e->ports[p], (uint16_t)e->n_workers, e->pool))
			return -1;
	return 0;
}

/* A ring to the logger in ordinary memory (rte_ring_init needs no EAL). */
static struct rte_ring *
ring_new(unsigned index)
{
	char name[32];
	size_t size = (size_t)rte_ring_get_memsize_elem(sizeof(struct np_rec_slot), NP_RING_SIZE);
	struct rte_ring *r = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE));

	snprintf(name, sizeof(name), "np_ring%u", index);
	if (r && rte_ring_init(r, name, NP_RING_SIZE, RING_F_SP_ENQ | RING_F_SC_DEQ)) {
		free(r);
		r = NULL;
	}
	return r;
}

/* Workers, their rings, the host table and the logger. */
static int
build_workers(struct engine *e)
{
	const struct np_options *o = &e->opt;
	unsigned lcore = e->direct ? 0 : rte_get_next_lcore(-1, 1, 0);

	for (unsigned i = 0; i < e->n_workers; i++) {
		struct np_worker *w = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*w));

		if (!w)
			return -1;
		memset(w, 0, sizeof(*w));
		e->workers[i] = w;
		w->ring = ring_new(i);
		w->scratch = malloc(65536);
		w->observation = malloc(sizeof(*w->observation));
		w->ahead = malloc(NP_WORKER_BURST * sizeof(*w->ahead));
		w->batch = malloc(NP_WORKER_BATCH * sizeof(*w->batch));
		if (!w->ring || !w->scratch || !w->observation || !w->batch || !w->ahead) {
			fprintf(stderr, "netprint: out of memory\n");
			return -1;
		}
		if (np_tracker_init(&w->obs, o->max_conn, o->conn_max_age, o->max_hosts,
				     o->host_idle_limit, np_worker_event, w)) {
			fprintf(stderr, "netprint: out of memory for the flow table\n");
			return -1;
		}
		w->obs.worker = (uint8_t)i;
		w->tracker = &w->obs;
		np_tracker_share(&w->obs, e->n_workers);
		w->index = i;
		w->ts_offset = -1;
		/* A file is read whole; live traffic is never waited for. */
		w->lossless = o->n_read_files > 0;
		if (o->n_read_files > i)
			np_capture_link(&e->cap[i], &w->link);
		else
			np_link_init(&w->link, 1 /* Ethernet */);
		if (e->shared_file) {
			w->lcore = NP_NO_LCORE;
			w->inbox = &e->disp.inboxes[i];
			w->dispatcher = &e->disp;
			np_capture_link(&e->cap[0], &w->link);
			np_tracker_tell_expiry(&w->obs);	/* the reader keeps p0f's clock */
			continue;
		}
		if (e->direct) {
			w->lcore = NP_NO_LCORE;
			w->capture = &e->cap[i];
			continue;
		}
		w->lcore = lcore;
		lcore = rte_get_next_lcore(lcore, 1, 0);
		w->queue = (uint16_t)i;
		w->n_ports = e->n_ports;
		memcpy(w->ports, e->ports, e->n_ports * sizeof(e->ports[0]));
		w->reads_file = o->n_read_files > i;
		w->expect_pkts = w->reads_file ? e->cap[i].frames : 0;
		if (rte_mbuf_dyn_rx_timestamp_register(&w->ts_offset, &w->ts_flag))
			w->ts_offset = -1;
	}
	if (np_hosts_init(&e->hosts,
			  e->n_workers * np_tracker_host_capacity(o->max_conn, o->max_hosts),
			  e->n_workers, np_flow_capacity(&e->workers[0]->obs.flows))) {
		fprintf(stderr, "netprint: out of memory for the host table\n");
		return -1;
	}
	e->lg = (struct np_logger){
		.workers = e->workers, .n_workers = e->n_workers, .hosts = &e->hosts,
		.api = e->api, .log = e->log, .json = e->json,
		.log_path = e->log ? &e->log_path : NULL,
		.json_path = e->json && e->json != stdout ? &e->json_path : NULL,
		.blocks = e->json == stdout ? NULL : stdout,
		.heads = calloc(e->n_workers, sizeof(struct np_logger_head)),
		.text = malloc(NP_FORMAT_TEXT_MAX),
		.held = { .strings = malloc(NP_HELD_STRINGS) },
	};
	return e->lg.heads && e->lg.text && e->lg.held.strings ? 0 : -1;
}

/*
 * One file read directly: libnetprint's observer does the work (reader.c);
 * a worker struct only holds its counters for control to print, and the
 * logger only its outputs.
 */
static int
build_reader(struct engine *e)
{
	struct np_worker *w = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*w));

	if (!w)
		return -1;
	memset(w, 0, sizeof(*w));
	e->workers[0] = w;
	e->n_workers = 1;
	e->lg = (struct np_logger){
		.workers = e->workers, .n_workers = 1, .api = e->api, .log = e->log,
		.json = e->json, .log_path = e->log ? &e->log_path : NULL,
		.json_path = e->json && e->json != stdout ? &e->json_path : NULL,
		.blocks = e->json == stdout ? NULL : stdout,
		.text = malloc(NP_FORMAT_TEXT_MAX),
		.held = { .strings = malloc(NP_HELD_STRINGS) },
	};
	if (!e->lg.text || !e->lg.held.strings) {
		fprintf(stderr, "netprint: out of memory\n");
		return -1;
	}
	return np_reader_init(&e->reader, &e->opt, &e->cap[0], w, &e->lg);
}

/* Where the workers run: threads for direct files, else EAL's lcores. */
static int
build(struct engine *e)
{
	if (e->one_file)
		return build_reader(e);
	e->n_workers = e->shared_file ? e->opt.workers :
		       e->direct ? e->opt.n_read_files : rte_lcore_count() - 1;
	if (e->shared_file && np_dispatcher_init(&e->disp, &e->cap[0], e->n_workers)) {
		fprintf(stderr, "netprint: out of memory for the reader's buffers\n");
		return -1;
	}
	if (!e->n_workers) {
		fprintf(stderr, "netprint: need at least two lcores: the logger and a worker\n");
		return -1;
	}
	if (e->n_workers > NP_MAX_WORKERS) {
		fprintf(stderr, "netprint: at most %d workers\n", NP_MAX_WORKERS);
		return -1;
	}
	if (!e->direct && e->opt.n_read_files && e->opt.n_read_files != e->n_workers) {
		fprintf(stderr, "netprint: %u captures need %u workers, EAL gave %u\n",
			e->opt.n_read_files, e->opt.n_read_files, e->n_workers);
		return -1;
	}
	if (!e->direct) {
		/* net_pcap delivers the frames libpcap reads: count them to know the end */
		for (unsigned i = 0; i < e->opt.n_read_files; i++) {
			const uint8_t *f;
			uint32_t len;
			uint64_t ts;

			while (np_capture_next(&e->cap[i], &f, &len, &ts) > 0)
				;	/* a damaged record is said here; net_pcap stops there too */
		}
		if (!e->opt.bench_replay && build_ports(e))
			return -1;
	}
	if (build_workers(e))
		return -1;
	if (e->opt.bench_replay &&
	    np_bench_replay_load(&e->replay, e->opt.bench_replay, e->workers, e->n_workers))
		return -1;
	return 0;
}

/* A worker lcore's thread clears its own capabilities (they are per thread). */
static int
clear_lcore_caps(void *arg)
{
	(void)arg;
	return np_privs_clear_caps() ? -1 : 0;
}

/*
 * Everything is open (ports started, sockets bound, files and databases
 * read): give up what was needed for it, before any packet is looked at.
 */
static int
drop_privileges(struct engine *e)
{
	const struct np_user *u = e->opt.user ? &e->user : NULL;
	unsigned lcore;

	if (np_privs_drop(u, e->opt.chroot_dir))
		return -1;
	if (!e->direct) {
		/* EAL's worker threads exist already: with -u the uid switch has
		 * cleared their capabilities; without, each clears its own */
		RTE_LCORE_FOREACH_WORKER(lcore)
			if (rte_eal_remote_launch(clear_lcore_caps, NULL, lcore)) {
				fprintf(stderr, "netprint: lcore %u is busy\n", lcore);
				return -1;
			}
		RTE_LCORE_FOREACH_WORKER(lcore)
			if (rte_eal_wait_lcore(lcore) < 0) {
				fprintf(stderr, "netprint: lcore %u cannot clear its capabilities\n", lcore);
				return -1;
			}
	}
	if (np_privs_check_threads(u))
		return -1;
	/* A reload opens the databases again, as the user we are now. */
	for (unsigned i = 0; i < e->opt.n_fp_files; i++) {
		int fd = np_kept_path_open(&e->fp_paths[i], O_RDONLY | O_CLOEXEC, 0);

		if (fd < 0)
			fprintf(stderr, "netprint: warning: %s: cannot be read now (%s): a reload will fail until it can\n",
				e->fp_paths[i].path, strerror(errno));
		else
			close(fd);
	}
	return 0;
}

/* The host name as a sensor's name: letters, digits, '-' and '_' kept. */
/* --nats: publishing starts (connecting in the background). */
static int
open_nats(struct engine *e)
{
	char sensor[NP_NATS_SENSOR_MAX + 1], err[256];
	const struct np_nats_config nc = {
		.urls = e->opt.nats_urls, .sensor = e->opt.sensor ? e->opt.sensor : sensor,
		.stream = e->opt.nats_stream ? e->opt.nats_stream : "netprint",
		.creds = e->opt.nats_creds, .tls_ca = e->opt.nats_tls_ca, .queue = e->opt.nats_queue,
		.max_bytes = e->opt.nats_max_bytes, .max_age_s = e->opt.nats_max_age,
		.replicas = e->opt.nats_replicas,
	};

	np_nats_host_name(sensor, sizeof(sensor));
	if (!(e->lg.input = malloc(NP_REC_PACK_MAX))) {
		fprintf(stderr, "netprint: --nats: out of memory\n");
		return -1;
	}
	if (!(e->lg.nats = np_nats_open(&nc, err, sizeof(err)))) {
		fprintf(stderr, "netprint: %s\n", err);
		return -1;
	}
	fprintf(stderr, "netprint: publishing to NATS %s as sensor %s, stream %s\n", nc.urls,
		nc.sensor, nc.stream);
	return 0;
}

/* The records still queued go out, their acknowledgements awaited a while. */
#define NP_NATS_CLOSE_WAIT_MS 10000

static void
close_nats(struct engine *e)
{
	struct np_nats_counts c;
	uint64_t left;

	if (!e->lg.nats)
		return;
	left = np_nats_close(e->lg.nats, NP_NATS_CLOSE_WAIT_MS, &c);
	e->lg.nats = NULL;
	free(e->lg.input);
	e->lg.input = NULL;
	np_nats_print(stderr, "nats messages", &c, false);
	if (c.queued + c.dropped)
		fprintf(stderr, "netprint:   %-36s %.0f cycles per message (its JSON object, its packed input, the queue)\n",
			"nats on the logger", (double)e->lg.nats_cycles / (double)(c.queued + c.dropped));
	if (left)
		fprintf(stderr, "netprint: warning: %llu messages not acknowledged by NATS\n",
			(unsigned long long)left);
}

static int
launch(struct engine *e)
{
	if (e->one_file) {
		np_control_started(&e->ctl);
		return 0;
	}
	if (!e->direct)
		np_worker_clock_init();
	for (unsigned i = 0; i < e->n_workers; i++) {
		struct np_worker *w = e->workers[i];
		int rc = e->shared_file ? pthread_create(&e->threads[i], NULL, np_worker_take_frames, w)
			 : e->direct	? pthread_create(&e->threads[i], NULL, np_worker_read_file, w)
					: rte_eal_remote_launch(e->opt.bench_replay ? np_worker_replay :
								np_worker_main, w, w->lcore);
		if (rc) {
			fprintf(stderr, "netprint: cannot start worker %u\n", i);
			np_engine_request_quit();
			e->n_started = i;
			for (; i < e->n_workers; i++)	/* the logger must not wait for them */
				e->workers[i]->done = true;
			return -1;
		}
	}
	e->n_started = e->n_workers;
	if (e->shared_file) {
		if (pthread_create(&e->disp_thread, NULL, np_dispatcher_run, &e->disp)) {
			fprintf(stderr, "netprint: cannot start the reader\n");
			np_engine_request_quit();	/* the workers stop on their own */
			return -1;
		}
		e->disp_started = true;
	}
	np_control_started(&e->ctl);
	return 0;
}

static void
join(struct engine *e)
{
	if (e->one_file)
		return;
	if (!e->direct) {
		rte_eal_mp_wait_lcore();
		return;
	}
	if (e->disp_started)
		pthread_join(e->disp_thread, NULL);
	for (unsigned i = 0; i < e->n_started; i++)
		pthread_join(e->threads[i], NULL);
}

static void
teardown(struct engine *e)
{
	for (uint16_t p = 0; p < e->n_ports; p++)
		np_port_stop(e->ports[p]);
	for (unsigned i = 0; i < e->n_workers; i++) {
		struct np_worker *w = e->workers[i];

		if (!w)
			continue;
		if (w->tracker == &w->obs)
			np_tracker_fini(&w->obs);
		free(w->ring);
		free(w->scratch);
		free(w->observation);
		free(w->ahead);
		free(w->batch);
		free(w);
	}
	np_reader_fini(&e->reader);
	np_dispatcher_fini(&e->disp);
	np_hosts_fini(&e->hosts);
	free(e->lg.heads);
	free(e->lg.text);
	np_held_fini(&e->lg.held);
	np_bench_replay_free(&e->replay);
	if (e->pool)
		rte_mempool_free(e->pool);
}

/* Did every worker read its whole file? 1 if not, NP_EXIT_DAMAGED if one ended
 * on a damaged record, else 0. */
static int
check_files(const struct engine *e)
{
	int status = 0;

	for (unsigned i = 0; i < e->opt.n_read_files && i < e->n_workers; i++) {
		uint64_t got = e->workers[i]->ctr[NP_CTR_RX_PKTS];
		const struct np_link *lk = e->one_file ? &e->reader.obs->p.link :
					   e->shared_file ? &e->disp.link : &e->workers[i]->link;

		for (unsigned k = 1; e->shared_file && k < e->n_workers; k++)
			got += e->workers[k]->ctr[NP_CTR_RX_PKTS];	/* one file, shared */
		if (e->cap[i].error[0])
			fprintf(stderr, "netprint: %s: %s\n", e->opt.read_files[i], e->cap[i].error);
		fprintf(stderr, "netprint: %s: %llu frames read%s\n", e->opt.read_files[i],
			(unsigned long long)got, e->cap[i].truncated ? " (truncated capture)" : "");
		np_capture_report_link(&e->cap[i], lk, stderr);
		if (got != e->cap[i].frames && !np_engine_quit()) {
			fprintf(stderr, "netprint: error: the capture device delivered %llu of %llu frames\n",
				(unsigned long long)got, (unsigned long long)e->cap[i].frames);
			status = 1;
		} else if (e->cap[i].truncated && !status) {
			status = NP_EXIT_DAMAGED;
		}
	}
	return status;
}

int
main(int argc, char **argv)
{
	static struct engine e;
	struct np_db *db = NULL;
	int status = 1, rc;

	if (argc > 1 && !strcmp(argv[1], "collect"))
		return np_collect_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return np_report_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "learn"))
		return np_learn_main(argc - 1, argv + 1);
	if (np_privs_init())
		return 1;
	if ((rc = np_options_parse(argc, argv, &e.opt)))
		return rc;
	/*
	 * Before anything is opened: a stop request while netprint starts still
	 * stops it cleanly, and a reload or reopen request then (systemd's
	 * ExecReload, logrotate) is kept for when the database and the files
	 * are up, rather than killing it.
	 */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGUSR1, on_signal);
	if (e.opt.user && np_privs_lookup(e.opt.user, &e.user))
		return 1;
	if (prepare(&e, &db))
		goto out_files;

	e.direct = e.opt.n_read_files && !e.opt.eal_argc;
	e.one_file = e.direct && e.opt.n_read_files == 1 && e.opt.workers <= 1;
	e.shared_file = e.direct && e.opt.n_read_files == 1 && e.opt.workers > 1;
	if (!e.direct && np_eal_start(argv[0], &e.opt, e.opt.n_read_files ? e.opt.n_read_files : 1))
		goto out_files;

	np_control_publish_first(db);
	db = NULL;
	if (build(&e) || drop_privileges(&e))
		goto out_eal;
	e.ctl = (struct np_control){
		.fp_paths = e.fp_paths, .n_fp_files = e.opt.n_fp_files, .workers = e.workers, .n_workers = e.n_workers,
		.ports = e.ports, .n_ports = e.n_ports, .telemetry = !e.direct,
		.logger = &e.lg, .stats_period = e.opt.stats_period,
	};
	e.lg.control = &e.ctl;
	if (np_control_start(&e.ctl)) {
		fprintf(stderr, "netprint: cannot start the control thread\n");
		goto out_eal;
	}
	/* after the privileges are gone: its threads never had them */
	if (e.opt.http_listen) {
		char err[256];

		const struct np_http_config hc = {
			.listen = e.opt.http_listen, .token = e.http_token[0] ? e.http_token : NULL,
			.proxies = e.opt.http_proxies, .n_proxies = e.opt.n_http_proxies,
			.calls = np_console_calls(&e.lg),
			.assets = np_console_assets, .n_assets = np_console_n_assets,
		};

		struct rlimit fds;

		/* room for the console's connections (NP_HTTP_MAX_CONNECTIONS) */
		if (!getrlimit(RLIMIT_NOFILE, &fds) && fds.rlim_cur < fds.rlim_max) {
			fds.rlim_cur = fds.rlim_max;
			setrlimit(RLIMIT_NOFILE, &fds);
		}
		if (!(e.lg.console = np_console_stats_new())) {
			fprintf(stderr, "netprint: --http: out of memory\n");
			status = 1;
			goto out_eal;
		}
		if (!(e.lg.http = np_http_open(&hc, err, sizeof(err)))) {
			fprintf(stderr, "netprint: %s\n", err);
			status = 1;
			goto out_eal;
		}
		fprintf(stderr, "netprint: web console API on %s (port %u)\n", e.opt.http_listen,
			np_http_port(e.lg.http));
	}
	if (e.opt.nats_urls && open_nats(&e)) {
		status = 1;
		goto out_eal;
	}
	launch(&e);
	if (e.one_file)
		np_reader_run(&e.reader);
	else
		np_logger_run(&e.lg);
	join(&e);

	status = check_files(&e);
	fprintf(stderr, "netprint: %u worker%s\n", e.n_workers, e.n_workers == 1 ? "" : "s");
	np_control_print(&e.ctl, stderr);
	if ((e.api || e.lg.http) && !np_engine_quit()) {
		if (e.api)
			fprintf(stderr, "netprint: capture done; answering queries on %s until stopped\n",
				e.opt.api_sock);
		else
			fprintf(stderr, "netprint: capture done; serving the web console until stopped\n");
		while (!np_engine_quit()) {
			if (e.api)
				np_api_poll(e.api, e.lg.hosts, e.lg.http ? 1 : 20);
			else
				nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
			np_http_poll(e.lg.http, UINT64_MAX);
			np_logger_reopen_if_asked(&e.lg);
		}
	}
	if (e.lg.json_errors)
		fprintf(stderr, "netprint: warning: %llu records could not be written as JSON\n",
			(unsigned long long)e.lg.json_errors);
	if (e.lg.write_errors || (e.log && ferror(e.log)) || (e.json && ferror(e.json)) ||
	    ferror(stdout)) {
		fprintf(stderr, "netprint: error: output write failed\n");
		status = 1;
	}
out_eal:
	np_http_close(e.lg.http);
	e.lg.http = NULL;
	np_console_stats_free(e.lg.console);
	e.lg.console = NULL;
	memset(e.http_token, 0, sizeof(e.http_token));
	np_control_stop(&e.ctl);
	close_nats(&e);	/* after control, which reads its counters */
	teardown(&e);
	if (!e.direct)
		rte_eal_cleanup();
out_files:
	for (unsigned i = 0; i < e.opt.n_read_files; i++)
		np_capture_fini(&e.cap[i]);
	np_db_free(db);
	np_api_close(e.api);
	if (e.log && fclose(e.log)) {
		fprintf(stderr, "netprint: %s: %s\n", e.opt.log_file, strerror(errno));
		status = 1;
	}
	if (e.json && e.json != stdout && fclose(e.json)) {
		fprintf(stderr, "netprint: %s: %s\n", e.opt.json_file, strerror(errno));
		status = 1;
	}
	for (unsigned i = 0; i < e.opt.n_fp_files; i++)
		np_kept_path_fini(&e.fp_paths[i]);
	np_kept_path_fini(&e.log_path);
	np_kept_path_fini(&e.json_path);
	return status;
}
