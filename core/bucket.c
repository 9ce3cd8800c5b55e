/* SPDX-License-Identifier: MIT */
/*
 * The bucketed hash index (bucket.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"

int
np_bucket_index_init(struct np_bucket_index *bi, uint32_t cap, uint32_t per_bucket, void *links,
		     size_t stride)
{
	uint32_t n = cap / per_bucket + 1;

	memset(bi, 0, sizeof(*bi));
	/* calloc: zeroed pages are an empty index, touched as it fills */
	bi->buckets = calloc(n, sizeof(*bi->buckets));
	if (!bi->buckets)
		return -ENOMEM;
	bi->n_buckets = n;
	bi->links = links;
	bi->stride = stride;
	return 0;
}

void
np_bucket_index_fini(struct np_bucket_index *bi)
{
	free(bi->buckets);
	bi->buckets = NULL;
}

void
np_bucket_insert(struct np_bucket_index *bi, uint32_t hash, uint32_t idx)
{
	struct np_bucket *b = np_bucket_of(bi, hash);

	for (unsigned i = 0; i < NP_BUCKET_SLOTS; i++) {
		if (!b->tag[i]) {
			b->tag[i] = np_bucket_tag(hash);
			b->idx[i] = idx;
			return;
		}
	}
	*np_bucket_link(bi, idx) = ~b->overflow;
	b->overflow = ~idx;
	bi->chained++;
}

void
np_bucket_remove(struct np_bucket_index *bi, uint32_t hash, uint32_t idx)
{
	struct np_bucket *b = np_bucket_of(bi, hash);

	for (unsigned i = 0; i < NP_BUCKET_SLOTS; i++) {
		if (b->tag[i] && b->idx[i] == idx) {
			b->tag[i] = 0;
			return;
		}
	}
	/* in the chain: links hold indices as they are, the head inverted */
	uint32_t prev = NP_BUCKET_NONE, cur = ~b->overflow;

	while (cur != NP_BUCKET_NONE && cur != idx) {
		prev = cur;
		cur = *np_bucket_link(bi, cur);
	}
	if (cur == NP_BUCKET_NONE)
		return;		/* not in the index: cannot happen */
	if (prev == NP_BUCKET_NONE)
		b->overflow = ~*np_bucket_link(bi, idx);
	else
		*np_bucket_link(bi, prev) = *np_bucket_link(bi, idx);
}
