/* SPDX-License-Identifier: MIT */
/*
 * A worker: an lcore polling its RX queue on every port, a thread reading
 * a capture file, or a thread taking its share of one file from the reader
 * (dispatch.h). It parses each frame in place, runs the p0f flow and
 * matching logic, and sends fixed-size records by value to the logger
 * through its own single-producer / single-consumer ring, a burst at a time.
 *
 * The logger merges the rings by each record's order: the packet time, or
 * the frame's position in the file when one file is shared. A worker's
 * watermark says that records still to come have no lower order.
 */
#ifndef NP_WORKER_H
#define NP_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ring.h>

#include "capture.h"
#include "dispatch.h"
#include "frame.h"
#include "stage.h"
#include "db.h"
#include "tracker.h"
#include "packet.h"

/* Per-worker counters: the frame counters (frame.h), then the worker's
 * own; the control side sums and prints them. */
#define NP_FOREACH_WORKER_CTR(_) \
	NP_FOREACH_FRAME_CTR(_) \
	_(RECORDS, "records sent") \
	_(RING_DROP, "records dropped (ring full)") \
	_(BUSY_CYCLES, "TSC cycles in non-empty bursts") \
	_(WAIT_CYCLES, "TSC cycles waiting for ring room (files)")

enum np_worker_ctr {
#define NP_CTR_ENUM_(id, desc) NP_CTR_##id,
	NP_FOREACH_WORKER_CTR(NP_CTR_ENUM_)
#undef NP_CTR_ENUM_
	NP_CTR_COUNT
};

_Static_assert((int)NP_CTR_RECORDS == (int)NP_FRAME_CTR_COUNT, "the frame counters come first");

extern const char *const np_worker_ctr_names[NP_CTR_COUNT];
extern const char *const np_worker_ctr_ids[NP_CTR_COUNT];	/* "RX_PKTS", ... */

/* A counter's key for telemetry and the web console: its id in lower case
 * ("rx_pkts"), which holds only letters, digits and '_'. */
static inline const char *
np_ctr_key(const char *id, char *key, size_t size)
{
	size_t i;

	for (i = 0; id[i] && i < size - 1; i++)
		key[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' : id[i]);
	key[i] = 0;
	return key;
}

#define NP_WORKER_MAX_PORTS 8
#define NP_WORKER_BURST 32	/* frames a loop takes */
#define NP_NO_LCORE UINT32_MAX

struct np_worker {
	uint16_t ports[NP_WORKER_MAX_PORTS];	/* this worker's queue on each */
	uint16_t n_ports;
	uint16_t queue;
	unsigned index;			/* 0..n_workers-1, stamped on records */
	unsigned lcore;			/* NP_NO_LCORE: a thread reading a file */
	int cpu;			/* where it started running */
	struct rte_ring *ring;		/* to the logger */
	const struct np_db *db;		/* this burst's database (RCU) */
	struct np_link link;
	struct np_tracker obs;
	const struct np_tracker *tracker;	/* the flows its counters read: &obs, or
						 * the file reader's observer's (reader.h) */
	int ts_offset;			/* Rx-timestamp dynfield, -1 if none */
	uint64_t ts_flag;
	bool lossless;			/* wait for ring space instead of dropping */
	struct np_capture *capture;	/* read directly (no port), or NULL */
	struct np_inbox *inbox;		/* its share of a file (dispatch.h), or NULL */
	struct rte_mbuf **replay;	/* --bench-replay: its share, taken over and over */
	uint32_t n_replay;
	const struct np_dispatcher *dispatcher;	/* who fills the inbox */
	bool reads_file;		/* port: stop after expect_pkts frames */
	uint64_t expect_pkts;
	bool done;			/* set by the worker when it stops */
	uint64_t watermark;		/* records to come have no lower order */
	uint64_t order;			/* order of the records being made */
	uint8_t *scratch;		/* linearised multi-segment frames */
	struct np_observation *observation;	/* one packet's records */
	struct np_frame_ahead *ahead;	/* a burst's frames, parsed (NP_WORKER_BURST) */
	struct np_rec_slot *batch;	/* this burst's records, as ring slots */
	unsigned n_batch, batch_records;	/* slots, records among them */
	uint64_t ctr[NP_CTR_COUNT];
	uint64_t stage_cycles[NP_STAGE_COUNT];	/* benchmark builds: core/stage.h, */
	uint64_t stage_marks[NP_STAGE_COUNT];	/* a mark's cost in each */
	uint64_t stage_mark_cost;
} __rte_cache_aligned;

/* Ring slots a burst's records may take before they are sent early:
 * room for at least a packet's records with a full tail, and host drops. */
#define NP_WORKER_BATCH 4096

/* The worker loop on an lcore: its RX queue on every port. */
/*
 * Tie the TSC to the wall clock, once, before the workers start: a packet
 * without a device timestamp is stamped with the wall time of its burst's
 * arrival, as p0f stamps it with libpcap's.
 */
void np_worker_clock_init(void);

int np_worker_main(void *arg);

/* The worker loop on an lcore for --bench-replay: w->replay until stopped. */
int np_worker_replay(void *arg);

/* The worker loop on a thread of its own: w->capture, to its end. */
void *np_worker_read_file(void *arg);

/* The worker loop on a thread of its own: w->inbox, until the reader is done. */
void *np_worker_take_frames(void *arg);

/* The tracker's event callback (ctx: the worker). */
void np_worker_event(void *ctx, const struct np_rec *r);

#endif /* NP_WORKER_H */
