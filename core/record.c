/* SPDX-License-Identifier: MIT */
/*
 * Records' database side: the ids a worker puts in a match, and the names
 * they give, resolved where the record is consumed with the database of its
 * generation (record.h).
 */
#include <errno.h>

#include "matcher.h"
#include "record.h"
#include "stage.h"

const char *const np_stage_names[NP_STAGE_COUNT] = {
#define NP_STAGE_NAME_(id, name) name,
	NP_FOREACH_STAGE(NP_STAGE_NAME_)
#undef NP_STAGE_NAME_
};

#ifdef NP_STAGE_CYCLES
_Thread_local struct np_stage_clock np_stage_clock;

uint64_t
np_stage_mark_cost(void)
{
	struct np_stage_clock keep = np_stage_clock;
	uint64_t best[9];

	for (unsigned r = 0; r < 9; r++) {
		uint64_t t0 = __rdtsc();

		for (unsigned i = 0; i < 1000; i++)
			np_stage_enter(i & 1 ? NP_STAGE_PARSE : NP_STAGE_FLOW);
		best[r] = (__rdtsc() - t0) / 1000;
	}
	np_stage_clock = keep;
	for (unsigned i = 1; i < 9; i++)	/* insertion sort: the median */
		for (unsigned k = i; k > 0 && best[k - 1] > best[k]; k--) {
			uint64_t t = best[k];

			best[k] = best[k - 1];
			best[k - 1] = t;
		}
	return best[4];
}
#endif

const char *const np_rec_kind_names[NP_REC_KIND_COUNT] = {
#define NP_REC_NAME_(id, name) name,
	NP_FOREACH_REC_KIND(NP_REC_NAME_)
#undef NP_REC_NAME_
};

void
np_rec_match_fill(struct np_rec_match *m, const struct np_db *db, uint32_t label,
		  uint32_t line_no)
{
	const struct np_label *lb = np_db_label(db, label);

	m->label = label;
	m->line_no = line_no;
	m->class_id = lb->class_id;
	m->name_id = lb->name_id;
	m->label_id = lb->label_id;
}

/* The match a record of this kind carries, if it matched. */
static const struct np_rec_match *
matched(const struct np_rec *r)
{
	switch (r->kind) {
	case NP_REC_SYN:
	case NP_REC_SYNACK:
	case NP_REC_SENDSYN_PROBE:
	case NP_REC_SENDSYN_RESPONSE:
		return (r->tcp.flags & NP_RTCP_MATCHED) ? &r->tcp.m : NULL;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		return (r->http.flags & NP_RHTTP_MATCHED) ? &r->http.m : NULL;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		return (r->tls.flags & NP_RTLS_MATCHED) ? &r->tls.m : NULL;
	default:
		return NULL;
	}
}

void
np_rec_resolve(struct np_rec *r, const struct np_db *db)
{
	const struct np_rec_match *m = matched(r);
	struct np_rec_names *n = &r->names;

	*n = (struct np_rec_names){ 0 };
	if (!db)
		return;
	if (m && m->label < db->n_labels) {
		const struct np_label *lb = np_db_label(db, m->label);

		n->label = lb->text;
		n->name = db->names[lb->name_id];
		n->flavor = lb->flavor ? lb->flavor : "";
		n->class_name = lb->class_id >= 0 ? db->classes[lb->class_id] : NULL;
		n->sys = lb->sys;
		n->sys_cnt = lb->sys_cnt;
	}
	if (r->kind <= NP_REC_SENDSYN_RESPONSE && (r->tcp.flags & NP_RTCP_HAS_MTU))
		n->link = np_match_mtu(db, r->tcp.mtu);
	else if (r->kind == NP_REC_MTU)
		n->link = np_match_mtu(db, r->mtu.mtu);
}

size_t
np_rec_pack(const struct np_rec *r, const char *tail, uint64_t db_digest, uint8_t *out,
	    size_t cap)
{
	size_t body = np_rec_wire_size(r->kind), tail_len = tail ? r->tail_len : 0;
	uint16_t bom = 0x0102, tl = (uint16_t)tail_len;

	if (r->kind >= NP_REC_KIND_COUNT || tail_len > NP_TAIL_MAX ||
	    NP_REC_PACK_HEAD + body + tail_len > cap)
		return 0;
	memset(out, 0, NP_REC_PACK_HEAD);
	out[0] = 'n';
	out[1] = 'p';
	out[2] = NP_REC_PACK_VERSION;
	out[3] = r->kind;
	memcpy(out + 4, &bom, 2);
	memcpy(out + 6, &tl, 2);
	memcpy(out + 8, &db_digest, 8);
	memcpy(out + NP_REC_PACK_HEAD, r, body);
	memcpy(out + NP_REC_PACK_HEAD + 6, &tl, 2);	/* the header's tail_len: what is here */
	if (tail_len)
		memcpy(out + NP_REC_PACK_HEAD + body, tail, tail_len);
	return NP_REC_PACK_HEAD + body + tail_len;
}

_Static_assert(offsetof(struct np_rec, tail_len) == 6, "np_rec_pack() writes it there");

int
np_rec_unpack(const uint8_t *in, size_t len, struct np_rec *r, char *tail, uint64_t *db_digest)
{
	uint16_t bom, tl;
	size_t body;

	if (len < NP_REC_PACK_HEAD || in[0] != 'n' || in[1] != 'p')
		return -EINVAL;
	memcpy(&bom, in + 4, 2);
	if (in[2] != NP_REC_PACK_VERSION || bom != 0x0102)
		return -EPROTO;
	memcpy(&tl, in + 6, 2);
	if (in[3] >= NP_REC_KIND_COUNT || tl > NP_TAIL_MAX)
		return -EINVAL;
	body = np_rec_wire_size(in[3]);
	if (len != NP_REC_PACK_HEAD + body + tl)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	memcpy(r, in + NP_REC_PACK_HEAD, body);
	if (r->kind != in[3] || r->tail_len != tl)
		return -EINVAL;
	memcpy(tail, in + NP_REC_PACK_HEAD + body, tl);
	tail[tl] = 0;	/* a TLS record's tail is bytes, the others' text */
	memcpy(db_digest, in + 8, 8);
	return 0;
}

/* A fixed-size string field holds its NUL. */
#define NP_TERMINATED(a) (memchr((a), 0, sizeof(a)) != NULL)

int
np_rec_check(struct np_rec *r, const struct np_db *db)
{
	struct np_rec_match *m = NULL;

	if (r->ip_ver != 4 && r->ip_ver != 6)
		return -EINVAL;
	switch (r->kind) {
	case NP_REC_SYN:
	case NP_REC_SYNACK:
	case NP_REC_SENDSYN_PROBE:
	case NP_REC_SENDSYN_RESPONSE:
		if (r->tcp.opt_cnt > NP_MAX_TCP_OPT)
			return -EINVAL;
		m = (r->tcp.flags & NP_RTCP_MATCHED) ? &r->tcp.m : NULL;
		break;
	case NP_REC_HTTP_REQUEST:
	case NP_REC_HTTP_RESPONSE:
		if (!NP_TERMINATED(r->http.date))	/* lang: three characters, no NUL */
			return -EINVAL;
		m = (r->http.flags & NP_RHTTP_MATCHED) ? &r->http.m : NULL;
		break;
	case NP_REC_TLS_CLIENT:
	case NP_REC_TLS_SERVER:
		if (!NP_TERMINATED(r->tls.sig))
			return -EINVAL;
		for (const char *c = r->tls.sig; *c; c++)	/* JA4's and JA3S's alphabet */
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				return -EINVAL;
		m = (r->tls.flags & NP_RTLS_MATCHED) ? &r->tls.m : NULL;
		break;
	case NP_REC_TS:
	case NP_REC_HOST_DROP:
		break;
	default:
		return -EINVAL;	/* made by the host logic, not given to it */
	}
	if (m) {
		if (!db || m->label >= db->n_labels)
			return -EINVAL;
		np_rec_match_fill(m, db, m->label, m->line_no);
	}
	return 0;
}
