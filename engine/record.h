/* SPDX-License-Identifier: MIT */
/*
 * Result records: what a worker sends to the logger, by value, through its
 * ring. A record holds copies of everything the logger prints (labels
 * included), never a pointer into the signature database, so a database
 * reload can never leave a record dangling.
 */
#ifndef NP_RECORD_H
#define NP_RECORD_H

#include <stdint.h>

#include "db.h"

#define NP_FOREACH_REC_KIND(_) \
	_(SYN, "syn") \
	_(SYNACK, "syn+ack") \
	_(SENDSYN_PROBE, "sendsyn probe") \
	_(SENDSYN_RESPONSE, "sendsyn response") \
	_(MTU, "mtu")

enum np_rec_kind {
#define NP_REC_ENUM_(id, name) NP_REC_##id,
	NP_FOREACH_REC_KIND(NP_REC_ENUM_)
#undef NP_REC_ENUM_
	NP_REC_KIND_COUNT
};

extern const char *const np_rec_kind_names[NP_REC_KIND_COUNT];

/* np_rec_tcp.flags */
#define NP_RTCP_MATCHED 0x01
#define NP_RTCP_GENERIC 0x02
#define NP_RTCP_FUZZY 0x04
#define NP_RTCP_BAD_TTL 0x08
#define NP_RTCP_APP 0x10	/* print "app=" rather than "os=" */
#define NP_RTCP_MSS_STAR 0x20	/* SYN+ACK echoing p0f-sendsyn's MSS */
#define NP_RTCP_PAYLOAD 0x40

/* A SYN or SYN+ACK: the match and the observed signature fields. */
struct np_rec_tcp {
	char label[NP_LABEL_MAX];	/* "name flavor"; empty when unmatched */
	int32_t dist;
	uint32_t quirks;
	uint16_t mss;
	uint16_t win;
	int16_t win_multi;	/* > 0: print mss*N / mtu*N */
	uint8_t win_mtu;
	uint8_t ttl;
	uint8_t tos;
	uint8_t ip_opt_len;
	uint8_t wscale;
	uint8_t opt_cnt;
	uint8_t opt_eol_pad;
	uint8_t flags;		/* NP_RTCP_* */
	uint8_t opt_layout[NP_MAX_TCP_OPT];
};

struct np_rec_mtu {
	char link[NP_LABEL_MAX];	/* empty when unknown */
	uint32_t mtu;
};

struct np_record {
	uint64_t ts_us;		/* packet time, microseconds since the epoch */
	uint32_t db_gen;	/* database generation that matched */
	uint8_t kind;		/* enum np_rec_kind */
	uint8_t ip_ver;
	uint8_t to_srv;		/* subject is the client */
	uint8_t pad_;
	uint16_t cli_port, srv_port;
	uint8_t cli[16], srv[16];
	union {
		struct np_rec_tcp tcp;
		struct np_rec_mtu mtu;
	};
};

#endif /* NP_RECORD_H */
