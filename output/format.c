/* SPDX-License-Identifier: MIT */
/*
 * p0f's output formats. A record is first turned into its field list
 * (what p0f passes to add_observation_field), then rendered either way.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "strbuf.h"
#include "http_match.h"
#include "matcher.h"
#include "tls_fp.h"


/* "%-8s" */
static void
sb_key8(struct np_sb *b, const char *s)
{
	size_t n = strlen(s);

	np_sb_mem(b, s, n);
	if (n < 8)
		np_sb_mem(b, "        ", 8 - n);
}

static void
sb_addr(struct np_sb *b, const uint8_t *a, uint8_t ip_ver)
{
	if (ip_ver == 4 && b->len - b->pos > 16) {	/* room for 255.255.255.255 */
		char *d = b->buf + b->pos;

		for (unsigned i = 0; i < 4; i++) {
			unsigned v = a[i];

			if (v >= 100)
				*d++ = (char)('0' + v / 100);
			if (v >= 10)
				*d++ = (char)('0' + v / 10 % 10);
			*d++ = (char)('0' + v % 10);
			*d++ = '.';
		}
		b->pos = (size_t)(d - 1 - b->buf);	/* no '.' after the last */
		b->buf[b->pos] = 0;
		return;
	}
	if (ip_ver == 4) {
		for (unsigned i = 0; i < 4; i++) {
			if (i)
				np_sb_mem(b, ".", 1);
			np_sb_u8(b, a[i]);
		}
		return;
	}
	for (unsigned i = 0; i < 16; i += 2) {	/* p0f: every group, no "::" */
		if (i)
			np_sb_mem(b, ":", 1);
		np_sb_hex(b, (unsigned)(a[i] << 8 | a[i + 1]), 1);
	}
}

void
np_format_addr(char *buf, size_t len, const uint8_t *a, uint8_t ip_ver)
{
	struct np_sb b = np_sb_of(buf, len);

	sb_addr(&b, a, ip_ver);
}

static const char *
opt_name(uint8_t kind)
{
	switch (kind) {
	case NP_OPT_NOP: return "nop";
	case NP_OPT_MSS: return "mss";
	case NP_OPT_WS: return "ws";
	case NP_OPT_SOK: return "sok";
	case NP_OPT_SACK: return "sack";
	case NP_OPT_TS: return "ts";
	default: return NULL;
	}
}

void
np_format_tcp_sig(char *buf, size_t len, const struct np_rec *r)
{
	const struct np_rec_tcp *t = &r->tcp;
	int32_t dist = np_guess_dist(t->ttl);
	struct np_sb b = np_sb_of(buf, len);

	np_sb_uint(&b, r->ip_ver);
	np_sb_lit(&b, ":");
	np_sb_uint(&b, t->ttl);
	np_sb_lit(&b, "+");
	if (dist > NP_MAX_DIST)
		np_sb_lit(&b, "?");
	else
		np_sb_int(&b, dist);
	np_sb_lit(&b, ":");
	np_sb_uint(&b, t->ip_opt_len);
	np_sb_lit(&b, ":");
	if (t->flags & NP_RTCP_MSS_STAR)
		np_sb_lit(&b, "*");
	else
		np_sb_uint(&b, t->mss);
	np_sb_lit(&b, ":");
	if (t->win_multi > 0) {
		np_sb_str(&b, t->win_mtu ? "mtu*" : "mss*");
		np_sb_int(&b, t->win_multi);
	} else {
		np_sb_uint(&b, t->win);
	}
	np_sb_lit(&b, ",");
	np_sb_uint(&b, t->wscale);
	np_sb_lit(&b, ":");

	for (unsigned i = 0; i < t->opt_cnt; i++) {
		const char *name = opt_name(t->opt_layout[i]);

		if (i)
			np_sb_lit(&b, ",");
		if (t->opt_layout[i] == NP_OPT_EOL) {
			np_sb_lit(&b, "eol+");
			np_sb_uint(&b, t->opt_eol_pad);
		} else if (name) {
			np_sb_str(&b, name);
		} else {
			np_sb_lit(&b, "?");
			np_sb_uint(&b, t->opt_layout[i]);
		}
	}
	np_sb_lit(&b, ":");

	const char *sep = "";
	for (unsigned q = 0; q < NP_QUIRK_COUNT; q++)
		if (t->quirks & (1u << q)) {
			np_sb_str(&b, sep);
			np_sb_str(&b, np_quirk_names[q]);
			sep = ",";
		}
	np_sb_str(&b, (t->flags & NP_RTCP_PAYLOAD) ? ":+" : ":0");
}

/* p0f fp_tcp.c dump_flags(), less the tos:0xNN it adds last. */
unsigned
np_tcp_params(const struct np_rec_tcp *t, const char *out[NP_PARAMS_MAX])
{
	unsigned n = 0;

	if (t->flags & NP_RTCP_MATCHED) {
		if (t->flags & NP_RTCP_GENERIC)
			out[n++] = "generic";
		if (t->flags & NP_RTCP_FUZZY)
			out[n++] = "fuzzy";
		if (t->flags & NP_RTCP_BAD_TTL)
			out[n++] = "random_ttl";
	}
	if (t->dist > NP_MAX_DIST)
		out[n++] = "excess_dist";
	return n;
}

/* p0f fp_http.c dump_flags(). */
unsigned
np_http_params(const struct np_rec_http *h, const char *out[NP_PARAMS_MAX])
{
	unsigned n = 0;

	if (h->flags & NP_RHTTP_DISHONEST)
		out[n++] = "dishonest";
	if (h->flags & NP_RHTTP_ANONYMOUS)
		out[n++] = "anonymous";
	if (h->flags & NP_RHTTP_GENERIC)
		out[n++] = "generic";
	return n;
}

/* The params field: the words space-separated (then tos:0xNN), or none. */
static void
format_params(char *buf, size_t len, const char *const *words, unsigned n, uint8_t tos)
{
	struct np_sb b = np_sb_of(buf, len);

	for (unsigned i = 0; i < n; i++) {
		if (b.pos)
			np_sb_lit(&b, " ");
		np_sb_str(&b, words[i]);
	}
	if (tos) {
		if (b.pos)
			np_sb_lit(&b, " ");
		np_sb_lit(&b, "tos:0x");
		np_sb_hex(&b, tos, 2);
	}
	if (!b.pos)
		np_sb_lit(&b, "none");
}

/* A field whose value is a string that outlives the formatting. */
static void
set_str(struct np_field *f, const char *key, const char *val)
{
	f->key = key;
	f->val = val;
}

/* A field built in its own buffer. */
static struct np_sb
set_buf(struct np_field *f, const char *key)
{
	f->key = key;
	f->val = f->buf;
	return np_sb_of(f->buf, sizeof(f->buf));
}

/* p0f prints "???" for a field it has no value for. */
static const char *
or_unknown(const char *s)
{
	return s ? s : "???";
}

static void
tcp_fields(const struct np_rec *r, struct np_field *f)
{
	const struct np_rec_tcp *t = &r->tcp;
	const char *words[NP_PARAMS_MAX];

	set_str(&f[0], (t->flags & NP_RTCP_APP) ? "app" : "os", or_unknown(r->names.label));
	struct np_sb b = set_buf(&f[1], "dist");
	if (t->flags & NP_RTCP_BAD_TTL)
		np_sb_lit(&b, "<= ");
	np_sb_int(&b, t->dist);
	set_buf(&f[2], "params");
	format_params(f[2].buf, sizeof(f[2].buf), words, np_tcp_params(t, words), t->tos);
	set_buf(&f[3], "raw_sig");
	np_format_tcp_sig(f[3].buf, sizeof(f[3].buf), r);
}

/* p0f fingerprint_http(): app/os, lang, params, raw_sig. */
static void
http_fields(const struct np_rec *r, const char *tail, struct np_field *f)
{
	const struct np_rec_http *h = &r->http;
	const char *l = h->lang;
	const char *words[NP_PARAMS_MAX];

	if (h->flags & NP_RHTTP_MATCHED)
		set_str(&f[0], h->m.class_id < 0 ? "app" : "os", or_unknown(r->names.label));
	else
		set_str(&f[0], "app", "???");
	if (isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) &&
	    !isalpha((unsigned char)l[2])) {
		const char *name = np_language_name(l);

		set_str(&f[1], "lang", name ? name : "???");
	} else {
		set_str(&f[1], "lang", "none");
	}
	set_buf(&f[2], "params");
	format_params(f[2].buf, sizeof(f[2].buf), words, np_http_params(h, words), 0);
	set_str(&f[3], "raw_sig", tail ? tail : "");
}

static void
nat_fields(const struct np_rec *r, struct np_field *f)
{
	struct np_sb b = set_buf(&f[0], "reason");

	for (unsigned i = 0; i < NP_NAT_REASON_COUNT; i++)
		if (r->nat.reasons & (1u << i)) {
			if (b.pos)
				np_sb_lit(&b, " ");
			np_sb_str(&b, np_nat_reason_names[i]);
		}
	if (!b.pos)
		set_str(&f[0], "reason", "???");
	b = set_buf(&f[1], "raw_hits");
	for (unsigned i = 0; i < 4; i++) {
		if (i)
			np_sb_lit(&b, ",");
		np_sb_uint(&b, r->nat.hits[i]);
	}
}

/* ---- TLS records ---------------------------------------------------------- */

/* The reduced hello of a TLS record's tail. */
static bool
tail_hello(const struct np_rec *r, const char *tail, struct np_tls_hello *h)
{
	const uint8_t *m = (const uint8_t *)tail;

	if (!tail || r->tail_len < 4)
		return false;

	uint32_t len = (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];

	return len + 4 <= r->tail_len &&
	       np_tls_parse_hello(m[0], m + 4, len, r->tls.transport == NP_TLS_DTLS, h) == NP_TLS_OK;
}

/*
 * The raw strings from the hello, then the hashes from the raw strings
 * (JA4_o from ja4_ro, JA3 from its string): what is printed and what is
 * hashed are one text. The hash the worker computed comes with the record.
 */
int
np_tls_out_fill(struct np_tls_out *o, const struct np_rec *r, const char *tail)
{
	char transport = (char)r->tls.transport;
	char *raw;
	size_t n;

	o->ok = false;
	o->ja4_r = o->ja4_ro = o->ja3 = "";
	memset(&o->fp, 0, sizeof(o->fp));
	if (!o->raw && !(o->raw = malloc(3 * NP_TLS_STR_MAX)))
		return -ENOMEM;
	if (!tail_hello(r, tail, &o->h))
		return 0;
	/* NP_TLS_STR_MAX holds any raw string of a hello that parsed */
	raw = o->raw;
	n = np_tls_ja3_string(&o->h, raw + 2 * NP_TLS_STR_MAX, NP_TLS_STR_MAX);
	o->ja3 = raw + 2 * NP_TLS_STR_MAX;
	if (r->kind == NP_REC_TLS_SERVER) {
		memcpy(o->fp.ja3, r->tls.sig, sizeof(o->fp.ja3));
	} else {
		np_tls_ja4_raw(&o->h, transport, false, raw, NP_TLS_STR_MAX);
		o->ja4_r = raw;
		np_tls_ja4_raw(&o->h, transport, true, raw + NP_TLS_STR_MAX, NP_TLS_STR_MAX);
		o->ja4_ro = raw + NP_TLS_STR_MAX;
		memcpy(o->fp.ja4, r->tls.sig, sizeof(o->fp.ja4));
		if (np_tls_ja4_hash(o->ja4_ro, o->fp.ja4_o) || np_tls_ja3_hash(o->ja3, n, o->fp.ja3))
			return -EIO;
	}
	o->ok = true;
	return 0;
}

void
np_tls_out_fini(struct np_tls_out *o)
{
	free(o->raw);
	o->raw = NULL;
}

void
np_format_tls_version(char out[16], uint16_t version)
{
	const char *name = np_tls_version_name(version);
	struct np_sb b = np_sb_of(out, 16);

	if (name) {
		np_sb_str(&b, name);
	} else {
		np_sb_lit(&b, "0x");
		np_sb_hex(&b, version, 4);
	}
}

unsigned
np_tls_params(const struct np_rec_tls *t, const char *out[NP_PARAMS_MAX])
{
	unsigned n = 0;

	if (t->flags & NP_RTLS_GENERIC)
		out[n++] = "generic";
	if (t->flags & NP_RTLS_OS_MISMATCH)
		out[n++] = "os_mismatch";
	return n;
}

/*
 * Bytes from the wire in a text record: printable ASCII as it is, except
 * the separators ('|', ',') and '\\', which are written \xNN like every
 * other byte, so a line always splits the same way.
 */
static void
sb_escaped(struct np_sb *b, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '|' && s[i] != ',' && s[i] != '\\') {
			np_sb_mem(b, (const char *)s + i, 1);
		} else {
			np_sb_lit(b, "\\x");
			np_sb_hex(b, s[i], 2);
		}
	}
}

/* Room in fs->text for the escaped values. */
struct text_room {
	char *p;
	size_t left;
};

static struct np_sb
set_text(struct np_field *f, const char *key, struct text_room *room)
{
	f->key = key;
	f->val = room->p;
	return np_sb_of(room->p, room->left);
}

static void
text_used(struct text_room *room, const struct np_sb *b)
{
	room->p += b->pos + 1;
	room->left -= b->pos + 1;
}

/*
 * app/os, params, transport, version, then a client's SNI, ALPN list and
 * the four JA4 forms and JA3, or a server's cipher, ALPN and JA3S.
 * NP_TLS_ESCAPED_MAX holds SNI and ALPN escaped, whatever they are.
 */
static unsigned
tls_fields(struct np_fields *fs, const struct np_rec *r, const struct np_tls_out *o)
{
	const struct np_rec_tls *t = &r->tls;
	const struct np_tls_hello *h = &o->h;
	struct np_field *f = fs->f;
	const char *words[NP_PARAMS_MAX];
	bool client = r->kind == NP_REC_TLS_CLIENT;
	struct text_room room = { fs->text, NP_TLS_ESCAPED_MAX };
	struct np_sb b;
	unsigned n = 0;

	if (t->flags & NP_RTLS_MATCHED)
		set_str(&f[n++], t->m.class_id < 0 ? "app" : "os", or_unknown(r->names.label));
	else
		set_str(&f[n++], "app", "???");
	set_buf(&f[n], "params");
	format_params(f[n].buf, sizeof(f[n].buf), words, np_tls_params(t, words), 0);
	n++;
	set_str(&f[n++], "transport", np_tls_transport_name(t->transport));
	np_format_tls_version(set_buf(&f[n++], "version").buf, t->version);
	if (client) {
		b = set_text(&f[n++], "sni", &room);
		if (o->ok && h->sni)
			sb_escaped(&b, h->sni, h->sni_len);
		else
			np_sb_lit(&b, "none");
		text_used(&room, &b);
	} else {
		b = set_buf(&f[n++], "cipher");
		np_sb_lit(&b, "0x");
		np_sb_hex(&b, t->cipher, 4);
	}
	/* ALPN: the client's list, the server's choice */
	b = set_text(&f[n++], "alpn", &room);
	for (uint32_t i = 0; o->ok && h->alpn && i < h->alpn_len; i += 1u + h->alpn[i]) {
		if (i)
			np_sb_lit(&b, ",");
		sb_escaped(&b, h->alpn + i + 1, h->alpn[i]);
		if (!client)
			break;
	}
	if (!b.pos)
		np_sb_lit(&b, "none");
	text_used(&room, &b);
	if (client) {
		set_str(&f[n++], "ja4", t->sig);
		set_str(&f[n++], "ja4_r", o->ja4_r);
		set_str(&f[n++], "ja4_o", o->fp.ja4_o);
		set_str(&f[n++], "ja4_ro", o->ja4_ro);
		set_str(&f[n++], "ja3", o->fp.ja3);
		set_str(&f[n++], "ja3_raw", o->ja3);
	} else {
		set_str(&f[n++], "ja3s", t->sig);
		set_str(&f[n++], "ja3s_raw", o->ja3);
	}
	return n;
}

static unsigned
record_fields(const struct np_rec *r, const char *tail, struct np_field *f)
{
	struct np_sb b;

	switch (r->kind) {
	case NP_REC_MTU:
		set_str(&f[0], "link", or_unknown(r->names.link));
		b = set_buf(&f[1], "raw_mtu");
		np_sb_uint(&b, r->mtu.mtu);
		return 2;
	case NP_REC_UPTIME: {
		uint32_t m = r->uptime.up_min;

		snprintf(set_buf(&f[0], "uptime").buf, sizeof(f[0].buf),
			 "%u days %u hrs %u min (modulo %u days)", m / 60 / 24, (m / 60) % 24,
			 m % 60, r->uptime.up_mod_days);
		snprintf(set_buf(&f[1], "raw_freq").buf, sizeof(f[1].buf), "%.02f Hz",
			 r->uptime.freq);
		return 2;
	}
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		http_fields(r, tail, f);
		return 4;
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
		nat_fields(r, f);
		return 2;
	case NP_REC_TS:
		return 0;
	default:
		tcp_fields(r, f);
		return 4;
	}
}

/* "YYYY/MM/DD HH:MM:SS" in local time, as p0f; the last second is kept. */
static const char *
local_time(uint64_t ts_us)
{
	static _Thread_local time_t last = -1;
	static _Thread_local char when[32];
	time_t t = (time_t)(ts_us / 1000000);

	if (t != last) {
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y/%m/%d %H:%M:%S", &tm);
		last = t;
	}
	return when;
}

static void
sb_endpoint(struct np_sb *b, const uint8_t *a, uint8_t ip_ver, uint16_t port)
{
	sb_addr(b, a, ip_ver);
	np_sb_lit(b, "/");
	np_sb_uint(b, port);
}

void
np_format_fields(struct np_fields *fs, const struct np_rec *r, const char *tail,
		 const struct np_tls_out *tls)
{
	struct np_sb cli = np_sb_of(fs->cli, sizeof(fs->cli)), srv = np_sb_of(fs->srv, sizeof(fs->srv));

	sb_endpoint(&cli, r->cli, r->ip_ver, r->cli_port);
	sb_endpoint(&srv, r->srv, r->ip_ver, r->srv_port);
	if (r->kind == NP_REC_TLS_CLIENT || r->kind == NP_REC_TLS_SERVER) {
		if (!fs->text && !(fs->text = malloc(NP_TLS_ESCAPED_MAX))) {
			fs->n = 0;
			return;
		}
		fs->n = tls_fields(fs, r, tls);
		return;
	}
	fs->n = record_fields(r, tail, fs->f);
}

void
np_format_fields_fini(struct np_fields *fs)
{
	free(fs->text);
	fs->text = NULL;
}

size_t
np_format_log_line_fields(char *buf, size_t len, const struct np_rec *r,
			  const struct np_fields *fs)
{
	struct np_sb b = np_sb_of(buf, len);

	np_sb_lit(&b, "[");
	np_sb_str(&b, local_time(r->ts_us));
	np_sb_lit(&b, "] mod=");
	np_sb_str(&b, np_rec_kind_names[r->kind]);
	np_sb_lit(&b, "|cli=");
	np_sb_str(&b, fs->cli);
	np_sb_lit(&b, "|srv=");
	np_sb_str(&b, fs->srv);
	np_sb_str(&b, r->to_srv ? "|subj=cli" : "|subj=srv");
	for (unsigned i = 0; i < fs->n; i++) {
		np_sb_lit(&b, "|");
		np_sb_str(&b, fs->f[i].key);
		np_sb_lit(&b, "=");
		np_sb_str(&b, fs->f[i].val);
	}
	np_sb_lit(&b, "\n");
	return b.pos;
}

size_t
np_format_block_fields(char *buf, size_t len, const struct np_rec *r,
		       const struct np_fields *fs)
{
	struct np_sb b = np_sb_of(buf, len);

	np_sb_lit(&b, ".-[ ");
	np_sb_str(&b, fs->cli);
	np_sb_lit(&b, " -> ");
	np_sb_str(&b, fs->srv);
	np_sb_lit(&b, " (");
	np_sb_str(&b, np_rec_kind_names[r->kind]);
	np_sb_lit(&b, ") ]-\n|\n| ");
	sb_key8(&b, r->to_srv ? "client" : "server");
	np_sb_lit(&b, " = ");
	np_sb_str(&b, r->to_srv ? fs->cli : fs->srv);
	np_sb_lit(&b, "\n");
	for (unsigned i = 0; i < fs->n; i++) {
		np_sb_lit(&b, "| ");
		sb_key8(&b, fs->f[i].key);
		np_sb_lit(&b, " = ");
		np_sb_str(&b, fs->f[i].val);
		np_sb_lit(&b, "\n");
	}
	np_sb_lit(&b, "|\n`----\n\n");
	return b.pos;
}

/* One record, formatted one way, with what it needs made and freed here. */
static size_t
format_once(char *buf, size_t len, const struct np_rec *r, const char *tail,
	    size_t (*how)(char *, size_t, const struct np_rec *, const struct np_fields *))
{
	struct np_fields fs = { .text = NULL };
	struct np_tls_out tls = { .raw = NULL };

	if (r->kind == NP_REC_TLS_CLIENT || r->kind == NP_REC_TLS_SERVER)
		np_tls_out_fill(&tls, r, tail);
	np_format_fields(&fs, r, tail, &tls);
	size_t n = how(buf, len, r, &fs);
	np_format_fields_fini(&fs);
	np_tls_out_fini(&tls);
	return n;
}

size_t
np_format_log_line(char *buf, size_t len, const struct np_rec *r, const char *tail)
{
	return format_once(buf, len, r, tail, np_format_log_line_fields);
}

size_t
np_format_block(char *buf, size_t len, const struct np_rec *r, const char *tail)
{
	return format_once(buf, len, r, tail, np_format_block_fields);
}
