/* SPDX-License-Identifier: MIT */
/*
 * A TCP observation near one of a database's signatures, for the tests that
 * hold the TCP index to the linear scan (tests/unit/test_index.c,
 * tests/fuzz/fuzz_db.c): the signature's option layout, often its values,
 * sometimes one quirk or value off, a TTL up to 40 hops below its own.
 * rnd(n) is the caller's deterministic generator (0 .. n-1). Leaves the IP
 * options, timestamp, payload and header length to the caller.
 */
#ifndef NP_TEST_NEAR_SIGNATURE_H
#define NP_TEST_NEAR_SIGNATURE_H

#include <stdint.h>
#include <string.h>

#include "db.h"
#include "packet.h"

static inline void
np_test_near_signature(const struct np_tcp_sig *s, uint32_t (*rnd)(uint32_t),
		       struct np_packet *pk)
{
	static const uint16_t mss[] = { 0, 536, 1360, 1380, 1400, 1440, 1452, 1460, 8961 };

	memset(pk, 0, sizeof(*pk));
	pk->opt_cnt = s->opt_cnt;
	memcpy(pk->opt_layout, s->opt_layout, s->opt_cnt);
	pk->opt_eol_pad = rnd(4) ? s->opt_eol_pad : (uint8_t)rnd(3);
	pk->quirks = rnd(3) ? s->quirks : s->quirks ^ (1u << rnd(NP_QUIRK_COUNT));
	pk->mss = s->mss >= 0 && rnd(3) ? (uint16_t)s->mss : mss[rnd(9)];
	pk->wscale = s->wscale >= 0 && rnd(3) ? (uint8_t)s->wscale : (uint8_t)rnd(15);
	pk->ttl = (uint8_t)(s->ttl - rnd(40));
	if (s->win_type == NP_WIN_NORMAL && rnd(2))
		pk->win = s->win;
	else if ((s->win_type == NP_WIN_MSS || s->win_type == NP_WIN_MTU) && rnd(2))
		pk->win = (uint16_t)(pk->mss * s->win);
	else
		pk->win = (uint16_t)rnd(65536);
	pk->ip_ver = s->ip_ver == 6 || (s->ip_ver == -1 && rnd(2)) ? 6 : 4;
}

#endif /* NP_TEST_NEAR_SIGNATURE_H */
