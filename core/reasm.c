/* SPDX-License-Identifier: MIT */
/*
 * The range list of a reassembly buffer: a new piece is copied in, then
 * merged with every range it overlaps or touches. Later copies of a byte
 * overwrite earlier ones (a retransmission carries the same bytes).
 */
#include <string.h>

#include "reasm.h"

bool
np_reasm_add(struct np_reasm *r, uint64_t off, const uint8_t *data, uint32_t len)
{
	if (!len)
		return true;
	if (off >= NP_REASM_CAP) {
		r->beyond = true;
		return true;
	}
	uint32_t lo = (uint32_t)off;
	uint32_t hi = off + len > NP_REASM_CAP ? NP_REASM_CAP : (uint32_t)(off + len);

	if (off + len > NP_REASM_CAP)
		r->beyond = true;

	/* Ranges [first, last) overlap or touch [lo, hi): they merge. */
	unsigned first = 0, last;

	while (first < r->n && r->hi[first] < lo)
		first++;
	for (last = first; last < r->n && r->lo[last] <= hi; last++)
		;
	if (first == last && r->n == NP_REASM_RANGES)
		return false;

	memcpy(r->buf + lo, data, hi - lo);
	if (first < last) {
		if (r->lo[first] < lo)
			lo = r->lo[first];
		if (r->hi[last - 1] > hi)
			hi = r->hi[last - 1];
	}
	/* Replace ranges first..last-1 by one. */
	unsigned gone = last - first;

	if (gone != 1) {
		unsigned dst = first + 1, src = last;

		memmove(r->lo + dst, r->lo + src, (r->n - src) * sizeof(r->lo[0]));
		memmove(r->hi + dst, r->hi + src, (r->n - src) * sizeof(r->hi[0]));
		r->n = (uint8_t)(r->n + 1 - gone);
	}
	r->lo[first] = lo;
	r->hi[first] = hi;
	return true;
}
