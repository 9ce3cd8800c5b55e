/* SPDX-License-Identifier: MIT */
/*
 * Captures through several databases at once (sweep.h).
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "sweep.h"

struct tap {
	const struct np_sweep_hooks *hooks;
	size_t db_index;
};

static void
on_record(void *ctx, const struct np_record *rec)
{
	const struct tap *t = ctx;

	t->hooks->record(t->hooks->ctx, t->db_index, rec);
}

static int
sweep_one(const char *who, const char *path, size_t index, struct np_db *const *dbs, size_t n_dbs,
	  const struct np_sweep_hooks *hooks, struct np_sweep_result *res)
{
	char msg[NP_MSG_MAX];
	struct np_capture *cap;
	struct np_observer **obs = calloc(n_dbs, sizeof(*obs));
	struct tap *taps = calloc(n_dbs, sizeof(*taps));
	int rc = np_capture_open_file(&cap, path, msg, sizeof(msg)), status = -1;

	if (!obs || !taps) {
		fprintf(stderr, "netprint %s: out of memory\n", who);
		goto out_free;
	}
	if (rc) {
		fprintf(stderr, "netprint %s: %s: %s\n", who, path, *msg ? msg : np_strerror(rc));
		if (rc == NP_ERR_LINKTYPE) {
			res->skipped++;
			status = 0;
		}
		goto out_free;
	}
	for (size_t i = 0; i < n_dbs; i++) {
		rc = np_observer_new(&obs[i], dbs[i], np_capture_linktype(cap), NULL);
		if (rc) {
			fprintf(stderr, "netprint %s: %s: %s (link type %d), skipped\n", who, path,
				np_strerror(rc), np_capture_linktype(cap));
			if (rc == NP_ERR_LINKTYPE) {
				res->skipped++;
				status = 0;
			}
			goto out_close;
		}
		taps[i] = (struct tap){ hooks, i };
		np_observer_on_record(obs[i], on_record, &taps[i]);
	}
	const uint8_t *frame;
	uint32_t caplen;
	uint64_t ts_us;

	while ((rc = np_capture_next(cap, &frame, &caplen, &ts_us)) == 1) {
		res->frames++;
		for (size_t i = 0; i < n_dbs; i++)
			np_observer_feed(obs[i], frame, caplen, ts_us);
	}
	if (rc == NP_ERR_DAMAGED) {
		fprintf(stderr, "netprint %s: %s: %s (its frames before are counted)\n", who, path,
			np_capture_error(cap));
		res->damaged++;
	} else if (rc) {
		fprintf(stderr, "netprint %s: %s: %s\n", who, path, np_capture_error(cap));
		goto out_close;
	}
	res->read++;
	if (hooks->capture_done(hooks->ctx, index, path)) {
		fprintf(stderr, "netprint %s: out of memory\n", who);
		goto out_close;
	}
	status = 0;
out_close:
	for (size_t i = 0; i < n_dbs; i++)
		np_observer_free(obs[i]);
	np_capture_close(cap);
out_free:
	free(obs);
	free(taps);
	return status;
}

int
np_sweep(const char *who, char *const *captures, size_t n, struct np_db *const *dbs,
	 size_t n_dbs, const struct np_sweep_hooks *hooks, struct np_sweep_result *res)
{
	memset(res, 0, sizeof(*res));
	/*
	 * An observer's tables are calloc'd large and touched as they fill.
	 * Freed, glibc would raise its mmap threshold above them, and every
	 * later observer's calloc would clear its tables from the heap: most
	 * of a sweep's time. A fixed threshold keeps them fresh zero pages.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	for (size_t c = 0; c < n; c++)
		if (sweep_one(who, captures[c], c, dbs, n_dbs, hooks, res))
			return -1;
	return 0;
}

struct np_db *
np_sweep_open_db(const char *who, const char *list)
{
	char *copy = strdup(list), *save = NULL, msg[NP_MSG_MAX];
	const char *paths[64];
	size_t n = 0;
	struct np_db *db = NULL;
	int rc;

	if (!copy) {
		fprintf(stderr, "netprint %s: out of memory\n", who);
		return NULL;
	}
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n == sizeof(paths) / sizeof(paths[0])) {
			fprintf(stderr, "netprint %s: %s: more than 64 files\n", who, list);
			goto out;
		}
		paths[n++] = p;
	}
	if (!n) {
		fprintf(stderr, "netprint %s: an empty database list\n", who);
		goto out;
	}
	if ((rc = np_db_open(&db, paths, n, msg, sizeof(msg))))
		fprintf(stderr, "netprint %s: %s\n", who, *msg ? msg : np_strerror(rc));
out:
	free(copy);
	return db;
}

char *
np_sweep_bundled_list(void)
{
	const char *const *paths = np_db_bundled();
	char *list = NULL;

	return asprintf(&list, "%s,%s", paths[0], paths[1]) < 0 ? NULL : list;
}
