/* SPDX-License-Identifier: MIT */
/*
 * TCP index: an open-addressing table keyed by option layout, built once
 * when a database loads, read-only afterwards.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_index.h"

static uint32_t
layout_hash(const uint8_t *layout, uint8_t cnt)
{
	uint32_t h = 2166136261u ^ cnt;

	for (unsigned i = 0; i < cnt; i++)
		h = (h ^ layout[i]) * 16777619u;
	return h ^ (h >> 16);
}

static struct np_tcp_group *
slot_for(const struct np_tcp_index *ix, const uint8_t *layout, uint8_t cnt)
{
	for (uint32_t i = layout_hash(layout, cnt) & ix->mask;; i = (i + 1) & ix->mask) {
		struct np_tcp_group *g = &ix->slots[i];

		if (!g->used || (g->opt_cnt == cnt && !memcmp(g->layout, layout, cnt)))
			return g;
	}
}

const uint32_t *
np_tcp_index_find(const struct np_tcp_index *ix, const uint8_t *layout, uint8_t opt_cnt,
		  uint32_t *n)
{
	const struct np_tcp_group *g = slot_for(ix, layout, opt_cnt);

	*n = g->n;
	return g->n ? g->sigs : NULL;
}

static int
build_dir(struct np_db *db, enum np_dir dir)
{
	const struct np_tcp_sig *sigs = db->tcp[dir];
	uint32_t nsig = db->n_tcp[dir], size = 4;
	struct np_tcp_index *ix = np_db_alloc(db, sizeof(*ix));

	while (size < 2 * nsig + 2)
		size <<= 1;
	if (!ix || !(ix->slots = np_db_alloc(db, size * sizeof(*ix->slots))))
		return -ENOMEM;
	ix->mask = size - 1;

	/* Count per layout, then fill in file order. */
	for (uint32_t i = 0; i < nsig; i++) {
		struct np_tcp_group *g = slot_for(ix, sigs[i].opt_layout, sigs[i].opt_cnt);

		if (!g->used) {
			g->used = 1;
			g->opt_cnt = sigs[i].opt_cnt;
			memcpy(g->layout, sigs[i].opt_layout, sigs[i].opt_cnt);
		}
		g->n++;
	}
	for (uint32_t s = 0; s < size; s++)
		if (ix->slots[s].used) {
			if (!(ix->slots[s].sigs = np_db_alloc(db, ix->slots[s].n * sizeof(uint32_t))))
				return -ENOMEM;
			ix->slots[s].n = 0;	/* refilled below, in file order */
		}
	for (uint32_t i = 0; i < nsig; i++) {
		struct np_tcp_group *g = slot_for(ix, sigs[i].opt_layout, sigs[i].opt_cnt);

		g->sigs[g->n++] = i;
	}
	db->tcp_index[dir] = ix;
	return 0;
}

int
np_tcp_index_build(struct np_db *db)
{
	int rc = build_dir(db, NP_DIR_RESPONSE);

	return rc ? rc : build_dir(db, NP_DIR_REQUEST);
}
