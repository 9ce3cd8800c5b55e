/* SPDX-License-Identifier: MIT */
/*
 * The collector's merge: the input records of many sensors, each sensor's
 * in the order its own host logic had them (the stream's order), put
 * together in packet-time order, as a sensor's logger merges its workers.
 * A record is let go when every sensor still sending has a later one
 * waiting, so the host logic sees each host's connections in the order
 * they happened whichever sensor saw them. Not waited for: a sensor that
 * has sent nothing for hold_ms once the stream is read to its end, or
 * nothing in the last NP_MERGE_LOOKAHEAD messages of a backlog; and
 * nothing is held longer than hold_ms once the stream is read to its end,
 * nor more than NP_MERGE_HELD_MAX records at once.
 */
#ifndef NP_MERGE_H
#define NP_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "nats_wire.h"
#include "record.h"

#define NP_MERGE_SENSORS 64	/* a collector's sensors (bits of a host's seen_by) */
#define NP_MERGE_LOOKAHEAD 65536
#define NP_MERGE_HELD_MAX (4 * NP_MERGE_LOOKAHEAD)

/* A record waiting for its turn: malloc'd with its tail. */
struct np_pending {
	struct np_pending *next;
	uint64_t stream_seq;	/* its message's place in the stream */
	uint64_t arrived_ms;	/* monotonic */
	unsigned sensor;
	bool replay;		/* read again at start: applied, not written */
	bool again;		/* the last run may have written its records (source.h) */
	char msg_id[NP_NATS_SENSOR_MAX + 48];
	struct np_rec rec;
	char tail[];		/* rec.tail_len bytes and a NUL */
};

struct np_merge_sensor {
	struct np_pending *head, **last;
	uint64_t last_arrival_ms;	/* its newest message's arrival */
	uint64_t last_seq;		/* and place in the stream */
	bool seen;
};

struct np_merge {
	struct np_merge_sensor s[NP_MERGE_SENSORS];
	unsigned n_sensors;	/* s[0..n) used */
	uint64_t held;
	uint64_t newest_seq;	/* the newest message of any sensor */
};

void np_merge_init(struct np_merge *m);

/* Let go of what is still held. */
void np_merge_fini(struct np_merge *m);

/*
 * A message of sensor s came at now_ms (seq: its place in the stream):
 * sensors that send are waited for, even by a message with no record.
 */
void np_merge_saw(struct np_merge *m, unsigned s, uint64_t seq, uint64_t now_ms);

/* Hold p (its sensor seen first with np_merge_saw) after that sensor's others. */
void np_merge_push(struct np_merge *m, struct np_pending *p);

/*
 * The record whose turn it is, taken out (the caller frees it), or NULL
 * when none may go yet. caught_up: the stream is read to its end for now;
 * drain: let everything go (the end, or a replay's end), oldest first.
 */
struct np_pending *np_merge_next(struct np_merge *m, uint64_t now_ms, uint64_t hold_ms,
				 bool caught_up, bool drain);

/* The lowest stream place held (UINT64_MAX: none): everything before it is done with. */
uint64_t np_merge_min_seq(const struct np_merge *m);

#endif /* NP_MERGE_H */
