/* SPDX-License-Identifier: MIT */
/*
 * p0f's raw signatures read as text (raw_sig.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raw_sig.h"

void
np_raw_tcp_db_form(char *out, size_t len, const char *raw)
{
	const char *c1 = strchr(raw, ':'), *plus = c1 ? strchr(c1, '+') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	if (plus && c2 && plus < c2 && plus[1] != '?')
		snprintf(out, len, "%.*s%ld%s", (int)(c1 + 1 - raw), raw,
			 strtol(c1 + 1, NULL, 10) + strtol(plus + 1, NULL, 10), c2);
	else if (plus && c2 && plus < c2)
		snprintf(out, len, "%.*s%s", (int)(plus - raw), raw, c2);
	else
		snprintf(out, len, "%s", raw);
}

const char *
np_raw_http_software(const char *raw)
{
	unsigned colons = 0, depth = 0;

	for (const char *p = raw; *p; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth)
			depth--;
		else if (*p == ':' && !depth && ++colons == 3)
			return p + 1;
	}
	return NULL;
}
