/* SPDX-License-Identifier: MIT */
/*
 * HTTP tests, against p0f 3.09b:
 *  - http_collect: the header collector (parsers/http.c, p0f process_http()
 *    and parse_pairs()) fed segment by segment: limits, line ends, the
 *    8 KB cap, when a flow stops being followed, and seeded junk.
 *  - http_api: each exchange of the table below rebuilt through
 *    np_http_append/np_http_process, np_http_observe, np_match_http,
 *    np_format_http_sig and np_language_name, field by field against the
 *    app / lang / params / raw_sig p0f logged for it.
 *  - p0f_http: the same exchanges as frames through np_track() and the
 *    host logic, printed with np_format_log_line(), against p0f's lines.
 *  - http_tables: np_language_name() and np_match_ua_os().
 *
 * Every expected value marked "p0f" is p0f 3.09b's output (Debian's
 * /usr/sbin/p0f, "TZ=UTC p0f -r X.pcap -f db/p0f.fp -o X.log") on a pcap
 * written by a throwaway generator with exactly the frames built here: the
 * exchange of case i runs at HC_T0 + 10 s * i between 10.60.i.1:(41000+i)
 * and 10.60.i.2:(port, default 80), with the SYN, SYN+ACK and ACK of
 * hc_syn() / hc_synack() / hc_ack(), then the request and the response as
 * ACK|PSH segments cut where the case says (1 ms apart, the response from
 * +100 ms).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "frames.h"
#include "hosts.h"
#include "http.h"
#include "http_match.h"
#include "tracker.h"
#include "pipeline.h"

#include <criterion/criterion.h>
#include "np_assert.h"

#define assert_str(actual, expected, ...) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		cr_assert(a_ != NULL && e_ != NULL && !strcmp(a_, e_), \
			  "got\n\"%s\"\nwant\n\"%s\"", a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
	} while (0)

static struct np_db *g_db;

static void
setup(void)
{
	char err[NP_DB_ERR_MAX];

	setenv("TZ", "UTC", 1);
	tzset();
	g_db = np_db_load(NP_TEST_FP, err, sizeof(err));
	cr_assert(g_db != NULL, "%s", err);
}

static void
teardown(void)
{
	np_db_free(g_db);
	g_db = NULL;
}

TestSuite(http_collect, .init = setup, .fini = teardown);
TestSuite(http_api, .init = setup, .fini = teardown);
TestSuite(p0f_http, .init = setup, .fini = teardown);
TestSuite(http_tables, .init = setup, .fini = teardown);

#define REQ true	/* to_srv */
#define RESP false

/* One state, as a flow slot holds it (large: keep it off the stack). */
static struct np_http_state g_st;

/* Append one segment and run the collector, as the tracker does. */
static bool
push(bool to_srv, const void *data, size_t len, enum np_http_event *ev)
{
	np_http_append(&g_st, to_srv, data, (uint32_t)len);
	return np_http_process(&g_st, to_srv, ev);
}

static bool
push_str(bool to_srv, const char *s, enum np_http_event *ev)
{
	return push(to_srv, s, strlen(s), ev);
}

/* The completed message as text: "ver|Name=[value]|..." from st->done. */
static void
done_headers(bool to_srv, char *out, size_t len)
{
	const struct np_http_msg *m = &g_st.done;
	const uint8_t *b = g_st.buf[to_srv];
	size_t p = (size_t)snprintf(out, len, "%d", m->http_ver);

	for (unsigned i = 0; i < m->hdr_cnt && p < len; i++)
		p += (size_t)snprintf(out + p, len - p, "|%.*s=[%.*s]", m->hdr[i].name_len,
				      (const char *)b + m->hdr[i].name_off, m->hdr[i].val_len,
				      (const char *)b + m->hdr[i].val_off);
}

/*
 * Feed a whole message in one segment; returns the event. For a response,
 * a minimal request completes first.
 */
static enum np_http_event
one_segment(bool to_srv, const char *msg, bool *keep)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	if (!to_srv) {
		cr_assert(push_str(REQ, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", &ev));
		cr_assert(eq(int, ev, NP_HTTP_REQUEST));
	}
	*keep = push_str(to_srv, msg, &ev);
	return ev;
}

/* ------------------------------------------------------------------ */
/* The collector, segment by segment                                  */
/* ------------------------------------------------------------------ */

static const char split_req[] =
	"GET /path?q=1 HTTP/1.1\r\n"
	"Host: example.com\r\n"
	"User-Agent: curl/7.68.0\r\n"
	"Accept: */*\r\n"
	"X-Empty:\r\n"
	"X-Tab:\tv\r\n"
	"X-Inner-CR: a\rb\r\n"
	"\r\n";

static const char split_req_headers[] =
	"1|Host=[example.com]|User-Agent=[curl/7.68.0]|Accept=[*/*]|X-Empty=[]|X-Tab=[v]"
	"|X-Inner-CR=[a\rb]";

Test(http_collect, one_segment_request_headers_and_values)
{
	char got[1024];
	bool keep;

	cr_assert(eq(int, one_segment(REQ, split_req, &keep), NP_HTTP_REQUEST));
	cr_assert(keep, "a complete request waits for the response");
	done_headers(REQ, got, sizeof(got));
	assert_str(got, split_req_headers);
}

/* p0f re-parses an incomplete line from its start: a cut anywhere in a
 * request changes nothing. */
Test(http_collect, request_split_at_every_byte_gives_the_same_headers)
{
	size_t n = strlen(split_req);

	for (size_t k = 1; k < n; k++) {
		enum np_http_event ev1, ev2;
		char got[1024];

		np_http_reset(&g_st);
		cr_assert(push(REQ, split_req, k, &ev1), "cut at %zu", k);
		cr_assert(push(REQ, split_req + k, n - k, &ev2), "cut at %zu", k);
		cr_assert(eq(int, (ev1 == NP_HTTP_REQUEST) + (ev2 == NP_HTTP_REQUEST), 1),
			  "exactly one request event, cut at %zu", k);
		/* the empty line's '\r' is enough to end the headers */
		cr_assert(eq(int, ev1 == NP_HTTP_REQUEST, k >= n - 1), "cut at %zu", k);
		done_headers(REQ, got, sizeof(got));
		assert_str(got, split_req_headers);
	}
}

Test(http_collect, request_byte_by_byte_gives_the_same_headers)
{
	size_t n = strlen(split_req);
	unsigned events = 0;
	char got[1024];

	np_http_reset(&g_st);
	for (size_t k = 0; k < n; k++) {
		enum np_http_event ev;

		cr_assert(push(REQ, split_req + k, 1, &ev), "byte %zu", k);
		events += ev == NP_HTTP_REQUEST;
	}
	cr_assert(eq(u32, events, 1));
	done_headers(REQ, got, sizeof(got));
	assert_str(got, split_req_headers);
}

Test(http_collect, lf_only_line_ends)
{
	char got[256];
	bool keep;

	cr_assert(eq(int, one_segment(REQ, "GET / HTTP/1.0\nHost: a\nAccept: */*\n\n", &keep),
		     NP_HTTP_REQUEST));
	done_headers(REQ, got, sizeof(got));
	assert_str(got, "0|Host=[a]|Accept=[*/*]");
	cr_assert(eq(int, one_segment(RESP, "HTTP/1.1 200 OK\nServer: x\n\n", &keep),
		     NP_HTTP_RESPONSE));
	done_headers(RESP, got, sizeof(got));
	assert_str(got, "1|Server=[x]");
}

Test(http_collect, one_blank_after_the_colon_is_skipped_not_two)
{
	char got[256];
	bool keep;

	cr_assert(eq(int, one_segment(REQ, "GET / HTTP/1.1\r\nA:x\r\nB:  y\r\nC:\t\tz\r\n\r\n", &keep),
		     NP_HTTP_REQUEST));
	done_headers(REQ, got, sizeof(got));
	assert_str(got, "1|A=[x]|B=[ y]|C=[\tz]");
}

Test(http_collect, missing_final_empty_line_gives_no_event_until_it_comes)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	cr_assert(push_str(REQ, "GET / HTTP/1.1\r\nHost: a\r\n", &ev));
	cr_assert(eq(int, ev, NP_HTTP_NONE));
	cr_assert(push_str(REQ, "Accept: */*\r\n", &ev));
	cr_assert(eq(int, ev, NP_HTTP_NONE));
	cr_assert(push_str(REQ, "\r\n", &ev));
	cr_assert(eq(int, ev, NP_HTTP_REQUEST));
	cr_assert(eq(u8, g_st.done.hdr_cnt, 2));
}

/*
 * A continuation line starts with a blank: parse_pairs() reads it as a
 * header with an empty name and drops the flow (p0f logged nothing for
 * HC_FOLDED_HEADER_LINE).
 */
Test(http_collect, folded_header_line_drops_the_flow)
{
	bool keep;

	cr_assert(eq(int, one_segment(REQ, "GET / HTTP/1.1\r\nHost: a\r\nX-Fold: one\r\n two\r\n\r\n",
				      &keep), NP_HTTP_NONE));
	cr_assert(not(keep));
	cr_assert(eq(i8, g_st.in_http, -1));
}

Test(http_collect, dropped_flow_stays_dropped)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	cr_assert(not(push_str(REQ, "GET / HTTP/1.1\r\n:bad\r\n", &ev)));
	cr_assert(not(push_str(REQ, "Host: a\r\n\r\n", &ev)));
	cr_assert(eq(int, ev, NP_HTTP_NONE));
	cr_assert(not(push_str(RESP, "HTTP/1.1 200 OK\r\n\r\n", &ev)));
	cr_assert(eq(int, ev, NP_HTTP_NONE));
}

static void
expect_request(const char *req, bool event)
{
	bool keep;
	enum np_http_event ev = one_segment(REQ, req, &keep);

	cr_assert(eq(int, ev, event ? NP_HTTP_REQUEST : NP_HTTP_NONE), "%s", req);
	cr_assert(eq(int, keep, event), "%s", req);
}

/* Header names: 1..32 of [A-Za-z0-9_-], then ':' (p0f HTTP_MAX_HDR_NAME;
 * p0f logged HC_REQUEST_NAME_32_CHARS_KEPT, nothing for the 33 one). */
Test(http_collect, header_name_of_32_chars_kept_33_dropped)
{
	char req[256];

	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nX-%030d: v\r\n\r\n", 0);
	expect_request(req, true);
	cr_assert(eq(u8, g_st.done.hdr[0].name_len, 32));
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nX-%031d: v\r\n\r\n", 0);
	expect_request(req, false);
}

Test(http_collect, header_name_characters)
{
	expect_request("GET / HTTP/1.1\r\nA_b-9: v\r\n\r\n", true);
	expect_request("GET / HTTP/1.1\r\nA.b: v\r\n\r\n", false);
	expect_request("GET / HTTP/1.1\r\nA b: v\r\n\r\n", false);
	expect_request("GET / HTTP/1.1\r\n: v\r\n\r\n", false);
	expect_request("GET / HTTP/1.1\r\nNoColon\r\n\r\n", false);
	expect_request("GET / HTTP/1.1\r\nCaf\xc3\xa9: v\r\n\r\n", false);
}

static char g_big[NP_HTTP_MAX_DATA * 2];

/* "GET / HTTP/1.1" + one header X-V with a value of n bytes + line ends. */
static const char *
request_with_value(size_t n, const char *eol)
{
	size_t p = (size_t)snprintf(g_big, sizeof(g_big), "GET / HTTP/1.1%sX-V: ", eol);

	memset(g_big + p, 'v', n);
	snprintf(g_big + p + n, sizeof(g_big) - p - n, "%sHost: a%s%s", eol, eol, eol);
	return g_big;
}

/*
 * The value counts every byte up to '\n', the '\r' included, and may not
 * exceed 1024 (p0f logged HC_HEADER_VALUE_1023_BYTES_CRLF_KEPT and
 * HC_HEADER_VALUE_1024_BYTES_LF_KEPT, nothing for 1024 bytes and CRLF).
 */
Test(http_collect, value_limit_counts_the_cr)
{
	expect_request(request_with_value(1023, "\r\n"), true);
	cr_assert(eq(u16, g_st.done.hdr[0].val_len, 1023));
	expect_request(request_with_value(1024, "\n"), true);
	cr_assert(eq(u16, g_st.done.hdr[0].val_len, 1024));
}

/* p0f's parse_pairs() returns -1 from a u8 function here: the flow is
 * marked "not HTTP" yet kept, and dropped at the next segment. */
Test(http_collect, value_over_1024_keeps_the_flow_once)
{
	static const char *const cases[][2] = { { "\r\n", "1024" }, { "\n", "1025" } };

	for (unsigned i = 0; i < 2; i++) {
		size_t n = (size_t)atoi(cases[i][1]);
		enum np_http_event ev;

		np_http_reset(&g_st);
		cr_assert(push_str(REQ, request_with_value(n, cases[i][0]), &ev),
			  "kept once (%zu bytes)", n);
		cr_assert(eq(int, ev, NP_HTTP_NONE));
		cr_assert(eq(i8, g_st.in_http, -1));
		cr_assert(not(push_str(REQ, "x", &ev)), "then dropped");
		cr_assert(not(push_str(RESP, "HTTP/1.1 200 OK\r\n\r\n", &ev)));
	}
}

Test(http_collect, value_over_1024_in_a_response_keeps_the_flow_once)
{
	bool keep;
	size_t p = (size_t)snprintf(g_big, sizeof(g_big), "HTTP/1.1 200 OK\r\nX-Big: ");

	memset(g_big + p, 'b', 1100);
	strcpy(g_big + p + 1100, "\r\n\r\n");
	cr_assert(eq(int, one_segment(RESP, g_big, &keep), NP_HTTP_NONE));
	cr_assert(keep);
	cr_assert(eq(i8, g_st.in_http, -1));
}

static const char *
request_with_headers(unsigned n)
{
	size_t p = (size_t)snprintf(g_big, sizeof(g_big), "GET / HTTP/1.1\r\n");

	for (unsigned i = 0; i < n; i++)
		p += (size_t)snprintf(g_big + p, sizeof(g_big) - p, "X-H%02u: %u\r\n", i, i);
	snprintf(g_big + p, sizeof(g_big) - p, "\r\n");
	return g_big;
}

/* p0f HTTP_MAX_HDRS (p0f logged HC_THIRTY_TWO_HEADERS, not the 33). */
Test(http_collect, thirty_two_headers_kept_thirty_three_dropped)
{
	expect_request(request_with_headers(32), true);
	cr_assert(eq(u8, g_st.done.hdr_cnt, 32));
	expect_request(request_with_headers(33), false);
	expect_request(request_with_headers(0), true);
	cr_assert(eq(u8, g_st.done.hdr_cnt, 0));
}

/* First line: the '\n' at offset 14 .. 1023 (p0f: "newline offset"). */
Test(http_collect, first_line_length_limits)
{
	char req[2048];

	expect_request("GET / HTTP/1.1\n\n", true);	/* '\n' at 14 */
	expect_request("GET /HTTP/1.1\n\nHost: aaaa\n\n", false);	/* at 13 */
	expect_request("GET /x\r\nHost: a\r\nX-Pad: padding\r\n\r\n", false);
	snprintf(req, sizeof(req), "GET /%01009d HTTP/1.1\n\n", 0);	/* at 1023 */
	expect_request(req, true);
	snprintf(req, sizeof(req), "GET /%01010d HTTP/1.1\n\n", 0);	/* at 1024 */
	expect_request(req, false);
}

Test(http_collect, first_line_without_newline_waits_up_to_1024_bytes)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	memset(g_big, 'p', 1100);
	memcpy(g_big, "GET /", 5);
	cr_assert(push(REQ, g_big, 1023, &ev), "no newline yet: wait");
	cr_assert(eq(i8, g_st.in_http, 0));
	cr_assert(not(push(REQ, g_big + 1023, 77, &ev)), "1024 bytes without one: not HTTP");
}

/* Fewer than 15 bytes: p0f decides nothing yet, whatever they are. */
Test(http_collect, fewer_than_15_bytes_decide_nothing)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	cr_assert(push_str(REQ, "POST / HTTP/1.", &ev));
	cr_assert(eq(i8, g_st.in_http, 0));
	cr_assert(not(push_str(REQ, "1\r\n", &ev)), "15 bytes: POST is not followed");
}

/* Only bytes 0x20..0x7f and '\r' before the first '\n'. */
Test(http_collect, control_characters_in_the_first_line)
{
	expect_request("GET /\x01 HTTP/1.1\r\n\r\n", false);
	expect_request("GET /\t HTTP/1.1\r\n\r\n", false);
	expect_request("GET /\x80 HTTP/1.1\r\n\r\n", false);
	expect_request("GET /\x7f HTTP/1.1\r\n\r\n", true);
	expect_request("GET /\r HTTP/1.1\r\n\r\n", true);
}

/* Header values are not checked (p0f logged
 * HC_CONTROL_CHAR_IN_HEADER_VALUE_KEPT). */
Test(http_collect, control_characters_in_request_header_values_are_kept)
{
	char got[128];

	expect_request("GET / HTTP/1.1\r\nX-C: a\x01" "b\x7f\xff\r\n\r\n", true);
	done_headers(REQ, got, sizeof(got));
	assert_str(got, "1|X-C=[a\x01" "b\x7f\xff]");
}

Test(http_collect, only_get_and_head_with_an_absolute_path)
{
	expect_request("GET / HTTP/1.1\r\n\r\n", true);
	expect_request("HEAD /x HTTP/1.0\r\n\r\n", true);
	expect_request("POST / HTTP/1.1\r\n\r\n", false);
	expect_request("PUT / HTTP/1.1\r\n\r\n", false);
	expect_request("OPTIONS * HTTP/1.1\r\n\r\n", false);
	expect_request("get / HTTP/1.1\r\n\r\n", false);
	expect_request("GET http://a/ HTTP/1.1\r\n\r\n", false);
	expect_request("GETX / HTTP/1.1\r\n\r\n", false);
	expect_request("HEAD* / HTTP/1.1\r\n\r\n", false);
}

Test(http_collect, request_version_from_the_line_end)
{
	bool keep;

	cr_assert(eq(int, one_segment(REQ, "GET / HTTP/1.0\r\n\r\n", &keep), NP_HTTP_REQUEST));
	cr_assert(eq(i8, g_st.done.http_ver, 0));
	cr_assert(eq(int, one_segment(REQ, "GET / HTTP/1.1\n\n", &keep), NP_HTTP_REQUEST));
	cr_assert(eq(i8, g_st.done.http_ver, 1));
	cr_assert(eq(int, one_segment(REQ, "GET / HTTP/1.9\r\n\r\n", &keep), NP_HTTP_REQUEST));
	cr_assert(eq(i8, g_st.done.http_ver, 0), "only '1' is 1.1");
	expect_request("GET / HTTP/2.0\r\n\r\n", false);
	expect_request("GET / HTTP/1.1 \r\n\r\n", false);
	expect_request("GET / XTTP/1.1\r\n\r\n", false);
}

Test(http_collect, response_before_the_request_is_complete_drops_the_flow)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	cr_assert(not(push_str(RESP, "HTTP/1.1 200 OK\r\n\r\n", &ev)), "before any request");
	np_http_reset(&g_st);
	cr_assert(push_str(REQ, "GET / HTTP/1.1\r\nHost: a\r\n", &ev));
	cr_assert(not(push_str(RESP, "HTTP/1.1 200 OK\r\n\r\n", &ev)), "before its end");
	cr_assert(eq(int, ev, NP_HTTP_NONE));
	cr_assert(not(push_str(REQ, "\r\n", &ev)));
	cr_assert(eq(int, ev, NP_HTTP_NONE));
}

Test(http_collect, request_data_after_its_headers_is_ignored)
{
	enum np_http_event ev;

	np_http_reset(&g_st);
	cr_assert(push_str(REQ, "GET / HTTP/1.1\r\n\r\n", &ev));
	cr_assert(eq(int, ev, NP_HTTP_REQUEST));
	cr_assert(push_str(REQ, "GET / HTTP/1.1\r\n\r\n", &ev), "pipelined: waiting for the response");
	cr_assert(eq(int, ev, NP_HTTP_NONE));
}

Test(http_collect, response_ends_the_flow)
{
	bool keep;
	char got[128];

	cr_assert(eq(int, one_segment(RESP, "HTTP/1.0 404 Not Found\r\nServer: s\r\n\r\nbody", &keep),
		     NP_HTTP_RESPONSE));
	cr_assert(not(keep));
	cr_assert(eq(i8, g_st.in_http, -1));
	done_headers(RESP, got, sizeof(got));
	assert_str(got, "0|Server=[s]");
}

Test(http_collect, response_status_line_checks)
{
	bool keep;

	cr_assert(eq(int, one_segment(RESP, "HTTP/1.1 200\r\n\r\n", &keep), NP_HTTP_RESPONSE));
	cr_assert(eq(int, one_segment(RESP, "HTTP/1.1 20\r\n\r\n", &keep), NP_HTTP_NONE),
		  "'\\n' before offset 13");
	cr_assert(not(keep));
	cr_assert(eq(int, one_segment(RESP, "HTTP/2 200 OK\r\n\r\n", &keep), NP_HTTP_NONE));
	cr_assert(not(keep));
	cr_assert(eq(int, one_segment(RESP, "SSH-2.0-OpenSSH_9\r\n\r\n", &keep), NP_HTTP_NONE));
	cr_assert(eq(int, one_segment(RESP, "HTTP/1.1 200 \x01K\r\n\r\n", &keep), NP_HTTP_NONE));
	cr_assert(eq(int, one_segment(RESP, "HTTP/1.1 200 OK\r\n\r\n", &keep), NP_HTTP_RESPONSE));
	cr_assert(eq(i8, g_st.done.http_ver, 1));
	cr_assert(eq(int, one_segment(RESP, "HTTP/1.0 200 OK\r\n\r\n", &keep), NP_HTTP_RESPONSE));
	cr_assert(eq(i8, g_st.done.http_ver, 0));
}

/*
 * p0f never marks a response's status line as seen, so every later
 * segment re-runs the status-line scan from where header parsing stopped:
 * the header line a segment boundary falls in is skipped (and checked for
 * control characters), and a cut right before the final empty line means
 * the headers never end. This oracle matched p0f 3.09b's raw_sig for all
 * 110 two-segment cuts of sweep_resp (one flow per cut, same run).
 */
static const char sweep_resp[] =
	"HTTP/1.1 200 OK\r\n"
	"Server: nginx/1.18.0\r\n"
	"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
	"Content-Type: text/html\r\n"
	"X-A: 1\r\n"
	"\r\n";

/* What p0f keeps when sweep_resp is cut at k; NULL: no event. */
static const char *
sweep_oracle(size_t k, char *out, size_t len)
{
	static const char *const hdrs[4] = {
		"|Server=[nginx/1.18.0]", "|Date=[Tue, 14 Nov 2023 22:13:20 GMT]",
		"|Content-Type=[text/html]", "|X-A=[1]",
	};
	size_t start[6], n = 0;	/* status line, 4 headers, empty line */

	for (size_t off = 0; sweep_resp[off]; off++)
		if (off == 0 || sweep_resp[off - 1] == '\n')
			start[n++] = off;
	if (k == start[5])
		return NULL;
	snprintf(out, len, "1");
	for (size_t h = 0; h < 4; h++)
		if (k < start[h + 1] || k >= start[h + 2])	/* header h is line h + 1 */
			strncat(out, hdrs[h], len - strlen(out) - 1);
	return out;
}

Test(http_collect, response_cut_loses_the_line_the_cut_falls_in)
{
	static const char sweep_full[] = "1|Server=[nginx/1.18.0]"
		"|Date=[Tue, 14 Nov 2023 22:13:20 GMT]|Content-Type=[text/html]|X-A=[1]";
	size_t n = strlen(sweep_resp);
	unsigned lost = 0, full = 0, never = 0;

	for (size_t k = 1; k < n; k++) {
		enum np_http_event ev1, ev2;
		char want[256], got[256];
		const char *w = sweep_oracle(k, want, sizeof(want));

		np_http_reset(&g_st);
		cr_assert(push_str(REQ, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", &ev1));
		push(RESP, sweep_resp, k, &ev1);
		push(RESP, sweep_resp + k, n - k, &ev2);
		if (!w) {
			cr_assert(eq(int, ev1, NP_HTTP_NONE), "cut at %zu", k);
			cr_assert(eq(int, ev2, NP_HTTP_NONE), "cut at %zu", k);
			never++;
			continue;
		}
		cr_assert(eq(int, (ev1 == NP_HTTP_RESPONSE) + (ev2 == NP_HTTP_RESPONSE), 1),
			  "cut at %zu", k);
		done_headers(RESP, got, sizeof(got));
		assert_str(got, w);
		if (strlen(w) < strlen(sweep_full))
			lost++;
		else
			full++;
	}
	cr_assert(eq(u32, never, 1));
	cr_assert(gt(u32, lost, 80));
	cr_assert(gt(u32, full, 15));
}

Test(http_collect, response_cut_in_a_line_with_a_control_character_drops_the_flow)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\nServer: s\r\nX-C: a\x01" "b\r\n\r\n";
	enum np_http_event ev;
	size_t cut = strlen("HTTP/1.1 200 OK\r\nServer: s\r\nX-C");
	bool keep;

	cr_assert(eq(int, one_segment(RESP, resp, &keep), NP_HTTP_RESPONSE), "uncut: fine");
	np_http_reset(&g_st);
	cr_assert(push_str(REQ, "GET / HTTP/1.1\r\n\r\n", &ev));
	cr_assert(push(RESP, resp, cut, &ev));
	cr_assert(not(push(RESP, resp + cut, strlen(resp) - cut, &ev)));
	cr_assert(eq(int, ev, NP_HTTP_NONE));
}

/* p0f MAX_FLOW_DATA: 8192 bytes per direction, the rest is not kept. */
Test(http_collect, append_keeps_at_most_8192_bytes_nul_terminated)
{
	np_http_reset(&g_st);
	memset(g_big, 'a', sizeof(g_big));
	np_http_append(&g_st, REQ, (const uint8_t *)g_big, 5000);
	np_http_append(&g_st, REQ, (const uint8_t *)g_big, 5000);
	cr_assert(eq(u32, g_st.len[1], NP_HTTP_MAX_DATA));
	cr_assert(eq(u8, g_st.buf[1][NP_HTTP_MAX_DATA], 0));
	np_http_append(&g_st, REQ, (const uint8_t *)"b", 1);
	cr_assert(eq(u32, g_st.len[1], NP_HTTP_MAX_DATA));
	cr_assert(eq(u8, g_st.buf[1][NP_HTTP_MAX_DATA - 1], 'a'));
	cr_assert(eq(u32, g_st.len[0], 0), "the other direction is separate");
}

/* A request of `total` bytes: "GET / HTTP/1.1", Host, X-NN headers of up
 * to 1000 bytes, the empty line. */
static size_t
request_of_size(size_t total)
{
	size_t p = (size_t)snprintf(g_big, sizeof(g_big), "GET / HTTP/1.1\r\nHost: a\r\n");

	for (unsigned i = 0; p + 2 < total; i++) {
		size_t room = total - p - 2 - strlen("X-00: \r\n");
		size_t v = room < 1000 ? room : 1000;

		p += (size_t)snprintf(g_big + p, sizeof(g_big) - p, "X-%02u: ", i);
		memset(g_big + p, 'v', v);
		p += v;
		p += (size_t)snprintf(g_big + p, sizeof(g_big) - p, "\r\n");
	}
	p += (size_t)snprintf(g_big + p, sizeof(g_big) - p, "\r\n");
	return p;
}

/*
 * Headers must end within the first 8192 bytes, where the empty line's
 * '\r' is enough: p0f logged the requests of 8190..8193 bytes and not
 * those of 8194, 8195 and 9000 (sent in 1400-byte segments).
 */
Test(http_collect, request_headers_must_end_within_8192_bytes)
{
	static const size_t sizes[] = { 8190, 8191, 8192, 8193, 8194, 8195, 9000 };

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = request_of_size(sizes[i]);
		unsigned events = 0;
		bool keep = true;

		cr_assert(eq(sz, n, sizes[i]));
		np_http_reset(&g_st);
		for (size_t off = 0; off < n && keep; off += 1400) {
			enum np_http_event ev;

			keep = push(REQ, g_big + off, n - off < 1400 ? n - off : 1400, &ev);
			events += ev == NP_HTTP_REQUEST;
		}
		cr_assert(eq(u32, events, sizes[i] <= 8193), "%zu bytes", sizes[i]);
		cr_assert(eq(int, keep, sizes[i] <= 8193), "%zu bytes: can_get_more is false",
			  sizes[i]);
	}
}

/* xorshift32: the same junk on every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
check_done_in_bounds(bool to_srv)
{
	const struct np_http_msg *m = &g_st.done;

	cr_assert(le(u8, m->hdr_cnt, NP_HTTP_MAX_HDRS));
	for (unsigned i = 0; i < m->hdr_cnt; i++) {
		cr_assert(le(u32, m->hdr[i].name_off + m->hdr[i].name_len, g_st.len[to_srv]));
		cr_assert(le(u32, m->hdr[i].val_off + m->hdr[i].val_len, g_st.len[to_srv]));
		cr_assert(ge(u8, m->hdr[i].name_len, 1));
		cr_assert(le(u8, m->hdr[i].name_len, NP_HTTP_MAX_HDR_NAME));
		cr_assert(le(u16, m->hdr[i].val_len, NP_HTTP_MAX_HDR_VAL));
	}
}

/*
 * Seeded junk, mostly behind a valid first line so parse_pairs() sees it,
 * in random segments and both directions; every completed block goes on
 * through observe, match and raw_sig. Must never read or write out of
 * bounds (ASan build) and every offset must stay inside the buffer.
 */
Test(http_collect, seeded_junk_never_escapes_the_buffers)
{
	static const char *const prefixes[] = {
		"", "GET / HTTP/1.1\r\n", "HEAD / HTTP/1.0\n", "GET / HTTP/1.1\r\nHost: a\r\n",
	};
	static const char alphabet[] = "\r\n\r\n:: \t-_aZ09|][\x01\x7f\x80\xff";
	static struct np_http_obs obs;
	static uint8_t junk[12000];
	uint32_t seed = 0x5eed1234;
	unsigned events = 0;

	for (unsigned it = 0; it < 20000; it++) {
		bool dir = REQ, keep = true;
		size_t n = rnd(&seed) % sizeof(junk), off = 0;
		unsigned mode = rnd(&seed) % 3;

		for (size_t i = 0; i < n; i++)
			junk[i] = mode == 0 ? (uint8_t)rnd(&seed) :
				  (uint8_t)alphabet[rnd(&seed) % (sizeof(alphabet) - 1)];
		np_http_reset(&g_st);
		const char *pre = prefixes[rnd(&seed) % 4];
		push_str(REQ, pre, &(enum np_http_event){ 0 });
		while (off < n && keep) {
			size_t seg = 1 + rnd(&seed) % (rnd(&seed) % 4 ? 64 : 3000);
			enum np_http_event ev;

			if (seg > n - off)
				seg = n - off;
			if (rnd(&seed) % 8 == 0)
				dir = !dir;
			keep = push(dir, junk + off, seg, &ev);
			off += seg;
			cr_assert(le(u32, g_st.len[0], NP_HTTP_MAX_DATA));
			cr_assert(le(u32, g_st.len[1], NP_HTTP_MAX_DATA));
			cr_assert(eq(u8, g_st.buf[dir][g_st.len[dir]], 0));
			if (ev == NP_HTTP_NONE)
				continue;
			bool to_srv = ev == NP_HTTP_REQUEST;
			struct np_http_match m;
			char sig[NP_FORMAT_MAX];

			events++;
			check_done_in_bounds(to_srv);
			np_http_observe(g_db, to_srv, &g_st.done, g_st.buf[to_srv], &obs);
			np_match_http(g_db, to_srv ? NP_DIR_REQUEST : NP_DIR_RESPONSE, &obs, &m);
			size_t len = np_format_http_sig(sig, sizeof(sig), g_db, to_srv, &obs);
			cr_assert(eq(sz, strlen(sig), len));
			if (obs.lang)
				np_language_name(obs.lang);
			if (obs.sw)
				np_match_ua_os(g_db, obs.sw);
		}
	}
	cr_assert(gt(u32, events, 100), "the junk must reach the header parser");
}

/* ------------------------------------------------------------------ */
/* Exchanges logged by p0f 3.09b                                      */
/* ------------------------------------------------------------------ */

#define HC_T0 1700600000ull	/* 2023/11/21 20:53:20 UTC */
#define HC_MAX_CUTS 10
#define HC_MAX_LINES 8

struct http_case {
	const char *req, *resp;	/* resp NULL: the server sends nothing */
	uint16_t req_cut[HC_MAX_CUTS], resp_cut[HC_MAX_CUTS];	/* 0-terminated */
	uint16_t port;		/* 0: 80 */
	/* p0f's http request / response / host change / ip sharing / uptime
	 * lines for the exchange, in order (its syn / syn+ack / mtu lines are
	 * test_output.c's business) */
	const char *p0f[HC_MAX_LINES];
};

enum http_case_id {
	HC_FIREFOX_WINDOWS_APACHE,
	HC_CHROME_LINUX_NGINX,
	HC_MSIE8_IIS,
	HC_CURL_NGINX,
	HC_WGET_LIGHTTPD,
	HC_GOOGLEBOT_GWS,
	HC_SAFARI_MACOS,
	HC_BAIDUSPIDER_ZH,
	HC_PYTHON_URLLIB,
	HC_ACCEPT_LANGUAGE_UPPERCASE,
	HC_ACCEPT_LANGUAGE_THREE_LETTERS,
	HC_ACCEPT_LANGUAGE_FIL_PH,
	HC_ACCEPT_LANGUAGE_UNKNOWN_CODE,
	HC_ACCEPT_LANGUAGE_JAPANESE_Q,
	HC_ACCEPT_LANGUAGE_OLD_HEBREW_CODE_IW,
	HC_ACCEPT_LANGUAGE_STAR,
	HC_ACCEPT_LANGUAGE_LEADING_SPACES,
	HC_VIA_HEADER,
	HC_X_FORWARDED_FOR,
	HC_LOWERCASE_HEADER_NAMES,
	HC_VALUES_WITH_BRACKET_PIPE_AND_NON_ASCII,
	HC_VALUES_LONGER_THAN_200,
	HC_EMPTY_VALUES,
	HC_HTTP10_HEAD_MSIE6,
	HC_DISHONEST_FIREFOX_HEADERS_CURL_UA,
	HC_DISHONEST_APACHE_HEADERS_NGINX_SERVER,
	HC_ANONYMOUS_RESPONSE_NO_SERVER,
	HC_RESPONSE_HEADER_SPLIT_ACROSS_SEGMENTS,
	HC_RESPONSE_SPLIT_AT_LINE_BOUNDARIES,
	HC_REQUEST_SPLIT_EVERY_FEW_BYTES,
	HC_DUPLICATE_USER_AGENT_LAST_WINS,
	HC_TAB_AFTER_COLON_AND_NO_SPACE,
	HC_LF_ONLY_LINE_ENDS,
	HC_THIRTY_TWO_HEADERS,
	HC_THIRTY_THREE_HEADERS_DROPPED,
	HC_UA_WITH_PIPE_AND_COLON,
	HC_UA_NON_ASCII_CUT,
	HC_APACHE_WITH_OPTIONAL_HEADERS,
	HC_RESPONSE_VALUE_OVER_1024,
	HC_REQUEST_NAME_33_CHARS_DROPPED,
	HC_REQUEST_NAME_32_CHARS_KEPT,
	HC_FOLDED_HEADER_LINE,
	HC_REQUEST_LINE_WITH_CONTROL_CHAR,
	HC_POST_REQUEST_IGNORED,
	HC_HTTP2_VERSION_REJECTED,
	HC_OPERA_MINI_XFF_LOWERCASE_SIG,
	HC_HEADER_VALUE_1023_BYTES_CRLF_KEPT,
	HC_HEADER_VALUE_1024_BYTES_CRLF_DROPPED,
	HC_HEADER_VALUE_1024_BYTES_LF_KEPT,
	HC_REQUEST_LINE_NEWLINE_AT_1023_KEPT,
	HC_REQUEST_LINE_NEWLINE_AT_1024_DROPPED,
	HC_REQUEST_LINE_SHORTER_THAN_14_DROPPED,
	HC_CONTROL_CHAR_IN_HEADER_VALUE_KEPT,
	HC_LOWERCASE_METHOD_IGNORED,
	HC_PROXY_STYLE_ABSOLUTE_URI_IGNORED,
	HC_UA_OS_FIRST_LIST_ENTRY_WINS_LINUX,
	HC_UA_OS_IPAD_BEFORE_MAC_OS_X,
	HC_UA_OS_SUNOS_IS_SOLARIS,
	HC_UA_OS_NOT_CHECKED_WHEN_DISHONEST,
	HC_RESPONSE_SPLIT_INSIDE_STATUS_LINE,
	HC_RESPONSE_CONTROL_CHAR_IN_SPLIT_LINE,
	HC_COUNT,
};


static const struct http_case http_cases[HC_COUNT] = {
	[HC_FIREFOX_WINDOWS_APACHE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: www.example.com\r\n"
		"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Fi"
		"refox/119.0\r\n"
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/we"
		"bp,*/*;q=0.8\r\n"
		"Accept-Language: en-US,en;q=0.5\r\n"
		"Accept-Encoding: gzip, deflate\r\n"
		"DNT: 1\r\n"
		"Connection: keep-alive\r\n"
		"Upgrade-Insecure-Requests: 1\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Server: Apache/2.4.41 (Ubuntu)\r\n"
		"Last-Modified: Mon, 13 Nov 2023 10:00:00 GMT\r\n"
		"Accept-Ranges: bytes\r\n"
		"Content-Length: 10918\r\n"
		"Vary: Accept-Encoding\r\n"
		"Keep-Alive: timeout=5, max=100\r\n"
		"Connection: Keep-Alive\r\n"
		"Content-Type: text/html\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:53:20] mod=http request|cli=10.60.0.1/41000|srv=10.60.0.2/80|subj="
			"cli|app=Firefox 10.x or newer|lang=English|params=none|raw_sig=1:Host,User-Agent,"
			"Accept=[text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/we"
			"bp,*/*;q=0.8],Accept-Language=[en-US,en;q=0.5],Accept-Encoding=[gzip, deflate],DN"
			"T=[1],Connection=[keep-alive],Upgrade-Insecure-Requests=[1]:Accept-Charset,Keep-A"
			"live:Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/1"
			"19.0",
			"[2023/11/21 20:53:20] mod=host change|cli=10.60.0.1/41000|srv=10.60.0.2/80|subj=c"
			"li|reason=ua_vs_os|raw_hits=0,1,1,1",
			"[2023/11/21 20:53:20] mod=http response|cli=10.60.0.1/41000|srv=10.60.0.2/80|subj"
			"=srv|app=Apache 2.x|lang=none|params=none|raw_sig=1:Date,Server,?Last-Modified,Ac"
			"cept-Ranges=[bytes],?Content-Length,?Vary,Keep-Alive=[timeout=5, max=100],Connect"
			"ion=[Keep-Alive],Content-Type::Apache/2.4.41 (Ubuntu)",
			NULL,
		},
	},
	[HC_CHROME_LINUX_NGINX] = {
		.req = "GET /index.html HTTP/1.1\r\n"
		"Host: example.org\r\n"
		"Connection: keep-alive\r\n"
		"Upgrade-Insecure-Requests: 1\r\n"
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko"
		") Chrome/119.0.0.0 Safari/537.36\r\n"
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0."
		"8\r\n"
		"Accept-Encoding: gzip, deflate, sdch\r\n"
		"Accept-Language: de-DE,de;q=0.9,en;q=0.8\r\n"
		"\r\n",
		.req_cut = { 40, 200 },
		.resp = "HTTP/1.1 200 OK\r\n"
		"Server: nginx/1.18.0 (Ubuntu)\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Content-Type: text/html\r\n"
		"Content-Length: 612\r\n"
		"Last-Modified: Tue, 21 Apr 2020 14:09:01 GMT\r\n"
		"Connection: keep-alive\r\n"
		"ETag: \"5e9efe7d-264\"\r\n"
		"Accept-Ranges: bytes\r\n"
		"\r\n",
		.resp_cut = { 30 },
		.p0f = {
			"[2023/11/21 20:53:30] mod=http request|cli=10.60.1.1/41001|srv=10.60.1.2/80|subj="
			"cli|app=Chrome 51.x or newer|lang=German|params=none|raw_sig=1:Host,Connection=[k"
			"eep-alive],Upgrade-Insecure-Requests=[1],User-Agent,Accept=[text/html,application"
			"/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8],Accept-Encoding=[gzip, def"
			"late, sdch],Accept-Language=[de-DE,de;q=0.9,en;q=0.8]:Accept-Charset,Keep-Alive:M"
			"ozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119."
			"0.0.0 Safari/537.36",
			"[2023/11/21 20:53:30] mod=http response|cli=10.60.1.1/41001|srv=10.60.1.2/80|subj"
			"=srv|app=???|lang=none|params=anonymous|raw_sig=1:Date,Content-Type,?Content-Leng"
			"th,?Last-Modified,Connection=[keep-alive],?ETag,Accept-Ranges=[bytes]:Keep-Alive:",
			NULL,
		},
	},
	[HC_MSIE8_IIS] = {
		.req = "GET / HTTP/1.1\r\n"
		"Accept: */*\r\n"
		"Accept-Language: pl\r\n"
		"User-Agent: Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)\r\n"
		"Accept-Encoding: gzip, deflate\r\n"
		"Host: intranet\r\n"
		"Connection: Keep-Alive\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Content-Length: 703\r\n"
		"Content-Type: text/html\r\n"
		"Last-Modified: Sat, 20 Feb 2021 10:00:00 GMT\r\n"
		"Accept-Ranges: bytes\r\n"
		"ETag: \"abc\"\r\n"
		"Server: Microsoft-IIS/10.0\r\n"
		"X-Powered-By: ASP.NET\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:53:40] mod=http request|cli=10.60.2.1/41002|srv=10.60.2.2/80|subj="
			"cli|app=MSIE 8 or newer|lang=Polish|params=none|raw_sig=1:Accept=[*/*],Accept-Lan"
			"guage=[pl],User-Agent,Accept-Encoding=[gzip, deflate],Host,Connection=[Keep-Alive"
			"]:Accept-Charset,Keep-Alive:Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Tr"
			"ident/4.0)",
			"[2023/11/21 20:53:40] mod=host change|cli=10.60.2.1/41002|srv=10.60.2.2/80|subj=c"
			"li|reason=app_vs_os|raw_hits=0,1,1,1",
			"[2023/11/21 20:53:40] mod=host change|cli=10.60.2.1/41002|srv=10.60.2.2/80|subj=c"
			"li|reason=ua_vs_os|raw_hits=0,2,2,2",
			"[2023/11/21 20:53:40] mod=http response|cli=10.60.2.1/41002|srv=10.60.2.2/80|subj"
			"=srv|app=???|lang=none|params=none|raw_sig=1:?Content-Length,Content-Type,?Last-M"
			"odified,Accept-Ranges=[bytes],?ETag,Server,X-Powered-By=[ASP.NET],Date:Connection"
			",Keep-Alive:Microsoft-IIS/10.0",
			NULL,
		},
	},
	[HC_CURL_NGINX] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7.68.0\r\n"
		"Host: example.com\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.resp = "HTTP/1.1 301 Moved Permanently\r\n"
		"Server: nginx/1.24.0\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Content-Type: text/html\r\n"
		"Content-Length: 169\r\n"
		"Connection: close\r\n"
		"Location: https://example.com/\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:53:50] mod=http request|cli=10.60.3.1/41003|srv=10.60.3.2/80|subj="
			"cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Connect"
			"ion,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.68.0",
			"[2023/11/21 20:53:50] mod=http response|cli=10.60.3.1/41003|srv=10.60.3.2/80|subj"
			"=srv|app=nginx 1.x|lang=none|params=none|raw_sig=1:Server,Date,Content-Type,?Cont"
			"ent-Length,Connection=[close],?Location:Keep-Alive,Accept-Ranges:nginx/1.24.0",
			NULL,
		},
	},
	[HC_WGET_LIGHTTPD] = {
		.req = "GET /file.tar.gz HTTP/1.0\r\n"
		"User-Agent: Wget/1.12 (linux-gnu)\r\n"
		"Accept: */*\r\n"
		"Host: mirror.example.net\r\n"
		"Connection: Keep-Alive\r\n"
		"\r\n",
		.resp = "HTTP/1.0 200 OK\r\n"
		"Content-Type: application/x-gzip\r\n"
		"Content-Length: 1000\r\n"
		"Connection: close\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Server: lighttpd/1.4.55\r\n"
		"\r\n",
		.port = 8080,
		.p0f = {
			"[2023/11/21 20:54:00] mod=http request|cli=10.60.4.1/41004|srv=10.60.4.2/8080|sub"
			"j=cli|app=wget|lang=none|params=none|raw_sig=0:User-Agent,Accept=[*/*],Host,Conne"
			"ction=[Keep-Alive]:Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:Wget"
			"/1.12 (linux-gnu)",
			"[2023/11/21 20:54:00] mod=http response|cli=10.60.4.1/41004|srv=10.60.4.2/8080|su"
			"bj=srv|app=lighttpd 1.x|lang=none|params=none|raw_sig=0:Content-Type,?Content-Len"
			"gth,Connection=[close],Date,Server:Keep-Alive,Accept-Ranges:lighttpd/1.4.55",
			NULL,
		},
	},
	[HC_GOOGLEBOT_GWS] = {
		.req = "GET /robots.txt HTTP/1.1\r\n"
		"Host: www.example.com\r\n"
		"Connection: Keep-alive\r\n"
		"Accept: */*\r\n"
		"From: googlebot(at)googlebot.com\r\n"
		"User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.ht"
		"ml)\r\n"
		"Accept-Encoding: gzip,deflate\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Content-Type: text/plain\r\n"
		"Server: gws\r\n"
		"X-XSS-Protection: 0\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:54:10] mod=http request|cli=10.60.5.1/41005|srv=10.60.5.2/80|subj="
			"cli|app=Googlebot|lang=none|params=none|raw_sig=1:Host,Connection=[Keep-alive],Ac"
			"cept=[*/*],From=[googlebot(at)googlebot.com],User-Agent,Accept-Encoding=[gzip,def"
			"late]:Accept-Language,Accept-Charset,Keep-Alive:Mozilla/5.0 (compatible; Googlebo"
			"t/2.1; +http://www.google.com/bot.html)",
			"[2023/11/21 20:54:10] mod=http response|cli=10.60.5.1/41005|srv=10.60.5.2/80|subj"
			"=srv|app=Google Web Server|lang=none|params=none|raw_sig=1:Date,Content-Type,Serv"
			"er,X-XSS-Protection=[0]:Connection,Keep-Alive,Accept-Ranges:gws",
			NULL,
		},
	},
	[HC_SAFARI_MACOS] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: apple.example\r\n"
		"Accept-Encoding: gzip, deflate\r\n"
		"Connection: keep-alive\r\n"
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
		"User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
		"(KHTML, like Gecko) Version/17.0 Safari/605.1.15\r\n"
		"Accept-Language: fr-FR,fr;q=0.9\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:54:20] mod=http request|cli=10.60.6.1/41006|srv=10.60.6.2/80|subj="
			"cli|app=Safari 7 or newer|lang=French|params=none|raw_sig=1:Host,Accept-Encoding="
			"[gzip, deflate],Connection=[keep-alive],Accept=[text/html,application/xhtml+xml,a"
			"pplication/xml;q=0.9,*/*;q=0.8],User-Agent,Accept-Language=[fr-FR,fr;q=0.9]:Accep"
			"t-Charset,Keep-Alive:Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/"
			"605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
			"[2023/11/21 20:54:20] mod=host change|cli=10.60.6.1/41006|srv=10.60.6.2/80|subj=c"
			"li|reason=ua_vs_os|raw_hits=0,1,1,1",
			NULL,
		},
	},
	[HC_BAIDUSPIDER_ZH] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: www.example.cn\r\n"
		"Accept-Language: zh-cn\r\n"
		"Connection: close\r\n"
		"User-Agent: Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/searc"
		"h/spider.html)\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:54:30] mod=http request|cli=10.60.7.1/41007|srv=10.60.7.2/80|subj="
			"cli|app=BaiduSpider|lang=Chinese|params=none|raw_sig=1:Host,Accept-Language=[zh-c"
			"n],Connection=[close],User-Agent:Accept,Accept-Encoding,Accept-Charset,Keep-Alive"
			":Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.ht"
			"ml)",
			"[2023/11/21 20:54:30] mod=host change|cli=10.60.7.1/41007|srv=10.60.7.2/80|subj=c"
			"li|reason=app_vs_os|raw_hits=0,1,1,1",
			NULL,
		},
	},
	[HC_PYTHON_URLLIB] = {
		.req = "GET /api HTTP/1.1\r\n"
		"Accept-Encoding: identity\r\n"
		"Host: api.example.com\r\n"
		"Connection: close\r\n"
		"User-Agent: Python-urllib/3.11\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:54:40] mod=http request|cli=10.60.8.1/41008|srv=10.60.8.2/80|subj="
			"cli|app=Python urllib|lang=none|params=none|raw_sig=1:Accept-Encoding=[identity],"
			"Host,Connection=[close],User-Agent:Accept,Accept-Language,Accept-Charset,Keep-Ali"
			"ve:Python-urllib/3.11",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_UPPERCASE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"User-Agent: curl/8.0\r\n"
		"Accept: */*\r\n"
		"Accept-Language: EN-us\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:54:50] mod=http request|cli=10.60.9.1/41009|srv=10.60.9.2/80|subj="
			"cli|app=???|lang=???|params=none|raw_sig=1:Host,User-Agent,Accept=[*/*],Accept-La"
			"nguage=[EN-us]:Connection,Accept-Encoding,Accept-Charset,Keep-Alive:curl/8.0",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_THREE_LETTERS] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"User-Agent: curl/8.0\r\n"
		"Accept: */*\r\n"
		"Accept-Language: eng\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:55:00] mod=http request|cli=10.60.10.1/41010|srv=10.60.10.2/80|sub"
			"j=cli|app=???|lang=none|params=none|raw_sig=1:Host,User-Agent,Accept=[*/*],Accept"
			"-Language=[eng]:Connection,Accept-Encoding,Accept-Charset,Keep-Alive:curl/8.0",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_FIL_PH] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"Accept-Language: fil-PH, en\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:55:10] mod=http request|cli=10.60.11.1/41011|srv=10.60.11.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,Accept-Language=[fil-PH, "
			"en]:User-Agent,Connection,Accept,Accept-Encoding,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_UNKNOWN_CODE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"Accept-Language: zz\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:55:20] mod=http request|cli=10.60.12.1/41012|srv=10.60.12.2/80|sub"
			"j=cli|app=???|lang=???|params=anonymous|raw_sig=1:Host,Accept-Language=[zz]:User-"
			"Agent,Connection,Accept,Accept-Encoding,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_JAPANESE_Q] = {
		.req = "HEAD / HTTP/1.1\r\n"
		"Host: a\r\n"
		"Accept-Language: ja;q=0.9,*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:55:30] mod=http request|cli=10.60.13.1/41013|srv=10.60.13.2/80|sub"
			"j=cli|app=???|lang=Japanese|params=anonymous|raw_sig=1:Host,Accept-Language=[ja;q"
			"=0.9,*]:User-Agent,Connection,Accept,Accept-Encoding,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_OLD_HEBREW_CODE_IW] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"Accept-Language: iw\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:55:40] mod=http request|cli=10.60.14.1/41014|srv=10.60.14.2/80|sub"
			"j=cli|app=???|lang=???|params=anonymous|raw_sig=1:Host,Accept-Language=[iw]:User-"
			"Agent,Connection,Accept,Accept-Encoding,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_STAR] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"Accept-Language: *\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:55:50] mod=http request|cli=10.60.15.1/41015|srv=10.60.15.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,Accept-Language=[*]:User-"
			"Agent,Connection,Accept,Accept-Encoding,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_ACCEPT_LANGUAGE_LEADING_SPACES] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"Accept-Language:   en\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:56:00] mod=http request|cli=10.60.16.1/41016|srv=10.60.16.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,Accept-Language=[  en]:Us"
			"er-Agent,Connection,Accept,Accept-Encoding,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_VIA_HEADER] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"User-Agent: curl/7.1\r\n"
		"Accept: */*\r\n"
		"Via: 1.1 squid.example (squid/4.10)\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:56:10] mod=http request|cli=10.60.17.1/41017|srv=10.60.17.2/80|sub"
			"j=cli|app=???|lang=none|params=none|raw_sig=1:Host,User-Agent,Accept=[*/*],?Via:C"
			"onnection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.1",
			"[2023/11/21 20:56:10] mod=host change|cli=10.60.17.1/41017|srv=10.60.17.2/80|subj"
			"=cli|reason=via|raw_hits=1,1,1,1",
			NULL,
		},
	},
	[HC_X_FORWARDED_FOR] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7.1\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"X-Forwarded-For: 203.0.113.7\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:56:20] mod=http request|cli=10.60.18.1/41018|srv=10.60.18.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*],?X-Fo"
			"rwarded-For:Connection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:"
			"curl/7.1",
			"[2023/11/21 20:56:20] mod=host change|cli=10.60.18.1/41018|srv=10.60.18.2/80|subj"
			"=cli|reason=via|raw_hits=1,1,1,1",
			NULL,
		},
	},
	[HC_LOWERCASE_HEADER_NAMES] = {
		.req = "GET / HTTP/1.1\r\n"
		"host: a\r\n"
		"user-agent: curl/7.1\r\n"
		"accept: */*\r\n"
		"accept-language: en\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:56:30] mod=http request|cli=10.60.19.1/41019|srv=10.60.19.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:host=[a],user-agent=[curl/7.1]"
			",accept=[*/*],accept-language=[en]:Host,User-Agent,Connection,Accept,Accept-Encod"
			"ing,Accept-Language,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_VALUES_WITH_BRACKET_PIPE_AND_NON_ASCII] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"User-Agent: Te|st]agent caf\303\251\r\n"
		"Accept: text/html|x]y\r\n"
		"X-Pipe: a|b]c\r\n"
		"X-Utf8: caf\303\251 au lait\r\n"
		"Cookie: sid=1|2\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:56:40] mod=http request|cli=10.60.20.1/41020|srv=10.60.20.2/80|sub"
			"j=cli|app=???|lang=none|params=none|raw_sig=1:Host,User-Agent,Accept=[text/html],"
			"X-Pipe=[a|b],X-Utf8=[caf],?Cookie:Connection,Accept-Encoding,Accept-Language,Acce"
			"pt-Charset,Keep-Alive:Te|st",
			NULL,
		},
	},
	[HC_VALUES_LONGER_THAN_200] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA Firefox/99.0\r\n"
		"Accept: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxx\r\n"
		"X-Long: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxx\r\n"
		"Referer: http://xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxx\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:56:50] mod=http request|cli=10.60.21.1/41021|srv=10.60.21.2/80|sub"
			"j=cli|app=???|lang=none|params=none|raw_sig=1:Host,User-Agent,Accept=[xxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxx],X-Long=[xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx],?Ref"
			"erer:Connection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:Mozilla"
			"/5.0 (X11; Linux x86_64) AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			NULL,
		},
	},
	[HC_EMPTY_VALUES] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host:\r\n"
		"User-Agent:\r\n"
		"Accept: */*\r\n"
		"X-Empty:\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:57:00] mod=http request|cli=10.60.22.1/41022|srv=10.60.22.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,User-Agent,Accept=[*/*],X"
			"-Empty:Connection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_HTTP10_HEAD_MSIE6] = {
		.req = "HEAD / HTTP/1.0\r\n"
		"Accept: */*\r\n"
		"Referer: http://a/\r\n"
		"User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.0 200 OK\r\n"
		"Server: Apache/1.3.42\r\n"
		"Content-Type: text/html\r\n"
		"Content-Length: 5\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Connection: close\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:57:10] mod=http request|cli=10.60.23.1/41023|srv=10.60.23.2/80|sub"
			"j=cli|app=MSIE 6|lang=none|params=none|raw_sig=0:Accept=[*/*],?Referer,User-Agent"
			",Host:Connection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:Mozill"
			"a/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
			"[2023/11/21 20:57:10] mod=host change|cli=10.60.23.1/41023|srv=10.60.23.2/80|subj"
			"=cli|reason=app_vs_os|raw_hits=0,1,1,1",
			"[2023/11/21 20:57:10] mod=host change|cli=10.60.23.1/41023|srv=10.60.23.2/80|subj"
			"=cli|reason=ua_vs_os|raw_hits=0,2,2,2",
			"[2023/11/21 20:57:10] mod=http response|cli=10.60.23.1/41023|srv=10.60.23.2/80|su"
			"bj=srv|app=???|lang=none|params=none|raw_sig=0:Server,Content-Type,?Content-Lengt"
			"h,Date,Connection=[close]:Keep-Alive,Accept-Ranges:Apache/1.3.42",
			NULL,
		},
	},
	[HC_DISHONEST_FIREFOX_HEADERS_CURL_UA] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: www.example.com\r\n"
		"User-Agent: curl/7.68.0\r\n"
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
		"Accept-Language: en-US,en;q=0.5\r\n"
		"Accept-Encoding: gzip, deflate\r\n"
		"Connection: keep-alive\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:57:20] mod=http request|cli=10.60.24.1/41024|srv=10.60.24.2/80|sub"
			"j=cli|app=Firefox 10.x or newer|lang=English|params=dishonest|raw_sig=1:Host,User"
			"-Agent,Accept=[text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8],A"
			"ccept-Language=[en-US,en;q=0.5],Accept-Encoding=[gzip, deflate],Connection=[keep-"
			"alive]:Accept-Charset,Keep-Alive:curl/7.68.0",
			NULL,
		},
	},
	[HC_DISHONEST_APACHE_HEADERS_NGINX_SERVER] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Server: nginx\r\n"
		"Keep-Alive: timeout=5, max=100\r\n"
		"Connection: Keep-Alive\r\n"
		"Content-Type: text/html\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:57:30] mod=http request|cli=10.60.25.1/41025|srv=10.60.25.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			"[2023/11/21 20:57:30] mod=http response|cli=10.60.25.1/41025|srv=10.60.25.2/80|su"
			"bj=srv|app=Apache 2.x|lang=none|params=dishonest|raw_sig=1:Date,Server,Keep-Alive"
			"=[timeout=5, max=100],Connection=[Keep-Alive],Content-Type:Accept-Ranges:nginx",
			NULL,
		},
	},
	[HC_ANONYMOUS_RESPONSE_NO_SERVER] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 204 No Content\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Set-Cookie: a=b]c\r\n"
		"X-Frame-Options: DENY\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:57:40] mod=http request|cli=10.60.26.1/41026|srv=10.60.26.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			"[2023/11/21 20:57:40] mod=http response|cli=10.60.26.1/41026|srv=10.60.26.2/80|su"
			"bj=srv|app=???|lang=none|params=anonymous|raw_sig=1:Date,?Set-Cookie,X-Frame-Opti"
			"ons=[DENY]:Content-Type,Connection,Keep-Alive,Accept-Ranges:",
			NULL,
		},
	},
	[HC_RESPONSE_HEADER_SPLIT_ACROSS_SEGMENTS] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Server: nginx/1.18.0\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Content-Type: text/html\r\n"
		"Connection: keep-alive\r\n"
		"X-Last: 1\r\n"
		"\r\n",
		.resp_cut = { 40 },
		.p0f = {
			"[2023/11/21 20:57:50] mod=http request|cli=10.60.27.1/41027|srv=10.60.27.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			"[2023/11/21 20:57:50] mod=http response|cli=10.60.27.1/41027|srv=10.60.27.2/80|su"
			"bj=srv|app=???|lang=none|params=none|raw_sig=1:Server,Content-Type,Connection=[ke"
			"ep-alive],X-Last=[1]:Keep-Alive,Accept-Ranges,Date:nginx/1.18.0",
			NULL,
		},
	},
	[HC_RESPONSE_SPLIT_AT_LINE_BOUNDARIES] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Server: nginx/1.18.0\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Content-Type: text/html\r\n"
		"Connection: keep-alive\r\n"
		"\r\n",
		.resp_cut = { 17, 39 },
		.p0f = {
			"[2023/11/21 20:58:00] mod=http request|cli=10.60.28.1/41028|srv=10.60.28.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			"[2023/11/21 20:58:00] mod=http response|cli=10.60.28.1/41028|srv=10.60.28.2/80|su"
			"bj=srv|app=???|lang=none|params=anonymous|raw_sig=1:Content-Type,Connection=[keep"
			"-alive]:Keep-Alive,Accept-Ranges,Date:",
			NULL,
		},
	},
	[HC_REQUEST_SPLIT_EVERY_FEW_BYTES] = {
		.req = "GET /a HTTP/1.1\r\n"
		"User-Agent: curl/7.68.0\r\n"
		"Host: example.com\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.req_cut = { 3, 9, 16, 17, 30, 41, 60, 70 },
		.p0f = {
			"[2023/11/21 20:58:10] mod=http request|cli=10.60.29.1/41029|srv=10.60.29.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.68.0",
			NULL,
		},
	},
	[HC_DUPLICATE_USER_AGENT_LAST_WINS] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: first/1\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"User-Agent: curl/7.2\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:58:20] mod=http request|cli=10.60.30.1/41030|srv=10.60.30.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*],User-"
			"Agent:Connection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7"
			".2",
			NULL,
		},
	},
	[HC_TAB_AFTER_COLON_AND_NO_SPACE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host:\ta\r\n"
		"User-Agent:curl/7.3\r\n"
		"Accept:\t\t*/*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:58:30] mod=http request|cli=10.60.31.1/41031|srv=10.60.31.2/80|sub"
			"j=cli|app=???|lang=none|params=none|raw_sig=1:Host,User-Agent,Accept:Connection,A"
			"ccept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.3",
			NULL,
		},
	},
	[HC_LF_ONLY_LINE_ENDS] = {
		.req = "GET / HTTP/1.1\n"
		"User-Agent: curl/7.4\n"
		"Host: a\n"
		"Accept: */*\n"
		"\n",
		.resp = "HTTP/1.1 200 OK\n"
		"Server: nginx/1.2\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\n"
		"Content-Type: text/html\n"
		"Connection: close\n"
		"\n",
		.p0f = {
			"[2023/11/21 20:58:40] mod=http request|cli=10.60.32.1/41032|srv=10.60.32.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.4",
			"[2023/11/21 20:58:40] mod=http response|cli=10.60.32.1/41032|srv=10.60.32.2/80|su"
			"bj=srv|app=nginx 1.x|lang=none|params=none|raw_sig=1:Server,Date,Content-Type,Con"
			"nection=[close]:Keep-Alive,Accept-Ranges:nginx/1.2",
			NULL,
		},
	},
	[HC_THIRTY_TWO_HEADERS] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-H00: 0\r\n"
		"X-H01: 1\r\n"
		"X-H02: 2\r\n"
		"X-H03: 3\r\n"
		"X-H04: 4\r\n"
		"X-H05: 5\r\n"
		"X-H06: 6\r\n"
		"X-H07: 7\r\n"
		"X-H08: 8\r\n"
		"X-H09: 9\r\n"
		"X-H10: 10\r\n"
		"X-H11: 11\r\n"
		"X-H12: 12\r\n"
		"X-H13: 13\r\n"
		"X-H14: 14\r\n"
		"X-H15: 15\r\n"
		"X-H16: 16\r\n"
		"X-H17: 17\r\n"
		"X-H18: 18\r\n"
		"X-H19: 19\r\n"
		"X-H20: 20\r\n"
		"X-H21: 21\r\n"
		"X-H22: 22\r\n"
		"X-H23: 23\r\n"
		"X-H24: 24\r\n"
		"X-H25: 25\r\n"
		"X-H26: 26\r\n"
		"X-H27: 27\r\n"
		"X-H28: 28\r\n"
		"X-H29: 29\r\n"
		"X-H30: 30\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:58:50] mod=http request|cli=10.60.33.1/41033|srv=10.60.33.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,X-H00=[0],X-H01=[1],X-H02"
			"=[2],X-H03=[3],X-H04=[4],X-H05=[5],X-H06=[6],X-H07=[7],X-H08=[8],X-H09=[9],X-H10="
			"[10],X-H11=[11],X-H12=[12],X-H13=[13],X-H14=[14],X-H15=[15],X-H16=[16],X-H17=[17]"
			",X-H18=[18],X-H19=[19],X-H20=[20],X-H21=[21],X-H22=[22],X-H23=[23],X-H24=[24],X-H"
			"25=[25],X-H26=[26],X-H27=[27],X-H28=[28],X-H29=[29],X-H30=[30]:User-Agent,Connect"
			"ion,Accept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_THIRTY_THREE_HEADERS_DROPPED] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-H00: 0\r\n"
		"X-H01: 1\r\n"
		"X-H02: 2\r\n"
		"X-H03: 3\r\n"
		"X-H04: 4\r\n"
		"X-H05: 5\r\n"
		"X-H06: 6\r\n"
		"X-H07: 7\r\n"
		"X-H08: 8\r\n"
		"X-H09: 9\r\n"
		"X-H10: 10\r\n"
		"X-H11: 11\r\n"
		"X-H12: 12\r\n"
		"X-H13: 13\r\n"
		"X-H14: 14\r\n"
		"X-H15: 15\r\n"
		"X-H16: 16\r\n"
		"X-H17: 17\r\n"
		"X-H18: 18\r\n"
		"X-H19: 19\r\n"
		"X-H20: 20\r\n"
		"X-H21: 21\r\n"
		"X-H22: 22\r\n"
		"X-H23: 23\r\n"
		"X-H24: 24\r\n"
		"X-H25: 25\r\n"
		"X-H26: 26\r\n"
		"X-H27: 27\r\n"
		"X-H28: 28\r\n"
		"X-H29: 29\r\n"
		"X-H30: 30\r\n"
		"X-H31: 31\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_UA_WITH_PIPE_AND_COLON] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7|x:y\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:59:10] mod=http request|cli=10.60.35.1/41035|srv=10.60.35.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7|x:y",
			NULL,
		},
	},
	[HC_UA_NON_ASCII_CUT] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7\342\200\224beta\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:59:20] mod=http request|cli=10.60.36.1/41036|srv=10.60.36.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7",
			NULL,
		},
	},
	[HC_APACHE_WITH_OPTIONAL_HEADERS] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Server: Apache\r\n"
		"Set-Cookie: x=1\r\n"
		"Expires: Thu, 19 Nov 1981 08:52:00 GMT\r\n"
		"Cache-Control: no-store\r\n"
		"Pragma: no-cache\r\n"
		"Vary: Accept-Encoding\r\n"
		"Content-Length: 20\r\n"
		"Keep-Alive: timeout=5, max=100\r\n"
		"Connection: Keep-Alive\r\n"
		"Content-Type: text/html; charset=UTF-8\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:59:30] mod=http request|cli=10.60.37.1/41037|srv=10.60.37.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			"[2023/11/21 20:59:30] mod=http response|cli=10.60.37.1/41037|srv=10.60.37.2/80|su"
			"bj=srv|app=Apache 2.x|lang=none|params=none|raw_sig=1:Date,Server,?Set-Cookie,?Ex"
			"pires,?Cache-Control,?Pragma,?Vary,?Content-Length,Keep-Alive=[timeout=5, max=100"
			"],Connection=[Keep-Alive],Content-Type:Accept-Ranges:Apache",
			NULL,
		},
	},
	[HC_RESPONSE_VALUE_OVER_1024] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Server: nginx\r\n"
		"X-Big: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n"
		"Content-Type: text/html\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 20:59:40] mod=http request|cli=10.60.38.1/41038|srv=10.60.38.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_REQUEST_NAME_33_CHARS_DROPPED] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn: v\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_REQUEST_NAME_32_CHARS_KEPT] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-nnnnnnnnnnnnnnnnnnnnnnnnnnnnnn: v\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:00:00] mod=http request|cli=10.60.40.1/41040|srv=10.60.40.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,X-nnnnnnnnnnnnnnnnnnnnnnn"
			"nnnnnnn=[v]:User-Agent,Connection,Accept,Accept-Encoding,Accept-Language,Accept-C"
			"harset,Keep-Alive:",
			NULL,
		},
	},
	[HC_FOLDED_HEADER_LINE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-Fold: one\r\n"
		" two\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_REQUEST_LINE_WITH_CONTROL_CHAR] = {
		.req = "GET /\001 HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_POST_REQUEST_IGNORED] = {
		.req = "POST / HTTP/1.1\r\n"
		"Host: a\r\n"
		"User-Agent: curl/7.68.0\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_HTTP2_VERSION_REJECTED] = {
		.req = "GET / HTTP/2.0\r\n"
		"Host: a\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_OPERA_MINI_XFF_LOWERCASE_SIG] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: Opera/9.80 (J2ME/MIDP; Opera Mini/4.2.14912/35.5706; U; en) Presto/2."
		"8.119 Version/11.10\r\n"
		"Host: m.example.com\r\n"
		"Accept: text/html, application/xml;q=0.9, */*;q=0.1\r\n"
		"Accept-Language: en-US,en;q=0.9\r\n"
		"Accept-Encoding: gzip, deflate\r\n"
		"Connection: Keep-Alive\r\n"
		"X-OperaMini-Phone-UA: Nokia\r\n"
		"X-OperaMini-Features: advanced\r\n"
		"X-OperaMini-Phone: Nokia # 1\r\n"
		"x-forwarded-for: 198.51.100.9\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:00:50] mod=http request|cli=10.60.45.1/41045|srv=10.60.45.2/80|sub"
			"j=cli|app=Opera 10.x|lang=English|params=none|raw_sig=1:User-Agent,Host,Accept=[t"
			"ext/html, application/xml;q=0.9, */*;q=0.1],Accept-Language=[en-US,en;q=0.9],Acce"
			"pt-Encoding=[gzip, deflate],Connection=[Keep-Alive],X-OperaMini-Phone-UA=[Nokia],"
			"X-OperaMini-Features=[advanced],X-OperaMini-Phone=[Nokia # 1],x-forwarded-for=[19"
			"8.51.100.9]:Accept-Charset,Keep-Alive:Opera/9.80 (J2ME/MIDP; Opera Mini/4.2.14912"
			"/35.5706; U; en) Presto/2.8.119 Version/11.10",
			NULL,
		},
	},
	[HC_HEADER_VALUE_1023_BYTES_CRLF_KEPT] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-V: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:01:00] mod=http request|cli=10.60.46.1/41046|srv=10.60.46.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,X-V=[vvvvvvvvvvvvvvvvvvvv"
			"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
			"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
			"vvvvvvvvvvvvvvvvvv]:User-Agent,Connection,Accept,Accept-Encoding,Accept-Language,"
			"Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_HEADER_VALUE_1024_BYTES_CRLF_DROPPED] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-V: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_HEADER_VALUE_1024_BYTES_LF_KEPT] = {
		.req = "GET / HTTP/1.1\n"
		"Host: a\n"
		"X-V: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n"
		"\n",
		.p0f = {
			"[2023/11/21 21:01:20] mod=http request|cli=10.60.48.1/41048|srv=10.60.48.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host,X-V=[vvvvvvvvvvvvvvvvvvvv"
			"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
			"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
			"vvvvvvvvvvvvvvvvvv]:User-Agent,Connection,Accept,Accept-Encoding,Accept-Language,"
			"Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_REQUEST_LINE_NEWLINE_AT_1023_KEPT] = {
		.req = "GET /pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"pppppppppppppppppppppppppppppppppppppppppp HTTP/1.1\n"
		"Host: a\n"
		"\n",
		.p0f = {
			"[2023/11/21 21:01:30] mod=http request|cli=10.60.49.1/41049|srv=10.60.49.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},
	[HC_REQUEST_LINE_NEWLINE_AT_1024_DROPPED] = {
		.req = "GET /pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
		"ppppppppppppppppppppppppppppppppppppppppppp HTTP/1.1\n"
		"Host: a\n"
		"\n",
		.p0f = {
			NULL,
		},
	},
	[HC_REQUEST_LINE_SHORTER_THAN_14_DROPPED] = {
		.req = "GET /x\r\n"
		"Host: a\r\n"
		"X-Pad: padding\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_CONTROL_CHAR_IN_HEADER_VALUE_KEPT] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"X-C: a\001b\r\n"
		"User-Agent: curl/7.5\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:02:00] mod=http request|cli=10.60.52.1/41052|srv=10.60.52.2/80|sub"
			"j=cli|app=???|lang=none|params=none|raw_sig=1:Host,X-C=[a],User-Agent:Connection,"
			"Accept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.5",
			NULL,
		},
	},
	[HC_LOWERCASE_METHOD_IGNORED] = {
		.req = "get / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_PROXY_STYLE_ABSOLUTE_URI_IGNORED] = {
		.req = "GET http://a/ HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.p0f = {
			NULL,
		},
	},
	[HC_UA_OS_FIRST_LIST_ENTRY_WINS_LINUX] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7.6 (Windows; Linux)\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:02:30] mod=http request|cli=10.60.55.1/41055|srv=10.60.55.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.6 (Windows"
			"; Linux)",
			NULL,
		},
	},
	[HC_UA_OS_IPAD_BEFORE_MAC_OS_X] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7.6 (iPad; Mac OS X)\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:02:40] mod=http request|cli=10.60.56.1/41056|srv=10.60.56.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.6 (iPad; M"
			"ac OS X)",
			"[2023/11/21 21:02:40] mod=host change|cli=10.60.56.1/41056|srv=10.60.56.2/80|subj"
			"=cli|reason=ua_vs_os|raw_hits=0,1,1,1",
			NULL,
		},
	},
	[HC_UA_OS_SUNOS_IS_SOLARIS] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: curl/7.6 (SunOS 5.11)\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:02:50] mod=http request|cli=10.60.57.1/41057|srv=10.60.57.2/80|sub"
			"j=cli|app=curl|lang=none|params=none|raw_sig=1:User-Agent,Host,Accept=[*/*]:Conne"
			"ction,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:curl/7.6 (SunOS 5"
			".11)",
			"[2023/11/21 21:02:50] mod=host change|cli=10.60.57.1/41057|srv=10.60.57.2/80|subj"
			"=cli|reason=ua_vs_os|raw_hits=0,1,1,1",
			NULL,
		},
	},
	[HC_UA_OS_NOT_CHECKED_WHEN_DISHONEST] = {
		.req = "GET / HTTP/1.1\r\n"
		"User-Agent: Wget/1.0 (Windows)\r\n"
		"Host: a\r\n"
		"Accept: */*\r\n"
		"\r\n",
		.p0f = {
			"[2023/11/21 21:03:00] mod=http request|cli=10.60.58.1/41058|srv=10.60.58.2/80|sub"
			"j=cli|app=curl|lang=none|params=dishonest|raw_sig=1:User-Agent,Host,Accept=[*/*]:"
			"Connection,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:Wget/1.0 (Wi"
			"ndows)",
			NULL,
		},
	},
	[HC_RESPONSE_SPLIT_INSIDE_STATUS_LINE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Server: nginx/1.18.0\r\n"
		"Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
		"Content-Type: text/html\r\n"
		"\r\n",
		.resp_cut = { 10 },
		.p0f = {
			"[2023/11/21 21:03:10] mod=http request|cli=10.60.59.1/41059|srv=10.60.59.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			"[2023/11/21 21:03:10] mod=http response|cli=10.60.59.1/41059|srv=10.60.59.2/80|su"
			"bj=srv|app=???|lang=none|params=none|raw_sig=1:Server,Date,Content-Type:Connectio"
			"n,Keep-Alive,Accept-Ranges:nginx/1.18.0",
			NULL,
		},
	},
	[HC_RESPONSE_CONTROL_CHAR_IN_SPLIT_LINE] = {
		.req = "GET / HTTP/1.1\r\n"
		"Host: a\r\n"
		"\r\n",
		.resp = "HTTP/1.1 200 OK\r\n"
		"Server: nginx/1.18.0\r\n"
		"X-C: a\001b\r\n"
		"Content-Type: text/html\r\n"
		"\r\n",
		.resp_cut = { 45 },
		.p0f = {
			"[2023/11/21 21:03:20] mod=http request|cli=10.60.60.1/41060|srv=10.60.60.2/80|sub"
			"j=cli|app=???|lang=none|params=anonymous|raw_sig=1:Host:User-Agent,Connection,Acc"
			"ept,Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:",
			NULL,
		},
	},

};

/* The p0f line of one kind ("http request", ...) for case i, or NULL. */
static const char *
p0f_line(unsigned i, const char *mod)
{
	char key[64];

	snprintf(key, sizeof(key), "] mod=%s|", mod);
	for (unsigned k = 0; http_cases[i].p0f[k]; k++)
		if (strstr(http_cases[i].p0f[k], key))
			return http_cases[i].p0f[k];
	return NULL;
}

/* A field of a p0f http line: up to the next '|', raw_sig to the end. */
static const char *
p0f_field(const char *line, const char *key, char *out, size_t len)
{
	char k[32];
	const char *v;

	snprintf(k, sizeof(k), "|%s=", key);
	if (!(v = strstr(line, k)))
		return NULL;
	v += strlen(k);
	size_t n = strcmp(key, "raw_sig") ? strcspn(v, "|") : strlen(v);
	snprintf(out, len, "%.*s", (int)n, v);
	return out;
}

/* Feed one direction of case c in its segments; returns the last event. */
static enum np_http_event
feed_case(const struct http_case *c, bool to_srv)
{
	const char *msg = to_srv ? c->req : c->resp;
	const uint16_t *cut = to_srv ? c->req_cut : c->resp_cut;
	size_t from = 0, n = strlen(msg);
	enum np_http_event got = NP_HTTP_NONE;

	for (unsigned k = 0; from < n; k++) {
		size_t to = k < HC_MAX_CUTS && cut[k] ? cut[k] : n;
		enum np_http_event ev;

		push(to_srv, msg + from, to - from, &ev);
		if (ev != NP_HTTP_NONE)
			got = ev;
		from = to;
	}
	return got;
}

/* What format.c prints for an http record, rebuilt from the API. */
struct api_fields {
	const char *key;	/* "app" or "os" */
	char label[NP_LABEL_MAX];
	char lang[64];
	char params[64];
	char raw_sig[NP_FORMAT_MAX];
};

/* Case i through the collector, observation, matcher and raw_sig; false
 * when that direction never completes. */
static bool
api_fields(unsigned i, bool to_srv, struct api_fields *f)
{
	static struct np_http_obs obs;
	const struct http_case *c = &http_cases[i];
	enum np_dir dir = to_srv ? NP_DIR_REQUEST : NP_DIR_RESPONSE;
	struct np_http_match m;
	const char *l;
	bool generic = false;

	np_http_reset(&g_st);
	if (feed_case(c, REQ) != NP_HTTP_REQUEST)
		return false;
	if (!to_srv && (!c->resp || feed_case(c, RESP) != NP_HTTP_RESPONSE))
		return false;
	np_http_observe(g_db, to_srv, &g_st.done, g_st.buf[to_srv], &obs);
	np_match_http(g_db, dir, &obs, &m);
	f->key = "app";
	snprintf(f->label, sizeof(f->label), "???");
	if (m.sig >= 0) {
		const struct np_label *lb = np_db_label(g_db, g_db->http[dir][m.sig].label);

		f->key = lb->class_id < 0 ? "app" : "os";
		snprintf(f->label, sizeof(f->label), "%s", lb->text);
		generic = lb->generic;
	}
	/* p0f: two letters, then no letter; else "none" */
	l = obs.lang;
	if (l && isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) &&
	    !isalpha((unsigned char)l[2]))
		snprintf(f->lang, sizeof(f->lang), "%s",
			 np_language_name(l) ? np_language_name(l) : "???");
	else
		snprintf(f->lang, sizeof(f->lang), "none");
	snprintf(f->params, sizeof(f->params), "%s%s%s", m.dishonest ? " dishonest" : "",
		 obs.sw ? "" : " anonymous", generic ? " generic" : "");
	if (!f->params[0])
		snprintf(f->params, sizeof(f->params), " none");
	memmove(f->params, f->params + 1, strlen(f->params));
	np_format_http_sig(f->raw_sig, sizeof(f->raw_sig), g_db, to_srv, &obs);
	return true;
}

/* Each field of every p0f http line against the API; a direction p0f did
 * not log must not complete either. */
static void
check_api(const char *field)
{
	unsigned checked = 0;

	for (unsigned i = 0; i < HC_COUNT; i++)
		for (int to_srv = 1; to_srv >= 0; to_srv--) {
			const char *line = p0f_line(i, to_srv ? "http request" : "http response");
			static struct api_fields f;
			char want[NP_FORMAT_MAX];
			const char *got;

			if (!api_fields(i, to_srv, &f)) {
				cr_assert(line == NULL, "case %u (%s): p0f logged %s", i,
					  to_srv ? "request" : "response", line);
				continue;
			}
			cr_assert(line != NULL, "case %u (%s): p0f logged nothing", i,
				  to_srv ? "request" : "response");
			if (!strcmp(field, "app")) {
				cr_assert(p0f_field(line, f.key, want, sizeof(want)) != NULL,
					  "case %u: key %s, p0f: %s", i, f.key, line);
				got = f.label;
			} else {
				cr_assert(p0f_field(line, field, want, sizeof(want)) != NULL);
				got = !strcmp(field, "lang") ? f.lang :
				      !strcmp(field, "params") ? f.params : f.raw_sig;
			}
			cr_assert(strcmp(got, want) == 0, "case %u (%s) %s:\ngot  \"%s\"\nwant \"%s\"",
				  i, to_srv ? "request" : "response", field, got, want);
			checked++;
		}
	cr_assert(eq(u32, checked, 64), "p0f logged 64 http lines for the table");
}

Test(http_api, raw_sig_equals_p0f_for_every_exchange) { check_api("raw_sig"); }
Test(http_api, app_label_and_key_equal_p0f_for_every_exchange) { check_api("app"); }
Test(http_api, lang_equals_p0f_for_every_exchange) { check_api("lang"); }
Test(http_api, params_equal_p0f_for_every_exchange) { check_api("params"); }

/* np_format_http_sig() never writes past its buffer and says how much it
 * wrote: the long-value case cut to every size. */
Test(http_api, raw_sig_truncates_to_the_buffer)
{
	static struct np_http_obs obs;
	char full[NP_FORMAT_MAX], small[NP_FORMAT_MAX + 8];
	size_t n;

	np_http_reset(&g_st);
	cr_assert(eq(int, feed_case(&http_cases[HC_VALUES_LONGER_THAN_200], REQ), NP_HTTP_REQUEST));
	np_http_observe(g_db, REQ, &g_st.done, g_st.buf[1], &obs);
	n = np_format_http_sig(full, sizeof(full), g_db, REQ, &obs);
	cr_assert(eq(sz, n, strlen(full)));
	cr_assert(gt(sz, n, 600));
	for (size_t len = 1; len <= n + 1; len++) {
		memset(small, '#', sizeof(small));
		size_t w = np_format_http_sig(small, len, g_db, REQ, &obs);

		cr_assert(eq(sz, w, len - 1 < n ? len - 1 : n), "len %zu", len);
		cr_assert(eq(int, small[w], 0), "len %zu", len);
		cr_assert(eq(int, small[len], '#'), "len %zu: wrote past the buffer", len);
		cr_assert(eq(int, memcmp(small, full, w), 0), "len %zu", len);
	}
}

/* ---- the same exchanges as frames, through np_track() and hosts ---- */

static struct tf
hc_syn(unsigned i)
{
	struct tf t = tf_syn4();

	tf_addr4(t.src, 10, 60, (uint8_t)i, 1);
	tf_addr4(t.dst, 10, 60, (uint8_t)i, 2);
	t.ttl = 61;
	t.sport = (uint16_t)(41000 + i);
	t.dport = http_cases[i].port ? http_cases[i].port : 80;
	t.seq = 0x10000000u + i;
	return t;
}

/* Linux 3.x: DF, IP ID 0, MSS 1460, window 14600, scale 7. */
static struct tf
hc_synack(const struct tf *syn)
{
	struct tf t = *syn;

	memcpy(t.src, syn->dst, 16);
	memcpy(t.dst, syn->src, 16);
	t.sport = syn->dport;
	t.dport = syn->sport;
	t.seq = 0x20000000u;
	t.ack = syn->seq + 1;
	t.flags = TF_SYN | TF_ACK;
	t.ttl = 64;
	t.ip_id = 0;
	t.win = 14600;
	t.opts.n = 0;
	opt_linux(&t.opts, 1460, 555, 12345, 7);
	return t;
}

static struct tf
hc_ack(const struct tf *syn)
{
	struct tf t = *syn;

	t.flags = TF_ACK;
	t.seq = syn->seq + 1;
	t.ack = 0x20000001u;
	t.opts.n = 0;
	return t;
}

static struct tf
hc_data(const struct tf *hdr_src, uint32_t seq, uint32_t ack, const char *p, size_t n)
{
	struct tf t = *hdr_src;

	t.flags = TF_ACK | TF_PSH;
	t.seq = seq;
	t.ack = ack;
	t.opts.n = 0;
	t.payload = (const uint8_t *)p;
	t.pay_len = (uint16_t)n;
	return t;
}

/* The logger side: lines of the kinds p0f_lines keeps. */
struct printed {
	char lines[HC_MAX_LINES * 2][NP_FORMAT_MAX];
	unsigned n;
};

static void
print_line(void *ctx, const struct np_rec *r, const char *tail)
{
	struct printed *p = ctx;

	switch (r->kind) {
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
	case NP_REC_UPTIME:
		cr_assert(lt(u32, p->n, HC_MAX_LINES * 2));
		np_format_log_line(p->lines[p->n], NP_FORMAT_MAX, r, tail);
		p->lines[p->n][strcspn(p->lines[p->n], "\n")] = 0;
		p->n++;
		break;
	default:
		break;
	}
}

struct pipeline {
	struct np_pipeline p;
	struct printed out;
};

/* One frame as a worker and the logger handle it. */
static void
frame(struct pipeline *pl, const struct tf *t, uint64_t ts_us)
{
	uint8_t b[TF_MAX];
	size_t n = tf_eth(t, b);
	uint64_t parsed = np_pipeline_parsed(&pl->p);

	np_pipeline_frame(&pl->p, b, (uint32_t)n, ts_us);
	cr_assert(eq(u64, np_pipeline_parsed(&pl->p), parsed + 1), "the frame parses");
}

/* The segments of one direction, 1 ms apart from `ms`. */
static void
frames_of(struct pipeline *pl, const struct tf *hdr, uint32_t seq, uint32_t ack, const char *msg,
	  const uint16_t *cut, uint64_t t, unsigned ms)
{
	size_t from = 0, n = strlen(msg);

	for (unsigned k = 0; from < n; k++, ms++) {
		size_t to = k < HC_MAX_CUTS && cut[k] ? cut[k] : n;
		struct tf d = hc_data(hdr, seq + (uint32_t)from, ack, msg + from, to - from);

		frame(pl, &d, t + ms * 1000ull);
		from = to;
	}
}

static void
check_pipeline(unsigned i)
{
	static struct pipeline pl;
	const struct http_case *c = &http_cases[i];
	struct tf s = hc_syn(i), a = hc_synack(&s), k = hc_ack(&s);
	uint64_t t = (HC_T0 + 10ull * i) * 1000000ull;
	uint32_t req_end = s.seq + 1 + (uint32_t)strlen(c->req);
	unsigned want = 0;

	memset(&pl.out, 0, sizeof(pl.out));
	cr_assert(eq(int, np_pipeline_init(&pl.p, g_db, 1, 1000, 30, 10000, 120, print_line,
					   &pl.out), 0));
	frame(&pl, &s, t);
	frame(&pl, &a, t + 1000);
	frame(&pl, &k, t + 2000);
	frames_of(&pl, &s, s.seq + 1, a.seq + 1, c->req, c->req_cut, t, 3);
	if (c->resp)
		frames_of(&pl, &a, a.seq + 1, req_end, c->resp, c->resp_cut, t, 100);
	while (want < HC_MAX_LINES && c->p0f[want])
		want++;
	for (unsigned n = 0; n < pl.out.n && n < want; n++)
		assert_str(pl.out.lines[n], c->p0f[n]);
	cr_assert(eq(u32, pl.out.n, want), "%u lines, p0f logged %u", pl.out.n, want);
	np_pipeline_fini(&pl.p);
}

/* Request lines printed for the client of exchange i. */
static unsigned
requests_from(const struct printed *out, unsigned i)
{
	char cli[64];
	unsigned n = 0;

	snprintf(cli, sizeof(cli), "mod=http request|cli=10.60.%u.1/", i);
	for (unsigned k = 0; k < out->n; k++)
		n += strstr(out->lines[k], cli) != NULL;
	return n;
}

/* Handshake and request of exchange i at time t. */
static void
open_and_request(struct pipeline *pl, unsigned i, uint64_t t)
{
	struct tf s = hc_syn(i), a = hc_synack(&s), k = hc_ack(&s);

	frame(pl, &s, t);
	frame(pl, &a, t + 1000);
	frame(pl, &k, t + 2000);
	frames_of(pl, &s, s.seq + 1, a.seq + 1, http_cases[i].req, http_cases[i].req_cut, t, 3);
}

/*
 * HTTP state comes from a bounded pool: with room for one flow, a second
 * concurrent flow is tracked but its HTTP not followed (and counted); once
 * the first flow ends, its state serves the next one.
 */
Test(p0f_http, http_state_pool_bounds_the_flows_followed)
{
	static struct pipeline pl;
	const unsigned a = HC_CURL_NGINX, b = HC_WGET_LIGHTTPD, c = HC_CHROME_LINUX_NGINX;
	struct tf sa = hc_syn(a), ka = hc_synack(&sa);
	uint64_t t = HC_T0 * 1000000ull;

	memset(&pl.out, 0, sizeof(pl.out));
	cr_assert(eq(int, np_pipeline_init(&pl.p, g_db, 1, 1000, 30, 10000, 120, print_line,
					   &pl.out), 0));
	np_tracker_limit_http(&pl.p.obs, 1);
	open_and_request(&pl, a, t);
	open_and_request(&pl, b, t + 10000);
	cr_assert(eq(u32, requests_from(&pl.out, a), 1), "the first flow is followed");
	cr_assert(eq(u32, requests_from(&pl.out, b), 0), "the second finds the pool empty");
	cr_assert(eq(u64, pl.p.obs.http_no_state, 1));

	/* the response ends flow a; its state goes back to the pool */
	frames_of(&pl, &ka, ka.seq + 1, sa.seq + 1 + (uint32_t)strlen(http_cases[a].req),
		  http_cases[a].resp, http_cases[a].resp_cut, t, 100);
	open_and_request(&pl, c, t + 200000);
	cr_assert(eq(u32, requests_from(&pl.out, c), 1), "a later flow gets the freed state");
	cr_assert(eq(u64, pl.p.obs.http_no_state, 1));
	np_pipeline_fini(&pl.p);
}

Test(p0f_http, firefox_windows_apache) { check_pipeline(HC_FIREFOX_WINDOWS_APACHE); }
Test(p0f_http, chrome_linux_nginx) { check_pipeline(HC_CHROME_LINUX_NGINX); }
Test(p0f_http, msie8_iis) { check_pipeline(HC_MSIE8_IIS); }
Test(p0f_http, curl_nginx) { check_pipeline(HC_CURL_NGINX); }
Test(p0f_http, wget_lighttpd) { check_pipeline(HC_WGET_LIGHTTPD); }
Test(p0f_http, googlebot_gws) { check_pipeline(HC_GOOGLEBOT_GWS); }
Test(p0f_http, safari_macos) { check_pipeline(HC_SAFARI_MACOS); }
Test(p0f_http, baiduspider_zh) { check_pipeline(HC_BAIDUSPIDER_ZH); }
Test(p0f_http, python_urllib) { check_pipeline(HC_PYTHON_URLLIB); }
Test(p0f_http, accept_language_uppercase) { check_pipeline(HC_ACCEPT_LANGUAGE_UPPERCASE); }
Test(p0f_http, accept_language_three_letters) { check_pipeline(HC_ACCEPT_LANGUAGE_THREE_LETTERS); }
Test(p0f_http, accept_language_fil_ph) { check_pipeline(HC_ACCEPT_LANGUAGE_FIL_PH); }
Test(p0f_http, accept_language_unknown_code) { check_pipeline(HC_ACCEPT_LANGUAGE_UNKNOWN_CODE); }
Test(p0f_http, accept_language_japanese_q) { check_pipeline(HC_ACCEPT_LANGUAGE_JAPANESE_Q); }
Test(p0f_http, accept_language_old_hebrew_code_iw) { check_pipeline(HC_ACCEPT_LANGUAGE_OLD_HEBREW_CODE_IW); }
Test(p0f_http, accept_language_star) { check_pipeline(HC_ACCEPT_LANGUAGE_STAR); }
Test(p0f_http, accept_language_leading_spaces) { check_pipeline(HC_ACCEPT_LANGUAGE_LEADING_SPACES); }
Test(p0f_http, via_header) { check_pipeline(HC_VIA_HEADER); }
Test(p0f_http, x_forwarded_for) { check_pipeline(HC_X_FORWARDED_FOR); }
Test(p0f_http, lowercase_header_names) { check_pipeline(HC_LOWERCASE_HEADER_NAMES); }
Test(p0f_http, values_with_bracket_pipe_and_non_ascii) { check_pipeline(HC_VALUES_WITH_BRACKET_PIPE_AND_NON_ASCII); }
Test(p0f_http, values_longer_than_200) { check_pipeline(HC_VALUES_LONGER_THAN_200); }
Test(p0f_http, empty_values) { check_pipeline(HC_EMPTY_VALUES); }
Test(p0f_http, http10_head_msie6) { check_pipeline(HC_HTTP10_HEAD_MSIE6); }
Test(p0f_http, dishonest_firefox_headers_curl_ua) { check_pipeline(HC_DISHONEST_FIREFOX_HEADERS_CURL_UA); }
Test(p0f_http, dishonest_apache_headers_nginx_server) { check_pipeline(HC_DISHONEST_APACHE_HEADERS_NGINX_SERVER); }
Test(p0f_http, anonymous_response_no_server) { check_pipeline(HC_ANONYMOUS_RESPONSE_NO_SERVER); }
Test(p0f_http, response_header_split_across_segments) { check_pipeline(HC_RESPONSE_HEADER_SPLIT_ACROSS_SEGMENTS); }
Test(p0f_http, response_split_at_line_boundaries) { check_pipeline(HC_RESPONSE_SPLIT_AT_LINE_BOUNDARIES); }
Test(p0f_http, request_split_every_few_bytes) { check_pipeline(HC_REQUEST_SPLIT_EVERY_FEW_BYTES); }
Test(p0f_http, duplicate_user_agent_last_wins) { check_pipeline(HC_DUPLICATE_USER_AGENT_LAST_WINS); }
Test(p0f_http, tab_after_colon_and_no_space) { check_pipeline(HC_TAB_AFTER_COLON_AND_NO_SPACE); }
Test(p0f_http, lf_only_line_ends) { check_pipeline(HC_LF_ONLY_LINE_ENDS); }
Test(p0f_http, thirty_two_headers) { check_pipeline(HC_THIRTY_TWO_HEADERS); }
Test(p0f_http, thirty_three_headers_dropped) { check_pipeline(HC_THIRTY_THREE_HEADERS_DROPPED); }
Test(p0f_http, ua_with_pipe_and_colon) { check_pipeline(HC_UA_WITH_PIPE_AND_COLON); }
Test(p0f_http, ua_non_ascii_cut) { check_pipeline(HC_UA_NON_ASCII_CUT); }
Test(p0f_http, apache_with_optional_headers) { check_pipeline(HC_APACHE_WITH_OPTIONAL_HEADERS); }
Test(p0f_http, response_value_over_1024) { check_pipeline(HC_RESPONSE_VALUE_OVER_1024); }
Test(p0f_http, request_name_33_chars_dropped) { check_pipeline(HC_REQUEST_NAME_33_CHARS_DROPPED); }
Test(p0f_http, request_name_32_chars_kept) { check_pipeline(HC_REQUEST_NAME_32_CHARS_KEPT); }
Test(p0f_http, folded_header_line) { check_pipeline(HC_FOLDED_HEADER_LINE); }
Test(p0f_http, request_line_with_control_char) { check_pipeline(HC_REQUEST_LINE_WITH_CONTROL_CHAR); }
Test(p0f_http, post_request_ignored) { check_pipeline(HC_POST_REQUEST_IGNORED); }
Test(p0f_http, http2_version_rejected) { check_pipeline(HC_HTTP2_VERSION_REJECTED); }
Test(p0f_http, opera_mini_xff_lowercase_sig) { check_pipeline(HC_OPERA_MINI_XFF_LOWERCASE_SIG); }
Test(p0f_http, header_value_1023_bytes_crlf_kept) { check_pipeline(HC_HEADER_VALUE_1023_BYTES_CRLF_KEPT); }
Test(p0f_http, header_value_1024_bytes_crlf_dropped) { check_pipeline(HC_HEADER_VALUE_1024_BYTES_CRLF_DROPPED); }
Test(p0f_http, header_value_1024_bytes_lf_kept) { check_pipeline(HC_HEADER_VALUE_1024_BYTES_LF_KEPT); }
Test(p0f_http, request_line_newline_at_1023_kept) { check_pipeline(HC_REQUEST_LINE_NEWLINE_AT_1023_KEPT); }
Test(p0f_http, request_line_newline_at_1024_dropped) { check_pipeline(HC_REQUEST_LINE_NEWLINE_AT_1024_DROPPED); }
Test(p0f_http, request_line_shorter_than_14_dropped) { check_pipeline(HC_REQUEST_LINE_SHORTER_THAN_14_DROPPED); }
Test(p0f_http, control_char_in_header_value_kept) { check_pipeline(HC_CONTROL_CHAR_IN_HEADER_VALUE_KEPT); }
Test(p0f_http, lowercase_method_ignored) { check_pipeline(HC_LOWERCASE_METHOD_IGNORED); }
Test(p0f_http, proxy_style_absolute_uri_ignored) { check_pipeline(HC_PROXY_STYLE_ABSOLUTE_URI_IGNORED); }
Test(p0f_http, ua_os_first_list_entry_wins_linux) { check_pipeline(HC_UA_OS_FIRST_LIST_ENTRY_WINS_LINUX); }
Test(p0f_http, ua_os_ipad_before_mac_os_x) { check_pipeline(HC_UA_OS_IPAD_BEFORE_MAC_OS_X); }
Test(p0f_http, ua_os_sunos_is_solaris) { check_pipeline(HC_UA_OS_SUNOS_IS_SOLARIS); }
Test(p0f_http, ua_os_not_checked_when_dishonest) { check_pipeline(HC_UA_OS_NOT_CHECKED_WHEN_DISHONEST); }
Test(p0f_http, response_split_inside_status_line) { check_pipeline(HC_RESPONSE_SPLIT_INSIDE_STATUS_LINE); }
Test(p0f_http, response_control_char_in_split_line) { check_pipeline(HC_RESPONSE_CONTROL_CHAR_IN_SPLIT_LINE); }

/* ------------------------------------------------------------------ */
/* Languages and ua_os                                                */
/* ------------------------------------------------------------------ */

/*
 * Every two-letter code p0f 3.09b names: a run of p0f on 676 requests,
 * "Accept-Language: aa" .. "zz", logged these and "lang=???" for the rest.
 */
static const struct {
	char code[3];
	const char *name;
} p0f_languages[] = {
	{ "aa", "Afar" }, { "ab", "Abkhazian" }, { "ae", "Avestan" }, { "af", "Afrikaans" },
	{ "ak", "Akan" }, { "am", "Amharic" }, { "an", "Aragonese" }, { "ar", "Arabic" },
	{ "as", "Assamese" }, { "av", "Avaric" }, { "ay", "Aymara" }, { "az", "Azerbaijani" },
	{ "ba", "Bashkir" }, { "be", "Belarusian" }, { "bg", "Bulgarian" }, { "bh", "Bihari" },
	{ "bi", "Bislama" }, { "bm", "Bambara" }, { "bn", "Bengali" }, { "bo", "Tibetan" },
	{ "br", "Breton" }, { "bs", "Bosnian" }, { "ca", "Catalan" }, { "ce", "Chechen" },
	{ "ch", "Chamorro" }, { "co", "Corsican" }, { "cr", "Cree" }, { "cs", "Czech" },
	{ "cu", "Church Slavic" }, { "cv", "Chuvash" }, { "cy", "Welsh" }, { "da", "Danish" },
	{ "de", "German" }, { "dv", "Dhivehi" }, { "dz", "Dzongkha" }, { "ee", "Ewe" },
	{ "el", "Modern Greek" }, { "en", "English" }, { "eo", "Esperanto" }, { "es", "Spanish" },
	{ "et", "Estonian" }, { "eu", "Basque" }, { "fa", "Persian" }, { "ff", "Fulah" },
	{ "fi", "Finnish" }, { "fj", "Fijian" }, { "fo", "Faroese" }, { "fr", "French" },
	{ "fy", "Western Frisian" }, { "ga", "Irish" }, { "gd", "Scottish Gaelic" },
	{ "gl", "Galician" }, { "gn", "Guarani" }, { "gu", "Gujarati" }, { "gv", "Manx" },
	{ "ha", "Hausa" }, { "he", "Hebrew" }, { "hi", "Hindi" }, { "ho", "Hiri Motu" },
	{ "hr", "Croatian" }, { "ht", "Haitian" }, { "hu", "Hungarian" }, { "hy", "Armenian" },
	{ "hz", "Herero" }, { "ia", "Interlingua" }, { "id", "Indonesian" }, { "ie", "Interlingue" },
	{ "ig", "Igbo" }, { "ii", "Sichuan Yi" }, { "ik", "Inupiaq" }, { "io", "Ido" },
	{ "is", "Icelandic" }, { "it", "Italian" }, { "iu", "Inuktitut" }, { "ja", "Japanese" },
	{ "jv", "Javanese" }, { "ka", "Georgian" }, { "kg", "Kongo" }, { "ki", "Kikuyu" },
	{ "kj", "Kuanyama" }, { "kk", "Kazakh" }, { "kl", "Kalaallisut" }, { "km", "Central Khmer" },
	{ "kn", "Kannada" }, { "ko", "Korean" }, { "kr", "Kanuri" }, { "ks", "Kashmiri" },
	{ "ku", "Kurdish" }, { "kv", "Komi" }, { "kw", "Cornish" }, { "ky", "Kirghiz" },
	{ "la", "Latin" }, { "lb", "Luxembourgish" }, { "lg", "Ganda" }, { "li", "Limburgan" },
	{ "ln", "Lingala" }, { "lo", "Lao" }, { "lt", "Lithuanian" }, { "lu", "Luba-Katanga" },
	{ "lv", "Latvian" }, { "mg", "Malagasy" }, { "mh", "Marshallese" }, { "mi", "Maori" },
	{ "mk", "Macedonian" }, { "ml", "Malayalam" }, { "mn", "Mongolian" }, { "mr", "Marathi" },
	{ "ms", "Malay" }, { "mt", "Maltese" }, { "my", "Burmese" }, { "na", "Nauru" },
	{ "nb", "Norwegian Bokmal" }, { "nd", "North Ndebele" }, { "ne", "Nepali" },
	{ "ng", "Ndonga" }, { "nl", "Dutch" }, { "nn", "Norwegian Nynorsk" }, { "no", "Norwegian" },
	{ "nr", "South Ndebele" }, { "nv", "Navajo" }, { "ny", "Nyanja" }, { "oc", "Occitan" },
	{ "oj", "Ojibwa" }, { "om", "Oromo" }, { "or", "Oriya" }, { "os", "Ossetian" },
	{ "pa", "Panjabi" }, { "pi", "Pali" }, { "pl", "Polish" }, { "ps", "Pushto" },
	{ "pt", "Portuguese" }, { "qu", "Quechua" }, { "rm", "Romansh" }, { "rn", "Rundi" },
	{ "ro", "Romanian" }, { "ru", "Russian" }, { "rw", "Kinyarwanda" }, { "sa", "Sanskrit" },
	{ "sc", "Sardinian" }, { "sd", "Sindhi" }, { "se", "Northern Sami" }, { "sg", "Sango" },
	{ "sh", "Serbo-Croatian" }, { "si", "Sinhala" }, { "sk", "Slovak" }, { "sl", "Slovenian" },
	{ "sm", "Samoan" }, { "sn", "Shona" }, { "so", "Somali" }, { "sq", "Albanian" },
	{ "sr", "Serbian" }, { "ss", "Swati" }, { "st", "Southern Sotho" }, { "su", "Sundanese" },
	{ "sv", "Swedish" }, { "sw", "Swahili" }, { "ta", "Tamil" }, { "te", "Telugu" },
	{ "tg", "Tajik" }, { "th", "Thai" }, { "ti", "Tigrinya" }, { "tk", "Turkmen" },
	{ "tl", "Tagalog" }, { "tn", "Tswana" }, { "to", "Tonga" }, { "tr", "Turkish" },
	{ "ts", "Tsonga" }, { "tt", "Tatar" }, { "tw", "Twi" }, { "ty", "Tahitian" },
	{ "ug", "Uighur" }, { "uk", "Ukrainian" }, { "ur", "Urdu" }, { "uz", "Uzbek" },
	{ "ve", "Venda" }, { "vi", "Vietnamese" }, { "vo", "Volapuk" }, { "wa", "Walloon" },
	{ "wo", "Wolof" }, { "xh", "Xhosa" }, { "yi", "Yiddish" }, { "yo", "Yoruba" },
	{ "za", "Zhuang" }, { "zh", "Chinese" }, { "zu", "Zulu" },
};

Test(http_tables, language_names_are_exactly_p0fs_for_all_676_codes)
{
	unsigned known = 0, next = 0;

	for (char a = 'a'; a <= 'z'; a++)
		for (char b = 'a'; b <= 'z'; b++) {
			const char code[3] = { a, b, 0 };
			const char *got = np_language_name(code);

			if (next < sizeof(p0f_languages) / sizeof(p0f_languages[0]) &&
			    !strcmp(p0f_languages[next].code, code)) {
				assert_str(got, p0f_languages[next].name);
				next++;
				known++;
			} else {
				cr_assert(got == NULL, "%s: p0f knows no \"%s\"", code, got);
			}
		}
	cr_assert(eq(u32, known, 185));
}

/* The lookup reads two characters: what follows is the caller's business
 * (format.c checks "no third letter"), and case matters. */
Test(http_tables, language_lookup_is_two_lowercase_letters)
{
	assert_str(np_language_name("en-US,en;q=0.5"), "English");
	assert_str(np_language_name("eng"), "English");
	cr_assert(np_language_name("EN") == NULL, "p0f prints lang=??? for EN");
	cr_assert(np_language_name("En") == NULL);
	cr_assert(np_language_name("eN") == NULL);
	cr_assert(np_language_name("e") == NULL);
	cr_assert(np_language_name("") == NULL);
	cr_assert(np_language_name(" e") == NULL);
	cr_assert(np_language_name("iw") == NULL, "p0f has no iw (old Hebrew)");
	assert_str(np_language_name("he"), "Hebrew");
	assert_str(np_language_name("aa"), "Afar");	/* first of the table */
	assert_str(np_language_name("zu"), "Zulu");	/* last */
}

static const char *
ua_os_name(const char *ua)
{
	int32_t id = np_match_ua_os(g_db, ua);

	return id < 0 ? NULL : g_db->names[id];
}

/*
 * p0f.fp: ua_os = Linux,Windows,iOS=[iPad],iOS=[iPhone],Mac OS X,FreeBSD,
 * OpenBSD,NetBSD,Solaris=[SunOS]. The first entry in that order found
 * anywhere in the string wins, case-sensitively. p0f agreed on
 * HC_UA_OS_FIRST_LIST_ENTRY_WINS_LINUX (no ua_vs_os on a Linux host),
 * HC_UA_OS_IPAD_BEFORE_MAC_OS_X and HC_UA_OS_SUNOS_IS_SOLARIS (ua_vs_os).
 */
Test(http_tables, ua_os_first_database_entry_found_wins)
{
	static const char *const table[][2] = {
		{ "Mozilla/5.0 (X11; Linux x86_64)", "Linux" },
		{ "Mozilla/5.0 (Linux; Android 13)", "Linux" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Windows" },
		{ "curl/7 (Windows; Linux)", "Linux" },
		{ "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "iOS" },
		{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", "iOS" },
		{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)", "Mac OS X" },
		{ "Mozilla/5.0 (X11; FreeBSD amd64)", "FreeBSD" },
		{ "Mozilla/5.0 (X11; OpenBSD amd64)", "OpenBSD" },
		{ "NetBSD-ftp/20230101", "NetBSD" },
		{ "Mozilla/5.0 (X11; SunOS i86pc)", "Solaris" },
		{ "Mozilla/5.0 (X11; Solaris)", NULL },
		{ "Mozilla/5.0 (X11; linux x86_64)", NULL },
		{ "Mozilla/5.0 (X11; LINUX)", NULL },
		{ "Mozilla/5.0 (Macintosh; Intel Mac OS X)", "Mac OS X" },
		{ "Mozilla/5.0 (Macintosh; Intel MacOS X)", NULL },
		{ "Wget/1.21", NULL },
		{ "", NULL },
	};

	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *got = ua_os_name(table[i][0]);

		if (table[i][1])
			assert_str(got, table[i][1]);
		else
			cr_assert(got == NULL, "\"%s\" -> %s", table[i][0], got);
	}
}
