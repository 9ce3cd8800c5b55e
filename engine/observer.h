/* SPDX-License-Identifier: MIT */
/*
 * The per-worker packet logic, free of DPDK: p0f's flow rules (when a SYN
 * or SYN+ACK is fingerprinted, when a flow dies, which packets feed the
 * uptime check), TCP and HTTP matching, and the records that result.
 * Per-host conclusions (uptime, host change, ip sharing) are the logger's:
 * see hosts.h. A worker calls np_observer_tick() for every frame p0f's
 * capture filter would pass and np_observe() for every parsed packet.
 */
#ifndef NP_OBSERVER_H
#define NP_OBSERVER_H

#include "db.h"
#include "flow.h"
#include "http.h"
#include "http_match.h"
#include "record.h"

/* What one packet yields: at most a fingerprint or a timestamp sample,
 * plus an HTTP record with its raw signature as a tail. */
#define NP_OBSERVE_MAX_RECORDS 2
#define NP_TAIL_MAX 8192

struct np_observation {
	unsigned n;
	struct np_record rec[NP_OBSERVE_MAX_RECORDS];
	uint16_t tail_len;	/* of the record that has one (at most one) */
	char tail[NP_TAIL_MAX];
};

struct np_observer {
	struct np_flow_table flows;
	struct np_http_state *http;	/* per flow slot; pages touched on use */
	struct np_http_obs *http_obs;	/* scratch for one header block */
	uint32_t *serial;		/* per flow slot: which flow holds it */
	uint32_t next_serial;
	uint8_t worker;			/* stamped on every record */
	uint64_t p0f_packets;		/* frames passing "tcp or (vlan and tcp)" */
	uint32_t last_expire_s;
};

int np_observer_init(struct np_observer *o, uint32_t max_conn, uint32_t conn_max_age);
void np_observer_fini(struct np_observer *o);

/*
 * Count a frame that p0f would have seen. Every 50 of them (when the second
 * has changed) p0f expires old flows and idle hosts: this expires the flows
 * and returns true, and the caller passes an NP_REC_EXPIRE record on so the
 * logger expires hosts at the same point.
 */
bool np_observer_tick(struct np_observer *o, uint64_t ts_us);

/* The NP_REC_EXPIRE record for a tick that returned true. */
void np_observer_expiry(const struct np_observer *o, uint64_t ts_us, struct np_record *r);

/* Fingerprint one packet into *out (out->n records). */
void np_observe(struct np_observer *o, const struct np_db *db, uint32_t db_gen,
		const struct np_packet *pk, uint64_t ts_us, struct np_observation *out);

#endif /* NP_OBSERVER_H */
