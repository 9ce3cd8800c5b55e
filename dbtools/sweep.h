/* SPDX-License-Identifier: MIT */
/*
 * Captures through several databases at once: each capture is read once
 * and every frame fed to one observer per database (p0f's limits, as
 * netprint -r runs), whose records go to one callback that says which
 * database made them; another callback follows each capture's last
 * record. What netprint report and netprint learn are built on.
 */
#ifndef NP_SWEEP_H
#define NP_SWEEP_H

#include <stddef.h>

#include "netprint.h"

struct np_sweep_hooks {
	/* a record of the capture being read, made with database db_index */
	void (*record)(void *ctx, size_t db_index, const struct np_record *rec);
	/* the capture's records are all given: -ENOMEM or 0 */
	int (*capture_done)(void *ctx, size_t capture_index, const char *path);
	void *ctx;
};

/* How the sweep went: what the tools print at the end. */
struct np_sweep_result {
	size_t read;		/* captures read to their end */
	size_t damaged;		/* ... of which ended on a damaged record */
	size_t skipped;		/* captures not read: a link type netprint cannot read */
	unsigned long long frames;
};

/*
 * Read captures[0..n-1] through dbs[0..n_dbs-1]. A capture that cannot be
 * opened or read is an error (stderr: "netprint WHO: FILE: why"; returns
 * -1 at once); one of a link type netprint does not read is said and
 * skipped; one that ends damaged is said and its frames kept. Returns 0.
 */
int np_sweep(const char *who, char *const *captures, size_t n, struct np_db *const *dbs,
	     size_t n_dbs, const struct np_sweep_hooks *hooks, struct np_sweep_result *res);

/*
 * Open "FILE[,FILE...]" (one database read as one, as -f -f does): NULL
 * after saying why on stderr.
 */
struct np_db *np_sweep_open_db(const char *who, const char *list);

/* netprint's own databases as such a list (malloc'd; NULL: no memory). */
char *np_sweep_bundled_list(void);

#endif /* NP_SWEEP_H */
