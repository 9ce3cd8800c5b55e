/* SPDX-License-Identifier: MIT */
/*
 * The JetStream publisher (nats_pub.h): a single-producer single-consumer
 * ring between the logger and the publisher's thread, and the NATS C
 * client's asynchronous JetStream publish, whose acknowledgements come back
 * on the client's own threads.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nats/nats.h>

#include "nats_conn.h"
#include "nats_pub.h"

#define MAX_PENDING 4096		/* publishes awaiting their acknowledgement */
#define TRY_HEADER "Netprint-Try"	/* how many times a message was sent */
#define ACK_WAIT_MS 5000		/* no acknowledgement for this long: the pending
					 * publishes are taken back and sent again */
#define RETRY_FIRST_MS 100		/* after an error, resending waits this long, */
#define RETRY_MAX_MS 2000		/* doubling up to this: NP_NATS_RETRIES tries
					 * span about a minute, within JetStream's
					 * duplicate window (2 minutes by default) */

/* A message JetStream refused or did not answer, to send again. */
struct retry {
	natsMsg *msg;
	struct retry *next;
};

/* A queued record: its subject, message id, JSON and input, in one allocation. */
struct queued {
	size_t len, input_len;
	char id[NP_NATS_SENSOR_MAX + 48];
	char *subject;
	uint8_t *input;
	char data[];		/* the JSON, the subject, the input */
};

struct np_nats {
	natsOptions *opts;
	natsConnection *nc;
	jsCtx *js;
	char sensor[NP_NATS_SENSOR_MAX + 1];
	char stream[64];
	int64_t max_bytes, max_age_s;
	int replicas;
	bool stream_ready;
	natsStatus stream_error;	/* the last try's, said once */
	jsErrCode stream_jerr;
	uint64_t boot;		/* this run's part of the message ids */
	uint64_t seq;		/* the logger's: the last message id's */

	struct queued **ring;	/* cap slots: the logger writes at head, the thread reads at tail */
	uint64_t cap;
	_Atomic uint64_t head, tail;

	pthread_mutex_t lock;	/* the retries, filled on the client's threads */
	struct retry *retry_head, **retry_tail;
	uint64_t retry_at_ms;	/* not before (monotonic) */
	unsigned retry_wait_ms;	/* the next wait after an error */
	uint64_t n_retries;
	bool finished;		/* closing: an error now is a failure */

	pthread_t thread;
	_Atomic bool stopping;
	_Atomic uint64_t stop_by_ms;	/* the drain's deadline, monotonic */

	_Atomic uint64_t queued, dropped, published, acked, resent, failed;
};

/*
 * An acknowledgement, or an error: the message goes to the retries, which
 * the publisher's thread sends again after a growing wait (a cluster
 * electing a stream leader answers nothing for seconds); its id keeps it
 * single in the stream.
 */
static void
on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
	struct np_nats *n = closure;
	struct retry *r;

	(void)js;
	if (pa) {
		atomic_fetch_add(&n->acked, 1);
		pthread_mutex_lock(&n->lock);
		n->retry_wait_ms = RETRY_FIRST_MS;
		pthread_mutex_unlock(&n->lock);
	} else if (pae && (r = malloc(sizeof(*r)))) {
		r->msg = msg;
		r->next = NULL;
		pthread_mutex_lock(&n->lock);
		if (n->finished) {
			pthread_mutex_unlock(&n->lock);
			free(r);
			atomic_fetch_add(&n->failed, 1);
			natsMsg_Destroy(msg);
			return;
		}
		*n->retry_tail = r;
		n->retry_tail = &r->next;
		n->n_retries++;
		if (!n->retry_at_ms || n->retry_at_ms < np_monotonic_ms()) {
			n->retry_at_ms = np_monotonic_ms() + n->retry_wait_ms;
			n->retry_wait_ms = n->retry_wait_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS
										: n->retry_wait_ms * 2;
		}
		pthread_mutex_unlock(&n->lock);
		return;	/* kept */
	} else if (pae) {
		atomic_fetch_add(&n->failed, 1);	/* no memory to keep it */
	}
	natsMsg_Destroy(msg);
}

/* The oldest retry due now, or NULL. */
static natsMsg *
take_retry(struct np_nats *n)
{
	struct retry *r = NULL;
	natsMsg *msg = NULL;

	pthread_mutex_lock(&n->lock);
	if (n->retry_head && np_monotonic_ms() >= n->retry_at_ms) {
		r = n->retry_head;
		if (!(n->retry_head = r->next))
			n->retry_tail = &n->retry_head;
		n->n_retries--;
	}
	pthread_mutex_unlock(&n->lock);
	if (r) {
		msg = r->msg;
		free(r);
	}
	return msg;
}

/* Back to the front of the retries: the client would not take it now. */
static void
requeue(struct np_nats *n, natsMsg *msg)
{
	struct retry *r = malloc(sizeof(*r));

	if (!r) {
		atomic_fetch_add(&n->failed, 1);
		natsMsg_Destroy(msg);
		return;
	}
	r->msg = msg;
	pthread_mutex_lock(&n->lock);
	r->next = n->retry_head;
	if (!n->retry_head)
		n->retry_tail = &r->next;
	n->retry_head = r;
	n->n_retries++;
	n->retry_at_ms = np_monotonic_ms() + RETRY_FIRST_MS;
	pthread_mutex_unlock(&n->lock);
}

/*
 * Send a refused message again; after NP_NATS_RETRIES answers that refused
 * it, give it up. A client that will not take it now (too many in flight,
 * disconnected) is no answer: it waits for the next turn.
 */
static void
resend(struct np_nats *n, natsMsg *msg)
{
	const char *t = NULL;
	int tries = natsMsgHeader_Get(msg, TRY_HEADER, &t) == NATS_OK && t ? atoi(t) : 1;
	char next[16];

	snprintf(next, sizeof(next), "%d", tries + 1);
	if (tries >= NP_NATS_RETRIES || natsMsgHeader_Set(msg, TRY_HEADER, next) != NATS_OK) {
		atomic_fetch_add(&n->failed, 1);
		natsMsg_Destroy(msg);
		return;
	}
	if (js_PublishMsgAsync(n->js, &msg, NULL) == NATS_OK)
		atomic_fetch_add(&n->resent, 1);
	else
		requeue(n, msg);
}

/*
 * Publishes still pending while no acknowledgement came for ACK_WAIT_MS
 * (the stream's leader died with them; the client waits on them forever):
 * taken back from the client and sent again, after the retries' wait.
 */
static void
reclaim_unanswered(struct np_nats *n, uint64_t *last_acked, uint64_t *since_ms)
{
	uint64_t acked = atomic_load(&n->acked) + atomic_load(&n->failed), now = np_monotonic_ms();
	natsMsgList pending = { NULL, 0 };

	if (acked != *last_acked) {
		*last_acked = acked;
		*since_ms = now;
		return;
	}
	if (now - *since_ms < ACK_WAIT_MS || js_PublishAsyncGetPendingList(&pending, n->js) != NATS_OK)
		return;
	*since_ms = now;
	for (int i = 0; i < pending.Count; i++) {
		struct retry *r = malloc(sizeof(*r));

		if (!r)
			continue;	/* destroyed below: failed */
		r->msg = pending.Msgs[i];
		r->next = NULL;
		pending.Msgs[i] = NULL;
		pthread_mutex_lock(&n->lock);
		*n->retry_tail = r;
		n->retry_tail = &r->next;
		n->n_retries++;
		pthread_mutex_unlock(&n->lock);
	}
	for (int i = 0; i < pending.Count; i++)
		if (pending.Msgs[i])
			atomic_fetch_add(&n->failed, 1);
	natsMsgList_Destroy(&pending);
}

/* Every publish acknowledged or given up. */
static bool
all_answered(struct np_nats *n)
{
	return atomic_load(&n->acked) + atomic_load(&n->failed) >= atomic_load(&n->queued);
}

static bool
retries_left(struct np_nats *n)
{
	bool any;

	pthread_mutex_lock(&n->lock);
	any = n->retry_head != NULL;
	pthread_mutex_unlock(&n->lock);
	return any;
}

/* The stream, created if missing; false when the server cannot say yet. */
static bool
ensure_stream(struct np_nats *n)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, n->js, n->stream, NULL, &jerr);

	if (s == NATS_NOT_FOUND) {
		const char *subjects[] = { NP_NATS_SUBJECTS };
		jsStreamConfig cfg;

		jsStreamConfig_Init(&cfg);
		cfg.Name = n->stream;
		cfg.Subjects = subjects;
		cfg.SubjectsLen = 1;
		cfg.Storage = js_FileStorage;
		cfg.MaxBytes = n->max_bytes ? n->max_bytes : -1;
		cfg.MaxAge = n->max_age_s * 1000000000LL;
		cfg.Replicas = n->replicas ? n->replicas : 1;
		s = js_AddStream(&si, n->js, &cfg, NULL, &jerr);
		if (s == NATS_OK)
			fprintf(stderr, "netprint: --nats: created stream %s (subjects netprint.>, %d replica%s)\n",
				n->stream, (int)cfg.Replicas, cfg.Replicas == 1 ? "" : "s");
	}
	jsStreamInfo_Destroy(si);
	if (s != NATS_OK && s != NATS_TIMEOUT && s != NATS_NO_RESPONDERS &&
	    (s != n->stream_error || jerr != n->stream_jerr))	/* said once, not every try */
		fprintf(stderr, "netprint: --nats: stream %s: %s (%d)\n", n->stream,
			natsStatus_GetText(s), (int)jerr);
	n->stream_error = s;
	n->stream_jerr = jerr;
	return s == NATS_OK;
}

/* Publish the oldest queued record; false when it must wait. */
static bool
publish_one(struct np_nats *n, struct queued *q, char *b64)
{
	natsMsg *msg = NULL;

	if (natsMsg_Create(&msg, q->subject, NULL, q->data, (int)q->len) != NATS_OK)
		return false;
	if (q->input_len)
		np_base64_encode(q->input, q->input_len, b64);
	if (natsMsgHeader_Set(msg, NP_NATS_MSG_ID, q->id) != NATS_OK ||
	    (q->input_len && natsMsgHeader_Set(msg, NP_NATS_INPUT, b64) != NATS_OK) ||
	    js_PublishMsgAsync(n->js, &msg, NULL) != NATS_OK) {	/* too many in flight: later */
		natsMsg_Destroy(msg);
		return false;
	}
	atomic_fetch_add(&n->published, 1);
	return true;
}

static void *
run(void *arg)
{
	struct np_nats *n = arg;
	uint64_t last_acked = 0, since_ms = np_monotonic_ms();
	static _Thread_local char b64[NP_BASE64_LEN(NP_NATS_INPUT_MAX)];

	for (;;) {
		bool stopping = atomic_load(&n->stopping);
		uint64_t tail = atomic_load_explicit(&n->tail, memory_order_relaxed);
		bool empty = tail == atomic_load_explicit(&n->head, memory_order_acquire);

		if (stopping && ((empty && !retries_left(n) && all_answered(n)) ||
				 np_monotonic_ms() >= atomic_load(&n->stop_by_ms)))
			break;
		if (natsConnection_Status(n->nc) != NATS_CONN_STATUS_CONNECTED) {
			np_nap_ms(20);	/* records wait in the queue */
			continue;
		}
		if (!n->stream_ready && !(n->stream_ready = ensure_stream(n))) {
			np_nap_ms(500);
			continue;
		}
		reclaim_unanswered(n, &last_acked, &since_ms);
		natsMsg *again = take_retry(n);

		if (again) {	/* before new records */
			resend(n, again);
			continue;
		}
		if (empty) {
			np_nap_ms(1);
			continue;
		}
		struct queued *q = n->ring[tail & (n->cap - 1)];

		if (!publish_one(n, q, b64)) {
			np_nap_ms(10);
			continue;
		}
		atomic_store_explicit(&n->tail, tail + 1, memory_order_release);
		free(q);
	}
	return NULL;
}

bool
np_nats_publish(struct np_nats *n, const char *kind, const char *json, size_t len,
		const void *input, size_t input_len)
{
	uint64_t head = atomic_load_explicit(&n->head, memory_order_relaxed);
	size_t sensor_len = strlen(n->sensor),
	       subj_max = 16 + sensor_len + (kind ? strlen(kind) : sizeof(NP_NATS_INPUT_KIND));
	struct queued *q;

	if (head - atomic_load_explicit(&n->tail, memory_order_acquire) == n->cap ||
	    (kind && len < 2) || input_len > NP_NATS_INPUT_MAX ||
	    !(q = malloc(sizeof(*q) + len + sensor_len + 16 + subj_max + input_len))) {
		atomic_fetch_add(&n->dropped, 1);
		return false;
	}
	q->len = 0;
	if (kind) {	/* the object, with "sensor" (a name of safe characters) as its last member */
		memcpy(q->data, json, len - 1);
		q->len = len - 1 + (size_t)sprintf(q->data + len - 1, ",\"sensor\":\"%s\"}", n->sensor);
	}
	q->subject = q->data + q->len + 1;
	np_nats_subject(q->subject, subj_max, n->sensor, kind);
	q->input = (uint8_t *)q->subject + subj_max;
	q->input_len = input_len;
	if (input_len)
		memcpy(q->input, input, input_len);
	snprintf(q->id, sizeof(q->id), "%s.%016llx.%llu", n->sensor, (unsigned long long)n->boot,
		 (unsigned long long)++n->seq);
	n->ring[head & (n->cap - 1)] = q;
	atomic_store_explicit(&n->head, head + 1, memory_order_release);
	atomic_fetch_add(&n->queued, 1);
	return true;
}

void
np_nats_counts(const struct np_nats *n, struct np_nats_counts *out)
{
	struct np_nats *m = (struct np_nats *)n;

	out->queued = atomic_load(&m->queued);
	out->dropped = atomic_load(&m->dropped);
	out->published = atomic_load(&m->published);
	out->acked = atomic_load(&m->acked);
	out->resent = atomic_load(&m->resent);
	out->failed = atomic_load(&m->failed);
	out->connected = natsConnection_Status(m->nc) == NATS_CONN_STATUS_CONNECTED;
}

void
np_nats_print(FILE *out, const char *what, const struct np_nats_counts *c, bool link)
{
	fprintf(out, "netprint:   %-36s %llu queued, %llu acknowledged, %llu dropped (queue full), %llu sent again, %llu failed%s\n",
		what, (unsigned long long)c->queued, (unsigned long long)c->acked,
		(unsigned long long)c->dropped, (unsigned long long)c->resent,
		(unsigned long long)c->failed,
		!link ? "" : c->connected ? "; connected" : "; not connected");
}

static bool
sensor_ok(const char *s)
{
	return np_nats_name_ok(s, strlen(s));
}

/* Closing: the retries not sent are failures, and so is any error to come. */
static void
give_up_retries(struct np_nats *n)
{
	natsMsg *msg;

	pthread_mutex_lock(&n->lock);
	n->finished = true;
	n->retry_at_ms = 0;
	pthread_mutex_unlock(&n->lock);
	while ((msg = take_retry(n))) {
		atomic_fetch_add(&n->failed, 1);
		natsMsg_Destroy(msg);
	}
}

static void
destroy(struct np_nats *n)
{
	give_up_retries(n);
	jsCtx_Destroy(n->js);
	natsConnection_Destroy(n->nc);
	natsOptions_Destroy(n->opts);
	give_up_retries(n);	/* what came back while the connection closed */
	pthread_mutex_destroy(&n->lock);
	for (uint64_t i = atomic_load(&n->tail); n->ring && i != atomic_load(&n->head); i++)
		free(n->ring[i & (n->cap - 1)]);
	free(n->ring);
	free(n);
	nats_Close();
}

struct np_nats *
np_nats_open(const struct np_nats_config *cfg, char *err, size_t err_len)
{
	const struct np_nats_conn_config cc = { cfg->urls, cfg->sensor, cfg->creds, cfg->tls_ca,
						"--nats" };
	struct np_nats *n;
	jsOptions jo;

	if (!sensor_ok(cfg->sensor)) {
		snprintf(err, err_len, "--sensor %s: 1 to %d letters, digits, '-' or '_'", cfg->sensor,
			 NP_NATS_SENSOR_MAX);
		return NULL;
	}
	if (!sensor_ok(cfg->stream) || strlen(cfg->stream) >= sizeof(n->stream)) {
		snprintf(err, err_len, "--nats-stream %s: letters, digits, '-' or '_'", cfg->stream);
		return NULL;
	}
	if (!(n = calloc(1, sizeof(*n)))) {
		snprintf(err, err_len, "--nats: out of memory");
		return NULL;
	}
	pthread_mutex_init(&n->lock, NULL);
	n->retry_tail = &n->retry_head;
	n->retry_wait_ms = RETRY_FIRST_MS;
	snprintf(n->sensor, sizeof(n->sensor), "%s", cfg->sensor);
	snprintf(n->stream, sizeof(n->stream), "%s", cfg->stream);
	n->max_bytes = cfg->max_bytes;
	n->max_age_s = cfg->max_age_s;
	n->replicas = cfg->replicas;
	for (n->cap = 1; n->cap < (cfg->queue ? cfg->queue : NP_NATS_QUEUE_DEFAULT); n->cap <<= 1)
		;
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	n->boot = ((uint64_t)t.tv_sec << 20 ^ (uint64_t)t.tv_nsec) ^ (uint64_t)getpid() << 44;
	if (!(n->ring = calloc(n->cap, sizeof(*n->ring)))) {
		snprintf(err, err_len, "--nats: out of memory");
		destroy(n);
		return NULL;
	}
	jsOptions_Init(&jo);
	jo.PublishAsync.MaxPending = MAX_PENDING;
	jo.PublishAsync.AckHandler = on_ack;
	jo.PublishAsync.AckHandlerClosure = n;
	if (np_nats_connect(&cc, &jo, &n->opts, &n->nc, &n->js, err, err_len)) {
		destroy(n);
		return NULL;
	}
	if (pthread_create(&n->thread, NULL, run, n)) {
		snprintf(err, err_len, "--nats: cannot start publishing");
		destroy(n);
		return NULL;
	}
	return n;
}

uint64_t
np_nats_close(struct np_nats *n, unsigned wait_ms, struct np_nats_counts *last)
{
	uint64_t deadline = np_monotonic_ms() + wait_ms, left;
	jsPubOptions po;
	struct np_nats_counts c;

	if (!n)
		return 0;
	atomic_store(&n->stop_by_ms, deadline);
	atomic_store(&n->stopping, true);
	pthread_join(n->thread, NULL);
	jsPubOptions_Init(&po);
	po.MaxWait = deadline > np_monotonic_ms() ? (int64_t)(deadline - np_monotonic_ms()) : 1;
	js_PublishAsyncComplete(n->js, &po);
	give_up_retries(n);
	np_nats_counts(n, &c);
	left = c.queued - c.acked;
	if (last)
		*last = c;
	destroy(n);
	return left;
}
