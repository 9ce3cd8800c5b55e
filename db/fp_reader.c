/* SPDX-License-Identifier: MIT */
/*
 * p0f.fp reader: the line grammar and section state machine of p0f 3.09b's
 * readfp.c, with every error reported as "FILE:LINE: reason" instead of
 * exiting. Signatures already covered by an earlier line are refused, as
 * p0f refuses them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_sig.h"
#include "idmap.h"
#include "tcp_index.h"
#include "tcp_sig.h"
#include "tls_sig.h"

#define NAME_CHARS " ./-_!?()"

/* Everything a database owns lives in one arena, freed in one call. */
struct np_arena {
	struct np_arena *next;
	char data[];
};

enum section { SEC_NONE, SEC_TCP, SEC_HTTP, SEC_MTU, SEC_TLS };
enum state { NEED_SECT, NEED_LABEL, NEED_SYS, NEED_SIG };

struct reader {
	struct np_db *db;
	const char *file;
	unsigned line_no;
	enum section sec;
	enum np_dir dir;
	enum state state;
	int32_t cur_label;	/* index into labels, -1 before the first */
	const char *mtu_link;	/* current [mtu] label */
	uint32_t label_seq;	/* p0f label_id */
	char *err;
	size_t err_len;
	/* growable arrays, moved into the db at the end */
	size_t cap_classes, cap_names, cap_hdrs, cap_labels, cap_tcp[2], cap_mtu, cap_http[2],
		cap_ua, cap_tls[2];
	char *line;		/* the line being read */
	size_t line_cap;
	/* what was read so far, by key (idmap.h): names, and the earlier
	 * signatures that may cover a new one */
	struct np_idmap name_map, class_map, hdr_map, tcp_map[2], http_map[2], tls_map[2];
};

static void *
arena_alloc(struct np_db *db, size_t n)
{
	struct np_arena *a = malloc(sizeof(*a) + n);

	if (!a)
		return NULL;
	a->next = db->arena;
	db->arena = a;
	memset(a->data, 0, n);
	return a->data;
}

void *
np_db_alloc(struct np_db *db, size_t n)
{
	return arena_alloc(db, n);
}

static const char *
arena_strdup(void *ctx, const char *s, size_t len)
{
	struct reader *r = ctx;
	char *d = arena_alloc(r->db, len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

/* Grow *arr (elements of size sz) so that one more fits. */
static int
grow(void **arr, size_t *cap, uint32_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * sz);

	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

#define PUSH(r, arr, n, cap) grow((void **)&(arr), &(cap), (n), sizeof(*(arr)))

static int
fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->err_len, "%s:%u: ", r->file, r->line_no);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->err_len)
		vsnprintf(r->err + n, r->err_len - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool
is_name_char(char c)
{
	return c && (isalnum((unsigned char)c) || strchr(NAME_CHARS, c));
}

static uint64_t
key_nocase(const char *s, size_t len)
{
	uint64_t h = NP_IDMAP_SEED;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)tolower((unsigned char)s[i]);

		h = np_idmap_hash(h, &c, 1);
	}
	return h;
}

/* The id of the string s[0..len) in strs (filed in map by key), or NP_IDMAP_END. */
static uint32_t
find_string(struct reader *r, const struct np_idmap *map, const char *const *strs,
	    const char *s, size_t len, bool nocase)
{
	uint64_t key = nocase ? key_nocase(s, len) : np_idmap_hash(NP_IDMAP_SEED, s, len);

	for (uint32_t i = np_idmap_first(map, key); i != NP_IDMAP_END; i = np_idmap_next(map, i)) {
		r->db->load_compares++;
		if (!(nocase ? strncasecmp : strncmp)(s, strs[i], len) && !strs[i][len])
			return i;
	}
	return NP_IDMAP_END;
}

/* Append a copy of s[0..len) to *strs and file it in map; its id, or NP_IDMAP_END. */
static uint32_t
add_string(struct reader *r, struct np_idmap *map, const char ***strs, uint32_t *n, size_t *cap,
	   const char *s, size_t len, bool nocase)
{
	uint64_t key = nocase ? key_nocase(s, len) : np_idmap_hash(NP_IDMAP_SEED, s, len);

	if (grow((void **)strs, cap, *n, sizeof(**strs)) ||
	    !((*strs)[*n] = arena_strdup(r, s, len)) || np_idmap_add(map, key, *n))
		return NP_IDMAP_END;
	return (*n)++;
}

/* p0f lookup_name_id(): case-insensitive, the first spelling is kept. */
static int
name_id(struct reader *r, const char *name, size_t len, uint32_t *id)
{
	struct np_db *db = r->db;

	*id = find_string(r, &r->name_map, db->names, name, len, true);
	if (*id == NP_IDMAP_END)
		*id = add_string(r, &r->name_map, &db->names, &db->n_names, &r->cap_names, name,
				 len, true);
	return *id == NP_IDMAP_END ? -ENOMEM : 0;
}

static int32_t
class_id(struct reader *r, const char *name, size_t len)
{
	uint32_t id = find_string(r, &r->class_map, r->db->classes, name, len, true);

	return id == NP_IDMAP_END ? -1 : (int32_t)id;
}

/* HTTP header names are case-sensitive ids, as in p0f lookup_hdr(). */
static uint32_t
hdr_id(void *ctx, const char *name, size_t len)
{
	struct reader *r = ctx;
	struct np_db *db = r->db;
	uint32_t id = find_string(r, &r->hdr_map, db->hdr_names, name, len, false);

	if (id == NP_IDMAP_END)
		id = add_string(r, &r->hdr_map, &db->hdr_names, &db->n_hdr_names, &r->cap_hdrs,
				name, len, false);
	return id == NP_IDMAP_END ? UINT32_MAX : id;
}

static int
parse_classes(struct reader *r, const char *val)
{
	struct np_db *db = r->db;

	while (*val) {
		const char *nxt;

		while (*val == ' ' || *val == '\t' || *val == ',')
			val++;
		for (nxt = val; isalnum((unsigned char)*nxt); nxt++)
			;
		if (nxt == val || (*nxt && *nxt != ','))
			return fail(r, "malformed class entry");
		if (class_id(r, val, (size_t)(nxt - val)) < 0 &&	/* else known from an earlier file */
		    add_string(r, &r->class_map, &db->classes, &db->n_classes, &r->cap_classes, val,
			       (size_t)(nxt - val), true) == NP_IDMAP_END)
			return -ENOMEM;
		val = nxt;
	}
	return 0;
}

static int
parse_label(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_label lb = { 0 };
	const char *nxt;
	int rc;

	if (r->sec == SEC_MTU) {
		if (!*val)
			return fail(r, "empty MTU label");
		if (strlen(val) >= NP_LABEL_MAX)
			return fail(r, "MTU label longer than %d characters", NP_LABEL_MAX - 1);
		if (!(r->mtu_link = arena_strdup(r, val, strlen(val))))
			return -ENOMEM;
		return 0;
	}
	if (*val != 's' && *val != 'g')
		return fail(r, "malformed label: expected s: or g:");
	lb.generic = *val == 'g';
	if (val[1] != ':')
		return fail(r, "malformed label");
	val += 2;
	for (nxt = val; isalnum((unsigned char)*nxt) || *nxt == '!'; nxt++)
		;
	if (nxt == val || *nxt != ':')
		return fail(r, "malformed label class");
	if (*val == '!' && val[1] == ':') {
		lb.class_id = -1;
	} else if ((lb.class_id = class_id(r, val, (size_t)(nxt - val))) < 0) {
		return fail(r, "unknown class '%.*s'", (int)(nxt - val), val);
	}
	val = nxt + 1;
	for (nxt = val; is_name_char(*nxt); nxt++)
		;
	if (nxt == val || *nxt != ':')
		return fail(r, "malformed name");
	if ((rc = name_id(r, val, (size_t)(nxt - val), &lb.name_id)))
		return rc;
	if (nxt[1] && !(lb.flavor = arena_strdup(r, nxt + 1, strlen(nxt + 1))))
		return -ENOMEM;
	lb.label_id = ++r->label_seq;

	const char *name = db->names[lb.name_id];
	int n = snprintf(lb.text, sizeof(lb.text), "%s%s%s", name, lb.flavor ? " " : "",
			 lb.flavor ? lb.flavor : "");
	if (n < 0 || (size_t)n >= sizeof(lb.text))
		return fail(r, "label longer than %zu characters", sizeof(lb.text) - 1);

	if (PUSH(r, db->labels, db->n_labels, r->cap_labels))
		return -ENOMEM;
	db->labels[db->n_labels] = lb;
	r->cur_label = (int32_t)db->n_labels++;
	return 0;
}

static int
parse_sys(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	uint32_t *sys = NULL, cnt = 0;
	size_t cap = 0;
	int rc = 0;

	while (*val) {
		const char *nxt;
		bool is_class = false;
		uint32_t id;

		while (*val == ' ' || *val == '\t' || *val == ',')
			val++;
		if (*val == '@') {
			is_class = true;
			val++;
		}
		for (nxt = val; is_name_char(*nxt); nxt++)
			;
		if (nxt == val || (*nxt && *nxt != ',')) {
			rc = fail(r, "malformed sys entry");
			goto out;
		}
		if (is_class) {
			int32_t c = class_id(r, val, (size_t)(nxt - val));

			if (c < 0) {
				rc = fail(r, "unknown class '%.*s'", (int)(nxt - val), val);
				goto out;
			}
			id = (uint32_t)c | NP_SYS_CLASS;
		} else if ((rc = name_id(r, val, (size_t)(nxt - val), &id))) {
			goto out;
		}
		if (cnt == NP_SYS_MAX) {
			rc = fail(r, "more than %d sys entries", NP_SYS_MAX);
			goto out;
		}
		if ((rc = PUSH(r, sys, cnt, cap)))
			goto out;
		sys[cnt++] = id;
		val = nxt;
	}
	uint32_t *owned = arena_alloc(db, cnt * sizeof(*sys) + 1);
	if (!owned) {
		rc = -ENOMEM;
		goto out;
	}
	if (cnt)
		memcpy(owned, sys, cnt * sizeof(*sys));
	db->labels[r->cur_label].sys = owned;
	db->labels[r->cur_label].sys_cnt = cnt;
out:
	free(sys);
	return rc;
}

static int
parse_ua_os(struct reader *r, const char *val)
{
	struct np_db *db = r->db;

	while (*val) {
		const char *nxt;
		struct np_ua_os ua = { 0 };
		int rc;

		for (nxt = val; is_name_char(*nxt); nxt++)
			;
		if (nxt == val)
			return fail(r, "malformed system name");
		if ((rc = name_id(r, val, (size_t)(nxt - val), &ua.name_id)))
			return rc;
		val = nxt;
		if (*val == '=') {
			if (val[1] != '[')
				return fail(r, "missing '[' after '='");
			val += 2;
			for (nxt = val; *nxt && *nxt != ']'; nxt++)
				;
			if (nxt == val || !*nxt)
				return fail(r, "malformed ua_os value");
			if (!(ua.ua = arena_strdup(r, val, (size_t)(nxt - val))))
				return -ENOMEM;
			val = nxt + 1;
		} else {
			ua.ua = db->names[ua.name_id];
		}
		if (PUSH(r, db->ua_os, db->n_ua_os, r->cap_ua))
			return -ENOMEM;
		db->ua_os[db->n_ua_os++] = ua;
		if (*val == ',')
			val++;
	}
	return 0;
}

/*
 * Finding the earlier lines that cover a new one without comparing it with
 * all of them: each specific signature is filed under a key made of the
 * fields a later signature must share with it to be covered exactly (a
 * wildcard files as itself); a new signature looks up every key that could
 * cover it, and the matcher's own test decides among what is found. The
 * earliest covering line is reported, as a scan in file order would.
 */

/* Quirks a "*" signature may lose against either IP version (tcp_sig.c). */
#define STAR_QUIRKS (NP_QUIRKS_V6_ONLY | NP_QUIRK(DF) | NP_QUIRK(NZ_ID) | NP_QUIRK(ZERO_ID))

struct tcp_cover_key {
	uint8_t layout[NP_MAX_TCP_OPT];
	uint8_t opt_cnt, eol_pad, ip_opt_len, star;
	int8_t pay;
	uint8_t win_type;
	uint16_t win;
	int32_t mss, wscale;
	uint32_t quirks;
};

static uint64_t
tcp_key(const struct np_tcp_sig *s, bool star, int32_t mss, int32_t wscale, int8_t pay,
	uint8_t win_type, uint16_t win)
{
	struct tcp_cover_key k;

	memset(&k, 0, sizeof(k));
	memcpy(k.layout, s->opt_layout, s->opt_cnt);
	k.opt_cnt = s->opt_cnt;
	k.eol_pad = s->opt_eol_pad;
	k.ip_opt_len = s->ip_opt_len;
	k.star = star;
	k.pay = pay;
	k.win_type = win_type;
	k.win = win_type == NP_WIN_MOD || win_type == NP_WIN_ANY ? 0 : win;
	k.mss = mss;
	k.wscale = wscale;
	k.quirks = star ? s->quirks & ~STAR_QUIRKS : s->quirks;
	return np_idmap_hash(NP_IDMAP_SEED, &k, sizeof(k));
}

/* The signature's own key, under which it covers later ones. */
static uint64_t
tcp_filing_key(const struct np_tcp_sig *s)
{
	return tcp_key(s, s->ip_ver == -1, s->mss, s->wscale, s->pay_class, s->win_type, s->win);
}

/* The earliest specific signature that covers s exactly, or NP_IDMAP_END. */
static uint32_t
tcp_covering(struct reader *r, const struct np_tcp_sig *s)
{
	const struct np_idmap *map = &r->tcp_map[r->dir];
	const struct np_tcp_sig *sigs = r->db->tcp[r->dir];
	struct np_win_multi wm = np_tcp_win_multi(s, 0);
	struct { uint8_t type; uint16_t win; } wins[4];
	unsigned n_wins = 0;
	uint32_t best = NP_IDMAP_END;

	if (s->win_type != NP_WIN_NORMAL) {
		wins[n_wins++] = (typeof(wins[0])){ s->win_type, s->win };
	} else {
		wins[n_wins++] = (typeof(wins[0])){ NP_WIN_NORMAL, s->win };
		wins[n_wins++] = (typeof(wins[0])){ NP_WIN_MOD, 0 };
		wins[n_wins++] = (typeof(wins[0])){ NP_WIN_ANY, 0 };
		if (wm.multi >= 0)
			wins[n_wins++] = (typeof(wins[0])){ wm.use_mtu ? NP_WIN_MTU : NP_WIN_MSS,
							    (uint16_t)wm.multi };
	}
	/* Each wildcard field: the value itself, or "any" (-1) when it differs. */
	for (unsigned v = 0; v < 16; v++) {
		bool star = v & 1;
		int32_t mss = v & 2 ? -1 : s->mss, wscale = v & 4 ? -1 : s->wscale;
		int8_t pay = v & 8 ? -1 : s->pay_class;

		if (((v & 2) && s->mss == -1) || ((v & 4) && s->wscale == -1) ||
		    ((v & 8) && s->pay_class == -1))
			continue;	/* the same key as without the bit */
		for (unsigned w = 0; w < n_wins; w++) {
			uint64_t key = tcp_key(s, star, mss, wscale, pay, wins[w].type, wins[w].win);

			for (uint32_t i = np_idmap_first(map, key); i != NP_IDMAP_END;
			     i = np_idmap_next(map, i)) {
				r->db->load_compares++;
				if (i < best && np_tcp_sig_check(&sigs[i], s, wm, false) == NP_SIG_EXACT)
					best = i;
			}
		}
	}
	return best;
}

static int
add_tcp_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_tcp_sig s;
	const char *err = np_tcp_sig_parse(val, &s);
	uint32_t n = db->n_tcp[r->dir], cover;

	if (err)
		return fail(r, "%s", err);
	s.line_no = r->line_no;
	s.label = (uint32_t)r->cur_label;

	/* p0f refuses a line that an earlier specific signature matches exactly. */
	if ((cover = tcp_covering(r, &s)) != NP_IDMAP_END)
		return fail(r, "signature already covered by line %u", db->tcp[r->dir][cover].line_no);
	if (PUSH(r, db->tcp[r->dir], n, r->cap_tcp[r->dir]) ||
	    (!db->labels[s.label].generic && np_idmap_add(&r->tcp_map[r->dir], tcp_filing_key(&s), n)))
		return -ENOMEM;
	db->tcp[r->dir][db->n_tcp[r->dir]++] = s;
	return 0;
}

/*
 * HTTP: a covering signature's mandatory headers are all mandatory in the
 * covered one, and each value it gives is a substring of the covered one's
 * value of that header. So a signature with values is filed under one of
 * its headers and a piece of that header's value (HTTP_GRAM bytes, or the
 * whole value if shorter): the piece filed least often so far, so that
 * signatures differing only in their values spread out. One without values
 * is filed under its last-named mandatory header. A new signature looks up
 * each of its mandatory headers, and each piece of each of their values.
 */
#define HTTP_GRAM 4

static uint64_t
http_key(int8_t ver, uint32_t hdr, const char *piece, size_t len)
{
	uint64_t h = np_idmap_hash(NP_IDMAP_SEED, &ver, sizeof(ver));

	h = np_idmap_hash(h, &hdr, sizeof(hdr));
	return np_idmap_hash(h, piece, len);
}

static uint32_t
filed_under(const struct np_idmap *map, uint64_t key)
{
	uint32_t n = 0;

	for (uint32_t i = np_idmap_first(map, key); i != NP_IDMAP_END; i = np_idmap_next(map, i))
		n++;
	return n;
}

static uint64_t
http_filing_key(const struct np_idmap *map, const struct np_http_sig *s)
{
	uint32_t last = NP_IDMAP_END, fewest = UINT32_MAX;
	uint64_t key = 0;

	for (unsigned i = 0; i < s->hdr_cnt; i++) {
		const struct np_http_hdr *h = &s->hdr[i];

		if (h->optional)
			continue;
		if (last == NP_IDMAP_END || h->id > last)
			last = h->id;
		size_t len = h->value ? strlen(h->value) : 0;
		size_t piece = len < HTTP_GRAM ? len : HTTP_GRAM;
		for (size_t at = 0; len && at + piece <= len && fewest; at++) {
			uint64_t k = http_key(s->http_ver, h->id, h->value + at, piece);
			uint32_t n = filed_under(map, k);

			if (n < fewest) {
				fewest = n;
				key = k;
			}
		}
	}
	return fewest != UINT32_MAX ? key : http_key(s->http_ver, last, "", 0);
}

/* Look up key; keep in *best the earliest signature found that covers s. */
static void
http_try(struct reader *r, uint64_t key, const struct np_http_sig *s, uint32_t *best)
{
	const struct np_idmap *map = &r->http_map[r->dir];

	for (uint32_t i = np_idmap_first(map, key); i != NP_IDMAP_END; i = np_idmap_next(map, i)) {
		r->db->load_compares++;
		if (i < *best && np_http_sig_matches(&r->db->http[r->dir][i], s, true))
			*best = i;
	}
}

static uint32_t
http_covering(struct reader *r, const struct np_http_sig *s)
{
	uint32_t best = NP_IDMAP_END;

	for (int v = 0; v < 2; v++) {
		int8_t ver = v ? -1 : s->http_ver;

		if (v && s->http_ver == -1)
			break;
		http_try(r, http_key(ver, NP_IDMAP_END, "", 0), s, &best);	/* no mandatory header */
		for (unsigned i = 0; i < s->hdr_cnt; i++) {
			const struct np_http_hdr *h = &s->hdr[i];
			size_t len = h->value ? strlen(h->value) : 0;

			if (h->optional)
				continue;
			http_try(r, http_key(ver, h->id, "", 0), s, &best);
			for (size_t at = 0; at < len; at++)
				for (size_t piece = 1; piece <= HTTP_GRAM && at + piece <= len; piece++)
					http_try(r, http_key(ver, h->id, h->value + at, piece), s, &best);
		}
	}
	return best;
}

static int
add_http_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_http_sig s;
	const char *err = np_http_sig_parse(val, &s, hdr_id, arena_strdup, r);
	uint32_t n = db->n_http[r->dir], cover;

	if (err)
		return fail(r, "%s", err);
	s.line_no = r->line_no;
	s.label = (uint32_t)r->cur_label;
	if ((cover = http_covering(r, &s)) != NP_IDMAP_END)
		return fail(r, "signature already covered by line %u", db->http[r->dir][cover].line_no);
	if (PUSH(r, db->http[r->dir], n, r->cap_http[r->dir]) ||
	    (!db->labels[s.label].generic &&
	     np_idmap_add(&r->http_map[r->dir], http_filing_key(&r->http_map[r->dir], &s), n)))
		return -ENOMEM;
	db->http[r->dir][db->n_http[r->dir]++] = s;
	return 0;
}

/* TLS: a line covers another when both give the same parts, the same values. */
static uint64_t
tls_key(const struct np_tls_sig *s)
{
	uint64_t h = np_idmap_hash(NP_IDMAP_SEED, &s->parts, sizeof(s->parts));

	return np_idmap_hash(h, s->text, strlen(s->text));
}

static int
add_tls_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_idmap *map = &r->tls_map[r->dir];
	struct np_tls_sig s;
	const char *err = np_tls_sig_parse(val, r->dir == NP_DIR_REQUEST, &s);
	uint32_t n = db->n_tls[r->dir];

	if (err)
		return fail(r, "%s", err);
	s.line_no = r->line_no;
	s.label = (uint32_t)r->cur_label;
	for (uint32_t i = np_idmap_first(map, tls_key(&s)); i != NP_IDMAP_END;
	     i = np_idmap_next(map, i)) {
		db->load_compares++;
		if (np_tls_sig_same(&db->tls[r->dir][i], &s))
			return fail(r, "signature already covered by line %u", db->tls[r->dir][i].line_no);
	}
	if (PUSH(r, db->tls[r->dir], n, r->cap_tls[r->dir]) || np_idmap_add(map, tls_key(&s), n))
		return -ENOMEM;
	db->tls[r->dir][db->n_tls[r->dir]++] = s;
	return 0;
}

static int
add_mtu_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	const char *nxt;

	for (nxt = val; isdigit((unsigned char)*nxt); nxt++)
		;
	if (nxt == val || *nxt)
		return fail(r, "malformed MTU value");
	long mtu = nxt - val > 6 ? 0 : atol(val);
	if (mtu <= 0 || mtu > 65535)
		return fail(r, "MTU out of range (1..65535)");
	if (PUSH(r, db->mtu, db->n_mtu, r->cap_mtu))
		return -ENOMEM;
	db->mtu[db->n_mtu++] = (struct np_mtu_sig){ .mtu = (uint16_t)mtu, .link = r->mtu_link };
	return 0;
}

static int
parse_section(struct reader *r, const char *line)
{
	line++;
	if (!strcmp(line, "mtu]")) {
		r->sec = SEC_MTU;
		r->state = NEED_LABEL;
		return 0;
	}
	const char *colon = strchr(line, ':');
	if (!colon)
		return fail(r, "malformed section identifier");
	size_t mlen = (size_t)(colon - line);
	if (mlen == 3 && !strncmp(line, "tcp", 3))
		r->sec = SEC_TCP;
	else if (mlen == 4 && !strncmp(line, "http", 4))
		r->sec = SEC_HTTP;
	else if (mlen == 3 && !strncmp(line, "tls", 3))
		r->sec = SEC_TLS;
	else
		return fail(r, "unrecognized fingerprinting module '%.*s'", (int)mlen, line);
	/* [tls:client] and [tls:server], like p0f's request and response */
	if (!strcmp(colon + 1, r->sec == SEC_TLS ? "client]" : "request]"))
		r->dir = NP_DIR_REQUEST;
	else if (!strcmp(colon + 1, r->sec == SEC_TLS ? "server]" : "response]"))
		r->dir = NP_DIR_RESPONSE;
	else
		return fail(r, "unrecognized traffic direction");
	r->state = NEED_LABEL;
	return 0;
}

static int
parse_line(struct reader *r, const char *line)
{
	const char *val = line, *eon;
	int rc;

	if (*line == '[')
		return parse_section(r, line);

	while (isalpha((unsigned char)*val) || *val == '_')
		val++;
	eon = val;
	while (*val == ' ' || *val == '\t')
		val++;
	if (val == line || *val != '=')
		return fail(r, "unexpected statement");
	val++;
	while (*val == ' ' || *val == '\t')
		val++;

	size_t klen = (size_t)(eon - line);
#define KEY(k) (klen == sizeof(k) - 1 && !strncmp(line, k, klen))
	if (KEY("classes")) {
		if (r->state != NEED_SECT)
			return fail(r, "misplaced 'classes'");
		return parse_classes(r, val);
	}
	if (KEY("ua_os")) {
		if (r->state != NEED_LABEL || r->dir != NP_DIR_REQUEST || r->sec != SEC_HTTP)
			return fail(r, "misplaced 'ua_os'");
		return parse_ua_os(r, val);
	}
	if (KEY("label")) {
		if (r->state != NEED_LABEL && r->state != NEED_SIG)
			return fail(r, "misplaced 'label'");
		if ((rc = parse_label(r, val)))
			return rc;
		r->state = r->sec != SEC_MTU && r->db->labels[r->cur_label].class_id < 0 ?
				   NEED_SYS : NEED_SIG;
		return 0;
	}
	if (KEY("sys")) {
		if (r->state != NEED_SYS)
			return fail(r, "misplaced 'sys'");
		r->state = NEED_SIG;
		return parse_sys(r, val);
	}
	if (KEY("sig")) {
		if (r->state != NEED_SIG)
			return fail(r, "misplaced 'sig'");
		r->db->n_sigs++;
		switch (r->sec) {
		case SEC_TCP: return add_tcp_sig(r, val);
		case SEC_HTTP: return add_http_sig(r, val);
		case SEC_MTU: return add_mtu_sig(r, val);
		case SEC_TLS: return add_tls_sig(r, val);
		default: return fail(r, "'sig' outside a section");
		}
	}
	return fail(r, "unrecognized field '%.*s'", (int)klen, line);
#undef KEY
}

static void
free_arrays(struct np_db *db)
{
	free(db->classes);
	free(db->names);
	free(db->hdr_names);
	free(db->labels);
	free(db->tcp[0]);
	free(db->tcp[1]);
	free(db->mtu);
	free(db->http[0]);
	free(db->http[1]);
	free(db->ua_os);
	free(db->tls[0]);
	free(db->tls[1]);
}

void
np_db_free(struct np_db *db)
{
	if (!db)
		return;
	free_arrays(db);
	for (struct np_arena *a = db->arena, *n; a; a = n) {
		n = a->next;
		free(a);
	}
	free(db);
}

/* A reader with an empty database; -ENOMEM when memory runs out. */
static int
reader_begin(struct reader *r, char *err, size_t err_len)
{
	*r = (struct reader){ .err = err, .err_len = err_len, .cur_label = -1 };
	if (err_len)
		err[0] = 0;
	if (!(r->db = calloc(1, sizeof(*r->db))))
		return -ENOMEM;
	r->db->digest = 0xcbf29ce484222325ull;	/* FNV-1a 64's offset basis */
	/* p0f's header lists first: the fixed ones get ids 0..5. */
	for (int l = 0; l < NP_HTTP_LIST_COUNT; l++)
		for (int dir = 0; dir < 2; dir++)
			for (const char *const *n = np_http_lists[l][dir]; *n; n++)
				if (hdr_id(r, *n, strlen(*n)) == UINT32_MAX)
					return -ENOMEM;
	return 0;
}

/* A file begins: its sections start afresh, what earlier files defined is kept. */
/* The digest (db.h) goes on over these bytes. */
static void
digest_add(struct np_db *db, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		db->digest = (db->digest ^ (uint8_t)p[i]) * 0x100000001b3ull;
}

static void
reader_open(struct reader *r, const char *name)
{
	digest_add(r->db, "\n\f", 2);	/* a file begins */
	r->file = name;
	r->line_no = 0;
	r->sec = SEC_NONE;
	r->state = NEED_SECT;
}

/* The next line of the file, without its newline (NUL-terminated, may be edited). */
static int
reader_line(struct reader *r, char *line)
{
	r->line_no++;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == ';' || !*line)
		return 0;
	digest_add(r->db, line, strlen(line) + 1);	/* before parse_line edits it */
	return parse_line(r, line);
}

static int
reader_close(struct reader *r)
{
	return r->state == NEED_SYS ? fail(r, "label without its 'sys' line at end of file") : 0;
}

static void
reader_free_maps(struct reader *r)
{
	np_idmap_free(&r->name_map);
	np_idmap_free(&r->class_map);
	np_idmap_free(&r->hdr_map);
	for (int d = 0; d < 2; d++) {
		np_idmap_free(&r->tcp_map[d]);
		np_idmap_free(&r->http_map[d]);
		np_idmap_free(&r->tls_map[d]);
	}
}

/* Compile what was read; on failure free it, say why, set errno. */
static struct np_db *
reader_end(struct reader *r, int rc, const char *name)
{
	free(r->line);
	reader_free_maps(r);
	if (!rc && r->db && !r->db->n_sigs) {
		snprintf(r->err, r->err_len, "%s: no signatures found", name);
		rc = -EINVAL;
	}
	if (!rc)
		rc = np_tcp_index_build(r->db);
	if (!rc)
		rc = np_http_hdr_index_build(r->db);
	if (!rc)
		rc = np_tls_index_build(r->db);
	if (rc) {
		if (rc == -ENOMEM && r->file && r->line_no)
			snprintf(r->err, r->err_len, "%s:%u: out of memory", r->file, r->line_no);
		else if (rc == -ENOMEM)
			snprintf(r->err, r->err_len, "%s: out of memory", name);
		np_db_free(r->db);
		errno = -rc;
		return NULL;
	}
	static uint64_t loaded;	/* every database ever loaded has its own number */

	r->db->serial = __atomic_add_fetch(&loaded, 1, __ATOMIC_RELAXED);
	return r->db;
}

struct np_db *
np_db_load_buf(const char *name, const char *text, char *err, size_t err_len)
{
	struct reader r;
	int rc = reader_begin(&r, err, err_len);

	if (!rc)
		reader_open(&r, name);
	while (!rc) {
		size_t len = strcspn(text, "\n");

		if (len + 1 > r.line_cap) {
			char *nl = realloc(r.line, len + 1);

			if (!nl) {
				rc = -ENOMEM;
				break;
			}
			r.line = nl;
			r.line_cap = len + 1;
		}
		memcpy(r.line, text, len);
		r.line[len] = 0;
		rc = reader_line(&r, r.line);
		if (!text[len])
			break;
		text += len + 1;
	}
	if (!rc)
		rc = reader_close(&r);
	return reader_end(&r, rc, name);
}

/* Does the line read so far start, after blanks, with ';'? */
static bool
starts_comment(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < len && line[i] == ';';
}

/*
 * One file (fd, or -1 with errno when it could not be opened), line by
 * line: memory stays bounded by the longest line allowed whatever the
 * file's size, and a bad line stops the read there. Opened without
 * blocking, so that a FIFO or a device put where the database was is
 * refused, not waited on.
 */
static int
reader_file(struct reader *r, const char *path, int fd)
{
	struct stat st;
	FILE *f;
	int rc = 0;

	if (fd < 0) {
		int e = errno;

		snprintf(r->err, r->err_len, "%s: cannot open: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(r->err, r->err_len, "%s: not a regular file", path);
		close(fd);
		return -EIO;	/* a file that cannot be read, not a database that is wrong */
	}
	reader_open(r, path);
	if (!(f = fdopen(fd, "r"))) {
		close(fd);
		return -ENOMEM;
	}
	if (!r->line && !(r->line = malloc(NP_DB_LINE_MAX + 1))) {
		fclose(f);
		return -ENOMEM;
	}
	for (size_t len = 0; !rc;) {
		int c = getc_unlocked(f);

		if (c != EOF && c != '\n') {
			if (!c) {
				r->line_no++;
				rc = fail(r, "NUL byte in line");
			} else if (len < NP_DB_LINE_MAX) {
				r->line[len++] = (char)c;
			} else if (starts_comment(r->line, len)) {
				r->line[0] = ';';	/* a long comment: the rest is dropped */
				len = 1;
			} else {
				r->line_no++;
				rc = fail(r, "line longer than %d bytes", NP_DB_LINE_MAX);
			}
			continue;
		}
		if (c == EOF && ferror(f)) {
			snprintf(r->err, r->err_len, "%s:%u: read error", path, r->line_no + 1);
			rc = -EIO;
			break;
		}
		if (c == EOF && !len)
			break;
		r->line[len] = 0;
		rc = reader_line(r, r->line);
		len = 0;
		if (c == EOF)
			break;
	}
	fclose(f);
	return rc ? rc : reader_close(r);
}

struct np_db *
np_db_load_opened(const char *const *names, unsigned n, np_db_open_fn open_file, void *ctx,
		  char *err, size_t err_len)
{
	struct reader r;
	int rc = reader_begin(&r, err, err_len);

	for (unsigned i = 0; i < n && !rc; i++)
		rc = reader_file(&r, names[i], open_file(ctx, i, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	return reader_end(&r, rc, n ? names[n - 1] : "(no file)");
}

static int
open_path(void *paths, unsigned i, int flags)
{
	return open(((const char *const *)paths)[i], flags);
}

struct np_db *
np_db_load_files(const char *const *paths, unsigned n, char *err, size_t err_len)
{
	return np_db_load_opened(paths, n, open_path, (void *)paths, err, err_len);
}

struct np_db *
np_db_load(const char *path, char *err, size_t err_len)
{
	return np_db_load_files(&path, 1, err, err_len);
}
