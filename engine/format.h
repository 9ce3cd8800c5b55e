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
#define NP_MAX_FIELDS 14
#define NP_FIELD_MAX 512

/*
 * Room for a TLS record's long values, and for a whole formatted TLS
 * record: from a reduced hello of at most NP_TLS_HELLO_MAX bytes, three raw
 * strings of 3 characters a byte, SNI and ALPN of 4 (escapes) plus commas.
 */
#define NP_TLS_TEXT_MAX (15 * NP_TLS_HELLO_MAX)
#define NP_RECORD_TEXT_MAX (NP_FORMAT_MAX + NP_TLS_TEXT_MAX)

struct np_field {
	const char *key;
	const char *val;	/* buf, or a longer text (an HTTP raw_sig) */
	char buf[NP_FIELD_MAX];
};

struct np_fields {
	unsigned n;
	struct np_field f[NP_MAX_FIELDS];
	char *text;		/* NP_TLS_TEXT_MAX bytes, made on first use */
};

/*
 * Fields of r; they point into r, tail and fs->text, which must outlive
 * them. fs starts zeroed; np_format_fields_fini() frees what it keeps.
 */
void np_format_fields(struct np_fields *fs, const struct np_record *r, const char *tail);
void np_format_fields_fini(struct np_fields *fs);

/*
 * A TLS record's hello, from its tail (np_tls_hello_reduce()'s output):
 * false when it has none or it does not parse (it always should).
 */
bool np_format_tls_hello(const struct np_record *r, const char *tail, struct np_tls_hello *h);

/* A TLS version as records print it: "1.3", "DTLS 1.2"..., else "0x%04x". */
void np_format_tls_version(char out[16], uint16_t version);

/* "tcp", "quic", "dtls" */
const char *np_format_tls_transport(uint8_t transport);

/* p0f's params words of a TLS record ("generic", "os_mismatch"). */
unsigned np_tls_params(const struct np_rec_tls *t, const char *out[NP_PARAMS_MAX]);

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
