/* SPDX-License-Identifier: MIT */
/*
 * TLS matching: a ClientHello's JA4 against [tls:client], a ServerHello's
 * JA3S against [tls:server] (tls_sig.h), and the cross-layer check that a
 * TLS client's label agrees with the OS its connection's SYN was matched to.
 */
#ifndef NP_TLS_MATCH_H
#define NP_TLS_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "tls_sig.h"

struct np_tls_match {
	int32_t sig;		/* index into db->tls[dir], -1: no match */
	bool exact;		/* every part of the signature given and equal */
};

/*
 * The most specific signature covering fp (a JA4 for NP_DIR_REQUEST, a
 * JA3S hash for NP_DIR_RESPONSE), the earliest loaded among equals.
 */
void np_match_tls(const struct np_db *db, enum np_dir dir, const char *fp,
		  struct np_tls_match *m);

/*
 * Does a TLS label name an OS family other than the one a SYN was matched
 * to (os_name_id, os_class_id >= 0)? A tool label ("!") names its family
 * by its "sys" list (names or @classes; an empty list names none); an OS
 * label names its own OS.
 */
bool np_tls_os_mismatch(const struct np_label *tls, uint32_t os_name_id, int32_t os_class_id);

#endif /* NP_TLS_MATCH_H */
