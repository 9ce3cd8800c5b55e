/* SPDX-License-Identifier: MIT */
/*
 * Read a capture file, then say what is known of one host: the facts
 * p0f's query API answers, and the host's last TLS fingerprint. Records
 * are polled rather than called back, and counted.
 *
 *	cc host_query.c -o host_query $(pkg-config --cflags --libs netprint)
 *	./host_query capture.pcap 192.0.2.1 [DATABASE...]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <netprint.h>

static void
print_match(const char *what, const struct np_match *m)
{
	static const char *const quality[] = { "none", "exact", "generic", "fuzzy" };

	if (m->quality == NP_MATCH_NONE)
		printf("%s = none\n", what);
	else
		printf("%s = %s (%s)\n", what, m->text, quality[m->quality]);
}

int
main(int argc, char **argv)
{
	char msg[NP_MSG_MAX];
	uint8_t addr[16];
	int ip_version = strchr(argc > 2 ? argv[2] : "", ':') ? 6 : 4;
	struct np_db *db;
	struct np_capture *cap;
	struct np_observer *obs;
	struct np_host_info host;
	const uint8_t *frame;
	uint32_t len;
	uint64_t ts, records = 0;
	int rc;

	if (argc < 3 || inet_pton(ip_version == 4 ? AF_INET : AF_INET6, argv[2], addr) != 1) {
		fprintf(stderr, "usage: %s CAPTURE ADDRESS [DATABASE...]\n", argv[0]);
		return 2;
	}
	if (np_db_open(&db, (const char *const *)argv + 3, (size_t)argc - 3, msg, sizeof(msg)) ||
	    np_capture_open_file(&cap, argv[1], msg, sizeof(msg))) {
		fprintf(stderr, "host_query: %s\n", msg);
		return 1;
	}
	if ((rc = np_observer_new(&obs, db, np_capture_linktype(cap), NULL))) {
		fprintf(stderr, "host_query: %s: %s\n", argv[1], np_strerror(rc));
		return 1;
	}
	while ((rc = np_capture_next(cap, &frame, &len, &ts)) > 0) {
		np_observer_feed(obs, frame, len, ts);
		while (np_observer_poll(obs))
			records++;
	}
	if (rc < 0)
		fprintf(stderr, "host_query: %s: %s\n", argv[1], np_capture_error(cap));
	printf("records = %llu\n", (unsigned long long)records);

	if (np_observer_host(obs, ip_version, addr, &host) == NP_ERR_NOT_FOUND) {
		printf("%s = not seen\n", argv[2]);
	} else {
		printf("first_seen = %u\nlast_seen = %u\ntotal_conn = %u\n", host.first_seen,
		       host.last_seen, host.total_conn);
		if (host.uptime_min >= 0)
			printf("uptime = %d min (modulo %u days)\n", host.uptime_min,
			       host.uptime_modulo_days);
		if (host.distance >= 0)
			printf("distance = %d\n", host.distance);
		print_match("os", &host.os);
		print_match("http", &host.http);
		printf("link = %s\nlanguage = %s\n", host.link[0] ? host.link : "unknown",
		       host.language ? host.language : "unknown");
		if (host.has_tls) {
			printf("tls = %s over %s\n", host.tls_ja4, host.tls_transport);
			print_match("tls label", &host.tls);
		}
	}
	np_observer_free(obs);
	np_capture_close(cap);
	np_db_unref(db);
	return rc < 0 ? 1 : 0;
}
