/* SPDX-License-Identifier: MIT */
/*
 * HTTP fingerprinting (p0f fp_http.c): a completed request or response
 * header block turned into a signature, matched against the database, and
 * printed as p0f's raw_sig.
 */
#ifndef NP_HTTP_MATCH_H
#define NP_HTTP_MATCH_H

#include <stddef.h>

#include "db.h"
#include "http_sig.h"
#include "http.h"


/* An observed header block, in the form the matcher compares. */
struct np_http_obs {
	struct np_http_sig sig;		/* ids, NUL-terminated values, version */
	const char *names[NP_HTTP_MAX_HDRS];	/* literal names of unknown headers */
	const char *sw;			/* User-Agent or Server value */
	const char *lang;		/* Accept-Language value (requests) */
	const char *via;		/* Via / X-Forwarded-For value */
	const char *date;		/* Date value (responses) */
	char scratch[NP_HTTP_MAX_DATA + 2 * NP_HTTP_MAX_HDRS + 8];
};

struct np_http_match {
	int32_t sig;		/* index in db->http[dir], -1 for none */
	bool dishonest;		/* software string not what the signature expects */
};

/* Build the observation of a completed message from its buffer. */
void np_http_observe(const struct np_db *db, bool to_srv, const struct np_http_msg *msg,
		     const uint8_t *buf, struct np_http_obs *o);

/* p0f http_find_match(): first specific match, else first generic one. */
void np_match_http(const struct np_db *db, enum np_dir dir, const struct np_http_obs *o,
		   struct np_http_match *m);

/* p0f dump_sig(): the raw_sig field. Returns the length written. */
size_t np_format_http_sig(char *buf, size_t len, const struct np_db *db, bool to_srv,
			  const struct np_http_obs *o);

/* The OS a User-Agent names through the database's ua_os list, or -1. */
int32_t np_match_ua_os(const struct np_db *db, const char *sw);

/* Accept-Language: the language name p0f prints, or NULL when unknown. */
const char *np_language_name(const char *code);

#endif /* NP_HTTP_MATCH_H */
