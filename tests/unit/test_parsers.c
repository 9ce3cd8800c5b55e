/* SPDX-License-Identifier: MIT */
/*
 * Parser tests: link layers, IPv4, IPv6, TCP flags, quirks and options, all
 * on frames built byte by byte (frames.h), plus a seeded fuzz loop. The
 * expected values are what p0f 3.09b's parse_packet() computes from the same
 * bytes (process.c), except where netprint documents a difference (VLAN tags
 * and IPv6 extension headers are followed).
 */
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "frames.h"

#include <criterion/criterion.h>
#include "np_assert.h"

enum { DLT_NULL_ = 0, DLT_EN10MB_ = 1, DLT_RAW_ = 12, DLT_RAW101_ = 101, DLT_SLL_ = 113,
       DLT_IPV4_ = 228, DLT_IPV6_ = 229 };

/*
 * Every frame is parsed from an exact-size heap copy, so that ASan catches a
 * read one byte past the end. The copy stays reachable until the next parse.
 */
static uint8_t *g_copy;

static enum np_parse_result
parse_bytes(int dlt, const uint8_t *bytes, size_t n, struct np_packet *pk)
{
	struct np_link lk;

	free(g_copy);
	g_copy = malloc(n ? n : 1);
	cr_assert(g_copy != NULL);
	if (n)
		memcpy(g_copy, bytes, n);
	np_link_init(&lk, dlt);
	return np_parse_frame(&lk, g_copy, (uint32_t)n, pk);
}

static enum np_parse_result
parse_eth(const struct tf *t, struct np_packet *pk)
{
	uint8_t b[TF_MAX];

	return parse_bytes(DLT_EN10MB_, b, tf_eth(t, b), pk);
}

static enum np_parse_result
parse_raw(const struct tf *t, struct np_packet *pk)
{
	uint8_t b[TF_MAX];

	return parse_bytes(DLT_RAW_, b, tf_ip(t, b), pk);
}

/* An IPv4 SYN with no quirk at all: DF clear, IP ID set, seq set, MSS only. */
static struct tf
tf_plain4(void)
{
	struct tf t = tf_syn4();

	t.frag = 0;
	t.win = 1024;
	t.opts.n = 0;
	opt_mss(&t.opts, 1460);
	return t;
}

/* The same for IPv6 (no flow label, no ECN). */
static struct tf
tf_plain6(void)
{
	struct tf t = tf_syn6();

	t.win = 1024;
	t.opts.n = 0;
	opt_mss(&t.opts, 1440);
	return t;
}

/* Parse t over Ethernet, expect success, return the quirks. */
static uint32_t
quirks_of(const struct tf *t)
{
	struct np_packet pk;

	cr_assert(eq(int, parse_eth(t, &pk), NP_PARSE_OK));
	return pk.quirks;
}

/* Parse a plain IPv4 SYN whose TCP options are opts (a multiple of 4). */
static void
parse_opts(const struct tf_opts *opts, struct np_packet *pk)
{
	struct tf t = tf_plain4();

	t.opts = *opts;
	cr_assert(eq(int, parse_eth(&t, pk), NP_PARSE_OK));
}

#define Q(id) NP_QUIRK(id)

/* ------------------------------------------------------------------ */
/* Link layers                                                          */
/* ------------------------------------------------------------------ */

static void
assert_syn4_fields(const struct np_packet *pk, const struct tf *t)
{
	cr_assert(eq(u8, pk->ip_ver, 4));
	cr_assert(eq(int, memcmp(pk->src, t->src, 4), 0));
	cr_assert(eq(int, memcmp(pk->dst, t->dst, 4), 0));
	cr_assert(eq(u16, pk->sport, t->sport));
	cr_assert(eq(u16, pk->dport, t->dport));
	cr_assert(eq(u16, pk->mss, 1460));
}

static void
assert_syn6_fields(const struct np_packet *pk, const struct tf *t)
{
	cr_assert(eq(u8, pk->ip_ver, 6));
	cr_assert(eq(int, memcmp(pk->src, t->src, 16), 0));
	cr_assert(eq(int, memcmp(pk->dst, t->dst, 16), 0));
	cr_assert(eq(u16, pk->mss, 1440));
}

Test(link, ethernet_to_ipv4)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	assert_syn4_fields(&pk, &t);
}

Test(link, ethernet_to_ipv6)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	assert_syn6_fields(&pk, &t);
}

static enum np_parse_result
parse_tagged(const struct tf *t, const uint16_t *tpids, unsigned n, struct np_packet *pk,
	     int *ip_off)
{
	uint8_t b[TF_MAX];
	size_t len = tf_eth_tagged(t, b, tpids, n);
	struct np_link lk;

	np_link_init(&lk, DLT_EN10MB_);
	uint8_t ver_;
	*ip_off = np_link_ip_offset(&lk, b, (uint32_t)len, &ver_);
	return parse_bytes(DLT_EN10MB_, b, len, pk);
}

Test(link, single_8021q_tag_to_ipv4)
{
	static const uint16_t tags[] = { 0x8100 };
	struct tf t = tf_syn4();
	struct np_packet pk;
	int off;

	cr_assert(eq(int, parse_tagged(&t, tags, 1, &pk, &off), NP_PARSE_OK));
	cr_assert(eq(int, off, 18));
	assert_syn4_fields(&pk, &t);
}

Test(link, single_8021q_tag_to_ipv6)
{
	static const uint16_t tags[] = { 0x8100 };
	struct tf t = tf_syn6();
	struct np_packet pk;
	int off;

	cr_assert(eq(int, parse_tagged(&t, tags, 1, &pk, &off), NP_PARSE_OK));
	cr_assert(eq(int, off, 18));
	assert_syn6_fields(&pk, &t);
}

Test(link, qinq_88a8_then_8100_to_ipv4)
{
	static const uint16_t tags[] = { 0x88a8, 0x8100 };
	struct tf t = tf_syn4();
	struct np_packet pk;
	int off;

	cr_assert(eq(int, parse_tagged(&t, tags, 2, &pk, &off), NP_PARSE_OK));
	cr_assert(eq(int, off, 22));
	assert_syn4_fields(&pk, &t);
}

Test(link, qinq_88a8_then_8100_to_ipv6)
{
	static const uint16_t tags[] = { 0x88a8, 0x8100 };
	struct tf t = tf_syn6();
	struct np_packet pk;
	int off;

	cr_assert(eq(int, parse_tagged(&t, tags, 2, &pk, &off), NP_PARSE_OK));
	cr_assert(eq(int, off, 22));
	assert_syn6_fields(&pk, &t);
}

/* A fixed link header of hlen bytes (contents given), then the IP packet. */
static enum np_parse_result
parse_with_header(int dlt, const uint8_t *hdr, size_t hlen, const struct tf *t,
		  struct np_packet *pk)
{
	uint8_t b[TF_MAX];

	if (hlen)
		memcpy(b, hdr, hlen);
	return parse_bytes(dlt, b, hlen + tf_ip(t, b + hlen), pk);
}

Test(link, dlt_null_has_4_byte_header)
{
	static const uint8_t af_inet[4] = { 2, 0, 0, 0 };
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_with_header(DLT_NULL_, af_inet, 4, &t, &pk), NP_PARSE_OK));
	assert_syn4_fields(&pk, &t);
}

Test(link, dlt_raw_12_is_bare_ip)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_with_header(DLT_RAW_, NULL, 0, &t, &pk), NP_PARSE_OK));
	assert_syn4_fields(&pk, &t);
}

Test(link, dlt_raw_101_is_bare_ip)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	cr_assert(eq(int, parse_with_header(DLT_RAW101_, NULL, 0, &t, &pk), NP_PARSE_OK));
	assert_syn6_fields(&pk, &t);
}

Test(link, linux_sll_has_16_byte_header)
{
	static const uint8_t sll[16] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00 };
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_with_header(DLT_SLL_, sll, 16, &t, &pk), NP_PARSE_OK));
	assert_syn4_fields(&pk, &t);
}

Test(link, dlt_228_is_bare_ipv4)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_with_header(DLT_IPV4_, NULL, 0, &t, &pk), NP_PARSE_OK));
	assert_syn4_fields(&pk, &t);
}

Test(link, supported_dlts_are_accepted)
{
	static const int ok[] = { DLT_NULL_, DLT_EN10MB_, DLT_RAW_, DLT_RAW101_, DLT_SLL_,
				  DLT_IPV4_, DLT_IPV6_ };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(np_link_dlt_supported(ok[i]), "DLT %d", ok[i]);
}

Test(link, unsupported_dlt_is_refused)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(not(np_link_dlt_supported(147)));	/* DLT_USER0 */
	cr_assert(not(np_link_dlt_supported(-1)));
	cr_assert(not(np_link_dlt_supported(2)));
	cr_assert(eq(int, parse_with_header(147, NULL, 0, &t, &pk), NP_SKIP_LINK));
}

Test(link, non_ip_ethertype_is_skip_link)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	size_t n = tf_eth(&t, b);
	struct np_packet pk;

	b[12] = 0x08;	/* ARP */
	b[13] = 0x06;
	cr_assert(eq(int, parse_bytes(DLT_EN10MB_, b, n, &pk), NP_SKIP_LINK));
}

Test(link, truncated_ethernet_header_is_short)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	struct np_packet pk;
	struct np_link lk;

	tf_eth(&t, b);
	np_link_init(&lk, DLT_EN10MB_);
	cr_assert(eq(int, np_link_ip_offset(&lk, b, 13, &(uint8_t){0}), NP_LINK_SHORT));
	cr_assert(eq(int, parse_bytes(DLT_EN10MB_, b, 13, &pk), NP_SKIP_SHORT));
	cr_assert(eq(int, parse_bytes(DLT_EN10MB_, b, 0, &pk), NP_SKIP_SHORT));
}

Test(link, truncated_fixed_link_header_is_short)
{
	static const uint8_t sll[16] = { 0 };
	struct np_packet pk;

	cr_assert(eq(int, parse_bytes(DLT_SLL_, sll, 15, &pk), NP_SKIP_SHORT));
}

Test(link, ethernet_header_without_ip_is_short)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	struct np_packet pk;

	tf_eth(&t, b);
	cr_assert(eq(int, parse_bytes(DLT_EN10MB_, b, 14, &pk), NP_SKIP_SHORT));
}

Test(link, is_tcp_follows_tags_and_rejects_other_protocols)
{
	static const uint16_t qinq[] = { 0x88a8, 0x8100 };
	struct tf t = tf_syn4();
	struct tf u = tf_syn4();
	uint8_t b[TF_MAX];
	struct np_link lk;
	size_t n;

	np_link_init(&lk, DLT_EN10MB_);
	n = tf_eth(&t, b);
	cr_assert(np_link_is_tcp(&lk, b, (uint32_t)n));
	n = tf_eth_tagged(&t, b, qinq, 2);
	cr_assert(np_link_is_tcp(&lk, b, (uint32_t)n));
	tf_set_proto(&u, 17);
	n = tf_eth(&u, b);
	cr_assert(not(np_link_is_tcp(&lk, b, (uint32_t)n)));
	b[12] = 0x08;
	b[13] = 0x06;
	cr_assert(not(np_link_is_tcp(&lk, b, (uint32_t)n)));
}

/*
 * libpcap's "tcp" on Ethernet is "ether proto ip and ip[9] = 6" (or the IPv6
 * equivalent): the EtherType decides, the version nibble is never read. p0f
 * counts such a frame (its expiry runs every 50 counted frames) even though
 * parse_packet() then drops it as "Unknown packet type".
 */
Test(link, is_tcp_decided_by_ethertype_not_version_nibble)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	struct np_link lk;
	size_t n = tf_eth(&t, b);

	np_link_init(&lk, DLT_EN10MB_);
	b[14] = 0x55;	/* version 5, protocol byte still 6 */
	cr_assert(np_link_is_tcp(&lk, b, (uint32_t)n));
}

Test(link, is_tcp_ipv6_ethertype_does_not_read_an_ipv4_header)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	struct np_link lk;
	size_t n = tf_eth(&t, b);

	np_link_init(&lk, DLT_EN10MB_);
	b[12] = 0x86;	/* EtherType IPv6 over an IPv4 TCP packet: "ip6 proto 6" */
	b[13] = 0xdd;	/* reads byte 6 (0x40 here), not byte 9 */
	cr_assert(not(np_link_is_tcp(&lk, b, (uint32_t)n)));
}

/*
 * p0f never sees a frame whose EtherType is IPv6 but which holds an IPv4 TCP
 * header: its filter ("ip6 proto 6") reads byte 6, not byte 9. Such a frame
 * must not be fingerprinted as IPv4.
 */
Test(link, ethertype_ipv6_with_ipv4_header_is_not_parsed)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	size_t n = tf_eth(&t, b);
	struct np_packet pk;

	b[12] = 0x86;
	b[13] = 0xdd;
	cr_assert(ne(int, parse_bytes(DLT_EN10MB_, b, n, &pk), NP_PARSE_OK));
}

/* ------------------------------------------------------------------ */
/* IPv4                                                                 */
/* ------------------------------------------------------------------ */

Test(ipv4, options_set_ip_opt_len_and_tot_hdr)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	for (int i = 0; i < 8; i++)
		opt_nop(&t.ip_opts);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u8, pk.ip_opt_len, 8));
	cr_assert(eq(u16, pk.tot_hdr, 28 + 40));
	cr_assert(eq(u16, pk.mss, 1460));
}

Test(ipv4, no_options_gives_zero_opt_len)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u8, pk.ip_opt_len, 0));
	cr_assert(eq(u16, pk.tot_hdr, 20 + 40));
}

Test(ipv4, ttl_tos_and_header_fields)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.ttl = 57;
	t.tos = 0xb8;	/* DSCP 46, no ECN */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u8, pk.ttl, 57));
	cr_assert(eq(u8, pk.tos, 0x2e));
	cr_assert(eq(u32, pk.seq, 1000));
	cr_assert(eq(u16, pk.win, 29200));
	cr_assert(eq(u8, pk.tcp_type, NP_TCP_SYN));
}

Test(ipv4, trailing_padding_is_ignored)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.trailer = 6;	/* etherleak-style padding after the IP packet */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u32, pk.pay_len, 0));
	cr_assert(pk.payload == NULL);
}

Test(ipv4, payload_length_comes_from_total_length)
{
	static const uint8_t data[5] = { 'h', 'e', 'l', 'l', 'o' };
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.payload = data;
	t.pay_len = 5;
	t.trailer = 10;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u32, pk.pay_len, 5));
	cr_assert(pk.payload != NULL);
	cr_assert(eq(int, memcmp(pk.payload, data, 5), 0));
}

Test(ipv4, total_length_beyond_frame_is_short)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.set_len = 1;
	t.len_field = 20 + 40 + 1;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_SHORT));
}

Test(ipv4, total_length_below_40_is_short)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.set_len = 1;
	t.len_field = 39;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_SHORT));
}

Test(ipv4, more_fragments_is_fragment)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.frag = 0x2000;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_FRAGMENT));
	t.frag = 0x4000 | 0x2000;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_FRAGMENT));
}

Test(ipv4, fragment_offset_is_fragment)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.frag = 0x0001;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_FRAGMENT));
	t.frag = 0x1fff;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_FRAGMENT));
}

Test(ipv4, df_and_reserved_flag_are_not_fragments)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.frag = 0x4000 | 0x8000;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
}

Test(ipv4, non_tcp_protocol_is_not_tcp)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	tf_set_proto(&t, 17);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_NOT_TCP));
	tf_set_proto(&t, 1);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_NOT_TCP));
}

Test(ipv4, header_length_below_20_is_bad_ip)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.ihl = 4;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_BAD_IP));
}

Test(ipv4, header_length_leaving_no_room_for_tcp_is_bad_ip)
{
	struct tf t = tf_plain4();	/* 20 + 24 bytes */
	struct np_packet pk;

	t.ihl = 15;	/* 60 + 20 > 44 */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_BAD_IP));
}

Test(ipv4, unknown_ip_version_is_bad_ip)
{
	struct tf t = tf_syn4();
	uint8_t b[TF_MAX];
	size_t n = tf_ip(&t, b);
	struct np_packet pk;

	b[0] = 0x55;
	cr_assert(eq(int, parse_bytes(DLT_RAW_, b, n, &pk), NP_SKIP_BAD_IP));
}

Test(ipv4, frame_shorter_than_40_bytes_is_short)
{
	struct tf t = tf_plain4();
	uint8_t b[TF_MAX];
	struct np_packet pk;

	tf_ip(&t, b);
	cr_assert(eq(int, parse_bytes(DLT_RAW_, b, 39, &pk), NP_SKIP_SHORT));
	cr_assert(eq(int, parse_bytes(DLT_RAW_, b, 0, &pk), NP_SKIP_SHORT));
}

Test(ipv4, minimal_40_byte_syn_parses)
{
	struct tf t = tf_plain4();
	struct np_packet pk;

	t.opts.n = 0;
	cr_assert(eq(int, parse_raw(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u16, pk.tot_hdr, 40));
	cr_assert(eq(u8, pk.opt_cnt, 0));
	cr_assert(eq(u16, pk.mss, 0));
	cr_assert(eq(u8, pk.wscale, 0));
	cr_assert(eq(u32, pk.ts1, 0));
}

/* ------------------------------------------------------------------ */
/* IPv6                                                                 */
/* ------------------------------------------------------------------ */

Test(ipv6, header_fields)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	t.ttl = 50;
	t.tos = 0xb8;	/* traffic class: DSCP 46 */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u8, pk.ttl, 50));
	cr_assert(eq(u8, pk.tos, 0x2e));
	cr_assert(eq(u8, pk.ip_opt_len, 0));
	cr_assert(eq(u16, pk.tot_hdr, 40 + 40));
	cr_assert(eq(u32, pk.quirks, 0));
}

/* A hop-by-hop or destination options header with PadN filling 8 bytes. */
static void
add_ext(struct tf *t, uint8_t next)
{
	const uint8_t h[8] = { next, 0, 1, 4, 0, 0, 0, 0 };

	memcpy(t->ext + t->ext_len, h, 8);
	t->ext_len += 8;
}

static void
add_frag_ext(struct tf *t, uint8_t next, uint16_t off_flags)
{
	const uint8_t h[8] = { next, 0, (uint8_t)(off_flags >> 8), (uint8_t)off_flags,
			       0, 0, 0x12, 0x34 };

	memcpy(t->ext + t->ext_len, h, 8);
	t->ext_len += 8;
}

Test(ipv6, hop_by_hop_and_destination_options_are_walked)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	tf_set_proto(&t, 0);	/* hop-by-hop */
	add_ext(&t, 60);	/* -> destination options */
	add_ext(&t, 6);		/* -> TCP */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	/* extension headers are left out of tot_hdr (signatures read as
	 * without them) */
	cr_assert(eq(u16, pk.tot_hdr, 40 + 40));
	cr_assert(eq(u8, pk.ip_opt_len, 0));
	cr_assert(eq(u16, pk.mss, 1440));
	cr_assert(eq(u16, pk.sport, 40000));
}

Test(ipv6, long_extension_header_is_walked_by_its_length)
{
	struct tf t = tf_syn6();
	struct np_packet pk;
	const uint8_t h[16] = { 6, 1, 1, 12, 0 };	/* 16 bytes: hdr ext len 1 */

	tf_set_proto(&t, 60);
	memcpy(t.ext, h, 16);
	t.ext_len = 16;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u16, pk.mss, 1440));
	cr_assert(eq(u16, pk.tot_hdr, 40 + 40));
}

Test(ipv6, fragment_header_with_offset_is_fragment)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	tf_set_proto(&t, 44);
	add_frag_ext(&t, 6, 0x0008);	/* offset 1 */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_FRAGMENT));
}

Test(ipv6, fragment_header_with_more_flag_is_fragment)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	tf_set_proto(&t, 44);
	add_frag_ext(&t, 6, 0x0001);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_FRAGMENT));
}

Test(ipv6, atomic_fragment_header_is_walked)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	tf_set_proto(&t, 44);
	add_frag_ext(&t, 6, 0x0000);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u16, pk.tot_hdr, 40 + 40));
	cr_assert(eq(u16, pk.mss, 1440));
}

Test(ipv6, non_tcp_next_header_is_not_tcp)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	tf_set_proto(&t, 17);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_NOT_TCP));
	t.ext_len = 0;
	tf_set_proto(&t, 0);
	add_ext(&t, 17);	/* hop-by-hop -> UDP */
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_NOT_TCP));
}

Test(ipv6, extension_header_past_the_packet_is_short)
{
	struct tf t = tf_syn6();
	struct np_packet pk;
	const uint8_t h[8] = { 6, 30, 1, 4 };	/* claims 248 bytes */

	tf_set_proto(&t, 0);
	memcpy(t.ext, h, 8);
	t.ext_len = 8;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_SHORT));
}

Test(ipv6, payload_length_beyond_frame_is_short)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	t.set_len = 1;
	t.len_field = 41;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_SHORT));
}

Test(ipv6, shorter_than_60_bytes_is_short)
{
	struct tf t = tf_syn6();
	uint8_t b[TF_MAX];
	struct np_packet pk;

	tf_ip(&t, b);
	cr_assert(eq(int, parse_bytes(DLT_RAW_, b, 59, &pk), NP_SKIP_SHORT));
}

Test(ipv6, trailing_padding_is_ignored)
{
	struct tf t = tf_syn6();
	struct np_packet pk;

	t.trailer = 12;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u32, pk.pay_len, 0));
}

/* ------------------------------------------------------------------ */
/* TCP header                                                           */
/* ------------------------------------------------------------------ */

static enum np_parse_result
parse_flags(uint8_t flags)
{
	struct tf t = tf_plain4();
	struct np_packet pk;

	t.flags = flags;
	return parse_eth(&t, &pk);
}

Test(tcp, syn_fin_is_rejected)
{
	cr_assert(eq(int, parse_flags(TF_SYN | TF_FIN), NP_SKIP_TCP_FLAGS));
}

Test(tcp, syn_rst_is_rejected)
{
	cr_assert(eq(int, parse_flags(TF_SYN | TF_RST), NP_SKIP_TCP_FLAGS));
}

Test(tcp, fin_rst_is_rejected)
{
	cr_assert(eq(int, parse_flags(TF_FIN | TF_RST), NP_SKIP_TCP_FLAGS));
	cr_assert(eq(int, parse_flags(TF_FIN | TF_RST | TF_ACK), NP_SKIP_TCP_FLAGS));
}

Test(tcp, no_syn_ack_fin_rst_is_rejected)
{
	cr_assert(eq(int, parse_flags(0), NP_SKIP_TCP_FLAGS));
	cr_assert(eq(int, parse_flags(TF_PSH), NP_SKIP_TCP_FLAGS));
	cr_assert(eq(int, parse_flags(TF_URG | TF_ECE | TF_CWR), NP_SKIP_TCP_FLAGS));
}

Test(tcp, ordinary_flag_combinations_are_kept)
{
	static const uint8_t ok[] = { TF_SYN, TF_SYN | TF_ACK, TF_ACK, TF_FIN, TF_FIN | TF_ACK,
				      TF_RST, TF_RST | TF_ACK, TF_ACK | TF_PSH };

	for (size_t i = 0; i < sizeof(ok); i++)
		cr_assert(eq(int, parse_flags(ok[i]), NP_PARSE_OK), "flags 0x%02x", ok[i]);
}

Test(tcp, tcp_type_keeps_only_syn_ack_fin_rst)
{
	struct tf t = tf_plain4();
	struct np_packet pk;

	t.flags = TF_SYN | TF_ACK | TF_PSH | TF_ECE;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u8, pk.tcp_type, NP_TCP_SYN | NP_TCP_ACK));
}

Test(tcp, data_offset_below_5_is_bad_tcp)
{
	struct tf t = tf_plain4();
	struct np_packet pk;

	t.doff = 4;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_BAD_TCP));
}

Test(tcp, data_offset_beyond_packet_is_bad_tcp)
{
	struct tf t = tf_plain4();	/* 24-byte TCP header */
	struct np_packet pk;

	t.doff = 7;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_BAD_TCP));
	t.doff = 15;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_SKIP_BAD_TCP));
}

Test(tcp, payload_is_reported)
{
	static const uint8_t data[10] = "0123456789";
	struct tf t = tf_syn4();
	struct np_packet pk;

	t.payload = data;
	t.pay_len = 10;
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u32, pk.pay_len, 10));
	cr_assert(eq(int, memcmp(pk.payload, data, 10), 0));
	cr_assert(eq(u16, pk.tot_hdr, 60));
}

Test(tcp, no_payload_gives_null_pointer)
{
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u32, pk.pay_len, 0));
	cr_assert(pk.payload == NULL);
}

/* ------------------------------------------------------------------ */
/* Quirks, one at a time, on top of a quirk-free SYN                    */
/* ------------------------------------------------------------------ */

Test(quirks, plain_syn_has_none)
{
	struct tf t4 = tf_plain4();
	struct tf t6 = tf_plain6();

	cr_assert(eq(u32, quirks_of(&t4), 0));
	cr_assert(eq(u32, quirks_of(&t6), 0));
}

Test(quirks, df_alone_when_ip_id_is_zero)
{
	struct tf t = tf_plain4();

	t.frag = 0x4000;
	t.ip_id = 0;
	cr_assert(eq(u32, quirks_of(&t), Q(DF)));
}

Test(quirks, id_plus_is_df_with_nonzero_id)
{
	struct tf t = tf_plain4();

	t.frag = 0x4000;
	t.ip_id = 1;
	cr_assert(eq(u32, quirks_of(&t), Q(DF) | Q(NZ_ID)));
}

Test(quirks, id_minus_is_no_df_with_zero_id)
{
	struct tf t = tf_plain4();

	t.ip_id = 0;
	cr_assert(eq(u32, quirks_of(&t), Q(ZERO_ID)));
}

Test(quirks, ecn_from_ipv4_tos_bits)
{
	struct tf t = tf_plain4();

	for (uint8_t ecn = 1; ecn <= 3; ecn++) {
		t.tos = ecn;
		cr_assert(eq(u32, quirks_of(&t), Q(ECN)), "tos %u", ecn);
	}
	t.tos = 0xfc;	/* DSCP only */
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, ecn_from_ipv6_traffic_class_bits)
{
	struct tf t = tf_plain6();

	t.tos = 0x02;
	cr_assert(eq(u32, quirks_of(&t), Q(ECN)));
	t.tos = 0xfc;
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, ecn_from_tcp_ece_and_cwr)
{
	struct tf t = tf_plain4();

	t.flags = TF_SYN | TF_ECE;
	cr_assert(eq(u32, quirks_of(&t), Q(ECN)));
	t.flags = TF_SYN | TF_CWR;
	cr_assert(eq(u32, quirks_of(&t), Q(ECN)));
}

Test(quirks, ecn_from_ns_bit_only)
{
	struct tf t = tf_plain4();

	t.rsvd = 0x01;	/* NS */
	cr_assert(eq(u32, quirks_of(&t), Q(ECN)));
	t.rsvd = 0x0e;	/* the other reserved bits are not looked at */
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, zero_plus_is_reserved_ip_flag)
{
	struct tf t = tf_plain4();

	t.frag = 0x8000;
	cr_assert(eq(u32, quirks_of(&t), Q(NZ_MBZ)));
}

Test(quirks, flow_is_nonzero_ipv6_flow_label)
{
	struct tf t = tf_plain6();

	t.flow = 0x12345;
	cr_assert(eq(u32, quirks_of(&t), Q(FLOW)));
	t.flow = 1;
	cr_assert(eq(u32, quirks_of(&t), Q(FLOW)));
}

Test(quirks, seq_minus_is_zero_sequence)
{
	struct tf t = tf_plain4();

	t.seq = 0;
	cr_assert(eq(u32, quirks_of(&t), Q(ZERO_SEQ)));
}

/* p0f tests RD32(ack) & !(flags & RST): bit 0 of the raw word, which on
 * x86 is bit 24 of the acknowledgement number. */
Test(quirks, ack_plus_only_when_bit_24_of_ack_is_set)
{
	struct tf t = tf_plain4();

	t.ack = 0x01000000;
	cr_assert(eq(u32, quirks_of(&t), Q(NZ_ACK)));
	t.ack = 0xff000000;
	cr_assert(eq(u32, quirks_of(&t), Q(NZ_ACK)));
}

Test(quirks, ack_plus_not_set_for_low_ack_bits)
{
	struct tf t = tf_plain4();

	t.ack = 1;
	cr_assert(eq(u32, quirks_of(&t), 0));
	t.ack = 0x00010000;
	cr_assert(eq(u32, quirks_of(&t), 0));
	t.ack = 0xfeffffff;
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, ack_plus_never_on_rst)
{
	struct tf t = tf_plain4();

	t.flags = TF_RST;
	t.ack = 0x01000000;
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, ack_minus_is_ack_flag_with_zero_ack)
{
	struct tf t = tf_plain4();

	t.flags = TF_SYN | TF_ACK;
	t.ack = 0;
	cr_assert(eq(u32, quirks_of(&t), Q(ZERO_ACK)));
	t.ack = 0x01000000;	/* and never ack+ when ACK is set */
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, uptr_plus_is_urgent_pointer_without_urg)
{
	struct tf t = tf_plain4();

	t.urg = 1;
	cr_assert(eq(u32, quirks_of(&t), Q(NZ_URG)));
}

Test(quirks, urgf_plus_is_urg_flag)
{
	struct tf t = tf_plain4();

	t.flags = TF_SYN | TF_URG;
	cr_assert(eq(u32, quirks_of(&t), Q(URG)));
	t.urg = 5;	/* a pointer with URG set is not uptr+ */
	cr_assert(eq(u32, quirks_of(&t), Q(URG)));
}

Test(quirks, pushf_plus_is_psh_flag)
{
	struct tf t = tf_plain4();

	t.flags = TF_SYN | TF_PSH;
	cr_assert(eq(u32, quirks_of(&t), Q(PUSH)));
}

Test(quirks, ts1_minus_is_zero_own_timestamp)
{
	struct tf t = tf_plain4();
	struct np_packet pk;

	opt_nop(&t.opts);
	opt_nop(&t.opts);
	opt_ts(&t.opts, 0, 0);
	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u32, pk.quirks, Q(OPT_ZERO_TS1)));
	cr_assert(eq(u32, pk.ts1, 0));
}

Test(quirks, ts2_plus_on_pure_syn_only)
{
	struct tf t = tf_plain4();

	opt_nop(&t.opts);
	opt_nop(&t.opts);
	opt_ts(&t.opts, 5, 7);
	cr_assert(eq(u32, quirks_of(&t), Q(OPT_NZ_TS2)));
	t.flags = TF_SYN | TF_ACK;
	t.ack = 1;
	cr_assert(eq(u32, quirks_of(&t), 0));
	t.flags = TF_ACK;
	cr_assert(eq(u32, quirks_of(&t), 0));
}

Test(quirks, opt_plus_is_nonzero_byte_after_eol)
{
	struct tf_opts o = { .n = 0 };
	struct np_packet pk;

	opt_mss(&o, 1460);
	opt_eol(&o);
	opt_byte(&o, 0);
	opt_byte(&o, 5);	/* not the last padding byte */
	opt_byte(&o, 0);
	parse_opts(&o, &pk);
	cr_assert(eq(u32, pk.quirks, Q(OPT_EOL_NZ)));
	cr_assert(eq(u8, pk.opt_eol_pad, 3));
	cr_assert(eq(u8, pk.opt_cnt, 2));
}

/* p0f's "while (data < opt_end && !*data++)" ends at opt_end when only the
 * last padding byte is non-zero, so that byte goes unflagged. */
Test(quirks, opt_plus_not_flagged_for_last_padding_byte)
{
	struct tf_opts o = { .n = 0 };
	struct np_packet pk;

	opt_mss(&o, 1460);
	opt_eol(&o);
	opt_byte(&o, 0);
	opt_byte(&o, 0);
	opt_byte(&o, 5);
	parse_opts(&o, &pk);
	cr_assert(eq(u32, pk.quirks, 0));
	cr_assert(eq(u8, pk.opt_eol_pad, 3));
}

Test(quirks, exws_is_window_scale_above_14)
{
	struct tf_opts o = { .n = 0 };
	struct np_packet pk;

	opt_mss(&o, 1460);
	opt_nop(&o);
	opt_ws(&o, 15);
	parse_opts(&o, &pk);
	cr_assert(eq(u32, pk.quirks, Q(OPT_EXWS)));
	cr_assert(eq(u8, pk.wscale, 15));

	o.n = 0;
	opt_mss(&o, 1460);
	opt_nop(&o);
	opt_ws(&o, 14);
	parse_opts(&o, &pk);
	cr_assert(eq(u32, pk.quirks, 0));
}

/* ------------------------------------------------------------------ */
/* "bad": malformed options                                             */
/* ------------------------------------------------------------------ */

/* Options given as bytes (a multiple of 4), quirks expected exactly. */
static struct np_packet
parse_opt_bytes(const uint8_t *b, size_t n)
{
	struct tf_opts o = { .n = 0 };
	struct np_packet pk;

	opt_bytes(&o, b, n);
	parse_opts(&o, &pk);
	return pk;
}

Test(bad, mss_with_wrong_length)
{
	static const uint8_t b[] = { 2, 5, 0x05, 0xb4 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u16, pk.mss, 1460));	/* still read, as p0f does */
}

Test(bad, window_scale_with_wrong_length)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 3, 4, 7, 1 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u8, pk.wscale, 7));
}

Test(bad, sack_permitted_with_wrong_length)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 4, 3, 1, 1 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
}

Test(bad, timestamp_with_wrong_length)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 8, 11, 0, 0, 0, 9, 0, 0, 0, 0, 1, 1 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u32, pk.ts1, 9));
}

Test(bad, sack_length_below_10)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 5, 8, 0, 0, 0, 0, 0, 0 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u8, pk.opt_cnt, 2));
	cr_assert(eq(u8, pk.opt_layout[1], NP_OPT_SACK));
}

Test(bad, sack_length_above_34)
{
	uint8_t b[40] = { 5, 35 };
	struct np_packet pk;

	memset(b + 2, 0, 38);
	pk = parse_opt_bytes(b, sizeof(b));
	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
}

Test(bad, sack_lengths_10_and_34_are_fine)
{
	uint8_t b[40];
	struct np_packet pk;

	memset(b, 1, sizeof(b));
	b[0] = 5;
	b[1] = 10;
	memset(b + 2, 0, 8);
	pk = parse_opt_bytes(b, 12);
	cr_assert(eq(u32, pk.quirks, 0));

	memset(b, 1, sizeof(b));
	b[0] = 5;
	b[1] = 34;
	memset(b + 2, 0, 32);
	pk = parse_opt_bytes(b, 36);
	cr_assert(eq(u32, pk.quirks, 0));
	cr_assert(eq(u8, pk.opt_cnt, 3));
}

Test(bad, unknown_option_length_below_2)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 30, 1, 1, 1 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
}

Test(bad, unknown_option_length_above_40)
{
	uint8_t b[40] = { 30, 41 };
	struct np_packet pk;

	pk = parse_opt_bytes(b, sizeof(b));
	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
}

Test(bad, unknown_option_of_length_40_is_fine)
{
	uint8_t b[40] = { 30, 40 };
	struct np_packet pk;

	pk = parse_opt_bytes(b, sizeof(b));
	cr_assert(eq(u32, pk.quirks, 0));
	cr_assert(eq(u8, pk.opt_cnt, 1));
	cr_assert(eq(u8, pk.opt_layout[0], 30));
}

Test(bad, unknown_option_running_past_the_header)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 30, 8, 0, 0 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
}

Test(bad, unknown_option_kind_in_last_byte)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 30 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u8, pk.opt_cnt, 5));
}

Test(bad, mss_running_past_the_header)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 1, 1, 2, 4 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u16, pk.mss, 1460));	/* the truncated one is not read */
}

Test(bad, timestamp_running_past_the_header)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 1, 1, 8, 10, 0, 0, 0, 7 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u32, pk.ts1, 0));
}

Test(bad, twenty_five_options_are_bad)
{
	uint8_t b[28];
	struct np_packet pk;

	memset(b, 1, sizeof(b));
	pk = parse_opt_bytes(b, sizeof(b));
	cr_assert(eq(u32, pk.quirks, Q(OPT_BAD)));
	cr_assert(eq(u8, pk.opt_cnt, NP_MAX_TCP_OPT));
}

Test(bad, exactly_twenty_four_options_are_clean)
{
	uint8_t b[24];
	struct np_packet pk;

	memset(b, 1, sizeof(b));
	pk = parse_opt_bytes(b, sizeof(b));
	cr_assert(eq(u32, pk.quirks, 0));
	cr_assert(eq(u8, pk.opt_cnt, 24));
}

/* ------------------------------------------------------------------ */
/* Option layout and values                                             */
/* ------------------------------------------------------------------ */

Test(options, linux_syn_layout_and_values)
{
	static const uint8_t layout[] = { NP_OPT_MSS, NP_OPT_SOK, NP_OPT_TS, NP_OPT_NOP, NP_OPT_WS };
	struct tf t = tf_syn4();
	struct np_packet pk;

	cr_assert(eq(int, parse_eth(&t, &pk), NP_PARSE_OK));
	cr_assert(eq(u8, pk.opt_cnt, 5));
	cr_assert(eq(int, memcmp(pk.opt_layout, layout, 5), 0));
	cr_assert(eq(u16, pk.mss, 1460));
	cr_assert(eq(u8, pk.wscale, 7));
	cr_assert(eq(u32, pk.ts1, 12345));
	cr_assert(eq(u8, pk.opt_eol_pad, 0));
	cr_assert(eq(u32, pk.quirks, Q(DF) | Q(NZ_ID)));
}

Test(options, unknown_kinds_are_kept_in_layout)
{
	static const uint8_t b[] = { 30, 4, 0, 0, 2, 4, 0x05, 0xb4, 254, 2, 1, 1 };
	static const uint8_t layout[] = { 30, NP_OPT_MSS, 254, NP_OPT_NOP, NP_OPT_NOP };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u8, pk.opt_cnt, 5));
	cr_assert(eq(int, memcmp(pk.opt_layout, layout, 5), 0));
	cr_assert(eq(u32, pk.quirks, 0));
}

Test(options, eol_padding_is_counted)
{
	struct tf_opts o = { .n = 0 };
	struct np_packet pk;

	opt_mss(&o, 1460);
	opt_nop(&o);
	opt_eol(&o);
	opt_byte(&o, 0);
	opt_byte(&o, 0);
	opt_nop(&o);	/* four bytes after EOL... */
	opt_nop(&o);
	opt_nop(&o);
	opt_nop(&o);	/* ...but the loop ends at the first non-zero */
	parse_opts(&o, &pk);
	cr_assert(eq(u8, pk.opt_cnt, 3));
	cr_assert(eq(u8, pk.opt_layout[2], NP_OPT_EOL));
	cr_assert(eq(u8, pk.opt_eol_pad, 6));
	cr_assert(eq(u32, pk.quirks, Q(OPT_EOL_NZ)));
}

Test(options, eol_as_last_byte_has_no_padding)
{
	static const uint8_t b[] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 0 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u8, pk.opt_cnt, 5));
	cr_assert(eq(u8, pk.opt_eol_pad, 0));
	cr_assert(eq(u32, pk.quirks, 0));
}

Test(options, eol_first_counts_all_remaining_bytes)
{
	static const uint8_t b[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	struct np_packet pk = parse_opt_bytes(b, sizeof(b));

	cr_assert(eq(u8, pk.opt_cnt, 1));
	cr_assert(eq(u8, pk.opt_eol_pad, 7));
	cr_assert(eq(u16, pk.mss, 0));
}

Test(options, macos_layout_with_eol_plus_one)
{
	struct tf_opts o = { .n = 0 };
	static const uint8_t layout[] = { NP_OPT_MSS, NP_OPT_NOP, NP_OPT_WS, NP_OPT_NOP, NP_OPT_NOP,
					  NP_OPT_TS, NP_OPT_SOK, NP_OPT_EOL };
	struct np_packet pk;

	opt_mss(&o, 1460);
	opt_nop(&o);
	opt_ws(&o, 5);
	opt_nop(&o);
	opt_nop(&o);
	opt_ts(&o, 777, 0);
	opt_sok(&o);
	opt_eol(&o);
	opt_eol(&o);
	parse_opts(&o, &pk);
	cr_assert(eq(u8, pk.opt_cnt, 8));
	cr_assert(eq(int, memcmp(pk.opt_layout, layout, 8), 0));
	cr_assert(eq(u8, pk.opt_eol_pad, 1));
	cr_assert(eq(u8, pk.wscale, 5));
	cr_assert(eq(u32, pk.ts1, 777));
}

/* ------------------------------------------------------------------ */
/* Fuzz: random and mutated frames must never crash (run under ASan too) */
/* ------------------------------------------------------------------ */

static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng >> 16);
}

/* Valid frames to mutate: (dlt, bytes). */
struct seed {
	int dlt;
	size_t len;
	uint8_t b[TF_MAX];
};

static void
make_seeds(struct seed *s, size_t *n)
{
	static const uint16_t qinq[] = { 0x88a8, 0x8100 };
	struct tf t;

	*n = 0;
	t = tf_syn4();
	s[*n].dlt = DLT_EN10MB_;
	s[*n].len = tf_eth(&t, s[*n].b);
	(*n)++;
	t = tf_syn6();
	s[*n].dlt = DLT_EN10MB_;
	s[*n].len = tf_eth_tagged(&t, s[*n].b, qinq, 2);
	(*n)++;
	t = tf_syn6();
	tf_set_proto(&t, 0);
	add_ext(&t, 44);
	add_frag_ext(&t, 6, 0);
	s[*n].dlt = DLT_RAW_;
	s[*n].len = tf_ip(&t, s[*n].b);
	(*n)++;
	t = tf_syn4();
	for (int i = 0; i < 8; i++)
		opt_nop(&t.ip_opts);
	t.opts.n = 0;
	opt_mss(&t.opts, 1460);
	opt_nop(&t.opts);
	opt_ws(&t.opts, 15);
	opt_byte(&t.opts, 5);
	opt_byte(&t.opts, 10);
	for (int i = 0; i < 8; i++)
		opt_byte(&t.opts, (uint8_t)i);
	opt_eol(&t.opts);
	opt_byte(&t.opts, 0);
	opt_byte(&t.opts, 3);
	opt_byte(&t.opts, 0);
	s[*n].dlt = DLT_NULL_;
	memset(s[*n].b, 0, 4);
	s[*n].len = 4 + tf_ip(&t, s[*n].b + 4);
	(*n)++;
}

static const int fuzz_dlts[] = { DLT_EN10MB_, DLT_NULL_, DLT_RAW_, DLT_SLL_, DLT_IPV4_ };

static void
check_invariants(int dlt, const uint8_t *f, size_t len, enum np_parse_result r,
		 const struct np_packet *pk)
{
	struct np_link lk;

	cr_assert(lt(int, (int)r, NP_PARSE_RESULT_COUNT));
	cr_assert(ge(int, (int)r, 0));
	if (r != NP_PARSE_OK)
		return;
	np_link_init(&lk, dlt);
	uint8_t ver_;
	int off = np_link_ip_offset(&lk, f, (uint32_t)len, &ver_);
	cr_assert(ge(int, off, 0));
	cr_assert(le(u32, pk->opt_cnt, NP_MAX_TCP_OPT));
	cr_assert(le(u64, (uint64_t)pk->pay_len + pk->tot_hdr, len - (size_t)off));
	cr_assert(pk->ip_ver == 4 || pk->ip_ver == 6);
	cr_assert(eq(int, pk->pay_len == 0, pk->payload == NULL));
	if (pk->payload) {
		cr_assert(pk->payload >= f && pk->payload + pk->pay_len <= f + len);
	}
	cr_assert(le(u32, pk->opt_eol_pad, 40));
	cr_assert(ne(u8, pk->tcp_type, 0));
}

Test(fuzz, random_and_mutated_frames_never_crash, .timeout = 240)
{
	static struct seed seeds[8];
	size_t nseeds;
	uint8_t buf[TF_MAX];
	unsigned ok = 0;

	make_seeds(seeds, &nseeds);
	for (unsigned i = 0; i < 300000; i++) {
		int dlt;
		size_t len;

		switch (rnd() % 3) {
		case 0:	/* pure noise */
			dlt = fuzz_dlts[rnd() % (sizeof(fuzz_dlts) / sizeof(fuzz_dlts[0]))];
			len = rnd() % 160;
			for (size_t k = 0; k < len; k++)
				buf[k] = (uint8_t)rnd();
			break;
		case 1: {	/* plausible IP header, random rest */
			dlt = DLT_RAW_;
			len = rnd() % 200;
			for (size_t k = 0; k < len; k++)
				buf[k] = (uint8_t)rnd();
			if (len > 40) {
				bool v6 = rnd() & 1;

				buf[0] = v6 ? 0x60 : (uint8_t)(0x40 | (5 + rnd() % 11));
				if (v6) {
					tf_put16(buf + 4, (uint16_t)(len - 40 + rnd() % 3 - 1));
					buf[6] = (rnd() & 3) ? 6 : 0;
				} else {
					tf_put16(buf + 2, (uint16_t)(len - rnd() % 3));
					buf[9] = 6;
					buf[6] &= 0x40;
					buf[7] = 0;
				}
			}
			break;
		}
		default: {	/* mutated valid frame */
			const struct seed *s = &seeds[rnd() % nseeds];
			unsigned flips = 1 + rnd() % 6;

			dlt = s->dlt;
			len = s->len;
			memcpy(buf, s->b, len);
			for (unsigned k = 0; k < flips; k++)
				buf[rnd() % len] = (uint8_t)rnd();
			if (rnd() % 4 == 0)
				len = rnd() % (len + 1);
			else if (rnd() % 8 == 0) {
				size_t extra = rnd() % 32;

				for (size_t k = 0; k < extra; k++)
					buf[len + k] = (uint8_t)rnd();
				len += extra;
			}
			break;
		}
		}

		uint8_t *f = malloc(len ? len : 1);
		struct np_link lk;
		struct np_packet pk;

		cr_assert(f != NULL);
		memcpy(f, buf, len);
		np_link_init(&lk, dlt);
		enum np_parse_result r = np_parse_frame(&lk, f, (uint32_t)len, &pk);
		check_invariants(dlt, f, len, r, &pk);
		ok += r == NP_PARSE_OK;
		free(f);
	}
	/* The loop must actually reach the TCP option parser often. */
	cr_assert(gt(u32, ok, 10000));
}

/* ---- UDP (QUIC and DTLS ride on it) ------------------------------------- */

static enum np_parse_result
parse_udp(const struct tf *t, struct np_udp *u, size_t cut)
{
	uint8_t b[TF_MAX];
	size_t n = tf_eth(t, b);
	struct np_link lk;

	if (cut)
		n = cut;
	free(g_copy);
	g_copy = malloc(n);
	cr_assert(g_copy != NULL);
	memcpy(g_copy, b, n);
	np_link_init(&lk, DLT_EN10MB_);
	return np_parse_udp_frame(&lk, g_copy, (uint32_t)n, u);
}

static struct tf
tf_udp4(const uint8_t *payload, uint16_t len)
{
	struct tf t = tf_plain4();

	t.udp = 1;
	t.sport = 51000;
	t.dport = 443;
	t.payload = payload;
	t.pay_len = len;
	return t;
}

Test(udp, ipv4_payload_and_ports)
{
	static const uint8_t pay[] = { 0xc3, 0, 0, 0, 1, 9, 9 };
	struct tf t = tf_udp4(pay, sizeof(pay));
	struct np_udp u;
	struct np_packet pk;
	uint8_t b[TF_MAX];

	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_PARSE_OK));
	cr_assert(eq(u8, u.ip_ver, 4));
	cr_assert(eq(u16, u.sport, 51000));
	cr_assert(eq(u16, u.dport, 443));
	cr_assert(eq(u32, u.pay_len, sizeof(pay)));
	cr_assert(eq(int, memcmp(u.payload, pay, sizeof(pay)), 0));
	cr_assert(eq(int, memcmp(u.src, t.src, 4), 0));
	cr_assert(eq(int, memcmp(u.dst, t.dst, 4), 0));
	/* the TCP parser still calls it "not TCP", so p0f's counting is unchanged */
	cr_assert(eq(int, parse_bytes(DLT_EN10MB_, b, tf_eth(&t, b), &pk), NP_SKIP_NOT_TCP));
}

Test(udp, ipv6_through_extension_headers)
{
	static const uint8_t pay[] = { 22, 0xfe, 0xfd };
	struct tf t = tf_plain6();
	struct np_udp u;

	t.udp = 1;
	t.sport = 4433;
	t.dport = 5000;
	t.payload = pay;
	t.pay_len = sizeof(pay);
	/* hop-by-hop (8 bytes) then destination options (16) then UDP */
	tf_set_proto(&t, 0);
	memset(t.ext, 0, 24);
	t.ext[0] = 60;
	t.ext[8] = 17;
	t.ext[9] = 1;
	t.ext_len = 24;
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_PARSE_OK));
	cr_assert(eq(u8, u.ip_ver, 6));
	cr_assert(eq(u32, u.pay_len, 3));
	cr_assert(eq(u8, u.payload[0], 22));
	cr_assert(eq(int, memcmp(u.src, t.src, 16), 0));
}

Test(udp, payload_bounded_by_udp_length)
{
	static const uint8_t pay[40] = { 1 };
	struct tf t = tf_udp4(pay, sizeof(pay));
	struct np_udp u;

	/* a shorter UDP length wins over the IP length (padding after it) */
	t.set_udp_len = 1;
	t.udp_len = 8 + 10;
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_PARSE_OK));
	cr_assert(eq(u32, u.pay_len, 10));
	t.udp_len = 8;
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_PARSE_OK));
	cr_assert(eq(u32, u.pay_len, 0));
	cr_assert(u.payload == NULL);
	/* a longer one, or one below the header, is a broken datagram */
	t.udp_len = 8 + 41;
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_SKIP_SHORT));
	t.udp_len = 7;
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_SKIP_SHORT));
}

Test(udp, fragments_other_protocols_and_cuts)
{
	static const uint8_t pay[32] = { 1 };
	struct tf t = tf_udp4(pay, sizeof(pay));
	struct np_udp u;
	uint8_t b[TF_MAX];
	size_t full = tf_eth(&t, b);

	t.frag = 0x2000;	/* MF */
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_SKIP_FRAGMENT));
	t.frag = 0x0010;	/* an offset */
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_SKIP_FRAGMENT));
	t.frag = 0x4000;	/* DF only */
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_PARSE_OK));
	tf_set_proto(&t, 1);	/* ICMP */
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_SKIP_NOT_TCP));
	t.proto_set = 0;
	/* every cut of the frame is refused, never read past */
	for (size_t cut = 1; cut < full; cut++)
		cr_assert(ne(int, parse_udp(&t, &u, cut), NP_PARSE_OK), "cut at %zu", cut);
	t.ihl = 4;
	cr_assert(eq(int, parse_udp(&t, &u, 0), NP_SKIP_BAD_IP));
}
