/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing: p0f's options where p0f has them (-r -f -o -s -m
 * -t -u), and the EAL arguments of an operator's own ports before "--".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "options.h"

#define NP_MAX_CONN 1000
#define NP_MAX_HOSTS 10000
#define NP_CONN_MAX_AGE 30	/* seconds */
#define NP_HOST_IDLE_LIMIT 120	/* minutes */
/* p0f stops at 100000,500000; netprint's tables take more (see tracker.h):
 * libnetprint's bounds (netprint.h), the same for both */
#define NP_MAX_CONN_LIMIT NP_LIMIT_COUNT_MAX
#define NP_MAX_HOSTS_LIMIT NP_LIMIT_COUNT_MAX

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: netprint -r FILE [-r FILE...] [options]\n"
		"       netprint -i IFACE [options]\n"
		"       netprint EAL-ARGUMENTS -- [-r FILE...] [options]\n"
		"       netprint collect --nats URL[,URL...] [options]  (sensors' records from\n"
		"               NATS into one host table: netprint collect --help)\n"
		"       netprint report [--db FILE[,FILE...]]... [--json] CAPTURE...  (how well\n"
		"               databases name the captures' hosts, against their User-Agents)\n"
		"       netprint learn [-f FILE]... -r CAPTURE...  (database lines proposed from\n"
		"               the captures' labelled traffic, for review)\n"
		"  -r FILE      read a capture file (several: one worker each); read directly,\n"
		"               or through net_pcap ports when EAL arguments are given\n"
		"  -i IFACE     listen on a kernel interface (net_af_packet)\n"
		"  -f FILE      signature database; several -f are read as one, in order\n"
		"               (default %s and %s)\n"
		"  -o FILE      append p0f log lines to FILE\n"
		"  --json FILE  append one JSON object per record to FILE (- : stdout,\n"
		"               instead of the p0f blocks)\n"
		"  -s SOCK      answer p0f API queries (and JSON lines) on a unix socket;\n"
		"               with -r, keep answering after the capture until stopped\n"
		"  -m C,H       at most C tracked connections, H hosts per worker (default %u,%u)\n"
		"  -t C,H       connection age limit C seconds, host idle limit H minutes\n"
		"               (default %u,%u)\n"
		"  --stats N    print counters every N seconds (and always at exit)\n"
		"  --http ADDR:PORT  serve the web console (its pages at /, its JSON API:\n"
		"               /api/stats, /api/host/ADDR, /api/hosts?q=, /api/me,\n"
		"               /api/unknown, /api/events, /api/db); with -r, keep serving\n"
		"               after the capture\n"
		"  --http-token FILE  the token (the file's first line, 16 bytes or more)\n"
		"               that changing calls (POST /api/db/reload, /api/db/compare)\n"
		"               must show as \"Authorization: Bearer TOKEN\"; without it\n"
		"               they are refused\n"
		"  --http-trusted-proxy CIDR  a proxy (up to 8) whose X-Forwarded-For or\n"
		"               Forwarded header names the client /api/me describes\n"
		"  --nats URL[,URL...]  publish every record (its --json object and\n"
		"               \"sensor\") to NATS JetStream, subject netprint.SENSOR.KIND\n"
		"               (kind: syn, syn_ack, mtu, uptime, http_request, ...)\n"
		"  --sensor NAME  this sensor's name (default: the host name)\n"
		"  --nats-stream NAME  the stream, created if missing (default netprint)\n"
		"  --nats-creds FILE, --nats-tls-ca FILE  NATS credentials; TLS with\n"
		"               these CA certificates\n"
		"  --nats-queue N  records waiting to be published, beyond: dropped and\n"
		"               counted (default 65536)\n"
		"  --nats-max-bytes N, --nats-max-age S, --nats-replicas N  the stream's\n"
		"               limits and copies (1..5, default 1), when netprint creates it\n"
		"  --workers N  one -r FILE read directly: its frames shared by N worker\n"
		"               threads, by connection (default 1: the main thread); -m's\n"
		"               limits are then per worker\n"
		"  --mbufs N    packet buffers per RX queue (default 4096; net_pcap's\n"
		"               infinite_rx needs one per frame of its file)\n"
		"  --bench-replay FILE  (benchmark, with EAL arguments) the workers take\n"
		"               FILE's frames, put in mbufs once, over and over without a\n"
		"               device (no copy, no free), until stopped: netprint's own\n"
		"               cycles per packet\n"
		"  -u USER      once every port, socket and file is open, switch to USER's\n"
		"               uid and primary group (no other group, no capability)\n"
		"  -c DIR       with -u: chroot to DIR (a dedicated empty directory) first\n"
		"Live capture runs until SIGINT or SIGTERM; SIGHUP reloads the database;\n"
		"SIGUSR1 reopens the -o and --json files (log rotation).\n"
		"Exit status: 0 done, 1 an error, 2 bad usage, %d a capture ended on a damaged\n"
		"record (the frames before it were read).\n",
		np_db_bundled()[0], np_db_bundled()[1], NP_MAX_CONN, NP_MAX_HOSTS, NP_CONN_MAX_AGE, NP_HOST_IDLE_LIMIT,
		NP_EXIT_DAMAGED);
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

int
np_options_parse(int argc, char **argv, struct np_options *o)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'J' },
		{ "stats", required_argument, NULL, 'S' },
		{ "mbufs", required_argument, NULL, 'B' },
		{ "workers", required_argument, NULL, 'W' },
		{ "bench-replay", required_argument, NULL, 'R' },
		{ "http", required_argument, NULL, 'H' },
		{ "http-token", required_argument, NULL, 'T' },
		{ "http-trusted-proxy", required_argument, NULL, 'P' },
		{ "nats", required_argument, NULL, 'N' },
		{ "sensor", required_argument, NULL, 'n' },
		{ "nats-stream", required_argument, NULL, 'j' },
		{ "nats-creds", required_argument, NULL, 'C' },
		{ "nats-tls-ca", required_argument, NULL, 'A' },
		{ "nats-queue", required_argument, NULL, 'Q' },
		{ "nats-max-bytes", required_argument, NULL, 'X' },
		{ "nats-max-age", required_argument, NULL, 'G' },
		{ "nats-replicas", required_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->max_conn = NP_MAX_CONN;
	o->max_hosts = NP_MAX_HOSTS;
	o->conn_max_age = NP_CONN_MAX_AGE;
	o->host_idle_limit = NP_HOST_IDLE_LIMIT;

	/* EAL arguments come first, up to "--". */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			o->eal_argc = i;
			o->eal_argv = argv;
			argv[i] = argv[0];
			argc -= i;
			argv += i;
			break;
		}

	while ((c = getopt_long(argc, argv, "r:i:f:o:s:m:t:u:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (o->n_read_files == NP_MAX_FILES) {
				fprintf(stderr, "netprint: at most %d captures\n", NP_MAX_FILES);
				return 2;
			}
			o->read_files[o->n_read_files++] = optarg;
			break;
		case 'i': o->iface = optarg; break;
		case 'f':
			if (o->n_fp_files == NP_MAX_FP_FILES) {
				fprintf(stderr, "netprint: at most %d databases\n", NP_MAX_FP_FILES);
				return 2;
			}
			o->fp_files[o->n_fp_files++] = optarg;
			break;
		case 'o': o->log_file = optarg; break;
		case 'J': o->json_file = optarg; break;
		case 's': o->api_sock = optarg; break;
		case 'u': o->user = optarg; break;
		case 'c': o->chroot_dir = optarg; break;
		case 'm':
			if (parse_pair("-m", optarg, NP_MAX_CONN_LIMIT, NP_MAX_HOSTS_LIMIT, &o->max_conn,
				       &o->max_hosts))
				return 2;
			break;
		case 't':
			if (parse_pair("-t", optarg, NP_LIMIT_AGE_MAX, NP_LIMIT_AGE_MAX, &o->conn_max_age,
				       &o->host_idle_limit))
				return 2;
			break;
		case 'S':
			o->stats_period = (unsigned)strtoul(optarg, &end, 10);
			if (end == optarg || *end || !o->stats_period || o->stats_period > 86400) {
				fprintf(stderr, "netprint: --stats %s: expected 1..86400 seconds\n",
					optarg);
				return 2;
			}
			break;
		case 'B':
			o->mbufs = (unsigned)strtoul(optarg, &end, 10);
			if (end == optarg || *end || o->mbufs < 64 || o->mbufs > 4194304) {
				fprintf(stderr, "netprint: --mbufs %s: expected 64..4194304\n", optarg);
				return 2;
			}
			break;
		case 'W':
			o->workers = (unsigned)strtoul(optarg, &end, 10);
			if (end == optarg || *end || !o->workers || o->workers > NP_OPT_MAX_WORKERS) {
				fprintf(stderr, "netprint: --workers %s: expected 1..%d\n", optarg,
					NP_OPT_MAX_WORKERS);
				return 2;
			}
			break;
		case 'R':
			o->bench_replay = optarg;
			break;
		case 'H':
			o->http_listen = optarg;
			break;
		case 'T':
			o->http_token_file = optarg;
			break;
		case 'P':
			if (o->n_http_proxies == sizeof(o->http_proxies) / sizeof(o->http_proxies[0])) {
				fprintf(stderr, "netprint: at most %zu --http-trusted-proxy\n",
					sizeof(o->http_proxies) / sizeof(o->http_proxies[0]));
				return 2;
			}
			o->http_proxies[o->n_http_proxies++] = optarg;
			break;
		case 'N':
			o->nats_urls = optarg;
			break;
		case 'n':
			o->sensor = optarg;
			break;
		case 'j':
			o->nats_stream = optarg;
			break;
		case 'C':
			o->nats_creds = optarg;
			break;
		case 'A':
			o->nats_tls_ca = optarg;
			break;
		case 'Y':
			o->nats_replicas = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || o->nats_replicas < 1 || o->nats_replicas > 5) {
				fprintf(stderr, "netprint: --nats-replicas %s: expected 1 to 5\n", optarg);
				return 2;
			}
			break;
		case 'Q':
		case 'X':
		case 'G': {
			unsigned long long v = strtoull(optarg, &end, 10);

			if (!*optarg || *end || v > (c == 'Q' ? 1ull << 24 : 1ull << 50) ||
			    (c == 'Q' && !v)) {
				fprintf(stderr, "netprint: --%s %s: expected a number%s\n",
					c == 'Q' ? "nats-queue" : c == 'X' ? "nats-max-bytes" : "nats-max-age",
					optarg, c == 'Q' ? " from 1 to 16777216" : "");
				return 2;
			}
			if (c == 'Q')
				o->nats_queue = (uint32_t)v;
			else if (c == 'X')
				o->nats_max_bytes = (int64_t)v;
			else
				o->nats_max_age = (int64_t)v;
			break;
		}
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (!o->n_fp_files) {	/* libnetprint's default (lib.h) */
		o->fp_files[o->n_fp_files++] = np_db_bundled()[0];
		o->fp_files[o->n_fp_files++] = np_db_bundled()[1];
	}
	if (optind < argc) {
		fprintf(stderr, "netprint: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if ((o->sensor || o->nats_stream || o->nats_creds || o->nats_tls_ca || o->nats_queue ||
	     o->nats_max_bytes || o->nats_max_age || o->nats_replicas) && !o->nats_urls) {
		fprintf(stderr, "netprint: --sensor and the --nats-* options need --nats\n");
		return 2;
	}
	if ((o->http_token_file || o->n_http_proxies) && !o->http_listen) {
		fprintf(stderr, "netprint: --http-token and --http-trusted-proxy need --http\n");
		return 2;
	}
	if (o->bench_replay && (!o->eal_argc || o->n_read_files || o->iface)) {
		fprintf(stderr, "netprint: --bench-replay needs EAL arguments (its lcores) and no -r or -i\n");
		return 2;
	}
	if (!o->eal_argc && !o->n_read_files && !o->iface) {
		fprintf(stderr, "netprint: nothing to read: give -r FILE, -i IFACE, or EAL ports before --\n");
		usage(stderr);
		return 2;
	}
	if (o->chroot_dir && !o->user) {
		/* root in a chroot can leave it: the uid switch is what confines */
		fprintf(stderr, "netprint: -c needs -u\n");
		return 2;
	}
	if (o->workers && (o->n_read_files != 1 || o->eal_argc)) {
		fprintf(stderr, "netprint: --workers is for one -r FILE read directly (EAL's lcores are the workers otherwise)\n");
		return 2;
	}
	if ((o->n_read_files > 0) + (o->iface != NULL) > 1) {
		fprintf(stderr, "netprint: -r and -i are alternatives\n");
		return 2;
	}
	return 0;
}
