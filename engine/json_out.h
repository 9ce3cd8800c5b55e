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

#include "format.h"
#include "record.h"

/*
 * Write one JSON object and a newline into buf. tls: np_tls_out_fill()'s
 * for a TLS record (NULL for other records). Returns the length, or 0 when
 * the record does not fit or cannot be encoded (counted by the caller).
 */
size_t np_json_record(char *buf, size_t len, const struct np_record *r, const char *tail,
		      const struct np_tls_out *tls);

#endif /* NP_JSON_OUT_H */
