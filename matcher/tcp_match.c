/* SPDX-License-Identifier: MIT */
/*
 * TCP and MTU matching (p0f fp_tcp.c tcp_find_match, fp_mtu.c). Signatures
 * are tested in file order; the scan stops at the first exact specific one.
 */
#include <stddef.h>
#include <string.h>

#include "matcher.h"
#include "tcp_index.h"

/*
 * p0f's scan over candidate signatures (file order). cand == NULL: all of
 * them, as p0f; else the ones sharing the packet's option layout, which
 * gives the same answer since no other can match.
 */
static void
match_sig(const struct np_db *db, enum np_dir dir, const struct np_tcp_sig *obs,
	  uint16_t syn_mss, const uint32_t *cand, uint32_t n_cand, struct np_tcp_match *m)
{
	const struct np_tcp_sig ts = *obs;
	int32_t gmatch = -1, fmatch = -1;
	const struct np_tcp_sig *sigs = db->tcp[dir];

	m->wm = np_tcp_win_multi(&ts, syn_mss);
	m->fuzzy = false;

	for (uint32_t k = 0; k < n_cand; k++) {
		uint32_t i = cand ? cand[k] : k;
		enum np_sig_verdict v = cand ?
			np_tcp_sig_check_same_layout(&sigs[i], &ts, m->wm, fmatch >= 0) :
			np_tcp_sig_check(&sigs[i], &ts, m->wm, fmatch >= 0);

		if (v == NP_SIG_EXACT) {
			if (!db->labels[sigs[i].label].generic) {
				m->sig = (int32_t)i;
				m->dist = sigs[i].ttl - ts.ttl;
				return;
			}
			if (gmatch < 0)
				gmatch = (int32_t)i;
		} else if (v == NP_SIG_FUZZY && fmatch < 0) {
			fmatch = (int32_t)i;
		}
	}

	if (gmatch >= 0) {
		m->sig = gmatch;
		m->dist = sigs[gmatch].ttl - ts.ttl;
		return;
	}

	/* No fuzzy matching for userland tools; p0f leaves the distance at 0. */
	if (fmatch >= 0 && db->labels[sigs[fmatch].label].class_id == -1) {
		m->sig = -1;
		m->dist = 0;
		return;
	}

	const struct np_tcp_sig *f = fmatch >= 0 ? &sigs[fmatch] : NULL;
	if (!f || f->ttl < ts.ttl || (!f->bad_ttl && f->ttl - ts.ttl > NP_MAX_DIST))
		m->dist = np_guess_dist(ts.ttl);
	else
		m->dist = f->ttl - ts.ttl;
	m->sig = fmatch;
	m->fuzzy = f != NULL;
}

/* The signature's candidates by option layout (tcp_index.h), then p0f's scan. */
static void
match_indexed(const struct np_db *db, enum np_dir dir, const struct np_tcp_sig *ts,
	      uint16_t syn_mss, struct np_tcp_match *m)
{
	static const uint32_t none[1];
	uint32_t n;
	const uint32_t *cand = np_tcp_index_find(db->tcp_index[dir], ts->opt_layout, ts->opt_cnt, &n);

	match_sig(db, dir, ts, syn_mss, cand ? cand : none, n, m);
}

void
np_match_tcp(const struct np_db *db, enum np_dir dir, const struct np_packet *pk,
	     uint16_t syn_mss, struct np_tcp_match *m)
{
	struct np_tcp_sig ts;

	np_tcp_sig_from_packet(pk, &ts);
	match_indexed(db, dir, &ts, syn_mss, m);
}

void
np_match_tcp_linear(const struct np_db *db, enum np_dir dir, const struct np_packet *pk,
		    uint16_t syn_mss, struct np_tcp_match *m)
{
	struct np_tcp_sig ts;

	np_tcp_sig_from_packet(pk, &ts);
	match_sig(db, dir, &ts, syn_mss, NULL, db->n_tcp[dir], m);
}

/* The first n bytes of an option layout, as a word (the rest may be stale). */
static inline uint64_t
layout_word(const uint8_t *layout, unsigned n)
{
	uint64_t w;

	memcpy(&w, layout, 8);
	return n >= 8 ? w : w & ((1ull << (8 * n)) - 1);
}

/* The key's fields straight from the packet, in registers: the packet was
 * written long before, so no load waits on a store just made. */
static inline uint32_t
memo_hash(const struct np_packet *pk, uint16_t syn_mss, uint8_t dir)
{
	unsigned n = pk->opt_cnt;
	uint64_t a = (uint64_t)pk->quirks << 32 | (uint32_t)pk->mss << 16 | pk->win;
	uint64_t b = (uint64_t)pk->ttl | (uint64_t)pk->wscale << 8 | (uint64_t)pk->ip_opt_len << 16 |
		     (uint64_t)n << 24 | (uint64_t)pk->opt_eol_pad << 32 |
		     (uint64_t)pk->ip_ver << 40 | (uint64_t)(pk->pay_len != 0) << 44 |
		     (uint64_t)(pk->ts1 != 0) << 45 | (uint64_t)dir << 46 | (uint64_t)syn_mss << 48;
	uint64_t h = a * 0x9e3779b97f4a7c15ull ^ b * 0xc2b2ae3d27d4eb4full ^
		     (uint64_t)pk->tot_hdr * 0x165667b19e3779f9ull;

	if (n)
		h ^= layout_word(pk->opt_layout, n) * 0xff51afd7ed558ccdull;
	if (n > 8)
		h ^= layout_word(pk->opt_layout + 8, n - 8) * 0xc4ceb9fe1a85ec53ull;
	if (n > 16)
		h ^= layout_word(pk->opt_layout + 16, n - 16) * 0x94d049bb133111ebull;
	return (uint32_t)(h ^ h >> 29 ^ h >> 47);
}

static inline bool
memo_same(const struct np_tcp_memo_entry *e, const struct np_packet *pk, uint16_t syn_mss,
	  uint8_t dir)
{
	return e->used && e->dir == dir && e->syn_mss == syn_mss && e->quirks == pk->quirks &&
	       e->mss == pk->mss && e->win == pk->win && e->tot_hdr == pk->tot_hdr &&
	       e->ttl == pk->ttl && e->wscale == pk->wscale && e->ip_opt_len == pk->ip_opt_len &&
	       e->ip_ver == pk->ip_ver && e->opt_cnt == pk->opt_cnt &&
	       e->opt_eol_pad == pk->opt_eol_pad && e->pay == (pk->pay_len != 0) &&
	       e->ts == (pk->ts1 != 0) && !memcmp(e->opt_layout, pk->opt_layout, pk->opt_cnt);
}

void
np_match_tcp_memo(struct np_tcp_memo *memo, const struct np_db *db, enum np_dir dir,
		  const struct np_packet *pk, uint16_t syn_mss, struct np_tcp_match *m)
{
	if (memo->db_serial != db->serial) {
		memset(memo->e, 0, sizeof(memo->e));
		memo->db_serial = db->serial;
	}
	struct np_tcp_memo_entry *e =
		&memo->e[memo_hash(pk, syn_mss, (uint8_t)dir) & memo->mask & (NP_TCP_MEMO_SIZE - 1)];

	if (memo_same(e, pk, syn_mss, (uint8_t)dir)) {
		memo->hits++;
		*m = e->m;
		return;
	}
	memo->misses++;
	np_match_tcp(db, dir, pk, syn_mss, m);
	*e = (struct np_tcp_memo_entry){
		.quirks = pk->quirks, .mss = pk->mss, .win = pk->win, .tot_hdr = pk->tot_hdr,
		.syn_mss = syn_mss, .ttl = pk->ttl, .wscale = pk->wscale, .ip_opt_len = pk->ip_opt_len,
		.ip_ver = pk->ip_ver, .opt_cnt = pk->opt_cnt, .opt_eol_pad = pk->opt_eol_pad,
		.pay = pk->pay_len != 0, .ts = pk->ts1 != 0, .dir = (uint8_t)dir, .used = 1, .m = *m,
	};
	memcpy(e->opt_layout, pk->opt_layout, pk->opt_cnt);
}

const char *
np_match_mtu(const struct np_db *db, uint32_t mtu)
{
	for (uint32_t i = 0; i < db->n_mtu; i++)
		if (db->mtu[i].mtu == mtu)
			return db->mtu[i].link;
	return NULL;
}
