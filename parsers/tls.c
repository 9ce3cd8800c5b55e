/* SPDX-License-Identifier: MIT */
/*
 * TLS and DTLS hellos read in place: the TLS record walk that finds the
 * first handshake message of a TCP stream (joining records only when the
 * message spans several), the DTLS record and fragment walk of a datagram,
 * and the ClientHello / ServerHello bodies, whose framing is checked byte
 * for byte. Of the extensions only those fingerprints use are opened, and
 * a malformed list inside one of them fails the hello rather than being
 * guessed at; np_tls_hello_reduce() writes the smallest hello that reads
 * back to the same view.
 */
#include <string.h>

#include "tls.h"

#define REC_HDR 5			/* TLS record header */
#define DTLS_REC_HDR 13			/* DTLS record header */
#define DTLS_FRAG_HDR 12		/* DTLS handshake fragment header */
#define REC_MAX (16384 + 2048)		/* TLSCiphertext limit, the loosest one */
#define CT_HANDSHAKE 22
#define CT_TLS12_CID 25			/* RFC 9146: the header holds a connection id */

#define EXT_SERVER_NAME 0
#define EXT_SUPPORTED_GROUPS 10
#define EXT_EC_POINT_FORMATS 11
#define EXT_SIGNATURE_ALGORITHMS 13
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43

const char *const np_tls_result_names[NP_TLS_RESULT_COUNT] = {
	"ok",
	"incomplete",
#define NP_TLS_NAME_(id, desc) desc,
	NP_FOREACH_TLS_FAIL(NP_TLS_NAME_)
#undef NP_TLS_NAME_
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline void
wr16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The extensions the parser opens, one bit each: only the first occurrence
 * of a type is read (a repeated one is counted and left unread).
 */
static unsigned
ext_bit(uint16_t type)
{
	switch (type) {
	case EXT_SERVER_NAME:
		return 1u << 0;
	case EXT_SUPPORTED_GROUPS:
		return 1u << 1;
	case EXT_EC_POINT_FORMATS:
		return 1u << 2;
	case EXT_SIGNATURE_ALGORITHMS:
		return 1u << 3;
	case EXT_ALPN:
		return 1u << 4;
	case EXT_SUPPORTED_VERSIONS:
		return 1u << 5;
	default:
		return 0;
	}
}

/*
 * Order of protocol versions: DTLS numbers count down (1.0 0xfeff, 1.2
 * 0xfefd, 1.3 0xfefc), so "highest" means the newest DTLS version, not the
 * largest number; everything else compares as a number.
 */
static uint32_t
version_rank(uint16_t v)
{
	return (v >> 8) == 0xfe ? 0x10000u + (0xffu - (v & 0xff)) : v;
}

/* A u16-length vector of 2-byte items filling the extension data exactly. */
static bool
u16_list(const uint8_t *d, uint32_t n, const uint8_t **list, uint32_t *len)
{
	if (n < 2 || rd16(d) != n - 2 || (n & 1))
		return false;
	*list = d + 2;
	*len = n - 2;
	return true;
}

/*
 * The data of an extension the parser reads. Every vector must fill its
 * extension exactly and hold whole items, or the hello is MALFORMED: a
 * fingerprint of a list cut short would be a guess. Empty lists are
 * accepted where the vector is there (JA4 defines their fingerprints), and
 * server_name may have no data at all (a server's acknowledgement, RFC 6066
 * 3); any other extension read here needs at least its vector length.
 */
static enum np_tls_result
read_ext(uint16_t type, const uint8_t *d, uint32_t n, struct np_tls_hello *h)
{
	uint32_t off;

	switch (type) {
	case EXT_SERVER_NAME:
		h->has_sni = true;
		if (!n)
			return NP_TLS_OK;
		if (n < 2 || rd16(d) != n - 2)
			return NP_TLS_MALFORMED;
		for (off = 2; off < n;) {
			if (n - off < 3)
				return NP_TLS_MALFORMED;
			uint8_t name_type = d[off];
			uint32_t len = rd16(d + off + 1);

			off += 3;
			if (len > n - off)
				return NP_TLS_MALFORMED;
			if (name_type == 0 && !h->sni) {	/* host_name */
				h->sni = d + off;
				h->sni_len = len;
			}
			off += len;
		}
		return NP_TLS_OK;
	case EXT_SUPPORTED_GROUPS:
		return u16_list(d, n, &h->groups, &h->groups_len) ? NP_TLS_OK : NP_TLS_MALFORMED;
	case EXT_SIGNATURE_ALGORITHMS:
		return u16_list(d, n, &h->sig_algs, &h->sig_algs_len) ? NP_TLS_OK
								       : NP_TLS_MALFORMED;
	case EXT_EC_POINT_FORMATS:
		if (n < 1 || d[0] != n - 1)
			return NP_TLS_MALFORMED;
		h->point_formats = d + 1;
		h->point_formats_len = n - 1;
		return NP_TLS_OK;
	case EXT_ALPN:
		h->has_alpn = true;
		if (n < 2 || rd16(d) != n - 2)
			return NP_TLS_MALFORMED;
		/* Empty names are kept: JA4 writes "00" for an empty first one. */
		for (off = 2; off < n; off += 1u + d[off])
			if (d[off] > n - off - 1)
				return NP_TLS_MALFORMED;
		h->alpn = d + 2;
		h->alpn_len = n - 2;
		return NP_TLS_OK;
	case EXT_SUPPORTED_VERSIONS:
		if (h->type == NP_TLS_SERVER_HELLO) {
			/* the selected version, no vector */
			if (n != 2)
				return NP_TLS_MALFORMED;
			h->version = rd16(d);
			return NP_TLS_OK;
		}
		if (n < 1 || d[0] != n - 1 || !(n & 1))
			return NP_TLS_MALFORMED;
		h->versions = d + 1;
		h->versions_len = n - 1;
		/* Only GREASE (or nothing): version stays 0, the legacy field rules. */
		for (off = 1; off < n; off += 2) {
			uint16_t v = rd16(d + off);

			if (!np_tls_is_grease(v) &&
			    (!h->version || version_rank(v) > version_rank(h->version)))
				h->version = v;
		}
		return NP_TLS_OK;
	}
	return NP_TLS_OK;
}

/* The extensions block: the type/length framing of every extension is
 * checked; only the first occurrence of each type in ext_bit() is opened. */
static enum np_tls_result
parse_exts(const uint8_t *e, uint32_t len, struct np_tls_hello *h)
{
	unsigned seen = 0;

	h->exts = e;
	h->exts_len = len;
	for (uint32_t off = 0; off < len;) {
		if (len - off < 4)
			return NP_TLS_TRUNCATED;
		uint16_t type = rd16(e + off);
		uint32_t n = rd16(e + off + 2);

		off += 4;
		if (n > len - off)
			return NP_TLS_TRUNCATED;
		h->n_exts++;

		unsigned bit = ext_bit(type);

		if (bit && !(seen & bit)) {
			enum np_tls_result r = read_ext(type, e + off, n, h);

			if (r != NP_TLS_OK)
				return r;
			seen |= bit;
		}
		off += n;
	}
	return NP_TLS_OK;
}

/*
 * TLS 1.3 drafts up to -21 put their own version (0x7fNN) in a ServerHello
 * without session id and compression method; from draft -22 on, the
 * ServerHello looks like TLS 1.2's, the draft in supported_versions.
 */
static inline bool
draft_server_hello(uint16_t version)
{
	return version >> 8 == 0x7f;
}

enum np_tls_result
np_tls_parse_hello(uint8_t type, const uint8_t *b, uint32_t len, bool dtls,
		   struct np_tls_hello *h)
{
	uint32_t off, n;

	memset(h, 0, sizeof(*h));
	h->type = type;
	h->dtls = dtls;
	if (type != NP_TLS_CLIENT_HELLO && type != NP_TLS_SERVER_HELLO)
		return NP_TLS_NOT_TLS;
	/* What reassembly would refuse is refused here too, so every view
	 * (and every raw string) stays within NP_TLS_HELLO_MAX's bounds. */
	if (len > NP_TLS_HELLO_MAX - 4)
		return NP_TLS_TOO_LONG;
	if (len < 2 + 32 + 1)
		return NP_TLS_TRUNCATED;
	h->legacy_version = rd16(b);
	off = 2 + 32;
	if (type == NP_TLS_SERVER_HELLO && draft_server_hello(h->legacy_version)) {
		if (len < 2 + 32 + 2)
			return NP_TLS_TRUNCATED;
		h->cipher = rd16(b + off);	/* no session id, no compression */
		off += 2;
		goto extensions;
	}

	n = b[off++];			/* session_id <0..32> */
	if (n > 32)
		return NP_TLS_MALFORMED;
	if (n > len - off)
		return NP_TLS_TRUNCATED;
	off += n;

	if (type == NP_TLS_CLIENT_HELLO) {
		if (dtls) {		/* cookie <0..2^8-1> */
			if (off >= len)
				return NP_TLS_TRUNCATED;
			n = b[off++];
			if (n > len - off)
				return NP_TLS_TRUNCATED;
			off += n;
		}
		/* cipher_suites: an empty list is let through, JA4 names it */
		if (len - off < 2)
			return NP_TLS_TRUNCATED;
		n = rd16(b + off);
		off += 2;
		if (n & 1)
			return NP_TLS_MALFORMED;
		if (n > len - off)
			return NP_TLS_TRUNCATED;
		h->ciphers = b + off;
		h->ciphers_len = n;
		off += n;
		/* compression_methods <1..2^8-1> */
		if (off >= len)
			return NP_TLS_TRUNCATED;
		n = b[off++];
		if (!n)
			return NP_TLS_MALFORMED;
		if (n > len - off)
			return NP_TLS_TRUNCATED;
		off += n;
	} else {
		if (len - off < 3)	/* cipher_suite, compression_method */
			return NP_TLS_TRUNCATED;
		h->cipher = rd16(b + off);
		off += 3;
	}

extensions:
	/* SSL 3.0 and early TLS hellos may end here. */
	if (off == len)
		return NP_TLS_OK;
	if (len - off < 2)
		return NP_TLS_TRUNCATED;
	n = rd16(b + off);
	off += 2;
	if (n > len - off)
		return NP_TLS_TRUNCATED;
	if (n < len - off)
		return NP_TLS_MALFORMED;	/* bytes after the extensions */
	return parse_exts(b + off, n, h);
}

uint8_t
np_tls_starts_hello(const uint8_t *p, uint32_t len)
{
	if (len < REC_HDR + 1 || p[0] != CT_HANDSHAKE || p[1] != 3 || p[2] > 4)
		return 0;
	uint32_t rl = rd16(p + 3);

	if (!rl || rl > REC_MAX)
		return 0;
	return p[5] == NP_TLS_CLIENT_HELLO || p[5] == NP_TLS_SERVER_HELLO ? p[5] : 0;
}

/* A TLS handshake record header of which avail bytes are at hand: each
 * byte is judged as soon as it is there, so a prefix of a valid stream is
 * never refused. */
static enum np_tls_result
record_header(const uint8_t *p, uint32_t avail, uint32_t *rec_len)
{
	if (avail >= 1 && p[0] != CT_HANDSHAKE)
		return NP_TLS_NOT_TLS;
	if (avail >= 2 && p[1] != 3)
		return NP_TLS_NOT_TLS;
	if (avail >= 3 && p[2] > 4)
		return NP_TLS_NOT_TLS;
	if (avail < REC_HDR)
		return NP_TLS_MORE;
	*rec_len = rd16(p + 3);
	if (!*rec_len || *rec_len > REC_MAX)
		return NP_TLS_NOT_TLS;
	return NP_TLS_OK;
}

enum np_tls_result
np_tls_stream_message(const uint8_t *s, uint32_t len, uint8_t *out, const uint8_t **msg,
		      uint32_t *msg_len)
{
	uint8_t hdr[4];
	uint32_t pos = 0, have = 0, need = 0, records = 0;

	/*
	 * First the records are walked without copying anything: the message
	 * length is learnt (its header may itself be split across records)
	 * and the message checked to be all there, so a stream still short
	 * of it costs no copy.
	 */
	for (;;) {
		uint32_t rl;
		enum np_tls_result r = record_header(s + pos, len - pos, &rl);

		if (r != NP_TLS_OK)
			return r;
		uint32_t body = pos + REC_HDR;
		uint32_t avail = len - body < rl ? len - body : rl;

		for (uint32_t i = 0; have + i < 4 && i < avail; i++)
			hdr[have + i] = s[body + i];
		have += avail;
		records++;
		if (!need && have >= 4) {
			need = 4 + rd24(hdr + 1);
			if (need > NP_TLS_HELLO_MAX)
				return NP_TLS_TOO_LONG;
		}
		if (need && have >= need)
			break;
		if (avail < rl)
			return NP_TLS_MORE;
		pos = body + rl;
	}

	*msg_len = need;
	if (records == 1) {
		*msg = s + REC_HDR;
		return NP_TLS_OK;
	}
	/* Then joined: every header was read above, the lengths are known good. */
	pos = 0;
	for (uint32_t got = 0; got < need;) {
		uint32_t rl = rd16(s + pos + 3);
		uint32_t take = need - got < rl ? need - got : rl;

		memcpy(out + got, s + pos + REC_HDR, take);
		got += take;
		pos += REC_HDR + rl;
	}
	*msg = out;
	return NP_TLS_OK;
}

static bool
dtls_version(uint16_t v)
{
	return v == 0xfeff || v == 0xfefd || v == 0xfefc;
}

bool
np_dtls_starts_handshake(const uint8_t *p, uint32_t len)
{
	/* epoch 0: the hellos are never encrypted */
	return len >= DTLS_REC_HDR + DTLS_FRAG_HDR && p[0] == CT_HANDSHAKE &&
	       dtls_version(rd16(p + 1)) && rd16(p + 3) == 0 &&
	       rd16(p + 11) >= DTLS_FRAG_HDR;
}

enum np_tls_result
np_dtls_next_fragment(const uint8_t *d, uint32_t len, uint32_t *pos,
		      struct np_dtls_fragment *f)
{
	/*
	 * The records are walked from the start of the datagram each time (a
	 * datagram holds a handful): *pos alone then says where the next
	 * fragment is, within whichever record it falls.
	 */
	for (uint32_t rs = 0; rs < len;) {
		uint8_t type = d[rs];

		/*
		 * A DTLS 1.3 unified header (0b001xxxxx, RFC 9147 4) or an RFC
		 * 9146 record carries a connection id of a length only the
		 * endpoints know: nothing after it can be found. They are
		 * encrypted anyway, so the datagram simply holds no more.
		 */
		if ((type & 0xe0) == 0x20 || type == CT_TLS12_CID)
			return NP_TLS_MORE;
		if (len - rs < DTLS_REC_HDR)
			return NP_TLS_TRUNCATED;
		if (!dtls_version(rd16(d + rs + 1)))
			return NP_TLS_NOT_TLS;
		uint32_t rl = rd16(d + rs + 11);

		if (rl > len - rs - DTLS_REC_HDR)
			return NP_TLS_TRUNCATED;
		uint32_t re = rs + DTLS_REC_HDR + rl;

		/* Handshake records of epoch 0 only: the rest are skipped. */
		if (type == CT_HANDSHAKE && rd16(d + rs + 3) == 0 && *pos < re) {
			uint32_t fs = *pos > rs + DTLS_REC_HDR ? *pos : rs + DTLS_REC_HDR;

			if (fs < re) {
				if (re - fs < DTLS_FRAG_HDR)
					return NP_TLS_TRUNCATED;
				const uint8_t *fh = d + fs;
				uint32_t fl = rd24(fh + 9);

				if (fl > re - fs - DTLS_FRAG_HDR)
					return NP_TLS_TRUNCATED;
				f->msg_type = fh[0];
				f->record_version = rd16(d + rs + 1);
				f->msg_len = rd24(fh + 1);
				f->msg_seq = rd16(fh + 4);
				f->frag_off = rd24(fh + 6);
				f->frag_len = fl;
				if (f->frag_off > f->msg_len || fl > f->msg_len - f->frag_off)
					return NP_TLS_MALFORMED;
				f->data = fh + DTLS_FRAG_HDR;
				*pos = fs + DTLS_FRAG_HDR + fl;
				return NP_TLS_OK;
			}
		}
		rs = re;
	}
	return NP_TLS_MORE;
}

/*
 * Walk the extensions block of h for np_tls_hello_reduce(): with out NULL
 * only the size of the reduced block is returned. The data kept is that of
 * the first occurrence of each type the parser reads, exactly what
 * np_tls_parse_hello() looks at; every other extension keeps its type and
 * an empty body.
 */
static size_t
reduce_exts(const struct np_tls_hello *h, uint8_t *out)
{
	const uint8_t *e = h->exts;
	size_t size = 0;
	unsigned seen = 0;

	for (uint32_t off = 0; off + 4 <= h->exts_len;) {
		uint16_t type = rd16(e + off);
		uint32_t n = rd16(e + off + 2);
		unsigned bit = ext_bit(type);

		if (n > h->exts_len - off - 4)
			break;		/* not a block np_tls_parse_hello() accepted */
		uint32_t keep = bit && !(seen & bit) ? n : 0;

		seen |= bit;
		if (out) {
			wr16(out + size, type);
			wr16(out + size + 2, keep);
			memcpy(out + size + 4, e + off + 4, keep);
		}
		size += 4 + keep;
		off += 4 + n;
	}
	return size;
}

size_t
np_tls_hello_reduce(const struct np_tls_hello *h, uint8_t *out, size_t cap)
{
	bool client = h->type == NP_TLS_CLIENT_HELLO;
	size_t body, exts = h->exts ? reduce_exts(h, NULL) : 0;

	if (!client && h->type != NP_TLS_SERVER_HELLO)
		return 0;
	bool draft = !client && draft_server_hello(h->legacy_version);

	body = 2 + 32 + (draft ? 0 : 1);	/* version, random, empty session_id */
	if (client)
		body += (h->dtls ? 1 : 0) + 2 + h->ciphers_len + 2;
	else
		body += 2 + (draft ? 0 : 1);
	if (h->exts)
		body += 2 + exts;
	if (4 + body > cap || body > 0xffffff)
		return 0;

	uint8_t *p = out;

	*p++ = h->type;
	*p++ = (uint8_t)(body >> 16);
	wr16(p, (uint32_t)body);
	p += 2;
	wr16(p, h->legacy_version);
	p += 2;
	memset(p, 0, 32 + 1);		/* random, session_id length */
	p += 32 + (draft ? 0 : 1);
	if (client) {
		if (h->dtls)
			*p++ = 0;	/* cookie length */
		wr16(p, h->ciphers_len);
		p += 2;
		if (h->ciphers_len)
			memcpy(p, h->ciphers, h->ciphers_len);
		p += h->ciphers_len;
		*p++ = 1;		/* one compression method: null */
		*p++ = 0;
	} else {
		wr16(p, h->cipher);
		p += 2;
		if (!draft)
			*p++ = 0;
	}
	if (h->exts) {
		wr16(p, (uint32_t)exts);
		p += 2;
		p += reduce_exts(h, p);
	}
	return (size_t)(p - out);
}
