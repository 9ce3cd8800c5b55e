/* SPDX-License-Identifier: MIT */
/*
 * netprint -r FILE on several workers: one reader thread reads the file,
 * parses each frame's headers, and hands it to the worker its connection
 * hashes to (the symmetric hash of the flow table, so both directions meet
 * in one worker). The reader also keeps what p0f decides over all frames:
 * its cache expiry, every 50th TCP frame of the file, which every worker
 * runs at that frame's place. Each record carries the frame's position in
 * the file, and the logger merges by it: the records come out as one
 * thread reading the file would write them.
 *
 * Between the reader and a worker, an inbox: frame descriptors in a
 * single-producer / single-consumer ring, the frames' bytes in an arena
 * the worker gives back in order once a burst is done.
 */
#ifndef NP_DISPATCH_H
#define NP_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ring.h>

#include "capture.h"
#include "packet.h"
#include "tracker.h"

enum np_desc_kind {
	NP_DESC_FRAME,		/* a frame to process */
	NP_DESC_EXPIRE,		/* p0f's expiry, at another worker's frame */
};

struct np_frame_desc {
	uint64_t seq;		/* the frame's position in the file, from 0 */
	uint64_t ts_us;
	uint64_t pos;		/* where its bytes start, in arena bytes handed out */
	uint32_t len;
	int16_t link_off;	/* the reader's IP offset before it (guessed link types) */
	uint8_t kind;		/* enum np_desc_kind */
	uint8_t expire_first;	/* a frame: p0f expires just before it */
};

/* Merge keys of a frame's records: expiry at a frame comes before it. */
static inline uint64_t
np_desc_expiry_order(const struct np_frame_desc *d)
{
	return 2 * d->seq;
}

static inline uint64_t
np_desc_frame_order(const struct np_frame_desc *d)
{
	return 2 * d->seq + 1;
}

#define NP_INBOX_DESCS 4096		/* ring elements */
#define NP_INBOX_ARENA (8u << 20)	/* bytes of frames in flight, per worker */
#define NP_INBOX_BATCH 64		/* descriptors the reader gathers per worker */
#define NP_FRAME_MAX 262144		/* libpcap's largest snapshot length */

struct np_inbox {
	struct rte_ring *ring;
	uint8_t *arena;
	uint64_t head;			/* reader: bytes handed out */
	struct np_frame_desc pending[NP_INBOX_BATCH];	/* reader: not yet in the ring */
	unsigned n_pending;
	uint64_t released __rte_cache_aligned;	/* worker: bytes given back */
};

struct np_dispatcher {
	struct np_capture *cap;
	struct np_link link;		/* the reader's parse: hash, p0f's filter */
	struct np_expiry_clock clock;	/* p0f's, over every frame */
	struct np_inbox *inboxes;	/* one per worker */
	unsigned n_workers;
	uint64_t seq;			/* frames read */
	uint64_t waits;			/* times the reader waited for a worker */
	int cpu;
	/* Every frame before this position is in its worker's ring; with done,
	 * the file is read. The workers read both (np_inbox_idle). */
	uint64_t flushed __rte_cache_aligned;
	bool done;
};

/* 0, or -1 (out of memory). */
int np_dispatcher_init(struct np_dispatcher *d, struct np_capture *cap, unsigned n_workers);
void np_dispatcher_fini(struct np_dispatcher *d);

/* The reader thread: reads the capture to its end (or a stop request). */
void *np_dispatcher_run(void *arg);

/* Worker side. Up to n descriptors from the inbox, 0 if none now. */
static inline unsigned
np_inbox_take(struct np_inbox *ib, struct np_frame_desc *descs, unsigned n)
{
	return rte_ring_sc_dequeue_burst_elem(ib->ring, descs, sizeof(descs[0]), n, NULL);
}

static inline const uint8_t *
np_inbox_frame(const struct np_inbox *ib, const struct np_frame_desc *d)
{
	return ib->arena + (d->pos & (NP_INBOX_ARENA - 1));
}

/* The bytes of every frame up to and including d are no longer needed. */
static inline void
np_inbox_release(struct np_inbox *ib, const struct np_frame_desc *d)
{
	__atomic_store_n(&ib->released, d->pos + d->len, __ATOMIC_RELEASE);
}

/*
 * The inbox is empty: returns true once the file is read and nothing more
 * will come, else sets *upto to a position before which no frame for this
 * worker remains (records to come are not older than its frame order).
 */
bool np_inbox_idle(struct np_inbox *ib, const struct np_dispatcher *d, uint64_t *upto);

#endif /* NP_DISPATCH_H */
