/* SPDX-License-Identifier: MIT */
/*
 * Link layers: where the IP header starts in a captured frame. Fixed header
 * sizes per DLT as p0f 3.09b uses them, and Ethernet with up to four
 * 802.1Q / 802.1ad / 0x9100 tags. A DLT outside the table is refused when
 * the capture is opened rather than guessed at packet by packet.
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
	lk->dlt = dlt;
	lk->off = fixed_offset(dlt);
}

bool
np_link_dlt_supported(int dlt)
{
	return fixed_offset(dlt) >= 0;
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
	int off = np_link_ip_offset(lk, frame, len, &ver);

	return off >= 0 && np_ip_carries_tcp(frame + off, len - (uint32_t)off, ver) == NP_PARSE_OK;
}
