/* SPDX-License-Identifier: MIT */
/*
 * Capture files. libpcap opens the file (format, link type, errors); the
 * frames of a classic pcap file are then read straight from a read-only
 * mapping, with no copy and no call per frame. Any other format (pcapng,
 * ...) and any record the mapping walk does not vouch for (a length beyond
 * the snapshot length) is read by libpcap from there on, so the frames
 * are always the ones libpcap, and so p0f, would deliver.
 */
#ifndef NP_CAPTURE_H
#define NP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_capture {
	const char *path;
	int dlt;			/* libpcap's link type */
	void *pcap;			/* pcap_t */
	const uint8_t *map;		/* the whole file, or NULL: libpcap reads */
	size_t size, off;		/* mapping and the next record in it */
	size_t released;		/* pages before this are given back */
	uint32_t snaplen;
	bool swapped, nsec;		/* byte order and time unit of the records */
	uint64_t frames;		/* delivered so far */
	bool truncated;			/* ended on a damaged record */
};

/* Returns 0, or -1 with a message in err. */
int np_capture_open(struct np_capture *c, const char *path, char *err, size_t err_len);
void np_capture_close(struct np_capture *c);

/*
 * The next frame: 1 with *frame, *len (captured bytes) and *ts_us set, 0 at
 * the end of the file. A damaged record ends the file early: it says so
 * on stderr once and sets c->truncated; what came before is delivered.
 */
int np_capture_next(struct np_capture *c, const uint8_t **frame, uint32_t *len, uint64_t *ts_us);

#endif /* NP_CAPTURE_H */
