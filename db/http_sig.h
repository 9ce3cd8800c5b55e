/* SPDX-License-Identifier: MIT */
/*
 * HTTP signatures: the "ver:horder:habsent:expsw" parser and p0f's test of
 * one signature against a header list (or a later signature, for duplicate
 * detection).
 */
#ifndef NP_HTTP_SIG_H
#define NP_HTTP_SIG_H

#include "db.h"

/*
 * p0f's fixed header lists (config.h). Every name in them is registered in
 * a database's header table, so an observed header is "known" exactly when
 * p0f would know it. Each list ends with NULL.
 */
enum np_http_list {
	NP_HTTP_LIST_FIXED,	/* User-Agent .. Date: ids 0..5 (enum np_http_hdr_id) */
	NP_HTTP_LIST_OPTIONAL,	/* printed with '?', value hidden */
	NP_HTTP_LIST_SKIPVAL,	/* value hidden */
	NP_HTTP_LIST_COMMON,	/* listed when absent */
	NP_HTTP_LIST_COUNT,
};

/* [list][to_srv] -> NULL-terminated names; FIXED is the same both ways. */
extern const char *const *const np_http_lists[NP_HTTP_LIST_COUNT][2];

#define NP_HTTP_UNKNOWN_HDR UINT32_MAX	/* a name no list or signature has */

/* Header name -> id, registering new names; returns UINT32_MAX on ENOMEM. */
typedef uint32_t (*np_hdr_id_fn)(void *ctx, const char *name, size_t len);

/* Copies a string into storage owned by the database; NULL on ENOMEM. */
typedef const char *(*np_strdup_fn)(void *ctx, const char *s, size_t len);

/* Returns NULL on success or a static description of what is wrong. */
const char *np_http_sig_parse(const char *val, struct np_http_sig *sig, np_hdr_id_fn hdr_id,
			      np_strdup_fn dup, void *ctx);

/*
 * Index the database's header names once it is loaded: name -> id by hash,
 * which of p0f's lists each id is in, and each signature's mask of
 * mandatory headers (np_http_sig.need). Returns 0 or -ENOMEM.
 */
int np_http_hdr_index_build(struct np_db *db);

/* The id of a header name (case-sensitive, as p0f), or NP_HTTP_UNKNOWN_HDR. */
uint32_t np_http_hdr_lookup(const struct np_db *db, const char *name, size_t len);

static inline bool
np_http_hdr_in_list(const struct np_db *db, enum np_http_list list, bool to_srv, uint32_t id)
{
	return id < db->n_hdr_names && (db->hdr_lists[id] >> (list * 2 + to_srv) & 1);
}

/* Bit id % 64 of every known header of an observation: a signature whose
 * need has a bit outside it lacks a mandatory header (p0f's Bloom test). */
static inline uint64_t
np_http_sig_have(const struct np_http_sig *obs)
{
	uint64_t have = 0;

	for (unsigned i = 0; i < obs->hdr_cnt; i++)
		if (obs->hdr[i].id != NP_HTTP_UNKNOWN_HDR)
			have |= 1ull << (obs->hdr[i].id % 64);
	return have;
}

/* p0f http_find_match() for one reference signature. With dupe_det, obs is
 * a signature and the absent-list subset rule of p0f's loader applies. */
bool np_http_sig_matches(const struct np_http_sig *ref, const struct np_http_sig *obs,
			 bool dupe_det);

#endif /* NP_HTTP_SIG_H */
