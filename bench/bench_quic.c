/* SPDX-License-Identifier: MIT */
/*
 * QUIC Initial micro-benchmark, on the 1200-byte client Initials of RFC 9001
 * and RFC 9369 Appendix A: each step timed in a loop, in ns and TSC cycles
 * per call, with the allocations libcrypto made per call (counted through
 * CRYPTO_set_mem_functions):
 *   parse          np_quic_parse_long on the v1 packet
 *   keys           np_quic_initial_keys, client side, 8-byte DCID (HKDF on SHA-256)
 *   decrypt same   np_quic_decrypt of the v1 packet again and again: the
 *                  contexts keep their key schedules
 *   decrypt alt    the v1 and v2 packets in turn: every call re-keys, as for
 *                  a sensor that sees one Initial per connection
 *   frames         np_quic_next_crypto over the decrypted 1162-byte payload
 *   first packet   parse + keys + decrypt + frames, v1 and v2 in turn
 * Usage: bench_quic [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include <openssl/crypto.h>

#include "quic.h"
#include "quic_vectors.h"

static unsigned long allocs;

static void *
count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	allocs++;
	return malloc(n);
}

static void *
count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	allocs++;
	return realloc(p, n);
}

static void
count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++) {
		if (*s == ' ')
			continue;
		unsigned v;

		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		s++;
	}
	return n;
}

struct timing {
	double t0;
	uint64_t c0;
	unsigned long a0;
};

static void
start(struct timing *t)
{
	t->a0 = allocs;
	t->t0 = now_ns();
	t->c0 = __rdtsc();
}

static void
report(const char *what, const struct timing *t, uint64_t calls)
{
	uint64_t cycles = __rdtsc() - t->c0;
	double ns = now_ns() - t->t0;

	printf("| %-30s | %9llu | %8.1f | %8.1f | %7.1f |\n", what, (unsigned long long)calls,
	       ns / calls, (double)cycles / calls, (double)(allocs - t->a0) / calls);
}

static uint64_t sink;

int
main(int argc, char **argv)
{
	uint64_t rounds = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
	static uint8_t p1[1200], p2[1200], out[1200];
	uint8_t dcid[8];
	struct np_quic_long h1, h2, h;
	struct np_quic_keys k1, k2, k;
	struct np_quic_crypto *c;
	struct timing t;
	uint32_t out_len;
	uint64_t pn;

	if (!CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free))
		fprintf(stderr, "bench_quic: allocations not counted\n");
	if (unhex(QV1_CLIENT_PACKET, p1, sizeof(p1)) != 1200 ||
	    unhex(QV2_CLIENT_PACKET, p2, sizeof(p2)) != 1200 || unhex(QV_DCID, dcid, 8) != 8)
		return 1;
	c = np_quic_crypto_new();
	if (!c || np_quic_parse_long(p1, 1200, &h1) || np_quic_parse_long(p2, 1200, &h2) ||
	    np_quic_initial_keys(c, NP_QUIC_V1, dcid, 8, false, &k1) ||
	    np_quic_initial_keys(c, NP_QUIC_V2, dcid, 8, false, &k2) ||
	    np_quic_decrypt(c, &k1, &h1, out, &out_len, &pn) ||
	    np_quic_decrypt(c, &k2, &h2, out, &out_len, &pn)) {
		fprintf(stderr, "bench_quic: the RFC packets do not open\n");
		return 1;
	}

	printf("| %-30s | %9s | %8s | %8s | %7s |\n", "step", "calls", "ns/call", "cyc/call",
	       "allocs");
	printf("|--------------------------------|----------:|---------:|---------:|--------:|\n");

	start(&t);
	for (uint64_t i = 0; i < rounds; i++) {
		np_quic_parse_long(p1, 1200, &h);
		sink += h.pkt_len;
	}
	report("parse long header", &t, rounds);

	start(&t);
	for (uint64_t i = 0; i < rounds; i++) {
		dcid[7] = (uint8_t)i;	/* a new connection each time */
		np_quic_initial_keys(c, NP_QUIC_V1, dcid, 8, false, &k);
		sink += k.key[0];
	}
	report("initial keys (HKDF x5)", &t, rounds);

	start(&t);
	for (uint64_t i = 0; i < rounds; i++) {
		np_quic_decrypt(c, &k1, &h1, out, &out_len, &pn);
		sink += out_len;
	}
	report("decrypt 1200 B, same keys", &t, rounds);

	start(&t);
	for (uint64_t i = 0; i < rounds; i++) {
		if (i & 1)
			np_quic_decrypt(c, &k2, &h2, out, &out_len, &pn);
		else
			np_quic_decrypt(c, &k1, &h1, out, &out_len, &pn);
		sink += out_len;
	}
	report("decrypt 1200 B, re-keyed", &t, rounds);

	np_quic_decrypt(c, &k1, &h1, out, &out_len, &pn);
	start(&t);
	for (uint64_t i = 0; i < rounds; i++) {
		uint32_t pos = 0, dlen;
		const uint8_t *data;
		uint64_t off;

		while (np_quic_next_crypto(out, out_len, &pos, &off, &data, &dlen) == 1)
			sink += dlen;
	}
	report("frames of 1162 B", &t, rounds);

	start(&t);
	for (uint64_t i = 0; i < rounds; i++) {
		const uint8_t *p = i & 1 ? p2 : p1;
		uint32_t pos = 0, dlen;
		const uint8_t *data;
		uint64_t off;

		if (np_quic_parse_long(p, 1200, &h) ||
		    np_quic_initial_keys(c, h.version, h.dcid, h.dcid_len, false, &k) ||
		    np_quic_decrypt(c, &k, &h, out, &out_len, &pn))
			return 1;
		while (np_quic_next_crypto(out, out_len, &pos, &off, &data, &dlen) == 1)
			sink += dlen;
	}
	report("first packet: all of the above", &t, rounds);

	printf("\nchecksum %llu\n", (unsigned long long)sink);
	np_quic_crypto_free(c);
	return 0;
}
