/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: what a collector does with a message's input record
 * (collector/collect.c), the bytes coming from anyone who can publish on
 * the subjects: base64 back and forth, np_rec_unpack(), np_rec_check()
 * against the bundled databases, then the host logic (np_hosts_process)
 * on a host table of its own and every record it yields formatted by
 * every output (np_fuzz_format_record's checks).
 *
 * Random bytes rarely make a record, so the input mostly edits real ones:
 * at start, two bundled captures go through the pipeline and every input
 * record is kept packed, as a sensor publishes it. The input is a list of
 * 5-byte steps, each followed by its patch:
 *   u8 op: bit 0 0 = XOR the patch into the record at off, 1 = cut the
 *          record to off bytes, then append the patch; bits 1..6 the
 *          patch's length;
 *   u16 index of the record (modulo their number), u16 off (little end).
 * A record that unpacks must pack again to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "db.h"
#include "fuzz_common.h"
#include "hosts.h"
#include "nats_wire.h"
#include "pipeline.h"

#define MAX_RECORDS 2048

struct packed {
	size_t len;
	uint8_t *b;
};

static struct packed g_recs[MAX_RECORDS];
static unsigned g_n;
static struct np_db *g_db;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each input of the host logic, packed as the logger packs it for NATS. */
static void
keep_input(void *ctx, const struct np_rec *r, const char *tail)
{
	uint8_t buf[NP_REC_PACK_MAX];
	size_t n = np_rec_pack(r, tail, g_db->digest, buf, sizeof(buf));

	(void)ctx;
	if (!n || g_n == MAX_RECORDS)
		return;
	NP_FUZZ_CHECK((g_recs[g_n].b = malloc(n)) != NULL, "out of memory");
	memcpy(g_recs[g_n].b, buf, n);
	g_recs[g_n++].len = n;
}

static void
read_capture(const char *path)
{
	static struct np_pipeline p;
	char err[NP_DB_ERR_MAX];
	struct np_capture c;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;

	NP_FUZZ_CHECK(np_capture_init(&c, path, err, sizeof(err)) == 0, "%s", err);
	NP_FUZZ_CHECK(np_pipeline_init(&p, g_db, c.dlt, 1000, 30, 10000, 120, np_fuzz_emit_nothing, NULL) == 0,
		      "pipeline init");
	p.input = keep_input;
	while (np_capture_next(&c, &frame, &len, &ts) == 1)
		np_pipeline_frame(&p, frame, len, ts);
	np_pipeline_fini(&p);
	np_capture_fini(&c);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	np_fuzz_setup();
	g_db = np_fuzz_bundled_db();
	np_fuzz_tls_bufs = 4;
	read_capture(NP_FUZZ_API_TRACE);
	read_capture(NP_FUZZ_DB_TRACE_TLS);
	NP_FUZZ_CHECK(g_n > 16, "only %u input records from the captures", g_n);
	return 0;
}

static void
format_each(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx;
	np_fuzz_format_record(r, tail);
}

/* One edited record through what the collector does with it. */
static void
take(struct np_hosts *hs, const uint8_t *b, size_t len)
{
	static char b64[NP_BASE64_LEN(NP_NATS_INPUT_MAX)];
	static uint8_t back[NP_NATS_INPUT_MAX], again[NP_REC_PACK_MAX];
	static char tail[NP_TAIL_MAX + 1];
	struct np_rec r;
	uint64_t digest;
	long n;

	if (len > NP_NATS_INPUT_MAX)
		return;
	np_base64_encode(b, len, b64);
	n = np_base64_decode(b64, strlen(b64), back, sizeof(back));
	NP_FUZZ_CHECK(n == (long)len && !memcmp(back, b, len), "base64 round trip of %zu bytes",
		      len);
	if (np_rec_unpack(b, len, &r, tail, &digest))
		return;
	NP_FUZZ_CHECK(np_rec_pack(&r, r.tail_len ? tail : NULL, digest, again, sizeof(again)) ==
			      len && !memcmp(again, b, len),
		      "a record unpacked packs to other bytes (kind %u)", r.kind);
	if ((np_rec_has_names(r.kind) && digest != g_db->digest) || np_rec_check(&r, g_db))
		return;
	r.worker &= 63;		/* the collector's host worker */
	np_rec_resolve(&r, g_db);
	np_hosts_process(hs, &r, r.tail_len ? tail : NULL, format_each, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[NP_REC_PACK_MAX + 64];
	struct np_hosts hs;

	NP_FUZZ_CHECK(np_hosts_init(&hs, 256, 64, 64) == 0, "hosts init");
	while (size >= 5) {
		unsigned op = data[0], plen = op >> 1 & 63;
		const struct packed *p = &g_recs[(data[1] | data[2] << 8) % g_n];
		size_t off = (size_t)(data[3] | data[4] << 8), len = p->len;

		data += 5;
		size -= 5;
		if (plen > size)
			plen = (unsigned)size;
		memcpy(buf, p->b, len);
		if (op & 1) {	/* cut, then append */
			len = off < len ? off : len;
			memcpy(buf + len, data, plen);
			len += plen;
		} else {	/* XOR in place */
			for (unsigned i = 0; i < plen && off + i < len; i++)
				buf[off + i] ^= data[i];
		}
		data += plen;
		size -= plen;
		take(&hs, buf, len);
	}
	np_hosts_fini(&hs);
	return 0;
}
