/* SPDX-License-Identifier: MIT */
/*
 * Records -> text, byte for byte as p0f 3.09b writes them: the stdout block
 * (".-[ cli -> srv (mod) ]-" ... "`----") and the log line
 * ("[YYYY/MM/DD HH:MM:SS] mod=..|cli=..|srv=..|subj=..|k=v.."). Both come from
 * one list of key/value fields per record.
 */
#ifndef NP_FORMAT_H
#define NP_FORMAT_H

#include <stddef.h>

#include "record.h"

#define NP_FORMAT_MAX 16384	/* enough for any record, HTTP raw_sig included */

/* p0f's address text: dotted quad, or eight %x groups without "::". */
void np_format_addr(char *buf, size_t len, const uint8_t *addr, uint8_t ip_ver);

#define NP_PARAMS_MAX 4

/* p0f's params words (without tos:0xNN), in its order; returns how many. */
unsigned np_tcp_params(const struct np_rec_tcp *t, const char *out[NP_PARAMS_MAX]);
unsigned np_http_params(const struct np_rec_http *h, const char *out[NP_PARAMS_MAX]);

/* The raw_sig field of a SYN or SYN+ACK record. */
void np_format_tcp_sig(char *buf, size_t len, const struct np_record *r);

/* A record's key = value fields, as p0f's add_observation_field() gets them. */
#define NP_MAX_FIELDS 4
#define NP_FIELD_MAX 512

struct np_field {
	const char *key;
	const char *val;	/* buf, or a longer text (an HTTP raw_sig) */
	char buf[NP_FIELD_MAX];
};

struct np_fields {
	unsigned n;
	struct np_field f[NP_MAX_FIELDS];
};

/* Fields of r; they point into r and tail, which must outlive them. */
void np_format_fields(struct np_fields *fs, const struct np_record *r, const char *tail);

/*
 * Returns the length written (excluding NUL). Local time, like p0f. tail is
 * the record's NUL-terminated text tail (HTTP raw_sig), or NULL. The
 * _fields forms take the fields made once for both.
 */
size_t np_format_log_line(char *buf, size_t len, const struct np_record *r, const char *tail);
size_t np_format_block(char *buf, size_t len, const struct np_record *r, const char *tail);
size_t np_format_log_line_fields(char *buf, size_t len, const struct np_record *r,
				 const struct np_fields *fs);
size_t np_format_block_fields(char *buf, size_t len, const struct np_record *r,
			      const struct np_fields *fs);

#endif /* NP_FORMAT_H */
