/* SPDX-License-Identifier: MIT */
/*
 * p0f's raw signatures (the "raw_sig" of its records) read as text: the
 * database line a TCP one becomes, and where an HTTP one's software field
 * (the User-Agent or Server it was seen with) begins.
 */
#ifndef NP_RAW_SIG_H
#define NP_RAW_SIG_H

#include <stddef.h>

/*
 * A raw TCP signature in the database's form. It is one already but for
 * its TTL: "52+12" is the TTL seen and the hops to the initial one the
 * database holds (64); "52+?" a TTL p0f could not place, kept as seen.
 * That form is what hosts at other distances share.
 */
void np_raw_tcp_db_form(char *out, size_t len, const char *raw);

/*
 * Where an HTTP raw signature's software field begins: after its third
 * ':' outside the brackets of header values ("ver:order:absent:software").
 * NULL when it has none.
 */
const char *np_raw_http_software(const char *raw);

#endif /* NP_RAW_SIG_H */
