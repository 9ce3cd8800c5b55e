/* SPDX-License-Identifier: MIT */
/*
 * The zero-copy benchmark source (--bench-replay FILE): a capture's frames
 * put once into mbufs of a pool of their own and shared among the workers
 * by connection, as the file reader shares a file (np_frame_worker_of).
 * The workers then take them over and over without a device
 * (np_worker_replay): no copy, no free, no descriptor ring, so their
 * cycles per packet are netprint's own, the ceiling a NIC's PMD (which
 * hands over the mbufs its DMA filled) leaves room for.
 */
#ifndef NP_BENCH_REPLAY_H
#define NP_BENCH_REPLAY_H

#include <rte_mempool.h>

#include "worker.h"

struct np_bench_replay {
	struct rte_mempool *pool;
	struct rte_mbuf **mbufs;	/* by worker, each worker's share in file order */
	uint32_t n;
};

/* Load path's frames for n workers (their link set from the file). 0 or -1 (said). */
int np_bench_replay_load(struct np_bench_replay *br, const char *path, struct np_worker **w,
			 unsigned n);

void np_bench_replay_free(struct np_bench_replay *br);

#endif /* NP_BENCH_REPLAY_H */
