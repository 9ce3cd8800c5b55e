/* SPDX-License-Identifier: MIT */
/*
 * The file reader of several workers (dispatch.h).
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispatch.h"
#include "engine.h"
#include "frame.h"

#define NP_WAIT_NS 20000	/* a worker is behind: let it run */

static struct rte_ring *
desc_ring_new(void)
{
	size_t size = (size_t)rte_ring_get_memsize_elem(sizeof(struct np_frame_desc), NP_INBOX_DESCS);
	struct rte_ring *r = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE));

	if (r && rte_ring_init(r, "np_inbox", NP_INBOX_DESCS, RING_F_SP_ENQ | RING_F_SC_DEQ)) {
		free(r);
		r = NULL;
	}
	return r;
}

int
np_dispatcher_init(struct np_dispatcher *d, struct np_capture *cap, unsigned n_workers)
{
	memset(d, 0, sizeof(*d));
	d->cap = cap;
	d->n_workers = n_workers;
	d->clock.interval = NP_EXPIRE_INTERVAL;
	np_capture_link(cap, &d->link);
	d->inboxes = aligned_alloc(RTE_CACHE_LINE_SIZE,
				   RTE_ALIGN_CEIL(n_workers * sizeof(*d->inboxes), RTE_CACHE_LINE_SIZE));
	if (!d->inboxes)
		return -1;
	memset(d->inboxes, 0, n_workers * sizeof(*d->inboxes));
	for (unsigned i = 0; i < n_workers; i++) {
		struct np_inbox *ib = &d->inboxes[i];

		ib->ring = desc_ring_new();
		ib->arena = malloc(NP_INBOX_ARENA);
		if (!ib->ring || !ib->arena)
			return -1;
	}
	return 0;
}

void
np_dispatcher_fini(struct np_dispatcher *d)
{
	for (unsigned i = 0; d->inboxes && i < d->n_workers; i++) {
		free(d->inboxes[i].ring);
		free(d->inboxes[i].arena);
	}
	free(d->inboxes);
	d->inboxes = NULL;
}

static void
wait_a_little(struct np_dispatcher *d)
{
	d->waits++;
	nanosleep(&(struct timespec){ .tv_nsec = NP_WAIT_NS }, NULL);
}

/* Every worker's gathered descriptors into its ring; then tell the workers
 * that every frame read so far is theirs to see. */
static void
flush_all(struct np_dispatcher *d)
{
	for (unsigned i = 0; i < d->n_workers; i++) {
		struct np_inbox *ib = &d->inboxes[i];

		while (ib->n_pending &&
		       !rte_ring_sp_enqueue_bulk_elem(ib->ring, ib->pending, sizeof(ib->pending[0]),
						      ib->n_pending, NULL)) {
			if (np_engine_quit())
				break;	/* stopping: what is left is not read */
			wait_a_little(d);
		}
		ib->n_pending = 0;
	}
	__atomic_store_n(&d->flushed, d->seq, __ATOMIC_RELEASE);
}

static struct np_frame_desc *
gather(struct np_dispatcher *d, struct np_inbox *ib)
{
	if (ib->n_pending == NP_INBOX_BATCH)
		flush_all(d);
	return &ib->pending[ib->n_pending++];
}

/* Room for len bytes in one piece of ib's arena: false when stopping. */
static bool
arena_room(struct np_dispatcher *d, struct np_inbox *ib, uint32_t len, uint64_t *at)
{
	uint64_t left = NP_INBOX_ARENA - (ib->head & (NP_INBOX_ARENA - 1));

	*at = ib->head;
	if (left < len)
		*at += left;	/* no frame wraps: start over at the arena's head */
	while (*at + len - __atomic_load_n(&ib->released, __ATOMIC_ACQUIRE) > NP_INBOX_ARENA) {
		if (np_engine_quit())
			return false;
		flush_all(d);	/* what the worker needs to move on */
		wait_a_little(d);
	}
	ib->head = *at + len;
	return true;
}

/* Which worker a frame goes to: its connection's, for TCP and UDP (the
 * frame path's first pass, as the worker will parse it). */
static unsigned
worker_of(struct np_dispatcher *d, const uint8_t *frame, uint32_t len, bool *p0f_sees)
{
	struct np_frame_ahead a;

	np_frame_parse_ahead(&d->link, frame, len, &a);
	*p0f_sees = a.p0f_sees;
	return np_frame_worker_of(np_frame_conn_hash(&a), d->n_workers);
}

static void
dispatch(struct np_dispatcher *d, const uint8_t *frame, uint32_t len, uint64_t ts_us)
{
	int16_t link_off = (int16_t)d->link.off;
	bool p0f_sees;
	unsigned w = worker_of(d, frame, len, &p0f_sees);
	bool expire = p0f_sees && np_expiry_due(&d->clock, ts_us);
	struct np_inbox *ib = &d->inboxes[w];

	if (expire) {
		for (unsigned i = 0; i < d->n_workers; i++) {
			if (i == w)
				continue;
			*gather(d, &d->inboxes[i]) = (struct np_frame_desc){
				.seq = d->seq, .ts_us = ts_us, .kind = NP_DESC_EXPIRE,
			};
		}
	}
	if (len > NP_FRAME_MAX)
		len = NP_FRAME_MAX;	/* libpcap never gives more */
	uint64_t at;

	if (!arena_room(d, ib, len, &at))
		return;
	memcpy(ib->arena + (at & (NP_INBOX_ARENA - 1)), frame, len);
	*gather(d, ib) = (struct np_frame_desc){
		.seq = d->seq, .ts_us = ts_us, .pos = at, .len = len, .link_off = link_off,
		.kind = NP_DESC_FRAME, .expire_first = expire,
	};
	d->seq++;
}

void *
np_dispatcher_run(void *arg)
{
	struct np_dispatcher *d = arg;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;

	pthread_setname_np(pthread_self(), "np-reader");
	d->cpu = sched_getcpu();
	while (!np_engine_quit() && np_capture_next(d->cap, &frame, &len, &ts) > 0) {
		dispatch(d, frame, len, ts);
		if (d->seq % NP_INBOX_BATCH == 0)
			flush_all(d);
	}
	flush_all(d);
	__atomic_store_n(&d->done, true, __ATOMIC_RELEASE);
	return NULL;
}

bool
np_inbox_idle(struct np_inbox *ib, const struct np_dispatcher *d, uint64_t *upto)
{
	bool done = __atomic_load_n(&d->done, __ATOMIC_ACQUIRE);
	uint64_t flushed = __atomic_load_n(&d->flushed, __ATOMIC_ACQUIRE);

	if (rte_ring_count(ib->ring))
		return false;	/* something came meanwhile */
	if (done)
		return true;
	if (flushed > *upto)
		*upto = flushed;
	return false;
}
