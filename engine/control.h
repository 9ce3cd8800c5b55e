/* SPDX-License-Identifier: MIT */
/*
 * The control thread: database hot reload (SIGHUP, or a request on the API
 * socket) and counters, printed every --stats seconds and served through
 * DPDK telemetry. It never touches the packet path: a new database is
 * built and checked here, published with RCU, and the old one freed after
 * a grace period.
 */
#ifndef NP_CONTROL_H
#define NP_CONTROL_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "engine.h"

struct np_control {
	const struct np_kept_path *fp_paths;	/* read as one database, in order,
						 * reopened by name at each reload */
	unsigned n_fp_files;
	struct np_worker **workers;
	unsigned n_workers;
	const uint16_t *ports;
	uint16_t n_ports;
	const struct np_logger *logger;
	unsigned stats_period;		/* seconds, 0 = none */
	uint64_t reloads, reload_failures;
	bool telemetry;			/* EAL runs: serve DPDK telemetry */
	struct timespec start;		/* when the workers were launched */
	uint64_t start_tsc;		/* the TSC then: its rate, without EAL too */
	pthread_t thread;
	bool running;
};

/* Publish the first database (generation 1); no reader exists yet. */
void np_control_publish_first(struct np_db *db);

/* Ask for a reload (signal handler and API safe). */
void np_control_request_reload(void);

int np_control_start(struct np_control *c);

/* The workers run from now: the clock of the rates printed. */
void np_control_started(struct np_control *c);

/* Stop the thread (after the workers have stopped) and free the database. */
void np_control_stop(struct np_control *c);

/* Sum of one counter over the workers. */
uint64_t np_control_counter(const struct np_control *c, enum np_worker_ctr ctr);

/* Print every counter, per worker when there are several. */
void np_control_print(const struct np_control *c, FILE *out);

#endif /* NP_CONTROL_H */
