/* SPDX-License-Identifier: MIT */
/*
 * UDP datagrams for the hellos they may carry (QUIC Initials, DTLS): the
 * IP header checked as for TCP, IPv6 extension headers walked, the
 * payload bounded by the UDP length. p0f never reads UDP; nothing here
 * touches what TCP frames yield.
 */
#include <string.h>

#include "packet.h"

#define UDP_HLEN 8

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv4 or IPv6 up to the UDP header: *off is where it starts. */
static enum np_parse_result
udp_ip(const uint8_t *ip, uint32_t *len, struct np_udp *u, uint32_t *off)
{
	if (*len < 20)
		return NP_SKIP_SHORT;
	if (ip[0] >> 4 == 4) {
		uint32_t hlen = (ip[0] & 0x0f) * 4u, tot = rd16(ip + 2);

		if (hlen < 20 || tot < hlen)
			return NP_SKIP_BAD_IP;
		if (tot > *len)
			return NP_SKIP_SHORT;
		*len = tot;
		if (ip[9] != 17)
			return NP_SKIP_NOT_TCP;
		if (rd16(ip + 6) & 0x3fff)	/* MF or an offset */
			return NP_SKIP_FRAGMENT;
		u->ip_ver = 4;
		memcpy(u->src, ip + 12, 4);
		memcpy(u->dst, ip + 16, 4);
		*off = hlen;
		return NP_PARSE_OK;
	}
	if (ip[0] >> 4 != 6)
		return NP_SKIP_BAD_IP;
	if (*len < 40)
		return NP_SKIP_SHORT;

	uint32_t tot = rd16(ip + 4) + 40u;
	uint8_t nh;
	enum np_parse_result r;

	if (tot > *len)
		return NP_SKIP_SHORT;
	*len = tot;
	if ((r = np_ipv6_walk(ip, *len, &nh, off)) != NP_PARSE_OK)
		return r;
	if (nh != 17)
		return NP_SKIP_NOT_TCP;
	u->ip_ver = 6;
	memcpy(u->src, ip + 8, 16);
	memcpy(u->dst, ip + 24, 16);
	return NP_PARSE_OK;
}

enum np_parse_result
np_parse_udp_frame(const struct np_link *lk, const uint8_t *frame, uint32_t len,
		   struct np_udp *u)
{
	uint8_t ver;
	int ip_off = np_link_ip_offset(lk, frame, len, &ver);
	uint32_t off = 0, ip_len;
	enum np_parse_result r;

	if (ip_off < 0)
		return ip_off == NP_LINK_SHORT ? NP_SKIP_SHORT : NP_SKIP_LINK;
	const uint8_t *ip = frame + ip_off;

	ip_len = len - (uint32_t)ip_off;
	memset(u, 0, sizeof(*u));
	if ((r = udp_ip(ip, &ip_len, u, &off)) != NP_PARSE_OK)
		return r;
	if (off + UDP_HLEN > ip_len)
		return NP_SKIP_SHORT;

	const uint8_t *udp = ip + off;
	uint32_t ulen = rd16(udp + 4);

	if (ulen < UDP_HLEN || off + ulen > ip_len)
		return NP_SKIP_SHORT;
	u->sport = rd16(udp);
	u->dport = rd16(udp + 2);
	if (ulen > UDP_HLEN) {
		u->payload = udp + UDP_HLEN;
		u->pay_len = ulen - UDP_HLEN;
	}
	return NP_PARSE_OK;
}
