/* SPDX-License-Identifier: MIT */
/*
 * netprint's NATS messages: subjects, names, the base64 of the records
 * and the message ids (nats_wire.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nats_wire.h"

size_t
np_nats_subject(char *out, size_t cap, const char *sensor, const char *kind)
{
	int n = snprintf(out, cap, "netprint.%s.%s", sensor, kind ? kind : NP_NATS_INPUT_KIND);

	if (n < 0 || (size_t)n >= cap)
		return 0;
	if (kind)
		for (char *s = out + n - strlen(kind); *s; s++)
			if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
				*s = '_';
	return (size_t)n;
}

bool
np_nats_name_ok(const char *s, size_t len)
{
	if (!len || len > NP_NATS_SENSOR_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

void
np_nats_host_name(char *out, size_t len)
{
	if (gethostname(out, len) || !out[0])
		snprintf(out, len, "sensor");
	out[len - 1] = 0;
	for (char *p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			*p = '_';
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
np_base64_encode(const uint8_t *in, size_t n, char *out)
{
	char *o = out;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);

		*o++ = b64[v >> 18];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = 0;
	return (size_t)(o - out);
}

static int
b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

long
np_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap)
{
	size_t o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;

		for (int k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = b64_value(in[i + k])) < 0) {
				return -1;	/* a character after '=', or none of base64's */
			}
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
			     (uint32_t)v[3];

		if (o + 3 - (size_t)pad > cap)
			return -1;
		out[o++] = (uint8_t)(w >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(w >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)w;
	}
	return (long)o;
}

bool
np_nats_msg_id_parse(const char *id, size_t *sensor_len, uint64_t *boot, uint64_t *seq)
{
	const char *dot = strchr(id, '.'), *dot2;
	char *end;

	if (!dot || !np_nats_name_ok(id, (size_t)(dot - id)) || !(dot2 = strchr(dot + 1, '.')) ||
	    dot2 - dot != 17)
		return false;
	*boot = strtoull(dot + 1, &end, 16);
	if (end != dot2 || dot2[1] < '0' || dot2[1] > '9')
		return false;
	*seq = strtoull(dot2 + 1, &end, 10);
	*sensor_len = (size_t)(dot - id);
	return !*end;
}
