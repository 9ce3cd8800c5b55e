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
 * refused (403), with a missing or wrong one 401.
 */
#ifndef NP_HTTP_SERVER_H
#define NP_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#define NP_HTTP_MAX_CONNECTIONS 64
#define NP_HTTP_MAX_PER_CLIENT 16
#define NP_HTTP_REQUEST_MAX 16384	/* bytes of a request's line and headers */
#define NP_HTTP_QUEUE_MAX 64		/* requests waiting for the logger */
#define NP_HTTP_WAIT_MS 5000

struct np_http;

#define NP_HTTP_TOKEN_MIN 16	/* bytes a token has at least */

#define NP_HTTP_MAX_PROXIES 8	/* --http-trusted-proxy CIDRs */

/* What the logger is asked. */
struct np_http_ask {
	const char *path;	/* the URL's path, "/api/..." */
	const char *arg;	/* the "q" parameter, or NULL */
	bool change;		/* a POST, its token checked */
	const char *client;	/* the requester's address: the socket's peer, or the
				 * one a trusted proxy forwarded for */
	const char *proxy;	/* that proxy's address, or NULL */
};

/*
 * The answer to q: an HTTP status, and a malloc'd JSON body in *body (*len
 * bytes), which the server frees. Runs on the logger.
 */
typedef unsigned (*np_http_answer_fn)(void *ctx, const struct np_http_ask *q, char **body,
				      size_t *len);

/*
 * Listen on "ADDR:PORT" ("127.0.0.1:8080", "[::1]:8080"; port 0: any);
 * token: what changing calls must show, or NULL (none may be made);
 * proxies: n CIDRs ("10.0.0.0/8", "::1/128") whose X-Forwarded-For or
 * Forwarded header names the client. NULL with a message in err.
 */
struct np_http *np_http_open(const char *listen, const char *token, const char *const *proxies,
			     unsigned n_proxies, char *err, size_t err_len);

/* The port it listens on. */
unsigned np_http_port(const struct np_http *h);

/* Answer what is queued (on the logger); cheap when nothing is. */
void np_http_poll(struct np_http *h, np_http_answer_fn fn, void *ctx);

/* Requests answered, and refused for lack of room or time. */
void np_http_counts(const struct np_http *h, unsigned long long *answered,
		    unsigned long long *refused);

/* Stop serving: waits for the connections' threads. */
void np_http_close(struct np_http *h);

#endif /* NP_HTTP_SERVER_H */
