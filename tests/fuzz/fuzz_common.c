/* SPDX-License-Identifier: MIT */
/*
 * The record formatting and output checks the pipeline and database
 * targets share (fuzz_common.h). It does what engine/logger.c does for a
 * record (TLS forms made once, fields made once for the block and the log
 * line, then JSON), then the one-shot forms the library also offers, whose
 * text must be the same bytes.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <sanitizer/common_interface_defs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "format.h"
#include "fuzz_common.h"
#include "json_out.h"
#include "lib.h"

uint64_t np_fuzz_records[NP_REC_KIND_COUNT];
uint32_t np_fuzz_tls_bufs = 2;

struct np_tls_track;
int __real_np_tls_track_init(struct np_tls_track *t, uint32_t max_conn, uint32_t n_bufs,
			     uint32_t conn_max_age);
int __wrap_np_tls_track_init(struct np_tls_track *t, uint32_t max_conn, uint32_t n_bufs,
			     uint32_t conn_max_age);

/* The link-time seam of fuzz_common.h: tracker.c's call lands here. */
int
__wrap_np_tls_track_init(struct np_tls_track *t, uint32_t max_conn, uint32_t n_bufs,
			 uint32_t conn_max_age)
{
	(void)n_bufs;
	return __real_np_tls_track_init(t, max_conn, np_fuzz_tls_bufs, conn_max_age);
}

void
np_fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	static char msg[8192];
	va_list ap;
	int n = snprintf(msg, sizeof(msg), "netprint fuzz check failed at %s:%d: %s: ", file, line,
			 cond);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(msg))
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	__sanitizer_report_error_summary(msg);
	abort();
}

void
np_fuzz_report_records(const char *what)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("NP_FUZZ_VERBOSE") != NULL;
	if (verbose) {
		fprintf(stderr, "%s:", what);
		for (unsigned k = 0; k < NP_REC_KIND_COUNT; k++)
			if (np_fuzz_records[k])
				fprintf(stderr, " %s=%llu", np_rec_kind_names[k],
					(unsigned long long)np_fuzz_records[k]);
		fputc('\n', stderr);
	}
	memset(np_fuzz_records, 0, sizeof(np_fuzz_records));
}

void
np_fuzz_setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	json_object_seed(0x6e70);
}

struct np_db *
np_fuzz_bundled_db(void)
{
	const char *paths[] = { NP_FUZZ_FP, NP_FUZZ_TLS_FP };
	char err[NP_DB_ERR_MAX];
	struct np_db *db = np_db_load_files(paths, 2, err, sizeof(err));

	NP_FUZZ_CHECK(db != NULL, "bundled databases: %s", err);
	return db;
}

/* Kept between records, as the logger keeps its own. */
static struct np_tls_out g_tls;
static struct np_held g_held;
static struct np_fields g_fields;
static char *g_text, *g_again;

static void
check_text(const char *what, const char *buf, size_t n, const struct np_rec *r)
{
	NP_FUZZ_CHECK(n + 1 < NP_RECORD_TEXT_MAX, "%s of a %s record cut short at %zu bytes", what,
		      np_rec_kind_names[r->kind], n);
	NP_FUZZ_CHECK(strlen(buf) == n, "%s of a %s record holds a NUL byte", what,
		      np_rec_kind_names[r->kind]);
}

static void
check_json(const char *buf, size_t n, const struct np_rec *r)
{
	json_error_t err;
	json_t *o;
	const char *mod;

	if (!n)
		return;		/* does not fit or cannot be encoded: counted by the logger */
	NP_FUZZ_CHECK(n < NP_RECORD_TEXT_MAX && buf[n - 1] == '\n', "JSON line not ended");
	NP_FUZZ_CHECK(memchr(buf, '\n', n - 1) == NULL, "JSON line holds a newline: %.*s", (int)n,
		      buf);
	o = json_loadb(buf, n - 1, JSON_ALLOW_NUL, &err);	/* "\u0000" is valid JSON */
	NP_FUZZ_CHECK(o != NULL, "invalid JSON (%s at %d): %.*s", err.text, err.position, (int)n,
		      buf);
	NP_FUZZ_CHECK(json_is_object(o), "JSON line is not an object");
	mod = json_string_value(json_object_get(o, "mod"));
	NP_FUZZ_CHECK(mod && !strcmp(mod, np_rec_kind_names[r->kind]), "JSON mod %s for a %s record",
		      mod ? mod : "(none)", np_rec_kind_names[r->kind]);
	json_decref(o);
}

#define SEEN_MAX 16

static struct {
	uint8_t addr[16];
	uint8_t ip_ver;
} g_seen[SEEN_MAX];
static unsigned g_n_seen;

static void
seen(const uint8_t *addr, uint8_t ip_ver)
{
	unsigned alen = ip_ver == 4 ? 4 : 16;

	if (ip_ver != 4 && ip_ver != 6)
		return;
	for (unsigned i = 0; i < g_n_seen; i++)
		if (g_seen[i].ip_ver == ip_ver && !memcmp(g_seen[i].addr, addr, alen))
			return;
	if (g_n_seen < SEEN_MAX) {
		memset(g_seen[g_n_seen].addr, 0, 16);
		memcpy(g_seen[g_n_seen].addr, addr, alen);
		g_seen[g_n_seen++].ip_ver = ip_ver;
	}
}

void
np_fuzz_query_seen(const struct np_hosts *hs)
{
	for (unsigned i = 0; hs && i < g_n_seen; i++)
		np_fuzz_query_api(hs, g_seen[i].addr, g_seen[i].ip_ver);
	g_n_seen = 0;
}

void
np_fuzz_format_record(const struct np_rec *r, const char *tail)
{
	size_t n, m;

	seen(r->cli, r->ip_ver);
	seen(r->srv, r->ip_ver);

	NP_FUZZ_CHECK(r->kind < NP_REC_KIND_COUNT, "record kind %u", r->kind);
	if (!g_text) {
		g_text = malloc(NP_RECORD_TEXT_MAX);
		g_again = malloc(NP_RECORD_TEXT_MAX);
		NP_FUZZ_CHECK(g_text && g_again, "out of memory");
	}
	np_fuzz_records[r->kind]++;

	/* engine/logger.c's write_record() */
	if (r->kind == NP_REC_TLS_CLIENT || r->kind == NP_REC_TLS_SERVER)
		np_tls_out_fill(&g_tls, r, tail);
	np_format_fields(&g_fields, r, tail, &g_tls);

	n = np_format_block_fields(g_text, NP_RECORD_TEXT_MAX, r, &g_fields);
	check_text("block", g_text, n, r);
	NP_FUZZ_CHECK(n >= 7 && !memcmp(g_text + n - 7, "`----\n\n", 7), "block not ended: %s",
		      g_text);
	m = np_format_block(g_again, NP_RECORD_TEXT_MAX, r, tail);
	NP_FUZZ_CHECK(m == n && !memcmp(g_text, g_again, n),
		      "np_format_block() differs from the logger's block:\n%s\n%s", g_again,
		      g_text);

	n = np_format_log_line_fields(g_text, NP_RECORD_TEXT_MAX, r, &g_fields);
	check_text("log line", g_text, n, r);
	NP_FUZZ_CHECK(n >= 2 && g_text[0] == '[' && g_text[n - 1] == '\n', "log line: %s", g_text);
	m = np_format_log_line(g_again, NP_RECORD_TEXT_MAX, r, tail);
	NP_FUZZ_CHECK(m == n && !memcmp(g_text, g_again, n),
		      "np_format_log_line() differs from the logger's line:\n%s\n%s", g_again,
		      g_text);

	n = np_json_record(g_text, NP_RECORD_TEXT_MAX, r, tail, &g_tls);
	check_json(g_text, n, r);
	m = np_fuzz_json_reference(g_again, NP_RECORD_TEXT_MAX, r, tail, &g_tls);
	NP_FUZZ_CHECK(m == n && !memcmp(g_text, g_again, n),
		      "np_json_record() differs from jansson's dump of the same object:\n%.*s\n%.*s",
		      (int)n, g_text, (int)m, g_again);

	/* libnetprint's view of it, and its text through the view */
	if (!g_held.strings)
		NP_FUZZ_CHECK((g_held.strings = malloc(NP_HELD_STRINGS)), "out of memory");
	NP_FUZZ_CHECK(np_held_fill(&g_held, r, tail) == NP_OK, "no view of a %s record",
		      np_rec_kind_names[r->kind]);
	const struct np_record *v = &g_held.view;

	NP_FUZZ_CHECK(!strcmp(v->kind_name, np_rec_kind_names[r->kind]), "view kind %s",
		      v->kind_name);
	NP_FUZZ_CHECK(strlen(v->client.text) && strlen(v->server.text), "view addresses");
	if (v->match.quality != NP_MATCH_NONE)
		NP_FUZZ_CHECK(strlen(v->match.text) >= strlen(v->match.name) + strlen(v->match.flavor),
			      "view label %s / %s / %s", v->match.text, v->match.name, v->match.flavor);
	for (int how = NP_FORMAT_BLOCK; how <= NP_FORMAT_JSON; how++) {
		int k = np_record_format(v, (enum np_format)how, g_again, NP_RECORD_TEXT_MAX);
		size_t want = how == NP_FORMAT_BLOCK ? np_format_block(g_text, NP_RECORD_TEXT_MAX, r, tail) :
			      how == NP_FORMAT_LOG ? np_format_log_line(g_text, NP_RECORD_TEXT_MAX, r, tail) :
			      np_json_record(g_text, NP_RECORD_TEXT_MAX, r, tail, &g_tls);

		if (how == NP_FORMAT_JSON && !want)
			continue;	/* what the logger cannot encode, counted there */
		NP_FUZZ_CHECK(k > 0 && (size_t)k == want && !memcmp(g_again, g_text, want),
			      "np_record_format(%d) differs from the program's text (%d, %zu)", how, k,
			      want);
	}
	np_held_clear(&g_held);
}

const char *
np_fuzz_check_api_json(const char *answer, size_t n)
{
	static const char *const keys[] = {
		"addr", "first_seen", "last_seen", "total_conn", "uptime_min", "uptime_modulo_days",
		"last_nat", "last_chg", "distance", "bad_sw", "os", "http", "link", "language", "tls",
	};
	static char status[32];
	json_error_t err;
	json_t *o;

	NP_FUZZ_CHECK(n >= 2 && answer[n - 1] == '\n', "API answer of %zu bytes not ended", n);
	o = json_loadb(answer, n - 1, JSON_ALLOW_NUL, &err);
	NP_FUZZ_CHECK(o && json_is_object(o) && json_is_string(json_object_get(o, "status")),
		      "API answer is not a JSON object with a status: %.*s", (int)n, answer);
	snprintf(status, sizeof(status), "%s", json_string_value(json_object_get(o, "status")));
	/* every documented key, null when unknown (a name that is not UTF-8 once
	 * cut to 32 bytes used to drop "os": regression/fuzz_db, fuzz_api) */
	if (!strcmp(status, "ok") && json_object_get(o, "addr"))
		for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			NP_FUZZ_CHECK(json_object_get(o, keys[i]) != NULL,
				      "API answer without \"%s\": %.*s", keys[i], (int)n, answer);
	json_decref(o);
	return status;
}

void
np_fuzz_query_api(const struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver)
{
	uint8_t q[NP_API_QUERY_LEN] = { 0 }, resp[NP_API_RESP_LEN];
	uint32_t magic = NP_API_QUERY_MAGIC, status;
	bool known = np_hosts_lookup(hs, addr, ip_ver) != NULL;
	char text[INET6_ADDRSTRLEN], line[80], answer[4096];

	memcpy(q, &magic, 4);
	q[4] = ip_ver;
	memcpy(q + 5, addr, ip_ver == 4 ? 4 : 16);
	np_api_answer(hs, q, resp);
	memcpy(&status, resp + 4, 4);
	NP_FUZZ_CHECK(status == (known ? NP_API_STATUS_OK : NP_API_STATUS_NOMATCH),
		      "binary API status %u for a host %s", status, known ? "known" : "unknown");

	inet_ntop(ip_ver == 4 ? AF_INET : AF_INET6, addr, text, sizeof(text));
	int len = snprintf(line, sizeof(line), "{\"addr\":\"%s\"}", text);
	size_t n = np_api_answer_json(hs, line, (size_t)len, answer, sizeof(answer), NULL);
	const char *st = np_fuzz_check_api_json(answer, n);

	if (known || np_hosts_lookup_tls(hs, addr, ip_ver))
		NP_FUZZ_CHECK(!strcmp(st, "ok"), "JSON API says %s for a known host: %.*s", st,
			      (int)n, answer);
}

void
np_fuzz_emit_nothing(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx, (void)r, (void)tail;
}
