/* SPDX-License-Identifier: MIT */
/*
 * --bench-replay's frames in mbufs (bench_replay.h): the file read twice,
 * once to size the pool, once to fill it.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_mbuf.h>

#include "bench_replay.h"
#include "capture.h"
#include "frame.h"

/* Frames and the longest, or -1 (said). */
static int
measure(const char *path, uint32_t *frames, uint32_t *longest)
{
	struct np_capture c;
	char err[NP_CAPTURE_ERR_MAX];
	const uint8_t *f;
	uint32_t len;
	uint64_t ts;

	if (np_capture_init(&c, path, err, sizeof(err))) {
		fprintf(stderr, "netprint: --bench-replay %s\n", err);
		return -1;
	}
	*frames = *longest = 0;
	while (np_capture_next(&c, &f, &len, &ts) > 0) {
		(*frames)++;
		if (len > *longest)
			*longest = len;
	}
	np_capture_fini(&c);
	return 0;
}

int
np_bench_replay_load(struct np_bench_replay *br, const char *path, struct np_worker **w,
		     unsigned n)
{
	uint32_t frames, longest, *count = calloc(n, sizeof(*count));
	struct np_capture c;
	char err[NP_CAPTURE_ERR_MAX];
	const uint8_t *f;
	uint32_t len;
	uint64_t ts;
	struct np_link lk;
	int rc = -1;

	if (!count || measure(path, &frames, &longest))
		goto out;
	if (!frames || longest > UINT16_MAX - RTE_PKTMBUF_HEADROOM) {
		fprintf(stderr, "netprint: --bench-replay %s: %s\n", path,
			frames ? "a frame longer than an mbuf" : "no frame");
		goto out;
	}
	br->pool = rte_pktmbuf_pool_create("np_replay", frames, 0, 0,
					   (uint16_t)(longest + RTE_PKTMBUF_HEADROOM), rte_socket_id());
	br->mbufs = calloc(frames, sizeof(*br->mbufs));
	if (!br->pool || !br->mbufs ||
	    rte_pktmbuf_alloc_bulk(br->pool, br->mbufs, frames)) {
		fprintf(stderr, "netprint: --bench-replay: out of DPDK memory for %u frames (try a larger -m)\n",
			frames);
		goto out;
	}
	if (np_capture_init(&c, path, err, sizeof(err))) {
		fprintf(stderr, "netprint: --bench-replay %s\n", err);
		goto out;
	}
	np_capture_link(&c, &lk);
	/* each worker's share in file order: count, then place */
	struct rte_mbuf **tmp = calloc(frames, sizeof(*tmp));
	unsigned *owner = calloc(frames, sizeof(*owner));
	uint32_t i = 0;

	if (!tmp || !owner) {
		fprintf(stderr, "netprint: out of memory\n");
		free(tmp);
		free(owner);
		np_capture_fini(&c);
		goto out;
	}
	while (i < frames && np_capture_next(&c, &f, &len, &ts) > 0) {
		struct rte_mbuf *m = br->mbufs[i];
		struct np_frame_ahead a;

		rte_memcpy(rte_pktmbuf_mtod(m, void *), f, len);
		m->data_len = (uint16_t)len;
		m->pkt_len = len;
		np_frame_parse_ahead(&lk, f, len, &a);
		owner[i] = np_frame_worker_of(np_frame_conn_hash(&a), n);
		count[owner[i]]++;
		tmp[i++] = m;
	}
	for (unsigned k = 0, at = 0; k < n; at += count[k], k++) {
		w[k]->replay = br->mbufs + at;
		w[k]->n_replay = 0;
		np_capture_link(&c, &w[k]->link);
	}
	np_capture_fini(&c);
	br->n = frames;	/* all freed at the end, any the second reading missed too */
	for (uint32_t j = 0; j < i; j++) {
		struct np_worker *wk = w[owner[j]];

		wk->replay[wk->n_replay++] = tmp[j];
	}
	free(tmp);
	free(owner);
	fprintf(stderr, "netprint: bench replay: %u frames of %s in mbufs, shares", i, path);
	for (unsigned k = 0; k < n; k++)
		fprintf(stderr, " %u", w[k]->n_replay);
	fprintf(stderr, "\n");
	rc = 0;
out:
	free(count);
	return rc;
}

void
np_bench_replay_free(struct np_bench_replay *br)
{
	if (br->mbufs && br->pool)
		rte_pktmbuf_free_bulk(br->mbufs, br->n);
	free(br->mbufs);
	rte_mempool_free(br->pool);
	*br = (struct np_bench_replay){ 0 };
}
