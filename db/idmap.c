/* SPDX-License-Identifier: MIT */
/* The loader's id map: separate chaining, doubled when it gets as full as wide. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

static uint32_t
bucket(const struct np_idmap *m, uint64_t key)
{
	return (uint32_t)(key ^ (key >> 32)) & m->mask;
}

static int
grow_ids(struct np_idmap *m, uint32_t id)
{
	uint32_t cap = m->cap ? m->cap : 64;

	while (cap <= id)
		cap *= 2;
	uint32_t *next = realloc(m->next, cap * sizeof(*next));
	if (next)
		m->next = next;
	uint64_t *key = realloc(m->key, cap * sizeof(*key));
	if (key)
		m->key = key;
	uint8_t *filed = realloc(m->filed, cap);
	if (filed)
		m->filed = filed;
	if (!next || !key || !filed)
		return -ENOMEM;
	memset(m->filed + m->cap, 0, cap - m->cap);
	m->cap = cap;
	return 0;
}

static int
grow_buckets(struct np_idmap *m)
{
	uint32_t n = m->head ? (m->mask + 1) * 2 : 64;
	uint32_t *head = malloc(n * sizeof(*head));

	if (!head)
		return -ENOMEM;
	free(m->head);
	m->head = head;
	m->mask = n - 1;
	for (uint32_t b = 0; b < n; b++)
		head[b] = NP_IDMAP_END;
	/* Refile in decreasing id order, so that each chain runs in increasing order. */
	for (uint32_t id = m->cap; id-- > 0;)
		if (m->filed[id]) {
			uint32_t b = bucket(m, m->key[id]);

			m->next[id] = head[b];
			head[b] = id;
		}
	return 0;
}

int
np_idmap_add(struct np_idmap *m, uint64_t key, uint32_t id)
{
	if (id >= m->cap && grow_ids(m, id))
		return -ENOMEM;
	m->key[id] = key;
	m->filed[id] = 1;
	if (!m->head || m->count + 1 > m->mask + 1) {
		m->count++;
		return grow_buckets(m);	/* files id with the rest */
	}
	m->count++;
	uint32_t b = bucket(m, key);
	m->next[id] = m->head[b];
	m->head[b] = id;
	return 0;
}

static uint32_t
skip_other_keys(const struct np_idmap *m, uint32_t id, uint64_t key)
{
	while (id != NP_IDMAP_END && m->key[id] != key)
		id = m->next[id];
	return id;
}

uint32_t
np_idmap_first(const struct np_idmap *m, uint64_t key)
{
	return m->head ? skip_other_keys(m, m->head[bucket(m, key)], key) : NP_IDMAP_END;
}

uint32_t
np_idmap_next(const struct np_idmap *m, uint32_t id)
{
	return skip_other_keys(m, m->next[id], m->key[id]);
}

void
np_idmap_free(struct np_idmap *m)
{
	free(m->head);
	free(m->next);
	free(m->key);
	free(m->filed);
	memset(m, 0, sizeof(*m));
}
