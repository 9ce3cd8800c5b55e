/* SPDX-License-Identifier: MIT */
/*
 * Database generations kept for the logger (generations.h): a short list in
 * publication order under a mutex, which the control thread takes at a
 * reload and the logger when a record's generation changes or a retired one
 * can go. Nothing on a worker's path.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "generations.h"
#include "netprint.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct np_db *kept[NP_GENS_MAX];	/* oldest first */
static unsigned n_kept;
static uint32_t retired_below;
static uint32_t released_below;	/* every generation below it is let go of */

int
np_gens_add(struct np_db *db)
{
	int rc = -ENOSPC;

	pthread_mutex_lock(&lock);
	if (n_kept < NP_GENS_MAX) {
		kept[n_kept++] = np_db_ref(db);
		rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void
np_gens_retire_below(uint32_t gen)
{
	__atomic_store_n(&retired_below, gen, __ATOMIC_RELEASE);
}

uint32_t
np_gens_retired_below(void)
{
	return __atomic_load_n(&retired_below, __ATOMIC_ACQUIRE);
}

void
np_gens_release(uint32_t gen)
{
	struct np_db *gone[NP_GENS_MAX];
	uint32_t retired = np_gens_retired_below();
	unsigned n = 0;

	if (gen > retired)
		gen = retired;
	if (gen <= __atomic_load_n(&released_below, __ATOMIC_RELAXED))
		return;	/* the usual call: nothing new to let go of, no lock */
	pthread_mutex_lock(&lock);
	while (n < n_kept && kept[n]->generation < gen) {
		gone[n] = kept[n];
		n++;
	}
	memmove(kept, kept + n, (n_kept - n) * sizeof(kept[0]));
	n_kept -= n;
	if (gen > released_below)
		__atomic_store_n(&released_below, gen, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock);
	for (unsigned i = 0; i < n; i++)
		np_db_unref(gone[i]);	/* freed here unless someone else holds it */
}

const struct np_db *
np_gens_find(uint32_t gen)
{
	const struct np_db *db = NULL;

	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < n_kept && !db; i++)
		if (kept[i]->generation == gen)
			db = kept[i];
	pthread_mutex_unlock(&lock);
	return db;
}

const struct np_db *
np_gens_newest(void)
{
	pthread_mutex_lock(&lock);
	const struct np_db *db = n_kept ? kept[n_kept - 1] : NULL;
	pthread_mutex_unlock(&lock);
	return db;
}

unsigned
np_gens_count(void)
{
	pthread_mutex_lock(&lock);
	unsigned n = n_kept;
	pthread_mutex_unlock(&lock);
	return n;
}

void
np_gens_fini(void)
{
	pthread_mutex_lock(&lock);
	unsigned n = n_kept;

	n_kept = 0;
	pthread_mutex_unlock(&lock);
	for (unsigned i = 0; i < n; i++)
		np_db_unref(kept[i]);
}
