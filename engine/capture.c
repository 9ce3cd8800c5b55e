/* SPDX-License-Identifier: MIT */
/*
 * Capture files: libpcap for the format, a mapping for classic pcap frames
 * (see capture.h).
 */
#include <byteswap.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16
#define PCAP_MAX_SNAPLEN 262144u	/* libpcap refuses longer records */
#define RELEASE_STEP (8u << 20)		/* give back read pages every 8 MiB */

static uint32_t
rd32(const struct np_capture *c, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return c->swapped ? bswap_32(v) : v;
}

/* Map a classic pcap file; otherwise leave it all to libpcap. */
static void
map_classic(struct np_capture *c)
{
	struct stat st;
	uint32_t magic;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < PCAP_FILE_HDR) {
		close(fd);
		return;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	memcpy(&magic, map, 4);
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
		c->swapped = false;
	} else if (bswap_32(magic) == PCAP_MAGIC_US || bswap_32(magic) == PCAP_MAGIC_NS) {
		c->swapped = true;
		magic = bswap_32(magic);
	} else {
		munmap(map, (size_t)st.st_size);
		return;
	}
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL | MADV_WILLNEED);
	c->map = map;
	c->size = (size_t)st.st_size;
	c->off = PCAP_FILE_HDR;
	c->nsec = magic == PCAP_MAGIC_NS;
	c->snaplen = rd32(c, c->map + 16);
}

int
np_capture_open(struct np_capture *c, const char *path, char *err, size_t err_len)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, perr);

	memset(c, 0, sizeof(*c));
	if (!p) {
		snprintf(err, err_len, "%s: cannot read capture: %s", path, perr);
		return -1;
	}
	c->path = path;
	c->pcap = p;
	c->dlt = pcap_datalink(p);
	map_classic(c);
	return 0;
}

void
np_capture_close(struct np_capture *c)
{
	if (c->map)
		munmap((void *)c->map, c->size);
	if (c->pcap)
		pcap_close(c->pcap);
	memset(c, 0, sizeof(*c));
}

/* From the current record on, libpcap reads (its FILE is moved there). */
static void
hand_over_to_libpcap(struct np_capture *c)
{
	FILE *f = pcap_file(c->pcap);

	if (!f || fseeko(f, (off_t)c->off, SEEK_SET))
		c->off = c->size;	/* cannot happen for a file we mapped */
	munmap((void *)c->map, c->size);
	c->map = NULL;
}

static int
stop_truncated(struct np_capture *c, const char *why)
{
	if (!c->truncated)
		fprintf(stderr, "netprint: %s: truncated capture after %llu frames: %s\n", c->path,
			(unsigned long long)c->frames, why);
	c->truncated = true;
	return 0;
}

/*
 * Frames are processed in place and nothing keeps pointers into them past
 * the next call: the pages behind the read position leave our resident
 * set (they stay in the page cache), so a large file costs no memory.
 */
static void
release_read_pages(struct np_capture *c)
{
	size_t upto = c->off & ~(size_t)(RELEASE_STEP - 1);

	if (upto > c->released) {
		madvise((void *)(c->map + c->released), upto - c->released, MADV_DONTNEED);
		c->released = upto;
	}
}

int
np_capture_next(struct np_capture *c, const uint8_t **frame, uint32_t *len, uint64_t *ts_us)
{
	if (c->map) {
		if (c->off - c->released >= RELEASE_STEP)
			release_read_pages(c);
		if (c->off >= c->size)
			return 0;
		if (c->size - c->off < PCAP_REC_HDR)
			return stop_truncated(c, "record header cut short");
		const uint8_t *h = c->map + c->off;
		uint32_t caplen = rd32(c, h + 8);

		if (caplen <= c->snaplen && caplen <= PCAP_MAX_SNAPLEN) {
			if (c->size - c->off - PCAP_REC_HDR < caplen)
				return stop_truncated(c, "frame cut short");
			uint32_t frac = rd32(c, h + 4);
			*ts_us = (uint64_t)rd32(c, h) * 1000000 + (c->nsec ? frac / 1000 : frac);
			*frame = h + PCAP_REC_HDR;
			*len = caplen;
			c->off += PCAP_REC_HDR + caplen;
			/* the next record and its headers, while this frame is processed */
			__builtin_prefetch(c->map + c->off);
			__builtin_prefetch(c->map + c->off + 64);
			c->frames++;
			return 1;
		}
		hand_over_to_libpcap(c);
	}
	if (c->truncated || !c->pcap)
		return 0;

	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc = pcap_next_ex(c->pcap, &hdr, &data);

	if (rc == 1) {
		*ts_us = (uint64_t)hdr->ts.tv_sec * 1000000 + (uint64_t)hdr->ts.tv_usec;
		*frame = data;
		*len = hdr->caplen;
		c->frames++;
		return 1;
	}
	if (rc == PCAP_ERROR)
		return stop_truncated(c, pcap_geterr(c->pcap));
	return 0;
}
