/* SPDX-License-Identifier: MIT */
/*
 * EAL start and port setup: the EAL arguments netprint builds itself for
 * -r and -i, and RX-only ports with one queue per worker, symmetric RSS
 * where the device offers it, and promiscuous mode.
 */
#ifndef NP_PORT_H
#define NP_PORT_H

#include <stdint.h>

#include <rte_mempool.h>

#include "options.h"

/* Start EAL: the operator's arguments (with a net_pcap port for -r files),
 * or netprint's own for -i (no hugepages, no PCI, no shared config,
 * n_workers + 1 lcores, file prefix netprint-IFACE). */
int np_eal_start(const char *argv0, const struct np_options *o, unsigned n_workers);

/* Configure and start a port with n_queues RX queues and no TX queue. */
int np_port_start(uint16_t port, uint16_t n_queues, struct rte_mempool *pool);

void np_port_stop(uint16_t port);

#endif /* NP_PORT_H */
