/* SPDX-License-Identifier: MIT */
/*
 * JA4 (FoxIO's specification), JA3 and JA3S of a parsed hello. One text
 * generator per fingerprint writes either into the caller's buffer (the
 * raw strings, cut as snprintf cuts) or into the hasher's buffer, which is
 * then digested (the hashed forms), so the two can never disagree. Where
 * FoxIO's code and its specification differ, the specification is
 * followed; where JA3/JA3S details are loose, Wireshark 4.0 (tshark) is
 * followed. The choices are noted where they are made.
 */

/*
 * The digests are OpenSSL's low-level SHA256_* and MD5_* functions, not
 * EVP: in OpenSSL 3.0 every EVP_DigestInit_ex2() frees and allocates the
 * provider's context (one malloc per digest, measured), and the worker
 * must not allocate. The low-level calls run the same assembly (SHA-NI
 * where there is one) on a context on the stack. They are deprecated in
 * 3.0, not removed; this file alone uses them.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/md5.h>
#include <openssl/sha.h>

#include "tls_fp.h"

#define EXT_SERVER_NAME 0x0000
#define EXT_ALPN 0x0010

/* Largest lists a hello np_tls_parse_hello() accepts can hold. */
#define MAX_CIPHERS (NP_TLS_HELLO_MAX / 2)
#define MAX_EXTS (NP_TLS_HELLO_MAX / 4)

/* The sorted copies JA4 hashes; too large for a worker's stack. */
struct ja4_scratch {
	uint16_t ciphers[MAX_CIPHERS];
	uint16_t exts[MAX_EXTS];
};

/*
 * The worker's memory of JA4's hashed parts: the same client software
 * sends the same cipher list, extension set and signature algorithms on
 * every connection, so b and c are looked up by what they hash (GREASE
 * left out, wire order) before anything is sorted, printed or hashed. A
 * hit compares the whole list: a cached part is never another list's.
 */
#define PART_SLOTS 1024		/* per part; direct-mapped */
#define PART_KEY_MAX 64			/* longer lists are computed every time */

struct part_slot {
	uint32_t tag;			/* the key's hash */
	uint32_t gen;			/* the hasher's generation when kept */
	uint16_t n;
	char hash[12];
	uint16_t key[PART_KEY_MAX];
};

struct np_tls_hasher {
	struct ja4_scratch scratch;
	char text[NP_TLS_STR_MAX];	/* each text is built whole, then hashed */
	struct part_slot parts[2][PART_SLOTS];	/* [0] JA4 b, [1] JA4 c */
	uint32_t gen;			/* slots of another generation are empty */
	uint16_t key[PART_KEY_MAX];
};

static const char hex_digits[] = "0123456789abcdef";

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

struct np_tls_hasher *
np_tls_hasher_new(void)
{
	struct np_tls_hasher *hs = calloc(1, sizeof(*hs));

	if (!hs)
		errno = ENOMEM;
	else
		hs->gen = 1;
	return hs;
}

void
np_tls_hasher_free(struct np_tls_hasher *hs)
{
	free(hs);
}

void
np_tls_hasher_forget(struct np_tls_hasher *hs)
{
	if (!++hs->gen) {	/* after 2^32 forgettings, the slots really are emptied */
		memset(hs->parts, 0, sizeof(hs->parts));
		hs->gen = 1;
	}
}

/*
 * Text output, built for the per-packet path (np_sb appends through a
 * memcpy and a NUL per call, and cannot say how long a cut text was):
 * while there is room for the longest item, its bytes are stored straight
 * where they go; near the end they go through text_slow(), which keeps
 * what fits and only counts the rest, so a raw string's whole length is
 * known. end leaves room for the NUL.
 */
struct text {
	char *p, *end;
	size_t cut;
};

#define ITEM_MAX 6			/* separator and "65535" */

static struct text
text_on(char *buf, size_t len)
{
	return (struct text){ buf, buf + len - 1, 0 };
}

static void
text_slow(struct text *t, const char *s, size_t n)
{
	size_t room = (size_t)(t->end - t->p), k = n < room ? n : room;

	memcpy(t->p, s, k);
	t->p += k;
	t->cut += n - k;
}

/* The 4 lowercase hex digits of v as they lie in memory, computed in a
 * register (SWAR: nibbles spread to bytes, 'a' - '0' - 10 added to those
 * over 9), so that an item is stored whole and never reloaded. */
static inline uint32_t
hex4_word(uint16_t v)
{
	uint32_t x = (uint32_t)(v >> 12) | (uint32_t)((v >> 8) & 15) << 8 |
		     (uint32_t)((v >> 4) & 15) << 16 | (uint32_t)(v & 15) << 24;

	x += 0x30303030u + (((x + 0x06060606u) >> 4) & 0x01010101u) * 0x27u;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap32(x);
#endif
	return x;
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* v in decimal at q; returns the end. */
static inline char *
dec5(char *q, uint32_t v)
{
	unsigned n = v >= 10000 ? 5 : v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
	char *e = q + n;

	for (; v >= 100; v /= 100) {
		e -= 2;
		memcpy(e, digit_pairs + 2 * (v % 100), 2);
	}
	if (v >= 10)
		memcpy(e - 2, digit_pairs + 2 * v, 2);
	else
		e[-1] = (char)('0' + v);
	return q + n;
}

/* One value at q, after sep unless first: 4-digit hex (JA4) or decimal
 * (JA3). Returns the end; at most ITEM_MAX bytes. The separator is stored
 * either way and overwritten when first, to spare a branch. */
static inline __attribute__((always_inline)) char *
item(char *q, uint16_t v, bool hex, char sep, bool first)
{
	*q = sep;
	q += !first;
	if (hex) {
		uint32_t w = hex4_word(v);

		memcpy(q, &w, 4);
		return q + 4;
	}
	return dec5(q, v);
}

static inline __attribute__((always_inline)) void
put_item(struct text *t, uint16_t v, bool hex, char sep, bool first)
{
	if (t->end - t->p >= ITEM_MAX) {
		t->p = item(t->p, v, hex, sep, first);
	} else {
		char b[ITEM_MAX];

		text_slow(t, b, (size_t)(item(b, v, hex, sep, first) - b));
	}
}

static inline void
put_char(struct text *t, char c)
{
	if (t->p < t->end)
		*t->p++ = c;
	else
		t->cut++;
}

/*
 * The lists, as hex with ',' or decimal with '-' (always inlined, so each
 * caller gets the loop for its constants): from an array, or from the
 * wire with GREASE left out.
 */
static inline __attribute__((always_inline)) void
put_list(struct text *t, const uint16_t *v, unsigned n, bool hex, char sep)
{
	for (unsigned i = 0; i < n; i++)
		put_item(t, v[i], hex, sep, !i);
}

static inline __attribute__((always_inline)) void
put_wire16(struct text *t, const uint8_t *p, uint32_t len, bool hex, char sep)
{
	bool first = true;

	for (uint32_t i = 0; i + 1 < len; i += 2) {
		uint16_t v = rd16(p + i);

		if (np_tls_is_grease(v))
			continue;
		put_item(t, v, hex, sep, first);
		first = false;
	}
}

/* The extension types in wire order, GREASE left out. */
static inline __attribute__((always_inline)) void
put_wire_exts(struct text *t, const struct np_tls_hello *h, bool hex, char sep)
{
	bool first = true;

	for (uint32_t off = 0; off + 4 <= h->exts_len;) {
		uint16_t type = rd16(h->exts + off);

		off += 4 + rd16(h->exts + off + 2);
		if (np_tls_is_grease(type))
			continue;
		put_item(t, type, hex, sep, first);
		first = false;
	}
}

/* Sorting: insertion for the usual short lists, heapsort (in place, no
 * quadratic worst case) for the long ones a hostile hello may carry. */
static void
sift_down(uint16_t *a, unsigned root, unsigned n)
{
	for (unsigned child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		uint16_t t = a[root];

		a[root] = a[child];
		a[child] = t;
	}
}

static void
sort16(uint16_t *a, unsigned n)
{
	if (n <= 48) {
		for (unsigned i = 1; i < n; i++) {
			uint16_t v = a[i];
			unsigned j = i;

			for (; j && a[j - 1] > v; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	for (unsigned i = n / 2; i--;)
		sift_down(a, i, n);
	for (unsigned end = n; --end;) {
		uint16_t t = a[0];

		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

/* Everything JA4 needs from a ClientHello, lists GREASE-free. */
struct ja4_parts {
	char a[NP_JA4_A_LEN + 1];
	uint16_t *ciphers;		/* wire order, then sorted */
	uint16_t *exts;			/* without SNI and ALPN; wire order, then sorted */
	unsigned n_ciphers, n_exts;
	unsigned n_all_exts;		/* with SNI and ALPN (ja4_o's list) */
	unsigned n_sigs;
};

static bool
is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * JA4's ALPN characters, as the specification has them: "00" without a
 * first protocol or when it is empty; its first and last byte (one byte:
 * twice); and when either is not an ASCII letter or digit, the first and
 * last digit of the whole value in lowercase hex. (FoxIO's code writes
 * "99" for the last case and a single character for a one-byte value; the
 * spec wins.) GREASE protocol names (RFC 8701 3.1: the two bytes of a
 * GREASE value) are passed over, as the specification ignores GREASE
 * "anywhere it sees them": the first protocol is the first other one.
 */
static void
ja4_alpn(const struct np_tls_hello *h, char out[2])
{
	out[0] = out[1] = '0';
	if (!h->has_alpn)
		return;
	for (uint32_t off = 0; off < h->alpn_len;) {
		const uint8_t *name = h->alpn + off + 1;
		uint8_t n = h->alpn[off];

		if (n > h->alpn_len - off - 1)
			return;		/* not a list the parser accepted */
		off += 1u + n;
		if (n == 2 && np_tls_is_grease(rd16(name)))
			continue;
		if (!n)
			return;
		if (is_alnum(name[0]) && is_alnum(name[n - 1])) {
			out[0] = (char)name[0];
			out[1] = (char)name[n - 1];
		} else {
			out[0] = hex_digits[name[0] >> 4];
			out[1] = hex_digits[name[n - 1] & 15];
		}
		return;
	}
}

static void
two_digits(char *p, unsigned n)
{
	if (n > 99)
		n = 99;
	p[0] = (char)('0' + n / 10);
	p[1] = (char)('0' + n % 10);
}

static void
ja4_collect(const struct np_tls_hello *h, char transport, struct ja4_scratch *s,
	    struct ja4_parts *p)
{
	/* counts in locals: stored through p, they would be reloaded after
	 * every store into the lists */
	unsigned nc = 0, ne = 0, na = 0, ns = 0;
	uint16_t *ciphers = s->ciphers, *exts = s->exts;

	for (uint32_t i = 0; i + 1 < h->ciphers_len && nc < MAX_CIPHERS; i += 2) {
		uint16_t v = rd16(h->ciphers + i);

		ciphers[nc] = v;
		nc += !np_tls_is_grease(v);
	}
	for (uint32_t off = 0; off + 4 <= h->exts_len && ne < MAX_EXTS;) {
		uint16_t t = rd16(h->exts + off);

		off += 4 + rd16(h->exts + off + 2);
		if (np_tls_is_grease(t))
			continue;
		na++;
		exts[ne] = t;
		ne += t != EXT_SERVER_NAME && t != EXT_ALPN;
	}
	for (uint32_t i = 0; i + 1 < h->sig_algs_len; i += 2)
		ns += !np_tls_is_grease(rd16(h->sig_algs + i));
	p->ciphers = ciphers;
	p->exts = exts;
	p->n_ciphers = nc;
	p->n_exts = ne;
	p->n_all_exts = na;
	p->n_sigs = ns;

	p->a[0] = transport;
	np_tls_ja4_version(np_tls_hello_version(h), p->a + 1);
	p->a[3] = h->has_sni ? 'd' : 'i';
	two_digits(p->a + 4, p->n_ciphers);
	two_digits(p->a + 6, p->n_all_exts);
	ja4_alpn(h, p->a + 8);
	p->a[NP_JA4_A_LEN] = 0;
}

/* JA4's b text: the ciphers, in p's order (wire, or sorted). */
static void
ja4_b_text(struct text *t, const struct ja4_parts *p)
{
	put_list(t, p->ciphers, p->n_ciphers, true, ',');
}

/* JA4's c text: the extensions (p's list: without SNI and ALPN; or, for
 * the original order, all of them from the wire), then '_' and the
 * signature algorithms in wire order when there are any (the
 * specification's rule, which FoxIO's Python breaks by always writing the
 * '_'). GREASE is left out of both lists: the specification drops it
 * "anywhere", FoxIO's Rust keeps it in the signature algorithms. */
static void
ja4_c_text(struct text *t, const struct np_tls_hello *h, const struct ja4_parts *p,
	   bool original)
{
	if (original)
		put_wire_exts(t, h, true, ',');
	else
		put_list(t, p->exts, p->n_exts, true, ',');
	if (p->n_sigs) {
		put_char(t, '_');
		put_wire16(t, h->sig_algs, h->sig_algs_len, true, ',');
	}
}

/* The JA3 or JA3S text. */
static void
ja3_text(struct text *t, const struct np_tls_hello *h)
{
	put_item(t, h->legacy_version, false, 0, true);
	put_char(t, ',');
	if (h->type == NP_TLS_CLIENT_HELLO)
		put_wire16(t, h->ciphers, h->ciphers_len, false, '-');
	else
		put_item(t, h->cipher, false, 0, true);	/* tshark keeps a GREASE suite */
	put_char(t, ',');
	/* extension types without GREASE, in JA3S too (as tshark 4.0) */
	put_wire_exts(t, h, false, '-');
	if (h->type != NP_TLS_CLIENT_HELLO)
		return;
	put_char(t, ',');
	put_wire16(t, h->groups, h->groups_len, false, '-');
	put_char(t, ',');
	for (uint32_t i = 0; i < h->point_formats_len; i++)
		put_item(t, h->point_formats[i], false, '-', !i);
}

static void
to_hex(char *out, const uint8_t *md, unsigned hex_len)
{
	for (unsigned i = 0; i < hex_len; i++)
		out[i] = hex_digits[i & 1 ? md[i / 2] & 15 : md[i / 2] >> 4];
	out[hex_len] = 0;
}

/* SHA-256 of n bytes, 12 hex digits into out; an empty text is
 * "000000000000", not a hash (JA4's rule for empty parts). */
static bool
sha12_of(const char *s, size_t n, char out[13])
{
	SHA256_CTX c;
	uint8_t md[SHA256_DIGEST_LENGTH];

	if (!n) {
		memcpy(out, "000000000000", 13);
		return true;
	}
	if (!SHA256_Init(&c) || !SHA256_Update(&c, s, n) || !SHA256_Final(md, &c))
		return false;
	to_hex(out, md, 12);
	return true;
}

/* The same of the text at hs->text .. t->p. */
static bool
sha12(struct np_tls_hasher *hs, const struct text *t, char out[13])
{
	return sha12_of(hs->text, (size_t)(t->p - hs->text), out);
}

int
np_tls_ja4_hash(const char *raw, char out[NP_JA4_LEN + 1])
{
	const char *b = raw + NP_JA4_A_LEN + 1, *c;

	if (strnlen(raw, NP_JA4_A_LEN + 1) != NP_JA4_A_LEN + 1 || raw[NP_JA4_A_LEN] != '_' ||
	    !(c = strchr(b, '_')))
		return -EINVAL;
	c++;
	memcpy(out, raw, NP_JA4_A_LEN + 1);
	if (!sha12_of(b, (size_t)(c - 1 - b), out + NP_JA4_A_LEN + 1))
		return -EIO;
	out[NP_JA4_A_LEN + 13] = '_';
	return sha12_of(c, strlen(c), out + NP_JA4_A_LEN + 14) ? 0 : -EIO;
}

int
np_tls_ja3_hash(const char *s, size_t len, char out[NP_MD5_HEX_LEN + 1])
{
	MD5_CTX c;
	uint8_t md[MD5_DIGEST_LENGTH];

	if (!MD5_Init(&c) || !MD5_Update(&c, s, len) || !MD5_Final(md, &c))
		return -EIO;
	to_hex(out, md, NP_MD5_HEX_LEN);
	return 0;
}

/* JA4 (sorted lists in p) or JA4_o (wire order in p). */
static bool
ja4_hashed(struct np_tls_hasher *hs, const struct np_tls_hello *h, const struct ja4_parts *p,
	   bool original, char out[NP_JA4_LEN + 1])
{
	struct text t = text_on(hs->text, sizeof(hs->text));

	memcpy(out, p->a, NP_JA4_A_LEN);
	out[NP_JA4_A_LEN] = '_';
	ja4_b_text(&t, p);
	if (!sha12(hs, &t, out + NP_JA4_A_LEN + 1))
		return false;
	out[NP_JA4_A_LEN + 13] = '_';
	t = text_on(hs->text, sizeof(hs->text));
	ja4_c_text(&t, h, p, original);
	return sha12(hs, &t, out + NP_JA4_A_LEN + 14);
}

/* The MD5 of the JA3 or JA3S text, as hex. */
static bool
ja3_hashed(struct np_tls_hasher *hs, const struct np_tls_hello *h, char out[NP_MD5_HEX_LEN + 1])
{
	struct text t = text_on(hs->text, sizeof(hs->text));
	MD5_CTX c;
	uint8_t md[MD5_DIGEST_LENGTH];

	ja3_text(&t, h);
	if (!MD5_Init(&c) || !MD5_Update(&c, hs->text, (size_t)(t.p - hs->text)) ||
	    !MD5_Final(md, &c))
		return false;
	to_hex(out, md, NP_MD5_HEX_LEN);
	return true;
}

static uint32_t
key_hash(const uint16_t *v, unsigned n)
{
	uint32_t h = 2166136261u ^ n;

	for (unsigned i = 0; i < n; i++)
		h = (h ^ v[i]) * 16777619u;
	return h;
}

/* The slot a key would be in, and whether it is there. */
static struct part_slot *
part_find(struct np_tls_hasher *hs, int part, const uint16_t *key, unsigned n, uint32_t *tag,
	  bool *hit)
{
	struct part_slot *sl;

	*tag = key_hash(key, n);
	sl = &hs->parts[part][*tag & (PART_SLOTS - 1)];
	*hit = sl->tag == *tag && sl->gen == hs->gen && sl->n == n &&
	       !memcmp(sl->key, key, n * sizeof(*key));
	return sl;
}

static void
part_keep(const struct np_tls_hasher *hs, struct part_slot *sl, uint32_t tag, const uint16_t *key,
	  unsigned n, const char *hash)
{
	sl->tag = tag;
	sl->gen = hs->gen;
	sl->n = (uint16_t)n;
	memcpy(sl->key, key, n * sizeof(*key));
	memcpy(sl->hash, hash, 12);
}

/*
 * JA4's c key: how many extensions there are (so that the key reads as two
 * lists one way only), the extensions without SNI and ALPN, sorted (as
 * hashed: clients that shuffle their extensions, like Chrome, still hit),
 * then the signature algorithms in wire order; GREASE left out. 0 when too
 * long to keep.
 */
static unsigned
c_key(const struct np_tls_hello *h, const struct ja4_parts *p, uint16_t *key)
{
	unsigned n = 1 + p->n_exts;

	if (n + p->n_sigs > PART_KEY_MAX)
		return 0;
	key[0] = (uint16_t)p->n_exts;
	memcpy(key + 1, p->exts, p->n_exts * sizeof(*key));
	for (uint32_t i = 0; i + 1 < h->sig_algs_len; i += 2) {
		uint16_t v = rd16(h->sig_algs + i);

		if (!np_tls_is_grease(v))
			key[n++] = v;
	}
	return n;
}

int
np_tls_signature(struct np_tls_hasher *hs, const struct np_tls_hello *h, char transport,
		 char sig[NP_JA4_LEN + 1])
{
	sig[0] = 0;
	if (h->type == NP_TLS_SERVER_HELLO)
		return ja3_hashed(hs, h, sig) ? 0 : -EIO;
	if (h->type != NP_TLS_CLIENT_HELLO)
		return 0;

	struct ja4_parts p;
	struct part_slot *sl;
	struct text t;
	uint32_t tag;
	bool hit;
	char *b = sig + NP_JA4_A_LEN + 1, *c = sig + NP_JA4_A_LEN + 14;

	ja4_collect(h, transport, &hs->scratch, &p);
	memcpy(sig, p.a, NP_JA4_A_LEN);
	sig[NP_JA4_A_LEN] = '_';

	/* b: the ciphers */
	sl = p.n_ciphers <= PART_KEY_MAX ? part_find(hs, 0, p.ciphers, p.n_ciphers, &tag, &hit) :
					   NULL;
	if (sl && hit) {
		memcpy(b, sl->hash, 12);
	} else {
		if (sl)
			memcpy(hs->key, p.ciphers, p.n_ciphers * sizeof(*p.ciphers));
		sort16(p.ciphers, p.n_ciphers);
		t = text_on(hs->text, sizeof(hs->text));
		ja4_b_text(&t, &p);
		if (!sha12(hs, &t, b))
			return -EIO;
		if (sl)
			part_keep(hs, sl, tag, hs->key, p.n_ciphers, b);
	}
	sig[NP_JA4_A_LEN + 13] = '_';	/* after sha12(), which ends b with a NUL */

	/* c: the extensions and signature algorithms */
	sort16(p.exts, p.n_exts);

	unsigned kn = c_key(h, &p, hs->key);

	sl = kn ? part_find(hs, 1, hs->key, kn, &tag, &hit) : NULL;
	if (sl && hit) {
		memcpy(c, sl->hash, 12);
	} else {
		t = text_on(hs->text, sizeof(hs->text));
		ja4_c_text(&t, h, &p, false);
		if (!sha12(hs, &t, c))
			return -EIO;
		if (sl)
			part_keep(hs, sl, tag, hs->key, kn, c);
	}
	sig[NP_JA4_LEN] = 0;
	return 0;
}

int
np_tls_fingerprint(struct np_tls_hasher *hs, const struct np_tls_hello *h, char transport,
		   struct np_tls_fp *fp)
{
	fp->ja4[0] = fp->ja4_o[0] = fp->ja3[0] = 0;
	if (h->type == NP_TLS_CLIENT_HELLO) {
		struct ja4_parts p;

		ja4_collect(h, transport, &hs->scratch, &p);
		if (!ja4_hashed(hs, h, &p, true, fp->ja4_o))
			goto fail;
		sort16(p.ciphers, p.n_ciphers);
		sort16(p.exts, p.n_exts);
		if (!ja4_hashed(hs, h, &p, false, fp->ja4))
			goto fail;
	} else if (h->type != NP_TLS_SERVER_HELLO) {
		return 0;
	}
	if (!ja3_hashed(hs, h, fp->ja3))
		goto fail;
	return 0;
fail:
	fp->ja4[0] = fp->ja4_o[0] = fp->ja3[0] = 0;
	return -EIO;
}

/* The end of a raw string: NUL-terminated, its whole length returned. */
static size_t
text_end(struct text *t, const char *buf)
{
	*t->p = 0;
	return (size_t)(t->p - buf) + t->cut;
}

size_t
np_tls_ja4_raw(const struct np_tls_hello *h, char transport, bool original_order, char *buf,
	       size_t len)
{
	char spare;

	if (!len) {		/* as snprintf: nothing written, the length told */
		buf = &spare;
		len = 1;
	}
	struct text t = text_on(buf, len);

	if (h->type != NP_TLS_CLIENT_HELLO)
		return text_end(&t, buf);

	/* Off the worker's path (raw strings are built where they are
	 * printed), so the lists may live on this stack. */
	struct ja4_scratch s;
	struct ja4_parts p;

	ja4_collect(h, transport, &s, &p);
	if (!original_order) {
		sort16(p.ciphers, p.n_ciphers);
		sort16(p.exts, p.n_exts);
	}
	text_slow(&t, p.a, NP_JA4_A_LEN);
	put_char(&t, '_');
	ja4_b_text(&t, &p);
	put_char(&t, '_');
	ja4_c_text(&t, h, &p, original_order);
	return text_end(&t, buf);
}

size_t
np_tls_ja3_string(const struct np_tls_hello *h, char *buf, size_t len)
{
	char spare;

	if (!len) {
		buf = &spare;
		len = 1;
	}
	struct text t = text_on(buf, len);

	if (h->type == NP_TLS_CLIENT_HELLO || h->type == NP_TLS_SERVER_HELLO)
		ja3_text(&t, h);
	return text_end(&t, buf);
}

void
np_tls_ja4_version(uint16_t version, char out[3])
{
	const char *s;

	switch (version) {
	case 0x0304: s = "13"; break;
	case 0x0303: s = "12"; break;
	case 0x0302: s = "11"; break;
	case 0x0301: s = "10"; break;
	case 0x0300: s = "s3"; break;
	case 0x0002: s = "s2"; break;
	case 0xfeff: s = "d1"; break;
	case 0xfefd: s = "d2"; break;
	case 0xfefc: s = "d3"; break;
	default: s = "00"; break;
	}
	memcpy(out, s, 3);
}

const char *
np_tls_version_name(uint16_t version)
{
	switch (version) {
	case 0x0304: return "1.3";
	case 0x0303: return "1.2";
	case 0x0302: return "1.1";
	case 0x0301: return "1.0";
	case 0x0300: return "SSL 3.0";
	case 0x0002: return "SSL 2.0";
	case 0xfeff: return "DTLS 1.0";
	case 0xfefd: return "DTLS 1.2";
	case 0xfefc: return "DTLS 1.3";
	default: return NULL;
	}
}
