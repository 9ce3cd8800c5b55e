/* SPDX-License-Identifier: MIT */
/*
 * One captured frame through the tracker: parse it, count it, let p0f's
 * cache expiry tick, and fingerprint what it carries (a TCP packet, or a
 * UDP datagram's QUIC / DTLS hello). The engine's workers and the single-
 * thread pipeline (libnetprint's observer) both take frames here, so they
 * count and see frames alike.
 */
#ifndef NP_FRAME_H
#define NP_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "conn_hash.h"
#include "packet.h"
#include "record.h"
#include "stage.h"
#include "tracker.h"

/* Per-frame counters, in this order at the head of the engine's worker
 * counters (worker.h). */
#define NP_FOREACH_FRAME_CTR(_) \
	_(RX_PKTS, "packets read") \
	_(RX_BYTES, "bytes read") \
	_(PARSED, "TCP packets parsed") \
	_(SKIP_LINK, "skipped: link layer not IPv4/IPv6") \
	_(SKIP_SHORT, "skipped: truncated or too short") \
	_(SKIP_BAD_IP, "skipped: malformed IP header") \
	_(SKIP_NOT_TCP, "skipped: neither TCP nor UDP") \
	_(SKIP_FRAGMENT, "skipped: IP fragment") \
	_(SKIP_BAD_TCP, "skipped: malformed TCP header") \
	_(SKIP_TCP_FLAGS, "skipped: meaningless TCP flags") \
	_(UDP, "UDP datagrams parsed") \
	_(SYN, "SYN fingerprinted") \
	_(SYNACK, "SYN+ACK fingerprinted") \
	_(HTTP, "HTTP headers fingerprinted") \
	_(MATCHED, "signatures matched") \
	_(FUZZY, "fuzzy matches")

enum np_frame_ctr {
#define NP_FRAME_CTR_ENUM_(id, desc) NP_FRAME_##id,
	NP_FOREACH_FRAME_CTR(NP_FRAME_CTR_ENUM_)
#undef NP_FRAME_CTR_ENUM_
	NP_FRAME_CTR_COUNT
};

/* A skip reason's counter follows PARSED in parse-result order. */
_Static_assert(NP_FRAME_PARSED + NP_SKIP_LINK == NP_FRAME_SKIP_LINK &&
	       NP_FRAME_PARSED + NP_SKIP_TCP_FLAGS == NP_FRAME_SKIP_TCP_FLAGS,
	       "skip counters in parse-result order");

static inline void
np_frame_count_records(uint64_t *ctr, const struct np_observation *out)
{
	for (unsigned i = 0; i < out->n; i++) {
		const struct np_rec *rec = &out->rec[i];

		switch (rec->kind) {
		case NP_REC_SYN:
		case NP_REC_SYNACK:
			ctr[rec->kind == NP_REC_SYN ? NP_FRAME_SYN : NP_FRAME_SYNACK]++;
			ctr[NP_FRAME_MATCHED] += !!(rec->tcp.flags & NP_RTCP_MATCHED);
			ctr[NP_FRAME_FUZZY] += !!(rec->tcp.flags & NP_RTCP_FUZZY);
			break;
		case NP_REC_HTTP_REQUEST:
		case NP_REC_HTTP_RESPONSE:
			ctr[NP_FRAME_HTTP]++;
			ctr[NP_FRAME_MATCHED] += !!(rec->http.flags & NP_RHTTP_MATCHED);
			break;
		case NP_REC_TLS_CLIENT:
		case NP_REC_TLS_SERVER:
			ctr[NP_FRAME_MATCHED] += !!(rec->tls.flags & NP_RTLS_MATCHED);
			break;
		default:
			break;
		}
	}
}

/*
 * A frame parsed ahead of its turn. A burst is taken in two passes: the
 * first parses every frame and prefetches its flow's bucket, so that the
 * flow lookups of the second (the frames in order, through the tracker)
 * find their cache lines there; a frame alone takes both at once.
 */
struct np_frame_ahead {
	enum np_parse_result r;		/* TCP's */
	enum np_parse_result ur;	/* UDP's, when r is NP_SKIP_NOT_TCP */
	bool p0f_sees;			/* p0f's capture filter passes it */
	uint32_t len;
	uint32_t hash;			/* the flow's, when r is NP_PARSE_OK */
	union {
		struct np_packet pk;
		struct np_udp u;
	};
};

/* First pass: the frame's headers, in frame order (a guessed link's offset
 * is learned from them). A burst then prefetches the flow's bucket
 * (np_flow_prefetch(a->hash)) when a->r is NP_PARSE_OK. */
static inline void
np_frame_parse_ahead(struct np_link *lk, const uint8_t *frame, uint32_t len,
		     struct np_frame_ahead *a)
{
	NP_STAGE(PARSE);
	a->len = len;
	a->r = np_parse_frame(lk, frame, len, &a->pk);
	/* p0f's cache expiry counts the TCP frames its filter passes */
	a->p0f_sees = a->r == NP_PARSE_OK || np_link_is_tcp(lk, frame, len);
	if (a->r == NP_PARSE_OK)
		a->hash = np_flow_hash(&a->pk);
	else if (a->r == NP_SKIP_NOT_TCP)
		a->ur = np_parse_udp_frame(lk, frame, len, &a->u);
	NP_STAGE_END();
}

/* The frame's connection, either direction alike: TCP's flow hash, UDP's
 * (0 for anything else), for sharing frames among workers. */
static inline uint32_t
np_frame_conn_hash(const struct np_frame_ahead *a)
{
	if (a->r == NP_PARSE_OK)
		return a->hash;
	if (a->r == NP_SKIP_NOT_TCP && a->ur == NP_PARSE_OK)
		return np_conn_hash(a->u.ip_ver, a->u.src, a->u.sport, a->u.dst, a->u.dport);
	return 0;
}

/* Which of n workers a hash goes to (its high bits: n need not be a power of 2). */
static inline unsigned
np_frame_worker_of(uint32_t hash, unsigned n)
{
	return (unsigned)(((uint64_t)hash * n) >> 32);
}

/*
 * Second pass: the frame at packet time ts_us, matched against db
 * (generation gen): its records in out (out->n of them, maybe none),
 * counted in ctr[NP_FRAME_CTR_COUNT].
 */
static inline void
np_frame_track_ahead(struct np_tracker *t, const struct np_db *db, uint32_t gen,
		     const struct np_frame_ahead *a, uint64_t ts_us, struct np_observation *out,
		     uint64_t *ctr)
{
	NP_STAGE(FLOW);		/* what the tracker's own marks do not claim */
	np_observation_clear(out);
	ctr[NP_FRAME_RX_PKTS]++;
	ctr[NP_FRAME_RX_BYTES] += a->len;
	if (a->p0f_sees)
		np_tracker_tick(t, ts_us);
	if (a->r == NP_PARSE_OK) {
		ctr[NP_FRAME_PARSED]++;
		np_track_hashed(t, db, gen, &a->pk, a->hash, ts_us, out);
	} else if (a->r != NP_SKIP_NOT_TCP) {
		ctr[NP_FRAME_PARSED + a->r]++;
	} else if (a->ur != NP_PARSE_OK) {
		ctr[NP_FRAME_PARSED + a->ur]++;	/* a datagram may carry a QUIC or DTLS hello */
	} else {
		ctr[NP_FRAME_UDP]++;
		np_track_udp(t, db, gen, &a->u, ts_us, out);
	}
	np_frame_count_records(ctr, out);
	NP_STAGE_END();
}

/* Both passes for one frame. */
static inline void
np_frame_process(struct np_tracker *t, struct np_link *lk, const struct np_db *db, uint32_t gen,
		 const uint8_t *frame, uint32_t len, uint64_t ts_us, struct np_observation *out,
		 uint64_t *ctr)
{
	struct np_frame_ahead a;

	np_frame_parse_ahead(lk, frame, len, &a);
	np_frame_track_ahead(t, db, gen, &a, ts_us, out, ctr);
}

#endif /* NP_FRAME_H */
