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
#include <sys/stat.h>

#include "http_sig.h"
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

/* p0f lookup_name_id(): case-insensitive, the first spelling is kept. */
static int
name_id(struct reader *r, const char *name, size_t len, uint32_t *id)
{
	struct np_db *db = r->db;

	for (uint32_t i = 0; i < db->n_names; i++)
		if (!strncasecmp(name, db->names[i], len) && !db->names[i][len]) {
			*id = i;
			return 0;
		}
	if (PUSH(r, db->names, db->n_names, r->cap_names) ||
	    !(db->names[db->n_names] = arena_strdup(r, name, len)))
		return -ENOMEM;
	*id = db->n_names++;
	return 0;
}

static int32_t
class_id(const struct np_db *db, const char *name, size_t len)
{
	for (uint32_t i = 0; i < db->n_classes; i++)
		if (!strncasecmp(name, db->classes[i], len) && !db->classes[i][len])
			return (int32_t)i;
	return -1;
}

/* HTTP header names are case-sensitive ids, as in p0f lookup_hdr(). */
static uint32_t
hdr_id(void *ctx, const char *name, size_t len)
{
	struct reader *r = ctx;
	struct np_db *db = r->db;

	for (uint32_t i = 0; i < db->n_hdr_names; i++)
		if (!strncmp(name, db->hdr_names[i], len) && !db->hdr_names[i][len])
			return i;
	if (PUSH(r, db->hdr_names, db->n_hdr_names, r->cap_hdrs) ||
	    !(db->hdr_names[db->n_hdr_names] = arena_strdup(r, name, len)))
		return UINT32_MAX;
	return db->n_hdr_names++;
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
		if (class_id(db, val, (size_t)(nxt - val)) >= 0) {
			val = nxt;	/* known from an earlier file */
			continue;
		}
		if (PUSH(r, db->classes, db->n_classes, r->cap_classes) ||
		    !(db->classes[db->n_classes] = arena_strdup(r, val, (size_t)(nxt - val))))
			return -ENOMEM;
		db->n_classes++;
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
	} else if ((lb.class_id = class_id(db, val, (size_t)(nxt - val))) < 0) {
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
			int32_t c = class_id(db, val, (size_t)(nxt - val));

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

static int
add_tcp_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_tcp_sig s;
	const char *err = np_tcp_sig_parse(val, &s);

	if (err)
		return fail(r, "%s", err);
	s.line_no = r->line_no;
	s.label = (uint32_t)r->cur_label;

	/* p0f refuses a line that an earlier specific signature matches exactly. */
	struct np_win_multi wm = np_tcp_win_multi(&s, 0);
	for (uint32_t i = 0; i < db->n_tcp[r->dir]; i++) {
		const struct np_tcp_sig *ref = &db->tcp[r->dir][i];

		if (!db->labels[ref->label].generic &&
		    np_tcp_sig_check(ref, &s, wm, false) == NP_SIG_EXACT)
			return fail(r, "signature already covered by line %u", ref->line_no);
	}
	if (PUSH(r, db->tcp[r->dir], db->n_tcp[r->dir], r->cap_tcp[r->dir]))
		return -ENOMEM;
	db->tcp[r->dir][db->n_tcp[r->dir]++] = s;
	return 0;
}

static int
add_http_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_http_sig s;
	const char *err = np_http_sig_parse(val, &s, hdr_id, arena_strdup, r);

	if (err)
		return fail(r, "%s", err);
	s.line_no = r->line_no;
	s.label = (uint32_t)r->cur_label;
	for (uint32_t i = 0; i < db->n_http[r->dir]; i++) {
		const struct np_http_sig *ref = &db->http[r->dir][i];

		if (!db->labels[ref->label].generic && np_http_sig_matches(ref, &s, true))
			return fail(r, "signature already covered by line %u", ref->line_no);
	}
	if (PUSH(r, db->http[r->dir], db->n_http[r->dir], r->cap_http[r->dir]))
		return -ENOMEM;
	db->http[r->dir][db->n_http[r->dir]++] = s;
	return 0;
}

static int
add_tls_sig(struct reader *r, const char *val)
{
	struct np_db *db = r->db;
	struct np_tls_sig s;
	const char *err = np_tls_sig_parse(val, r->dir == NP_DIR_REQUEST, &s);

	if (err)
		return fail(r, "%s", err);
	s.line_no = r->line_no;
	s.label = (uint32_t)r->cur_label;
	for (uint32_t i = 0; i < db->n_tls[r->dir]; i++)
		if (np_tls_sig_same(&db->tls[r->dir][i], &s))
			return fail(r, "signature already covered by line %u", db->tls[r->dir][i].line_no);
	if (PUSH(r, db->tls[r->dir], db->n_tls[r->dir], r->cap_tls[r->dir]))
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
	/* p0f's header lists first: the fixed ones get ids 0..5. */
	for (int l = 0; l < NP_HTTP_LIST_COUNT; l++)
		for (int dir = 0; dir < 2; dir++)
			for (const char *const *n = np_http_lists[l][dir]; *n; n++)
				if (hdr_id(r, *n, strlen(*n)) == UINT32_MAX)
					return -ENOMEM;
	return 0;
}

/* One file's text: its sections start afresh, what it defines is kept. */
static int
reader_feed(struct reader *r, const char *name, const char *text)
{
	const char *cur = text;
	int rc = 0;

	r->file = name;
	r->line_no = 0;
	r->sec = SEC_NONE;
	r->state = NEED_SECT;
	while (!rc) {
		const char *eol;

		r->line_no++;
		while (*cur == ' ' || *cur == '\t')
			cur++;
		for (eol = cur; *eol && *eol != '\n'; eol++)
			;
		if (*cur != ';' && cur != eol) {
			size_t len = (size_t)(eol - cur);

			if (len + 1 > r->line_cap) {
				char *nl = realloc(r->line, len + 1);

				if (!nl)
					return -ENOMEM;
				r->line = nl;
				r->line_cap = len + 1;
			}
			memcpy(r->line, cur, len);
			r->line[len] = 0;
			rc = parse_line(r, r->line);
		}
		if (!*eol)
			break;
		cur = eol + 1;
	}
	if (!rc && r->state == NEED_SYS)
		rc = fail(r, "label without its 'sys' line at end of file");
	return rc;
}

/* Compile what was read; on failure free it, say why, set errno. */
static struct np_db *
reader_end(struct reader *r, int rc, const char *name)
{
	free(r->line);
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
		if (rc == -ENOMEM && r->file)
			snprintf(r->err, r->err_len, "%s:%u: out of memory", r->file, r->line_no);
		else if (rc == -ENOMEM)
			snprintf(r->err, r->err_len, "%s: out of memory", name);
		np_db_free(r->db);
		errno = -rc;
		return NULL;
	}
	return r->db;
}

struct np_db *
np_db_load_buf(const char *name, const char *text, char *err, size_t err_len)
{
	struct reader r;
	int rc = reader_begin(&r, err, err_len);

	if (!rc)
		rc = reader_feed(&r, name, text);
	return reader_end(&r, rc, name);
}

struct np_db *
np_db_load_bufs(const char *const *names, const char *const *texts, unsigned n, char *err,
		size_t err_len)
{
	struct reader r;
	int rc = reader_begin(&r, err, err_len);

	for (unsigned i = 0; i < n && !rc; i++)
		rc = reader_feed(&r, names[i], texts[i]);
	return reader_end(&r, rc, n ? names[n - 1] : "(no file)");
}

/* A whole file as a NUL-terminated string; NULL with err set on failure. */
static char *
read_file(const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *text;

	if (!f) {
		int e = errno;

		snprintf(err, err_len, "%s: cannot open: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s: not a regular file", path);
		fclose(f);
		errno = EINVAL;
		return NULL;
	}
	if (!(text = malloc((size_t)st.st_size + 1))) {
		fclose(f);
		snprintf(err, err_len, "%s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	size_t n = fread(text, 1, (size_t)st.st_size, f);
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		free(text);
		snprintf(err, err_len, "%s: read error", path);
		errno = EIO;
		return NULL;
	}
	text[n] = 0;
	if (memchr(text, 0, n)) {
		free(text);
		snprintf(err, err_len, "%s: contains a NUL byte", path);
		errno = EINVAL;
		return NULL;
	}
	return text;
}

struct np_db *
np_db_load_files(const char *const *paths, unsigned n, char *err, size_t err_len)
{
	struct reader r;
	int rc = reader_begin(&r, err, err_len);

	for (unsigned i = 0; i < n && !rc; i++) {
		char *text = read_file(paths[i], err, err_len);

		if (!text) {
			int e = errno;

			free(r.line);
			np_db_free(r.db);
			errno = e;
			return NULL;
		}
		rc = reader_feed(&r, paths[i], text);
		free(text);
	}
	return reader_end(&r, rc, n ? paths[n - 1] : "(no file)");
}

struct np_db *
np_db_load(const char *path, char *err, size_t err_len)
{
	return np_db_load_files(&path, 1, err, err_len);
}
