/* SPDX-License-Identifier: MIT */
/*
 * Capture files: libpcap for the format, block reads for classic pcap
 * frames (see capture.h).
 */
#include <byteswap.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "netprint.h"

struct np_tcp_filter {
	struct bpf_program prog;
};

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16
#define PCAP_MAX_SNAPLEN 262144u	/* libpcap refuses longer records */
/* Small enough to stay in L2 while its frames are processed, large enough
 * for the longest record libpcap accepts. */
#define BLOCK (512u << 10)
_Static_assert(BLOCK >= PCAP_REC_HDR + PCAP_MAX_SNAPLEN, "a record fits in a block");

static uint32_t
rd32(const struct np_capture *c, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return c->swapped ? bswap_32(v) : v;
}

/* A classic pcap file is read in blocks; anything else by libpcap. */
static void
open_classic(struct np_capture *c)
{
	uint8_t hdr[PCAP_FILE_HDR];
	uint32_t magic;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (read(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) ||
	    !(c->buf = malloc(BLOCK))) {
		close(fd);
		return;
	}
	memcpy(&magic, hdr, 4);
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
		c->swapped = false;
	} else if (bswap_32(magic) == PCAP_MAGIC_US || bswap_32(magic) == PCAP_MAGIC_NS) {
		c->swapped = true;
		magic = bswap_32(magic);
	} else {
		free(c->buf);
		c->buf = NULL;
		close(fd);
		return;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	c->fd = fd;
	c->file_pos = PCAP_FILE_HDR;
	c->nsec = magic == PCAP_MAGIC_NS;
	c->snaplen = rd32(c, hdr + 16);
}

/*
 * p0f's capture filter for a link type it guesses the offset of: "tcp"
 * (p0f adds "or (vlan and tcp)" for Ethernet only), optimised, netmask 0,
 * as p0f's prepare_bpf() compiles it.
 */
struct np_tcp_filter *
np_tcp_filter_new(int dlt, char *err, size_t err_len)
{
	struct np_tcp_filter *f = calloc(1, sizeof(*f));
	pcap_t *p = pcap_open_dead(dlt, 65535);
	const char *name = pcap_datalink_val_to_name(dlt);

	if (!f || !p) {
		snprintf(err, err_len, "out of memory");
		free(f);
		if (p)
			pcap_close(p);
		errno = ENOMEM;
		return NULL;
	}
	if (pcap_compile(p, &f->prog, "tcp", 1, 0)) {
		snprintf(err, err_len,
			 "unsupported link type %d (%s): libpcap cannot filter TCP on it (%s),"
			 " so p0f cannot read it either", dlt, name ? name : "unknown",
			 pcap_geterr(p));
		free(f);
		pcap_close(p);
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	pcap_close(p);
	return f;
}

void
np_tcp_filter_free(struct np_tcp_filter *f)
{
	if (f)
		pcap_freecode(&f->prog);
	free(f);
}

static bool
np_tcp_filter_match(const void *ctx, const uint8_t *frame, uint32_t len)
{
	const struct np_tcp_filter *f = ctx;
	struct pcap_pkthdr h = { .caplen = len, .len = len };

	return pcap_offline_filter(&f->prog, &h, frame) != 0;
}

/* The link state for frames of dlt: with p0f's filter when it guesses. */
void
np_tcp_filter_link(const struct np_tcp_filter *f, int dlt, struct np_link *lk)
{
	np_link_init(lk, dlt);
	if (f)
		np_link_set_filter(lk, np_tcp_filter_match, f);
}

void
np_capture_link(const struct np_capture *c, struct np_link *lk)
{
	np_tcp_filter_link(c->tcp_filter, c->dlt, lk);
}

void
np_capture_report_link(const struct np_capture *c, const struct np_link *lk, FILE *out)
{
	const char *name = pcap_datalink_val_to_name(c->dlt);
	unsigned long long n = lk->unplaced;

	if (!lk->guess)
		return;
	fprintf(out, "netprint: %s: %slink type %d (%s), read as p0f reads it: ", c->path,
		lk->off < 0 && n ? "warning: " : "", c->dlt, name ? name : "unknown");
	if (lk->off >= 0)
		fprintf(out, "IP header guessed at byte %d from TCP frame %llu (frames before it"
			" are dropped, as p0f drops them)\n", lk->off, n + 1);
	else if (n)
		fprintf(out, "no IP header found in any of its %llu TCP frames, so nothing was read"
			" (p0f finds none either)\n", n);
	else
		fprintf(out, "no frame passed p0f's TCP filter, so nothing was read\n");
}

/* A link type with no fixed offset needs p0f's filter; 0, or -1 said in err. */
static int
link_filter(struct np_capture *c, char *err, size_t err_len)
{
	char why[NP_CAPTURE_ERR_MAX];

	if (np_link_dlt_supported(c->dlt))
		return 0;
	if ((c->tcp_filter = np_tcp_filter_new(c->dlt, why, sizeof(why))))
		return 0;
	int e = errno;

	snprintf(err, err_len, "%s: %s", c->path, why);
	np_capture_fini(c);
	errno = e;
	return -1;
}

int
np_capture_init(struct np_capture *c, const char *path, char *err, size_t err_len)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, perr);

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (!p) {
		snprintf(err, err_len, "%s: cannot read capture: %s", path, perr);
		return -1;
	}
	c->path = path;
	c->pcap = p;
	c->dlt = pcap_datalink(p);
	if (link_filter(c, err, err_len))
		return -1;
	open_classic(c);
	return 0;
}

int
np_capture_init_live(struct np_capture *c, const char *iface, bool promisc, char *err,
		     size_t err_len)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(iface, perr);
	int rc;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (!p) {
		snprintf(err, err_len, "%s: cannot capture: %s", iface, perr);
		return -1;
	}
	c->path = iface;
	c->pcap = p;
	c->live = true;
	/* whole frames, handed over as they come; the timeout only bounds how
	 * long a stop request waits where breakloop cannot wake the poll */
	if (pcap_set_snaplen(p, 65535) || pcap_set_promisc(p, promisc) ||
	    pcap_set_timeout(p, 100) || pcap_set_immediate_mode(p, 1) ||
	    (rc = pcap_activate(p)) < 0) {
		snprintf(err, err_len, "%s: cannot capture: %s", iface, pcap_geterr(p));
		np_capture_fini(c);
		return -1;
	}
	c->dlt = pcap_datalink(p);
	return link_filter(c, err, err_len);
}

static void
stop_block_reads(struct np_capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
}

void
np_capture_fini(struct np_capture *c)
{
	if (!c->pcap)
		return;		/* never opened */
	stop_block_reads(c);
	np_tcp_filter_free(c->tcp_filter);
	pcap_close(c->pcap);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* From the current record on, libpcap reads (its FILE is moved there). */
static void
hand_over_to_libpcap(struct np_capture *c)
{
	FILE *f = pcap_file(c->pcap);

	if (!f || fseeko(f, (off_t)(c->file_pos + c->pos), SEEK_SET))
		c->truncated = true;	/* cannot happen for a file we read */
	stop_block_reads(c);
}

static int
stop_truncated(struct np_capture *c, const char *why)
{
	if (!c->truncated)
		snprintf(c->error, sizeof(c->error), "truncated capture after %llu frames: %s",
			 (unsigned long long)c->frames, why);
	c->truncated = true;
	stop_block_reads(c);
	return NP_ERR_DAMAGED;
}

/* Keep what is left of the block, read more after it. */
static int
refill(struct np_capture *c)
{
	memmove(c->buf, c->buf + c->pos, c->have - c->pos);
	c->file_pos += c->pos;
	c->have -= c->pos;
	c->pos = 0;
	while (c->have < BLOCK) {
		ssize_t n = read(c->fd, c->buf + c->have, BLOCK - c->have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			c->eof = true;
			break;
		}
		c->have += (size_t)n;
	}
	return 0;
}

#define HAND_OVER 2	/* next_in_block: libpcap reads from here on */

/* The next record of a classic pcap file: 1, 0 at its end, HAND_OVER, or
 * NP_ERR_DAMAGED. */
static int
next_in_block(struct np_capture *c, const uint8_t **frame, uint32_t *len, uint64_t *ts_us)
{
	if (c->have - c->pos < PCAP_REC_HDR && !c->eof && refill(c))
		return stop_truncated(c, strerror(errno));
	if (c->have == c->pos)
		return 0;
	if (c->have - c->pos < PCAP_REC_HDR)
		return stop_truncated(c, "record header cut short");

	const uint8_t *h = c->buf + c->pos;
	uint32_t caplen = rd32(c, h + 8);

	if (caplen > c->snaplen || caplen > PCAP_MAX_SNAPLEN)
		return HAND_OVER;
	if (c->have - c->pos - PCAP_REC_HDR < caplen) {
		if (!c->eof && refill(c))
			return stop_truncated(c, strerror(errno));
		h = c->buf + c->pos;
		if (c->have - c->pos - PCAP_REC_HDR < caplen)
			return stop_truncated(c, "frame cut short");
	}
	uint32_t frac = rd32(c, h + 4);

	*ts_us = (uint64_t)rd32(c, h) * 1000000 + (c->nsec ? frac / 1000 : frac);
	*frame = h + PCAP_REC_HDR;
	*len = caplen;
	c->pos += PCAP_REC_HDR + caplen;
	c->frames++;
	return 1;
}

int
np_capture_next(struct np_capture *c, const uint8_t **frame, uint32_t *len, uint64_t *ts_us)
{
	if (__atomic_load_n(&c->stop, __ATOMIC_RELAXED))
		return 0;
	if (c->fd >= 0) {
		int rc = next_in_block(c, frame, len, ts_us);

		if (rc != HAND_OVER)
			return rc;
		hand_over_to_libpcap(c);
	}
	if (c->truncated)
		return NP_ERR_DAMAGED;
	if (!c->pcap)
		return 0;

	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(c->pcap, &hdr, &data)) == 0 && c->live)
		if (__atomic_load_n(&c->stop, __ATOMIC_RELAXED))	/* a live timeout */
			return 0;
	if (rc == 1) {
		*ts_us = (uint64_t)hdr->ts.tv_sec * 1000000 + (uint64_t)hdr->ts.tv_usec;
		*frame = data;
		*len = hdr->caplen;
		c->frames++;
		return 1;
	}
	if (rc == PCAP_ERROR && c->live) {
		snprintf(c->error, sizeof(c->error), "capture failed after %llu frames: %s",
			 (unsigned long long)c->frames, pcap_geterr(c->pcap));
		return NP_ERR_IO;
	}
	if (rc == PCAP_ERROR)
		return stop_truncated(c, pcap_geterr(c->pcap));
	return 0;	/* the end of a file, or stopped (PCAP_ERROR_BREAK) */
}

void
np_capture_stop(struct np_capture *c)
{
	if (!c)
		return;
	__atomic_store_n(&c->stop, true, __ATOMIC_RELAXED);
	if (c->pcap)
		pcap_breakloop(c->pcap);
}
