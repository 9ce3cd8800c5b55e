/* SPDX-License-Identifier: MIT */
/*
 * TLS, QUIC and DTLS hellos on a worker: which connections have shown a
 * hello, the reassembly of hellos split over segments, records, packets
 * and datagrams, and the "tls client" / "tls server" records. Its table is
 * apart from p0f's flows, so p0f's answers (its flow limits, its pruning)
 * stay exactly p0f's whatever the TLS traffic.
 *
 * A connection enters the table when one of its packets starts a hello
 * (a TLS handshake record over TCP, a QUIC Initial, a DTLS handshake);
 * the first ClientHello and the first ServerHello are reported, later
 * ones are counted. Entries go at FIN / RST, after conn_max_age seconds
 * idle, or, the table full, least recently used first. Reassembly buffers
 * come from a bounded pool; every attempt given up is counted by reason.
 */
#ifndef NP_TLS_TRACK_H
#define NP_TLS_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "packet.h"
#include "quic.h"
#include "reasm.h"
#include "tls.h"
#include "tls_fp.h"

#define NP_FOREACH_TLS_CTR(_) \
	_(HELLO_SEEN, "TLS hellos seen") \
	_(HELLO_DONE, "TLS hellos fingerprinted") \
	_(HELLO_LATER, "TLS hellos after the first (not reported)") \
	_(FAIL_NOT_TLS, "TLS given up: not a TLS handshake") \
	_(FAIL_TRUNCATED, "TLS given up: a length runs past its container") \
	_(FAIL_MALFORMED, "TLS given up: malformed hello") \
	_(FAIL_TOO_LONG, "TLS given up: hello longer than the buffer") \
	_(FAIL_NO_BUFFER, "TLS given up: reassembly pool empty") \
	_(FAIL_GAP, "TLS given up: gap or reordering beyond the buffer") \
	_(FAIL_CLOSED, "TLS given up: connection ended mid-hello") \
	_(FAIL_EVICTED, "TLS given up: connection evicted or expired mid-hello") \
	_(QUIC_DECRYPTED, "QUIC Initials decrypted") \
	_(QUIC_FAILED, "QUIC Initials failing authentication") \
	_(QUIC_NO_KEYS, "QUIC server Initials without the client's") \
	_(QUIC_MALFORMED, "QUIC packets or frames malformed")

enum np_tls_ctr {
#define NP_TLS_CTR_ENUM_(id, desc) NP_TLS_CTR_##id,
	NP_FOREACH_TLS_CTR(NP_TLS_CTR_ENUM_)
#undef NP_TLS_CTR_ENUM_
	NP_TLS_CTR_COUNT
};

extern const char *const np_tls_ctr_names[NP_TLS_CTR_COUNT];

/* A UDP datagram, as the parsers give it (packet.h). */
struct np_udp;

struct np_tls_conn;
struct np_tls_buf;
struct np_observation;

struct np_tls_track {
	struct np_tls_conn *pool;
	uint32_t *buckets;		/* entry index + 1; 0: empty */
	uint32_t mask, cap, count;
	uint32_t free_head, unused;	/* free list; entries from unused on never used */
	uint32_t lru, mru;		/* least / most recently used */
	uint32_t max_age_s;
	uint32_t last_expire_s;
	struct np_tls_buf *bufs;	/* reassembly pool */
	uint32_t *buf_free;
	uint32_t buf_cap, buf_n_free;
	struct np_tls_hasher *hasher;
	struct np_quic_crypto *quic;
	struct np_quic_keys key_cache[2];	/* last client / server keys derived */
	uint8_t key_dcid[2][NP_QUIC_CID_MAX + 1];	/* their DCID: length, bytes */
	uint8_t *scratch;		/* a decrypted QUIC packet, a joined message */
	uint64_t ctr[NP_TLS_CTR_COUNT];
};

/* Pool entries for at most max_conn connections and n_bufs hellos in flight. */
int np_tls_track_init(struct np_tls_track *t, uint32_t max_conn, uint32_t n_bufs,
		      uint32_t conn_max_age);
void np_tls_track_fini(struct np_tls_track *t);

/* Reassembly buffers a worker keeps by default, whatever -m says. */
#define NP_TLS_BUFS_DEFAULT 1024

/*
 * What p0f's flow knows of a TCP packet's connection, when it tracks it:
 * the label its SYN matched, and where each side's next in-order byte is,
 * so that a hello whose first segment comes late is still put together.
 */
struct np_tls_tcp_hint {
	uint32_t hash;		/* the packet's np_flow_hash() */
	int32_t syn_label;	/* index into db->labels, -1: none */
	bool seq_known;		/* the handshake was seen: the fields below hold */
	bool no_data_yet;	/* neither side has sent data in order so far */
	bool to_srv;		/* the packet goes from the SYN's sender */
	uint32_t snd_next;	/* the sender's next in-order sequence number */
	uint32_t rcv_next;	/* the other side's */
};

/* A TCP packet (any flags): hellos in its payload; SYN, FIN and RST end a
 * connection's entry. */
void np_tls_track_tcp(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
		      const struct np_packet *pk, const struct np_tls_tcp_hint *hint,
		      uint64_t ts_us, uint8_t worker, struct np_observation *out);

/* A UDP datagram: QUIC Initials and DTLS hellos. */
void np_tls_track_udp(struct np_tls_track *t, const struct np_db *db, uint32_t db_gen,
		      const struct np_udp *u, uint64_t ts_us, uint8_t worker,
		      struct np_observation *out);

/* Drop connections idle for longer than conn_max_age (time only moves on). */
void np_tls_track_expire(struct np_tls_track *t, uint32_t now_s);

#endif /* NP_TLS_TRACK_H */
