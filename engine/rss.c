/* SPDX-License-Identifier: MIT */
/*
 * The symmetric key and a software Toeplitz hash over it (DPDK's
 * rte_softrss() does the same; this one needs no EAL, for tools and tests).
 */
#include <string.h>

#include "rss.h"

const uint8_t np_rss_key[NP_RSS_KEY_MAX] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d,
	0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d,
	0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

static uint32_t
toeplitz(const uint8_t *in, unsigned len)
{
	uint32_t hash = 0;
	uint32_t v = (uint32_t)np_rss_key[0] << 24 | (uint32_t)np_rss_key[1] << 16 |
		     (uint32_t)np_rss_key[2] << 8 | np_rss_key[3];

	for (unsigned i = 0; i < len; i++) {
		for (int b = 7; b >= 0; b--) {
			if (in[i] & (1u << b))
				hash ^= v;
			/* shift the key window left by one bit */
			unsigned kbit = i * 8 + (unsigned)(7 - b) + 32;
			v = v << 1 | ((np_rss_key[(kbit / 8) % NP_RSS_KEY_MAX] >> (7 - kbit % 8)) & 1);
		}
	}
	return hash;
}

uint32_t
np_rss_hash_v4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	uint8_t in[12] = {
		(uint8_t)(src >> 24), (uint8_t)(src >> 16), (uint8_t)(src >> 8), (uint8_t)src,
		(uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8), (uint8_t)dst,
		(uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8), (uint8_t)dport,
	};

	return toeplitz(in, sizeof(in));
}

uint32_t
np_rss_hash_v6(const uint8_t src[16], const uint8_t dst[16], uint16_t sport, uint16_t dport)
{
	uint8_t in[36];

	memcpy(in, src, 16);
	memcpy(in + 16, dst, 16);
	in[32] = (uint8_t)(sport >> 8);
	in[33] = (uint8_t)sport;
	in[34] = (uint8_t)(dport >> 8);
	in[35] = (uint8_t)dport;
	return toeplitz(in, sizeof(in));
}
