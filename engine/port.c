/* SPDX-License-Identifier: MIT */
/*
 * Ports. Passive: zero TX queues. RSS on IP, TCP and UDP (QUIC, DTLS) with the symmetric key,
 * masked to what the device supports (virtual devices support none, then a
 * single queue per worker file is used instead).
 */
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "port.h"
#include "rss.h"

#define NP_NB_RXD 1024

/* The CPUs we may run on, for --lcores. */
static unsigned
allowed_cpus(int *cpus, unsigned max)
{
	cpu_set_t set;
	unsigned n = 0;

	if (!sched_getaffinity(0, sizeof(set), &set))
		for (int c = 0; c < CPU_SETSIZE && n < max; c++)
			if (CPU_ISSET(c, &set))
				cpus[n++] = c;
	if (!n)
		cpus[n++] = 0;
	return n;
}

/* EAL's arguments: the operator's, or our own; -r / -i add their vdev. */
int
np_eal_start(const char *argv0, const struct np_options *o, unsigned n_workers)
{
	static char lcores[512], vdev[NP_MAX_FILES * (PATH_MAX + 10) + 64], mem[16], prefix[64];
	char *argv[128];
	int argc = 0;
	size_t p;

	if (o->iface) {
		snprintf(vdev, sizeof(vdev), "--vdev=net_af_packet0,iface=%s,qpairs=%u", o->iface,
			 n_workers);
	} else if (o->n_read_files) {
		p = (size_t)snprintf(vdev, sizeof(vdev), "--vdev=net_pcap0");
		for (unsigned i = 0; i < o->n_read_files && p < sizeof(vdev); i++)
			p += (size_t)snprintf(vdev + p, sizeof(vdev) - p, ",rx_pcap=%s",
					      o->read_files[i]);
	}
	if (o->eal_argc) {
		if (o->eal_argc > (int)RTE_DIM(argv) - 2) {
			fprintf(stderr, "netprint: too many EAL arguments\n");
			return -1;
		}
		for (; argc < o->eal_argc; argc++)
			argv[argc] = o->eal_argv[argc];
	} else {
		/* -i alone. lcore 0 (main: logger, control) and the workers, spread
		 * over the CPUs; telemetry under a prefix of the interface's name
		 * (dpdk-telemetry.py -f netprint-IFACE), so sensors on several
		 * interfaces do not meet. */
		int cpus[64];
		unsigned n_cpus = allowed_cpus(cpus, 64);

		p = (size_t)snprintf(lcores, sizeof(lcores), "--lcores=");
		for (unsigned l = 0; l <= n_workers && p < sizeof(lcores); l++)
			p += (size_t)snprintf(lcores + p, sizeof(lcores) - p, "%s%u@%d",
					      l ? "," : "", l, cpus[l % n_cpus]);
		/* packet buffers: 4096 mbufs (~9 MiB) per queue, plus tables */
		snprintf(mem, sizeof(mem), "%u", 128 + 16 * n_workers);
		snprintf(prefix, sizeof(prefix), "--file-prefix=netprint-%s", o->iface);
		char *own[] = { (char *)argv0, "--no-huge", "-m", mem, "--no-pci", "--no-shconf",
				"--log-level=*:error", prefix, lcores };
		for (; argc < (int)RTE_DIM(own); argc++)
			argv[argc] = own[argc];
	}
	if (vdev[0])
		argv[argc++] = vdev;
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "netprint: cannot start DPDK: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

int
np_port_start(uint16_t port, uint16_t n_queues, struct rte_mempool *pool)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_link link;
	char name[RTE_ETH_NAME_MAX_LEN] = "";
	int rc;

	rte_eth_dev_get_name_by_port(port, name);
	if ((rc = rte_eth_dev_info_get(port, &info))) {
		fprintf(stderr, "netprint: port %u (%s): no device info: %s\n", port, name,
			rte_strerror(-rc));
		return -1;
	}
	if (n_queues > info.max_rx_queues) {
		fprintf(stderr, "netprint: port %u (%s) has %u RX queues, %u workers need one each\n",
			port, name, info.max_rx_queues, n_queues);
		return -1;
	}
	conf.rx_adv_conf.rss_conf.rss_hf =
		(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	if (n_queues > 1 && conf.rx_adv_conf.rss_conf.rss_hf) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_key = (uint8_t *)np_rss_key;
		conf.rx_adv_conf.rss_conf.rss_key_len =
			info.hash_key_size && info.hash_key_size <= NP_RSS_KEY_MAX ?
				info.hash_key_size : 40;
	} else {
		conf.rx_adv_conf.rss_conf.rss_hf = 0;
	}
	/* Passive: no TX queue, except where a device cannot link without one
	 * (memif pairs its rings both ways); it is never sent on. */
	uint16_t n_tx = strcmp(info.driver_name, "net_memif") ? 0 : n_queues;

	if ((rc = rte_eth_dev_configure(port, n_queues, n_tx, &conf))) {
		fprintf(stderr, "netprint: port %u (%s): configure: %s\n", port, name,
			rte_strerror(-rc));
		return -1;
	}
	for (uint16_t q = 0; q < n_queues; q++)
		if ((rc = rte_eth_rx_queue_setup(port, q, NP_NB_RXD, rte_eth_dev_socket_id(port),
						 NULL, pool))) {
			fprintf(stderr, "netprint: port %u (%s): RX queue %u: %s\n", port, name, q,
				rte_strerror(-rc));
			return -1;
		}
	for (uint16_t q = 0; q < n_tx; q++)
		if ((rc = rte_eth_tx_queue_setup(port, q, NP_NB_RXD, rte_eth_dev_socket_id(port),
						 NULL))) {
			fprintf(stderr, "netprint: port %u (%s): TX queue %u: %s\n", port, name, q,
				rte_strerror(-rc));
			return -1;
		}
	if ((rc = rte_eth_dev_start(port))) {
		fprintf(stderr, "netprint: port %u (%s): start: %s\n", port, name, rte_strerror(-rc));
		return -1;
	}
	rte_eth_promiscuous_enable(port);	/* not every device can; not fatal */
	if (!rte_eth_link_get_nowait(port, &link))
		fprintf(stderr, "netprint: port %u (%s): link %s, %u Mbps, %u RX queue%s, RSS %s\n",
			port, name, link.link_status ? "up" : "down", link.link_speed, n_queues,
			n_queues == 1 ? "" : "s", conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ?
						 "symmetric" : "off");
	return 0;
}

void
np_port_stop(uint16_t port)
{
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
}
