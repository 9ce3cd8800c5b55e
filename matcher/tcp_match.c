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

/* The signature fields' 64-bit words (no padding: zeroed), each multiplied
 * apart, so the products do not wait for each other. */
static uint32_t
memo_hash(const struct np_tcp_sig *ts, uint16_t syn_mss, uint8_t dir)
{
	const uint8_t *p = (const uint8_t *)ts;
	uint64_t h = (uint64_t)syn_mss << 8 | dir;
	size_t i = 0;

	for (; i + 8 <= sizeof(*ts); i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h += w * 0x9e3779b97f4a7c15ull;
		h = h << 27 | h >> 37;
	}
	for (; i < sizeof(*ts); i++)
		h += (uint64_t)p[i] << (8 * (i & 7));
	h *= 0xff51afd7ed558ccdull;
	return (uint32_t)(h ^ h >> 32);
}

void
np_match_tcp_memo(struct np_tcp_memo *memo, const struct np_db *db, enum np_dir dir,
		  const struct np_packet *pk, uint16_t syn_mss, struct np_tcp_match *m)
{
	struct np_tcp_sig ts;

	np_tcp_sig_from_packet(pk, &ts);
	ts.ts1 = ts.ts1 != 0;	/* all the match looks at */
	if (memo->db_serial != db->serial) {
		memset(memo->e, 0, sizeof(memo->e));
		memo->db_serial = db->serial;
	}
	struct np_tcp_memo_entry *e = &memo->e[memo_hash(&ts, syn_mss, (uint8_t)dir) % NP_TCP_MEMO_SIZE];

	if (e->used && e->dir == dir && e->syn_mss == syn_mss && !memcmp(&e->ts, &ts, sizeof(ts))) {
		memo->hits++;
		*m = e->m;
		return;
	}
	memo->misses++;
	match_indexed(db, dir, &ts, syn_mss, m);
	e->ts = ts;
	e->syn_mss = syn_mss;
	e->dir = (uint8_t)dir;
	e->used = true;
	e->m = *m;
}

const char *
np_match_mtu(const struct np_db *db, uint32_t mtu)
{
	for (uint32_t i = 0; i < db->n_mtu; i++)
		if (db->mtu[i].mtu == mtu)
			return db->mtu[i].link;
	return NULL;
}
