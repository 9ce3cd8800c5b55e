/* SPDX-License-Identifier: MIT */
/*
 * Link types with no fixed header length, read as p0f 3.09b reads them:
 * the capture's TCP filter decides which frames are seen, and the IP header
 * offset is guessed from the first of them (find_offset() in p0f's
 * process.c). Frames are built in the test behind made-up link headers; the
 * expected offsets are what find_offset() computes from the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "frames.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define DLT_MADE_UP 147		/* DLT_USER0: in no table */
#define TYPE_TCP 'T'		/* the made-up link's "carries TCP" type byte */

/* Stands for libpcap's "tcp" on the made-up link: the link's own type byte. */
static unsigned g_filter_calls;

static bool
type_filter(const void *ctx, const uint8_t *frame, uint32_t len)
{
	(void)ctx;
	g_filter_calls++;
	return len > 0 && frame[0] == TYPE_TCP;
}

static bool
pass_all(const void *ctx, const uint8_t *frame, uint32_t len)
{
	(void)ctx, (void)frame, (void)len;
	return true;
}

static struct np_link
made_up_link(np_link_filter_fn filter)
{
	struct np_link lk;

	np_link_init(&lk, DLT_MADE_UP);
	np_link_set_filter(&lk, filter, NULL);
	g_filter_calls = 0;
	return lk;
}

/* A frame: hlen header bytes (type byte 'T' first, then zeros, unless hdr
 * is given), then the packet t; cut to keep bytes when keep is not 0. */
static size_t
build(uint8_t *b, const uint8_t *hdr, size_t hlen, const struct tf *t, size_t keep)
{
	size_t n;

	memset(b, 0, hlen);
	if (hdr)
		memcpy(b, hdr, hlen);
	else if (hlen)
		b[0] = TYPE_TCP;
	n = hlen + tf_ip(t, b + hlen);
	return keep && keep < n ? keep : n;
}

/* Every frame is parsed from an exact-size heap copy (ASan sees overreads). */
static uint8_t *g_copy;

static enum np_parse_result
feed(struct np_link *lk, const uint8_t *b, size_t n, struct np_packet *pk)
{
	free(g_copy);
	g_copy = malloc(n ? n : 1);
	cr_assert(g_copy != NULL);
	memcpy(g_copy, b, n);
	return np_parse_frame(lk, g_copy, (uint32_t)n, pk);
}

static int
find_in(const uint8_t *b, size_t n)
{
	free(g_copy);
	g_copy = malloc(n ? n : 1);
	cr_assert(g_copy != NULL);
	memcpy(g_copy, b, n);
	return np_link_find_offset(g_copy, (uint32_t)n);
}

/* The packet read behind the guessed offset is the one read from bare IP. */
static void
assert_same_as_raw(const struct tf *t, const struct np_packet *pk)
{
	uint8_t ip[TF_MAX];
	struct np_packet want;

	cr_assert(eq(int, np_parse_ip(ip, (uint32_t)tf_ip(t, ip), &want), NP_PARSE_OK));
	cr_assert(eq(u8, pk->ip_ver, want.ip_ver));
	cr_assert(eq(u16, pk->sport, want.sport));
	cr_assert(eq(u16, pk->win, want.win));
	cr_assert(eq(u16, pk->mss, want.mss));
	cr_assert(eq(u8, pk->ttl, want.ttl));
	cr_assert(eq(u32, pk->quirks, want.quirks));
	cr_assert(eq(u8, pk->opt_cnt, want.opt_cnt));
	cr_assert(eq(int, memcmp(pk->src, want.src, want.ip_ver == 4 ? 4 : 16), 0));
}

Test(guess, table_dlts_are_not_guessed)
{
	struct np_link lk;

	np_link_init(&lk, 1);
	cr_assert(not(lk.guess));
	cr_assert(eq(int, lk.off, 14));
	np_link_init(&lk, DLT_MADE_UP);
	cr_assert(lk.guess);
	cr_assert(eq(int, lk.off, -1));
	np_link_init(&lk, 7);	/* ARCnet: p0f guesses it */
	cr_assert(lk.guess);
}

Test(guess, headers_of_4_6_and_10_bytes)
{
	static const size_t hlens[] = { 4, 6, 10 };

	for (size_t i = 0; i < sizeof(hlens) / sizeof(hlens[0]); i++) {
		struct np_link lk = made_up_link(type_filter);
		struct tf t = tf_syn4();
		struct np_packet pk;
		uint8_t b[TF_MAX];
		size_t n = build(b, NULL, hlens[i], &t, 0);

		cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK), "header %zu", hlens[i]);
		cr_assert(eq(int, lk.off, (int)hlens[i]));
		cr_assert(eq(u64, lk.unplaced, 0));
		assert_same_as_raw(&t, &pk);
		/* The frame that showed the offset is read; so are the next ones. */
		t.sport = 40001;
		n = build(b, NULL, hlens[i], &t, 0);
		cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
		cr_assert(eq(u16, pk.sport, 40001));
	}
}

Test(guess, ipv6_behind_6_bytes)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn6();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	size_t n = build(b, NULL, 6, &t, 0);

	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	cr_assert(eq(int, lk.off, 6));
	assert_same_as_raw(&t, &pk);
}

Test(guess, offset_zero)
{
	struct np_link lk = made_up_link(pass_all);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	size_t n = build(b, NULL, 0, &t, 0);

	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	cr_assert(eq(int, lk.off, 0));
}

Test(guess, frames_the_filter_rejects_are_not_guessed_from)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	size_t n = build(b, NULL, 4, &t, 0);

	b[0] = 'U';	/* not TCP by the link's account, though it is */
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_NOT_TCP));
	cr_assert(eq(int, lk.off, -1));
	cr_assert(eq(u64, lk.unplaced, 0));
	cr_assert(not(np_link_is_tcp(&lk, b, (uint32_t)n)));
	/* The next frame the filter passes is where the offset comes from. */
	n = build(b, NULL, 6, &t, 0);
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	cr_assert(eq(int, lk.off, 6));
	/* Once known, frames the filter rejects stay unread. */
	b[0] = 'U';
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_NOT_TCP));
}

Test(guess, frames_before_the_offset_is_known_are_dropped)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	/* A segment cut by the snapshot length: 4 + 35 bytes, under 40 left. */
	size_t n = build(b, NULL, 4, &t, 4 + 35);

	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_LINK));
	cr_assert(eq(int, lk.off, -1));
	cr_assert(eq(u64, lk.unplaced, 1));
	/* p0f counts it all the same (its cache expiry runs every 50). */
	cr_assert(np_link_is_tcp(&lk, b, (uint32_t)n));
	/* An IPv6 first fragment of a TCP segment: the filter passes it, the
	 * guess looks for next header TCP and does not find it. */
	struct tf f = tf_syn6();
	static const uint8_t frag[8] = { 6, 0, 0, 1, 0, 0, 0, 7 };

	memcpy(f.ext, frag, sizeof(frag));
	f.ext_len = sizeof(frag);
	tf_set_proto(&f, 44);
	n = build(b, NULL, 4, &f, 0);
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_LINK));
	cr_assert(eq(u64, lk.unplaced, 2));
	/* Then a whole one. */
	n = build(b, NULL, 4, &t, 0);
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	cr_assert(eq(int, lk.off, 4));
	cr_assert(eq(u64, lk.unplaced, 2));
}

Test(guess, the_first_guess_is_final)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	size_t n = build(b, NULL, 4, &t, 0);

	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	unsigned calls = g_filter_calls;

	/* A longer header later is still read at byte 4, as p0f reads it. */
	n = build(b, NULL, 6, &t, 0);
	cr_assert(ne(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	cr_assert(eq(int, lk.off, 4));
	cr_assert(eq(u32, g_filter_calls, calls + 1));
}

Test(guess, a_link_header_that_looks_like_ip_wins)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	uint8_t hdr[10] = { TYPE_TCP, 0, 0x45, 0 };

	t.tos = 6;	/* byte 11 = 2 + 9: "protocol TCP" for an IPv4 header at 2 */
	size_t n = build(b, hdr, sizeof(hdr), &t, 0);

	feed(&lk, b, n, &pk);
	cr_assert(eq(int, lk.off, 2));
	/* ... and every frame is then read from byte 2, as p0f reads it. */
	t.tos = 0;
	n = build(b, hdr, sizeof(hdr), &t, 0);
	cr_assert(ne(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
}

Test(guess, vlan_adjustment)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	/* 0x81 0x00 four bytes before the IP header: p0f moves the offset back
	 * onto them, and then reads no frame at all. */
	uint8_t hdr[6] = { TYPE_TCP, 0, 0x81, 0x00, 0, 0 };
	size_t n = build(b, hdr, sizeof(hdr), &t, 0);

	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_BAD_IP));
	cr_assert(eq(int, lk.off, 2));
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_BAD_IP));
}

Test(guess, only_even_offsets_below_40)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	size_t n;

	/* Zeros never look like IP: an odd header length is never found. */
	n = build(b, (const uint8_t[5]){ 0 }, 5, &t, 0);
	cr_assert(eq(int, find_in(b, n), -1));
	/* 38 is the last offset tried, 40 is past it. */
	n = build(b, (const uint8_t[38]){ 0 }, 38, &t, 0);
	cr_assert(eq(int, find_in(b, n), 38));
	n = build(b, (const uint8_t[40]){ 0 }, 40, &t, 0);
	cr_assert(eq(int, find_in(b, n), -1));
}

Test(guess, bytes_left_for_ipv4_and_ipv6)
{
	struct tf t4 = tf_syn4(), t6 = tf_syn6();
	uint8_t b[TF_MAX];
	size_t n;

	/* IPv4: 40 bytes from the offset are enough, 39 are not. */
	t4.opts.n = 0;
	n = build(b, (const uint8_t[10]){ 0 }, 10, &t4, 0);
	cr_assert(eq(sz, n, 50));
	cr_assert(eq(int, find_in(b, n), 10));
	cr_assert(eq(int, find_in(b, n - 1), -1));
	/* IPv6: 60 bytes are needed; with fewer the scan goes on (and finds
	 * nothing in an IPv6 header of zeros and small numbers). */
	t6.opts.n = 0;
	n = build(b, (const uint8_t[10]){ 0 }, 10, &t6, 0);
	cr_assert(eq(sz, n, 70));
	cr_assert(eq(int, find_in(b, n), 10));
	cr_assert(eq(int, find_in(b, n - 1), -1));
	/* Shorter than 40 bytes altogether: nothing is tried. */
	cr_assert(eq(int, find_in(b + 10, 39), -1));
}

Test(guess, a_capture_where_p0f_gives_up)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];

	/* An IP header at byte 41: p0f never finds it and reads nothing; every
	 * frame is tried, and counted as seen. */
	for (unsigned i = 0; i < 5; i++) {
		size_t n = build(b, NULL, 41, &t, 0);

		cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_LINK));
		cr_assert(np_link_is_tcp(&lk, b, (uint32_t)n));
	}
	cr_assert(eq(int, lk.off, -1));
	cr_assert(eq(u64, lk.unplaced, 5));
}

Test(guess, without_a_filter_nothing_is_read)
{
	struct np_link lk = made_up_link(NULL);
	struct tf t = tf_syn4();
	struct np_packet pk;
	uint8_t b[TF_MAX];
	size_t n = build(b, NULL, 4, &t, 0);

	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_LINK));
	cr_assert(eq(int, lk.off, -1));
	cr_assert(not(np_link_is_tcp(&lk, b, (uint32_t)n)));
}

Test(guess, udp_is_read_once_the_offset_is_known)
{
	struct np_link lk = made_up_link(type_filter);
	struct tf t = tf_syn4(), u = tf_syn4();
	struct np_packet pk;
	struct np_udp ud;
	uint8_t b[TF_MAX];
	size_t n;

	u.udp = 1;
	u.pay_len = 4;
	u.payload = (const uint8_t *)"abcd";
	n = build(b, NULL, 4, &u, 0);
	b[0] = 'U';
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_NOT_TCP));
	cr_assert(eq(int, np_parse_udp_frame(&lk, g_copy, (uint32_t)n, &ud), NP_SKIP_LINK));
	n = build(b, NULL, 4, &t, 0);
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_PARSE_OK));
	n = build(b, NULL, 4, &u, 0);
	b[0] = 'U';
	cr_assert(eq(int, feed(&lk, b, n, &pk), NP_SKIP_NOT_TCP));
	cr_assert(eq(int, np_parse_udp_frame(&lk, g_copy, (uint32_t)n, &ud), NP_PARSE_OK));
	cr_assert(eq(u32, ud.pay_len, 4));
}
