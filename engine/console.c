/* SPDX-License-Identifier: MIT */
/*
 * The web console's answers (console.h):
 *   /api/stats        the workers' counters, each and summed, records written,
 *                     hosts known, the database generation;
 *   /api/host/ADDR    what the query socket answers for ADDR (404: unknown);
 *   /api/hosts?q=     hosts by address prefix or label (np_api_hosts_json);
 *   /api/db           the database in use: files, generation, reloads, sizes;
 *   /api/me           the requester's own host (/api/host's answer for the
 *                     address it asks from) and the proxy it came through;
 *   POST /api/db/reload   a reload of the database, as SIGHUP asks (202).
 * A GET of a changing call, or a POST of a reading one, is 405.
 */
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "console.h"
#include "control.h"
#include "engine.h"
#include "generations.h"
#include "http_server.h"

#define NP_CONSOLE_HOSTS_MAX 100	/* hosts a search answers */
#define NP_CONSOLE_QUERY_MAX 64

/* Counters keyed as telemetry keys them (np_ctr_key). */
static json_t *
counters(const uint64_t *ctr)
{
	json_t *o = json_object();

	for (unsigned i = 0; i < NP_CTR_COUNT; i++) {
		char key[48];

		json_object_set_new(o, np_ctr_key(np_worker_ctr_ids[i], key, sizeof(key)),
				    json_integer((json_int_t)ctr[i]));
	}
	return o;
}

static json_t *
stats(const struct np_logger *lg)
{
	const struct np_db *db = np_gens_newest();
	json_t *o = json_object(), *each = json_array();
	uint64_t sum[NP_CTR_COUNT] = { 0 };

	for (unsigned w = 0; w < lg->n_workers; w++) {
		const struct np_worker *wk = lg->workers[w];

		for (unsigned i = 0; i < NP_CTR_COUNT; i++)
			sum[i] += wk->ctr[i];
		json_array_append_new(each, counters(wk->ctr));
	}
	json_object_set_new(o, "totals", counters(sum));
	json_object_set_new(o, "workers", each);
	json_object_set_new(o, "records_written", json_integer((json_int_t)lg->written));
	json_object_set_new(o, "hosts", json_integer(lg->hosts ? lg->hosts->t.count : 0));
	json_object_set_new(o, "db_generation", json_integer(db ? db->generation : 0));
	return o;
}

/* The database in use: its files, generation, reloads and what it holds. */
static json_t *
database(const struct np_logger *lg)
{
	const struct np_db *db = np_gens_newest();
	const struct np_control *c = lg->control;
	json_t *files = json_array();

	for (unsigned i = 0; c && i < c->n_fp_files; i++)
		json_array_append_new(files, json_string(c->fp_paths[i].path));
	return json_pack("{s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:I, s:I}",
		"generation", (json_int_t)(db ? db->generation : 0), "files", files,
		"reloads", (json_int_t)(c ? c->reloads : 0),
		"reload_failures", (json_int_t)(c ? c->reload_failures : 0),
		"signatures",
		"tcp_request", (json_int_t)(db ? db->n_tcp[NP_DIR_REQUEST] : 0),
		"tcp_response", (json_int_t)(db ? db->n_tcp[NP_DIR_RESPONSE] : 0),
		"http_request", (json_int_t)(db ? db->n_http[NP_DIR_REQUEST] : 0),
		"http_response", (json_int_t)(db ? db->n_http[NP_DIR_RESPONSE] : 0),
		"tls_client", (json_int_t)(db ? db->n_tls[NP_DIR_REQUEST] : 0),
		"tls_server", (json_int_t)(db ? db->n_tls[NP_DIR_RESPONSE] : 0),
		"mtu", (json_int_t)(db ? db->n_mtu : 0),
		"labels", (json_int_t)(db ? db->n_labels : 0),
		"sig_lines", (json_int_t)(db ? db->n_sigs : 0));
}

static json_t *
error(const char *why)
{
	return json_pack("{s:s}", "error", why);
}

/* The requester's own host: /api/host's answer for the address it asks from. */
static json_t *
me(const struct np_logger *lg, const struct np_http_ask *q, unsigned *status)
{
	bool found = false;
	json_t *o = np_api_host_json(lg->hosts, q->client, &found);

	if (!o) {
		*status = 500;
		return error("the connection's address is unknown");
	}
	if (!found)
		*status = 404;
	json_object_set_new(o, "via_proxy", q->proxy ? json_string(q->proxy) : json_null());
	return o;
}

unsigned
np_console_answer(void *ctx, const struct np_http_ask *q, char **body, size_t *len)
{
	const struct np_logger *lg = ctx;
	const char *path = q->path, *arg = q->arg;
	bool change = q->change;
	unsigned status = 200;
	json_t *o;

	if (!strcmp(path, "/api/db/reload")) {
		if (change) {
			np_control_request_reload();
			status = 202;
			o = json_pack("{s:s}", "reload", "requested");
		} else {
			status = 405;
			o = error("POST it, with the token");
		}
	} else if (change) {
		status = 405;
		o = error("this call changes nothing: GET it");
	} else if (!strcmp(path, "/api/me")) {
		o = me(lg, q, &status);
	} else if (!strcmp(path, "/api/db")) {
		o = database(lg);
	} else if (!strcmp(path, "/api/stats")) {
		o = stats(lg);
	} else if (!strcmp(path, "/api/hosts")) {
		if (arg && strlen(arg) > NP_CONSOLE_QUERY_MAX) {
			status = 400;
			o = error("query too long");
		} else {
			o = np_api_hosts_json(lg->hosts, arg, NP_CONSOLE_HOSTS_MAX);
		}
	} else if (!strncmp(path, "/api/host/", 10)) {
		bool found = false;

		if (!(o = np_api_host_json(lg->hosts, path + 10, &found))) {
			status = 400;
			o = error("not an IPv4 or IPv6 address");
		} else if (!found) {
			status = 404;
		}
	} else {
		status = 404;
		o = error("no such API");
	}
	*body = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	*len = *body ? strlen(*body) : 0;
	json_decref(o);
	return *body ? status : 500;
}
