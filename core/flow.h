/* SPDX-License-Identifier: MIT */
/*
 * Per-worker connection table with p0f's limits: flows are born from a SYN,
 * kept in creation order, pruned oldest-first (1 + 10 %) when more than
 * max_conn exist, and expired after conn_max_age seconds. Fixed memory,
 * allocated once; no locks (one table per worker).
 */
#ifndef NP_FLOW_H
#define NP_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "bucket.h"
#include "packet.h"

#define NP_FLOW_NONE UINT32_MAX
#define NP_FLOWS_PER_BUCKET 5	/* the table full */

#define NP_NO_HTTP UINT32_MAX		/* no data yet */
#define NP_HTTP_SKIPPED (UINT32_MAX - 1)	/* the pool was empty */

struct np_flow {
	uint8_t cli[16], srv[16];
	uint16_t cli_port, srv_port;
	uint8_t ip_ver;
	uint8_t acked;		/* SYN+ACK seen */
	uint8_t sendsyn;	/* SYN from p0f-sendsyn */
	uint8_t syn_gen;	/* database generation (low bits) of syn_label */
	uint16_t syn_mss;
	uint16_t syn_label;	/* label the SYN matched, + 1; 0: none (TLS checks) */
	uint32_t created_s;
	uint32_t next_cli_seq, next_srv_seq;
	uint32_t cli_host, srv_host;	/* the owner's host references */
	uint32_t http;		/* its HTTP state in the tracker's pool, or NP_NO_HTTP */
	uint32_t hnext, older, newer;	/* index chain or free list, age list */
};

struct np_flow_table;

/* Called for every flow that goes, whatever the reason. */
typedef void (*np_flow_destroy_fn)(void *ctx, const struct np_flow *f);

struct np_flow_stats {
	uint64_t created;
	uint64_t evicted;	/* pruned because the table was full */
	uint64_t expired;	/* older than conn_max_age */
};

struct np_flow_table {
	struct np_flow *pool;
	struct np_bucket_index index;
	uint32_t max_conn;
	uint32_t conn_max_age;
	uint32_t count;
	uint32_t free_head;
	uint32_t unused;	/* entries from here on were never used */
	uint32_t oldest, newest;
	struct np_flow_stats stats;
	np_flow_destroy_fn on_destroy;	/* optional */
	void *on_destroy_ctx;
};

int np_flow_table_init(struct np_flow_table *t, uint32_t max_conn, uint32_t conn_max_age);
void np_flow_table_fini(struct np_flow_table *t);

/* Find the flow of this packet; *to_srv tells the direction. */
struct np_flow *np_flow_lookup(struct np_flow_table *t, const struct np_packet *pk, bool *to_srv);

/* The same with the packet's np_flow_hash() known (a burst hashes and
 * prefetches first: np_flow_prefetch). */
uint32_t np_flow_hash(const struct np_packet *pk);
struct np_flow *np_flow_lookup_hash(struct np_flow_table *t, const struct np_packet *pk,
				    uint32_t hash, bool *to_srv);

static inline void
np_flow_prefetch(const struct np_flow_table *t, uint32_t hash)
{
	np_bucket_prefetch(&t->index, hash);
}

/* p0f create_flow_from_syn() starts here: over max_conn, the oldest
 * 1 + 10 % go (nuke_flows). */
void np_flow_make_room(struct np_flow_table *t);

/* p0f nuke_flows(): drop the oldest 1 + 10 %. */
void np_flow_prune(struct np_flow_table *t);

/* A new flow from a SYN, after np_flow_make_room(). Never fails. */
struct np_flow *np_flow_insert(struct np_flow_table *t, const struct np_packet *pk, uint32_t now_s);

void np_flow_destroy(struct np_flow_table *t, struct np_flow *f);

/* Position of a flow in the pool, for per-flow side tables. */
static inline uint32_t
np_flow_index(const struct np_flow_table *t, const struct np_flow *f)
{
	return (uint32_t)(f - t->pool);
}

/* Entries the pool holds: per-flow side tables are this long. */
static inline uint32_t
np_flow_capacity(const struct np_flow_table *t)
{
	return t->max_conn + 2;
}

/* Drop flows older than conn_max_age (p0f expire_cache). */
void np_flow_expire(struct np_flow_table *t, uint32_t now_s);

#endif /* NP_FLOW_H */
