/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the query API's codecs (output/api.c) against a host
 * table that is filled once, at start: a bundled capture (SYNs, SYN+ACKs,
 * uptime, HTTP, TLS clients; IPv4 and IPv6) through the pipeline, then
 * hand-made records whose names stress the answers (32 bytes exactly, cut
 * inside a UTF-8 character, quotes, backslashes, control bytes), and a
 * client known by TLS alone. The input is read twice:
 *   - every whole 21-byte slice is a binary query (np_api_answer): the
 *     answer must carry p0f's response magic and one of its three statuses;
 *   - every line (split at '\n') is a JSON query (np_api_answer_json),
 *     answered into a 4 KiB buffer, as the server's, and into a buffer of
 *     its own exact size (1..300 bytes, from the line) so ASan sees any
 *     write past it: the answer ends with '\n', fits, is one valid JSON
 *     object with a "status"; cut to the small buffer it is the same bytes
 *     when it fits there. Every other line may reload ({"cmd":"reload"}).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "capture.h"
#include "db.h"
#include "fuzz_common.h"
#include "pipeline.h"

#define OUT_MAX 4096		/* the server's answer buffer (api.c NP_API_OUT_MAX) */
#define MAX_LINES 256

static struct np_pipeline g_p;
static struct np_hosts *g_hosts;
static unsigned g_reloads;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
record(uint8_t kind, const char *cli, const char *srv, uint32_t t, struct np_rec *r)
{
	int af = strchr(cli, ':') ? AF_INET6 : AF_INET;

	memset(r, 0, sizeof(*r));
	r->ts_us = (uint64_t)t * 1000000;
	r->kind = kind;
	r->ip_ver = af == AF_INET6 ? 6 : 4;
	r->to_srv = 1;
	r->cli_port = 40000;
	r->srv_port = 443;
	NP_FUZZ_CHECK(inet_pton(af, cli, r->cli) == 1 && inet_pton(af, srv, r->srv) == 1, "%s",
		      cli);
}

/* A matched SYN whose OS name and flavor are these (cut to 32 bytes, as p0f). */
static void
syn_named(const char *cli, uint32_t t, const char *name, const char *flavor)
{
	struct np_rec r;

	record(NP_REC_SYN, cli, strchr(cli, ':') ? "2001:db8::80" : "198.51.100.80", t, &r);
	r.tcp.flags = NP_RTCP_MATCHED | NP_RTCP_OS_SIG | NP_RTCP_HAS_MTU;
	r.tcp.m.class_id = 1;
	r.tcp.m.name_id = 3;
	r.names.name = name;
	r.names.flavor = flavor;
	r.tcp.ttl = 60;
	r.tcp.dist = 4;
	r.tcp.mss = 1460;
	r.tcp.mtu = 1500;
	r.names.link = "Ethernet or modem";
	np_hosts_process(g_hosts, &r, NULL, np_fuzz_emit_nothing, NULL);
}

static void
tls_named(const char *cli, uint32_t t, const char *name, const char *flavor, uint8_t flags)
{
	struct np_rec r;

	record(NP_REC_TLS_CLIENT, cli, strchr(cli, ':') ? "2001:db8::80" : "198.51.100.80", t, &r);
	strcpy(r.tls.sig, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	r.tls.transport = 't';
	r.tls.flags = flags;
	r.tls.m.class_id = -1;
	r.names.name = name;
	r.names.flavor = flavor;
	np_hosts_process(g_hosts, &r, NULL, np_fuzz_emit_nothing, NULL);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[NP_DB_ERR_MAX];
	struct np_db *db;
	struct np_capture c;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts;

	(void)argc, (void)argv;
	np_fuzz_setup();
	db = np_fuzz_bundled_db();
	NP_FUZZ_CHECK(np_capture_init(&c, NP_FUZZ_API_TRACE, err, sizeof(err)) == 0, "%s", err);
	np_fuzz_tls_bufs = NP_TLS_BUFS_DEFAULT;	/* the engine's, once */
	NP_FUZZ_CHECK(np_pipeline_init(&g_p, db, c.dlt, 1000, 30, 10000, 120, np_fuzz_emit_nothing, NULL) == 0,
		      "pipeline init");
	while (np_capture_next(&c, &frame, &len, &ts) == 1)
		np_pipeline_frame(&g_p, frame, len, ts);
	np_capture_fini(&c);
	g_hosts = &g_p.hosts;
	NP_FUZZ_CHECK(g_hosts->t.count > 0, "no hosts from %s", NP_FUZZ_API_TRACE);

	/* names the traffic above does not have */
	syn_named("192.0.2.1", 1000, "0123456789abcdef0123456789abcdef", "32 bytes, no NUL");
	syn_named("192.0.2.2", 1001, "Mac OS X \xe2\x80\x94 Ventura", "\"quoted\" \\ back\tslash");
	syn_named("192.0.2.3", 1002, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
		  "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x\xc3\xa9", "cut");
	syn_named("2001:db8::7", 1003, "Linux", "3.x");
	tls_named("192.0.2.1", 1004, "Chrome", "120", NP_RTLS_MATCHED | NP_RTLS_OS_MISMATCH);
	tls_named("192.0.2.9", 1005, "tls only \x01\x7f", "", NP_RTLS_MATCHED | NP_RTLS_GENERIC);
	tls_named("2001:db8::9", 1006, "", "", 0);
	return 0;
}

static void
reload(void)
{
	g_reloads++;
}

static void
binary_query(const uint8_t *q)
{
	uint8_t resp[NP_API_RESP_LEN];
	uint32_t magic, status, qmagic;

	np_api_answer(g_hosts, q, resp);
	memcpy(&magic, resp, 4);
	memcpy(&status, resp + 4, 4);
	memcpy(&qmagic, q, 4);
	NP_FUZZ_CHECK(magic == NP_API_RESP_MAGIC, "response magic %08x", magic);
	NP_FUZZ_CHECK(status == NP_API_STATUS_OK || status == NP_API_STATUS_NOMATCH ||
			      status == NP_API_STATUS_BADQUERY, "status %u", status);
	if (qmagic != NP_API_QUERY_MAGIC || (q[4] != 4 && q[4] != 6))
		NP_FUZZ_CHECK(status == NP_API_STATUS_BADQUERY, "bad query answered %u", status);
}

static void
json_query(const char *line, size_t len, unsigned idx)
{
	static char big[OUT_MAX];
	void (*on_reload)(void) = idx & 1 ? reload : NULL;
	size_t n = np_api_answer_json(g_hosts, line, len, big, sizeof(big), on_reload);

	NP_FUZZ_CHECK(n <= sizeof(big), "answer of %zu bytes", n);
	np_fuzz_check_api_json(big, n);

	/* the same into a buffer that may be too small for it */
	size_t small_len = 1 + (len * 31 + idx * 7) % 300;
	char *small = malloc(small_len);

	NP_FUZZ_CHECK(small != NULL, "out of memory");
	size_t m = np_api_answer_json(g_hosts, line, len, small, small_len, on_reload);

	NP_FUZZ_CHECK(m <= small_len, "answer of %zu bytes in %zu", m, small_len);
	if (small_len >= 2)
		NP_FUZZ_CHECK(m >= 1 && small[m - 1] == '\n', "cut answer not ended");
	if (n < small_len)
		NP_FUZZ_CHECK(m == n && !memcmp(small, big, n), "answer differs in %zu bytes",
			      small_len);
	free(small);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t off = 0; off + NP_API_QUERY_LEN <= size; off += NP_API_QUERY_LEN) {
		uint8_t q[NP_API_QUERY_LEN];

		memcpy(q, data + off, sizeof(q));
		binary_query(q);
	}

	const char *text = (const char *)data;
	size_t start = 0;

	for (unsigned idx = 0; start <= size && idx < MAX_LINES; idx++) {
		const char *nl = memchr(text + start, '\n', size - start);
		size_t len = nl ? (size_t)(nl - (text + start)) : size - start;
		char *line = malloc(len ? len : 1);	/* its own size: ASan sees over-reads */

		NP_FUZZ_CHECK(line != NULL, "out of memory");
		memcpy(line, text + start, len);
		json_query(line, len, idx);
		free(line);
		if (!nl)
			break;
		start += len + 1;
	}
	return 0;
}
