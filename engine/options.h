/* SPDX-License-Identifier: MIT */
/*
 * The command line:
 *   netprint -r FILE [-r FILE...] [options]      files read directly, no DPDK
 *   netprint -i IFACE [options]                  DPDK started by netprint (net_af_packet)
 *   netprint EAL-ARGS -- [-r FILE...] [options]  the operator's EAL and ports
 *                                                (files through net_pcap)
 */
#ifndef NP_OPTIONS_H
#define NP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#define NP_MAX_FILES 16
#define NP_MAX_FP_FILES 16
#define NP_OPT_MAX_WORKERS 64		/* engine.h's NP_MAX_WORKERS */

/* Exit status: 0 done, 1 an error (said on stderr), 2 bad usage, and: */
#define NP_EXIT_DAMAGED 3	/* a capture ended on a damaged record; what came before was read */

struct np_options {
	const char *read_files[NP_MAX_FILES];	/* -r, one worker each */
	unsigned n_read_files;
	const char *iface;			/* -i */
	const char *fp_files[NP_MAX_FP_FILES];	/* -f, in order; the bundled set by default */
	unsigned n_fp_files;
	const char *log_file;			/* -o */
	const char *json_file;			/* --json, "-" for stdout */
	const char *api_sock;			/* -s */
	const char *http_listen;		/* --http ADDR:PORT */
	const char *http_token_file;		/* --http-token FILE */
	const char *http_proxies[8];		/* --http-trusted-proxy CIDR, NP_HTTP_MAX_PROXIES */
	unsigned n_http_proxies;
	const char *nats_urls;			/* --nats URL[,URL...] */
	const char *sensor;			/* --sensor NAME (default: the host name) */
	const char *nats_stream;		/* --nats-stream NAME */
	const char *nats_creds, *nats_tls_ca;	/* --nats-creds FILE, --nats-tls-ca FILE */
	uint32_t nats_queue;			/* --nats-queue N records */
	int64_t nats_max_bytes, nats_max_age;	/* --nats-max-bytes N, --nats-max-age SECONDS */
	int nats_replicas;			/* --nats-replicas N */
	const char *user;			/* -u: switch to this user after start */
	const char *chroot_dir;			/* -c: chroot here first (needs -u) */
	uint32_t max_conn, max_hosts;		/* -m */
	uint32_t conn_max_age, host_idle_limit;	/* -t */
	unsigned stats_period;			/* --stats N seconds, 0 = at exit only */
	unsigned mbufs;				/* --mbufs N per RX queue, 0 = default */
	unsigned workers;			/* --workers N for one file, 0 = default */
	const char *bench_replay;		/* --bench-replay FILE (EAL, no port) */
	int eal_argc;				/* EAL arguments before "--", if any */
	char **eal_argv;
};

/* Fills o; returns 0, or 2 after printing why (usage errors). */
int np_options_parse(int argc, char **argv, struct np_options *o);

#endif /* NP_OPTIONS_H */
