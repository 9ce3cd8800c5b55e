/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the database reader (db/fp_reader.c and the section
 * parsers: [mtu], [tcp:*], [http:*] with ua_os, [tls:client] JA4s and
 * [tls:server] JA3Ss) on the input as one p0f.fp text. A text that fails
 * must say why as "fuzz.fp:LINE: reason" (or "fuzz.fp: reason"). A text
 * that loads is then used: its indexes must give the answers of a linear
 * scan (TCP: np_match_tcp() against np_match_tcp_linear() on observations
 * made from its own signatures; TLS: np_match_tls() against the most
 * specific, earliest covering signature; MTU: the first entry with that
 * value), the bundled captures' SYNs, HTTP headers and TLS hellos are run
 * through a pipeline matching against it, every record formatted by every
 * output (fuzz_common.c: labels and flavors from the text end up in p0f
 * text and JSON, and in the query API's answers about the hosts), and
 * np_db_free() must leave nothing behind (LeakSanitizer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "fuzz_common.h"
#include "near_signature.h"
#include "matcher.h"
#include "pipeline.h"
#include "tls_match.h"
#include "tls_sig.h"

#define MAX_PROBES 256		/* signatures looked up per input, at most */
#define TCP_OBS 96		/* TCP observations per input */
#define MAX_FRAMES 64		/* frames kept from each capture */

struct frame {
	uint8_t *data;
	uint32_t len;
	uint64_t ts_us;
};

struct trace {
	int dlt;
	unsigned n;
	struct frame f[MAX_FRAMES];
};

static struct trace g_traces[2];
static struct np_pipeline g_p;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
load_trace(struct trace *t, const char *path)
{
	struct np_capture c;
	char err[512];
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;

	NP_FUZZ_CHECK(np_capture_init(&c, path, err, sizeof(err)) == 0, "%s", err);
	t->dlt = c.dlt;
	while (t->n < MAX_FRAMES && np_capture_next(&c, &frame, &len, &ts) == 1) {
		struct frame *f = &t->f[t->n++];

		f->data = malloc(len ? len : 1);
		NP_FUZZ_CHECK(f->data != NULL, "out of memory");
		memcpy(f->data, frame, len);
		f->len = len;
		f->ts_us = ts;
	}
	np_capture_fini(&c);
	NP_FUZZ_CHECK(t->n > 0, "%s: no frames", path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	np_fuzz_setup();
	load_trace(&g_traces[0], NP_FUZZ_DB_TRACE_HTTP);
	load_trace(&g_traces[1], NP_FUZZ_DB_TRACE_TLS);
	return 0;
}

/* xorshift: the same observations for the same database, run after run */
static uint64_t g_rng;

static uint32_t
rnd(uint32_t n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)((g_rng >> 11) % n);
}

/* An observation near one of the database's signatures. */
static void
tcp_observation(const struct np_db *db, enum np_dir dir, struct np_packet *pk)
{
	const struct np_tcp_sig *s = &db->tcp[dir][rnd(db->n_tcp[dir])];

	np_test_near_signature(s, rnd, pk);
	pk->ip_opt_len = rnd(20) ? 0 : 4;
	pk->ts1 = rnd(2) ? rnd(1000000) : 0;
	pk->pay_len = s->pay_class == 1 || (s->pay_class == -1 && rnd(2)) ? 5 : 0;
	pk->tot_hdr = (uint16_t)(pk->ip_ver == 4 ? 40 : 60);
}

static void
check_tcp_index(const struct np_db *db)
{
	for (unsigned i = 0; i < TCP_OBS; i++) {
		enum np_dir dir = i & 1 ? NP_DIR_REQUEST : NP_DIR_RESPONSE;
		uint16_t syn_mss = dir == NP_DIR_RESPONSE && rnd(2) ? (uint16_t)(1300 + rnd(200)) : 0;
		struct np_packet pk;
		struct np_tcp_match a, b;

		if (!db->n_tcp[dir])
			continue;
		tcp_observation(db, dir, &pk);
		np_match_tcp(db, dir, &pk, syn_mss, &a);
		np_match_tcp_linear(db, dir, &pk, syn_mss, &b);
		NP_FUZZ_CHECK(a.sig == b.sig && a.dist == b.dist && a.fuzzy == b.fuzzy &&
				      a.wm.multi == b.wm.multi,
			      "TCP index: sig %d dist %d fuzzy %d multi %d; linear scan: sig %d "
			      "dist %d fuzzy %d multi %d (dir %d)",
			      a.sig, a.dist, a.fuzzy, a.wm.multi, b.sig, b.dist, b.fuzzy, b.wm.multi,
			      dir);
	}
}

static unsigned
popcount3(uint8_t v)
{
	return (v & 1u) + (v >> 1 & 1u) + (v >> 2 & 1u);
}

/* The TLS index against a scan: most parts given wins, the earliest among equals. */
static void
check_tls_fp(const struct np_db *db, enum np_dir dir, const char *fp)
{
	bool client = dir == NP_DIR_REQUEST;
	struct np_tls_match m;
	int32_t best = -1;

	for (uint32_t i = 0; i < db->n_tls[dir]; i++) {
		const struct np_tls_sig *s = &db->tls[dir][i];

		if (np_tls_sig_covers(s, fp, client) &&
		    (best < 0 || popcount3(s->parts) > popcount3(db->tls[dir][best].parts)))
			best = (int32_t)i;
	}
	np_match_tls(db, dir, fp, &m);
	NP_FUZZ_CHECK(m.sig == best, "TLS index gives signature %d for %s, the scan %d", m.sig, fp,
		      best);
	if (best >= 0) {
		uint8_t all = client ? NP_TLS_ALL_PARTS : 1;

		NP_FUZZ_CHECK(m.exact == (db->tls[dir][best].parts == all), "TLS exact flag for %s",
			      fp);
		NP_FUZZ_CHECK(db->tls[dir][best].label < db->n_labels, "TLS label index");
	}
}

static void
check_tls_index(const struct np_db *db)
{
	static const char *const ja4s[] = {
		"t13d1516h2_8daaf6152771_e5627efa2ab1", "t13d1516h2_8daaf6152771_02713d6af862",
		"q13d0311h3_55b375c5d22e_653d80c3fe9d", "d12i1206h2_1c8ab85d4a5e_0000ffff0000",
		"t12d190800_d83cc789557e_16bbda4055b2", "t00d0000xx_000000000000_000000000000",
	};
	static const char *const ja3ss[] = {
		"15af977ce25de452b96affa2addb1036", "00000000000000000000000000000000",
	};
	char fp[NP_TLS_SIG_TEXT];

	for (unsigned i = 0; i < sizeof(ja4s) / sizeof(ja4s[0]); i++)
		check_tls_fp(db, NP_DIR_REQUEST, ja4s[i]);
	for (unsigned i = 0; i < sizeof(ja3ss) / sizeof(ja3ss[0]); i++)
		check_tls_fp(db, NP_DIR_RESPONSE, ja3ss[i]);
	/* each signature, its "*" parts taken from a real JA4 */
	for (uint32_t i = 0; i < db->n_tls[NP_DIR_REQUEST] && i < MAX_PROBES; i++) {
		const struct np_tls_sig *s = &db->tls[NP_DIR_REQUEST][i];

		memcpy(fp, s->text, sizeof(fp));
		for (unsigned p = 0; p < NP_TLS_PARTS; p++)
			if (!(s->parts & (1u << p)))
				memcpy(fp + np_ja4_part_off[p], ja4s[i % 6] + np_ja4_part_off[p],
				       np_ja4_part_len[p]);
		fp[NP_TLS_SIG_TEXT - 1] = 0;
		check_tls_fp(db, NP_DIR_REQUEST, fp);
	}
	for (uint32_t i = 0; i < db->n_tls[NP_DIR_RESPONSE] && i < MAX_PROBES; i++)
		check_tls_fp(db, NP_DIR_RESPONSE, db->tls[NP_DIR_RESPONSE][i].text);
}

static void
check_mtu(const struct np_db *db)
{
	for (uint32_t i = 0; i < db->n_mtu && i < MAX_PROBES; i++) {
		uint32_t first = i;

		for (uint32_t k = 0; k < i; k++)
			if (db->mtu[k].mtu == db->mtu[i].mtu) {
				first = k;
				break;
			}
		const char *link = np_match_mtu(db, db->mtu[i].mtu);

		NP_FUZZ_CHECK(link && !strcmp(link, db->mtu[first].link),
			      "MTU %u: %s, the first entry says %s", db->mtu[i].mtu,
			      link ? link : "(none)", db->mtu[first].link);
	}
	np_match_mtu(db, 0);
	np_match_mtu(db, 65535);
}

static void
check_lookups(const struct np_db *db)
{
	static const char *const uas[] = {
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "curl/7.54.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", "", "Linux",
	};

	for (unsigned i = 0; i < sizeof(uas) / sizeof(uas[0]); i++) {
		int32_t id = np_match_ua_os(db, uas[i]);

		NP_FUZZ_CHECK(id < 0 || (uint32_t)id < db->n_names, "ua_os name id %d", id);
	}
	for (uint32_t i = 0; i < db->n_ua_os && i < MAX_PROBES; i++) {
		int32_t id = np_match_ua_os(db, db->ua_os[i].ua);

		NP_FUZZ_CHECK(id < 0 || (uint32_t)id < db->n_names, "ua_os name id %d", id);
	}
	for (uint32_t i = 0; i < db->n_labels && i < MAX_PROBES; i++) {
		const struct np_label *lb = np_db_label(db, i);

		NP_FUZZ_CHECK(lb->class_id < (int32_t)db->n_classes && lb->name_id < db->n_names,
			      "label %u: class %d name %u", i, lb->class_id, lb->name_id);
		NP_FUZZ_CHECK(memchr(lb->text, 0, NP_LABEL_MAX) != NULL, "label text not ended");
		np_tls_os_mismatch(lb, i % (db->n_names ? db->n_names : 1), (int32_t)(i % 3) - 1);
	}
}

static void
emit(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx;
	np_fuzz_format_record(r, tail);
}

/* The bundled traffic, matched against this database, every record formatted. */
static void
run_traffic(struct np_db *db)
{
	struct np_pipeline *p = &g_p;

	db->generation = 1;
	for (unsigned t = 0; t < 2; t++) {
		np_fuzz_tls_bufs = 2;
		NP_FUZZ_CHECK(np_pipeline_init(p, db, g_traces[t].dlt, 8, 30, 16, 1, emit, NULL) == 0,
			      "pipeline init");
		np_fuzz_query_seen(NULL);
		for (unsigned i = 0; i < g_traces[t].n; i++)
			np_pipeline_frame(p, g_traces[t].f[i].data, g_traces[t].f[i].len,
					  g_traces[t].f[i].ts_us);
		np_fuzz_query_seen(&p->hosts);
		np_pipeline_fini(p);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[NP_DB_ERR_MAX];
	char *text = malloc(size + 1);
	struct np_db *db;

	NP_FUZZ_CHECK(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = 0;
	memset(err, 0x55, sizeof(err));
	db = np_db_load_buf("fuzz.fp", text, err, sizeof(err));
	free(text);	/* the database keeps nothing of the text */
	if (!db) {
		NP_FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL, "error message not ended");
		NP_FUZZ_CHECK(!strncmp(err, "fuzz.fp:", 8) && err[8], "error message: \"%s\"", err);
		return 0;
	}
	g_rng = 0x2545f4914f6cdd1dull ^ size;
	check_tcp_index(db);
	check_tls_index(db);
	check_mtu(db);
	check_lookups(db);
	run_traffic(db);
	np_db_free(db);
	return 0;
}
