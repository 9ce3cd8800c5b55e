/* SPDX-License-Identifier: MIT */
/*
 * Matching observations against a loaded database, with p0f 3.09b's
 * answers: first exact specific signature, else first exact generic, else
 * first fuzzy one (never for tools), and p0f's distance rules.
 */
#ifndef NP_MATCHER_H
#define NP_MATCHER_H

#include <stdbool.h>
#include <string.h>

#include "db.h"
#include "tcp_sig.h"

struct np_tcp_match {
	int32_t sig;		/* index in db->tcp[dir], -1 = no match */
	int32_t dist;		/* hops */
	bool fuzzy;
	struct np_win_multi wm;	/* as printed in raw_sig */
};

/* Match a SYN (dir NP_DIR_REQUEST) or SYN+ACK (NP_DIR_RESPONSE). syn_mss is
 * the MSS of the flow's SYN, used for SYN+ACK windows; 0 for a SYN. */
void np_match_tcp(const struct np_db *db, enum np_dir dir, const struct np_packet *pk,
		  uint16_t syn_mss, struct np_tcp_match *m);

/*
 * A worker's memo of np_match_tcp(): the answer is a function of the
 * database and of the packet's signature fields alone, and traffic (a
 * flood most of all) repeats a few stacks' signatures. Direct-mapped by a
 * hash of those fields; another database (by serial) empties it.
 */
#define NP_TCP_MEMO_SIZE 256

struct np_tcp_memo {
	uint32_t mask;			/* slots - 1, a power of 2 less one: set by the
					 * owner (NP_TCP_MEMO_SIZE - 1); 0 is one slot */
	uint64_t db_serial;		/* 0: empty */
	uint64_t hits, misses;
	struct np_tcp_memo_entry {	/* what np_tcp_sig_from_packet() reads */
		uint32_t quirks;
		uint16_t mss, win, tot_hdr, syn_mss;
		uint8_t ttl, wscale, ip_opt_len, ip_ver, opt_cnt, opt_eol_pad;
		uint8_t pay, ts, dir, used;
		uint8_t opt_layout[NP_MAX_TCP_OPT];
		struct np_tcp_match m;
	} e[NP_TCP_MEMO_SIZE];
};

/* np_match_tcp(), remembered. */
void np_match_tcp_memo(struct np_tcp_memo *memo, const struct np_db *db, enum np_dir dir,
		       const struct np_packet *pk, uint16_t syn_mss, struct np_tcp_match *m);

/* The same by scanning every signature in file order, as p0f does; the
 * index must agree with it (tests, benchmarks). */
void np_match_tcp_linear(const struct np_db *db, enum np_dir dir, const struct np_packet *pk,
			 uint16_t syn_mss, struct np_tcp_match *m);

/* p0f guess_dist(): hops from the nearest common initial TTL. */
static inline int32_t
np_guess_dist(uint8_t ttl)
{
	if (ttl <= 32)
		return 32 - ttl;
	if (ttl <= 64)
		return 64 - ttl;
	if (ttl <= 128)
		return 128 - ttl;
	return 255 - ttl;
}

/* Link type for an MTU: the first [mtu] entry with that value, or NULL. */
const char *np_match_mtu(const struct np_db *db, uint32_t mtu);

#endif /* NP_MATCHER_H */
