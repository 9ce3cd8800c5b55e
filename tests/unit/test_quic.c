/* SPDX-License-Identifier: MIT */
/*
 * QUIC Initial tests (parsers/quic.c). Expected values come from the
 * specifications' appendices (quic_vectors.h: RFC 9001 and RFC 9369
 * Appendix A, draft-ietf-quic-tls-29 Appendix A), never from the code under
 * test. Beyond them: keys compared with libcrypto's own HKDF on random
 * Connection IDs; random Initials of all three versions, both sides and
 * every packet number length, protected by a small sender written here with
 * libcrypto directly and read back frame by frame; coalesced datagrams
 * walked; every prefix, bumped length field and flipped bit of valid
 * packets, malformed frames and seeded junk, each from an exact-size heap
 * copy so that ASan sees a read one byte past the end; and a count of
 * libcrypto's allocations while packets are opened (there must be none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "quic.h"
#include "quic_vectors.h"

#include <criterion/criterion.h>
#include "np_assert.h"

/* ------------------------------------------------------------------ */
/* libcrypto's allocations, counted from before its first one          */
/* ------------------------------------------------------------------ */

static unsigned long g_crypto_allocs;
static int g_counting;		/* CRYPTO_set_mem_functions accepted */

static void *
count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	__atomic_add_fetch(&g_crypto_allocs, 1, __ATOMIC_RELAXED);
	return malloc(n);
}

static void *
count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	__atomic_add_fetch(&g_crypto_allocs, 1, __ATOMIC_RELAXED);
	return realloc(p, n);
}

static void
count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/* Must run before libcrypto allocates anything, hence a constructor. */
__attribute__((constructor)) static void
count_crypto_allocs(void)
{
	g_counting = CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static uint64_t g_rng = 0x2545f4914f6cdd1dull;

static uint32_t
rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng >> 16);
}

static void
rnd_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex as the RFCs print it (spaces skipped) into out; returns the length. */
static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		int hi = hexval(s[0]), lo = hexval(s[1]);

		cr_assert(hi >= 0 && lo >= 0, "bad hex near \"%.8s\"", s);
		cr_assert(n < max, "hex longer than %zu bytes", max);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

/* An exact-size heap copy: ASan reports a read one byte past the end. */
static uint8_t *
exact(const uint8_t *b, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	cr_assert(p != NULL);
	if (n)
		memcpy(p, b, n);
	return p;
}

/* Hex straight into an exact-size heap buffer. */
static uint8_t *
hex_exact(const char *s, size_t *n)
{
	static uint8_t tmp[70000];

	*n = unhex(s, tmp, sizeof(tmp));
	return exact(tmp, *n);
}

static void
expect_bytes(const uint8_t *got, size_t n, const char *hex, const char *what)
{
	uint8_t want[2048];
	size_t wn = unhex(hex, want, sizeof(want));

	cr_assert(eq(sz, n, wn), "%s: length", what);
	for (size_t i = 0; i < n; i++)
		cr_assert(got[i] == want[i], "%s: byte %zu is %02x, RFC says %02x", what, i, got[i],
			  want[i]);
}

static void
keys_of(struct np_quic_crypto *c, uint32_t version, const char *dcid_hex, bool server,
	struct np_quic_keys *k)
{
	uint8_t dcid[NP_QUIC_CID_MAX];
	size_t n = unhex(dcid_hex, dcid, sizeof(dcid));

	cr_assert(eq(int, np_quic_initial_keys(c, version, dcid, (uint8_t)n, server, k), 0));
	cr_assert(eq(u32, k->version, version));
}

static void
keys_from_hex(uint32_t version, const char *key, const char *iv, const char *hp,
	      struct np_quic_keys *k)
{
	k->version = version;
	cr_assert(eq(sz, unhex(key, k->key, sizeof(k->key)), 16));
	cr_assert(eq(sz, unhex(iv, k->iv, sizeof(k->iv)), 12));
	cr_assert(eq(sz, unhex(hp, k->hp, sizeof(k->hp)), 16));
}

static void
aes_ecb(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n;

	cr_assert(ctx != NULL);
	cr_assert(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL) == 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	cr_assert(EVP_EncryptUpdate(ctx, out, &n, in, 16) == 1 && n == 16);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * The test's sender (RFC 9001 section 5), with libcrypto's fixed cipher
 * objects rather than the fetched ones quic.c uses: hdr is the unprotected
 * header through its packet number, which starts at pn_off and is
 * (hdr[0] & 3) + 1 bytes long; pt the frames. Writes hdr_len + pt_len + 16
 * bytes to out.
 */
static void
protect(const struct np_quic_keys *k, const uint8_t *hdr, size_t hdr_len, size_t pn_off,
	const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	size_t pn_len = (hdr[0] & 3u) + 1;
	uint8_t nonce[12], mask[16];
	uint64_t pn = 0;
	int n;

	cr_assert(eq(sz, pn_off + pn_len, hdr_len));
	cr_assert(pn_len + pt_len >= 4, "too short to sample");
	for (size_t i = 0; i < pn_len; i++)
		pn = pn << 8 | hdr[pn_off + i];
	memcpy(nonce, k->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));

	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	cr_assert(ctx != NULL);
	cr_assert(EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, k->key, nonce) == 1);
	cr_assert(EVP_EncryptUpdate(ctx, NULL, &n, hdr, (int)hdr_len) == 1);
	if (pt_len)
		cr_assert(EVP_EncryptUpdate(ctx, out + hdr_len, &n, pt, (int)pt_len) == 1);
	cr_assert(EVP_EncryptFinal_ex(ctx, out + hdr_len + pt_len, &n) == 1);
	cr_assert(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out + hdr_len + pt_len) ==
		  1);
	EVP_CIPHER_CTX_free(ctx);

	memcpy(out, hdr, hdr_len);
	aes_ecb(k->hp, out + pn_off + 4, mask);
	out[0] ^= mask[0] & 0x0f;
	for (size_t i = 0; i < pn_len; i++)
		out[pn_off + i] ^= mask[1 + i];
}

/* The HkdfLabel of RFC 8446 section 7.1 with an empty context. */
static size_t
hkdf_label(uint8_t *out, const char *label, uint16_t len)
{
	size_t n = strlen(label);

	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	out[2] = (uint8_t)(6 + n);
	memcpy(out + 3, "tls13 ", 6);
	memcpy(out + 9, label, n);
	out[9 + n] = 0;
	return 10 + n;
}

/* libcrypto's HKDF, as a second opinion on np_quic_initial_keys. */
static void
evp_hkdf(int mode, const uint8_t *key, size_t key_len, const uint8_t *salt, size_t salt_len,
	 const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[6], *q = p;
	static const uint8_t none;

	cr_assert(ctx != NULL);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)(key_len ? key : &none), key_len);
	if (salt)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt,
							 salt_len);
	if (info)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info,
							 info_len);
	*q = OSSL_PARAM_construct_end();
	cr_assert(EVP_KDF_derive(ctx, out, out_len, p) == 1);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
}

/* ------------------------------------------------------------------ */
/* Packet builder                                                      */
/* ------------------------------------------------------------------ */

/* A variable-length integer on exactly size bytes (1, 2, 4 or 8). */
static size_t
put_varint(uint8_t *p, uint64_t v, size_t size)
{
	static const uint8_t prefix[9] = { [1] = 0x00, [2] = 0x40, [4] = 0x80, [8] = 0xc0 };

	cr_assert(size == 1 || size == 2 || size == 4 || size == 8);
	cr_assert(size == 8 || v < (UINT64_C(1) << (8 * size - 2)), "varint %llu on %zu bytes",
		  (unsigned long long)v, size);
	for (size_t i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
	p[0] = (uint8_t)((p[0] & 0x3f) | prefix[size]);
	return size;
}

static size_t
varint_min(uint64_t v)
{
	return v < 64 ? 1 : v < 16384 ? 2 : v < (UINT64_C(1) << 30) ? 4 : 8;
}

/* A random encoding size that holds v: longer than needed now and then. */
static size_t
varint_any(uint64_t v)
{
	size_t n = varint_min(v);

	while (n < 8 && rnd() % 4 == 0)
		n *= 2;
	return n;
}

struct spec {
	uint32_t version;
	enum np_quic_type type;
	bool fixed_clear;		/* clear the fixed bit */
	uint8_t reserved;		/* reserved bits (0x0c) before protection */
	uint8_t dcid[NP_QUIC_CID_MAX], dcid_len;
	uint8_t scid[NP_QUIC_CID_MAX], scid_len;
	const uint8_t *token;
	size_t token_len, token_len_size;	/* size 0: minimal */
	size_t len_size;		/* bytes of the Length field, 0: minimal */
	uint8_t pn_len;
	uint32_t pn;
};

static uint8_t
wire_type(uint32_t version, enum np_quic_type t)
{
	static const uint8_t v2[] = { [NP_QUIC_INITIAL] = 1, [NP_QUIC_0RTT] = 2,
				      [NP_QUIC_HANDSHAKE] = 3, [NP_QUIC_RETRY] = 0 };

	return version == NP_QUIC_V2 ? v2[t] : (uint8_t)t;
}

/* The unprotected header through the packet number; *pn_off set. */
static size_t
build_header(const struct spec *s, size_t pt_len, uint8_t *out, size_t *pn_off)
{
	size_t n = 0;
	uint64_t length = s->pn_len + pt_len + 16;

	out[n++] = (uint8_t)(0x80 | (s->fixed_clear ? 0 : 0x40) |
			     wire_type(s->version, s->type) << 4 | s->reserved | (s->pn_len - 1));
	out[n++] = (uint8_t)(s->version >> 24);
	out[n++] = (uint8_t)(s->version >> 16);
	out[n++] = (uint8_t)(s->version >> 8);
	out[n++] = (uint8_t)s->version;
	out[n++] = s->dcid_len;
	memcpy(out + n, s->dcid, s->dcid_len);
	n += s->dcid_len;
	out[n++] = s->scid_len;
	memcpy(out + n, s->scid, s->scid_len);
	n += s->scid_len;
	if (s->type == NP_QUIC_INITIAL) {
		n += put_varint(out + n, s->token_len,
				s->token_len_size ? s->token_len_size : varint_min(s->token_len));
		if (s->token_len)
			memcpy(out + n, s->token, s->token_len);
		n += s->token_len;
	}
	n += put_varint(out + n, length, s->len_size ? s->len_size : varint_min(length));
	*pn_off = n;
	for (int i = s->pn_len - 1; i >= 0; i--)
		out[n++] = (uint8_t)(s->pn >> (8 * i));
	return n;
}

/* A whole protected packet into out; returns its length. */
static size_t
build_packet(const struct spec *s, const struct np_quic_keys *k, const uint8_t *pt,
	     size_t pt_len, uint8_t *out, size_t *pn_off)
{
	uint8_t hdr[1024];
	size_t hdr_len = build_header(s, pt_len, hdr, pn_off);

	protect(k, hdr, hdr_len, *pn_off, pt, pt_len, out);
	return hdr_len + pt_len + 16;
}

static struct spec
plain_spec(uint32_t version)
{
	struct spec s = { .version = version, .type = NP_QUIC_INITIAL, .pn_len = 2, .pn = 7 };

	s.dcid_len = 8;
	memset(s.dcid, 0xd1, 8);
	s.scid_len = 5;
	memset(s.scid, 0x5c, 5);
	return s;
}

/* ------------------------------------------------------------------ */
/* Frame builder                                                       */
/* ------------------------------------------------------------------ */

struct fbuf {
	uint8_t b[8192];
	size_t n;
	bool boundary[8193];		/* a walk may stop here: frame starts, padding */
};

static void
fb_mark(struct fbuf *f)
{
	f->boundary[f->n] = true;
}

static void
fb_varint(struct fbuf *f, uint64_t v, size_t size)
{
	f->n += put_varint(f->b + f->n, v, size ? size : varint_any(v));
}

static void
fb_padding(struct fbuf *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fb_mark(f);
		f->b[f->n++] = 0;
	}
}

static void
fb_ping(struct fbuf *f)
{
	fb_mark(f);
	f->b[f->n++] = 0x01;
}

static void
fb_ack(struct fbuf *f, bool ecn)
{
	uint64_t ranges = rnd() % 4;

	fb_mark(f);
	f->b[f->n++] = ecn ? 0x03 : 0x02;
	fb_varint(f, rnd() % 100000, 0);	/* largest acknowledged */
	fb_varint(f, rnd() % 5000, 0);		/* delay */
	fb_varint(f, ranges, 0);
	fb_varint(f, rnd() % 10, 0);		/* first range */
	for (uint64_t i = 0; i < ranges; i++) {
		fb_varint(f, rnd() % 10, 0);	/* gap */
		fb_varint(f, rnd() % 10, 0);	/* range length */
	}
	if (ecn)
		for (int i = 0; i < 3; i++)
			fb_varint(f, rnd() % 1000000, 0);
}

static void
fb_close(struct fbuf *f, size_t reason_len)
{
	fb_mark(f);
	f->b[f->n++] = 0x1c;
	fb_varint(f, rnd() % 0x200, 0);		/* error code */
	fb_varint(f, rnd() % 0x20, 0);		/* frame type */
	fb_varint(f, reason_len, 0);
	for (size_t i = 0; i < reason_len; i++)
		f->b[f->n++] = (uint8_t)('a' + rnd() % 26);
}

static void
fb_crypto(struct fbuf *f, uint64_t offset, const uint8_t *data, size_t len)
{
	fb_mark(f);
	f->b[f->n++] = 0x06;
	fb_varint(f, offset, 0);
	fb_varint(f, len, 0);
	if (len)
		memcpy(f->b + f->n, data, len);
	f->n += len;
}

static void
fb_end(struct fbuf *f)
{
	fb_mark(f);
	cr_assert(f->n < sizeof(f->b));
}

struct piece {
	uint64_t offset;
	size_t len;
};

/*
 * Random frames carrying stream[0 .. len) in CRYPTO frames cut into pieces
 * given out of order, with PADDING, PING, ACK and CONNECTION_CLOSE frames
 * between them. The pieces, in the order written, go to p[0 .. *np).
 */
static void
random_frames(struct fbuf *f, const uint8_t *stream, size_t len, struct piece *p, size_t *np)
{
	size_t cuts = 1 + rnd() % 6, n = 0;
	size_t at[8];

	memset(f, 0, sizeof(*f));
	/* cut points, sorted, duplicates make empty pieces */
	at[0] = 0;
	for (size_t i = 1; i < cuts; i++)
		at[i] = len ? rnd() % (len + 1) : 0;
	at[cuts] = len;
	for (size_t i = 1; i < cuts; i++)
		for (size_t j = i + 1; j < cuts; j++)
			if (at[j] < at[i]) {
				size_t t = at[i];

				at[i] = at[j];
				at[j] = t;
			}
	for (size_t i = 0; i < cuts; i++)
		p[n++] = (struct piece){ at[i], at[i + 1] - at[i] };
	for (size_t i = n - 1; i > 0; i--) {	/* shuffle */
		size_t j = rnd() % (i + 1);
		struct piece t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
	for (size_t i = 0; i < n; i++) {
		switch (rnd() % 6) {
		case 0:
			fb_padding(f, 1 + rnd() % 20);
			break;
		case 1:
			fb_ping(f);
			break;
		case 2:
			fb_ack(f, rnd() % 2);
			break;
		case 3:
			fb_close(f, rnd() % 12);
			break;
		default:
			break;
		}
		fb_crypto(f, p[i].offset, stream + p[i].offset, p[i].len);
	}
	if (rnd() % 2)
		fb_padding(f, rnd() % 300);
	fb_end(f);
	*np = n;
}

/* Walk frames (exact-size copy) and compare with the pieces expected. */
static void
expect_pieces(const uint8_t *frames, size_t len, const uint8_t *stream, const struct piece *p,
	      size_t np)
{
	uint8_t *copy = exact(frames, len);
	uint32_t pos = 0, dlen;
	const uint8_t *data;
	uint64_t off;
	size_t i = 0;
	int rc;

	while ((rc = np_quic_next_crypto(copy, (uint32_t)len, &pos, &off, &data, &dlen)) == 1) {
		cr_assert(i < np, "more CRYPTO frames than written");
		cr_assert(eq(u64, off, p[i].offset));
		cr_assert(eq(u32, dlen, (uint32_t)p[i].len));
		cr_assert(data >= copy && data + dlen <= copy + len);
		cr_assert(dlen == 0 || memcmp(data, stream + off, dlen) == 0);
		i++;
	}
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(sz, i, np));
	cr_assert(eq(u32, pos, (uint32_t)len));
	free(copy);
}

/* ------------------------------------------------------------------ */
/* RFC 9001, RFC 9369 and draft-29 vectors                             */
/* ------------------------------------------------------------------ */

Test(quic_keys, rfc9001_a1)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V1, QV_DCID, false, &k);
	expect_bytes(k.key, 16, QV1_CLIENT_KEY, "client key");
	expect_bytes(k.iv, 12, QV1_CLIENT_IV, "client iv");
	expect_bytes(k.hp, 16, QV1_CLIENT_HP, "client hp");
	keys_of(c, NP_QUIC_V1, QV_DCID, true, &k);
	expect_bytes(k.key, 16, QV1_SERVER_KEY, "server key");
	expect_bytes(k.iv, 12, QV1_SERVER_IV, "server iv");
	expect_bytes(k.hp, 16, QV1_SERVER_HP, "server hp");
	np_quic_crypto_free(c);
}

Test(quic_keys, rfc9369_a1)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V2, QV_DCID, false, &k);
	expect_bytes(k.key, 16, QV2_CLIENT_KEY, "client key");
	expect_bytes(k.iv, 12, QV2_CLIENT_IV, "client iv");
	expect_bytes(k.hp, 16, QV2_CLIENT_HP, "client hp");
	keys_of(c, NP_QUIC_V2, QV_DCID, true, &k);
	expect_bytes(k.key, 16, QV2_SERVER_KEY, "server key");
	expect_bytes(k.iv, 12, QV2_SERVER_IV, "server iv");
	expect_bytes(k.hp, 16, QV2_SERVER_HP, "server hp");
	np_quic_crypto_free(c);
}

Test(quic_keys, draft29_a1)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_DRAFT29, QV_DCID, false, &k);
	expect_bytes(k.key, 16, QV29_CLIENT_KEY, "client key");
	expect_bytes(k.iv, 12, QV29_CLIENT_IV, "client iv");
	expect_bytes(k.hp, 16, QV29_CLIENT_HP, "client hp");
	keys_of(c, NP_QUIC_DRAFT29, QV_DCID, true, &k);
	expect_bytes(k.key, 16, QV29_SERVER_KEY, "server key");
	expect_bytes(k.iv, 12, QV29_SERVER_IV, "server iv");
	expect_bytes(k.hp, 16, QV29_SERVER_HP, "server hp");
	np_quic_crypto_free(c);
}

/* The test's HkdfLabel against RFC 9001 A.1 and RFC 9369 A.1, then the
 * test's HKDF (libcrypto's EVP_KDF) against the RFC keys: the second
 * opinion used on random Connection IDs below is itself checked. */
Test(quic_keys, second_opinion_matches_the_rfcs)
{
	static const struct {
		const char *label;
		uint16_t len;
		const char *hex;
	} labels[] = {
		{ "client in", 32, "00200f746c73313320636c69656e7420696e00" },
		{ "server in", 32, "00200f746c7331332073657276657220696e00" },
		{ "quic key", 16, "00100e746c7331332071756963206b657900" },
		{ "quic iv", 12, "000c0d746c733133207175696320697600" },
		{ "quic hp", 16, "00100d746c733133207175696320687000" },
		{ "quicv2 key", 16, "001010746c73313320717569637632206b657900" },
		{ "quicv2 iv", 12, "000c0f746c7331332071756963763220697600" },
		{ "quicv2 hp", 16, "00100f746c7331332071756963763220687000" },
	};
	uint8_t info[64], salt[20], dcid[8], prk[32], secret[32], key[16];

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t n = hkdf_label(info, labels[i].label, labels[i].len);

		expect_bytes(info, n, labels[i].hex, labels[i].label);
	}
	unhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a", salt, sizeof(salt));
	unhex(QV_DCID, dcid, sizeof(dcid));
	evp_hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, dcid, 8, salt, 20, NULL, 0, prk, 32);
	expect_bytes(prk, 32, "7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44",
		     "initial_secret");
	size_t n = hkdf_label(info, "client in", 32);

	evp_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, 32, NULL, 0, info, n, secret, 32);
	expect_bytes(secret, 32,
		     "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
		     "client_initial_secret");
	n = hkdf_label(info, "quic key", 16);
	evp_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, NULL, 0, info, n, key, 16);
	expect_bytes(key, 16, QV1_CLIENT_KEY, "client key");
}

/* np_quic_initial_keys against libcrypto's HKDF on random Connection IDs. */
Test(quic_keys, random_cids_match_libcrypto_hkdf)
{
	static const struct {
		uint32_t version;
		const char *salt, *key, *iv, *hp;
	} v[] = {
		{ NP_QUIC_V1, "38762cf7f55934b34d179ae6a4c80cadccbb7f0a", "quic key", "quic iv",
		  "quic hp" },
		{ NP_QUIC_V2, "0dede3def700a6db819381be6e269dcbf9bd2ed9", "quicv2 key",
		  "quicv2 iv", "quicv2 hp" },
		{ NP_QUIC_DRAFT29, "afbfec289993d24c9e9786f19c6111e04390a899", "quic key",
		  "quic iv", "quic hp" },
	};
	struct np_quic_crypto *c = np_quic_crypto_new();

	cr_assert(c != NULL);
	for (int round = 0; round < 300; round++) {
		uint8_t dcid[NP_QUIC_CID_MAX], salt[20], prk[32], secret[32], info[64];
		uint8_t key[16], iv[12], hp[16];
		uint8_t dcid_len = (uint8_t)(round % (NP_QUIC_CID_MAX + 1));
		size_t vi = rnd() % 3, n;
		bool server = rnd() % 2;
		struct np_quic_keys k;

		rnd_bytes(dcid, dcid_len);
		cr_assert(eq(int, np_quic_initial_keys(c, v[vi].version, dcid, dcid_len, server, &k),
			     0));
		unhex(v[vi].salt, salt, sizeof(salt));
		evp_hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, dcid, dcid_len, salt, 20, NULL, 0, prk, 32);
		n = hkdf_label(info, server ? "server in" : "client in", 32);
		evp_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, 32, NULL, 0, info, n, secret, 32);
		n = hkdf_label(info, v[vi].key, 16);
		evp_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, NULL, 0, info, n, key, 16);
		n = hkdf_label(info, v[vi].iv, 12);
		evp_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, NULL, 0, info, n, iv, 12);
		n = hkdf_label(info, v[vi].hp, 16);
		evp_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, NULL, 0, info, n, hp, 16);
		cr_assert(memcmp(k.key, key, 16) == 0, "key, round %d", round);
		cr_assert(memcmp(k.iv, iv, 12) == 0, "iv, round %d", round);
		cr_assert(memcmp(k.hp, hp, 16) == 0, "hp, round %d", round);
		cr_assert(eq(u32, k.version, v[vi].version));
	}
	np_quic_crypto_free(c);
}

Test(quic_keys, bad_arguments)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	uint8_t dcid[21] = { 0 };
	struct np_quic_keys k;

	cr_assert(c != NULL);
	cr_assert(eq(int, np_quic_initial_keys(c, 0xff00001c, dcid, 8, false, &k), -EINVAL));
	cr_assert(eq(int, np_quic_initial_keys(c, 0, dcid, 8, false, &k), -EINVAL));
	cr_assert(eq(int, np_quic_initial_keys(c, NP_QUIC_V1, dcid, 21, false, &k), -EINVAL));
	cr_assert(eq(int, np_quic_initial_keys(c, NP_QUIC_V1, dcid, 20, false, &k), 0));
	cr_assert(eq(int, np_quic_initial_keys(c, NP_QUIC_V1, NULL, 0, true, &k), 0));
	np_quic_crypto_free(c);
	np_quic_crypto_free(NULL);
}

/*
 * One Initial of an appendix: the protected header and the sample the RFC
 * prints are in the packet, AES-ECB(hp, sample) is the RFC's mask, the
 * header parses, the payload opens to the RFC's packet number and frames,
 * and the test's sender rebuilds the RFC's packet byte for byte.
 */
struct appendix {
	const char *packet, *protected_header, *header, *sample, *mask, *payload_start;
	size_t payload_len;		/* frames, PADDING included */
	uint64_t pn;
	uint8_t dcid_len, scid_len;
	const char *dcid, *scid;
};

static void
check_appendix(const struct appendix *a, const struct np_quic_keys *k, uint32_t version)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	uint8_t hdr[64], sample[16], mask[16], start[512], rebuilt[1300], *out;
	size_t n, hdr_len, start_len;
	uint8_t *pkt = hex_exact(a->packet, &n);
	struct np_quic_long h;
	uint32_t out_len;
	uint64_t pn;

	cr_assert(c != NULL);
	hdr_len = unhex(a->header, hdr, sizeof(hdr));
	expect_bytes(pkt, hdr_len, a->protected_header, "protected header");
	cr_assert(eq(sz, unhex(a->sample, sample, sizeof(sample)), 16));
	aes_ecb(k->hp, sample, mask);
	expect_bytes(mask, 5, a->mask, "mask");

	cr_assert(np_quic_starts_long(pkt, (uint32_t)n));
	cr_assert(eq(int, np_quic_parse_long(pkt, (uint32_t)n, &h), 0));
	cr_assert(eq(u32, h.version, version));
	cr_assert(eq(u8, h.type, NP_QUIC_INITIAL));
	cr_assert(eq(u8, h.dcid_len, a->dcid_len));
	cr_assert(eq(u8, h.scid_len, a->scid_len));
	if (a->dcid_len)
		expect_bytes(h.dcid, h.dcid_len, a->dcid, "dcid");
	if (a->scid_len)
		expect_bytes(h.scid, h.scid_len, a->scid, "scid");
	cr_assert(h.pkt == pkt);
	cr_assert(eq(u32, h.pkt_len, (uint32_t)n));
	/* the pn length is in the unprotected first byte */
	cr_assert(eq(u32, h.pn_off, (uint32_t)(hdr_len - ((hdr[0] & 3) + 1))));
	expect_bytes(pkt + h.pn_off + 4, 16, a->sample, "sample in the packet");

	out = malloc(h.pkt_len);
	cr_assert(out != NULL);
	for (int twice = 0; twice < 2; twice++) {	/* the second time with keys in place */
		cr_assert(eq(int, np_quic_decrypt(c, k, &h, out, &out_len, &pn), 0));
		cr_assert(eq(u64, pn, a->pn));
		cr_assert(eq(u32, out_len, (uint32_t)a->payload_len));
		start_len = unhex(a->payload_start, start, sizeof(start));
		expect_bytes(out, start_len, a->payload_start, "frames");
		for (size_t i = start_len; i < out_len; i++)
			cr_assert(out[i] == 0, "PADDING expected at %zu", i);
	}

	/* the test's sender gives the RFC's packet back */
	protect(k, hdr, hdr_len, h.pn_off, out, out_len, rebuilt);
	for (size_t i = 0; i < n; i++)
		cr_assert(rebuilt[i] == pkt[i], "rebuilt packet differs at byte %zu", i);

	free(out);
	free(pkt);
	np_quic_crypto_free(c);
}

/* The CRYPTO frames of a decrypted RFC payload, checked against the RFC's. */
static void
check_crypto_frames(struct np_quic_crypto *c, const struct np_quic_keys *k, const char *packet,
		    const char *frame_hex, size_t skip)
{
	size_t n;
	uint8_t *pkt = hex_exact(packet, &n), frame[512];
	size_t fn = unhex(frame_hex, frame, sizeof(frame));
	struct np_quic_long h;
	uint32_t out_len, pos = 0, dlen;
	uint64_t pn, off;
	const uint8_t *data;
	uint8_t *out = malloc(n), *frames;

	cr_assert(out != NULL);
	cr_assert(eq(int, np_quic_parse_long(pkt, (uint32_t)n, &h), 0));
	cr_assert(eq(int, np_quic_decrypt(c, k, &h, out, &out_len, &pn), 0));
	frames = exact(out, out_len);
	/* frame = [ACK ...] 06 offset(1) length(2) data */
	cr_assert(eq(int, np_quic_next_crypto(frames, out_len, &pos, &off, &data, &dlen), 1));
	cr_assert(eq(u64, off, 0));
	cr_assert(eq(u32, dlen, (uint32_t)(fn - skip - 4)));
	cr_assert(data == frames + skip + 4);
	cr_assert(memcmp(data, frame + skip + 4, dlen) == 0);
	cr_assert(eq(int, np_quic_next_crypto(frames, out_len, &pos, &off, &data, &dlen), 0));
	cr_assert(eq(u32, pos, out_len));
	free(frames);
	free(out);
	free(pkt);
}

Test(quic_rfc9001, client_initial)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;
	struct appendix a = {
		.packet = QV1_CLIENT_PACKET,
		.protected_header = QV1_CLIENT_PROTECTED_HEADER,
		.header = QV1_CLIENT_HEADER,
		.sample = QV1_CLIENT_SAMPLE,
		.mask = QV1_CLIENT_MASK,
		.payload_start = QV_CLIENT_CRYPTO,
		.payload_len = 1162,
		.pn = 2,
		.dcid_len = 8,
		.dcid = QV_DCID,
	};

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V1, QV_DCID, false, &k);
	check_appendix(&a, &k, NP_QUIC_V1);
	/* the ClientHello: 241 bytes at offset 0 */
	check_crypto_frames(c, &k, QV1_CLIENT_PACKET, QV_CLIENT_CRYPTO, 0);
	np_quic_crypto_free(c);
}

Test(quic_rfc9001, server_initial)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;
	struct appendix a = {
		.packet = QV1_SERVER_PACKET,
		.protected_header = QV1_SERVER_PROTECTED_HEADER,
		.header = QV1_SERVER_HEADER,
		.sample = QV1_SERVER_SAMPLE,
		.mask = QV1_SERVER_MASK,
		.payload_start = QV_SERVER_PAYLOAD,
		.payload_len = 99,
		.pn = 1,
		.scid_len = 8,
		.scid = "f067a5502a4262b5",
	};

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V1, QV_DCID, true, &k);
	check_appendix(&a, &k, NP_QUIC_V1);
	/* the ACK (5 bytes) is skipped, then the ServerHello: 90 bytes */
	check_crypto_frames(c, &k, QV1_SERVER_PACKET, QV_SERVER_PAYLOAD, 5);
	np_quic_crypto_free(c);
}

Test(quic_rfc9369, client_initial)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;
	struct appendix a = {
		.packet = QV2_CLIENT_PACKET,
		.protected_header = QV2_CLIENT_PROTECTED_HEADER,
		.header = QV2_CLIENT_HEADER,
		.sample = QV2_CLIENT_SAMPLE,
		.mask = QV2_CLIENT_MASK,
		.payload_start = QV_CLIENT_CRYPTO,
		.payload_len = 1162,
		.pn = 2,
		.dcid_len = 8,
		.dcid = QV_DCID,
	};

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V2, QV_DCID, false, &k);
	check_appendix(&a, &k, NP_QUIC_V2);
	check_crypto_frames(c, &k, QV2_CLIENT_PACKET, QV_CLIENT_CRYPTO, 0);
	np_quic_crypto_free(c);
}

Test(quic_rfc9369, server_initial)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;
	struct appendix a = {
		.packet = QV2_SERVER_PACKET,
		.protected_header = QV2_SERVER_PROTECTED_HEADER,
		.header = QV2_SERVER_HEADER,
		.sample = QV2_SERVER_SAMPLE,
		.mask = QV2_SERVER_MASK,
		.payload_start = QV_SERVER_PAYLOAD,
		.payload_len = 99,
		.pn = 1,
		.scid_len = 8,
		.scid = "f067a5502a4262b5",
	};

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V2, QV_DCID, true, &k);
	check_appendix(&a, &k, NP_QUIC_V2);
	check_crypto_frames(c, &k, QV2_SERVER_PACKET, QV_SERVER_PAYLOAD, 5);
	np_quic_crypto_free(c);
}

/* RFC keys typed in, not derived: decryption alone against the RFC. */
Test(quic_rfc9001, decrypt_with_the_rfc_keys_as_printed)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct np_quic_keys k;

	cr_assert(c != NULL);
	keys_from_hex(NP_QUIC_V1, QV1_CLIENT_KEY, QV1_CLIENT_IV, QV1_CLIENT_HP, &k);
	check_crypto_frames(c, &k, QV1_CLIENT_PACKET, QV_CLIENT_CRYPTO, 0);
	keys_from_hex(NP_QUIC_V1, QV1_SERVER_KEY, QV1_SERVER_IV, QV1_SERVER_HP, &k);
	check_crypto_frames(c, &k, QV1_SERVER_PACKET, QV_SERVER_PAYLOAD, 5);
	keys_from_hex(NP_QUIC_V2, QV2_CLIENT_KEY, QV2_CLIENT_IV, QV2_CLIENT_HP, &k);
	check_crypto_frames(c, &k, QV2_CLIENT_PACKET, QV_CLIENT_CRYPTO, 0);
	keys_from_hex(NP_QUIC_V2, QV2_SERVER_KEY, QV2_SERVER_IV, QV2_SERVER_HP, &k);
	check_crypto_frames(c, &k, QV2_SERVER_PACKET, QV_SERVER_PAYLOAD, 5);
	np_quic_crypto_free(c);
}

/*
 * draft-29 A.2 prints no protected packet of its own version in full, but
 * its sample, mask and protected header: the test's sender, with the keys
 * np_quic_initial_keys gives, must produce them, and the packet must open.
 */
Test(quic_draft29, client_initial)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	uint8_t hdr[64], pt[1162] = { 0 }, *pkt, mask[16], sample[16];
	size_t hdr_len, n = 22 + 1162 + 16;
	struct np_quic_keys k;
	struct np_quic_long h;
	uint32_t out_len;
	uint64_t pn;

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_DRAFT29, QV_DCID, false, &k);
	hdr_len = unhex(QV29_CLIENT_HEADER, hdr, sizeof(hdr));
	cr_assert(eq(sz, unhex(QV29_CLIENT_CRYPTO, pt, sizeof(pt)), 245));
	pkt = malloc(n);
	cr_assert(pkt != NULL);
	protect(&k, hdr, hdr_len, 18, pt, sizeof(pt), pkt);
	expect_bytes(pkt, 22, QV29_CLIENT_PROTECTED_HEADER, "protected header");
	expect_bytes(pkt + 22, 16, QV29_CLIENT_SAMPLE, "sample");
	unhex(QV29_CLIENT_SAMPLE, sample, sizeof(sample));
	aes_ecb(k.hp, sample, mask);
	expect_bytes(mask, 5, QV29_CLIENT_MASK, "mask");

	cr_assert(eq(int, np_quic_parse_long(pkt, (uint32_t)n, &h), 0));
	cr_assert(eq(u32, h.version, NP_QUIC_DRAFT29));
	cr_assert(eq(u8, h.type, NP_QUIC_INITIAL));
	uint8_t *out = malloc(n);

	cr_assert(out != NULL);
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), 0));
	cr_assert(eq(u64, pn, 2));
	cr_assert(eq(u32, out_len, 1162));
	cr_assert(memcmp(out, pt, 1162) == 0);
	free(out);
	free(pkt);
	np_quic_crypto_free(c);
}

/* ------------------------------------------------------------------ */
/* Long headers                                                        */
/* ------------------------------------------------------------------ */

static int
parse_hex(const char *hex, struct np_quic_long *h)
{
	size_t n;
	uint8_t *p = hex_exact(hex, &n);
	int rc = np_quic_parse_long(p, (uint32_t)n, h);

	free(p);
	return rc;
}

Test(quic_header, versions)
{
	cr_assert(np_quic_version_known(NP_QUIC_V1));
	cr_assert(np_quic_version_known(NP_QUIC_V2));
	cr_assert(np_quic_version_known(NP_QUIC_DRAFT29));
	cr_assert(not(np_quic_version_known(0)));
	cr_assert(not(np_quic_version_known(2)));
	cr_assert(not(np_quic_version_known(0xff00001c)));	/* draft-28 */
	cr_assert(not(np_quic_version_known(0xff000020)));	/* draft-32 */
	cr_assert(not(np_quic_version_known(0x709a50c4)));	/* a v2 draft number */
	cr_assert(not(np_quic_version_known(0x1a2a3a4a)));	/* greased */
}

Test(quic_header, starts_long)
{
	static const uint8_t v1[] = { 0xc0, 0, 0, 0, 1, 0, 0 };
	static const uint8_t v2[] = { 0xd0, 0x6b, 0x33, 0x43, 0xcf, 0, 0 };
	static const uint8_t d29[] = { 0xcf, 0xff, 0, 0, 0x1d, 0, 0 };
	uint8_t *p;

	p = exact(v1, 7);
	cr_assert(np_quic_starts_long(p, 7));
	cr_assert(not(np_quic_starts_long(p, 6)));
	p[0] = 0x80;		/* fixed bit clear */
	cr_assert(not(np_quic_starts_long(p, 7)));
	p[0] = 0x40;		/* short header */
	cr_assert(not(np_quic_starts_long(p, 7)));
	p[0] = 0xc0;
	p[4] = 2;		/* unknown version */
	cr_assert(not(np_quic_starts_long(p, 7)));
	p[4] = 0;		/* version negotiation */
	cr_assert(not(np_quic_starts_long(p, 7)));
	free(p);
	p = exact(v2, 7);
	cr_assert(np_quic_starts_long(p, 7));
	free(p);
	p = exact(d29, 7);
	cr_assert(np_quic_starts_long(p, 7));
	free(p);
	cr_assert(not(np_quic_starts_long(NULL, 0)));
}

Test(quic_header, retry_and_version_negotiation_are_not_supported)
{
	struct np_quic_long h;

	/* RFC 9001 A.4 and RFC 9369 A.4 */
	cr_assert(eq(int,
		     parse_hex("ff000000010008f067a5502a4262b574 6f6b656e04a265ba2eff4d829058fb3f"
			       "0f2496ba", &h),
		     -ENOTSUP));
	cr_assert(eq(int,
		     parse_hex("cf6b3343cf0008f067a5502a4262b574 6f6b656ec8646ce8bfe33952d9555436"
			       "65dcc7b6", &h),
		     -ENOTSUP));
	/* draft-29 numbers Retry as v1 does */
	cr_assert(eq(int, parse_hex("f0ff00001d0000 0102030405060708090a0b0c0d0e0f10", &h),
		     -ENOTSUP));
	/* version negotiation: any first byte with the long form bit */
	cr_assert(eq(int, parse_hex("8000000000 08 0102030405060708 00 00000001 6b3343cf", &h),
		     -ENOTSUP));
	cr_assert(eq(int, parse_hex("ff00000000 00 00 00000001", &h), -ENOTSUP));
}

Test(quic_header, unknown_version_short_header_and_fixed_bit)
{
	struct np_quic_long h;
	struct np_quic_keys k = { 0 };
	struct spec s = plain_spec(NP_QUIC_V1);
	uint8_t pt[40] = { 1 }, buf[256], *p;
	size_t pn_off, n;

	n = build_packet(&s, &k, pt, sizeof(pt), buf, &pn_off);
	p = exact(buf, n);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	p[4] = 2;
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), -EINVAL));
	p[1] = 0xff;
	p[4] = 0x1c;		/* draft-28 */
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), -EINVAL));
	free(p);

	/* a short header, whatever follows */
	p = exact(buf, n);
	p[0] &= 0x7f;
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), -EINVAL));
	free(p);

	/* an Initial must set the fixed bit; Handshake and 0-RTT may grease it */
	s.fixed_clear = true;
	n = build_packet(&s, &k, pt, sizeof(pt), buf, &pn_off);
	p = exact(buf, n);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), -EINVAL));
	free(p);
	s.type = NP_QUIC_HANDSHAKE;
	n = build_packet(&s, &k, pt, sizeof(pt), buf, &pn_off);
	p = exact(buf, n);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	cr_assert(eq(u8, h.type, NP_QUIC_HANDSHAKE));
	cr_assert(eq(u32, h.pkt_len, (uint32_t)n));
	free(p);
}

/* Each version's numbering of the four types. */
Test(quic_header, type_numbers)
{
	static const uint32_t versions[] = { NP_QUIC_V1, NP_QUIC_V2, NP_QUIC_DRAFT29 };
	static const uint8_t first_v1[] = { 0xc0, 0xd0, 0xe0, 0xf0 };	/* I, 0-RTT, HS, Retry */
	static const uint8_t first_v2[] = { 0xd0, 0xe0, 0xf0, 0xc0 };
	static const enum np_quic_type types[] = { NP_QUIC_INITIAL, NP_QUIC_0RTT,
						   NP_QUIC_HANDSHAKE, NP_QUIC_RETRY };

	for (int v = 0; v < 3; v++)
		for (int t = 0; t < 4; t++) {
			uint8_t b[64] = { 0 }, *p;
			size_t n = 0;
			struct np_quic_long h;

			b[n++] = versions[v] == NP_QUIC_V2 ? first_v2[t] : first_v1[t];
			b[n++] = (uint8_t)(versions[v] >> 24);
			b[n++] = (uint8_t)(versions[v] >> 16);
			b[n++] = (uint8_t)(versions[v] >> 8);
			b[n++] = (uint8_t)versions[v];
			b[n++] = 0;	/* DCID */
			b[n++] = 0;	/* SCID */
			if (types[t] == NP_QUIC_INITIAL)
				b[n++] = 0;	/* token */
			b[n++] = 20;	/* length */
			n += 20;
			p = exact(b, n);
			int rc = np_quic_parse_long(p, (uint32_t)n, &h);

			if (types[t] == NP_QUIC_RETRY) {
				cr_assert(eq(int, rc, -ENOTSUP));
			} else {
				cr_assert(eq(int, rc, 0), "version %08x type %d", versions[v], t);
				cr_assert(eq(u8, h.type, types[t]));
				cr_assert(eq(u32, h.pkt_len, (uint32_t)n));
				cr_assert(eq(u32, h.pn_off, (uint32_t)(n - 20)));
			}
			free(p);
		}
}

/* ------------------------------------------------------------------ */
/* Coalesced packets                                                   */
/* ------------------------------------------------------------------ */

static void
coalesced(uint32_t version)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	static uint8_t dg[4096], pt[1500];
	size_t n = 0, pn_off, ends[4];
	struct np_quic_keys ki, kx;
	struct spec s = plain_spec(version);
	struct np_quic_long h;
	uint32_t out_len, off;
	uint64_t pn;
	uint8_t *p, *out;

	cr_assert(c != NULL);
	/* Initial: a CRYPTO frame then PADDING */
	memset(pt, 0, sizeof(pt));
	pt[0] = 0x06;
	pt[1] = 0;
	pt[2] = 10;
	memset(pt + 3, 0xab, 10);
	cr_assert(eq(int, np_quic_initial_keys(c, version, s.dcid, s.dcid_len, false, &ki), 0));
	s.token = (const uint8_t *)"a token";
	s.token_len = 7;
	n += build_packet(&s, &ki, pt, 1000, dg + n, &pn_off);
	ends[0] = n;
	/* Handshake, then 0-RTT, with keys nobody here knows */
	rnd_bytes(kx.key, 16);
	rnd_bytes(kx.iv, 12);
	rnd_bytes(kx.hp, 16);
	rnd_bytes(pt, 300);
	s.type = NP_QUIC_HANDSHAKE;
	s.pn_len = 1;
	s.len_size = 4;
	n += build_packet(&s, &kx, pt, 120, dg + n, &pn_off);
	ends[1] = n;
	s.type = NP_QUIC_0RTT;
	s.pn_len = 3;
	s.len_size = 8;
	n += build_packet(&s, &kx, pt, 250, dg + n, &pn_off);
	ends[2] = n;
	/* then a short header packet, which ends the walk */
	dg[n++] = 0x40 | 1;
	memcpy(dg + n, s.dcid, s.dcid_len);
	n += s.dcid_len;
	rnd_bytes(dg + n, 40);
	n += 40;
	ends[3] = n;

	p = exact(dg, n);
	out = malloc(n);
	cr_assert(out != NULL);
	off = 0;
	cr_assert(np_quic_starts_long(p, (uint32_t)n));
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	cr_assert(eq(u8, h.type, NP_QUIC_INITIAL));
	cr_assert(eq(u32, h.pkt_len, (uint32_t)ends[0]));
	cr_assert(eq(int, np_quic_decrypt(c, &ki, &h, out, &out_len, &pn), 0));
	cr_assert(eq(u32, out_len, 1000));
	cr_assert(eq(u64, pn, 7));
	cr_assert(out[0] == 0x06 && out[3] == 0xab);
	off += h.pkt_len;

	cr_assert(eq(int, np_quic_parse_long(p + off, (uint32_t)(n - off), &h), 0));
	cr_assert(eq(u8, h.type, NP_QUIC_HANDSHAKE));
	cr_assert(eq(u32, off + h.pkt_len, (uint32_t)ends[1]));
	cr_assert(eq(int, np_quic_decrypt(c, &ki, &h, out, &out_len, &pn), -EBADMSG));
	off += h.pkt_len;

	cr_assert(eq(int, np_quic_parse_long(p + off, (uint32_t)(n - off), &h), 0));
	cr_assert(eq(u8, h.type, NP_QUIC_0RTT));
	cr_assert(eq(u32, off + h.pkt_len, (uint32_t)ends[2]));
	cr_assert(h.dcid == p + off + 6);
	off += h.pkt_len;

	cr_assert(not(np_quic_starts_long(p + off, (uint32_t)(n - off))));
	cr_assert(eq(int, np_quic_parse_long(p + off, (uint32_t)(n - off), &h), -EINVAL));
	cr_assert(eq(u32, (uint32_t)n, (uint32_t)ends[3]));
	free(out);
	free(p);
	np_quic_crypto_free(c);
}

Test(quic_coalesced, initial_handshake_0rtt_v1)
{
	coalesced(NP_QUIC_V1);
}

Test(quic_coalesced, initial_handshake_0rtt_v2)
{
	coalesced(NP_QUIC_V2);
}

Test(quic_coalesced, initial_handshake_0rtt_draft29)
{
	coalesced(NP_QUIC_DRAFT29);
}

/* A datagram padded with zeros after its packets: the walk stops there. */
Test(quic_coalesced, trailing_zeros)
{
	size_t n;
	uint8_t *src = hex_exact(QV1_SERVER_PACKET, &n);
	uint8_t *p = calloc(1, n + 64);
	struct np_quic_long h;

	cr_assert(p != NULL);
	memcpy(p, src, n);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n + 64, &h), 0));
	cr_assert(eq(u32, h.pkt_len, (uint32_t)n));
	cr_assert(eq(int, np_quic_parse_long(p + n, 64, &h), -EINVAL));
	free(p);
	free(src);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */
/* ------------------------------------------------------------------ */

Test(quic_roundtrip, random_initials, .timeout = 240)
{
	static const uint32_t versions[] = { NP_QUIC_V1, NP_QUIC_V2, NP_QUIC_DRAFT29 };
	struct np_quic_crypto *c = np_quic_crypto_new();
	static uint8_t stream[2000], token[400], pkt[8192];
	static struct fbuf f;
	unsigned seen[3][2][4] = { { { 0 } } };

	cr_assert(c != NULL);
	for (int round = 0; round < 3000; round++) {
		struct spec s = { 0 };
		struct piece pieces[8];
		size_t np, pn_off, n, len = rnd() % 1500;
		bool server = rnd() % 2;
		uint8_t odcid[NP_QUIC_CID_MAX], odcid_len;
		struct np_quic_keys k;
		struct np_quic_long h;
		uint32_t out_len;
		uint64_t pn;
		int vi = (int)(rnd() % 3);

		s.version = versions[vi];
		s.type = NP_QUIC_INITIAL;
		s.dcid_len = (uint8_t)(rnd() % (NP_QUIC_CID_MAX + 1));
		rnd_bytes(s.dcid, s.dcid_len);
		s.scid_len = (uint8_t)(rnd() % (NP_QUIC_CID_MAX + 1));
		rnd_bytes(s.scid, s.scid_len);
		if (!server && rnd() % 3 == 0) {	/* a token from a Retry or NEW_TOKEN */
			s.token_len = rnd() % sizeof(token);
			rnd_bytes(token, s.token_len);
			s.token = token;
		}
		s.token_len_size = varint_any(s.token_len);
		s.pn_len = (uint8_t)(1 + round % 4);
		s.pn = rnd() & (uint32_t)((UINT64_C(1) << (8 * s.pn_len)) - 1);
		s.len_size = rnd() % 2 ? 0 : 8;
		/* a client's keys come from its DCID, a server's from the client's */
		if (server) {
			odcid_len = (uint8_t)(8 + rnd() % 13);
			rnd_bytes(odcid, odcid_len);
		} else {
			odcid_len = s.dcid_len;
			memcpy(odcid, s.dcid, odcid_len);
		}
		cr_assert(eq(int, np_quic_initial_keys(c, s.version, odcid, odcid_len, server, &k),
			     0));

		rnd_bytes(stream, len);
		random_frames(&f, stream, len, pieces, &np);
		if (f.n < 4)	/* room for the sample with a 1-byte pn */
			fb_padding(&f, 4);
		n = build_packet(&s, &k, f.b, f.n, pkt, &pn_off);

		uint8_t *p = exact(pkt, n), *out = malloc(n);

		cr_assert(out != NULL);
		cr_assert(np_quic_starts_long(p, (uint32_t)n));
		cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0), "round %d", round);
		cr_assert(eq(u32, h.version, s.version));
		cr_assert(eq(u8, h.type, NP_QUIC_INITIAL));
		cr_assert(eq(u8, h.dcid_len, s.dcid_len));
		cr_assert(eq(u8, h.scid_len, s.scid_len));
		cr_assert(h.dcid == p + 6 && memcmp(h.dcid, s.dcid, s.dcid_len) == 0);
		cr_assert(memcmp(h.scid, s.scid, s.scid_len) == 0);
		cr_assert(eq(u32, h.pn_off, (uint32_t)pn_off));
		cr_assert(eq(u32, h.pkt_len, (uint32_t)n));
		for (int twice = 0; twice < 2; twice++) {
			cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), 0),
				  "round %d", round);
			cr_assert(eq(u64, pn, s.pn));
			cr_assert(eq(u32, out_len, (uint32_t)f.n));
			cr_assert(memcmp(out, f.b, f.n) == 0);
		}
		cr_assert(memcmp(p, pkt, n) == 0, "the packet was written to");
		expect_pieces(out, out_len, stream, pieces, np);
		seen[vi][server][s.pn_len - 1]++;
		free(out);
		free(p);
	}
	for (int v = 0; v < 3; v++)
		for (int sv = 0; sv < 2; sv++)
			for (int l = 0; l < 4; l++)
				cr_assert(seen[v][sv][l] > 0, "no round for %d/%d/%d", v, sv, l);
	np_quic_crypto_free(c);
}

/* Reassembling the pieces gives the stream back, whatever their order. */
Test(quic_roundtrip, crypto_pieces_reassemble)
{
	static uint8_t stream[1500], rebuilt[1500];
	static struct fbuf f;

	for (int round = 0; round < 500; round++) {
		struct piece pieces[8];
		size_t np, len = 1 + rnd() % sizeof(stream), covered = 0;
		uint32_t pos = 0, dlen;
		const uint8_t *data;
		uint64_t off;
		int rc;

		rnd_bytes(stream, len);
		memset(rebuilt, 0, len);
		random_frames(&f, stream, len, pieces, &np);
		uint8_t *p = exact(f.b, f.n);

		while ((rc = np_quic_next_crypto(p, (uint32_t)f.n, &pos, &off, &data, &dlen)) == 1) {
			cr_assert(off + dlen <= len);
			memcpy(rebuilt + off, data, dlen);
			covered += dlen;
		}
		cr_assert(eq(int, rc, 0));
		cr_assert(eq(sz, covered, len));
		cr_assert(memcmp(rebuilt, stream, len) == 0);
		free(p);
	}
}

/* ------------------------------------------------------------------ */
/* Damage                                                              */
/* ------------------------------------------------------------------ */

/* Every proper prefix of a packet fails to parse, and reads nothing past it. */
static void
prefixes_fail(const uint8_t *b, size_t n)
{
	struct np_quic_long h;

	for (size_t i = 0; i < n; i++) {
		uint8_t *p = exact(b, i);

		cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)i, &h), -EINVAL),
			  "prefix of %zu bytes of %zu", i, n);
		free(p);
	}
}

Test(quic_damage, every_prefix)
{
	static const char *const packets[] = { QV1_CLIENT_PACKET, QV1_SERVER_PACKET,
					       QV2_CLIENT_PACKET, QV2_SERVER_PACKET };
	struct np_quic_keys k = { 0 };
	static uint8_t token[300], pt[100], buf[1024];
	struct spec s = plain_spec(NP_QUIC_DRAFT29);
	size_t n, pn_off;

	for (size_t i = 0; i < sizeof(packets) / sizeof(packets[0]); i++) {
		uint8_t *p = hex_exact(packets[i], &n);

		prefixes_fail(p, n);
		free(p);
	}
	/* long token, long CIDs, 8-byte varints */
	rnd_bytes(token, sizeof(token));
	s.token = token;
	s.token_len = sizeof(token);
	s.token_len_size = 8;
	s.len_size = 8;
	s.dcid_len = s.scid_len = 20;
	n = build_packet(&s, &k, pt, sizeof(pt), buf, &pn_off);
	prefixes_fail(buf, n);
}

/* Build with spec s and frames pt, then let edit() change the bytes. */
static int
parse_edited(struct spec *s, size_t pt_len, void (*edit)(uint8_t *, size_t *, size_t),
	     struct np_quic_long *h)
{
	static uint8_t buf[2048], pt[1200];
	struct np_quic_keys k = { 0 };
	size_t pn_off, n = build_packet(s, &k, pt, pt_len, buf, &pn_off);

	if (edit)
		edit(buf, &n, pn_off);
	uint8_t *p = exact(buf, n);
	int rc = np_quic_parse_long(p, (uint32_t)n, h);

	free(p);
	return rc;
}

static void
edit_dcid_21(uint8_t *b, size_t *n, size_t pn_off)
{
	(void)pn_off;
	/* DCID 20 -> claims 21, one more byte there to read */
	memmove(b + 27, b + 26, *n - 26);
	b[26] = 0xee;
	b[5] = 21;
	(*n)++;
}

static void
edit_scid_21(uint8_t *b, size_t *n, size_t pn_off)
{
	(void)pn_off;
	/* DCID 8 at 6..14, SCID length at 14, SCID 20 at 15..35 */
	memmove(b + 36, b + 35, *n - 35);
	b[35] = 0xee;
	b[14] = 21;
	(*n)++;
}

static void
cut_after_dcid_len(uint8_t *b, size_t *n, size_t pn_off)
{
	(void)b;
	(void)pn_off;
	*n = 6 + 10;		/* 20-byte DCID announced, 10 there */
}

static void
edit_token_len_past_end(uint8_t *b, size_t *n, size_t pn_off)
{
	(void)pn_off;
	/* DCID 8, SCID 5: token length (1 byte, 0) at 20 */
	b[20] = 0x7f;		/* 16383 bytes of token, 100 there */
	b[21] = 0xff;
	*n = 22 + 100;
}

static void
edit_token_len_8_bytes_at_end(uint8_t *b, size_t *n, size_t pn_off)
{
	(void)pn_off;
	b[20] = 0xc0;		/* an 8-byte varint, cut */
	*n = 24;
}

static void
edit_length_plus_one(uint8_t *b, size_t *n, size_t pn_off)
{
	/* Length on 2 bytes just before the pn: one more than there is */
	uint16_t v = (uint16_t)(((b[pn_off - 2] & 0x3f) << 8 | b[pn_off - 1]) + 1);

	b[pn_off - 2] = (uint8_t)(0x40 | v >> 8);
	b[pn_off - 1] = (uint8_t)v;
	(void)n;
}

static void
edit_length_huge_8(uint8_t *b, size_t *n, size_t pn_off)
{
	/* Length on 8 bytes: 2^62 - 1 */
	memset(b + pn_off - 8, 0xff, 8);
	(void)n;
}

static void
edit_length_huge_4(uint8_t *b, size_t *n, size_t pn_off)
{
	/* 8-byte Length field holding 2^32 + the real length: must not wrap */
	b[pn_off - 5] = 1;
	(void)n;
}

static void
edit_length_zero(uint8_t *b, size_t *n, size_t pn_off)
{
	b[pn_off - 2] = 0x40;
	b[pn_off - 1] = 0;
	(void)n;
}

static void
edit_length_19(uint8_t *b, size_t *n, size_t pn_off)
{
	b[pn_off - 2] = 0x40;
	b[pn_off - 1] = 19;
	*n = pn_off + 19;
}

static void
edit_length_20(uint8_t *b, size_t *n, size_t pn_off)
{
	b[pn_off - 2] = 0x40;
	b[pn_off - 1] = 20;
	*n = pn_off + 20;
}

Test(quic_damage, bumped_length_fields)
{
	struct np_quic_long h;
	struct spec s = plain_spec(NP_QUIC_V1);

	s.len_size = 2;
	cr_assert(eq(int, parse_edited(&s, 100, NULL, &h), 0));

	struct spec d = s;

	d.dcid_len = 20;
	cr_assert(eq(int, parse_edited(&d, 100, NULL, &h), 0));
	cr_assert(eq(int, parse_edited(&d, 100, edit_dcid_21, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&d, 100, cut_after_dcid_len, &h), -EINVAL));

	struct spec sc = s;

	sc.scid_len = 20;
	cr_assert(eq(int, parse_edited(&sc, 100, NULL, &h), 0));
	cr_assert(eq(int, parse_edited(&sc, 100, edit_scid_21, &h), -EINVAL));

	cr_assert(eq(int, parse_edited(&s, 100, edit_token_len_past_end, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&s, 100, edit_token_len_8_bytes_at_end, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&s, 100, edit_length_plus_one, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&s, 100, edit_length_zero, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&s, 100, edit_length_19, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&s, 100, edit_length_20, &h), 0));
	cr_assert(eq(u32, h.pkt_len, h.pn_off + 20));

	struct spec e = s;

	e.len_size = 8;
	cr_assert(eq(int, parse_edited(&e, 100, NULL, &h), 0));
	cr_assert(eq(int, parse_edited(&e, 100, edit_length_huge_8, &h), -EINVAL));
	cr_assert(eq(int, parse_edited(&e, 100, edit_length_huge_4, &h), -EINVAL));

	/* 8-byte varints holding small values are fine (only frame types
	 * must be minimal) */
	struct spec t = s;

	t.token = (const uint8_t *)"tok";
	t.token_len = 3;
	t.token_len_size = 8;
	t.len_size = 8;
	cr_assert(eq(int, parse_edited(&t, 100, NULL, &h), 0));
	cr_assert(eq(u32, h.pn_off, 6 + 8 + 1 + 5 + 8 + 3 + 8));
}

/* A packet whose length leaves fewer than 20 bytes from the pn: no sample. */
Test(quic_damage, decrypt_refuses_what_cannot_be_sampled)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	size_t n;
	uint8_t *p = hex_exact(QV1_SERVER_PACKET, &n), out[200];
	struct np_quic_long h;
	struct np_quic_keys k;
	uint32_t out_len = 99;
	uint64_t pn = 99;

	cr_assert(c != NULL);
	keys_of(c, NP_QUIC_V1, QV_DCID, true, &k);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	struct np_quic_long bad = h;

	bad.pkt_len = bad.pn_off + 19;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &bad, out, &out_len, &pn), -EINVAL));
	cr_assert(eq(u32, out_len, 0));
	bad.pkt_len = bad.pn_off - 1;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &bad, out, &out_len, &pn), -EINVAL));
	bad = h;
	bad.pkt = NULL;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &bad, out, &out_len, &pn), -EINVAL));
	/* still fine afterwards */
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), 0));
	cr_assert(eq(u64, pn, 1));
	free(p);
	np_quic_crypto_free(c);
}

/* Any bit flipped anywhere in the packet: authentication fails. */
static void
flips_fail(const char *hex, uint32_t version, bool server)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	size_t n;
	uint8_t *orig = hex_exact(hex, &n);
	uint8_t *out = malloc(n);
	struct np_quic_long h, hc;
	struct np_quic_keys k;
	uint32_t out_len;
	uint64_t pn;

	cr_assert(c != NULL && out != NULL);
	keys_of(c, version, QV_DCID, server, &k);
	cr_assert(eq(int, np_quic_parse_long(orig, (uint32_t)n, &h), 0));
	for (size_t i = 0; i < n; i++) {
		/* every bit of the header, the first 32 and the last 32 bytes, one bit elsewhere */
		bool all = i < h.pn_off + 36 || i >= n - 32;

		for (int bit = 0; bit < 8; bit++) {
			if (!all && bit != (int)(i % 8))
				continue;
			uint8_t *p = exact(orig, n);

			p[i] ^= (uint8_t)(1u << bit);
			hc = h;
			hc.pkt = p;
			cr_assert(eq(int, np_quic_decrypt(c, &k, &hc, out, &out_len, &pn), -EBADMSG),
				  "byte %zu bit %d", i, bit);
			free(p);
		}
	}
	/* the keys left in the contexts by all those failures still work */
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), 0));
	free(out);
	free(orig);
	np_quic_crypto_free(c);
}

Test(quic_damage, flipped_bits_v1_client, .timeout = 120)
{
	flips_fail(QV1_CLIENT_PACKET, NP_QUIC_V1, false);
}

Test(quic_damage, flipped_bits_v1_server)
{
	flips_fail(QV1_SERVER_PACKET, NP_QUIC_V1, true);
}

Test(quic_damage, flipped_bits_v2_client, .timeout = 120)
{
	flips_fail(QV2_CLIENT_PACKET, NP_QUIC_V2, false);
}

Test(quic_damage, flipped_bits_v2_server)
{
	flips_fail(QV2_SERVER_PACKET, NP_QUIC_V2, true);
}

Test(quic_damage, wrong_keys)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	size_t n;
	uint8_t *p = hex_exact(QV1_CLIENT_PACKET, &n), *out = malloc(n);
	struct np_quic_long h;
	struct np_quic_keys k;
	uint32_t out_len;
	uint64_t pn;

	cr_assert(c != NULL && out != NULL);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	keys_of(c, NP_QUIC_V1, QV_DCID, true, &k);		/* the server's */
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	cr_assert(eq(u32, out_len, 0));
	keys_of(c, NP_QUIC_V2, QV_DCID, false, &k);		/* another version's */
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	keys_of(c, NP_QUIC_DRAFT29, QV_DCID, false, &k);
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	keys_of(c, NP_QUIC_V1, "8394c8f03e515709", false, &k);	/* another DCID */
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	for (int i = 0; i < 200; i++) {
		rnd_bytes(k.key, 16);
		rnd_bytes(k.iv, 12);
		rnd_bytes(k.hp, 16);
		cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	}
	/* the right keys with one wrong part */
	keys_of(c, NP_QUIC_V1, QV_DCID, false, &k);
	k.iv[11] ^= 1;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	k.iv[11] ^= 1;
	k.hp[0] ^= 1;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	k.hp[0] ^= 1;
	k.key[15] ^= 0x80;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EBADMSG));
	k.key[15] ^= 0x80;
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), 0));
	free(out);
	free(p);
	np_quic_crypto_free(c);
}

/* Authentic packets that break rules inside: reserved bits, no frames. */
Test(quic_damage, authentic_but_invalid)
{
	struct np_quic_crypto *c = np_quic_crypto_new();
	struct spec s = plain_spec(NP_QUIC_V1);
	uint8_t pt[64] = { 0x01 }, buf[256], out[256];
	struct np_quic_keys k;
	struct np_quic_long h;
	uint32_t out_len;
	uint64_t pn;
	size_t n, pn_off;

	cr_assert(c != NULL);
	cr_assert(eq(int, np_quic_initial_keys(c, NP_QUIC_V1, s.dcid, s.dcid_len, false, &k), 0));
	for (uint8_t r = 0; r < 4; r++) {
		s.reserved = (uint8_t)(r << 2);
		n = build_packet(&s, &k, pt, sizeof(pt), buf, &pn_off);
		uint8_t *p = exact(buf, n);

		cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
		cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), r ? -EINVAL : 0));
		free(p);
	}
	/* a 4-byte packet number and nothing but the tag after it */
	s.reserved = 0;
	s.pn_len = 4;
	n = build_packet(&s, &k, pt, 0, buf, &pn_off);
	uint8_t *p = exact(buf, n);

	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), -EINVAL));
	free(p);
	/* and with one frame byte, fine */
	n = build_packet(&s, &k, pt, 1, buf, &pn_off);
	p = exact(buf, n);
	cr_assert(eq(int, np_quic_parse_long(p, (uint32_t)n, &h), 0));
	cr_assert(eq(int, np_quic_decrypt(c, &k, &h, out, &out_len, &pn), 0));
	cr_assert(eq(u32, out_len, 1));
	free(p);
	np_quic_crypto_free(c);
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

static int
walk_hex(const char *hex, unsigned *crypto_frames)
{
	size_t n;
	uint8_t *p = hex_exact(hex, &n);
	uint32_t pos = 0, dlen;
	const uint8_t *data;
	uint64_t off;
	int rc;

	*crypto_frames = 0;
	while ((rc = np_quic_next_crypto(p, (uint32_t)n, &pos, &off, &data, &dlen)) == 1) {
		cr_assert(data >= p && data + dlen <= p + n);
		(*crypto_frames)++;
	}
	free(p);
	return rc;
}

Test(quic_frames, allowed_frames)
{
	unsigned nc;

	cr_assert(eq(int, walk_hex("", &nc), 0));
	cr_assert(eq(int, walk_hex("00", &nc), 0));
	cr_assert(eq(int, walk_hex("0000000001000000", &nc), 0));
	cr_assert(eq(int, walk_hex("01 01 01", &nc), 0));
	/* ACK: largest 5, delay 0, 1 range: first 2, gap 0, length 1 */
	cr_assert(eq(int, walk_hex("02 05 00 01 02 00 01", &nc), 0));
	/* ACK_ECN with 2- and 8-byte varints */
	cr_assert(eq(int, walk_hex("03 4005 00 00 00 01 c000000000000002 03", &nc), 0));
	/* CONNECTION_CLOSE: code 0x0a, frame type 0x06, reason "bad" */
	cr_assert(eq(int, walk_hex("1c 0a 06 03 626164", &nc), 0));
	cr_assert(eq(int, walk_hex("1c 0a 06 00", &nc), 0));
	/* CRYPTO, empty and not, offset and length on 8 bytes */
	cr_assert(eq(int, walk_hex("06 00 00 06 c000000000000010 c000000000000002 aabb", &nc), 0));
	cr_assert(eq(u32, nc, 2));
	/* largest offset + length allowed: 2^62 - 1 */
	cr_assert(eq(int, walk_hex("06 fffffffffffffffe 01 aa", &nc), 0));
	cr_assert(eq(u32, nc, 1));
}

Test(quic_frames, malformed_frames)
{
	unsigned nc;

	/* types not allowed in an Initial (STREAM, NEW_TOKEN, application
	 * CONNECTION_CLOSE, HANDSHAKE_DONE, ...) and a non-minimal CRYPTO */
	for (unsigned t = 0x04; t < 0x40; t++) {
		char hex[32];

		if (t == 0x06 || t == 0x1c)
			continue;
		snprintf(hex, sizeof(hex), "%02x 00 00 00 00 00", t);
		cr_assert(eq(int, walk_hex(hex, &nc), -EINVAL), "type %02x", t);
	}
	cr_assert(eq(int, walk_hex("4006 00 01 aa", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("4001", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("80000006 00 01 aa", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("ff", &nc), -EINVAL));
	/* a good frame, then a bad one: the good one comes out first */
	cr_assert(eq(int, walk_hex("06 00 01 aa 08 00", &nc), -EINVAL));
	cr_assert(eq(u32, nc, 1));

	/* varints running past the end */
	cr_assert(eq(int, walk_hex("06", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 40", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 00", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 00 c0000000", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("02 05 00 00", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("02 05 00 01 02 00", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("03 05 00 00 00 01 02", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("1c 0a 06", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("1c 0a", &nc), -EINVAL));
	/* lengths past the payload */
	cr_assert(eq(int, walk_hex("06 00 02 aa", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 00 7fff aa", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 00 ffffffffffffffff aa", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("1c 0a 06 04 626164", &nc), -EINVAL));
	/* an ACK announcing 2^62 - 1 ranges: fails at the end of the bytes */
	cr_assert(eq(int, walk_hex("02 05 00 ffffffffffffffff 00 00 00 00 00", &nc), -EINVAL));
	/* offset + length past 2^62 - 1 */
	cr_assert(eq(int, walk_hex("06 ffffffffffffffff 01 aa", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 fffffffffffffffe 02 aabb", &nc), -EINVAL));
	cr_assert(eq(int, walk_hex("06 ffffffffffffffff 00", &nc), 0));
}

Test(quic_frames, position_past_the_end)
{
	static const uint8_t b[] = { 0x01 };
	uint8_t *p = exact(b, 1);
	uint32_t pos = 2, dlen;
	const uint8_t *data;
	uint64_t off;

	cr_assert(eq(int, np_quic_next_crypto(p, 1, &pos, &off, &data, &dlen), -EINVAL));
	pos = 1;
	cr_assert(eq(int, np_quic_next_crypto(p, 1, &pos, &off, &data, &dlen), 0));
	free(p);
}

/*
 * Every prefix of random frame sequences: cut at a frame boundary (or
 * inside PADDING) the walk ends cleanly with the frames before the cut;
 * cut inside any other frame it fails.
 */
Test(quic_frames, every_prefix_of_random_frames)
{
	static uint8_t stream[600];
	static struct fbuf f;

	for (int round = 0; round < 60; round++) {
		struct piece pieces[8];
		size_t np, len = rnd() % sizeof(stream);

		rnd_bytes(stream, len);
		random_frames(&f, stream, len, pieces, &np);
		for (size_t cut = 0; cut <= f.n; cut++) {
			uint8_t *p = exact(f.b, cut);
			uint32_t pos = 0, dlen;
			const uint8_t *data;
			uint64_t off;
			int rc;

			while ((rc = np_quic_next_crypto(p, (uint32_t)cut, &pos, &off, &data,
							 &dlen)) == 1)
				cr_assert(data + dlen <= p + cut);
			cr_assert(eq(int, rc, f.boundary[cut] ? 0 : -EINVAL), "round %d cut %zu of %zu",
				  round, cut, f.n);
			free(p);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Junk                                                                */
/* ------------------------------------------------------------------ */

Test(quic_fuzz, junk_and_mutations_never_crash, .timeout = 240)
{
	static const uint32_t versions[] = { NP_QUIC_V1, NP_QUIC_V2, NP_QUIC_DRAFT29, 0,
					     0xff00001c };
	static const struct {
		const char *hex, *keys_dcid;
		uint32_t version;
		bool server;
	} seeds[] = {
		{ QV1_CLIENT_PACKET, QV_DCID, NP_QUIC_V1, false },
		{ QV1_SERVER_PACKET, QV_DCID, NP_QUIC_V1, true },
		{ QV2_CLIENT_PACKET, QV_DCID, NP_QUIC_V2, false },
		{ QV2_SERVER_PACKET, QV_DCID, NP_QUIC_V2, true },
	};
	struct np_quic_crypto *c = np_quic_crypto_new();
	uint8_t *seed[4];
	size_t seed_len[4];
	struct np_quic_keys keys[4];
	static uint8_t buf[1500], out[1500];
	unsigned parsed = 0;

	cr_assert(c != NULL);
	for (int i = 0; i < 4; i++) {
		seed[i] = hex_exact(seeds[i].hex, &seed_len[i]);
		keys_of(c, seeds[i].version, seeds[i].keys_dcid, seeds[i].server, &keys[i]);
	}
	for (int round = 0; round < 40000; round++) {
		int si = (int)(rnd() % 4);
		size_t n;

		if (round % 2) {	/* an RFC packet with bytes changed, sometimes cut */
			n = rnd() % 4 ? seed_len[si] : 1 + rnd() % seed_len[si];
			memcpy(buf, seed[si], n);
			for (unsigned m = 1 + rnd() % 3; m; m--) {
				size_t at = rnd() % (n < 64 ? n : 64);

				buf[at] = (uint8_t)rnd();
			}
		} else {		/* random bytes behind a plausible start */
			n = rnd() % 300;
			rnd_bytes(buf, n);
			if (n >= 5) {
				uint32_t v = versions[rnd() % 5];

				buf[0] |= 0xc0;
				buf[1] = (uint8_t)(v >> 24);
				buf[2] = (uint8_t)(v >> 16);
				buf[3] = (uint8_t)(v >> 8);
				buf[4] = (uint8_t)v;
			}
			if (n >= 7 && rnd() % 2) {
				buf[5] = (uint8_t)(rnd() % 24);
				if (n > 7u + buf[5])
					buf[6 + buf[5]] = (uint8_t)(rnd() % 24);
			}
		}
		uint8_t *p = exact(buf, n);
		struct np_quic_long h;
		uint32_t out_len, pos = 0, dlen;
		const uint8_t *data;
		uint64_t pn, off;

		(void)np_quic_starts_long(p, (uint32_t)n);
		if (np_quic_parse_long(p, (uint32_t)n, &h) == 0) {
			parsed++;
			cr_assert(h.pkt_len <= n && h.pn_off + 20 <= h.pkt_len);
			cr_assert(h.dcid + h.dcid_len <= p + n && h.scid + h.scid_len <= p + n);
			int rc = np_quic_decrypt(c, &keys[si], &h, out, &out_len, &pn);
			bool same = n == seed_len[si] && memcmp(p, seed[si], n) == 0;

			cr_assert(rc == (same ? 0 : -EBADMSG), "round %d: %d", round, rc);
		}
		while (np_quic_next_crypto(p, (uint32_t)n, &pos, &off, &data, &dlen) == 1)
			cr_assert(data + dlen <= p + n && pos <= n);
		free(p);
	}
	cr_assert(parsed > 4000, "only %u parsed", parsed);
	for (int i = 0; i < 4; i++)
		free(seed[i]);
	np_quic_crypto_free(c);
}

/* ------------------------------------------------------------------ */
/* Allocations                                                         */
/* ------------------------------------------------------------------ */

Test(quic_alloc, keys_and_opening_packets_allocate_nothing)
{
	struct np_quic_crypto *c;
	size_t n1, n2;
	uint8_t *p1 = hex_exact(QV1_CLIENT_PACKET, &n1), *p2 = hex_exact(QV2_SERVER_PACKET, &n2);
	uint8_t *out = malloc(n1);
	struct np_quic_long h1, h2;
	struct np_quic_keys k1, k2;
	uint32_t out_len;
	uint64_t pn;

	cr_assert(g_counting, "CRYPTO_set_mem_functions came too late");
	c = np_quic_crypto_new();
	cr_assert(c != NULL && out != NULL);
	keys_of(c, NP_QUIC_V1, QV_DCID, false, &k1);
	keys_of(c, NP_QUIC_V2, QV_DCID, true, &k2);
	cr_assert(eq(int, np_quic_parse_long(p1, (uint32_t)n1, &h1), 0));
	cr_assert(eq(int, np_quic_parse_long(p2, (uint32_t)n2, &h2), 0));
	/* once each first: libcrypto may set things up lazily */
	cr_assert(eq(int, np_quic_decrypt(c, &k1, &h1, out, &out_len, &pn), 0));
	cr_assert(eq(int, np_quic_decrypt(c, &k2, &h2, out, &out_len, &pn), 0));

	unsigned long before = __atomic_load_n(&g_crypto_allocs, __ATOMIC_RELAXED);

	for (int i = 0; i < 100; i++) {
		struct np_quic_keys k;
		uint8_t dcid[8] = { 1, 2, 3, 4, 5, 6, 7, (uint8_t)i };

		/* a new connection's keys: HKDF on the stack, nothing allocated */
		cr_assert(eq(int, np_quic_initial_keys(c, i & 1 ? NP_QUIC_V2 : NP_QUIC_V1, dcid,
						       sizeof(dcid), i & 2, &k), 0));
		/* alternating keys: every packet re-keys both contexts */
		cr_assert(eq(int, np_quic_decrypt(c, &k1, &h1, out, &out_len, &pn), 0));
		cr_assert(eq(int, np_quic_decrypt(c, &k2, &h2, out, &out_len, &pn), 0));
		cr_assert(eq(int, np_quic_decrypt(c, &k2, &h1, out, &out_len, &pn), -EBADMSG));
	}
	cr_assert(eq(ulong, __atomic_load_n(&g_crypto_allocs, __ATOMIC_RELAXED) - before, 0));
	free(out);
	free(p2);
	free(p1);
	np_quic_crypto_free(c);
}
