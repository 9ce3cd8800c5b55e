/* SPDX-License-Identifier: MIT */
/*
 * Records' database side: the ids a worker puts in a match, and the names
 * they give, resolved where the record is consumed with the database of its
 * generation (record.h).
 */
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
