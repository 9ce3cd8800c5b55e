/* SPDX-License-Identifier: MIT */
/*
 * The symmetric RSS key: a connection and its reverse hash alike (so both
 * directions reach one worker), the hash is DPDK's Toeplitz, and it spreads
 * flows evenly over queues.
 */
#include <stdint.h>
#include <string.h>

#include <rte_thash.h>

#include <criterion/criterion.h>
#include "np_assert.h"

#include "rss.h"

#define TUPLES 1000000
#define QUEUES 8

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

Test(rss, same_hash_as_dpdk_softrss)
{
	for (int i = 0; i < 10000; i++) {
		uint32_t src = rnd32(), dst = rnd32(), ports = rnd32();
		uint32_t tuple[3] = { src, dst, ports };	/* host order words, as rte_softrss takes */

		cr_assert(eq(u32, np_rss_hash_v4(src, dst, (uint16_t)(ports >> 16), (uint16_t)ports),
			     rte_softrss(tuple, 3, np_rss_key)));
	}
}

Test(rss, ipv4_symmetric_over_a_million_tuples)
{
	unsigned asym = 0;

	for (int i = 0; i < TUPLES; i++) {
		uint32_t a = rnd32(), b = rnd32();
		uint16_t p = (uint16_t)rnd32(), q = (uint16_t)rnd32();

		asym += np_rss_hash_v4(a, b, p, q) != np_rss_hash_v4(b, a, q, p);
	}
	cr_assert(eq(u32, asym, 0), "%u of %d tuples hash differently reversed", asym, TUPLES);
}

Test(rss, ipv6_symmetric)
{
	unsigned asym = 0;

	for (int i = 0; i < 100000; i++) {
		uint8_t a[16], b[16];
		uint16_t p = (uint16_t)rnd32(), q = (uint16_t)rnd32();

		for (int k = 0; k < 16; k += 4) {
			uint32_t x = rnd32(), y = rnd32();

			memcpy(a + k, &x, 4);
			memcpy(b + k, &y, 4);
		}
		asym += np_rss_hash_v6(a, b, p, q) != np_rss_hash_v6(b, a, q, p);
	}
	cr_assert(eq(u32, asym, 0));
}

Test(rss, spreads_evenly_over_queues)
{
	unsigned count[QUEUES] = { 0 };

	for (int i = 0; i < TUPLES; i++)
		count[np_rss_hash_v4(rnd32(), rnd32(), (uint16_t)rnd32(), (uint16_t)rnd32()) % QUEUES]++;
	for (int q = 0; q < QUEUES; q++) {
		double share = (double)count[q] * QUEUES / TUPLES;

		cr_log_info("queue %d: %u tuples (%.3f of an even share)", q, count[q], share);
		cr_assert(gt(dbl, share, 0.98));
		cr_assert(lt(dbl, share, 1.02));
	}
}

Test(rss, key_is_the_repeated_6d5a_pattern)
{
	for (int i = 0; i < NP_RSS_KEY_MAX; i++)
		cr_assert(eq(u8, np_rss_key[i], i % 2 ? 0x5a : 0x6d));
}
