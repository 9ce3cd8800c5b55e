/* SPDX-License-Identifier: MIT */
/*
 * Control thread: RCU-published database and its reload, periodic and
 * telemetry counters.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define URCU_INLINE_SMALL_FUNCTIONS
#include <urcu/urcu-qsbr.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "control.h"
#include "generations.h"
#include "nats_pub.h"
#include "stage.h"
#include "netprint.h"

struct np_db *np_db_current;
static atomic_bool reload_requested;
static struct np_control *telemetry_ctl;

void
np_control_publish_first(struct np_db *db)
{
	db->generation = 1;
	db->refs = 1;	/* the control's; libnetprint's observer (-r FILE) takes its own */
	np_gens_add(db);	/* the first of NP_GENS_MAX: cannot fail */
	rcu_set_pointer(&np_db_current, db);
}

void
np_control_request_reload(void)
{
	atomic_store(&reload_requested, true);
}

/*
 * Build the new database off the packet path, each file opened again by
 * its name in the directory kept from start (so after a chroot or a uid
 * switch too, if that user may read it); on any error keep the old one and
 * say why. Then swap, wait until no worker can still hold the old
 * pointer (every worker passes a quiescent state each loop), and retire
 * it: freed once the logger has written its last record (generations.h)
 * and the file reader's observer, if any, has let go of it too.
 */
static void
reload(struct np_control *c)
{
	char err[NP_DB_ERR_MAX];
	struct np_db *nd = np_db_load_kept(c->fp_paths, c->n_fp_files, err, sizeof(err));

	if (!nd) {
		c->reload_failures++;
		fprintf(stderr, "netprint: reload failed, keeping database generation %u: %s\n",
			np_db_current->generation, err);
		return;
	}
	nd->generation = np_db_current->generation + 1;
	nd->refs = 1;
	if (np_gens_add(nd)) {
		c->reload_failures++;
		fprintf(stderr, "netprint: reload postponed, keeping database generation %u: "
			"%u older generations still have records to be written\n",
			np_db_current->generation, np_gens_count());
		np_db_unref(nd);
		return;
	}
	struct np_db *old = rcu_xchg_pointer(&np_db_current, nd);
	urcu_qsbr_synchronize_rcu();
	/* no worker makes records of it now; the logger lets it go when written */
	np_gens_retire_below(nd->generation);
	np_db_unref(old);
	c->reloads++;
	fprintf(stderr, "netprint: database generation %u loaded from", nd->generation);
	for (unsigned i = 0; i < c->n_fp_files; i++)
		fprintf(stderr, "%s %s", i ? "," : "", c->fp_paths[i].path);
	fprintf(stderr, " (%u signatures)\n", nd->n_sigs);
}

uint64_t
np_control_counter(const struct np_control *c, enum np_worker_ctr ctr)
{
	uint64_t sum = 0;

	for (unsigned w = 0; w < c->n_workers; w++)
		sum += c->workers[w]->ctr[ctr];
	return sum;
}

static uint64_t
tls_counter(const struct np_control *c, enum np_tls_ctr ctr)
{
	uint64_t sum = 0;

	for (unsigned w = 0; w < c->n_workers; w++)
		sum += c->workers[w]->tracker->tls.ctr[ctr];
	return sum;
}

void
np_control_print(const struct np_control *c, FILE *out)
{
	for (unsigned i = 0; i < NP_CTR_COUNT; i++) {
		uint64_t v = np_control_counter(c, i);

		if ((!v && i != NP_CTR_RX_PKTS && i != NP_CTR_PARSED) || i == NP_CTR_BUSY_CYCLES ||
		    i == NP_CTR_WAIT_CYCLES)
			continue;
		fprintf(out, "netprint:   %-36s %llu", np_worker_ctr_names[i], (unsigned long long)v);
		if (c->n_workers > 1) {
			fprintf(out, " (");
			for (unsigned w = 0; w < c->n_workers; w++)
				fprintf(out, "%s%llu", w ? " " : "",
					(unsigned long long)c->workers[w]->ctr[i]);
			fprintf(out, ")");
		}
		fprintf(out, "\n");
	}
	uint64_t evicted = 0, drops = 0, no_http = 0;
	for (unsigned w = 0; w < c->n_workers; w++) {
		evicted += c->workers[w]->tracker->flows.stats.evicted;
		drops += c->workers[w]->tracker->host_drops;
		no_http += c->workers[w]->tracker->http_no_state;
	}
	fprintf(out, "netprint:   %-36s %llu\n", "flows evicted (table full)",
		(unsigned long long)evicted);
	if (no_http)
		fprintf(out, "netprint:   %-36s %llu\n", "flows without HTTP state (pool empty)",
			(unsigned long long)no_http);
	fprintf(out, "netprint:   %-36s %llu\n", "hosts dropped (limit, idle)",
		(unsigned long long)drops);
	for (unsigned i = 0; i < NP_TLS_CTR_COUNT; i++) {
		uint64_t v = tls_counter(c, i);

		if (v)
			fprintf(out, "netprint:   %-36s %llu\n", np_tls_ctr_names[i],
				(unsigned long long)v);
	}
	if (c->logger)
		fprintf(out, "netprint:   %-36s %llu (logger on cpu %d)\n", "records written",
			(unsigned long long)c->logger->written, c->logger->cpu);
	if (c->logger && c->logger->nats) {
		struct np_nats_counts n;

		np_nats_counts(c->logger->nats, &n);
		np_nats_print(out, "nats messages so far", &n, true);
	}
	if (c->logger && c->logger->unresolved)	/* a bug: generations.h */
		fprintf(out, "netprint:   %-36s %llu\n", "records of a released database",
			(unsigned long long)c->logger->unresolved);
	/* What the devices say: received, missed (no room), errors, no mbuf. */
	for (uint16_t p = 0; p < c->n_ports; p++) {
		struct rte_eth_stats st;
		char name[RTE_ETH_NAME_MAX_LEN] = "";

		rte_eth_dev_get_name_by_port(c->ports[p], name);
		if (!rte_eth_stats_get(c->ports[p], &st))
			fprintf(out, "netprint:   port %u (%s): %llu packets, %llu bytes, imissed %llu, ierrors %llu, rx_nombuf %llu\n",
				c->ports[p], name, (unsigned long long)st.ipackets,
				(unsigned long long)st.ibytes, (unsigned long long)st.imissed,
				(unsigned long long)st.ierrors, (unsigned long long)st.rx_nombuf);
	}
	/* Rates: packets over the wall time, cycles over the busy bursts. */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double secs = c->start.tv_sec ? (double)(now.tv_sec - c->start.tv_sec) +
					(now.tv_nsec - c->start.tv_nsec) / 1e9 : 0;
	uint64_t pkts = np_control_counter(c, NP_CTR_RX_PKTS);
	if (secs > 0)
		fprintf(out, "netprint:   %-36s %.3f s, %.3f Mpps\n", "elapsed, rate", secs,
			pkts / secs / 1e6);
	/* The TSC's rate over the run, measured: EAL's is not there with -r. */
	double tsc_hz = secs > 0 ? (double)(rte_rdtsc() - c->start_tsc) / secs : 0;

	for (unsigned w = 0; w < c->n_workers; w++) {
		const struct np_worker *wk = c->workers[w];
		uint64_t n = wk->ctr[NP_CTR_RX_PKTS], hellos = wk->tracker->tls.ctr[NP_TLS_CTR_HELLO_DONE];
		double busy_s = tsc_hz > 0 ? (double)wk->ctr[NP_CTR_BUSY_CYCLES] / tsc_hz : 0;
		char where[48];

		if (wk->lcore != NP_NO_LCORE)
			snprintf(where, sizeof(where), "lcore %u, cpu %d", wk->lcore, wk->cpu);
		else
			snprintf(where, sizeof(where), "thread, cpu %d", wk->cpu);
		fprintf(out, "netprint:   worker %u (%s): %.1f cycles/packet over %llu packets",
			w, where, n ? (double)wk->ctr[NP_CTR_BUSY_CYCLES] / n : 0.0,
			(unsigned long long)n);
		if (hellos && busy_s > 0)
			fprintf(out, ", %.0f TLS hellos per busy second", hellos / busy_s);
		fprintf(out, "\n");
		if (NP_STAGE_ENABLED && n) {	/* the benchmark build (core/stage.h) */
			double marks = 0;

			fprintf(out, "netprint:   worker %u stages, cycles/packet:", w);
			for (unsigned s = 0; s < NP_STAGE_COUNT; s++) {
				double mc = (double)wk->stage_marks[s] * (double)wk->stage_mark_cost;
				double c = (double)wk->stage_cycles[s] - mc;

				marks += mc;
				fprintf(out, " %s %.1f", np_stage_names[s], (c > 0 ? c : 0) / n);
			}
			fprintf(out, "; marks %.1f (%llu cycles each)\n", marks / n,
				(unsigned long long)wk->stage_mark_cost);
		}
	}
	fprintf(out, "netprint:   %-36s %u (reloads %llu, failed %llu)\n", "database generation",
		np_db_current ? np_db_current->generation : 0, (unsigned long long)c->reloads,
		(unsigned long long)c->reload_failures);
}

/*
 * Telemetry keys may only hold letters, digits, '_' and '/': the counters'
 * identifiers in lower case ("rx_pkts", "skip_bad_ip", ...).
 */
static const char *const tls_ctr_keys[NP_TLS_CTR_COUNT] = {
#define NP_TLS_CTR_KEY_(id, desc) "TLS_" #id,
	NP_FOREACH_TLS_CTR(NP_TLS_CTR_KEY_)
#undef NP_TLS_CTR_KEY_
};

static void
telemetry_add(struct rte_tel_data *d, const char *id, uint64_t v)
{
	char key[64];

	rte_tel_data_add_dict_u64(d, np_ctr_key(id, key, sizeof(key)), v);
}

/* /netprint/stats: every counter summed over the workers, and the database. */
static int
telemetry_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct np_control *c = telemetry_ctl;
	uint64_t evicted = 0, host_drops = 0, no_http = 0;

	(void)cmd, (void)params;
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < NP_CTR_COUNT; i++)
		telemetry_add(d, np_worker_ctr_ids[i], np_control_counter(c, i));
	for (unsigned w = 0; w < c->n_workers; w++) {
		evicted += c->workers[w]->tracker->flows.stats.evicted;
		host_drops += c->workers[w]->tracker->host_drops;
		no_http += c->workers[w]->tracker->http_no_state;
	}
	for (unsigned i = 0; i < NP_TLS_CTR_COUNT; i++)
		telemetry_add(d, tls_ctr_keys[i], tls_counter(c, i));
	telemetry_add(d, "flows_evicted", evicted);
	telemetry_add(d, "flows_without_http_state", no_http);
	telemetry_add(d, "hosts_dropped", host_drops);
	telemetry_add(d, "workers", c->n_workers);
	telemetry_add(d, "db_generation", np_db_current ? np_db_current->generation : 0);
	telemetry_add(d, "reloads", c->reloads);
	telemetry_add(d, "reload_failures", c->reload_failures);
	if (c->logger && c->logger->nats) {
		struct np_nats_counts n;

		np_nats_counts(c->logger->nats, &n);
		telemetry_add(d, "nats_queued", n.queued);
		telemetry_add(d, "nats_acked", n.acked);
		telemetry_add(d, "nats_dropped", n.dropped);
		telemetry_add(d, "nats_resent", n.resent);
		telemetry_add(d, "nats_failed", n.failed);
		telemetry_add(d, "nats_connected", n.connected);
	}
	return 0;
}

/* /netprint/worker,N: one worker's counters and where it runs. */
static int
telemetry_worker(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct np_control *c = telemetry_ctl;
	char *end;

	(void)cmd;
	if (!params || !*params)
		return -EINVAL;
	unsigned long w = strtoul(params, &end, 10);
	if (*end || w >= c->n_workers)
		return -EINVAL;
	const struct np_worker *wk = c->workers[w];
	rte_tel_data_start_dict(d);
	telemetry_add(d, "lcore", wk->lcore);
	for (unsigned i = 0; i < NP_CTR_COUNT; i++)
		telemetry_add(d, np_worker_ctr_ids[i], wk->ctr[i]);
	for (unsigned i = 0; i < NP_TLS_CTR_COUNT; i++)
		telemetry_add(d, tls_ctr_keys[i], wk->tracker->tls.ctr[i]);
	telemetry_add(d, "flows_evicted", wk->tracker->flows.stats.evicted);
	telemetry_add(d, "hosts_dropped", wk->tracker->host_drops);
	return 0;
}

static void *
control_main(void *arg)
{
	struct np_control *c = arg;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	unsigned ticks = 0;

	while (c->running) {
		nanosleep(&tick, NULL);
		if (atomic_exchange(&reload_requested, false))
			reload(c);
		if (c->stats_period && ++ticks % (c->stats_period * 100) == 0) {
			fprintf(stderr, "netprint: counters\n");
			np_control_print(c, stderr);
		}
	}
	return NULL;
}

void
np_control_started(struct np_control *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	c->start_tsc = rte_rdtsc();
}

int
np_control_start(struct np_control *c)
{
	telemetry_ctl = c;
	if (c->telemetry) {
		rte_telemetry_register_cmd("/netprint/stats", telemetry_stats,
				   "netprint counters, summed over the workers. No parameters");
		rte_telemetry_register_cmd("/netprint/worker", telemetry_worker,
					   "One worker's counters. Parameter: worker number");
	}
	c->running = true;
	if (pthread_create(&c->thread, NULL, control_main, c)) {
		c->running = false;
		return -1;
	}
	return 0;
}

void
np_control_stop(struct np_control *c)
{
	if (c->running) {
		c->running = false;
		pthread_join(c->thread, NULL);
	}
	np_db_unref(np_db_current);
	np_db_current = NULL;
	np_gens_fini();
}
