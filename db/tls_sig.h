/* SPDX-License-Identifier: MIT */
/*
 * Signatures of the [tls:client] and [tls:server] sections: a JA4 whose
 * parts may each be "*" (client), or a JA3S hash (server). The most
 * specific signature that matches wins, the earliest line among equals; a
 * match on every part is exact, one on fewer parts generic. An index built
 * at load answers with one hash probe per part layout the file uses.
 */
#ifndef NP_TLS_SIG_H
#define NP_TLS_SIG_H

#include <stdbool.h>
#include <stdint.h>

#define NP_TLS_SIG_TEXT 37	/* a JA4 (36) or a JA3S (32), and a NUL */
#define NP_TLS_PARTS 3		/* JA4 a, b, c; a JA3S is one part (a) */
#define NP_TLS_ALL_PARTS 7	/* mask of a JA4 given whole */

struct np_tls_sig {
	uint32_t line_no;
	uint32_t label;		/* index into labels */
	uint8_t parts;		/* bit i: part i given (not "*") */
	char text[NP_TLS_SIG_TEXT];	/* as written, hex lower-cased */
};

struct np_db;

/*
 * Parse a sig value of a [tls:client] (client true) or [tls:server]
 * section into s (text, parts). Returns NULL, or what is wrong.
 */
const char *np_tls_sig_parse(const char *val, bool client, struct np_tls_sig *s);

/* The same parts, the same values: one line covers the other. */
bool np_tls_sig_same(const struct np_tls_sig *a, const struct np_tls_sig *b);

/* Where each part of a JA4 starts and how long it is. */
extern const uint8_t np_ja4_part_off[NP_TLS_PARTS], np_ja4_part_len[NP_TLS_PARTS];

/*
 * The compiled index of one direction: every signature in one open
 * addressing table, keyed by its part layout and the parts it gives.
 */
struct np_tls_index {
	uint32_t *slots;	/* signature index + 1; 0: empty */
	uint32_t mask;
	uint8_t layouts;	/* bit p: some signature has part layout p */
};

/* Build db->tls_index[dir] for both directions; 0 or -ENOMEM. */
int np_tls_index_build(struct np_db *db);

/*
 * The hash the index files a fingerprint under for part layout parts;
 * fp is a whole JA4 (client) or JA3S (server), or a signature's text.
 */
uint32_t np_tls_key_hash(const char *fp, bool client, uint8_t parts);

/* Does signature s match fingerprint fp on the parts s gives? */
bool np_tls_sig_covers(const struct np_tls_sig *s, const char *fp, bool client);

#endif /* NP_TLS_SIG_H */
