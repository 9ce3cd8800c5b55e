/* SPDX-License-Identifier: MIT */
/*
 * The hello tracker (core/tls_track.c) on frames built here: hellos split
 * over segments and records in every order, STARTTLS, a first segment of a
 * few bytes, HelloRetryRequest, every way an attempt is given up (and the
 * counter it lands in), the buffer pool and the table's limits, QUIC
 * Initials (RFC 9001's own packets), DTLS fragments, and os_mismatch.
 *
 * A split hello must give the record the whole hello gives: that is the
 * property under test here (the fingerprints themselves are test_tls's and
 * the differential tests'). Where a test names fingerprint values, they
 * come from tests/tls/ja4_spec.py, written from the specifications apart
 * from the C code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "frames.h"
#include "tracker.h"
#include "quic_vectors.h"
#include "tls_track.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define DLT_EN10MB_ 1
#define T0 1700000000000000ull

static struct np_tls_track g_t;
static struct np_observation g_out;
static struct np_db *g_db;
static char g_err[NP_DB_ERR_MAX];

static void
setup_db(const char *text)
{
	np_db_free(g_db);
	g_db = np_db_load_buf("t.fp", text, g_err, sizeof(g_err));
	cr_assert(g_db != NULL, "%s", g_err);
}

static void
init(void)
{
	setup_db("[mtu]\nlabel = Ethernet\nsig = 1500\n");
	cr_assert(eq(int, np_tls_track_init(&g_t, 64, 8, 30), 0));
}

static void
fini(void)
{
	np_tls_track_fini(&g_t);
	np_db_free(g_db);
	g_db = NULL;
}

TestSuite(track, .init = init, .fini = fini);

/* ---- hellos and records ------------------------------------------------- */

struct bytes {
	uint8_t b[8192];
	uint32_t n;
};

static void
put(struct bytes *m, const void *p, size_t n)
{
	cr_assert(m->n + n <= sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += (uint32_t)n;
}

static void
put16(struct bytes *m, uint32_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

/*
 * A ClientHello (type, 24-bit length, body): two ciphers, SNI, ALPN "h2",
 * supported_versions 1.3, two sig algs, two groups, and a padding extension
 * of pad bytes to make it as long as wanted. legacy tells hellos apart.
 */
static void
client_hello(struct bytes *m, const char *sni, uint16_t legacy, uint32_t pad, bool dtls)
{
	static const uint8_t tail[] = {
		0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 'h', '2',		/* ALPN */
		0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04,			/* versions */
		0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04,	/* sig algs */
		0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17,	/* groups */
	};
	uint8_t random[32] = { 7 };
	size_t sl = strlen(sni);
	struct bytes body = { .n = 0 };

	put16(&body, legacy);
	put(&body, random, 32);
	put(&body, "\0", 1);			/* session id */
	if (dtls)
		put(&body, "\0", 1);		/* cookie */
	put16(&body, 4);
	put16(&body, 0x1301);
	put16(&body, 0x1302);
	put(&body, "\1\0", 2);			/* compression: null */
	put16(&body, (uint32_t)(9 + sl + sizeof(tail) + 4 + pad));
	put16(&body, 0);			/* server_name */
	put16(&body, (uint32_t)(5 + sl));
	put16(&body, (uint32_t)(3 + sl));
	put(&body, "\0", 1);
	put16(&body, (uint32_t)sl);
	put(&body, sni, sl);
	put(&body, tail, sizeof(tail));
	put16(&body, 0x15);			/* padding */
	put16(&body, pad);
	for (uint32_t i = 0; i < pad; i++)
		put(&body, "\0", 1);

	uint8_t hdr[4] = { 1, (uint8_t)(body.n >> 16), (uint8_t)(body.n >> 8), (uint8_t)body.n };

	m->n = 0;
	put(m, hdr, 4);
	put(m, body.b, body.n);
}

/* A ServerHello choosing TLS 1.3 and 0x1301. */
static void
server_hello(struct bytes *m)
{
	static const uint8_t body[] = {
		0x03, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
		0x00,			/* session id */
		0x13, 0x01, 0x00,	/* cipher, compression */
		0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
	};

	m->n = 0;
	put(m, "\x02\x00\x00", 3);
	put(m, (const uint8_t[]){ (uint8_t)sizeof(body) }, 1);
	put(m, body, sizeof(body));
}

/* The message wrapped in TLS records, a new record at each cut. */
static void
records(struct bytes *s, const struct bytes *msg, const uint32_t *cuts, unsigned n_cuts)
{
	uint32_t from = 0;

	s->n = 0;
	for (unsigned i = 0; i <= n_cuts; i++) {
		uint32_t to = i < n_cuts ? cuts[i] : msg->n;

		put(s, "\x16\x03\x01", 3);
		put16(s, to - from);
		put(s, msg->b + from, to - from);
		from = to;
	}
}

/* ---- packets ---------------------------------------------------------- */

struct conn {
	uint8_t cli[16], srv[16];
	uint16_t cport, sport;
	uint32_t cseq, sseq;		/* next sequence numbers */
	uint64_t ts;
};

static struct conn
conn4(uint8_t host)
{
	struct conn c = { .cport = (uint16_t)(40000 + host), .sport = 443, .cseq = 1000,
			  .sseq = 900000, .ts = T0 };

	tf_addr4(c.cli, 10, 0, 0, host);
	tf_addr4(c.srv, 192, 0, 2, 1);
	return c;
}

/* A TCP packet of the connection, from the client (to_srv) or the server. */
static void
parse_tcp(const struct conn *c, bool to_srv, uint32_t seq, uint8_t flags, const uint8_t *p,
	  uint32_t len, uint8_t *frame, struct np_packet *pk)
{
	struct tf t = tf_syn4();
	struct np_link lk;

	memcpy(t.src, to_srv ? c->cli : c->srv, 4);
	memcpy(t.dst, to_srv ? c->srv : c->cli, 4);
	t.sport = to_srv ? c->cport : c->sport;
	t.dport = to_srv ? c->sport : c->cport;
	t.seq = seq;
	t.ack = 1;
	t.flags = flags;
	t.opts.n = 0;
	t.payload = p;
	t.pay_len = (uint16_t)len;
	np_link_init(&lk, DLT_EN10MB_);
	size_t n = tf_eth(&t, frame);
	cr_assert(eq(int, np_parse_frame(&lk, frame, (uint32_t)n, pk), NP_PARSE_OK));
}

static const struct np_tls_tcp_hint no_hint = { .syn_label = -1 };

/* Send len bytes at stream offset off of one side; hint as p0f's flow
 * would give it, or none. */
static unsigned
seg(struct conn *c, bool to_srv, uint32_t off, const uint8_t *p, uint32_t len, uint8_t flags,
    const struct np_tls_tcp_hint *hint)
{
	uint8_t frame[TF_MAX];
	struct np_packet pk;

	parse_tcp(c, to_srv, (to_srv ? c->cseq : c->sseq) + off, flags, p, len, frame, &pk);
	np_observation_clear(&g_out);

	struct np_tls_tcp_hint h = *hint;

	h.hash = np_flow_hash(&pk);	/* as the tracker gives it */
	np_tls_track_tcp(&g_t, g_db, 1, &pk, &h, c->ts, 3, &g_out);
	return g_out.n;
}

static struct np_tls_tcp_hint
hint_of(const struct conn *c, bool to_srv, uint32_t cdone, uint32_t sdone)
{
	return (struct np_tls_tcp_hint){
		.syn_label = -1, .seq_known = true, .to_srv = to_srv, .no_data_yet = !cdone && !sdone,
		.snd_next = to_srv ? c->cseq + cdone : c->sseq + sdone,
		.rcv_next = to_srv ? c->sseq + sdone : c->cseq + cdone,
	};
}

/* The record a whole hello must give: its fingerprints, by the same
 * functions the tracker calls, on the message as one piece. */
static void
expect_record(const struct bytes *msg, char transport, uint8_t kind)
{
	struct np_tls_hello h;
	struct np_tls_fp fp;
	struct np_tls_hasher *hs = np_tls_hasher_new();
	uint32_t len = (uint32_t)msg->b[1] << 16 | (uint32_t)msg->b[2] << 8 | msg->b[3];

	cr_assert(eq(int, np_tls_parse_hello(msg->b[0], msg->b + 4, len, transport == 'd', &h),
		     NP_TLS_OK));
	cr_assert(eq(int, np_tls_fingerprint(hs, &h, transport, &fp), 0));
	np_tls_hasher_free(hs);

	cr_assert(eq(u32, g_out.n, 1));
	const struct np_rec *r = &g_out.rec[0];

	cr_assert(eq(u8, r->kind, kind));
	cr_assert(eq(u8, r->tls.transport, (uint8_t)transport));
	cr_assert(eq(u8, r->to_srv, kind == NP_REC_TLS_CLIENT));
	cr_assert(eq(u8, r->worker, 3));
	/* the worker computes the fingerprint signatures are keyed by */
	cr_assert(eq(str, (char *)r->tls.sig, kind == NP_REC_TLS_CLIENT ? fp.ja4 : fp.ja3));
	cr_assert(eq(u16, r->tls.version, np_tls_hello_version(&h)));
	/* the outputs make the rest from the tail: the same as from the hello */
	const char *tail = np_observation_tail(&g_out, 0);
	struct np_tls_out o = { .raw = NULL };

	cr_assert(tail != NULL);
	cr_assert(eq(int, np_tls_out_fill(&o, r, tail), 0));
	cr_assert(o.ok);
	cr_assert(eq(str, o.fp.ja4, fp.ja4));
	cr_assert(eq(str, o.fp.ja4_o, fp.ja4_o));
	cr_assert(eq(str, o.fp.ja3, fp.ja3));
	cr_assert(eq(u32, o.h.sni_len, h.sni_len));
	cr_assert(eq(u32, o.h.alpn_len, h.alpn_len));
	np_tls_out_fini(&o);
}

static void
assert_pool_whole(void)
{
	cr_assert(eq(u32, g_t.buf_n_free, g_t.buf_cap), "a reassembly buffer was not given back");
}

/* ---- TCP -------------------------------------------------------------- */

Test(track, whole_hello_without_a_syn)
{
	struct conn c = conn4(1);
	struct bytes m, s;

	client_hello(&m, "example.com", 0x0303, 0, false);
	records(&s, &m, NULL, 0);
	seg(&c, true, 0, s.b, s.n, TF_ACK | TF_PSH, &no_hint);
	expect_record(&m, 't', NP_REC_TLS_CLIENT);
	cr_assert(eq(int, memcmp(g_out.rec[0].cli, c.cli, 4), 0));
	cr_assert(eq(u16, g_out.rec[0].srv_port, 443));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_SEEN], 1));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_DONE], 1));

	server_hello(&m);
	records(&s, &m, NULL, 0);
	seg(&c, false, 0, s.b, s.n, TF_ACK | TF_PSH, &no_hint);
	expect_record(&m, 't', NP_REC_TLS_SERVER);
	cr_assert(eq(u16, g_out.rec[0].tls.cipher, 0x1301));
	cr_assert(eq(int, memcmp(g_out.rec[0].cli, c.cli, 4), 0), "the client is the peer");
	assert_pool_whole();
}

/* Three segments, two records, in all six orders; with and without p0f's
 * sequence numbers (without them, a hello whose start comes late is lost). */
Test(track, split_hello_in_every_order)
{
	static const unsigned orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct bytes m, s;
	uint32_t rcut = 700;

	client_hello(&m, "split.example", 0x0303, 1500, false);
	records(&s, &m, &rcut, 1);
	uint32_t cut[4] = { 0, 3, 1400, s.n };	/* the first record header cut in two */

	for (unsigned k = 0; k < 6; k++) {
		struct conn c = conn4((uint8_t)(10 + k));
		unsigned got = 0;

		for (unsigned i = 0; i < 3; i++) {
			unsigned p = orders[k][i];
			struct np_tls_tcp_hint h = hint_of(&c, true, 0, 0);

			got += seg(&c, true, cut[p], s.b + cut[p], cut[p + 1] - cut[p], TF_ACK, &h);
			if (got)
				break;
		}
		cr_assert(eq(u32, got, 1), "order %u", k);
		expect_record(&m, 't', NP_REC_TLS_CLIENT);
	}
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_DONE], 6));
	assert_pool_whole();
}

Test(track, starttls_plaintext_first)
{
	static const char banner[] = "220 mail.example ESMTP\r\n", ehlo[] = "EHLO x\r\n",
			  ready[] = "220 2.0.0 Ready to start TLS\r\n", starttls[] = "STARTTLS\r\n";
	struct conn c = conn4(2);
	struct bytes m, s;
	uint32_t co = 0, so = 0;

	c.sport = 25;
	seg(&c, false, so, (const uint8_t *)banner, sizeof(banner) - 1, TF_ACK, &no_hint);
	so += sizeof(banner) - 1;
	seg(&c, true, co, (const uint8_t *)ehlo, sizeof(ehlo) - 1, TF_ACK, &no_hint);
	co += sizeof(ehlo) - 1;
	seg(&c, true, co, (const uint8_t *)starttls, sizeof(starttls) - 1, TF_ACK, &no_hint);
	co += sizeof(starttls) - 1;
	seg(&c, false, so, (const uint8_t *)ready, sizeof(ready) - 1, TF_ACK, &no_hint);
	so += sizeof(ready) - 1;
	cr_assert(eq(u32, g_t.count, 0), "plaintext makes no entry");

	client_hello(&m, "mail.example", 0x0303, 0, false);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&c, true, co, s.b, s.n, TF_ACK, &no_hint), 1));
	expect_record(&m, 't', NP_REC_TLS_CLIENT);
	server_hello(&m);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&c, false, so, s.b, s.n, TF_ACK, &no_hint), 1));
	expect_record(&m, 't', NP_REC_TLS_SERVER);
}

/* The first segment holds the record header alone, or the segment with the
 * start comes after the rest: p0f's sequence numbers say where it begins. */
Test(track, tiny_or_late_first_segment)
{
	struct bytes m, s;
	struct conn c = conn4(3);
	struct np_tls_tcp_hint h = hint_of(&c, true, 0, 0);

	client_hello(&m, "tiny.example", 0x0303, 300, false);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&c, true, 0, s.b, 5, TF_ACK, &h), 0));
	cr_assert(eq(u32, seg(&c, true, 5, s.b + 5, s.n - 5, TF_ACK, &h), 1));
	expect_record(&m, 't', NP_REC_TLS_CLIENT);

	/* without them, a lone record header cannot be told from anything */
	struct conn d = conn4(4);
	cr_assert(eq(u32, seg(&d, true, 0, s.b, 5, TF_ACK, &no_hint), 0));
	cr_assert(eq(u32, seg(&d, true, 5, s.b + 5, s.n - 5, TF_ACK, &no_hint), 0));

	/* the server's reply, late first segment, on an entry the client made */
	struct conn e = conn4(5);
	client_hello(&m, "late.example", 0x0303, 0, false);
	records(&s, &m, NULL, 0);
	h = hint_of(&e, true, 0, 0);
	cr_assert(eq(u32, seg(&e, true, 0, s.b, s.n, TF_ACK, &h), 1));
	server_hello(&m);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&e, false, 20, s.b + 20, s.n - 20, TF_ACK, &no_hint), 0));
	cr_assert(eq(u32, seg(&e, false, 0, s.b, 20, TF_ACK, &no_hint), 1));
	expect_record(&m, 't', NP_REC_TLS_SERVER);
	assert_pool_whole();
}

/* Out-of-order plaintext that is not a hello gives the buffer back. */
Test(track, late_plaintext_is_not_a_hello)
{
	static const char a[] = "GET / HTTP/1.1\r\n", b[] = "Host: x\r\n\r\n";
	struct conn c = conn4(6);
	struct np_tls_tcp_hint h = hint_of(&c, true, 0, 0);

	c.sport = 80;
	seg(&c, true, sizeof(a) - 1, (const uint8_t *)b, sizeof(b) - 1, TF_ACK, &h);
	cr_assert(eq(u32, g_t.count, 1));
	cr_assert(eq(u32, g_t.buf_n_free, g_t.buf_cap - 1));
	seg(&c, true, 0, (const uint8_t *)a, sizeof(a) - 1, TF_ACK, &h);
	assert_pool_whole();
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_SEEN], 0));

	/* kept and never resolved: the connection ends, no failure is counted */
	struct conn d = conn4(21);

	d.sport = 80;
	h = hint_of(&d, true, 0, 0);
	seg(&d, true, sizeof(a) - 1, (const uint8_t *)b, sizeof(b) - 1, TF_ACK, &h);
	seg(&d, true, sizeof(a) - 1 + sizeof(b) - 1, NULL, 0, TF_ACK | TF_FIN, &h);
	assert_pool_whole();
	for (unsigned i = NP_TLS_CTR_FAIL_NOT_TLS; i <= NP_TLS_CTR_FAIL_EVICTED; i++)
		cr_assert(eq(u64, g_t.ctr[i], 0), "counter %u", i);

	/* out of order once data has flowed: no entry for what cannot start a hello */
	struct conn e = conn4(22);

	uint32_t entries = g_t.count;

	e.sport = 80;
	h = hint_of(&e, true, 100, 0);
	seg(&e, true, 300, (const uint8_t *)b, sizeof(b) - 1, TF_ACK, &h);
	cr_assert(eq(u32, g_t.count, entries));
}

Test(track, hello_retry_second_client_hello_is_counted_not_reported)
{
	struct conn c = conn4(7);
	struct bytes m, s;

	client_hello(&m, "hrr.example", 0x0303, 0, false);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&c, true, 0, s.b, s.n, TF_ACK, &no_hint), 1));
	uint32_t first = s.n;

	server_hello(&m);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&c, false, 0, s.b, s.n, TF_ACK, &no_hint), 1));
	client_hello(&m, "hrr.example", 0x0301, 0, false);
	records(&s, &m, NULL, 0);
	cr_assert(eq(u32, seg(&c, true, first, s.b, s.n, TF_ACK, &no_hint), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_LATER], 1));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_DONE], 2));
}

Test(track, fin_or_a_new_syn_mid_hello)
{
	struct conn c = conn4(8);
	struct bytes m, s;

	client_hello(&m, "fin.example", 0x0303, 2000, false);
	records(&s, &m, NULL, 0);
	seg(&c, true, 0, s.b, 1000, TF_ACK, &no_hint);
	cr_assert(eq(u32, g_t.buf_n_free, g_t.buf_cap - 1));
	seg(&c, true, 1000, NULL, 0, TF_ACK | TF_FIN, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_CLOSED], 1));
	cr_assert(eq(u32, g_t.count, 0));
	assert_pool_whole();

	seg(&c, true, 0, s.b, 1000, TF_ACK, &no_hint);
	seg(&c, true, 0, NULL, 0, TF_SYN, &no_hint);	/* the port is used again */
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_CLOSED], 2));
	assert_pool_whole();
	/* a SYN+ACK is no new connection */
	seg(&c, true, 0, s.b, 1000, TF_ACK, &no_hint);
	seg(&c, false, 0, NULL, 0, TF_SYN | TF_ACK, &no_hint);
	cr_assert(eq(u32, g_t.count, 1));
}

Test(track, garbage_after_a_record_header)
{
	struct conn c = conn4(9);
	uint8_t junk[64] = { 0x16, 0x03, 0x01, 0x00, 0x3b, 0x01, 0x00, 0x00, 0x37, 0x03, 0x03 };

	for (unsigned i = 11; i < sizeof(junk); i++)
		junk[i] = 0xff;
	cr_assert(eq(u32, seg(&c, true, 0, junk, sizeof(junk), TF_ACK, &no_hint), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_SEEN], 1));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_MALFORMED] + g_t.ctr[NP_TLS_CTR_FAIL_TRUNCATED], 1));
	/* a record length that promises more than the stream gives, then FIN */
	struct conn d = conn4(10);
	uint8_t lie[] = { 0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x3f, 0xfc, 0x03, 0x03 };
	seg(&d, true, 0, lie, sizeof(lie), TF_ACK, &no_hint);
	seg(&d, true, sizeof(lie), NULL, 0, TF_ACK | TF_RST, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_CLOSED], 1));
	assert_pool_whole();
}

Test(track, gap_beyond_the_buffer)
{
	struct conn c = conn4(11);
	struct bytes m, s;
	static uint8_t filler[NP_REASM_CAP];

	client_hello(&m, "gap.example", 0x0303, 3000, false);
	records(&s, &m, NULL, 0);
	seg(&c, true, 0, s.b, 1000, TF_ACK, &no_hint);
	/* the rest never comes; data far beyond the buffer does */
	seg(&c, true, 1100, filler, 1400, TF_ACK, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_GAP], 0));
	seg(&c, true, NP_REASM_CAP - 100, filler, 1400, TF_ACK, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_GAP], 1));
	assert_pool_whole();

	/* more pieces apart than are tracked */
	struct conn d = conn4(12);
	seg(&d, true, 0, s.b, 100, TF_ACK, &no_hint);
	for (unsigned i = 0; i < NP_REASM_RANGES; i++)
		seg(&d, true, 200 + 20 * i, s.b + 200 + 20 * i, 10, TF_ACK, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_GAP], 2));
	assert_pool_whole();
}

Test(track, hello_longer_than_the_buffer)
{
	struct conn c = conn4(13);
	struct bytes m, s;
	uint32_t cut[8];

	client_hello(&m, "long.example", 0x0303, 1000, false);
	/* a message length of 20000 in its header: refused when read */
	m.b[1] = 0;
	m.b[2] = 0x4e;
	m.b[3] = 0x20;
	for (unsigned i = 0; i < 8; i++)
		cut[i] = 100 * (i + 1);
	records(&s, &m, cut, 8);
	cr_assert(eq(u32, seg(&c, true, 0, s.b, s.n, TF_ACK, &no_hint), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_TOO_LONG], 1));
	assert_pool_whole();
}

Test(track, pool_empty)
{
	struct bytes m, s;

	np_tls_track_fini(&g_t);
	cr_assert(eq(int, np_tls_track_init(&g_t, 64, 1, 30), 0));
	client_hello(&m, "pool.example", 0x0303, 2000, false);
	records(&s, &m, NULL, 0);
	struct conn a = conn4(14), b = conn4(15);
	seg(&a, true, 0, s.b, 1000, TF_ACK, &no_hint);
	seg(&b, true, 0, s.b, 1000, TF_ACK, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_NO_BUFFER], 1));
	cr_assert(eq(u32, seg(&a, true, 1000, s.b + 1000, s.n - 1000, TF_ACK, &no_hint), 1));
	/* b gave up: the rest of its hello is not collected */
	cr_assert(eq(u32, seg(&b, true, 1000, s.b + 1000, s.n - 1000, TF_ACK, &no_hint), 0));
	assert_pool_whole();
}

Test(track, table_full_and_idle_expiry)
{
	struct bytes m, s;

	np_tls_track_fini(&g_t);
	cr_assert(eq(int, np_tls_track_init(&g_t, 2, 8, 30), 0));
	client_hello(&m, "full.example", 0x0303, 2000, false);
	records(&s, &m, NULL, 0);
	struct conn a = conn4(16), b = conn4(17), c = conn4(18);
	seg(&a, true, 0, s.b, 1000, TF_ACK, &no_hint);	/* collecting */
	seg(&b, true, 0, s.b, s.n, TF_ACK, &no_hint);	/* done */
	seg(&c, true, 0, s.b, s.n, TF_ACK, &no_hint);	/* a, least recent, goes */
	cr_assert(eq(u32, g_t.count, 2));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_EVICTED], 1));
	assert_pool_whole();

	/* 31 s later b and c are idle past -t's 30 s: gone at the next packet */
	struct conn d = conn4(19);
	d.ts = T0 + 31 * 1000000ull;
	seg(&d, true, 0, s.b, 1000, TF_ACK, &no_hint);
	cr_assert(eq(u32, g_t.count, 1));
	d.ts += 31 * 1000000ull;
	struct conn e = conn4(20);
	e.ts = d.ts;
	seg(&e, true, 0, s.b, s.n, TF_ACK, &no_hint);
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_FAIL_EVICTED], 2), "d expired mid-hello");
	assert_pool_whole();
}

/* ---- QUIC: RFC 9001's own client and server Initials --------------------- */

static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (; *s && s[1]; s++) {
		if (*s == ' ')
			continue;
		cr_assert(n < max);
		sscanf(s, "%2hhx", &out[n++]);
		s++;
	}
	return n;
}

static unsigned
datagram(const uint8_t *cli, uint16_t cport, const uint8_t *srv, uint16_t sport, bool to_srv,
	 const uint8_t *p, uint32_t len, uint64_t ts)
{
	uint8_t frame[TF_MAX];
	struct tf t = tf_syn4();
	struct np_link lk;
	struct np_udp u;

	t.udp = 1;
	memcpy(t.src, to_srv ? cli : srv, 4);
	memcpy(t.dst, to_srv ? srv : cli, 4);
	t.sport = to_srv ? cport : sport;
	t.dport = to_srv ? sport : cport;
	t.payload = p;
	t.pay_len = (uint16_t)len;
	np_link_init(&lk, DLT_EN10MB_);
	size_t n = tf_eth(&t, frame);
	cr_assert(eq(int, np_parse_udp_frame(&lk, frame, (uint32_t)n, &u), NP_PARSE_OK));
	np_observation_clear(&g_out);
	np_tls_track_udp(&g_t, g_db, 1, &u, ts, 3, &g_out);
	return g_out.n;
}

Test(track, quic_rfc9001_client_and_server_initials)
{
	static uint8_t cpkt[1300], spkt[300];
	size_t cn = unhex(QV1_CLIENT_PACKET, cpkt, sizeof(cpkt)),
	       sn = unhex(QV1_SERVER_PACKET, spkt, sizeof(spkt));
	uint8_t cli[4] = { 10, 1, 1, 1 }, srv[4] = { 192, 0, 2, 9 };

	cr_assert(eq(sz, cn, 1200));
	cr_assert(eq(u32, datagram(cli, 50000, srv, 443, true, cpkt, (uint32_t)cn, T0), 1));
	const struct np_rec *r = &g_out.rec[0];

	/* tests/tls/ja4_spec.py on the RFC's ClientHello (CRYPTO frame) */
	cr_assert(eq(u8, r->kind, NP_REC_TLS_CLIENT));
	cr_assert(eq(str, (char *)r->tls.sig, "q13d0211an_62ed6f6ca7ad_4d634acda6c0"));
	cr_assert(eq(u8, r->tls.transport, 'q'));
	struct np_tls_out o = { .raw = NULL };
	cr_assert(eq(int, np_tls_out_fill(&o, r, np_observation_tail(&g_out, 0)), 0));
	cr_assert(eq(str, o.fp.ja4_o, "q13d0211an_62ed6f6ca7ad_46fb564859bb"));
	cr_assert(eq(str, o.fp.ja3, "41bc9ae914d6cb3bd0bd0a5453ab7d7f"));
	cr_assert(eq(str, (char *)o.ja4_r, "q13d0211an_1301,1302_0005,000a,000d,001c,002b,002d,0033,"
					   "0039,ff01_0403,0503,0603,0203,0804,0805,0806"));
	cr_assert(eq(str, (char *)o.ja3, "771,4865-4866,0-65281-10-16-5-51-43-13-45-28-57,29-23-24,"));
	cr_assert(eq(u32, o.h.sni_len, 11));
	cr_assert(eq(int, memcmp(o.h.sni, "example.com", 11), 0));
	np_tls_out_fini(&o);

	/* a retransmission is not decrypted again, nor reported */
	cr_assert(eq(u32, datagram(cli, 50000, srv, 443, true, cpkt, (uint32_t)cn, T0 + 1), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_QUIC_DECRYPTED], 1));

	/* the server's Initial: its keys come from the client's DCID */
	cr_assert(eq(u32, datagram(cli, 50000, srv, 443, false, spkt, (uint32_t)sn, T0 + 2), 1));
	r = &g_out.rec[0];
	cr_assert(eq(u8, r->kind, NP_REC_TLS_SERVER));
	cr_assert(eq(str, (char *)r->tls.sig, "eb1d94daa7e0344597e756a1fb6e7054"));
	cr_assert(eq(u16, r->tls.cipher, 0x1301));
	cr_assert(eq(u16, r->tls.version, 0x0304));
	cr_assert(eq(int, memcmp(r->cli, cli, 4), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_QUIC_DECRYPTED], 2));
	assert_pool_whole();
}

Test(track, quic_without_the_client_or_damaged)
{
	static uint8_t cpkt[1300], spkt[300];
	size_t cn = unhex(QV1_CLIENT_PACKET, cpkt, sizeof(cpkt)),
	       sn = unhex(QV1_SERVER_PACKET, spkt, sizeof(spkt));
	uint8_t cli[4] = { 10, 1, 1, 2 }, srv[4] = { 192, 0, 2, 9 };

	/* a server Initial (DCID of 0 bytes) alone: no keys to open it with */
	cr_assert(eq(u32, datagram(cli, 50001, srv, 443, false, spkt, (uint32_t)sn, T0), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_QUIC_NO_KEYS], 1));
	cr_assert(eq(u32, g_t.count, 0));
	/* a flipped bit in the payload: no entry, counted */
	cpkt[600] ^= 1;
	cr_assert(eq(u32, datagram(cli, 50002, srv, 443, true, cpkt, (uint32_t)cn, T0), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_QUIC_NO_KEYS], 2));
	cr_assert(eq(u32, g_t.count, 0));
	/* cut short: a malformed long header */
	cr_assert(eq(u32, datagram(cli, 50003, srv, 443, true, cpkt, 40, T0), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_QUIC_MALFORMED], 1));
}

/* ---- DTLS ------------------------------------------------------------- */

/* One DTLS record holding one handshake fragment of msg's body. */
static void
dtls_fragment(struct bytes *d, uint16_t seq, const struct bytes *msg, uint32_t off, uint32_t len)
{
	uint32_t blen = msg->n - 4;
	uint8_t rec[13] = { 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, (uint8_t)seq, 0, 0 };
	uint8_t hs[12] = { msg->b[0], (uint8_t)(blen >> 16), (uint8_t)(blen >> 8), (uint8_t)blen,
			   (uint8_t)(seq >> 8), (uint8_t)seq, (uint8_t)(off >> 16),
			   (uint8_t)(off >> 8), (uint8_t)off, (uint8_t)(len >> 16),
			   (uint8_t)(len >> 8), (uint8_t)len };

	rec[11] = (uint8_t)((12 + len) >> 8);
	rec[12] = (uint8_t)(12 + len);
	put(d, rec, 13);
	put(d, hs, 12);
	put(d, msg->b + 4 + off, len);
}

Test(track, dtls_fragments_and_a_second_client_hello)
{
	struct bytes m, d1, d2;
	uint8_t cli[4] = { 10, 2, 2, 2 }, srv[4] = { 192, 0, 2, 7 };

	client_hello(&m, "dtls.example", 0xfefd, 400, true);
	uint32_t blen = m.n - 4;

	/* the last two fragments first, in one datagram; the first after */
	d1.n = d2.n = 0;
	dtls_fragment(&d1, 0, &m, 300, blen - 300);
	dtls_fragment(&d1, 0, &m, 100, 200);
	dtls_fragment(&d2, 0, &m, 0, 100);
	cr_assert(eq(u32, datagram(cli, 5000, srv, 4433, true, d1.b, d1.n, T0), 0));
	cr_assert(eq(u32, datagram(cli, 5000, srv, 4433, true, d2.b, d2.n, T0), 1));
	expect_record(&m, 'd', NP_REC_TLS_CLIENT);
	cr_assert(eq(u8, g_out.rec[0].tls.sig[0], 'd'));
	assert_pool_whole();

	/* after a HelloVerifyRequest, the ClientHello again (message 1) */
	d1.n = 0;
	dtls_fragment(&d1, 1, &m, 0, blen);
	cr_assert(eq(u32, datagram(cli, 5000, srv, 4433, true, d1.b, d1.n, T0), 0));
	cr_assert(eq(u64, g_t.ctr[NP_TLS_CTR_HELLO_LATER], 1));
}

/* ---- os_mismatch, through the tracker ---------------------------------- */

static unsigned
observe(struct np_tracker *o, const struct conn *c, bool to_srv, uint32_t seq, uint8_t flags,
	const uint8_t *p, uint32_t len, struct tf_opts *opts)
{
	uint8_t frame[TF_MAX];
	struct tf t = tf_syn4();
	struct np_link lk;
	struct np_packet pk;

	memcpy(t.src, to_srv ? c->cli : c->srv, 4);
	memcpy(t.dst, to_srv ? c->srv : c->cli, 4);
	t.sport = to_srv ? c->cport : c->sport;
	t.dport = to_srv ? c->sport : c->cport;
	t.seq = seq;
	t.ack = flags & TF_ACK ? 1 : 0;
	t.flags = flags;
	t.ttl = 64;
	if (opts)
		t.opts = *opts;
	else
		t.opts.n = 0;
	t.payload = p;
	t.pay_len = (uint16_t)len;
	np_link_init(&lk, DLT_EN10MB_);
	size_t n = tf_eth(&t, frame);
	cr_assert(eq(int, np_parse_frame(&lk, frame, (uint32_t)n, &pk), NP_PARSE_OK));
	np_track(o, g_db, g_db->generation, &pk, c->ts, &g_out);
	return g_out.n;
}

static void
ignore(void *ctx, const struct np_rec *r)
{
	(void)ctx, (void)r;
}

/* A SYN matched to Linux, then a ClientHello whose label runs on sys. */
static uint8_t
mismatch_flags(const char *sys)
{
	struct bytes m, s;
	struct np_tls_hello h;
	struct np_tls_fp fp;
	struct np_tls_hasher *hs = np_tls_hasher_new();
	char text[1024];

	client_hello(&m, "os.example", 0x0303, 0, false);
	cr_assert(eq(int, np_tls_parse_hello(1, m.b + 4, m.n - 4, false, &h), NP_TLS_OK));
	cr_assert(eq(int, np_tls_fingerprint(hs, &h, 't', &fp), 0));
	np_tls_hasher_free(hs);
	snprintf(text, sizeof(text),
		 "classes = win,unix\n"
		 "[tcp:request]\nlabel = s:unix:Linux:3.x\nsig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
		 "label = s:win:Windows:7\nsig = *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0\n"
		 "[tls:client]\nlabel = s:!:Client:1\nsys = %s\nsig = %s\n",
		 sys, fp.ja4);
	setup_db(text);

	struct np_tracker o;
	struct conn c = conn4(30);
	struct tf_opts opts = { .n = 0 };
	uint8_t flags = 0;

	cr_assert(eq(int, np_tracker_init(&o, 100, 30, 100, 120, ignore, NULL), 0));
	opt_linux(&opts, 1460, 1, 0, 7);
	observe(&o, &c, true, c.cseq - 1, TF_SYN, NULL, 0, &opts);
	cr_assert(eq(u32, g_out.n, 1));
	np_rec_resolve(&g_out.rec[0], g_db);
	cr_assert(eq(str, (char *)g_out.rec[0].names.label, "Linux 3.x"));
	observe(&o, &c, false, c.sseq - 1, TF_SYN | TF_ACK, NULL, 0, &opts);
	observe(&o, &c, true, c.cseq, TF_ACK, NULL, 0, NULL);
	records(&s, &m, NULL, 0);
	observe(&o, &c, true, c.cseq, TF_ACK | TF_PSH, s.b, s.n, NULL);
	for (unsigned i = 0; i < g_out.n; i++)
		if (g_out.rec[i].kind == NP_REC_TLS_CLIENT) {
			cr_assert(g_out.rec[i].tls.flags & NP_RTLS_MATCHED);
			np_rec_resolve(&g_out.rec[i], g_db);
			cr_assert(eq(str, (char *)g_out.rec[i].names.label, "Client 1"));
			flags = g_out.rec[i].tls.flags;
		}
	np_tracker_fini(&o);
	return flags;
}

Test(track, os_mismatch_against_the_syn)
{
	cr_assert(eq(u8, mismatch_flags("Windows") & NP_RTLS_OS_MISMATCH, NP_RTLS_OS_MISMATCH));
	cr_assert(eq(u8, mismatch_flags("Linux") & NP_RTLS_OS_MISMATCH, 0));
	cr_assert(eq(u8, mismatch_flags("@unix") & NP_RTLS_OS_MISMATCH, 0));
	cr_assert(eq(u8, mismatch_flags("@win") & NP_RTLS_OS_MISMATCH, NP_RTLS_OS_MISMATCH));
	cr_assert(eq(u8, mismatch_flags("") & NP_RTLS_OS_MISMATCH, 0), "a label naming no OS");
}
