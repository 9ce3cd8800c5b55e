/* SPDX-License-Identifier: MIT */
/*
 * Matcher tests: p0f 3.09b's detect_win_multi() candidate order and
 * tcp_find_match() verdicts (fp_tcp.c), on small databases written in the
 * tests and on observations built field by field, plus the [mtu] lookup.
 */
#include <stdio.h>
#include <string.h>

#include "matcher.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define assert_str(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && !strcmp(a_, e_), "got \"%s\", want \"%s\"", \
			  a_ ? a_ : "(null)", e_); \
	} while (0)

static struct np_db *g_db;

/* Load "classes" + "[tcp:request]" + lines; the test fails if refused. */
static const struct np_db *
db_req(const char *lines)
{
	char text[4096], err[NP_DB_ERR_MAX];

	snprintf(text, sizeof(text), "classes = win,unix,other\n[tcp:request]\n%s", lines);
	np_db_free(g_db);
	g_db = np_db_load_buf("t.fp", text, err, sizeof(err));
	cr_assert(g_db != NULL, "refused: %s", err);
	return g_db;
}

static const struct np_db *
db_resp(const char *lines)
{
	char text[4096], err[NP_DB_ERR_MAX];

	snprintf(text, sizeof(text), "classes = win,unix,other\n[tcp:response]\n%s", lines);
	np_db_free(g_db);
	g_db = np_db_load_buf("t.fp", text, err, sizeof(err));
	cr_assert(g_db != NULL, "refused: %s", err);
	return g_db;
}

/* An observed IPv4 SYN: TTL 60, MSS 1460, window 8192, scale 0,
 * options mss,nop,ws, no quirks, no payload. */
static struct np_packet
obs(void)
{
	struct np_packet p;

	memset(&p, 0, sizeof(p));
	p.ip_ver = 4;
	p.ttl = 60;
	p.mss = 1460;
	p.win = 8192;
	p.wscale = 0;
	p.opt_cnt = 3;
	p.opt_layout[0] = NP_OPT_MSS;
	p.opt_layout[1] = NP_OPT_NOP;
	p.opt_layout[2] = NP_OPT_WS;
	p.tot_hdr = 20 + 28;
	p.tcp_type = NP_TCP_SYN;
	return p;
}

static struct np_tcp_match
match_req(const struct np_packet *p)
{
	struct np_tcp_match m;

	np_match_tcp(g_db, NP_DIR_REQUEST, p, 0, &m);
	return m;
}

static const char *
label_of(enum np_dir dir, const struct np_tcp_match *m)
{
	return np_db_label(g_db, g_db->tcp[dir][m->sig].label)->text;
}

#define Q(id) NP_QUIRK(id)
#define SIG(s) "sig = " s "\n"

/* ------------------------------------------------------------------ */
/* detect_win_multi                                                     */
/* ------------------------------------------------------------------ */

static struct np_tcp_sig
wobs(int ver, int32_t mss, uint16_t win, uint32_t ts1, uint16_t tot_hdr)
{
	struct np_tcp_sig s;

	memset(&s, 0, sizeof(s));
	s.ip_ver = (int8_t)ver;
	s.mss = mss;
	s.win = win;
	s.ts1 = ts1;
	s.tot_hdr = tot_hdr;
	s.win_type = NP_WIN_NORMAL;
	return s;
}

static void
assert_multi(struct np_win_multi wm, int multi, bool mtu)
{
	cr_assert(eq(i16, wm.multi, (int16_t)multi));
	if (multi > 0)
		cr_assert(eq(int, wm.use_mtu, mtu), "use_mtu %d, want %d", wm.use_mtu, mtu);
}

Test(win_multi, own_mss_comes_first)
{
	struct np_tcp_sig s = wobs(4, 730, 1460, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), 2, false);	/* not 1460*1 */
}

Test(win_multi, mss_minus_12_only_with_timestamps)
{
	struct np_tcp_sig s = wobs(4, 1000, 988 * 7, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
	s.ts1 = 1;
	assert_multi(np_tcp_win_multi(&s, 0), 7, false);
}

Test(win_multi, fixed_1460)
{
	struct np_tcp_sig s = wobs(4, 1000, 1460 * 3, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), 3, false);
}

Test(win_multi, fixed_1448)
{
	struct np_tcp_sig s = wobs(4, 1000, 1448 * 2, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), 2, false);
}

Test(win_multi, fixed_1440_on_ipv6_only)
{
	struct np_tcp_sig s = wobs(6, 1000, 1440 * 3, 0, 60);

	assert_multi(np_tcp_win_multi(&s, 0), 3, false);
	s = wobs(4, 1000, 1440 * 3, 0, 40);
	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
}

Test(win_multi, fixed_1428_on_ipv6_only)
{
	struct np_tcp_sig s = wobs(6, 1000, 1428 * 2, 0, 60);

	assert_multi(np_tcp_win_multi(&s, 0), 2, false);
	s = wobs(4, 1000, 1428 * 2, 0, 40);
	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
}

Test(win_multi, mtu_is_mss_plus_40)
{
	struct np_tcp_sig s = wobs(4, 1000, 1040 * 5, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), 5, true);
}

Test(win_multi, mtu_is_mss_plus_actual_headers)
{
	struct np_tcp_sig s = wobs(4, 1000, 1052 * 3, 0, 52);

	assert_multi(np_tcp_win_multi(&s, 0), 3, true);
}

Test(win_multi, mtu_is_mss_plus_60_on_ipv6_only)
{
	struct np_tcp_sig s = wobs(6, 1000, 1060 * 3, 0, 80);

	assert_multi(np_tcp_win_multi(&s, 0), 3, true);
	s = wobs(4, 1000, 1060 * 3, 0, 80);
	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
}

Test(win_multi, mtu_1500)
{
	struct np_tcp_sig s = wobs(4, 1100, 3000, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), 2, true);
}

Test(win_multi, fixed_1460_beats_mtu_of_same_value)
{
	struct np_tcp_sig s = wobs(4, 1420, 2920, 0, 40);	/* mss+40 = 1460 too */

	assert_multi(np_tcp_win_multi(&s, 0), 2, false);
}

Test(win_multi, peer_syn_mss_last)
{
	struct np_tcp_sig s = wobs(4, 1000, 2600, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
	assert_multi(np_tcp_win_multi(&s, 1300), 2, false);
}

Test(win_multi, peer_syn_mss_minus_12)
{
	struct np_tcp_sig s = wobs(4, 1000, 2600, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 1312), 2, false);
}

Test(win_multi, zero_window_gives_minus_one)
{
	struct np_tcp_sig s = wobs(4, 1460, 0, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
}

Test(win_multi, mss_below_100_gives_minus_one)
{
	struct np_tcp_sig s = wobs(4, 99, 990, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
	s = wobs(4, 100, 1000, 0, 40);
	assert_multi(np_tcp_win_multi(&s, 0), 10, false);
}

Test(win_multi, no_divisor_gives_minus_one)
{
	struct np_tcp_sig s = wobs(4, 1460, 1001, 0, 40);

	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
}

Test(win_multi, signature_windows_are_not_multiples)
{
	struct np_tcp_sig s = wobs(4, 1460, 10, 0, 40);

	s.win_type = NP_WIN_MSS;
	assert_multi(np_tcp_win_multi(&s, 0), -1, false);
}

/* ------------------------------------------------------------------ */
/* Match priority                                                       */
/* ------------------------------------------------------------------ */

#define GEN_ANY "label = g:unix:Gen:\n" SIG("4:64:0:*:*,*:mss,nop,ws::0")

Test(priority, exact_specific_beats_earlier_generic)
{
	db_req(GEN_ANY "label = s:unix:Spec:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 1));
	assert_str(label_of(NP_DIR_REQUEST, &m), "Spec 1");
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 4));
}

Test(priority, generic_used_when_no_specific_matches)
{
	db_req(GEN_ANY "label = s:unix:Spec:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	p.win = 1234;
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	assert_str(label_of(NP_DIR_REQUEST, &m), "Gen");
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 4));
}

Test(priority, first_generic_wins_over_later_generic)
{
	db_req(GEN_ANY "label = g:unix:Gen2:\n" SIG("4:64:0:1460:*,*:mss,nop,ws::0"));
	struct np_packet p = obs();

	cr_assert(eq(i32, match_req(&p).sig, 0));
}

Test(priority, first_specific_in_file_order_wins)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0")
	       "label = s:unix:B:1\n" SIG("4:64:0:*:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	cr_assert(eq(i32, match_req(&p).sig, 0));
	p.mss = 1380;
	cr_assert(eq(i32, match_req(&p).sig, 1));
}

Test(priority, exact_beats_earlier_fuzzy)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:df:0")
	       "label = s:unix:B:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 1));
	cr_assert(not(m.fuzzy));
}

Test(priority, first_fuzzy_wins_and_later_quirk_mismatches_are_skipped)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:df:0")
	       "label = s:unix:B:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:df,id+:0"));
	struct np_packet p = obs();
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
}

Test(priority, unmatched_gives_minus_one_and_guessed_distance)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	p.win = 1000;
	p.ttl = 120;
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, -1));
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 8));
}

/* ------------------------------------------------------------------ */
/* Fuzzy quirks                                                         */
/* ------------------------------------------------------------------ */

#define DF_IDP "label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:df,id+:0")
#define NOQ "label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0")

static struct np_tcp_match
match_quirks(uint32_t quirks)
{
	struct np_packet p = obs();

	p.quirks = quirks;
	return match_req(&p);
}

Test(fuzzy, df_and_id_plus_vanishing)
{
	db_req(DF_IDP);
	struct np_tcp_match m = match_quirks(0);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 4));
}

Test(fuzzy, id_plus_vanishing_alone)
{
	db_req(DF_IDP);
	struct np_tcp_match m = match_quirks(Q(DF));

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
}

Test(fuzzy, id_minus_appearing)
{
	db_req(NOQ);
	struct np_tcp_match m = match_quirks(Q(ZERO_ID));

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
}

Test(fuzzy, ecn_appearing)
{
	db_req(DF_IDP);
	struct np_tcp_match m = match_quirks(Q(DF) | Q(NZ_ID) | Q(ECN));

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
}

Test(fuzzy, exact_quirks_are_not_fuzzy)
{
	db_req(DF_IDP);
	struct np_tcp_match m = match_quirks(Q(DF) | Q(NZ_ID));

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
}

Test(fuzzy, df_appearing_is_no_match)
{
	db_req(NOQ);
	cr_assert(eq(i32, match_quirks(Q(DF)).sig, -1));
}

Test(fuzzy, id_plus_appearing_is_no_match)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:df:0"));
	cr_assert(eq(i32, match_quirks(Q(DF) | Q(NZ_ID)).sig, -1));
}

Test(fuzzy, ecn_vanishing_is_no_match)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:ecn:0"));
	cr_assert(eq(i32, match_quirks(0).sig, -1));
}

Test(fuzzy, id_minus_vanishing_is_no_match)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws:id-:0"));
	cr_assert(eq(i32, match_quirks(0).sig, -1));
}

Test(fuzzy, other_quirk_appearing_is_no_match)
{
	db_req(NOQ);
	cr_assert(eq(i32, match_quirks(Q(PUSH)).sig, -1));
	cr_assert(eq(i32, match_quirks(Q(ZERO_SEQ)).sig, -1));
	cr_assert(eq(i32, match_quirks(Q(NZ_ACK)).sig, -1));
}

/* ------------------------------------------------------------------ */
/* TTL and distance                                                     */
/* ------------------------------------------------------------------ */

static struct np_tcp_match
match_ttl(uint8_t ttl, uint32_t quirks)
{
	struct np_packet p = obs();

	p.ttl = ttl;
	p.quirks = quirks;
	return match_req(&p);
}

Test(ttl, distance_is_signature_ttl_minus_observed)
{
	db_req(NOQ);
	struct np_tcp_match m = match_ttl(50, 0);

	cr_assert(eq(i32, m.dist, 14));
	cr_assert(not(m.fuzzy));
	m = match_ttl(64, 0);
	cr_assert(eq(i32, m.dist, 0));
}

Test(ttl, thirty_five_below_is_still_exact)
{
	db_req(NOQ);
	struct np_tcp_match m = match_ttl(29, 0);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 35));
}

Test(ttl, above_signature_is_fuzzy_with_guessed_distance)
{
	db_req(NOQ);
	struct np_tcp_match m = match_ttl(65, 0);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 63));	/* guess_dist(65) = 128 - 65 */
}

Test(ttl, more_than_35_below_is_fuzzy_with_guessed_distance)
{
	db_req(NOQ);
	struct np_tcp_match m = match_ttl(28, 0);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 4));	/* guess_dist(28) = 32 - 28 */
}

Test(ttl, quirk_fuzzy_match_in_range_uses_signature_ttl)
{
	db_req("label = s:unix:A:1\n" SIG("4:60:0:1460:8192,0:mss,nop,ws::0"));
	struct np_tcp_match m = match_ttl(50, Q(ZERO_ID));

	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 10));	/* not guess_dist(50) = 14 */
}

Test(ttl, quirk_fuzzy_match_out_of_range_guesses)
{
	db_req("label = s:unix:A:1\n" SIG("4:60:0:1460:8192,0:mss,nop,ws::0"));
	struct np_tcp_match m = match_ttl(62, Q(ZERO_ID));

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 2));	/* guess_dist(62), never negative */
}

Test(ttl, guess_dist_uses_32_64_128_255)
{
	static const struct { uint8_t ttl; int32_t dist; } c[] = {
		{ 1, 31 }, { 30, 2 }, { 32, 0 }, { 33, 31 }, { 60, 4 }, { 64, 0 }, { 65, 63 },
		{ 100, 28 }, { 128, 0 }, { 129, 126 }, { 200, 55 }, { 255, 0 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		cr_assert(eq(i32, np_guess_dist(c[i].ttl), c[i].dist), "ttl %u", c[i].ttl);
}

Test(ttl, unmatched_distance_is_guessed)
{
	db_req(NOQ);
	struct np_packet p = obs();

	p.mss = 1000;
	p.ttl = 117;
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, -1));
	cr_assert(eq(i32, m.dist, 11));
}

/* ------------------------------------------------------------------ */
/* Random TTL ("64-")                                                   */
/* ------------------------------------------------------------------ */

#define RTTL "label = s:unix:R:1\n" SIG("4:64-:0:1460:8192,0:mss,nop,ws::0")

Test(random_ttl, matches_when_observed_not_above)
{
	db_req(RTTL);
	struct np_tcp_match m = match_ttl(64, 0);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(eq(i32, m.dist, 0));
	m = match_ttl(10, 0);
	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 54));	/* far below is fine */
}

Test(random_ttl, never_fuzzy_by_ttl)
{
	db_req(RTTL);
	struct np_tcp_match m = match_ttl(65, 0);

	cr_assert(eq(i32, m.sig, -1));
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 63));
}

Test(random_ttl, quirk_fuzzy_keeps_signature_distance)
{
	db_req(RTTL);
	struct np_tcp_match m = match_ttl(10, Q(ZERO_ID));

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 54));	/* not guess_dist(10) */
}

/* ------------------------------------------------------------------ */
/* Tools ("!" class)                                                    */
/* ------------------------------------------------------------------ */

#define TOOL_THEN_OS \
	"label = s:!:Tool:1\nsys = @unix\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::0") \
	"label = s:unix:OS:1\n" SIG("4:64:0:1460:*,0:mss,nop,ws::0")

Test(tool, exact_match_is_reported)
{
	db_req(TOOL_THEN_OS);
	struct np_tcp_match m = match_quirks(0);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(eq(i32, np_db_label(g_db, g_db->tcp[NP_DIR_REQUEST][0].label)->class_id, -1));
	cr_assert(eq(i32, m.dist, 4));
}

Test(tool, never_matched_fuzzily_and_distance_is_zero)
{
	db_req(TOOL_THEN_OS);
	/* Both signatures are fuzzy candidates; the first (the tool) is the
	 * one p0f keeps, and then it gives up with no match at all. */
	struct np_tcp_match m = match_quirks(Q(ZERO_ID));

	cr_assert(eq(i32, m.sig, -1));
	cr_assert(not(m.fuzzy));
	cr_assert(eq(i32, m.dist, 0));
}

Test(tool, later_os_fuzzy_used_when_tool_does_not_match)
{
	db_req(TOOL_THEN_OS);
	struct np_packet p = obs();

	p.win = 4096;
	p.quirks = Q(ZERO_ID);
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 1));
	cr_assert(m.fuzzy);
	cr_assert(eq(i32, m.dist, 4));
}

/* ------------------------------------------------------------------ */
/* IP version                                                           */
/* ------------------------------------------------------------------ */

static struct np_packet
obs6(uint32_t quirks)
{
	struct np_packet p = obs();

	p.ip_ver = 6;
	p.tot_hdr = 40 + 28;
	p.quirks = quirks;
	return p;
}

Test(version, star_signature_matches_ipv4_with_v4_quirks)
{
	db_req("label = s:unix:Any:1\n" SIG("*:64:0:*:*,*:mss,nop,ws:df,id+:0"));
	struct np_packet p = obs();

	p.quirks = Q(DF) | Q(NZ_ID);
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
}

Test(version, star_signature_drops_v4_quirks_for_ipv6)
{
	db_req("label = s:unix:Any:1\n" SIG("*:64:0:*:*,*:mss,nop,ws:df,id+:0"));
	struct np_packet p = obs6(0);
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
	p = obs6(Q(FLOW));
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(version, star_signature_drops_flow_for_ipv4)
{
	db_req("label = s:unix:Any:1\n" SIG("*:64:0:*:*,*:mss,nop,ws:flow:0"));
	struct np_packet p = obs();
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
	p = obs6(Q(FLOW));
	cr_assert(eq(i32, match_req(&p).sig, 0));
	p = obs6(0);
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

/* p0f masks only df, id+ and id- for IPv6, not 0+. */
Test(version, star_signature_keeps_zero_plus_for_ipv6)
{
	db_req("label = s:unix:Any:1\n" SIG("*:64:0:*:*,*:mss,nop,ws:0+:0"));
	struct np_packet p = obs6(0);

	cr_assert(eq(i32, match_req(&p).sig, -1));
}

/* tcp_find_match() never compares IP versions: a "4:" signature matches an
 * IPv6 packet with the same fields. */
Test(version, v4_signature_also_matches_ipv6)
{
	db_req(NOQ);
	struct np_packet p = obs6(0);
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(not(m.fuzzy));
}

/* ------------------------------------------------------------------ */
/* Wildcards and windows                                                */
/* ------------------------------------------------------------------ */

Test(fields, window_scale_wildcard)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,*:mss,nop,ws::0"));
	struct np_packet p = obs();

	p.wscale = 9;
	cr_assert(eq(i32, match_req(&p).sig, 0));
	db_req(NOQ);
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, mss_wildcard)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:*:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	p.mss = 1380;
	cr_assert(eq(i32, match_req(&p).sig, 0));
	db_req(NOQ);
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, payload_class)
{
	static const uint8_t data[1] = { 'x' };
	struct np_packet p = obs();

	p.payload = data;
	p.pay_len = 1;
	db_req(NOQ);
	cr_assert(eq(i32, match_req(&p).sig, -1));
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::+"));
	cr_assert(eq(i32, match_req(&p).sig, 0));
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,nop,ws::*"));
	cr_assert(eq(i32, match_req(&p).sig, 0));
	p.payload = NULL;
	p.pay_len = 0;
	cr_assert(eq(i32, match_req(&p).sig, 0));
}

Test(fields, option_layout_must_be_equal)
{
	db_req(NOQ);
	struct np_packet p = obs();

	p.opt_layout[1] = NP_OPT_SOK;
	cr_assert(eq(i32, match_req(&p).sig, -1));
	p = obs();
	p.opt_cnt = 2;
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, eol_padding_must_be_equal)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:8192,0:mss,eol+1::0"));
	struct np_packet p = obs();

	p.opt_cnt = 2;
	p.opt_layout[1] = NP_OPT_EOL;
	p.opt_eol_pad = 1;
	cr_assert(eq(i32, match_req(&p).sig, 0));
	p.opt_eol_pad = 2;
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, ip_option_length_must_be_equal)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:4:1460:8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	cr_assert(eq(i32, match_req(&p).sig, -1));
	p.ip_opt_len = 4;
	cr_assert(eq(i32, match_req(&p).sig, 0));
}

Test(fields, literal_window_must_be_equal)
{
	db_req(NOQ);
	struct np_packet p = obs();

	p.win = 8193;
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, modulo_window)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:%8192,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	p.win = 16384;
	cr_assert(eq(i32, match_req(&p).sig, 0));
	p.win = 16000;
	cr_assert(eq(i32, match_req(&p).sig, -1));
	p.win = 0;
	cr_assert(eq(i32, match_req(&p).sig, 0));
}

Test(fields, any_window)
{
	db_req("label = s:unix:A:1\n" SIG("4:64:0:1460:*,0:mss,nop,ws::0"));
	struct np_packet p = obs();

	p.win = 12345;
	cr_assert(eq(i32, match_req(&p).sig, 0));
}

Test(fields, mss_multiple_window)
{
	struct np_packet p = obs();

	p.win = 14600;
	db_req("label = s:unix:A:1\n" SIG("4:64:0:*:mss*10,0:mss,nop,ws::0"));
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(eq(i16, m.wm.multi, 10));
	cr_assert(not(m.wm.use_mtu));
	db_req("label = s:unix:A:1\n" SIG("4:64:0:*:mtu*10,0:mss,nop,ws::0"));
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, mtu_multiple_window)
{
	struct np_packet p = obs();

	p.mss = 1000;
	p.win = 10400;	/* (1000 + 40) * 10 */
	db_req("label = s:unix:A:1\n" SIG("4:64:0:*:mtu*10,0:mss,nop,ws::0"));
	struct np_tcp_match m = match_req(&p);

	cr_assert(eq(i32, m.sig, 0));
	cr_assert(m.wm.use_mtu);
	db_req("label = s:unix:A:1\n" SIG("4:64:0:*:mss*10,0:mss,nop,ws::0"));
	cr_assert(eq(i32, match_req(&p).sig, -1));
}

Test(fields, syn_ack_window_from_peer_syn_mss)
{
	db_resp("label = s:unix:A:1\n" SIG("4:64:0:1200:mss*2,0:mss,nop,ws::0"));
	struct np_packet p = obs();
	struct np_tcp_match m;

	p.tcp_type = NP_TCP_SYN | NP_TCP_ACK;
	p.mss = 1200;
	p.win = 2600;
	np_match_tcp(g_db, NP_DIR_RESPONSE, &p, 1300, &m);
	cr_assert(eq(i32, m.sig, 0));
	np_match_tcp(g_db, NP_DIR_RESPONSE, &p, 0, &m);
	cr_assert(eq(i32, m.sig, -1));
}

Test(fields, directions_use_their_own_tables)
{
	db_resp(NOQ);
	struct np_packet p = obs();
	struct np_tcp_match m;

	np_match_tcp(g_db, NP_DIR_REQUEST, &p, 0, &m);
	cr_assert(eq(i32, m.sig, -1));
	np_match_tcp(g_db, NP_DIR_RESPONSE, &p, 0, &m);
	cr_assert(eq(i32, m.sig, 0));
}

/* ------------------------------------------------------------------ */
/* The bundled database                                                 */
/* ------------------------------------------------------------------ */

static void
load_bundled(void)
{
	char err[NP_DB_ERR_MAX];

	np_db_free(g_db);
	g_db = np_db_load(NP_TEST_FP, err, sizeof(err));
	cr_assert(g_db != NULL, "%s", err);
}

Test(bundled, linux_syn_is_linux_3_11)
{
	load_bundled();
	struct np_packet p = obs();
	static const uint8_t layout[] = { NP_OPT_MSS, NP_OPT_SOK, NP_OPT_TS, NP_OPT_NOP, NP_OPT_WS };

	p.ttl = 61;
	p.win = 29200;
	p.wscale = 7;
	p.ts1 = 1;
	p.opt_cnt = 5;
	memcpy(p.opt_layout, layout, 5);
	p.quirks = Q(DF) | Q(NZ_ID);
	struct np_tcp_match m = match_req(&p);

	cr_assert(ge(i32, m.sig, 0));
	assert_str(label_of(NP_DIR_REQUEST, &m), "Linux 3.11 and newer");
	cr_assert(eq(i32, m.dist, 3));
	cr_assert(not(m.fuzzy));
}

Test(bundled, mtu_lookup)
{
	load_bundled();
	assert_str(np_match_mtu(g_db, 1500), "Ethernet or modem");
	assert_str(np_match_mtu(g_db, 1492), "DSL");
	assert_str(np_match_mtu(g_db, 9000), "jumbo Ethernet");
	assert_str(np_match_mtu(g_db, 16436), "loopback");
	cr_assert(np_match_mtu(g_db, 1234) == NULL);
	cr_assert(np_match_mtu(g_db, 0) == NULL);
	cr_assert(np_match_mtu(g_db, 65536 + 1500) == NULL);
}

Test(mtu, first_entry_with_the_value_wins)
{
	char err[NP_DB_ERR_MAX];

	np_db_free(g_db);
	g_db = np_db_load_buf("t.fp", "[mtu]\nlabel = First\nsig = 1400\nlabel = Second\nsig = 1400\n"
			      "sig = 1300\n", err, sizeof(err));
	cr_assert(g_db != NULL, "%s", err);
	assert_str(np_match_mtu(g_db, 1400), "First");
	assert_str(np_match_mtu(g_db, 1300), "Second");
}
