/* SPDX-License-Identifier: MIT */
/*
 * JA4 (FoxIO's specification), JA3 and JA3S of a parsed hello. One text
 * generator per fingerprint writes either into a caller's buffer (the raw
 * strings) or, a kilobyte at a time, into a libcrypto digest (the hashed
 * forms), so the two can never disagree and hashing needs no buffer the
 * size of the text. Where FoxIO's code and its specification differ, the
 * specification is followed; where JA3/JA3S details are loose, Wireshark
 * 4.0 (tshark) is followed. The choices are noted where they are made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "strbuf.h"
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

struct np_tls_hasher {
	EVP_MD *sha256, *md5;
	EVP_MD_CTX *ctx;
	struct ja4_scratch scratch;
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

	if (!hs) {
		errno = ENOMEM;
		return NULL;
	}
	hs->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	hs->md5 = EVP_MD_fetch(NULL, "MD5", NULL);	/* absent from a FIPS provider */
	hs->ctx = EVP_MD_CTX_new();
	if (!hs->sha256 || !hs->md5 || !hs->ctx) {
		np_tls_hasher_free(hs);
		errno = ENOTSUP;
		return NULL;
	}
	return hs;
}

void
np_tls_hasher_free(struct np_tls_hasher *hs)
{
	if (!hs)
		return;
	EVP_MD_CTX_free(hs->ctx);
	EVP_MD_free(hs->sha256);
	EVP_MD_free(hs->md5);
	free(hs);
}

/*
 * Where a text goes: into sb only (a raw string; cut at its end), or
 * through sb, used as a chunk buffer, into the digest md. total counts the
 * whole text either way.
 */
struct sink {
	struct np_sb sb;
	size_t total;
	EVP_MD_CTX *md;
	bool failed;
};

static void
sink_flush(struct sink *o)
{
	if (o->sb.pos && !EVP_DigestUpdate(o->md, o->sb.buf, o->sb.pos))
		o->failed = true;
	o->sb.pos = 0;
}

/* A sink on a caller's buffer; len 0 gets nothing written, as with snprintf. */
static struct sink
sink_of(char *buf, size_t len, char *spare)
{
	return (struct sink){ len ? np_sb_of(buf, len) : np_sb_of(spare, 1), 0, NULL, false };
}

/* n is at most a few characters: a chunk always has room after a flush. */
static inline void
put(struct sink *o, const char *s, size_t n)
{
	o->total += n;
	if (o->md && n > o->sb.len - 1 - o->sb.pos)
		sink_flush(o);
	np_sb_mem(&o->sb, s, n);
}

static inline void
put_char(struct sink *o, char c)
{
	put(o, &c, 1);
}

static inline void
put_hex4(struct sink *o, uint16_t v)
{
	const char t[4] = { hex_digits[v >> 12], hex_digits[(v >> 8) & 15],
			    hex_digits[(v >> 4) & 15], hex_digits[v & 15] };

	put(o, t, 4);
}

static inline void
put_dec(struct sink *o, uint32_t v)
{
	char d[10];
	unsigned n = 0;

	do
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
	while ((v /= 10));
	put(o, d + sizeof(d) - n, n);
}

/* Values joined by sep: 4-digit hex (JA4) or decimal (JA3). */
static void
put_list(struct sink *o, const uint16_t *v, unsigned n, bool hex, char sep)
{
	for (unsigned i = 0; i < n; i++) {
		if (i)
			put_char(o, sep);
		if (hex)
			put_hex4(o, v[i]);
		else
			put_dec(o, v[i]);
	}
}

/* A 2-byte wire list, GREASE left out. */
static void
put_wire16(struct sink *o, const uint8_t *p, uint32_t len, bool hex, char sep)
{
	bool first = true;

	for (uint32_t i = 0; i + 1 < len; i += 2) {
		uint16_t v = rd16(p + i);

		if (np_tls_is_grease(v))
			continue;
		if (!first)
			put_char(o, sep);
		first = false;
		if (hex)
			put_hex4(o, v);
		else
			put_dec(o, v);
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
	uint16_t *ciphers;		/* sorted */
	uint16_t *exts;			/* sorted, without SNI and ALPN */
	unsigned n_ciphers, n_exts;
	unsigned n_wire_exts;		/* with SNI and ALPN: empty ja4_o list? */
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
	unsigned all_exts = 0;

	p->ciphers = s->ciphers;
	p->exts = s->exts;
	p->n_ciphers = p->n_exts = p->n_sigs = 0;
	for (uint32_t i = 0; i + 1 < h->ciphers_len && p->n_ciphers < MAX_CIPHERS; i += 2) {
		uint16_t v = rd16(h->ciphers + i);

		if (!np_tls_is_grease(v))
			p->ciphers[p->n_ciphers++] = v;
	}
	for (uint32_t off = 0; off + 4 <= h->exts_len && p->n_exts < MAX_EXTS;) {
		uint16_t t = rd16(h->exts + off);

		off += 4 + rd16(h->exts + off + 2);
		if (np_tls_is_grease(t))
			continue;
		all_exts++;
		if (t != EXT_SERVER_NAME && t != EXT_ALPN)
			p->exts[p->n_exts++] = t;
	}
	p->n_wire_exts = all_exts;
	for (uint32_t i = 0; i + 1 < h->sig_algs_len; i += 2)
		p->n_sigs += !np_tls_is_grease(rd16(h->sig_algs + i));

	p->a[0] = transport;
	np_tls_ja4_version(np_tls_hello_version(h), p->a + 1);
	p->a[3] = h->has_sni ? 'd' : 'i';
	two_digits(p->a + 4, p->n_ciphers);
	two_digits(p->a + 6, all_exts);
	ja4_alpn(h, p->a + 8);
	p->a[NP_JA4_A_LEN] = 0;
}

/* JA4's b text: the ciphers, sorted or in wire order. */
static void
ja4_b_text(struct sink *o, const struct np_tls_hello *h, const struct ja4_parts *p,
	   bool original)
{
	if (original)
		put_wire16(o, h->ciphers, h->ciphers_len, true, ',');
	else
		put_list(o, p->ciphers, p->n_ciphers, true, ',');
}

/* JA4's c text: the extensions (sorted, without SNI and ALPN; or all of
 * them in wire order), then '_' and the signature algorithms in wire order
 * when there are any (the specification's rule, which FoxIO's Python
 * breaks by always writing the '_'). GREASE is left out of both lists:
 * the specification drops it "anywhere", FoxIO's Rust keeps it in the
 * signature algorithms. */
static void
ja4_c_text(struct sink *o, const struct np_tls_hello *h, const struct ja4_parts *p,
	   bool original)
{
	if (original) {
		bool first = true;

		for (uint32_t off = 0; off + 4 <= h->exts_len;) {
			uint16_t t = rd16(h->exts + off);

			off += 4 + rd16(h->exts + off + 2);
			if (np_tls_is_grease(t))
				continue;
			if (!first)
				put_char(o, ',');
			first = false;
			put_hex4(o, t);
		}
	} else {
		put_list(o, p->exts, p->n_exts, true, ',');
	}
	if (p->n_sigs) {
		put_char(o, '_');
		put_wire16(o, h->sig_algs, h->sig_algs_len, true, ',');
	}
}

/* The JA3 or JA3S text. */
static void
ja3_text(struct sink *o, const struct np_tls_hello *h)
{
	put_dec(o, h->legacy_version);
	put_char(o, ',');
	if (h->type == NP_TLS_CLIENT_HELLO)
		put_wire16(o, h->ciphers, h->ciphers_len, false, '-');
	else
		put_dec(o, h->cipher);	/* tshark keeps a GREASE suite here */
	put_char(o, ',');
	/* Extension types without GREASE, in both JA3 and JA3S (tshark 4.0
	 * filters it from JA3S too). */
	bool first = true;

	for (uint32_t off = 0; off + 4 <= h->exts_len;) {
		uint16_t t = rd16(h->exts + off);

		off += 4 + rd16(h->exts + off + 2);
		if (np_tls_is_grease(t))
			continue;
		if (!first)
			put_char(o, '-');
		first = false;
		put_dec(o, t);
	}
	if (h->type != NP_TLS_CLIENT_HELLO)
		return;
	put_char(o, ',');
	put_wire16(o, h->groups, h->groups_len, false, '-');
	put_char(o, ',');
	for (uint32_t i = 0; i < h->point_formats_len; i++) {
		if (i)
			put_char(o, '-');
		put_dec(o, h->point_formats[i]);
	}
}

enum text { TEXT_JA4_B, TEXT_JA4_C, TEXT_JA3 };

/*
 * Digest one text: SHA-256 (JA4 parts, hex cut to 12) or MD5 (JA3, all
 * 32). hex gets the digits and a NUL. Returns false if libcrypto fails.
 */
static bool
digest_text(struct np_tls_hasher *hs, enum text which, const struct np_tls_hello *h,
	    const struct ja4_parts *p, bool original, char *hex, unsigned hex_len)
{
	char chunk[1024];
	struct sink o = { np_sb_of(chunk, sizeof(chunk)), 0, hs->ctx, false };
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned md_len;

	if (!EVP_DigestInit_ex2(hs->ctx, which == TEXT_JA3 ? hs->md5 : hs->sha256, NULL))
		return false;
	switch (which) {
	case TEXT_JA4_B:
		ja4_b_text(&o, h, p, original);
		break;
	case TEXT_JA4_C:
		ja4_c_text(&o, h, p, original);
		break;
	case TEXT_JA3:
		ja3_text(&o, h);
		break;
	}
	sink_flush(&o);
	if (o.failed || !EVP_DigestFinal_ex(hs->ctx, md, &md_len) || md_len * 2 < hex_len)
		return false;
	for (unsigned i = 0; i < hex_len; i++)
		hex[i] = hex_digits[i & 1 ? md[i / 2] & 15 : md[i / 2] >> 4];
	hex[hex_len] = 0;
	return true;
}

/* JA4 or JA4_o; an empty b or c part is "000000000000", not a hash. */
static bool
ja4_hashed(struct np_tls_hasher *hs, const struct np_tls_hello *h, const struct ja4_parts *p,
	   bool original, char out[NP_JA4_LEN + 1])
{
	memcpy(out, p->a, NP_JA4_A_LEN);
	out[NP_JA4_A_LEN] = '_';

	char *b = out + NP_JA4_A_LEN + 1, *c = out + NP_JA4_A_LEN + 14;

	if (!p->n_ciphers)
		memcpy(b, "000000000000", 13);
	else if (!digest_text(hs, TEXT_JA4_B, h, p, original, b, 12))
		return false;
	b[12] = '_';		/* digest_text's NUL */
	if (!(original ? p->n_wire_exts : p->n_exts) && !p->n_sigs)
		memcpy(c, "000000000000", 13);
	else if (!digest_text(hs, TEXT_JA4_C, h, p, original, c, 12))
		return false;
	return true;
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
	if (!digest_text(hs, TEXT_JA3, h, NULL, false, fp->ja3, NP_MD5_HEX_LEN))
		goto fail;
	return 0;
fail:
	fp->ja4[0] = fp->ja4_o[0] = fp->ja3[0] = 0;
	return -EIO;
}

size_t
np_tls_ja4_raw(const struct np_tls_hello *h, char transport, bool original_order, char *buf,
	       size_t len)
{
	char spare;
	struct sink o = sink_of(buf, len, &spare);

	if (h->type != NP_TLS_CLIENT_HELLO)
		return 0;

	/* Off the worker's path (raw strings are built where they are
	 * printed), so the lists may live on this stack. */
	struct ja4_scratch s;
	struct ja4_parts p;

	ja4_collect(h, transport, &s, &p);
	if (!original_order) {
		sort16(p.ciphers, p.n_ciphers);
		sort16(p.exts, p.n_exts);
	}
	put(&o, p.a, NP_JA4_A_LEN);
	put_char(&o, '_');
	ja4_b_text(&o, h, &p, original_order);
	put_char(&o, '_');
	ja4_c_text(&o, h, &p, original_order);
	return o.total;
}

size_t
np_tls_ja3_string(const struct np_tls_hello *h, char *buf, size_t len)
{
	char spare;
	struct sink o = sink_of(buf, len, &spare);

	if (h->type != NP_TLS_CLIENT_HELLO && h->type != NP_TLS_SERVER_HELLO)
		return 0;
	ja3_text(&o, h);
	return o.total;
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
