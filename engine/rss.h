/* SPDX-License-Identifier: MIT */
/*
 * Symmetric RSS: a Toeplitz key of repeated 0x6d5a hashes a flow and its
 * reverse alike, so both directions of a connection reach the same RX
 * queue and worker (Woo & Park, "Scalable TCP Session Monitoring with
 * Symmetric Receive-side Scaling").
 */
#ifndef NP_RSS_H
#define NP_RSS_H

#include <stdint.h>

#define NP_RSS_KEY_MAX 52	/* 40 on most NICs, 52 on i40e / ice */

/* The key, NP_RSS_KEY_MAX bytes long (use the first hash_key_size). */
extern const uint8_t np_rss_key[NP_RSS_KEY_MAX];

/* The Toeplitz hash of an IPv4 TCP 4-tuple (host byte order), as the NIC
 * computes it with np_rss_key. */
uint32_t np_rss_hash_v4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport);

/* ... and of an IPv6 one (addresses in network byte order). */
uint32_t np_rss_hash_v6(const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
			uint16_t dport);

#endif /* NP_RSS_H */
