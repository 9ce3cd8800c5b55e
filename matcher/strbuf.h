/* SPDX-License-Identifier: MIT */
/*
 * A bounded string builder for the text netprint writes per record (p0f's
 * blocks and log lines, HTTP raw signatures): appends never overflow, the
 * text is cut and stays NUL-terminated, and no format string is parsed.
 */
#ifndef NP_STRBUF_H
#define NP_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct np_sb {
	char *buf;
	size_t len, pos;	/* pos < len always */
};

/* len must be at least 1. */
static inline struct np_sb
np_sb_of(char *buf, size_t len)
{
	buf[0] = 0;
	return (struct np_sb){ buf, len, 0 };
}

static inline void
np_sb_mem(struct np_sb *b, const char *s, size_t n)
{
	char *d = b->buf + b->pos;

	if (n > b->len - 1 - b->pos)
		n = b->len - 1 - b->pos;
	switch (n) {	/* the usual pieces (a separator, a number) without a call */
	case 4: d[3] = s[3]; /* fall through */
	case 3: d[2] = s[2]; /* fall through */
	case 2: d[1] = s[1]; /* fall through */
	case 1: d[0] = s[0]; /* fall through */
	case 0: break;
	default: memcpy(d, s, n);
	}
	b->pos += n;
	b->buf[b->pos] = 0;
}

static inline void
np_sb_str(struct np_sb *b, const char *s)
{
	np_sb_mem(b, s, strlen(s));
}

/* A string literal, its length known when compiled. */
#define np_sb_lit(b, lit) np_sb_mem((b), "" lit, sizeof(lit) - 1)

/* 0..255 in decimal (an IPv4 address's byte). */
static inline void
np_sb_u8(struct np_sb *b, uint8_t v)
{
	char d[4];	/* the fourth byte np_sb_mem()'s unrolled copy names (never read: n <= 3) */
	unsigned n = 0;

	if (v >= 100)
		d[n++] = (char)('0' + v / 100);
	if (v >= 10)
		d[n++] = (char)('0' + v / 10 % 10);
	d[n++] = (char)('0' + v % 10);
	np_sb_mem(b, d, n);
}

static inline void
np_sb_uint(struct np_sb *b, uint64_t v)
{
	char d[20];
	unsigned n = 0;

	do
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
	while ((v /= 10));
	np_sb_mem(b, d + sizeof(d) - n, n);
}

static inline void
np_sb_int(struct np_sb *b, int64_t v)
{
	if (v < 0) {
		np_sb_mem(b, "-", 1);
		np_sb_uint(b, 0 - (uint64_t)v);	/* INT64_MIN too */
	} else {
		np_sb_uint(b, (uint64_t)v);
	}
}

/* Lower-case hex, at least width (<= 8) digits. */
static inline void
np_sb_hex(struct np_sb *b, uint32_t v, unsigned width)
{
	char d[8];
	unsigned n = 0;

	do
		d[sizeof(d) - ++n] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) || n < width);
	np_sb_mem(b, d + sizeof(d) - n, n);
}

#endif /* NP_STRBUF_H */
