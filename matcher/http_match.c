/* SPDX-License-Identifier: MIT */
/*
 * HTTP signatures from traffic, matching and raw_sig, as p0f 3.09b does:
 * header names are ids when the database knows the exact (case-sensitive)
 * name, literal text otherwise; values are kept as NUL-terminated copies so
 * substring tests stop where p0f's stop.
 */
#include <string.h>

#include "http_match.h"
#include "http_sig.h"
#include "strbuf.h"

/* Copy len bytes into the scratch area, NUL-terminated. */
static const char *
keep(struct np_http_obs *o, size_t *used, const uint8_t *s, size_t len)
{
	char *d = o->scratch + *used;

	memcpy(d, s, len);
	d[len] = 0;
	*used += len + 1;
	return d;
}

void
np_http_observe(const struct np_db *db, bool to_srv, const struct np_http_msg *msg,
		const uint8_t *buf, struct np_http_obs *o)
{
	size_t used = 0;

	memset(&o->sig, 0, sizeof(o->sig));
	o->sw = o->lang = o->via = o->date = NULL;
	o->sig.http_ver = msg->http_ver;
	o->sig.hdr_cnt = msg->hdr_cnt;

	for (unsigned i = 0; i < msg->hdr_cnt; i++) {
		const struct np_http_line *l = &msg->hdr[i];
		struct np_http_hdr *h = &o->sig.hdr[i];

		h->id = np_http_hdr_lookup(db, (const char *)buf + l->name_off, l->name_len);
		o->names[i] = h->id == NP_HTTP_UNKNOWN_HDR ?
				      keep(o, &used, buf + l->name_off, l->name_len) : NULL;
		h->value = NULL;
		if (!l->val_len)
			continue;
		h->value = keep(o, &used, buf + l->val_off, l->val_len);
		switch (h->id) {
		case NP_HDR_UA:
			if (to_srv)
				o->sw = h->value;
			break;
		case NP_HDR_SERVER:
			if (!to_srv)
				o->sw = h->value;
			break;
		case NP_HDR_ACCEPT_LANGUAGE:
			if (to_srv)
				o->lang = h->value;
			break;
		case NP_HDR_VIA:
		case NP_HDR_XFF:
			o->via = h->value;
			break;
		case NP_HDR_DATE:
			if (!to_srv)
				o->date = h->value;
			break;
		default:
			break;
		}
	}
}

void
np_match_http(const struct np_db *db, enum np_dir dir, const struct np_http_obs *o,
	      struct np_http_match *m)
{
	const struct np_http_sig *sigs = db->http[dir];
	uint64_t have = np_http_sig_have(&o->sig);

	m->sig = -1;
	m->dishonest = false;
	for (uint32_t i = 0; i < db->n_http[dir]; i++) {
		if ((sigs[i].need & ~have) || !np_http_sig_matches(&sigs[i], &o->sig, false))
			continue;
		if (!db->labels[sigs[i].label].generic) {
			m->sig = (int32_t)i;
			break;
		}
		if (m->sig < 0)
			m->sig = (int32_t)i;
	}
	if (m->sig >= 0) {
		const char *exp = sigs[m->sig].sw;

		m->dishonest = exp && o->sw && !strstr(o->sw, exp);
	}
}

int32_t
np_match_ua_os(const struct np_db *db, const char *sw)
{
	for (uint32_t i = 0; i < db->n_ua_os; i++)
		if (strstr(sw, db->ua_os[i].ua))
			return (int32_t)db->ua_os[i].name_id;
	return -1;
}

/* At most 200 printable characters, stopping at the first one p0f would
 * not show ("]", and "|" for known headers); with brackets: "=[v]". */
static void
put_shown(struct np_sb *o, bool bracket, const char *v, bool no_pipe)
{
	size_t n = 0;

	while (n < 200 && (uint8_t)v[n] >= 0x20 && (uint8_t)v[n] < 0x80 && v[n] != ']' &&
	       !(no_pipe && v[n] == '|'))
		n++;
	if (!n)
		return;
	if (bracket)
		np_sb_mem(o, "=[", 2);
	np_sb_mem(o, v, n);
	if (bracket)
		np_sb_mem(o, "]", 1);
}

size_t
np_format_http_sig(char *buf, size_t len, const struct np_db *db, bool to_srv,
		   const struct np_http_obs *o)
{
	const struct np_http_sig *s = &o->sig;

	if (!len)
		return 0;

	struct np_sb b = np_sb_of(buf, len);

	np_sb_uint(&b, (uint32_t)s->http_ver);	/* as p0f's %u */
	np_sb_mem(&b, ":", 1);
	for (unsigned i = 0; i < s->hdr_cnt; i++) {
		const char *v = s->hdr[i].value;
		uint32_t id = s->hdr[i].id;

		if (i)
			np_sb_mem(&b, ",", 1);
		if (id == NP_HTTP_UNKNOWN_HDR) {
			np_sb_str(&b, o->names[i]);
			if (v)
				put_shown(&b, true, v, false);
			continue;
		}
		bool opt = np_http_hdr_in_list(db, NP_HTTP_LIST_OPTIONAL, to_srv, id);
		if (opt)
			np_sb_mem(&b, "?", 1);
		np_sb_str(&b, db->hdr_names[id]);
		if (v && !opt && !np_http_hdr_in_list(db, NP_HTTP_LIST_SKIPVAL, to_srv, id))
			put_shown(&b, true, v, true);
	}
	np_sb_mem(&b, ":", 1);
	bool first = true;
	for (const char *const *common = np_http_lists[NP_HTTP_LIST_COMMON][to_srv]; *common;
	     common++) {
		unsigned i;

		for (i = 0; i < s->hdr_cnt; i++)
			if (s->hdr[i].id != NP_HTTP_UNKNOWN_HDR &&
			    !strcmp(db->hdr_names[s->hdr[i].id], *common))
				break;
		if (i == s->hdr_cnt) {
			if (!first)
				np_sb_mem(&b, ",", 1);
			np_sb_str(&b, *common);
			first = false;
		}
	}
	np_sb_mem(&b, ":", 1);
	if (o->sw)
		put_shown(&b, false, o->sw, false);
	return b.pos;
}
