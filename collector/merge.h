/* SPDX-License-Identifier: MIT */
/*
 * The collector's merge: the input records of many sensors put together in
 * packet-time order, as a sensor's logger merges its workers, each sensor's
 * in the order its own host logic had them. That order is the sensor's
 * message sequence (the stream's order but for what a sensor sent again
 * after a server failed): a message that comes before an earlier one of
 * its sensor waits for it.
 *
 * A record is let go when every sensor still sending has a later one
 * waiting, so the host logic sees each host's connections in the order
 * they happened whichever sensor saw them. Reading a backlog, a record
 * also waits for NP_MERGE_LOOKAHEAD messages after it (a sensor not seen
 * yet may have older ones there), and a sensor is waited for while it has
 * sent within the last NP_MERGE_LOOKAHEAD messages; once the stream is
 * read to its end, while it sent in the last hold_ms. No record waits
 * longer than hold_ms. A missing message
 * of a sensor is waited for NP_MERGE_GAP_WAIT_MS (a cluster that lost a
 * server takes seconds to store what the sensor sends again), and then
 * given up on; a message that skips more than NP_MERGE_LOOKAHEAD of its
 * sensor's (no sensor does) waits for nothing. Never more than NP_MERGE_HELD_MAX are held.
 */
#ifndef NP_MERGE_H
#define NP_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "nats_wire.h"
#include "record.h"

#define NP_MERGE_SENSORS 64	/* a collector's sensors (bits of a host's seen_by) */
#define NP_MERGE_LOOKAHEAD 16384
#define NP_MERGE_HELD_MAX (4 * NP_MERGE_LOOKAHEAD)
#define NP_MERGE_GAP_WAIT_MS 90000	/* a sensor's missing message: longer than a
					 * sensor tries to send one (nats_pub.h) */

/* A sensor's message waiting for its turn: malloc'd with its record's tail. */
struct np_pending {
	struct np_pending *next;
	uint64_t stream_seq;	/* its place in the stream */
	uint64_t boot, sensor_seq;	/* and in its sensor's order (its message id) */
	uint64_t arrived_ms;	/* monotonic */
	unsigned sensor;
	bool empty;		/* no record: a message that only holds its place */
	bool replay;		/* read again at start: applied, not written */
	bool again;		/* the last run may have written its records (source.h) */
	char msg_id[NP_NATS_SENSOR_MAX + 48];
	struct np_rec rec;
	char tail[];		/* rec.tail_len bytes and a NUL */
};

struct np_merge_sensor {
	struct np_pending *head, **last;	/* ready, in the sensor's order */
	struct np_pending *early;	/* come before an earlier one: by sensor_seq */
	uint64_t n_early;
	uint64_t boot, next_seq;	/* the sensor's message expected next */
	uint64_t last_arrival_ms;	/* its newest message's arrival */
	uint64_t last_seq;		/* and place in the stream */
	bool seen;
};

struct np_merge {
	struct np_merge_sensor s[NP_MERGE_SENSORS];
	unsigned n_sensors;	/* s[0..n) used */
	uint64_t held;		/* messages held (records and places) */
	uint64_t newest_seq;	/* the newest message of any sensor */
	uint64_t missing;	/* sensors' messages never seen, given up on */
	uint64_t late;		/* seen after they were given up on: applied then */
	uint64_t gap_wait_ms;
};

void np_merge_init(struct np_merge *m);

/* Let go of what is still held. */
void np_merge_fini(struct np_merge *m);

/*
 * A message of sensor s came at now_ms (seq: its place in the stream):
 * sensors that send are waited for, even by a message with no record.
 */
void np_merge_saw(struct np_merge *m, unsigned s, uint64_t seq, uint64_t now_ms);

/* Hold p (its sensor seen first with np_merge_saw) for its turn; an empty
 * one is freed once its place is passed. */
void np_merge_push(struct np_merge *m, struct np_pending *p);

/*
 * The record whose turn it is, taken out (the caller frees it), or NULL
 * when none may go yet. caught_up: the stream is read to its end for now;
 * drain: let everything go (the end), oldest first.
 */
struct np_pending *np_merge_next(struct np_merge *m, uint64_t now_ms, uint64_t hold_ms,
				 bool caught_up, bool drain);

/* How long a missing message is waited for (NP_MERGE_GAP_WAIT_MS; tests set it). */
void np_merge_gap_wait(struct np_merge *m, uint64_t ms);

#endif /* NP_MERGE_H */
