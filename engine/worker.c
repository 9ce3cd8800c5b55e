/* SPDX-License-Identifier: MIT */
/*
 * The worker loops: rx_burst (or the next frames of a file), parse,
 * observe, one enqueue per burst. No locks, no malloc, no logging here;
 * everything that goes wrong is a counter.
 */
#include <string.h>
#include <time.h>

#define URCU_INLINE_SMALL_FUNCTIONS
#include <urcu/urcu-qsbr.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>

#include "engine.h"
#include "worker.h"

#define NP_SCRATCH_SIZE 65536
#define NP_IDLE_TIMEOUT_S 10	/* file mode: give up if the port stalls */

const char *const np_worker_ctr_names[NP_CTR_COUNT] = {
#define NP_CTR_NAME_(id, desc) desc,
	NP_FOREACH_WORKER_CTR(NP_CTR_NAME_)
#undef NP_CTR_NAME_
};

const char *const np_worker_ctr_ids[NP_CTR_COUNT] = {
#define NP_CTR_ID_(id, desc) #id,
	NP_FOREACH_WORKER_CTR(NP_CTR_ID_)
#undef NP_CTR_ID_
};

/* The wall clock's microseconds when the TSC read 0 (np_worker_clock_init). */
static uint64_t tsc_epoch_us;

void
np_worker_clock_init(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	tsc_epoch_us = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000 -
		       rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000000);
}

/* The wall time in microseconds, by the TSC: a burst's arrival when the
 * device stamps none, and the time an idle worker gives the logger (live). */
static inline uint64_t
now_us(void)
{
	return tsc_epoch_us + rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000000);
}

/* A packet's time: the device's timestamp, else its burst's arrival. */
static inline uint64_t
packet_time_us(const struct np_worker *w, const struct rte_mbuf *m, uint64_t arrival_us)
{
	if (w->ts_offset >= 0 && (m->ol_flags & w->ts_flag))
		return *RTE_MBUF_DYNFIELD(m, w->ts_offset, rte_mbuf_timestamp_t *);
	return arrival_us;
}

/*
 * Records wait in w->batch until the end of the burst: one ring operation
 * per burst, not per packet. A record's text tail follows it in the next
 * elements; a batch goes whole or not at all, so a record never arrives
 * without its tail. Reading a file, wait for room; live, count the drops.
 */
_Static_assert(NP_WORKER_BATCH >= NP_OBSERVE_MAX_RECORDS * (NP_REC_SLOTS_MAX + (NP_TAIL_MAX + NP_REC_SLOT - 1) / NP_REC_SLOT),
	       "a packet's records and their tails fit in a batch");

static void
flush_records(struct np_worker *w)
{
	uint64_t wait_from = 0;

	if (!w->n_batch)
		return;
	NP_STAGE(RING);
	while (!rte_ring_sp_enqueue_bulk_elem(w->ring, w->batch, sizeof(w->batch[0]), w->n_batch,
					      NULL)) {
		if (!w->lossless || np_engine_quit()) {
			w->ctr[NP_CTR_RING_DROP] += w->batch_records;
			goto out;
		}
		/* reading a file, the logger sets the pace: not the worker's work */
		if (!wait_from)
			wait_from = rte_rdtsc();
		rte_pause();
	}
	w->ctr[NP_CTR_RECORDS] += w->batch_records;
out:
	if (wait_from)
		w->ctr[NP_CTR_WAIT_CYCLES] += rte_rdtsc() - wait_from;
	w->n_batch = 0;
	w->batch_records = 0;
	NP_STAGE_END();
}

static inline void
batch_room(struct np_worker *w, unsigned elems)
{
	if (w->n_batch + elems > NP_WORKER_BATCH)
		flush_records(w);
}

/* One record, compact, with the order the logger merges by, and its tail. */
static inline void
batch_record(struct np_worker *w, const struct np_rec *r, const char *tail)
{
	uint8_t *at = w->batch[w->n_batch].b;

	memcpy(at, r, np_rec_wire_size(r->kind));
	memcpy(at + offsetof(struct np_rec, order), &w->order, sizeof(w->order));
	w->n_batch += np_rec_body_slots(r->kind);
	if (r->tail_len && tail) {	/* tracker events have none */
		memcpy(w->batch[w->n_batch].b, tail, r->tail_len);
		w->n_batch += np_rec_tail_slots(r->tail_len);
	}
	w->batch_records++;
}

static void
batch_observation(struct np_worker *w, const struct np_observation *obs)
{
	unsigned need = 0;

	NP_STAGE(RING);
	for (unsigned i = 0; i < obs->n; i++)
		need += np_rec_slots(&obs->rec[i]);
	batch_room(w, need);
	const char *tail = obs->tail;

	for (unsigned i = 0; i < obs->n; i++) {
		batch_record(w, &obs->rec[i], tail);
		if (obs->rec[i].tail_len)
			tail += obs->rec[i].tail_len + 1;
	}
	NP_STAGE_END();
}

/* Host drops from the tracker, in order with the packets' records. */
void
np_worker_event(void *ctx, const struct np_rec *r)
{
	struct np_worker *w = ctx;

	batch_room(w, np_rec_slots(r));
	batch_record(w, r, NULL);
}

/* A burst's first pass over one frame: parse, and prefetch its flow's bucket. */
static inline void
parse_ahead(struct np_worker *w, const uint8_t *frame, uint32_t len, struct np_frame_ahead *a)
{
	np_frame_parse_ahead(&w->link, frame, len, a);
	if (a->r == NP_PARSE_OK)
		np_tracker_prefetch(&w->obs, &a->pk, a->hash);
}

/* A parsed frame's turn: flows, matching, records out with this order. */
static inline void
track_frame(struct np_worker *w, const struct np_frame_ahead *a, uint64_t ts, uint64_t order)
{
	w->order = order;
	np_frame_track_ahead(&w->obs, w->db, w->db->generation, a, ts, w->observation, w->ctr);
	if (w->observation->n)
		batch_observation(w, w->observation);
}

/* One frame at packet time ts, both passes at once. */
static inline void
process_frame(struct np_worker *w, const uint8_t *frame, uint32_t len, uint64_t ts,
	      uint64_t order)
{
	struct np_frame_ahead a;

	np_frame_parse_ahead(&w->link, frame, len, &a);
	track_frame(w, &a, ts, order);
}

static inline void
process_mbuf(struct np_worker *w, struct rte_mbuf *m, uint64_t arrival_us)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_pkt_len(m);

	if (m->nb_segs > 1) {
		if (len > NP_SCRATCH_SIZE)
			len = NP_SCRATCH_SIZE;
		frame = rte_pktmbuf_read(m, 0, len, w->scratch);
	}
	uint64_t ts = packet_time_us(w, m, arrival_us);

	process_frame(w, frame, len, ts, ts);
}

/*
 * A burst of single-segment mbufs in two passes (frame.h): parse them all,
 * prefetching the frames ahead and each flow's bucket, then track them in
 * order. A multi-segment mbuf is linearised into the one scratch buffer:
 * such a burst goes frame by frame.
 */
static void
process_burst(struct np_worker *w, struct rte_mbuf **pkts, uint16_t n, uint64_t arrival_us)
{
	struct np_frame_ahead *ahead = w->ahead;

	/* the headers of every frame on their way: a frame's first two lines
	 * hold them (options and IPv6 included) */
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(pkts[i], const uint8_t *);

		if (pkts[i]->nb_segs > 1)
			goto one_by_one;
		rte_prefetch0(d);
		rte_prefetch0(d + RTE_CACHE_LINE_SIZE);
	}
	for (uint16_t i = 0; i < n; i++)
		parse_ahead(w, rte_pktmbuf_mtod(pkts[i], const uint8_t *), rte_pktmbuf_pkt_len(pkts[i]),
			    &ahead[i]);
	for (uint16_t i = 0; i < n; i++) {
		uint64_t ts = packet_time_us(w, pkts[i], arrival_us);

		track_frame(w, &ahead[i], ts, ts);
	}
	return;
one_by_one:
	for (uint16_t i = 0; i < n; i++) {
		if (i + 3 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 3], void *));
		process_mbuf(w, pkts[i], arrival_us);
	}
}

/* File mode: has the device delivered (or failed) every frame of our file? */
static bool
queue_drained(const struct np_worker *w)
{
	struct rte_eth_stats st;

	if (w->ctr[NP_CTR_RX_PKTS] >= w->expect_pkts)
		return true;
	if (rte_eth_stats_get(w->ports[0], &st) || w->queue >= RTE_ETHDEV_QUEUE_STAT_CNTRS)
		return false;
	return st.q_ipackets[w->queue] + st.q_errors[w->queue] >= w->expect_pkts;
}

/* No more records from this worker: the logger may drain and stop. */
/* The stage clock starts with the loop (benchmark builds). */
static inline void
stage_clock_start(void)
{
#ifdef NP_STAGE_CYCLES
	np_stage_clock = (struct np_stage_clock){ .last = __rdtsc(), .cur = NP_STAGE_OTHER };
#endif
}

static void
finish(struct np_worker *w)
{
#ifdef NP_STAGE_CYCLES
	NP_STAGE_TO(OTHER);	/* charge the last stretch */
	memcpy(w->stage_cycles, np_stage_clock.cycles, sizeof(w->stage_cycles));
	memcpy(w->stage_marks, np_stage_clock.marks, sizeof(w->stage_marks));
	w->stage_mark_cost = np_stage_mark_cost();
#endif
	__atomic_store_n(&w->watermark, UINT64_MAX, __ATOMIC_RELEASE);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	urcu_qsbr_unregister_thread();
}

int
np_worker_main(void *arg)
{
	struct np_worker *w = arg;
	struct rte_mbuf *pkts[NP_WORKER_BURST];
	uint64_t idle_since = 0, hz = rte_get_tsc_hz();

	w->cpu = sched_getcpu();
	urcu_qsbr_register_thread();
	stage_clock_start();
	while (!np_engine_quit()) {
		uint16_t n = 0;

		for (uint16_t p = 0; p < w->n_ports && !n; p++)
			n = rte_eth_rx_burst(w->ports[p], w->queue, pkts, NP_WORKER_BURST);
		if (n == 0) {
			urcu_qsbr_quiescent_state();
			if (w->reads_file) {
				uint64_t now = rte_get_tsc_cycles();

				if (queue_drained(w))
					break;
				if (!idle_since)
					idle_since = now;
				else if (now - idle_since > NP_IDLE_TIMEOUT_S * hz)
					break;	/* main reports the shortfall */
			} else {
				__atomic_store_n(&w->watermark, now_us(), __ATOMIC_RELEASE);
			}
			continue;
		}
		idle_since = 0;
		uint64_t start = rte_rdtsc(), waited = w->ctr[NP_CTR_WAIT_CYCLES];
		/* records to come are not older than this burst's first packet */
		uint64_t arrival = now_us();

		__atomic_store_n(&w->watermark, packet_time_us(w, pkts[0], arrival), __ATOMIC_RELEASE);
		w->db = rcu_dereference(np_db_current);
		process_burst(w, pkts, n, arrival);
		flush_records(w);
		rte_pktmbuf_free_bulk(pkts, n);
		w->ctr[NP_CTR_BUSY_CYCLES] += rte_rdtsc() - start - (w->ctr[NP_CTR_WAIT_CYCLES] - waited);
		urcu_qsbr_quiescent_state();
	}
	finish(w);
	return 0;
}

/*
 * The zero-copy benchmark source: the worker's share of --bench-replay's
 * frames, already in mbufs, a burst at a time and again from the start,
 * never freed. Timestamps are the TSC's, as live traffic without a device
 * clock, so flows age as they would at this rate.
 */
int
np_worker_replay(void *arg)
{
	struct np_worker *w = arg;
	uint32_t next = 0;

	w->cpu = sched_getcpu();
	urcu_qsbr_register_thread();
	stage_clock_start();
	while (!np_engine_quit() && w->n_replay) {
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)NP_WORKER_BURST, w->n_replay - next);
		uint64_t start = rte_rdtsc();

		uint64_t arrival = now_us();

		__atomic_store_n(&w->watermark, arrival, __ATOMIC_RELEASE);
		w->db = rcu_dereference(np_db_current);
		/* what a PMD's rx_burst leaves in the cache: the next burst's mbufs */
		for (uint32_t k = next + n; k < next + 2u * n && k < w->n_replay; k++)
			rte_prefetch0(w->replay[k]);
		process_burst(w, w->replay + next, n, arrival);
		flush_records(w);
		w->ctr[NP_CTR_BUSY_CYCLES] += rte_rdtsc() - start;
		next = next + n == w->n_replay ? 0 : next + n;
		urcu_qsbr_quiescent_state();
	}
	finish(w);
	return 0;
}

/*
 * A worker reading its capture file directly (no DPDK port): the same
 * frame path, in bursts of NP_WORKER_BURST frames between quiescent states.
 */
void *
np_worker_read_file(void *arg)
{
	struct np_worker *w = arg;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;
	int more = 1;
	char name[16];

	snprintf(name, sizeof(name), "np-worker%u", w->index);
	pthread_setname_np(pthread_self(), name);	/* as top -H and perf show it */
	w->cpu = sched_getcpu();
	urcu_qsbr_register_thread();
	stage_clock_start();
	while (more > 0 && !np_engine_quit()) {	/* 0: the end; < 0: damaged (said at exit) */
		uint64_t start = rte_rdtsc(), waited = w->ctr[NP_CTR_WAIT_CYCLES];

		w->db = rcu_dereference(np_db_current);
		for (unsigned i = 0; i < NP_WORKER_BURST && (more = np_capture_next(w->capture, &frame, &len, &ts)) > 0; i++) {
			if (i == 0)	/* records to come are not older */
				__atomic_store_n(&w->watermark, ts, __ATOMIC_RELEASE);
			process_frame(w, frame, len, ts, ts);
		}
		flush_records(w);
		w->ctr[NP_CTR_BUSY_CYCLES] += rte_rdtsc() - start - (w->ctr[NP_CTR_WAIT_CYCLES] - waited);
		urcu_qsbr_quiescent_state();
	}
	finish(w);
	return NULL;
}

/* Nothing in the inbox: the reader shares a CPU with a worker here. */
#define NP_INBOX_IDLE_SPINS 64
#define NP_INBOX_NAP_NS 20000

/* The reader's descriptors in two passes (frame.h): parse the frames, then
 * in order p0f's expiry where the reader says and each frame's turn. */
static void
take_descs(struct np_worker *w, const struct np_frame_desc *descs, unsigned n)
{
	struct np_frame_ahead *ahead = w->ahead;

	for (unsigned i = 0; i < n; i++) {
		const struct np_frame_desc *d = &descs[i];

		if (d->kind != NP_DESC_FRAME)
			continue;
		if (i + 2 < n && descs[i + 2].kind == NP_DESC_FRAME)
			rte_prefetch0(np_inbox_frame(w->inbox, &descs[i + 2]));
		if (w->link.guess)
			w->link.off = d->link_off;	/* where the reader had found IP by then */
		parse_ahead(w, np_inbox_frame(w->inbox, d), d->len, &ahead[i]);
	}
	for (unsigned i = 0; i < n; i++) {
		const struct np_frame_desc *d = &descs[i];

		if (d->kind == NP_DESC_EXPIRE || d->expire_first) {
			w->order = np_desc_expiry_order(d);
			np_tracker_expire(&w->obs, d->ts_us);
		}
		if (d->kind == NP_DESC_FRAME)
			track_frame(w, &ahead[i], d->ts_us, np_desc_frame_order(d));
	}
}

/*
 * A worker taking its share of one file from the reader (dispatch.h): the
 * same frame path, p0f's expiry where the reader says, records ordered by
 * the frame's position in the file.
 */
void *
np_worker_take_frames(void *arg)
{
	struct np_worker *w = arg;
	struct np_frame_desc descs[NP_WORKER_BURST];
	uint64_t upto = 0;
	unsigned empty = 0;
	char name[16];

	snprintf(name, sizeof(name), "np-worker%u", w->index);
	pthread_setname_np(pthread_self(), name);
	w->cpu = sched_getcpu();
	urcu_qsbr_register_thread();
	stage_clock_start();
	while (!np_engine_quit()) {
		unsigned n = np_inbox_take(w->inbox, descs, NP_WORKER_BURST);

		if (n == 0) {
			urcu_qsbr_quiescent_state();
			if (np_inbox_idle(w->inbox, w->dispatcher, &upto))
				break;
			/* no frame of ours before upto: records to come are later */
			__atomic_store_n(&w->watermark, 2 * upto, __ATOMIC_RELEASE);
			np_engine_idle(&empty, NP_INBOX_IDLE_SPINS, NP_INBOX_NAP_NS);
			continue;
		}
		empty = 0;
		uint64_t start = rte_rdtsc(), waited = w->ctr[NP_CTR_WAIT_CYCLES];

		__atomic_store_n(&w->watermark, np_desc_expiry_order(&descs[0]), __ATOMIC_RELEASE);
		w->db = rcu_dereference(np_db_current);
		take_descs(w, descs, n);
		flush_records(w);
		for (unsigned i = n; i-- > 0;)
			if (descs[i].kind == NP_DESC_FRAME) {
				np_inbox_release(w->inbox, &descs[i]);
				break;
			}
		w->ctr[NP_CTR_BUSY_CYCLES] += rte_rdtsc() - start - (w->ctr[NP_CTR_WAIT_CYCLES] - waited);
		urcu_qsbr_quiescent_state();
	}
	finish(w);
	return NULL;
}
