/* SPDX-License-Identifier: MIT */
/*
 * HTTP signatures: the "ver:horder:habsent:expsw" parser and p0f's test of
 * one signature against a header list (or a later signature, for duplicate
 * detection).
 */
#ifndef NP_HTTP_SIG_H
#define NP_HTTP_SIG_H

#include "db.h"

/* Header name -> id, registering new names; returns UINT32_MAX on ENOMEM. */
typedef uint32_t (*np_hdr_id_fn)(void *ctx, const char *name, size_t len);

/* Copies a string into storage owned by the database; NULL on ENOMEM. */
typedef const char *(*np_strdup_fn)(void *ctx, const char *s, size_t len);

/* Returns NULL on success or a static description of what is wrong. */
const char *np_http_sig_parse(const char *val, struct np_http_sig *sig, np_hdr_id_fn hdr_id,
			      np_strdup_fn dup, void *ctx);

/* p0f http_find_match() for one reference signature. With dupe_det, obs is
 * a signature and the absent-list subset rule of p0f's loader applies. */
bool np_http_sig_matches(const struct np_http_sig *ref, const struct np_http_sig *obs,
			 bool dupe_det);

#endif /* NP_HTTP_SIG_H */
