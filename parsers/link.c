/* SPDX-License-Identifier: MIT */
/*
 * Link layers: where the IP header starts in a captured frame. Fixed header
 * sizes per DLT as p0f 3.09b uses them, and Ethernet with up to four
 * 802.1Q / 802.1ad / 0x9100 tags. Any other DLT is read as p0f reads it:
 * the offset is guessed from the first frames the capture's TCP filter
 * passes (p0f's find_offset()), with p0f's rules, quirks included.
 */
#include <stddef.h>

#include "packet.h"

/* DLT numbers as libpcap reports them on Linux. */
enum {
	DLT_NULL_ = 0,
	DLT_EN10MB_ = 1,
	DLT_PPP_ = 9,
	DLT_RAW_ = 12,
	DLT_RAW_BSD_ = 14,
	DLT_PPP_SERIAL_ = 50,
	DLT_PPP_ETHER_ = 51,
	DLT_RAW_LINKTYPE_ = 101,
	DLT_IEEE802_11_ = 105,
	DLT_LOOP_ = 108,
	DLT_LINUX_SLL_ = 113,
	DLT_PFLOG_ = 117,
	DLT_IPV4_ = 228,
	DLT_IPV6_ = 229,
	DLT_LINUX_SLL2_ = 276,
};

#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define NP_MAX_VLAN_TAGS 4

static int
fixed_offset(int dlt)
{
	switch (dlt) {
	case DLT_RAW_:
	case DLT_RAW_BSD_:
	case DLT_RAW_LINKTYPE_:
	case DLT_IPV4_:
	case DLT_IPV6_:
		return 0;
	case DLT_NULL_:
	case DLT_PPP_:
	case DLT_LOOP_:		/* p0f uses 8 here, which misreads every frame */
		return 4;
	case DLT_PPP_SERIAL_:
	case DLT_PPP_ETHER_:
		return 8;
	case DLT_EN10MB_:
		return ETH_HLEN;
	case DLT_LINUX_SLL_:
		return 16;
	case DLT_LINUX_SLL2_:
		return 20;
	case DLT_PFLOG_:
		return 28;
	case DLT_IEEE802_11_:
		return 32;
	default:
		return -1;
	}
}

void
np_link_init(struct np_link *lk, int dlt)
{
	*lk = (struct np_link){ .dlt = dlt, .off = fixed_offset(dlt) };
	lk->guess = lk->off < 0;
}

void
np_link_set_filter(struct np_link *lk, np_link_filter_fn filter, const void *ctx)
{
	lk->filter = filter;
	lk->filter_ctx = ctx;
}

bool
np_link_dlt_supported(int dlt)
{
	return fixed_offset(dlt) >= 0;
}

#define GUESS_MAX_OFF 40	/* offsets 0, 2, ..., 38 */
#define GUESS_MIN_V4 40		/* p0f's MIN_TCP4: IPv4 + TCP headers */
#define GUESS_MIN_V6 60		/* p0f's MIN_TCP6 */

/*
 * p0f's find_offset() on one frame: the first even offset below 40 where
 * an IPv6 header whose next header is TCP (with 60 bytes from there) or an
 * IPv4 header whose protocol is TCP (with 40) begins, judged by the
 * version nibble and the protocol byte alone. The scan stops where fewer
 * than 40 bytes are left. When found at i >= 4 and the two bytes at i - 4
 * read 0x81 0x00 (p0f takes them for an 802.1Q tag), the offset is i - 4:
 * p0f's adjustment, wrong for real tags (the TPID sits 4 bytes earlier) but
 * what p0f then reads every frame at. -1 when nothing is found.
 */
int
np_link_find_offset(const uint8_t *frame, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < GUESS_MAX_OFF; i += 2) {
		if (len < i + GUESS_MIN_V4)
			return -1;
		if (len - i >= GUESS_MIN_V6 && frame[i] >> 4 == 6 && frame[i + 6] == 6)
			break;
		if (frame[i] >> 4 == 4 && frame[i + 9] == 6)
			break;
	}
	if (i == GUESS_MAX_OFF)
		return -1;
	if (i >= 4 && frame[i - 4] == 0x81 && frame[i - 3] == 0x00)
		return (int)i - 4;
	return (int)i;
}

bool
np_link_tcp_frame(struct np_link *lk, const uint8_t *frame, uint32_t len)
{
	if (!lk->guess || !lk->filter)
		return true;	/* without a filter the offset stays unknown */
	if (!lk->filter(lk->filter_ctx, frame, len))
		return false;
	if (lk->off < 0) {
		lk->off = np_link_find_offset(frame, len);
		if (lk->off < 0)
			lk->unplaced++;
	}
	return true;
}

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool
is_vlan_type(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100;
}

/* EtherType -> IP version, as the capture filter tells IP from the rest. */
static int
ethertype_version(uint16_t type, uint8_t *ip_ver)
{
	if (type == ETHERTYPE_IPV4)
		*ip_ver = 4;
	else if (type == ETHERTYPE_IPV6)
		*ip_ver = 6;
	else
		return NP_LINK_NOT_IP;
	return 0;
}

int
np_link_ip_offset(const struct np_link *lk, const uint8_t *frame, uint32_t len, uint8_t *ip_ver)
{
	*ip_ver = 0;
	if (lk->dlt == DLT_EN10MB_) {
		uint32_t off = 12;
		unsigned tags = 0;

		while (off + 2 <= len && is_vlan_type(rd16(frame + off)) &&
		       tags < NP_MAX_VLAN_TAGS) {
			off += 4;
			tags++;
		}
		if (off + 2 > len)
			return NP_LINK_SHORT;
		if (ethertype_version(rd16(frame + off), ip_ver))
			return NP_LINK_NOT_IP;
		return (int)(off + 2);
	}
	if (lk->off < 0)
		return NP_LINK_NOT_IP;
	if ((uint32_t)lk->off > len)
		return NP_LINK_SHORT;
	if (lk->dlt == DLT_LINUX_SLL_ && ethertype_version(rd16(frame + 14), ip_ver))
		return NP_LINK_NOT_IP;
	if (lk->dlt == DLT_LINUX_SLL2_ && ethertype_version(rd16(frame), ip_ver))
		return NP_LINK_NOT_IP;
	return lk->off;
}

bool
np_link_is_tcp(const struct np_link *lk, const uint8_t *frame, uint32_t len)
{
	uint8_t ver;
	int off;

	if (lk->guess)
		return lk->filter && lk->filter(lk->filter_ctx, frame, len);
	off = np_link_ip_offset(lk, frame, len, &ver);
	return off >= 0 && np_ip_carries_tcp(frame + off, len - (uint32_t)off, ver) == NP_PARSE_OK;
}
