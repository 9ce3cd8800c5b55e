/* SPDX-License-Identifier: MIT */
/*
 * The collector's web console: the host calls as a sensor answers them
 * (console_api.h), and its own
 *   /api/stats   its counters as "totals" (messages, records applied,
 *                skipped by why, acks), records written, hosts, sensors,
 *                and what the console kept (kinds, rate, top);
 *   /api/db      its database: files, digest (which the sensors' must
 *                match), sizes, hits.
 * A collector's database is the one it started with: POST /api/db/reload
 * and /api/db/compare are 409.
 */
#include <string.h>

#include <jansson.h>

#include "console_api.h"
#include "collector.h"

static json_t *
stats(const struct collector *c)
{
	struct np_source_counts sc;
	json_t *o = json_object(), *t = json_object(), *names = json_array();

	np_source_counts(c->src, &sc);
	json_object_set_new(t, "messages", json_integer((json_int_t)c->n.messages));
	json_object_set_new(t, "records_applied", json_integer((json_int_t)c->n.applied));
	json_object_set_new(t, "records_read_again", json_integer((json_int_t)c->n.replayed));
	json_object_set_new(t, "records_held", json_integer((json_int_t)c->merge.held));
	for (unsigned i = 0; i < NP_CSKIP_COUNT; i++) {
		char key[64];

		snprintf(key, sizeof(key), "skipped_%s", np_collect_skip_keys[i]);
		json_object_set_new(t, key, json_integer((json_int_t)c->skipped[i]));
	}
	json_object_set_new(t, "messages_missing", json_integer((json_int_t)c->merge.missing));
	json_object_set_new(t, "messages_late", json_integer((json_int_t)c->merge.late));
	json_object_set_new(t, "acked", json_integer((json_int_t)sc.acked));
	json_object_set_new(t, "delivered_again", json_integer((json_int_t)sc.again));
	json_object_set_new(t, "write_errors", json_integer((json_int_t)c->n.write_errors));
	json_object_set_new(t, "out_of_memory", json_integer((json_int_t)c->n.no_memory));
	for (unsigned i = 0; i < c->n.sensors; i++)
		json_array_append_new(names, json_string(c->names[i]));
	json_object_set_new(o, "totals", t);
	json_object_set_new(o, "workers", json_array());
	json_object_set_new(o, "records_written", json_integer((json_int_t)c->n.written));
	json_object_set_new(o, "hosts", json_integer(c->hosts.t.count));
	json_object_set_new(o, "db_generation", json_integer(c->db->generation));
	json_object_set_new(o, "sensors", names);
	json_object_set_new(o, "nats_connected", json_boolean(sc.connected));
	if (c->console)
		np_console_stats_summary(c->console, o);
	return o;
}

/* Its database, with the digest the sensors' must match. */
static json_t *
database(const struct collector *c)
{
	json_t *files = json_array(), *o;
	char digest[17];

	for (unsigned i = 0; i < c->o.n_fp; i++)
		json_array_append_new(files, json_string(c->o.fp[i]));
	o = np_console_api_database(c->db, files, 0, 0,
				    c->console ? np_console_stats_hits(c->console) : NULL, NULL);
	snprintf(digest, sizeof(digest), "%016llx", (unsigned long long)c->db->digest);
	json_object_set_new(o, "digest", json_string(digest));
	return o;
}

static unsigned
answer(void *ctx, const struct np_http_ask *q, char **body, size_t *len)
{
	const struct collector *c = ctx;
	const char *path = q->path;
	unsigned status = 200;
	json_t *o;

	if (!strcmp(path, "/api/db/reload") || !strcmp(path, "/api/db/compare")) {
		status = 409;
		o = np_console_api_error("a collector keeps the database it started with (the "
					 "sensors' own): restart it with theirs");
	} else if (!strcmp(path, "/api/stats") && !q->change) {
		o = stats(c);
	} else if (!strcmp(path, "/api/db") && !q->change) {
		o = database(c);
	} else if (!(o = np_console_api_answer(&c->hosts, c->console, q, &status))) {
		status = q->change ? 405 : 404;
		o = np_console_api_error(q->change ? "this call changes nothing: GET it" :
						     "no such API");
	}
	return np_console_api_reply(o, status, body, len);
}

struct np_http_calls
np_collect_console_calls(struct collector *c)
{
	return (struct np_http_calls){ .answer = answer, .shared = np_console_api_shared,
				       .ctx = c };
}
