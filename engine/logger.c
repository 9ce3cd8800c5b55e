/* SPDX-License-Identifier: MIT */
/*
 * The logger: takes records from every worker's ring in turn, runs the
 * per-host logic on them (hosts.c), and writes what results as p0f blocks
 * (stdout) and p0f log lines (-o). It is the only place that does output,
 * so workers never block on I/O. It also reopens the output files when
 * asked (SIGUSR1, for log rotation), between two records.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ring.h>

#include "console_stats.h"
#include "engine.h"
#include "generations.h"
#include "http_server.h"
#include "lib.h"
#include "nats_pub.h"

#define NP_LOG_BURST 64

static atomic_bool reopen_requested;

void
np_logger_request_reopen(void)
{
	atomic_store(&reopen_requested, true);
}

/*
 * Flush what was written to the old file, open the path again (relative to
 * the directory kept from start: the same name after a chroot or a uid
 * switch) and put the new file under the old descriptor, so the FILE and
 * its buffer stay. Every record so far is in the old file, every later one
 * goes to the new. A file that cannot be opened is reported, and writing
 * goes on to the old one.
 */
static void
reopen_one(struct np_logger *lg, FILE *f, const struct np_kept_path *k)
{
	int fd;

	if (fflush(f))
		lg->write_errors++;
	fd = np_kept_path_open(k, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
				     O_NOCTTY, 0600);
	if (fd < 0 || dup3(fd, fileno(f), O_CLOEXEC) < 0) {
		lg->reopen_failures++;
		fprintf(stderr, "netprint: %s: cannot reopen, still writing to the file opened before: %s\n",
			k->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	clearerr(f);
	lg->reopens++;
	fprintf(stderr, "netprint: %s: reopened\n", k->path);
}

void
np_logger_reopen_if_asked(struct np_logger *lg)
{
	if (!atomic_load_explicit(&reopen_requested, memory_order_relaxed) ||
	    !atomic_exchange(&reopen_requested, false))
		return;
	if (lg->log && lg->log_path)
		reopen_one(lg, lg->log, lg->log_path);
	if (lg->json && lg->json_path)
		reopen_one(lg, lg->json, lg->json_path);
}

/*
 * One record to every output, through np_record_format(): what the
 * program writes is what the library gives.
 */
void
np_logger_write(struct np_logger *lg, const struct np_record *v)
{
	const struct np_held *held = v->internal_;
	int n;

	if (lg->blocks) {
		n = np_record_format(v, NP_FORMAT_BLOCK, lg->text, NP_FORMAT_TEXT_MAX);
		if (n < 0 || fwrite(lg->text, 1, (size_t)n, lg->blocks) != (size_t)n)
			lg->write_errors++;
	}
	if (lg->log) {
		n = np_record_format(v, NP_FORMAT_LOG, lg->text, NP_FORMAT_TEXT_MAX);
		if (n < 0 || fwrite(lg->text, 1, (size_t)n, lg->log) != (size_t)n)
			lg->write_errors++;
	}
	if (lg->json || lg->http || lg->nats) {	/* one object for the file, console, NATS */
		uint64_t start = lg->nats ? rte_rdtsc() : 0;

		if ((n = np_record_format(v, NP_FORMAT_JSON, lg->text, NP_FORMAT_TEXT_MAX)) <= 0) {
			lg->json_errors++;
		} else {
			if (lg->json && fwrite(lg->text, 1, (size_t)n, lg->json) != (size_t)n)
				lg->write_errors++;
			if (lg->http)	/* without its newline */
				np_http_event(lg->http, lg->text, (size_t)n - 1);
			if (lg->nats && held) {
				np_nats_publish(lg->nats, np_rec_kind_names[held->rec->kind], lg->text,
						(size_t)n - 1, lg->input, lg->input_len);
				lg->input_len = 0;
			}
		}
		if (lg->nats)	/* what publishing costs the logger: the object and the queue */
			lg->nats_cycles += rte_rdtsc() - start;
	}
	if (lg->console && held)
		np_console_stats_see(lg->console, held->rec, held->tail);
	lg->written++;
}

/* The input no record carried: alone. */
static void
input_alone(struct np_logger *lg)
{
	if (lg->input_len)
		np_nats_publish(lg->nats, NULL, NULL, 0, lg->input, lg->input_len);
	lg->input_len = 0;
}

_Static_assert(NP_REC_PACK_MAX <= NP_NATS_INPUT_MAX, "a packed record fits a message");

void
np_logger_input(struct np_logger *lg, const struct np_rec *r, const char *tail,
		uint64_t db_digest)
{
	uint64_t start = rte_rdtsc();

	input_alone(lg);
	lg->input_len = np_rec_pack(r, tail, db_digest, lg->input, NP_REC_PACK_MAX);
	lg->nats_cycles += rte_rdtsc() - start;
}

/* A record from the hosts, held as libnetprint holds one, to every output. */
static void
write_record(void *ctx, const struct np_rec *r, const char *tail)
{
	struct np_logger *lg = ctx;

	if (np_held_prepare(&lg->held, r, tail)) {
		lg->write_errors++;	/* out of memory for a TLS record's strings */
		return;
	}
	np_logger_write(lg, &lg->held.view);
	np_held_clear(&lg->held);
}

/*
 * Take one record and its tail from a ring: the first slot says how many
 * follow. The worker enqueued them in one bulk operation, so they are all
 * there once the first is.
 */
static bool
take_record(struct rte_ring *ring, struct np_rec *r, char *tail)
{
	if (!rte_ring_sc_dequeue_bulk_elem(ring, r, NP_REC_SLOT, 1, NULL))
		return false;
	unsigned body = r->kind < NP_REC_KIND_COUNT ? np_rec_body_slots(r->kind) - 1 : 0;
	unsigned tail_slots = r->tail_len <= NP_TAIL_MAX ? np_rec_tail_slots(r->tail_len) : 0;

	if ((body && !rte_ring_sc_dequeue_bulk_elem(ring, (uint8_t *)r + NP_REC_SLOT, NP_REC_SLOT,
						    body, NULL)) ||
	    (tail_slots && !rte_ring_sc_dequeue_bulk_elem(ring, tail, NP_REC_SLOT, tail_slots, NULL)))
		r->tail_len = 0;	/* cannot happen: enqueued together */
	tail[r->tail_len] = 0;
	return true;
}

/* The database a record names, kept by the generations until released. */
static const struct np_db *
record_db(struct np_logger *lg, uint32_t gen)
{
	if (!lg->db || lg->db->generation != gen) {
		lg->db = np_gens_find(gen);
		if (!lg->db)
			lg->unresolved++;	/* cannot happen: said at exit */
	}
	return lg->db;
}

/*
 * Let go of the retired generations no record still names: a worker's
 * records come in generation order, so once its next record (or its empty
 * ring, looked at after the retirement was read) is of a later generation,
 * it has none of the older ones left. A record of no generation (a host
 * drop: 0) holds the release back until it is taken, for the records behind
 * it may name an old one.
 */
static void
release_generations(struct np_logger *lg)
{
	uint32_t bound = np_gens_retired_below();

	if (bound <= lg->released_below)
		return;
	for (unsigned w = 0; w < lg->n_workers; w++) {
		struct np_logger_head *h = &lg->heads[w];

		if (!h->valid)
			h->valid = take_record(lg->workers[w]->ring, &h->rec, h->tail);
		if (h->valid && h->rec.db_gen < bound)
			bound = h->rec.db_gen;
	}
	if (bound <= lg->released_below)
		return;
	np_gens_release(bound);
	lg->released_below = bound;
	lg->db = NULL;
}

/*
 * Hand the oldest pending record to the host logic, if no worker can still
 * send an older one: the rings are merged in packet-time order, so per-host
 * facts see connections in the order they happened. Returns false when
 * nothing could be taken now.
 */
static bool
take_oldest(struct np_logger *lg)
{
	int best = -1;

	for (unsigned w = 0; w < lg->n_workers; w++) {
		struct np_logger_head *h = &lg->heads[w];

		if (!h->valid)
			h->valid = take_record(lg->workers[w]->ring, &h->rec, h->tail);
		if (h->valid && (best < 0 || h->rec.order < lg->heads[best].rec.order))
			best = (int)w;
	}
	if (best < 0)
		return false;

	uint64_t order = lg->heads[best].rec.order;
	for (unsigned w = 0; w < lg->n_workers; w++) {
		const struct np_worker *wk = lg->workers[w];
		struct np_logger_head *h = &lg->heads[w];

		if (h->valid)
			continue;
		/*
		 * A worker enqueues a packet's records before it moves its
		 * watermark past that packet: read the watermark, then look at
		 * the ring again. Empty then, it has nothing older than the mark.
		 */
		bool done = __atomic_load_n(&wk->done, __ATOMIC_ACQUIRE);
		uint64_t mark = __atomic_load_n(&wk->watermark, __ATOMIC_ACQUIRE);

		if ((h->valid = take_record(wk->ring, &h->rec, h->tail)))
			return true;	/* choose again with this one */
		if (!done && mark < order)
			return false;
	}
	struct np_logger_head *h = &lg->heads[best];
	h->valid = false;
	const struct np_db *db = np_rec_has_names(h->rec.kind) ? record_db(lg, h->rec.db_gen) : NULL;

	np_rec_resolve(&h->rec, db);
	if (lg->nats)
		np_logger_input(lg, &h->rec, h->rec.tail_len ? h->tail : NULL, db ? db->digest : 0);
	np_hosts_process(lg->hosts, &h->rec, h->rec.tail_len ? h->tail : NULL, write_record, lg);
	return true;
}

/* Handle what can be handled now; returns the number of records. */
static unsigned
drain(struct np_logger *lg)
{
	unsigned total = 0;

	while (total < NP_LOG_BURST * lg->n_workers && take_oldest(lg))
		total++;
	return total;
}

static bool
all_done(const struct np_logger *lg)
{
	for (unsigned w = 0; w < lg->n_workers; w++)
		if (!__atomic_load_n(&lg->workers[w]->done, __ATOMIC_ACQUIRE) || lg->heads[w].valid)
			return false;
	return true;
}

/* Flush the outputs (the logger's end). */
void
np_logger_flush(struct np_logger *lg)
{
	if (lg->nats)
		input_alone(lg);
	if (lg->blocks)
		fflush(lg->blocks);
	if (lg->log)
		fflush(lg->log);
	if (lg->json)
		fflush(lg->json);
}

/*
 * Nothing to take for a while: sleep a little instead of spinning. The
 * logger usually shares a CPU (with a worker, or with whatever feeds the
 * port on a small machine); a record waits at most this long more, and a
 * worker's ring holds far more than arrives meanwhile.
 */
#define NP_LOGGER_IDLE_SPINS 256
#define NP_LOGGER_NAP_NS 50000
#define NP_LOGGER_HTTP_IDLE_US 1000	/* console answers' time with nothing else to do */

void
np_logger_run(struct np_logger *lg)
{
	unsigned empty = 0;

	lg->cpu = sched_getcpu();
	for (unsigned busy = 0;;) {
		bool finished = all_done(lg);

		np_logger_reopen_if_asked(lg);
		release_generations(lg);

		/* Once every worker is done, one more pass empties the rings. */
		if (drain(lg) == 0) {
			if (finished)
				break;
			if (lg->api)
				np_api_poll(lg->api, lg->hosts, 0);
			np_http_poll(lg->http, NP_LOGGER_HTTP_IDLE_US);
			np_engine_idle(&empty, NP_LOGGER_IDLE_SPINS, NP_LOGGER_NAP_NS);
			continue;
		}
		empty = 0;
		if (++busy % 64 == 0) {	/* queries wait at most 64 bursts */
			if (lg->api)
				np_api_poll(lg->api, lg->hosts, 0);
			np_http_poll(lg->http, NP_LOGGER_HTTP_BUSY_US);
		}
	}
	np_logger_flush(lg);
}
