/* SPDX-License-Identifier: MIT */
/*
 * Micro-benchmarks on real traffic: frames read with libpcap from the
 * captures given, then timed in loops, each figure in ns and TSC cycles
 * per call:
 *   read    pcap_next_ex over the files, nothing else (what a libpcap reader pays)
 *   parse   np_parse_frame on every frame
 *   syn     np_match_tcp on every SYN, index and linear scan
 *   synack  the same on SYN+ACKs
 *   http    np_http_observe + np_match_http + raw_sig on request headers
 *   tls     on every ClientHello whole at the start of a TCP payload:
 *           the worker's share: np_tls_parse_hello, np_tls_signature (the
 *           JA4 signatures are keyed by) and np_tls_hello_reduce (the
 *           record's tail), for a client seen before (its JA4 parts
 *           remembered) and for a new one (forgotten before each call);
 *           then every form, as the
 *           outputs make them from the tail: np_tls_parse_hello,
 *           np_tls_fingerprint (JA4, JA4_o, JA3) and the raw strings
 *           (np_tls_ja4_raw both ways, np_tls_ja3_string)
 *   record  the logger's text for every SYN and SYN+ACK record the captures
 *           give (resolved names, p0f's fields, the block and the log line)
 * Usage: bench_micro DB CAPTURE...
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "flow.h"
#include "hosts.h"
#include "http_match.h"
#include "matcher.h"
#include "format.h"
#include "packet.h"
#include "pipeline.h"
#include "tls.h"
#include "tls_fp.h"

#define MAX_FRAMES 400000
#define ROUNDS 20

struct frame {
	uint8_t *data;
	uint32_t len;
	int dlt;
};

static struct frame frames[MAX_FRAMES];
static uint64_t read_sink;
static unsigned n_frames;

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void
report(const char *what, double ns, uint64_t cycles, uint64_t calls)
{
	printf("| %-28s | %10llu | %8.1f | %8.1f |\n", what, (unsigned long long)calls,
	       calls ? ns / calls : 0, calls ? (double)cycles / calls : 0);
}

static void
load(const char *path, double *read_ns, uint64_t *read_cycles, uint64_t *reads)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;

	if (!p)
		return;
	int dlt = pcap_datalink(p);
	struct np_link lk;

	np_link_init(&lk, dlt);
	if (!np_link_dlt_supported(dlt)) {
		pcap_close(p);
		return;
	}
	/* the bare read, timed: every frame handed over, one byte looked at */
	double t0 = now_ns();
	uint64_t c0 = __rdtsc();
	while (pcap_next_ex(p, &h, &d) == 1) {
		read_sink += h->caplen ? d[0] : 0;
		(*reads)++;
	}
	*read_cycles += __rdtsc() - c0;
	*read_ns += now_ns() - t0;
	pcap_close(p);

	/* then the frames kept for the loops below */
	p = pcap_open_offline(path, err);
	while (p && pcap_next_ex(p, &h, &d) == 1 && n_frames < MAX_FRAMES) {
		struct frame *f = &frames[n_frames++];

		f->data = malloc(h->caplen);
		memcpy(f->data, d, h->caplen);
		f->len = h->caplen;
		f->dlt = dlt;
	}
	if (p)
		pcap_close(p);
}

#define MAX_RECS 20000
static struct np_rec recs[MAX_RECS];
static unsigned n_recs;

/* The pipeline's SYN and SYN+ACK records, as the logger gets them. */
static void
keep_record(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx, (void)tail;
	if (r->kind <= NP_REC_SYNACK && n_recs < MAX_RECS)
		recs[n_recs++] = *r;
}

/* The logger's text of every record kept: p0f's fields, block and log line. */
static void
bench_record_text(const struct np_db *db)
{
	static struct np_pipeline p;
	static char text[2][8192];
	struct np_fields fs = { .text = NULL };
	uint64_t sink = 0, c0;
	double t0;

	for (unsigned i = 0; i < n_frames; i++) {
		if (i == 0 || frames[i].dlt != frames[i - 1].dlt) {
			if (i)
				np_pipeline_fini(&p);
			if (np_pipeline_init(&p, db, frames[i].dlt, 1000, 30, 10000, 120, keep_record, NULL))
				return;
		}
		np_pipeline_frame(&p, frames[i].data, frames[i].len, 1700000000000000ull + i);
	}
	if (n_frames)
		np_pipeline_fini(&p);
	t0 = now_ns();
	c0 = __rdtsc();
	for (int r = 0; r < ROUNDS; r++)
		for (unsigned i = 0; i < n_recs; i++) {
			np_format_fields(&fs, &recs[i], NULL, NULL);
			sink += np_format_block_fields(text[0], sizeof(text[0]), &recs[i], &fs);
			sink += np_format_log_line_fields(text[1], sizeof(text[1]), &recs[i], &fs);
		}
	report("SYN record text (block+log)", now_ns() - t0, __rdtsc() - c0, (uint64_t)ROUNDS * n_recs);
	np_format_fields_fini(&fs);
	read_sink += sink;
}

int
main(int argc, char **argv)
{
	char err[NP_DB_ERR_MAX];
	struct np_db *db;
	double read_ns = 0;
	uint64_t read_cycles = 0, reads = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_micro DB CAPTURE...\n");
		return 2;
	}
	if (!(db = np_db_load(argv[1], err, sizeof(err)))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (int i = 2; i < argc; i++)
		load(argv[i], &read_ns, &read_cycles, &reads);

	static struct np_packet pk[MAX_FRAMES];
	static uint8_t ok[MAX_FRAMES];
	unsigned syns = 0, synacks = 0;
	uint64_t sink = 0;

	printf("| %-28s | %10s | %8s | %8s |\n", "step", "calls", "ns/call", "cyc/call");
	printf("|------------------------------|-----------:|---------:|---------:|\n");
	report("pcap read (libpcap, bare)", read_ns, read_cycles, reads);

	/* parse */
	double t0 = now_ns();
	uint64_t c0 = __rdtsc();
	for (int r = 0; r < ROUNDS; r++)
		for (unsigned i = 0; i < n_frames; i++) {
			struct np_link lk;

			np_link_init(&lk, frames[i].dlt);
			ok[i] = np_parse_frame(&lk, frames[i].data, frames[i].len, &pk[i]) == NP_PARSE_OK;
		}
	report("parse frame", now_ns() - t0, __rdtsc() - c0, (uint64_t)ROUNDS * n_frames);

	for (unsigned i = 0; i < n_frames; i++) {
		syns += ok[i] && pk[i].tcp_type == NP_TCP_SYN;
		synacks += ok[i] && pk[i].tcp_type == (NP_TCP_SYN | NP_TCP_ACK);
	}

	/* SYN / SYN+ACK matching, index and linear */
	const struct {
		const char *name;
		uint8_t type;
		enum np_dir dir;
		bool linear;
	} runs[] = {
		{ "match SYN (index)", NP_TCP_SYN, NP_DIR_REQUEST, false },
		{ "match SYN (linear, as p0f)", NP_TCP_SYN, NP_DIR_REQUEST, true },
		{ "match SYN+ACK (index)", NP_TCP_SYN | NP_TCP_ACK, NP_DIR_RESPONSE, false },
		{ "match SYN+ACK (linear)", NP_TCP_SYN | NP_TCP_ACK, NP_DIR_RESPONSE, true },
	};
	for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
		uint64_t calls = 0;
		struct np_tcp_match m;

		t0 = now_ns();
		c0 = __rdtsc();
		for (int r = 0; r < ROUNDS * 10; r++)
			for (unsigned i = 0; i < n_frames; i++) {
				if (!ok[i] || pk[i].tcp_type != runs[k].type)
					continue;
				if (runs[k].linear)
					np_match_tcp_linear(db, runs[k].dir, &pk[i], 1460, &m);
				else
					np_match_tcp(db, runs[k].dir, &pk[i], 1460, &m);
				sink += (uint64_t)m.sig;
				calls++;
			}
		report(runs[k].name, now_ns() - t0, __rdtsc() - c0, calls);
	}

	/* HTTP requests: first segments that hold a whole GET / HEAD header block */
	static struct np_http_state st;
	static struct np_http_obs obs;
	static char sig[16384];
	uint64_t calls = 0;
	double http_ns = 0;
	uint64_t http_cycles = 0;

	for (unsigned i = 0; i < n_frames; i++) {
		enum np_http_event ev;
		struct np_http_match m;

		if (!ok[i] || !pk[i].pay_len)
			continue;
		np_http_reset(&st);
		np_http_append(&st, true, pk[i].payload, pk[i].pay_len);
		np_http_process(&st, true, &ev);
		if (ev != NP_HTTP_REQUEST)
			continue;
		t0 = now_ns();
		c0 = __rdtsc();
		for (int r = 0; r < ROUNDS * 10; r++) {
			np_http_observe(db, true, &st.done, st.buf[1], &obs);
			np_match_http(db, NP_DIR_REQUEST, &obs, &m);
			sink += np_format_http_sig(sig, sizeof(sig), db, true, &obs);
			calls++;
		}
		http_cycles += __rdtsc() - c0;
		http_ns += now_ns() - t0;
	}
	report("HTTP request fingerprint", http_ns, http_cycles, calls);

	/* TLS ClientHellos: those a single segment holds whole */
	static uint8_t tls_buf[NP_TLS_HELLO_MAX], tail[NP_TLS_HELLO_MAX];
	static char raw[NP_TLS_STR_MAX];
	struct np_tls_hasher *hs = np_tls_hasher_new();
	unsigned hellos = 0;
	double fp_ns = 0, new_ns = 0, all_ns = 0;
	uint64_t fp_cycles = 0, new_cycles = 0, all_cycles = 0;

	if (!hs) {
		perror("np_tls_hasher_new");
		return 1;
	}
	for (unsigned i = 0; i < n_frames; i++) {
		const uint8_t *msg;
		uint32_t msg_len;
		struct np_tls_hello h;
		struct np_tls_fp fp;
		char sig[NP_JA4_LEN + 1];

		if (!ok[i] || np_tls_starts_hello(pk[i].payload, pk[i].pay_len) != NP_TLS_CLIENT_HELLO ||
		    np_tls_stream_message(pk[i].payload, pk[i].pay_len, tls_buf, &msg, &msg_len) !=
			    NP_TLS_OK ||
		    np_tls_parse_hello(msg[0], msg + 4, msg_len - 4, false, &h) != NP_TLS_OK)
			continue;
		hellos++;
		t0 = now_ns();
		c0 = __rdtsc();
		for (int r = 0; r < ROUNDS * 50; r++) {
			np_tls_parse_hello(msg[0], msg + 4, msg_len - 4, false, &h);
			np_tls_signature(hs, &h, NP_TLS_TCP, sig);
			sink += (uint8_t)sig[20] + np_tls_hello_reduce(&h, tail, sizeof(tail));
		}
		fp_cycles += __rdtsc() - c0;
		fp_ns += now_ns() - t0;
		t0 = now_ns();
		c0 = __rdtsc();
		for (int r = 0; r < ROUNDS * 50; r++) {
			np_tls_hasher_forget(hs);
			np_tls_parse_hello(msg[0], msg + 4, msg_len - 4, false, &h);
			np_tls_signature(hs, &h, NP_TLS_TCP, sig);
			sink += (uint8_t)sig[20] + np_tls_hello_reduce(&h, tail, sizeof(tail));
		}
		new_cycles += __rdtsc() - c0;
		new_ns += now_ns() - t0;
		t0 = now_ns();
		c0 = __rdtsc();
		for (int r = 0; r < ROUNDS * 50; r++) {
			np_tls_parse_hello(msg[0], msg + 4, msg_len - 4, false, &h);
			np_tls_fingerprint(hs, &h, NP_TLS_TCP, &fp);
			sink += np_tls_ja4_raw(&h, NP_TLS_TCP, false, raw, sizeof(raw));
			sink += np_tls_ja4_raw(&h, NP_TLS_TCP, true, raw, sizeof(raw));
			sink += np_tls_ja3_string(&h, raw, sizeof(raw));
		}
		all_cycles += __rdtsc() - c0;
		all_ns += now_ns() - t0;
	}
	calls = (uint64_t)hellos * ROUNDS * 50;
	report("TLS ClientHello, worker", fp_ns, fp_cycles, calls);
	report("TLS ClientHello, worker, new", new_ns, new_cycles, calls);
	report("TLS ClientHello, all forms", all_ns, all_cycles, calls);
	np_tls_hasher_free(hs);
	bench_record_text(db);

	printf("\n%u frames, %u SYN, %u SYN+ACK, %u whole ClientHellos (checksum %llu)\n", n_frames,
	       syns, synacks, hellos, (unsigned long long)(sink + read_sink));
	printf("structure sizes: %zu bytes per tracked flow (flow entry %zu + serial 4 + uptime state %zu) "
	       "plus hash buckets; HTTP state %zu bytes, from a bounded pool, only for flows carrying data; "
	       "%zu bytes per host\n",
	       sizeof(struct np_flow) + 4 + sizeof(struct np_flow_tps), sizeof(struct np_flow),
	       sizeof(struct np_flow_tps), sizeof(struct np_http_state), sizeof(struct np_host));
	np_db_free(db);
	return 0;
}
