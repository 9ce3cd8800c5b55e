/* SPDX-License-Identifier: MIT */
/*
 * Read a capture file and write every record as a JSON line: what
 * `netprint -r FILE --json -` writes.
 *
 *	cc pcap_to_json.c -o pcap_to_json $(pkg-config --cflags --libs netprint)
 *	./pcap_to_json capture.pcap [DATABASE...]
 *
 * Without DATABASE, the databases installed with libnetprint are read.
 */
#include <stdio.h>
#include <stdlib.h>

#include <netprint.h>

static void
write_json(void *ctx, const struct np_record *rec)
{
	static char text[NP_FORMAT_TEXT_MAX];
	int n = np_record_format(rec, NP_FORMAT_JSON, text, sizeof(text));

	(void)ctx;
	if (n < 0)
		fprintf(stderr, "pcap_to_json: a %s record: %s\n", rec->kind_name, np_strerror(n));
	else
		fwrite(text, 1, (size_t)n, stdout);
}

int
main(int argc, char **argv)
{
	char msg[NP_MSG_MAX];
	struct np_db *db;
	struct np_capture *cap;
	struct np_observer *obs;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CAPTURE [DATABASE...]\n", argv[0]);
		return 2;
	}
	if ((rc = np_db_open(&db, (const char *const *)argv + 2, (size_t)argc - 2, msg, sizeof(msg))) ||
	    (rc = np_capture_open_file(&cap, argv[1], msg, sizeof(msg)))) {
		fprintf(stderr, "pcap_to_json: %s\n", msg);
		return 1;
	}
	if ((rc = np_observer_new(&obs, db, np_capture_linktype(cap), NULL))) {
		fprintf(stderr, "pcap_to_json: %s: %s\n", argv[1], np_strerror(rc));
		return 1;
	}
	np_db_unref(db);	/* the observer holds its own reference */
	np_observer_on_record(obs, write_json, NULL);
	rc = np_capture_run(cap, obs);
	if (rc)
		fprintf(stderr, "pcap_to_json: %s: %s\n", argv[1],
			rc == NP_ERR_DAMAGED ? np_capture_error(cap) : np_strerror(rc));
	np_observer_free(obs);
	np_capture_close(cap);
	return rc ? 1 : 0;
}
