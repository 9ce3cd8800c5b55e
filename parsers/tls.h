/* SPDX-License-Identifier: MIT */
/*
 * TLS and DTLS hellos, read in place: the record and handshake framing of
 * TLS over TCP and of DTLS datagrams, and the ClientHello / ServerHello
 * bodies that JA4, JA3 and JA3S are computed from (QUIC carries the same
 * handshake messages in CRYPTO frames, see quic.h). Every length is checked
 * against the bytes at hand; nothing allocates, nothing reads a clock.
 */
#ifndef NP_TLS_H
#define NP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest handshake message (4-byte header included) netprint reassembles
 * and fingerprints; a longer hello is given up (NP_TLS_TOO_LONG). */
#define NP_TLS_HELLO_MAX 16384

#define NP_TLS_CLIENT_HELLO 1
#define NP_TLS_SERVER_HELLO 2

/* Where a hello came from: the first character of JA4. */
#define NP_TLS_TCP 't'
#define NP_TLS_QUIC 'q'
#define NP_TLS_DTLS 'd'

/* GREASE (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
static inline bool
np_tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/*
 * Results of the functions below. NP_TLS_OK and NP_TLS_MORE (the bytes end
 * before the message does: wait for more) are not failures; the others are
 * why an attempt was given up, one counter each.
 */
#define NP_FOREACH_TLS_FAIL(_) \
	_(NOT_TLS, "not a TLS handshake") \
	_(TRUNCATED, "a length runs past its container") \
	_(MALFORMED, "malformed hello") \
	_(TOO_LONG, "hello longer than the reassembly buffer")

enum np_tls_result {
	NP_TLS_OK = 0,
	NP_TLS_MORE,
#define NP_TLS_ENUM_(id, desc) NP_TLS_##id,
	NP_FOREACH_TLS_FAIL(NP_TLS_ENUM_)
#undef NP_TLS_ENUM_
	NP_TLS_RESULT_COUNT
};

extern const char *const np_tls_result_names[NP_TLS_RESULT_COUNT];

/*
 * A parsed ClientHello or ServerHello. Pointers go into the message the
 * parser was given and are valid as long as it is; a list is NULL with
 * length 0 when its extension is absent. Lengths are in bytes.
 */
struct np_tls_hello {
	uint8_t type;			/* NP_TLS_CLIENT_HELLO / NP_TLS_SERVER_HELLO */
	bool dtls;			/* DTLS body (ClientHello has a cookie) */
	bool has_sni;			/* extension 0 present (JA4 'd' / 'i') */
	bool has_alpn;			/* extension 16 present */
	uint16_t legacy_version;	/* client_version / server_version field */
	uint16_t version;		/* supported_versions (43): the client's highest
					 * non-GREASE value (the newest: DTLS numbers
					 * count down), the server's selected one;
					 * 0 when absent or only GREASE */
	uint16_t cipher;		/* ServerHello: the selected suite */
	uint16_t n_exts;		/* extensions in the block, GREASE included */
	const uint8_t *ciphers;		/* ClientHello: cipher_suites, 2 bytes each */
	uint32_t ciphers_len;
	const uint8_t *exts;		/* the extensions block: type(2) len(2) data... */
	uint32_t exts_len;
	const uint8_t *sni;		/* first host_name of server_name, or NULL
					 * (also when the extension has no data) */
	uint32_t sni_len;
	const uint8_t *alpn;		/* ALPN protocol_name_list: u8 length + name each */
	uint32_t alpn_len;
	const uint8_t *sig_algs;	/* signature_algorithms (13), 2 bytes each */
	uint32_t sig_algs_len;
	const uint8_t *groups;		/* supported_groups (10), 2 bytes each */
	uint32_t groups_len;
	const uint8_t *point_formats;	/* ec_point_formats (11), 1 byte each */
	uint32_t point_formats_len;
	const uint8_t *versions;	/* ClientHello supported_versions list, 2 bytes each */
	uint32_t versions_len;
};

/* The version a hello speaks: supported_versions when present, else the
 * legacy field (JA4's version, the "version" of a record). */
static inline uint16_t
np_tls_hello_version(const struct np_tls_hello *h)
{
	return h->version ? h->version : h->legacy_version;
}

/*
 * Parse a handshake body (after the message header) of type
 * NP_TLS_CLIENT_HELLO or NP_TLS_SERVER_HELLO. dtls: the ClientHello has
 * DTLS's cookie after the session id. Only the extensions named in struct
 * np_tls_hello are read; any other extension's data is skipped unread, so
 * np_tls_hello_reduce()'s output parses to the same view; of a repeated
 * extension the first is read, all are counted. A list inside a read
 * extension that does not fill it exactly, or an item cut in half, is
 * NP_TLS_MALFORMED (not guessed at), as are bytes after the extensions
 * block; a length running past its container is NP_TLS_TRUNCATED; a body
 * over NP_TLS_HELLO_MAX - 4 bytes is NP_TLS_TOO_LONG, as reassembly would
 * have it. Returns NP_TLS_OK or a failure (never NP_TLS_MORE: the body is
 * all there is).
 */
enum np_tls_result np_tls_parse_hello(uint8_t type, const uint8_t *body, uint32_t len, bool dtls,
				      struct np_tls_hello *h);

/*
 * Does a TCP payload start a TLS handshake record carrying a ClientHello or
 * ServerHello (record type 22, version 0x0300..0x0304, a record length of
 * 1..16384+2048, and handshake type 1 or 2 in the byte after the record
 * header)? Returns the hello type, or 0; 0 too when fewer than those 6
 * bytes are there.
 */
uint8_t np_tls_starts_hello(const uint8_t *p, uint32_t len);

/*
 * The first handshake message of a TLS byte stream that starts with a
 * record header: its records are walked (type 22 each, version 3.x) and
 * their payloads joined until the message is whole. Returns NP_TLS_OK with
 * *msg, *msg_len on the message (type, 24-bit length, body): in place in
 * stream when one record holds it, else copied into out (NP_TLS_HELLO_MAX
 * bytes). NP_TLS_MORE when len ends before the message does; a failure
 * otherwise (NP_TLS_TOO_LONG for a message over NP_TLS_HELLO_MAX).
 */
enum np_tls_result np_tls_stream_message(const uint8_t *stream, uint32_t len, uint8_t *out,
					 const uint8_t **msg, uint32_t *msg_len);

/* DTLS: one handshake fragment (RFC 6347 4.2.2 / RFC 9147 5.2). */
struct np_dtls_fragment {
	uint8_t msg_type;
	uint16_t record_version;	/* 0xfeff, 0xfefd (DTLS 1.3 records too) */
	uint16_t msg_seq;
	uint32_t msg_len;		/* the whole message's body length */
	uint32_t frag_off;
	uint32_t frag_len;
	const uint8_t *data;		/* frag_len bytes of the body */
};

/* Does a UDP payload start with a DTLS handshake record (type 22, a DTLS
 * version, epoch 0, room for a fragment header)? */
bool np_dtls_starts_handshake(const uint8_t *p, uint32_t len);

/*
 * The next handshake fragment of a datagram, from *pos (0 at first): walks
 * the records (13-byte headers) and the fragments inside handshake records,
 * skipping records of other types and of epochs other than 0. Returns
 * NP_TLS_OK with *frag filled and *pos advanced, NP_TLS_MORE when the
 * datagram holds no further fragment (a DTLS 1.3 unified header or an
 * RFC 9146 connection-id record ends the walk: their length cannot be
 * read), or a failure when a header or length is wrong.
 */
enum np_tls_result np_dtls_next_fragment(const uint8_t *dgram, uint32_t len, uint32_t *pos,
					 struct np_dtls_fragment *frag);

/*
 * Write a handshake message (type, 24-bit length, body) that
 * np_tls_parse_hello() reads to the same fingerprints, SNI and ALPN as h,
 * with everything fingerprints do not use left out (random, session id,
 * cookie, and the data of every extension but server_name,
 * supported_groups, ec_point_formats, signature_algorithms, ALPN and
 * supported_versions; of a repeated one, only the first keeps its data).
 * Records carry it to the logger, where the raw strings are built. h->dtls
 * says whether an (empty) cookie is written; parse the result with the
 * same flag. Returns its length, or 0 if cap is too small; never longer
 * than the message h was parsed from.
 */
size_t np_tls_hello_reduce(const struct np_tls_hello *h, uint8_t *out, size_t cap);

#endif /* NP_TLS_H */
