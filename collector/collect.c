/* SPDX-License-Identifier: MIT */
/*
 * netprint collect (collect.h): options, the messages in, the host logic,
 * the outputs, the counters.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "collect.h"
#include "collector.h"
#include "console_assets.h"
#include "lib.h"
#include "nats_conn.h"

#define NP_COLLECT_HOSTS 262144		/* --hosts's default */
#define NP_COLLECT_HOLD_MS 2000		/* --hold's default */
#define NP_COLLECT_FLOW_SLOTS 65536	/* uptime's per-flow state, per sensor worker */
#define NP_COLLECT_BATCH 256		/* messages a fetch asks for */
#define NP_COLLECT_IDLE_MS 20		/* idle: the queries' wait between looks at the stream */

static volatile sig_atomic_t quit_asked, reopen_asked;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		reopen_asked = 1;
	else
		quit_asked = 1;
}

static bool
quitting(void)
{
	return quit_asked;
}

const char *const np_collect_skip_keys[NP_CSKIP_COUNT] = {
#define NP_CSKIP_KEY_(id, key, why) key,
	NP_FOREACH_COLLECT_SKIP(NP_CSKIP_KEY_)
#undef NP_CSKIP_KEY_
};

static const char *const skip_whys[NP_CSKIP_COUNT] = {
#define NP_CSKIP_WHY_(id, key, why) why,
	NP_FOREACH_COLLECT_SKIP(NP_CSKIP_WHY_)
#undef NP_CSKIP_WHY_
};

/* ---- the outputs -------------------------------------------------------- */

/* A record the host logic yields: written unless its input was read again. */
static void
emit(void *ctx, const struct np_rec *r, const char *tail)
{
	struct collector *c = ctx;
	const struct np_record *v = &c->held.view;
	int n;

	if (np_held_prepare(&c->held, r, tail)) {
		c->n.write_errors++;
		return;
	}
	if (c->console)
		np_console_stats_see(c->console, r, tail);
	if (c->cur->replay)
		goto done;
	if (c->log && ((n = np_record_format(v, NP_FORMAT_LOG, c->text, NP_FORMAT_TEXT_MAX)) < 0 ||
		       fwrite(c->text, 1, (size_t)n, c->log) != (size_t)n))
		c->n.write_errors++;
	if (c->json || c->http) {
		n = np_record_format(v, NP_FORMAT_JSON, c->text, NP_FORMAT_TEXT_MAX - 256);
		if (n <= 1) {
			c->n.write_errors++;
			goto done;
		}
		/* the sensor that saw it, and the message it came from */
		n = n - 2 + sprintf(c->text + n - 2, ",\"sensor\":\"%s\",\"msg_id\":\"%s\"%s}\n",
				    c->names[c->cur->sensor], c->cur->msg_id,
				    c->cur->again ? ",\"again\":true" : "");
		if (c->json && fwrite(c->text, 1, (size_t)n, c->json) != (size_t)n)
			c->n.write_errors++;
		if (c->http)
			np_http_event(c->http, c->text, (size_t)n - 1);
	}
	c->n.written++;
done:
	np_held_clear(&c->held);
}

/* A host the record names: which sensor saw it. */
static void
mark_seen(struct collector *c, const uint8_t *addr, uint8_t ip_ver, unsigned sensor)
{
	struct np_host *h = (struct np_host *)np_hosts_lookup(&c->hosts, addr, ip_ver);

	if (h)
		h->seen_by |= 1ull << sensor;
}

static void
apply(struct collector *c, struct np_pending *p)
{
	np_rec_resolve(&p->rec, c->db);
	c->cur = p;
	np_hosts_process(&c->hosts, &p->rec, p->rec.tail_len ? p->tail : NULL, emit, c);
	if (p->rec.kind != NP_REC_HOST_DROP) {
		mark_seen(c, p->rec.cli, p->rec.ip_ver, p->sensor);
		mark_seen(c, p->rec.srv, p->rec.ip_ver, p->sensor);
	}
	c->cur = NULL;
	if (!p->replay)
		np_source_done(c->src, p->stream_seq);
	c->n.applied++;
	if (p->replay)
		c->n.replayed++;
	free(p);
}

/* What may go now, goes. */
static void
apply_ready(struct collector *c, bool drain)
{
	struct np_pending *p;
	uint64_t now = np_monotonic_ms();

	while ((p = np_merge_next(&c->merge, now, c->o.hold_ms, c->caught_up, drain)))
		apply(c, p);
}

/* ---- the messages ------------------------------------------------------- */

/* A sensor by name: its index, given on first sight; -1 beyond the limit. */
static int
sensor_index(struct collector *c, const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < c->n.sensors; i++)
		if (!strncmp(c->names[i], name, len) && !c->names[i][len])
			return (int)i;
	if (i == NP_MERGE_SENSORS)
		return -1;
	memcpy(c->names[i], name, len);
	c->names[i][len] = 0;
	c->name_of[i] = c->names[i];
	c->n.sensors++;
	np_api_name_sensors(c->name_of, c->n.sensors);
	fprintf(stderr, "netprint: collect: sensor %s\n", c->names[i]);
	return (int)i;
}

/* The host logic's worker for a sensor's worker (64 at most: shared beyond). */
static uint8_t
host_worker(struct collector *c, unsigned sensor, uint8_t worker)
{
	uint8_t *v = &c->vworker[sensor][worker];

	if (!*v)
		*v = (uint8_t)(c->n_vworkers++ % 64 + 1);
	return (uint8_t)(*v - 1);
}

static bool
derived_kind(const char *kind)
{
	static const char *const derived[] = { "mtu", "uptime", "host_change", "ip_sharing" };

	for (unsigned i = 0; i < sizeof(derived) / sizeof(derived[0]); i++)
		if (!strcmp(kind, derived[i]))
			return true;
	return false;
}

/* Where a message stands in its sensor's order. */
struct place {
	int sensor;	/* -1: not a sensor's */
	uint64_t boot, seq;
	const char *id;
};

/* One message's input record, decoded and checked into c->rec and c->tail. */
static enum np_collect_skip
take(struct collector *c, natsMsg *msg, uint64_t seq, struct place *at)
{
	const char *b64 = NULL, *subject = natsMsg_GetSubject(msg);
	size_t name_len;
	uint64_t digest;
	long len;

	at->sensor = -1;
	if (natsMsgHeader_Get(msg, NP_NATS_MSG_ID, &at->id) != NATS_OK || !at->id ||
	    !np_nats_msg_id_parse(at->id, &name_len, &at->boot, &at->seq) ||
	    strncmp(subject, "netprint.", 9) || strncmp(subject + 9, at->id, name_len) ||
	    subject[9 + name_len] != '.')
		return NP_CSKIP_FOREIGN;
	if ((at->sensor = sensor_index(c, at->id, name_len)) < 0)
		return NP_CSKIP_TOO_MANY;
	np_merge_saw(&c->merge, (unsigned)at->sensor, seq, np_monotonic_ms());
	if (natsMsgHeader_Get(msg, NP_NATS_INPUT, &b64) != NATS_OK || !b64)
		return derived_kind(subject + 10 + name_len) ? NP_CSKIP_DERIVED : NP_CSKIP_FOREIGN;
	if ((len = np_base64_decode(b64, strlen(b64), c->input, NP_NATS_INPUT_MAX)) < 0)
		return NP_CSKIP_MALFORMED;
	if ((len = np_rec_unpack(c->input, (size_t)len, &c->rec, c->tail, &digest)))
		return len == -EPROTO ? NP_CSKIP_OTHER_VERSION : NP_CSKIP_MALFORMED;
	if (np_rec_has_names(c->rec.kind) && digest != c->db->digest)
		return NP_CSKIP_OTHER_DB;
	if (np_rec_check(&c->rec, c->db))
		return NP_CSKIP_MALFORMED;
	return NP_CSKIP_COUNT;
}

/*
 * A message: its record held for its turn, or, skipped, counted (and its
 * place in its sensor's order held, so that the next one need not wait).
 */
static void
on_message(void *ctx, natsMsg *msg, uint64_t seq, bool replay, bool again)
{
	struct collector *c = ctx;
	struct place at;
	enum np_collect_skip why = take(c, msg, seq, &at);
	size_t tail = why == NP_CSKIP_COUNT ? c->rec.tail_len : 0;
	struct np_pending *p;

	c->n.messages++;
	if (why != NP_CSKIP_COUNT) {
		c->skipped[why]++;
		if (!replay)
			np_source_done(c->src, seq);
		if (at.sensor < 0)
			return;
	}
	if (!(p = malloc(sizeof(*p) + tail + 1u))) {
		c->n.no_memory++;	/* and not done: it comes again after the ack wait */
		return;
	}
	*p = (struct np_pending){ .stream_seq = seq, .boot = at.boot, .sensor_seq = at.seq,
				  .arrived_ms = np_monotonic_ms(), .sensor = (unsigned)at.sensor,
				  .empty = why != NP_CSKIP_COUNT, .replay = replay, .again = again };
	if (!p->empty) {
		snprintf(p->msg_id, sizeof(p->msg_id), "%s", at.id);
		p->rec = c->rec;
		p->rec.worker = host_worker(c, (unsigned)at.sensor, c->rec.worker);
		memcpy(p->tail, c->tail, tail + 1u);
	}
	np_merge_push(&c->merge, p);
	apply_ready(c, false);	/* a long replay or backlog never piles up */
}

/* ---- counters ----------------------------------------------------------- */

static void
print_counts(struct collector *c, FILE *out)
{
	struct np_source_counts sc;

	np_source_counts(c->src, &sc);
	fprintf(out, "netprint: collect: %llu messages, %llu records applied (%llu read again at start, up to %llu), %llu written, %llu held\n",
		(unsigned long long)c->n.messages, (unsigned long long)c->n.applied,
		(unsigned long long)c->n.replayed, (unsigned long long)sc.floor,
		(unsigned long long)c->n.written, (unsigned long long)c->merge.held);
	for (unsigned i = 0; i < NP_CSKIP_COUNT; i++)
		if (c->skipped[i])
			fprintf(out, "netprint: collect: %llu skipped: %s\n",
				(unsigned long long)c->skipped[i], skip_whys[i]);
	fprintf(out, "netprint: collect: %u sensors, %u hosts, %llu acked, %llu delivered again (held), %llu write errors, %llu out of memory\n",
		c->n.sensors, c->hosts.t.count, (unsigned long long)sc.acked,
		(unsigned long long)sc.again, (unsigned long long)c->n.write_errors,
		(unsigned long long)c->n.no_memory);
	if (c->merge.missing || c->merge.late)
		fprintf(out, "netprint: collect: %llu sensors' messages never came (given up on), %llu came after that\n",
			(unsigned long long)c->merge.missing, (unsigned long long)c->merge.late);
}

/* ---- options ------------------------------------------------------------ */

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: netprint collect --nats URL[,URL...] [options]\n"
		"  --nats URL[,URL...]  the NATS servers of the sensors' stream\n"
		"  --nats-stream NAME  the stream (default netprint)\n"
		"  --durable NAME  this collector's consumer, which keeps its place across\n"
		"               restarts; one per collector (default collector-HOSTNAME)\n"
		"  --nats-creds FILE, --nats-tls-ca FILE  NATS credentials; TLS with\n"
		"               these CA certificates\n"
		"  -f FILE      signature database, the sensors' own (several -f are read\n"
		"               as one, in order; default %s and %s)\n"
		"  --json FILE  append one JSON object per record to FILE (- : stdout),\n"
		"               with \"sensor\" and \"msg_id\" (the message it came from)\n"
		"  -o FILE      append p0f log lines to FILE\n"
		"  -s SOCK      answer p0f API queries (and JSON lines, with \"sensors\")\n"
		"  --http ADDR:PORT  serve the web console\n"
		"  --http-trusted-proxy CIDR  a proxy whose X-Forwarded-For names the client\n"
		"  --hosts N    hosts kept (default %u)\n"
		"  --hold MS    how long a record may wait for the other sensors' older ones\n"
		"               once the stream is read to its end (default %u)\n"
		"Runs until SIGINT or SIGTERM (then applies and acks what it holds);\n"
		"SIGUSR1 reopens the -o and --json files.\n",
		np_db_bundled()[0], np_db_bundled()[1], NP_COLLECT_HOSTS, NP_COLLECT_HOLD_MS);
}

static int
parse_count(const char *opt, const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (end == arg || *end || errno || v < min || v > max) {
		fprintf(stderr, "netprint: collect: %s %s: expected %llu to %llu\n", opt, arg,
			(unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "nats", required_argument, NULL, 'N' },
		{ "nats-stream", required_argument, NULL, 'j' },
		{ "durable", required_argument, NULL, 'D' },
		{ "nats-creds", required_argument, NULL, 'C' },
		{ "nats-tls-ca", required_argument, NULL, 'A' },
		{ "json", required_argument, NULL, 'J' },
		{ "http", required_argument, NULL, 'H' },
		{ "http-trusted-proxy", required_argument, NULL, 'P' },
		{ "hosts", required_argument, NULL, 'M' },
		{ "hold", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int ch;

	*o = (struct options){ .stream = "netprint", .hosts = NP_COLLECT_HOSTS,
			       .hold_ms = NP_COLLECT_HOLD_MS };
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:o:s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'N': o->urls = optarg; break;
		case 'j': o->stream = optarg; break;
		case 'D': o->durable = optarg; break;
		case 'C': o->creds = optarg; break;
		case 'A': o->tls_ca = optarg; break;
		case 'J': o->json = optarg; break;
		case 'o': o->log = optarg; break;
		case 's': o->api_sock = optarg; break;
		case 'H': o->http = optarg; break;
		case 'f':
			if (o->n_fp == NP_COLLECT_FP_MAX) {
				fprintf(stderr, "netprint: collect: at most %d -f\n", NP_COLLECT_FP_MAX);
				return 2;
			}
			o->fp[o->n_fp++] = optarg;
			break;
		case 'P':
			if (o->n_proxies == NP_HTTP_MAX_PROXIES) {
				fprintf(stderr, "netprint: collect: at most %d --http-trusted-proxy\n",
					NP_HTTP_MAX_PROXIES);
				return 2;
			}
			o->proxies[o->n_proxies++] = optarg;
			break;
		case 'M':
			if (parse_count("--hosts", optarg, 1, 1u << 26, &v))
				return 2;
			o->hosts = (uint32_t)v;
			break;
		case 'W':
			if (parse_count("--hold", optarg, 0, 3600000, &o->hold_ms))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 3;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !o->urls) {
		fprintf(stderr, optind < argc ? "netprint: collect: unexpected argument %s\n" :
						"netprint: collect: --nats is needed\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!o->n_fp) {
		o->fp[o->n_fp++] = np_db_bundled()[0];
		o->fp[o->n_fp++] = np_db_bundled()[1];
	}
	return 0;
}

/* ---- setting up, running, ending ---------------------------------------- */

static FILE *
open_append(const char *path, const char *what)
{
	FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "ae");

	if (!f)
		fprintf(stderr, "netprint: collect: %s %s: %s\n", what, path, strerror(errno));
	return f;
}

static void
reopen(struct collector *c)
{
	if (c->log && c->log != stdout && !freopen(c->o.log, "ae", c->log))
		c->log = NULL;
	if (c->json && c->json != stdout && !freopen(c->o.json, "ae", c->json))
		c->json = NULL;
	if ((c->o.log && !c->log) || (c->o.json && !c->json))
		fprintf(stderr, "netprint: collect: cannot reopen an output: %s\n", strerror(errno));
}

static int
set_up(struct collector *c)
{
	char err[NP_DB_ERR_MAX], durable[NP_NATS_SENSOR_MAX + 1] = "collector-";

	if (!(c->db = np_db_load_files(c->o.fp, c->o.n_fp, err, sizeof(err)))) {
		fprintf(stderr, "netprint: collect: %s\n", err);
		return -1;
	}
	c->db->generation = 1;	/* its only one */
	if (!c->o.durable) {
		np_nats_host_name(durable + 10, sizeof(durable) - 10);
		c->o.durable = durable;
	}
	const struct np_source_config sc = { c->o.urls, c->o.stream, c->o.durable, c->o.creds,
					     c->o.tls_ca };

	if (!(c->src = np_source_open(&sc, err, sizeof(err)))) {
		fprintf(stderr, "netprint: collect: %s\n", err);
		return -1;
	}
	c->o.durable = NULL;	/* the local buffer is gone after this */
	np_merge_init(&c->merge);
	c->text = malloc(NP_FORMAT_TEXT_MAX);
	c->held.strings = malloc(NP_HELD_STRINGS);
	c->input = malloc(NP_NATS_INPUT_MAX);
	c->tail = malloc(NP_TAIL_MAX + 1);
	if (!c->text || !c->held.strings || !c->input || !c->tail ||
	    np_hosts_init(&c->hosts, c->o.hosts, 64, NP_COLLECT_FLOW_SLOTS)) {
		fprintf(stderr, "netprint: collect: out of memory\n");
		return -1;
	}
	if ((c->o.json && !(c->json = open_append(c->o.json, "--json"))) ||
	    (c->o.log && !(c->log = open_append(c->o.log, "-o"))))
		return -1;
	if (c->o.api_sock && !(c->api = np_api_open(c->o.api_sock, err, sizeof(err)))) {
		fprintf(stderr, "netprint: collect: %s\n", err);
		return -1;
	}
	if (c->o.http) {
		const struct np_http_config hc = {
			.listen = c->o.http, .proxies = c->o.proxies, .n_proxies = c->o.n_proxies,
			.calls = np_collect_console_calls(c),
			.assets = np_console_assets, .n_assets = np_console_n_assets,
		};

		if (!(c->console = np_console_stats_new()) ||
		    !(c->http = np_http_open(&hc, err, sizeof(err)))) {
			fprintf(stderr, "netprint: collect: %s\n", c->console ? err : "out of memory");
			return -1;
		}
		fprintf(stderr, "netprint: collect: web console on %s (port %u)\n", c->o.http,
			np_http_port(c->http));
	}
	np_api_name_sensors(c->name_of, 0);
	return 0;
}

/*
 * What was written reaches the files before the messages it came from are
 * acked: a collector killed after an ack has written all the ack covers.
 */
static void
flush_then_ack(struct collector *c)
{
	if (c->n.written != c->flushed) {
		if (c->json && fflush(c->json))
			c->n.write_errors++;
		if (c->log && fflush(c->log))
			c->n.write_errors++;
		c->flushed = c->n.written;
	}
	np_source_ack(c->src);
}

static void
run(struct collector *c)
{
	for (unsigned got = 0; !quit_asked;) {
		bool caught_up;

		/*
		 * Idle, the queries' sockets are what is waited on (a query is
		 * answered at once), and the stream is asked again after that;
		 * records wait for their turn a little (the hold's ticks).
		 */
		got = np_source_poll(c->src, NP_COLLECT_BATCH, got || c->merge.held ? 10 : 1, on_message,
				     c, &caught_up, quitting);
		c->caught_up = caught_up;
		apply_ready(c, false);
		flush_then_ack(c);
		if (reopen_asked) {
			reopen_asked = 0;
			reopen(c);
		}
		np_http_poll(c->http, got ? 50 : 1000);
		if (c->api)
			np_api_poll(c->api, &c->hosts, got ? 0 : NP_COLLECT_IDLE_MS);
		else if (!got)
			nanosleep(&(struct timespec){ 0, NP_COLLECT_IDLE_MS * 1000000L }, NULL);
	}
	/* What is held goes now, and is acked with the rest. */
	apply_ready(c, true);
	flush_then_ack(c);
}

static void
tear_down(struct collector *c)
{
	np_http_close(c->http);
	np_api_close(c->api);
	np_source_close(c->src);
	np_merge_fini(&c->merge);
	np_api_name_sensors(NULL, 0);
	if (c->json && c->json != stdout)
		fclose(c->json);
	else if (c->json)
		fflush(c->json);
	if (c->log && c->log != stdout)
		fclose(c->log);
	np_console_stats_free(c->console);
	np_hosts_fini(&c->hosts);
	np_held_fini(&c->held);
	free(c->text);
	free(c->input);
	free(c->tail);
	np_db_free(c->db);
}

int
np_collect_main(int argc, char **argv)
{
	static struct collector c;
	int rc = parse_options(argc, argv, &c.o);

	if (rc)
		return rc == 3 ? 0 : rc;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGUSR1, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (set_up(&c)) {
		tear_down(&c);
		return 1;
	}
	run(&c);
	print_counts(&c, stderr);
	tear_down(&c);
	return 0;
}
