/* SPDX-License-Identifier: MIT */
/*
 * netprint -r FILE, one capture and no EAL: libnetprint's observer reads
 * it on the main thread (the library is what the program runs), writing
 * through the logger's outputs and answering the query API between
 * frames. Reloads reach it through RCU like the workers: it takes the
 * published database's reference at its quiescent points.
 */
#ifndef NP_READER_H
#define NP_READER_H

#include "engine.h"
#include "lib.h"
#include "options.h"

struct np_reader {
	struct np_observer *obs;
	struct np_capture *cap;		/* the engine's, opened by main */
	struct np_worker *w;		/* counters and where, as control prints them */
	struct np_logger *lg;
};

/* The observer for cap, on the published database; its hosts become the
 * logger's (the query API's). 0, or -1 said on stderr. */
int np_reader_init(struct np_reader *r, const struct np_options *o, struct np_capture *cap,
		   struct np_worker *w, struct np_logger *lg);

/* Read the capture to its end (or a stop request). */
void np_reader_run(struct np_reader *r);

void np_reader_fini(struct np_reader *r);

#endif /* NP_READER_H */
