/* SPDX-License-Identifier: MIT */
/*
 * The web console's server (--http ADDR:PORT), on libmicrohttpd, in threads
 * of its own that never touch netprint's state. A request for data is
 * queued for the logger, which answers it between two records
 * (np_http_poll), as it answers the query socket: one answer at a time,
 * built by the caller's function. The request's thread waits for it, at
 * most NP_HTTP_WAIT_MS (then 503). Everything is bounded: connections (all,
 * and per client address), a request's size, the queue. Every answer has a
 * Content-Security-Policy without 'unsafe-inline', nosniff and no-referrer.
 * A call that changes something (POST) needs the token given at start, as
 * "Authorization: Bearer TOKEN": without a token configured such calls are
 * refused (403), with a missing or wrong one 401. Other paths than /api/
 * are the console's files, given at start. /api/events is answered here: the
 * records the logger hands over (np_http_event), as Server-Sent Events.
 */
#ifndef NP_HTTP_SERVER_H
#define NP_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_HTTP_MAX_CONNECTIONS 2048
#define NP_HTTP_MAX_PER_CLIENT 16
#define NP_HTTP_MAX_STREAMS 64		/* /api/events clients */
#define NP_HTTP_REQUEST_MAX 16384	/* bytes of a request's line and headers */
#define NP_HTTP_QUEUE_MAX NP_HTTP_MAX_CONNECTIONS	/* requests waiting for the logger */
#define NP_HTTP_WAIT_MS 5000
#define NP_HTTP_EVENTS 16384		/* records /api/events keeps for late readers */
#define NP_HTTP_EVENTS_REPLAY 256	/* of them, what a new reader gets first */

struct np_http;

#define NP_HTTP_TOKEN_MIN 16	/* bytes a token has at least */

#define NP_HTTP_MAX_PROXIES 8	/* --http-trusted-proxy CIDRs */

/* A file served as is (the console's pages, output/console/). */
struct np_http_asset {
	const char *path;	/* "/app.js"; "/index.html" is also "/" */
	const char *type;	/* its Content-Type */
	const unsigned char *data;
	size_t len;
};

/* What the logger is asked. */
struct np_http_ask {
	const char *path;	/* the URL's path, "/api/..." */
	const char *arg;	/* the "q" parameter, or NULL */
	bool change;		/* a POST, its token checked */
	const char *client;	/* the requester's address: the socket's peer, or the
				 * one a trusted proxy forwarded for */
	const char *proxy;	/* that proxy's address, or NULL */
	void *prepared;		/* what np_http_calls.prepare made for it */
};

/* How requests are answered. */
struct np_http_calls {
	/*
	 * On the logger: the answer to q, an HTTP status, and a malloc'd
	 * JSON body in *body (*len bytes), which the server frees.
	 */
	unsigned (*answer)(void *ctx, const struct np_http_ask *q, char **body, size_t *len);
	/*
	 * Optional, on the request's own thread before it is queued: work
	 * that reads nothing of the logger's (loading a file), its result in
	 * q->prepared. 0 to go on; else the status of an answer made at once
	 * in *body (as answer's).
	 */
	unsigned (*prepare)(void *ctx, struct np_http_ask *q, char **body, size_t *len);
	/* Optional: let go of q->prepared, after the answer. */
	void (*release)(void *ctx, struct np_http_ask *q);
	/*
	 * Optional: does q's answer depend only on its path and argument (not
	 * on who asks)? Then requests queued for the same get copies of one
	 * answer.
	 */
	bool (*shared)(void *ctx, const struct np_http_ask *q);
	void *ctx;
};

struct np_http_config {
	const char *listen;	/* "127.0.0.1:8080", "[::1]:8080"; port 0: any */
	const char *token;	/* what changing calls must show; NULL: none may be made */
	const char *const *proxies;	/* CIDRs ("10.0.0.0/8", "::1/128") whose
					 * X-Forwarded-For or Forwarded names the client */
	unsigned n_proxies;
	struct np_http_calls calls;
	const struct np_http_asset *assets;	/* served for GET of other paths */
	unsigned n_assets;
};

/* Listen and serve; NULL with a message in err. */
struct np_http *np_http_open(const struct np_http_config *cfg, char *err, size_t err_len);

/* The port it listens on. */
unsigned np_http_port(const struct np_http *h);

/*
 * On the logger: answer the queued requests, the first one and then more
 * while less than budget_us microseconds have gone (the logger gives a
 * short budget between bursts of records, a longer one when it has nothing
 * else to do), and wake the /api/events readers if records came. Cheap
 * when nothing is queued. Returns the number answered.
 */
unsigned np_http_poll(struct np_http *h, uint64_t budget_us);

/*
 * On the logger: one record for /api/events, as the JSON object --json
 * writes (len bytes, a final newline left out). The oldest of the
 * NP_HTTP_EVENTS kept makes room; a reader that had not sent it yet is
 * told how many it lost.
 */
void np_http_event(struct np_http *h, const char *json, size_t len);

/* Requests answered, and refused for lack of room or time. */
void np_http_counts(const struct np_http *h, unsigned long long *answered,
		    unsigned long long *refused);

/* Stop serving: waits for the connections' threads. */
void np_http_close(struct np_http *h);

#endif /* NP_HTTP_SERVER_H */
