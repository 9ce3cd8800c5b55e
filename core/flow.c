/* SPDX-License-Identifier: MIT */
/*
 * Flow table: an entry pool with a free list, power-of-two hash buckets
 * chained through the pool, and a creation-ordered list for pruning and
 * expiry. The hash is symmetric so both directions find the same bucket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn_hash.h"
#include "flow.h"

static uint32_t
flow_hash(const struct np_packet *pk)
{
	return np_conn_hash(pk->ip_ver, pk->src, pk->sport, pk->dst, pk->dport);
}

int
np_flow_table_init(struct np_flow_table *t, uint32_t max_conn, uint32_t conn_max_age)
{
	/* p0f lets the count reach max_conn + 1 before pruning. */
	uint32_t cap = max_conn + 2, nb = 1;

	memset(t, 0, sizeof(*t));
	while (nb < cap)
		nb <<= 1;
	t->pool = calloc(cap, sizeof(*t->pool));
	t->buckets = malloc(nb * sizeof(*t->buckets));
	if (!t->pool || !t->buckets) {
		np_flow_table_fini(t);
		return -ENOMEM;
	}
	memset(t->buckets, 0xff, nb * sizeof(*t->buckets));
	t->mask = nb - 1;
	t->max_conn = max_conn;
	t->conn_max_age = conn_max_age;
	/* entries never used come in index order: pages are touched as it fills */
	t->free_head = NP_FLOW_NONE;
	t->unused = 0;
	t->oldest = t->newest = NP_FLOW_NONE;
	return 0;
}

void
np_flow_table_fini(struct np_flow_table *t)
{
	free(t->pool);
	free(t->buckets);
	t->pool = NULL;
	t->buckets = NULL;
}

static bool
same_endpoint(const uint8_t *a, const uint8_t *b, unsigned alen)
{
	return !memcmp(a, b, alen);
}

struct np_flow *
np_flow_lookup(struct np_flow_table *t, const struct np_packet *pk, bool *to_srv)
{
	unsigned alen = pk->ip_ver == 4 ? 4 : 16;

	for (uint32_t i = t->buckets[flow_hash(pk) & t->mask]; i != NP_FLOW_NONE;
	     i = t->pool[i].hnext) {
		struct np_flow *f = &t->pool[i];

		if (f->ip_ver != pk->ip_ver)
			continue;
		if (pk->sport == f->cli_port && pk->dport == f->srv_port &&
		    same_endpoint(pk->src, f->cli, alen) && same_endpoint(pk->dst, f->srv, alen)) {
			*to_srv = true;
			return f;
		}
		if (pk->dport == f->cli_port && pk->sport == f->srv_port &&
		    same_endpoint(pk->dst, f->cli, alen) && same_endpoint(pk->src, f->srv, alen)) {
			*to_srv = false;
			return f;
		}
	}
	return NULL;
}

static uint32_t
bucket_of(const struct np_flow_table *t, const struct np_flow *f)
{
	struct np_packet k;
	unsigned alen = f->ip_ver == 4 ? 4 : 16;

	k.ip_ver = f->ip_ver;
	memcpy(k.src, f->cli, alen);
	memcpy(k.dst, f->srv, alen);
	k.sport = f->cli_port;
	k.dport = f->srv_port;
	return flow_hash(&k) & t->mask;
}

void
np_flow_destroy(struct np_flow_table *t, struct np_flow *f)
{
	uint32_t idx = (uint32_t)(f - t->pool);
	uint32_t *pp = &t->buckets[bucket_of(t, f)];

	if (t->on_destroy)
		t->on_destroy(t->on_destroy_ctx, f);

	while (*pp != idx)
		pp = &t->pool[*pp].hnext;
	*pp = f->hnext;

	if (f->newer != NP_FLOW_NONE)
		t->pool[f->newer].older = f->older;
	else
		t->newest = f->older;
	if (f->older != NP_FLOW_NONE)
		t->pool[f->older].newer = f->newer;
	else
		t->oldest = f->newer;

	f->hnext = t->free_head;
	t->free_head = idx;
	t->count--;
}

void
np_flow_prune(struct np_flow_table *t)
{
	uint32_t kill = 1 + t->count * 10 / 100;

	while (kill-- && t->oldest != NP_FLOW_NONE) {
		np_flow_destroy(t, &t->pool[t->oldest]);
		t->stats.evicted++;
	}
}

void
np_flow_make_room(struct np_flow_table *t)
{
	if (t->count > t->max_conn)
		np_flow_prune(t);
}

struct np_flow *
np_flow_insert(struct np_flow_table *t, const struct np_packet *pk, uint32_t now_s)
{
	unsigned alen = pk->ip_ver == 4 ? 4 : 16;
	uint32_t idx = t->free_head;

	if (idx == NP_FLOW_NONE)
		idx = t->unused++;	/* make_room keeps count < capacity */
	else
		t->free_head = t->pool[idx].hnext;

	struct np_flow *f = &t->pool[idx];
	uint32_t b = flow_hash(pk) & t->mask;

	memset(f, 0, sizeof(*f));
	f->http = NP_NO_HTTP;
	f->ip_ver = pk->ip_ver;
	memcpy(f->cli, pk->src, alen);
	memcpy(f->srv, pk->dst, alen);
	f->cli_port = pk->sport;
	f->srv_port = pk->dport;
	f->created_s = now_s;
	f->next_cli_seq = pk->seq + 1;

	f->hnext = t->buckets[b];
	t->buckets[b] = idx;
	f->older = t->newest;
	f->newer = NP_FLOW_NONE;
	if (t->newest != NP_FLOW_NONE)
		t->pool[t->newest].newer = idx;
	else
		t->oldest = idx;
	t->newest = idx;
	t->count++;
	t->stats.created++;
	return f;
}

void
np_flow_expire(struct np_flow_table *t, uint32_t now_s)
{
	while (t->oldest != NP_FLOW_NONE &&
	       now_s - t->pool[t->oldest].created_s > t->conn_max_age) {
		np_flow_destroy(t, &t->pool[t->oldest]);
		t->stats.expired++;
	}
}
