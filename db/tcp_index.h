/* SPDX-License-Identifier: MIT */
/*
 * The compiled TCP index: signatures grouped by option layout, in file
 * order within a group. A signature only ever matches a packet with its
 * exact layout (p0f buckets by a hash of it, then compares), so scanning
 * the packet's group gives p0f's answer without touching the others.
 */
#ifndef NP_TCP_INDEX_H
#define NP_TCP_INDEX_H

#include <stdint.h>

#include "db.h"

struct np_tcp_group {
	uint32_t *sigs;		/* indices into db->tcp[dir], file order */
	uint32_t n;
	uint8_t used;
	uint8_t opt_cnt;
	uint8_t layout[NP_MAX_TCP_OPT];
};

struct np_tcp_index {
	struct np_tcp_group *slots;	/* open addressing */
	uint32_t mask;
};

/* Build both directions' indices into db (memory from its arena). */
int np_tcp_index_build(struct np_db *db);

/* The signatures that may match this layout, or NULL (*n = 0). */
const uint32_t *np_tcp_index_find(const struct np_tcp_index *ix, const uint8_t *layout,
				  uint8_t opt_cnt, uint32_t *n);

#endif /* NP_TCP_INDEX_H */
