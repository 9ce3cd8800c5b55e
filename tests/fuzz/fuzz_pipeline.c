/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: frames through the whole single-thread pipeline
 * (core/pipeline.h: link, IP, TCP, UDP parsing, p0f's flow rules, HTTP
 * collection, TLS/QUIC/DTLS hello tracking and reassembly, matching
 * against the bundled p0f.fp + tls.fp, hosts, uptime, NAT scores), every
 * record it emits formatted by every output (fuzz_common.c), and the query
 * API asked about the hosts those records name; the web console's memory of
 * the records (output/console_stats.c) answers its calls, and its database
 * experiment run with the database in use changes no TCP or TLS answer (the
 * fields a TCP record carries are all the matcher read). The tables are tiny (the
 * TLS reassembly pool too, through fuzz_common.c's link-time wrap) and
 * expiry can run on every frame, so eviction, pool-empty and expiry paths
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
 *   then frames: u8 time step, u16 length (big-endian; its low 14 bits,
 *   cut to what is left), the frame. Step 0x00-0x7f: that many ms later;
 *   0x80-0xfe: (step & 0x7f) s later; 0xff: 10 s earlier (captures go back
 *   in time). The length's top two bits seal the frame's QUIC Initial
 *   packets before it goes in, so that mutations of their plaintext get
 *   past AES-GCM to the CRYPTO frame walk, the reassembly and the hello
 *   parser: 0xc000 with the client keys of the packet's own Destination
 *   Connection ID, remembered for its UDP flow; 0x8000 with the client keys
 *   of the flow's remembered DCID (its own if none); 0x4000 with the server
 *   keys of the flow's remembered DCID. A sealed packet is written as plain
 *   text: header with the packet number unprotected, frames, 16 bytes whose
 *   place the tag takes (make_seeds.py opens the generator's QUIC flights
 *   that way).
 * Each frame is copied into a buffer of its own length, so a read past a
 * frame's end is an ASan report rather than a read of the next frame.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "console_stats.h"
#include "db.h"
#include "fuzz_common.h"
#include "packet.h"
#include "pipeline.h"
#include "quic.h"

#define HDR_LEN 8
#define MAX_FRAMES 4096

#define LEN_MASK 0x3fff
#define SEAL_OWN 0xc000		/* client keys of the packet's DCID, remembered */
#define SEAL_CLIENT 0x8000	/* client keys of the flow's DCID */
#define SEAL_SERVER 0x4000	/* server keys of the flow's DCID */
#define SEAL_FLOWS 16

static struct np_db *g_db;
static struct np_quic_crypto *g_quic;
static EVP_CIPHER_CTX *g_gcm, *g_ecb;

/* A UDP flow's remembered client DCID, whichever way its packets go. */
static struct seal_flow {
	uint8_t ip_ver, dcid_len;
	uint16_t port[2];
	uint8_t addr[2][16];
	uint32_t version;
	uint8_t dcid[NP_QUIC_CID_MAX];
} g_flows[SEAL_FLOWS];
static unsigned g_n_flows;
static int g_dlts[64];
static unsigned g_n_dlts;
static struct np_pipeline g_p;		/* big (an observation's tails): not on the stack */
static struct np_console_stats *g_cs;	/* a fresh one each input */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	np_fuzz_setup();
	g_db = np_fuzz_bundled_db();
	g_db->generation = 1;
	/* whatever link types the parsers support today, new ones included */
	for (int dlt = 0; dlt < 1024 && g_n_dlts < sizeof(g_dlts) / sizeof(g_dlts[0]); dlt++)
		if (np_link_dlt_supported(dlt))
			g_dlts[g_n_dlts++] = dlt;
	NP_FUZZ_CHECK(g_n_dlts > 0, "no supported link type");
	g_quic = np_quic_crypto_new();
	g_gcm = EVP_CIPHER_CTX_new();
	g_ecb = EVP_CIPHER_CTX_new();
	NP_FUZZ_CHECK(g_quic && g_gcm && g_ecb &&
			      EVP_EncryptInit_ex(g_gcm, EVP_aes_128_gcm(), NULL, NULL, NULL) &&
			      EVP_EncryptInit_ex(g_ecb, EVP_aes_128_ecb(), NULL, NULL, NULL),
		      "libcrypto");
	EVP_CIPHER_CTX_set_padding(g_ecb, 0);
	return 0;
}

static struct seal_flow *
seal_flow(const struct np_udp *u)
{
	unsigned alen = u->ip_ver == 4 ? 4 : 16;
	struct seal_flow *f;

	for (unsigned i = 0; i < g_n_flows; i++) {
		f = &g_flows[i];
		for (int d = 0; d < 2; d++)
			if (f->ip_ver == u->ip_ver && f->port[d] == u->sport &&
			    f->port[!d] == u->dport && !memcmp(f->addr[d], u->src, alen) &&
			    !memcmp(f->addr[!d], u->dst, alen))
				return f;
	}
	f = &g_flows[g_n_flows < SEAL_FLOWS ? g_n_flows++ : SEAL_FLOWS - 1];
	memset(f, 0, sizeof(*f));
	f->ip_ver = u->ip_ver;
	f->port[0] = u->sport;
	f->port[1] = u->dport;
	memcpy(f->addr[0], u->src, alen);
	memcpy(f->addr[1], u->dst, alen);
	return f;
}

/* RFC 9001 section 5: AEAD over the payload, then header protection. */
static void
seal_packet(uint8_t *pkt, const struct np_quic_long *h, const struct np_quic_keys *k)
{
	uint32_t pn_len = (pkt[0] & 3u) + 1, ct_off = h->pn_off + pn_len, ct_len;
	uint8_t nonce[12], mask[16];
	uint64_t pn = 0;
	int n;

	if (h->pkt_len < h->pn_off + 4 + 16 || h->pkt_len < ct_off + 16)
		return;		/* too short to sample: netprint refuses it anyway */
	ct_len = h->pkt_len - ct_off - 16;
	for (uint32_t i = 0; i < pn_len; i++)
		pn = pn << 8 | pkt[h->pn_off + i];
	memcpy(nonce, k->iv, sizeof(nonce));
	for (unsigned i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	NP_FUZZ_CHECK(EVP_EncryptInit_ex(g_gcm, NULL, NULL, k->key, nonce) &&
			      EVP_EncryptUpdate(g_gcm, NULL, &n, pkt, (int)ct_off) &&
			      EVP_EncryptUpdate(g_gcm, pkt + ct_off, &n, pkt + ct_off, (int)ct_len) &&
			      EVP_EncryptFinal_ex(g_gcm, pkt + ct_off + ct_len, &n) &&
			      EVP_CIPHER_CTX_ctrl(g_gcm, EVP_CTRL_AEAD_GET_TAG, 16,
						  pkt + ct_off + ct_len),
		      "AES-GCM");
	NP_FUZZ_CHECK(EVP_EncryptInit_ex(g_ecb, NULL, NULL, k->hp, NULL) &&
			      EVP_EncryptUpdate(g_ecb, mask, &n, pkt + h->pn_off + 4, 16),
		      "AES-ECB");
	pkt[0] ^= mask[0] & 0x0f;
	for (uint32_t i = 0; i < pn_len; i++)
		pkt[h->pn_off + i] ^= mask[1 + i];
}

/* Seal every Initial packet of the frame's UDP datagram (see the top). */
static void
seal_frame(const struct np_link *lk, uint8_t *frame, uint32_t len, unsigned how)
{
	struct np_udp u;
	struct np_quic_keys k;

	if (np_parse_udp_frame(lk, frame, len, &u) != NP_PARSE_OK || !u.payload)
		return;

	struct seal_flow *f = seal_flow(&u);
	uint8_t *p = frame + (u.payload - frame);
	uint32_t left = u.pay_len;

	while (left && np_quic_starts_long(p, left)) {
		struct np_quic_long h;

		if (np_quic_parse_long(p, left, &h))
			break;
		if (h.type == NP_QUIC_INITIAL) {
			bool server = how == SEAL_SERVER;

			if (how == SEAL_OWN || (how == SEAL_CLIENT && !f->dcid_len)) {
				f->version = h.version;
				f->dcid_len = h.dcid_len;
				memcpy(f->dcid, h.dcid, h.dcid_len);
			}
			if (f->dcid_len &&
			    !np_quic_initial_keys(g_quic, f->version, f->dcid, f->dcid_len, server, &k))
				seal_packet(p, &h, &k);
		}
		p += h.pkt_len;
		left -= h.pkt_len;
	}
}

static void
emit(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx;
	np_fuzz_format_record(r, tail);
	np_console_stats_see(g_cs, r, tail);
	if (r->ip_ver == 4 || r->ip_ver == 6) {	/* what the console then says of its hosts */
		for (unsigned side = 0; side < 2; side++) {
			json_t *host = json_object();
			char *text;

			np_console_stats_host(g_cs, r->ip_ver, side ? r->srv : r->cli, host);
			NP_FUZZ_CHECK((text = json_dumps(host, JSON_COMPACT)) != NULL,
				      "console host answer not JSON");
			free(text);
			json_decref(host);
		}
	}
}

/* The console's answers on what it saw: JSON, and nothing changed by the same database. */
static void
console_answers(void)
{
	json_t *o = json_object(), *u = np_console_stats_unknown(g_cs),
	       *hits = np_console_stats_hits(g_cs), *cmp = np_console_stats_compare(g_cs, g_db);
	json_t *change;
	size_t i;
	char *text;

	np_console_stats_summary(g_cs, o);
	NP_FUZZ_CHECK(o && u && hits && cmp, "console answer missing");
	json_object_set_new(o, "unknown", u);
	json_object_set_new(o, "hits", hits);
	json_object_set(o, "compare", cmp);
	text = json_dumps(o, JSON_COMPACT);
	NP_FUZZ_CHECK(text != NULL, "console answer not JSON");
	json_array_foreach(json_object_get(cmp, "changes"), i, change) {
		const char *kind = json_string_value(json_object_get(change, "kind"));

		/* HTTP is matched again from its raw signature, which shows no
		 * User-Agent beyond 200 bytes or past a ']': only TCP and TLS are exact */
		NP_FUZZ_CHECK(kind && !strncmp(kind, "http", 4),
			      "the database in use, tried again, changes a %s answer: %s",
			      kind ? kind : "?", text);
	}
	free(text);
	json_decref(cmp);
	json_decref(o);
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
		np_tracker_limit_http(&p->obs, 1);
	if (lim & 0x80)
		np_tracker_share(&p->obs, 50);		/* p0f's expiry on every frame */

	np_fuzz_query_seen(NULL);
	g_n_flows = 0;
	NP_FUZZ_CHECK((g_cs = np_console_stats_new()) != NULL, "out of memory");
	size_t off = HDR_LEN;
	for (unsigned n = 0; off + 3 <= size && n < MAX_FRAMES; n++) {
		uint8_t step = data[off];
		uint32_t len = rd16(data + off + 1) & LEN_MASK, seal = rd16(data + off + 1) & ~LEN_MASK;

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
		if (seal)
			seal_frame(&p->link, frame, len, seal);
		np_pipeline_frame(p, frame, len, ts);
		free(frame);
		off += len;
	}
	np_fuzz_query_seen(&p->hosts);	/* the API on the hosts this traffic made */
	NP_FUZZ_CHECK(np_pipeline_parsed(p) <= np_pipeline_frames(p), "parsed %llu of %llu frames",
		      (unsigned long long)np_pipeline_parsed(p), (unsigned long long)np_pipeline_frames(p));
	np_pipeline_fini(p);
	console_answers();
	np_console_stats_free(g_cs);
	np_fuzz_report_records("records");
	return 0;
}
