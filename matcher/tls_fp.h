/* SPDX-License-Identifier: MIT */
/*
 * TLS fingerprints of a parsed hello: JA4 in its four forms (FoxIO's JA4
 * specification, BSD-3-Clause) for ClientHellos, JA3 for ClientHellos and
 * JA3S for ServerHellos (Salesforce, BSD-3-Clause). Where FoxIO's code and
 * the specification disagree, the specification is followed (README).
 *
 * The hashed forms are computed on the worker (they are what the database
 * matches); the raw strings are built from the same hello where they are
 * printed. SHA-256 and MD5 come from OpenSSL's libcrypto (its low-level
 * calls, on stack contexts: OpenSSL 3.0's EVP allocates on every digest);
 * the lists to sort and the texts to hash live in a hasher made once per
 * thread, so fingerprinting allocates nothing.
 */
#ifndef NP_TLS_FP_H
#define NP_TLS_FP_H

#include <stddef.h>

#include "tls.h"

#define NP_JA4_LEN 36		/* a(10) _ b(12) _ c(12) */
#define NP_JA4_A_LEN 10
#define NP_MD5_HEX_LEN 32

/*
 * Longest raw string (ja4_r, ja4_ro, JA3, JA3S) of a hello that fits in
 * NP_TLS_HELLO_MAX bytes: every 2-byte value prints as at most 6
 * characters ("65535-"), plus the fixed parts.
 */
#define NP_TLS_STR_MAX (3 * NP_TLS_HELLO_MAX + 64)

struct np_tls_fp {
	char ja4[NP_JA4_LEN + 1];	/* ClientHello; empty for a ServerHello */
	char ja4_o[NP_JA4_LEN + 1];	/* ClientHello; empty for a ServerHello */
	char ja3[NP_MD5_HEX_LEN + 1];	/* JA3 (ClientHello) or JA3S (ServerHello) */
};

/* One thread's scratch for the functions below (about 180 KB: sort lists,
 * text, and the JA4 parts np_tls_signature() remembers). */
struct np_tls_hasher;

struct np_tls_hasher *np_tls_hasher_new(void);	/* NULL, errno set, on failure */
void np_tls_hasher_free(struct np_tls_hasher *hs);

/*
 * np_tls_signature() remembers the JA4 parts it hashed (by the whole list
 * they hash, so a remembered part is never another list's): the same
 * client software on the next connection costs a lookup. Forget them all.
 */
void np_tls_hasher_forget(struct np_tls_hasher *hs);

/*
 * Every hashed fingerprint of h; transport is NP_TLS_TCP, NP_TLS_QUIC or
 * NP_TLS_DTLS. Returns 0, or -EIO if libcrypto fails.
 */
int np_tls_fingerprint(struct np_tls_hasher *hs, const struct np_tls_hello *h, char transport,
		       struct np_tls_fp *fp);

/*
 * Only the fingerprint the database is keyed by: the JA4 of a ClientHello,
 * the JA3S of a ServerHello, into sig (NP_JA4_LEN + 1 bytes). The worker
 * needs no more; what else records show is made where they are printed.
 * Returns 0, or -EIO if libcrypto fails.
 */
int np_tls_signature(struct np_tls_hasher *hs, const struct np_tls_hello *h, char transport,
		     char sig[NP_JA4_LEN + 1]);

/*
 * The raw strings. Each writes at most len bytes including the NUL and,
 * like snprintf, returns the length the whole string has (so a return
 * >= len means it was cut). NP_TLS_STR_MAX is always enough.
 *
 * np_tls_ja4_raw: ja4_r (original_order false) or ja4_ro (true) of a
 * ClientHello. np_tls_ja3_string: JA3 of a ClientHello, JA3S of a
 * ServerHello.
 */
size_t np_tls_ja4_raw(const struct np_tls_hello *h, char transport, bool original_order,
		      char *buf, size_t len);
size_t np_tls_ja3_string(const struct np_tls_hello *h, char *buf, size_t len);

/*
 * The hashed forms of raw strings, as the outputs make them from what they
 * print: a raw JA4 (ja4_r -> ja4, ja4_ro -> ja4_o; its b and c parts hashed
 * as JA4 hashes them), a JA3 or JA3S string (its MD5). 0, or -EINVAL for a
 * raw JA4 without its three parts, -EIO if libcrypto fails.
 */
int np_tls_ja4_hash(const char *raw, char out[NP_JA4_LEN + 1]);
int np_tls_ja3_hash(const char *s, size_t len, char out[NP_MD5_HEX_LEN + 1]);

/* The version as JA4 writes it ("13", "12", "d2", "00"...), 3 bytes. */
void np_tls_ja4_version(uint16_t version, char out[3]);

/* The JSON "version" text: "1.3", "1.2", "1.1", "1.0", "SSL 3.0", "SSL 2.0",
 * "DTLS 1.0", "DTLS 1.2", "DTLS 1.3"; NULL for any other value. */
const char *np_tls_version_name(uint16_t version);

#endif /* NP_TLS_FP_H */
