/* SPDX-License-Identifier: MIT */
/*
 * The web console's answers that read only a host table and what the
 * console kept (console_stats.h): the same on a sensor and on a collector.
 *   /api/host/ADDR   what the query socket answers for ADDR (404: unknown),
 *                    and the console's memory of it;
 *   /api/hosts?q=    hosts by address prefix or label (np_api_hosts_json);
 *   /api/me          the requester's own host, and the proxy it came through;
 *   /api/unknown     the raw signatures the database does not name.
 * Each program answers its own calls (/api/stats, /api/db, ...) and hands
 * the rest here.
 */
#ifndef NP_CONSOLE_API_H
#define NP_CONSOLE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "console_stats.h"
#include "hosts.h"
#include "http_server.h"

#define NP_CONSOLE_HOSTS_MAX 100	/* hosts a search answers */
#define NP_CONSOLE_QUERY_MAX 64

/* q's answer, with *status (200 unless said otherwise); NULL: not one of these calls. */
json_t *np_console_api_answer(const struct np_hosts *hs, const struct np_console_stats *cs,
			      const struct np_http_ask *q, unsigned *status);

/*
 * /api/db's description of a database, the same on a sensor and a
 * collector: generation, files, reloads, the signatures of each kind,
 * labels, sig lines, hits (consumed; NULL: none), candidates (consumed;
 * NULL: none). db may be NULL (all sizes 0).
 */
json_t *np_console_api_database(const struct np_db *db, json_t *files, uint64_t reloads,
				uint64_t reload_failures, json_t *hits, json_t *candidates);

/* {"error": why} */
json_t *np_console_api_error(const char *why);

/* o (consumed) as an answer's body: the status, or 500 without memory. */
unsigned np_console_api_reply(json_t *o, unsigned status, char **body, size_t *len);

/* Every answer but /api/me's is the same for whoever asks (np_http_calls.shared). */
bool np_console_api_shared(void *ctx, const struct np_http_ask *q);

#endif /* NP_CONSOLE_API_H */
