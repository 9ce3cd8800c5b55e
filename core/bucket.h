/* SPDX-License-Identifier: MIT */
/*
 * The hash index of the flow and address tables: one cache line per bucket
 * holding ten 16-bit tags and the entries' indices, so a lookup reads one
 * line and touches an entry only when its tag matches; a miss costs the
 * bucket alone. A bucket that is full chains further entries through the
 * entries' own link field (the one their free list uses: an entry is in
 * the index or free, never both). Buckets are many enough that a chain is
 * rare while the table is as full as it usually gets; zeroed memory is an
 * empty index, so the pages of buckets are touched as the table fills.
 */
#ifndef NP_BUCKET_H
#define NP_BUCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_BUCKET_SLOTS 10
#define NP_BUCKET_NONE UINT32_MAX

struct np_bucket {
	uint16_t tag[NP_BUCKET_SLOTS];	/* 0: a free slot */
	uint32_t idx[NP_BUCKET_SLOTS];
	uint32_t overflow;		/* first chained entry, inverted (0: none) */
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct np_bucket) == 64, "a bucket is a cache line");

struct np_bucket_index {
	struct np_bucket *buckets;
	uint32_t n_buckets;
	uint8_t *links;		/* entry i's link: links + i * stride */
	size_t stride;
	uint64_t chained;	/* entries that found their bucket full */
};

/* For a table of cap entries whose link field sits at links + i * stride:
 * a bucket per per_bucket entries (the table full), at most 10. */
int np_bucket_index_init(struct np_bucket_index *bi, uint32_t cap, uint32_t per_bucket,
			 void *links, size_t stride);
void np_bucket_index_fini(struct np_bucket_index *bi);

static inline struct np_bucket *
np_bucket_of(const struct np_bucket_index *bi, uint32_t hash)
{
	return &bi->buckets[((uint64_t)hash * bi->n_buckets) >> 32];
}

/* The tag comes from the bits the bucket's choice uses least. */
static inline uint16_t
np_bucket_tag(uint32_t hash)
{
	uint16_t tag = (uint16_t)hash;

	return tag ? tag : 1;
}

static inline uint32_t *
np_bucket_link(const struct np_bucket_index *bi, uint32_t idx)
{
	return (uint32_t *)(bi->links + idx * bi->stride);
}

static inline void
np_bucket_prefetch(const struct np_bucket_index *bi, uint32_t hash)
{
	__builtin_prefetch(np_bucket_of(bi, hash));
}

/*
 * The entries that may hold a hash's key, in turn: np_bucket_first(), then
 * np_bucket_more() while they give an index (NP_BUCKET_NONE at the end).
 * The caller compares the keys.
 */
struct np_bucket_iter {
	const struct np_bucket *b;
	uint32_t next;		/* in the chain */
	uint16_t tag;
	uint8_t slot;
	bool in_chain;
};

static inline uint32_t
np_bucket_more(const struct np_bucket_index *bi, struct np_bucket_iter *it)
{
	if (!it->in_chain) {
		for (; it->slot < NP_BUCKET_SLOTS; it->slot++)
			if (it->b->tag[it->slot] == it->tag)
				return it->b->idx[it->slot++];
		it->in_chain = true;
		it->next = ~it->b->overflow;
	}
	uint32_t i = it->next;

	if (i != NP_BUCKET_NONE)
		it->next = *np_bucket_link(bi, i);
	return i;
}

static inline uint32_t
np_bucket_first(const struct np_bucket_index *bi, uint32_t hash, struct np_bucket_iter *it)
{
	it->b = np_bucket_of(bi, hash);
	it->tag = np_bucket_tag(hash);
	it->next = NP_BUCKET_NONE;
	it->slot = 0;
	it->in_chain = false;
	return np_bucket_more(bi, it);
}

void np_bucket_insert(struct np_bucket_index *bi, uint32_t hash, uint32_t idx);
void np_bucket_remove(struct np_bucket_index *bi, uint32_t hash, uint32_t idx);

#endif /* NP_BUCKET_H */
