/* SPDX-License-Identifier: MIT */
/*
 * The collector's JetStream source (source.h): a durable consumer pulled
 * from with requests of our own (the protocol, not libnats's Fetch, whose
 * 3.4 version can write past its batch when a server fails), acks in
 * stream order, and the replay up to the ack floor at start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "merge.h"
#include "nats_conn.h"
#include "nats_wire.h"
#include "source.h"

#define ACK_WAIT_S 30		/* unacked this long, sent again: one lost on its way (a
				 * server died with it) comes again; one still held is
				 * ignored when it does */
#define REPLAY_WAIT_MS 5000	/* the replay ends when nothing comes for this long */
#define PULL_EXPIRES_MS 1000	/* a pull request waits this long for messages */

/* A message given and not acked yet: acks go out in this order. */
struct unacked {
	uint64_t seq;
	char *reply;
	bool done;
};

struct np_source {
	natsOptions *opts;
	natsConnection *nc;
	jsCtx *js;
	natsSubscription *sub;	/* our inbox, where the pulled messages come */
	natsInbox *inbox;
	char next_subject[160];	/* where pull requests go */
	uint64_t asked_until_ms;	/* the request out runs until then (monotonic) */
	unsigned asked_left;	/* messages it may still bring */
	char *stream, *durable;
	bool ready, said_waiting, replayed;
	uint64_t pending;	/* what the consumer had left, last we heard */
	uint64_t done_below;	/* every message before it is done with */
	struct unacked *q;	/* a ring, grown when full */
	size_t q_cap, q_head, q_len;
	struct np_source_counts c;
};

struct np_source *
np_source_open(const struct np_source_config *cfg, char *err, size_t err_len)
{
	const struct np_nats_conn_config cc = { cfg->urls, cfg->durable, cfg->creds, cfg->tls_ca,
						"collect" };
	struct np_source *src;

	if (!np_nats_name_ok(cfg->stream, strlen(cfg->stream)) ||
	    !np_nats_name_ok(cfg->durable, strlen(cfg->durable))) {
		snprintf(err, err_len, "--nats-stream and --durable: letters, digits, '-' or '_'");
		return NULL;
	}
	if (!(src = calloc(1, sizeof(*src))) || !(src->stream = strdup(cfg->stream)) ||
	    !(src->durable = strdup(cfg->durable))) {
		snprintf(err, err_len, "out of memory");
		np_source_close(src);
		return NULL;
	}
	if (np_nats_connect(&cc, NULL, &src->opts, &src->nc, &src->js, err, err_len)) {
		np_source_close(src);
		return NULL;
	}
	return src;
}

/* A message's place in the stream and what the consumer has after it. */
static bool
msg_seq(natsMsg *msg, uint64_t *seq, uint64_t *pending)
{
	jsMsgMetaData *meta = NULL;

	if (natsMsg_GetMetaData(&meta, msg) != NATS_OK)
		return false;
	*seq = meta->Sequence.Stream;
	*pending = meta->NumPending;
	jsMsgMetaData_Destroy(meta);
	return true;
}

/*
 * What the last run was done with (the stream up to the ack floor), read
 * again through an ordered consumer and given as replayed. False when it
 * must be tried again.
 */
static bool
replay(struct np_source *src, uint64_t floor, np_source_fn fn, void *ctx, bool (*quit)(void))
{
	natsSubscription *sub = NULL;
	jsSubOptions so;
	natsStatus s;

	jsSubOptions_Init(&so);
	so.Stream = src->stream;
	so.Ordered = true;
	if ((s = js_SubscribeSync(&sub, src->js, NP_NATS_SUBJECTS, NULL, &so, NULL)) != NATS_OK) {
		fprintf(stderr, "netprint: collect: replay: %s\n", natsStatus_GetText(s));
		return false;
	}
	fprintf(stderr, "netprint: collect: reading the stream again up to %llu (what %s was done with)\n",
		(unsigned long long)floor, src->durable);
	for (uint64_t seq = 0, pending; seq < floor && !(quit && quit());) {
		natsMsg *msg = NULL;

		if ((s = natsSubscription_NextMsg(&msg, sub, REPLAY_WAIT_MS)) != NATS_OK)
			break;	/* the stream holds no more (limits removed the rest) */
		if (msg_seq(msg, &seq, &pending) && seq <= floor) {
			src->c.delivered++;
			src->c.replayed++;
			fn(ctx, msg, seq, true, false);
		}
		natsMsg_Destroy(msg);
	}
	natsSubscription_Unsubscribe(sub);
	natsSubscription_Destroy(sub);
	return true;
}

/* The stream, the consumer's floor, the replay and the subscription. */
static bool
set_up(struct np_source *src, np_source_fn fn, void *ctx, bool (*quit)(void))
{
	jsStreamInfo *si = NULL;
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, src->js, src->stream, NULL, &jerr);

	jsStreamInfo_Destroy(si);
	if (s != NATS_OK) {
		if (!src->said_waiting)
			fprintf(stderr, "netprint: collect: stream %s: %s; waiting for it\n", src->stream,
				natsStatus_GetText(s));
		src->said_waiting = true;
		return false;
	}
	if (!src->replayed) {
		s = js_GetConsumerInfo(&ci, src->js, src->stream, src->durable, NULL, &jerr);
		if (s != NATS_OK && s != NATS_NOT_FOUND)
			return false;
		src->c.floor = ci ? ci->AckFloor.Stream : 0;
		src->c.sent_before = ci ? ci->Delivered.Stream : 0;
		jsConsumerInfo_Destroy(ci);
		if (src->c.floor && !replay(src, src->c.floor, fn, ctx, quit))
			return false;
		src->replayed = true;
		src->done_below = src->c.floor + 1;
		/*
		 * The consumer made again from just after its floor: what the last
		 * run had and did not ack comes at once, not after the ack wait.
		 */
		if (ci && (s = js_DeleteConsumer(src->js, src->stream, src->durable, NULL, &jerr)) !=
				  NATS_OK && s != NATS_NOT_FOUND)
			fprintf(stderr, "netprint: collect: consumer %s: %s (%d)\n", src->durable,
				natsStatus_GetText(s), (int)jerr);
	}
	/*
	 * The consumer made (or found, made by a try that timed out), and
	 * pulled from by hand: requests to its "next" subject, answered on an
	 * inbox of ours.
	 */
	jsConsumerConfig cc;

	jsConsumerConfig_Init(&cc);
	cc.Durable = src->durable;
	cc.AckPolicy = js_AckExplicit;
	cc.AckWait = (int64_t)ACK_WAIT_S * 1000000000LL;
	cc.MaxAckPending = NP_MERGE_HELD_MAX + 4096;
	cc.DeliverPolicy = src->c.floor ? js_DeliverByStartSequence : js_DeliverAll;
	cc.OptStartSeq = src->c.floor ? src->c.floor + 1 : 0;
	s = js_AddConsumer(&ci, src->js, src->stream, &cc, NULL, &jerr);
	if (s == NATS_OK) {
		src->pending = ci->NumPending;
		jsConsumerInfo_Destroy(ci);
	}
	if (s == NATS_OK && !src->sub && (natsInbox_Create(&src->inbox) != NATS_OK ||
					  natsConnection_SubscribeSync(&src->sub, src->nc, src->inbox) !=
						  NATS_OK ||
					  natsSubscription_SetPendingLimits(src->sub, -1, -1) != NATS_OK))
		s = NATS_NO_MEMORY;
	if (s != NATS_OK) {
		fprintf(stderr, "netprint: collect: consumer %s: %s (%d)\n", src->durable,
			natsStatus_GetText(s), (int)jerr);
		return false;
	}
	snprintf(src->next_subject, sizeof(src->next_subject), "$JS.API.CONSUMER.MSG.NEXT.%s.%s",
		 src->stream, src->durable);
	fprintf(stderr, "netprint: collect: consuming stream %s as %s from %llu on\n", src->stream,
		src->durable, (unsigned long long)src->c.floor + 1);
	return true;
}

/* Where the message at stream sequence seq is in the ring, or where it goes. */
static size_t
ring_find(const struct np_source *src, uint64_t seq)
{
	size_t lo = 0, hi = src->q_len;

	while (lo < hi) {	/* the ring is in stream order */
		size_t mid = (lo + hi) / 2;

		if (src->q[(src->q_head + mid) % src->q_cap].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct unacked *
ring_at(const struct np_source *src, size_t i)
{
	return &src->q[(src->q_head + i) % src->q_cap];
}

/* A message given: in the ring, in stream order (one sent again after
 * later ones, which a failed fetch can make, goes in its place). */
static bool
remember(struct np_source *src, uint64_t seq, const char *reply)
{
	if (src->q_len == src->q_cap) {
		size_t cap = src->q_cap ? 2 * src->q_cap : 4096;
		struct unacked *q = malloc(cap * sizeof(*q));

		if (!q)
			return false;
		for (size_t i = 0; i < src->q_len; i++)
			q[i] = *ring_at(src, i);
		free(src->q);
		src->q = q;
		src->q_cap = cap;
		src->q_head = 0;
	}
	char *r = reply ? strdup(reply) : NULL;

	if (reply && !r)
		return false;
	size_t at = ring_find(src, seq);

	for (size_t i = src->q_len++; i > at; i--)
		*ring_at(src, i) = *ring_at(src, i - 1);
	*ring_at(src, at) = (struct unacked){ seq, r, false };
	return true;
}

/*
 * A pull request out, unless one is: batch messages, waited for up to
 * PULL_EXPIRES_MS. False when it cannot be sent now.
 */
static bool
ask(struct np_source *src, unsigned batch)
{
	char req[96];
	uint64_t now = np_monotonic_ms();

	if (src->asked_left && now < src->asked_until_ms + 100)
		return true;
	snprintf(req, sizeof(req), "{\"batch\":%u,\"expires\":%llu}", batch,
		 (unsigned long long)PULL_EXPIRES_MS * 1000000ull);
	if (natsConnection_PublishRequestString(src->nc, src->next_subject, src->inbox, req) !=
	    NATS_OK)
		return false;
	src->asked_left = batch;
	src->asked_until_ms = now + PULL_EXPIRES_MS;
	return true;
}

unsigned
np_source_poll(struct np_source *src, unsigned batch, int wait_ms, np_source_fn fn, void *ctx,
	       bool *caught_up, bool (*quit)(void))
{
	uint64_t before = src->c.delivered;
	natsStatus s = NATS_OK;

	*caught_up = src->pending == 0;
	src->c.connected = natsConnection_Status(src->nc) == NATS_CONN_STATUS_CONNECTED;
	if (!src->c.connected) {
		np_nap_ms(wait_ms < 50 ? (unsigned)wait_ms : 50);
		return 0;
	}
	if (!src->ready && !(src->ready = set_up(src, fn, ctx, quit))) {
		np_nap_ms(wait_ms < 500 ? (unsigned)wait_ms : 500);
		return (unsigned)(src->c.delivered - before);
	}
	src->c.ready = true;
	for (unsigned n = 0; n < batch; n++) {
		natsMsg *msg = NULL;
		uint64_t seq;

		if (!ask(src, batch))
			break;
		if ((s = natsSubscription_NextMsg(&msg, src->sub, n ? 0 : wait_ms)) != NATS_OK)
			break;
		if (!natsMsg_GetReply(msg) || !msg_seq(msg, &seq, &src->pending)) {
			src->asked_left = 0;	/* a status: no messages (404), expired (408), ... */
			natsMsg_Destroy(msg);
			continue;
		}
		if (src->asked_left)
			src->asked_left--;
		size_t at = ring_find(src, seq);

		if (seq < src->done_below ||	/* its ack lost: again */
		    (at < src->q_len && ring_at(src, at)->seq == seq)) {	/* held past the ack wait */
			src->c.again++;
			if (seq < src->done_below)
				natsMsg_Ack(msg, NULL);
		} else if (!remember(src, seq, natsMsg_GetReply(msg))) {
			natsMsg_Nak(msg, NULL);	/* out of memory: later */
		} else {
			src->c.delivered++;
			fn(ctx, msg, seq, false, seq <= src->c.sent_before);
		}
		natsMsg_Destroy(msg);
	}
	if (s != NATS_OK && s != NATS_TIMEOUT)
		src->c.fetch_errors++;
	*caught_up = src->pending == 0;	/* a wait that timed out says nothing */
	return (unsigned)(src->c.delivered - before);
}

void
np_source_done(struct np_source *src, uint64_t seq)
{
	size_t at = ring_find(src, seq);

	if (at < src->q_len && ring_at(src, at)->seq == seq)
		ring_at(src, at)->done = true;
}

void
np_source_ack(struct np_source *src)
{
	while (src->q_len && src->q[src->q_head].done) {
		struct unacked *u = &src->q[src->q_head];

		if (u->reply && natsConnection_PublishString(src->nc, u->reply, "+ACK") == NATS_OK)
			src->c.acked++;
		src->done_below = u->seq + 1;
		free(u->reply);
		src->q_head = (src->q_head + 1) % src->q_cap;
		src->q_len--;
	}
}

void
np_source_counts(const struct np_source *src, struct np_source_counts *out)
{
	*out = src->c;
}

void
np_source_close(struct np_source *src)
{
	if (!src)
		return;
	if (src->nc)
		natsConnection_FlushTimeout(src->nc, 5000);	/* the acks */
	for (size_t i = 0; i < src->q_len; i++)
		free(src->q[(src->q_head + i) % src->q_cap].reply);
	free(src->q);
	if (src->sub)
		natsSubscription_Destroy(src->sub);	/* the durable stays on the server */
	natsInbox_Destroy(src->inbox);
	jsCtx_Destroy(src->js);
	natsConnection_Destroy(src->nc);
	natsOptions_Destroy(src->opts);
	free(src->stream);
	free(src->durable);
	free(src);
	nats_Close();
}
