/* SPDX-License-Identifier: MIT */
/*
 * p0f 3.09b's flow_dispatch(), fingerprint_tcp() and fingerprint_mtu(),
 * producing records instead of printing. The HTTP handling here only
 * decides how long a flow lives (p0f drops flows that are not HTTP).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"
#include "observer.h"

#define NP_EXPIRE_INTERVAL 50	/* p0f: expiry every 50 packets */
#define NP_SPECIAL_MSS 1331	/* p0f-sendsyn */
#define NP_SPECIAL_WIN 1337

const char *const np_rec_kind_names[NP_REC_KIND_COUNT] = {
#define NP_REC_NAME_(id, name) name,
	NP_FOREACH_REC_KIND(NP_REC_NAME_)
#undef NP_REC_NAME_
};

int
np_observer_init(struct np_observer *o, uint32_t max_conn, uint32_t conn_max_age)
{
	int rc;

	memset(o, 0, sizeof(*o));
	if ((rc = np_flow_table_init(&o->flows, max_conn, conn_max_age)))
		return rc;
	/* calloc of a large block maps zero pages: only flows with data touch it */
	o->http = calloc(np_flow_capacity(&o->flows), sizeof(*o->http));
	if (!o->http) {
		np_flow_table_fini(&o->flows);
		return -ENOMEM;
	}
	return 0;
}

void
np_observer_fini(struct np_observer *o)
{
	np_flow_table_fini(&o->flows);
	free(o->http);
	o->http = NULL;
}

void
np_observer_tick(struct np_observer *o, uint64_t ts_us)
{
	uint32_t now_s = (uint32_t)(ts_us / 1000000);

	if (++o->p0f_packets % NP_EXPIRE_INTERVAL)
		return;
	if (now_s == o->last_expire_s)
		return;
	o->last_expire_s = now_s;
	np_flow_expire(&o->flows, now_s);
}

static void
record_head(struct np_record *r, enum np_rec_kind kind, const struct np_flow *f, bool to_srv,
	    uint64_t ts_us, uint32_t db_gen)
{
	unsigned alen = f->ip_ver == 4 ? 4 : 16;

	memset(r, 0, offsetof(struct np_record, tcp));
	r->ts_us = ts_us;
	r->db_gen = db_gen;
	r->kind = (uint8_t)kind;
	r->ip_ver = f->ip_ver;
	r->to_srv = to_srv;
	r->cli_port = f->cli_port;
	r->srv_port = f->srv_port;
	memcpy(r->cli, f->cli, alen);
	memcpy(r->srv, f->srv, alen);
}

/*
 * p0f fingerprint_tcp(): match, fill the record. Returns false when p0f
 * returns no signature (a tool, or a p0f-sendsyn exchange).
 */
static bool
fingerprint_tcp(const struct np_db *db, uint32_t db_gen, bool to_srv, const struct np_packet *pk,
		struct np_flow *f, uint64_t ts_us, struct np_record *r)
{
	struct np_tcp_match m;
	const struct np_label *lb = NULL;
	struct np_rec_tcp *t = &r->tcp;

	if (pk->tcp_type == NP_TCP_SYN && pk->win == NP_SPECIAL_WIN && pk->mss == NP_SPECIAL_MSS)
		f->sendsyn = 1;

	record_head(r, to_srv ? (f->sendsyn ? NP_REC_SENDSYN_PROBE : NP_REC_SYN) :
				(f->sendsyn ? NP_REC_SENDSYN_RESPONSE : NP_REC_SYNACK),
		    f, to_srv, ts_us, db_gen);
	np_match_tcp(db, to_srv ? NP_DIR_REQUEST : NP_DIR_RESPONSE, pk, f->syn_mss, &m);

	memset(t, 0, sizeof(*t));
	if (m.sig >= 0) {
		const struct np_tcp_sig *s = &db->tcp[to_srv ? NP_DIR_REQUEST : NP_DIR_RESPONSE][m.sig];

		lb = np_db_label(db, s->label);
		memcpy(t->label, lb->text, sizeof(t->label));
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
	t->mss = pk->mss;
	t->win = pk->win;
	t->win_multi = m.wm.multi;
	t->win_mtu = m.wm.use_mtu;
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

	if (pk->tcp_type == NP_TCP_SYN)
		f->syn_mss = pk->mss;
	return !(lb && lb->class_id == -1) && !f->sendsyn;
}

/* p0f fingerprint_mtu(): a record when the packet carries an MSS. */
static unsigned
fingerprint_mtu(const struct np_db *db, uint32_t db_gen, bool to_srv, const struct np_packet *pk,
		const struct np_flow *f, uint64_t ts_us, struct np_record *r)
{
	if (!pk->mss || f->sendsyn)
		return 0;
	record_head(r, NP_REC_MTU, f, to_srv, ts_us, db_gen);
	r->mtu.mtu = pk->mss + (pk->ip_ver == 4 ? NP_MIN_TCP4 : NP_MIN_TCP6);
	const char *link = np_match_mtu(db, r->mtu.mtu);
	r->mtu.link[0] = 0;
	if (link)
		memcpy(r->mtu.link, link, strlen(link) + 1);
	return 1;
}

/*
 * An in-order data segment (p0f flow_dispatch, ACK case). Returns false
 * when p0f would stop following the flow.
 */
static bool
take_data(struct np_observer *o, struct np_flow *f, bool to_srv, const struct np_packet *pk)
{
	struct np_http_state *st = &o->http[np_flow_index(&o->flows, f)];
	enum np_http_event ev;

	if (!pk->pay_len)
		return true;
	if (!f->has_data) {
		np_http_reset(st);
		f->has_data = 1;
	}
	np_http_append(st, to_srv, pk->payload, pk->pay_len);
	if (!np_http_process(st, to_srv, &ev))
		return false;
	return st->len[0] < NP_HTTP_MAX_DATA || st->len[1] < NP_HTTP_MAX_DATA;
}

unsigned
np_observe(struct np_observer *o, const struct np_db *db, uint32_t db_gen,
	   const struct np_packet *pk, uint64_t ts_us, struct np_record *out)
{
	struct np_flow_table *t = &o->flows;
	bool to_srv = false;
	struct np_flow *f = np_flow_lookup(t, pk, &to_srv);
	unsigned n = 0;

	switch (pk->tcp_type) {
	case NP_TCP_SYN:
		if (f) {
			if (to_srv && f->next_cli_seq - 1 == pk->seq)
				return 0;	/* retransmission */
			np_flow_destroy(t, f);
		}
		f = np_flow_create(t, pk, (uint32_t)(ts_us / 1000000));
		bool os = fingerprint_tcp(db, db_gen, true, pk, f, ts_us, &out[n++]);
		if (!os && !f->sendsyn) {
			np_flow_destroy(t, f);
			return n;
		}
		n += fingerprint_mtu(db, db_gen, true, pk, f, ts_us, &out[n]);
		return n;

	case NP_TCP_SYN | NP_TCP_ACK:
		if (!f)
			return 0;
		if (f->sendsyn) {
			fingerprint_tcp(db, db_gen, false, pk, f, ts_us, &out[n++]);
			np_flow_destroy(t, f);
			return n;
		}
		if (to_srv || f->acked)
			return 0;
		f->acked = 1;
		if (!fingerprint_tcp(db, db_gen, false, pk, f, ts_us, &out[n++])) {
			np_flow_destroy(t, f);
			return n;
		}
		n += fingerprint_mtu(db, db_gen, false, pk, f, ts_us, &out[n]);
		f->next_srv_seq = pk->seq + 1;
		return n;

	case NP_TCP_RST | NP_TCP_ACK:
	case NP_TCP_RST:
	case NP_TCP_FIN | NP_TCP_ACK:
	case NP_TCP_FIN:
		if (f)
			np_flow_destroy(t, f);
		return 0;

	case NP_TCP_ACK:
		if (!f)
			return 0;
		if (f->sendsyn || !f->acked) {
			np_flow_destroy(t, f);
			return 0;
		}
		/* Out of order: p0f does not reassemble. */
		if (pk->seq != (to_srv ? f->next_cli_seq : f->next_srv_seq))
			return 0;
		if (to_srv)
			f->next_cli_seq += pk->pay_len;
		else
			f->next_srv_seq += pk->pay_len;
		if (!take_data(o, f, to_srv, pk))
			np_flow_destroy(t, f);
		return 0;

	default:
		return 0;
	}
}
