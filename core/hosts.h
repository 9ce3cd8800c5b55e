/* SPDX-License-Identifier: MIT */
/*
 * Per-host state and the conclusions p0f draws from it, on the logger side:
 * uptime from TCP timestamps, host change and ip sharing scores, and what
 * the query API answers. Hosts are created by SYNs (client and server) and
 * dropped when a worker says p0f would drop them (NP_REC_HOST_DROP: the
 * host limit and idle expiry are decided next to the flows, in tracker.c).
 * Fixed memory, allocated once.
 *
 * Records from the workers go in (np_hosts_process) in packet order; the
 * records to print come out through a callback, in the order p0f prints
 * them.
 */
#ifndef NP_HOSTS_H
#define NP_HOSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr_table.h"
#include "record.h"

#define NP_NAT_SCORES 32	/* p0f NAT_SCORES */
#define NP_STR_MAX 32		/* p0f API strings: 31 characters and a NUL */

/* A host's last SYN or SYN+ACK signature (p0f host_data.last_syn). */
struct np_host_sig {
	bool valid;
	bool matched;
	bool fuzzy;
	bool bad_ttl;
	uint32_t name_id, label_id, line_no;
	uint32_t quirks;
	uint32_t layout_hash;
	uint32_t ts1;
	uint64_t recv_ms;
	uint16_t mss;
	uint8_t ttl;
};

/* A host's last HTTP signature of one kind (p0f http_req_os / http_resp). */
struct np_host_http {
	bool valid;
	bool matched;
	uint32_t name_id, label_id;
	uint32_t date;		/* parsed Date header, 0 for none */
	uint32_t recv_date;
};

struct np_host {
	struct np_addr_node node;	/* address, age order */
	uint64_t workers;	/* bit w: worker w still tracks this host */
	uint64_t seen_by;	/* a collector's: bit s, its sensor s saw the host */
	uint8_t distance;	/* p0f keeps a u8: unknown is 255 */
	uint8_t bad_sw;		/* 1: UA names another OS, 2: dishonest */
	uint8_t last_quality;	/* 1 fuzzy | 2 generic */
	uint32_t first_seen, last_seen, total_conn;
	uint32_t last_nat, last_chg;
	int32_t last_class_id, last_name_id, http_name_id;	/* -1: none */
	int32_t last_up_min;	/* -1: none */
	uint32_t up_mod_days;
	uint16_t last_port;
	uint16_t mtu;
	uint16_t nat_reasons;
	uint16_t http_resp_port;
	struct np_host_sig last_syn, last_synack;
	struct np_host_http http_req_os, http_resp;
	uint8_t cli_scores[NP_NAT_SCORES], srv_scores[NP_NAT_SCORES];
	char os_name[NP_STR_MAX], os_flavor[NP_STR_MAX];
	char http_name[NP_STR_MAX], http_flavor[NP_STR_MAX];
	char link_type[NP_STR_MAX];
	const char *language;	/* static language table */
};

/*
 * A client's last TLS fingerprint, beyond p0f's host facts: kept in a
 * table of its own (a QUIC client may never send a SYN), least recently
 * seen first out when it is full.
 */
struct np_tls_host {
	struct np_addr_node node;
	uint32_t first_seen, last_seen;
	uint8_t transport;	/* NP_TLS_TCP, NP_TLS_QUIC, NP_TLS_DTLS */
	uint8_t flags;		/* the record's NP_RTLS_* */
	int32_t class_id;	/* of the label, when matched */
	char ja4[37];
	char name[NP_STR_MAX], flavor[NP_STR_MAX];
};

/* Per-flow uptime state (p0f cli_tps / srv_tps), indexed by worker slot. */
struct np_flow_tps {
	uint32_t serial;
	int16_t tps[2];		/* [to_srv]: 0 unknown, -1 bad, else Hz (<= 1500) */
};

struct np_hosts_stats {
	uint64_t created, dropped, overflow;	/* overflow: the table was full */
};

struct np_hosts {
	struct np_addr_table t;		/* struct np_host */
	struct np_addr_table tls;	/* struct np_tls_host */
	struct np_flow_tps **tps;	/* [worker][flow slot] */
	unsigned n_workers;
	uint32_t flow_slots;
	struct np_hosts_stats stats;
};

/* capacity: as many hosts as the workers may reference at once. */
int np_hosts_init(struct np_hosts *hs, uint32_t capacity, unsigned n_workers,
		  uint32_t flow_slots);
void np_hosts_fini(struct np_hosts *hs);

typedef void (*np_emit_fn)(void *ctx, const struct np_rec *r, const char *tail);

/* Process one worker record; emit what to print, in p0f's order. */
void np_hosts_process(struct np_hosts *hs, const struct np_rec *r, const char *tail,
		      np_emit_fn emit, void *ctx);

/* The host with this address, or NULL. */
const struct np_host *np_hosts_lookup(const struct np_hosts *hs, const uint8_t *addr,
				      uint8_t ip_ver);

/* The last TLS client fingerprint of this address, or NULL. */
const struct np_tls_host *np_hosts_lookup_tls(const struct np_hosts *hs, const uint8_t *addr,
					      uint8_t ip_ver);

struct np_host_info;

/*
 * What is known of a host (netprint.h's struct np_host_info): p0f's facts
 * and the last TLS client fingerprint. NP_OK, or NP_ERR_NOT_FOUND.
 */
int np_hosts_info(const struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver,
		  struct np_host_info *out);

/* p0f parse_date(): the Date header as a time, 0 when it does not parse. */
uint32_t np_http_date(const char *s);

#endif /* NP_HOSTS_H */
