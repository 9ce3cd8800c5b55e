/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: frames through the whole single-thread pipeline
 * (engine/pipeline.h: link, IP, TCP, UDP parsing, p0f's flow rules, HTTP
 * collection, TLS/QUIC/DTLS hello tracking and reassembly, matching
 * against the bundled p0f.fp + tls.fp, hosts, uptime, NAT scores), every
 * record it emits formatted by every output (fuzz_common.c), and the query
 * API asked about the hosts those records name. The tables
 * are tiny and expiry runs often, so eviction, pool-empty and expiry paths
 * run on short inputs. Each input starts from a fresh pipeline, so a
 * finding replays alone.
 *
 * Input (tests/fuzz/make_seeds.py writes it from pcap files):
 *   u16 DLT (big-endian; an unsupported value picks a supported one)
 *   u8  limits: bits 0-1 max connections (3, 8, 24, 64), bits 2-3 max hosts
 *       (2, 8, 32, 1000), bits 4-5 TLS reassembly buffers (1, 2, 4, 32),
 *       bit 6: HTTP state for one flow only, bit 7: expire every packet
 *       rather than every 50
 *   u8  ages: bits 0-5 connection max age 1..64 s, bits 6-7 host idle 1..4 min
 *   u32 first frame's time, seconds (big-endian)
 *   then frames: u8 time step, u16 length (big-endian, cut to what is
 *   left), the frame. Step 0x00-0x7f: that many ms later; 0x80-0xfe:
 *   (step & 0x7f) s later; 0xff: 10 s earlier (captures go back in time).
 * Each frame is copied into a buffer of its own length, so a read past a
 * frame's end is an ASan report rather than a read of the next frame.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fuzz_common.h"
#include "packet.h"
#include "pipeline.h"

#define HDR_LEN 8
#define MAX_FRAMES 4096

static struct np_db *g_db;
static int g_dlts[64];
static unsigned g_n_dlts;
static struct np_pipeline g_p;		/* big (an observation's tails): not on the stack */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *paths[] = { NP_FUZZ_FP, NP_FUZZ_TLS_FP };
	char err[NP_DB_ERR_MAX];

	(void)argc, (void)argv;
	np_fuzz_fixed_zone();
	g_db = np_db_load_files(paths, 2, err, sizeof(err));
	NP_FUZZ_CHECK(g_db != NULL, "bundled databases: %s", err);
	g_db->generation = 1;
	/* whatever link types the parsers support today, new ones included */
	for (int dlt = 0; dlt < 1024 && g_n_dlts < sizeof(g_dlts) / sizeof(g_dlts[0]); dlt++)
		if (np_link_dlt_supported(dlt))
			g_dlts[g_n_dlts++] = dlt;
	NP_FUZZ_CHECK(g_n_dlts > 0, "no supported link type");
	return 0;
}

static void
emit(void *ctx, const struct np_record *r, const char *tail)
{
	(void)ctx;
	np_fuzz_format_record(r, tail);
}

static uint32_t
rd16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t conns[] = { 3, 8, 24, 64 }, hosts[] = { 2, 8, 32, 1000 },
			      bufs[] = { 1, 2, 4, 32 };
	struct np_pipeline *p = &g_p;

	if (size < HDR_LEN)
		return -1;	/* not an input: keep it out of the corpus */

	int dlt = (int)rd16(data);
	uint8_t lim = data[2], ages = data[3];
	uint32_t max_conn = conns[lim & 3], max_age = 1 + (ages & 0x3f);
	uint64_t ts = (uint64_t)(rd16(data + 4) << 16 | rd16(data + 6)) * 1000000;

	if (!np_link_dlt_supported(dlt))
		dlt = g_dlts[(unsigned)dlt % g_n_dlts];
	np_fuzz_tls_bufs = bufs[lim >> 4 & 3];	/* few, so hellos find the pool empty */
	NP_FUZZ_CHECK(np_pipeline_init(p, g_db, dlt, max_conn, max_age, hosts[lim >> 2 & 3],
				       1 + (ages >> 6), emit, NULL) == 0, "pipeline init");
	if (lim & 0x40)
		np_observer_limit_http(&p->obs, 1);
	if (lim & 0x80)
		np_observer_share(&p->obs, 50);		/* p0f's expiry on every frame */

	np_fuzz_query_seen(NULL);
	size_t off = HDR_LEN;
	for (unsigned n = 0; off + 3 <= size && n < MAX_FRAMES; n++) {
		uint8_t step = data[off];
		uint32_t len = rd16(data + off + 1);

		off += 3;
		if (len > size - off)
			len = (uint32_t)(size - off);
		if (step < 0x80)
			ts += step * 1000ull;
		else if (step < 0xff)
			ts += (step & 0x7full) * 1000000;
		else
			ts = ts > 10000000 ? ts - 10000000 : 0;

		uint8_t *frame = malloc(len ? len : 1);

		NP_FUZZ_CHECK(frame != NULL, "out of memory");
		memcpy(frame, data + off, len);
		np_pipeline_frame(p, frame, len, ts);
		free(frame);
		off += len;
	}
	np_fuzz_query_seen(&p->hosts);	/* the API on the hosts this traffic made */
	NP_FUZZ_CHECK(p->parsed <= p->frames, "parsed %llu of %llu frames",
		      (unsigned long long)p->parsed, (unsigned long long)p->frames);
	np_pipeline_fini(p);
	return 0;
}
