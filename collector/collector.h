/* SPDX-License-Identifier: MIT */
/*
 * The collector's state, shared by its files (collect.c: messages, host
 * logic, outputs; collect_console.c: its web console's answers).
 */
#ifndef NP_COLLECTOR_H
#define NP_COLLECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "console_stats.h"
#include "hosts.h"
#include "http_server.h"
#include "lib.h"
#include "merge.h"
#include "nats_wire.h"
#include "source.h"

#define NP_COLLECT_FP_MAX 16

/* Why messages were not applied: one list, counted, printed, served. */
#define NP_FOREACH_COLLECT_SKIP(_) \
	_(DERIVED, "derived", "made again here from their inputs") \
	_(FOREIGN, "foreign", "not a netprint sensor's") \
	_(MALFORMED, "malformed", "an input record that does not decode or check") \
	_(OTHER_DB, "other_database", "an input of another database") \
	_(OTHER_VERSION, "other_version", "an input of another netprint version or byte order") \
	_(TOO_MANY, "too_many_sensors", "from a sensor beyond the 64 a collector names")

enum np_collect_skip {
#define NP_CSKIP_ENUM_(id, key, why) NP_CSKIP_##id,
	NP_FOREACH_COLLECT_SKIP(NP_CSKIP_ENUM_)
#undef NP_CSKIP_ENUM_
	NP_CSKIP_COUNT
};

struct options {
	const char *urls, *stream, *durable, *creds, *tls_ca;
	const char *fp[NP_COLLECT_FP_MAX];
	unsigned n_fp;
	const char *json, *log, *api_sock, *http;
	const char *proxies[NP_HTTP_MAX_PROXIES];
	unsigned n_proxies;
	uint32_t hosts;
	uint64_t hold_ms;
};

struct collector {
	struct options o;
	struct np_db *db;
	struct np_hosts hosts;
	struct np_merge merge;
	struct np_source *src;
	struct np_api *api;
	struct np_http *http;
	struct np_console_stats *console;
	FILE *json, *log;
	char *text;		/* one formatted record */
	struct np_held held;
	uint8_t *input;		/* a decoded message's packed record */
	char *tail;		/* and its tail */
	struct np_rec rec;
	char names[NP_MERGE_SENSORS][NP_NATS_SENSOR_MAX + 1];
	const char *name_of[NP_MERGE_SENSORS];
	uint8_t vworker[NP_MERGE_SENSORS][256];	/* a sensor's worker: its host-table worker + 1 */
	unsigned n_vworkers;
	const struct np_pending *cur;	/* the record the host logic has */
	bool caught_up;
	uint64_t flushed;	/* n.written when the outputs were last flushed */
	uint64_t skipped[NP_CSKIP_COUNT];
	struct {
		uint64_t messages;	/* taken from the stream (replayed ones too) */
		uint64_t applied;	/* input records given to the host logic */
		uint64_t replayed;	/* of them, read again at start (not written) */
		uint64_t written;	/* records written (not replayed ones) */
		uint64_t write_errors, no_memory;
		unsigned sensors;
	} n;
};

extern const char *const np_collect_skip_keys[NP_CSKIP_COUNT];


/* The web console's calls (collect_console.c). */
struct np_http_calls np_collect_console_calls(struct collector *c);

#endif /* NP_COLLECTOR_H */
