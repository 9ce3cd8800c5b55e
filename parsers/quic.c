/* SPDX-License-Identifier: MIT */
/*
 * QUIC Initial packets: long headers of v1 (RFC 9000), v2 (RFC 9369) and
 * draft-29 read in place, the Initial keys derived from the client's first
 * Destination Connection ID (HKDF-SHA256 on libcrypto's SHA-256, RFC 9001
 * section 5.2), header protection removed with
 * AES-128-ECB and the payload opened with AES-128-GCM, then the frames an
 * Initial may carry walked to its CRYPTO frames. The caller's packet is
 * never written to: the unprotected header only exists as associated data
 * handed to GCM piece by piece, so no copy of it, whatever the token length.
 * Every libcrypto object is made once in np_quic_crypto_new and re-keyed per
 * use; opening a packet allocates nothing.
 */
/*
 * HMAC-SHA256 is built here on libcrypto's SHA256 context (deprecated in
 * 3.0, not removed; matcher/tls_fp.c does the same): EVP_MAC allocates on
 * every keying, and a worker meeting a new QUIC connection must not.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "quic.h"

#define NP_QUIC_SAMPLE 16
#define NP_QUIC_TAG 16
#define NP_QUIC_PN_MAX 4
#define NP_QUIC_SECRET 32		/* SHA-256 */
#define NP_QUIC_VARINT_MAX ((UINT64_C(1) << 62) - 1)

/*
 * What differs between versions: the salt, the labels of the packet
 * protection keys and how the two type bits are numbered. wire_type maps
 * the bits to enum np_quic_type.
 */
struct np_quic_version {
	uint32_t version;
	uint8_t salt[20];
	const char *key_label, *iv_label, *hp_label;
	uint8_t wire_type[4];
};

static const struct np_quic_version np_quic_versions[] = {
	{
		NP_QUIC_V1,
		{ 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
		  0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a },
		"quic key", "quic iv", "quic hp",
		{ NP_QUIC_INITIAL, NP_QUIC_0RTT, NP_QUIC_HANDSHAKE, NP_QUIC_RETRY },
	},
	{
		NP_QUIC_V2,
		{ 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
		  0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 },
		"quicv2 key", "quicv2 iv", "quicv2 hp",
		{ NP_QUIC_RETRY, NP_QUIC_INITIAL, NP_QUIC_0RTT, NP_QUIC_HANDSHAKE },
	},
	{
		NP_QUIC_DRAFT29,
		{ 0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
		  0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99 },
		"quic key", "quic iv", "quic hp",
		{ NP_QUIC_INITIAL, NP_QUIC_0RTT, NP_QUIC_HANDSHAKE, NP_QUIC_RETRY },
	},
};

static const struct np_quic_version *
find_version(uint32_t version)
{
	for (size_t i = 0; i < sizeof(np_quic_versions) / sizeof(np_quic_versions[0]); i++)
		if (np_quic_versions[i].version == version)
			return &np_quic_versions[i];
	return NULL;
}

bool
np_quic_version_known(uint32_t version)
{
	return find_version(version) != NULL;
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * A variable-length integer (RFC 9000 section 16) at p[*off], the bytes
 * ending at p[end]. Returns false, *off unchanged, when it runs past end.
 */
static bool
rd_varint(const uint8_t *p, uint32_t end, uint32_t *off, uint64_t *v)
{
	uint32_t o = *off;

	if (o >= end)
		return false;
	uint32_t n = 1u << (p[o] >> 6);
	if (n > end - o)
		return false;
	uint64_t x = p[o] & 0x3f;
	for (uint32_t i = 1; i < n; i++)
		x = x << 8 | p[o + i];
	*v = x;
	*off = o + n;
	return true;
}

bool
np_quic_starts_long(const uint8_t *p, uint32_t len)
{
	return len >= 7 && (p[0] & 0xc0) == 0xc0 && np_quic_version_known(rd32(p + 1));
}

int
np_quic_parse_long(const uint8_t *p, uint32_t len, struct np_quic_long *h)
{
	uint32_t off;
	uint64_t v;

	/* first byte, version, DCID length, SCID length */
	if (len < 7 || !(p[0] & 0x80))
		return -EINVAL;
	h->version = rd32(p + 1);
	if (h->version == 0)		/* version negotiation: no packet number */
		return -ENOTSUP;
	const struct np_quic_version *ver = find_version(h->version);
	if (!ver)
		return -EINVAL;
	h->type = ver->wire_type[(p[0] >> 4) & 3];
	if (h->type == NP_QUIC_RETRY)
		return -ENOTSUP;
	/*
	 * RFC 9287 lets the fixed bit be cleared only towards a peer known to
	 * accept it: for an Initial, a server remembered from an earlier
	 * connection along with a NEW_TOKEN token. Requiring it in Initials
	 * keeps non-QUIC UDP out at the cost of those rare greased ones; other
	 * packets are only walked past, so a cleared bit is let through there.
	 */
	if (h->type == NP_QUIC_INITIAL && !(p[0] & 0x40))
		return -EINVAL;

	h->pkt = p;
	h->dcid_len = p[5];
	if (h->dcid_len > NP_QUIC_CID_MAX || 6u + h->dcid_len + 1 > len)
		return -EINVAL;
	h->dcid = p + 6;
	off = 6u + h->dcid_len;
	h->scid_len = p[off++];
	if (h->scid_len > NP_QUIC_CID_MAX || h->scid_len > len - off)
		return -EINVAL;
	h->scid = p + off;
	off += h->scid_len;

	if (h->type == NP_QUIC_INITIAL) {
		if (!rd_varint(p, len, &off, &v) || v > len - off)
			return -EINVAL;
		off += (uint32_t)v;
	}
	if (!rd_varint(p, len, &off, &v) || v > len - off)
		return -EINVAL;
	/*
	 * RFC 9001 section 5.4.2: packet number and payload together are at
	 * least 4 bytes longer than the 16-byte sample, or the packet cannot
	 * have been protected.
	 */
	if (v < NP_QUIC_PN_MAX + NP_QUIC_SAMPLE)
		return -EINVAL;
	h->pn_off = off;
	h->pkt_len = off + (uint32_t)v;
	return 0;
}

#define NP_QUIC_NVERSIONS (sizeof(np_quic_versions) / sizeof(np_quic_versions[0]))

/*
 * An HMAC-SHA256 key (RFC 2104) as the two SHA-256 states after its padded
 * blocks: each MAC under it then costs the message's blocks and one more.
 */
struct hmac_key {
	SHA256_CTX inner, outer;
};

static void
hmac_key(struct hmac_key *hk, const uint8_t *key, size_t len)
{
	uint8_t k[SHA256_CBLOCK] = { 0 }, pad[SHA256_CBLOCK];

	if (len > sizeof(k))
		SHA256(key, len, k);
	else if (len)
		memcpy(k, key, len);
	for (size_t i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x36;
	SHA256_Init(&hk->inner);
	SHA256_Update(&hk->inner, pad, sizeof(pad));
	for (size_t i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x5c;
	SHA256_Init(&hk->outer);
	SHA256_Update(&hk->outer, pad, sizeof(pad));
}

static void
hmac(const struct hmac_key *hk, const uint8_t *msg, size_t len, uint8_t out[NP_QUIC_SECRET])
{
	SHA256_CTX c = hk->inner;
	uint8_t ih[SHA256_DIGEST_LENGTH];

	SHA256_Update(&c, msg, len);
	SHA256_Final(ih, &c);
	c = hk->outer;
	SHA256_Update(&c, ih, sizeof(ih));
	SHA256_Final(out, &c);
}

struct np_quic_crypto {
	struct hmac_key salted[NP_QUIC_NVERSIONS];	/* HKDF-Extract's, per version */
	EVP_CIPHER *ecb, *gcm;
	EVP_CIPHER_CTX *hp_ctx, *aead_ctx;
	/* the keys the cipher contexts hold, so that a packet of the same
	 * connection skips the key schedules */
	uint8_t hp_key[16], aead_key[16];
	bool hp_keyed, aead_keyed;
};

void
np_quic_crypto_free(struct np_quic_crypto *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->aead_ctx);
	EVP_CIPHER_CTX_free(c->hp_ctx);
	EVP_CIPHER_free(c->gcm);
	EVP_CIPHER_free(c->ecb);
	free(c);
}

struct np_quic_crypto *
np_quic_crypto_new(void)
{
	struct np_quic_crypto *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < NP_QUIC_NVERSIONS; i++)
		hmac_key(&c->salted[i], np_quic_versions[i].salt, sizeof(np_quic_versions[i].salt));
	c->ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	c->gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
	c->hp_ctx = EVP_CIPHER_CTX_new();
	c->aead_ctx = EVP_CIPHER_CTX_new();
	if (!c->ecb || !c->gcm || !c->hp_ctx || !c->aead_ctx ||
	    /* cipher and direction set once; each packet only brings keys */
	    !EVP_EncryptInit_ex2(c->hp_ctx, c->ecb, NULL, NULL, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(c->hp_ctx, 0) ||
	    !EVP_DecryptInit_ex2(c->aead_ctx, c->gcm, NULL, NULL, NULL))
		goto fail;
	return c;
fail:
	np_quic_crypto_free(c);
	errno = EIO;			/* no provider with these algorithms, or no memory */
	return NULL;
}

/*
 * HKDF-Expand-Label(secret, label, "", len) of TLS 1.3 (RFC 8446 section
 * 7.1) for len <= 32: the HkdfLabel structure (length, "tls13 " + label,
 * empty context) followed by HKDF-Expand's block counter 1 is one HMAC.
 */
static bool
expand_label(const struct hmac_key *secret, const char *label, uint8_t *out, uint8_t len)
{
	uint8_t info[2 + 1 + 6 + 32 + 1 + 1], t[NP_QUIC_SECRET];
	size_t label_len = strlen(label), n = 0;

	if (label_len > 32 || len > NP_QUIC_SECRET)
		return false;
	info[n++] = 0;
	info[n++] = len;
	info[n++] = (uint8_t)(6 + label_len);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, label_len);
	n += label_len;
	info[n++] = 0;			/* context length */
	info[n++] = 1;			/* HKDF-Expand's T(1) */
	hmac(secret, info, n, t);
	memcpy(out, t, len);
	return true;
}

int
np_quic_initial_keys(struct np_quic_crypto *c, uint32_t version, const uint8_t *dcid,
		     uint8_t dcid_len, bool server, struct np_quic_keys *k)
{
	const struct np_quic_version *ver = find_version(version);
	uint8_t initial[NP_QUIC_SECRET], secret[NP_QUIC_SECRET];
	struct hmac_key hk;
	static const uint8_t empty;

	if (!ver || dcid_len > NP_QUIC_CID_MAX)
		return -EINVAL;
	/*
	 * HKDF-Extract(salt, DCID) is HMAC keyed with the salt. Nothing is
	 * wiped afterwards: anyone who sees the packet can derive these keys.
	 */
	hmac(&c->salted[ver - np_quic_versions], dcid_len ? dcid : &empty, dcid_len, initial);
	hmac_key(&hk, initial, sizeof(initial));
	if (!expand_label(&hk, server ? "server in" : "client in", secret, NP_QUIC_SECRET))
		return -EIO;
	hmac_key(&hk, secret, sizeof(secret));
	if (!expand_label(&hk, ver->key_label, k->key, sizeof(k->key)) ||
	    !expand_label(&hk, ver->iv_label, k->iv, sizeof(k->iv)) ||
	    !expand_label(&hk, ver->hp_label, k->hp, sizeof(k->hp)))
		return -EIO;
	k->version = version;
	return 0;
}

/* The first five bytes of AES-128-ECB(hp, sample): the header protection mask. */
static bool
hp_mask(struct np_quic_crypto *c, const uint8_t hp[16], const uint8_t *sample, uint8_t mask[5])
{
	uint8_t block[NP_QUIC_SAMPLE];
	int n;

	if (!c->hp_keyed || memcmp(c->hp_key, hp, 16) != 0) {
		c->hp_keyed = false;
		if (!EVP_EncryptInit_ex2(c->hp_ctx, NULL, hp, NULL, NULL))
			return false;
		memcpy(c->hp_key, hp, 16);
		c->hp_keyed = true;
	}
	if (!EVP_EncryptUpdate(c->hp_ctx, block, &n, sample, NP_QUIC_SAMPLE) ||
	    n != NP_QUIC_SAMPLE)
		return false;
	memcpy(mask, block, 5);
	return true;
}

int
np_quic_decrypt(struct np_quic_crypto *c, const struct np_quic_keys *k,
		const struct np_quic_long *h, uint8_t *out, uint32_t *out_len, uint64_t *pn)
{
	const uint8_t *p = h->pkt;
	uint8_t mask[5], first, pn_bytes[NP_QUIC_PN_MAX], nonce[12], tag[NP_QUIC_TAG];
	uint32_t pn_len, ct_off, ct_len;
	uint64_t pn_val = 0;
	int n;

	*out_len = 0;
	/* lengths go to libcrypto as int */
	if (!p || h->pn_off < 7 || h->pkt_len < h->pn_off || h->pkt_len > INT_MAX ||
	    h->pkt_len - h->pn_off < NP_QUIC_PN_MAX + NP_QUIC_SAMPLE)
		return -EINVAL;
	/* the sample sits as if the packet number were 4 bytes long */
	if (!hp_mask(c, k->hp, p + h->pn_off + NP_QUIC_PN_MAX, mask))
		return -EIO;
	first = p[0] ^ (mask[0] & 0x0f);	/* long header: 4 bits protected */
	pn_len = (first & 3u) + 1;
	for (uint32_t i = 0; i < pn_len; i++) {
		pn_bytes[i] = p[h->pn_off + i] ^ mask[1 + i];
		pn_val = pn_val << 8 | pn_bytes[i];
	}
	ct_off = h->pn_off + pn_len;
	ct_len = h->pkt_len - ct_off - NP_QUIC_TAG;

	/* nonce = iv XOR the packet number, right-aligned */
	memcpy(nonce, k->iv, sizeof(nonce));
	for (uint32_t i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn_val >> (8 * i));
	memcpy(tag, p + h->pkt_len - NP_QUIC_TAG, NP_QUIC_TAG);

	if (!c->aead_keyed || memcmp(c->aead_key, k->key, 16) != 0) {
		c->aead_keyed = false;
		if (!EVP_DecryptInit_ex2(c->aead_ctx, NULL, k->key, nonce, NULL))
			return -EIO;
		memcpy(c->aead_key, k->key, 16);
		c->aead_keyed = true;
	} else if (!EVP_DecryptInit_ex2(c->aead_ctx, NULL, NULL, nonce, NULL)) {
		return -EIO;
	}
	/*
	 * Associated data: the header with its protection removed, fed as
	 * the unmasked first byte, the caller's bytes up to the packet number
	 * and the unmasked packet number, so the packet is left as it is.
	 */
	if (!EVP_DecryptUpdate(c->aead_ctx, NULL, &n, &first, 1) ||
	    !EVP_DecryptUpdate(c->aead_ctx, NULL, &n, p + 1, (int)(h->pn_off - 1)) ||
	    !EVP_DecryptUpdate(c->aead_ctx, NULL, &n, pn_bytes, (int)pn_len))
		return -EIO;
	if (ct_len && (!EVP_DecryptUpdate(c->aead_ctx, out, &n, p + ct_off, (int)ct_len) ||
		       (uint32_t)n != ct_len))
		return -EIO;
	if (!EVP_CIPHER_CTX_ctrl(c->aead_ctx, EVP_CTRL_AEAD_SET_TAG, NP_QUIC_TAG, tag))
		return -EIO;
	if (EVP_DecryptFinal_ex(c->aead_ctx, out + ct_len, &n) <= 0)
		return -EBADMSG;
	/*
	 * Reserved bits (RFC 9000 section 17.2) and an empty payload (section
	 * 12.4) are judged once the packet is authentic, as the RFC says:
	 * judged before, a packet under the wrong keys would come out
	 * malformed three times in four instead of unauthentic.
	 */
	if ((first & 0x0c) || ct_len == 0)
		return -EINVAL;
	*out_len = ct_len;
	*pn = pn_val;
	return 0;
}

int
np_quic_next_crypto(const uint8_t *frames, uint32_t len, uint32_t *pos, uint64_t *offset,
		    const uint8_t **data, uint32_t *data_len)
{
	uint32_t off = *pos;
	uint64_t a, b, count;

	if (off > len)
		return -EINVAL;
	while (off < len) {
		/*
		 * A frame type is a varint that must be minimally encoded; the
		 * types allowed here are all below 0x40, so a byte with the
		 * length bits set is a violation like any other type.
		 */
		uint8_t type = frames[off++];

		switch (type) {
		case 0x00:		/* PADDING: most of a client's Initial, skipped 8 bytes at a time */
			for (uint64_t w; len - off >= 8; off += 8) {
				memcpy(&w, frames + off, 8);
				if (w)
					break;
			}
			while (off < len && frames[off] == 0)
				off++;
			break;
		case 0x01:		/* PING */
			break;
		case 0x02:		/* ACK: largest, delay, range count, first range */
		case 0x03:		/* ... then the ECN counts */
			if (!rd_varint(frames, len, &off, &a) || !rd_varint(frames, len, &off, &a) ||
			    !rd_varint(frames, len, &off, &count) ||
			    !rd_varint(frames, len, &off, &a))
				return -EINVAL;
			/* each range takes two bytes at least: a count past the
			 * payload fails within len / 2 rounds */
			for (uint64_t i = 0; i < count; i++)
				if (!rd_varint(frames, len, &off, &a) ||
				    !rd_varint(frames, len, &off, &b))
					return -EINVAL;
			if (type == 0x03)
				for (int i = 0; i < 3; i++)
					if (!rd_varint(frames, len, &off, &a))
						return -EINVAL;
			break;
		case 0x06:		/* CRYPTO: offset, length, data */
			if (!rd_varint(frames, len, &off, &a) || !rd_varint(frames, len, &off, &b) ||
			    b > len - off || a + b > NP_QUIC_VARINT_MAX)
				return -EINVAL;
			*offset = a;
			*data = frames + off;
			*data_len = (uint32_t)b;
			*pos = off + (uint32_t)b;
			return 1;
		case 0x1c:		/* CONNECTION_CLOSE: error code, frame type, reason */
			if (!rd_varint(frames, len, &off, &a) || !rd_varint(frames, len, &off, &a) ||
			    !rd_varint(frames, len, &off, &b) || b > len - off)
				return -EINVAL;
			off += (uint32_t)b;
			break;
		default:
			return -EINVAL;
		}
	}
	*pos = off;
	return 0;
}
