/* SPDX-License-Identifier: MIT */
/*
 * The logger: takes records from every worker's ring in turn and writes
 * them as p0f blocks (stdout) and p0f log lines (-o). It is the only place
 * that does output, so workers never block on I/O.
 */
#include <rte_pause.h>
#include <rte_ring.h>

#include "engine.h"
#include "format.h"

#define NP_LOG_BURST 64

static void
write_record(struct np_logger *lg, const struct np_record *r)
{
	char buf[NP_FORMAT_MAX];
	size_t n;

	if (lg->blocks) {
		n = np_format_block(buf, sizeof(buf), r);
		if (fwrite(buf, 1, n, lg->blocks) != n)
			lg->write_errors++;
	}
	if (lg->log) {
		n = np_format_log_line(buf, sizeof(buf), r);
		if (fwrite(buf, 1, n, lg->log) != n)
			lg->write_errors++;
	}
	lg->written++;
}

/* Drain what is queued now; returns the number of records handled. */
static unsigned
drain(struct np_logger *lg)
{
	struct np_record recs[NP_LOG_BURST];
	unsigned total = 0;

	for (unsigned w = 0; w < lg->n_workers; w++) {
		unsigned n = rte_ring_sc_dequeue_burst_elem(lg->workers[w]->ring, recs,
							    sizeof(recs[0]), NP_LOG_BURST, NULL);

		for (unsigned i = 0; i < n; i++)
			write_record(lg, &recs[i]);
		total += n;
	}
	return total;
}

static bool
all_done(const struct np_logger *lg)
{
	for (unsigned w = 0; w < lg->n_workers; w++)
		if (!lg->workers[w]->done)
			return false;
	return true;
}

void
np_logger_run(struct np_logger *lg)
{
	for (;;) {
		bool finished = all_done(lg);

		/* Once every worker is done, one more pass empties the rings. */
		if (drain(lg) == 0) {
			if (finished)
				break;
			rte_pause();
		}
	}
	if (lg->blocks)
		fflush(lg->blocks);
	if (lg->log)
		fflush(lg->log);
}
