/* SPDX-License-Identifier: MIT */
/*
 * p0f.fp reader tests: the bundled database as p0f 3.09b reads it, then one
 * malformed line at a time through np_db_load_buf(), checking the
 * "NAME:LINE: reason" message, then p0f's duplicate detection
 * (readfp.c, fp_tcp.c tcp_register_sig, fp_http.c http_register_sig).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

#include <criterion/criterion.h>
#include "np_assert.h"

/* String equality with both values in the failure message. */
#define assert_str(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && !strcmp(a_, e_), "got \"%s\", want \"%s\"", \
			  a_ ? a_ : "(null)", e_); \
	} while (0)

static char g_err[NP_DB_ERR_MAX];
static struct np_db *g_db;

static const struct np_db *
load_text(const char *text)
{
	np_db_free(g_db);
	g_db = np_db_load_buf("t.fp", text, g_err, sizeof(g_err));
	return g_db;
}

static const struct np_db *
load_bundled(void)
{
	np_db_free(g_db);
	g_db = np_db_load(NP_TEST_FP, g_err, sizeof(g_err));
	cr_assert(g_db != NULL, "loading %s: %s", NP_TEST_FP, g_err);
	return g_db;
}

/* The database must be refused with "t.fp:LINE: ..." mentioning word. */
static void
expect_error(const char *text, unsigned line, const char *word)
{
	char want[32];

	snprintf(want, sizeof(want), "t.fp:%u: ", line);
	cr_assert(load_text(text) == NULL, "accepted:\n%s", text);
	cr_assert(eq(int, strncmp(g_err, want, strlen(want)), 0),
		  "error \"%s\" does not start with \"%s\"", g_err, want);
	cr_assert(strcasestr(g_err + strlen(want), word) != NULL,
		  "error \"%s\" does not mention \"%s\"", g_err, word);
}

static void
expect_ok(const char *text)
{
	cr_assert(load_text(text) != NULL, "refused: %s\n%s", g_err, text);
}

static const struct np_label *
sig_label(const struct np_db *db, const struct np_tcp_sig *s)
{
	return np_db_label(db, s->label);
}

/* The TCP signature at a given line of the bundled file. */
static const struct np_tcp_sig *
tcp_at_line(const struct np_db *db, enum np_dir dir, uint32_t line)
{
	for (uint32_t i = 0; i < db->n_tcp[dir]; i++)
		if (db->tcp[dir][i].line_no == line)
			return &db->tcp[dir][i];
	cr_fatal("no TCP signature at line %u", line);
	return NULL;
}

static const struct np_http_sig *
http_at_line(const struct np_db *db, enum np_dir dir, uint32_t line)
{
	for (uint32_t i = 0; i < db->n_http[dir]; i++)
		if (db->http[dir][i].line_no == line)
			return &db->http[dir][i];
	cr_fatal("no HTTP signature at line %u", line);
	return NULL;
}

static const char *
class_name(const struct np_db *db, int32_t id)
{
	return id < 0 ? "!" : db->classes[id];
}

/* ------------------------------------------------------------------ */
/* The bundled p0f.fp                                                  */
/* ------------------------------------------------------------------ */

/* Counted with: awk '/^\[/{s=$0} /^[ \t]*sig[ \t]*=/{c[s]++} END{...}' */
Test(bundled, has_322_signatures)
{
	const struct np_db *db = load_bundled();

	cr_assert(eq(u32, db->n_sigs, 322));
}

Test(bundled, signature_count_per_section)
{
	const struct np_db *db = load_bundled();

	cr_assert(eq(u32, db->n_tcp[NP_DIR_REQUEST], 91));
	cr_assert(eq(u32, db->n_tcp[NP_DIR_RESPONSE], 101));
	cr_assert(eq(u32, db->n_http[NP_DIR_REQUEST], 85));
	cr_assert(eq(u32, db->n_http[NP_DIR_RESPONSE], 20));
	cr_assert(eq(u32, db->n_mtu, 25));
}

Test(bundled, classes_in_file_order)
{
	const struct np_db *db = load_bundled();

	cr_assert(eq(u32, db->n_classes, 3));
	assert_str(db->classes[0], "win");
	assert_str(db->classes[1], "unix");
	assert_str(db->classes[2], "other");
}

Test(bundled, first_tcp_signature_fields)
{
	static const uint8_t layout[] = { NP_OPT_MSS, NP_OPT_SOK, NP_OPT_TS, NP_OPT_NOP, NP_OPT_WS };
	const struct np_db *db = load_bundled();
	const struct np_tcp_sig *s = &db->tcp[NP_DIR_REQUEST][0];

	/* line 96: *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0 */
	cr_assert(eq(u32, s->line_no, 96));
	cr_assert(eq(i8, s->ip_ver, -1));
	cr_assert(eq(u8, s->ttl, 64));
	cr_assert(eq(u8, s->bad_ttl, 0));
	cr_assert(eq(u8, s->ip_opt_len, 0));
	cr_assert(eq(i32, s->mss, -1));
	cr_assert(eq(u8, s->win_type, NP_WIN_MSS));
	cr_assert(eq(u16, s->win, 20));
	cr_assert(eq(i32, s->wscale, 10));
	cr_assert(eq(u8, s->opt_cnt, 5));
	cr_assert(eq(int, memcmp(s->opt_layout, layout, 5), 0));
	cr_assert(eq(u32, s->quirks, NP_QUIRK(DF) | NP_QUIRK(NZ_ID)));
	cr_assert(eq(i8, s->pay_class, 0));
}

Test(bundled, label_text_is_name_space_flavor)
{
	const struct np_db *db = load_bundled();
	const struct np_label *lb = sig_label(db, &db->tcp[NP_DIR_REQUEST][0]);

	assert_str(lb->text, "Linux 3.11 and newer");
	assert_str(db->names[lb->name_id], "Linux");
	assert_str(lb->flavor, "3.11 and newer");
	assert_str(class_name(db, lb->class_id), "unix");
	cr_assert(not(lb->generic));
}

Test(bundled, generic_label_is_flagged)
{
	const struct np_db *db = load_bundled();
	/* line 157: label = g:unix:Linux:3.x */
	const struct np_label *lb = sig_label(db, tcp_at_line(db, NP_DIR_REQUEST, 158));

	cr_assert(lb->generic);
	assert_str(lb->text, "Linux 3.x");
}

Test(bundled, label_without_flavor_has_no_trailing_space)
{
	const struct np_db *db = load_bundled();
	/* line 227: label = g:unix:Mac OS X: */
	const struct np_label *lb = sig_label(db, tcp_at_line(db, NP_DIR_REQUEST, 228));

	assert_str(lb->text, "Mac OS X");
	cr_assert(lb->flavor == NULL);
	cr_assert(lb->generic);
}

Test(bundled, tool_label_has_class_minus_one_and_sys_list)
{
	const struct np_db *db = load_bundled();
	/* line 293: label = s:!:NMap:SYN scan / sys = @unix,@win */
	const struct np_tcp_sig *s = tcp_at_line(db, NP_DIR_REQUEST, 295);
	const struct np_label *lb = sig_label(db, s);

	assert_str(lb->text, "NMap SYN scan");
	cr_assert(eq(i32, lb->class_id, -1));
	cr_assert(eq(u32, lb->sys_cnt, 2));
	cr_assert(eq(u32, lb->sys[0], NP_SYS_CLASS | 1));	/* @unix */
	cr_assert(eq(u32, lb->sys[1], NP_SYS_CLASS | 0));	/* @win */
}

Test(bundled, tool_sys_list_with_names)
{
	const struct np_db *db = load_bundled();
	/* line 555: label = s:!:Firefox:2.x / sys = Windows,@unix */
	const struct np_label *lb = np_db_label(db, http_at_line(db, NP_DIR_REQUEST, 557)->label);

	assert_str(lb->text, "Firefox 2.x");
	cr_assert(eq(u32, lb->sys_cnt, 2));
	cr_assert(eq(u32, lb->sys[0] & NP_SYS_CLASS, 0));
	assert_str(db->names[lb->sys[0]], "Windows");
	cr_assert(eq(u32, lb->sys[1], NP_SYS_CLASS | 1));
}

Test(bundled, random_ttl_signature_is_parsed_as_p0f_does)
{
	const struct np_db *db = load_bundled();
	/* line 295: *:64-:0:1460:1024,0:mss::0 */
	const struct np_tcp_sig *s = tcp_at_line(db, NP_DIR_REQUEST, 295);

	cr_assert(eq(u8, s->bad_ttl, 1));
	cr_assert(eq(u8, s->ttl, 64));
	cr_assert(eq(i32, s->mss, 1460));
	cr_assert(eq(u8, s->win_type, NP_WIN_NORMAL));
	cr_assert(eq(u16, s->win, 1024));
	cr_assert(eq(u32, s->quirks, 0));
}

Test(bundled, ua_os_entries)
{
	const struct np_db *db = load_bundled();

	/* ua_os = Linux,Windows,iOS=[iPad],iOS=[iPhone],Mac OS X,FreeBSD,OpenBSD,
	 *         NetBSD,Solaris=[SunOS] */
	cr_assert(eq(u32, db->n_ua_os, 9));
	assert_str(db->names[db->ua_os[0].name_id], "Linux");
	assert_str(db->ua_os[0].ua, "Linux");
	assert_str(db->names[db->ua_os[2].name_id], "iOS");
	assert_str(db->ua_os[2].ua, "iPad");
	assert_str(db->ua_os[3].ua, "iPhone");
	cr_assert(eq(u32, db->ua_os[2].name_id, db->ua_os[3].name_id));
	assert_str(db->ua_os[4].ua, "Mac OS X");
	assert_str(db->names[db->ua_os[8].name_id], "Solaris");
	assert_str(db->ua_os[8].ua, "SunOS");
}

Test(bundled, fixed_header_names_come_first)
{
	const struct np_db *db = load_bundled();

	assert_str(db->hdr_names[NP_HDR_UA], "User-Agent");
	assert_str(db->hdr_names[NP_HDR_SERVER], "Server");
	assert_str(db->hdr_names[NP_HDR_ACCEPT_LANGUAGE], "Accept-Language");
	assert_str(db->hdr_names[NP_HDR_VIA], "Via");
	assert_str(db->hdr_names[NP_HDR_XFF], "X-Forwarded-For");
	assert_str(db->hdr_names[NP_HDR_DATE], "Date");
}

Test(bundled, http_request_signature_fields)
{
	const struct np_db *db = load_bundled();
	/* line 557: *:Host,User-Agent,Accept=[,*\/\*;q=],?Accept-Language,... ::Firefox/ */
	const struct np_http_sig *s = http_at_line(db, NP_DIR_REQUEST, 557);

	cr_assert(eq(i8, s->http_ver, -1));
	cr_assert(eq(u8, s->hdr_cnt, 8));
	assert_str(db->hdr_names[s->hdr[0].id], "Host");
	cr_assert(eq(u32, s->hdr[1].id, NP_HDR_UA));
	assert_str(s->hdr[2].value, ",*/*;q=");
	cr_assert(eq(u32, s->hdr[3].id, NP_HDR_ACCEPT_LANGUAGE));
	cr_assert(s->hdr[3].optional);
	cr_assert(not(s->hdr[0].optional));
	cr_assert(s->hdr[0].value == NULL);
	cr_assert(eq(u8, s->miss_cnt, 0));
	assert_str(s->sw, "Firefox/");
}

Test(bundled, http_response_signature_fields)
{
	const struct np_db *db = load_bundled();
	/* line 883: 1:Date,Server,...,Content-Type:Keep-Alive:Apache */
	const struct np_http_sig *s = http_at_line(db, NP_DIR_RESPONSE, 883);

	cr_assert(eq(i8, s->http_ver, 1));
	cr_assert(eq(u32, s->hdr[0].id, NP_HDR_DATE));
	cr_assert(eq(u32, s->hdr[1].id, NP_HDR_SERVER));
	cr_assert(eq(u8, s->miss_cnt, 1));
	assert_str(db->hdr_names[s->miss[0]], "Keep-Alive");
	assert_str(s->sw, "Apache");
	assert_str(np_db_label(db, s->label)->text, "Apache 2.x");
}

Test(bundled, http_signature_without_software_string)
{
	const struct np_db *db = load_bundled();
	/* the last line: *:Content-Type,X-Content-Type-Options=[nosniff],Server=[GSE]:...: */
	const struct np_http_sig *s = &db->http[NP_DIR_RESPONSE][db->n_http[NP_DIR_RESPONSE] - 1];

	cr_assert(s->sw == NULL);
	assert_str(s->hdr[2].value, "GSE");
}

Test(bundled, mtu_entries_in_file_order)
{
	const struct np_db *db = load_bundled();

	cr_assert(eq(u16, db->mtu[0].mtu, 576));
	assert_str(db->mtu[0].link, "Ethernet or modem");
	cr_assert(eq(u16, db->mtu[1].mtu, 1500));
	assert_str(db->mtu[1].link, "Ethernet or modem");
	cr_assert(eq(u16, db->mtu[24].mtu, 16436));
	assert_str(db->mtu[24].link, "loopback");
}

Test(bundled, missing_file_reports_the_path)
{
	struct np_db *db = np_db_load("/nonexistent/dir/p0f.fp", g_err, sizeof(g_err));

	cr_assert(db == NULL);
	cr_assert(eq(int, errno, ENOENT));
	cr_assert(strstr(g_err, "/nonexistent/dir/p0f.fp") != NULL, "error: %s", g_err);
}

Test(bundled, empty_file_has_no_signatures)
{
	char path[] = "/tmp/np_test_empty_XXXXXX";
	int fd = mkstemp(path);
	struct np_db *db;

	cr_assert(ge(int, fd, 0));
	close(fd);
	db = np_db_load(path, g_err, sizeof(g_err));
	unlink(path);
	cr_assert(db == NULL);
	cr_assert(strstr(g_err, path) != NULL, "error: %s", g_err);
	cr_assert(strstr(g_err, "no signatures") != NULL, "error: %s", g_err);
}

Test(bundled, comments_only_buffer_has_no_signatures)
{
	cr_assert(load_text("; nothing\n\n   ; here\nclasses = win\n") == NULL);
	assert_str(g_err, "t.fp: no signatures found");
}

/* ------------------------------------------------------------------ */
/* Grammar details read the way p0f reads them                         */
/* ------------------------------------------------------------------ */

#define CLASSES "classes = win,unix,other\n"
#define TCP_PRE CLASSES "[tcp:request]\nlabel = s:unix:Linux:x\n"	/* sig on line 4 */
#define HTTP_PRE CLASSES "[http:request]\nlabel = s:!:App:x\nsys = @unix\n"	/* line 5 */
#define GOOD_SIG "4:64:0:1460:8192,0:mss::0"

Test(grammar, good_prefix_loads)
{
	expect_ok(TCP_PRE "sig = " GOOD_SIG "\n");
	cr_assert(eq(u32, g_db->n_sigs, 1));
	cr_assert(eq(u32, g_db->tcp[NP_DIR_REQUEST][0].line_no, 4));
	expect_ok(HTTP_PRE "sig = 1:Host,User-Agent::App/\n");
	cr_assert(eq(u32, g_db->http[NP_DIR_REQUEST][0].line_no, 5));
}

Test(grammar, blank_lines_comments_and_indentation_are_ignored)
{
	expect_ok("\n; comment\n  \t classes = win,unix\n\n[tcp:response]\n   label = s:unix:L:x\n"
		  "\tsig\t=\t" GOOD_SIG "\n; trailing\n");
	cr_assert(eq(u32, g_db->n_tcp[NP_DIR_RESPONSE], 1));
	cr_assert(eq(u32, g_db->tcp[NP_DIR_RESPONSE][0].line_no, 7));
}

Test(grammar, names_are_case_insensitive_first_spelling_kept)
{
	expect_ok(CLASSES "[tcp:request]\nlabel = s:UNIX:LINUX:a\nsig = " GOOD_SIG "\n"
		  "label = s:unix:linux:b\nsig = 4:64:0:1460:16384,0:mss::0\n");
	cr_assert(eq(u32, g_db->labels[0].name_id, g_db->labels[1].name_id));
	assert_str(g_db->labels[1].text, "LINUX b");
	cr_assert(eq(i32, g_db->labels[0].class_id, 1));
}

Test(grammar, random_ttl_skips_one_character_as_p0f_does)
{
	/* p0f: val = nxt + 1, then val += 2 for "ttl-:", so the option-length
	 * digit is stepped over and read as 0. */
	expect_ok(TCP_PRE "sig = 4:64-:9:1460:8192,0:mss::0\n");
	cr_assert(eq(u8, g_db->tcp[NP_DIR_REQUEST][0].ip_opt_len, 0));
	cr_assert(eq(u8, g_db->tcp[NP_DIR_REQUEST][0].bad_ttl, 1));
}

Test(grammar, ttl_plus_distance_is_added)
{
	expect_ok(TCP_PRE "sig = 4:64+3:0:1460:8192,0:mss::0\n");
	cr_assert(eq(u8, g_db->tcp[NP_DIR_REQUEST][0].ttl, 67));
}

Test(grammar, window_forms)
{
	expect_ok(TCP_PRE "sig = 4:64:0:1460:%8192,*:mss::*\n"
		  "sig = 4:64:0:1460:mtu*4,0:mss::+\n"
		  "sig = 4:64:0:1460:*,0:mss::0\n");
	const struct np_tcp_sig *s = g_db->tcp[NP_DIR_REQUEST];

	cr_assert(eq(u8, s[0].win_type, NP_WIN_MOD));
	cr_assert(eq(u16, s[0].win, 8192));
	cr_assert(eq(i32, s[0].wscale, -1));
	cr_assert(eq(i8, s[0].pay_class, -1));
	cr_assert(eq(u8, s[1].win_type, NP_WIN_MTU));
	cr_assert(eq(u16, s[1].win, 4));
	cr_assert(eq(i8, s[1].pay_class, 1));
	cr_assert(eq(u8, s[2].win_type, NP_WIN_ANY));
}

Test(grammar, unknown_option_and_eol_padding)
{
	expect_ok(TCP_PRE "sig = 4:64:0:1460:8192,0:mss,?30,eol+3::0\n");
	const struct np_tcp_sig *s = &g_db->tcp[NP_DIR_REQUEST][0];

	cr_assert(eq(u8, s->opt_cnt, 3));
	cr_assert(eq(u8, s->opt_layout[1], 30));
	cr_assert(eq(u8, s->opt_layout[2], NP_OPT_EOL));
	cr_assert(eq(u8, s->opt_eol_pad, 3));
}

Test(grammar, twenty_four_options_are_allowed)
{
	expect_ok(TCP_PRE "sig = 4:64:0:*:8192,0:nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
		  "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop::0\n");
	cr_assert(eq(u8, g_db->tcp[NP_DIR_REQUEST][0].opt_cnt, 24));
}

Test(grammar, all_quirks_are_read)
{
	expect_ok(TCP_PRE "sig = *:64:0:*:8192,0:mss:df,id+,id-,ecn,0+,flow,seq-,ack+,ack-,uptr+,"
		  "urgf+,pushf+,ts1-,ts2+,opt+,exws,bad:0\n");
	cr_assert(eq(u32, g_db->tcp[NP_DIR_REQUEST][0].quirks, (1u << NP_QUIRK_COUNT) - 1));
}

/* ------------------------------------------------------------------ */
/* Malformed TCP signatures: one test each                             */
/* ------------------------------------------------------------------ */

#define BAD_TCP_SIG(name, sig, word) \
	Test(bad_tcp_sig, name) { expect_error(TCP_PRE "sig = " sig "\n", 4, word); }

BAD_TCP_SIG(bad_ip_version, "5:64:0:1460:8192,0:mss::0", "IP version")
BAD_TCP_SIG(ttl_zero, "4:0:0:1460:8192,0:mss::0", "TTL")
BAD_TCP_SIG(ttl_256, "4:256:0:1460:8192,0:mss::0", "TTL")
BAD_TCP_SIG(ttl_plus_distance_above_255, "4:250+6:0:1460:8192,0:mss::0", "TTL")
BAD_TCP_SIG(ttl_missing_separator, "4:64x:0:1460:8192,0:mss::0", "malformed")
BAD_TCP_SIG(option_length_256, "4:64:256:1460:8192,0:mss::0", "option length")
BAD_TCP_SIG(mss_65536, "4:64:0:65536:8192,0:mss::0", "MSS")
BAD_TCP_SIG(mss_not_a_number, "4:64:0:abc:8192,0:mss::0", "malformed")
BAD_TCP_SIG(window_65536, "4:64:0:1460:65536,0:mss::0", "window")
BAD_TCP_SIG(window_modulo_1, "4:64:0:1460:%1,0:mss::0", "'%' value")
BAD_TCP_SIG(window_mss_times_0, "4:64:0:1460:mss*0,0:mss::0", "multiplier")
BAD_TCP_SIG(window_mss_times_1001, "4:64:0:1460:mss*1001,0:mss::0", "multiplier")
BAD_TCP_SIG(window_mtu_times_0, "4:64:0:1460:mtu*0,0:mss::0", "multiplier")
BAD_TCP_SIG(window_scale_256, "4:64:0:1460:8192,256:mss::0", "scale")
BAD_TCP_SIG(unknown_option, "4:64:0:1460:8192,0:mss,foo::0", "TCP option")
BAD_TCP_SIG(eol_not_last, "4:64:0:1460:8192,0:eol+0,mss::0", "last")
BAD_TCP_SIG(eol_without_padding_count, "4:64:0:1460:8192,0:mss,eol::0", "EOL")
BAD_TCP_SIG(eol_padding_256, "4:64:0:1460:8192,0:mss,eol+256::0", "EOL padding")
BAD_TCP_SIG(unknown_option_number_256, "4:64:0:1460:8192,0:mss,?256::0", "'?' option")
BAD_TCP_SIG(twenty_five_options,
	    "4:64:0:*:8192,0:nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
	    "nop,nop,nop,nop,nop,nop,nop,nop,nop::0", "too many")
BAD_TCP_SIG(unknown_quirk, "4:64:0:1460:8192,0:mss:df,xyz:0", "quirk")
BAD_TCP_SIG(df_on_ipv6_signature, "6:64:0:1460:8192,0:mss:df:0", "IPv6")
BAD_TCP_SIG(id_plus_on_ipv6_signature, "6:64:0:1460:8192,0:mss:id+:0", "IPv6")
BAD_TCP_SIG(zero_plus_on_ipv6_signature, "6:64:0:1460:8192,0:mss:0+:0", "IPv6")
BAD_TCP_SIG(flow_on_ipv4_signature, "4:64:0:1460:8192,0:mss:flow:0", "IPv4")
BAD_TCP_SIG(bad_payload_class, "4:64:0:1460:8192,0:mss::1", "payload class")
BAD_TCP_SIG(missing_payload_class, "4:64:0:1460:8192,0:mss::", "payload class")
BAD_TCP_SIG(unterminated_option_layout, "4:64:0:1460:8192,0:mss", "TCP options")
BAD_TCP_SIG(unterminated_quirks, "4:64:0:1460:8192,0:mss:df", "quirk")

/*
 * p0f stores ttl+dist in s32 (tcp_register_sig: ittl_add = atol(val)), so a
 * huge distance turns negative and is refused as "Bogus initial TTL". The
 * sum must never overflow into an accepted TTL.
 */
BAD_TCP_SIG(ttl_plus_huge_distance, "4:64+99999999999999999999:0:1460:8192,0:mss::0", "TTL")
BAD_TCP_SIG(ttl_plus_distance_near_long_max, "4:64+9223372036854775744:0:1460:8192,0:mss::0",
	    "TTL")

/* A value ending in "ttl-:" must be refused without reading past the line
 * (the sig line is the longest one, so the line buffer ends right there). */
Test(bad_tcp_sig, random_ttl_at_end_of_line)
{
	expect_error(TCP_PRE "sig                                                            = 4:64-:\n",
		     4, "");
}

Test(bad_tcp_sig, random_ttl_then_one_character)
{
	expect_error(TCP_PRE "sig = 4:64-:0\n", 4, "");
}

/* ------------------------------------------------------------------ */
/* Malformed structure                                                 */
/* ------------------------------------------------------------------ */

Test(bad_structure, label_with_unknown_class)
{
	expect_error(CLASSES "[tcp:request]\nlabel = s:beos:BeOS:5\nsig = " GOOD_SIG "\n", 3,
		     "unknown class");
}

Test(bad_structure, label_not_s_or_g)
{
	expect_error(CLASSES "[tcp:request]\nlabel = x:unix:Linux:1\n", 3, "label");
}

Test(bad_structure, label_without_colon_after_type)
{
	expect_error(CLASSES "[tcp:request]\nlabel = s;unix:Linux:1\n", 3, "label");
}

Test(bad_structure, label_without_name_terminator)
{
	expect_error(CLASSES "[tcp:request]\nlabel = s:unix:Linux\n", 3, "name");
}

Test(bad_structure, label_with_bad_name_character)
{
	expect_error(CLASSES "[tcp:request]\nlabel = s:unix:Lin*ux:1\n", 3, "name");
}

Test(bad_structure, sig_before_any_label)
{
	expect_error(CLASSES "[tcp:request]\nsig = " GOOD_SIG "\n", 3, "sig");
}

Test(bad_structure, sig_before_any_section)
{
	expect_error(CLASSES "sig = " GOOD_SIG "\n", 2, "sig");
}

Test(bad_structure, sys_after_a_non_tool_label)
{
	expect_error(TCP_PRE "sys = @unix\n", 4, "sys");
}

Test(bad_structure, tool_label_without_sys_then_sig)
{
	expect_error(CLASSES "[tcp:request]\nlabel = s:!:Tool:1\nsig = " GOOD_SIG "\n", 4, "sig");
}

Test(bad_structure, sys_with_unknown_class)
{
	expect_error(CLASSES "[tcp:request]\nlabel = s:!:Tool:1\nsys = @beos\n", 4, "unknown class");
}

Test(bad_structure, classes_after_a_section)
{
	expect_error(CLASSES "[tcp:request]\nclasses = win\n", 3, "classes");
}

Test(bad_structure, malformed_class_list)
{
	expect_error("classes = win,unix,\n", 1, "class");
}

Test(bad_structure, ua_os_in_http_response)
{
	expect_error(CLASSES "[http:response]\nua_os = Linux\n", 3, "ua_os");
}

Test(bad_structure, ua_os_in_tcp_request)
{
	expect_error(CLASSES "[tcp:request]\nua_os = Linux\n", 3, "ua_os");
}

Test(bad_structure, ua_os_after_a_label)
{
	expect_error(HTTP_PRE "sig = 1:Host::\nua_os = Linux\n", 6, "ua_os");
}

Test(bad_structure, ua_os_missing_bracket)
{
	expect_error(CLASSES "[http:request]\nua_os = iOS=iPad\n", 3, "'['");
}

Test(bad_structure, unknown_section_module)
{
	expect_error(CLASSES "[udp:request]\n", 2, "module");
}

Test(bad_structure, section_without_direction)
{
	expect_error(CLASSES "[tcp]\n", 2, "section");
}

Test(bad_structure, unknown_direction)
{
	expect_error(CLASSES "[tcp:sideways]\n", 2, "direction");
}

Test(bad_structure, unknown_key)
{
	expect_error(CLASSES "[tcp:request]\nfoo = bar\n", 3, "foo");
}

Test(bad_structure, statement_without_equals)
{
	expect_error(CLASSES "[tcp:request]\nlabel s:unix:Linux:1\n", 3, "statement");
}

/* ------------------------------------------------------------------ */
/* [mtu]                                                               */
/* ------------------------------------------------------------------ */

#define MTU_PRE "[mtu]\nlabel = Ethernet\n"	/* sig on line 3 */

Test(mtu, good_values_load)
{
	expect_ok(MTU_PRE "sig = 1500\nsig = 65535\nsig = 1\n");
	cr_assert(eq(u32, g_db->n_mtu, 3));
	assert_str(g_db->mtu[0].link, "Ethernet");
	cr_assert(eq(u16, g_db->mtu[1].mtu, 65535));
}

Test(mtu, value_zero_is_refused)
{
	expect_error(MTU_PRE "sig = 0\n", 3, "MTU");
}

Test(mtu, value_70000_is_refused)
{
	expect_error(MTU_PRE "sig = 70000\n", 3, "MTU");
}

Test(mtu, value_abc_is_refused)
{
	expect_error(MTU_PRE "sig = abc\n", 3, "MTU");
}

Test(mtu, trailing_garbage_is_refused)
{
	expect_error(MTU_PRE "sig = 1500x\n", 3, "MTU");
}

Test(mtu, sig_before_label_is_refused)
{
	expect_error("[mtu]\nsig = 1500\n", 2, "sig");
}

Test(mtu, empty_label_is_refused)
{
	expect_error("[mtu]\nlabel =\n", 2, "label");
}

/* ------------------------------------------------------------------ */
/* Malformed HTTP signatures                                           */
/* ------------------------------------------------------------------ */

#define BAD_HTTP_SIG(name, sig, word) \
	Test(bad_http_sig, name) { expect_error(HTTP_PRE "sig = " sig "\n", 5, word); }

BAD_HTTP_SIG(bad_version, "2:Host,User-Agent::App", "HTTP version")
BAD_HTTP_SIG(version_without_colon, "1Host::App", "malformed")
BAD_HTTP_SIG(missing_bracket_after_equals, "1:Host=abc::App", "'['")
BAD_HTTP_SIG(unterminated_value, "1:Host=[abc::App", "value")
BAD_HTTP_SIG(empty_value, "1:Host=[]::App", "value")
BAD_HTTP_SIG(bad_header_name, "1:Ho$t::App", "malformed")
BAD_HTTP_SIG(bad_absent_header_name, "1:Host:Ke$p::App", "malformed")
BAD_HTTP_SIG(colon_in_software_string, "1:Host::Foo:Bar", "software")
BAD_HTTP_SIG(too_many_headers,
	     "1:H1,H2,H3,H4,H5,H6,H7,H8,H9,H10,H11,H12,H13,H14,H15,H16,H17,H18,H19,H20,"
	     "H21,H22,H23,H24,H25,H26,H27,H28,H29,H30,H31,H32,H33::App", "too many")
BAD_HTTP_SIG(too_many_absent_headers,
	     "1:Host:H1,H2,H3,H4,H5,H6,H7,H8,H9,H10,H11,H12,H13,H14,H15,H16,H17,H18,H19,H20,"
	     "H21,H22,H23,H24,H25,H26,H27,H28,H29,H30,H31,H32,H33:App", "too many")

Test(bad_http_sig, thirty_two_headers_are_allowed)
{
	expect_ok(HTTP_PRE "sig = 1:H1,H2,H3,H4,H5,H6,H7,H8,H9,H10,H11,H12,H13,H14,H15,H16,H17,H18,"
		  "H19,H20,H21,H22,H23,H24,H25,H26,H27,H28,H29,H30,H31,H32::App\n");
	cr_assert(eq(u8, g_db->http[NP_DIR_REQUEST][0].hdr_cnt, 32));
}

/* ------------------------------------------------------------------ */
/* Duplicates: p0f refuses a line an earlier specific signature covers */
/* ------------------------------------------------------------------ */

Test(dupes, identical_tcp_sig_is_refused_with_line)
{
	expect_error(TCP_PRE "sig = " GOOD_SIG "\nlabel = s:unix:Other:y\nsig = " GOOD_SIG "\n", 6,
		     "already covered by line 4");
}

Test(dupes, identical_tcp_sig_after_generic_is_accepted)
{
	expect_ok(CLASSES "[tcp:request]\nlabel = g:unix:Linux:x\nsig = " GOOD_SIG "\n"
		  "label = s:unix:Other:y\nsig = " GOOD_SIG "\n");
	cr_assert(eq(u32, g_db->n_tcp[NP_DIR_REQUEST], 2));
}

Test(dupes, later_wildcard_not_covered_is_accepted)
{
	expect_ok(TCP_PRE "sig = " GOOD_SIG "\nsig = 4:64:0:*:8192,0:mss::0\n"
		  "sig = 4:64:0:1460:*,0:mss::0\nsig = 4:64:0:1460:8192,*:mss::0\n"
		  "sig = 4:64:0:1460:8192,0:mss::*\n");
	cr_assert(eq(u32, g_db->n_tcp[NP_DIR_REQUEST], 5));
}

Test(dupes, earlier_wildcard_covers_later_specific)
{
	expect_error(TCP_PRE "sig = 4:64:0:*:*,*:mss::*\nsig = " GOOD_SIG "\n", 5,
		     "already covered by line 4");
}

Test(dupes, earlier_mss_multiple_covers_matching_window)
{
	expect_error(TCP_PRE "sig = 4:64:0:*:mss*10,0:mss::0\nsig = 4:64:0:1460:14600,0:mss::0\n", 5,
		     "already covered by line 4");
}

Test(dupes, same_window_multiple_is_refused)
{
	expect_error(TCP_PRE "sig = 4:64:0:*:mss*10,0:mss::0\nsig = 4:64:0:*:mss*10,0:mss::0\n", 5,
		     "already covered by line 4");
}

Test(dupes, different_window_type_is_accepted)
{
	expect_ok(TCP_PRE "sig = 4:64:0:*:mss*10,0:mss::0\nsig = 4:64:0:*:mtu*10,0:mss::0\n"
		  "sig = 4:64:0:*:%10,0:mss::0\n");
}

/* The TTL test is the matcher's: a lower TTL within 35 is covered, a
 * higher one is only a fuzzy match and therefore new. */
Test(dupes, lower_ttl_within_35_is_covered)
{
	expect_error(TCP_PRE "sig = " GOOD_SIG "\nsig = 4:40:0:1460:8192,0:mss::0\n", 5,
		     "already covered by line 4");
}

Test(dupes, higher_or_distant_ttl_is_new)
{
	expect_ok(TCP_PRE "sig = " GOOD_SIG "\nsig = 4:128:0:1460:8192,0:mss::0\n"
		  "sig = 4:28:0:1460:8192,0:mss::0\n");
}

Test(dupes, different_quirks_or_layout_are_new)
{
	expect_ok(TCP_PRE "sig = " GOOD_SIG "\nsig = 4:64:0:1460:8192,0:mss:df:0\n"
		  "sig = 4:64:0:1460:8192,0:mss,nop::0\nsig = 4:64:0:1460:8192,0:mss,eol+1::0\n"
		  "sig = 4:64:1:1460:8192,0:mss::0\n");
}

Test(dupes, other_direction_is_separate)
{
	expect_ok(TCP_PRE "sig = " GOOD_SIG "\n[tcp:response]\nlabel = s:unix:Linux:x\n"
		  "sig = " GOOD_SIG "\n");
}

Test(dupes, identical_http_sig_is_refused_with_line)
{
	expect_error(HTTP_PRE "sig = 1:Host,User-Agent::App\nsig = 1:Host,User-Agent::App\n", 6,
		     "already covered by line 5");
}

Test(dupes, identical_http_sig_after_generic_is_accepted)
{
	expect_ok(CLASSES "[http:request]\nlabel = g:!:App:x\nsys = @unix\n"
		  "sig = 1:Host,User-Agent::App\nlabel = s:!:App:y\nsys = @unix\n"
		  "sig = 1:Host,User-Agent::App\n");
}

Test(dupes, http_sig_with_more_absent_headers_may_come_first)
{
	expect_ok(HTTP_PRE "sig = 1:Host:Accept:App\nsig = 1:Host::App\n");
}

Test(dupes, http_sig_with_fewer_absent_headers_covers_later)
{
	expect_error(HTTP_PRE "sig = 1:Host::App\nsig = 1:Host:Accept:App\n", 6,
		     "already covered by line 5");
}

Test(dupes, http_wildcard_version_covers_specific)
{
	expect_error(HTTP_PRE "sig = *:Host::App\nsig = 0:Host::App\n", 6,
		     "already covered by line 5");
	expect_ok(HTTP_PRE "sig = 0:Host::App\nsig = 1:Host::App\n");
}

/* Where the key lookups of the duplicate check have to look: every wildcard
 * an earlier line may hold, and the earliest of several covering lines. */
Test(dupes, earlier_any_version_covers_ipv4)
{
	expect_error(TCP_PRE "sig = *:64:0:1460:8192,0:mss:ecn:0\nsig = 4:64:0:1460:8192,0:mss:ecn:0\n",
		     5, "already covered by line 4");
}

Test(dupes, earlier_modulo_window_covers_a_multiple)
{
	expect_error(TCP_PRE "sig = 4:64:0:1460:%8192,0:mss::0\nsig = 4:64:0:1460:16384,0:mss::0\n",
		     5, "already covered by line 4");
}

Test(dupes, earlier_any_window_covers)
{
	expect_error(TCP_PRE "sig = 4:64:0:1460:*,0:mss::0\nsig = " GOOD_SIG "\n", 5,
		     "already covered by line 4");
}

Test(dupes, earlier_mtu_multiple_covers_matching_window)
{
	expect_error(TCP_PRE "sig = 4:64:0:*:mtu*4,0:mss::0\nsig = 4:64:0:1460:6000,0:mss::0\n", 5,
		     "already covered by line 4");
}

Test(dupes, the_earliest_covering_line_is_named)
{
	expect_error(TCP_PRE "sig = 4:64:0:*:8192,0:mss::0\nsig = 4:64:0:1460:*,0:mss::0\n"
			     "sig = " GOOD_SIG "\n",
		     6, "already covered by line 4");
}

Test(dupes, http_sig_with_a_subset_of_headers_covers_later)
{
	expect_error(HTTP_PRE "sig = 1:User-Agent::App\nsig = 1:Host,User-Agent,Accept::App\n", 6,
		     "already covered by line 5");
	expect_error(HTTP_PRE "sig = 1:?Cookie,Host::App\nsig = 1:Host::App\n", 6,
		     "already covered by line 5");
	expect_ok(HTTP_PRE "sig = 1:Host,Accept::App\nsig = 1:Host::App\n");
}

/* ------------------------------------------------------------------ */
/* Files as they come: big, odd or not files at all                   */
/* ------------------------------------------------------------------ */

/* A file holding text, then size bytes in all (a sparse tail of zeros). */
static void
write_file(char *path, const char *text, off_t size)
{
	int fd = mkstemp(path);

	cr_assert(ge(int, fd, 0));
	cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
	if (size)
		cr_assert(eq(int, ftruncate(fd, size), 0));
	close(fd);
}

/* The process's peak resident memory, kB (VmHWM). */
static long
peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	cr_assert(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Loading p0f.fp when a FIFO stands in its place must not wait for a writer
 * (a reload did, forever, with the control thread and SIGTERM stuck). */
Test(files, a_fifo_is_refused_at_once)
{
	char path[] = "/tmp/np_test_fifo_XXXXXX";
	int fd = mkstemp(path);

	close(fd);
	unlink(path);
	cr_assert(eq(int, mkfifo(path, 0600), 0));
	struct np_db *db = np_db_load(path, g_err, sizeof(g_err));
	unlink(path);
	cr_assert(db == NULL);
	cr_assert(strstr(g_err, "not a regular file") != NULL, "error: %s", g_err);
}

Test(files, a_directory_is_refused)
{
	cr_assert(np_db_load("/tmp", g_err, sizeof(g_err)) == NULL);
	assert_str(g_err, "/tmp: not a regular file");
}

/* A 2 GiB file whose first line is wrong: refused at that line, without
 * reading the rest into memory (the whole file was read first: 2.1 GB). */
Test(files, a_huge_file_stops_at_its_first_bad_line)
{
	char path[] = "/tmp/np_test_huge_XXXXXX", want[64];
	long before = peak_rss_kb();

	write_file(path, "classes = win\nthis is not p0f.fp\n", (off_t)2 << 30);
	struct np_db *db = np_db_load(path, g_err, sizeof(g_err));
	long grown = peak_rss_kb() - before;
	unlink(path);
	snprintf(want, sizeof(want), "%s:2: ", path);
	cr_assert(db == NULL);
	cr_assert(eq(int, strncmp(g_err, want, strlen(want)), 0), "error: %s", g_err);
	cr_assert(lt(long, grown, 16 * 1024), "peak RSS grew by %ld kB", grown);
}

/* 48 MB of comments around a valid database: read in bounded memory. */
Test(files, memory_is_bounded_by_a_line_not_the_file)
{
	char path[] = "/tmp/np_test_long_XXXXXX";
	int fd = mkstemp(path);
	static char chunk[1 << 20];

	cr_assert(ge(int, fd, 0));
	for (size_t i = 0; i < sizeof(chunk); i += 64)
		memcpy(chunk + i, "; a comment line, padded to sixty-four bytes with this text....\n", 64);
	const char *head = TCP_PRE "sig = " GOOD_SIG "\n";
	cr_assert(eq(sz, (size_t)write(fd, head, strlen(head)), strlen(head)));
	for (int i = 0; i < 48; i++)
		cr_assert(eq(sz, (size_t)write(fd, chunk, sizeof(chunk)), sizeof(chunk)));
	close(fd);

	long before = peak_rss_kb();
	struct np_db *db = np_db_load(path, g_err, sizeof(g_err));
	long grown = peak_rss_kb() - before;
	unlink(path);
	cr_assert(db != NULL, "%s", g_err);
	cr_assert(eq(u32, db->n_sigs, 1));
	np_db_free(db);
	cr_assert(lt(long, grown, 16 * 1024), "peak RSS grew by %ld kB", grown);
}

Test(files, a_line_too_long_is_named)
{
	char path[] = "/tmp/np_test_line_XXXXXX", want[96];
	size_t n = NP_DB_LINE_MAX + 10;
	char *text = malloc(n + 64);

	cr_assert(text != NULL);
	strcpy(text, "classes = win\nlabel = ");
	memset(text + strlen(text), 'x', n);
	text[strlen("classes = win\nlabel = ") + n] = 0;
	write_file(path, text, 0);
	free(text);
	struct np_db *db = np_db_load(path, g_err, sizeof(g_err));
	unlink(path);
	snprintf(want, sizeof(want), "%s:2: line longer than %d bytes", path, NP_DB_LINE_MAX);
	cr_assert(db == NULL);
	assert_str(g_err, want);
}

Test(files, a_long_comment_is_still_a_comment)
{
	char path[] = "/tmp/np_test_comment_XXXXXX";
	size_t n = 3 * NP_DB_LINE_MAX;
	char *text = malloc(n + 256);

	cr_assert(text != NULL);
	strcpy(text, "  ;");
	memset(text + 3, 'x', n);
	strcpy(text + 3 + n, "\n" TCP_PRE "sig = " GOOD_SIG "\n");
	write_file(path, text, 0);
	free(text);
	struct np_db *db = np_db_load(path, g_err, sizeof(g_err));
	unlink(path);
	cr_assert(db != NULL, "%s", g_err);
	cr_assert(eq(u32, db->tcp[NP_DIR_REQUEST][0].line_no, 5));
	np_db_free(db);
}

Test(files, a_nul_byte_is_named_with_its_line)
{
	char path[] = "/tmp/np_test_nul_XXXXXX", want[96];

	/* ftruncate's zeros after the text: line 3 holds the NUL */
	write_file(path, "classes = win\n[tcp:request]\n", 40);
	struct np_db *db = np_db_load(path, g_err, sizeof(g_err));
	unlink(path);
	snprintf(want, sizeof(want), "%s:3: NUL byte in line", path);
	cr_assert(db == NULL);
	assert_str(g_err, want);
}

/* ------------------------------------------------------------------ */
/* Load work grows with the file, not with its square                  */
/* ------------------------------------------------------------------ */

/*
 * 20,000 signatures in each of TCP, HTTP (twice) and TLS, each with its own
 * label name: every name and every signature used to be compared with all
 * those before it (40,000 TCP signatures: 11 s; HTTP: 39 s). The loader
 * counts its comparisons: a bounded number per signature is linear.
 */
Test(scale, load_work_is_linear_in_signatures)
{
	enum { N = 20000 };
	size_t cap = (size_t)N * 4 * 128, len = 0;
	char *text = malloc(cap);

	cr_assert(text != NULL);
	len += (size_t)snprintf(text + len, cap - len, "classes = win,unix\n[tcp:request]\n");
	for (unsigned i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"label = s:unix:Tcp%u:x\nsig = 4:64:0:%u:%u,7:mss,ws:df:0\n", i,
					100 + i % 5000, 1000 + i / 5000);
	len += (size_t)snprintf(text + len, cap - len, "[http:request]\n");
	for (unsigned i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"label = s:!:Http%u:\nsys = Tcp%u\nsig = 1:Host,X-H%u::\n", i, i,
					i);
	/* the same headers, values differing in a few bytes (p0f compares values
	 * as substrings, which a plain hash cannot find) */
	len += (size_t)snprintf(text + len, cap - len, "[http:response]\n");
	for (unsigned i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"label = s:!:Srv%u:\nsys = Tcp%u\nsig = 1:Server=[Apache/2.%05u (Unix)],"
					"Content-Type::\n", i, i, i);
	len += (size_t)snprintf(text + len, cap - len, "[tls:client]\n");
	for (unsigned i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"label = s:!:Tls%u:\nsys = Http%u\nsig = t13d1516h2_%012x_*\n",
					i, i, i);
	cr_assert(lt(sz, len, cap));
	const struct np_db *db = load_text(text);
	free(text);
	cr_assert(db != NULL, "%s", g_err);
	cr_assert(eq(u32, db->n_sigs, 4 * N));
	cr_assert(eq(u32, db->n_names, 4 * N));
	cr_assert(le(u64, db->load_compares, 40ull * db->n_sigs),
		  "%llu comparisons for %u signatures", (unsigned long long)db->load_compares,
		  db->n_sigs);
}
