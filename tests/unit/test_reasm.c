/* SPDX-License-Identifier: MIT */
/*
 * The reassembly buffer: pieces in any order, overlapping, repeated or past
 * the end, against a byte-by-byte model of what has arrived.
 */
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

#include <criterion/criterion.h>
#include "np_assert.h"

static struct np_reasm g_r;

static void
add(uint64_t off, uint32_t len)
{
	static uint8_t src[NP_REASM_CAP + 4096];

	for (uint32_t i = 0; i < len; i++)
		src[i] = (uint8_t)(off + i);
	cr_assert(np_reasm_add(&g_r, off, src, len));
}

Test(reasm, in_order_and_out_of_order)
{
	np_reasm_reset(&g_r);
	cr_assert(eq(u32, np_reasm_contiguous(&g_r), 0));
	add(100, 50);
	cr_assert(eq(u32, np_reasm_contiguous(&g_r), 0));
	add(0, 60);
	cr_assert(eq(u32, np_reasm_contiguous(&g_r), 60));
	cr_assert(eq(u8, g_r.n, 2));
	add(60, 40);	/* fills the hole exactly: one range */
	cr_assert(eq(u32, np_reasm_contiguous(&g_r), 150));
	cr_assert(eq(u8, g_r.n, 1));
	for (unsigned i = 0; i < 150; i++)
		cr_assert(eq(u8, g_r.buf[i], (uint8_t)i));
	add(140, 20);	/* overlaps the end */
	add(0, 150);	/* a retransmission of everything */
	cr_assert(eq(u32, np_reasm_contiguous(&g_r), 160));
	cr_assert(not(g_r.beyond));
}

Test(reasm, too_many_holes_refused_then_merging_still_works)
{
	np_reasm_reset(&g_r);
	for (unsigned i = 0; i < NP_REASM_RANGES; i++)
		add(100 + 20 * i, 10);
	cr_assert(eq(u8, g_r.n, NP_REASM_RANGES));

	uint8_t x = 0;
	cr_assert(not(np_reasm_add(&g_r, 5000, &x, 1)), "a ninth hole");
	cr_assert(eq(u8, g_r.n, NP_REASM_RANGES));
	add(110, 10);	/* touches two ranges: they merge */
	cr_assert(eq(u8, g_r.n, NP_REASM_RANGES - 1));
	add(0, 1000);	/* covers everything */
	cr_assert(eq(u8, g_r.n, 1));
	cr_assert(eq(u32, np_reasm_contiguous(&g_r), 1000));
}

Test(reasm, past_the_buffer_is_cut_and_flagged)
{
	np_reasm_reset(&g_r);
	add(NP_REASM_CAP - 10, 30);
	cr_assert(g_r.beyond);
	cr_assert(eq(u32, g_r.hi[0], NP_REASM_CAP));
	np_reasm_reset(&g_r);
	add((uint64_t)1 << 40, 10);	/* a CRYPTO offset far away */
	cr_assert(g_r.beyond);
	cr_assert(eq(u8, g_r.n, 0));
	add(0, 0);
	cr_assert(eq(u8, g_r.n, 0));
}

/* Random pieces against a model: which bytes arrived, and their values. */
Test(reasm, random_against_a_model)
{
	static uint8_t have[NP_REASM_CAP];

	srand(11);
	for (unsigned round = 0; round < 300; round++) {
		np_reasm_reset(&g_r);
		memset(have, 0, sizeof(have));
		uint32_t span = 64 + (uint32_t)rand() % 4000;

		for (unsigned k = 0; k < 40; k++) {
			uint32_t off = (uint32_t)rand() % span, len = 1 + (uint32_t)rand() % 200;
			uint8_t src[256];

			for (uint32_t i = 0; i < len; i++)
				src[i] = (uint8_t)(off + i);
			/* the model: refused when it would make a ninth range */
			uint8_t before = g_r.n;
			bool ok = np_reasm_add(&g_r, off, src, len);

			if (!ok) {
				cr_assert(eq(u8, g_r.n, before));
				cr_assert(eq(u8, before, NP_REASM_RANGES));
				continue;
			}
			memset(have + off, 1, len);
		}
		/* ranges are sorted, disjoint, not touching, and match the model */
		uint32_t pos = 0;
		for (unsigned i = 0; i < g_r.n; i++) {
			cr_assert(lt(u32, g_r.lo[i], g_r.hi[i]));
			if (i)
				cr_assert(gt(u32, g_r.lo[i], g_r.hi[i - 1]));
			for (; pos < g_r.lo[i]; pos++)
				cr_assert(not(have[pos]), "byte %u", pos);
			for (; pos < g_r.hi[i]; pos++) {
				cr_assert(have[pos], "byte %u", pos);
				cr_assert(eq(u8, g_r.buf[pos], (uint8_t)pos));
			}
		}
		for (; pos < span + 256; pos++)
			cr_assert(not(have[pos]), "byte %u", pos);
	}
}
