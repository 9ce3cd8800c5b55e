/* SPDX-License-Identifier: MIT */
/*
 * netprint collect: many sensors' records, from NATS JetStream, into one
 * host table. Each message that carries an input record (nats_wire.h) is
 * decoded, checked against the collector's database, merged with the other
 * sensors' in packet-time order (merge.h) and given to the same host logic
 * a sensor's logger runs (core/hosts.c); what that yields is written as a
 * sensor writes it (--json, -o) and answered as a sensor answers (-s,
 * --http). Messages it cannot use are counted, by why, and skipped.
 */
#ifndef NP_COLLECT_H
#define NP_COLLECT_H

/* argv[0] is "collect". Returns the exit status. */
int np_collect_main(int argc, char **argv);

#endif /* NP_COLLECT_H */
