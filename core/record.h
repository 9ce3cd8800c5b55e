/* SPDX-License-Identifier: MIT */
/*
 * Result records: what a worker sends to the logger, by value, through its
 * ring, and what the logger derives from them (uptime, host change, ip
 * sharing). A record travels compact: the header, its kind's body (numbers
 * and database ids, never a string or a pointer of the database) and an
 * optional text tail (the raw HTTP signature, a TLS hello), in 16-byte ring
 * slots. Where it is consumed (the logger, libnetprint's pipeline),
 * np_rec_resolve() turns its ids into the strings of the database of its
 * generation, which the consumer holds until it has formatted the record.
 */
#ifndef NP_RECORD_H
#define NP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "db.h"
#include "tls.h"

/* Observation kinds, named as p0f names its log records ("mod="). */
#define NP_FOREACH_REC_KIND(_) \
	_(SYN, "syn") \
	_(SYNACK, "syn+ack") \
	_(SENDSYN_PROBE, "sendsyn probe") \
	_(SENDSYN_RESPONSE, "sendsyn response") \
	_(MTU, "mtu") \
	_(UPTIME, "uptime") \
	_(HTTP_REQUEST, "http request") \
	_(HTTP_RESPONSE, "http response") \
	_(HOST_CHANGE, "host change") \
	_(IP_SHARING, "ip sharing") \
	_(TLS_CLIENT, "tls client") \
	_(TLS_SERVER, "tls server") \
	_(TS, "ts sample") \
	_(HOST_DROP, "host drop")

enum np_rec_kind {
#define NP_REC_ENUM_(id, name) NP_REC_##id,
	NP_FOREACH_REC_KIND(NP_REC_ENUM_)
#undef NP_REC_ENUM_
	NP_REC_KIND_COUNT
};

extern const char *const np_rec_kind_names[NP_REC_KIND_COUNT];


/* The matched signature: its label in the database, and the ids host scoring compares. */
struct np_rec_match {
	uint32_t label;		/* index into the database's labels */
	uint32_t line_no;
	int32_t class_id;	/* -1: a tool or application ("!") */
	uint32_t name_id;
	uint32_t label_id;	/* p0f's running label number */
};

/* A match of the database's label number `label` (record.c). */
void np_rec_match_fill(struct np_rec_match *m, const struct np_db *db, uint32_t label,
		       uint32_t line_no);

/* np_rec_tcp.flags */
#define NP_RTCP_MATCHED 0x01
#define NP_RTCP_GENERIC 0x02
#define NP_RTCP_FUZZY 0x04
#define NP_RTCP_BAD_TTL 0x08
#define NP_RTCP_APP 0x10	/* print "app=" rather than "os=" */
#define NP_RTCP_MSS_STAR 0x20	/* SYN+ACK echoing p0f-sendsyn's MSS */
#define NP_RTCP_PAYLOAD 0x40
#define NP_RTCP_HAS_MTU 0x80	/* an mtu record follows (mtu, link) */
#define NP_RTCP_OS_SIG 0x100	/* p0f kept the signature: score, uptime, store */

/*
 * A SYN or SYN+ACK: the match, the observed signature fields, and the MTU
 * p0f derives from the same packet.
 */
struct np_rec_tcp {
	struct np_rec_match m;	/* valid with NP_RTCP_MATCHED */
	int32_t dist;
	uint32_t quirks;
	uint32_t ts1;
	uint32_t mtu;
	uint16_t flags;		/* NP_RTCP_* */
	uint16_t mss;
	uint16_t win;
	int16_t win_multi;	/* > 0: print mss*N / mtu*N */
	uint16_t tot_hdr;	/* IP + TCP header bytes, and the SYN's MSS the */
	uint16_t syn_mss;	/* match was given: with the fields around, all it read */
	uint8_t win_mtu;
	uint8_t ttl;
	uint8_t tos;
	uint8_t ip_opt_len;
	uint8_t wscale;
	uint8_t opt_cnt;
	uint8_t opt_eol_pad;
	uint8_t opt_layout[NP_MAX_TCP_OPT];
};

struct np_rec_mtu {
	uint32_t mtu;		/* its link type: names.link */
};

/* np_rec_http.flags */
#define NP_RHTTP_MATCHED 0x01
#define NP_RHTTP_GENERIC 0x02
#define NP_RHTTP_DISHONEST 0x04
#define NP_RHTTP_ANONYMOUS 0x08	/* no User-Agent / Server */
#define NP_RHTTP_VIA 0x10	/* Via or X-Forwarded-For present */

/* An HTTP request or response header block; raw_sig is the record's tail. */
struct np_rec_http {
	struct np_rec_match m;
	char lang[3];		/* Accept-Language's first two letters */
	char date[64];		/* the response's Date value, cut short */
	int32_t ua_os;		/* name id that ua_os ties sw to, -1 for none */
	uint8_t flags;		/* NP_RHTTP_* */
};

struct np_rec_uptime {
	uint32_t up_min;
	uint32_t up_mod_days;
	double freq;		/* Hz, as measured */
};

/* np_rec_tls.flags */
#define NP_RTLS_MATCHED 0x01
#define NP_RTLS_GENERIC 0x02	/* matched on some parts only, or a "g:" label */
#define NP_RTLS_OS_MISMATCH 0x04	/* the label's OS family is not the SYN's */

/*
 * A ClientHello ("tls client") or ServerHello ("tls server"): the
 * fingerprint the database is keyed by, and the match. The record's tail
 * is the hello itself, reduced to what fingerprints use
 * (np_tls_hello_reduce()), from which the outputs make everything else
 * (JA4_o, JA3, the raw strings, SNI, ALPN).
 */
struct np_rec_tls {
	struct np_rec_match m;	/* valid with NP_RTLS_MATCHED */
	char sig[37];		/* JA4 (client) or JA3S hash (server) */
	uint16_t version;	/* offered (client, JA4's) or negotiated (server) */
	uint16_t cipher;	/* server */
	uint8_t transport;	/* NP_TLS_TCP 't', NP_TLS_QUIC 'q', NP_TLS_DTLS 'd' */
	uint8_t flags;		/* NP_RTLS_* */
};

/* "tcp", "quic", "dtls" */
static inline const char *
np_tls_transport_name(uint8_t transport)
{
	return transport == NP_TLS_QUIC ? "quic" : transport == NP_TLS_DTLS ? "dtls" : "tcp";
}

/* Host change and ip sharing: p0f's reason bits and score counts. */
struct np_rec_nat {
	uint16_t reasons;	/* NP_NAT_* */
	uint8_t hits[4];	/* entries >= 6, >= 3, >= 2, >= 1 */
};

#define NP_FOREACH_NAT_REASON(_) \
	_(APP_SIG, "app_vs_os") \
	_(OS_SIG, "os_diff") \
	_(UNK_DIFF, "sig_diff") \
	_(TO_UNK, "x_known") \
	_(TS, "tstamp") \
	_(TTL, "ttl") \
	_(PORT, "port") \
	_(MSS, "mtu") \
	_(FUZZY, "fuzzy") \
	_(APP_VIA, "via") \
	_(APP_DATE, "date") \
	_(APP_LB, "srv_sig_lb") \
	_(APP_UA, "ua_vs_os")

enum np_nat_bit {
#define NP_NAT_BIT_(id, str) NP_NAT_BIT_##id,
	NP_FOREACH_NAT_REASON(NP_NAT_BIT_)
#undef NP_NAT_BIT_
	NP_NAT_REASON_COUNT
};

#define NP_NAT(id) (1u << NP_NAT_BIT_##id)

extern const char *const np_nat_reason_names[NP_NAT_REASON_COUNT];

/*
 * What a record's ids name in the database of its generation, set by
 * np_rec_resolve() where the record is consumed and never sent through a
 * ring: pointers into that database, valid while the consumer holds it.
 */
struct np_rec_names {
	const char *label;	/* "name flavor" as p0f prints it; NULL: unmatched */
	const char *name;
	const char *flavor;	/* "" when the label has none */
	const char *class_name;	/* "win", "unix", ...; NULL for a tool */
	const uint32_t *sys;	/* the label's "sys =" list */
	uint32_t sys_cnt;
	const char *link;	/* the MTU's link type; NULL when unknown */
};

#define NP_REC_SLOT_ALIGN 16	/* the ring slot (NP_REC_SLOT below) */

struct np_rec {
	/* the first slot: what says how many slots follow */
	uint8_t kind;		/* enum np_rec_kind */
	uint8_t ip_ver;
	uint8_t to_srv;		/* subject is the client */
	uint8_t worker;
	uint8_t sendsyn;	/* the flow is a p0f-sendsyn exchange */
	uint8_t pad_;
	uint16_t tail_len;	/* bytes of text in the slots after the body */
	uint32_t db_gen;	/* database generation that matched */
	uint32_t flow_serial;	/* the flow, within its worker */
	uint64_t ts_us;		/* packet time, microseconds since the epoch */
	uint64_t order;		/* the logger's merge key (worker.h), 0 elsewhere */
	uint32_t flow_slot;
	uint16_t cli_port, srv_port;
	uint8_t cli[16], srv[16];
	union {
		struct np_rec_tcp tcp;
		struct np_rec_mtu mtu;
		struct np_rec_http http;
		struct np_rec_uptime uptime;
		struct np_rec_nat nat;
		struct np_rec_tls tls;
		uint32_t ts1;	/* NP_REC_TS */
	};
	_Alignas(NP_REC_SLOT_ALIGN) struct np_rec_names names;	/* not sent: np_rec_resolve() */
};

/* Records that name something of the database (SYNs, HTTP, TLS, MTU). */
static inline bool
np_rec_has_names(uint8_t kind)
{
	return kind <= NP_REC_SENDSYN_RESPONSE || kind == NP_REC_MTU ||
	       kind == NP_REC_HTTP_REQUEST || kind == NP_REC_HTTP_RESPONSE ||
	       kind == NP_REC_TLS_CLIENT || kind == NP_REC_TLS_SERVER;
}

/*
 * Fill r->names from db, the database of r->db_gen (NULL: none known, every
 * name left empty). Records derived from a resolved one copy its names.
 */
void np_rec_resolve(struct np_rec *r, const struct np_db *db);

/*
 * What one packet yields: a fingerprint or a timestamp sample, an HTTP
 * record, a TLS record. A record's tail (at most NP_TAIL_MAX bytes) follows
 * the tails of the records before it in tail[], each with a NUL after it.
 */
#define NP_OBSERVE_MAX_RECORDS 3
#define NP_TAIL_MAX 16384

struct np_observation {
	unsigned n;
	uint32_t tail_used;
	struct np_rec rec[NP_OBSERVE_MAX_RECORDS];
	char tail[2 * (NP_TAIL_MAX + 1)];
};

static inline void
np_observation_clear(struct np_observation *o)
{
	o->n = 0;
	o->tail_used = 0;
}

/* Where the next record's tail goes, and how much room it has. */
static inline char *
np_observation_tail_room(struct np_observation *o)
{
	return o->tail + o->tail_used;
}

/* The record just added has a tail of len bytes at np_observation_tail_room(). */
static inline void
np_observation_tail_done(struct np_observation *o, uint16_t len)
{
	o->rec[o->n - 1].tail_len = len;
	o->tail[o->tail_used + len] = 0;
	o->tail_used += len + 1u;
}

/* Record i's tail, or NULL when it has none. */
static inline const char *
np_observation_tail(const struct np_observation *o, unsigned i)
{
	uint32_t off = 0;

	for (unsigned k = 0; k < i; k++)
		if (o->rec[k].tail_len)
			off += o->rec[k].tail_len + 1u;
	return o->rec[i].tail_len ? o->tail + off : NULL;
}

/*
 * p0f's API strings: strncpy() into 32 bytes, so a 32-character name keeps
 * no NUL. dst must be 32 bytes.
 */
static inline void
np_api_strcpy(char *dst, const char *src)
{
	size_t n = 0;

	while (n < 32 && src[n])
		n++;
	memcpy(dst, src, n);
	memset(dst + n, 0, 32 - n);
}

/*
 * A record in a ring: 16-byte slots, first the header and its kind's body
 * (np_rec_body_slots), then the tail's bytes (np_rec_tail_slots), without
 * the NUL. The first slot says how many follow (kind, tail_len).
 */
#define NP_REC_SLOT NP_REC_SLOT_ALIGN

struct np_rec_slot {
	_Alignas(NP_REC_SLOT) uint8_t b[NP_REC_SLOT];
};

_Static_assert(offsetof(struct np_rec, tail_len) + 2 <= NP_REC_SLOT &&
	       offsetof(struct np_rec, kind) < NP_REC_SLOT, "the first slot says the length");

/* Bytes of a record of this kind that travel: header and body. */
static inline size_t
np_rec_wire_size(uint8_t kind)
{
	size_t head = offsetof(struct np_rec, tcp);

	switch (kind) {
	case NP_REC_SYN:
	case NP_REC_SYNACK:
	case NP_REC_SENDSYN_PROBE:
	case NP_REC_SENDSYN_RESPONSE:
		return head + sizeof(struct np_rec_tcp);
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		return head + sizeof(struct np_rec_http);
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		return head + sizeof(struct np_rec_tls);
	case NP_REC_TS:
		return head + sizeof(uint32_t);
	case NP_REC_MTU:
		return head + sizeof(struct np_rec_mtu);
	case NP_REC_UPTIME:
		return head + sizeof(struct np_rec_uptime);
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
		return head + sizeof(struct np_rec_nat);
	default:
		return head;
	}
}

static inline unsigned
np_rec_body_slots(uint8_t kind)
{
	return (unsigned)((np_rec_wire_size(kind) + NP_REC_SLOT - 1) / NP_REC_SLOT);
}

static inline unsigned
np_rec_tail_slots(uint16_t tail_len)
{
	return (tail_len + NP_REC_SLOT - 1u) / NP_REC_SLOT;
}

/* Slots of the largest record's header and body. */
#define NP_REC_SLOTS_MAX ((sizeof(struct np_rec) + NP_REC_SLOT - 1) / NP_REC_SLOT)

/* Slots a record and its tail occupy. */
static inline unsigned
np_rec_slots(const struct np_rec *r)
{
	return np_rec_body_slots(r->kind) + np_rec_tail_slots(r->tail_len);
}

/*
 * A record between processes (a sensor's input records, published to NATS
 * for a collector to run the host logic on): a 16-byte head ('n' 'p', a
 * version, the kind, 0x0102 in the writer's byte order, the tail's length,
 * the digest of the database its ids are of), its header and body as a
 * ring carries them, and its tail. Fixed layout of this build: a reader
 * refuses another version or byte order rather than misread it.
 */
#define NP_REC_PACK_VERSION 1
#define NP_REC_PACK_HEAD 16
#define NP_REC_PACK_MAX (NP_REC_PACK_HEAD + sizeof(struct np_rec) + NP_TAIL_MAX)

/* Bytes written to out (cap >= NP_REC_PACK_MAX is always enough), 0 if not. */
size_t np_rec_pack(const struct np_rec *r, const char *tail, uint64_t db_digest, uint8_t *out,
		   size_t cap);

/*
 * The record packed in in[0..len), into *r (names empty) and tail
 * (NP_TAIL_MAX + 1 bytes, NUL-terminated), its database's digest in
 * *db_digest. 0, or -EINVAL for bytes that are not one (a wrong head, a
 * length that does not add up), -EPROTO for
 * another version or byte order. Its ids are not checked against any
 * database here: np_rec_check() does.
 */
int np_rec_unpack(const uint8_t *in, size_t len, struct np_rec *r, char *tail,
		  uint64_t *db_digest);

/*
 * Can a record from elsewhere be given to the host logic and the outputs
 * with db? A kind the workers make (not one the host logic derives), its
 * addresses' version, its counts, its strings' NULs, a fingerprint's
 * alphabet (what a worker writes: JSON takes it as it is) and its match (the
 * label is in db; the ids the host logic compares are set again from it).
 * 0 or -EINVAL.
 */
int np_rec_check(struct np_rec *r, const struct np_db *db);

#define NP_REC_FITS_(body) \
	(offsetof(struct np_rec, names) >= \
	 NP_REC_SLOT * ((offsetof(struct np_rec, tcp) + sizeof(body) + NP_REC_SLOT - 1) / NP_REC_SLOT))
_Static_assert(NP_REC_FITS_(struct np_rec_tcp) && NP_REC_FITS_(struct np_rec_http) &&
	       NP_REC_FITS_(struct np_rec_tls) && NP_REC_FITS_(struct np_rec_uptime),
	       "a record's slots land inside its struct");
#undef NP_REC_FITS_

#endif /* NP_RECORD_H */
