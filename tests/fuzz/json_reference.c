/* SPDX-License-Identifier: MIT */
/*
 * The oracle for output/json_out.c: the record as a jansson object, dumped
 * compact and in order, as netprint wrote it before its JSON was written
 * straight into the buffer. The fuzz targets compare the two byte for byte
 * (fuzz_common.c).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "format.h"
#include "fuzz_common.h"
#include "http_match.h"
#include "json_out.h"
#include "matcher.h"

static json_t *
jstr(const char *s, size_t len)
{
	return np_json_string(s, len);
}

static json_t *
jcstr(const char *s)
{
	return jstr(s, strlen(s));
}

static json_t *
endpoint(const uint8_t *addr, uint8_t ip_ver, uint16_t port)
{
	char a[64];

	np_format_addr(a, sizeof(a), addr, ip_ver);
	return json_pack("{s:s, s:i}", "ip", a, "port", (json_int_t)port);
}

static json_t *
params_array(const char *const *words, unsigned n)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(a, json_string(words[i]));
	return a;
}

/* A match: class, name, flavor and how good it is. */
static json_t *
match(const struct np_rec_names *n, const char *quality)
{
	json_t *o = json_object();

	json_object_set_new(o, "class", n->class_name ? jcstr(n->class_name) : json_null());
	json_object_set_new(o, "name", n->name ? jcstr(n->name) : json_null());
	json_object_set_new(o, "flavor", n->flavor && n->flavor[0] ? jcstr(n->flavor) : json_null());
	json_object_set_new(o, "match", json_string(quality));
	return o;
}

static void
tcp_fields(json_t *o, const struct np_rec *r)
{
	const struct np_rec_tcp *t = &r->tcp;
	char sig[NP_FIELD_MAX];
	const char *words[NP_PARAMS_MAX];
	const char *quality = (t->flags & NP_RTCP_FUZZY) ? "fuzzy" :
			      (t->flags & NP_RTCP_GENERIC) ? "generic" : "exact";

	json_object_set_new(o, (t->flags & NP_RTCP_APP) ? "app" : "os",
			    (t->flags & NP_RTCP_MATCHED) ? match(&r->names, quality) :
							   json_null());
	json_object_set_new(o, "distance", json_integer(t->dist));
	json_object_set_new(o, "distance_is_max", json_boolean(t->flags & NP_RTCP_BAD_TTL));
	json_object_set_new(o, "params", params_array(words, np_tcp_params(t, words)));
	json_object_set_new(o, "tos", json_integer(t->tos));
	np_format_tcp_sig(sig, sizeof(sig), r);
	json_object_set_new(o, "raw_sig", json_string(sig));
}

static void
http_fields(json_t *o, const struct np_rec *r, const char *tail)
{
	const struct np_rec_http *h = &r->http;
	const char *l = h->lang;
	const char *words[NP_PARAMS_MAX];

	json_object_set_new(o, (h->flags & NP_RHTTP_MATCHED) && h->m.class_id >= 0 ? "os" : "app",
			    (h->flags & NP_RHTTP_MATCHED) ?
				    match(&r->names, (h->flags & NP_RHTTP_GENERIC) ? "generic" :
											 "exact") :
				    json_null());
	if (isalpha((unsigned char)l[0]) && isalpha((unsigned char)l[1]) &&
	    !isalpha((unsigned char)l[2])) {
		const char *name = np_language_name(l);

		json_object_set_new(o, "language", name ? json_string(name) : json_null());
		json_object_set_new(o, "language_code", jstr(l, 2));
	} else {
		json_object_set_new(o, "language", json_null());
		json_object_set_new(o, "language_code", json_null());
	}
	json_object_set_new(o, "params", params_array(words, np_http_params(h, words)));
	json_object_set_new(o, "raw_sig", jcstr(tail ? tail : ""));
}

/* "tls": Suricata's EVE names where it has them. */
static void
tls_fields(json_t *o, const struct np_rec *r, const struct np_tls_out *out)
{
	const struct np_rec_tls *t = &r->tls;
	const struct np_tls_hello *h = &out->h;
	const char *words[NP_PARAMS_MAX];
	bool client = r->kind == NP_REC_TLS_CLIENT, ok = out->ok;
	char version[16];
	json_t *tls = json_object(), *alpns = json_array();

	json_object_set_new(o, (t->flags & NP_RTLS_MATCHED) && t->m.class_id >= 0 ? "os" : "app",
			    (t->flags & NP_RTLS_MATCHED) ?
				    match(&r->names,
					  (t->flags & NP_RTLS_GENERIC) ? "generic" : "exact") :
				    json_null());
	json_object_set_new(o, "params", params_array(words, np_tls_params(t, words)));
	json_object_set_new(tls, "transport", json_string(np_tls_transport_name(t->transport)));
	np_format_tls_version(version, t->version);
	json_object_set_new(tls, "version", json_string(version));
	for (uint32_t i = 0; ok && h->alpn && i < h->alpn_len; i += 1u + h->alpn[i])
		json_array_append_new(alpns, jstr((const char *)h->alpn + i + 1, h->alpn[i]));
	if (client) {
		json_object_set_new(tls, "sni", ok && h->sni ? jstr((const char *)h->sni, h->sni_len) :
							     json_null());
		json_object_set_new(tls, "client_alpns", alpns);
		json_object_set_new(tls, "ja4", json_string(t->sig));
		json_object_set_new(tls, "ja4_r", ok ? json_string(out->ja4_r) : json_null());
		json_object_set_new(tls, "ja4_o", ok ? json_string(out->fp.ja4_o) : json_null());
		json_object_set_new(tls, "ja4_ro", ok ? json_string(out->ja4_ro) : json_null());
		json_object_set_new(tls, "ja3", json_pack("{s:o, s:o}",
			"hash", ok ? json_string(out->fp.ja3) : json_null(),
			"string", ok ? json_string(out->ja3) : json_null()));
	} else {
		snprintf(version, sizeof(version), "0x%04x", t->cipher);
		json_object_set_new(tls, "cipher", json_string(version));
		json_object_set_new(tls, "server_alpn", json_array_size(alpns) ?
							json_incref(json_array_get(alpns, 0)) :
							json_null());
		json_decref(alpns);
		json_object_set_new(tls, "ja3s", json_pack("{s:s, s:o}", "hash", t->sig, "string",
							   ok ? json_string(out->ja3) : json_null()));
	}
	json_object_set_new(o, "tls", tls);
}

static void
nat_fields(json_t *o, const struct np_rec *r)
{
	json_t *reasons = json_array();

	for (unsigned i = 0; i < NP_NAT_REASON_COUNT; i++)
		if (r->nat.reasons & (1u << i))
			json_array_append_new(reasons, json_string(np_nat_reason_names[i]));
	json_object_set_new(o, "reasons", reasons);
	json_object_set_new(o, "raw_hits", json_pack("[iiii]", r->nat.hits[0], r->nat.hits[1],
						      r->nat.hits[2], r->nat.hits[3]));
}

size_t
np_fuzz_json_reference(char *buf, size_t len, const struct np_rec *r, const char *tail,
		       const struct np_tls_out *tls)
{
	time_t sec = (time_t)(r->ts_us / 1000000);
	struct tm tm;
	char when[64];
	json_t *o;

	gmtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%06uZ",
		 (unsigned)(r->ts_us % 1000000));

	o = json_pack("{s:s, s:I, s:I, s:s, s:o, s:o, s:s}", "time", when, "epoch",
		      (json_int_t)sec, "epoch_us", (json_int_t)r->ts_us, "mod",
		      np_rec_kind_names[r->kind], "client", endpoint(r->cli, r->ip_ver, r->cli_port),
		      "server", endpoint(r->srv, r->ip_ver, r->srv_port), "subject",
		      r->to_srv ? "client" : "server");
	if (!o)
		return 0;

	switch (r->kind) {
	case NP_REC_MTU:
		json_object_set_new(o, "link", r->names.link ? jcstr(r->names.link) : json_null());
		json_object_set_new(o, "mtu", json_integer(r->mtu.mtu));
		break;
	case NP_REC_UPTIME:
		json_object_set_new(o, "uptime_min", json_integer(r->uptime.up_min));
		json_object_set_new(o, "modulo_days", json_integer(r->uptime.up_mod_days));
		json_object_set_new(o, "frequency_hz", json_real(round(r->uptime.freq * 100) / 100));
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		http_fields(o, r, tail);
		break;
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
		nat_fields(o, r);
		break;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		if (!tls) {
			json_decref(o);
			return 0;
		}
		tls_fields(o, r, tls);
		break;
	default:
		tcp_fields(o, r);
		break;
	}

	size_t n = json_dumpb(o, buf, len > 0 ? len - 1 : 0,
			      JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (!n || n >= len - 1)
		return 0;
	buf[n++] = '\n';
	return n;
}
