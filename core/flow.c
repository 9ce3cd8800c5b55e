/* SPDX-License-Identifier: MIT */
/*
 * Flow table: an entry pool with a free list, a bucketed hash index
 * (bucket.h), and a creation-ordered list for pruning and expiry. The hash
 * is symmetric so both directions find the same bucket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn_hash.h"
#include "flow.h"

uint32_t
np_flow_hash(const struct np_packet *pk)
{
	return np_conn_hash(pk->ip_ver, pk->src, pk->sport, pk->dst, pk->dport);
}

static uint32_t
hash_of(const struct np_flow *f)
{
	return np_conn_hash(f->ip_ver, f->cli, f->cli_port, f->srv, f->srv_port);
}

int
np_flow_table_init(struct np_flow_table *t, uint32_t max_conn, uint32_t conn_max_age)
{
	/* p0f lets the count reach max_conn + 1 before pruning. */
	uint32_t cap = max_conn + 2;

	memset(t, 0, sizeof(*t));
	t->pool = calloc(cap, sizeof(*t->pool));
	/* five flows a bucket at most: a full bucket (ten) stays rare */
	if (!t->pool || np_bucket_index_init(&t->index, cap, NP_FLOWS_PER_BUCKET, &t->pool[0].hnext,
					     sizeof(*t->pool))) {
		np_flow_table_fini(t);
		return -ENOMEM;
	}
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
	np_bucket_index_fini(&t->index);
	t->pool = NULL;
}

static bool
same_endpoint(const uint8_t *a, const uint8_t *b, unsigned alen)
{
	return !memcmp(a, b, alen);
}

struct np_flow *
np_flow_lookup_hash(struct np_flow_table *t, const struct np_packet *pk, uint32_t hash,
		    bool *to_srv)
{
	unsigned alen = pk->ip_ver == 4 ? 4 : 16;
	struct np_bucket_iter it;

	for (uint32_t i = np_bucket_first(&t->index, hash, &it); i != NP_BUCKET_NONE;
	     i = np_bucket_more(&t->index, &it)) {
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

struct np_flow *
np_flow_lookup(struct np_flow_table *t, const struct np_packet *pk, bool *to_srv)
{
	return np_flow_lookup_hash(t, pk, np_flow_hash(pk), to_srv);
}

void
np_flow_destroy(struct np_flow_table *t, struct np_flow *f)
{
	uint32_t idx = (uint32_t)(f - t->pool);

	if (t->on_destroy)
		t->on_destroy(t->on_destroy_ctx, f);
	np_bucket_remove(&t->index, hash_of(f), idx);

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

	memset(f, 0, sizeof(*f));
	f->http = NP_NO_HTTP;
	f->ip_ver = pk->ip_ver;
	memcpy(f->cli, pk->src, alen);
	memcpy(f->srv, pk->dst, alen);
	f->cli_port = pk->sport;
	f->srv_port = pk->dport;
	f->created_s = now_s;
	f->next_cli_seq = pk->seq + 1;

	f->hnext = NP_FLOW_NONE;
	np_bucket_insert(&t->index, np_flow_hash(pk), idx);
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
