/* SPDX-License-Identifier: MIT */
/*
 * [tls:client] and [tls:server] signatures: parsing and the index. A JA4 is
 * three parts (a: 10 characters, b and c: 12 hex digits each), any of which
 * may be "*"; a JA3S is 32 hex digits, one part. Each signature is filed
 * under a hash of the parts it gives, so a lookup probes once per part
 * layout the database uses (at most eight).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "db.h"
#include "tls_sig.h"

#define JA4_LEN 36
#define JA3S_LEN 32

const uint8_t np_ja4_part_off[NP_TLS_PARTS] = { 0, 11, 24 };
const uint8_t np_ja4_part_len[NP_TLS_PARTS] = { 10, 12, 12 };

static const char *const ja4_versions[] = {
	"13", "12", "11", "10", "s3", "s2", "d1", "d2", "d3", "00",
};

static bool
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* JA4's first part: transport, version, SNI, two counts, ALPN. */
static const char *
check_ja4_a(const char *a)
{
	bool version_ok = false;

	if (!strchr("tqd", a[0]))
		return "JA4 part a: transport must be t, q or d";
	for (size_t i = 0; i < sizeof(ja4_versions) / sizeof(ja4_versions[0]); i++)
		version_ok |= !strncmp(a + 1, ja4_versions[i], 2);
	if (!version_ok)
		return "JA4 part a: unknown TLS version code";
	if (a[3] != 'd' && a[3] != 'i')
		return "JA4 part a: SNI flag must be d or i";
	for (int i = 4; i < 8; i++)
		if (!isdigit((unsigned char)a[i]))
			return "JA4 part a: cipher and extension counts must be two digits each";
	if (!isalnum((unsigned char)a[8]) || !isalnum((unsigned char)a[9]))
		return "JA4 part a: ALPN must be two letters or digits";
	return NULL;
}

const char *
np_tls_sig_parse(const char *val, bool client, struct np_tls_sig *s)
{
	size_t len = strlen(val);

	memset(s, 0, sizeof(*s));
	if (!client) {
		if (len != JA3S_LEN || !all_hex(val, len))
			return "expected a JA3S hash (32 hex digits)";
		for (size_t i = 0; i < len; i++)
			s->text[i] = (char)tolower((unsigned char)val[i]);
		s->parts = 1;
		return NULL;
	}

	/* Three parts separated by '_', each given or "*". */
	const char *p = val;
	size_t o = 0;

	for (unsigned i = 0; i < NP_TLS_PARTS; i++) {
		const char *end = strchr(p, '_');
		size_t n = end && i < NP_TLS_PARTS - 1 ? (size_t)(end - p) : strlen(p);

		if (i < NP_TLS_PARTS - 1 && !end)
			return "expected a JA4: three parts a_b_c, each may be *";
		if (n == 1 && *p == '*') {
			memset(s->text + o, '*', np_ja4_part_len[i]);
		} else if (n != np_ja4_part_len[i]) {
			return i == 0 ? "JA4 part a must be 10 characters or *" :
					"JA4 parts b and c must be 12 hex digits or *";
		} else if (i == 0) {
			const char *err = check_ja4_a(p);

			if (err)
				return err;
			memcpy(s->text + o, p, n);
			s->parts |= 1;
		} else {
			if (!all_hex(p, n))
				return "JA4 parts b and c must be 12 hex digits or *";
			for (size_t k = 0; k < n; k++)
				s->text[o + k] = (char)tolower((unsigned char)p[k]);
			s->parts |= (uint8_t)(1u << i);
		}
		o += np_ja4_part_len[i];
		if (i < NP_TLS_PARTS - 1)
			s->text[o++] = '_';
		p += n + 1;
	}
	return NULL;
}

bool
np_tls_sig_same(const struct np_tls_sig *a, const struct np_tls_sig *b)
{
	return a->parts == b->parts && !strcmp(a->text, b->text);
}

/* FNV-1a over the layout and the parts it gives. */
uint32_t
np_tls_key_hash(const char *fp, bool client, uint8_t parts)
{
	uint32_t h = 2166136261u ^ parts;

	h *= 16777619u;
	for (unsigned i = 0; i < (client ? NP_TLS_PARTS : 1u); i++) {
		if (!(parts & (1u << i)))
			continue;
		const char *q = fp + (client ? np_ja4_part_off[i] : 0);
		unsigned n = client ? np_ja4_part_len[i] : JA3S_LEN;

		for (unsigned k = 0; k < n; k++) {
			h ^= (uint8_t)q[k];
			h *= 16777619u;
		}
	}
	return h;
}

bool
np_tls_sig_covers(const struct np_tls_sig *s, const char *fp, bool client)
{
	if (!client)
		return !memcmp(s->text, fp, JA3S_LEN);
	for (unsigned i = 0; i < NP_TLS_PARTS; i++)
		if ((s->parts & (1u << i)) &&
		    memcmp(s->text + np_ja4_part_off[i], fp + np_ja4_part_off[i], np_ja4_part_len[i]))
			return false;
	return true;
}

static int
build_dir(struct np_db *db, int dir)
{
	struct np_tls_index *ix = np_db_alloc(db, sizeof(*ix));
	uint32_t n = db->n_tls[dir], size = 16;
	bool client = dir == NP_DIR_REQUEST;

	if (!ix)
		return -ENOMEM;
	while (size < 2 * n)
		size <<= 1;
	if (!(ix->slots = np_db_alloc(db, size * sizeof(*ix->slots))))
		return -ENOMEM;
	ix->mask = size - 1;
	for (uint32_t i = 0; i < n; i++) {
		const struct np_tls_sig *s = &db->tls[dir][i];
		uint32_t h = np_tls_key_hash(s->text, client, s->parts);

		while (ix->slots[h & ix->mask])
			h++;
		ix->slots[h & ix->mask] = i + 1;
		ix->layouts |= (uint8_t)(1u << s->parts);
	}
	db->tls_index[dir] = ix;
	return 0;
}

int
np_tls_index_build(struct np_db *db)
{
	int rc;

	if ((rc = build_dir(db, NP_DIR_REQUEST)))
		return rc;
	return build_dir(db, NP_DIR_RESPONSE);
}
