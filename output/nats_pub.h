/* SPDX-License-Identifier: MIT */
/*
 * Records into NATS JetStream (--nats): the logger hands each record's JSON
 * object (as --json writes it) to a bounded queue and goes on; a thread of
 * this publisher's own takes them from there and publishes them
 * asynchronously, with acknowledgements, as nats_wire.h says (subject,
 * message id, the input record for a collector). The object gains
 * "sensor". A full queue drops the record and counts it: the logger never
 * waits. Connecting, reconnecting (with a growing delay) and creating the
 * stream if it is missing (file storage, subjects "netprint.>") happen on
 * the publisher's thread; while the server is away records wait in the
 * queue, up to its bound.
 */
#ifndef NP_NATS_PUB_H
#define NP_NATS_PUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nats_wire.h"

#define NP_NATS_QUEUE_DEFAULT 65536	/* records waiting for the publisher */
#define NP_NATS_RETRIES 40		/* tries of a refused or unanswered publish */

struct np_nats;

struct np_nats_config {
	const char *urls;	/* "nats://host:4222[,nats://...]" */
	const char *sensor;	/* letters, digits, '-' and '_' */
	const char *stream;	/* JetStream stream name */
	const char *creds;	/* a credentials file, or NULL */
	const char *tls_ca;	/* CA certificates to verify the server with (TLS), or NULL */
	uint32_t queue;		/* records the queue holds */
	int64_t max_bytes;	/* the stream's limits when netprint creates it; 0: none */
	int64_t max_age_s;
	int replicas;		/* its copies in a cluster; 0: 1 */
};

struct np_nats_counts {
	uint64_t queued;	/* taken into the queue */
	uint64_t dropped;	/* the queue was full */
	uint64_t published;	/* handed to the client library */
	uint64_t acked;		/* stored by JetStream */
	uint64_t resent;	/* sent again after an error or no answer */
	uint64_t failed;	/* given up after NP_NATS_RETRIES */
	bool connected;
};

/* Start connecting (in the background: an unreachable server is retried)
 * and publishing; NULL with a message in err for a bad configuration. */
struct np_nats *np_nats_open(const struct np_nats_config *cfg, char *err, size_t err_len);

/*
 * On the logger: one record, its kind's name ("syn+ack") and its JSON
 * object (len bytes, without a final newline), with the input record it
 * came from packed (np_rec_pack(), input_len bytes; 0: none). kind NULL:
 * the input alone (nats_wire.h's _input). False when the queue was full
 * (counted as dropped).
 */
bool np_nats_publish(struct np_nats *n, const char *kind, const char *json, size_t len,
		     const void *input, size_t input_len);

void np_nats_counts(const struct np_nats *n, struct np_nats_counts *out);

/* One line of them, as netprint prints its counters: "netprint:   WHAT ..."
 * (and whether connected, with link). */
void np_nats_print(FILE *out, const char *what, const struct np_nats_counts *c, bool link);

/*
 * Publish what is queued and wait for its acknowledgements, at most
 * wait_ms; then stop, with the final counts in *last. Returns the records
 * not known to be stored.
 */
uint64_t np_nats_close(struct np_nats *n, unsigned wait_ms, struct np_nats_counts *last);

#endif /* NP_NATS_PUB_H */
