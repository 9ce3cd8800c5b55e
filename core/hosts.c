/* SPDX-License-Identifier: MIT */
/*
 * The host table and p0f 3.09b's per-host logic: check_ts_tcp() (uptime),
 * score_nat() for TCP and HTTP, add_nat_score(), verify_tool_class(), and
 * the host updates fingerprint_tcp/mtu/http make. Quirks of p0f that change
 * its answers are kept and marked.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hosts.h"
#include "netprint.h"
#include "http_match.h"

/* p0f config.h */
#define MIN_TWAIT 25
#define MAX_TWAIT (1000 * 60 * 10)
#define TSTAMP_GRACE 100
#define MIN_TSCALE 0.7
#define MAX_TSCALE 1500
#define MAX_NAT_TS (1000 * 60 * 60 * 24)
#define MIN_PORT_DROP 64
#define SMALL_TTL_CHG 2
#define LOCAL_TTL_LIMIT 5
#define NEAR_TTL_LIMIT 9
#define HTTP_MAX_DATE_DIFF 10

#define QUIRKS_FUZZY (NP_QUIRK(ECN) | NP_QUIRK(DF) | NP_QUIRK(NZ_ID) | NP_QUIRK(ZERO_ID))

const char *const np_nat_reason_names[NP_NAT_REASON_COUNT] = {
#define NP_NAT_NAME_(id, str) str,
	NP_FOREACH_NAT_REASON(NP_NAT_NAME_)
#undef NP_NAT_NAME_
};

/* ---- the table ---------------------------------------------------------- */

int
np_hosts_init(struct np_hosts *hs, uint32_t capacity, unsigned n_workers, uint32_t flow_slots)
{
	memset(hs, 0, sizeof(*hs));
	if (!flow_slots)
		return -EINVAL;
	hs->n_workers = n_workers;
	if (np_addr_table_init(&hs->t, capacity, sizeof(struct np_host)) ||
	    np_addr_table_init(&hs->tls, capacity, sizeof(struct np_tls_host)) ||
	    !(hs->tps = calloc(n_workers, sizeof(*hs->tps))))
		goto fail;
	for (unsigned w = 0; w < n_workers; w++)
		if (!(hs->tps[w] = calloc(flow_slots, sizeof(**hs->tps))))
			goto fail;
	hs->flow_slots = flow_slots;
	return 0;
fail:
	np_hosts_fini(hs);
	return -ENOMEM;
}

void
np_hosts_fini(struct np_hosts *hs)
{
	for (unsigned w = 0; hs->tps && w < hs->n_workers; w++)
		free(hs->tps[w]);
	free(hs->tps);
	np_addr_table_fini(&hs->t);
	np_addr_table_fini(&hs->tls);
	memset(hs, 0, sizeof(*hs));
}

const struct np_host *
np_hosts_lookup(const struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver)
{
	return (const struct np_host *)np_addr_lookup(&hs->t, addr, ip_ver);
}

const struct np_tls_host *
np_hosts_lookup_tls(const struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver)
{
	return (const struct np_tls_host *)np_addr_lookup(&hs->tls, addr, ip_ver);
}

/* Room in out->buf_ for p0f's 32-byte API strings: a cut may leave no NUL. */
struct info_room {
	char *p, *end;
};

static const char *
room_put(struct info_room *r, const char *s, size_t n)
{
	char *at = r->p;

	if ((size_t)(r->end - r->p) < n + 1)
		return "";	/* cannot happen: buf_ holds every string at its longest */
	memcpy(at, s, n);
	at[n] = 0;
	r->p += n + 1;
	return at;
}

static void
info_match(struct np_match *m, struct info_room *r, const char *name, const char *flavor,
	   enum np_quality q, bool is_os)
{
	size_t nn = strnlen(name, NP_STR_MAX), fn = strnlen(flavor, NP_STR_MAX);
	char text[2 * NP_STR_MAX + 2];

	memcpy(text, name, nn);
	text[nn] = ' ';
	memcpy(text + nn + 1, flavor, fn);
	m->quality = q;
	m->is_os = is_os;
	m->class_name = NULL;
	m->name = room_put(r, name, nn);
	m->flavor = room_put(r, flavor, fn);
	m->text = room_put(r, text, fn ? nn + 1 + fn : nn);
}

int
np_hosts_info(const struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver,
	      struct np_host_info *out)
{
	const struct np_host *h = np_hosts_lookup(hs, addr, ip_ver);
	const struct np_tls_host *t = np_hosts_lookup_tls(hs, addr, ip_ver);
	struct info_room r = { out->buf_, out->buf_ + sizeof(out->buf_) };

	memset(out, 0, offsetof(struct np_host_info, buf_));
	out->uptime_min = -1;
	out->distance = -1;
	out->link = "";
	if (!h && !t)
		return NP_ERR_NOT_FOUND;
	if (h) {
		out->first_seen = h->first_seen;
		out->last_seen = h->last_seen;
		out->total_conn = h->total_conn;
		out->uptime_min = h->last_up_min;
		if (h->last_up_min != -1)
			out->uptime_modulo_days = h->up_mod_days;
		out->last_nat = h->last_nat;
		out->last_chg = h->last_chg;
		out->distance = h->distance != 0xff ? h->distance : -1;	/* p0f keeps a u8 */
		out->bad_sw = h->bad_sw;
		if (h->last_name_id != -1)
			info_match(&out->os, &r, h->os_name, h->os_flavor,
				   h->last_quality & 1 ? NP_MATCH_FUZZY :
				   h->last_quality & 2 ? NP_MATCH_GENERIC : NP_MATCH_EXACT, true);
		if (h->http_name_id != -1)
			info_match(&out->http, &r, h->http_name, h->http_flavor, NP_MATCH_EXACT,
				   false);
		out->link = room_put(&r, h->link_type, strnlen(h->link_type, NP_STR_MAX));
		out->language = h->language;
	} else {	/* known by TLS alone (a QUIC client sends no SYN) */
		out->first_seen = t->first_seen;
		out->last_seen = t->last_seen;
	}
	if (t) {
		out->has_tls = true;
		out->tls_ja4 = room_put(&r, t->ja4, strlen(t->ja4));
		out->tls_transport = np_tls_transport_name(t->transport);
		out->tls_last_seen = t->last_seen;
		if (t->flags & NP_RTLS_MATCHED)
			info_match(&out->tls, &r, t->name, t->flavor,
				   t->flags & NP_RTLS_GENERIC ? NP_MATCH_GENERIC : NP_MATCH_EXACT,
				   t->class_id >= 0);
		out->tls_os_mismatch = t->flags & NP_RTLS_OS_MISMATCH;
	}
	return NP_OK;
}

static struct np_host *
create_host(struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver, uint32_t now_s)
{
	struct np_host *h = (struct np_host *)np_addr_insert(&hs->t, addr, ip_ver);

	if (!h) {
		/* The workers bound the hosts; should they not, the oldest goes. */
		np_addr_remove(&hs->t, np_addr_at(&hs->t, hs->t.oldest));
		hs->stats.overflow++;
		h = (struct np_host *)np_addr_insert(&hs->t, addr, ip_ver);
	}
	h->first_seen = h->last_seen = now_s;
	h->last_class_id = h->last_name_id = h->http_name_id = -1;
	h->last_up_min = -1;
	h->distance = 0xff;
	hs->stats.created++;
	return h;
}

/* The host of a flow endpoint: found and touched, or created (p0f does
 * both when a SYN creates a flow). */
static struct np_host *
touch_host(struct np_hosts *hs, const uint8_t *addr, uint8_t ip_ver, uint32_t now_s)
{
	struct np_host *h = (struct np_host *)np_addr_find(&hs->t, addr, ip_ver);

	if (!h)
		return create_host(hs, addr, ip_ver, now_s);
	np_addr_touch(&hs->t, &h->node);
	h->last_seen = now_s;
	return h;
}

/* A host a record refers to; made anew if it is unknown (it should not be). */
static struct np_host *
record_host(struct np_hosts *hs, const struct np_rec *r, bool client)
{
	const uint8_t *addr = client ? r->cli : r->srv;
	struct np_host *h = (struct np_host *)np_addr_find(&hs->t, addr, r->ip_ver);

	if (!h) {
		h = create_host(hs, addr, r->ip_ver, (uint32_t)(r->ts_us / 1000000));
		h->workers = 1ull << (r->worker & 63);
	}
	return h;
}

/* p0f destroy_host(), once no worker's bookkeeping keeps the host. */
static void
drop_host(struct np_hosts *hs, const struct np_rec *r)
{
	struct np_host *h = (struct np_host *)np_addr_find(&hs->t, r->cli, r->ip_ver);

	if (!h)
		return;
	h->workers &= ~(1ull << (r->worker & 63));
	if (!h->workers) {
		np_addr_remove(&hs->t, &h->node);
		hs->stats.dropped++;
	}
}

/* ---- emitting ----------------------------------------------------------- */

struct emitter {
	np_emit_fn fn;
	void *ctx;
};

static void
derive(struct np_rec *d, const struct np_rec *src, enum np_rec_kind kind)
{
	memcpy(d, src, offsetof(struct np_rec, tcp));
	d->kind = (uint8_t)kind;
	d->tail_len = 0;
	memset(&d->tcp, 0, sizeof(d->tcp));
	d->names = (struct np_rec_names){ .link = src->names.link };
}

/* A name of the record's database, cut to p0f's 32 API bytes. */
static void
api_name(char *dst, const char *name)
{
	np_api_strcpy(dst, name ? name : "");
}

/* ---- NAT scores (p0f add_nat_score) ------------------------------------- */

static void
add_nat_score(struct np_hosts *hs, const struct np_rec *r, bool to_srv, uint16_t reason,
	      uint8_t score, const struct emitter *em)
{
	struct np_host *hd = record_host(hs, r, to_srv);
	uint8_t *scores = to_srv ? hd->cli_scores : hd->srv_scores;
	uint8_t over[4] = { 0 };	/* >= 6, >= 3, >= 2, >= 1 */
	struct np_rec out;

	memmove(scores, scores + 1, NP_NAT_SCORES - 1);
	scores[NP_NAT_SCORES - 1] = score;
	hd->nat_reasons |= reason;
	if (!score)
		return;

	for (unsigned i = 0; i < NP_NAT_SCORES; i++) {
		over[0] += scores[i] >= 6;
		over[1] += scores[i] >= 3;
		over[2] += scores[i] >= 2;
		over[3] += scores[i] >= 1;
	}
	uint32_t now_s = (uint32_t)(r->ts_us / 1000000);
	if (over[0] > 2 || over[1] > 4 || over[2] > 6 || over[3] > 8) {
		derive(&out, r, NP_REC_IP_SHARING);
		reason = hd->nat_reasons;
		hd->last_nat = now_s;
		memset(scores, 0, NP_NAT_SCORES);
		hd->nat_reasons = 0;
	} else {
		if (score == 1)
			return;	/* wait for something more substantial */
		derive(&out, r, NP_REC_HOST_CHANGE);
		hd->last_chg = now_s;
	}
	out.to_srv = to_srv;
	out.nat.reasons = reason;
	memcpy(out.nat.hits, over, sizeof(over));
	em->fn(em->ctx, &out, NULL);
}

/* p0f verify_tool_class(): does a tool run on the OS the host showed? */
static void
verify_tool_class(struct np_hosts *hs, const struct np_rec *r, bool to_srv,
		  const struct emitter *em)
{
	const struct np_host *hd = record_host(hs, r, to_srv);
	const struct np_rec_names *n = &r->names;
	unsigned i;

	if (hd->last_class_id == -1)
		return;
	for (i = 0; i < n->sys_cnt; i++) {
		uint32_t id = n->sys[i] & ~NP_SYS_CLASS;

		if ((n->sys[i] & NP_SYS_CLASS) ? (int32_t)id == hd->last_class_id :
						 (int32_t)id == hd->last_name_id)
			break;
	}
	if (i == n->sys_cnt)
		add_nat_score(hs, r, to_srv, NP_NAT(APP_SIG), 4, em);
	else
		add_nat_score(hs, r, to_srv, 0, 0, em);
}

/* ---- TCP ---------------------------------------------------------------- */

static uint32_t
layout_hash(const struct np_rec_tcp *t)
{
	uint32_t h = 2166136261u ^ t->opt_cnt;

	for (unsigned i = 0; i < t->opt_cnt; i++)
		h = (h ^ t->opt_layout[i]) * 16777619u;
	return h;
}

static void
host_sig_from(struct np_host_sig *s, const struct np_rec *r)
{
	const struct np_rec_tcp *t = &r->tcp;

	memset(s, 0, sizeof(*s));
	s->valid = true;
	s->matched = t->flags & NP_RTCP_MATCHED;
	s->fuzzy = t->flags & NP_RTCP_FUZZY;
	s->bad_ttl = t->flags & NP_RTCP_BAD_TTL;
	s->name_id = t->m.name_id;
	s->label_id = t->m.label_id;
	s->line_no = t->m.line_no;
	s->quirks = t->quirks;
	s->layout_hash = layout_hash(t);
	s->ts1 = t->ts1;
	s->recv_ms = r->ts_us / 1000;
	s->mss = t->mss;
	s->ttl = t->ttl;
}

/* p0f fp_tcp.c score_nat(), then the host updates it ends with. */
static void
score_nat_tcp(struct np_hosts *hs, const struct np_rec *r, const struct emitter *em)
{
	bool to_srv = r->to_srv;
	const struct np_rec_tcp *t = &r->tcp;
	struct np_host *hd = record_host(hs, r, to_srv);
	const struct np_host_sig *ref = to_srv ? &hd->last_syn : &hd->last_synack;
	bool matched = t->flags & NP_RTCP_MATCHED, diff_already = false;
	uint8_t score = 0;
	uint16_t reason = 0;

	if (!ref->valid) {
		/* Only the OS on file, perhaps from other kinds of signature. */
		if (matched && hd->last_class_id != -1 && hd->last_name_id != (int32_t)t->m.name_id) {
			reason |= NP_NAT(OS_SIG);
			score += 8;
		}
		goto log_and_update;
	}

	if (!matched || !ref->matched) {
		if ((t->quirks ^ ref->quirks) & ~QUIRKS_FUZZY) {
			reason |= NP_NAT(UNK_DIFF);
			score += 2;
		} else if (to_srv && layout_hash(t) != ref->layout_hash) {
			reason |= NP_NAT(UNK_DIFF);
			score += 1;
		}
		/* known <-> unknown (p0f compares the matched pointers) */
		if (to_srv && matched != ref->matched) {
			score += 1;
			reason |= NP_NAT(TO_UNK);
		}
	} else if (ref->name_id != t->m.name_id) {
		score += 8;
		reason |= NP_NAT(OS_SIG);
		diff_already = true;
	} else if (to_srv) {
		if (ref->label_id != t->m.label_id) {
			score += 2;
			reason |= NP_NAT(OS_SIG);
		} else if (ref->line_no != t->m.line_no) {
			score += 1;
			reason |= NP_NAT(OS_SIG);
		} else if (ref->fuzzy != !!(t->flags & NP_RTCP_FUZZY)) {
			score += 1;
			reason |= NP_NAT(FUZZY);
		}
	}

	if (!diff_already && matched && hd->last_class_id != -1 &&
	    hd->last_name_id != (int32_t)t->m.name_id) {
		score += 8;
		reason |= NP_NAT(OS_SIG);
		diff_already = true;
	}

	int32_t ttl_diff = (int32_t)t->ttl - ref->ttl;
	if (!diff_already && ttl_diff && !(matched && (t->flags & NP_RTCP_BAD_TTL)) &&
	    !(ref->matched && ref->bad_ttl) && (t->dist <= NEAR_TTL_LIMIT || ttl_diff > 1)) {
		int32_t abs_diff = ttl_diff < 0 ? -ttl_diff : ttl_diff;

		score += (t->dist > LOCAL_TTL_LIMIT && abs_diff <= SMALL_TTL_CHG) ? 1 : 4;
		reason |= NP_NAT(TTL);
	}

	if (to_srv && hd->last_port && r->cli_port < hd->last_port &&
	    hd->last_port - r->cli_port >= MIN_PORT_DROP) {
		score += 1;
		reason |= NP_NAT(PORT);
	}

	if (t->mss != ref->mss) {
		score += 1;
		reason |= NP_NAT(MSS);
	}

	/* Timestamps within a day either confirm (halve) or accuse (+4). */
	if (score && t->ts1 && ref->ts1) {
		uint64_t ms_diff = r->ts_us / 1000 - ref->recv_ms;

		if (ms_diff < MAX_NAT_TS) {
			uint64_t use_ms = ms_diff < TSTAMP_GRACE ? TSTAMP_GRACE : ms_diff;
			uint64_t max_ts = use_ms * MAX_TSCALE / 1000;
			uint32_t ts_diff = t->ts1 - ref->ts1;

			if (ts_diff > max_ts && (ms_diff >= TSTAMP_GRACE || ~ts_diff > max_ts)) {
				score += 4;
				reason |= NP_NAT(TS);
			} else {
				score /= 2;
			}
		}
	}

log_and_update:
	add_nat_score(hs, r, to_srv, reason, score, em);
	hd = record_host(hs, r, to_srv);
	if (matched) {
		hd->last_class_id = t->m.class_id;
		hd->last_name_id = (int32_t)t->m.name_id;
		api_name(hd->os_name, r->names.name);
		api_name(hd->os_flavor, r->names.flavor);
		hd->last_quality = (uint8_t)(((t->flags & NP_RTCP_FUZZY) ? 1 : 0) |
					     ((t->flags & NP_RTCP_GENERIC) ? 2 : 0));
	}
	hd->last_port = r->cli_port;
}

/* p0f check_ts_tcp(): uptime from the host's last SYN / SYN+ACK. */
static void
check_ts(struct np_hosts *hs, const struct np_rec *r, uint32_t ts1, const struct emitter *em)
{
	bool to_srv = r->to_srv;
	struct np_host *hd;

	if (!ts1 || r->sendsyn || r->worker >= hs->n_workers)
		return;
	/* a collector's sensors may keep more flows than it has slots: shared */
	struct np_flow_tps *ft = &hs->tps[r->worker][r->flow_slot % hs->flow_slots];
	if (ft->serial != r->flow_serial) {
		ft->serial = r->flow_serial;	/* a new flow in this slot */
		ft->tps[0] = ft->tps[1] = 0;
	}
	hd = record_host(hs, r, to_srv);
	const struct np_host_sig *ref = to_srv ? &hd->last_syn : &hd->last_synack;
	if (ft->tps[to_srv] || !ref->valid || !ref->ts1)
		return;

	uint64_t ms_diff = r->ts_us / 1000 - ref->recv_ms;
	uint32_t ts_diff = ts1 - ref->ts1;

	if (ms_diff < MIN_TWAIT || ms_diff > MAX_TWAIT)
		return;
	/* Allow the timestamp to go back slightly within a short window. */
	if (ts_diff < 5 || (ms_diff < TSTAMP_GRACE && (~ts_diff) / 1000 < MAX_TSCALE / TSTAMP_GRACE))
		return;

	double ffreq = ts_diff > ~ts_diff ? ~ts_diff * -1000.0 / ms_diff : ts_diff * 1000.0 / ms_diff;
	if (ffreq < MIN_TSCALE || ffreq > MAX_TSCALE) {
		/* A bad reading on a SYN may be IP sharing or an OS change. */
		if (r->kind != NP_REC_SYN)
			ft->tps[to_srv] = -1;
		return;
	}

	uint32_t freq = (uint32_t)ffreq;
	if (freq == 0)
		freq = 1;
	else if (freq <= 10)
		;
	else if (freq <= 50)
		freq = (freq + 3) / 5 * 5;
	else if (freq <= 100)
		freq = (freq + 7) / 10 * 10;
	else if (freq <= 500)
		freq = (freq + 33) / 50 * 50;
	else
		freq = (freq + 67) / 100 * 100;
	ft->tps[to_srv] = (int16_t)freq;	/* at most MAX_TSCALE rounded: 1500 */

	struct np_rec out;
	derive(&out, r, NP_REC_UPTIME);
	out.uptime.up_min = ts1 / freq / 60;
	out.uptime.up_mod_days = 0xFFFFFFFFu / (freq * 60 * 60 * 24);
	out.uptime.freq = ffreq;
	hd->last_up_min = (int32_t)out.uptime.up_min;
	hd->up_mod_days = out.uptime.up_mod_days;
	em->fn(em->ctx, &out, NULL);
}

/* A SYN or SYN+ACK, with what p0f does around fingerprint_tcp(). */
static void
process_tcp(struct np_hosts *hs, const struct np_rec *r, const struct emitter *em)
{
	const struct np_rec_tcp *t = &r->tcp;
	bool to_srv = r->to_srv;
	uint32_t now_s = (uint32_t)(r->ts_us / 1000000);

	if (r->kind == NP_REC_SYN || r->kind == NP_REC_SENDSYN_PROBE) {
		/* create_flow_from_syn(): both ends touched, a connection each */
		struct np_host *c = touch_host(hs, r->cli, r->ip_ver, now_s);
		struct np_host *s = touch_host(hs, r->srv, r->ip_ver, now_s);

		c->total_conn++;
		s->total_conn++;
		c->workers |= 1ull << (r->worker & 63);
		s->workers |= 1ull << (r->worker & 63);
	}
	em->fn(em->ctx, r, NULL);

	struct np_host *hd = record_host(hs, r, to_srv);
	if (!(t->flags & NP_RTCP_BAD_TTL))
		hd->distance = (uint8_t)t->dist;

	if ((t->flags & NP_RTCP_MATCHED) && t->m.class_id == -1)
		verify_tool_class(hs, r, to_srv, em);
	if (!(t->flags & NP_RTCP_OS_SIG))
		return;
	score_nat_tcp(hs, r, em);

	if (t->flags & NP_RTCP_HAS_MTU) {
		struct np_rec out;

		derive(&out, r, NP_REC_MTU);
		out.mtu.mtu = t->mtu;
		hd = record_host(hs, r, to_srv);
		hd->mtu = (uint16_t)t->mtu;
		if (r->names.link)
			np_api_strcpy(hd->link_type, r->names.link);
		em->fn(em->ctx, &out, NULL);
	}
	check_ts(hs, r, t->ts1, em);

	hd = record_host(hs, r, to_srv);
	host_sig_from(to_srv ? &hd->last_syn : &hd->last_synack, r);
}

/* ---- HTTP --------------------------------------------------------------- */

uint32_t
np_http_date(const char *s)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	if (!strptime(s, "%a, %d %b %Y %H:%M:%S %Z", &t))
		return 0;
	t.tm_isdst = 0;	/* p0f leaves it unset; 0 is what its reference logs assume */
	return (uint32_t)mktime(&t);
}

/* p0f fp_http.c score_nat(). */
static void
score_nat_http(struct np_hosts *hs, const struct np_rec *r, uint32_t date,
	       const struct emitter *em)
{
	const struct np_rec_http *h = &r->http;
	bool to_srv = r->to_srv, matched = h->flags & NP_RHTTP_MATCHED;
	struct np_host *hd = record_host(hs, r, to_srv);
	const struct np_host_http *ref = to_srv ? &hd->http_req_os : &hd->http_resp;
	uint8_t score = 0;
	uint16_t reason = 0;
	bool diff_already = false;

	/* A server signature for another port says little. */
	if (!to_srv && hd->http_resp_port != r->srv_port)
		ref = NULL;
	if (ref && !ref->valid)
		ref = NULL;

	if (!matched) {
		if (!to_srv && ref && ref->matched) {
			score += 4;
			reason |= NP_NAT(TO_UNK);
		}
		goto header_check;
	}

	if (h->m.class_id == -1) {
		verify_tool_class(hs, r, to_srv, em);
		hd = record_host(hs, r, to_srv);
		if (!to_srv && ref && ref->matched) {
			if (ref->name_id != h->m.name_id) {
				score += 8;
				reason |= NP_NAT(APP_LB);
			} else if (ref->label_id != h->m.label_id) {
				score += 2;
				reason |= NP_NAT(APP_LB);
			}
		}
	} else {
		if (ref && ref->matched) {
			if (ref->name_id != h->m.name_id) {
				score += 8;
				reason |= NP_NAT(OS_SIG);
				diff_already = true;
			} else if (ref->name_id != h->m.label_id) {
				/* sic: p0f compares the name id with the label id */
				score += 2;
				reason |= NP_NAT(OS_SIG);
			}
		} else if (ref) {
			score += 4;
			reason |= NP_NAT(TO_UNK);
		}
		if (!diff_already && hd->last_name_id != (int32_t)h->m.name_id) {
			score += 4;
			reason |= NP_NAT(OS_SIG);
		}
	}

	/* A plausible User-Agent that names another OS than the host shows. */
	if (to_srv && h->m.class_id == -1 && !(h->flags & NP_RHTTP_ANONYMOUS) &&
	    !(h->flags & NP_RHTTP_DISHONEST) && h->ua_os >= 0) {
		if (h->ua_os != hd->last_name_id) {
			score += 4;
			reason |= NP_NAT(APP_UA);
			if (!hd->bad_sw)
				hd->bad_sw = 1;
		} else {
			hd->bad_sw = 0;
		}
	}

header_check:
	if (h->flags & NP_RHTTP_VIA) {
		score += 8;
		reason |= NP_NAT(APP_VIA);
	}
	if (ref && !to_srv && ref->date && date) {
		int64_t recv_diff = (int64_t)(r->ts_us / 1000000) - ref->recv_date;
		int64_t hdr_diff = (int64_t)date - ref->date;

		if (hdr_diff < -HTTP_MAX_DATE_DIFF || hdr_diff > recv_diff + HTTP_MAX_DATE_DIFF) {
			score += 4;
			reason |= NP_NAT(APP_DATE);
		}
	}
	add_nat_score(hs, r, to_srv, reason, score, em);
}

/* p0f fingerprint_http(): print, score, then remember. */
static void
process_http(struct np_hosts *hs, const struct np_rec *r, const char *tail,
	     const struct emitter *em)
{
	const struct np_rec_http *h = &r->http;
	bool to_srv = r->to_srv, matched = h->flags & NP_RHTTP_MATCHED;
	uint32_t date = !to_srv && h->date[0] ? np_http_date(h->date) : 0;
	const char *lang = NULL;

	em->fn(em->ctx, r, tail);
	score_nat_http(hs, r, date, em);

	if (isalpha((unsigned char)h->lang[0]) && isalpha((unsigned char)h->lang[1]) &&
	    !isalpha((unsigned char)h->lang[2]))
		lang = np_language_name(h->lang);

	struct np_host *hd = record_host(hs, r, to_srv);
	if (lang)
		hd->language = lang;
	if (!to_srv) {
		/* A server's signature is always kept, for the next response. */
		hd->http_resp = (struct np_host_http){
			.valid = true, .matched = matched, .name_id = h->m.name_id,
			.label_id = h->m.label_id, .date = date,
			.recv_date = (uint32_t)(r->ts_us / 1000000),
		};
		hd->http_resp_port = r->srv_port;
	}
	if (!matched)
		return;
	if (h->m.class_id != -1) {
		if (to_srv)
			hd->http_req_os = (struct np_host_http){
				.valid = true, .matched = true, .name_id = h->m.name_id,
				.label_id = h->m.label_id, .date = date,
				.recv_date = (uint32_t)(r->ts_us / 1000000),
			};
		hd->last_class_id = h->m.class_id;
		hd->last_name_id = (int32_t)h->m.name_id;
		api_name(hd->os_name, r->names.name);
		api_name(hd->os_flavor, r->names.flavor);
		hd->last_quality = (h->flags & NP_RHTTP_GENERIC) ? 2 : 0;
	} else {
		hd->http_name_id = (int32_t)h->m.name_id;
		api_name(hd->http_name, r->names.name);
		api_name(hd->http_flavor, r->names.flavor);
		if (h->flags & NP_RHTTP_DISHONEST)
			hd->bad_sw = 2;
	}
}

/* A client's TLS fingerprint is remembered after it is printed. */
static void
process_tls(struct np_hosts *hs, const struct np_rec *r, const char *tail,
	    const struct emitter *em)
{
	uint32_t now_s = (uint32_t)(r->ts_us / 1000000);
	struct np_tls_host *h;

	em->fn(em->ctx, r, tail);
	if (r->kind != NP_REC_TLS_CLIENT)
		return;
	h = (struct np_tls_host *)np_addr_lookup(&hs->tls, r->cli, r->ip_ver);
	if (h) {
		np_addr_touch(&hs->tls, &h->node);
	} else {
		if (hs->tls.count == hs->tls.cap)
			np_addr_remove(&hs->tls, np_addr_at(&hs->tls, hs->tls.oldest));
		h = (struct np_tls_host *)np_addr_insert(&hs->tls, r->cli, r->ip_ver);
		h->first_seen = now_s;
	}
	h->last_seen = now_s;
	h->transport = r->tls.transport;
	h->flags = r->tls.flags;
	h->class_id = r->tls.m.class_id;
	memcpy(h->ja4, r->tls.sig, sizeof(h->ja4));
	api_name(h->name, r->names.name);
	api_name(h->flavor, r->names.flavor);
}

void
np_hosts_process(struct np_hosts *hs, const struct np_rec *r, const char *tail,
		 np_emit_fn emit, void *ctx)
{
	const struct emitter em = { emit, ctx };

	switch (r->kind) {
	case NP_REC_HOST_DROP:
		drop_host(hs, r);
		break;
	case NP_REC_SYN:
	case NP_REC_SYNACK:
	case NP_REC_SENDSYN_PROBE:
	case NP_REC_SENDSYN_RESPONSE:
		process_tcp(hs, r, &em);
		break;
	case NP_REC_TS:
		check_ts(hs, r, r->ts1, &em);
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		process_http(hs, r, tail, &em);
		break;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		process_tls(hs, r, tail, &em);
		break;
	default:
		emit(ctx, r, tail);
		break;
	}
}
