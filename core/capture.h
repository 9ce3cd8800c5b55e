/* SPDX-License-Identifier: MIT */
/*
 * Capture files. libpcap opens the file (format, link type, errors); the
 * frames of a classic pcap file are then read in large blocks into a
 * buffer that stays in the CPU's cache and handed out in place, with no
 * call per frame. Any other format (pcapng, ...) and any record the block
 * walk does not vouch for (a length beyond the snapshot length) is read by
 * libpcap from there on, so the frames are always the ones libpcap, and so
 * p0f, would deliver.
 */
#ifndef NP_CAPTURE_H
#define NP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "packet.h"

struct np_capture {
	const char *path;
	int dlt;			/* libpcap's link type */
	void *pcap;			/* pcap_t */
	int fd;				/* block reads, or -1: libpcap reads */
	uint8_t *buf;			/* a block of records */
	size_t have, pos;		/* bytes in buf, the next record in it */
	uint64_t file_pos;		/* file offset of buf[0] */
	bool eof;			/* nothing more to read into buf */
	uint32_t snaplen;
	bool swapped, nsec;		/* byte order and time unit of the records */
	uint64_t frames;		/* delivered so far */
	bool truncated;			/* ended on a damaged record */
	void *tcp_filter;		/* struct bpf_program: p0f's "tcp", for a
					 * link type with no fixed offset */
};

/*
 * Returns 0, or -1 with a message in err. A link type with no fixed offset
 * is read as p0f reads it, through p0f's filter ("tcp") compiled by libpcap
 * for that link type; where libpcap cannot compile it, p0f stops and the
 * capture is refused.
 */
int np_capture_init(struct np_capture *c, const char *path, char *err, size_t err_len);

/* The link state of a worker reading this capture (np_link_init, and the
 * capture's TCP filter when the offset is to be guessed). */
void np_capture_link(const struct np_capture *c, struct np_link *lk);

/* After the capture was read through lk: for a guessed link type, where the
 * IP header was found, or a warning that it never was (p0f warns too, and
 * reads nothing). Nothing for a link type with a fixed offset. */
void np_capture_report_link(const struct np_capture *c, const struct np_link *lk, FILE *out);

/* Safe on a zeroed struct that was never opened. */
void np_capture_fini(struct np_capture *c);

/*
 * The next frame: 1 with *frame, *len (captured bytes) and *ts_us set, 0 at
 * the end of the file. *frame stays valid until the next call. A damaged
 * record ends the file early: it says so on stderr once and sets
 * c->truncated; what came before is delivered.
 */
int np_capture_next(struct np_capture *c, const uint8_t **frame, uint32_t *len, uint64_t *ts_us);

#endif /* NP_CAPTURE_H */
