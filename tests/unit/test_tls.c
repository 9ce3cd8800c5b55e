/* SPDX-License-Identifier: MIT */
/*
 * TLS tests: the hello parser, the TLS record and DTLS fragment walks
 * (parsers/tls.c) and the JA4 / JA3 / JA3S fingerprints (matcher/tls_fp.c),
 * on hellos built byte by byte below.
 *
 * Where the expected values come from:
 *  - JA4: FoxIO's specification (technical_details/JA4.md): its own example
 *    verbatim, and for the other hellos the raw strings written out by hand
 *    from its rules, each hash being the first 12 hex digits of
 *    `printf %s RAW | sha256sum`.
 *  - JA3 / JA3S: strings written out by hand; every string and MD5 agrees
 *    with Debian's tshark 4.0 (-e tls.handshake.ja3_full -e ...ja3
 *    -e ...ja3s_full -e ...ja3s, and dtls.* for DTLS) on the pcap that
 *    NP_TLS_PCAP=FILE makes this test write: one frame per hello of the
 *    case table, in table order (TCP to or from port 443, DTLS over UDP to
 *    port 4433). Where tshark reads a malformed hello netprint refuses, or
 *    mangles a repeated extension, the test says so.
 *
 * Every input the parser reads sits in a malloc'ed buffer of exactly its
 * size, so that the ASan build catches a read one byte past it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"
#include "tls_fp.h"

#include <criterion/criterion.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define G(i) ((uint16_t)(0x0a0a + 0x1010 * (i)))	/* the i-th GREASE value */

/* what: a context string for the failure message */
#define assert_str(actual, expected, what) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && e_ != NULL && !strcmp(a_, e_), \
			  "%s: got\n\"%s\"\nwant\n\"%s\"", (what), a_ ? a_ : "(null)", \
			  e_ ? e_ : "(null)"); \
	} while (0)

/* ---------------------------------------------------------------------- */
/* A handshake message, built byte by byte; every length field is noted. */

#define MSG_MAX (2 * NP_TLS_HELLO_MAX)
#define MAX_LENS 1024

struct msg {
	uint8_t b[MSG_MAX];
	uint32_t n;
	uint32_t open_at[16];
	uint8_t open_w[16];
	unsigned depth;
	uint32_t len_at[MAX_LENS];	/* every length field: offset and width */
	uint8_t len_w[MAX_LENS];
	unsigned n_lens;
	uint32_t exts_at;		/* offset of the extensions block length, 0: none */
	uint32_t unread_at, unread_end;	/* data the parser does not read */
};

static void
m_reset(struct msg *m)
{
	m->n = 0;
	m->depth = 0;
	m->n_lens = 0;
	m->exts_at = 0;
	m->unread_at = m->unread_end = 0;
}

static void
m_u8(struct msg *m, uint8_t v)
{
	cr_assert(m->n < MSG_MAX);
	m->b[m->n++] = v;
}

static void
m_u16(struct msg *m, uint16_t v)
{
	m_u8(m, (uint8_t)(v >> 8));
	m_u8(m, (uint8_t)v);
}

static void
m_mem(struct msg *m, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		m_u8(m, ((const uint8_t *)p)[i]);
}

/* A length field of w bytes, filled in by m_close(). */
static void
m_open(struct msg *m, unsigned w)
{
	cr_assert(m->depth < N(m->open_at) && m->n_lens < MAX_LENS);
	m->open_at[m->depth] = m->n;
	m->open_w[m->depth++] = (uint8_t)w;
	m->len_at[m->n_lens] = m->n;
	m->len_w[m->n_lens++] = (uint8_t)w;
	for (unsigned i = 0; i < w; i++)
		m_u8(m, 0);
}

static void
put_be(uint8_t *p, unsigned w, uint32_t v)
{
	for (unsigned i = 0; i < w; i++)
		p[i] = (uint8_t)(v >> (8 * (w - 1 - i)));
}

static uint32_t
get_be(const uint8_t *p, unsigned w)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

static void
m_close(struct msg *m)
{
	cr_assert(m->depth);
	m->depth--;
	uint32_t at = m->open_at[m->depth];
	unsigned w = m->open_w[m->depth];

	put_be(m->b + at, w, m->n - at - w);
}

static void
m_end(struct msg *m)
{
	while (m->depth)
		m_close(m);
}

/* ClientHello up to and including compression_methods: deflate and null,
 * a full session id and (DTLS) a 16-byte cookie, so that reduce has
 * something to drop. */
static void
ch_begin(struct msg *m, uint16_t legacy, bool dtls, const uint16_t *cs, unsigned n)
{
	m_reset(m);
	m_u8(m, NP_TLS_CLIENT_HELLO);
	m_open(m, 3);
	m_u16(m, legacy);
	for (unsigned i = 0; i < 32; i++)
		m_u8(m, (uint8_t)(0x40 + i));		/* random */
	m_open(m, 1);
	for (unsigned i = 0; i < 32; i++)
		m_u8(m, (uint8_t)(0x80 + i));		/* session id */
	m_close(m);
	if (dtls) {
		m_open(m, 1);
		for (unsigned i = 0; i < 16; i++)
			m_u8(m, (uint8_t)(0xc0 + i));	/* cookie */
		m_close(m);
	}
	m_open(m, 2);
	for (unsigned i = 0; i < n; i++)
		m_u16(m, cs[i]);
	m_close(m);
	m_open(m, 1);
	m_u8(m, 1);
	m_u8(m, 0);
	m_close(m);
}

static void
sh_begin(struct msg *m, uint16_t legacy, uint16_t cipher)
{
	m_reset(m);
	m_u8(m, NP_TLS_SERVER_HELLO);
	m_open(m, 3);
	m_u16(m, legacy);
	for (unsigned i = 0; i < 32; i++)
		m_u8(m, (uint8_t)(0x20 + i));
	m_open(m, 1);
	for (unsigned i = 0; i < 32; i++)
		m_u8(m, (uint8_t)(0x60 + i));
	m_close(m);
	m_u16(m, cipher);
	m_u8(m, 0);
}

static void
exts_begin(struct msg *m)
{
	m->exts_at = m->n;
	m_open(m, 2);
}

static void
x_begin(struct msg *m, uint16_t type)
{
	m_u16(m, type);
	m_open(m, 2);
}

static void x_end(struct msg *m) { m_close(m); }

static void
x_bytes(struct msg *m, uint16_t type, const char *data, size_t n)
{
	x_begin(m, type);
	m_mem(m, data, n);
	x_end(m);
}

static void
x_empty(struct msg *m, uint16_t type)
{
	x_bytes(m, type, "", 0);
}

/* A u16-length vector of 2-byte values as the whole extension data. */
static void
x_list16(struct msg *m, uint16_t type, const uint16_t *v, unsigned n)
{
	x_begin(m, type);
	m_open(m, 2);
	for (unsigned i = 0; i < n; i++)
		m_u16(m, v[i]);
	m_close(m);
	x_end(m);
}

static void
x_sni(struct msg *m, const char *host)
{
	x_begin(m, 0);
	m_open(m, 2);
	m_u8(m, 0);
	m_open(m, 2);
	m_mem(m, host, strlen(host));
	m_close(m);
	m_close(m);
	x_end(m);
}

static void
x_formats(struct msg *m, const uint8_t *v, unsigned n)
{
	x_begin(m, 11);
	m_open(m, 1);
	m_mem(m, v, n);
	m_close(m);
	x_end(m);
}

static void
x_versions(struct msg *m, const uint16_t *v, unsigned n)
{
	x_begin(m, 43);
	m_open(m, 1);
	for (unsigned i = 0; i < n; i++)
		m_u16(m, v[i]);
	m_close(m);
	x_end(m);
}

struct name {
	const char *p;
	uint8_t n;
};
#define NAME(s) { s, sizeof(s) - 1 }

static void
x_alpn(struct msg *m, const struct name *v, unsigned n)
{
	x_begin(m, 16);
	m_open(m, 2);
	for (unsigned i = 0; i < n; i++) {
		m_open(m, 1);
		m_mem(m, v[i].p, v[i].n);
		m_close(m);
	}
	m_close(m);
	x_end(m);
}

/* ---------------------------------------------------------------------- */
/* The hellos. */

/* The specification's example: its ciphers and extensions in the wire
 * order its JA4_ro shows, Chrome's GREASE at the front of both lists and
 * at the end of the extensions. */
static const uint16_t spec_ciphers[] = {
	G(1), 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
	0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t spec_sigs[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };
static const uint16_t chrome_groups[] = { G(3), 0x001d, 0x0017, 0x0018 };
static const uint8_t null_format[] = { 0 };

static void
b_spec(struct msg *m)
{
	static const uint16_t versions[] = { G(5), 0x0304, 0x0303 };
	static const struct name alpn[] = { NAME("h2"), NAME("http/1.1") };

	ch_begin(m, 0x0303, false, spec_ciphers, N(spec_ciphers));
	exts_begin(m);
	x_empty(m, G(2));
	x_bytes(m, 0x001b, "\x02\x00\x02", 3);			/* compress_certificate */
	x_sni(m, "example.com");
	x_bytes(m, 0x0033, "\x00\x06\x00\x1d\x00\x02\xab\xcd", 8);	/* key_share */
	x_alpn(m, alpn, N(alpn));
	x_bytes(m, 0x4469, "\x00\x03\x02h2", 5);		/* ALPS */
	x_empty(m, 0x0017);					/* extended_master_secret */
	x_bytes(m, 0x002d, "\x01\x01", 2);			/* psk_key_exchange_modes */
	x_list16(m, 13, spec_sigs, N(spec_sigs));
	x_bytes(m, 0x0005, "\x01\x00\x00\x00\x00", 5);		/* status_request */
	x_empty(m, 0x0023);					/* session_ticket */
	x_empty(m, 0x0012);					/* signed_certificate_timestamp */
	x_versions(m, versions, N(versions));
	x_bytes(m, 0xff01, "\x00", 1);				/* renegotiation_info */
	x_formats(m, null_format, 1);
	x_list16(m, 10, chrome_groups, N(chrome_groups));
	x_bytes(m, 0x0015, "\0\0\0\0\0\0\0\0\0\0", 10);		/* padding */
	x_bytes(m, G(6), "\0", 1);
	m_end(m);
}

/* The JA3 reference example: 769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0 */
static void
b_ja3ref(struct msg *m)
{
	static const uint16_t cs[] = { 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4 };
	static const uint16_t groups[] = { 23, 24, 25 };

	ch_begin(m, 0x0301, false, cs, N(cs));
	exts_begin(m);
	x_sni(m, "www.example.org");
	x_list16(m, 10, groups, N(groups));
	x_formats(m, null_format, 1);
	m_end(m);
}

/* GREASE in every list, SCSVs among the ciphers, a GREASE ALPN first. */
static void
b_grease(struct msg *m)
{
	static const uint16_t cs[] = { G(1), 0x1301, G(2), 0xc02f, 0x00ff, 0x5600, G(15) };
	static const uint16_t groups[] = { G(5), 0x001d, 0x0017 };
	static const uint16_t sigs[] = { G(6), 0x0403, 0x0804, G(7) };
	static const uint16_t versions[] = { G(8), 0x0304, 0x0303, G(9) };
	static const struct name alpn[] = { NAME("\xaa\xaa"), NAME("h2") };

	ch_begin(m, 0x0303, false, cs, N(cs));
	exts_begin(m);
	x_bytes(m, G(3), "\0", 1);
	x_sni(m, "a.example");
	x_empty(m, G(4));
	x_list16(m, 10, groups, N(groups));
	x_list16(m, 13, sigs, N(sigs));
	x_versions(m, versions, N(versions));
	x_alpn(m, alpn, N(alpn));
	x_formats(m, null_format, 1);
	x_bytes(m, G(15), "\x00\x01", 2);
	m_end(m);
}

/* No SNI, no ALPN, no signature algorithms, no supported_versions. */
static void
b_plain(struct msg *m)
{
	static const uint16_t cs[] = { 0xc02b, 0xc02f, 0x009e };
	static const uint16_t groups[] = { 0x0017 };

	ch_begin(m, 0x0303, false, cs, N(cs));
	exts_begin(m);
	x_list16(m, 10, groups, N(groups));
	x_formats(m, null_format, 1);
	x_empty(m, 0x0023);
	x_empty(m, 0x0017);
	m_end(m);
}

static const uint16_t old_ciphers[] = { 0x0004, 0x0005, 0x000a, 0x00ff };

/* SSL 3.0: no extensions block at all. */
static void
b_ssl3(struct msg *m)
{
	ch_begin(m, 0x0300, false, old_ciphers, N(old_ciphers));
	m_end(m);
}

/* An extensions block of length 0. */
static void
b_empty_block(struct msg *m)
{
	ch_begin(m, 0x0301, false, old_ciphers, N(old_ciphers));
	exts_begin(m);
	m_end(m);
}

/* No cipher suites, SNI the only extension. */
static void
b_no_ciphers(struct msg *m)
{
	ch_begin(m, 0x0303, false, NULL, 0);
	exts_begin(m);
	x_sni(m, "x");
	m_end(m);
}

/* More than 99 ciphers (150, in descending order) and extensions (120). */
static void
b_many(struct msg *m)
{
	uint16_t cs[150];

	for (unsigned i = 0; i < N(cs); i++)
		cs[i] = (uint16_t)(0x0195 - i);
	ch_begin(m, 0x0303, false, cs, N(cs));
	exts_begin(m);
	for (unsigned i = 0; i < 120; i++)
		x_empty(m, (uint16_t)(0x1000 + i));
	m_end(m);
}

/* DTLS 1.2, with a cookie. */
static void
b_dtls(struct msg *m)
{
	static const uint16_t cs[] = { 0xc02b, 0xc02f, G(0), 0x00ff };
	static const uint16_t groups[] = { G(2), 0x001d, 0x0017 };
	static const uint16_t sigs[] = { 0x0403, 0x0503 };

	ch_begin(m, 0xfefd, true, cs, N(cs));
	exts_begin(m);
	x_list16(m, 10, groups, N(groups));
	x_formats(m, null_format, 1);
	x_list16(m, 13, sigs, N(sigs));
	/* use_srtp; not data that, its length set to 0, reads as an extension */
	x_bytes(m, 0x000e, "\x00\x04\x00\x01\x00\x02\x00", 7);
	x_empty(m, 0x0017);
	x_bytes(m, 0xff01, "\x00", 1);
	m_end(m);
}

/* A repeated supported_groups: the first one's data is read, both count. */
static void
b_dup(struct msg *m)
{
	static const uint16_t cs[] = { 0x1301 };
	static const uint16_t g1[] = { 0x001d }, g2[] = { 0x0018 };

	ch_begin(m, 0x0303, false, cs, N(cs));
	exts_begin(m);
	x_list16(m, 10, g1, 1);
	x_formats(m, null_format, 1);
	m->unread_at = m->n + 4;
	x_list16(m, 10, g2, 1);
	m->unread_end = m->n;
	m_end(m);
}

/* ServerHellos: TLS 1.2 with ALPN, TLS 1.3, GREASE suite and extension,
 * no extensions. */
static void
b_sh12(struct msg *m)
{
	static const struct name alpn[] = { NAME("h2") };

	sh_begin(m, 0x0303, 0xc02f);
	exts_begin(m);
	x_bytes(m, 0xff01, "\x00", 1);
	x_empty(m, 0x0000);
	x_formats(m, null_format, 1);
	x_empty(m, 0x0023);
	x_alpn(m, alpn, N(alpn));
	m_end(m);
}

static void
b_sh13(struct msg *m)
{
	sh_begin(m, 0x0303, 0x1301);
	exts_begin(m);
	x_bytes(m, 43, "\x03\x04", 2);
	x_bytes(m, 0x0033, "\x00\x1d\x00\x04wxyz", 8);
	m_end(m);
}

static void
b_sh_grease(struct msg *m)
{
	sh_begin(m, 0x0303, G(0));
	exts_begin(m);
	x_bytes(m, 0xff01, "\x00", 1);
	x_empty(m, G(1));
	m_end(m);
}

/* TLS 1.3 draft-19: its version in the ServerHello, no session id, no
 * compression method (key_share was extension 40 then). */
static void
b_sh_draft(struct msg *m)
{
	m_reset(m);
	m_u8(m, NP_TLS_SERVER_HELLO);
	m_open(m, 3);
	m_u16(m, 0x7f13);
	for (unsigned i = 0; i < 32; i++)
		m_u8(m, (uint8_t)(0x20 + i));
	m_u16(m, 0x1302);
	exts_begin(m);
	x_bytes(m, 40, "\x00\x1d\x00\x04wxyz", 8);
	m_end(m);
}

static void
b_sh_old(struct msg *m)
{
	sh_begin(m, 0x0301, 0x002f);
	m_end(m);
}

struct tcase {
	const char *name;
	void (*build)(struct msg *m);
	bool dtls;
	const char *ja4, *ja4_o, *ja4_r, *ja4_ro;	/* NULL: not checked here */
	const char *ja3_str, *ja3;
	const char *sni;				/* NULL: none */
};

static const struct tcase cases[] = {
	{ "spec", b_spec, false,
	  "t13d1516h2_8daaf6152771_e5627efa2ab1",
	  "t13d1516h2_acb858a92679_18f69afefd3d",
	  "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_"
	  "0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
	  "0403,0804,0401,0503,0805,0501,0806,0601",
	  "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_"
	  "001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_"
	  "0403,0804,0401,0503,0805,0501,0806,0601",
	  "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
	  "27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23-24,0",
	  "c000e2caf3a25423f9de6c8a4b12a975", "example.com" },
	{ "ja3 reference", b_ja3ref, false,
	  "t10d120300_d94e65cdb899_33a13ba74d1c",
	  "t10d120300_35b40505faa2_708547326c13",
	  "t10d120300_0004,0005,000a,0013,002f,0032,0035,0038,c009,c00a,c013,c014_000a,000b",
	  "t10d120300_002f,0035,0005,000a,c009,c00a,c013,c014,0032,0038,0013,0004_0000,000a,000b",
	  "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0",
	  "ada70206e40642a3e4461f35503241d5", "www.example.org" },
	{ "grease", b_grease, false,
	  "t13d0406h2_5ce02ac467f8_fb71836bce29",
	  "t13d0406h2_25db8effe2e4_c4afc7d77964",
	  "t13d0406h2_00ff,1301,5600,c02f_000a,000b,000d,002b_0403,0804",
	  "t13d0406h2_1301,c02f,00ff,5600_0000,000a,000d,002b,0010,000b_0403,0804",
	  "771,4865-49199-255-22016,0-10-13-43-16-11,29-23,0",
	  "822abe7a6124ddc8d5849f4e4adc9bc4", "a.example" },
	{ "plain", b_plain, false,
	  "t12i030400_f9249a4c859d_6a8990167ab8",
	  "t12i030400_a32191c3fc98_d48eff8bc36d",
	  "t12i030400_009e,c02b,c02f_000a,000b,0017,0023",
	  "t12i030400_c02b,c02f,009e_000a,000b,0023,0017",
	  "771,49195-49199-158,10-11-35-23,23,0",
	  "9ae92cd9b75d93d432abc57c193fd847", NULL },
	{ "ssl3", b_ssl3, false,
	  "ts3i040000_fe90cb5d9337_000000000000",
	  "ts3i040000_fe90cb5d9337_000000000000",
	  "ts3i040000_0004,0005,000a,00ff_",
	  "ts3i040000_0004,0005,000a,00ff_",
	  "768,4-5-10-255,,,",
	  "de0ad5990cc32504acbcae861af3ada9", NULL },
	{ "empty block", b_empty_block, false,
	  "t10i040000_fe90cb5d9337_000000000000",
	  "t10i040000_fe90cb5d9337_000000000000",
	  "t10i040000_0004,0005,000a,00ff_",
	  "t10i040000_0004,0005,000a,00ff_",
	  "769,4-5-10-255,,,",
	  "5c14638edcc79b36dc3636d0c7b533f5", NULL },
	{ "no ciphers", b_no_ciphers, false,
	  "t12d000100_000000000000_000000000000",
	  "t12d000100_000000000000_9af15b336e6a",
	  "t12d000100__",
	  "t12d000100__0000",
	  "771,,0,,",
	  "eb135aa01a32c0d5cf6ca9cc0f16d7f5", "x" },
	{ "over 99", b_many, false,
	  "t12i999900_a3abd2455589_3ec5f12e055a",
	  "t12i999900_3eea686e79cb_3ec5f12e055a",
	  NULL, NULL, NULL,
	  "6ff8b5f236e96e0f3df164bcfc13467f", NULL },
	{ "dtls", b_dtls, true,
	  "dd2i030600_0e67c0ef781e_8033782e6a04",
	  "dd2i030600_439f98a4491c_8033782e6a04",
	  "dd2i030600_00ff,c02b,c02f_000a,000b,000d,000e,0017,ff01_0403,0503",
	  "dd2i030600_c02b,c02f,00ff_000a,000b,000d,000e,0017,ff01_0403,0503",
	  "65277,49195-49199-255,10-11-13-14-23-65281,29-23,0",
	  "5b9e63644cd45226d74dfff80f81d53b", NULL },
	/* tshark writes "771,4865,10-11-10,29,24,0" (a sixth field); the MD5
	 * is md5sum's of the string the JA3 rules give */
	{ "repeated extension", b_dup, false,
	  NULL, NULL,
	  "t12i010300_1301_000a,000a,000b",
	  "t12i010300_1301_000a,000b,000a",
	  "771,4865,10-11-10,29,0",
	  "6453e642800cf23b5aeec9955a1f82b7", NULL },
	{ "server 1.2", b_sh12, false, NULL, NULL, NULL, NULL,
	  "771,49199,65281-0-11-35-16", "47decf033ac4c8fc9b952ff41e549679", NULL },
	{ "server 1.3", b_sh13, false, NULL, NULL, NULL, NULL,
	  "771,4865,43-51", "f4febc55ea12b31ae17cfb7e614afda8", NULL },
	{ "server grease", b_sh_grease, false, NULL, NULL, NULL, NULL,
	  "771,2570,65281", "c4b833c0849ff23c29e04fa13f6e87da", NULL },
	{ "server no extensions", b_sh_old, false, NULL, NULL, NULL, NULL,
	  "769,47,", "18e962e106761869a61045bed0e81c2c", NULL },
	/* tshark: zeek__tls__tls-13draft19-early-data.pcap, frame 6 */
	{ "server TLS 1.3 draft-19", b_sh_draft, false, NULL, NULL, NULL, NULL,
	  "32531,4866,40", "cd05e941742c0d4f628a68716ca021f9", NULL },
};

/* ---------------------------------------------------------------------- */
/* Helpers. */

static struct msg g_m;
static char g_raw[2][3][NP_TLS_STR_MAX];
static struct np_tls_hasher *g_hs;

static void
setup(void)
{
	g_hs = np_tls_hasher_new();
	cr_assert(g_hs != NULL);
}

static void
teardown(void)
{
	np_tls_hasher_free(g_hs);
	g_hs = NULL;
}

static uint8_t *
exact(const void *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	cr_assert(q != NULL);
	if (n)
		memcpy(q, p, n);
	return q;
}

/* Parse the message m holds from an exact-size copy; *copy stays alive
 * for h's pointers (free it). */
static enum np_tls_result
parse_msg(const uint8_t *msg, uint32_t len, bool dtls, struct np_tls_hello *h, uint8_t **copy)
{
	cr_assert(len >= 4);
	*copy = exact(msg + 4, len - 4);
	return np_tls_parse_hello(msg[0], *copy, len - 4, dtls, h);
}

/* Every fingerprint of h: hashed, and the raw strings in g_raw[slot]
 * (two sets can be alive at once). */
struct fps {
	struct np_tls_fp fp;
	const char *ja4_r, *ja4_ro, *ja3_str;
};

static void
fingerprint(const struct np_tls_hello *h, char transport, struct fps *f, unsigned slot)
{
	char *r = g_raw[slot][0], *ro = g_raw[slot][1], *j = g_raw[slot][2];

	char sig[NP_JA4_LEN + 1];

	cr_assert(np_tls_fingerprint(g_hs, h, transport, &f->fp) == 0);
	/* what the worker computes alone is the same */
	cr_assert(np_tls_signature(g_hs, h, transport, sig) == 0);
	assert_str(sig, h->type == NP_TLS_CLIENT_HELLO ? f->fp.ja4 : f->fp.ja3, "signature");
	cr_assert(np_tls_ja4_raw(h, transport, false, r, NP_TLS_STR_MAX) < NP_TLS_STR_MAX);
	cr_assert(np_tls_ja4_raw(h, transport, true, ro, NP_TLS_STR_MAX) < NP_TLS_STR_MAX);
	cr_assert(np_tls_ja3_string(h, j, NP_TLS_STR_MAX) < NP_TLS_STR_MAX);
	f->ja4_r = r;
	f->ja4_ro = ro;
	f->ja3_str = j;
	/* what the outputs hash is what they print */
	if (h->type == NP_TLS_CLIENT_HELLO) {
		char hashed[NP_JA4_LEN + 1];

		cr_assert(np_tls_ja4_hash(r, hashed) == 0);
		assert_str(hashed, f->fp.ja4, "ja4 from ja4_r");
		cr_assert(np_tls_ja4_hash(ro, hashed) == 0);
		assert_str(hashed, f->fp.ja4_o, "ja4_o from ja4_ro");
		cr_assert(np_tls_ja3_hash(j, strlen(j), hashed) == 0);
		assert_str(hashed, f->fp.ja3, "ja3 from its string");
	}
}

Test(tls_fp, raw_hash_needs_three_parts)
{
	char out[NP_JA4_LEN + 1];

	cr_assert(np_tls_ja4_hash("t13d1516h2_002f", out) == -EINVAL);
	cr_assert(np_tls_ja4_hash("t13d1516h2", out) == -EINVAL);
	cr_assert(np_tls_ja4_hash("", out) == -EINVAL);
	cr_assert(np_tls_ja4_hash("t13d1516h2x002f_0005", out) == -EINVAL);
	/* empty parts hash to zeros, as JA4 says */
	cr_assert(np_tls_ja4_hash("t12d000100__", out) == 0);
	assert_str(out, "t12d000100_000000000000_000000000000", "empty parts");
}

static const struct tcase *
case_named(const char *name)
{
	for (unsigned i = 0; i < N(cases); i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	cr_assert_fail("no case %s", name);
	return NULL;
}

/* "name: what", for failure messages */
static const char *
ctx(const char *name, const char *what)
{
	static char b[256];

	snprintf(b, sizeof(b), "%s: %s", name, what);
	return b;
}

static char
transport_of(const struct tcase *c)
{
	return c->dtls ? NP_TLS_DTLS : NP_TLS_TCP;
}

/* ---------------------------------------------------------------------- */
/* A pcap of the case hellos, for tshark (NP_TLS_PCAP=FILE). */

static void
le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

static void
write_frame(FILE *f, unsigned i, const struct tcase *c, const struct msg *m)
{
	static uint8_t fr[MSG_MAX + 128];
	bool server = m->b[0] == NP_TLS_SERVER_HELLO;
	uint32_t n = 0, ip, l4;
	const uint8_t a[4] = { 10, 0, 0, (uint8_t)(i + 1) }, b[4] = { 10, 1, 0, (uint8_t)(i + 1) };

	memset(fr, 0, 12);
	fr[11] = 1;
	fr[12] = 0x08;
	fr[13] = 0x00;
	n = ip = 14;
	n += 20;
	l4 = n;
	if (c->dtls) {
		n += 8;
		fr[n] = 22;
		put_be(fr + n + 1, 2, 0xfefd);
		memset(fr + n + 3, 0, 8);		/* epoch, sequence */
		put_be(fr + n + 11, 2, m->n + 8);
		n += 13;
		memcpy(fr + n, m->b, 4);		/* type, length */
		memset(fr + n + 4, 0, 5);		/* message_seq, fragment_offset */
		memcpy(fr + n + 9, m->b + 1, 3);	/* fragment_length */
		memcpy(fr + n + 12, m->b + 4, m->n - 4);
		n += m->n + 8;
		put_be(fr + l4, 2, 50000 + i);
		put_be(fr + l4 + 2, 2, 4433);
		put_be(fr + l4 + 4, 2, n - l4);
	} else {
		n += 20;
		fr[n] = 22;
		put_be(fr + n + 1, 2, 0x0301);
		put_be(fr + n + 3, 2, m->n);
		memcpy(fr + n + 5, m->b, m->n);
		n += 5 + m->n;
		put_be(fr + l4, 2, server ? 443 : 40000 + i);
		put_be(fr + l4 + 2, 2, server ? 40000 + i : 443);
		put_be(fr + l4 + 4, 4, 1);		/* seq */
		put_be(fr + l4 + 8, 4, 1);		/* ack */
		fr[l4 + 12] = 0x50;
		fr[l4 + 13] = 0x18;			/* PSH ACK */
		put_be(fr + l4 + 14, 2, 65535);
	}
	fr[ip] = 0x45;
	put_be(fr + ip + 2, 2, n - ip);
	fr[ip + 6] = 0x40;
	fr[ip + 8] = 64;
	fr[ip + 9] = c->dtls ? 17 : 6;
	memcpy(fr + ip + 12, server ? b : a, 4);
	memcpy(fr + ip + 16, server ? a : b, 4);
	uint32_t sum = 0;

	for (unsigned k = 0; k < 20; k += 2)
		sum += get_be(fr + ip + k, 2);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put_be(fr + ip + 10, 2, ~sum & 0xffff);

	le32(f, 1700000000 + i);
	le32(f, 0);
	le32(f, n);
	le32(f, n);
	fwrite(fr, 1, n, f);
}

static void
dump_pcap(const char *path)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f != NULL, "%s", path);
	le32(f, 0xa1b2c3d4);
	le32(f, 0x00040002);
	le32(f, 0);
	le32(f, 0);
	le32(f, 65535);
	le32(f, 1);
	for (unsigned i = 0; i < N(cases); i++) {
		cases[i].build(&g_m);
		write_frame(f, i, &cases[i], &g_m);
	}
	fclose(f);
}

/* ---------------------------------------------------------------------- */
/* Fingerprints of the case hellos. */

TestSuite(tls_fp, .init = setup, .fini = teardown);

Test(tls_fp, cases)
{
	const char *pcap = getenv("NP_TLS_PCAP");

	if (pcap)
		dump_pcap(pcap);
	for (unsigned i = 0; i < N(cases); i++) {
		const struct tcase *c = &cases[i];
		struct np_tls_hello h;
		struct fps f;
		uint8_t *copy;

		c->build(&g_m);
		cr_assert(parse_msg(g_m.b, g_m.n, c->dtls, &h, &copy) == NP_TLS_OK, "%s", c->name);
		fingerprint(&h, transport_of(c), &f, 0);
		if (h.type == NP_TLS_CLIENT_HELLO) {
			if (c->ja4)
				assert_str(f.fp.ja4, c->ja4, ctx(c->name, "ja4"));
			if (c->ja4_o)
				assert_str(f.fp.ja4_o, c->ja4_o, ctx(c->name, "ja4_o"));
			if (c->ja4_r)
				assert_str(f.ja4_r, c->ja4_r, ctx(c->name, "ja4_r"));
			if (c->ja4_ro)
				assert_str(f.ja4_ro, c->ja4_ro, ctx(c->name, "ja4_ro"));
		} else {
			assert_str(f.fp.ja4, "", ctx(c->name, "no JA4 for a ServerHello"));
			assert_str(f.fp.ja4_o, "", c->name);
			assert_str(f.ja4_r, "", c->name);
		}
		if (c->ja3_str)
			assert_str(f.ja3_str, c->ja3_str, ctx(c->name, "ja3 string"));
		assert_str(f.fp.ja3, c->ja3, ctx(c->name, "ja3"));
		if (c->sni) {
			cr_assert(h.has_sni && h.sni && h.sni_len == strlen(c->sni) &&
				  !memcmp(h.sni, c->sni, h.sni_len), "%s sni", c->name);
		}
		free(copy);
	}
}

static void round_trip(const char *name, const uint8_t *msg, uint32_t len, bool dtls,
		       char transport);

/* Build, parse and fingerprint one client hello (and check that its
 * reduced form reads the same); returns its JA4. */
static const char *
ja4_of(struct msg *m, bool dtls, char transport)
{
	static struct fps f;
	struct np_tls_hello h;
	uint8_t *copy;

	cr_assert(parse_msg(m->b, m->n, dtls, &h, &copy) == NP_TLS_OK);
	fingerprint(&h, transport, &f, 0);
	free(copy);
	round_trip("ja4_of", m->b, m->n, dtls, transport);
	return f.fp.ja4;
}

/* JA4's ALPN characters: the specification's own examples and edges. */
Test(tls_fp, alpn)
{
	static const struct {
		struct name names[2];
		unsigned n;
		const char *want;
	} t[] = {
		{ { NAME("h2") }, 1, "h2" },
		{ { NAME("http/1.1"), NAME("h2") }, 2, "h1" },
		{ { NAME("H") }, 1, "HH" },			/* one byte: twice, case kept */
		{ { NAME("\xab") }, 1, "ab" },			/* spec: 0xAB -> ab */
		{ { NAME("\xab\xcd") }, 1, "ad" },		/* spec: 0xAB 0xCD -> ad */
		{ { NAME("\x30\xab") }, 1, "3b" },		/* spec: 0x30 0xAB -> 3b */
		{ { NAME("\x30\x31\xab\xcd") }, 1, "3d" },	/* spec */
		{ { NAME("\x30\xab\xcd\x31") }, 1, "01" },	/* spec */
		{ { NAME("\x20\x61") }, 1, "21" },
		{ { NAME("\x61\x20") }, 1, "60" },
		{ { NAME("\x01") }, 1, "01" },
		{ { NAME(""), NAME("h2") }, 2, "00" },		/* empty first value */
		{ { { "", 0 } }, 0, "00" },			/* empty list */
		{ { NAME("\x0a\x0a"), NAME("h3") }, 2, "h3" },	/* GREASE passed over */
		{ { NAME("\x1a\x1a") }, 1, "00" },		/* only GREASE */
		{ { NAME("\x1a\x2a"), NAME("h3") }, 2, "1a" },	/* not GREASE */
	};
	static const uint16_t cs[] = { 0x1301 };

	for (unsigned i = 0; i < N(t); i++) {
		char want[11];

		ch_begin(&g_m, 0x0303, false, cs, 1);
		exts_begin(&g_m);
		x_alpn(&g_m, t[i].names, t[i].n);
		m_end(&g_m);
		snprintf(want, sizeof(want), "t12i0101%s", t[i].want);
		const char *ja4 = ja4_of(&g_m, false, NP_TLS_TCP);

		cr_assert(!strncmp(ja4, want, 10), "case %u: %s, want %s", i, ja4, want);
	}
	/* no ALPN extension at all */
	ch_begin(&g_m, 0x0303, false, cs, 1);
	m_end(&g_m);
	cr_assert(!strncmp(ja4_of(&g_m, false, NP_TLS_TCP), "t12i010000", 10));
}

/* JA4's version: supported_versions' highest non-GREASE entry, else the
 * legacy field; every mapping of the specification. */
Test(tls_fp, versions)
{
	static const struct {
		uint16_t legacy;
		uint16_t v[4];
		int n;		/* -1: no supported_versions */
		bool dtls;
		const char *want;
	} t[] = {
		{ 0x0303, { 0x0304 }, 1, false, "t13" },
		{ 0x0303, { 0x0303, 0x0304, G(1) }, 3, false, "t13" },
		{ 0x0303, { 0 }, -1, false, "t12" },
		{ 0x0302, { 0 }, -1, false, "t11" },
		{ 0x0301, { 0 }, -1, false, "t10" },
		{ 0x0300, { 0 }, -1, false, "ts3" },
		{ 0x0002, { 0 }, -1, false, "ts2" },
		{ 0x0200, { 0 }, -1, false, "t00" },	/* SSL 2.0 is 0x0002 */
		{ 0x0305, { 0 }, -1, false, "t00" },
		{ 0x0000, { 0 }, -1, false, "t00" },
		{ 0x0303, { G(2), G(3) }, 2, false, "t12" },	/* only GREASE: legacy */
		{ 0x0301, { 0 }, 0, false, "t10" },		/* empty list: legacy */
		{ 0x0303, { 0x0304, 0x7f17 }, 2, false, "t00" },	/* a draft number is highest */
		{ 0xfeff, { 0 }, -1, true, "dd1" },
		{ 0xfefd, { 0 }, -1, true, "dd2" },
		{ 0xfefc, { 0 }, -1, true, "dd3" },
		{ 0xfefd, { 0xfefc, 0xfefd }, 2, true, "dd3" },	/* DTLS counts down */
		{ 0xfefd, { 0xfefd, G(4), 0xfefc }, 3, true, "dd3" },
		{ 0xfeff, { 0xfeff, 0xfefd }, 2, true, "dd2" },
	};
	static const uint16_t cs[] = { 0x1301 };

	for (unsigned i = 0; i < N(t); i++) {
		ch_begin(&g_m, t[i].legacy, t[i].dtls, cs, 1);
		if (t[i].n >= 0) {
			exts_begin(&g_m);
			x_versions(&g_m, t[i].v, (unsigned)t[i].n);
		}
		m_end(&g_m);
		const char *ja4 = ja4_of(&g_m, t[i].dtls, t[i].dtls ? NP_TLS_DTLS : NP_TLS_TCP);

		cr_assert(!strncmp(ja4, t[i].want, 3), "case %u: %s, want %s", i, ja4, t[i].want);
	}
}

Test(tls_fp, version_tables)
{
	static const struct {
		uint16_t v;
		const char *ja4, *name;
	} t[] = {
		{ 0x0304, "13", "1.3" },     { 0x0303, "12", "1.2" },   { 0x0302, "11", "1.1" },
		{ 0x0301, "10", "1.0" },     { 0x0300, "s3", "SSL 3.0" }, { 0x0002, "s2", "SSL 2.0" },
		{ 0xfeff, "d1", "DTLS 1.0" }, { 0xfefd, "d2", "DTLS 1.2" }, { 0xfefc, "d3", "DTLS 1.3" },
		{ 0x0305, "00", NULL },      { 0x0000, "00", NULL },    { 0x0200, "00", NULL },
		{ 0xfefe, "00", NULL },      { 0x7f17, "00", NULL },    { 0x0a0a, "00", NULL },
	};

	for (unsigned i = 0; i < N(t); i++) {
		char v[3] = "xx";

		np_tls_ja4_version(t[i].v, v);
		assert_str(v, t[i].ja4, "ja4 version");
		const char *name = np_tls_version_name(t[i].v);

		if (t[i].name)
			assert_str(name, t[i].name, "version name");
		else
			cr_assert(name == NULL, "%04x has no name", t[i].v);
	}
}

/* The raw strings of the hello with more than 99 of each, built here. */
Test(tls_fp, over_99_raw)
{
	static char want[3][8192];
	struct np_tls_hello h;
	struct fps f;
	uint8_t *copy;
	char *p;

	b_many(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(h.n_exts == 120);
	fingerprint(&h, NP_TLS_TCP, &f, 0);

	p = want[0] + sprintf(want[0], "t12i999900_");
	for (unsigned v = 0x0100; v <= 0x0195; v++)
		p += sprintf(p, "%04x%s", v, v < 0x0195 ? "," : "_");
	for (unsigned v = 0x1000; v < 0x1078; v++)
		p += sprintf(p, "%04x%s", v, v < 0x1077 ? "," : "");
	assert_str(f.ja4_r, want[0], "ja4_r");

	p = want[1] + sprintf(want[1], "t12i999900_");
	for (unsigned v = 0x0195; v >= 0x0100; v--)
		p += sprintf(p, "%04x%s", v, v > 0x0100 ? "," : "_");
	for (unsigned v = 0x1000; v < 0x1078; v++)
		p += sprintf(p, "%04x%s", v, v < 0x1077 ? "," : "");
	assert_str(f.ja4_ro, want[1], "ja4_ro");

	p = want[2] + sprintf(want[2], "771,");
	for (unsigned v = 0x0195; v >= 0x0100; v--)
		p += sprintf(p, "%u%s", v, v > 0x0100 ? "-" : ",");
	for (unsigned v = 0x1000; v < 0x1078; v++)
		p += sprintf(p, "%u%s", v, v < 0x1077 ? "-" : ",,");
	assert_str(f.ja3_str, want[2], "ja3 string (tshark's too)");
	free(copy);
}

/* Raw strings are cut like snprintf: the whole length is returned. */
Test(tls_fp, raw_cut)
{
	struct np_tls_hello h;
	uint8_t *copy;
	char buf[8];
	const char *r = cases[0].ja4_r, *j = cases[0].ja3_str;

	b_spec(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(np_tls_ja4_raw(&h, NP_TLS_TCP, false, buf, sizeof(buf)) == strlen(r));
	cr_assert(!memcmp(buf, r, 7) && !buf[7]);
	cr_assert(np_tls_ja3_string(&h, buf, 1) == strlen(j) && !buf[0]);
	memset(buf, 'x', sizeof(buf));
	cr_assert(np_tls_ja4_raw(&h, NP_TLS_TCP, true, buf, 0) == strlen(cases[0].ja4_ro));
	cr_assert(np_tls_ja3_string(&h, buf, 0) == strlen(j));
	cr_assert(buf[0] == 'x', "len 0: nothing written");
	cr_assert(np_tls_ja3_string(&h, NULL, 0) == strlen(j));
	cr_assert(np_tls_ja4_raw(&h, NP_TLS_TCP, false, NULL, 0) == strlen(r));
	free(copy);
}

/* The transport character is JA4's first. */
Test(tls_fp, transport)
{
	struct np_tls_hello h;
	struct np_tls_fp fp;
	uint8_t *copy;

	b_spec(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(np_tls_fingerprint(g_hs, &h, NP_TLS_QUIC, &fp) == 0);
	assert_str(fp.ja4, "q13d1516h2_8daaf6152771_e5627efa2ab1", "quic");
	free(copy);
}

/* A ClientHello of the lists given (no SNI, no ALPN): signature_algorithms
 * first when there are any, then the extensions ex. */
static void
b_lists(struct msg *m, const uint16_t *cs, unsigned nc, const uint16_t *ex, unsigned ne,
	const uint16_t *sig, unsigned ns)
{
	ch_begin(m, 0x0303, false, cs, nc);
	exts_begin(m);
	if (ns)
		x_list16(m, 13, sig, ns);
	for (unsigned i = 0; i < ne; i++)
		x_empty(m, ex[i]);
	m_end(m);
}

/* The signature the worker computes, remembering parts, against the one
 * computed afresh, for hello m. */
static void
signature_is_fresh(struct msg *m, const char *what)
{
	struct np_tls_hello h;
	struct np_tls_fp fp;
	char sig[NP_JA4_LEN + 1];
	uint8_t *copy;

	cr_assert(parse_msg(m->b, m->n, false, &h, &copy) == NP_TLS_OK, "%s", what);
	cr_assert(np_tls_fingerprint(g_hs, &h, NP_TLS_TCP, &fp) == 0);
	cr_assert(np_tls_signature(g_hs, &h, NP_TLS_TCP, sig) == 0);
	assert_str(sig, fp.ja4, what);
	free(copy);
}

/*
 * Remembered JA4 parts: the same lists with other GREASE values hit; lists
 * that could be read as one another's when laid end to end do not (the
 * extensions [000d] and signature algorithms [0002, 0403], against the
 * extensions [000d, 0001] and [0403]: with the number of extensions laid
 * between the lists, both would read 000d 0001 0002 0403).
 */
Test(tls_fp, remembered_parts)
{
	static const uint16_t cs1[] = { G(0), 0x1301, 0x1302, 0xc02b }, cs2[] = { 0x1301, G(5), 0x1302, 0xc02b };
	static const uint16_t sig_a[] = { 0x0002, 0x0403 };
	static const uint16_t ex_b[] = { 0x0001 }, sig_b[] = { 0x0403 };
	static const uint16_t ex_c[] = { 0x0017, 0x0001, 0x0002 }, sig_c[] = { 0x0403 };

	np_tls_hasher_forget(g_hs);
	b_lists(&g_m, cs1, N(cs1), NULL, 0, sig_a, N(sig_a));
	signature_is_fresh(&g_m, "first");
	b_lists(&g_m, cs2, N(cs2), NULL, 0, sig_a, N(sig_a));
	signature_is_fresh(&g_m, "other GREASE");
	b_lists(&g_m, cs1, N(cs1), ex_b, N(ex_b), sig_b, N(sig_b));
	signature_is_fresh(&g_m, "lists laid end to end alike");
	b_lists(&g_m, cs1, N(cs1), ex_c, N(ex_c), sig_c, N(sig_c));
	signature_is_fresh(&g_m, "again");
	b_lists(&g_m, cs1, N(cs1), ex_c, N(ex_c), NULL, 0);
	signature_is_fresh(&g_m, "no signature algorithms");
}

/* Many random hellos, each seen several times among the others, on a
 * table small enough for slots to be shared and replaced. */
Test(tls_fp, remembered_parts_random)
{
	uint16_t cs[8][40], ex[8][20], sig[8][12];
	unsigned nc[8], ne[8], ns[8];
	uint32_t x = 12345;

	for (unsigned k = 0; k < 8; k++) {
		nc[k] = 1 + (x = x * 1103515245 + 12345) % 40;
		for (unsigned i = 0; i < nc[k]; i++)
			cs[k][i] = (uint16_t)((x = x * 1103515245 + 12345) >> 8) % 6;
		ne[k] = (x = x * 1103515245 + 12345) % 20;
		for (unsigned i = 0; i < ne[k]; i++)	/* small values collide often */
			ex[k][i] = (uint16_t)(20 + ((x = x * 1103515245 + 12345) >> 8) % 8);
		ns[k] = (x = x * 1103515245 + 12345) % 12;
		for (unsigned i = 0; i < ns[k]; i++)
			sig[k][i] = (uint16_t)(((x = x * 1103515245 + 12345) >> 8) % 8);
	}
	for (unsigned r = 0; r < 400; r++) {
		unsigned k = (x = x * 1103515245 + 12345) % 8;

		if (r % 97 == 0)
			np_tls_hasher_forget(g_hs);
		b_lists(&g_m, cs[k], nc[k], ex[k], ne[k], sig[k], ns[k]);
		signature_is_fresh(&g_m, "random");
	}
}

/* ---------------------------------------------------------------------- */
/* The hello body parser. */

TestSuite(tls_parse, .init = setup, .fini = teardown);

Test(tls_parse, result_names)
{
	for (unsigned i = 0; i < NP_TLS_RESULT_COUNT; i++) {
		cr_assert(np_tls_result_names[i] && np_tls_result_names[i][0]);
		for (unsigned j = 0; j < i; j++)
			cr_assert(strcmp(np_tls_result_names[i], np_tls_result_names[j]));
	}
}

static enum np_tls_result
parse_body(uint8_t type, const uint8_t *b, uint32_t len, bool dtls, struct np_tls_hello *h)
{
	uint8_t *copy = exact(b, len);
	enum np_tls_result r = np_tls_parse_hello(type, copy, len, dtls, h);

	free(copy);
	return r;
}

/* The views of a parsed hello: exactly the bytes of the fields. */
Test(tls_parse, views)
{
	struct np_tls_hello h;
	uint8_t *copy;

	b_spec(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(h.type == NP_TLS_CLIENT_HELLO && !h.dtls && h.has_sni && h.has_alpn);
	cr_assert(h.legacy_version == 0x0303 && h.version == 0x0304);
	cr_assert(np_tls_hello_version(&h) == 0x0304);
	cr_assert(h.n_exts == 18);
	cr_assert(h.ciphers_len == 32 && h.ciphers == copy + 2 + 32 + 33 + 2);
	cr_assert(h.exts_len == g_m.n - 4 - (uint32_t)(h.exts - copy));
	cr_assert(h.sni_len == 11 && !memcmp(h.sni, "example.com", 11));
	cr_assert(h.alpn_len == 12 && !memcmp(h.alpn, "\x02h2\x08http/1.1", 12));
	cr_assert(h.sig_algs_len == 16 && h.sig_algs[0] == 0x04 && h.sig_algs[1] == 0x03);
	cr_assert(h.groups_len == 8 && h.groups[0] == 0x3a && h.groups[3] == 0x1d);
	cr_assert(h.point_formats_len == 1 && h.point_formats[0] == 0);
	cr_assert(h.versions_len == 6 && h.versions[0] == 0x5a && h.versions[3] == 0x04);
	free(copy);

	b_plain(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(!h.has_sni && !h.sni && !h.has_alpn && !h.alpn && !h.sig_algs &&
		  !h.versions && !h.version && h.n_exts == 4);
	cr_assert(np_tls_hello_version(&h) == 0x0303);
	free(copy);

	b_ssl3(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(!h.exts && !h.exts_len && !h.n_exts);
	free(copy);

	b_empty_block(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(h.exts && !h.exts_len && !h.n_exts);
	free(copy);

	b_sh13(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(h.type == NP_TLS_SERVER_HELLO && h.cipher == 0x1301 && h.version == 0x0304 &&
		  h.legacy_version == 0x0303 && h.n_exts == 2 && !h.ciphers && !h.versions);
	free(copy);

	/* a ServerHello has no cookie, in DTLS too */
	b_sh12(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, true, &h, &copy) == NP_TLS_OK);
	cr_assert(h.cipher == 0xc02f && h.has_sni && !h.sni && h.has_alpn && h.alpn_len == 3);
	cr_assert(np_tls_hello_version(&h) == 0x0303);
	free(copy);

	/* the repeated extension: the first one's data, every one counted */
	b_dup(&g_m);
	cr_assert(parse_msg(g_m.b, g_m.n, false, &h, &copy) == NP_TLS_OK);
	cr_assert(h.n_exts == 3 && h.groups_len == 2 && h.groups[1] == 0x1d);
	free(copy);
}

/* The fixed part of a body, each field wrong in turn. */
Test(tls_parse, framing)
{
	static uint8_t b[NP_TLS_HELLO_MAX + 8];
	struct np_tls_hello h;
	uint32_t n;

	b_ssl3(&g_m);
	n = g_m.n - 4;
	memcpy(b, g_m.b + 4, n);
	cr_assert(parse_body(1, b, n, false, &h) == NP_TLS_OK);
	cr_assert(parse_body(0, b, n, false, &h) == NP_TLS_NOT_TLS);
	cr_assert(parse_body(3, b, n, false, &h) == NP_TLS_NOT_TLS);
	/* after compression_methods: one byte is half an extensions length;
	 * two zero bytes an empty block; a third one trails it */
	b[n] = 0;
	cr_assert(parse_body(1, b, n + 1, false, &h) == NP_TLS_TRUNCATED);
	b[n + 1] = 0;
	cr_assert(parse_body(1, b, n + 2, false, &h) == NP_TLS_OK && h.exts && !h.n_exts);
	b[n + 2] = 0;
	cr_assert(parse_body(1, b, n + 3, false, &h) == NP_TLS_MALFORMED);

	/* session id over 32 */
	b[34] = 33;
	cr_assert(parse_body(1, b, n, false, &h) == NP_TLS_MALFORMED);
	b[34] = 32;
	/* odd cipher_suites length */
	b[2 + 32 + 33 + 1] = 7;
	cr_assert(parse_body(1, b, n, false, &h) == NP_TLS_MALFORMED);
	b[2 + 32 + 33 + 1] = 8;
	/* no compression method */
	b[2 + 32 + 33 + 2 + 8] = 0;
	cr_assert(parse_body(1, b, n - 2, false, &h) == NP_TLS_MALFORMED);
	b[2 + 32 + 33 + 2 + 8] = 2;
	cr_assert(parse_body(1, b, n, false, &h) == NP_TLS_OK);

	/* the extensions block: trailing bytes, a cut header */
	b_plain(&g_m);
	n = g_m.n - 4;
	memcpy(b, g_m.b + 4, n);
	b[n] = 0;
	cr_assert(parse_body(1, b, n + 1, false, &h) == NP_TLS_MALFORMED);
	uint32_t at = g_m.exts_at - 4;

	b[at + 1] += 3;
	b[n] = b[n + 1] = b[n + 2] = 0;
	cr_assert(parse_body(1, b, n + 3, false, &h) == NP_TLS_TRUNCATED);

	/* too long for reassembly, however well formed */
	ch_begin(&g_m, 0x0303, false, old_ciphers, N(old_ciphers));
	exts_begin(&g_m);
	x_bytes(&g_m, 0x0015, (const char *)b, NP_TLS_HELLO_MAX - g_m.n - 4);
	m_end(&g_m);
	cr_assert(g_m.n == NP_TLS_HELLO_MAX);
	cr_assert(parse_body(1, g_m.b + 4, g_m.n - 4, false, &h) == NP_TLS_OK);
	g_m.b[g_m.n] = 0;
	put_be(g_m.b + g_m.exts_at, 2, get_be(g_m.b + g_m.exts_at, 2) + 1);
	put_be(g_m.b + g_m.exts_at + 4, 2, get_be(g_m.b + g_m.exts_at + 4, 2) + 1);
	cr_assert(parse_body(1, g_m.b + 4, g_m.n - 3, false, &h) == NP_TLS_TOO_LONG);
}

/* The data of each extension the parser reads, right and wrong. */
Test(tls_parse, extension_data)
{
	static const struct {
		uint16_t type;
		const char *data;
		uint16_t len;
		uint8_t hello;
		enum np_tls_result want;
	} t[] = {
#define X(type, s, hello, want) { type, s, sizeof(s) - 1, hello, NP_TLS_##want }
		X(0, "", 1, OK),				/* no data: present, no name */
		X(0, "\x00\x00", 1, OK),			/* empty list */
		X(0, "\x00\x05\x00\x00\x02" "ab", 1, OK),
		X(0, "\x00\x0a\x01\x00\x02xy\x00\x00\x02" "ab", 1, OK),	/* not host_name first */
		X(0, "\x00\x06\x00\x00\x02" "ab", 1, MALFORMED),	/* list past the data */
		X(0, "\x00\x04\x00\x00\x02" "ab", 1, MALFORMED),	/* list short of it */
		X(0, "\x00\x05\x00\x00\x03" "ab", 1, MALFORMED),	/* name past the list */
		X(0, "\x00\x02\x00\x00", 1, MALFORMED),		/* entry header cut */
		X(0, "\x00", 1, MALFORMED),
		X(10, "", 1, MALFORMED),
		X(10, "\x00", 1, MALFORMED),
		X(10, "\x00\x00", 1, OK),
		X(10, "\x00\x02\x00\x1d", 1, OK),
		X(10, "\x00\x03\x00\x1d\x00", 1, MALFORMED),	/* half an item */
		X(10, "\x00\x04\x00\x1d", 1, MALFORMED),
		X(10, "\x00\x02\x00\x1d\x00\x17", 1, MALFORMED),
		X(13, "", 1, MALFORMED),
		X(13, "\x00\x00", 1, OK),
		X(13, "\x00\x01\x04", 1, MALFORMED),
		X(13, "\x00\x02\x04\x03\x08\x04", 1, MALFORMED),
		X(11, "", 1, MALFORMED),
		X(11, "\x00", 1, OK),
		X(11, "\x02\x00", 1, MALFORMED),
		X(11, "\x01\x00\x01", 1, MALFORMED),
		X(16, "", 1, MALFORMED),
		X(16, "\x00\x00", 1, OK),
		X(16, "\x00\x01\x00", 1, OK),			/* one empty name */
		X(16, "\x00\x03\x02h2", 1, OK),
		X(16, "\x00\x03\x03h2", 1, MALFORMED),		/* name past the list */
		X(16, "\x00\x04\x02h2", 1, MALFORMED),
		X(16, "\x00\x02\x02h2", 1, MALFORMED),
		X(43, "", 1, MALFORMED),
		X(43, "\x00", 1, OK),
		X(43, "\x02\x03\x04", 1, OK),
		X(43, "\x03\x03\x04\x03", 1, MALFORMED),
		X(43, "\x04\x03\x04", 1, MALFORMED),
		X(43, "\x02\x03\x04\x03", 1, MALFORMED),
		X(43, "\x03\x04", 2, OK),			/* ServerHello: the selected one */
		X(43, "", 2, MALFORMED),
		X(43, "\x03", 2, MALFORMED),
		X(43, "\x02\x03\x04", 2, MALFORMED),
		X(0x1234, "\xff\xff\xff", 1, OK),		/* not read */
		X(0x0033, "\xff", 1, OK),
		X(0x0a0a, "\xff", 1, OK),
#undef X
	};
	static const uint16_t cs[] = { 0x1301 };
	struct np_tls_hello h;

	for (unsigned i = 0; i < N(t); i++) {
		if (t[i].hello == 1)
			ch_begin(&g_m, 0x0303, false, cs, 1);
		else
			sh_begin(&g_m, 0x0303, 0x1301);
		exts_begin(&g_m);
		x_bytes(&g_m, t[i].type, t[i].data, t[i].len);
		m_end(&g_m);
		enum np_tls_result r = parse_body(t[i].hello, g_m.b + 4, g_m.n - 4, false, &h);

		cr_assert(r == t[i].want, "case %u (type %u): %s, want %s", i, t[i].type,
			  np_tls_result_names[r], np_tls_result_names[t[i].want]);
		if (r == NP_TLS_OK)
			round_trip("extension data", g_m.b, g_m.n, false, NP_TLS_TCP);
		/* the same data after a valid first occurrence is not read */
		if (t[i].want != NP_TLS_MALFORMED || t[i].hello != 1)
			continue;
		ch_begin(&g_m, 0x0303, false, cs, 1);
		exts_begin(&g_m);
		if (t[i].type == 11)
			x_bytes(&g_m, 11, "\x00", 1);
		else if (t[i].type == 43)
			x_bytes(&g_m, 43, "\x02\x03\x04", 3);
		else
			x_bytes(&g_m, t[i].type, "\x00\x00", 2);
		x_bytes(&g_m, t[i].type, t[i].data, t[i].len);
		m_end(&g_m);
		r = parse_body(1, g_m.b + 4, g_m.n - 4, false, &h);
		cr_assert(r == NP_TLS_OK && h.n_exts == 2, "case %u repeated: %s", i,
			  np_tls_result_names[r]);
	}

	/* the server name views */
	ch_begin(&g_m, 0x0303, false, cs, 1);
	exts_begin(&g_m);
	x_bytes(&g_m, 0, "\x00\x0f\x01\x00\x02xy\x00\x00\x02" "ab" "\x00\x00\x02" "cd", 17);
	m_end(&g_m);
	cr_assert(parse_body(1, g_m.b + 4, g_m.n - 4, false, &h) == NP_TLS_OK);
	cr_assert(h.has_sni && h.sni_len == 2 && !memcmp(h.sni, "ab", 2));
}

/* Every proper prefix of every case hello fails, except the one that
 * ends where the extensions block starts (a hello without one). */
Test(tls_parse, prefixes)
{
	struct np_tls_hello h;

	for (unsigned i = 0; i < N(cases); i++) {
		cases[i].build(&g_m);
		uint32_t len = g_m.n - 4;
		uint32_t valid = g_m.exts_at ? g_m.exts_at - 4 : len;

		for (uint32_t n = 0; n < len; n++) {
			enum np_tls_result r =
				parse_body(g_m.b[0], g_m.b + 4, n, cases[i].dtls, &h);

			if (n == valid)
				cr_assert(r == NP_TLS_OK, "%s: prefix %u", cases[i].name, n);
			else
				cr_assert(r != NP_TLS_OK && r != NP_TLS_MORE, "%s: prefix %u of %u: %s",
					  cases[i].name, n, len, np_tls_result_names[r]);
		}
	}
}

/* Every length field of every case hello set to 0, one less, one more,
 * 0xff, 0xffff and 0xffffff (cut to its width): never a crash nor a read
 * past the body (ASan), and a failure, with two exceptions that are right:
 * inside a repeated extension's data, which is not read; and where the
 * data of an unread extension happens to be framed like extensions (a
 * key_share entry is exactly type, length, data): then the hello parses
 * with another number of extensions. The message length itself is the
 * stream's business (tls_stream::message_length). */
Test(tls_parse, length_fields)
{
	static struct msg m;
	struct np_tls_hello h;
	unsigned tried = 0, reframed = 0;

	for (unsigned i = 0; i < N(cases); i++) {
		cases[i].build(&m);
		cr_assert(parse_body(m.b[0], m.b + 4, m.n - 4, cases[i].dtls, &h) == NP_TLS_OK);
		uint16_t n_exts = h.n_exts;

		for (unsigned k = 1; k < m.n_lens; k++) {
			uint32_t at = m.len_at[k], w = m.len_w[k];
			uint32_t real = get_be(m.b + at, w), mask = (uint32_t)((1ull << (8 * w)) - 1);
			const uint32_t vals[] = { 0, real - 1, real + 1, 0xff, 0xffff, 0xffffff };

			for (unsigned v = 0; v < N(vals); v++) {
				uint32_t val = vals[v] & mask;

				if (val == real || (v == 1 && !real))
					continue;
				put_be(m.b + at, w, val);
				enum np_tls_result r =
					parse_body(m.b[0], m.b + 4, m.n - 4, cases[i].dtls, &h);

				if (at >= m.unread_at && at < m.unread_end)
					cr_assert(r == NP_TLS_OK, "%s: unread length at %u",
						  cases[i].name, at);
				else if (r == NP_TLS_OK && h.n_exts != n_exts)
					reframed++;
				else
					cr_assert(r != NP_TLS_OK && r != NP_TLS_MORE,
						  "%s: length at %u (width %u) %u -> %u: %s",
						  cases[i].name, at, w, real, val,
						  np_tls_result_names[r]);
				put_be(m.b + at, w, real);
				tried++;
			}
		}
	}
	cr_assert(tried > 1000 && reframed < 5, "%u tried, %u reframed", tried, reframed);
}

/* ---------------------------------------------------------------------- */
/* np_tls_hello_reduce. */

TestSuite(tls_reduce, .init = setup, .fini = teardown);

static void
same_hello(const char *name, const struct np_tls_hello *a, const struct np_tls_hello *b,
	   char transport)
{
	struct fps fa, fb;

	cr_assert(a->type == b->type && a->dtls == b->dtls, "%s", name);
	cr_assert(a->has_sni == b->has_sni && a->has_alpn == b->has_alpn, "%s", name);
	cr_assert(a->legacy_version == b->legacy_version && a->version == b->version, "%s", name);
	cr_assert(a->cipher == b->cipher && a->n_exts == b->n_exts, "%s", name);
	cr_assert(!a->exts == !b->exts, "%s: extensions block", name);
	cr_assert(a->sni_len == b->sni_len && !a->sni == !b->sni, "%s: sni", name);
	cr_assert(!a->sni_len || !memcmp(a->sni, b->sni, a->sni_len), "%s: sni", name);
	cr_assert(a->alpn_len == b->alpn_len && !a->alpn == !b->alpn, "%s: alpn", name);
	cr_assert(!a->alpn_len || !memcmp(a->alpn, b->alpn, a->alpn_len), "%s: alpn", name);
	fingerprint(a, transport, &fa, 0);
	fingerprint(b, transport, &fb, 1);
	assert_str(fb.fp.ja4, fa.fp.ja4, ctx(name, "ja4"));
	assert_str(fb.fp.ja4_o, fa.fp.ja4_o, ctx(name, "ja4_o"));
	assert_str(fb.fp.ja3, fa.fp.ja3, ctx(name, "ja3"));
	assert_str(fb.ja4_r, fa.ja4_r, ctx(name, "ja4_r"));
	assert_str(fb.ja4_ro, fa.ja4_ro, ctx(name, "ja4_ro"));
	assert_str(fb.ja3_str, fa.ja3_str, ctx(name, "ja3 string"));
}

/* A reduced hello, reduced again, is the same bytes. */
static void
round_trip(const char *name, const uint8_t *msg, uint32_t len, bool dtls, char transport)
{
	static uint8_t out[MSG_MAX], out2[MSG_MAX];
	struct np_tls_hello a, b, c;
	uint8_t *ca, *cb, *cc;

	cr_assert(parse_msg(msg, len, dtls, &a, &ca) == NP_TLS_OK, "%s", name);
	size_t n = np_tls_hello_reduce(&a, out, sizeof(out));

	cr_assert(n >= 4 && n <= len, "%s: %zu of %u", name, n, len);
	cr_assert(out[0] == msg[0] && get_be(out + 1, 3) == n - 4, "%s: header", name);
	cr_assert(np_tls_hello_reduce(&a, out2, n - 1) == 0, "%s: cap", name);
	cr_assert(np_tls_hello_reduce(&a, out2, n) == n && !memcmp(out, out2, n), "%s", name);
	cr_assert(parse_msg(out, (uint32_t)n, dtls, &b, &cb) == NP_TLS_OK, "%s: reparse", name);
	same_hello(name, &a, &b, transport);

	/* only the data fingerprints use is kept */
	for (unsigned k = 0; k < 32; k++)
		cr_assert(!out[4 + 2 + k], "%s: random", name);
	if (a.type == NP_TLS_CLIENT_HELLO || a.legacy_version >> 8 != 0x7f)	/* drafts have none */
		cr_assert(!out[4 + 34], "%s: session id", name);
	if (dtls && a.type == NP_TLS_CLIENT_HELLO)
		cr_assert(!out[4 + 35], "%s: cookie", name);
	for (uint32_t off = 0; off < b.exts_len;) {
		uint16_t t = (uint16_t)get_be(b.exts + off, 2);
		uint32_t l = get_be(b.exts + off + 2, 2);

		cr_assert(!l || t == 0 || t == 10 || t == 11 || t == 13 || t == 16 || t == 43,
			  "%s: extension %04x keeps %u bytes", name, t, l);
		off += 4 + l;
	}
	size_t n2 = np_tls_hello_reduce(&b, out2, sizeof(out2));

	cr_assert(n2 == n && !memcmp(out, out2, n), "%s: reduce twice", name);
	/* and the original, parsed again, is still what it was */
	cr_assert(parse_msg(msg, len, dtls, &c, &cc) == NP_TLS_OK);
	free(ca);
	free(cb);
	free(cc);
}

Test(tls_reduce, cases)
{
	for (unsigned i = 0; i < N(cases); i++) {
		cases[i].build(&g_m);
		round_trip(cases[i].name, g_m.b, g_m.n, cases[i].dtls, transport_of(&cases[i]));
	}
}

/* The hellos of the ALPN, version and extension-data tests, too. */
Test(tls_reduce, more_hellos)
{
	static const struct name alpn[][2] = {
		{ NAME("\x30\xab\xcd\x31") }, { NAME(""), NAME("h2") }, { NAME("\x0a\x0a"), NAME("x") },
	};
	static const uint16_t cs[] = { 0x1301, G(3) };
	static const uint16_t v[] = { 0xfefd, 0xfefc };

	for (unsigned i = 0; i < N(alpn); i++) {
		ch_begin(&g_m, 0x0303, false, cs, N(cs));
		exts_begin(&g_m);
		x_alpn(&g_m, alpn[i], 2 - !alpn[i][1].p);
		x_sni(&g_m, "");
		m_end(&g_m);
		round_trip("alpn", g_m.b, g_m.n, false, NP_TLS_TCP);
	}
	ch_begin(&g_m, 0xfefd, true, cs, N(cs));
	exts_begin(&g_m);
	x_versions(&g_m, v, N(v));
	x_bytes(&g_m, 0, "", 0);
	x_bytes(&g_m, 0x0023, "ticket", 6);
	x_bytes(&g_m, 16, "\x00\x00", 2);
	m_end(&g_m);
	round_trip("dtls 1.3", g_m.b, g_m.n, true, NP_TLS_DTLS);
}

/* ---------------------------------------------------------------------- */
/* TLS records: np_tls_starts_hello and np_tls_stream_message. */

TestSuite(tls_stream, .init = setup, .fini = teardown);

#define STREAM_MAX (4 * NP_TLS_HELLO_MAX)

static uint8_t g_stream[STREAM_MAX];
static uint8_t g_out[NP_TLS_HELLO_MAX];

/* Records of payload sizes sizes[0], sizes[1], ... (the last repeated)
 * carrying msg; returns the stream length. */
static uint32_t
records(uint8_t *s, const uint8_t *msg, uint32_t len, const uint32_t *sizes, unsigned n,
	uint8_t type, uint16_t version)
{
	uint32_t pos = 0, off = 0;

	for (unsigned i = 0; off < len; i++) {
		uint32_t k = sizes[i < n ? i : n - 1];

		if (k > len - off)
			k = len - off;
		cr_assert(pos + 5 + k <= STREAM_MAX);
		s[pos] = type;
		put_be(s + pos + 1, 2, version);
		put_be(s + pos + 3, 2, k);
		memcpy(s + pos + 5, msg + off, k);
		pos += 5 + k;
		off += k;
	}
	return pos;
}

static enum np_tls_result
stream(const uint8_t *s, uint32_t len, const uint8_t **msg, uint32_t *msg_len)
{
	static uint8_t *copy;

	free(copy);		/* the previous call's; *msg may point into it */
	copy = exact(s, len);
	return np_tls_stream_message(copy, len, g_out, msg, msg_len);
}

Test(tls_stream, starts_hello)
{
	uint8_t p[8] = { 22, 3, 1, 0, 200, 1, 0, 0 };

	cr_assert(np_tls_starts_hello(p, 8) == 1);
	cr_assert(np_tls_starts_hello(p, 6) == 1);
	cr_assert(np_tls_starts_hello(p, 5) == 0);
	p[5] = 2;
	cr_assert(np_tls_starts_hello(p, 6) == 2);
	p[5] = 11;
	cr_assert(np_tls_starts_hello(p, 6) == 0);
	p[5] = 1;
	for (unsigned v = 0; v <= 4; v++) {
		p[2] = (uint8_t)v;
		cr_assert(np_tls_starts_hello(p, 6) == 1);
	}
	p[2] = 5;
	cr_assert(np_tls_starts_hello(p, 6) == 0);
	p[2] = 3;
	p[1] = 2;
	cr_assert(np_tls_starts_hello(p, 6) == 0);
	p[1] = 3;
	p[0] = 23;
	cr_assert(np_tls_starts_hello(p, 6) == 0);
	p[0] = 22;
	put_be(p + 3, 2, 0);
	cr_assert(np_tls_starts_hello(p, 6) == 0);
	put_be(p + 3, 2, 16384 + 2048);
	cr_assert(np_tls_starts_hello(p, 6) == 1);
	put_be(p + 3, 2, 16384 + 2049);
	cr_assert(np_tls_starts_hello(p, 6) == 0);
	cr_assert(np_tls_starts_hello(p, 0) == 0);
}

/* One record: the message in place, what follows it in the record ignored. */
Test(tls_stream, one_record)
{
	const uint8_t *msg;
	uint32_t n, len, msg_len;

	b_spec(&g_m);
	n = records(g_stream, g_m.b, g_m.n, &g_m.n, 1, 22, 0x0301);
	cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_OK);
	cr_assert(msg_len == g_m.n && !memcmp(msg, g_m.b, g_m.n) && msg != g_out);

	/* a second message after it in the same record, and more records */
	memcpy(g_m.b + g_m.n, "\x0b\x00\x00\x02xy", 6);
	len = g_m.n + 6;
	n = records(g_stream, g_m.b, len, &len, 1, 22, 0x0303);
	g_stream[n] = 23;
	cr_assert(stream(g_stream, n + 1, &msg, &msg_len) == NP_TLS_OK);
	cr_assert(msg_len == g_m.n && !memcmp(msg, g_m.b, g_m.n) && msg != g_out);
}

/* A message across 2..N records, with record boundaries inside its
 * header too; every proper prefix of the stream is NP_TLS_MORE. */
Test(tls_stream, several_records)
{
	static const uint32_t splits[][5] = {
		{ 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 7 }, { 64 }, { 1, 1, 1, 1, 100 },
		{ 3, 1, 1000 }, { 2, 2, 1000 }, { 1, 3, 1000 }, { 4, 1, 1000 }, { 100, 1000 },
	};
	static const unsigned nsplit[] = { 1, 1, 1, 1, 1, 1, 1, 5, 3, 3, 3, 3, 2 };
	const uint8_t *msg;
	uint32_t msg_len;

	b_spec(&g_m);
	for (unsigned i = 0; i < N(splits); i++) {
		uint32_t n = records(g_stream, g_m.b, g_m.n, splits[i], nsplit[i], 22, 0x0301);

		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_OK, "split %u", i);
		cr_assert(msg == g_out && msg_len == g_m.n && !memcmp(msg, g_m.b, g_m.n),
			  "split %u", i);
		for (uint32_t k = 0; k < n; k++) {
			enum np_tls_result r = stream(g_stream, k, &msg, &msg_len);

			cr_assert(r == NP_TLS_MORE, "split %u prefix %u: %s", i, k,
				  np_tls_result_names[r]);
		}
		/* the message parses to the fingerprints of the case */
		struct np_tls_hello h;
		struct fps f;

		cr_assert(np_tls_parse_hello(msg[0], msg + 4, msg_len - 4, false, &h) == NP_TLS_OK);
		fingerprint(&h, NP_TLS_TCP, &f, 0);
		assert_str(f.fp.ja4, cases[0].ja4, "ja4 through records");
	}
	/* every prefix of the one-record stream, too */
	uint32_t n = records(g_stream, g_m.b, g_m.n, &g_m.n, 1, 22, 0x0301);

	for (uint32_t k = 0; k < n; k++)
		cr_assert(stream(g_stream, k, &msg, &msg_len) == NP_TLS_MORE, "prefix %u", k);
}

/* Records that are not a TLS handshake. */
Test(tls_stream, not_tls)
{
	static const uint32_t split[] = { 50 };
	const uint8_t *msg;
	uint32_t n, msg_len;

	b_spec(&g_m);
	for (unsigned type = 0; type < 256; type++) {
		n = records(g_stream, g_m.b, g_m.n, split, 1, (uint8_t)type, 0x0301);
		enum np_tls_result r = stream(g_stream, n, &msg, &msg_len);

		cr_assert(type == 22 ? r == NP_TLS_OK : r == NP_TLS_NOT_TLS, "type %u", type);
		cr_assert(stream(g_stream, 1, &msg, &msg_len) ==
			  (type == 22 ? NP_TLS_MORE : NP_TLS_NOT_TLS));
	}
	/* change_cipher_spec, alert, application data, heartbeat before the
	 * message is whole */
	static const uint8_t other[] = { 20, 21, 23, 24 };

	for (unsigned i = 0; i < N(other); i++) {
		n = records(g_stream, g_m.b, g_m.n, split, 1, 22, 0x0301);
		g_stream[55] = other[i];
		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_NOT_TLS);
		cr_assert(stream(g_stream, 56, &msg, &msg_len) == NP_TLS_NOT_TLS);
	}
	/* versions: 3.0 to 3.4 only, in every record */
	static const uint16_t bad[] = { 0x0200, 0x0002, 0x0305, 0x0403, 0xfefd, 0x0000, 0x0103 };

	for (unsigned i = 0; i < N(bad); i++) {
		n = records(g_stream, g_m.b, g_m.n, split, 1, 22, bad[i]);
		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_NOT_TLS, "%04x", bad[i]);
		n = records(g_stream, g_m.b, g_m.n, split, 1, 22, 0x0303);
		put_be(g_stream + 55 + 1, 2, bad[i]);
		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_NOT_TLS, "%04x", bad[i]);
	}
	for (uint16_t v = 0x0300; v <= 0x0304; v++) {
		n = records(g_stream, g_m.b, g_m.n, split, 1, 22, v);
		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_OK);
	}
	/* record lengths: 0, and past 2^14 + 2048 */
	n = records(g_stream, g_m.b, g_m.n, split, 1, 22, 0x0301);
	put_be(g_stream + 3, 2, 0);
	cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_NOT_TLS);
	put_be(g_stream + 3, 2, 16384 + 2049);
	cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_NOT_TLS);
	/* (the record now swallows the next ones' headers: only the length
	 * of the message counts here) */
	put_be(g_stream + 3, 2, 16384 + 2048);
	cr_assert(stream(g_stream, 5 + 16384 + 2048, &msg, &msg_len) == NP_TLS_OK);
	cr_assert(msg != g_out && msg_len == g_m.n);
}

/* Messages over NP_TLS_HELLO_MAX are refused as soon as their length is
 * read; one of exactly NP_TLS_HELLO_MAX is joined. */
Test(tls_stream, message_length)
{
	static uint8_t big[NP_TLS_HELLO_MAX + 1];
	static const uint32_t sizes[][3] = { { 16384 }, { 1, 16384 }, { 3, 16384 }, { 9000 } };
	static const unsigned nsizes[] = { 1, 2, 2, 1 };
	const uint8_t *msg;
	uint32_t n, msg_len;

	memset(big, 0x5a, sizeof(big));
	big[0] = 1;
	for (unsigned i = 0; i < N(sizes); i++) {
		put_be(big + 1, 3, NP_TLS_HELLO_MAX - 4);
		n = records(g_stream, big, NP_TLS_HELLO_MAX, sizes[i], nsizes[i], 22, 0x0301);
		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_OK, "%u", i);
		cr_assert(msg_len == NP_TLS_HELLO_MAX && !memcmp(msg, big, msg_len));
		cr_assert(stream(g_stream, n - 1, &msg, &msg_len) == NP_TLS_MORE);

		put_be(big + 1, 3, NP_TLS_HELLO_MAX - 3);
		n = records(g_stream, big, NP_TLS_HELLO_MAX + 1, sizes[i], nsizes[i], 22, 0x0301);
		cr_assert(stream(g_stream, n, &msg, &msg_len) == NP_TLS_TOO_LONG, "%u", i);
		/* said as soon as the 4-byte header is in */
		uint32_t hdr_end = nsizes[i] == 2 && sizes[i][0] < 4 ? 5 + sizes[i][0] + 5 + 4 - sizes[i][0]
								      : 5 + 4;

		cr_assert(stream(g_stream, hdr_end, &msg, &msg_len) == NP_TLS_TOO_LONG, "%u", i);
		cr_assert(stream(g_stream, hdr_end - 1, &msg, &msg_len) == NP_TLS_MORE, "%u", i);
	}

	/* the message length field of every case, set wrong: never a hello
	 * that parses */
	for (unsigned i = 0; i < N(cases); i++) {
		cases[i].build(&g_m);
		uint32_t real = g_m.n - 4;
		const uint32_t vals[] = { 0, real - 1, real + 1, 0xff, 0xffff, 0xffffff };

		for (unsigned v = 0; v < N(vals); v++) {
			struct np_tls_hello h;

			put_be(g_m.b + 1, 3, vals[v]);
			n = records(g_stream, g_m.b, g_m.n, &g_m.n, 1, 22, 0x0301);
			enum np_tls_result r = stream(g_stream, n, &msg, &msg_len);

			if (r == NP_TLS_OK)
				r = np_tls_parse_hello(msg[0], msg + 4, msg_len - 4, cases[i].dtls, &h);
			cr_assert(r != NP_TLS_OK, "%s: message length %u", cases[i].name, vals[v]);
		}
	}
}

/* ---------------------------------------------------------------------- */
/* DTLS: records and handshake fragments of a datagram. */

TestSuite(dtls, .init = setup, .fini = teardown);

static uint8_t g_dgram[4096];

/* A DTLS record header and its payload at p; returns the bytes written. */
static uint32_t
drec(uint8_t *p, uint8_t type, uint16_t version, uint16_t epoch, const uint8_t *data,
     uint32_t len)
{
	p[0] = type;
	put_be(p + 1, 2, version);
	put_be(p + 3, 2, epoch);
	put_be(p + 5, 4, 0);
	put_be(p + 9, 2, 7);		/* sequence number */
	put_be(p + 11, 2, len);
	memcpy(p + 13, data, len);
	return 13 + len;
}

/* A handshake fragment of message m: [off, off + len). */
static uint32_t
dfrag(uint8_t *p, const struct msg *m, uint16_t seq, uint32_t off, uint32_t len)
{
	p[0] = m->b[0];
	memcpy(p + 1, m->b + 1, 3);
	put_be(p + 4, 2, seq);
	put_be(p + 6, 3, off);
	put_be(p + 9, 3, len);
	memcpy(p + 12, m->b + 4 + off, len);
	return 12 + len;
}

static enum np_tls_result
next_frag(const uint8_t *d, uint32_t len, uint32_t *pos, struct np_dtls_fragment *f)
{
	static uint8_t *copy;

	free(copy);
	copy = exact(d, len);
	return np_dtls_next_fragment(copy, len, pos, f);
}

Test(dtls, starts_handshake)
{
	uint8_t p[32] = { 0 };
	uint8_t frag[12] = { 1 };

	drec(p, 22, 0xfefd, 0, frag, 12);
	cr_assert(np_dtls_starts_handshake(p, 25));
	cr_assert(!np_dtls_starts_handshake(p, 24));
	put_be(p + 1, 2, 0xfeff);
	cr_assert(np_dtls_starts_handshake(p, 25));
	put_be(p + 1, 2, 0xfefc);
	cr_assert(np_dtls_starts_handshake(p, 25));
	put_be(p + 1, 2, 0x0303);
	cr_assert(!np_dtls_starts_handshake(p, 25));
	put_be(p + 1, 2, 0xfefe);
	cr_assert(!np_dtls_starts_handshake(p, 25));
	put_be(p + 1, 2, 0xfefd);
	put_be(p + 3, 2, 1);		/* epoch 1: encrypted */
	cr_assert(!np_dtls_starts_handshake(p, 25));
	put_be(p + 3, 2, 0);
	put_be(p + 11, 2, 11);		/* no room for a fragment header */
	cr_assert(!np_dtls_starts_handshake(p, 25));
	put_be(p + 11, 2, 12);
	p[0] = 23;
	cr_assert(!np_dtls_starts_handshake(p, 25));
	p[0] = 0x2c;			/* DTLS 1.3 unified header */
	cr_assert(!np_dtls_starts_handshake(p, 25));
}

/* Records of other types and epochs skipped, several fragments in a
 * record, the message put together and fingerprinted as the case. */
Test(dtls, fragments)
{
	static uint8_t rec[2048], body[NP_TLS_HELLO_MAX];
	struct np_dtls_fragment f;
	uint32_t n = 0, r, pos = 0;

	b_dtls(&g_m);
	uint32_t len = g_m.n - 4;

	cr_assert(len > 120);
	n += drec(g_dgram + n, 20, 0xfefd, 0, (const uint8_t *)"\x01", 1);	/* change_cipher_spec */
	r = dfrag(rec, &g_m, 0, 0, 40);
	r += dfrag(rec + r, &g_m, 0, 40, 60);
	n += drec(g_dgram + n, 22, 0xfefd, 0, rec, r);
	n += drec(g_dgram + n, 21, 0xfefd, 0, (const uint8_t *)"\x01\x00", 2);	/* alert */
	n += drec(g_dgram + n, 22, 0xfefd, 1, (const uint8_t *)"encrypted finished..", 20);
	n += drec(g_dgram + n, 23, 0xfefd, 1, (const uint8_t *)"application data", 16);
	r = dfrag(rec, &g_m, 0, 100, len - 100);
	n += drec(g_dgram + n, 22, 0xfeff, 0, rec, r);

	static const uint32_t offs[] = { 0, 40, 100 };
	uint32_t got = 0;

	for (unsigned i = 0; i < 3; i++) {
		cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_OK, "fragment %u", i);
		cr_assert(f.msg_type == 1 && f.msg_len == len && f.msg_seq == 0);
		cr_assert(f.frag_off == offs[i], "fragment %u at %u", i, f.frag_off);
		cr_assert(f.record_version == (i < 2 ? 0xfefd : 0xfeff));
		memcpy(body + f.frag_off, f.data, f.frag_len);
		got += f.frag_len;
	}
	cr_assert(got == len && pos == n);
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_MORE);
	cr_assert(pos == n);

	struct np_tls_hello h;
	struct fps fp;

	uint8_t *copy = exact(body, len);

	cr_assert(np_tls_parse_hello(1, copy, len, true, &h) == NP_TLS_OK);
	fingerprint(&h, NP_TLS_DTLS, &fp, 0);
	assert_str(fp.fp.ja4, case_named("dtls")->ja4, "dtls ja4");
	assert_str(fp.fp.ja3, case_named("dtls")->ja3, "dtls ja3");
	free(copy);

	/* the cookie is read as such: without the DTLS flag the body is wrong */
	cr_assert(parse_body(1, body, len, false, &h) != NP_TLS_OK);

	/* every proper prefix of the datagram: no read past it */
	for (uint32_t k = 0; k < n; k++) {
		enum np_tls_result res;

		pos = 0;
		while ((res = next_frag(g_dgram, k, &pos, &f)) == NP_TLS_OK)
			cr_assert(pos <= k);
		cr_assert(res == NP_TLS_MORE || res == NP_TLS_TRUNCATED, "prefix %u: %s", k,
			  np_tls_result_names[res]);
	}
}

Test(dtls, bad_datagrams)
{
	static uint8_t rec[2048];
	struct np_dtls_fragment f;
	uint32_t n, r, pos;

	b_dtls(&g_m);
	r = dfrag(rec, &g_m, 0, 0, 50);
	n = drec(g_dgram, 22, 0xfefd, 0, rec, r);

	/* a record length past the datagram */
	pos = 0;
	cr_assert(next_frag(g_dgram, n - 1, &pos, &f) == NP_TLS_TRUNCATED);
	/* a fragment past its record, but not past the datagram */
	put_be(g_dgram + 11, 2, r - 1);
	pos = 0;
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_TRUNCATED);
	/* a record too short for a fragment header */
	put_be(g_dgram + 11, 2, 11);
	pos = 0;
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_TRUNCATED);
	put_be(g_dgram + 11, 2, r);
	/* fragment_offset + fragment_length past the message */
	put_be(g_dgram + 13 + 6, 3, g_m.n - 4 - 49);
	pos = 0;
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_MALFORMED);
	put_be(g_dgram + 13 + 6, 3, g_m.n - 4 - 50);
	pos = 0;
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_OK && f.frag_off == g_m.n - 4 - 50);
	put_be(g_dgram + 13 + 6, 3, 0xffffff);
	pos = 0;
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_MALFORMED);
	put_be(g_dgram + 13 + 6, 3, 0);
	/* a record header cut by the end of the datagram */
	memcpy(g_dgram + n, "\x16\xfe\xfd\x00\x00", 5);
	pos = 0;
	cr_assert(next_frag(g_dgram, n + 5, &pos, &f) == NP_TLS_OK);
	cr_assert(next_frag(g_dgram, n + 5, &pos, &f) == NP_TLS_TRUNCATED);
	/* a record of another version after the first */
	r = drec(g_dgram + n, 22, 0x0303, 0, rec, 12);
	pos = 0;
	cr_assert(next_frag(g_dgram, n + r, &pos, &f) == NP_TLS_OK);
	cr_assert(next_frag(g_dgram, n + r, &pos, &f) == NP_TLS_NOT_TLS);
	/* a DTLS 1.3 unified header or a connection-id record ends the walk */
	g_dgram[n] = 0x2f;
	pos = 0;
	cr_assert(next_frag(g_dgram, n + r, &pos, &f) == NP_TLS_OK);
	cr_assert(next_frag(g_dgram, n + r, &pos, &f) == NP_TLS_MORE);
	g_dgram[n] = 25;
	cr_assert(next_frag(g_dgram, n + r, &pos, &f) == NP_TLS_MORE);
	/* an empty datagram, a position past the end */
	pos = 0;
	cr_assert(next_frag(g_dgram, 0, &pos, &f) == NP_TLS_MORE);
	pos = 100000;
	cr_assert(next_frag(g_dgram, n, &pos, &f) == NP_TLS_MORE);
}

/* A DTLS 1.3 ClientHello: d3 from supported_versions. */
Test(dtls, dtls13)
{
	static const uint16_t cs[] = { 0x1301, 0x1302 };
	static const uint16_t v[] = { 0xfefc, 0xfefd };

	ch_begin(&g_m, 0xfefd, true, cs, N(cs));
	exts_begin(&g_m);
	x_versions(&g_m, v, N(v));
	x_sni(&g_m, "dtls.example");
	m_end(&g_m);
	/* t13-style counts: 2 ciphers, 2 extensions, no ALPN */
	cr_assert(!strncmp(ja4_of(&g_m, true, NP_TLS_DTLS), "dd3d020200_", 11));
}
