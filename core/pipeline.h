/* SPDX-License-Identifier: MIT */
/*
 * The whole p0f logic in one thread, without DPDK: frame -> parse ->
 * tracker (flows) -> hosts -> records to print. The engine runs the same
 * pieces split across worker and logger lcores; this is for tests and for
 * programs that embed netprint.
 */
#ifndef NP_PIPELINE_H
#define NP_PIPELINE_H

#include "frame.h"
#include "hosts.h"
#include "tracker.h"
#include "packet.h"

struct np_pipeline {
	struct np_link link;
	struct np_tracker obs;
	struct np_hosts hosts;
	const struct np_db *db;
	np_emit_fn emit;
	void *ctx;
	np_emit_fn input;	/* or NULL: each record before the host logic has it */
	void *input_ctx;
	uint64_t ctr[NP_FRAME_CTR_COUNT];	/* frame.h */
	struct np_observation out;		/* scratch: one frame's records */
};

/* Frames fed, and those that were TCP packets or UDP datagrams. */
static inline uint64_t
np_pipeline_frames(const struct np_pipeline *p)
{
	return p->ctr[NP_FRAME_RX_PKTS];
}

static inline uint64_t
np_pipeline_parsed(const struct np_pipeline *p)
{
	return p->ctr[NP_FRAME_PARSED] + p->ctr[NP_FRAME_UDP];
}

/* p0f's limits: max_conn, conn_max_age (s), max_hosts, host_idle (min). */
int np_pipeline_init(struct np_pipeline *p, const struct np_db *db, int dlt, uint32_t max_conn,
		     uint32_t conn_max_age, uint32_t max_hosts, uint32_t host_idle_min,
		     np_emit_fn emit, void *ctx);
void np_pipeline_fini(struct np_pipeline *p);

/* One captured frame at time ts_us; what it yields goes to emit. */
void np_pipeline_frame(struct np_pipeline *p, const uint8_t *frame, uint32_t len, uint64_t ts_us);

#endif /* NP_PIPELINE_H */
