/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.x header collection, exactly as p0f 3.09b's process_http() and
 * parse_pairs() do it: the first request and response of a flow, taken from
 * in-order segments into per-direction buffers of at most 8 KB, with p0f's
 * limits and its decisions about when a flow is not (or no longer) worth
 * following. The caller owns the state; nothing here allocates.
 */
#ifndef NP_HTTP_H
#define NP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#define NP_HTTP_MAX_DATA 8192	/* p0f MAX_FLOW_DATA, per direction */
#define NP_HTTP_MAX_HDRS 32	/* p0f HTTP_MAX_HDRS */
#define NP_HTTP_MAX_URL 1024	/* p0f HTTP_MAX_URL: first line */
#define NP_HTTP_MAX_HDR_NAME 32
#define NP_HTTP_MAX_HDR_VAL 1024

/* One header line, as offsets into the direction's buffer. */
struct np_http_line {
	uint16_t name_off, val_off;
	uint16_t val_len;
	uint8_t name_len;
};

/* The message being collected (p0f's http_tmp). */
struct np_http_msg {
	int8_t http_ver;	/* 0 for HTTP/1.0, 1 for HTTP/1.1 */
	uint8_t hdr_cnt;
	struct np_http_line hdr[NP_HTTP_MAX_HDRS];
};

struct np_http_state {
	int8_t in_http;		/* 0 undecided, 1 HTTP, -1 done or not HTTP */
	uint8_t req_done;	/* request headers complete */
	uint32_t pos;		/* p0f http_pos: where parsing resumes */
	uint32_t len[2];	/* bytes buffered: [0] response, [1] request */
	struct np_http_msg tmp;
	struct np_http_msg done;	/* the message that just completed */
	uint8_t buf[2][NP_HTTP_MAX_DATA + 1];	/* NUL-terminated */
};

enum np_http_event {
	NP_HTTP_NONE,
	NP_HTTP_REQUEST,	/* request headers complete: in done, buf[1] */
	NP_HTTP_RESPONSE,	/* response headers complete: in done, buf[0] */
};

void np_http_reset(struct np_http_state *st);

/* Append an in-order segment's payload (p0f keeps at most 8 KB). */
void np_http_append(struct np_http_state *st, bool to_srv, const uint8_t *data, uint32_t len);

/*
 * p0f process_http(): returns true while the flow is worth keeping. *ev
 * says when a request or response header block has just completed.
 */
bool np_http_process(struct np_http_state *st, bool to_srv, enum np_http_event *ev);

#endif /* NP_HTTP_H */
