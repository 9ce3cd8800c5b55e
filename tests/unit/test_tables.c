/* SPDX-License-Identifier: MIT */
/*
 * The bucketed hash index (core/bucket.h) and the two tables on it, the
 * flow table (core/flow.h) and the address table (core/addr_table.h),
 * against simple reference models under random operation sequences:
 * every lookup gives what the model holds, and entries leave in the order
 * p0f's lists give (flows: creation order, pruned 1 + 10 % oldest first,
 * expired by age; addresses: least recently touched first).
 */
#include <stdlib.h>
#include <string.h>

#include "addr_table.h"
#include "bucket.h"
#include "flow.h"

#include <criterion/criterion.h>
#include "np_assert.h"

static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng_state >> 33) % n);
}

/* ---- the index alone, with a hash that crowds a few buckets ----------- */

struct keyed {
	uint32_t key;
	uint32_t link;
};

static uint32_t
crowded_hash(uint32_t key)
{
	/* 4 buckets' worth of high bits, 64 tags: full buckets and tag clashes */
	return ((key % 4) << 30) | (key % 64);
}

static uint32_t
find(const struct np_bucket_index *bi, const struct keyed *e, uint32_t key)
{
	struct np_bucket_iter it;
	uint32_t found = NP_BUCKET_NONE, seen = 0;

	for (uint32_t i = np_bucket_first(bi, crowded_hash(key), &it); i != NP_BUCKET_NONE;
	     i = np_bucket_more(bi, &it))
		if (e[i].key == key) {
			found = i;
			seen++;
		}
	cr_assert(le(u32, seen, 1), "key %u indexed %u times", key, seen);
	return found;
}

Test(bucket_index, random_inserts_and_removals_match_a_set)
{
	enum { CAP = 400, OPS = 200000 };
	struct keyed *e = calloc(CAP, sizeof(*e));
	bool present[CAP] = { false };
	struct np_bucket_index bi;

	rng_state = 1;
	/* 4 buckets for 400 entries would be few: force it through n_buckets */
	cr_assert(eq(int, np_bucket_index_init(&bi, CAP, 4, &e[0].link, sizeof(*e)), 0));
	bi.n_buckets = 4;
	for (uint32_t i = 0; i < CAP; i++)
		e[i].key = i * 7 + 3;
	for (unsigned op = 0; op < OPS; op++) {
		uint32_t i = rnd(CAP);

		if (rnd(3) == 0) {
			uint32_t got = find(&bi, e, e[i].key);

			cr_assert(eq(u32, got, present[i] ? i : NP_BUCKET_NONE), "op %u", op);
		} else if (present[i]) {
			np_bucket_remove(&bi, crowded_hash(e[i].key), i);
			present[i] = false;
		} else {
			e[i].link = 0xdeadbeef;	/* whatever the entry held */
			np_bucket_insert(&bi, crowded_hash(e[i].key), i);
			present[i] = true;
		}
	}
	for (uint32_t i = 0; i < CAP; i++)
		cr_assert(eq(u32, find(&bi, e, e[i].key), present[i] ? i : NP_BUCKET_NONE));
	cr_assert(gt(u64, bi.chained, 1000), "full buckets chained (%llu)",
		  (unsigned long long)bi.chained);
	np_bucket_index_fini(&bi);
	free(e);
}

/* ---- the flow table against p0f's list ---------------------------------- */

#define TUPLES 300

struct model_flow {
	int tuple;
	uint32_t created;
};

struct model {
	struct model_flow f[TUPLES + 8];
	unsigned n;
	int gone[TUPLES * 2];	/* tuples the table destroyed, in order */
	unsigned n_gone;
};

static void
tuple_packet(int tuple, bool reverse, struct np_packet *pk)
{
	uint8_t a[4] = { 10, 0, (uint8_t)(tuple % 5), 1 }, b[4] = { 192, 0, 2, (uint8_t)(tuple % 3) };
	uint16_t ap = (uint16_t)(1024 + tuple), bp = 80;

	memset(pk, 0, sizeof(*pk));
	pk->ip_ver = 4;
	memcpy(reverse ? pk->dst : pk->src, a, 4);
	memcpy(reverse ? pk->src : pk->dst, b, 4);
	pk->sport = reverse ? bp : ap;
	pk->dport = reverse ? ap : bp;
	pk->seq = (uint32_t)tuple;
}

static int
tuple_of(const struct np_flow *f)
{
	return f->cli_port - 1024;
}

static void
on_gone(void *ctx, const struct np_flow *f)
{
	struct model *m = ctx;

	m->gone[m->n_gone++] = tuple_of(f);
}

static int
model_find(const struct model *m, int tuple)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->f[i].tuple == tuple)
			return (int)i;
	return -1;
}

static void
model_drop(struct model *m, unsigned i, int *expect, unsigned *n_expect)
{
	expect[(*n_expect)++] = m->f[i].tuple;
	memmove(&m->f[i], &m->f[i + 1], (m->n - i - 1) * sizeof(m->f[0]));
	m->n--;
}

Test(flow_table, random_operations_follow_p0f_order)
{
	enum { MAX_CONN = 60, OPS = 100000, AGE = 30 };
	struct np_flow_table t;
	static struct model m;
	int expect[TUPLES * 2];
	unsigned n_expect;
	uint32_t now = 1000;

	rng_state = 7;
	cr_assert(eq(int, np_flow_table_init(&t, MAX_CONN, AGE), 0));
	t.on_destroy = on_gone;
	t.on_destroy_ctx = &m;
	for (unsigned op = 0; op < OPS; op++) {
		int tuple = (int)rnd(TUPLES);
		struct np_packet pk;
		bool to_srv = false, reverse = rnd(2);
		struct np_flow *f;
		int at = model_find(&m, tuple);

		m.n_gone = 0;
		n_expect = 0;
		tuple_packet(tuple, reverse, &pk);
		switch (rnd(8)) {
		case 0: case 1: case 2:	/* a SYN: p0f's create_flow_from_syn() */
			tuple_packet(tuple, false, &pk);
			if ((f = np_flow_lookup(&t, &pk, &to_srv)))
				np_flow_destroy(&t, f);
			if (at >= 0)
				model_drop(&m, (unsigned)at, expect, &n_expect);
			np_flow_make_room(&t);
			if (m.n > MAX_CONN) {
				unsigned kill = 1 + m.n * 10 / 100;

				while (kill-- && m.n)
					model_drop(&m, 0, expect, &n_expect);
			}
			np_flow_insert(&t, &pk, now);
			m.f[m.n++] = (struct model_flow){ tuple, now };
			break;
		case 3:		/* the connection ends */
			if ((f = np_flow_lookup(&t, &pk, &to_srv)))
				np_flow_destroy(&t, f);
			if (at >= 0)
				model_drop(&m, (unsigned)at, expect, &n_expect);
			break;
		case 4:		/* time goes by, p0f expires */
			now += rnd(4);
			np_flow_expire(&t, now);
			while (m.n && now - m.f[0].created > AGE)
				model_drop(&m, 0, expect, &n_expect);
			break;
		default:	/* a packet of the flow, either way */
			f = np_flow_lookup(&t, &pk, &to_srv);
			cr_assert(eq(int, f ? tuple_of(f) : -1, at >= 0 ? tuple : -1), "op %u", op);
			if (f)
				cr_assert(eq(int, to_srv, !reverse), "op %u: direction", op);
			break;
		}
		cr_assert(eq(u32, t.count, m.n), "op %u: count", op);
		cr_assert(eq(u32, m.n_gone, n_expect), "op %u: flows gone", op);
		for (unsigned i = 0; i < n_expect; i++)
			cr_assert(eq(int, m.gone[i], expect[i]), "op %u: flow %u gone out of order", op, i);
	}
	/* the table's age list is the model's list */
	unsigned i = 0;

	for (uint32_t k = t.oldest; k != NP_FLOW_NONE; k = t.pool[k].newer, i++)
		cr_assert(eq(int, tuple_of(&t.pool[k]), m.f[i].tuple));
	cr_assert(eq(u32, i, m.n));
	cr_assert(gt(u64, t.stats.evicted, 1000), "the limit was reached (%llu evicted)",
		  (unsigned long long)t.stats.evicted);
	np_flow_table_fini(&t);
}

/* ---- the address table against a least-recently-used list --------------- */

Test(addr_table, random_operations_keep_age_order)
{
	enum { CAP = 500, ADDRS = 800, OPS = 200000 };
	struct np_addr_table t;
	int order[ADDRS];	/* the model: addresses, least recently touched first */
	unsigned n = 0;
	int prev = 0;

	rng_state = 11;
	cr_assert(eq(int, np_addr_table_init(&t, CAP, sizeof(struct np_addr_node)), 0));
	for (unsigned op = 0; op < OPS; op++) {
		/* often the last address again: np_addr_find()'s memo of it */
		int a = rnd(2) ? prev : (int)rnd(ADDRS);
		uint8_t addr[16] = { 0 }, ver = a % 2 ? 6 : 4;
		int at = -1;

		memcpy(addr, &a, sizeof(a));	/* v4 and v6 keys with equal bytes */
		for (unsigned i = 0; i < n; i++)
			if (order[i] == a)
				at = (int)i;
		struct np_addr_node *node = np_addr_lookup(&t, addr, ver);

		cr_assert(eq(int, node != NULL, at >= 0), "op %u: lookup", op);
		cr_assert(eq(ptr, np_addr_find(&t, addr, ver), node), "op %u: find", op);
		prev = a;
		switch (rnd(4)) {
		case 0:		/* remove */
			if (node) {
				np_addr_remove(&t, node);
				memmove(&order[at], &order[at + 1], (n - (unsigned)at - 1) * sizeof(int));
				n--;
			}
			break;
		case 1:		/* remove the oldest, as p0f's host pruning does */
			if (n) {
				np_addr_remove(&t, np_addr_at(&t, t.oldest));
				memmove(&order[0], &order[1], (n - 1) * sizeof(int));
				n--;
			}
			break;
		default:	/* touch, or insert as the newest */
			if (node) {
				np_addr_touch(&t, node);
				memmove(&order[at], &order[at + 1], (n - (unsigned)at - 1) * sizeof(int));
				order[n - 1] = a;
			} else if (n < CAP) {
				cr_assert(not(eq(ptr, np_addr_insert(&t, addr, ver), NULL)));
				order[n++] = a;
			} else {
				cr_assert(eq(ptr, np_addr_insert(&t, addr, ver), NULL), "full");
			}
			break;
		}
		cr_assert(eq(u32, t.count, n));
	}
	unsigned i = 0;

	for (uint32_t k = t.oldest; k != NP_ADDR_NONE; k = np_addr_at(&t, k)->newer, i++) {
		int a;

		memcpy(&a, np_addr_at(&t, k)->addr, sizeof(a));
		cr_assert(eq(int, a, order[i]));
		cr_assert(eq(u8, np_addr_at(&t, k)->ip_ver, a % 2 ? 6 : 4));
	}
	cr_assert(eq(u32, i, n));
	np_addr_table_fini(&t);
}
