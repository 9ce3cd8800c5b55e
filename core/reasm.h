/* SPDX-License-Identifier: MIT */
/*
 * Bytes by offset into a fixed buffer: a TCP stream from a hello's first
 * record, QUIC CRYPTO data, DTLS handshake fragments. Pieces may come in
 * any order, overlap or repeat; what has arrived is a short list of
 * disjoint ranges. Nothing allocates: the caller owns the struct.
 */
#ifndef NP_REASM_H
#define NP_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "tls.h"

/* A TCP hello may carry a record header per few bytes: room beyond the
 * message for them, and for the data that follows it in the segment. */
#define NP_REASM_CAP (NP_TLS_HELLO_MAX + 4096)
#define NP_REASM_RANGES 32	/* pieces apart at once; more ends the attempt */

struct np_reasm {
	uint8_t n;			/* ranges in use */
	bool beyond;			/* data arrived past the buffer's end */
	uint32_t lo[NP_REASM_RANGES];	/* sorted, disjoint, not touching */
	uint32_t hi[NP_REASM_RANGES];
	uint8_t buf[NP_REASM_CAP];
};

static inline void
np_reasm_reset(struct np_reasm *r)
{
	r->n = 0;
	r->beyond = false;
}

/*
 * Store len bytes at offset off; what lies past NP_REASM_CAP is dropped
 * (r->beyond says so). Returns false when the bytes would make more
 * disjoint ranges than are tracked (nothing is stored then).
 */
bool np_reasm_add(struct np_reasm *r, uint64_t off, const uint8_t *data, uint32_t len);

/* Bytes from offset 0 with no hole. */
static inline uint32_t
np_reasm_contiguous(const struct np_reasm *r)
{
	return r->n && r->lo[0] == 0 ? r->hi[0] : 0;
}

#endif /* NP_REASM_H */
