/* SPDX-License-Identifier: MIT */
/*
 * p0f 3.09b's flow_dispatch(), fingerprint_tcp(), fingerprint_mtu() and the
 * flow side of fp_http.c, producing records instead of printing. What p0f
 * decides per host (uptime, NAT scores) is left to the logger, which gets
 * every input it needs here: fingerprints, timestamp samples, HTTP blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"
#include "stage.h"
#include "tracker.h"

#define NP_HTTP_SIG_MAX 8192	/* a raw HTTP signature is cut to 8191 bytes */
#define NP_SPECIAL_MSS 1331	/* p0f-sendsyn */
#define NP_SPECIAL_WIN 1337

/* ---- host references: p0f's host bookkeeping, as flows need it -------- */

static struct np_host_ref *
host_ref(const struct np_tracker *o, uint32_t idx)
{
	return (struct np_host_ref *)np_addr_at(&o->hosts, idx);
}

/* p0f destroy_host(): gone here, and the logger is told. */
static void
drop_host(struct np_tracker *o, struct np_host_ref *h, uint64_t ts_us)
{
	struct np_rec r;

	memset(&r, 0, offsetof(struct np_rec, tcp));
	r.names = (struct np_rec_names){ 0 };
	r.ts_us = ts_us;
	r.kind = NP_REC_HOST_DROP;
	r.worker = o->worker;
	r.ip_ver = h->node.ip_ver;
	memcpy(r.cli, h->node.addr, sizeof(r.cli));
	np_addr_remove(&o->hosts, &h->node);
	o->host_drops++;
	o->event(o->event_ctx, &r);
}

static void
flow_gone(void *ctx, const struct np_flow *f)
{
	struct np_tracker *o = ctx;

	if (f->cli_host != NP_ADDR_NONE)
		host_ref(o, f->cli_host)->use_cnt--;
	if (f->srv_host != NP_ADDR_NONE)
		host_ref(o, f->srv_host)->use_cnt--;
	if (f->http < NP_HTTP_SKIPPED)
		o->http_free[o->http_n_free++] = f->http;
}

/*
 * p0f nuke_hosts(): drop some connections, then the oldest host if no
 * connection uses it. (p0f means to drop 1 + 10 % of the hosts, but walks
 * its list from the oldest toward older ones, so it drops one at most.)
 */
static void
prune_hosts(struct np_tracker *o, uint64_t ts_us)
{
	struct np_host_ref *oldest;

	np_flow_prune(&o->flows);
	oldest = host_ref(o, o->hosts.oldest);
	if (oldest && !oldest->use_cnt)
		drop_host(o, oldest, ts_us);
	/* A flood prunes at every new host: have the next ones at hand, the
	 * oldest's bucket (its node came in with the last call) and the node
	 * after it. */
	if ((oldest = host_ref(o, o->hosts.oldest))) {
		np_addr_prefetch(&o->hosts, oldest->node.addr, oldest->node.ip_ver);
		if (oldest->node.newer != NP_ADDR_NONE)
			__builtin_prefetch(host_ref(o, oldest->node.newer));
	}
}

/* p0f lookup_host() + touch_host() or create_host(), for a new flow. */
static uint32_t
host_for_flow(struct np_tracker *o, const uint8_t *addr, uint8_t ip_ver, uint64_t ts_us)
{
	uint32_t now_s = (uint32_t)(ts_us / 1000000);
	struct np_host_ref *h = (struct np_host_ref *)np_addr_lookup(&o->hosts, addr, ip_ver);

	if (h) {
		np_addr_touch(&o->hosts, &h->node);
	} else {
		if (o->hosts.count > o->max_hosts)
			prune_hosts(o, ts_us);
		h = (struct np_host_ref *)np_addr_insert(&o->hosts, addr, ip_ver);
		while (!h) {
			/* Never with the capacity np_tracker_host_capacity() gives;
			 * if it happens, the least recent unused host makes room. */
			struct np_host_ref *v = host_ref(o, o->hosts.oldest);

			while (v && v->use_cnt)
				v = host_ref(o, v->node.newer);
			if (!v)
				return NP_ADDR_NONE;
			drop_host(o, v, ts_us);
			h = (struct np_host_ref *)np_addr_insert(&o->hosts, addr, ip_ver);
		}
	}
	h->last_seen = now_s;
	h->use_cnt++;
	return np_addr_index(&o->hosts, &h->node);
}

/* p0f expire_cache(), host part: idle and unused, oldest first. */
static void
expire_hosts(struct np_tracker *o, uint64_t ts_us)
{
	uint32_t now_s = (uint32_t)(ts_us / 1000000);
	struct np_host_ref *h = host_ref(o, o->hosts.oldest);

	while (h && now_s - h->last_seen > o->host_idle_s) {
		struct np_host_ref *newer = host_ref(o, h->node.newer);

		if (!h->use_cnt)
			drop_host(o, h, ts_us);
		h = newer;
	}
}

/* p0f create_flow_from_syn(). */
static struct np_flow *
create_flow(struct np_tracker *o, const struct np_packet *pk, uint64_t ts_us)
{
	struct np_flow_table *t = &o->flows;

	np_flow_make_room(t);
	NP_STAGE(HOST);
	uint32_t cli = host_for_flow(o, pk->src, pk->ip_ver, ts_us);
	uint32_t srv = host_for_flow(o, pk->dst, pk->ip_ver, ts_us);
	NP_STAGE_END();
	struct np_flow *f = np_flow_insert(t, pk, (uint32_t)(ts_us / 1000000));

	f->cli_host = cli;
	f->srv_host = srv;
	o->serial[np_flow_index(t, f)] = ++o->next_serial;
	return f;
}

int
np_tracker_init(struct np_tracker *o, uint32_t max_conn, uint32_t conn_max_age,
		 uint32_t max_hosts, uint32_t host_idle_min, np_event_fn event, void *event_ctx)
{
	int rc;

	memset(o, 0, sizeof(*o));
	if ((rc = np_flow_table_init(&o->flows, max_conn, conn_max_age)))
		return rc;
	if ((rc = np_addr_table_init(&o->hosts, np_tracker_host_capacity(max_conn, max_hosts),
				     sizeof(struct np_host_ref)))) {
		np_flow_table_fini(&o->flows);
		return rc;
	}
	o->flows.on_destroy = flow_gone;
	o->flows.on_destroy_ctx = o;
	o->max_hosts = max_hosts;
	o->host_idle_s = host_idle_min * 60;
	o->clock.interval = NP_EXPIRE_INTERVAL;
	o->tcp_memo.mask = NP_TCP_MEMO_SIZE - 1;
	o->event = event;
	o->event_ctx = event_ctx;

	uint32_t cap = np_flow_capacity(&o->flows);
	/* calloc maps zero pages: an entry is touched when a flow first needs it */
	o->http_cap = cap < NP_HTTP_POOL_MAX ? cap : NP_HTTP_POOL_MAX;
	o->http = calloc(o->http_cap, sizeof(*o->http));
	o->http_free = malloc(o->http_cap * sizeof(*o->http_free));
	o->http_obs = malloc(sizeof(*o->http_obs));
	o->serial = calloc(cap, sizeof(*o->serial));
	if (!o->http || !o->http_free || !o->http_obs || !o->serial ||
	    np_tls_track_init(&o->tls, max_conn, NP_TLS_BUFS_DEFAULT, conn_max_age)) {
		np_tracker_fini(o);
		return -ENOMEM;
	}
	/* lowest entries on top: reuse keeps the touched pages few */
	for (uint32_t i = 0; i < o->http_cap; i++)
		o->http_free[i] = o->http_cap - 1 - i;
	o->http_n_free = o->http_cap;
	return 0;
}

void
np_tracker_limit_http(struct np_tracker *o, uint32_t n)
{
	if (n < o->http_n_free && o->http_n_free == o->http_cap) {
		/* the stack holds cap-1 .. 0 from the bottom: keep the top n */
		memmove(o->http_free, o->http_free + o->http_cap - n, n * sizeof(*o->http_free));
		o->http_n_free = n;
	}
}

void
np_tracker_fini(struct np_tracker *o)
{
	np_flow_table_fini(&o->flows);
	np_addr_table_fini(&o->hosts);
	free(o->http);
	free(o->http_free);
	free(o->http_obs);
	free(o->serial);
	np_tls_track_fini(&o->tls);
	o->http = NULL;
	o->http_obs = NULL;
	o->serial = NULL;
}

void
np_tracker_share(struct np_tracker *o, unsigned n_workers)
{
	o->clock.interval = n_workers > 1 ? (NP_EXPIRE_INTERVAL + n_workers - 1) / n_workers :
					    NP_EXPIRE_INTERVAL;
}

void
np_tracker_tell_expiry(struct np_tracker *o)
{
	o->told_expiry = true;
}

void
np_tracker_expire(struct np_tracker *o, uint64_t ts_us)
{
	np_flow_expire(&o->flows, (uint32_t)(ts_us / 1000000));
	expire_hosts(o, ts_us);
}

void
np_tracker_tick(struct np_tracker *o, uint64_t ts_us)
{
	if (o->told_expiry)
		o->clock.packets++;
	else if (np_expiry_due(&o->clock, ts_us))
		np_tracker_expire(o, ts_us);
}

static struct np_rec *
record_head(struct np_tracker *o, struct np_observation *out, enum np_rec_kind kind,
	    const struct np_flow *f, bool to_srv, uint64_t ts_us, uint32_t db_gen)
{
	struct np_rec *r = &out->rec[out->n++];
	unsigned alen = f->ip_ver == 4 ? 4 : 16;
	uint32_t slot = np_flow_index(&o->flows, f);

	memset(r, 0, offsetof(struct np_rec, tcp));
	r->ts_us = ts_us;
	r->db_gen = db_gen;
	r->flow_slot = slot;
	r->flow_serial = o->serial[slot];
	r->kind = (uint8_t)kind;
	r->ip_ver = f->ip_ver;
	r->to_srv = to_srv;
	r->worker = o->worker;
	r->sendsyn = f->sendsyn;
	r->cli_port = f->cli_port;
	r->srv_port = f->srv_port;
	memcpy(r->cli, f->cli, alen);
	memcpy(r->srv, f->srv, alen);
	return r;
}

/*
 * p0f fingerprint_tcp() and, when it keeps the signature, fingerprint_mtu():
 * one record. Returns false when p0f returns no signature (a tool, or a
 * p0f-sendsyn exchange).
 */
static bool
fingerprint_tcp(struct np_tracker *o, const struct np_db *db, uint32_t db_gen, bool to_srv,
		const struct np_packet *pk, struct np_flow *f, uint64_t ts_us,
		struct np_observation *out)
{
	enum np_dir dir = to_srv ? NP_DIR_REQUEST : NP_DIR_RESPONSE;
	const struct np_label *lb = NULL;
	struct np_tcp_match m;

	NP_STAGE(RECORD);
	if (pk->tcp_type == NP_TCP_SYN && pk->win == NP_SPECIAL_WIN && pk->mss == NP_SPECIAL_MSS)
		f->sendsyn = 1;

	struct np_rec *r = record_head(o, out,
		to_srv ? (f->sendsyn ? NP_REC_SENDSYN_PROBE : NP_REC_SYN) :
			 (f->sendsyn ? NP_REC_SENDSYN_RESPONSE : NP_REC_SYNACK),
		f, to_srv, ts_us, db_gen);
	struct np_rec_tcp *t = &r->tcp;

	NP_STAGE_TO(MATCH);
	np_match_tcp_memo(&o->tcp_memo, db, dir, pk, f->syn_mss, &m);
	NP_STAGE_TO(RECORD);
	memset(t, 0, sizeof(*t));
	if (m.sig >= 0) {
		const struct np_tcp_sig *s = &db->tcp[dir][m.sig];

		lb = np_db_label(db, s->label);
		np_rec_match_fill(&t->m, db, s->label, s->line_no);
		t->flags |= NP_RTCP_MATCHED;
		if (lb->generic)
			t->flags |= NP_RTCP_GENERIC;
		if (m.fuzzy)
			t->flags |= NP_RTCP_FUZZY;
		if (s->bad_ttl)
			t->flags |= NP_RTCP_BAD_TTL;
		if (lb->class_id == -1 || f->sendsyn)
			t->flags |= NP_RTCP_APP;
	}
	t->dist = m.dist;
	t->quirks = pk->quirks;
	t->ts1 = pk->ts1;
	t->mss = pk->mss;
	t->win = pk->win;
	t->win_multi = m.wm.multi;
	t->win_mtu = m.wm.use_mtu;
	t->tot_hdr = pk->tot_hdr;
	t->syn_mss = f->syn_mss;
	t->ttl = pk->ttl;
	t->tos = pk->tos;
	t->ip_opt_len = pk->ip_opt_len;
	t->wscale = pk->wscale;
	t->opt_cnt = pk->opt_cnt;
	t->opt_eol_pad = pk->opt_eol_pad;
	memcpy(t->opt_layout, pk->opt_layout, pk->opt_cnt);
	if (pk->pay_len)
		t->flags |= NP_RTCP_PAYLOAD;
	if (pk->mss == NP_SPECIAL_MSS && pk->tcp_type == (NP_TCP_SYN | NP_TCP_ACK))
		t->flags |= NP_RTCP_MSS_STAR;
	if (pk->tcp_type == NP_TCP_SYN) {
		f->syn_mss = pk->mss;
		f->syn_label = lb && lb->class_id >= 0 && m.sig >= 0 &&
				       db->tcp[dir][m.sig].label < UINT16_MAX ?
				       (uint16_t)(db->tcp[dir][m.sig].label + 1) : 0;
		f->syn_gen = (uint8_t)db_gen;
	}

	bool os_sig = !(lb && lb->class_id == -1) && !f->sendsyn;
	if (os_sig)
		t->flags |= NP_RTCP_OS_SIG;
	/* fingerprint_mtu(), which p0f skips once it has dropped the flow */
	if (os_sig && pk->mss) {	/* its link type: np_rec_resolve() */
		t->flags |= NP_RTCP_HAS_MTU;
		t->mtu = pk->mss + (pk->ip_ver == 4 ? NP_MIN_TCP4 : NP_MIN_TCP6);
	}
	NP_STAGE_END();
	return os_sig;
}

/* p0f check_ts_tcp() runs on the logger; send it the timestamp. */
static void
ts_sample(struct np_tracker *o, const struct np_packet *pk, const struct np_flow *f,
	  bool to_srv, uint64_t ts_us, uint32_t db_gen, struct np_observation *out)
{
	if (!pk->ts1 || f->sendsyn)
		return;
	NP_STAGE(RECORD);
	record_head(o, out, NP_REC_TS, f, to_srv, ts_us, db_gen)->ts1 = pk->ts1;
	NP_STAGE_END();
}

/* A request or response header block is complete: fingerprint it. */
static void
fingerprint_http(struct np_tracker *o, const struct np_db *db, uint32_t db_gen, bool to_srv,
		 const struct np_flow *f, const struct np_http_state *st, uint64_t ts_us,
		 struct np_observation *out)
{
	enum np_dir dir = to_srv ? NP_DIR_REQUEST : NP_DIR_RESPONSE;
	struct np_http_obs *obs = o->http_obs;
	struct np_http_match m;
	struct np_rec *r = record_head(o, out, to_srv ? NP_REC_HTTP_REQUEST : NP_REC_HTTP_RESPONSE,
					  f, to_srv, ts_us, db_gen);
	struct np_rec_http *h = &r->http;

	NP_STAGE(MATCH);
	np_http_observe(db, to_srv, &st->done, st->buf[to_srv], obs);
	np_match_http(db, dir, obs, &m);
	NP_STAGE_TO(RECORD);
	memset(h, 0, sizeof(*h));
	h->ua_os = -1;
	if (m.sig >= 0) {
		const struct np_http_sig *s = &db->http[dir][m.sig];
		const struct np_label *lb = np_db_label(db, s->label);

		np_rec_match_fill(&h->m, db, s->label, s->line_no);
		h->flags |= NP_RHTTP_MATCHED;
		if (lb->generic)
			h->flags |= NP_RHTTP_GENERIC;
		if (m.dishonest)
			h->flags |= NP_RHTTP_DISHONEST;
		if (to_srv && lb->class_id == -1 && obs->sw && !m.dishonest)
			h->ua_os = np_match_ua_os(db, obs->sw);
	}
	if (!obs->sw)
		h->flags |= NP_RHTTP_ANONYMOUS;
	if (obs->via)
		h->flags |= NP_RHTTP_VIA;
	if (obs->lang) {
		/* p0f looks at three characters: two letters, then a non-letter */
		h->lang[0] = obs->lang[0];
		h->lang[1] = obs->lang[0] ? obs->lang[1] : 0;
		h->lang[2] = h->lang[1] ? obs->lang[2] : 0;
	}
	if (obs->date)
		snprintf(h->date, sizeof(h->date), "%s", obs->date);
	np_observation_tail_done(out, (uint16_t)np_format_http_sig(np_observation_tail_room(out),
								  NP_HTTP_SIG_MAX, db, to_srv, obs));
	NP_STAGE_END();
}

/*
 * An in-order data segment (p0f flow_dispatch, ACK case). Returns false
 * when p0f would stop following the flow.
 */
static bool
take_data(struct np_tracker *o, const struct np_db *db, uint32_t db_gen, struct np_flow *f,
	  bool to_srv, const struct np_packet *pk, uint64_t ts_us, struct np_observation *out)
{
	enum np_http_event ev;

	if (!pk->pay_len)
		return true;
	if (f->http == NP_HTTP_SKIPPED)
		return true;
	if (f->http == NP_NO_HTTP) {
		if (!o->http_n_free) {
			o->http_no_state++;	/* tracked still, its HTTP not followed */
			f->http = NP_HTTP_SKIPPED;
			return true;
		}
		f->http = o->http_free[--o->http_n_free];
		np_http_reset(&o->http[f->http]);
	}
	struct np_http_state *st = &o->http[f->http];
	np_http_append(st, to_srv, pk->payload, pk->pay_len);
	bool keep = np_http_process(st, to_srv, &ev);
	if (ev != NP_HTTP_NONE)
		fingerprint_http(o, db, db_gen, ev == NP_HTTP_REQUEST, f, st, ts_us, out);
	return keep && (st->len[0] < NP_HTTP_MAX_DATA || st->len[1] < NP_HTTP_MAX_DATA);
}

void
np_track(struct np_tracker *o, const struct np_db *db, uint32_t db_gen,
	 const struct np_packet *pk, uint64_t ts_us, struct np_observation *out)
{
	np_track_hashed(o, db, db_gen, pk, np_flow_hash(pk), ts_us, out);
}

void
np_track_hashed(struct np_tracker *o, const struct np_db *db, uint32_t db_gen,
		const struct np_packet *pk, uint32_t hash, uint64_t ts_us,
		struct np_observation *out)
{
	struct np_flow_table *t = &o->flows;
	bool to_srv = false;
	struct np_flow *f = np_flow_lookup_hash(t, pk, hash, &to_srv);

	np_observation_clear(out);
	/* TLS first: p0f may end the flow below, and with it what it knows. */
	struct np_tls_tcp_hint hint = { .hash = hash, .syn_label = -1 };

	if (f) {
		if (f->syn_label && f->syn_gen == (uint8_t)db_gen)
			hint.syn_label = (int32_t)f->syn_label - 1;
		hint.seq_known = f->acked;
		hint.no_data_yet = f->http == NP_NO_HTTP;
		hint.to_srv = to_srv;
		hint.snd_next = to_srv ? f->next_cli_seq : f->next_srv_seq;
		hint.rcv_next = to_srv ? f->next_srv_seq : f->next_cli_seq;
	}
	NP_STAGE(PAYLOAD);
	np_tls_track_tcp(&o->tls, db, db_gen, pk, &hint, ts_us, o->worker, out);
	NP_STAGE_END();
	switch (pk->tcp_type) {
	case NP_TCP_SYN:
		if (f) {
			if (to_srv && f->next_cli_seq - 1 == pk->seq)
				return;	/* retransmission */
			np_flow_destroy(t, f);
		}
		f = create_flow(o, pk, ts_us);
		if (!fingerprint_tcp(o, db, db_gen, true, pk, f, ts_us, out) && !f->sendsyn)
			np_flow_destroy(t, f);
		return;

	case NP_TCP_SYN | NP_TCP_ACK:
		if (!f)
			return;
		if (f->sendsyn) {
			fingerprint_tcp(o, db, db_gen, false, pk, f, ts_us, out);
			np_flow_destroy(t, f);
			return;
		}
		if (to_srv || f->acked)
			return;
		f->acked = 1;
		if (!fingerprint_tcp(o, db, db_gen, false, pk, f, ts_us, out)) {
			np_flow_destroy(t, f);
			return;
		}
		f->next_srv_seq = pk->seq + 1;
		return;

	case NP_TCP_RST | NP_TCP_ACK:
	case NP_TCP_RST:
	case NP_TCP_FIN | NP_TCP_ACK:
	case NP_TCP_FIN:
		if (f) {
			ts_sample(o, pk, f, to_srv, ts_us, db_gen, out);
			np_flow_destroy(t, f);
		}
		return;

	case NP_TCP_ACK:
		if (!f)
			return;
		if (f->sendsyn || !f->acked) {
			np_flow_destroy(t, f);
			return;
		}
		/* Out of order: p0f does not reassemble. */
		if (pk->seq != (to_srv ? f->next_cli_seq : f->next_srv_seq))
			return;
		ts_sample(o, pk, f, to_srv, ts_us, db_gen, out);
		if (to_srv)
			f->next_cli_seq += pk->pay_len;
		else
			f->next_srv_seq += pk->pay_len;
		NP_STAGE(PAYLOAD);
		bool keep = take_data(o, db, db_gen, f, to_srv, pk, ts_us, out);
		NP_STAGE_END();
		if (!keep)
			np_flow_destroy(t, f);
		return;

	default:
		return;
	}
}

void
np_track_udp(struct np_tracker *o, const struct np_db *db, uint32_t db_gen,
	       const struct np_udp *u, uint64_t ts_us, struct np_observation *out)
{
	np_observation_clear(out);
	NP_STAGE(PAYLOAD);
	np_tls_track_udp(&o->tls, db, db_gen, u, ts_us, o->worker, out);
	NP_STAGE_END();
}
