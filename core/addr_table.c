/* SPDX-License-Identifier: MIT */
/*
 * Address table: a pool with a free list, power-of-two hash buckets chained
 * through the pool, and a doubly linked age list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "addr_table.h"

static uint32_t
addr_hash(const uint8_t *addr, uint8_t ip_ver)
{
	uint32_t h = 2166136261u;

	for (unsigned i = 0; i < (ip_ver == 4 ? 4u : 16u); i++)
		h = (h ^ addr[i]) * 16777619u;
	return h ^ (h >> 15);
}

int
np_addr_table_init(struct np_addr_table *t, uint32_t cap, size_t elem_size)
{
	uint32_t nb = 1;

	memset(t, 0, sizeof(*t));
	/* a bucket per 2 entries: host tables are sized for every flow
	 * holding two hosts of its own, a worst case that is rarely full */
	while (nb < cap / 2)
		nb <<= 1;
	t->pool = calloc(cap, elem_size);
	/* zeroed buckets read as empty (see head()): pages touched as used */
	t->buckets = calloc(nb, sizeof(*t->buckets));
	if (!t->pool || !t->buckets) {
		np_addr_table_fini(t);
		return -ENOMEM;
	}
	t->elem_size = elem_size;
	t->cap = cap;
	t->mask = nb - 1;
	/* entries never used come in index order: the pool's pages are
	 * touched as the table fills, not up front */
	t->free_head = NP_ADDR_NONE;
	t->unused = 0;
	t->oldest = t->newest = NP_ADDR_NONE;
	return 0;
}

void
np_addr_table_fini(struct np_addr_table *t)
{
	free(t->pool);
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

/* A bucket holds its chain's first index inverted: 0, as calloc leaves it,
 * is NP_ADDR_NONE. */
static inline uint32_t
head(const struct np_addr_table *t, uint32_t b)
{
	return ~t->buckets[b];
}

struct np_addr_node *
np_addr_lookup(const struct np_addr_table *t, const uint8_t *addr, uint8_t ip_ver)
{
	for (uint32_t i = head(t, addr_hash(addr, ip_ver) & t->mask); i != NP_ADDR_NONE;) {
		struct np_addr_node *n = np_addr_at(t, i);

		/* fixed sizes: the compiler compares in registers */
		if (n->ip_ver == ip_ver &&
		    (ip_ver == 4 ? !memcmp(n->addr, addr, 4) : !memcmp(n->addr, addr, 16)))
			return n;
		i = n->hnext;
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
	uint32_t b = addr_hash(addr, ip_ver) & t->mask;

	if (idx == t->free_head)
		t->free_head = n->hnext;
	memset(n, 0, t->elem_size);
	memcpy(n->addr, addr, ip_ver == 4 ? 4 : 16);
	n->ip_ver = ip_ver;
	n->hnext = head(t, b);
	t->buckets[b] = ~np_addr_index(t, n);
	link_newest(t, n);
	t->count++;
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
	uint32_t b = addr_hash(n->addr, n->ip_ver) & t->mask;

	if (head(t, b) == idx) {
		t->buckets[b] = ~n->hnext;
	} else {
		struct np_addr_node *p = np_addr_at(t, head(t, b));

		while (p->hnext != idx)
			p = np_addr_at(t, p->hnext);
		p->hnext = n->hnext;
	}
	unlink_age(t, n);
	n->hnext = t->free_head;
	t->free_head = idx;
	t->count--;
}
