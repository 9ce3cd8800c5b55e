/* SPDX-License-Identifier: MIT */
/*
 * HTTP signatures (p0f fp_http.c http_register_sig / http_find_match).
 * p0f prefilters with a seeded Bloom filter of the mandatory header ids;
 * here the same condition is tested exactly: every mandatory header of the
 * reference is among the observation's non-optional headers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "http_sig.h"

static const char *const fixed[] = {
	"User-Agent", "Server", "Accept-Language", "Via", "X-Forwarded-For", "Date", NULL,
};
static const char *const req_optional[] = {
	"Cookie", "Referer", "Origin", "Range", "If-Modified-Since", "If-None-Match", "Via",
	"X-Forwarded-For", "Authorization", "Proxy-Authorization", "Cache-Control", NULL,
};
static const char *const resp_optional[] = {
	"Set-Cookie", "Last-Modified", "ETag", "Content-Length", "Content-Disposition",
	"Cache-Control", "Expires", "Pragma", "Location", "Refresh", "Content-Range", "Vary", NULL,
};
static const char *const req_skipval[] = { "Host", "User-Agent", NULL };
static const char *const resp_skipval[] = { "Date", "Content-Type", "Server", NULL };
static const char *const req_common[] = {
	"Host", "User-Agent", "Connection", "Accept", "Accept-Encoding", "Accept-Language",
	"Accept-Charset", "Keep-Alive", NULL,
};
static const char *const resp_common[] = {
	"Content-Type", "Connection", "Keep-Alive", "Accept-Ranges", "Date", NULL,
};

const char *const *const np_http_lists[NP_HTTP_LIST_COUNT][2] = {
	[NP_HTTP_LIST_FIXED] = { fixed, fixed },
	[NP_HTTP_LIST_OPTIONAL] = { resp_optional, req_optional },
	[NP_HTTP_LIST_SKIPVAL] = { resp_skipval, req_skipval },
	[NP_HTTP_LIST_COMMON] = { resp_common, req_common },
};

static uint32_t
hdr_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

uint32_t
np_http_hdr_lookup(const struct np_db *db, const char *name, size_t len)
{
	for (uint32_t i = hdr_hash(name, len) & db->hdr_mask;; i = (i + 1) & db->hdr_mask) {
		uint32_t id = db->hdr_slots[i];

		if (id == UINT32_MAX)
			return NP_HTTP_UNKNOWN_HDR;
		if (!strncmp(name, db->hdr_names[id], len) && !db->hdr_names[id][len])
			return id;
	}
}

int
np_http_hdr_index_build(struct np_db *db)
{
	uint32_t size = 64;

	while (size < db->n_hdr_names * 2)
		size <<= 1;
	db->hdr_slots = np_db_alloc(db, size * sizeof(*db->hdr_slots));
	db->hdr_lists = np_db_alloc(db, db->n_hdr_names + 1);
	if (!db->hdr_slots || !db->hdr_lists)
		return -ENOMEM;
	memset(db->hdr_slots, 0xff, size * sizeof(*db->hdr_slots));
	db->hdr_mask = size - 1;
	for (uint32_t id = 0; id < db->n_hdr_names; id++) {
		uint32_t i = hdr_hash(db->hdr_names[id], strlen(db->hdr_names[id])) & db->hdr_mask;

		while (db->hdr_slots[i] != UINT32_MAX)
			i = (i + 1) & db->hdr_mask;
		db->hdr_slots[i] = id;
	}
	for (int l = 0; l < NP_HTTP_LIST_COUNT; l++)
		for (int dir = 0; dir < 2; dir++)
			for (const char *const *n = np_http_lists[l][dir]; *n; n++) {
				uint32_t id = np_http_hdr_lookup(db, *n, strlen(*n));

				if (id != NP_HTTP_UNKNOWN_HDR)	/* always: the loader registers them */
					db->hdr_lists[id] |= (uint8_t)(1u << (l * 2 + dir));
			}
	/* p0f's Bloom prefilter, exact as a necessary condition */
	for (int dir = 0; dir < 2; dir++)
		for (uint32_t i = 0; i < db->n_http[dir]; i++) {
			struct np_http_sig *s = &db->http[dir][i];

			s->need = 0;
			for (unsigned h = 0; h < s->hdr_cnt; h++)
				if (!s->hdr[h].optional)
					s->need |= 1ull << (s->hdr[h].id % 64);
		}
	return 0;
}

static bool
has_mandatory_hdr(const struct np_http_sig *s, uint32_t id)
{
	for (unsigned i = 0; i < s->hdr_cnt; i++)
		if (s->hdr[i].id == id && !s->hdr[i].optional)
			return true;
	return false;
}

bool
np_http_sig_matches(const struct np_http_sig *rs, const struct np_http_sig *ts, bool dupe_det)
{
	unsigned ts_hdr = 0, rs_hdr = 0;

	if (rs->http_ver != -1 && rs->http_ver != ts->http_ver)
		return false;

	for (unsigned i = 0; i < rs->hdr_cnt; i++)
		if (!rs->hdr[i].optional && !has_mandatory_hdr(ts, rs->hdr[i].id))
			return false;

	/* Reference headers must appear in order; "?H" may be absent, but then
	 * must not appear anywhere. */
	while (rs_hdr < rs->hdr_cnt) {
		unsigned orig_ts = ts_hdr;

		while (ts_hdr < ts->hdr_cnt && rs->hdr[rs_hdr].id != ts->hdr[ts_hdr].id)
			ts_hdr++;
		if (ts_hdr == ts->hdr_cnt) {
			if (!rs->hdr[rs_hdr].optional)
				return false;
			for (unsigned i = 0; i < ts->hdr_cnt; i++)
				if (rs->hdr[rs_hdr].id == ts->hdr[i].id)
					return false;
			ts_hdr = orig_ts;
			rs_hdr++;
			continue;
		}
		if (rs->hdr[rs_hdr].value &&
		    (!ts->hdr[ts_hdr].value || !strstr(ts->hdr[ts_hdr].value, rs->hdr[rs_hdr].value)))
			return false;
		ts_hdr++;
		rs_hdr++;
	}

	for (unsigned i = 0; i < rs->miss_cnt; i++)
		if (has_mandatory_hdr(ts, rs->miss[i]))
			return false;

	/* A signature with more absent headers may precede one with fewer. */
	if (dupe_det) {
		if (rs->miss_cnt > ts->miss_cnt)
			return false;
		for (unsigned i = 0; i < rs->miss_cnt; i++) {
			unsigned j;

			for (j = 0; j < ts->miss_cnt; j++)
				if (rs->miss[i] == ts->miss[j])
					break;
			if (j == ts->miss_cnt)
				return false;
		}
	}
	return true;
}

static bool
is_hdr_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

const char *
np_http_sig_parse(const char *val, struct np_http_sig *s, np_hdr_id_fn hdr_id, np_strdup_fn dup,
		  void *ctx)
{
	const char *nxt;

	memset(s, 0, sizeof(*s));
	if (!val[0] || val[1] != ':')
		return "malformed signature";
	switch (*val) {
	case '0': s->http_ver = 0; break;
	case '1': s->http_ver = 1; break;
	case '*': s->http_ver = -1; break;
	default: return "bad HTTP version";
	}
	val += 2;

	while (*val != ':') {
		struct np_http_hdr *h = &s->hdr[s->hdr_cnt];

		if (s->hdr_cnt >= NP_HTTP_MAX_HDRS)
			return "too many headers listed";
		if (*val == '?') {
			h->optional = true;
			val++;
		}
		for (nxt = val; is_hdr_char(*nxt); nxt++)
			;
		if (nxt == val)
			return "malformed header name";
		if ((h->id = hdr_id(ctx, val, (size_t)(nxt - val))) == UINT32_MAX)
			return "out of memory";
		val = nxt;
		if (*val == '=') {
			if (val[1] != '[')
				return "missing '[' after '='";
			val += 2;
			for (nxt = val; *nxt && *nxt != ']'; nxt++)
				;
			if (nxt == val || !*nxt)
				return "malformed header value";
			if (!(h->value = dup(ctx, val, (size_t)(nxt - val))))
				return "out of memory";
			val = nxt + 1;
		}
		s->hdr_cnt++;
		if (*val == ',')
			val++;
		else if (*val != ':')
			return "malformed signature";
	}
	val++;

	while (*val != ':') {
		if (s->miss_cnt >= NP_HTTP_MAX_HDRS)
			return "too many headers listed";
		for (nxt = val; is_hdr_char(*nxt); nxt++)
			;
		if (nxt == val)
			return "malformed header name";
		if ((s->miss[s->miss_cnt++] = hdr_id(ctx, val, (size_t)(nxt - val))) == UINT32_MAX)
			return "out of memory";
		val = nxt;
		if (*val == ',')
			val++;
		else if (*val != ':')
			return "malformed signature";
	}
	val++;

	if (*val) {
		if (strchr(val, ':'))
			return "malformed software string";
		if (!(s->sw = dup(ctx, val, strlen(val))))
			return "out of memory";
	}
	return NULL;
}
