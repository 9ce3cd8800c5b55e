/* SPDX-License-Identifier: MIT */
/*
 * Memory per tracked connection: the whole p0f logic of one worker and
 * the logger's host table (core/pipeline.c) sized for FLOWS connections
 * (-m FLOWS,...), then fed FLOWS SYNs, each opening a connection that
 * stays tracked, from HOSTS client addresses to 16 servers. Prints the
 * resident size before and after and the bytes each connection costs,
 * tables and hash buckets included.
 * Usage: bench_memory DB FLOWS HOSTS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "pipeline.h"

static uint64_t records;

static void
count_record(void *ctx, const struct np_rec *r, const char *tail)
{
	(void)ctx, (void)r, (void)tail;
	records++;
}

static double
resident_mib(void)
{
	unsigned long size, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * 4096.0 / (1 << 20);
}

/* Ethernet + IPv4 + TCP SYN with Linux's options (mss, sok, ts, nop, ws). */
static const uint8_t syn_template[] = {
	0x00, 0x16, 0x3e, 0x00, 0x00, 0x02, 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x3c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 0, 0, 1, 192, 0, 2, 1,
	0x04, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0x72, 0x10, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

int
main(int argc, char **argv)
{
	char err[NP_DB_ERR_MAX];
	static struct np_pipeline p;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_memory DB FLOWS HOSTS\n");
		return 2;
	}
	uint32_t flows = (uint32_t)strtoul(argv[2], NULL, 10);
	uint32_t hosts = (uint32_t)strtoul(argv[3], NULL, 10);
	struct np_db *db = np_db_load(argv[1], err, sizeof(err));

	if (!db || !flows || !hosts) {
		fprintf(stderr, "bench_memory: %s\n", db ? "FLOWS and HOSTS must be > 0" : err);
		return 1;
	}
	double before = resident_mib();
	/* p0f's host limit at least the hosts, so none is dropped on the way */
	if (np_pipeline_init(&p, db, 1, flows, 3600, hosts + 16, 120, count_record, NULL)) {
		fprintf(stderr, "bench_memory: out of memory for %u connections\n", flows);
		return 1;
	}
	double empty = resident_mib();
	uint8_t f[sizeof(syn_template)];

	memcpy(f, syn_template, sizeof(f));
	for (uint32_t i = 0; i < flows; i++) {
		uint32_t src = 0x0a000000 + 1 + i % hosts;
		uint16_t sport = (uint16_t)(1024 + i / hosts % 64000);

		f[26] = (uint8_t)(src >> 24), f[27] = (uint8_t)(src >> 16);
		f[28] = (uint8_t)(src >> 8), f[29] = (uint8_t)src;
		f[33] = (uint8_t)(1 + (i / hosts / 64000) % 16);	/* 192.0.2.1..16 */
		f[34] = (uint8_t)(sport >> 8), f[35] = (uint8_t)sport;
		np_pipeline_frame(&p, f, sizeof(f), 1700000000ull * 1000000 + i);
	}
	double full = resident_mib();
	uint32_t tracked = p.obs.flows.count;

	printf("%u connections tracked from %u client hosts: resident %.1f MiB (%.1f MiB before the tables, %.1f MiB with them empty); %.1f bytes per connection\n",
	       tracked, hosts, full, before, empty,
	       tracked ? (full - before) * (1 << 20) / tracked : 0.0);
	np_pipeline_fini(&p);
	np_db_free(db);
	return tracked == flows && records ? 0 : 1;
}
