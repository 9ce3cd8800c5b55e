/* SPDX-License-Identifier: MIT */
/*
 * HTTP signatures from traffic, matching and raw_sig, as p0f 3.09b does:
 * header names are ids when the database knows the exact (case-sensitive)
 * name, literal text otherwise; values are kept as NUL-terminated copies so
 * substring tests stop where p0f's stop.
 */
#include <stdio.h>
#include <string.h>

#include "http_match.h"
#include "http_sig.h"

static uint32_t
known_hdr_id(const struct np_db *db, const uint8_t *name, size_t len)
{
	for (uint32_t i = 0; i < db->n_hdr_names; i++)
		if (!strncmp((const char *)name, db->hdr_names[i], len) && !db->hdr_names[i][len])
			return i;
	return NP_HTTP_UNKNOWN_HDR;
}

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

		h->id = known_hdr_id(db, buf + l->name_off, l->name_len);
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

	m->sig = -1;
	m->dishonest = false;
	for (uint32_t i = 0; i < db->n_http[dir]; i++) {
		if (!np_http_sig_matches(&sigs[i], &o->sig, false))
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

static bool
in_list(const struct np_db *db, const char *const *list, uint32_t id)
{
	for (; *list; list++)
		if (!strcmp(*list, db->hdr_names[id]))
			return true;
	return false;
}

/* Append at most NP_HTTP_SHOW printable characters, stopping at the first
 * one p0f would not show ("]", and "|" for known headers). */
static size_t
put_shown(char *buf, size_t len, size_t p, const char *pre, const char *v, bool no_pipe)
{
	size_t n = 0;

	while (n < 200 && (uint8_t)v[n] >= 0x20 && (uint8_t)v[n] < 0x80 && v[n] != ']' &&
	       !(no_pipe && v[n] == '|'))
		n++;
	if (!n)
		return p;
	int w = snprintf(buf + p, p < len ? len - p : 0, "%s%.*s%s", pre, (int)n, v,
			 *pre ? "]" : "");
	return w > 0 ? p + (size_t)w : p;
}

size_t
np_format_http_sig(char *buf, size_t len, const struct np_db *db, bool to_srv,
		   const struct np_http_obs *o)
{
	const struct np_http_sig *s = &o->sig;
	const char *const *optional = np_http_lists[NP_HTTP_LIST_OPTIONAL][to_srv];
	const char *const *skipval = np_http_lists[NP_HTTP_LIST_SKIPVAL][to_srv];
	const char *const *common = np_http_lists[NP_HTTP_LIST_COMMON][to_srv];
	size_t p = 0;
	int w;

#define PUT(...)                                                                        \
	do {                                                                            \
		w = snprintf(buf + p, p < len ? len - p : 0, __VA_ARGS__);              \
		if (w > 0)                                                              \
			p += (size_t)w;                                                 \
	} while (0)

	PUT("%u:", (unsigned)s->http_ver);
	for (unsigned i = 0; i < s->hdr_cnt; i++) {
		const char *sep = i ? "," : "";
		const char *v = s->hdr[i].value;

		if (s->hdr[i].id == NP_HTTP_UNKNOWN_HDR) {
			PUT("%s%s", sep, o->names[i]);
			if (v)
				p = put_shown(buf, len, p, "=[", v, false);
			continue;
		}
		bool opt = in_list(db, optional, s->hdr[i].id);
		PUT("%s%s%s", sep, opt ? "?" : "", db->hdr_names[s->hdr[i].id]);
		if (v && !opt && !in_list(db, skipval, s->hdr[i].id))
			p = put_shown(buf, len, p, "=[", v, true);
	}
	PUT(":");
	const char *sep = "";
	for (; *common; common++) {
		unsigned i;

		for (i = 0; i < s->hdr_cnt; i++)
			if (s->hdr[i].id != NP_HTTP_UNKNOWN_HDR &&
			    !strcmp(db->hdr_names[s->hdr[i].id], *common))
				break;
		if (i == s->hdr_cnt) {
			PUT("%s%s", sep, *common);
			sep = ",";
		}
	}
	PUT(":");
	if (o->sw)
		p = put_shown(buf, len, p, "", o->sw, false);
#undef PUT
	if (p >= len && len)
		p = len - 1;
	return p;
}
