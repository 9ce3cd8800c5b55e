/* SPDX-License-Identifier: MIT */
/*
 * An id map: ids filed under 64-bit keys (hashes) in a chained table, so
 * that the loader finds a name, or the earlier signatures that may cover a
 * new one, without comparing with everything read so far. Several ids may
 * share a key; callers compare what they find. Ids are small integers (array
 * indices); each is filed at most once.
 */
#ifndef NP_IDMAP_H
#define NP_IDMAP_H

#include <stdint.h>

#define NP_IDMAP_END UINT32_MAX

struct np_idmap {
	uint32_t *head;		/* bucket -> first id, NP_IDMAP_END when empty */
	uint32_t mask;
	uint32_t count;
	uint32_t cap;		/* ids below cap have slots in the arrays below */
	uint32_t *next;		/* id -> next id in its bucket */
	uint64_t *key;		/* id -> the key it is filed under */
	uint8_t *filed;		/* id -> 1 once filed */
};

/* File id under key; 0 or -ENOMEM. */
int np_idmap_add(struct np_idmap *m, uint64_t key, uint32_t id);

/* The first id filed under key, then the next ones; NP_IDMAP_END at the end. */
uint32_t np_idmap_first(const struct np_idmap *m, uint64_t key);
uint32_t np_idmap_next(const struct np_idmap *m, uint32_t id);

void np_idmap_free(struct np_idmap *m);

/* FNV-1a, to build keys: start from NP_IDMAP_SEED, feed bytes. */
#define NP_IDMAP_SEED 14695981039346656037ull

static inline uint64_t
np_idmap_hash(uint64_t h, const void *p, uint64_t len)
{
	const uint8_t *b = p;

	while (len--)
		h = (h ^ *b++) * 1099511628211ull;
	return h;
}

#endif /* NP_IDMAP_H */
