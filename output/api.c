/* SPDX-License-Identifier: MIT */
/*
 * Query API: the p0f codec, the JSON codec, and a poll()-driven server of
 * non-blocking unix-socket connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api.h"
#include "netprint.h"
#include "format.h"
#include "json_out.h"

#define NP_API_OUT_MAX 4096

/* Byte offsets in p0f's packed struct p0f_api_response. */
enum {
	R_MAGIC = 0, R_STATUS = 4, R_FIRST_SEEN = 8, R_LAST_SEEN = 12, R_TOTAL_CONN = 16,
	R_UPTIME_MIN = 20, R_UP_MOD_DAYS = 24, R_LAST_NAT = 28, R_LAST_CHG = 32, R_DISTANCE = 36,
	R_BAD_SW = 38, R_OS_MATCH_Q = 39, R_OS_NAME = 40, R_OS_FLAVOR = 72, R_HTTP_NAME = 104,
	R_HTTP_FLAVOR = 136, R_LINK_TYPE = 168, R_LANGUAGE = 200,
};

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* native byte order, as p0f */
}

void
np_api_answer(const struct np_hosts *hs, const uint8_t q[NP_API_QUERY_LEN],
	      uint8_t r[NP_API_RESP_LEN])
{
	uint32_t magic;
	const struct np_host *h;

	memset(r, 0, NP_API_RESP_LEN);
	put32(r + R_MAGIC, NP_API_RESP_MAGIC);
	memcpy(&magic, q, 4);
	if (magic != NP_API_QUERY_MAGIC || (q[4] != 4 && q[4] != 6)) {
		put32(r + R_STATUS, NP_API_STATUS_BADQUERY);
		return;
	}
	if (!(h = np_hosts_lookup(hs, q + 5, q[4]))) {
		put32(r + R_STATUS, NP_API_STATUS_NOMATCH);
		return;
	}
	put32(r + R_STATUS, NP_API_STATUS_OK);
	put32(r + R_FIRST_SEEN, h->first_seen);
	put32(r + R_LAST_SEEN, h->last_seen);
	put32(r + R_TOTAL_CONN, h->total_conn);
	if (h->last_up_min != -1)
		put32(r + R_UPTIME_MIN, (uint32_t)h->last_up_min);
	put32(r + R_UP_MOD_DAYS, h->up_mod_days);
	put32(r + R_LAST_NAT, h->last_nat);
	put32(r + R_LAST_CHG, h->last_chg);
	int16_t dist = h->distance;	/* p0f: a u8, so "unknown" reads 255 */
	memcpy(r + R_DISTANCE, &dist, 2);
	r[R_BAD_SW] = h->bad_sw;
	r[R_OS_MATCH_Q] = h->last_quality;
	if (h->last_name_id != -1) {
		memcpy(r + R_OS_NAME, h->os_name, NP_STR_MAX);
		memcpy(r + R_OS_FLAVOR, h->os_flavor, NP_STR_MAX);
	}
	if (h->http_name_id != -1) {
		memcpy(r + R_HTTP_NAME, h->http_name, NP_STR_MAX);
		memcpy(r + R_HTTP_FLAVOR, h->http_flavor, NP_STR_MAX);
	}
	memcpy(r + R_LINK_TYPE, h->link_type, NP_STR_MAX);
	if (h->language)
		np_api_strcpy((char *)r + R_LANGUAGE, h->language);
}

/* A string from the traffic or the database as JSON, or null when empty. */
static json_t *
str_or_null(const char *s)
{
	return s && s[0] ? np_json_string(s, strlen(s)) : json_null();	/* a cut may split a character */
}

/* Unix time, or null for p0f's 0 = never. */
static json_t *
when(uint32_t t)
{
	return t ? json_integer(t) : json_null();
}

static const char *
quality_name(enum np_quality q)
{
	return q == NP_MATCH_FUZZY ? "fuzzy" : q == NP_MATCH_GENERIC ? "generic" : "exact";
}

/* A label the host matched, or null. */
static json_t *
match_json(const struct np_match *m, bool with_quality)
{
	if (m->quality == NP_MATCH_NONE)
		return json_null();
	json_t *o = json_pack("{s:o, s:o}", "name", str_or_null(m->name), "flavor",
			      str_or_null(m->flavor));

	if (with_quality)
		json_object_set_new(o, "match", json_string(quality_name(m->quality)));
	return o;
}

/* A client's last TLS fingerprint and its label. */
static json_t *
tls_json(const struct np_host_info *in)
{
	json_t *o = json_pack("{s:s, s:s, s:I}", "ja4", in->tls_ja4, "transport",
			      in->tls_transport, "last_seen", (json_int_t)in->tls_last_seen);

	json_object_set_new(o, in->tls.is_os ? "os" : "app", match_json(&in->tls, true));
	json_object_set_new(o, "os_mismatch", json_boolean(in->tls_os_mismatch));
	return o;
}

static const char *const *sensor_names;
static unsigned n_sensor_names;

void
np_api_name_sensors(const char *const *names, unsigned n)
{
	sensor_names = names;
	n_sensor_names = n;
}

/* The sensors that saw a host, by name. */
static json_t *
sensors_json(const struct np_hosts *hs, const uint8_t *bin, uint8_t ver)
{
	const struct np_host *h = np_hosts_lookup(hs, bin, ver);
	json_t *a = json_array();

	for (unsigned s = 0; h && s < n_sensor_names && s < 64; s++)
		if (h->seen_by >> s & 1)
			json_array_append_new(a, json_string(sensor_names[s]));
	return a;
}

/*
 * A host p0f knows, or a TLS client only (a QUIC client sends no SYN):
 * then p0f's facts are empty, as for a host just created. The facts are
 * np_hosts_info()'s, which libnetprint's np_observer_host() gives too.
 */
static json_t *
answer_json(const struct np_hosts *hs, const uint8_t *bin, uint8_t ver, const char *addr)
{
	struct np_host_info in;

	if (np_hosts_info(hs, bin, ver, &in) != NP_OK)
		return json_pack("{s:s, s:s}", "status", "no match", "addr", addr);
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "status", "ok", "addr", addr,
			      "first_seen", (json_int_t)in.first_seen, "last_seen",
			      (json_int_t)in.last_seen, "total_conn", (json_int_t)in.total_conn);

	json_object_set_new(o, "uptime_min",
			    in.uptime_min != -1 ? json_integer(in.uptime_min) : json_null());
	json_object_set_new(o, "uptime_modulo_days",
			    in.uptime_min != -1 ? json_integer(in.uptime_modulo_days) : json_null());
	json_object_set_new(o, "last_nat", when(in.last_nat));
	json_object_set_new(o, "last_chg", when(in.last_chg));
	json_object_set_new(o, "distance", in.distance != -1 ? json_integer(in.distance) :
							       json_null());
	json_object_set_new(o, "bad_sw", json_integer(in.bad_sw));
	json_object_set_new(o, "os", match_json(&in.os, true));
	json_object_set_new(o, "http", match_json(&in.http, false));
	json_object_set_new(o, "link", str_or_null(in.link));
	json_object_set_new(o, "language", in.language ? json_string(in.language) : json_null());
	json_object_set_new(o, "tls", in.has_tls ? tls_json(&in) : json_null());
	if (sensor_names)
		json_object_set_new(o, "sensors", sensors_json(hs, bin, ver));
	return o;
}

/* s (n bytes at most, maybe without a NUL) contains q, in any case. */
static bool
contains(const char *s, size_t n, const char *q)
{
	char buf[NP_STR_MAX + 1];
	size_t len = strnlen(s, n < NP_STR_MAX ? n : NP_STR_MAX);

	memcpy(buf, s, len);
	buf[len] = 0;
	return strcasestr(buf, q) != NULL;
}

static bool
host_matches(const struct np_hosts *hs, const struct np_host *h, const char *addr, const char *q)
{
	const struct np_tls_host *t;

	if (!strncmp(addr, q, strlen(q)))
		return true;
	if ((h->last_name_id != -1 && (contains(h->os_name, NP_STR_MAX, q) ||
				       contains(h->os_flavor, NP_STR_MAX, q))) ||
	    (h->http_name_id != -1 && (contains(h->http_name, NP_STR_MAX, q) ||
				       contains(h->http_flavor, NP_STR_MAX, q))))
		return true;
	t = np_hosts_lookup_tls(hs, h->node.addr, h->node.ip_ver);
	return t && t->name[0] && (contains(t->name, NP_STR_MAX, q) ||
				   contains(t->flavor, NP_STR_MAX, q));
}

json_t *
np_api_hosts_json(const struct np_hosts *hs, const char *q, unsigned limit)
{
	json_t *list = json_array();
	unsigned scanned = 0;
	bool more = false;

	for (uint32_t i = hs->t.newest; i != NP_ADDR_NONE && scanned < NP_API_SEARCH_SCAN;
	     scanned++) {
		const struct np_host *h = (const struct np_host *)np_addr_at(&hs->t, i);
		char addr[INET6_ADDRSTRLEN];

		i = h->node.older;
		if (!inet_ntop(h->node.ip_ver == 4 ? AF_INET : AF_INET6, h->node.addr, addr,
			       sizeof(addr)))
			continue;
		if (q && *q && !host_matches(hs, h, addr, q))
			continue;
		if (json_array_size(list) == limit) {
			more = true;
			break;
		}
		json_array_append_new(list, answer_json(hs, h->node.addr, h->node.ip_ver, addr));
	}
	return json_pack("{s:o, s:b, s:I}", "hosts", list, "more", more, "scanned",
			 (json_int_t)scanned);
}

json_t *
np_api_host_json(const struct np_hosts *hs, const char *addr, bool *found)
{
	uint8_t bin[16] = { 0 };
	uint8_t ver;

	if (inet_pton(AF_INET, addr, bin) == 1)
		ver = 4;
	else if (inet_pton(AF_INET6, addr, bin) == 1)
		ver = 6;
	else
		return NULL;

	json_t *o = answer_json(hs, bin, ver, addr);
	const char *status = json_string_value(json_object_get(o, "status"));

	*found = status && !strcmp(status, "ok");
	return o;
}

size_t
np_api_answer_json(const struct np_hosts *hs, const char *line, size_t line_len, char *out,
		   size_t out_len, void (*reload)(void))
{
	json_error_t jerr;
	json_t *q = json_loadb(line, line_len, JSON_REJECT_DUPLICATES, &jerr), *a = NULL;
	const char *addr = q && json_is_object(q) ? json_string_value(json_object_get(q, "addr")) :
						    NULL;
	uint8_t bin[16] = { 0 };
	int ver = 0;

	if (out_len < 2) {
		json_decref(q);
		return 0;
	}
	if (addr && inet_pton(AF_INET, addr, bin) == 1)
		ver = 4;
	else if (addr && inet_pton(AF_INET6, addr, bin) == 1)
		ver = 6;

	const char *cmd = q && json_is_object(q) ?
				  json_string_value(json_object_get(q, "cmd")) : NULL;

	if (cmd && reload && !strcmp(cmd, "reload")) {
		reload();
		a = json_pack("{s:s, s:s}", "status", "ok", "reload", "requested");
	} else if (!ver) {
		a = json_pack("{s:s, s:s}", "status", "bad query", "error",
			      !q ? "not JSON" : !addr ? "expected {\"addr\": \"IP\"}" :
							"not an IPv4 or IPv6 address");
	} else {
		a = answer_json(hs, bin, (uint8_t)ver, addr);
	}
	json_decref(q);
	size_t n = a ? json_dumpb(a, out, out_len > 1 ? out_len - 1 : 0, JSON_COMPACT |
									     JSON_PRESERVE_ORDER) :
		       0;
	json_decref(a);
	if (!n || n >= out_len - 1) {
		n = (size_t)snprintf(out, out_len, "{\"status\":\"bad query\"}");
		if (n >= out_len - 1)
			n = out_len - 1;	/* cut short; a 2-byte buffer still gets "\n" */
	}
	out[n++] = '\n';
	return n;
}

/* ---- the server --------------------------------------------------------- */

enum client_mode { MODE_UNKNOWN, MODE_BINARY, MODE_JSON };

struct client {
	int fd;			/* -1 when the slot is free */
	enum client_mode mode;
	bool eof;		/* the client has shut its side: answer, flush, close */
	bool skipping;		/* JSON: discarding the rest of a line too long */
	uint64_t active_ms;	/* when it connected or last had a query answered */
	size_t in_len, out_len, out_off;
	char in[NP_API_LINE_MAX];
	char out[NP_API_OUT_MAX];
};

struct np_api {
	int listen_fd;
	void (*reload)(void);
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct client cl[NP_API_MAX_CLIENTS];
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct np_api *
np_api_open(const char *path, char *err, size_t err_len)
{
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	struct np_api *api;
	struct stat st;

	if (strlen(path) >= sizeof(u.sun_path)) {
		snprintf(err, err_len, "%s: socket path too long", path);
		return NULL;
	}
	if (!stat(path, &st) && !S_ISSOCK(st.st_mode)) {
		snprintf(err, err_len, "%s: exists and is not a socket", path);
		return NULL;
	}
	if (!(api = calloc(1, sizeof(*api)))) {
		snprintf(err, err_len, "%s: out of memory", path);
		return NULL;
	}
	for (unsigned i = 0; i < NP_API_MAX_CLIENTS; i++)
		api->cl[i].fd = -1;
	strcpy(api->path, path);
	strcpy(u.sun_path, path);
	unlink(path);
	api->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	mode_t old = umask(0777 ^ 0666);
	int rc = api->listen_fd < 0 ? -1 : bind(api->listen_fd, (struct sockaddr *)&u, sizeof(u));
	umask(old);
	if (rc || listen(api->listen_fd, NP_API_MAX_CLIENTS)) {
		snprintf(err, err_len, "%s: cannot listen: %s", path, strerror(errno));
		if (api->listen_fd >= 0)
			close(api->listen_fd);
		free(api);
		return NULL;
	}
	return api;
}

void
np_api_on_reload(struct np_api *api, void (*fn)(void))
{
	api->reload = fn;
}

static void
drop_client(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

/* Drop a JSON line's bytes up to and including its newline. */
static void
skip_long_line(struct client *c)
{
	char *nl = memchr(c->in, '\n', c->in_len);
	size_t used = nl ? (size_t)(nl - c->in) + 1 : c->in_len;

	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	c->skipping = !nl;
}

/*
 * Answer the complete queries in the input buffer while the output buffer
 * has room for an answer; the rest wait until the client reads.
 */
static void
answer_queries(struct np_api *api, struct client *c, const struct np_hosts *hs)
{
	static const char too_long[] = "{\"status\":\"bad query\",\"error\":\"line too long\"}\n";

	if (c->mode == MODE_UNKNOWN && c->in_len)
		c->mode = c->in[0] == '{' ? MODE_JSON : MODE_BINARY;

	for (;;) {
		size_t used;

		if (c->skipping)
			skip_long_line(c);
		if (c->out_len + NP_API_LINE_MAX > sizeof(c->out))
			return;
		if (c->mode == MODE_BINARY) {
			if (c->in_len < NP_API_QUERY_LEN)
				return;
			np_api_answer(hs, (const uint8_t *)c->in, (uint8_t *)c->out + c->out_len);
			c->out_len += NP_API_RESP_LEN;
			used = NP_API_QUERY_LEN;
		} else {
			char *nl = memchr(c->in, '\n', c->in_len);

			if (!nl && c->in_len == sizeof(c->in)) {
				memcpy(c->out + c->out_len, too_long, sizeof(too_long) - 1);
				c->out_len += sizeof(too_long) - 1;
				c->skipping = true;
				c->active_ms = now_ms();
				continue;
			}
			if (!nl)
				return;
			used = (size_t)(nl - c->in) + 1;
			c->out_len += np_api_answer_json(hs, c->in, used - 1, c->out + c->out_len,
							 sizeof(c->out) - c->out_len, api->reload);
		}
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
		c->active_ms = now_ms();
	}
}

/* Send what is pending; false when the connection is gone. */
static bool
flush_answers(struct client *c)
{
	while (c->out_len > c->out_off) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		c->out_off += (size_t)n;
	}
	c->out_len = c->out_off = 0;
	return true;
}

static void
service_client(struct np_api *api, struct client *c, short revents, const struct np_hosts *hs)
{
	if (revents & (POLLERR | POLLNVAL)) {
		drop_client(c);
		return;
	}
	/* Read only into free room: recv() of 0 bytes would look like a close. */
	if ((revents & (POLLIN | POLLHUP)) && !c->eof && c->in_len < sizeof(c->in)) {
		ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			drop_client(c);
			return;
		}
		if (n == 0)
			c->eof = true;
		if (n > 0)
			c->in_len += (size_t)n;
	}
	/* Answer and send in turn until the client's socket is full or all is said. */
	for (;;) {
		answer_queries(api, c, hs);
		if (!flush_answers(c)) {
			drop_client(c);
			return;
		}
		if (c->out_len)
			return;	/* the client reads first; POLLOUT resumes */
		if (c->mode == MODE_BINARY ? c->in_len < NP_API_QUERY_LEN
					   : !memchr(c->in, '\n', c->in_len) &&
						     c->in_len < sizeof(c->in))
			break;
	}
	if (c->eof)
		drop_client(c);	/* everything complete was answered */
}

/*
 * A newcomer finding every slot taken closes the connection idle longest,
 * if it has been idle NP_API_IDLE_EVICT_MS; else it is turned away, as p0f.
 */
static struct client *
free_slot(struct np_api *api)
{
	struct client *idle = NULL;

	for (unsigned i = 0; i < NP_API_MAX_CLIENTS; i++) {
		struct client *c = &api->cl[i];

		if (c->fd < 0)
			return c;
		if (!idle || c->active_ms < idle->active_ms)
			idle = c;
	}
	if (now_ms() - idle->active_ms < NP_API_IDLE_EVICT_MS)
		return NULL;
	drop_client(idle);
	return idle;
}

void
np_api_poll(struct np_api *api, const struct np_hosts *hs, int timeout_ms)
{
	struct pollfd pfd[NP_API_MAX_CLIENTS + 1];
	int map[NP_API_MAX_CLIENTS + 1];
	nfds_t n = 0;

	pfd[n] = (struct pollfd){ .fd = api->listen_fd, .events = POLLIN };
	map[n++] = -1;
	for (int i = 0; i < NP_API_MAX_CLIENTS; i++) {
		const struct client *c = &api->cl[i];
		short ev = 0;

		if (c->fd < 0)
			continue;
		if (!c->eof && c->in_len < sizeof(c->in))
			ev |= POLLIN;
		if (c->out_len > c->out_off)
			ev |= POLLOUT;
		pfd[n] = (struct pollfd){ .fd = c->fd, .events = ev };
		map[n++] = i;
	}
	if (poll(pfd, n, timeout_ms) <= 0)
		return;

	for (nfds_t k = 1; k < n; k++)
		if (pfd[k].revents)
			service_client(api, &api->cl[map[k]], pfd[k].revents, hs);

	if (pfd[0].revents & POLLIN) {
		int fd = accept4(api->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c;

		if (fd < 0)
			return;
		if (!(c = free_slot(api))) {
			close(fd);
			return;
		}
		*c = (struct client){ .fd = fd, .active_ms = now_ms() };
	}
}

void
np_api_close(struct np_api *api)
{
	if (!api)
		return;
	for (unsigned i = 0; i < NP_API_MAX_CLIENTS; i++)
		if (api->cl[i].fd >= 0)
			close(api->cl[i].fd);
	close(api->listen_fd);
	unlink(api->path);
	free(api);
}
