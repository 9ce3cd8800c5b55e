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
#include "tls.h"
#include "tls_fp.h"

#define NP_FORMAT_MAX 16384	/* enough for any record, HTTP raw_sig included */

/* p0f's address text: dotted quad, or eight %x groups without "::". */
void np_format_addr(char *buf, size_t len, const uint8_t *addr, uint8_t ip_ver);

#define NP_PARAMS_MAX 4

/* p0f's params words (without tos:0xNN), in its order; returns how many. */
unsigned np_tcp_params(const struct np_rec_tcp *t, const char *out[NP_PARAMS_MAX]);
unsigned np_http_params(const struct np_rec_http *h, const char *out[NP_PARAMS_MAX]);

/* The raw_sig field of a SYN or SYN+ACK record. */
void np_format_tcp_sig(char *buf, size_t len, const struct np_rec *r);

/* A record's key = value fields, as p0f's add_observation_field() gets them. */
#define NP_MAX_FIELDS 14
#define NP_FIELD_MAX 512

/*
 * Room for a TLS record's long values, and for a whole formatted TLS
 * record: from a reduced hello of at most NP_TLS_HELLO_MAX bytes, three raw
 * strings of 3 characters a byte, SNI and ALPN of 4 (escapes) plus commas.
 */
#define NP_TLS_ESCAPED_MAX (5 * NP_TLS_HELLO_MAX + 8)
#define NP_TLS_TEXT_MAX (3 * NP_TLS_STR_MAX + NP_TLS_ESCAPED_MAX)
#define NP_RECORD_TEXT_MAX (NP_FORMAT_MAX + NP_TLS_TEXT_MAX)

struct np_field {
	const char *key;
	const char *val;	/* buf, or a longer text (an HTTP raw_sig) */
	char buf[NP_FIELD_MAX];
};

/*
 * What a TLS record's printed forms add to it, made from its tail (the
 * reduced hello) on the thread that prints: every fingerprint (the worker
 * only computes the one the database is keyed by) and the raw strings.
 * Starts zeroed; np_tls_out_fini() frees what it keeps between records.
 */
struct np_tls_out {
	char *raw;			/* the three raw strings; made on first use */
	bool ok;			/* the tail held a hello (it always should) */
	struct np_tls_hello h;		/* points into the tail */
	struct np_tls_fp fp;
	const char *ja4_r, *ja4_ro, *ja3;	/* in raw */
};

/* Fill o for a TLS record; 0, or -ENOMEM / -EIO (o->ok false). */
int np_tls_out_fill(struct np_tls_out *o, const struct np_rec *r, const char *tail);
void np_tls_out_fini(struct np_tls_out *o);

struct np_fields {
	unsigned n;
	struct np_field f[NP_MAX_FIELDS];
	char cli[64], srv[64];	/* the endpoints as p0f prints them: "addr/port" */
	char *text;		/* escaped SNI and ALPN: made on first use */
};

/*
 * Fields of r; they point into r, tail, fs->text and tls (filled for r
 * when r is a TLS record), which must outlive them. fs starts zeroed;
 * np_format_fields_fini() frees what it keeps.
 */
void np_format_fields(struct np_fields *fs, const struct np_rec *r, const char *tail,
		      const struct np_tls_out *tls);
void np_format_fields_fini(struct np_fields *fs);

/* A TLS version as records print it: "1.3", "DTLS 1.2"..., else "0x%04x". */
void np_format_tls_version(char out[16], uint16_t version);

/* p0f's params words of a TLS record ("generic", "os_mismatch"). */
unsigned np_tls_params(const struct np_rec_tls *t, const char *out[NP_PARAMS_MAX]);

/*
 * Returns the length written (excluding NUL). Local time, like p0f. tail is
 * the record's NUL-terminated text tail (HTTP raw_sig), or NULL. The
 * _fields forms take the fields made once for both.
 */
size_t np_format_log_line(char *buf, size_t len, const struct np_rec *r, const char *tail);
size_t np_format_block(char *buf, size_t len, const struct np_rec *r, const char *tail);
size_t np_format_log_line_fields(char *buf, size_t len, const struct np_rec *r,
				 const struct np_fields *fs);
size_t np_format_block_fields(char *buf, size_t len, const struct np_rec *r,
			      const struct np_fields *fs);

#endif /* NP_FORMAT_H */
