/* SPDX-License-Identifier: MIT */
/*
 * The file reader: one capture through libnetprint's observer (reader.h).
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#define URCU_INLINE_SMALL_FUNCTIONS
#include <urcu/urcu-qsbr.h>

#include <rte_cycles.h>

#include "generations.h"
#include "http_server.h"
#include "reader.h"

#define NP_READER_POLL 64	/* frames between looks at the API, reloads, rotation */

static void
to_outputs(void *ctx, const struct np_record *rec)
{
	np_logger_write(ctx, rec);
}

/* --nats: what the host logic is given, for a collector (np_logger_input). */
static void
to_input(void *ctx, const struct np_rec *r, const char *tail)
{
	struct np_reader *rd = ctx;

	if (rd->lg->nats)	/* opened after this reader */
		np_logger_input(rd->lg, r, tail, rd->obs->p.db ? rd->obs->p.db->digest : 0);
}

int
np_reader_init(struct np_reader *r, const struct np_options *o, struct np_capture *cap,
	       struct np_worker *w, struct np_logger *lg)
{
	const struct np_limits limits = { o->max_conn, o->max_hosts, o->conn_max_age,
					  o->host_idle_limit };
	int rc;

	memset(r, 0, sizeof(*r));
	r->cap = cap;
	r->w = w;
	r->lg = lg;
	if ((rc = np_observer_new(&r->obs, np_db_current, cap->dlt, &limits))) {
		fprintf(stderr, "netprint: %s: %s\n", cap->path, np_strerror(rc));
		return -1;
	}
	np_observer_on_record(r->obs, to_outputs, lg);
	r->obs->p.input = to_input;
	r->obs->p.input_ctx = r;
	lg->hosts = &r->obs->p.hosts;
	w->tracker = &r->obs->p.obs;
	w->lcore = NP_NO_LCORE;
	return 0;
}

/* What control prints: the observer's frame counters, and the records made. */
static void
publish_counters(struct np_reader *r)
{
	memcpy(r->w->ctr, r->obs->p.ctr, sizeof(r->obs->p.ctr));
	r->w->ctr[NP_CTR_RECORDS] = r->obs->records;
}

/* Between frames: a reloaded database, rotated outputs, API queries. */
static void
look_around(struct np_reader *r)
{
	struct np_db *db = rcu_dereference(np_db_current);

	if (db != r->obs->db)
		np_observer_set_db(r->obs, db);	/* its reference, taken before the
						 * quiescent state below */
	urcu_qsbr_quiescent_state();
	np_gens_release(UINT32_MAX);	/* no ring here: the observer holds its own */
	publish_counters(r);
	np_logger_reopen_if_asked(r->lg);
	if (r->lg->api)
		np_api_poll(r->lg->api, r->lg->hosts, 0);
	np_http_poll(r->lg->http, NP_LOGGER_HTTP_BUSY_US);
}

void
np_reader_run(struct np_reader *r)
{
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts, n = 0;

	r->w->cpu = r->lg->cpu = sched_getcpu();
	urcu_qsbr_register_thread();
	while (!np_engine_quit() && np_capture_next(r->cap, &frame, &len, &ts) > 0) {
		uint64_t start = rte_rdtsc();

		np_observer_feed(r->obs, frame, len, ts);
		r->w->ctr[NP_CTR_BUSY_CYCLES] += rte_rdtsc() - start;
		if (++n % NP_READER_POLL == 0)
			look_around(r);
	}
	look_around(r);
	urcu_qsbr_unregister_thread();	/* reloads no longer wait for it */
	np_logger_flush(r->lg);
}

void
np_reader_fini(struct np_reader *r)
{
	np_observer_free(r->obs);
	r->obs = NULL;
}
