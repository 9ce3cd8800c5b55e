/* SPDX-License-Identifier: MIT */
/*
 * Records as JSON lines: one object per record with every field a typed
 * value, for log pipelines (Vector, Logstash, Filebeat, Splunk). Strings
 * from the traffic or the database are made valid UTF-8 first, so the
 * output is valid JSON whatever bytes it carried.
 */
#ifndef NP_JSON_OUT_H
#define NP_JSON_OUT_H

#include <stddef.h>

#include <jansson.h>

#include "format.h"
#include "record.h"

/*
 * Write one JSON object and a newline into buf. tls: np_tls_out_fill()'s
 * for a TLS record (NULL for other records). Returns the length, or 0 when
 * the record does not fit or cannot be encoded (counted by the caller).
 */
size_t np_json_record(char *buf, size_t len, const struct np_rec *r, const char *tail,
		      const struct np_tls_out *tls);

/*
 * A JSON string from bytes that may not be UTF-8 (database labels, traffic,
 * a name cut inside a character): valid sequences are kept, every other
 * byte becomes U+FFFD. NULL only when memory runs out.
 */
json_t *np_json_string(const char *s, size_t len);

#endif /* NP_JSON_OUT_H */
