/* SPDX-License-Identifier: MIT */
/*
 * The collector's JetStream source (source.h): a durable pull consumer,
 * acks in stream order, and the replay up to the ack floor at start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "merge.h"
#include "nats_wire.h"
#include "source.h"

#define MAX_SERVERS 16
#define ACK_WAIT_S 300		/* a message held this long is sent again (and ignored) */
#define REPLAY_WAIT_MS 5000	/* the replay ends when nothing comes for this long */

/* A message given and not acked yet: acks go out in this order. */
struct unacked {
	uint64_t seq;
	char *reply;
};

struct np_source {
	natsOptions *opts;
	natsConnection *nc;
	jsCtx *js;
	natsSubscription *sub;
	char *stream, *durable;
	bool ready, said_waiting, replayed;
	uint64_t given_max;	/* the highest stream sequence given in this run */
	uint64_t done_below;	/* what np_source_done() was told */
	struct unacked *q;	/* a ring, grown when full */
	size_t q_cap, q_head, q_len;
	struct np_source_counts c;
};

static void
nap_ms(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

static int64_t
reconnect_delay(natsConnection *nc, int attempts, void *closure)
{
	(void)nc, (void)closure;
	return attempts >= 6 ? 5000 : 100LL << attempts;
}

static void
on_connected(natsConnection *nc, void *closure)
{
	char url[256] = "";

	(void)closure;
	natsConnection_GetConnectedUrl(nc, url, sizeof(url));
	fprintf(stderr, "netprint: collect: connected to %s\n", url);
}

struct np_source *
np_source_open(const struct np_source_config *cfg, char *err, size_t err_len)
{
	char urls[1024], *save = NULL;
	const char *servers[MAX_SERVERS];
	int n_servers = 0;
	struct np_source *src;
	natsStatus s;

	if (!np_nats_name_ok(cfg->stream, strlen(cfg->stream)) ||
	    !np_nats_name_ok(cfg->durable, strlen(cfg->durable))) {
		snprintf(err, err_len, "--nats-stream and --durable: letters, digits, '-' or '_'");
		return NULL;
	}
	if (snprintf(urls, sizeof(urls), "%s", cfg->urls) >= (int)sizeof(urls)) {
		snprintf(err, err_len, "--nats: too long");
		return NULL;
	}
	for (char *u = strtok_r(urls, ",", &save); u && n_servers < MAX_SERVERS;
	     u = strtok_r(NULL, ",", &save))
		servers[n_servers++] = u;
	if (!n_servers || !(src = calloc(1, sizeof(*src)))) {
		snprintf(err, err_len, "--nats %s: no server", cfg->urls);
		return NULL;
	}
	src->stream = strdup(cfg->stream);
	src->durable = strdup(cfg->durable);
	if ((s = natsOptions_Create(&src->opts)) != NATS_OK ||
	    (s = natsOptions_SetServers(src->opts, servers, n_servers)) != NATS_OK ||
	    (s = natsOptions_SetName(src->opts, cfg->durable)) != NATS_OK ||
	    (s = natsOptions_SetMaxReconnect(src->opts, -1)) != NATS_OK ||
	    (s = natsOptions_SetCustomReconnectDelay(src->opts, reconnect_delay, NULL)) != NATS_OK ||
	    (s = natsOptions_SetRetryOnFailedConnect(src->opts, true, on_connected, src)) != NATS_OK ||
	    (cfg->creds &&
	     (s = natsOptions_SetUserCredentialsFromFiles(src->opts, cfg->creds, NULL)) != NATS_OK) ||
	    (cfg->tls_ca && ((s = natsOptions_SetSecure(src->opts, true)) != NATS_OK ||
			     (s = natsOptions_LoadCATrustedCertificates(src->opts, cfg->tls_ca)) !=
				     NATS_OK))) {
		snprintf(err, err_len, "--nats: %s (%s)", natsStatus_GetText(s), nats_GetLastError(NULL));
		np_source_close(src);
		return NULL;
	}
	s = natsConnection_Connect(&src->nc, src->opts);
	if ((s != NATS_OK && s != NATS_NOT_YET_CONNECTED) ||
	    (s = natsConnection_JetStream(&src->js, src->nc, NULL)) != NATS_OK) {
		snprintf(err, err_len, "--nats %s: %s", cfg->urls, natsStatus_GetText(s));
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

/* The stream, the consumer's floor, the replay and the pull subscription. */
static bool
set_up(struct np_source *src, np_source_fn fn, void *ctx, bool (*quit)(void))
{
	jsStreamInfo *si = NULL;
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	jsSubOptions so;
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
		src->given_max = src->c.floor;
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
	jsSubOptions_Init(&so);
	so.Stream = src->stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.AckWait = (int64_t)ACK_WAIT_S * 1000000000LL;
	so.Config.MaxAckPending = NP_MERGE_HELD_MAX + 4096;
	so.Config.DeliverPolicy = src->c.floor ? js_DeliverByStartSequence : js_DeliverAll;
	so.Config.OptStartSeq = src->c.floor ? src->c.floor + 1 : 0;
	s = js_PullSubscribe(&src->sub, src->js, NP_NATS_SUBJECTS, src->durable, NULL, &so, &jerr);
	if (s != NATS_OK) {
		fprintf(stderr, "netprint: collect: consumer %s: %s (%d)\n", src->durable,
			natsStatus_GetText(s), (int)jerr);
		return false;
	}
	fprintf(stderr, "netprint: collect: consuming stream %s as %s from %llu on\n", src->stream,
		src->durable, (unsigned long long)src->c.floor + 1);
	return true;
}

static bool
remember(struct np_source *src, uint64_t seq, const char *reply)
{
	if (src->q_len == src->q_cap) {
		size_t cap = src->q_cap ? 2 * src->q_cap : 4096;
		struct unacked *q = malloc(cap * sizeof(*q));

		if (!q)
			return false;
		for (size_t i = 0; i < src->q_len; i++)
			q[i] = src->q[(src->q_head + i) % src->q_cap];
		free(src->q);
		src->q = q;
		src->q_cap = cap;
		src->q_head = 0;
	}
	char *r = reply ? strdup(reply) : NULL;

	if (reply && !r)
		return false;
	src->q[(src->q_head + src->q_len++) % src->q_cap] = (struct unacked){ seq, r };
	return true;
}

unsigned
np_source_poll(struct np_source *src, unsigned batch, int wait_ms, np_source_fn fn, void *ctx,
	       bool *caught_up, bool (*quit)(void))
{
	natsMsgList list = { NULL, 0 };
	uint64_t before = src->c.delivered, pending = 0;
	natsStatus s;

	*caught_up = true;
	src->c.connected = natsConnection_Status(src->nc) == NATS_CONN_STATUS_CONNECTED;
	if (!src->c.connected) {
		nap_ms(wait_ms < 50 ? wait_ms : 50);
		return 0;
	}
	if (!src->ready && !(src->ready = set_up(src, fn, ctx, quit))) {
		nap_ms(wait_ms < 500 ? wait_ms : 500);
		return (unsigned)(src->c.delivered - before);
	}
	src->c.ready = true;
	s = natsSubscription_Fetch(&list, src->sub, (int)batch, wait_ms > 0 ? wait_ms : 1, NULL);
	for (int i = 0; s == NATS_OK && i < list.Count; i++) {
		natsMsg *msg = list.Msgs[i];
		uint64_t seq;

		if (!msg_seq(msg, &seq, &pending))
			continue;
		if (seq <= src->given_max) {	/* held past the ack wait, or its ack lost */
			src->c.again++;
			if (seq < src->done_below)
				natsMsg_Ack(msg, NULL);
			continue;
		}
		if (!remember(src, seq, natsMsg_GetReply(msg))) {
			natsMsg_Nak(msg, NULL);	/* out of memory: later */
			continue;
		}
		src->given_max = seq;
		src->c.delivered++;
		fn(ctx, msg, seq, false, seq <= src->c.sent_before);
	}
	*caught_up = s != NATS_OK || pending == 0;
	natsMsgList_Destroy(&list);
	return (unsigned)(src->c.delivered - before);
}

void
np_source_done(struct np_source *src, uint64_t below)
{
	if (below > src->done_below)
		src->done_below = below;
	while (src->q_len && src->q[src->q_head].seq < below) {
		struct unacked *u = &src->q[src->q_head];

		if (u->reply && natsConnection_PublishString(src->nc, u->reply, "+ACK") == NATS_OK)
			src->c.acked++;
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
	jsCtx_Destroy(src->js);
	natsConnection_Destroy(src->nc);
	natsOptions_Destroy(src->opts);
	free(src->stream);
	free(src->durable);
	free(src);
	nats_Close();
}
