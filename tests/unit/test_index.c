/* SPDX-License-Identifier: MIT */
/*
 * The TCP index gives the linear scan's answers (p0f's order: first exact
 * specific, first exact generic, first fuzzy) on random observations:
 * layouts taken from the database's own signatures and random ones, with
 * random TTLs, windows, MSS, scales, quirks and payloads.
 */
#include <string.h>

#include <criterion/criterion.h>
#include "np_assert.h"

#include "matcher.h"
#include "near_signature.h"
#include "tcp_index.h"

static struct np_db *g_db;
static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

static void
setup(void)
{
	char err[NP_DB_ERR_MAX];

	g_db = np_db_load(NP_TEST_FP, err, sizeof(err));
	cr_assert(g_db != NULL, "%s", err);
}

static void
teardown(void)
{
	np_db_free(g_db);
}

TestSuite(index, .init = setup, .fini = teardown);

/* A plausible packet: often a real signature's layout and values. */
static void
random_packet(enum np_dir dir, struct np_packet *pk)
{
	static const uint16_t mss[] = { 0, 536, 1360, 1380, 1400, 1440, 1452, 1460, 8961 };
	static const uint8_t ttl[] = { 32, 60, 63, 64, 100, 127, 128, 200, 254, 255 };

	if (g_db->n_tcp[dir] && rnd(4)) {
		np_test_near_signature(&g_db->tcp[dir][rnd(g_db->n_tcp[dir])], rnd, pk);
	} else {
		static const uint8_t kinds[] = { 0, 1, 2, 3, 4, 5, 8, 30, 253 };

		memset(pk, 0, sizeof(*pk));
		pk->ip_ver = rnd(4) ? 4 : 6;
		pk->opt_cnt = (uint8_t)rnd(8);
		for (unsigned i = 0; i < pk->opt_cnt; i++)
			pk->opt_layout[i] = kinds[rnd(9)];
		pk->quirks = rnd(1u << NP_QUIRK_COUNT);
		pk->mss = mss[rnd(9)];
		pk->win = (uint16_t)rnd(65536);
		pk->wscale = (uint8_t)rnd(16);
		pk->ttl = ttl[rnd(10)];
	}
	pk->ip_opt_len = rnd(20) ? 0 : 4;
	pk->ts1 = rnd(2) ? rnd(1000000) : 0;
	pk->pay_len = rnd(10) ? 0 : 5;
	pk->tot_hdr = (uint16_t)(pk->ip_ver == 4 ? 40 : 60);
}

Test(index, agrees_with_the_linear_scan)
{
	unsigned matched = 0, fuzzy = 0;

	for (int i = 0; i < 300000; i++) {
		enum np_dir dir = rnd(2) ? NP_DIR_REQUEST : NP_DIR_RESPONSE;
		struct np_packet pk;
		struct np_tcp_match a, b;
		uint16_t syn_mss = dir == NP_DIR_RESPONSE && rnd(2) ? (uint16_t)(1300 + rnd(200)) : 0;

		random_packet(dir, &pk);
		np_match_tcp(g_db, dir, &pk, syn_mss, &a);
		np_match_tcp_linear(g_db, dir, &pk, syn_mss, &b);
		cr_assert(eq(i32, a.sig, b.sig), "observation %d", i);
		cr_assert(eq(i32, a.dist, b.dist));
		cr_assert(eq(int, a.fuzzy, b.fuzzy));
		cr_assert(eq(i16, a.wm.multi, b.wm.multi));
		matched += a.sig >= 0;
		fuzzy += a.fuzzy;
	}
	cr_log_info("%u matched, %u fuzzy", matched, fuzzy);
	cr_assert(gt(u32, matched, 10000), "the observations must exercise matches (%u)", matched);
	cr_assert(gt(u32, fuzzy, 1000), "and fuzzy ones (%u)", fuzzy);
}

Test(index, every_signature_is_in_its_layout_group_once)
{
	for (int dir = 0; dir < 2; dir++)
		for (uint32_t i = 0; i < g_db->n_tcp[dir]; i++) {
			const struct np_tcp_sig *s = &g_db->tcp[dir][i];
			uint32_t n, seen = 0;
			const uint32_t *c = np_tcp_index_find(g_db->tcp_index[dir], s->opt_layout,
							      s->opt_cnt, &n);

			for (uint32_t k = 0; k < n; k++) {
				seen += c[k] == i;
				if (k)
					cr_assert(lt(u32, c[k - 1], c[k]), "file order");
			}
			cr_assert(eq(u32, seen, 1));
		}
}

/* A worker's memo (np_match_tcp_memo) answers as np_match_tcp does. */
static void
assert_same_match(const struct np_tcp_match *a, const struct np_tcp_match *b, int i)
{
	cr_assert(eq(i32, a->sig, b->sig), "observation %d", i);
	cr_assert(eq(i32, a->dist, b->dist), "observation %d", i);
	cr_assert(eq(int, a->fuzzy, b->fuzzy), "observation %d", i);
	cr_assert(eq(i16, a->wm.multi, b->wm.multi), "observation %d", i);
	cr_assert(eq(int, a->wm.use_mtu, b->wm.use_mtu), "observation %d", i);
}

Test(index, memo_agrees_with_the_match_and_follows_the_database)
{
	enum { POOL = 120 };	/* some 500 keys for 256 entries */
	static struct np_packet pool[POOL];
	static enum np_dir dirs[POOL];
	static struct np_tcp_memo memo;
	static const uint32_t ts1[] = { 0, 1, 123456789 };
	char err[NP_DB_ERR_MAX];
	struct np_db *other = np_db_load_buf("other.fp",
		"classes = win,unix,other\n"
		"[tcp:request]\nlabel = s:unix:Other:one\nsig = *:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0\n"
		"[tcp:response]\nlabel = s:unix:Other:two\nsig = *:64:0:*:*,*:mss,sok,ts,nop,ws:df:0\n",
		err, sizeof(err));

	cr_assert(other != NULL, "%s", err);
	for (int i = 0; i < POOL; i++) {
		dirs[i] = rnd(2) ? NP_DIR_REQUEST : NP_DIR_RESPONSE;
		random_packet(dirs[i], &pool[i]);
	}
	memo.mask = NP_TCP_MEMO_SIZE - 1;
	for (int round = 0; round < 3; round++) {	/* p0f's database, another, p0f's again */
		const struct np_db *db = round == 1 ? other : g_db;
		uint64_t hits = memo.hits, misses = memo.misses;

		for (int i = 0; i < 200000; i++) {
			unsigned k = rnd(POOL);
			struct np_packet pk = pool[k];
			struct np_tcp_match a, b;
			uint16_t syn_mss = dirs[k] == NP_DIR_RESPONSE && rnd(2) ? (uint16_t)(1400 + rnd(3) * 20) : 0;

			pk.ts1 = ts1[rnd(3)];	/* only zero or not matters */
			if (syn_mss && rnd(2))	/* a multiple of one of the peer MSSs: which one
						 * the SYN had is in the memo's key */
				pk.win = (uint16_t)((1400 + rnd(3) * 20) * (1 + rnd(4)));
			np_match_tcp_memo(&memo, db, dirs[k], &pk, syn_mss, &a);
			np_match_tcp(db, dirs[k], &pk, syn_mss, &b);
			assert_same_match(&a, &b, i);
		}
		cr_log_info("round %d: %llu hits, %llu misses", round,
			    (unsigned long long)(memo.hits - hits), (unsigned long long)(memo.misses - misses));
		cr_assert(gt(u64, memo.hits - hits, 20000), "repeated signatures are remembered");
		cr_assert(gt(u64, memo.misses - misses, 3000), "and the table is crowded");
	}
	np_db_free(other);
}

/*
 * The memo's key holds every field the match reads: for each, an
 * observation and the same with that field alone changed, whose answers
 * differ, one after the other through a memo of one slot, must each get
 * their own answer.
 */
enum memo_field { F_TTL, F_QUIRKS, F_PAY, F_MSS, F_WIN, F_WSCALE, F_IPOPT, F_TOTHDR, F_IPVER,
		  F_EOLPAD, F_LAYOUT, F_TS, F_SYNMSS, F_DIR, F_COUNT };

static void
vary(enum memo_field f, struct np_packet *pk, enum np_dir *dir, uint16_t *syn_mss)
{
	switch (f) {
	case F_TTL: pk->ttl = (uint8_t)(pk->ttl - 1); break;
	case F_QUIRKS: pk->quirks ^= NP_QUIRK(DF); break;
	case F_PAY: pk->pay_len = !pk->pay_len; break;
	case F_MSS: pk->mss = (uint16_t)(pk->mss + 1); break;
	case F_WIN: pk->win = (uint16_t)(pk->win + 1); break;
	case F_WSCALE: pk->wscale = (uint8_t)(pk->wscale + 1); break;
	case F_IPOPT: pk->ip_opt_len = (uint8_t)(pk->ip_opt_len ? 0 : 4); break;
	case F_TOTHDR: pk->tot_hdr = (uint16_t)(pk->tot_hdr + 4); break;
	case F_IPVER: pk->ip_ver = pk->ip_ver == 4 ? 6 : 4; break;
	case F_EOLPAD: pk->opt_eol_pad = (uint8_t)(pk->opt_eol_pad ? 0 : 1); break;
	case F_LAYOUT: if (pk->opt_cnt) pk->opt_layout[pk->opt_cnt - 1] ^= 1; break;
	case F_TS: pk->ts1 = pk->ts1 ? 0 : 12345; break;
	case F_SYNMSS: *syn_mss = (uint16_t)(*syn_mss + 20); break;
	case F_DIR: *dir = *dir == NP_DIR_REQUEST ? NP_DIR_RESPONSE : NP_DIR_REQUEST; break;
	default: break;
	}
}

static bool
same_match(const struct np_tcp_match *a, const struct np_tcp_match *b)
{
	return a->sig == b->sig && a->dist == b->dist && a->fuzzy == b->fuzzy &&
	       a->wm.multi == b->wm.multi && a->wm.use_mtu == b->wm.use_mtu;
}

Test(index, memo_key_holds_every_field)
{
	static struct np_tcp_memo memo;	/* mask 0: one slot, every key collides */
	unsigned found[F_COUNT] = { 0 };

	for (int i = 0; i < 400000; i++) {
		enum memo_field f = (enum memo_field)rnd(F_COUNT);
		enum np_dir dir = rnd(2) ? NP_DIR_REQUEST : NP_DIR_RESPONSE, dir2;
		uint16_t syn_mss = dir == NP_DIR_RESPONSE ? 1400 : 0, syn_mss2;
		struct np_packet a, b;
		struct np_tcp_match want_a, want_b, got;

		random_packet(dir, &a);
		/* windows the fields behind p0f's multiples divide */
		if (f == F_TS && a.mss > 112)
			a.win = (uint16_t)((a.mss - 12) * (1 + rnd(3)));
		else if (f == F_TOTHDR) {	/* MTU = MSS + these headers, not + 40 */
			a.mss = (uint16_t)(1300 + rnd(100));
			a.tot_hdr = (uint16_t)(52 + 4 * rnd(3));
			a.win = (uint16_t)((a.mss + a.tot_hdr) * (1 + rnd(2)));
		}
		else if (f == F_SYNMSS)
			a.win = (uint16_t)(1420 * (1 + rnd(3)));
		b = a;
		dir2 = dir;
		syn_mss2 = syn_mss;
		vary(f, &b, &dir2, &syn_mss2);
		np_match_tcp(g_db, dir, &a, syn_mss, &want_a);
		np_match_tcp(g_db, dir2, &b, syn_mss2, &want_b);
		if (same_match(&want_a, &want_b))
			continue;	/* this change does not show here */
		np_match_tcp_memo(&memo, g_db, dir, &a, syn_mss, &got);
		cr_assert(same_match(&got, &want_a), "field %d, observation %d", f, i);
		np_match_tcp_memo(&memo, g_db, dir2, &b, syn_mss2, &got);
		cr_assert(same_match(&got, &want_b), "field %d changed alone, observation %d", f, i);
		found[f]++;
	}
	for (int f = 0; f < F_COUNT; f++)
		cr_assert(gt(u32, found[f], 0), "field %d: no observation whose answer it changes", f);
}
