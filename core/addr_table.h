/* SPDX-License-Identifier: MIT */
/*
 * A fixed-size table of entries keyed by IP address, kept in age order
 * (least recently touched first), as p0f keeps its hosts. Entries start
 * with a struct np_addr_node and live in one pool allocated at init; the
 * table never allocates afterwards. Used for the logger's hosts and for the
 * workers' host references.
 */
#ifndef NP_ADDR_TABLE_H
#define NP_ADDR_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "bucket.h"
#include "conn_hash.h"

#define NP_ADDR_NONE UINT32_MAX

struct np_addr_node {
	uint8_t addr[16];
	uint8_t ip_ver;
	uint32_t hnext, older, newer;	/* index chain or free list, age list */
};

struct np_addr_table {
	uint8_t *pool;
	struct np_bucket_index index;
	size_t elem_size;
	uint32_t cap, count, free_head;
	uint32_t unused;		/* entries from here on were never used */
	uint32_t oldest, newest;	/* indices, NP_ADDR_NONE when empty */
	uint32_t last;			/* the entry np_addr_find() gave or an insert made */
};

int np_addr_table_init(struct np_addr_table *t, uint32_t cap, size_t elem_size);
void np_addr_table_fini(struct np_addr_table *t);

static inline struct np_addr_node *
np_addr_at(const struct np_addr_table *t, uint32_t idx)
{
	return idx == NP_ADDR_NONE ? NULL : (struct np_addr_node *)(t->pool + idx * t->elem_size);
}

static inline uint32_t
np_addr_index(const struct np_addr_table *t, const struct np_addr_node *n)
{
	return (uint32_t)(((const uint8_t *)n - t->pool) / t->elem_size);
}

static inline uint32_t
np_addr_hash(const uint8_t *addr, uint8_t ip_ver)
{
	return np_endpoint_hash(addr, ip_ver == 4 ? 4 : 16, ip_ver);
}

/* Bring an address's bucket into the cache ahead of its lookup. */
static inline void
np_addr_prefetch(const struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver)
{
	np_bucket_prefetch(&t->index, np_addr_hash(addr, ip_ver));
}

struct np_addr_node *np_addr_lookup(const struct np_addr_table *t, const uint8_t *addr,
				    uint8_t ip_ver);

/* The same, looking first at the last entry found or inserted: the host
 * logic asks for one address several times in a row. */
struct np_addr_node *np_addr_find(struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver);

/* A zeroed entry for addr, newest in age order; NULL when the pool is full. */
struct np_addr_node *np_addr_insert(struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver);

/* Make an entry the newest. */
void np_addr_touch(struct np_addr_table *t, struct np_addr_node *n);

void np_addr_remove(struct np_addr_table *t, struct np_addr_node *n);

#endif /* NP_ADDR_TABLE_H */
