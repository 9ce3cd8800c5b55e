/* SPDX-License-Identifier: MIT */
/*
 * np_observer_*: the single-thread pipeline behind netprint.h. Records go
 * to the user's callback as the pipeline emits them, or are copied into a
 * queue that np_observer_poll() empties; either way the view is made by
 * np_held_fill() (record.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "lib.h"

static void
queue_drop_head(struct np_observer *o)
{
	free(o->queue[o->q_head].tail);
	np_db_unref(o->queue[o->q_head].db);
	o->q_head = (o->q_head + 1) % o->q_cap;
	o->q_len--;
}

/* The record the last poll gave is done with. */
static void
release_polled(struct np_observer *o)
{
	np_held_clear(&o->held);
	free(o->polled_tail);
	o->polled_tail = NULL;
	np_db_unref(o->polled_db);
	o->polled_db = NULL;
}

/* Copy a record into the poll queue; the oldest goes when it is full. */
static void
queue_push(struct np_observer *o, const struct np_rec *r, const char *tail)
{
	if (o->q_len == o->q_cap) {
		uint32_t cap = o->q_cap ? 2 * o->q_cap : 64;
		struct np_queued *q = cap <= NP_POLL_QUEUE_MAX ? malloc(cap * sizeof(*q)) : NULL;

		if (q) {
			for (uint32_t i = 0; i < o->q_len; i++)
				q[i] = o->queue[(o->q_head + i) % o->q_cap];
			free(o->queue);
			o->queue = q;
			o->q_cap = cap;
			o->q_head = 0;
		} else {
			queue_drop_head(o);
			o->dropped++;
		}
	}
	struct np_queued *e = &o->queue[(o->q_head + o->q_len) % o->q_cap];

	e->rec = *r;
	e->tail = NULL;
	if (r->tail_len && tail && !(e->tail = malloc(r->tail_len + 1u))) {
		o->dropped++;	/* no room for its text: counted, never half-made */
		return;
	}
	if (e->tail)
		memcpy(e->tail, tail, r->tail_len + 1u);
	e->db = np_db_ref(o->db);	/* a reload before the poll keeps its names */
	o->q_len++;
}

/* The pipeline's output: to the callback, or into the queue. */
static void
emit(void *ctx, const struct np_rec *r, const char *tail)
{
	struct np_observer *o = ctx;

	o->records++;
	o->fed++;
	if (!o->fn) {
		queue_push(o, r, tail);
		return;
	}
	if (np_held_fill(&o->held, r, tail)) {
		o->dropped++;
		return;
	}
	o->busy = true;
	o->fn(o->ctx, &o->held.view);
	o->busy = false;
	np_held_clear(&o->held);
}

static bool
limits_ok(const struct np_limits *l)
{
	return l->max_conn && l->max_conn <= NP_LIMIT_COUNT_MAX && l->max_hosts &&
	       l->max_hosts <= NP_LIMIT_COUNT_MAX && l->conn_max_age &&
	       l->conn_max_age <= NP_LIMIT_AGE_MAX && l->host_idle && l->host_idle <= NP_LIMIT_AGE_MAX;
}

int
np_observer_new(struct np_observer **obs, struct np_db *db, int linktype,
		const struct np_limits *limits)
{
	static const struct np_limits p0f = NP_LIMITS_P0F;
	const struct np_limits *l = limits ? limits : &p0f;
	struct np_observer *o;
	char err[NP_CAPTURE_ERR_MAX];

	if (!obs)
		return NP_ERR_INVALID;
	*obs = NULL;
	if (!db || linktype < 0 || !limits_ok(l))
		return NP_ERR_INVALID;
	if (!(o = calloc(1, sizeof(*o))))
		return NP_ERR_NOMEM;
	if (!(o->held.strings = malloc(NP_HELD_STRINGS))) {
		free(o);
		return NP_ERR_NOMEM;
	}
	if (!np_link_dlt_supported(linktype) &&
	    !(o->filter = np_tcp_filter_new(linktype, err, sizeof(err)))) {
		free(o->held.strings);
		free(o);
		return errno == ENOMEM ? NP_ERR_NOMEM : NP_ERR_LINKTYPE;
	}
	if (np_pipeline_init(&o->p, db, linktype, l->max_conn, l->conn_max_age, l->max_hosts,
			     l->host_idle, emit, o)) {
		np_tcp_filter_free(o->filter);
		free(o->held.strings);
		free(o);
		return NP_ERR_NOMEM;
	}
	np_tcp_filter_link(o->filter, linktype, &o->p.link);
	o->db = np_db_ref(db);
	*obs = o;
	return NP_OK;
}

void
np_observer_free(struct np_observer *o)
{
	if (!o)
		return;
	while (o->q_len)
		queue_drop_head(o);
	free(o->queue);
	release_polled(o);
	np_held_fini(&o->held);
	np_pipeline_fini(&o->p);
	np_tcp_filter_free(o->filter);
	np_db_unref(o->db);
	free(o);
}

int
np_observer_set_db(struct np_observer *o, struct np_db *db)
{
	if (!o || !db)
		return NP_ERR_INVALID;
	if (o->busy)
		return NP_ERR_BUSY;
	np_db_ref(db);
	np_db_unref(o->db);
	o->db = db;
	o->p.db = db;
	return NP_OK;
}

void
np_observer_on_record(struct np_observer *o, np_record_fn fn, void *ctx)
{
	if (!o || o->busy)
		return;
	o->fn = fn;
	o->ctx = ctx;
}

int
np_observer_feed(struct np_observer *o, const void *frame, size_t caplen, uint64_t ts_us)
{
	if (!o || (!frame && caplen) || caplen > UINT32_MAX)
		return NP_ERR_INVALID;
	if (o->busy)
		return NP_ERR_BUSY;
	release_polled(o);
	o->fed = 0;
	np_pipeline_frame(&o->p, frame, (uint32_t)caplen, ts_us);
	return (int)(o->fed < INT32_MAX ? o->fed : INT32_MAX);
}

const struct np_record *
np_observer_poll(struct np_observer *o)
{
	if (!o || o->busy)
		return NULL;
	release_polled(o);
	while (o->q_len) {
		struct np_queued *e = &o->queue[o->q_head];

		o->polled = e->rec;
		o->polled_tail = e->tail;
		o->polled_db = e->db;	/* held until the view is done with */
		o->q_head = (o->q_head + 1) % o->q_cap;
		o->q_len--;
		if (!np_held_fill(&o->held, &o->polled, o->polled_tail))
			return &o->held.view;
		o->dropped++;
		release_polled(o);
	}
	return NULL;
}

void
np_observer_stats(const struct np_observer *o, struct np_stats *out)
{
	if (!out)
		return;
	*out = (struct np_stats){ 0 };
	if (!o)
		return;
	const struct np_tls_track *t = &o->p.obs.tls;
	const uint64_t *c = o->p.ctr;

	out->frames = c[NP_FRAME_RX_PKTS];
	out->bytes = c[NP_FRAME_RX_BYTES];
	out->tcp = c[NP_FRAME_PARSED];
	out->udp = c[NP_FRAME_UDP];
	out->skip_link = c[NP_FRAME_SKIP_LINK];
	out->skip_short = c[NP_FRAME_SKIP_SHORT];
	out->skip_bad_ip = c[NP_FRAME_SKIP_BAD_IP];
	out->skip_not_tcp_udp = c[NP_FRAME_SKIP_NOT_TCP];
	out->skip_fragment = c[NP_FRAME_SKIP_FRAGMENT];
	out->skip_bad_tcp = c[NP_FRAME_SKIP_BAD_TCP];
	out->skip_tcp_flags = c[NP_FRAME_SKIP_TCP_FLAGS];
	for (unsigned i = NP_FRAME_SKIP_LINK; i <= NP_FRAME_SKIP_TCP_FLAGS; i++)
		out->skipped += c[i];
	out->syn = c[NP_FRAME_SYN];
	out->synack = c[NP_FRAME_SYNACK];
	out->http = c[NP_FRAME_HTTP];
	out->matched = c[NP_FRAME_MATCHED];
	out->fuzzy = c[NP_FRAME_FUZZY];
	out->records = o->records;
	out->records_dropped = o->dropped;
	out->hosts_dropped = o->p.obs.host_drops;
	out->tls_hellos = t->ctr[NP_TLS_CTR_HELLO_DONE];
	for (unsigned i = NP_TLS_CTR_FAIL_NOT_TLS; i <= NP_TLS_CTR_FAIL_EVICTED; i++)
		out->tls_given_up += t->ctr[i];
}

int
np_observer_host(const struct np_observer *o, int ip_version, const uint8_t *addr,
		 struct np_host_info *out)
{
	if (!o || !addr || !out || (ip_version != 4 && ip_version != 6))
		return NP_ERR_INVALID;
	return np_hosts_info(&o->p.hosts, addr, (uint8_t)ip_version, out);
}
