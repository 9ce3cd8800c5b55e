/* SPDX-License-Identifier: MIT */
/*
 * The console's answers a sensor and a collector share (console_api.h).
 */
#include <arpa/inet.h>
#include <string.h>

#include "api.h"
#include "console_api.h"

json_t *
np_console_api_error(const char *why)
{
	return json_pack("{s:s}", "error", why);
}

json_t *
np_console_api_database(const struct np_db *db, json_t *files, uint64_t reloads,
			uint64_t reload_failures, json_t *hits, json_t *candidates)
{
	return json_pack("{s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:I, s:I, "
			 "s:o, s:o}",
		"generation", (json_int_t)(db ? db->generation : 0), "files", files,
		"reloads", (json_int_t)reloads, "reload_failures", (json_int_t)reload_failures,
		"signatures",
		"tcp_request", (json_int_t)(db ? db->n_tcp[NP_DIR_REQUEST] : 0),
		"tcp_response", (json_int_t)(db ? db->n_tcp[NP_DIR_RESPONSE] : 0),
		"http_request", (json_int_t)(db ? db->n_http[NP_DIR_REQUEST] : 0),
		"http_response", (json_int_t)(db ? db->n_http[NP_DIR_RESPONSE] : 0),
		"tls_client", (json_int_t)(db ? db->n_tls[NP_DIR_REQUEST] : 0),
		"tls_server", (json_int_t)(db ? db->n_tls[NP_DIR_RESPONSE] : 0),
		"mtu", (json_int_t)(db ? db->n_mtu : 0),
		"labels", (json_int_t)(db ? db->n_labels : 0),
		"sig_lines", (json_int_t)(db ? db->n_sigs : 0),
		"hits", hits ? hits : json_array(),
		"candidates", candidates ? candidates : json_array());
}

unsigned
np_console_api_reply(json_t *o, unsigned status, char **body, size_t *len)
{
	*body = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	*len = *body ? strlen(*body) : 0;
	json_decref(o);
	return *body ? status : 500;
}

bool
np_console_api_shared(void *ctx, const struct np_http_ask *q)
{
	(void)ctx;
	return strcmp(q->path, "/api/me") != 0;
}

/*
 * What the query socket answers for a host, and what the console kept of
 * it (np_console_stats_host()); NULL: not an address.
 */
static json_t *
host(const struct np_hosts *hs, const struct np_console_stats *cs, const char *addr,
     bool *found)
{
	json_t *o = np_api_host_json(hs, addr, found);
	uint8_t a[16] = { 0 };

	if (o && cs) {
		if (inet_pton(AF_INET, addr, a) == 1)
			np_console_stats_host(cs, 4, a, o);
		else if (inet_pton(AF_INET6, addr, a) == 1)
			np_console_stats_host(cs, 6, a, o);
	}
	return o;
}

/* The requester's own host: /api/host's answer for the address it asks from. */
static json_t *
me(const struct np_hosts *hs, const struct np_console_stats *cs, const struct np_http_ask *q,
   unsigned *status)
{
	bool found = false;
	json_t *o = host(hs, cs, q->client, &found);

	if (!o) {
		*status = 500;
		return np_console_api_error("the connection's address is unknown");
	}
	if (!found)
		*status = 404;
	json_object_set_new(o, "via_proxy", q->proxy ? json_string(q->proxy) : json_null());
	return o;
}

json_t *
np_console_api_answer(const struct np_hosts *hs, const struct np_console_stats *cs,
		      const struct np_http_ask *q, unsigned *status)
{
	const char *path = q->path, *arg = q->arg;
	bool found = false;
	json_t *o;

	if (strcmp(path, "/api/me") && strcmp(path, "/api/unknown") && strcmp(path, "/api/hosts") &&
	    strncmp(path, "/api/host/", 10))
		return NULL;
	if (q->change) {
		*status = 405;
		return np_console_api_error("this call changes nothing: GET it");
	}
	if (!strcmp(path, "/api/me"))
		return me(hs, cs, q, status);
	if (!strcmp(path, "/api/unknown"))
		return cs ? np_console_stats_unknown(cs) : json_object();
	if (!strcmp(path, "/api/hosts")) {
		if (arg && strlen(arg) > NP_CONSOLE_QUERY_MAX) {
			*status = 400;
			return np_console_api_error("query too long");
		}
		return np_api_hosts_json(hs, arg, NP_CONSOLE_HOSTS_MAX);
	}
	if (!(o = host(hs, cs, path + 10, &found))) {
		*status = 400;
		return np_console_api_error("not an IPv4 or IPv6 address");
	}
	if (!found)
		*status = 404;
	return o;
}
