/* SPDX-License-Identifier: MIT */
/*
 * The per-worker packet logic, free of DPDK: p0f's flow rules (when a SYN
 * or SYN+ACK is fingerprinted, when a flow dies), matching, and the records
 * that result. A worker calls np_observer_tick() for every frame p0f's
 * capture filter would pass and np_observe() for every parsed packet.
 */
#ifndef NP_OBSERVER_H
#define NP_OBSERVER_H

#include "db.h"
#include "flow.h"
#include "http.h"
#include "record.h"

#define NP_OBSERVE_MAX_RECORDS 2	/* a SYN yields syn + mtu */

struct np_observer {
	struct np_flow_table flows;
	struct np_http_state *http;	/* per flow slot; pages touched on use */
	uint64_t p0f_packets;	/* frames passing "tcp or (vlan and tcp)" */
	uint32_t last_expire_s;
};

int np_observer_init(struct np_observer *o, uint32_t max_conn, uint32_t conn_max_age);
void np_observer_fini(struct np_observer *o);

/* Count a frame that p0f would have seen; expires flows every 50 of them. */
void np_observer_tick(struct np_observer *o, uint64_t ts_us);

/* Fingerprint one packet. Writes up to NP_OBSERVE_MAX_RECORDS records and
 * returns how many. */
unsigned np_observe(struct np_observer *o, const struct np_db *db, uint32_t db_gen,
		    const struct np_packet *pk, uint64_t ts_us, struct np_record *out);

#endif /* NP_OBSERVER_H */
