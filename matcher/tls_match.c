/* SPDX-License-Identifier: MIT */
/*
 * TLS signature lookup: one probe of the index per part layout the
 * database uses, most parts first; among layouts with as many parts, the
 * earliest loaded signature wins.
 */
#include "tls_match.h"

/* Part layouts by how many parts they give, most first. */
static const uint8_t layout_order[8] = { 7, 3, 5, 6, 1, 2, 4, 0 };

static unsigned
popcount3(uint8_t v)
{
	return (v & 1u) + ((v >> 1) & 1u) + ((v >> 2) & 1u);
}

/* The signature filed under this layout that covers fp, or -1. */
static int32_t
probe(const struct np_db *db, const struct np_tls_index *ix, int dir, const char *fp,
      uint8_t parts)
{
	bool client = dir == NP_DIR_REQUEST;
	uint32_t h = np_tls_key_hash(fp, client, parts);

	for (uint32_t v; (v = ix->slots[h & ix->mask]); h++) {
		const struct np_tls_sig *s = &db->tls[dir][v - 1];

		if (s->parts == parts && np_tls_sig_covers(s, fp, client))
			return (int32_t)(v - 1);
	}
	return -1;
}

void
np_match_tls(const struct np_db *db, enum np_dir dir, const char *fp, struct np_tls_match *m)
{
	const struct np_tls_index *ix = db->tls_index[dir];
	unsigned best_parts = 0;

	m->sig = -1;
	m->exact = false;
	if (!ix || !ix->layouts)
		return;
	for (unsigned i = 0; i < 8; i++) {
		uint8_t parts = layout_order[i];

		if (!(ix->layouts & (1u << parts)))
			continue;
		if (m->sig >= 0 && popcount3(parts) < best_parts)
			break;	/* a more specific layout already matched */
		int32_t s = probe(db, ix, dir, fp, parts);

		if (s >= 0 && (m->sig < 0 || s < m->sig)) {
			m->sig = s;
			best_parts = popcount3(parts);
		}
	}
	if (m->sig >= 0) {
		uint8_t all = dir == NP_DIR_REQUEST ? NP_TLS_ALL_PARTS : 1;

		m->exact = db->tls[dir][m->sig].parts == all;
	}
}

bool
np_tls_os_mismatch(const struct np_label *tls, uint32_t os_name_id, int32_t os_class_id)
{
	if (tls->class_id >= 0)
		return tls->name_id != os_name_id;
	if (!tls->sys_cnt)
		return false;
	for (uint32_t i = 0; i < tls->sys_cnt; i++) {
		uint32_t e = tls->sys[i];

		if (e & NP_SYS_CLASS ? os_class_id >= 0 && (e & ~NP_SYS_CLASS) == (uint32_t)os_class_id :
				       e == os_name_id)
			return false;
	}
	return true;
}
