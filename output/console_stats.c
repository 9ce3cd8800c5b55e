/* SPDX-License-Identifier: MIT */
/*
 * The web console's memory of records (console_stats.h). Every table is
 * open addressing with linear probing, sized twice its bound, and never
 * shrinks: a key that finds no room is counted, not stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr_table.h"
#include "console_stats.h"
#include "format.h"
#include "http_match.h"
#include "matcher.h"
#include "raw_sig.h"
#include "tls_match.h"

#define LABEL_MAX (NP_LABEL_MAX + 16)	/* a label as printed, or "class:name:flavor" */
#define ADDR_MAX 46
#define DIST_KEYS 64		/* distinct labels a distribution keeps per minute */
#define DIST_SLOTS (2 * DIST_KEYS)
#define UNKNOWN_SLOTS (2 * NP_CS_UNKNOWN_MAX)
#define HITS_SLOTS (2 * NP_CS_HITS_MAX)
#define RAW_SIG_MAX 200		/* a TCP raw signature, or a JA4 / JA3S */

enum dist {
	DIST_SYN_OS,
	DIST_SYNACK_OS,
	DIST_HTTP_CLIENT,
	DIST_HTTP_SERVER,
	DIST_TLS_CLIENT,
	DIST_LINK,
	DIST_DISTANCE,
	DIST_COUNT
};

static const char *const dist_names[DIST_COUNT] = {
	"syn_os", "synack_os", "http_client", "http_server", "tls_client", "link", "distance",
};

struct count {
	uint64_t hash;		/* 0: free */
	uint32_t n;
	char key[LABEL_MAX];
};

struct minute {
	uint64_t minute;	/* packet time / 60 s; 0: unused */
	struct count c[DIST_COUNT][DIST_SLOTS];
	uint32_t keys[DIST_COUNT], other[DIST_COUNT];
};

struct unknown {
	uint64_t hash;		/* 0: free */
	uint8_t kind;
	uint32_t n;
	uint64_t last_us;
	char *sig;
	char *software;		/* HTTP: the first User-Agent or Server seen with it */
	char hosts[NP_CS_EXAMPLES][ADDR_MAX];
};

struct hit {
	uint64_t hash;		/* 0: free */
	uint8_t kind;
	uint32_t line;
	uint64_t n;
	char label[LABEL_MAX];
};

/*
 * A SYN, SYN+ACK, HTTP header block or TLS hello, as matching needs it
 * (the TCP fields; an HTTP raw signature; a JA4 or JA3S, which sig holds),
 * and what it was named.
 */
struct recent {
	uint8_t kind;		/* 0: unused */
	uint8_t ip_ver;
	struct np_rec_tcp tcp;
	char label[LABEL_MAX];	/* "" when unnamed */
	char host[ADDR_MAX];
	char *sig;		/* malloc'd: the raw signature as shown */
};

/* The kinds of signature a host's last is kept of. */
enum host_sig { HS_SYN, HS_SYNACK, HS_HTTP_REQ, HS_HTTP_RESP, HS_TLS_CLIENT, HS_TLS_SERVER,
		HS_COUNT };

static const char *const host_sig_names[HS_COUNT] = {
	"syn", "syn+ack", "http request", "http response", "tls client", "tls server",
};

#define OS_HISTORY 8	/* the OS labels a host's SYNs changed to, last first out */

struct seen_host {
	struct np_addr_node node;	/* address, age order */
	struct {
		char *sig;	/* malloc'd; NULL: none seen */
		char *label;	/* malloc'd; NULL: unnamed */
		uint64_t seen_us;
	} last[HS_COUNT];
	struct {
		char *label;	/* malloc'd */
		uint64_t first_us, last_us;
	} os[OS_HISTORY];	/* oldest first */
	unsigned n_os;
	struct {
		uint16_t reasons;	/* NP_NAT_* */
		uint64_t seen_us;	/* 0: never */
	} nat[2];		/* [0] ip sharing, [1] host change */
	struct {
		uint32_t up_min, mod_days;
		double freq;
		uint64_t seen_us;	/* 0: never */
	} clock;
};

struct np_console_stats {
	uint64_t kinds[NP_REC_KIND_COUNT];
	uint64_t newest_s;
	uint64_t second[NP_CS_RATE_SECONDS];	/* which second each slot counts */
	uint32_t rate[NP_CS_RATE_SECONDS][NP_REC_KIND_COUNT];
	struct minute minutes[NP_CS_MINUTES];
	struct unknown unknown[UNKNOWN_SLOTS];
	uint32_t n_unknown;
	uint64_t unknown_overflow;
	struct hit hits[HITS_SLOTS];
	uint32_t n_hits;
	uint64_t hits_overflow;
	struct recent recent[NP_CS_RECENT];
	uint64_t n_recent;
	struct np_addr_table hosts;	/* struct seen_host */
};

static uint64_t
hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return h | 1;	/* never 0, which marks a free slot */
}

struct np_console_stats *
np_console_stats_new(void)
{
	struct np_console_stats *cs = calloc(1, sizeof(*cs));

	if (cs && np_addr_table_init(&cs->hosts, NP_CS_HOSTS, sizeof(struct seen_host))) {
		free(cs);
		return NULL;
	}
	return cs;
}

static void
forget_host(struct np_console_stats *cs, struct seen_host *h)
{
	for (unsigned k = 0; k < HS_COUNT; k++) {
		free(h->last[k].sig);
		free(h->last[k].label);
	}
	for (unsigned i = 0; i < h->n_os; i++)
		free(h->os[i].label);
	np_addr_remove(&cs->hosts, &h->node);
}

void
np_console_stats_free(struct np_console_stats *cs)
{
	if (!cs)
		return;
	for (unsigned i = 0; i < UNKNOWN_SLOTS; i++) {
		free(cs->unknown[i].sig);
		free(cs->unknown[i].software);
	}
	for (unsigned i = 0; i < NP_CS_RECENT; i++)
		free(cs->recent[i].sig);
	while (cs->hosts.count)
		forget_host(cs, (struct seen_host *)np_addr_at(&cs->hosts, cs->hosts.oldest));
	np_addr_table_fini(&cs->hosts);
	free(cs);
}

/* "unix:Linux:3.11 and newer": the database label's class, name, flavor. */
static void
db_label(char *buf, size_t len, const struct np_rec_names *n)
{
	snprintf(buf, len, "%s:%s:%s", n->class_name ? n->class_name : "!",
		 n->name ? n->name : "?", n->flavor ? n->flavor : "");
}

static const char *
section_of(uint8_t kind)
{
	switch (kind) {
	case NP_REC_SYN: return "tcp:request";
	case NP_REC_SYNACK: return "tcp:response";
	case NP_REC_HTTP_REQUEST: return "http:request";
	case NP_REC_HTTP_RESPONSE: return "http:response";
	case NP_REC_TLS_CLIENT: return "tls:client";
	case NP_REC_TLS_SERVER: return "tls:server";
	default: return "?";
	}
}

/* The record's subject (the host it describes) as text. */
static void
subject(const struct np_rec *r, char *buf, size_t len)
{
	np_format_addr(buf, len, r->to_srv ? r->cli : r->srv, r->ip_ver);
}

/* ---- rates and distributions ---- */

static void
count_rate(struct np_console_stats *cs, const struct np_rec *r)
{
	uint64_t s = r->ts_us / 1000000;
	unsigned i = (unsigned)(s % NP_CS_RATE_SECONDS);

	if (s + NP_CS_RATE_SECONDS <= cs->newest_s)
		return;	/* older than the window: only the totals */
	if (s > cs->newest_s)
		cs->newest_s = s;
	if (cs->second[i] != s) {
		cs->second[i] = s;
		memset(cs->rate[i], 0, sizeof(cs->rate[i]));
	}
	cs->rate[i][r->kind]++;
}

static struct minute *
minute_of(struct np_console_stats *cs, uint64_t ts_us)
{
	uint64_t m = ts_us / 60000000 + 1;	/* + 1: 0 marks an unused slot */
	struct minute *mn = &cs->minutes[m % NP_CS_MINUTES];

	if (mn->minute == m)
		return mn;
	if (mn->minute > m)
		return NULL;	/* older than the window */
	memset(mn, 0, sizeof(*mn));
	mn->minute = m;
	return mn;
}

static void
count_dist(struct minute *mn, enum dist d, const char *key)
{
	uint64_t h = hash_str(0xcbf29ce484222325ull, key);
	struct count *c = mn->c[d];

	for (unsigned i = (unsigned)h % DIST_SLOTS;; i = (i + 1) % DIST_SLOTS) {
		if (c[i].hash == h && !strncmp(c[i].key, key, LABEL_MAX - 1)) {
			c[i].n++;
			return;
		}
		if (!c[i].hash) {
			if (mn->keys[d] == DIST_KEYS) {
				mn->other[d]++;
				return;
			}
			mn->keys[d]++;
			c[i].hash = h;
			c[i].n = 1;
			snprintf(c[i].key, LABEL_MAX, "%s", key);
			return;
		}
	}
}

static const char *
label_or_unknown(const struct np_rec *r)
{
	return r->names.label ? r->names.label : "(unknown)";
}

static void
count_dists(struct np_console_stats *cs, const struct np_rec *r)
{
	struct minute *mn = minute_of(cs, r->ts_us);
	char text[32];

	if (!mn)
		return;
	switch (r->kind) {
	case NP_REC_SYN:
	case NP_REC_SYNACK:
		count_dist(mn, r->kind == NP_REC_SYN ? DIST_SYN_OS : DIST_SYNACK_OS,
			   label_or_unknown(r));
		snprintf(text, sizeof(text), "%d", r->tcp.dist);
		count_dist(mn, DIST_DISTANCE, text);
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		count_dist(mn, r->kind == NP_REC_HTTP_REQUEST ? DIST_HTTP_CLIENT : DIST_HTTP_SERVER,
			   label_or_unknown(r));
		break;
	case NP_REC_TLS_CLIENT:
		count_dist(mn, DIST_TLS_CLIENT, label_or_unknown(r));
		break;
	case NP_REC_MTU:
		if (!r->names.link)
			snprintf(text, sizeof(text), "MTU %u", r->mtu.mtu);
		count_dist(mn, DIST_LINK, r->names.link ? r->names.link : text);
		break;
	default:
		break;
	}
}

/* ---- unknown signatures and hits ---- */

static void
count_unknown(struct np_console_stats *cs, const struct np_rec *r, const char *sig,
	      const char *software)
{
	uint64_t h = hash_str(0xcbf29ce484222325ull ^ r->kind, sig);
	char host[ADDR_MAX];

	for (unsigned i = (unsigned)h % UNKNOWN_SLOTS;; i = (i + 1) % UNKNOWN_SLOTS) {
		struct unknown *u = &cs->unknown[i];

		if (!u->hash) {
			if (cs->n_unknown == NP_CS_UNKNOWN_MAX || !(u->sig = strdup(sig))) {
				cs->unknown_overflow++;
				return;
			}
			cs->n_unknown++;
			u->hash = h;
			u->kind = r->kind;
			u->software = software ? strdup(software) : NULL;
		} else if (u->hash != h || u->kind != r->kind || strcmp(u->sig, sig)) {
			continue;
		}
		u->n++;
		u->last_us = r->ts_us;
		subject(r, host, sizeof(host));
		for (unsigned e = 0; e < NP_CS_EXAMPLES; e++) {
			if (!strcmp(u->hosts[e], host))
				break;
			if (!u->hosts[e][0]) {
				memcpy(u->hosts[e], host, sizeof(host));
				break;
			}
		}
		return;
	}
}

static void
count_hit(struct np_console_stats *cs, uint8_t kind, uint32_t line, const char *label)
{
	uint64_t h = hash_str(0xcbf29ce484222325ull ^ ((uint64_t)line << 8) ^ kind, label);

	for (unsigned i = (unsigned)h % HITS_SLOTS;; i = (i + 1) % HITS_SLOTS) {
		struct hit *t = &cs->hits[i];

		if (!t->hash) {
			if (cs->n_hits == NP_CS_HITS_MAX) {
				cs->hits_overflow++;
				return;
			}
			cs->n_hits++;
			t->hash = h;
			t->kind = kind;
			t->line = line;
			snprintf(t->label, sizeof(t->label), "%s", label);
		} else if (t->hash != h || t->kind != kind || t->line != line ||
			   strcmp(t->label, label)) {
			continue;
		}
		t->n++;
		return;
	}
}

/* The console's entry for the record's subject, the most recently seen now. */
static struct seen_host *
seen_host_of(struct np_console_stats *cs, const struct np_rec *r)
{
	const uint8_t *addr = r->to_srv ? r->cli : r->srv;
	struct seen_host *h = (struct seen_host *)np_addr_find(&cs->hosts, addr, r->ip_ver);

	if (h) {
		np_addr_touch(&cs->hosts, &h->node);
		return h;
	}
	if (cs->hosts.count == cs->hosts.cap)	/* the least recently seen makes room */
		forget_host(cs, (struct seen_host *)np_addr_at(&cs->hosts, cs->hosts.oldest));
	return (struct seen_host *)np_addr_insert(&cs->hosts, addr, r->ip_ver);
}

/* The subject's last signature of its kind: sig, and its label. */
static void
keep_host_sig(struct np_console_stats *cs, const struct np_rec *r, enum host_sig k,
	      const char *sig)
{
	char *copy = strdup(sig), *label = r->names.label ? strdup(r->names.label) : NULL;
	struct seen_host *h;

	if (!copy || (r->names.label && !label) || !(h = seen_host_of(cs, r))) {
		free(copy);
		free(label);
		return;
	}
	free(h->last[k].sig);
	free(h->last[k].label);
	h->last[k].sig = copy;
	h->last[k].label = label;
	h->last[k].seen_us = r->ts_us;
}

/* A SYN's OS label: the host's history grows when it changes. */
static void
keep_os(struct np_console_stats *cs, const struct np_rec *r)
{
	struct seen_host *h = seen_host_of(cs, r);
	char *label;

	if (!h || !r->names.label)
		return;
	if (h->n_os && !strcmp(h->os[h->n_os - 1].label, r->names.label)) {
		h->os[h->n_os - 1].last_us = r->ts_us;
		return;
	}
	if (!(label = strdup(r->names.label)))
		return;
	if (h->n_os == OS_HISTORY) {
		free(h->os[0].label);
		memmove(&h->os[0], &h->os[1], sizeof(h->os[0]) * (OS_HISTORY - 1));
		h->n_os--;
	}
	h->os[h->n_os].label = label;
	h->os[h->n_os].first_us = h->os[h->n_os].last_us = r->ts_us;
	h->n_os++;
}

/* Host change and ip sharing reasons, and the uptime clock, of the subject. */
static void
keep_host_facts(struct np_console_stats *cs, const struct np_rec *r)
{
	struct seen_host *h = seen_host_of(cs, r);

	if (!h)
		return;
	if (r->kind == NP_REC_UPTIME) {
		h->clock.up_min = r->uptime.up_min;
		h->clock.mod_days = r->uptime.up_mod_days;
		h->clock.freq = r->uptime.freq;
		h->clock.seen_us = r->ts_us;
	} else {
		unsigned i = r->kind == NP_REC_HOST_CHANGE;

		h->nat[i].reasons = r->nat.reasons;
		h->nat[i].seen_us = r->ts_us;
	}
}

void
np_console_stats_host(const struct np_console_stats *cs, uint8_t ip_ver, const uint8_t *addr,
		      json_t *host)
{
	const struct seen_host *h =
		(const struct seen_host *)np_addr_lookup(&cs->hosts, addr, ip_ver);
	json_t *sigs = json_object(), *os = json_array(), *changes = json_object();

	for (unsigned k = 0; h && k < HS_COUNT; k++)
		if (h->last[k].sig)
			json_object_set_new(sigs, host_sig_names[k], json_pack("{s:s, s:s?, s:I}",
				"sig", h->last[k].sig, "label", h->last[k].label,
				"seen", (json_int_t)(h->last[k].seen_us / 1000000)));
	for (unsigned i = 0; h && i < h->n_os; i++)
		json_array_append_new(os, json_pack("{s:s, s:I, s:I}", "label", h->os[i].label,
			"first_seen", (json_int_t)(h->os[i].first_us / 1000000),
			"last_seen", (json_int_t)(h->os[i].last_us / 1000000)));
	for (unsigned i = 0; h && i < 2; i++) {
		json_t *reasons;

		if (!h->nat[i].seen_us)
			continue;
		reasons = json_array();
		for (unsigned b = 0; b < NP_NAT_REASON_COUNT; b++)
			if (h->nat[i].reasons & (1u << b))
				json_array_append_new(reasons, json_string(np_nat_reason_names[b]));
		json_object_set_new(changes, i ? "host change" : "ip sharing",
				    json_pack("{s:o, s:I}", "reasons", reasons, "seen",
					      (json_int_t)(h->nat[i].seen_us / 1000000)));
	}
	json_object_set_new(host, "signatures", sigs);
	json_object_set_new(host, "os_history", os);
	json_object_set_new(host, "changes", changes);
	json_object_set_new(host, "clock", h && h->clock.seen_us ?
		json_pack("{s:I, s:I, s:f, s:I}", "uptime_min", (json_int_t)h->clock.up_min,
			  "modulo_days", (json_int_t)h->clock.mod_days, "frequency_hz", h->clock.freq,
			  "seen", (json_int_t)(h->clock.seen_us / 1000000)) : json_null());
}

/* An observation kept for /api/db/compare. */
static void
keep_recent(struct np_console_stats *cs, const struct np_rec *r, const char *sig)
{
	struct recent *k = &cs->recent[cs->n_recent % NP_CS_RECENT];
	char *copy = strdup(sig);

	if (!copy)
		return;
	cs->n_recent++;
	free(k->sig);
	k->sig = copy;
	k->kind = r->kind;
	k->ip_ver = r->ip_ver;
	if (r->kind == NP_REC_SYN || r->kind == NP_REC_SYNACK)
		k->tcp = r->tcp;
	snprintf(k->label, sizeof(k->label), "%s", r->names.label ? r->names.label : "");
	subject(r, k->host, sizeof(k->host));
}

void
np_console_stats_see(struct np_console_stats *cs, const struct np_rec *r, const char *tail)
{
	char sig[RAW_SIG_MAX], label[LABEL_MAX];
	const struct np_rec_match *m = NULL;

	if (r->kind >= NP_REC_KIND_COUNT)
		return;
	cs->kinds[r->kind]++;
	count_rate(cs, r);
	count_dists(cs, r);
	switch (r->kind) {
	case NP_REC_SYN:
	case NP_REC_SYNACK:
		np_format_tcp_sig(sig, sizeof(sig), r);
		if (r->tcp.flags & NP_RTCP_MATCHED) {
			m = &r->tcp.m;
		} else {
			char db_sig[RAW_SIG_MAX];

			np_raw_tcp_db_form(db_sig, sizeof(db_sig), sig);
			count_unknown(cs, r, db_sig, NULL);
		}
		keep_recent(cs, r, sig);
		keep_host_sig(cs, r, r->kind == NP_REC_SYN ? HS_SYN : HS_SYNACK, sig);
		if (r->kind == NP_REC_SYN)
			keep_os(cs, r);
		break;
	case NP_REC_UPTIME:
	case NP_REC_HOST_CHANGE:
	case NP_REC_IP_SHARING:
		keep_host_facts(cs, r);
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		if (r->http.flags & NP_RHTTP_MATCHED) {
			m = &r->http.m;
		} else if (tail) {	/* counted without its software */
			const char *sw = np_raw_http_software(tail);
			char *key = sw ? strndup(tail, (size_t)(sw - 1 - tail)) : NULL;

			count_unknown(cs, r, key ? key : tail, sw);
			free(key);
		}
		if (tail) {
			keep_recent(cs, r, tail);
			keep_host_sig(cs, r, r->kind == NP_REC_HTTP_REQUEST ? HS_HTTP_REQ : HS_HTTP_RESP,
				      tail);
		}
		break;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		if (r->tls.flags & NP_RTLS_MATCHED)
			m = &r->tls.m;
		else
			count_unknown(cs, r, r->tls.sig, NULL);
		keep_recent(cs, r, r->tls.sig);
		keep_host_sig(cs, r, r->kind == NP_REC_TLS_CLIENT ? HS_TLS_CLIENT : HS_TLS_SERVER,
			      r->tls.sig);
		break;
	default:
		break;
	}
	if (m && r->names.label) {
		db_label(label, sizeof(label), &r->names);
		count_hit(cs, r->kind, m->line_no, label);
	}
}

/* ---- answers ---- */

void
np_console_stats_summary(const struct np_console_stats *cs, json_t *o)
{
	json_t *kinds = json_object(), *series = json_object(), *top = json_object();
	uint64_t first_s = cs->newest_s >= NP_CS_RATE_SECONDS ?
				   cs->newest_s + 1 - NP_CS_RATE_SECONDS : 0;

	for (unsigned k = 0; k < NP_REC_KIND_COUNT; k++) {
		json_t *a = json_array();

		json_object_set_new(kinds, np_rec_kind_names[k], json_integer((json_int_t)cs->kinds[k]));
		for (uint64_t s = first_s; s <= cs->newest_s; s++) {
			unsigned i = (unsigned)(s % NP_CS_RATE_SECONDS);

			json_array_append_new(a, json_integer(cs->second[i] == s ? cs->rate[i][k] : 0));
		}
		json_object_set_new(series, np_rec_kind_names[k], a);
	}
	json_object_set_new(o, "kinds", kinds);
	json_object_set_new(o, "rate", json_pack("{s:i, s:I, s:o}", "step_s", 1, "end",
						 (json_int_t)cs->newest_s, "series", series));

	/* each distribution: the minutes' counts summed, the largest first */
	uint64_t newest = 0;

	for (unsigned i = 0; i < NP_CS_MINUTES; i++)
		if (cs->minutes[i].minute > newest)
			newest = cs->minutes[i].minute;
	for (unsigned d = 0; d < DIST_COUNT; d++) {
		json_t *sum = json_object(), *list = json_array();
		uint64_t other = 0;
		const char *key;
		json_t *v;

		for (unsigned i = 0; i < NP_CS_MINUTES; i++) {
			const struct minute *mn = &cs->minutes[i];

			if (!mn->minute || mn->minute + NP_CS_MINUTES <= newest)
				continue;
			other += mn->other[d];
			for (unsigned s = 0; s < DIST_SLOTS; s++) {
				const struct count *c = &mn->c[d][s];

				if (!c->hash)
					continue;
				v = json_object_get(sum, c->key);
				json_object_set_new(sum, c->key,
						    json_integer((v ? json_integer_value(v) : 0) + c->n));
			}
		}
		for (unsigned n = 0; n < NP_CS_TOP; n++) {	/* the largest, NP_CS_TOP times */
			const char *best = NULL;
			json_int_t most = 0;

			json_object_foreach(sum, key, v) {
				if (json_integer_value(v) > most ||
				    (json_integer_value(v) == most && best && strcmp(key, best) < 0)) {
					most = json_integer_value(v);
					best = key;
				}
			}
			if (!best)
				break;
			json_array_append_new(list, json_pack("{s:s, s:I}", "label", best, "count", most));
			json_object_del(sum, best);
		}
		json_object_foreach(sum, key, v)
			other += (uint64_t)json_integer_value(v);
		if (other)
			json_array_append_new(list, json_pack("{s:s, s:I}", "label", "(other)", "count",
							      (json_int_t)other));
		json_decref(sum);
		json_object_set_new(top, dist_names[d], list);
	}
	json_object_set_new(top, "window_s", json_integer(NP_CS_MINUTES * 60));
	json_object_set_new(o, "top", top);
}

/*
 * Database lines to start from, for a signature as the database writes it:
 * an OS label for TCP, an application's (with the systems it runs on, which
 * such a label needs) for HTTP and TLS; an HTTP one with the software it
 * was seen with as a comment (its own field, which only says when a
 * User-Agent lies, left empty).
 */
static char *
db_line(const struct unknown *u)
{
	bool os = u->kind == NP_REC_SYN || u->kind == NP_REC_SYNACK;
	bool http = u->kind == NP_REC_HTTP_REQUEST || u->kind == NP_REC_HTTP_RESPONSE;
	char *out = NULL;

	if (asprintf(&out, "%s%s%s[%s]\nlabel = %s\n%ssig   = %s%s",
		     u->software ? "; seen with: " : "", u->software ? u->software : "",
		     u->software ? "\n" : "", section_of(u->kind),
		     os ? "s:unix:NAME:FLAVOR" : "s:!:NAME:FLAVOR",
		     os ? "" : "sys   = @unix,@win\n", u->sig, http ? ":" : "") < 0)
		return NULL;
	return out;
}

json_t *
np_console_stats_unknown(const struct np_console_stats *cs)
{
	const struct unknown *sorted[NP_CS_UNKNOWN_SHOWN];
	unsigned n = 0;

	/* the most often seen, by insertion into a short sorted list */
	for (unsigned i = 0; i < UNKNOWN_SLOTS; i++) {
		const struct unknown *u = &cs->unknown[i];
		unsigned at;

		if (!u->hash)
			continue;
		for (at = n; at > 0 && sorted[at - 1]->n < u->n; at--)
			;
		if (at == NP_CS_UNKNOWN_SHOWN)
			continue;
		if (n < NP_CS_UNKNOWN_SHOWN)
			n++;
		memmove(&sorted[at + 1], &sorted[at], (n - 1 - at) * sizeof(sorted[0]));
		sorted[at] = u;
	}
	json_t *entries = json_array();

	for (unsigned i = 0; i < n; i++) {
		const struct unknown *u = sorted[i];
		json_t *hosts = json_array();
		char *line = db_line(u);

		for (unsigned e = 0; e < NP_CS_EXAMPLES && u->hosts[e][0]; e++)
			json_array_append_new(hosts, json_string(u->hosts[e]));
		json_array_append_new(entries, json_pack("{s:s, s:s, s:I, s:o, s:I, s:s?}",
			"kind", np_rec_kind_names[u->kind], "sig", u->sig, "count", (json_int_t)u->n,
			"hosts", hosts, "last_seen", (json_int_t)(u->last_us / 1000000),
			"db_line", line));
		free(line);
	}
	return json_pack("{s:I, s:I, s:o}", "distinct", (json_int_t)cs->n_unknown, "overflow",
			 (json_int_t)cs->unknown_overflow, "entries", entries);
}

static int
by_count(const void *a, const void *b)
{
	const struct hit *x = *(const struct hit *const *)a, *y = *(const struct hit *const *)b;

	return x->n != y->n ? (x->n < y->n ? 1 : -1) : (x->line > y->line) - (x->line < y->line);
}

json_t *
np_console_stats_hits(const struct np_console_stats *cs)
{
	const struct hit **all = malloc(sizeof(*all) * (cs->n_hits + 1));
	json_t *list = json_array();
	unsigned n = 0;

	if (!all)
		return list;
	for (unsigned i = 0; i < HITS_SLOTS; i++)
		if (cs->hits[i].hash)
			all[n++] = &cs->hits[i];
	qsort(all, n, sizeof(*all), by_count);
	for (unsigned i = 0; i < n && i < NP_CS_HITS_SHOWN; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I}",
			"section", section_of(all[i]->kind), "label", all[i]->label,
			"line", (json_int_t)all[i]->line, "count", (json_int_t)all[i]->n));
	free(all);
	return list;
}

/* ---- trying another database ---- */

/* The packet a TCP record describes, as far as matching reads it. */
static void
packet_of(const struct recent *k, struct np_packet *pk)
{
	const struct np_rec_tcp *t = &k->tcp;

	memset(pk, 0, sizeof(*pk));
	pk->quirks = t->quirks;
	pk->ts1 = t->ts1;
	pk->win = t->win;
	pk->mss = t->mss;
	pk->tot_hdr = t->tot_hdr;
	pk->ip_ver = k->ip_ver;
	pk->ip_opt_len = t->ip_opt_len;
	pk->ttl = t->ttl;
	pk->tos = t->tos;
	pk->wscale = t->wscale;
	pk->opt_cnt = t->opt_cnt;
	pk->opt_eol_pad = t->opt_eol_pad;
	memcpy(pk->opt_layout, t->opt_layout, sizeof(pk->opt_layout));
	pk->pay_len = (t->flags & NP_RTCP_PAYLOAD) ? 1 : 0;
}

/*
 * An HTTP header block as the matcher compares it, rebuilt from its raw
 * signature (p0f's "ver:horder:habsent:software", which parses as a
 * database signature) with db's header ids: every header listed was there
 * ("?H" is p0f's mark for an optional one), with the value shown, if any.
 * Values p0f does not print (User-Agent, Cookie...) or cuts are not there.
 */
struct http_rebuild {
	const struct np_db *db;
	char *store;		/* values, NUL-terminated one after another */
	size_t used, cap;
};

#define REBUILT_UNKNOWN (NP_HTTP_UNKNOWN_HDR - 1)	/* the parser's UINT32_MAX is "no memory" */

static uint32_t
rebuilt_hdr_id(void *ctx, const char *name, size_t len)
{
	const struct http_rebuild *b = ctx;
	uint32_t id = np_http_hdr_lookup(b->db, name, len);

	return id == NP_HTTP_UNKNOWN_HDR ? REBUILT_UNKNOWN : id;
}

static const char *
rebuilt_strdup(void *ctx, const char *s, size_t len)
{
	struct http_rebuild *b = ctx;
	char *out = b->store + b->used;

	if (b->used + len + 1 > b->cap)
		return NULL;
	memcpy(out, s, len);
	out[len] = 0;
	b->used += len + 1;
	return out;
}

/* The label db gives an HTTP raw signature: its text, "" for none, NULL when
 * the signature cannot be read back. */
static const char *
http_label_in(const struct recent *k, const struct np_db *db, enum np_dir dir)
{
	const char *sw = np_raw_http_software(k->sig);
	size_t len = strlen(k->sig);
	/* the software field apart: the parser wants a database's, without ':' and such */
	char *head = sw ? strndup(k->sig, (size_t)(sw - k->sig)) : NULL;
	struct http_rebuild b = { db, malloc(len + 1), 0, len + 1 };
	struct np_http_obs *o = calloc(1, sizeof(*o));
	const char *label = NULL;
	struct np_http_match m;

	if (head && b.store && o &&
	    !np_http_sig_parse(head, &o->sig, rebuilt_hdr_id, rebuilt_strdup, &b)) {
		uint32_t sw_hdr = dir == NP_DIR_REQUEST ? NP_HDR_UA : NP_HDR_SERVER;

		for (unsigned i = 0; i < o->sig.hdr_cnt; i++) {
			struct np_http_hdr *h = &o->sig.hdr[i];

			h->optional = false;
			if (h->id == REBUILT_UNKNOWN)
				h->id = NP_HTTP_UNKNOWN_HDR;
			if (h->id == sw_hdr && *sw)	/* its value is the software field */
				h->value = sw;
		}
		o->sw = *sw ? sw : NULL;
		np_match_http(db, dir, o, &m);
		label = m.sig < 0 ? "" : np_db_label(db, db->http[dir][m.sig].label)->text;
	}
	free(o);
	free(b.store);
	free(head);
	return label;
}

/* What db names k: its label text, "" when nothing, NULL when it cannot tell. */
static const char *
label_in(const struct recent *k, const struct np_db *db)
{
	enum np_dir dir = (k->kind == NP_REC_SYN || k->kind == NP_REC_HTTP_REQUEST ||
			   k->kind == NP_REC_TLS_CLIENT) ? NP_DIR_REQUEST : NP_DIR_RESPONSE;

	if (k->kind == NP_REC_SYN || k->kind == NP_REC_SYNACK) {
		struct np_packet pk;
		struct np_tcp_match m;

		packet_of(k, &pk);
		np_match_tcp(db, dir, &pk, k->tcp.syn_mss, &m);
		return m.sig < 0 ? "" : np_db_label(db, db->tcp[dir][m.sig].label)->text;
	}
	if (k->kind == NP_REC_HTTP_REQUEST || k->kind == NP_REC_HTTP_RESPONSE)
		return http_label_in(k, db, dir);

	struct np_tls_match m;

	np_match_tls(db, dir, k->sig, &m);
	return m.sig < 0 ? "" : np_db_label(db, db->tls[dir][m.sig].label)->text;
}

json_t *
np_console_stats_compare(const struct np_console_stats *cs, const struct np_db *db)
{
	uint64_t n = cs->n_recent < NP_CS_RECENT ? cs->n_recent : NP_CS_RECENT, changed = 0;
	uint64_t unread = 0;
	json_t *groups = json_object(), *changes = json_array(), *g;
	const char *key;

	for (uint64_t i = 0; i < n; i++) {
		const struct recent *k = &cs->recent[(cs->n_recent - 1 - i) % NP_CS_RECENT];
		const char *now = label_in(k, db);
		char *gk;

		if (!now) {
			unread++;
			continue;
		}
		if (!strcmp(now, k->label))
			continue;
		changed++;
		if (asprintf(&gk, "%u\x1f%s\x1f%s\x1f%s", k->kind, k->sig, k->label, now) < 0)
			continue;
		if ((g = json_object_get(groups, gk)))
			json_object_set_new(g, "count",
					    json_integer(json_integer_value(json_object_get(g, "count")) + 1));
		else
			json_object_set_new(groups, gk, json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s?}",
				"kind", np_rec_kind_names[k->kind], "sig", k->sig, "host", k->host,
				"count", (json_int_t)1, "old", k->label[0] ? k->label : NULL,
				"new", now[0] ? now : NULL));
		free(gk);
	}
	json_object_foreach(groups, key, g)
		json_array_append(changes, g);
	json_decref(groups);
	return json_pack("{s:I, s:I, s:I, s:o}", "observations", (json_int_t)n, "changed",
			 (json_int_t)changed, "unreadable", (json_int_t)unread, "changes", changes);
}
