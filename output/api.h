/* SPDX-License-Identifier: MIT */
/*
 * The query API (-s PATH): p0f 3.09b's unix-socket protocol, byte for byte
 * (api.h: a 21-byte query, a 232-byte answer, native byte order), so p0f
 * clients work unchanged; and the same lookup as one JSON line per query.
 * A connection speaks binary when its first byte is p0f's magic, JSON when
 * it is '{'. Served from the logger with non-blocking sockets: a slow or
 * broken client never stalls anything. Queries may be pipelined: answers
 * wait while the client does not read, and resume when it does. A JSON line
 * of NP_API_LINE_MAX bytes or more is answered "line too long" and skipped.
 * A client that shuts its side down gets every answer before the close.
 */
#ifndef NP_API_H
#define NP_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hosts.h"

#define NP_API_QUERY_MAGIC 0x50304601u
#define NP_API_RESP_MAGIC 0x50304602u
#define NP_API_STATUS_BADQUERY 0x00
#define NP_API_STATUS_OK 0x10
#define NP_API_STATUS_NOMATCH 0x20
#define NP_API_QUERY_LEN 21
#define NP_API_RESP_LEN 232
#define NP_API_MAX_CLIENTS 20	/* p0f's default -S */
#define NP_API_IDLE_EVICT_MS 1000	/* a full server closes a connection idle this long */
#define NP_API_LINE_MAX 1024	/* a JSON query line, newline included */

/* p0f handle_query(): answer one binary query. */
void np_api_answer(const struct np_hosts *hs, const uint8_t query[NP_API_QUERY_LEN],
		   uint8_t resp[NP_API_RESP_LEN]);

/*
 * The JSON form: {"addr": "192.0.2.1"} -> one JSON object and a newline in
 * out; {"cmd": "reload"} calls reload (if not NULL). Returns the answer's
 * length (a "bad query" answer for anything malformed).
 */
size_t np_api_answer_json(const struct np_hosts *hs, const char *line, size_t line_len,
			  char *out, size_t out_len, void (*reload)(void));

/*
 * The JSON answer for one address given as text, as the query socket gives
 * it ({"status": "ok", "addr": ...} or "no match"); NULL when addr is not an
 * IPv4 or IPv6 address. *found: the host is known.
 */
json_t *np_api_host_json(const struct np_hosts *hs, const char *addr, bool *found);

/*
 * Hosts whose address starts with q or whose OS, HTTP or TLS label
 * contains it (any case; q NULL or "": all), the most recently seen first:
 * {"hosts": [answers as above], "more": bool, "scanned": n}. At most limit
 * answers, after looking at NP_API_SEARCH_SCAN hosts at most.
 */
#define NP_API_SEARCH_SCAN 100000
json_t *np_api_hosts_json(const struct np_hosts *hs, const char *q, unsigned limit);

/*
 * A collector's: names[s] for bit s of a host's seen_by (hosts.h), which
 * answers then list as "sensors". names must outlive the answers (NULL:
 * no such member, as on a sensor).
 */
void np_api_name_sensors(const char *const *names, unsigned n);

struct np_api;

/* Listen on a unix socket (mode 0666, as p0f). NULL with a message on failure. */
struct np_api *np_api_open(const char *path, char *err, size_t err_len);

/* Accept, read and answer whatever is ready; waits at most timeout_ms. */
void np_api_poll(struct np_api *api, const struct np_hosts *hs, int timeout_ms);

/*
 * What {"cmd": "reload"} on a JSON connection calls (the engine's database
 * reload request). Without it, such a command is a bad query.
 */
void np_api_on_reload(struct np_api *api, void (*fn)(void));

/* Close every connection and remove the socket file. */
void np_api_close(struct np_api *api);

#endif /* NP_API_H */
