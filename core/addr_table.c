/* SPDX-License-Identifier: MIT */
/*
 * Address table: a pool with a free list, a bucketed hash index
 * (bucket.h), and a doubly linked age list.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "addr_table.h"

#define NP_ADDR_INDEXED (2u << 20)	/* entries the index is sized for, at most */

int
np_addr_table_init(struct np_addr_table *t, uint32_t cap, size_t elem_size)
{
	memset(t, 0, sizeof(*t));
	t->pool = calloc(cap, elem_size);
	/*
	 * Host tables are sized for every flow holding two hosts of its own, a
	 * worst case that is rarely near (10M flows: 20M hosts): four entries a
	 * bucket, for 2M entries at most, so that a few hosts do not touch
	 * every page of a large index. Past 2M hosts, chains grow.
	 */
	if (!t->pool ||
	    np_bucket_index_init(&t->index, cap < NP_ADDR_INDEXED ? cap : NP_ADDR_INDEXED, 4,
				 t->pool + offsetof(struct np_addr_node, hnext), elem_size)) {
		np_addr_table_fini(t);
		return -ENOMEM;
	}
	t->elem_size = elem_size;
	t->cap = cap;
	/* entries never used come in index order: the pool's pages are
	 * touched as the table fills, not up front */
	t->free_head = NP_ADDR_NONE;
	t->unused = 0;
	t->oldest = t->newest = t->last = NP_ADDR_NONE;
	return 0;
}

void
np_addr_table_fini(struct np_addr_table *t)
{
	free(t->pool);
	np_bucket_index_fini(&t->index);
	memset(t, 0, sizeof(*t));
}

static inline bool
is_at(const struct np_addr_node *n, const uint8_t *addr, uint8_t ip_ver)
{
	/* fixed sizes: the compiler compares in registers */
	return n->ip_ver == ip_ver &&
	       (ip_ver == 4 ? !memcmp(n->addr, addr, 4) : !memcmp(n->addr, addr, 16));
}

struct np_addr_node *
np_addr_find(struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver)
{
	struct np_addr_node *n = np_addr_at(t, t->last);

	if (n && is_at(n, addr, ip_ver))
		return n;
	if ((n = np_addr_lookup(t, addr, ip_ver)))
		t->last = np_addr_index(t, n);
	return n;
}

struct np_addr_node *
np_addr_lookup(const struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver)
{
	struct np_bucket_iter it;

	for (uint32_t i = np_bucket_first(&t->index, np_addr_hash(addr, ip_ver), &it);
	     i != NP_BUCKET_NONE; i = np_bucket_more(&t->index, &it)) {
		struct np_addr_node *n = np_addr_at(t, i);

		if (is_at(n, addr, ip_ver))
			return n;
	}
	return NULL;
}

static void
unlink_age(struct np_addr_table *t, struct np_addr_node *n)
{
	if (n->newer != NP_ADDR_NONE)
		np_addr_at(t, n->newer)->older = n->older;
	else
		t->newest = n->older;
	if (n->older != NP_ADDR_NONE)
		np_addr_at(t, n->older)->newer = n->newer;
	else
		t->oldest = n->newer;
}

static void
link_newest(struct np_addr_table *t, struct np_addr_node *n)
{
	uint32_t idx = np_addr_index(t, n);

	n->older = t->newest;
	n->newer = NP_ADDR_NONE;
	if (t->newest != NP_ADDR_NONE)
		np_addr_at(t, t->newest)->newer = idx;
	else
		t->oldest = idx;
	t->newest = idx;
}

struct np_addr_node *
np_addr_insert(struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver)
{
	uint32_t idx = t->free_head;

	if (idx == NP_ADDR_NONE) {
		if (t->unused == t->cap)
			return NULL;
		idx = t->unused++;
	}

	struct np_addr_node *n = np_addr_at(t, idx);

	if (idx == t->free_head)
		t->free_head = n->hnext;
	memset(n, 0, t->elem_size);
	memcpy(n->addr, addr, ip_ver == 4 ? 4 : 16);
	n->ip_ver = ip_ver;
	n->hnext = NP_ADDR_NONE;
	np_bucket_insert(&t->index, np_addr_hash(addr, ip_ver), idx);
	link_newest(t, n);
	t->count++;
	t->last = idx;
	return n;
}

void
np_addr_touch(struct np_addr_table *t, struct np_addr_node *n)
{
	unlink_age(t, n);
	link_newest(t, n);
}

void
np_addr_remove(struct np_addr_table *t, struct np_addr_node *n)
{
	uint32_t idx = np_addr_index(t, n);

	np_bucket_remove(&t->index, np_addr_hash(n->addr, n->ip_ver), idx);
	unlink_age(t, n);
	if (t->last == idx)
		t->last = NP_ADDR_NONE;
	n->hnext = t->free_head;
	t->free_head = idx;
	t->count--;
}
