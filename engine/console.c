/* SPDX-License-Identifier: MIT */
/*
 * The web console's answers (console.h):
 *   /api/stats        the workers' counters, each and summed, records written,
 *                     hosts known, the database generation;
 *   /api/db           the database in use: files, generation, reloads, sizes;
 *   POST /api/db/reload   a reload of the database, as SIGHUP asks (202);
 *   POST /api/db/compare?q=FILE   the recent SYNs, SYN+ACKs, HTTP headers and TLS hellos
 *                     matched against FILE in place of the first database
 *                     file (the others kept): the answers that would change.
 *                     FILE is loaded on the request's own thread, never the
 *                     logger's.
 * A GET of a changing call, or a POST of a reading one, is 405. The host
 * calls (/api/host/ADDR, /api/hosts, /api/me, /api/unknown) are
 * console_api.h's, which a collector answers too; /api/events, the record
 * stream, is the server's own (http_server.h).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_ethdev.h>

#include "api.h"
#include "console.h"
#include "console_api.h"
#include "console_stats.h"
#include "control.h"
#include "engine.h"
#include "generations.h"
#include "http_server.h"
#include "nats_pub.h"
#include "options.h"
#include "privs.h"

#define NP_CONSOLE_PATH_MAX 256	/* a database file to compare */
#define NP_CONSOLE_CANDIDATES 32	/* .fp files /api/db offers */

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

/* What the devices say: received, missed (no room), errors, no mbuf. */
static json_t *
ports(const struct np_control *c)
{
	json_t *a = json_array();

	for (uint16_t p = 0; p < c->n_ports; p++) {
		struct rte_eth_stats st;
		char name[RTE_ETH_NAME_MAX_LEN] = "";

		rte_eth_dev_get_name_by_port(c->ports[p], name);
		if (rte_eth_stats_get(c->ports[p], &st))
			continue;
		json_array_append_new(a, json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I}",
			"port", c->ports[p], "name", name, "rx", (json_int_t)st.ipackets,
			"bytes", (json_int_t)st.ibytes, "missed", (json_int_t)st.imissed,
			"errors", (json_int_t)st.ierrors, "nombuf", (json_int_t)st.rx_nombuf));
	}
	return a;
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
	if (lg->console)
		np_console_stats_summary(lg->console, o);
	if (lg->control && lg->control->n_ports)
		json_object_set_new(o, "ports", ports(lg->control));
	if (lg->nats) {
		struct np_nats_counts n;

		np_nats_counts(lg->nats, &n);
		json_object_set_new(o, "nats", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
			"queued", (json_int_t)n.queued, "published", (json_int_t)n.published,
			"acked", (json_int_t)n.acked, "dropped", (json_int_t)n.dropped,
			"resent", (json_int_t)n.resent, "failed", (json_int_t)n.failed,
			"connected", n.connected));
	}
	return o;
}

/* The directory part of a path: "" for none; false when too long. */
static bool
dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) + 1 : 0;

	if (n >= size)
		return false;
	memcpy(dir, path, n);
	dir[n] = 0;
	return true;
}

/*
 * The database files one may compare: the .fp files beside the ones in
 * use, read through the directories kept from start (a chroot or another
 * user cannot hide them then).
 */
static json_t *
candidates(const struct np_control *c)
{
	json_t *a = json_array();

	for (unsigned i = 0; c && i < c->n_fp_files; i++) {
		const struct np_kept_path *k = &c->fp_paths[i];
		char dir[NP_CONSOLE_PATH_MAX], path[2 * NP_CONSOLE_PATH_MAX];
		int fd = k->dirfd >= 0 ? openat(k->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *e;

		if (!d) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while (dir_of(k->path, dir, sizeof(dir)) && (e = readdir(d)) &&
		       json_array_size(a) < NP_CONSOLE_CANDIDATES) {
			size_t n = strlen(e->d_name);
			bool seen = false;
			size_t j;
			json_t *v;

			if (n < 4 || strcmp(e->d_name + n - 3, ".fp"))
				continue;
			snprintf(path, sizeof(path), "%s%s", dir, e->d_name);
			json_array_foreach(a, j, v)
				seen |= !strcmp(json_string_value(v), path);
			if (!seen)
				json_array_append_new(a, json_string(path));
		}
		closedir(d);
	}
	return a;
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
	return np_console_api_database(db, files, c ? c->reloads : 0, c ? c->reload_failures : 0,
				       lg->console ? np_console_stats_hits(lg->console) : NULL,
				       candidates(c));
}

/* ---- /api/db/compare: the file loaded off the logger ---- */

struct compare_open {
	const struct np_control *c;
	const char *file;
};

/* The i-th file: the candidate first (through a kept directory when it is
 * in one), then the files in use after the first. */
static int
compare_open_file(void *ctx, unsigned i, int flags)
{
	const struct compare_open *co = ctx;
	char dir[NP_CONSOLE_PATH_MAX], kept[NP_CONSOLE_PATH_MAX];

	if (i)
		return np_kept_path_open(&co->c->fp_paths[i], flags, 0);
	if (dir_of(co->file, dir, sizeof(dir)))
		for (unsigned k = 0; k < co->c->n_fp_files; k++)
			if (co->c->fp_paths[k].dirfd >= 0 &&
			    dir_of(co->c->fp_paths[k].path, kept, sizeof(kept)) && !strcmp(dir, kept))
				return openat(co->c->fp_paths[k].dirfd, co->file + strlen(dir), flags);
	return open(co->file, flags);
}

static unsigned
prepare(void *ctx, struct np_http_ask *q, char **body, size_t *len)
{
	const struct np_logger *lg = ctx;
	const struct np_control *c = lg->control;
	const char *names[NP_MAX_FP_FILES];
	struct compare_open co = { c, q->arg };
	char err[512];
	size_t n;

	if (strcmp(q->path, "/api/db/compare") || !q->change)
		return 0;
	if (!c || !c->n_fp_files || c->n_fp_files > NP_MAX_FP_FILES)
		return np_console_api_reply(np_console_api_error("no database files to compare with"), 409, body, len);
	if (!q->arg || (n = strlen(q->arg)) < 4 || n >= NP_CONSOLE_PATH_MAX ||
	    strcmp(q->arg + n - 3, ".fp"))
		return np_console_api_reply(np_console_api_error("q= must name a database file ending in .fp"), 400, body,
				  len);
	names[0] = q->arg;
	for (unsigned i = 1; i < c->n_fp_files; i++)
		names[i] = c->fp_paths[i].path;
	if (!(q->prepared = np_db_load_opened(names, c->n_fp_files, compare_open_file, &co, err,
					      sizeof(err))))
		return np_console_api_reply(np_console_api_error(err), errno == EINVAL ? 422 : 404, body, len);
	return 0;
}

static void
release(void *ctx, struct np_http_ask *q)
{
	(void)ctx;
	np_db_free(q->prepared);
	q->prepared = NULL;
}

static json_t *
compare(const struct np_logger *lg, const struct np_http_ask *q, unsigned *status)
{
	json_t *o;

	if (!q->prepared || !lg->console) {
		*status = 500;
		return np_console_api_error("nothing to compare");
	}
	o = np_console_stats_compare(lg->console, q->prepared);
	json_object_set_new(o, "file", json_string(q->arg));
	return o;
}

static unsigned
answer(void *ctx, const struct np_http_ask *q, char **body, size_t *len)
{
	const struct np_logger *lg = ctx;
	const char *path = q->path;
	bool change = q->change;
	unsigned status = 200;
	json_t *o;

	if (!strcmp(path, "/api/db/reload") || !strcmp(path, "/api/db/compare")) {
		if (!change) {
			status = 405;
			o = np_console_api_error("POST it, with the token");
		} else if (!strcmp(path, "/api/db/compare")) {
			o = compare(lg, q, &status);
		} else {
			np_control_request_reload();
			status = 202;
			o = json_pack("{s:s}", "reload", "requested");
		}
	} else if (!strcmp(path, "/api/db") && !change) {
		o = database(lg);
	} else if (!strcmp(path, "/api/stats") && !change) {
		o = stats(lg);
	} else if (!(o = np_console_api_answer(lg->hosts, lg->console, q, &status))) {
		status = change ? 405 : 404;
		o = np_console_api_error(change ? "this call changes nothing: GET it" : "no such API");
	}
	return np_console_api_reply(o, status, body, len);
}

struct np_http_calls
np_console_calls(struct np_logger *lg)
{
	return (struct np_http_calls){ .answer = answer, .prepare = prepare, .release = release,
				       .shared = np_console_api_shared, .ctx = lg };
}
