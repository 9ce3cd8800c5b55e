/* SPDX-License-Identifier: MIT */
/*
 * The worker loop: rx_burst, parse, observe, enqueue. No locks, no malloc,
 * no logging here; everything that goes wrong is a counter.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>

#include "engine.h"
#include "worker.h"

#define NP_BURST 32
#define NP_SCRATCH_SIZE 65536
#define NP_IDLE_TIMEOUT_S 10	/* file mode: give up if the port stalls */

const char *const np_worker_ctr_names[NP_CTR_COUNT] = {
#define NP_CTR_NAME_(id, desc) desc,
	NP_FOREACH_WORKER_CTR(NP_CTR_NAME_)
#undef NP_CTR_NAME_
};

static inline uint64_t
packet_time_us(const struct np_worker *w, const struct rte_mbuf *m)
{
	if (w->ts_offset >= 0 && (m->ol_flags & w->ts_flag))
		return *RTE_MBUF_DYNFIELD(m, w->ts_offset, rte_mbuf_timestamp_t *);
	return rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000000);
}

/* Push records to the logger; in lossless (file) mode wait for room. */
static void
send_records(struct np_worker *w, const struct np_record *recs, unsigned n)
{
	unsigned done = rte_ring_sp_enqueue_burst_elem(w->ring, recs, sizeof(*recs), n, NULL);

	while (done < n && w->lossless && !np_engine_quit()) {
		rte_pause();
		done += rte_ring_sp_enqueue_burst_elem(w->ring, recs + done, sizeof(*recs),
						       n - done, NULL);
	}
	w->ctr[NP_CTR_RECORDS] += done;
	w->ctr[NP_CTR_RING_DROP] += n - done;
}

static inline void
process_frame(struct np_worker *w, struct rte_mbuf *m, struct np_record *out, unsigned *nout)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint64_t ts = packet_time_us(w, m);
	struct np_packet pk;

	w->ctr[NP_CTR_RX_PKTS]++;
	w->ctr[NP_CTR_RX_BYTES] += len;
	if (m->nb_segs > 1) {
		if (len > NP_SCRATCH_SIZE)
			len = NP_SCRATCH_SIZE;
		frame = rte_pktmbuf_read(m, 0, len, w->scratch);
	}

	/* p0f's cache expiry counts the TCP frames its filter passes. */
	enum np_parse_result r = np_parse_frame(&w->link, frame, len, &pk);
	if (r == NP_PARSE_OK || np_link_is_tcp(&w->link, frame, len))
		np_observer_tick(&w->obs, ts);
	if (r != NP_PARSE_OK) {
		w->ctr[NP_CTR_PARSED + r]++;	/* SKIP_* follow PARSED in order */
		return;
	}
	w->ctr[NP_CTR_PARSED]++;

	unsigned n = np_observe(&w->obs, w->db, w->db_gen, &pk, ts, out + *nout);
	for (unsigned i = 0; i < n; i++) {
		const struct np_record *rec = &out[*nout + i];

		if (rec->kind == NP_REC_MTU)
			continue;
		w->ctr[rec->to_srv ? NP_CTR_SYN : NP_CTR_SYNACK]++;
		w->ctr[NP_CTR_MATCHED] += !!(rec->tcp.flags & NP_RTCP_MATCHED);
		w->ctr[NP_CTR_FUZZY] += !!(rec->tcp.flags & NP_RTCP_FUZZY);
	}
	*nout += n;
}

/* File mode: has the port delivered (or failed) every packet of the file? */
static bool
port_drained(const struct np_worker *w)
{
	struct rte_eth_stats st;

	if (!w->expect_pkts || rte_eth_stats_get(w->port, &st))
		return false;
	return st.ipackets + st.ierrors + st.imissed >= w->expect_pkts;
}

int
np_worker_main(void *arg)
{
	struct np_worker *w = arg;
	struct rte_mbuf *pkts[NP_BURST];
	struct np_record out[NP_BURST * NP_OBSERVE_MAX_RECORDS];
	uint64_t idle_since = 0, hz = rte_get_tsc_hz();

	while (!np_engine_quit()) {
		uint16_t n = rte_eth_rx_burst(w->port, w->queue, pkts, NP_BURST);
		unsigned nout = 0;

		if (n == 0) {
			uint64_t now = rte_get_tsc_cycles();

			if (w->expect_pkts && port_drained(w))
				break;
			if (!idle_since)
				idle_since = now;
			else if (w->expect_pkts && now - idle_since > NP_IDLE_TIMEOUT_S * hz)
				break;	/* main reports the shortfall */
			continue;
		}
		idle_since = 0;
		for (uint16_t i = 0; i < n; i++) {
			if (i + 3 < n)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 3], void *));
			process_frame(w, pkts[i], out, &nout);
		}
		rte_pktmbuf_free_bulk(pkts, n);
		if (nout)
			send_records(w, out, nout);
	}
	w->done = true;
	return 0;
}
