/* SPDX-License-Identifier: MIT */
/*
 * Capture files. libpcap opens the file (format, link type, errors); the
 * frames of a classic pcap file are then read in large blocks into a
 * buffer that stays in the CPU's cache and handed out in place, with no
 * call per frame. Any other format (pcapng, ...) and any record the block
 * walk does not vouch for (a length beyond the snapshot length) is read by
 * libpcap from there on, so the frames are always the ones libpcap, and so
 * p0f, would deliver. A live capture is libpcap's, frame by frame. This is
 * libnetprint's struct np_capture (netprint.h); the engine keeps its own
 * by value.
 */
#ifndef NP_CAPTURE_H
#define NP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "packet.h"

#define NP_CAPTURE_ERR_MAX 256

/* p0f's "tcp" filter, for a link type whose IP offset is guessed. */
struct np_tcp_filter;

struct np_capture {
	const char *path;		/* or the interface */
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
	bool live;			/* an interface */
	bool stop;			/* np_capture_stop() was called */
	struct np_tcp_filter *tcp_filter;	/* for a link type with no fixed offset */
	char error[NP_CAPTURE_ERR_MAX];	/* why it ended early, or "" */
};

/*
 * Returns 0, or -1 with a message in err. A link type with no fixed offset
 * is read as p0f reads it, through p0f's filter ("tcp") compiled by libpcap
 * for that link type; where libpcap cannot compile it, p0f stops and the
 * capture is refused.
 */
int np_capture_init(struct np_capture *c, const char *path, char *err, size_t err_len);

/* The same for an interface: libpcap's live capture of whole frames. */
int np_capture_init_live(struct np_capture *c, const char *iface, bool promisc, char *err,
			 size_t err_len);

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
 * the end of the file or once stopped. *frame stays valid until the next
 * call. A damaged record ends the file early: NP_ERR_DAMAGED, c->truncated
 * set and c->error saying where and why; what came before is delivered.
 * A live capture waits for frames; NP_ERR_IO (c->error) if it fails. This
 * is netprint.h's np_capture_next().
 */
int np_capture_next(struct np_capture *c, const uint8_t **frame, uint32_t *len, uint64_t *ts_us);

/* Make np_capture_next() return 0 from now on (netprint.h's np_capture_stop()). */
void np_capture_stop(struct np_capture *c);

/* p0f's filter for dlt, or NULL (errno EPROTONOSUPPORT: libpcap cannot
 * filter TCP there, so p0f cannot read it either; ENOMEM) said in err. */
struct np_tcp_filter *np_tcp_filter_new(int dlt, char *err, size_t err_len);
void np_tcp_filter_free(struct np_tcp_filter *f);

/* np_link_init(lk, dlt), with f as its TCP filter when f is not NULL. */
void np_tcp_filter_link(const struct np_tcp_filter *f, int dlt, struct np_link *lk);

#endif /* NP_CAPTURE_H */
