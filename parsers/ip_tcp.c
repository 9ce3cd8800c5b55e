/* SPDX-License-Identifier: MIT */
/*
 * IPv4, IPv6 and TCP, checked and read exactly as p0f 3.09b's parse_packet()
 * does, down to its option-walking rules, so that quirks and option layouts
 * come out the same. One deliberate difference: IPv6 extension headers are
 * walked to the TCP header, where p0f gives up on anything but TCP.
 */
#include <stddef.h>
#include <string.h>

#include "packet.h"

#define NP_SNAPLEN 65535

const char *const np_quirk_names[NP_QUIRK_COUNT] = {
#define NP_QUIRK_NAME_(id, str) str,
	NP_FOREACH_QUIRK(NP_QUIRK_NAME_)
#undef NP_QUIRK_NAME_
};

const char *const np_parse_result_names[NP_PARSE_RESULT_COUNT] = {
	"ok",
#define NP_SKIP_NAME_(id, desc) desc,
	NP_FOREACH_SKIP(NP_SKIP_NAME_)
#undef NP_SKIP_NAME_
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* IPv4 header; on success *hdr_len is the header length with options. */
static enum np_parse_result
parse_ipv4(const uint8_t *ip, uint32_t *packet_len, struct np_packet *pk, uint32_t *hdr_len)
{
	uint32_t hlen = (ip[0] & 0x0f) * 4u;
	uint16_t flags_off = rd16(ip + 6);
	uint16_t tot_len = rd16(ip + 2);

	/* Honour a total length shorter than the frame (etherleak padding). */
	if (*packet_len > tot_len)
		*packet_len = tot_len;
	if (*packet_len < NP_MIN_TCP4)
		return NP_SKIP_SHORT;
	if (hlen < 20)
		return NP_SKIP_BAD_IP;
	if (tot_len > *packet_len)
		return NP_SKIP_SHORT;
	if (hlen + 20 > *packet_len)
		return NP_SKIP_BAD_IP;
	if (ip[9] != 6)
		return NP_SKIP_NOT_TCP;
	if (flags_off & ~(0x4000 | 0x8000))	/* MF or offset */
		return NP_SKIP_FRAGMENT;

	pk->ip_ver = 4;
	pk->ip_opt_len = (uint8_t)(hlen - 20);
	memcpy(pk->src, ip + 12, 4);
	memcpy(pk->dst, ip + 16, 4);
	pk->tos = ip[1] >> 2;
	pk->ttl = ip[8];
	if (ip[1] & 0x03)
		pk->quirks |= NP_QUIRK(ECN);
	if (flags_off & 0x8000)
		pk->quirks |= NP_QUIRK(NZ_MBZ);
	if (flags_off & 0x4000) {
		pk->quirks |= NP_QUIRK(DF);
		if (rd16(ip + 4))
			pk->quirks |= NP_QUIRK(NZ_ID);
	} else if (!rd16(ip + 4)) {
		pk->quirks |= NP_QUIRK(ZERO_ID);
	}
	*hdr_len = hlen;
	return NP_PARSE_OK;
}

/* IPv6 extension headers that may sit between the fixed header and TCP. */
static bool
is_ipv6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

enum np_parse_result
np_ipv6_walk(const uint8_t *ip, uint32_t len, uint8_t *nh, uint32_t *off)
{
	*nh = ip[6];
	*off = 40;
	while (is_ipv6_ext(*nh)) {
		if (*off + 8 > len)
			return NP_SKIP_SHORT;
		if (*nh == 44 && (rd16(ip + *off + 2) & 0xfff9))	/* offset or M */
			return NP_SKIP_FRAGMENT;
		uint32_t hlen = *nh == 44 ? 8 : (ip[*off + 1] + 1u) * 8;

		*nh = ip[*off];
		*off += hlen;
	}
	return NP_PARSE_OK;
}

static enum np_parse_result
parse_ipv6(const uint8_t *ip, uint32_t *packet_len, struct np_packet *pk, uint32_t *hdr_len)
{
	uint32_t ver_tos = rd32(ip);
	uint32_t tot_len = rd16(ip + 4) + 40u;
	uint32_t off;
	uint8_t nh;

	if (*packet_len > tot_len)
		*packet_len = tot_len;
	if (*packet_len < NP_MIN_TCP6)
		return NP_SKIP_SHORT;
	if (tot_len > *packet_len)
		return NP_SKIP_SHORT;

	enum np_parse_result r = np_ipv6_walk(ip, *packet_len, &nh, &off);

	if (r != NP_PARSE_OK)
		return r;
	if (nh != 6)
		return NP_SKIP_NOT_TCP;
	if (off + 20 > *packet_len)
		return NP_SKIP_SHORT;

	pk->ip_ver = 6;
	pk->ip_opt_len = 0;
	memcpy(pk->src, ip + 8, 16);
	memcpy(pk->dst, ip + 24, 16);
	pk->tos = (ver_tos >> 22) & 0x3f;
	pk->ttl = ip[7];
	if (ver_tos & 0xfffff)
		pk->quirks |= NP_QUIRK(FLOW);
	if ((ver_tos >> 20) & 0x03)
		pk->quirks |= NP_QUIRK(ECN);
	*hdr_len = off;
	return NP_PARSE_OK;
}

/*
 * TCP options, p0f's way: at most NP_MAX_TCP_OPT entries, known options
 * with a wrong length flagged "bad" but still read when they fit, anything
 * that runs past the header ends the walk and flags "bad".
 */
static void
parse_tcp_options(const uint8_t *p, const uint8_t *end, struct np_packet *pk)
{
	while (p < end && pk->opt_cnt < NP_MAX_TCP_OPT) {
		uint8_t kind = *p++;
		/* p0f reads the length byte even at the end; any value fails there */
		uint8_t olen = p < end ? *p : 0;

		pk->opt_layout[pk->opt_cnt++] = kind;

		switch (kind) {
		case NP_OPT_EOL:
			pk->opt_eol_pad = (uint8_t)(end - p);
			while (p < end && !*p++)
				;
			/* A non-zero last byte goes unnoticed, as in p0f. */
			if (p != end) {
				pk->quirks |= NP_QUIRK(OPT_EOL_NZ);
				p = end;
			}
			break;
		case NP_OPT_NOP:
			break;
		case NP_OPT_MSS:
			if (olen != 4)
				pk->quirks |= NP_QUIRK(OPT_BAD);
			if (p + 3 > end)
				goto bad;
			pk->mss = rd16(p + 1);
			p += 3;
			break;
		case NP_OPT_WS:
			if (olen != 3)
				pk->quirks |= NP_QUIRK(OPT_BAD);
			if (p + 2 > end)
				goto bad;
			pk->wscale = p[1];
			if (pk->wscale > 14)
				pk->quirks |= NP_QUIRK(OPT_EXWS);
			p += 2;
			break;
		case NP_OPT_SOK:
			if (olen != 2)
				pk->quirks |= NP_QUIRK(OPT_BAD);
			if (p + 1 > end)
				goto bad;
			p++;
			break;
		case NP_OPT_SACK:
			if (olen < 10 || olen > 34 || p - 1 + olen > end)
				goto bad;
			p += olen - 1;
			break;
		case NP_OPT_TS:
			if (olen != 10)
				pk->quirks |= NP_QUIRK(OPT_BAD);
			if (p + 9 > end)
				goto bad;
			pk->ts1 = rd32(p + 1);
			if (!pk->ts1)
				pk->quirks |= NP_QUIRK(OPT_ZERO_TS1);
			if (pk->tcp_type == NP_TCP_SYN && rd32(p + 5))
				pk->quirks |= NP_QUIRK(OPT_NZ_TS2);
			p += 9;
			break;
		default:
			if (olen < 2 || olen > 40 || p - 1 + olen > end)
				goto bad;
			p += olen - 1;
			break;
		}
	}
	if (p == end)
		return;
bad:
	pk->quirks |= NP_QUIRK(OPT_BAD);
}

static enum np_parse_result
parse_tcp(const uint8_t *tcp, uint32_t packet_len, struct np_packet *pk)
{
	uint32_t doff = (tcp[12] >> 4) * 4u;
	uint8_t flags = tcp[13];

	if (doff < 20 || doff > packet_len)
		return NP_SKIP_BAD_TCP;

	pk->tot_hdr += doff;
	pk->sport = rd16(tcp);
	pk->dport = rd16(tcp + 2);
	pk->tcp_type = flags & (NP_TCP_SYN | NP_TCP_ACK | NP_TCP_FIN | NP_TCP_RST);

	if (((flags & NP_TCP_SYN) && (flags & (NP_TCP_FIN | NP_TCP_RST))) ||
	    ((flags & NP_TCP_FIN) && (flags & NP_TCP_RST)) || !pk->tcp_type)
		return NP_SKIP_TCP_FLAGS;

	pk->win = rd16(tcp + 14);
	pk->seq = rd32(tcp + 4);

	if ((flags & (0x40 | 0x80)) || (tcp[12] & 0x01))	/* ECE, CWR, NS */
		pk->quirks |= NP_QUIRK(ECN);
	if (!pk->seq)
		pk->quirks |= NP_QUIRK(ZERO_SEQ);
	if (flags & NP_TCP_ACK) {
		if (!rd32(tcp + 8))
			pk->quirks |= NP_QUIRK(ZERO_ACK);
	} else if ((tcp[8] & 1) && !(flags & NP_TCP_RST)) {
		/*
		 * p0f tests RD32(ack) & !(flags & RST) on x86: only the lowest bit
		 * of the raw word, i.e. bit 24 of the ack number.
		 */
		pk->quirks |= NP_QUIRK(NZ_ACK);
	}
	if (flags & 0x20)
		pk->quirks |= NP_QUIRK(URG);
	else if (rd16(tcp + 18))
		pk->quirks |= NP_QUIRK(NZ_URG);
	if (flags & 0x08)
		pk->quirks |= NP_QUIRK(PUSH);

	if (doff < packet_len) {
		pk->payload = tcp + doff;
		pk->pay_len = packet_len - doff;
	}
	parse_tcp_options(tcp + 20, tcp + doff, pk);
	return NP_PARSE_OK;
}

enum np_parse_result
np_parse_ip(const uint8_t *ip, uint32_t len, struct np_packet *pk)
{
	uint32_t packet_len = len > NP_SNAPLEN ? NP_SNAPLEN : len;
	uint32_t hdr_len = 0;
	enum np_parse_result r;

	memset(pk, 0, offsetof(struct np_packet, opt_layout));
	if (packet_len < NP_MIN_TCP4)
		return NP_SKIP_SHORT;

	switch (ip[0] >> 4) {
	case 4:
		r = parse_ipv4(ip, &packet_len, pk, &hdr_len);
		break;
	case 6:
		r = parse_ipv6(ip, &packet_len, pk, &hdr_len);
		break;
	default:
		return NP_SKIP_BAD_IP;
	}
	if (r != NP_PARSE_OK)
		return r;
	/* Extension headers are left out, so a signature reads as without them. */
	pk->tot_hdr = pk->ip_ver == 4 ? (uint16_t)hdr_len : 40;
	return parse_tcp(ip + hdr_len, packet_len - hdr_len, pk);
}

enum np_parse_result
np_ip_carries_tcp(const uint8_t *ip, uint32_t len, uint8_t ip_ver)
{
	if (len < 1)
		return NP_SKIP_SHORT;
	if (!ip_ver)
		ip_ver = ip[0] >> 4;
	if (ip_ver == 4) {
		if (len < 10)
			return NP_SKIP_SHORT;
		return ip[9] == 6 ? NP_PARSE_OK : NP_SKIP_NOT_TCP;
	}
	if (ip_ver != 6)
		return NP_SKIP_BAD_IP;
	if (len < 40)
		return NP_SKIP_SHORT;

	uint8_t nh = ip[6];
	uint32_t pos = 40;
	while (is_ipv6_ext(nh)) {
		if (pos + 2 > len)
			return NP_SKIP_SHORT;
		uint32_t hlen = nh == 44 ? 8 : (ip[pos + 1] + 1u) * 8;
		nh = ip[pos];
		pos += hlen;
	}
	return nh == 6 ? NP_PARSE_OK : NP_SKIP_NOT_TCP;
}

enum np_parse_result
np_parse_frame(struct np_link *lk, const uint8_t *frame, uint32_t len,
	       struct np_packet *pk)
{
	uint8_t ver;
	int off;
	enum np_parse_result r;

	if (!np_link_tcp_frame(lk, frame, len))
		return NP_SKIP_NOT_TCP;
	off = np_link_ip_offset(lk, frame, len, &ver);
	if (off < 0)
		return off == NP_LINK_SHORT ? NP_SKIP_SHORT : NP_SKIP_LINK;
	if ((r = np_ip_carries_tcp(frame + off, len - (uint32_t)off, ver)) != NP_PARSE_OK)
		return r;
	return np_parse_ip(frame + off, len - (uint32_t)off, pk);
}
