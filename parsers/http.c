/* SPDX-License-Identifier: MIT */
/*
 * p0f 3.09b's HTTP collection, step for step, quirks included: a response
 * whose headers arrive over several segments has its first-line check run
 * again from where parsing stopped; a header value over 1024 bytes marks the
 * flow as not HTTP yet keeps it for one more segment.
 */
#include <ctype.h>
#include <string.h>

#include "http.h"

#define REQ 1
#define RESP 0

void
np_http_reset(struct np_http_state *st)
{
	st->in_http = 0;
	st->req_done = 0;
	st->pos = 0;
	st->len[0] = st->len[1] = 0;
	st->buf[0][0] = st->buf[1][0] = 0;
	st->tmp.hdr_cnt = 0;
	st->tmp.http_ver = 0;
}

void
np_http_append(struct np_http_state *st, bool to_srv, const uint8_t *data, uint32_t len)
{
	uint32_t *have = &st->len[to_srv];
	uint32_t room = NP_HTTP_MAX_DATA - *have;

	if (!len || !room)
		return;
	if (len > room)
		len = room;
	memcpy(st->buf[to_srv] + *have, data, len);
	*have += len;
	st->buf[to_srv][*have] = 0;
}

/* Outcome of a step: keep the flow (1), or drop it (0). */
enum { DROP = 0, KEEP = 1 };

/* p0f parse_pairs(). */
static int
parse_pairs(struct np_http_state *st, int dir, bool can_get_more, enum np_http_event *ev)
{
	const uint8_t *pay = st->buf[dir];
	uint32_t plen = st->len[dir];
	uint32_t off;

	while ((off = st->pos) < plen) {
		struct np_http_msg *m = &st->tmp;

		/* An empty line ends the headers. */
		if (pay[off] == '\r' || pay[off] == '\n') {
			st->done = st->tmp;
			if (dir == REQ) {
				*ev = NP_HTTP_REQUEST;
				st->req_done = 1;
				st->pos = 0;
				memset(&st->tmp, 0, sizeof(st->tmp));
				return KEEP;
			}
			*ev = NP_HTTP_RESPONSE;
			st->in_http = -1;
			return DROP;
		}
		if (m->hdr_cnt >= NP_HTTP_MAX_HDRS) {
			st->in_http = -1;
			return DROP;
		}

		uint32_t nlen = 0;
		while ((isalnum(pay[off]) || pay[off] == '-' || pay[off] == '_') && off < plen &&
		       nlen <= NP_HTTP_MAX_HDR_NAME) {
			off++;
			nlen++;
		}
		if (off == plen) {
			if (!can_get_more)
				st->in_http = -1;
			return can_get_more ? KEEP : DROP;
		}
		if (!nlen || pay[off] != ':' || nlen > NP_HTTP_MAX_HDR_NAME) {
			st->in_http = -1;
			return DROP;
		}

		off++;
		if (off < plen && isblank(pay[off]))
			off++;
		uint32_t vstart = off, vlen = 0;
		while (off < plen && vlen <= NP_HTTP_MAX_HDR_VAL && pay[off] != '\n') {
			off++;
			vlen++;
		}
		if (vlen > NP_HTTP_MAX_HDR_VAL) {
			/* p0f returns -1 from a u8 function here: "keep going" */
			st->in_http = -1;
			return KEEP;
		}
		if (off == plen) {
			if (!can_get_more)
				st->in_http = -1;
			return can_get_more ? KEEP : DROP;
		}
		if (pay[off - 1] == '\r')
			vlen--;

		struct np_http_line *h = &m->hdr[m->hdr_cnt++];
		h->name_off = (uint16_t)st->pos;
		h->name_len = (uint8_t)nlen;
		h->val_off = (uint16_t)vstart;
		h->val_len = (uint16_t)vlen;
		st->pos = off + 1;
	}
	if (!can_get_more)
		st->in_http = -1;
	return can_get_more ? KEEP : DROP;
}

/*
 * Scan the first line from st->pos: printable characters up to '\n'.
 * Returns the offset of the '\n' (or the end of the data), or -1 when the
 * line is not acceptable.
 */
static int32_t
scan_first_line(const struct np_http_state *st, int dir, uint32_t min_off)
{
	const uint8_t *pay = st->buf[dir];
	uint32_t off = st->pos;
	uint8_t c;

	while (off < st->len[dir] && off < NP_HTTP_MAX_URL && (c = pay[off]) != '\n') {
		if (c != '\r' && (c < 0x20 || c > 0x7f))
			return -1;
		off++;
	}
	if (off == NP_HTTP_MAX_URL || off < min_off)
		return -1;
	return (int32_t)off;
}

static int
process_request(struct np_http_state *st, enum np_http_event *ev)
{
	const uint8_t *pay = st->buf[REQ];
	bool can_get_more = st->len[REQ] < NP_HTTP_MAX_DATA;

	if (st->req_done)
		return KEEP;	/* waiting for the response */
	if (!st->in_http) {
		if (st->len[REQ] < 15)
			return can_get_more ? KEEP : DROP;
		/* Only GET and HEAD requests are fingerprinted. */
		if (!st->pos && memcmp(pay, "GET /", 5) && memcmp(pay, "HEAD /", 6)) {
			st->in_http = -1;
			return DROP;
		}
		int32_t off = scan_first_line(st, REQ, 14);
		if (off < 0) {
			st->in_http = -1;
			return DROP;
		}
		if ((uint32_t)off == st->len[REQ]) {
			st->pos = (uint32_t)off;
			if (!can_get_more)
				st->in_http = -1;
			return can_get_more ? KEEP : DROP;
		}
		const uint8_t *sig_at = pay + off - 8;
		if (pay[off - 1] == '\r')
			sig_at--;
		if (memcmp(sig_at, "HTTP/1.", 7)) {
			st->in_http = -1;
			return DROP;
		}
		st->tmp.http_ver = sig_at[7] == '1';
		st->in_http = 1;
		st->pos = (uint32_t)off + 1;
	}
	return parse_pairs(st, REQ, can_get_more, ev);
}

static int
process_response(struct np_http_state *st, enum np_http_event *ev)
{
	const uint8_t *pay = st->buf[RESP];
	bool can_get_more = st->len[RESP] < NP_HTTP_MAX_DATA;

	/* A response before a complete request: not followed. */
	if (!st->in_http || !st->req_done) {
		st->in_http = -1;
		return DROP;
	}
	/* p0f never marks the status line as seen, so this runs every time. */
	if (st->len[RESP] < 13)
		return can_get_more ? KEEP : DROP;
	int32_t off = scan_first_line(st, RESP, 13);
	if (off < 0) {
		st->in_http = -1;
		return DROP;
	}
	if ((uint32_t)off == st->len[RESP]) {
		st->pos = (uint32_t)off;
		if (!can_get_more)
			st->in_http = -1;
		return can_get_more ? KEEP : DROP;
	}
	if (memcmp(pay, "HTTP/1.", 7)) {
		st->in_http = -1;
		return DROP;
	}
	st->tmp.http_ver = pay[7] == '1';
	st->pos = (uint32_t)off + 1;
	return parse_pairs(st, RESP, can_get_more, ev);
}

bool
np_http_process(struct np_http_state *st, bool to_srv, enum np_http_event *ev)
{
	*ev = NP_HTTP_NONE;
	if (st->in_http < 0)
		return false;
	return (to_srv ? process_request(st, ev) : process_response(st, ev)) == KEEP;
}
