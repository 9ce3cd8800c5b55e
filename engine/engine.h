/* SPDX-License-Identifier: MIT */
/*
 * Engine-wide state shared by the lcores: the quit flag (set from signal
 * handlers) and the pieces main() wires together.
 */
#ifndef NP_ENGINE_H
#define NP_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rte_pause.h>

#include "api.h"
#include "hosts.h"
#include "lib.h"
#include "privs.h"
#include "worker.h"

/* The database workers read: published with RCU (QSBR), see control.c. */
extern struct np_db *np_db_current;

/* Set on SIGINT/SIGTERM; every loop polls it. */
bool np_engine_quit(void);
void np_engine_request_quit(void);

/*
 * Nothing to take for *empty polls in a row: spin for the first spins of
 * them, then sleep nap_ns each time instead of holding a CPU that a thread
 * with work may need (the caller zeroes *empty when work comes).
 */
static inline void
np_engine_idle(unsigned *empty, unsigned spins, long nap_ns)
{
	if (++*empty < spins) {
		rte_pause();
		return;
	}
	nanosleep(&(struct timespec){ .tv_nsec = nap_ns }, NULL);
}

#define NP_MAX_WORKERS 64

/* A record taken from a worker's ring, waiting for its turn. */
struct np_logger_head {
	bool valid;
	struct np_rec rec;
	char tail[NP_TAIL_MAX + 1];
};

/* The logger: merges the worker rings, keeps the hosts, writes outputs. */
struct np_control;

struct np_logger {
	struct np_worker **workers;
	unsigned n_workers;
	struct np_logger_head *heads;	/* one per worker */
	struct np_hosts *hosts;
	struct np_api *api;	/* -s, or NULL */
	struct np_http *http;	/* --http, or NULL */
	struct np_console_stats *console;	/* what the console shows; with --http */
	struct np_nats *nats;	/* --nats, or NULL */
	uint8_t *input;		/* with nats: the record the host logic has now, packed */
	size_t input_len;	/* (record.h), until a message carries it; 0: none */
	uint64_t nats_cycles;	/* TSC cycles the logger spent making and queueing them */
	const struct np_control *control;	/* the databases' files and reloads (console) */
	FILE *blocks;		/* stdout blocks, or NULL */
	FILE *log;		/* -o file, or NULL */
	FILE *json;		/* --json file, or NULL */
	const struct np_kept_path *log_path, *json_path;	/* reopened on SIGUSR1 */
	uint64_t reopens, reopen_failures;
	int cpu;		/* where the logger ran */
	uint64_t written;
	uint64_t json_errors;	/* records JSON could not encode */
	uint64_t write_errors;
	char *text;		/* one formatted record: NP_FORMAT_TEXT_MAX bytes */
	const struct np_db *db;	/* the last record's database (generations.h) */
	uint32_t released_below;	/* generations let go of */
	uint64_t unresolved;	/* records whose generation was gone: none */
	struct np_held held;	/* the record, held for np_record_format() (lib.h) */
};

/* Console answers between bursts of records: one, then more for this long. */
#define NP_LOGGER_HTTP_BUSY_US 50

/* Runs on the calling lcore until every worker is done and drained. */
void np_logger_run(struct np_logger *lg);

/*
 * With --nats: the record the host logic is about to be given (in packet
 * order), with the digest of its database; the first record published
 * after it carries it, or it goes alone (nats_wire.h).
 */
void np_logger_input(struct np_logger *lg, const struct np_rec *r, const char *tail,
		     uint64_t db_digest);

/* One record, as libnetprint gives it, to every output; and their flush. */
void np_logger_write(struct np_logger *lg, const struct np_record *v);
void np_logger_flush(struct np_logger *lg);

/* Ask for the -o and --json files to be reopened (signal handler safe). */
void np_logger_request_reopen(void);

/* Reopen them now if asked: between two records, on the logger's thread
 * (np_logger_run does it; call it where the logger has stopped running). */
void np_logger_reopen_if_asked(struct np_logger *lg);

#endif /* NP_ENGINE_H */
