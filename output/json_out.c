/* SPDX-License-Identifier: MIT */
/*
 * JSON lines, written straight into the caller's buffer (no object built,
 * no allocation: the logger writes one for every record with --json,
 * --http or --nats). The same facts as p0f's log line, split into typed
 * fields: time as RFC 3339 (UTC) and as epoch, endpoints as address and
 * port, matches as class / name / flavor / quality. Strings are made
 * valid UTF-8 (a byte that is not becomes U+FFFD) and escaped as jansson
 * escapes them: the output is what jansson's compact, ordered dump of the
 * same object gives (the fuzz target checks it against that, byte for
 * byte).
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "format.h"
#include "http_match.h"
#include "json_out.h"
#include "matcher.h"

/* ---- valid UTF-8 ---- */

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		   (c & 0xf8) == 0xf0 ? 4 : 0;

	if (!k || k > n || (k == 2 && c < 0xc2) || (k == 4 && c > 0xf4))
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (k == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0)))
		return 0;
	if (k == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)))
		return 0;
	return k;
}

json_t *
np_json_string(const char *s, size_t len)
{
	char stack[2048];
	size_t cap = 3 * len + 4, o = 0;	/* a byte becomes 3 at most */
	char *out = cap <= sizeof(stack) ? stack : malloc(cap);

	if (!out)
		return NULL;
	out[0] = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len((const unsigned char *)s + i, len - i);

		if (n) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	json_t *j = json_stringn(out, o);

	if (out != stack)
		free(out);
	return j;
}

/* ---- the writer ---- */

#define DEPTH_MAX 4

struct jw {
	char *p, *end;		/* end: room kept after it for the newline and a NUL */
	bool full;
	unsigned depth;
	bool first[DEPTH_MAX];	/* no member or element yet at this depth */
};

static void
put(struct jw *w, const char *s, size_t n)
{
	if (w->full || (size_t)(w->end - w->p) < n) {
		w->full = true;
		return;
	}
	memcpy(w->p, s, n);
	w->p += n;
}

#define PUT_LIT(w, lit) put((w), (lit), sizeof(lit) - 1)

/* A separator before a member or an element, if one came before. */
static void
next_item(struct jw *w)
{
	if (w->depth && !w->first[w->depth - 1])
		PUT_LIT(w, ",");
	if (w->depth)
		w->first[w->depth - 1] = false;
}

static void
open_(struct jw *w, char c)
{
	put(w, &c, 1);
	if (w->depth < DEPTH_MAX)
		w->first[w->depth] = true;
	w->depth++;
}

static void
close_(struct jw *w, char c)
{
	put(w, &c, 1);
	w->depth--;
}

/* A string's body: valid UTF-8 kept, escapes as jansson writes them. */
static void
put_escaped(struct jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	PUT_LIT(w, "\"");
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : utf8_len((const unsigned char *)s + i, len - i);
		size_t run = i;

		if (c >= 0x20 && c != '"' && c != '\\' && n) {	/* a run that needs nothing */
			while (i < len) {
				c = (unsigned char)s[i];
				n = c < 0x80 ? 1 : utf8_len((const unsigned char *)s + i, len - i);
				if (c < 0x20 || c == '"' || c == '\\' || !n)
					break;
				i += n;
			}
			put(w, s + run, i - run);
			continue;
		}
		if (!n) {
			PUT_LIT(w, "\xef\xbf\xbd");	/* not UTF-8: U+FFFD */
			i++;
			continue;
		}
		switch (c) {
		case '"': PUT_LIT(w, "\\\""); break;
		case '\\': PUT_LIT(w, "\\\\"); break;
		case '\b': PUT_LIT(w, "\\b"); break;
		case '\f': PUT_LIT(w, "\\f"); break;
		case '\n': PUT_LIT(w, "\\n"); break;
		case '\r': PUT_LIT(w, "\\r"); break;
		case '\t': PUT_LIT(w, "\\t"); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			put(w, u, sizeof(u));
		}
		}
		i++;
	}
	PUT_LIT(w, "\"");
}

static void
key(struct jw *w, const char *k)
{
	next_item(w);
	put_escaped(w, k, strlen(k));
	PUT_LIT(w, ":");
}

static void
str_n(struct jw *w, const char *k, const char *s, size_t n)
{
	if (k)
		key(w, k);
	else
		next_item(w);
	put_escaped(w, s, n);
}

/* A string member (or element, k NULL); NULL s: null. */
static void
str(struct jw *w, const char *k, const char *s)
{
	if (!s) {
		if (k)
			key(w, k);
		else
			next_item(w);
		PUT_LIT(w, "null");
		return;
	}
	str_n(w, k, s, strlen(s));
}

static void
null(struct jw *w, const char *k)
{
	str(w, k, NULL);
}

static void
num(struct jw *w, const char *k, long long v)
{
	char b[24];

	if (k)
		key(w, k);
	else
		next_item(w);
	put(w, b, (size_t)snprintf(b, sizeof(b), "%lld", v));
}

static void
boolean(struct jw *w, const char *k, bool v)
{
	key(w, k);
	if (v)
		PUT_LIT(w, "true");
	else
		PUT_LIT(w, "false");
}

/* A double as jansson writes one with precision 10: "%.10g", a ".0" when
 * it reads as an integer, no '+' nor leading zeros in the exponent. Not a
 * finite number: no member at all (jansson makes no such value). */
static void
real(struct jw *w, const char *k, double v)
{
	char b[40], out[40], *e;
	size_t o = 0;

	if (!isfinite(v))
		return;
	key(w, k);
	snprintf(b, sizeof(b), "%.10g", v);
	if (!strpbrk(b, ".e"))
		strcat(b, ".0");
	if ((e = strchr(b, 'e'))) {
		size_t head = (size_t)(e - b) + 1;

		memcpy(out, b, head);
		o = head;
		e++;
		if (*e == '+')
			e++;
		else if (*e == '-')
			out[o++] = *e++;
		while (*e == '0')
			e++;
		while (*e)
			out[o++] = *e++;
		put(w, out, o);
		return;
	}
	put(w, b, strlen(b));
}

static void
object(struct jw *w, const char *k)
{
	if (k)
		key(w, k);
	else
		next_item(w);
	open_(w, '{');
}

static void
array(struct jw *w, const char *k)
{
	key(w, k);
	open_(w, '[');
}

/* ---- a record ---- */

static void
endpoint(struct jw *w, const char *k, const uint8_t *addr, uint8_t ip_ver, uint16_t port)
{
	char a[64];

	np_format_addr(a, sizeof(a), addr, ip_ver);
	object(w, k);
	str(w, "ip", a);
	num(w, "port", port);
	close_(w, '}');
}

static void
params(struct jw *w, const char *const *words, unsigned n)
{
	array(w, "params");
	for (unsigned i = 0; i < n; i++)
		str(w, NULL, words[i]);
	close_(w, ']');
}

/* A match: class, name, flavor and how good it is; or null. */
static void
match(struct jw *w, const char *k, bool matched, const struct np_rec_names *n,
      const char *quality)
{
	if (!matched) {
		null(w, k);
		return;
	}
	object(w, k);
	str(w, "class", n->class_name);
	str(w, "name", n->name);
	str(w, "flavor", n->flavor && n->flavor[0] ? n->flavor : NULL);
	str(w, "match", quality);
	close_(w, '}');
}

static void
tcp_fields(struct jw *w, const struct np_rec *r)
{
	const struct np_rec_tcp *t = &r->tcp;
	char sig[NP_FIELD_MAX];
	const char *words[NP_PARAMS_MAX];
	const char *quality = (t->flags & NP_RTCP_FUZZY) ? "fuzzy" :
			      (t->flags & NP_RTCP_GENERIC) ? "generic" : "exact";

	match(w, (t->flags & NP_RTCP_APP) ? "app" : "os", t->flags & NP_RTCP_MATCHED, &r->names,
	      quality);
	num(w, "distance", t->dist);
	boolean(w, "distance_is_max", t->flags & NP_RTCP_BAD_TTL);
	params(w, words, np_tcp_params(t, words));
	num(w, "tos", t->tos);
	np_format_tcp_sig(sig, sizeof(sig), r);
	str(w, "raw_sig", sig);
}

static void
http_fields(struct jw *w, const struct np_rec *r, const char *tail)
{
	const struct np_rec_http *h = &r->http;
	const char *l = h->lang;
	const char *words[NP_PARAMS_MAX];

	match(w, (h->flags & NP_RHTTP_MATCHED) && h->m.class_id >= 0 ? "os" : "app",
	      h->flags & NP_RHTTP_MATCHED, &r->names,
	      (h->flags & NP_RHTTP_GENERIC) ? "generic" : "exact");
	if (isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) &&
	    !isalpha((unsigned char)l[2])) {
		str(w, "language", np_language_name(l));
		str_n(w, "language_code", l, 2);
	} else {
		null(w, "language");
		null(w, "language_code");
	}
	params(w, words, np_http_params(h, words));
	str(w, "raw_sig", tail ? tail : "");
}

/* "tls": Suricata's EVE names where it has them. */
static void
tls_fields(struct jw *w, const struct np_rec *r, const struct np_tls_out *out)
{
	const struct np_rec_tls *t = &r->tls;
	const struct np_tls_hello *h = &out->h;
	const char *words[NP_PARAMS_MAX];
	bool client = r->kind == NP_REC_TLS_CLIENT, ok = out->ok;
	char version[16];

	match(w, (t->flags & NP_RTLS_MATCHED) && t->m.class_id >= 0 ? "os" : "app",
	      t->flags & NP_RTLS_MATCHED, &r->names,
	      (t->flags & NP_RTLS_GENERIC) ? "generic" : "exact");
	params(w, words, np_tls_params(t, words));
	object(w, "tls");
	str(w, "transport", np_tls_transport_name(t->transport));
	np_format_tls_version(version, t->version);
	str(w, "version", version);
	if (client) {
		if (ok && h->sni)
			str_n(w, "sni", (const char *)h->sni, h->sni_len);
		else
			null(w, "sni");
		array(w, "client_alpns");
		for (uint32_t i = 0; ok && h->alpn && i < h->alpn_len; i += 1u + h->alpn[i])
			str_n(w, NULL, (const char *)h->alpn + i + 1, h->alpn[i]);
		close_(w, ']');
		str(w, "ja4", t->sig);
		str(w, "ja4_r", ok ? out->ja4_r : NULL);
		str(w, "ja4_o", ok ? out->fp.ja4_o : NULL);
		str(w, "ja4_ro", ok ? out->ja4_ro : NULL);
		object(w, "ja3");
		str(w, "hash", ok ? out->fp.ja3 : NULL);
		str(w, "string", ok ? out->ja3 : NULL);
		close_(w, '}');
	} else {
		snprintf(version, sizeof(version), "0x%04x", t->cipher);
		str(w, "cipher", version);
		if (ok && h->alpn && h->alpn_len)	/* the first of the list */
			str_n(w, "server_alpn", (const char *)h->alpn + 1, h->alpn[0]);
		else
			null(w, "server_alpn");
		object(w, "ja3s");
		str(w, "hash", t->sig);
		str(w, "string", ok ? out->ja3 : NULL);
		close_(w, '}');
	}
	close_(w, '}');
}

static void
nat_fields(struct jw *w, const struct np_rec *r)
{
	array(w, "reasons");
	for (unsigned i = 0; i < NP_NAT_REASON_COUNT; i++)
		if (r->nat.reasons & (1u << i))
			str(w, NULL, np_nat_reason_names[i]);
	close_(w, ']');
	array(w, "raw_hits");
	for (unsigned i = 0; i < 4; i++)
		num(w, NULL, r->nat.hits[i]);
	close_(w, ']');
}

size_t
np_json_record(char *buf, size_t len, const struct np_rec *r, const char *tail,
	       const struct np_tls_out *tls)
{
	time_t sec = (time_t)(r->ts_us / 1000000);
	/* two bytes kept: the newline, and a NUL the caller may add */
	struct jw w = { .p = buf, .end = buf + (len >= 2 ? len - 2 : 0) };
	struct tm tm;
	char when[64];

	if ((r->kind == NP_REC_TLS_CLIENT || r->kind == NP_REC_TLS_SERVER) && !tls)
		return 0;
	gmtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%06uZ",
		 (unsigned)(r->ts_us % 1000000));

	open_(&w, '{');
	str(&w, "time", when);
	num(&w, "epoch", (long long)sec);
	num(&w, "epoch_us", (long long)r->ts_us);
	str(&w, "mod", np_rec_kind_names[r->kind]);
	endpoint(&w, "client", r->cli, r->ip_ver, r->cli_port);
	endpoint(&w, "server", r->srv, r->ip_ver, r->srv_port);
	str(&w, "subject", r->to_srv ? "client" : "server");
	switch (r->kind) {
	case NP_REC_MTU:
		str(&w, "link", r->names.link);
		num(&w, "mtu", r->mtu.mtu);
		break;
	case NP_REC_UPTIME:
		num(&w, "uptime_min", r->uptime.up_min);
		num(&w, "modulo_days", r->uptime.up_mod_days);
		real(&w, "frequency_hz", round(r->uptime.freq * 100) / 100);
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		http_fields(&w, r, tail);
		break;
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
		nat_fields(&w, r);
		break;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		tls_fields(&w, r, tls);
		break;
	default:
		tcp_fields(&w, r);
		break;
	}
	close_(&w, '}');
	if (w.full || len < 2)
		return 0;
	*w.p++ = '\n';
	return (size_t)(w.p - buf);
}
