/* SPDX-License-Identifier: MIT */
/*
 * The connection hash of the flow and TLS tables: each endpoint (address,
 * port) mixed on its own and the two added, so that both directions of a
 * connection land in one bucket.
 */
#ifndef NP_CONN_HASH_H
#define NP_CONN_HASH_H

#include <stdint.h>
#include <string.h>

static inline uint32_t
np_mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352d;
	h ^= h >> 15;
	h *= 0x846ca68b;
	h ^= h >> 16;
	return h;
}

static inline uint32_t
np_endpoint_hash(const uint8_t *addr, unsigned alen, uint16_t port)
{
	uint32_t h = port;

	for (unsigned i = 0; i < alen; i += 4) {
		uint32_t w;

		memcpy(&w, addr + i, 4);
		h = np_mix32(h ^ w);
	}
	return np_mix32(h);
}

/* '+' is commutative: both directions hash alike. */
static inline uint32_t
np_conn_hash(uint8_t ip_ver, const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
	unsigned alen = ip_ver == 4 ? 4 : 16;

	return np_endpoint_hash(a, alen, ap) + np_endpoint_hash(b, alen, bp);
}

#endif /* NP_CONN_HASH_H */
