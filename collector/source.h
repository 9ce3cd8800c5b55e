/* SPDX-License-Identifier: MIT */
/*
 * Where a collector's messages come from: a JetStream stream, through a
 * durable consumer of its own (its name: one per collector), which
 * remembers across restarts how far the collector got. A message is acked
 * once the collector is done with it and with every message before it, so
 * the consumer's ack floor is always "everything up to here is applied".
 * A restarted collector first reads the stream again up to that floor
 * (an ordered consumer: no acks, nothing kept on the server) to rebuild
 * what it knew, without printing it, then goes on from there: the
 * consumer is made again to start just after its floor, so that what the
 * last run had not acked comes at once. (Stopped by a signal, a collector
 * acks all it had; killed, it may have written the records of messages
 * it had not acked yet: those come again, marked.)
 * Connecting and reconnecting (with the servers given) happen in the
 * background; the stream is waited for until a sensor makes it.
 */
#ifndef NP_SOURCE_H
#define NP_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include <nats/nats.h>

struct np_source_config {
	const char *urls;	/* "nats://host:4222[,nats://...]" */
	const char *stream;
	const char *durable;	/* the consumer's name */
	const char *creds;	/* or NULL */
	const char *tls_ca;	/* or NULL */
};

struct np_source_counts {
	uint64_t delivered;	/* messages given to the collector */
	uint64_t replayed;	/* of them, read again up to the ack floor at start */
	uint64_t again;		/* delivered again while held: not given twice */
	uint64_t acked;
	uint64_t fetch_errors;	/* waits for messages that failed (not for want of any) */
	uint64_t floor;		/* the ack floor (stream sequence) found at start */
	uint64_t sent_before;	/* the last message the consumer had sent then: those
				 * after the floor up to it may have been applied and
				 * written by the last run (np_source_fn's again) */
	bool connected, ready;
};

/*
 * One message: its place in the stream; replay: read again at start (done
 * with already: not to be written); again: sent to the last run, which may
 * have written what it made before it stopped without acking it (a crash).
 * The callee does not keep msg.
 */
typedef void (*np_source_fn)(void *ctx, natsMsg *msg, uint64_t seq, bool replay, bool again);

struct np_source;

/* NULL with a message in err for a bad configuration. */
struct np_source *np_source_open(const struct np_source_config *cfg, char *err, size_t err_len);

/*
 * Connect, find the stream and the consumer, replay, then take up to batch
 * messages, given to fn, waiting at most wait_ms for the first.
 * *caught_up: the stream has nothing more for now. Returns the messages
 * given (replayed ones included). quit (may be NULL) stops a long replay.
 */
unsigned np_source_poll(struct np_source *src, unsigned batch, int wait_ms, np_source_fn fn,
			void *ctx, bool *caught_up, bool (*quit)(void));

/* The collector is done with the message at stream sequence seq (applied
 * or skipped; a replayed one needs nothing). */
void np_source_done(struct np_source *src, uint64_t seq);

/* Ack the messages done with, in stream order, up to the first that is not. */
void np_source_ack(struct np_source *src);

void np_source_counts(const struct np_source *src, struct np_source_counts *out);

/* Send the acks still to go, and close. */
void np_source_close(struct np_source *src);

#endif /* NP_SOURCE_H */
