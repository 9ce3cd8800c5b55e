/* SPDX-License-Identifier: MIT */
/*
 * The per-worker packet logic, free of DPDK: p0f's flow rules (when a SYN
 * or SYN+ACK is fingerprinted, when a flow dies, which packets feed the
 * uptime check), TCP and HTTP matching, and the records that result.
 * Per-host conclusions (uptime, host change, ip sharing) are the logger's:
 * see hosts.h. A worker calls np_tracker_tick() for every frame p0f's
 * capture filter would pass and np_track() for every parsed packet.
 */
#ifndef NP_TRACKER_H
#define NP_TRACKER_H

#include "addr_table.h"
#include "db.h"
#include "flow.h"
#include "http.h"
#include "http_match.h"
#include "matcher.h"
#include "record.h"
#include "tls_track.h"

/*
 * A host as p0f's flow bookkeeping sees it: how many flows use it and when
 * a SYN last touched it. p0f's host limit and idle expiry are decided here,
 * next to the flows they depend on; the logger keeps the host's facts and
 * drops them when told (NP_REC_HOST_DROP).
 */
struct np_host_ref {
	struct np_addr_node node;
	uint32_t use_cnt;
	uint32_t last_seen;
};

/*
 * p0f's cache expiry clock: every 50th frame its capture filter passes
 * ("tcp or (vlan and tcp)"), unless the second has not changed since the
 * last expiry, flows and then idle hosts are expired.
 */
struct np_expiry_clock {
	uint64_t packets;		/* frames the filter passed */
	uint32_t interval;		/* 50 as p0f; 50 / workers when split */
	uint32_t last_s;		/* second of the last expiry */
};

#define NP_EXPIRE_INTERVAL 50	/* p0f: expiry every 50 packets */

/* Count a frame the filter passed: true when p0f expires now. */
static inline bool
np_expiry_due(struct np_expiry_clock *c, uint64_t ts_us)
{
	uint32_t now_s = (uint32_t)(ts_us / 1000000);

	if (++c->packets % c->interval || now_s == c->last_s)
		return false;
	c->last_s = now_s;
	return true;
}

/* Records that are not about a packet (host drops), sent as they happen. */
typedef void (*np_event_fn)(void *ctx, const struct np_rec *r);

struct np_tracker {
	struct np_flow_table flows;
	struct np_addr_table hosts;	/* struct np_host_ref */
	uint32_t max_hosts;
	uint32_t host_idle_s;
	np_event_fn event;		/* required */
	void *event_ctx;
	uint64_t host_drops;
	struct np_http_state *http;	/* pool: flows carrying data take one */
	uint32_t *http_free;		/* stack of free pool entries */
	uint32_t http_cap, http_n_free;
	uint64_t http_no_state;		/* flows not followed: pool empty */
	struct np_http_obs *http_obs;	/* scratch for one header block */
	uint32_t *serial;		/* per flow slot: which flow holds it */
	uint32_t next_serial;
	uint8_t worker;			/* stamped on every record */
	struct np_expiry_clock clock;	/* p0f's expiry, or told (np_tracker_expire) */
	bool told_expiry;		/* np_tracker_tick() only counts */
	struct np_tls_track tls;	/* TLS, QUIC and DTLS hellos */
	struct np_tcp_memo tcp_memo;	/* SYN and SYN+ACK answers remembered */
};

/*
 * HTTP state (two 8 KB buffers a flow) comes from a pool apart from the
 * flow table: a tracked connection costs its flow entry, and only flows
 * that carry data hold HTTP state. The pool has one entry per flow slot
 * up to p0f's largest -m (NP_HTTP_POOL_MAX), so p0f's answers are kept
 * wherever p0f can run; beyond, a flow finding it empty is not followed
 * for HTTP, and counted.
 */
#define NP_HTTP_POOL_MAX (100000 + 2)	/* p0f's -m, and the 2 flows over it */

int np_tracker_init(struct np_tracker *o, uint32_t max_conn, uint32_t conn_max_age,
		     uint32_t max_hosts, uint32_t host_idle_min, np_event_fn event, void *event_ctx);
void np_tracker_fini(struct np_tracker *o);

/* At most n flows with HTTP state (n <= the pool), before any flow has one. */
void np_tracker_limit_http(struct np_tracker *o, uint32_t n);

/*
 * Count a frame that p0f would have seen. Every 50 of them (when the second
 * has changed) p0f expires old flows, then idle hosts no flow uses.
 */
void np_tracker_tick(struct np_tracker *o, uint64_t ts_us);

/*
 * p0f expires every 50 packets it sees; a worker that sees 1/n of them
 * expires every 50/n, close to p0f's pace (exactly p0f's with one worker).
 */
void np_tracker_share(struct np_tracker *o, unsigned n_workers);

/*
 * Whoever sees every frame keeps p0f's clock (a file's reader dispatching
 * to workers): the tracker then expires only when told, at time ts_us.
 */
void np_tracker_tell_expiry(struct np_tracker *o);
void np_tracker_expire(struct np_tracker *o, uint64_t ts_us);

/* Host references a flow table of max_conn needs beside max_hosts. */
static inline uint32_t
np_tracker_host_capacity(uint32_t max_conn, uint32_t max_hosts)
{
	return max_hosts + 2 * (max_conn + 2) + 8;
}

/*
 * A burst's first pass, for a parsed TCP packet: bring its flow's bucket
 * into the cache and, for a SYN (a new flow: two host lookups), its hosts'.
 */
static inline void
np_tracker_prefetch(const struct np_tracker *o, const struct np_packet *pk, uint32_t hash)
{
	np_flow_prefetch(&o->flows, hash);
	if (pk->tcp_type == NP_TCP_SYN) {
		np_addr_prefetch(&o->hosts, pk->src, pk->ip_ver);
		np_addr_prefetch(&o->hosts, pk->dst, pk->ip_ver);
	}
}

/* Fingerprint one TCP packet into *out (out->n records). */
void np_track(struct np_tracker *o, const struct np_db *db, uint32_t db_gen,
		const struct np_packet *pk, uint64_t ts_us, struct np_observation *out);

/* The same with the packet's np_flow_hash() known. */
void np_track_hashed(struct np_tracker *o, const struct np_db *db, uint32_t db_gen,
		     const struct np_packet *pk, uint32_t hash, uint64_t ts_us,
		     struct np_observation *out);

/* The same for a UDP datagram (QUIC and DTLS hellos); p0f sees none. */
void np_track_udp(struct np_tracker *o, const struct np_db *db, uint32_t db_gen,
		    const struct np_udp *u, uint64_t ts_us, struct np_observation *out);

#endif /* NP_TRACKER_H */
