/* SPDX-License-Identifier: MIT */
/*
 * libnetprint's handles (netprint.h) as the library sees them: an
 * observer is the single-thread pipeline (core/pipeline.h) plus the
 * records it hands out, by callback or from its poll queue.
 */
#ifndef NP_LIB_H
#define NP_LIB_H

#include <stdbool.h>
#include <stdint.h>

#include "format.h"
#include "netprint.h"
#include "pipeline.h"

/*
 * A record handed out: the public view and everything it points into.
 * The view's internal_ points back here while it is valid
 * (np_record_format()).
 */
struct np_held {
	struct np_record view;
	const struct np_rec *rec;
	const char *tail;
	struct np_fields fields;	/* p0f's key = value text, made once */
	bool fields_made;
	struct np_tls_out tls;		/* a TLS record's other forms */
	char cli[64], srv[64];		/* addresses as p0f prints them */
	char *strings;			/* names, SNI, ALPN...: NP_HELD_STRINGS bytes */
	size_t used;
};
#define NP_HELD_STRINGS (4 * NP_TLS_HELLO_MAX + 4096)

/*
 * Hold rec and tail (which must outlive it) for np_record_format() alone:
 * the typed view stays empty (the logger writes texts and reads nothing
 * else). NP_OK, NP_ERR_NOMEM, NP_ERR_INVALID (a kind the hosts never emit).
 */
int np_held_prepare(struct np_held *h, const struct np_rec *rec, const char *tail);

/* The same, with the whole typed view filled (what library users get). */
int np_held_fill(struct np_held *h, const struct np_rec *rec, const char *tail);

/* The view is no longer valid. */
void np_held_clear(struct np_held *h);
void np_held_fini(struct np_held *h);

/*
 * The bundled databases, p0f.fp and tls.fp: installed with the library, or
 * the source tree's for a library or program used where it was built (not
 * installed yet). np_db_open()'s default, and netprint's.
 */
const char *const *np_db_bundled(void);

/* A record waiting in the poll queue. */
struct np_queued {
	struct np_rec rec;
	char *tail;			/* malloc'd copy, or NULL */
	struct np_db *db;		/* a reference: rec's names point into it */
};

struct np_observer {
	struct np_pipeline p;
	struct np_db *db;		/* one reference */
	struct np_tcp_filter *filter;	/* p0f's "tcp" for a guessed link type */
	np_record_fn fn;
	void *ctx;
	bool busy;			/* inside fn */
	unsigned fed;			/* records from the current feed */
	struct np_held held;		/* the record being handed out */
	struct np_queued *queue;	/* ring of cap entries */
	uint32_t q_head, q_len, q_cap;
	struct np_rec polled;		/* the record np_observer_poll() gave */
	char *polled_tail;
	struct np_db *polled_db;	/* its names' database, referenced */
	uint64_t records, dropped;
};

#endif /* NP_LIB_H */
