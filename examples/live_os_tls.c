/* SPDX-License-Identifier: MIT */
/*
 * Capture on an interface and print, per connection, the client's OS (from
 * its SYN) and its TLS client (from its ClientHello), until Ctrl-C.
 *
 *	cc live_os_tls.c -o live_os_tls $(pkg-config --cflags --libs netprint)
 *	sudo ./live_os_tls eth0 [DATABASE...]
 */
#include <signal.h>
#include <stdio.h>

#include <netprint.h>

static struct np_capture *cap;

static void
stop(int sig)
{
	(void)sig;
	np_capture_stop(cap);	/* safe in a signal handler */
}

static void
print_client(void *ctx, const struct np_record *rec)
{
	const char *label = rec->match.quality != NP_MATCH_NONE ? rec->match.text : "unknown";

	(void)ctx;
	if (rec->kind == NP_KIND_SYN)
		printf("%s/%u -> %s/%u os %s, %d hops\n", rec->client.text, rec->client.port,
		       rec->server.text, rec->server.port, label, rec->distance);
	else if (rec->kind == NP_KIND_TLS_CLIENT)
		printf("%s/%u -> %s/%u tls %s, %s, sni %s\n", rec->client.text, rec->client.port,
		       rec->server.text, rec->server.port, label, rec->ja4,
		       rec->sni ? rec->sni : "none");
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	char msg[NP_MSG_MAX];
	struct np_db *db;
	struct np_observer *obs;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s INTERFACE [DATABASE...]\n", argv[0]);
		return 2;
	}
	if (np_db_open(&db, (const char *const *)argv + 2, (size_t)argc - 2, msg, sizeof(msg)) ||
	    np_capture_open_live(&cap, argv[1], false, msg, sizeof(msg))) {
		fprintf(stderr, "live_os_tls: %s\n", msg);
		return 1;
	}
	if ((rc = np_observer_new(&obs, db, np_capture_linktype(cap), NULL))) {
		fprintf(stderr, "live_os_tls: %s: %s\n", argv[1], np_strerror(rc));
		return 1;
	}
	np_db_unref(db);
	np_observer_on_record(obs, print_client, NULL);
	signal(SIGINT, stop);
	signal(SIGTERM, stop);
	rc = np_capture_run(cap, obs);
	if (rc)
		fprintf(stderr, "live_os_tls: %s: %s\n", argv[1], np_capture_error(cap));
	np_observer_free(obs);
	np_capture_close(cap);
	return rc ? 1 : 0;
}
