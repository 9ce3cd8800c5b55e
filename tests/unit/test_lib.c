/* SPDX-License-Identifier: MIT */
/*
 * libnetprint's contracts, through netprint.h alone and the shared
 * library: the documented errors for bad arguments and wrong states, a
 * database shared by observers in two threads, a database released while
 * observers hold it, polling and callbacks giving the same records, a
 * swapped database, captures ended early or stopped.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include "np_assert.h"

#include "netprint.h"

#define CAPTURES NP_TEST_CAPTURES
/* every kind of record: syn, syn+ack, mtu, uptime, http, tls, host change, ip sharing */
#define MIXED CAPTURES "/ndpi__sites.pcap"
#define HTTP CAPTURES "/arkime__http-301-get.pcap"

static const char *const db_paths[] = { NP_TEST_FP, NP_TEST_TLS_FP };

static struct np_db *
open_db(void)
{
	char msg[NP_MSG_MAX];
	struct np_db *db = NULL;
	int rc = np_db_open(&db, db_paths, 2, msg, sizeof(msg));

	cr_assert(eq(int, rc, NP_OK), "np_db_open: %s", msg);
	return db;
}

/* ---- Records as text, to compare runs ----------------------------------- */

struct texts {
	char **v;
	size_t n, cap;
	struct np_observer *obs;	/* to try calls from inside the callback */
	struct np_db *db;
	int busy_feed, busy_set_db;
	const struct np_record *busy_poll;
};

static void
texts_add(struct texts *t, const struct np_record *rec)
{
	char *block = malloc(NP_FORMAT_TEXT_MAX), *json = malloc(NP_FORMAT_TEXT_MAX);

	cr_assert(not(eq(ptr, block, NULL)));
	cr_assert(not(eq(ptr, json, NULL)));
	int nb = np_record_format(rec, NP_FORMAT_BLOCK, block, NP_FORMAT_TEXT_MAX);
	int nj = np_record_format(rec, NP_FORMAT_JSON, json, NP_FORMAT_TEXT_MAX);

	cr_assert(gt(int, nb, 0), "block: %s", np_strerror(nb));
	cr_assert(gt(int, nj, 0), "json: %s", np_strerror(nj));
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		cr_assert(not(eq(ptr, t->v, NULL)));
	}
	size_t len = (size_t)nb + (size_t)nj + 64;
	char *s = malloc(len);

	cr_assert(not(eq(ptr, s, NULL)));
	snprintf(s, len, "%d %s|%s%s", (int)rec->kind, rec->kind_name, block, json);
	t->v[t->n++] = s;
	free(block);
	free(json);
}

static void
texts_free(struct texts *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static void
texts_equal(const struct texts *a, const struct texts *b, const char *what)
{
	cr_assert(gt(sz, a->n, 100), "%s: only %zu records", what, a->n);
	cr_assert(eq(sz, a->n, b->n), "%s: %zu records and %zu", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		cr_assert(eq(str, a->v[i], b->v[i]), "%s: record %zu differs", what, i);
}

static void
collect(void *ctx, const struct np_record *rec)
{
	struct texts *t = ctx;

	texts_add(t, rec);
	if (t->obs) {	/* what the callback may not do */
		uint8_t frame[64] = { 0 };

		t->busy_feed = np_observer_feed(t->obs, frame, sizeof(frame), 0);
		t->busy_set_db = np_observer_set_db(t->obs, t->db);
		t->busy_poll = np_observer_poll(t->obs);
	}
}

/* Every record of path through a fresh observer on db, by callback. */
static void
run_callback(struct np_db *db, const char *path, struct texts *out)
{
	char msg[NP_MSG_MAX];
	struct np_capture *cap;
	struct np_observer *obs;

	cr_assert(eq(int, np_capture_open_file(&cap, path, msg, sizeof(msg)), NP_OK), "%s", msg);
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	np_observer_on_record(obs, collect, out);
	cr_assert(eq(int, np_capture_run(cap, obs), NP_OK));
	np_observer_free(obs);
	np_capture_close(cap);
}

/* The same by polling after every frame. */
static void
run_polling(struct np_db *db, const char *path, struct texts *out)
{
	char msg[NP_MSG_MAX];
	struct np_capture *cap;
	struct np_observer *obs;
	const struct np_record *rec;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;
	int rc, given = 0;
	size_t before = out->n;

	cr_assert(eq(int, np_capture_open_file(&cap, path, msg, sizeof(msg)), NP_OK), "%s", msg);
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	while ((rc = np_capture_next(cap, &frame, &len, &ts)) > 0) {
		int n = np_observer_feed(obs, frame, len, ts);

		cr_assert(ge(int, n, 0));
		given += n;
		while ((rec = np_observer_poll(obs)))
			texts_add(out, rec);
	}
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(sz, out->n - before, (size_t)given), "feed counted %d records, polled %zu",
		  given, out->n - before);
	np_observer_free(obs);
	np_capture_close(cap);
}

/* ---- Versions and errors ------------------------------------------------ */

Test(lib, version)
{
	cr_assert(eq(str, (char *)np_version(), NP_VERSION_STRING));
	cr_assert(eq(int, NP_VERSION_NUMBER,
		     NP_VERSION_MAJOR * 10000 + NP_VERSION_MINOR * 100 + NP_VERSION_PATCH));
}

Test(lib, every_error_has_its_own_sentence)
{
	const int codes[] = { NP_OK, NP_ERR_INVALID, NP_ERR_NOMEM, NP_ERR_IO, NP_ERR_DATABASE,
			      NP_ERR_LINKTYPE, NP_ERR_DAMAGED, NP_ERR_NOT_FOUND, NP_ERR_NO_SPACE,
			      NP_ERR_BUSY };
	const size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		cr_assert(not(eq(str, (char *)np_strerror(codes[i]), "unknown error")), "code %d", codes[i]);
		for (size_t k = 0; k < i; k++)
			cr_assert(not(eq(str, (char *)np_strerror(codes[i]), (char *)np_strerror(codes[k]))));
	}
	cr_assert(eq(str, (char *)np_strerror(-1000), "unknown error"));
	cr_assert(eq(str, (char *)np_strerror(5), "unknown error"));
}

Test(lib, db_open_errors)
{
	char msg[NP_MSG_MAX], path[] = "/tmp/np_test_lib_XXXXXX";
	struct np_db *db = (struct np_db *)&msg;	/* set to NULL on failure */
	const char *missing[] = { "/nonexistent/p0f.fp" };
	const char *nulls[] = { NULL };
	int fd = mkstemp(path);

	cr_assert(eq(int, np_db_open(NULL, db_paths, 2, msg, sizeof(msg)), NP_ERR_INVALID));
	cr_assert(eq(int, np_db_open(&db, NULL, 1, msg, sizeof(msg)), NP_ERR_INVALID));
	cr_assert(eq(ptr, db, NULL));
	cr_assert(eq(int, np_db_open(&db, nulls, 1, NULL, 0), NP_ERR_INVALID));
	cr_assert(eq(int, np_db_open(&db, missing, 1, msg, sizeof(msg)), NP_ERR_IO));
	cr_assert(not(eq(ptr, strstr(msg, "/nonexistent/p0f.fp"), NULL)), "%s", msg);

	cr_assert(ge(int, fd, 0));
	dprintf(fd, "classes = win,unix,other\n[tcp:request]\nlabel = s:unix:Linux:3.x\n"
		"sig = 4:64:0:*:mss*20,10:mss:df:bogus\n");
	close(fd);
	const char *bad[] = { path };
	cr_assert(eq(int, np_db_open(&db, bad, 1, msg, sizeof(msg)), NP_ERR_DATABASE));
	char want[64];

	snprintf(want, sizeof(want), "%s:4: ", path);
	cr_assert(eq(int, strncmp(msg, want, strlen(want)), 0), "%s", msg);
	cr_assert(eq(int, np_db_open(&db, bad, 1, NULL, 0), NP_ERR_DATABASE));	/* no msg: fine */
	unlink(path);
	np_db_unref(NULL);
	cr_assert(eq(ptr, np_db_ref(NULL), NULL));
}

Test(lib, db_open_default_is_the_bundled_pair)
{
	char msg[NP_MSG_MAX];
	struct np_db *db, *bundled = open_db();
	struct np_db_counts a, b;

	/* installed with the library, or (not installed yet) the source tree's */
	cr_assert(eq(int, np_db_open(&db, NULL, 0, msg, sizeof(msg)), NP_OK), "%s", msg);
	np_db_counts(db, &a);
	np_db_counts(bundled, &b);
	cr_assert(eq(sz, a.tcp, b.tcp));
	cr_assert(eq(sz, a.tls, b.tls));
	np_db_unref(db);
	np_db_unref(bundled);
}

Test(lib, db_counts)
{
	struct np_db *db = open_db();
	struct np_db_counts c;

	np_db_counts(db, &c);
	cr_assert(gt(sz, c.tcp, 100));
	cr_assert(gt(sz, c.http, 10));
	cr_assert(gt(sz, c.mtu, 10));
	cr_assert(gt(sz, c.tls, 0));
	np_db_unref(db);
}

Test(lib, observer_new_errors)
{
	struct np_db *db = open_db();
	struct np_observer *obs = (struct np_observer *)db;
	struct np_limits zero = { 0, 10000, 30, 120 }, big = { NP_LIMIT_COUNT_MAX + 1, 10, 30, 120 },
			 old = { 1000, 10000, 30, NP_LIMIT_AGE_MAX + 1 }, ok = { 10, 10, 1, 1 };

	cr_assert(eq(int, np_observer_new(NULL, db, 1, NULL), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_new(&obs, NULL, 1, NULL), NP_ERR_INVALID));
	cr_assert(eq(ptr, obs, NULL));
	cr_assert(eq(int, np_observer_new(&obs, db, -1, NULL), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_new(&obs, db, 1, &zero), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_new(&obs, db, 1, &big), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_new(&obs, db, 1, &old), NP_ERR_INVALID));
	/* DLT_USB_LINUX: libpcap cannot filter TCP there, nor can p0f read it */
	cr_assert(eq(int, np_observer_new(&obs, db, 189, NULL), NP_ERR_LINKTYPE));
	cr_assert(eq(ptr, obs, NULL));
	cr_assert(eq(int, np_observer_new(&obs, db, 1, &ok), NP_OK));
	np_observer_free(obs);
	/* DLT_C_HDLC: no fixed offset, read by guessing it as p0f does */
	cr_assert(eq(int, np_observer_new(&obs, db, 104, NULL), NP_OK));
	np_observer_free(obs);
	np_observer_free(NULL);
	np_db_unref(db);
}

Test(lib, feed_poll_format_host_errors)
{
	struct np_db *db = open_db();
	struct np_observer *obs;
	struct np_host_info host;
	struct np_record forged;
	struct np_stats st;
	uint8_t addr[16] = { 10, 0, 0, 1 };
	char buf[64];

	cr_assert(eq(int, np_observer_new(&obs, db, 1, NULL), NP_OK));
	cr_assert(eq(int, np_observer_feed(NULL, buf, 10, 0), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_feed(obs, NULL, 10, 0), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_feed(obs, NULL, 0, 0), 0));	/* an empty frame: skipped */
	memset(buf, 0xff, sizeof(buf));
	cr_assert(eq(int, np_observer_feed(obs, buf, sizeof(buf), 1), 0));	/* garbage: skipped */
	np_observer_stats(obs, &st);
	cr_assert(eq(u64, st.frames, 2));
	cr_assert(eq(u64, st.skipped, 2));
	cr_assert(eq(u64, st.skip_short + st.skip_link, 2), "an empty frame, a garbage one");
	cr_assert(eq(ptr, (void *)np_observer_poll(obs), NULL));
	cr_assert(eq(ptr, (void *)np_observer_poll(NULL), NULL));
	cr_assert(eq(int, np_observer_set_db(obs, NULL), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_set_db(NULL, db), NP_ERR_INVALID));

	memset(&forged, 0, sizeof(forged));	/* not one the library gave */
	cr_assert(eq(int, np_record_format(&forged, NP_FORMAT_LOG, buf, sizeof(buf)), NP_ERR_INVALID));
	cr_assert(eq(int, np_record_format(NULL, NP_FORMAT_LOG, buf, sizeof(buf)), NP_ERR_INVALID));

	cr_assert(eq(int, np_observer_host(obs, 4, addr, &host), NP_ERR_NOT_FOUND));
	cr_assert(eq(int, np_observer_host(obs, 5, addr, &host), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_host(obs, 4, NULL, &host), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_host(obs, 4, addr, NULL), NP_ERR_INVALID));
	cr_assert(eq(int, np_observer_host(NULL, 4, addr, &host), NP_ERR_INVALID));
	np_observer_free(obs);
	np_db_unref(db);
}

/* A record formatted into buffers too small, and with a bad format. */
static void
format_small(void *ctx, const struct np_record *rec)
{
	int *checked = ctx;
	char small[40], big[NP_FORMAT_TEXT_MAX];

	for (int how = NP_FORMAT_BLOCK; how <= NP_FORMAT_JSON; how++) {
		int n = np_record_format(rec, (enum np_format)how, big, sizeof(big));

		cr_assert(gt(int, n, 0));
		cr_assert(eq(sz, strlen(big), (size_t)n));
		cr_assert(eq(int, np_record_format(rec, (enum np_format)how, small, sizeof(small)),
			     NP_ERR_NO_SPACE));
		cr_assert(eq(int, np_record_format(rec, (enum np_format)how, big, (size_t)n),
			     NP_ERR_NO_SPACE), "exactly the length leaves no room for the NUL");
	}
	struct np_record copy = *rec;	/* a copy is not the record the library holds */

	cr_assert(eq(int, np_record_format(&copy, NP_FORMAT_LOG, big, sizeof(big)), NP_ERR_INVALID));
	cr_assert(eq(int, np_record_format(rec, (enum np_format)7, big, sizeof(big)), NP_ERR_INVALID));
	cr_assert(eq(int, np_record_format(rec, NP_FORMAT_LOG, NULL, 10), NP_ERR_INVALID));
	(*checked)++;
}

Test(lib, format_errors)
{
	struct np_db *db = open_db();
	struct np_capture *cap;
	struct np_observer *obs;
	int checked = 0;

	cr_assert(eq(int, np_capture_open_file(&cap, HTTP, NULL, 0), NP_OK));
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	np_observer_on_record(obs, format_small, &checked);
	cr_assert(eq(int, np_capture_run(cap, obs), NP_OK));
	cr_assert(gt(int, checked, 3));
	np_observer_free(obs);
	np_capture_close(cap);
	np_db_unref(db);
}

Test(lib, callback_may_not_reenter)
{
	struct np_db *db = open_db();
	struct np_capture *cap;
	struct texts t = { .db = db };

	cr_assert(eq(int, np_capture_open_file(&cap, HTTP, NULL, 0), NP_OK));
	cr_assert(eq(int, np_observer_new(&t.obs, db, np_capture_linktype(cap), NULL), NP_OK));
	np_observer_on_record(t.obs, collect, &t);
	cr_assert(eq(int, np_capture_run(cap, t.obs), NP_OK));
	cr_assert(gt(sz, t.n, 0));
	cr_assert(eq(int, t.busy_feed, NP_ERR_BUSY));
	cr_assert(eq(int, t.busy_set_db, NP_ERR_BUSY));
	cr_assert(eq(ptr, (void *)t.busy_poll, NULL));
	np_observer_free(t.obs);
	np_capture_close(cap);
	np_db_unref(db);
	t.obs = NULL;
	texts_free(&t);
}

Test(lib, capture_errors)
{
	char msg[NP_MSG_MAX], path[] = "/tmp/np_test_lib_XXXXXX";
	struct np_capture *cap = (struct np_capture *)&msg;
	int fd = mkstemp(path);

	cr_assert(eq(int, np_capture_open_file(NULL, HTTP, msg, sizeof(msg)), NP_ERR_INVALID));
	cr_assert(eq(int, np_capture_open_file(&cap, NULL, msg, sizeof(msg)), NP_ERR_INVALID));
	cr_assert(eq(ptr, cap, NULL));
	cr_assert(eq(int, np_capture_open_file(&cap, "/nonexistent.pcap", msg, sizeof(msg)),
		     NP_ERR_IO));
	cr_assert(not(eq(ptr, strstr(msg, "/nonexistent.pcap"), NULL)), "%s", msg);
	cr_assert(eq(int, np_capture_open_live(&cap, "np-no-such-if0", false, msg, sizeof(msg)),
		     NP_ERR_IO));
	cr_assert(not(eq(ptr, strstr(msg, "np-no-such-if0"), NULL)), "%s", msg);
	cr_assert(eq(int, np_capture_linktype(NULL), NP_ERR_INVALID));
	cr_assert(eq(int, np_capture_run(NULL, NULL), NP_ERR_INVALID));
	np_capture_stop(NULL);
	np_capture_close(NULL);

	/* a link type p0f cannot read either: USB (189) */
	char usb[] = "/tmp/np_test_lib_usb_XXXXXX";
	int ufd = mkstemp(usb);
	const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 189 };

	cr_assert(ge(int, ufd, 0));
	cr_assert(eq(sz, (size_t)write(ufd, hdr, sizeof(hdr)), sizeof(hdr)));
	close(ufd);
	cr_assert(eq(int, np_capture_open_file(&cap, usb, msg, sizeof(msg)), NP_ERR_LINKTYPE));
	cr_assert(not(eq(ptr, strstr(msg, "link type 189"), NULL)), "%s", msg);
	unlink(usb);

	/* a capture cut inside its third record */
	FILE *in = fopen(HTTP, "rb");
	uint8_t data[4096];
	size_t n = fread(data, 1, sizeof(data), in);

	fclose(in);
	cr_assert(gt(sz, n, 300));
	cr_assert(ge(int, fd, 0));
	cr_assert(eq(sz, (size_t)write(fd, data, 24 + 2 * 16 + 2 * 78 + 30), 24 + 2 * 16 + 2 * 78 + 30));
	close(fd);

	struct np_db *db = open_db();
	struct np_observer *obs;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;

	cr_assert(eq(int, np_capture_open_file(&cap, path, msg, sizeof(msg)), NP_OK), "%s", msg);
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	cr_assert(eq(int, np_capture_run(cap, obs), NP_ERR_DAMAGED));
	cr_assert(not(eq(ptr, strstr(np_capture_error(cap), "truncated capture after 2 frames"), NULL)),
		  "%s", np_capture_error(cap));
	cr_assert(eq(int, np_capture_next(cap, &frame, &len, &ts), NP_ERR_DAMAGED), "and stays so");
	np_capture_close(cap);

	/* stopped: no frame after, from a file whole */
	cr_assert(eq(int, np_capture_open_file(&cap, HTTP, msg, sizeof(msg)), NP_OK));
	cr_assert(eq(str, (char *)np_capture_error(cap), ""));
	cr_assert(eq(int, np_capture_next(cap, &frame, &len, &ts), 1));
	np_capture_stop(cap);
	cr_assert(eq(int, np_capture_next(cap, &frame, &len, &ts), 0));
	cr_assert(eq(int, np_capture_run(cap, obs), NP_OK));
	np_capture_close(cap);
	np_observer_free(obs);
	np_db_unref(db);
	unlink(path);
}

/* ---- Records: callback and polling, threads, references ----------------- */

Test(lib, polling_and_callback_give_the_same_records)
{
	struct np_db *db = open_db();
	struct texts a = { 0 }, b = { 0 };

	run_callback(db, MIXED, &a);
	run_polling(db, MIXED, &b);
	texts_equal(&a, &b, "callback vs polling");
	texts_free(&a);
	texts_free(&b);
	np_db_unref(db);
}

struct thread_run {
	struct np_db *db;
	struct texts t;
};

static void *
thread_main(void *arg)
{
	struct thread_run *r = arg;

	for (int i = 0; i < 3; i++)
		run_callback(r->db, MIXED, &r->t);
	return NULL;
}

Test(lib, one_database_two_threads)
{
	struct np_db *db = open_db();
	struct texts alone = { 0 };
	struct thread_run r[2] = { { .db = db }, { .db = db } };
	pthread_t th[2];

	for (int i = 0; i < 3; i++)
		run_callback(db, MIXED, &alone);
	for (int i = 0; i < 2; i++)
		cr_assert(eq(int, pthread_create(&th[i], NULL, thread_main, &r[i]), 0));
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	texts_equal(&alone, &r[0].t, "thread 1 vs one observer alone");
	texts_equal(&alone, &r[1].t, "thread 2 vs one observer alone");
	texts_free(&alone);
	texts_free(&r[0].t);
	texts_free(&r[1].t);
	np_db_unref(db);
}

Test(lib, database_released_while_observers_hold_it)
{
	struct np_db *db = open_db();
	struct texts want = { 0 }, got = { 0 };
	struct np_capture *cap;
	struct np_observer *a, *b;

	run_callback(db, MIXED, &want);
	cr_assert(eq(int, np_capture_open_file(&cap, MIXED, NULL, 0), NP_OK));
	cr_assert(eq(int, np_observer_new(&a, db, np_capture_linktype(cap), NULL), NP_OK));
	cr_assert(eq(int, np_observer_new(&b, db, np_capture_linktype(cap), NULL), NP_OK));
	np_db_unref(db);	/* the program's reference: the observers keep theirs */
	np_observer_free(b);	/* one observer gone: the database stays for the other */
	np_observer_on_record(a, collect, &got);
	cr_assert(eq(int, np_capture_run(cap, a), NP_OK));	/* ASan: no use after free */
	texts_equal(&want, &got, "after the program released the database");
	np_observer_free(a);	/* the last reference: freed here (LSan: not leaked) */
	np_capture_close(cap);
	texts_free(&want);
	texts_free(&got);
}

Test(lib, database_swapped_under_an_observer)
{
	struct np_db *db = open_db(), *next = open_db();
	struct np_capture *cap;
	struct np_observer *obs;
	struct texts t = { 0 };
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;
	unsigned frames = 0;

	cr_assert(eq(int, np_capture_open_file(&cap, MIXED, NULL, 0), NP_OK));
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	np_db_unref(db);
	np_observer_on_record(obs, collect, &t);
	while (np_capture_next(cap, &frame, &len, &ts) > 0) {
		if (++frames == 500) {	/* the old one is freed here: ASan sees any later use */
			cr_assert(eq(int, np_observer_set_db(obs, next), NP_OK));
			np_db_unref(next);
		}
		np_observer_feed(obs, frame, len, ts);
	}
	cr_assert(gt(u32, frames, 500));

	struct texts want = { 0 };
	struct np_db *again = open_db();

	run_callback(again, MIXED, &want);
	np_db_unref(again);
	texts_equal(&want, &t, "the same database, swapped midway");
	np_observer_free(obs);
	np_capture_close(cap);
	texts_free(&t);
	texts_free(&want);
}

/* ---- Hosts and views ---------------------------------------------------- */

static void
check_view(void *ctx, const struct np_record *rec)
{
	unsigned *kinds = ctx;

	kinds[rec->kind]++;
	cr_assert(eq(int, rec->client.ip_version, rec->server.ip_version));
	cr_assert(not(eq(ptr, (void *)rec->client.text, NULL)));
	switch (rec->kind) {
	case NP_KIND_SYN:
	case NP_KIND_SYNACK:
		cr_assert(not(eq(ptr, (void *)rec->raw_sig, NULL)));
		cr_assert(not(eq(ptr, (void *)rec->params, NULL)));
		cr_assert(eq(int, rec->subject_is_client, rec->kind == NP_KIND_SYN));
		if (rec->match.quality != NP_MATCH_NONE) {
			size_t n = strlen(rec->match.name);

			cr_assert(eq(int, strncmp(rec->match.text, rec->match.name, n), 0));
			cr_assert(eq(int, rec->match.is_os, rec->match.class_name != NULL));
		}
		break;
	case NP_KIND_MTU:
		cr_assert(gt(u32, rec->mtu, 0));
		break;
	case NP_KIND_TLS_CLIENT:
		cr_assert(eq(sz, strlen(rec->ja4), 36));
		cr_assert(eq(sz, strlen(rec->ja3), 32));
		cr_assert(not(eq(ptr, (void *)rec->ja3_raw, NULL)));
		cr_assert(not(eq(ptr, (void *)rec->alpn, NULL)));
		break;
	case NP_KIND_TLS_SERVER:
		cr_assert(eq(sz, strlen(rec->ja3), 32));
		break;
	case NP_KIND_HOST_CHANGE:
	case NP_KIND_IP_SHARING:
		cr_assert(gt(sz, strlen(rec->reasons), 0));
		break;
	default:
		break;
	}
}

Test(lib, views_and_hosts)
{
	struct np_db *db = open_db();
	struct np_capture *cap;
	struct np_observer *obs;
	struct np_host_info h;
	struct np_stats st;
	unsigned kinds[NP_KIND_SENDSYN_RESPONSE + 1] = { 0 };
	/* the HTTP capture's client, and what p0f 3.09b says of it in its log of
	 * the capture (tests/captures/p0f-ref/arkime__http-301-get.pcap.p0f.log):
	 * seen at 2013/11/25 15:55:28 UTC, MacOS X at distance 0 on Ethernet,
	 * curl, up 33 days 5 hrs 33 min */
	const uint8_t client[4] = { 10, 180, 156, 141 };

	cr_assert(eq(int, np_capture_open_file(&cap, MIXED, NULL, 0), NP_OK));
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	np_observer_on_record(obs, check_view, kinds);
	cr_assert(eq(int, np_capture_run(cap, obs), NP_OK));
	for (int k = NP_KIND_SYN; k <= NP_KIND_TLS_SERVER; k++)
		cr_assert(gt(u32, kinds[k], 0), "no record of kind %d", k);
	np_observer_stats(obs, &st);
	cr_assert(gt(u64, st.frames, 500));
	cr_assert(eq(u64, st.frames, st.tcp + st.udp + st.skipped));
	cr_assert(eq(u64, st.skipped, st.skip_link + st.skip_short + st.skip_bad_ip +
		     st.skip_not_tcp_udp + st.skip_fragment + st.skip_bad_tcp + st.skip_tcp_flags));
	cr_assert(eq(u64, st.syn, kinds[NP_KIND_SYN]));
	cr_assert(eq(u64, st.synack, kinds[NP_KIND_SYNACK]));
	cr_assert(ge(u64, st.matched, 1));
	cr_assert(gt(u64, st.tls_hellos, 0));
	np_observer_free(obs);
	np_capture_close(cap);

	cr_assert(eq(int, np_capture_open_file(&cap, HTTP, NULL, 0), NP_OK));
	cr_assert(eq(int, np_observer_new(&obs, db, np_capture_linktype(cap), NULL), NP_OK));
	cr_assert(eq(int, np_capture_run(cap, obs), NP_OK));
	cr_assert(eq(int, np_observer_host(obs, 4, client, &h), NP_OK));
	cr_assert(eq(u32, h.first_seen, 1385394928));
	cr_assert(eq(u32, h.total_conn, 1));
	cr_assert(eq(int, h.distance, 0));
	cr_assert(eq(int, h.uptime_min, (33 * 24 + 5) * 60 + 33));
	cr_assert(eq(int, h.os.quality, NP_MATCH_EXACT));
	cr_assert(eq(str, (char *)h.os.name, "MacOS X"));
	cr_assert(eq(str, (char *)h.http.name, "curl"));
	cr_assert(eq(str, (char *)h.link, "Ethernet or modem"));
	cr_assert(eq(int, h.has_tls, false));
	np_observer_free(obs);
	np_capture_close(cap);
	np_db_unref(db);
}
