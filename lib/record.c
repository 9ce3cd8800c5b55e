/* SPDX-License-Identifier: MIT */
/*
 * Records for library users: the typed view of a record (netprint.h's
 * struct np_record), made from the same fields and fingerprints the
 * netprint program prints, and np_record_format(), which is the program's
 * own formatting of them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http_match.h"
#include "json_out.h"
#include "lib.h"

_Static_assert(NP_FORMAT_TEXT_MAX >= NP_RECORD_TEXT_MAX, "netprint's own text fits");

static const enum np_kind kinds[NP_REC_KIND_COUNT] = {
	[NP_REC_SYN] = NP_KIND_SYN,
	[NP_REC_SYNACK] = NP_KIND_SYNACK,
	[NP_REC_SENDSYN_PROBE] = NP_KIND_SENDSYN_PROBE,
	[NP_REC_SENDSYN_RESPONSE] = NP_KIND_SENDSYN_RESPONSE,
	[NP_REC_MTU] = NP_KIND_MTU,
	[NP_REC_UPTIME] = NP_KIND_UPTIME,
	[NP_REC_HTTP_REQUEST] = NP_KIND_HTTP_REQUEST,
	[NP_REC_HTTP_RESPONSE] = NP_KIND_HTTP_RESPONSE,
	[NP_REC_HOST_CHANGE] = NP_KIND_HOST_CHANGE,
	[NP_REC_IP_SHARING] = NP_KIND_IP_SHARING,
	[NP_REC_TLS_CLIENT] = NP_KIND_TLS_CLIENT,
	[NP_REC_TLS_SERVER] = NP_KIND_TLS_SERVER,
};

/* p0f's params words and the flags they are. */
static const struct {
	const char *word;
	unsigned flag;
} flag_words[] = {
	{ "generic", NP_FLAG_GENERIC },
	{ "fuzzy", NP_FLAG_FUZZY },
	{ "random_ttl", NP_FLAG_RANDOM_TTL },
	{ "excess_dist", NP_FLAG_EXCESS_DIST },
	{ "dishonest", NP_FLAG_DISHONEST },
	{ "anonymous", NP_FLAG_ANONYMOUS },
	{ "os_mismatch", NP_FLAG_OS_MISMATCH },
};

static unsigned
flags_of(const char *const *words, unsigned n)
{
	unsigned flags = 0;

	for (unsigned i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(flag_words) / sizeof(flag_words[0]); k++)
			if (!strcmp(words[i], flag_words[k].word))
				flags |= flag_words[k].flag;
	return flags;
}

/* The text p0f prints for key, or NULL. */
static const char *
field(const struct np_fields *fs, const char *key)
{
	for (unsigned i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].key, key))
			return fs->f[i].val;
	return NULL;
}

/* n bytes of s, NUL-terminated, in the held record's strings. */
static const char *
put(struct np_held *h, const void *s, size_t n)
{
	char *at = h->strings + h->used;

	if (NP_HELD_STRINGS - h->used < n + 1)
		return "";	/* cannot happen: a hello is at most NP_TLS_HELLO_MAX */
	memcpy(at, s, n);
	at[n] = 0;
	h->used += n + 1;
	return at;
}

/* The record's match, its names copied: the view outlives no database. */
static void
set_match(struct np_held *h, struct np_match *m, const struct np_rec_names *n,
	  enum np_quality q, bool is_os)
{
	m->quality = q;
	m->is_os = is_os;
	m->class_name = n->class_name ? put(h, n->class_name, strlen(n->class_name)) : NULL;
	m->name = n->name ? put(h, n->name, strlen(n->name)) : "";
	m->flavor = n->flavor ? put(h, n->flavor, strlen(n->flavor)) : "";
	m->text = n->label ? put(h, n->label, strlen(n->label)) : "";
}

static void
fill_tcp(struct np_held *h, struct np_record *v, const struct np_rec *r)
{
	const struct np_rec_tcp *t = &r->tcp;
	const char *words[NP_PARAMS_MAX];

	if (t->flags & NP_RTCP_MATCHED)
		set_match(h, &v->match, &r->names,
			  t->flags & NP_RTCP_FUZZY ? NP_MATCH_FUZZY :
			  t->flags & NP_RTCP_GENERIC ? NP_MATCH_GENERIC : NP_MATCH_EXACT,
			  !(t->flags & NP_RTCP_APP));
	v->flags = flags_of(words, np_tcp_params(t, words));
	v->distance = t->dist;
	v->tos = t->tos;
}

static void
fill_http(struct np_held *h, struct np_record *v, const struct np_rec *r)
{
	const struct np_rec_http *t = &r->http;
	const char *words[NP_PARAMS_MAX], *l = t->lang;

	if (t->flags & NP_RHTTP_MATCHED)
		set_match(h, &v->match, &r->names,
			  t->flags & NP_RHTTP_GENERIC ? NP_MATCH_GENERIC : NP_MATCH_EXACT,
			  t->m.class_id >= 0);
	v->flags = flags_of(words, np_http_params(t, words));
	if (isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) &&
	    !isalpha((unsigned char)l[2])) {
		v->language = np_language_name(l);
		v->language_code = put(h, l, 2);
	}
}

static void
fill_tls(struct np_held *h, struct np_record *v, const struct np_rec *r)
{
	const struct np_rec_tls *t = &r->tls;
	const struct np_tls_out *o = &h->tls;
	const struct np_tls_hello *hello = &o->h;
	const char *words[NP_PARAMS_MAX];
	char version[16];
	bool client = r->kind == NP_REC_TLS_CLIENT;

	if (t->flags & NP_RTLS_MATCHED)
		set_match(h, &v->match, &r->names,
			  t->flags & NP_RTLS_GENERIC ? NP_MATCH_GENERIC : NP_MATCH_EXACT,
			  t->m.class_id >= 0);
	v->flags = flags_of(words, np_tls_params(t, words));
	v->tls_transport = np_tls_transport_name(t->transport);
	np_format_tls_version(version, t->version);
	v->tls_version = put(h, version, strlen(version));
	if (client) {
		v->ja4 = t->sig;
		v->ja4_r = o->ok ? o->ja4_r : NULL;
		v->ja4_o = o->ok ? o->fp.ja4_o : NULL;
		v->ja4_ro = o->ok ? o->ja4_ro : NULL;
		v->ja3 = o->ok ? o->fp.ja3 : NULL;
	} else {
		v->ja3 = t->sig;	/* JA3S */
		v->tls_cipher = t->cipher;
	}
	v->ja3_raw = o->ok ? o->ja3 : NULL;
	if (!o->ok)
		return;
	if (client && hello->sni)
		v->sni = put(h, hello->sni, hello->sni_len);
	/* ALPN: the client's list comma-separated (as long as the list at
	 * most), the server's choice */
	char *at = h->strings + h->used;
	size_t n = 0;

	if (NP_HELD_STRINGS - h->used <= hello->alpn_len)
		return;		/* cannot happen: a hello is at most NP_TLS_HELLO_MAX */
	for (uint32_t i = 0; hello->alpn && i < hello->alpn_len; i += 1u + hello->alpn[i]) {
		if (n && !client)
			break;
		if (n)
			at[n++] = ',';
		memcpy(at + n, hello->alpn + i + 1, hello->alpn[i]);
		n += hello->alpn[i];
	}
	if (client || n) {
		at[n] = 0;
		h->used += n + 1;
		v->alpn = at;
	}
}

static void
fill_nat(struct np_record *v, const struct np_rec *r, const struct np_fields *fs)
{
	const char *reasons = field(fs, "reason");

	v->reasons = reasons && strcmp(reasons, "???") ? reasons : "";
	memcpy(v->raw_hits, r->nat.hits, sizeof(v->raw_hits));
}

static void
fill_endpoint(struct np_endpoint *e, char *text, const uint8_t *addr, uint8_t ip_ver,
	      uint16_t port)
{
	e->ip_version = ip_ver;
	memcpy(e->addr, addr, ip_ver == 4 ? 4 : 16);
	e->port = port;
	np_format_addr(text, 64, addr, ip_ver);
	e->text = text;
}

int
np_held_prepare(struct np_held *h, const struct np_rec *r, const char *tail)
{
	bool tls = r->kind == NP_REC_TLS_CLIENT || r->kind == NP_REC_TLS_SERVER;

	memset(&h->view, 0, sizeof(h->view));
	h->rec = r;
	h->tail = tail;
	h->used = 0;
	h->fields_made = false;
	if (r->kind >= NP_REC_KIND_COUNT || !kinds[r->kind])
		return NP_ERR_INVALID;	/* the hosts never emit the others */
	if (tls && np_tls_out_fill(&h->tls, r, tail) == -ENOMEM)
		return NP_ERR_NOMEM;
	h->view.internal_ = h;
	return NP_OK;
}

/* p0f's key = value fields, made once a text or the view needs them. */
static int
held_fields(struct np_held *h)
{
	const struct np_rec *r = h->rec;

	if (h->fields_made)
		return NP_OK;
	np_format_fields(&h->fields, r, h->tail, &h->tls);
	if (!h->fields.n && (r->kind == NP_REC_TLS_CLIENT || r->kind == NP_REC_TLS_SERVER))
		return NP_ERR_NOMEM;	/* the only fields that allocate */
	h->fields_made = true;
	return NP_OK;
}

int
np_held_fill(struct np_held *h, const struct np_rec *r, const char *tail)
{
	struct np_record *v = &h->view;
	int rc;

	if ((rc = np_held_prepare(h, r, tail)) || (rc = held_fields(h))) {
		v->internal_ = NULL;
		return rc;
	}
	v->kind = kinds[r->kind];
	v->kind_name = np_rec_kind_names[r->kind];
	v->ts_us = r->ts_us;
	fill_endpoint(&v->client, h->cli, r->cli, r->ip_ver, r->cli_port);
	fill_endpoint(&v->server, h->srv, r->srv, r->ip_ver, r->srv_port);
	v->subject_is_client = r->to_srv;
	v->params = field(&h->fields, "params");
	v->raw_sig = field(&h->fields, "raw_sig");
	switch (r->kind) {
	case NP_REC_MTU:
		v->mtu = r->mtu.mtu;
		v->link = r->names.link ? put(h, r->names.link, strlen(r->names.link)) : NULL;
		break;
	case NP_REC_UPTIME:
		v->uptime_min = r->uptime.up_min;
		v->uptime_modulo_days = r->uptime.up_mod_days;
		v->uptime_freq_hz = r->uptime.freq;
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		fill_http(h, v, r);
		break;
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
		fill_nat(v, r, &h->fields);
		break;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		fill_tls(h, v, r);
		break;
	default:
		fill_tcp(h, v, r);
		break;
	}
	return NP_OK;
}

void
np_held_clear(struct np_held *h)
{
	h->view.internal_ = NULL;
	h->rec = NULL;
	h->tail = NULL;
}

void
np_held_fini(struct np_held *h)
{
	np_held_clear(h);
	np_format_fields_fini(&h->fields);
	np_tls_out_fini(&h->tls);
	free(h->strings);
	h->strings = NULL;
}

int
np_record_format(const struct np_record *rec, enum np_format how, char *buf, size_t len)
{
	/* the library's own memory, behind the read-only view it gave */
	struct np_held *h = rec ? (struct np_held *)rec->internal_ : NULL;
	size_t n;

	/* one the library gave and still holds: not a copy, not a stale one */
	if (!h || &h->view != rec || !h->rec || !buf || !len)
		return NP_ERR_INVALID;
	if (how != NP_FORMAT_JSON && held_fields(h))
		return NP_ERR_NOMEM;
	switch (how) {
	case NP_FORMAT_BLOCK:
		n = np_format_block_fields(buf, len, h->rec, &h->fields);
		break;
	case NP_FORMAT_LOG:
		n = np_format_log_line_fields(buf, len, h->rec, &h->fields);
		break;
	case NP_FORMAT_JSON:
		n = np_json_record(buf, len, h->rec, h->tail, &h->tls);
		if (!n)
			return NP_ERR_NO_SPACE;	/* or jansson out of memory */
		break;
	default:
		return NP_ERR_INVALID;
	}
	/* p0f's texts are cut at the buffer's end: one that reaches it may be cut */
	if (how != NP_FORMAT_JSON && n + 1 >= len) {
		buf[0] = 0;
		return NP_ERR_NO_SPACE;
	}
	buf[n] = 0;
	return n > INT32_MAX ? NP_ERR_NO_SPACE : (int)n;
}
