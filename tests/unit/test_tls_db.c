/* SPDX-License-Identifier: MIT */
/*
 * The [tls:client] and [tls:server] sections: their grammar and its errors
 * ("NAME:LINE: reason"), duplicates, several files read as one database,
 * the most-specific-wins lookup with file order among equals, and the
 * OS-family check behind os_mismatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "tls_match.h"

#include <criterion/criterion.h>
#include "np_assert.h"

static char g_err[NP_DB_ERR_MAX];
static struct np_db *g_db;

#define HDR "classes = win,unix,other\n"
#define JA4_SPEC "t13d1516h2_8daaf6152771_e5627efa2ab1"

static const struct np_db *
load_text(const char *text)
{
	np_db_free(g_db);
	g_db = np_db_load_buf("t.fp", text, g_err, sizeof(g_err));
	return g_db;
}

static void
fini(void)
{
	np_db_free(g_db);
	g_db = NULL;
}

TestSuite(tls_db, .fini = fini);

static void
expect_error(const char *text, unsigned line, const char *word)
{
	char want[32];

	snprintf(want, sizeof(want), "t.fp:%u: ", line);
	cr_assert(load_text(text) == NULL, "accepted:\n%s", text);
	cr_assert(eq(int, strncmp(g_err, want, strlen(want)), 0),
		  "error \"%s\" does not start with \"%s\"", g_err, want);
	cr_assert(strcasestr(g_err + strlen(want), word) != NULL,
		  "error \"%s\" does not mention \"%s\"", g_err, word);
}

/* One client signature line under a tool label, as line 4. */
static void
client_sig_error(const char *sig, const char *word)
{
	char text[512];

	snprintf(text, sizeof(text), HDR "[tls:client]\nlabel = s:!:Curl:8\nsys = Linux\nsig = %s\n",
		 sig);
	expect_error(text, 5, word);
}

Test(tls_db, client_and_server_sections_load)
{
	const struct np_db *db = load_text(
		HDR "[tls:client]\n"
		"label = s:!:Curl:8\n"
		"sys = Linux,@win\n"
		"sig = " JA4_SPEC "\n"
		"sig = t13d1516h2_*_e5627efa2ab1\n"
		"[tls:server]\n"
		"label = s:!:nginx:\n"
		"sys = @unix\n"
		"sig = 76C691F46143BF86E2D1BB73C6187767\n");

	cr_assert(db != NULL, "%s", g_err);
	cr_assert(eq(u32, db->n_tls[NP_DIR_REQUEST], 2));
	cr_assert(eq(u32, db->n_tls[NP_DIR_RESPONSE], 1));
	cr_assert(eq(str, db->tls[NP_DIR_REQUEST][1].text, "t13d1516h2_************_e5627efa2ab1"));
	cr_assert(eq(u8, db->tls[NP_DIR_REQUEST][1].parts, 5));
	/* hex is kept in lower case, as netprint prints it */
	cr_assert(eq(str, db->tls[NP_DIR_RESPONSE][0].text, "76c691f46143bf86e2d1bb73c6187767"));
	cr_assert(eq(u32, db->tls[NP_DIR_RESPONSE][0].line_no, 10));
	cr_assert(eq(u32, db->n_sigs, 3));
}

Test(tls_db, bad_client_signatures)
{
	client_sig_error("t13d1516h2_8daaf6152771", "three parts");
	client_sig_error("t13d1516h2_8daaf6152771_e5627efa2ab1_0000", "12 hex");
	client_sig_error("t13d1516h_8daaf6152771_e5627efa2ab1", "10 characters");
	client_sig_error("x13d1516h2_8daaf6152771_e5627efa2ab1", "transport");
	client_sig_error("t14d1516h2_8daaf6152771_e5627efa2ab1", "version");
	client_sig_error("t13x1516h2_8daaf6152771_e5627efa2ab1", "SNI");
	client_sig_error("t13d1a16h2_8daaf6152771_e5627efa2ab1", "counts");
	client_sig_error("t13d1516h-_8daaf6152771_e5627efa2ab1", "ALPN");
	client_sig_error("t13d1516h2_8daaf615277g_e5627efa2ab1", "hex");
	client_sig_error("t13d1516h2_8daaf615277_e5627efa2ab1", "12 hex");
	client_sig_error("t13d1516h2__e5627efa2ab1", "12 hex");
	client_sig_error("**_*_*", "10 characters");
	client_sig_error("", "three parts");
}

Test(tls_db, bad_server_signatures)
{
	expect_error(HDR "[tls:server]\nlabel = s:!:nginx:\nsys = Linux\nsig = 76c691f4\n", 5,
		     "JA3S");
	expect_error(HDR "[tls:server]\nlabel = s:!:nginx:\nsys = Linux\n"
			 "sig = " JA4_SPEC "\n", 5, "JA3S");
	expect_error(HDR "[tls:server]\nlabel = s:!:nginx:\nsys = Linux\n"
			 "sig = 76c691f46143bf86e2d1bb73c618776z\n", 5, "JA3S");
}

Test(tls_db, sections_and_labels)
{
	expect_error(HDR "[tls:request]\n", 2, "direction");
	expect_error(HDR "[tls:response]\n", 2, "direction");
	expect_error(HDR "[tcp:client]\n", 2, "direction");
	expect_error(HDR "[tls]\n", 2, "section");
	/* a tool's label needs its sys line, as in p0f's sections */
	expect_error(HDR "[tls:client]\nlabel = s:!:Curl:8\nsig = " JA4_SPEC "\n", 4, "misplaced");
	expect_error(HDR "[tls:client]\nsig = " JA4_SPEC "\n", 3, "sig");
	expect_error(HDR "[tls:client]\nlabel = s:bsd:X:1\n", 3, "class");
	/* an OS label needs none */
	cr_assert(load_text(HDR "[tls:client]\nlabel = s:win:Windows:SChannel\nsig = " JA4_SPEC "\n") != NULL,
		  "%s", g_err);
}

Test(tls_db, duplicates_are_refused_with_line)
{
	expect_error(HDR "[tls:client]\nlabel = s:!:A:\nsys = Linux\n"
			 "sig = t13d1516h2_*_e5627efa2ab1\n"
			 "label = s:!:B:\nsys = Linux\n"
			 "sig = t13d1516h2_*_E5627EFA2AB1\n", 8, "line 5");
	/* the same value in the other direction, or under other parts, is new */
	cr_assert(load_text(HDR "[tls:client]\nlabel = s:!:A:\nsys = Linux\n"
				"sig = t13d1516h2_*_e5627efa2ab1\n"
				"sig = t13d1516h2_8daaf6152771_e5627efa2ab1\n"
				"sig = *_8daaf6152771_e5627efa2ab1\n") != NULL,
		  "%s", g_err);
}

/* ---- lookup -------------------------------------------------------------- */

static const char *const lookup_db =
	HDR "[tls:client]\n"
	"label = s:!:Any:\n"			/* 3 */
	"sys = @unix,@win\n"
	"sig = *_*_*\n"				/* 5 */
	"label = s:!:ByA:\n"			/* 6 */
	"sys = Linux\n"
	"sig = t13d1516h2_*_*\n"			/* 8 */
	"label = s:!:ByC:\n"			/* 9 */
	"sys = Linux\n"
	"sig = *_*_e5627efa2ab1\n"			/* 11 */
	"label = s:!:ByBC:\n"			/* 12 */
	"sys = Linux\n"
	"sig = *_8daaf6152771_e5627efa2ab1\n"	/* 14 */
	"label = g:!:ByAC:\n"			/* 15 */
	"sys = Linux\n"
	"sig = t13d1516h2_*_e5627efa2ab1\n"		/* 17 */
	"label = s:!:Exact:\n"			/* 18 */
	"sys = Linux\n"
	"sig = " JA4_SPEC "\n"			/* 20 */
	"[tls:server]\n"
	"label = s:!:Srv:\n"
	"sys = Linux\n"
	"sig = 76c691f46143bf86e2d1bb73c6187767\n";	/* 24 */

static uint32_t
line_of(const char *fp, enum np_dir dir, bool *exact)
{
	struct np_tls_match m;

	np_match_tls(g_db, dir, fp, &m);
	*exact = m.exact;
	return m.sig < 0 ? 0 : g_db->tls[dir][m.sig].line_no;
}

Test(tls_db, most_specific_wins_then_file_order)
{
	bool exact;

	cr_assert(load_text(lookup_db) != NULL, "%s", g_err);
	cr_assert(eq(u32, line_of(JA4_SPEC, NP_DIR_REQUEST, &exact), 20));
	cr_assert(exact);
	/* two parts: ByBC (line 14) and ByAC (17) tie, the earlier wins */
	cr_assert(eq(u32, line_of("t13d1516h2_000000000000_e5627efa2ab1", NP_DIR_REQUEST, &exact), 17));
	cr_assert(not(exact));
	cr_assert(eq(u32, line_of("t12d1516h2_8daaf6152771_e5627efa2ab1", NP_DIR_REQUEST, &exact), 14));
	/* one part: ByA (8) and ByC (11) */
	cr_assert(eq(u32, line_of("t13d1516h2_8daaf6152771_000000000000", NP_DIR_REQUEST, &exact), 8));
	cr_assert(eq(u32, line_of("q13d0310h3_000000000000_e5627efa2ab1", NP_DIR_REQUEST, &exact), 11));
	/* nothing but the catch-all */
	cr_assert(eq(u32, line_of("d12i000000_000000000000_000000000000", NP_DIR_REQUEST, &exact), 5));
	cr_assert(eq(u32, line_of("76c691f46143bf86e2d1bb73c6187767", NP_DIR_RESPONSE, &exact), 24));
	cr_assert(exact);
	cr_assert(eq(u32, line_of("76c691f46143bf86e2d1bb73c6187766", NP_DIR_RESPONSE, &exact), 0));
}

Test(tls_db, no_tls_sections_match_nothing)
{
	struct np_tls_match m;

	cr_assert(load_text(HDR "[mtu]\nlabel = x\nsig = 1500\n") != NULL, "%s", g_err);
	np_match_tls(g_db, NP_DIR_REQUEST, JA4_SPEC, &m);
	cr_assert(eq(i32, m.sig, -1));
}

/* The same lookup against a scan of every signature. */
Test(tls_db, index_agrees_with_a_scan)
{
	static const char parts[3][3][16] = {
		{ "t13d1516h2", "t12i0910h1", "q13d0310h3" },
		{ "8daaf6152771", "000000000000", "aaaaaaaaaaaa" },
		{ "e5627efa2ab1", "000000000000", "bbbbbbbbbbbb" },
	};
	char text[65536];
	int n = snprintf(text, sizeof(text), HDR "[tls:client]\n");

	/* every layout of every value, some twice under another label */
	srand(7);
	for (unsigned k = 0; k < 120; k++) {
		unsigned layout = (unsigned)rand() % 8;
		char sig[512];

		snprintf(sig, sizeof(sig), "%s_%s_%s",
			 layout & 1 ? parts[0][rand() % 3] : "*",
			 layout & 2 ? parts[1][rand() % 3] : "*",
			 layout & 4 ? parts[2][rand() % 3] : "*");
		if (strstr(text, sig))
			continue;
		n += snprintf(text + n, sizeof(text) - (size_t)n, "label = s:!:L%u:\nsys = Linux\nsig = %s\n",
			      k, sig);
	}
	cr_assert(load_text(text) != NULL, "%s", g_err);
	for (unsigned a = 0; a < 3; a++)
		for (unsigned b = 0; b < 3; b++)
			for (unsigned c = 0; c < 3; c++) {
				char fp[512];
				int best = -1, best_parts = -1;
				struct np_tls_match m;

				snprintf(fp, sizeof(fp), "%s_%s_%s", parts[0][a], parts[1][b], parts[2][c]);
				for (uint32_t i = 0; i < g_db->n_tls[NP_DIR_REQUEST]; i++) {
					const struct np_tls_sig *s = &g_db->tls[NP_DIR_REQUEST][i];
					int np = __builtin_popcount(s->parts);

					if (np_tls_sig_covers(s, fp, true) && np > best_parts) {
						best = (int)i;
						best_parts = np;
					}
				}
				np_match_tls(g_db, NP_DIR_REQUEST, fp, &m);
				cr_assert(eq(i32, m.sig, best), "%s", fp);
			}
}

/* ---- several files ---------------------------------------------------------- */

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/np_tls_db_XXXXXX");
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
	close(fd);
	return path;
}

Test(tls_db, files_read_as_one)
{
	char *a = write_tmp(HDR "[tcp:request]\nlabel = s:unix:Linux:3.x\n"
			    "sig = *:64:0:*:mss*10,0:mss:df:0\n");
	char *b = write_tmp("classes = unix,other,bsd\n[tls:client]\nlabel = s:!:Curl:8\n"
			    "sys = Linux,@bsd\nsig = " JA4_SPEC "\n");
	const char *paths[] = { a, b };

	np_db_free(g_db);
	g_db = np_db_load_files(paths, 2, g_err, sizeof(g_err));
	cr_assert(g_db != NULL, "%s", g_err);
	/* classes merge: known ones keep their ids, new ones come after */
	cr_assert(eq(u32, g_db->n_classes, 4));
	cr_assert(eq(str, (char *)g_db->classes[3], "bsd"));
	/* the second file names the first file's OS: one name id */
	const struct np_label *lb = np_db_label(g_db, g_db->tls[NP_DIR_REQUEST][0].label);
	cr_assert(eq(u32, lb->sys[0], np_db_label(g_db, g_db->tcp[NP_DIR_REQUEST][0].label)->name_id));
	cr_assert(eq(u32, lb->sys[1], 3u | NP_SYS_CLASS));
	cr_assert(eq(u32, g_db->tls[NP_DIR_REQUEST][0].line_no, 5));

	/* an error names the file and its own line */
	char *bad = write_tmp("[tls:client]\nlabel = s:!:X:\nsys = Linux\nsig = nope\n");
	const char *paths2[] = { a, bad };
	np_db_free(g_db);
	g_db = np_db_load_files(paths2, 2, g_err, sizeof(g_err));
	cr_assert(g_db == NULL);
	char want[128];
	snprintf(want, sizeof(want), "%s:4: ", bad);
	cr_assert(eq(int, strncmp(g_err, want, strlen(want)), 0), "%s", g_err);

	/* a section does not carry over into the next file */
	char *orphan = write_tmp("label = s:!:X:\n");
	const char *paths3[] = { b, orphan };
	g_db = np_db_load_files(paths3, 2, g_err, sizeof(g_err));
	cr_assert(g_db == NULL);
	snprintf(want, sizeof(want), "%s:1: ", orphan);
	cr_assert(eq(int, strncmp(g_err, want, strlen(want)), 0), "%s", g_err);

	const char *missing[] = { a, "/nonexistent/tls.fp" };
	g_db = np_db_load_files(missing, 2, g_err, sizeof(g_err));
	cr_assert(g_db == NULL);
	cr_assert(strstr(g_err, "/nonexistent/tls.fp: cannot open") != NULL, "%s", g_err);

	unlink(a);
	unlink(b);
	unlink(bad);
	unlink(orphan);
	free(a);
	free(b);
	free(bad);
	free(orphan);
}

Test(tls_db, bundled_set_loads)
{
	const char *paths[] = { NP_TEST_FP, NP_TEST_TLS_FP };

	np_db_free(g_db);
	g_db = np_db_load_files(paths, 2, g_err, sizeof(g_err));
	cr_assert(g_db != NULL, "%s", g_err);
	cr_assert(eq(u32, g_db->n_classes, 3));
}

/* ---- the OS family of a label ------------------------------------------------ */

Test(tls_db, os_mismatch_by_sys_names_and_classes)
{
	cr_assert(load_text(HDR "[tcp:request]\n"
				"label = s:unix:Linux:3.x\nsig = *:64:0:*:mss*10,0:mss:df:0\n"
				"label = s:unix:Mac OS X:10\nsig = *:64:0:*:65535,6:mss:df:0\n"
				"label = s:win:Windows:7\nsig = *:128:0:*:8192,8:mss:df:0\n"
				"[tls:client]\n"
				"label = s:!:Safari:iOS\nsys = Mac OS X\nsig = " JA4_SPEC "\n"
				"label = s:!:Chrome:\nsys = @unix,Windows\nsig = t13d1516h2_*_*\n"
				"label = s:!:Any:\nsys = \nsig = *_*_*\n"
				"label = s:win:Windows:SChannel\nsig = t12d1516h2_*_*\n") != NULL,
		  "%s", g_err);

	const struct np_db *db = g_db;
	uint32_t linux_id = np_db_label(db, db->tcp[NP_DIR_REQUEST][0].label)->name_id;
	uint32_t mac_id = np_db_label(db, db->tcp[NP_DIR_REQUEST][1].label)->name_id;
	uint32_t win_id = np_db_label(db, db->tcp[NP_DIR_REQUEST][2].label)->name_id;
	const struct np_label *safari = np_db_label(db, db->tls[NP_DIR_REQUEST][0].label);
	const struct np_label *chrome = np_db_label(db, db->tls[NP_DIR_REQUEST][1].label);
	const struct np_label *any = np_db_label(db, db->tls[NP_DIR_REQUEST][2].label);
	const struct np_label *schannel = np_db_label(db, db->tls[NP_DIR_REQUEST][3].label);

	cr_assert(not(np_tls_os_mismatch(safari, mac_id, 1)));
	cr_assert(np_tls_os_mismatch(safari, linux_id, 1));
	cr_assert(np_tls_os_mismatch(safari, win_id, 0));
	cr_assert(not(np_tls_os_mismatch(chrome, linux_id, 1)));
	cr_assert(not(np_tls_os_mismatch(chrome, mac_id, 1)));
	cr_assert(not(np_tls_os_mismatch(chrome, win_id, 0)));
	cr_assert(np_tls_os_mismatch(chrome, 9999, 2));	/* neither a name nor a class of its */
	cr_assert(not(np_tls_os_mismatch(any, linux_id, 1)));	/* names no family */
	cr_assert(not(np_tls_os_mismatch(schannel, win_id, 0)));
	cr_assert(np_tls_os_mismatch(schannel, linux_id, 1));
}
