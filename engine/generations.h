/* SPDX-License-Identifier: MIT */
/*
 * The databases records may still name. A record carries the generation of
 * the database that matched it, and the logger makes its text from that
 * database (record.h). The control thread adds each database before it
 * publishes it and, once a newer one has replaced it and no worker can hold
 * it any more (the RCU grace period), retires it; the logger lets retired
 * generations go when no record of them is left in a ring or in its hands.
 * Generations retire in the order they were published.
 */
#ifndef NP_GENERATIONS_H
#define NP_GENERATIONS_H

#include <stdint.h>

#include "db.h"

#define NP_GENS_MAX 16	/* a reload waits while this many are kept */

/* Keep db (a reference of its own) from now; -ENOSPC when full. */
int np_gens_add(struct np_db *db);

/* Every generation below gen is retired: no worker makes records of them. */
void np_gens_retire_below(uint32_t gen);

/* Generations below this are retired (acquire: read it before the rings). */
uint32_t np_gens_retired_below(void);

/* Let go of the retired generations below gen. */
void np_gens_release(uint32_t gen);

/* The database of a generation still kept, or NULL. */
const struct np_db *np_gens_find(uint32_t gen);

/* The newest database kept (the one published last), or NULL: it stays
 * valid on the thread that releases generations (it is never retired). */
const struct np_db *np_gens_newest(void);

/* Generations kept now. */
unsigned np_gens_count(void);

/* Let go of every one (the end). */
void np_gens_fini(void);

#endif /* NP_GENERATIONS_H */
