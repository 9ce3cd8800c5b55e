/* SPDX-License-Identifier: MIT */
/*
 * p0f's output formats. A record is first turned into its field list
 * (what p0f passes to add_observation_field), then rendered either way.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "http_match.h"
#include "matcher.h"

#define NP_MAX_FIELDS 4
#define NP_FIELD_MAX 512

struct field {
	const char *key;
	const char *val;	/* buf, or a longer text (an HTTP raw_sig) */
	char buf[NP_FIELD_MAX];
};

/* Append to a buffer, never overflowing; returns the new position. */
static size_t
put(char *buf, size_t len, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (pos >= len)
		return pos;
	va_start(ap, fmt);
	int n = vsnprintf(buf + pos, len - pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return pos;
	return pos + (size_t)n < len ? pos + (size_t)n : len - 1;
}

void
np_format_addr(char *buf, size_t len, const uint8_t *a, uint8_t ip_ver)
{
	if (ip_ver == 4)
		snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		snprintf(buf, len, "%x:%x:%x:%x:%x:%x:%x:%x", a[0] << 8 | a[1], a[2] << 8 | a[3],
			 a[4] << 8 | a[5], a[6] << 8 | a[7], a[8] << 8 | a[9], a[10] << 8 | a[11],
			 a[12] << 8 | a[13], a[14] << 8 | a[15]);
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
np_format_tcp_sig(char *buf, size_t len, const struct np_record *r)
{
	const struct np_rec_tcp *t = &r->tcp;
	int32_t dist = np_guess_dist(t->ttl);
	size_t p = 0;

	if (dist > NP_MAX_DIST)
		p = put(buf, len, p, "%u:%u+?:%u:", r->ip_ver, t->ttl, t->ip_opt_len);
	else
		p = put(buf, len, p, "%u:%u+%d:%u:", r->ip_ver, t->ttl, dist, t->ip_opt_len);

	if (t->flags & NP_RTCP_MSS_STAR)
		p = put(buf, len, p, "*:");
	else
		p = put(buf, len, p, "%u:", t->mss);

	if (t->win_multi > 0)
		p = put(buf, len, p, "%s*%d", t->win_mtu ? "mtu" : "mss", t->win_multi);
	else
		p = put(buf, len, p, "%u", t->win);
	p = put(buf, len, p, ",%u:", t->wscale);

	for (unsigned i = 0; i < t->opt_cnt; i++) {
		const char *sep = i ? "," : "";
		const char *name = opt_name(t->opt_layout[i]);

		if (t->opt_layout[i] == NP_OPT_EOL)
			p = put(buf, len, p, "%seol+%u", sep, t->opt_eol_pad);
		else if (name)
			p = put(buf, len, p, "%s%s", sep, name);
		else
			p = put(buf, len, p, "%s?%u", sep, t->opt_layout[i]);
	}
	p = put(buf, len, p, ":");

	const char *sep = "";
	for (unsigned q = 0; q < NP_QUIRK_COUNT; q++)
		if (t->quirks & (1u << q)) {
			p = put(buf, len, p, "%s%s", sep, np_quirk_names[q]);
			sep = ",";
		}
	put(buf, len, p, (t->flags & NP_RTCP_PAYLOAD) ? ":+" : ":0");
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
	size_t p = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < n; i++)
		p = put(buf, len, p, "%s%s", p ? " " : "", words[i]);
	if (tos)
		p = put(buf, len, p, "%stos:0x%02x", p ? " " : "", tos);
	if (!p)
		snprintf(buf, len, "none");
}

/* p0f prints "???" for a field it has no value for. */
static void
set(struct field *f, const char *key, const char *fmt, ...)
{
	va_list ap;

	f->key = key;
	f->val = f->buf;
	va_start(ap, fmt);
	vsnprintf(f->buf, sizeof(f->buf), fmt, ap);
	va_end(ap);
}

static void
tcp_fields(const struct np_record *r, struct field *f)
{
	const struct np_rec_tcp *t = &r->tcp;

	set(&f[0], (t->flags & NP_RTCP_APP) ? "app" : "os", "%s", t->label[0] ? t->label : "???");
	if (t->flags & NP_RTCP_BAD_TTL)
		set(&f[1], "dist", "<= %d", t->dist);
	else
		set(&f[1], "dist", "%d", t->dist);
	const char *words[NP_PARAMS_MAX];
	f[2].key = "params";
	f[2].val = f[2].buf;
	format_params(f[2].buf, sizeof(f[2].buf), words, np_tcp_params(t, words), t->tos);
	f[3].key = "raw_sig";
	f[3].val = f[3].buf;
	np_format_tcp_sig(f[3].buf, sizeof(f[3].buf), r);
}

/* p0f fingerprint_http(): app/os, lang, params, raw_sig. */
static void
http_fields(const struct np_record *r, const char *tail, struct field *f)
{
	const struct np_rec_http *h = &r->http;
	const char *l = h->lang;

	if (h->flags & NP_RHTTP_MATCHED)
		set(&f[0], h->m.class_id < 0 ? "app" : "os", "%s", h->label);
	else
		set(&f[0], "app", "???");
	if (isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) &&
	    !isalpha((unsigned char)l[2])) {
		const char *name = np_language_name(l);

		set(&f[1], "lang", "%s", name ? name : "???");
	} else {
		set(&f[1], "lang", "none");
	}
	const char *words[NP_PARAMS_MAX];
	f[2].key = "params";
	f[2].val = f[2].buf;
	format_params(f[2].buf, sizeof(f[2].buf), words, np_http_params(h, words), 0);
	f[3].key = "raw_sig";
	f[3].val = tail ? tail : "";
}

static void
nat_fields(const struct np_record *r, struct field *f)
{
	size_t p = 0;

	f[0].key = "reason";
	f[0].val = f[0].buf;
	f[0].buf[0] = 0;
	for (unsigned i = 0; i < NP_NAT_REASON_COUNT; i++)
		if (r->nat.reasons & (1u << i))
			p = put(f[0].buf, sizeof(f[0].buf), p, "%s%s", p ? " " : "",
				np_nat_reason_names[i]);
	if (!p)
		set(&f[0], "reason", "???");
	set(&f[1], "raw_hits", "%u,%u,%u,%u", r->nat.hits[0], r->nat.hits[1], r->nat.hits[2],
	    r->nat.hits[3]);
}

static unsigned
record_fields(const struct np_record *r, const char *tail, struct field *f)
{
	switch (r->kind) {
	case NP_REC_MTU:
		set(&f[0], "link", "%s", r->mtu.link[0] ? r->mtu.link : "???");
		set(&f[1], "raw_mtu", "%u", r->mtu.mtu);
		return 2;
	case NP_REC_UPTIME: {
		uint32_t m = r->uptime.up_min;

		set(&f[0], "uptime", "%u days %u hrs %u min (modulo %u days)", m / 60 / 24,
		    (m / 60) % 24, m % 60, r->uptime.up_mod_days);
		set(&f[1], "raw_freq", "%.02f Hz", r->uptime.freq);
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

size_t
np_format_log_line(char *buf, size_t len, const struct np_record *r, const char *tail)
{
	struct field f[NP_MAX_FIELDS];
	unsigned n = record_fields(r, tail, f);
	char cli[64], srv[64], when[32];
	time_t t = (time_t)(r->ts_us / 1000000);
	struct tm tm;
	size_t p = 0;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y/%m/%d %H:%M:%S", &tm);
	np_format_addr(cli, sizeof(cli), r->cli, r->ip_ver);
	np_format_addr(srv, sizeof(srv), r->srv, r->ip_ver);
	p = put(buf, len, p, "[%s] mod=%s|cli=%s/%u|srv=%s/%u|subj=%s", when,
		np_rec_kind_names[r->kind], cli, r->cli_port, srv, r->srv_port,
		r->to_srv ? "cli" : "srv");
	for (unsigned i = 0; i < n; i++)
		p = put(buf, len, p, "|%s=%s", f[i].key, f[i].val);
	return put(buf, len, p, "\n");
}

size_t
np_format_block(char *buf, size_t len, const struct np_record *r, const char *tail)
{
	struct field f[NP_MAX_FIELDS];
	unsigned n = record_fields(r, tail, f);
	char cli[64], srv[64];
	size_t p = 0;

	np_format_addr(cli, sizeof(cli), r->cli, r->ip_ver);
	np_format_addr(srv, sizeof(srv), r->srv, r->ip_ver);
	p = put(buf, len, p, ".-[ %s/%u -> %s/%u (%s) ]-\n|\n", cli, r->cli_port, srv, r->srv_port,
		np_rec_kind_names[r->kind]);
	p = put(buf, len, p, "| %-8s = %s/%u\n", r->to_srv ? "client" : "server",
		r->to_srv ? cli : srv, r->to_srv ? r->cli_port : r->srv_port);
	for (unsigned i = 0; i < n; i++)
		p = put(buf, len, p, "| %-8s = %s\n", f[i].key, f[i].val);
	return put(buf, len, p, "|\n`----\n\n");
}
