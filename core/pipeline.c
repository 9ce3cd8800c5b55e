/* SPDX-License-Identifier: MIT */
/*
 * Single-threaded pipeline: what worker.c and logger.c do, minus the rings.
 */
#include <string.h>

#include "frame.h"
#include "pipeline.h"

/* Host drops from the tracker go straight to the hosts. */
static void
to_hosts(void *ctx, const struct np_rec *r)
{
	struct np_pipeline *p = ctx;

	if (p->input)
		p->input(p->input_ctx, r, NULL);
	np_hosts_process(&p->hosts, r, NULL, p->emit, p->ctx);
}

int
np_pipeline_init(struct np_pipeline *p, const struct np_db *db, int dlt, uint32_t max_conn,
		 uint32_t conn_max_age, uint32_t max_hosts, uint32_t host_idle_min,
		 np_emit_fn emit, void *ctx)
{
	int rc;

	memset(p, 0, offsetof(struct np_pipeline, out));
	p->db = db;
	p->emit = emit;
	p->ctx = ctx;
	np_link_init(&p->link, dlt);
	if ((rc = np_tracker_init(&p->obs, max_conn, conn_max_age, max_hosts, host_idle_min,
				   to_hosts, p)))
		return rc;
	if ((rc = np_hosts_init(&p->hosts, np_tracker_host_capacity(max_conn, max_hosts), 1,
				np_flow_capacity(&p->obs.flows)))) {
		np_tracker_fini(&p->obs);
		return rc;
	}
	return 0;
}

void
np_pipeline_fini(struct np_pipeline *p)
{
	np_tracker_fini(&p->obs);
	np_hosts_fini(&p->hosts);
}

void
np_pipeline_frame(struct np_pipeline *p, const uint8_t *frame, uint32_t len, uint64_t ts_us)
{
	np_frame_process(&p->obs, &p->link, p->db, 1, frame, len, ts_us, &p->out, p->ctr);
	for (unsigned i = 0; i < p->out.n; i++) {
		const char *tail = np_observation_tail(&p->out, i);

		np_rec_resolve(&p->out.rec[i], p->db);
		if (p->input)
			p->input(p->input_ctx, &p->out.rec[i], tail);
		np_hosts_process(&p->hosts, &p->out.rec[i], tail, p->emit, p->ctx);
	}
}
