/* SPDX-License-Identifier: MIT */
/*
 * A NATS connection as netprint makes it, for the publisher and the
 * collector alike: the servers of a comma-separated list, a connection
 * name, reconnecting for ever (100 ms, doubling, at most 5 s apart),
 * connecting in the background (an unreachable server at start is tried
 * again, and "netprint: WHO: connected to URL" said when it answers), a
 * credentials file, TLS with CA certificates. And the monotonic clock in
 * milliseconds both keep their timers with.
 */
#ifndef NP_NATS_CONN_H
#define NP_NATS_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <nats/nats.h>

struct np_nats_conn_config {
	const char *urls;	/* "nats://host:4222[,nats://...]" */
	const char *name;	/* the connection's name, as the servers show it */
	const char *creds;	/* a credentials file, or NULL */
	const char *tls_ca;	/* CA certificates to verify the server with (TLS), or NULL */
	const char *who;	/* "--nats", "collect": what messages start with */
};

/*
 * Connect (in the background) and take a JetStream context (jo: its
 * options, or NULL). 0, or -1 with a message in err (what was made is
 * let go of).
 */
int np_nats_connect(const struct np_nats_conn_config *cfg, jsOptions *jo, natsOptions **opts,
		    natsConnection **nc, jsCtx **js, char *err, size_t err_len);

static inline uint64_t
np_monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static inline void
np_nap_ms(unsigned ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L }, NULL);
}

#endif /* NP_NATS_CONN_H */
