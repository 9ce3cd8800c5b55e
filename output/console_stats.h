/* SPDX-License-Identifier: MIT */
/*
 * What the web console remembers of the records the logger writes (with
 * --http only), kept on the logger, bounded, and read there when it answers:
 *   - records per kind since start, and per second for the last
 *     NP_CS_RATE_SECONDS seconds of packet time;
 *   - per minute of packet time, for the last NP_CS_MINUTES: how often each
 *     OS (SYN, SYN+ACK), HTTP client and server, TLS client, link type and
 *     distance was seen;
 *   - the raw signatures the database does not name, with counts and
 *     example hosts (up to NP_CS_UNKNOWN_MAX of them);
 *   - how often each database signature matched, since start;
 *   - the last NP_CS_RECENT SYN, SYN+ACK, HTTP and TLS observations, with
 *     what matching needs, for another database to be tried on them (HTTP
 *     from its raw signature: exact but for header values p0f does not
 *     print or cuts);
 *   - per host (the NP_CS_HOSTS most recently seen), the OS labels its
 *     SYNs had over time, its last host change and ip sharing reasons, its
 *     last uptime and clock, and its last raw signature and full label of
 *     each kind
 *     (SYN, SYN+ACK, HTTP request and response, TLS client and server),
 *     which the host table (p0f's, 31-character names) does not keep.
 * "Now" is the newest record's packet time, so a capture read with -r
 * shows its own last minutes.
 */
#ifndef NP_CONSOLE_STATS_H
#define NP_CONSOLE_STATS_H

#include <stdint.h>

#include <jansson.h>

#include "db.h"
#include "record.h"

#define NP_CS_RATE_SECONDS 300
#define NP_CS_MINUTES 15
#define NP_CS_TOP 10		/* entries a distribution shows */
#define NP_CS_UNKNOWN_MAX 4096
#define NP_CS_UNKNOWN_SHOWN 200
#define NP_CS_HITS_MAX 8192
#define NP_CS_HITS_SHOWN 500
#define NP_CS_RECENT 4096
#define NP_CS_EXAMPLES 3	/* example hosts of an unknown signature */
#define NP_CS_HOSTS 16384	/* hosts whose last signatures are kept */

struct np_console_stats;

struct np_console_stats *np_console_stats_new(void);
void np_console_stats_free(struct np_console_stats *cs);

/* One record (names resolved, tail as the logger has it). */
void np_console_stats_see(struct np_console_stats *cs, const struct np_rec *r,
			  const char *tail);

/* /api/stats's "kinds", "rate" and "top", set into o. */
void np_console_stats_summary(const struct np_console_stats *cs, json_t *o);

/*
 * What the console kept of a host (ip_ver 4: 4 bytes of addr), set into the
 * host's JSON object: "signatures" ({"syn": {"sig", "label", "seen"}, ...}),
 * "os_history" (the labels its SYNs had, oldest first, with when),
 * "changes" ({"ip sharing"|"host change": {"reasons", "seen"}}), "clock"
 * (the last uptime: {"uptime_min", "modulo_days", "frequency_hz", "seen"},
 * or null). Empty when it kept nothing of that address.
 */
void np_console_stats_host(const struct np_console_stats *cs, uint8_t ip_ver,
			   const uint8_t *addr, json_t *host);

/* /api/unknown's answer. */
json_t *np_console_stats_unknown(const struct np_console_stats *cs);

/* /api/db's "hits", most matched first. */
json_t *np_console_stats_hits(const struct np_console_stats *cs);

/*
 * /api/db/compare's answer: the recent observations matched against db,
 * with the answers that would change (label then and now), grouped, and
 * how many could not be read back ("unreadable").
 */
json_t *np_console_stats_compare(const struct np_console_stats *cs, const struct np_db *db);

#endif /* NP_CONSOLE_STATS_H */
