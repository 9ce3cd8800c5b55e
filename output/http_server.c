/* SPDX-License-Identifier: MIT */
/*
 * The web console's server (http_server.h): libmicrohttpd, a thread per
 * connection (bounded), each waiting for the logger's answer to its
 * request through a queue under a mutex; an /api/events reader waits for
 * records on a ring of the last ones the logger handed over.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "http_server.h"

#define PATH_MAX_ 512	/* a request's path; longer: 414 */

enum req_state { QUEUED, TAKEN, DONE };

struct request {
	char path[PATH_MAX_];
	char client[INET6_ADDRSTRLEN], proxy[INET6_ADDRSTRLEN];
	struct np_http_ask ask;
	enum req_state state;
	unsigned status;
	char *body;
	size_t len;
};

struct cidr {
	uint8_t ip_ver, bits;
	uint8_t addr[16];
};

/* /api/events: the last records, by sequence number (1, 2, ...). */
struct events {
	pthread_mutex_t lock;
	pthread_cond_t came;	/* records came, or the server closes */
	struct event {
		char *text;
		size_t len;
	} ring[NP_HTTP_EVENTS];	/* record seq at ring[seq % NP_HTTP_EVENTS] */
	uint64_t first, next;	/* the oldest kept, the next to come */
	uint64_t woken;		/* next when the readers were last woken */
	unsigned readers;
	bool closing;
};

struct np_http {
	struct MHD_Daemon *d;
	unsigned port;
	struct np_http_calls calls;
	const struct np_http_asset *assets;
	unsigned n_assets;
	char *token;		/* NULL: no changing call */
	struct cidr proxies[NP_HTTP_MAX_PROXIES];
	unsigned n_proxies;
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct request *queue[NP_HTTP_QUEUE_MAX];
	unsigned n_queued;
	atomic_uint pending;	/* n_queued, read without the lock */
	bool closing;
	unsigned long long answered, refused;
	struct events ev;
};

static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
	"frame-ancestors 'none'";

/* The headers every answer has. */
static void
add_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
}

/* One JSON answer. */
static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, char *body, size_t len, bool must_free)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body, must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	if (!r) {
		if (must_free)
			free(body);
		return MHD_NO;
	}
	add_headers(r, "application/json; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

#define REPLY_CONST(c, status, text) reply((c), (status), (char *)(text), sizeof(text) - 1, false)

/* Queue r for the logger and wait for its answer; false: no room or no time. */
static bool
ask_logger(struct np_http *h, struct request *r)
{
	struct timespec deadline;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += NP_HTTP_WAIT_MS / 1000;
	deadline.tv_nsec += (long)(NP_HTTP_WAIT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->lock);
	if (h->closing || h->n_queued == NP_HTTP_QUEUE_MAX) {
		h->refused++;
		pthread_mutex_unlock(&h->lock);
		return false;
	}
	r->state = QUEUED;
	h->queue[h->n_queued++] = r;
	atomic_store(&h->pending, h->n_queued);
	while (r->state != DONE) {
		if (pthread_cond_timedwait(&h->done, &h->lock, &deadline) != ETIMEDOUT ||
		    r->state != QUEUED)
			continue;	/* taken: the logger is answering it, not long */
		for (unsigned i = 0; i < h->n_queued; i++)
			if (h->queue[i] == r) {
				memmove(&h->queue[i], &h->queue[i + 1],
					(h->n_queued - i - 1) * sizeof(h->queue[0]));
				h->n_queued--;
				break;
			}
		atomic_store(&h->pending, h->n_queued);
		h->refused++;
		ok = false;
		break;
	}
	if (ok)
		h->answered++;
	pthread_mutex_unlock(&h->lock);
	return ok;
}

/* Text to an address; its version, or 0. */
static uint8_t
parse_addr(const char *text, uint8_t *addr)
{
	if (inet_pton(AF_INET, text, addr) == 1)
		return 4;
	if (inet_pton(AF_INET6, text, addr) == 1)
		return 6;
	return 0;
}

static bool
in_cidr(const struct cidr *c, uint8_t ip_ver, const uint8_t *addr)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (c->ip_ver != ip_ver || memcmp(c->addr, addr, full))
		return false;
	return !rest || !((c->addr[full] ^ addr[full]) & (uint8_t)(0xff << (8 - rest)));
}

/* The last address a proxy header names: "a, b, c" (X-Forwarded-For) or
 * "for=a, for=\"[v6]:port\"" (Forwarded); false when there is none. */
static bool
last_forwarded(const char *value, bool forwarded, char *out, size_t size)
{
	const char *p = NULL, *end;
	size_t n;

	if (!value)
		return false;
	if (forwarded) {
		for (const char *q = value; (q = strcasestr(q, "for=")); q += 4)
			p = q + 4;
		if (!p)
			return false;
		if (*p == '"')
			p++;
		if (*p == '[') {	/* "[v6]:port" */
			end = strchr(++p, ']');
		} else {
			end = p + strcspn(p, "\";,: ");
			if (*end == ':' && strchr(end + 1, ':'))
				end = p + strcspn(p, "\";, ");	/* a bare v6 */
		}
	} else {
		p = strrchr(value, ',');
		p = p ? p + 1 : value;
		p += strspn(p, " \t");
		end = p + strcspn(p, " \t");
	}
	if (!end || (n = (size_t)(end - p)) == 0 || n >= size)
		return false;
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

/* Who asks: the socket's peer, or whom a trusted proxy forwarded for. */
static void
who_asks(const struct np_http *h, struct MHD_Connection *c, struct request *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	uint8_t addr[16] = { 0 }, ver = 0;
	char fwd[INET6_ADDRSTRLEN];

	r->client[0] = r->proxy[0] = 0;
	if (sa && sa->sa_family == AF_INET) {
		memcpy(addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		ver = 4;
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		ver = 6;
	}
	if (ver)
		inet_ntop(ver == 4 ? AF_INET : AF_INET6, addr, r->client, sizeof(r->client));
	r->ask.client = r->client;
	r->ask.proxy = NULL;
	for (unsigned i = 0; ver && i < h->n_proxies; i++) {
		uint8_t f[16];

		if (!in_cidr(&h->proxies[i], ver, addr))
			continue;
		if ((last_forwarded(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Forwarded"),
				    true, fwd, sizeof(fwd)) ||
		     last_forwarded(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								"X-Forwarded-For"),
				    false, fwd, sizeof(fwd))) &&
		    parse_addr(fwd, f)) {
			memcpy(r->proxy, r->client, sizeof(r->proxy));
			memcpy(r->client, fwd, strlen(fwd) + 1);
			r->ask.proxy = r->proxy;
		}
		break;
	}
}

/* "ADDR/BITS" */
static int
parse_cidr(const char *text, struct cidr *c)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	char *end;
	unsigned long bits;

	if (n >= sizeof(host))
		return -1;
	memcpy(host, text, n);
	host[n] = 0;
	memset(c, 0, sizeof(*c));
	if (!(c->ip_ver = parse_addr(host, c->addr)))
		return -1;
	bits = slash ? strtoul(slash + 1, &end, 10) : (c->ip_ver == 4 ? 32 : 128);
	if ((slash && (!slash[1] || *end)) || bits > (c->ip_ver == 4 ? 32u : 128u))
		return -1;
	c->bits = (uint8_t)bits;
	return 0;
}

/* The request shows the token: compared in constant time. */
static bool
token_ok(const struct np_http *h, struct MHD_Connection *c)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	size_t n = strlen(h->token), got;
	unsigned char diff = 0;

	if (!auth || strncmp(auth, "Bearer ", 7))
		return false;
	auth += 7;
	got = strlen(auth);
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(h->token[i] ^ (i < got ? auth[i] : 0));
	return !diff && got == n;
}

/* A console file, "/" being index.html; 404 when there is none. */
static enum MHD_Result
serve_asset(const struct np_http *h, struct MHD_Connection *c, const char *url)
{
	const char *want = strcmp(url, "/") ? url : "/index.html";

	for (unsigned i = 0; i < h->n_assets; i++) {
		const struct np_http_asset *a = &h->assets[i];
		struct MHD_Response *r;
		enum MHD_Result rc;

		if (strcmp(a->path, want))
			continue;
		r = MHD_create_response_from_buffer(a->len, (void *)a->data,
						    MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		add_headers(r, a->type);
		rc = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return rc;
	}
	return REPLY_CONST(c, MHD_HTTP_NOT_FOUND, "{\"error\":\"not found\"}");
}

/* ---- /api/events ---- */

#define STREAM_CHUNK 65536		/* records taken at once, bytes */
#define STREAM_KEEPALIVE_S 15

/* One reader: the next record it sends, and text taken but not sent yet. */
struct stream {
	struct np_http *h;
	uint64_t next;
	char *buf;
	size_t len, off, cap;
};

static bool
stream_put(struct stream *s, const char *text, size_t n)
{
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *b;

		while (cap < s->len + n)
			cap *= 2;
		if (!(b = realloc(s->buf, cap)))
			return false;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, text, n);
	s->len += n;
	return true;
}

/* Under the events' lock: what the reader has not had yet, as SSE text. */
static void
stream_take(struct stream *s, struct events *ev)
{
	char head[64];
	int n;

	if (s->next < ev->first) {
		n = snprintf(head, sizeof(head), "event: lost\ndata: {\"lost\":%llu}\n\n",
			     (unsigned long long)(ev->first - s->next));
		stream_put(s, head, (size_t)n);
		s->next = ev->first;
	}
	for (; s->next < ev->next && s->len < STREAM_CHUNK; s->next++) {
		const struct event *e = &ev->ring[s->next % NP_HTTP_EVENTS];

		n = snprintf(head, sizeof(head), "id: %llu\ndata: ", (unsigned long long)s->next);
		if (!stream_put(s, head, (size_t)n) || !stream_put(s, e->text, e->len) ||
		    !stream_put(s, "\n\n", 2))
			break;	/* out of memory: the rest next time */
	}
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	struct events *ev = &s->h->ev;
	size_t n;

	(void)pos;
	if (s->off == s->len) {
		struct timespec until;

		s->off = s->len = 0;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += STREAM_KEEPALIVE_S;
		pthread_mutex_lock(&ev->lock);
		while (!ev->closing && s->next >= ev->next &&
		       pthread_cond_timedwait(&ev->came, &ev->lock, &until) != ETIMEDOUT)
			;
		if (ev->closing) {
			pthread_mutex_unlock(&ev->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		stream_take(s, ev);
		pthread_mutex_unlock(&ev->lock);
		if (!s->len && !stream_put(s, ": keep-alive\n\n", 14))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(out, s->buf + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;
	struct events *ev = &s->h->ev;

	pthread_mutex_lock(&ev->lock);
	ev->readers--;
	pthread_mutex_unlock(&ev->lock);
	free(s->buf);
	free(s);
}

/*
 * A reader starts after the Last-Event-ID it names (a reconnecting
 * EventSource sends it), else with the last NP_HTTP_EVENTS_REPLAY records.
 */
static enum MHD_Result
open_stream(struct np_http *h, struct MHD_Connection *c)
{
	const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
	struct events *ev = &h->ev;
	struct MHD_Response *r;
	struct stream *s;
	enum MHD_Result rc;
	char *end;

	if (!(s = calloc(1, sizeof(*s))))
		return MHD_NO;
	s->h = h;
	pthread_mutex_lock(&ev->lock);
	if (ev->readers >= NP_HTTP_MAX_STREAMS || ev->closing) {
		pthread_mutex_unlock(&ev->lock);
		free(s);
		return REPLY_CONST(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				   "{\"error\":\"too many event readers\"}");
	}
	if (last && *last && (s->next = strtoull(last, &end, 10) + 1, !*end) && s->next <= ev->next)
		;
	else
		s->next = ev->next > ev->first + NP_HTTP_EVENTS_REPLAY ?
				  ev->next - NP_HTTP_EVENTS_REPLAY : ev->first;
	ev->readers++;
	pthread_mutex_unlock(&ev->lock);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, stream_read, s, stream_free);
	if (!r) {
		stream_free(s);
		return MHD_NO;
	}
	add_headers(r, "text/event-stream; charset=utf-8");
	rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

void
np_http_event(struct np_http *h, const char *json, size_t len)
{
	struct events *ev = &h->ev;
	char *copy = malloc(len);
	struct event *e;

	if (!copy)
		return;	/* the readers see a gap in the ids */
	memcpy(copy, json, len);
	pthread_mutex_lock(&ev->lock);
	e = &ev->ring[ev->next % NP_HTTP_EVENTS];
	if (ev->next - ev->first == NP_HTTP_EVENTS) {
		free(e->text);
		ev->first++;
	}
	e->text = copy;
	e->len = len;
	ev->next++;
	pthread_mutex_unlock(&ev->lock);
}

/* A POST's phases: its headers, any body (refused), then the answer. */
enum post_phase { POST_STARTED = 1, POST_HAD_BODY };

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	struct np_http *h = cls;
	struct request r = { .body = NULL };
	bool post = !strcmp(method, MHD_HTTP_METHOD_POST);

	(void)version, (void)upload_data;
	if (!post && strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return REPLY_CONST(c, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"GET, HEAD or POST\"}");
	if (post && strncmp(url, "/api/", 5))
		return REPLY_CONST(c, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"GET it\"}");
	if (post) {
		if (!*req_cls) {	/* the headers: answer once the body is in */
			*req_cls = (void *)(uintptr_t)POST_STARTED;
			return MHD_YES;
		}
		if (*upload_data_size) {
			*upload_data_size = 0;	/* read and dropped: no call takes a body */
			*req_cls = (void *)(uintptr_t)POST_HAD_BODY;
			return MHD_YES;
		}
		if ((uintptr_t)*req_cls == POST_HAD_BODY)
			return REPLY_CONST(c, MHD_HTTP_CONTENT_TOO_LARGE, "{\"error\":\"no body expected\"}");
		if (!h->token)
			return REPLY_CONST(c, MHD_HTTP_FORBIDDEN,
					   "{\"error\":\"changes are off: start with --http-token FILE\"}");
		if (!token_ok(h, c))
			return REPLY_CONST(c, MHD_HTTP_UNAUTHORIZED, "{\"error\":\"token missing or wrong\"}");
	} else if (*upload_data_size) {
		return REPLY_CONST(c, MHD_HTTP_CONTENT_TOO_LARGE, "{\"error\":\"no body expected\"}");
	}
	if (strlen(url) >= sizeof(r.path))
		return REPLY_CONST(c, MHD_HTTP_URI_TOO_LONG, "{\"error\":\"path too long\"}");
	if (strncmp(url, "/api/", 5))
		return serve_asset(h, c, url);
	if (!strcmp(url, "/api/events"))
		return post ? REPLY_CONST(c, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"GET it\"}")
			    : open_stream(h, c);
	memcpy(r.path, url, strlen(url) + 1);
	r.ask.path = r.path;
	r.ask.arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
	r.ask.change = post;
	who_asks(h, c, &r);
	if (h->calls.prepare &&
	    (r.status = h->calls.prepare(h->calls.ctx, &r.ask, &r.body, &r.len))) {
		if (!r.body)
			return REPLY_CONST(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "{\"error\":\"no answer\"}");
		return reply(c, r.status, r.body, r.len, true);
	}
	bool answered = ask_logger(h, &r);

	if (h->calls.release)
		h->calls.release(h->calls.ctx, &r.ask);
	if (!answered)
		return REPLY_CONST(c, MHD_HTTP_SERVICE_UNAVAILABLE, "{\"error\":\"busy, try again\"}");
	if (!r.body)
		return REPLY_CONST(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "{\"error\":\"no answer\"}");
	return reply(c, r.status, r.body, r.len, true);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into a socket address. */
static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;
	size_t n;

	if (!colon || colon == s)
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return -1;
	n = (size_t)(colon - s);
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return -1;
		s++;
		n -= 2;
	}
	if (n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = 0;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return 0;
	}
	return -1;
}

struct np_http *
np_http_open(const struct np_http_config *cfg, char *err, size_t err_len)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct np_http *h;

	if (parse_listen(cfg->listen, &ss, &len)) {
		snprintf(err, err_len, "--http %s: expected ADDR:PORT (127.0.0.1:8080, [::1]:8080)",
			 cfg->listen);
		return NULL;
	}
	if (!(h = calloc(1, sizeof(*h)))) {
		snprintf(err, err_len, "--http: out of memory");
		return NULL;
	}
	h->calls = cfg->calls;
	h->assets = cfg->assets;
	h->n_assets = cfg->n_assets;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->done, NULL);
	pthread_mutex_init(&h->ev.lock, NULL);
	pthread_cond_init(&h->ev.came, NULL);
	h->ev.first = h->ev.next = h->ev.woken = 1;
	for (unsigned i = 0; i < cfg->n_proxies && i < NP_HTTP_MAX_PROXIES; i++) {
		if (parse_cidr(cfg->proxies[i], &h->proxies[h->n_proxies++])) {
			snprintf(err, err_len, "--http-trusted-proxy %s: expected ADDR/BITS",
				 cfg->proxies[i]);
			np_http_close(h);
			return NULL;
		}
	}
	if (cfg->token && !(h->token = strdup(cfg->token))) {
		snprintf(err, err_len, "--http: out of memory");
		np_http_close(h);
		return NULL;
	}
	/* poll(), not select(): a thousand connections go past FD_SETSIZE */
	h->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD |
				(ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				0, NULL, NULL, handle, h,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)NP_HTTP_MAX_CONNECTIONS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)NP_HTTP_MAX_PER_CLIENT,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)NP_HTTP_REQUEST_MAX,
				MHD_OPTION_THREAD_STACK_SIZE, (size_t)256 * 1024,
				MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)NP_HTTP_MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, err_len, "--http %s: cannot listen: %s", cfg->listen, strerror(errno));
		np_http_close(h);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);

	h->port = info ? info->port : 0;
	(void)len;
	return h;
}

unsigned
np_http_port(const struct np_http *h)
{
	return h->port;
}

/* Wake the /api/events readers if records came since they were last woken. */
static void
wake_readers(struct events *ev)
{
	if (ev->woken == ev->next)	/* the logger's own, read without the lock */
		return;
	pthread_mutex_lock(&ev->lock);
	ev->woken = ev->next;
	pthread_cond_broadcast(&ev->came);
	pthread_mutex_unlock(&ev->lock);
}

/* Do a and b ask the same, whoever asks? */
static bool
same_question(const struct np_http *h, const struct request *a, const struct request *b)
{
	return !a->ask.change && !b->ask.change && !strcmp(a->path, b->path) &&
	       (a->ask.arg ? b->ask.arg && !strcmp(a->ask.arg, b->ask.arg) : !b->ask.arg) &&
	       h->calls.shared && h->calls.shared(h->calls.ctx, &a->ask);
}

/*
 * Under the lock: the queued requests that ask what r asked get copies of
 * its answer, made from the same state at the same moment (a thousand
 * dashboards polling /api/stats cost one answer).
 */
static void
share_answer(struct np_http *h, const struct request *r)
{
	for (unsigned i = 0; r->body && i < h->n_queued;) {
		struct request *q = h->queue[i];

		if (!same_question(h, r, q) || !(q->body = malloc(r->len))) {
			i++;
			continue;
		}
		memcpy(q->body, r->body, r->len);
		q->len = r->len;
		q->status = r->status;
		q->state = DONE;
		memmove(&h->queue[i], &h->queue[i + 1], (h->n_queued - i - 1) * sizeof(h->queue[0]));
		h->n_queued--;
		atomic_store(&h->pending, h->n_queued);
	}
}

static uint64_t
monotonic_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

unsigned
np_http_poll(struct np_http *h, uint64_t budget_us)
{
	uint64_t start = 0;
	unsigned n = 0;

	if (!h)
		return 0;
	wake_readers(&h->ev);
	if (!atomic_load_explicit(&h->pending, memory_order_relaxed))
		return 0;
	start = monotonic_us();
	pthread_mutex_lock(&h->lock);
	while (h->n_queued && (!n || monotonic_us() - start < budget_us)) {
		struct request *r = h->queue[0];

		memmove(&h->queue[0], &h->queue[1], (h->n_queued - 1) * sizeof(h->queue[0]));
		h->n_queued--;
		atomic_store(&h->pending, h->n_queued);
		r->state = TAKEN;
		pthread_mutex_unlock(&h->lock);
		r->status = h->calls.answer(h->calls.ctx, &r->ask, &r->body, &r->len);
		n++;
		pthread_mutex_lock(&h->lock);
		r->state = DONE;
		share_answer(h, r);
		pthread_cond_broadcast(&h->done);
	}
	pthread_mutex_unlock(&h->lock);
	return n;
}

void
np_http_counts(const struct np_http *h, unsigned long long *answered, unsigned long long *refused)
{
	pthread_mutex_lock((pthread_mutex_t *)&h->lock);
	*answered = h->answered;
	*refused = h->refused;
	pthread_mutex_unlock((pthread_mutex_t *)&h->lock);
}

void
np_http_close(struct np_http *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->closing = true;
	while (h->n_queued) {	/* nobody will answer them now */
		struct request *r = h->queue[--h->n_queued];

		r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
		r->body = strdup("{\"error\":\"stopping\"}");
		r->len = r->body ? strlen(r->body) : 0;
		r->state = DONE;
	}
	atomic_store(&h->pending, 0);
	pthread_cond_broadcast(&h->done);
	pthread_mutex_unlock(&h->lock);
	pthread_mutex_lock(&h->ev.lock);
	h->ev.closing = true;	/* the readers end their streams */
	pthread_cond_broadcast(&h->ev.came);
	pthread_mutex_unlock(&h->ev.lock);
	if (h->d)
		MHD_stop_daemon(h->d);
	for (unsigned i = 0; i < NP_HTTP_EVENTS; i++)
		free(h->ev.ring[i].text);
	pthread_cond_destroy(&h->ev.came);
	pthread_mutex_destroy(&h->ev.lock);
	pthread_cond_destroy(&h->done);
	pthread_mutex_destroy(&h->lock);
	if (h->token)	/* not left in freed memory */
		memset(h->token, 0, strlen(h->token));
	free(h->token);
	free(h);
}
